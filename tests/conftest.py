"""Shared fixtures: every test runs with its own settings, data folders and profile."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt aborts the whole process when it finds no display, so choose the offscreen platform before
# anything (pytest-qt, a UI test) imports Qt. Set here, at import time, on purpose.
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ["QT_QPA_PLATFORM"] = "offscreen"

from backlog_app.logging_setup import configure_logging
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.services.demo import create_demo

# Every profile in the tests lives on this day, so ages, deadlines and next steps are fixed.
TODAY = dt.date(2026, 11, 27)

_ISOLATED_DIRS = {
    "BACKLOG_CONFIG_DIR": "config-backlog",
    "HOME": "home",
    "XDG_DATA_HOME": "xdg-data",
    "XDG_CONFIG_HOME": "xdg-config",
    "XDG_STATE_HOME": "xdg-state",
    "XDG_CACHE_HOME": "xdg-cache",
}


def fixed_clock() -> dt.date:
    """The clock handed to every test profile."""
    return TODAY


@pytest.fixture(autouse=True)
def isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Point every place BackLog could read or write user data at a fresh temporary folder.

    Returns:
        The folder holding the fake home, config and data directories.
    """
    base = tmp_path_factory.mktemp("env")
    for variable, name in _ISOLATED_DIRS.items():
        folder = base / name
        folder.mkdir()
        monkeypatch.setenv(variable, str(folder))
    monkeypatch.delenv("BACKLOG_PROFILE", raising=False)
    yield base
    # Opening a profile moves the log file into it; let go of that file between tests.
    configure_logging(None)


@pytest.fixture
def today() -> dt.date:
    """The date every test profile's clock returns."""
    return TODAY


@pytest.fixture
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """New passphrases use cheap Argon2id parameters (the 64 MiB floor is for real profiles)."""
    from backlog_app.storage import encryption
    from backlog_app.storage.crypto import KdfParams, new_salt

    monkeypatch.setattr(encryption, "tune_kdf", lambda: KdfParams(new_salt(), 1024, 1, 1))


@pytest.fixture
def profile_dir(tmp_path: Path) -> Path:
    """Where a test's profile goes; the folder does not exist yet."""
    return tmp_path / "profile"


@pytest.fixture
def profile(profile_dir: Path) -> Iterator[ProfileSession]:
    """A new, empty, open profile whose clock says 2026-11-27."""
    session = open_profile(profile_dir, create=True, clock=fixed_clock)
    try:
        yield session
    finally:
        session.close()


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo profile's database, made once per test run (about 100 tests start from it)."""
    root = tmp_path_factory.mktemp("demo-template") / "profile"
    session = open_profile(root, create=True, clock=fixed_clock)
    try:
        create_demo(session)
    finally:
        session.close()  # the last connection closing folds the WAL into the file
    configure_logging(None)
    return root / "backlog.sqlite3"


@pytest.fixture
def demo_profile(tmp_path: Path, demo_database: Path) -> Iterator[ProfileSession]:
    """An open profile holding the demo patient, plans, providers, log and documents (2026-11-27).

    Each test gets its own copy of the demo database, so tests cannot affect each other.
    """
    root = tmp_path / "demo-profile"
    root.mkdir()
    shutil.copyfile(demo_database, root / "backlog.sqlite3")
    # The demo's documents: their files live in the vault beside the database.
    shutil.copytree(demo_database.parent / "vault", root / "vault")
    session = open_profile(root, create=False, clock=fixed_clock)
    try:
        yield session
    finally:
        session.close()
