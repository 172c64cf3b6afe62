"""The profile folder: its layout, the write check, and the lock that keeps a second BackLog out."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from backlog_app.errors import DamagedDatabaseError, ProfileError, ProfileLockedError
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.storage.profile import (
    PROFILE_ENV_VAR,
    ProfileLock,
    ProfilePaths,
    default_profile_dir,
    prepare_profile_dir,
    profile_dir_from,
)


def test_prepare_creates_the_layout(tmp_path: Path) -> None:
    root = tmp_path / "a" / "b" / "profile"
    paths = prepare_profile_dir(root)
    assert paths == ProfilePaths(root)
    for folder in (root, paths.vault, paths.thumbnails, paths.backups, paths.logs):
        assert folder.is_dir()
    assert paths.database == root / "backlog.sqlite3"
    assert not paths.has_database()
    # Preparing twice is harmless and leaves no trace of the write check.
    prepare_profile_dir(root)
    assert sorted(p.name for p in root.iterdir()) == ["backups", "logs", "thumbnails", "vault"]


def test_prepare_refuses_a_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a folder")
    with pytest.raises(ProfileError, match="is a file, not a folder"):
        prepare_profile_dir(path)
    assert path.read_text() == "not a folder"


def test_prepare_refuses_a_folder_it_cannot_create(tmp_path: Path) -> None:
    # Works even as root: nothing can create a folder inside a regular file.
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    with pytest.raises(ProfileError, match="cannot write to") as info:
        prepare_profile_dir(blocker / "profile")
    assert "Choose a folder you can write to." in info.value.message


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can write to any folder"
)
def test_prepare_refuses_a_read_only_folder(tmp_path: Path) -> None:
    root = tmp_path / "read-only"
    prepare_profile_dir(root)
    root.chmod(0o500)
    try:
        with pytest.raises(ProfileError, match="cannot write to"):
            prepare_profile_dir(root)
    finally:
        root.chmod(0o700)


def test_open_profile_without_create_needs_a_database(profile_dir: Path) -> None:
    with pytest.raises(ProfileError, match="There is no BackLog profile"):
        open_profile(profile_dir, create=False)
    assert not profile_dir.exists()  # nothing was created


def test_open_profile_on_a_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_text("x")
    with pytest.raises(ProfileError):
        open_profile(path, create=True)


def test_second_open_is_locked_out(profile: ProfileSession) -> None:
    root = profile.paths.root
    with pytest.raises(ProfileLockedError, match="already open in another BackLog window"):
        open_profile(root, create=False)
    with pytest.raises(ProfileLockedError):
        open_profile(root, create=True)
    # The refused attempts did not take the lock away from the first session.
    assert profile.patient.get() is None
    with pytest.raises(ProfileLockedError):
        open_profile(root, create=False)


def test_profile_reopens_after_close(profile_dir: Path) -> None:
    first = open_profile(profile_dir, create=True)
    first.close()
    second = open_profile(profile_dir, create=False)
    try:
        with pytest.raises(ProfileLockedError):
            open_profile(profile_dir, create=False)
    finally:
        second.close()
    with open_profile(profile_dir, create=False):
        pass


def test_lock_is_released_when_opening_fails(tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "backlog.sqlite3").write_bytes(b"garbage" * 100)
    lock = ProfileLock(ProfilePaths(root))
    for _ in range(2):
        with pytest.raises(DamagedDatabaseError):
            open_profile(root, create=False)
        lock.acquire()  # would raise ProfileLockedError if open_profile had kept the lock
        lock.release()


def test_lock_context_manager(tmp_path: Path) -> None:
    paths = prepare_profile_dir(tmp_path / "p")
    with ProfileLock(paths), pytest.raises(ProfileLockedError):
        ProfileLock(paths).acquire()
    with ProfileLock(paths):
        pass


_HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from backlog_app.services.context import open_profile

    with open_profile(Path(sys.argv[1]), create=True):
        print("open", flush=True)
        sys.stdin.readline()  # hold the profile until the parent says so
    print("closed", flush=True)
    """
)


def test_another_process_holding_the_profile_locks_it(profile_dir: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(profile_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline().strip() == "open"
        with pytest.raises(ProfileLockedError, match="already open"):
            open_profile(profile_dir, create=False)
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "closed"
        assert child.wait(timeout=60) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    with open_profile(profile_dir, create=False):
        pass


def test_a_killed_process_leaves_no_lock(profile_dir: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(profile_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "open"
    finally:
        child.kill()
        child.wait()
    with open_profile(profile_dir, create=False):
        pass


def test_profile_dir_from(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert profile_dir_from(None) is None
    assert profile_dir_from(str(tmp_path / "cli")) == tmp_path / "cli"
    monkeypatch.setenv(PROFILE_ENV_VAR, str(tmp_path / "env"))
    assert profile_dir_from(None) == tmp_path / "env"
    assert profile_dir_from(str(tmp_path / "cli")) == tmp_path / "cli"  # --profile wins
    monkeypatch.chdir(tmp_path)
    assert profile_dir_from("relative") == tmp_path / "relative"


def test_default_profile_dir_follows_xdg(isolated_environment: Path) -> None:
    if sys.platform != "linux":
        pytest.skip("XDG folders apply on Linux")
    assert default_profile_dir() == isolated_environment / "xdg-data" / "BackLog" / "profile"
