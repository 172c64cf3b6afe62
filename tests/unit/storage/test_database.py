"""Opening the database: pragmas on every connection, and read-only checks before any write."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from backlog_app.errors import DamagedDatabaseError, DatabaseError, NewerDatabaseError
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.storage.database import current_revision, make_engine, preflight
from backlog_app.storage.migrations import HEAD_REVISION
from backlog_app.storage.models import Provider
from backlog_app.storage.profile import DATABASE_NAME, ProfilePaths, prepare_profile_dir


def fingerprint(path: Path) -> tuple[str, bytes]:
    """The database's hash and its -wal file's bytes (a missing -wal counts as empty)."""
    wal = path.with_name(path.name + "-wal")
    return hashlib.sha256(path.read_bytes()).hexdigest(), wal.read_bytes() if wal.exists() else b""


def pragmas(connection: sqlite3.Connection) -> dict[str, object]:
    return {
        name: connection.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
    }


EXPECTED = {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 5000}


def engine_pragmas(engine: Engine) -> dict[str, object]:
    with engine.connect() as connection:
        return pragmas(connection.connection.dbapi_connection)  # type: ignore[arg-type]


def test_every_connection_gets_the_pragmas(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "test.sqlite3")
    try:
        # Hold several connections at once so the pool must open new ones.
        connections = [engine.connect() for _ in range(3)]
        try:
            for connection in connections:
                raw = connection.connection.dbapi_connection
                assert pragmas(raw) == EXPECTED  # type: ignore[arg-type]
        finally:
            for connection in connections:
                connection.close()
        assert engine_pragmas(engine) == EXPECTED
    finally:
        engine.dispose()


def test_unpooled_engine_gets_the_pragmas(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "test.sqlite3", pooled=False)
    try:
        for _ in range(2):
            assert engine_pragmas(engine) == EXPECTED
    finally:
        engine.dispose()


def test_migration_engine_has_foreign_keys_off(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "test.sqlite3", foreign_keys=False, pooled=False)
    try:
        assert engine_pragmas(engine) == {**EXPECTED, "foreign_keys": 0}
    finally:
        engine.dispose()


def test_profile_connections_get_the_pragmas(profile: ProfileSession) -> None:
    assert engine_pragmas(profile.database.engine) == EXPECTED
    with profile.database.write() as session:
        raw = session.connection().connection.dbapi_connection
        assert pragmas(raw) == EXPECTED  # type: ignore[arg-type]


def test_writes_are_transactional(tmp_path: Path) -> None:
    """BEGIN is issued by us, so a failed unit of work leaves nothing behind."""
    engine = make_engine(tmp_path / "test.sqlite3")
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
        with pytest.raises(RuntimeError), engine.begin() as connection:
            connection.execute(text("INSERT INTO t VALUES (1)"))
            raise RuntimeError("stop")
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM t")).scalar() == 0
    finally:
        engine.dispose()


# -- preflight and current_revision ------------------------------------------------------------


def test_preflight_accepts_a_missing_or_empty_database(tmp_path: Path) -> None:
    paths = prepare_profile_dir(tmp_path / "p")
    preflight(paths)
    paths.database.touch()
    preflight(paths)
    assert current_revision(paths.database) is None


def test_preflight_accepts_a_healthy_database(demo_profile: ProfileSession) -> None:
    preflight(demo_profile.paths)
    assert current_revision(demo_profile.paths.database) == HEAD_REVISION


@pytest.mark.parametrize(
    "content",
    [
        os.urandom(8192),
        b"SQLite format 2\x00" + bytes(4080),
        b"%PDF-1.7\n" + bytes(5000),
        b"x",
    ],
    ids=["random", "wrong-header", "pdf", "one-byte"],
)
def test_not_a_database_is_damaged(tmp_path: Path, content: bytes) -> None:
    root = tmp_path / "p"
    root.mkdir()
    database = root / DATABASE_NAME
    database.write_bytes(content)
    before = fingerprint(database)
    with pytest.raises(DamagedDatabaseError, match="is damaged") as info:
        preflight(ProfilePaths(root))
    assert str(root / "backups") in info.value.message
    with pytest.raises(DamagedDatabaseError):
        open_profile(root, create=False)
    with pytest.raises(DamagedDatabaseError):
        open_profile(root, create=True)
    assert fingerprint(database) == before


def make_big_profile(root: Path) -> Path:
    """A BackLog database of many pages (so the middle ones hold records), closed cleanly."""
    with open_profile(root, create=True) as profile, profile.database.write() as session:
        for number in range(300):
            session.add(Provider(name=f"Provider {number}", role="other", notes="n" * 400))
    # Reopening and closing leaves the -wal file empty: everything is in the main file.
    with open_profile(root, create=False):
        pass
    return root / DATABASE_NAME


def test_flipped_bytes_in_the_middle_are_damage(tmp_path: Path) -> None:
    root = tmp_path / "p"
    database = make_big_profile(root)
    data = bytearray(database.read_bytes())
    assert len(data) > 40 * 4096
    middle = len(data) // 2 // 4096 * 4096
    for offset in range(middle - 4096, middle + 2 * 4096):
        data[offset] ^= 0xA5
    database.write_bytes(bytes(data))
    before = fingerprint(database)
    with pytest.raises(DamagedDatabaseError, match="is damaged"):
        preflight(ProfilePaths(root))
    with pytest.raises(DamagedDatabaseError):
        open_profile(root, create=False)
    assert fingerprint(database) == before
    assert not list((root / "backups").iterdir())


def test_truncated_database_is_damaged(tmp_path: Path) -> None:
    root = tmp_path / "p"
    database = make_big_profile(root)
    database.write_bytes(database.read_bytes()[: 10 * 4096])
    before = fingerprint(database)
    with pytest.raises(DamagedDatabaseError):
        open_profile(root, create=False)
    assert fingerprint(database) == before


def test_database_not_made_by_backlog_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    database = root / DATABASE_NAME
    connection = sqlite3.connect(database)
    connection.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)")
    connection.execute("INSERT INTO recipes (title) VALUES ('Pancakes')")
    connection.commit()
    connection.close()
    before = fingerprint(database)
    with pytest.raises(DatabaseError, match="not one BackLog made") as info:
        open_profile(root, create=True)
    assert not isinstance(info.value, DamagedDatabaseError | NewerDatabaseError)
    with pytest.raises(DatabaseError, match="not one BackLog made"):
        current_revision(database)
    assert fingerprint(database) == before
    assert not list((root / "backups").iterdir())
