"""The database seal: the size and SHA-256 of the database file at its last clean close.

SQLite's own checks miss a flipped byte inside a stored value; a seal that no longer matches a
closed database shows it changed while BackLog was not running (damage, or another program).

The seal is ``backlog.sqlite3.seal`` beside the database: JSON ``{"size": N, "sha256": "…"}``.
It hashes the bytes on disk, so it works the same for an encrypted database (no key needed).
Order of use: ``check_seal`` before opening, ``break_seal`` once the checks pass and before
anything writes, ``seal_database`` after the last connection closed.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from backlog_app.errors import DamagedDatabaseError
from backlog_app.storage.backup import fsync_dir, write_atomically
from backlog_app.storage.profile import ProfilePaths
from backlog_app.storage.vault import sha256_of

log = logging.getLogger("backlog.storage")

SEAL_SUFFIX = ".seal"


class ChangedDatabaseError(DamagedDatabaseError):
    """The closed database no longer matches its seal: it changed outside BackLog."""


def seal_path(paths: ProfilePaths) -> Path:
    return paths.database.with_name(paths.database.name + SEAL_SUFFIX)


def seal_database(paths: ProfilePaths) -> bool:
    """Record the closed database's size and SHA-256 beside it (after a clean close).

    Nothing is sealed while a ``-wal`` file is left (its changes are not in the file yet) or
    when there is no database. A seal that cannot be written is logged, never raised: the
    records are safe, only this extra check is missing next time.

    Returns:
        True when a seal was written.
    """
    database = paths.database
    wal = database.with_name(database.name + "-wal")
    try:
        if not database.is_file() or wal.exists():
            break_seal(paths)
            return False
        size, sha256 = _measure(database)
        seal = json.dumps({"size": size, "sha256": sha256}).encode("utf-8")
        write_atomically(seal_path(paths), seal)
    except OSError as exc:
        log.warning("could not seal the database: %s", exc.__class__.__name__)
        return False
    return True


def break_seal(paths: ProfilePaths) -> None:
    """Remove the seal before anything writes: the database is about to change."""
    target = seal_path(paths)
    if target.exists():
        target.unlink()
        fsync_dir(target.parent)


def seal_problem(paths: ProfilePaths) -> str | None:
    """A plain sentence when the database changed since its last clean close, else None.

    No seal (a new profile, a crash, an older BackLog) is not a problem: there is nothing to
    compare with. An unreadable seal file is treated as no seal.
    """
    target = seal_path(paths)
    try:
        raw = json.loads(target.read_text(encoding="utf-8"))
        size, sha256 = int(raw["size"]), str(raw["sha256"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        log.warning("the database seal is unreadable; ignored")
        return None
    database = paths.database
    if not database.is_file():
        return f"The database file {database.name} is missing from {paths.root}."
    actual_size, actual_sha256 = _measure(database)
    if actual_size == size and actual_sha256 == sha256:
        return None
    return (
        f"The database in {paths.root} has changed since BackLog last closed it, so it is "
        "probably damaged. Nothing was changed. "
        f"Restore the latest backup from {paths.backups}, or open another profile."
    )


def check_seal(paths: ProfilePaths) -> None:
    """Raises ChangedDatabaseError when the database no longer matches its seal."""
    problem = seal_problem(paths)
    if problem is not None:
        log.error("the database does not match its seal")
        raise ChangedDatabaseError(problem)


def _measure(path: Path) -> tuple[int, str]:
    return path.stat().st_size, sha256_of(path)
