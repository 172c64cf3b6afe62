"""The database seal: a closed database that changed outside BackLog is found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backlog_app.errors import DamagedDatabaseError
from backlog_app.services import context
from backlog_app.services.context import open_profile
from backlog_app.storage import seal
from backlog_app.storage.profile import ProfilePaths
from backlog_app.storage.seal import (
    ChangedDatabaseError,
    break_seal,
    check_seal,
    seal_database,
    seal_path,
    seal_problem,
)


@pytest.fixture
def closed(profile_dir: Path) -> ProfilePaths:
    """A new profile, closed (its WAL folded into the database file)."""
    open_profile(profile_dir, create=True).close()
    return ProfilePaths(profile_dir)


def flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_sealed_unchanged_database_passes(closed: ProfilePaths) -> None:
    assert seal_database(closed)
    raw = json.loads(seal_path(closed).read_text())
    assert raw["size"] == closed.database.stat().st_size
    assert len(raw["sha256"]) == 64
    assert seal_problem(closed) is None
    check_seal(closed)


@pytest.mark.parametrize("offset", [0, 100, 4096 + 7, -1])
def test_one_flipped_bit_anywhere_breaks_the_seal(closed: ProfilePaths, offset: int) -> None:
    seal_database(closed)
    flip(closed.database, offset)
    problem = seal_problem(closed)
    assert problem is not None
    assert "has changed since BackLog last closed it" in problem
    assert str(closed.backups) in problem
    with pytest.raises(ChangedDatabaseError) as raised:
        check_seal(closed)
    assert isinstance(raised.value, DamagedDatabaseError)
    assert raised.value.message == problem


def test_a_longer_file_breaks_the_seal(closed: ProfilePaths) -> None:
    seal_database(closed)
    with closed.database.open("ab") as handle:
        handle.write(b"\x00")
    assert seal_problem(closed) is not None


def test_no_seal_is_no_problem(closed: ProfilePaths) -> None:
    seal_database(closed)
    break_seal(closed)
    assert not seal_path(closed).exists()
    flip(closed.database, 200)
    assert seal_problem(closed) is None
    break_seal(closed)  # twice is fine


def test_no_seal_while_a_wal_file_is_left(closed: ProfilePaths) -> None:
    seal_database(closed)
    wal = closed.database.with_name(closed.database.name + "-wal")
    wal.write_bytes(b"pending changes")
    assert not seal_database(closed)
    assert not seal_path(closed).exists()  # an old seal would be wrong too


def test_an_unreadable_seal_is_ignored(closed: ProfilePaths) -> None:
    seal_path(closed).write_text("{not json")
    assert seal_problem(closed) is None


def test_a_missing_database_with_a_seal_is_reported(closed: ProfilePaths) -> None:
    seal_database(closed)
    closed.database.unlink()
    assert "missing" in (seal_problem(closed) or "")


def test_a_seal_that_cannot_be_removed_is_not_raised(
    closed: ProfilePaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    seal_database(closed)
    closed.database.with_name(closed.database.name + "-wal").write_bytes(b"pending changes")

    def disk_gone(_folder: Path) -> None:
        raise OSError("the disk went away")

    monkeypatch.setattr(seal, "fsync_dir", disk_gone)
    assert not seal_database(closed)  # logged, never raised


def test_closing_releases_the_lock_when_sealing_fails(
    profile_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = open_profile(profile_dir, create=True)

    def broken_seal(_paths: ProfilePaths) -> bool:
        raise RuntimeError("sealing broke")

    monkeypatch.setattr(context, "seal_database", broken_seal)
    session.close()  # a failed seal is logged, not raised
    monkeypatch.undo()
    open_profile(profile_dir, create=False).close()  # the lock was released


def test_closing_releases_the_lock_when_the_database_does_not_close(
    profile_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = open_profile(profile_dir, create=True)
    close_engine = session.database.close

    def stuck() -> None:
        close_engine()
        raise RuntimeError("the engine would not close")

    monkeypatch.setattr(session.database, "close", stuck)
    with pytest.raises(RuntimeError):
        session.close()
    open_profile(profile_dir, create=False).close()  # the lock was released


def test_opening_releases_the_lock_when_a_service_fails(
    profile_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_profile(profile_dir, create=True).close()

    def broken_service(*_args: object) -> None:
        raise RuntimeError("a service could not be built")

    monkeypatch.setattr(context, "CostService", broken_service)
    with pytest.raises(RuntimeError):
        open_profile(profile_dir, create=False)
    monkeypatch.undo()
    open_profile(profile_dir, create=False).close()  # the lock was released
