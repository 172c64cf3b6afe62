"""Bringing a database to the current schema with Alembic, after a backup, refusing newer ones."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text

from backlog_app.errors import DatabaseError, NewerDatabaseError
from backlog_app.storage.backup import backup_database, timestamped_name
from backlog_app.storage.database import current_revision, make_engine
from backlog_app.storage.profile import ProfilePaths

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

log = logging.getLogger("backlog.storage")

SCRIPT_LOCATION = Path(__file__).with_name("alembic")
# The newest revision in alembic/versions. Opening an up-to-date database compares against this
# and never imports Alembic (~0.2-0.3 s at every start); a test keeps it equal to Alembic's head.
HEAD_REVISION = "0005"


def alembic_config(script_location: Path = SCRIPT_LOCATION) -> Config:
    """An Alembic configuration that needs no alembic.ini."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location))
    return config


def head_revision(script_location: Path = SCRIPT_LOCATION) -> str:
    """Alembic's own idea of the newest revision (reads the version scripts)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(script_location)).get_current_head()
    assert head is not None, "the migration history is empty"
    return head


def upgrade_database(
    paths: ProfilePaths, *, key: bytes | None = None, script_location: Path = SCRIPT_LOCATION
) -> Path | None:
    """Create or upgrade the profile's database to the newest schema this BackLog knows.

    An existing database is first copied into ``backups/`` with SQLite's backup API. A database
    from a newer BackLog is refused and left exactly as it was.

    Returns:
        The pre-upgrade backup, or None when nothing had to be backed up.

    Raises:
        NewerDatabaseError: the database has a revision this version does not know.
    """
    current = current_revision(paths.database, key)
    if current == HEAD_REVISION and script_location == SCRIPT_LOCATION:
        return None
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config(script_location)
    script = ScriptDirectory.from_config(config)
    head = script.get_current_head()
    if current == head:
        return None
    if current is not None and _unknown(script, current):
        raise NewerDatabaseError(
            f"The records in {paths.root} were saved by a newer version of BackLog. "
            "Install the newest BackLog to open them; nothing was changed."
        )
    backup = None
    if current is not None:
        backup = backup_database(
            paths.database,
            paths.backups / timestamped_name(f"before-upgrade-{current}"),
            key=key,
        )
        log.info("backed up the database before upgrading from %s to %s", current, head)
    engine = make_engine(paths.database, key=key, foreign_keys=False, pooled=False)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            problems = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
            if problems:
                # Raising inside begin() rolls the whole upgrade back.
                raise DatabaseError(
                    "Upgrading the database would break links between records, so it was "
                    f"undone. Please report this; your backup is {backup}."
                )
    finally:
        engine.dispose()
    log.info("database schema is at %s", head)
    return backup


def _unknown(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is None
    except Exception:  # alembic raises several kinds for an unknown id
        return True
