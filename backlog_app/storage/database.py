"""Opening the profile's SQLite database safely: checks first, pragmas on every connection."""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from backlog_app.errors import DamagedDatabaseError, DatabaseError, EncryptionUnavailableError
from backlog_app.storage.backup import fsync_dir
from backlog_app.storage.profile import ProfilePaths

log = logging.getLogger("backlog.storage")

BUSY_TIMEOUT_MS = 5000
_SQLITE_HEADER = b"SQLite format 3\x00"


def sqlite_module(*, encrypted: bool) -> Any:
    """The DB-API module for a plain (``sqlite3``) or an encrypted (``sqlcipher3``) database.

    Raises:
        EncryptionUnavailableError: encrypted, and this installation has no sqlcipher3.
    """
    if not encrypted:
        return sqlite3
    try:
        from sqlcipher3 import dbapi2
    except ImportError as exc:
        raise EncryptionUnavailableError(
            "This copy of BackLog cannot open encrypted profiles: the SQLCipher module "
            "(sqlcipher3) is not installed."
        ) from exc
    return dbapi2


def connect_sqlite(
    path: Path, *, key: bytes | None = None, read_only: bool = False, timeout: float = 5.0
) -> sqlite3.Connection:
    """A DB-API connection to ``path``; with ``key`` (32 raw bytes) through SQLCipher.

    The key is given as a raw key (``x'…'``), so SQLCipher skips its own passphrase
    derivation: ours (Argon2id) already ran. Encrypted connections keep temporary tables and
    sort files in memory, so no plaintext ever reaches a temporary file.
    """
    module = sqlite_module(encrypted=key is not None)
    # Pooled connections are handed between threads (the GUI opens a profile on a worker and
    # reads it on the GUI thread); the pool gives a connection to one thread at a time, as it
    # does for plain databases, where the pysqlite dialect turns this check off itself.
    if read_only:
        connection = module.connect(
            f"{path.as_uri()}?mode=ro", uri=True, timeout=timeout, check_same_thread=False
        )
    else:
        connection = module.connect(str(path), timeout=timeout, check_same_thread=False)
    if key is not None:
        connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        connection.execute("PRAGMA temp_store = MEMORY")
    return connection  # type: ignore[no-any-return]


