"""Bringing a database to the current schema with Alembic, after a backup, refusing newer ones.

An upgrade runs as one SQLite transaction, so SQLite alone undoes a failed or killed one. BackLog
does not rely on that alone (a migration may commit part-way, a file system may misbehave):

1. the database is copied into ``backups/`` with SQLite's backup API;
2. its file is brought to a settled state (WAL mode, WAL folded in) and its SHA-256 noted in a
   marker file beside it, ``backlog.sqlite3.upgrading``, naming the backup;
3. the upgrade runs; on success the marker is removed.

When the upgrade raises, or at the next start after the process died (the marker is still
there), the database is checked: the very same bytes as before, or a complete and intact
upgrade, stay; anything else is replaced by the backup. So an interrupted upgrade always leaves
the database exactly as it was before, or fully upgraded.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from backlog_app.errors import DatabaseError, NewerDatabaseError
from backlog_app.storage.backup import (
    backup_database,
    fsync_dir,
    timestamped_name,
    write_atomically,
)
from backlog_app.storage.database import (
    connect_sqlite,
    current_revision,
    make_engine,
    sqlite_module,
)
from backlog_app.storage.profile import ProfilePaths
from backlog_app.storage.vault import sha256_of

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

log = logging.getLogger("backlog.storage")

SCRIPT_LOCATION = Path(__file__).with_name("alembic")
# The newest revision in alembic/versions. Opening an up-to-date database compares against this
# and never imports Alembic (~0.2-0.3 s at every start); a test keeps it equal to Alembic's head.
HEAD_REVISION = "0005"

UPGRADE_MARKER_SUFFIX = ".upgrading"
_RESTORING_SUFFIX = ".restoring"
# Files SQLite keeps beside a database. After a restore they belong to the replaced file and
# must go first: a stale WAL would otherwise be replayed onto the restored copy.
_SIDE_FILE_SUFFIXES = ("-wal", "-shm", "-journal")


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


@dataclass(frozen=True, slots=True)
class UpgradeMarker:
    """What an upgrade in progress started from; written before the first schema change."""

    from_revision: str
    to_revision: str
    backup: str  # the backup's file name in the profile's backups/ folder
    size: int  # the settled database file's size and SHA-256 before the upgrade
    sha256: str
    encrypted: bool  # whether the database (and so its backup) was an SQLCipher one


def upgrade_marker_path(paths: ProfilePaths) -> Path:
    """Where the marker of an upgrade in progress lives (beside the database)."""
    return paths.database.with_name(paths.database.name + UPGRADE_MARKER_SUFFIX)


def upgrade_database(
    paths: ProfilePaths, *, key: bytes | None = None, script_location: Path = SCRIPT_LOCATION
) -> Path | None:
    """Create or upgrade the profile's database to the newest schema this BackLog knows.

    An existing database is first copied into ``backups/`` with SQLite's backup API. A database
    from a newer BackLog is refused and left exactly as it was. An upgrade that fails, or that a
    crash interrupted earlier, leaves the database as it was before (see the module docstring).

    Args:
        paths: the profile.
        key: the SQLCipher key of an encrypted profile's database (None: a plain database).
        script_location: the Alembic scripts (tests use copies with extra revisions).

    Returns:
        The pre-upgrade backup, or None when nothing had to be backed up.

    Raises:
        NewerDatabaseError: the database has a revision this version does not know.
        DatabaseError: the upgrade failed; the database is as it was before.
    """
    recover_interrupted_upgrade(paths, key=key)
    current = current_revision(paths.database, key)
    if current == HEAD_REVISION and script_location == SCRIPT_LOCATION:
        return None
    from alembic.script import ScriptDirectory

    config = alembic_config(script_location)
    script = ScriptDirectory.from_config(config)
    head = script.get_current_head()
    assert head is not None, "the migration history is empty"
    if current == head:
        return None
    if current is not None and _unknown(script, current):
        raise NewerDatabaseError(
            f"The records in {paths.root} were saved by a newer version of BackLog. "
            "Install the newest BackLog to open them; nothing was changed."
        )
    if current is None:
        # A new database: nothing to keep, and SQLite rolls a failed creation back.
        try:
            _run_upgrade(paths, key, config, backup=None)
        except Exception as exc:
            if isinstance(exc, DatabaseError):
                raise
            log.error("creating the database failed: %s", type(exc).__name__)
            raise DatabaseError(
                f"BackLog could not set up a new database in {paths.root}. Check that the disk "
                "has free space, then try again; please report this if it keeps happening."
            ) from exc
        log.info("database created at schema %s", head)
        return None

    marker = _prepare_upgrade(paths, key, current, head)
    backup = paths.backups / marker.backup
    log.info("backed up the database before upgrading from %s to %s", current, head)
    try:
        _run_upgrade(paths, key, config, backup=backup)
    except BaseException as exc:
        # The class only: a migration's error text may quote records.
        log.error("upgrade from %s to %s failed: %s", current, head, type(exc).__name__)
        outcome = _put_back(paths, key, marker, accept_upgraded=False)
        log.warning("after the failed upgrade the database was %s", outcome)
        if isinstance(exc, DatabaseError) or not isinstance(exc, Exception):
            raise
        raise DatabaseError(
            "BackLog could not update the database to this version, so it was left exactly "
            f"as it was. Your records are safe; please report this problem (a copy is in {backup})."
        ) from exc
    _remove_marker(paths)
    log.info("database schema is at %s", head)
    return backup


def recover_interrupted_upgrade(paths: ProfilePaths, *, key: bytes | None = None) -> str | None:
    """Finish the story of an upgrade the process did not live to finish (a marker is there).

    Call before anything else reads or writes the database. Only SQLite is used (no Alembic), so
    opening a current profile stays fast.

    Returns:
        None when no upgrade was interrupted; else what the database was found to be:
        "unchanged" (SQLite undid the upgrade), "upgraded" (it had committed completely) or
        "restored" (it was neither, and the pre-upgrade backup replaced it).

    Raises:
        DatabaseError: the database was not intact and the backup could not be put back; the
            marker stays, so the next start tries again.
    """
    marker_path = upgrade_marker_path(paths)
    if not marker_path.exists():
        return None
    marker = _read_marker(marker_path)
    if marker is None or marker.encrypted != (key is not None):
        # Written atomically, so unreadable means someone else's hand; and a profile encrypted
        # since then must not get its plaintext backup back. SQLite's own rollback is all there
        # is to rely on. Keep the file aside for a report rather than deleting it.
        log.warning("an unreadable or outdated upgrade marker was set aside")
        marker_path.replace(marker_path.with_name(marker_path.name + ".unusable"))
        return None
    log.warning("an upgrade from %s was interrupted", marker.from_revision)
    outcome = _put_back(paths, key, marker, accept_upgraded=True)
    log.warning("after the interrupted upgrade the database was %s", outcome)
    return outcome


def _run_upgrade(
    paths: ProfilePaths, key: bytes | None, config: Config, *, backup: Path | None
) -> None:
    """Run every pending migration in one transaction, with a foreign key check before commit."""
    from alembic import command

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


def _prepare_upgrade(
    paths: ProfilePaths, key: bytes | None, current: str, head: str
) -> UpgradeMarker:
    """Back up, settle and measure the database, then write the marker; no schema change yet.

    Raises:
        DatabaseError: any of it failed (a full or read-only disk); the records are unchanged.
    """
    destination = paths.backups / timestamped_name(f"before-upgrade-{current}")
    try:
        backup = backup_database(paths.database, destination, key=key)
        size, sha256 = _settle_and_fingerprint(paths.database, key)
        marker = UpgradeMarker(current, head, backup.name, size, sha256, key is not None)
        _write_marker(paths, marker)
    except (OSError, sqlite_module(encrypted=key is not None).Error) as exc:
        log.error("preparing the upgrade failed: %s", type(exc).__name__)
        raise DatabaseError(
            f"BackLog could not save a safety copy of the database in {paths.backups} before "
            "updating it, so nothing was changed. Check that the disk has free space and that "
            "the folder can be written to, then try again."
        ) from exc
    return marker


def _settle_and_fingerprint(database: Path, key: bytes | None) -> tuple[int, str]:
    """Put the file in WAL mode with nothing in its WAL, then measure it.

    The upgrade's own connection switches to WAL anyway; doing it here, before the fingerprint,
    means a rolled-back upgrade leaves exactly these bytes behind.
    """
    connection = connect_sqlite(database, key=key)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    return _fingerprint(database)


@dataclass(frozen=True, slots=True)
class _Found:
    """What a database file holds after its WAL was folded in."""

    revision: str | None
    intact: bool  # integrity_check ok and no broken foreign key


def _examine(database: Path, key: bytes | None) -> _Found | None:
    """Fold any committed WAL into the file and check it; None when SQLite cannot read it."""
    module = sqlite_module(encrypted=key is not None)
    try:
        connection = connect_sqlite(database, key=key)
        try:
            busy = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            if busy:  # someone else holds the file: nothing can be proven about it
                return None
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            integrity = [r[0] for r in connection.execute("PRAGMA integrity_check")]
            broken_links = connection.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            connection.close()
    except module.Error as exc:
        log.warning("the database could not be examined: %s", type(exc).__name__)
        return None
    return _Found(str(row[0]) if row else None, integrity == ["ok"] and not broken_links)


def _put_back(
    paths: ProfilePaths, key: bytes | None, marker: UpgradeMarker, *, accept_upgraded: bool
) -> str:
    """Make sure the database is as before the upgrade (or, if accepted, fully upgraded).

    Returns:
        "unchanged", "upgraded" or "restored".
    """
    found = _examine(paths.database, key)
    if found is not None and _fingerprint(paths.database) == (marker.size, marker.sha256):
        outcome = "unchanged"
    elif (
        accept_upgraded
        and found is not None
        and found.intact
        and found.revision == marker.to_revision
    ):
        # The commit had gone through; only removing the marker was left to do.
        outcome = "upgraded"
    else:
        _restore_backup(paths, key, paths.backups / marker.backup, marker.from_revision)
        outcome = "restored"
    _remove_marker(paths)
    return outcome


def _restore_backup(paths: ProfilePaths, key: bytes | None, backup: Path, revision: str) -> None:
    """Atomically replace the database with a checked copy of ``backup``.

    Raises:
        DatabaseError: the backup is missing, damaged or not the expected one; nothing changed.
    """
    database = paths.database
    staging = database.with_name(database.name + _RESTORING_SUFFIX)
    problem = DatabaseError(
        "BackLog could not finish updating the database, and could not put back the copy it "
        f"made before: {backup} is missing or damaged. Nothing was deleted; please report this."
    )
    if not backup.is_file():
        log.error("the pre-upgrade backup is missing")
        raise problem
    try:
        staging.unlink(missing_ok=True)
        shutil.copyfile(backup, staging)
        with staging.open("r+b") as handle:  # Windows refuses fsync on a read-only handle
            os.fsync(handle.fileno())
        found = _examine(staging, key)
        if found is None or not found.intact or found.revision != revision:
            log.error("the pre-upgrade backup did not pass its checks")
            raise problem
        _keep_aside(database, paths.backups, revision)
        for suffix in _SIDE_FILE_SUFFIXES:
            database.with_name(database.name + suffix).unlink(missing_ok=True)
        staging.replace(database)
        fsync_dir(database.parent)
    except OSError as exc:
        log.error("restoring the pre-upgrade backup failed: %s", type(exc).__name__)
        raise problem from exc
    finally:
        staging.unlink(missing_ok=True)
        # _examine may have left the staging copy's own side files.
        for suffix in _SIDE_FILE_SUFFIXES:
            staging.with_name(staging.name + suffix).unlink(missing_ok=True)
    log.warning("the database was restored from its pre-upgrade backup")


def _keep_aside(database: Path, folder: Path, revision: str) -> None:
    """Keep the file about to be replaced, with its WAL, in backups/ (BackLog deletes no database).

    Normally it holds nothing the backup lacks (no record is written during an upgrade); this is
    for the odd case where it does. Hard links cost no space or time; a copy is the fallback.
    Best effort: failing to keep it never stops the restore.
    """
    aside = folder / timestamped_name(f"interrupted-upgrade-{revision}")
    try:
        for suffix in ("", "-wal"):
            source = database.with_name(database.name + suffix)
            if not source.exists():
                continue
            target = aside.with_name(aside.name + suffix)
            target.unlink(missing_ok=True)
            try:
                os.link(source, target)
            except OSError:
                shutil.copyfile(source, target)
    except OSError as exc:
        log.warning("the interrupted database could not be kept aside: %s", type(exc).__name__)


def _fingerprint(path: Path) -> tuple[int, str]:
    return path.stat().st_size, sha256_of(path)


def _write_marker(paths: ProfilePaths, marker: UpgradeMarker) -> None:
    """Write the marker atomically and durably: it must exist before the first schema change."""
    write_atomically(upgrade_marker_path(paths), json.dumps(asdict(marker)).encode("utf-8"))


def _read_marker(path: Path) -> UpgradeMarker | None:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        return UpgradeMarker(
            from_revision=str(data["from_revision"]),
            to_revision=str(data["to_revision"]),
            backup=Path(str(data["backup"])).name,  # a name inside backups/, nothing else
            size=int(data["size"]),
            sha256=str(data["sha256"]),
            encrypted=bool(data["encrypted"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _remove_marker(paths: ProfilePaths) -> None:
    upgrade_marker_path(paths).unlink(missing_ok=True)
    fsync_dir(paths.root)


def _unknown(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is None
    except Exception:  # alembic raises several kinds for an unknown id
        return True
