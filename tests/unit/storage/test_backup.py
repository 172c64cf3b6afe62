"""Backups: a consistent, self-contained copy of a live database, written atomically."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from backlog_app.storage.backup import backup_database, timestamped_name


def test_backup_includes_what_is_still_in_the_wal(tmp_path: Path) -> None:
    source = tmp_path / "live.sqlite3"
    live = sqlite3.connect(source)
    try:
        live.execute("PRAGMA journal_mode=WAL")
        live.execute("PRAGMA wal_autocheckpoint=0")  # keep the commit in the -wal file
        live.execute("CREATE TABLE t (x TEXT)")
        live.execute("INSERT INTO t VALUES ('committed')")
        live.commit()
        assert source.with_name("live.sqlite3-wal").stat().st_size > 0

        destination = tmp_path / "backups" / "copy.sqlite3"
        assert backup_database(source, destination) == destination
    finally:
        live.close()

    assert sorted(p.name for p in destination.parent.iterdir()) == ["copy.sqlite3"]
    copy = sqlite3.connect(destination)
    try:
        assert copy.execute("SELECT x FROM t").fetchall() == [("committed",)]
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        copy.close()


def test_backup_replaces_a_leftover_partial(tmp_path: Path) -> None:
    source = tmp_path / "live.sqlite3"
    connection = sqlite3.connect(source)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    destination = tmp_path / "copy.sqlite3"
    (tmp_path / "copy.sqlite3.partial").write_bytes(b"half a file from a crash")
    backup_database(source, destination)
    assert not (tmp_path / "copy.sqlite3.partial").exists()
    assert destination.read_bytes().startswith(b"SQLite format 3\x00")


def test_timestamped_name() -> None:
    moment = dt.datetime(2026, 11, 27, 5, 25, 39)
    assert timestamped_name("before-upgrade-0001", moment) == (
        "before-upgrade-0001-20261127-052539.sqlite3"
    )
    assert timestamped_name("x").startswith("x-")
