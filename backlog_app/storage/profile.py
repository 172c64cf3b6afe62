"""The profile folder: where one person's records live, how it is laid out, and its lock."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import platformdirs

from backlog_app import APP_NAME
from backlog_app.errors import ProfileError, ProfileLockedError

PROFILE_ENV_VAR = "BACKLOG_PROFILE"
DATABASE_NAME = "backlog.sqlite3"
# Its presence means the profile is encrypted (storage.encryption reads and writes it).
ENCRYPTION_FILE = "encryption.json"
_LOCK_NAME = ".backlog.lock"


@dataclass(frozen=True, slots=True)
class ProfilePaths:
    """Every path inside one profile folder."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / DATABASE_NAME

    @property
    def vault(self) -> Path:
        return self.root / "vault"

    @property
    def thumbnails(self) -> Path:
        """Small page pictures for the Documents page: a cache, rebuilt by `backlog check --repair`."""
        return self.root / "thumbnails"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def encryption(self) -> Path:
        """The passphrase-wrapped key of an encrypted profile (absent: not encrypted)."""
        return self.root / ENCRYPTION_FILE

    @property
    def lock_file(self) -> Path:
        return self.root / _LOCK_NAME

    def has_database(self) -> bool:
        return self.database.is_file()


def default_profile_dir() -> Path:
    """The profile used when none is chosen: "<user data dir>/BackLog/profile"."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "profile"


def profile_dir_from(cli_value: str | os.PathLike[str] | None) -> Path | None:
    """The folder chosen with ``--profile`` or ``BACKLOG_PROFILE``, if either is set."""
    if cli_value:
        return Path(cli_value).expanduser().absolute()
    env_value = os.environ.get(PROFILE_ENV_VAR)
    if env_value:
        return Path(env_value).expanduser().absolute()
    return None


def prepare_profile_dir(root: Path) -> ProfilePaths:
    """Create the folder layout if needed and check that we can write there.

    Raises:
        ProfileError: the path is a file, or the folder cannot be created or written.
    """
    if root.exists() and not root.is_dir():
        raise ProfileError(f"{root} is a file, not a folder. Choose a folder for the profile.")
    paths = ProfilePaths(root)
    try:
        for folder in (root, paths.vault, paths.thumbnails, paths.backups, paths.logs):
            folder.mkdir(parents=True, exist_ok=True)
        # Access bits lie for root and on network drives: try an actual write.
        with tempfile.TemporaryFile(dir=root):
            pass
    except OSError as exc:
        raise ProfileError(
            f"BackLog cannot write to {root} ({exc.strerror or exc}). "
            "Choose a folder you can write to."
        ) from exc
    return paths


class ProfileLock:
    """Keeps a second BackLog process out of a profile while this one has it open.

    The OS releases the lock when the process ends, so a crash never leaves a profile locked.
    """

    def __init__(self, paths: ProfilePaths) -> None:
        import filelock  # imported here: the window shows before any profile is opened

        self._paths = paths
        self._timeout = filelock.Timeout
        self._lock = filelock.FileLock(paths.lock_file, timeout=0, thread_local=False)

    def acquire(self) -> None:
        """Raises ProfileLockedError when another process holds the profile."""
        try:
            self._lock.acquire()
        except self._timeout as exc:
            raise ProfileLockedError(
                f"The profile {self._paths.root} is already open in another BackLog window. "
                "Close that window first, or open a different profile."
            ) from exc

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()

    def __enter__(self) -> ProfileLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
