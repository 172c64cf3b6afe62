"""The database seal: the SHA-256 of the database file at its last clean close.

SQLite's own checks miss a flipped byte inside a stored value; a seal that no longer matches a
closed database shows it changed while BackLog was not running (damage, or another program).
"""

from __future__ import annotations

from backlog_app.storage.profile import ProfilePaths


def seal_database(paths: ProfilePaths) -> None:
    """Record the closed database's size and SHA-256 beside it (after a clean close)."""


def break_seal(paths: ProfilePaths) -> None:
    """Remove the seal before anything writes: the database is about to change."""


def check_seal(paths: ProfilePaths) -> None:
    """Raises DamagedDatabaseError when the database no longer matches its seal."""