def make_engine(
    path: Path, *, key: bytes | None = None, foreign_keys: bool = True, pooled: bool = True
) -> Engine:
    """An engine whose every connection uses WAL, synchronous=FULL, foreign keys and a busy timeout.

    Args:
        path: the database file.
        key: the SQLCipher key of an encrypted profile's database (None: a plain database).
        foreign_keys: off only for migrations, where SQLite's table rebuilds would otherwise
            cascade deletes; the migration checks the keys itself afterwards.
        pooled: False for short-lived engines (migrations, preflight) that must not keep files open.
    """
    options: dict[str, Any] = {} if pooled else {"poolclass": NullPool}
    if key is not None:
        # SQLAlchemy's pysqlite dialect over the sqlcipher3 module (same DB-API, same errors
        # wrapped); every pooled connection is keyed before anything else runs on it.
        options["module"] = sqlite_module(encrypted=True)
        options["creator"] = lambda: connect_sqlite(path, key=key, timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        options["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000}
    engine = create_engine(f"sqlite:///{path}", **options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module so that BEGIN covers reads and
        # DDL too (SQLAlchemy's documented recipe for pysqlite); see _on_begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode=WAL")
            # FULL: a commit that returned survives a power cut, which matters more than speed here.
            cursor.execute("PRAGMA synchronous=FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit, so services can copy them out."""
    return sessionmaker(engine, expire_on_commit=False)


def preflight(paths: ProfilePaths, key: bytes | None = None) -> None:
    """Read-only checks before anything writes to an existing database file.

    Raises:
        DamagedDatabaseError: not an SQLite file, or ``quick_check`` found damage.
    """
    path = paths.database
    if not path.exists():
        return
    size = path.stat().st_size
    if size == 0:
        # SQLite treats an empty file as a new database; it is ours to initialise.
        return
    with path.open("rb") as handle:
        header = handle.read(len(_SQLITE_HEADER))
    # An encrypted database has no readable header: SQLCipher's page HMACs find damage instead.
    if key is None and header != _SQLITE_HEADER:
        raise _damaged(paths, "the file is not an SQLite database")
    try:
        connection = connect_sqlite(path, key=key, read_only=True)
        try:
            rows = connection.execute("PRAGMA quick_check").fetchall()
        finally:
            connection.close()
    except sqlite_module(encrypted=key is not None).DatabaseError as exc:
        raise _damaged(paths, str(exc)) from exc
    results = [row[0] for row in rows]
    if results != ["ok"]:
        log.error("quick_check reported %d problem(s)", len(results))
        raise _damaged(paths, f"SQLite found {len(results)} problem(s)")


def is_plain_sqlite(path: Path) -> bool:
    """True when ``path`` starts with SQLite's plain header (an encrypted one looks random)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER
    except OSError:
        return False


def fold_wal(path: Path) -> None:
    """Fold a plain database's write-ahead log into the file and stop using one.

    Afterwards the file alone holds every committed change and no ``-wal``/``-shm`` file is
    left, so the file can be copied or converted on its own.
    """
    connection = connect_sqlite(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def export_encrypted(source: Path, destination: Path, key: bytes) -> Path:
    """Write an SQLCipher copy of the plain database ``source`` to ``destination`` under ``key``.

    Uses ``sqlcipher_export`` (every table, index, trigger and the search index), then copies
    the schema version SQLite keeps in the header. Written to a temporary name, checked
    (``quick_check`` with the key) and flushed to disk before the rename. ``source`` is not
    changed; fold its WAL first (``fold_wal``), as only the main file is read.

    Raises:
        DamagedDatabaseError: the encrypted copy does not pass ``quick_check``.
    """
    partial = destination.with_name(destination.name + ".encrypting")
    for suffix in ("", "-journal", "-wal", "-shm"):
        partial.with_name(partial.name + suffix).unlink(missing_ok=True)
    module = sqlite_module(encrypted=True)
    connection = module.connect(str(source))
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        # The path is ours (the profile folder), but quote it as SQL requires anyway.
        target = str(partial).replace("'", "''")
        connection.execute(f"ATTACH DATABASE '{target}' AS encrypted KEY \"x'{key.hex()}'\"")
        # A scratch file, flushed and checked before it replaces anything: without a journal
        # and per-statement syncs the export takes milliseconds instead of seconds.
        connection.execute("PRAGMA encrypted.synchronous = OFF")
        connection.execute("PRAGMA encrypted.journal_mode = OFF")
        connection.execute("SELECT sqlcipher_export('encrypted')")
        connection.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        connection.execute("DETACH DATABASE encrypted")
    finally:
        connection.close()
    check = connect_sqlite(partial, key=key)
    try:
        rows = [row[0] for row in check.execute("PRAGMA quick_check").fetchall()]
    finally:
        check.close()
    if rows != ["ok"]:
        partial.unlink(missing_ok=True)
        raise DamagedDatabaseError(
            "The encrypted copy of the database did not pass its check; nothing was changed."
        )
    with partial.open("r+b") as handle:  # Windows refuses fsync on a read-only handle
        os.fsync(handle.fileno())
    partial.replace(destination)
    fsync_dir(destination.parent)
    return destination


def current_revision(path: Path, key: bytes | None = None) -> str | None:
    """The Alembic revision recorded in the database file, read without writing anything."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    connection = connect_sqlite(path, key=key, read_only=True)
    try:
        has_table = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if not has_table:
            tables = connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='table'"
            ).fetchone()[0]
            if tables:
                raise DatabaseError(
                    f"{path} is an SQLite database, but not one BackLog made. "
                    "Choose another profile folder; nothing was changed."
                )
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    except sqlite_module(encrypted=key is not None).DatabaseError as exc:
        raise DamagedDatabaseError(f"BackLog could not read {path}: {exc}.") from exc
    finally:
        connection.close()


def _damaged(paths: ProfilePaths, detail: str) -> DamagedDatabaseError:
    return DamagedDatabaseError(
        f"The database in {paths.root} is damaged ({detail}). Nothing was changed. "
        f"Restore a backup from {paths.backups}, or open another profile."
    )
