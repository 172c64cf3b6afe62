"""Backups of a whole profile: make one (by hand or automatically), list, check and restore them.

A backup is one ``.backlog-backup`` file (format: storage/backup_archive.py, docs/backups.md):
a consistent snapshot of the database through SQLite's backup API, every vault file and
thumbnail exactly as stored on disk (so an encrypted profile's backup is encrypted too), and a
manifest of SHA-256 hashes. Every backup is read back and checked before it is reported made.

Restoring lives in services/backup_restore.py; ``restore_backup`` and ``RestoreResult`` are
re-exported here so callers keep one place to import backups from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backlog_app import __version__
from backlog_app.domain.backup_schedule import auto_backup_due, backups_to_keep
from backlog_app.domain.sizes import file_size_text
from backlog_app.errors import BackupError, Cancelled
from backlog_app.services.backup_restore import RestoreResult, restore_backup
from backlog_app.services.progress import Progress
from backlog_app.storage.backup import backup_database, fsync_dir
from backlog_app.storage.backup_archive import (
    DATABASE_MEMBER,
    ENCRYPTION_MEMBER,
    EXTENSION,
    ArchiveSource,
    ByteProgress,
    Manifest,
    backup_file_name,
    copy_member,
    created_from_name,
    open_archive,
    verify_archive,
    write_archive,
)
from backlog_app.storage.database import current_revision
from backlog_app.storage.profile import ProfilePaths
from backlog_app.storage.vault import sha256_of
from backlog_app.storage.write_errors import write_error

if TYPE_CHECKING:
    from backlog_app.services.context import ProfileSession
    from backlog_app.settings import Settings

__all__ = [
    "BackupFile",
    "BackupInspection",
    "BackupPolicy",
    "BackupResult",
    "RestoreResult",
    "auto_backup",
    "create_backup",
    "database_key",
    "inspect_backup",
    "latest_good_backup",
    "list_backups",
    "prune_backups",
    "restore_backup",
]

log = logging.getLogger("backlog.backups")

_THUMBNAIL_NAME = re.compile(r"^[0-9a-f]{64}\.png$")
_CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class BackupResult:
    """A backup that was written and read back whole.

    ``copy_problem`` is a plain sentence when the copy into the second folder failed (the
    backup itself is fine); ``pruned`` counts older automatic backups removed.
    """

    path: Path
    size_bytes: int
    file_count: int
    seconds: float
    copy_path: Path | None = None
    copy_problem: str | None = None
    pruned: int = 0

    def describe(self) -> str:
        return (
            f"Backed up {self.file_count} files ({file_size_text(self.size_bytes)}) "
            f"to {self.path}; checked."
        )


@dataclass(frozen=True, slots=True)
class BackupPolicy:
    """How automatic backups are made: on or off, how many kept, and the second folder."""

    enabled: bool = True
    copy_folder: Path | None = None
    keep_daily: int = 7
    keep_weekly: int = 4

    @classmethod
    def from_settings(cls, settings: Settings) -> BackupPolicy:
        folder = settings.backup_copy_folder
        return cls(
            enabled=settings.auto_backup,
            copy_folder=Path(folder).expanduser() if folder else None,
            keep_daily=settings.backups_keep_daily,
            keep_weekly=settings.backups_keep_weekly,
        )


@dataclass(frozen=True, slots=True)
class BackupFile:
    """A backup file found in a folder."""

    path: Path
    created: dt.datetime
    size: int


@dataclass(frozen=True, slots=True)
class BackupInspection:
    """What a backup holds and whether every file in it matches its recorded SHA-256.

    ``database_ok``: the database is there and whole, and for an encrypted backup its key file
    too (without it the database can never be opened), so the backup can be restored.
    """

    created: dt.datetime
    encrypted: bool
    file_count: int
    damaged: list[str]
    database_ok: bool
    schema_revision: str | None = None
    app_version: str = ""

    @property
    def ok(self) -> bool:
        return self.database_ok and not self.damaged


# -- making backups -------------------------------------------------------------------------


def create_backup(profile: ProfileSession, destination: Path, progress: Progress) -> BackupResult:
    """Back up the open ``profile`` into ``destination`` and check the file written.

    Args:
        destination: a folder (the file is named ``backlog-backup-<date>-<time>.backlog-backup``
            inside it) or a file path (replaced if it exists).

    Raises:
        BackupError: the backup could not be written, or did not read back whole (no file left).
        Cancelled: the user pressed Cancel (no file left).
    """
    started = time.monotonic()
    created = dt.datetime.now().replace(microsecond=0)
    target = _backup_target(destination, created)
    paths = profile.paths
    progress.report(0, 0, "Copying the database")
    try:
        work = Path(tempfile.mkdtemp(prefix=".snapshot-", dir=paths.backups))
    except OSError as exc:
        raise _write_error(paths.backups, exc) from exc
    try:
        key = database_key(profile)
        snapshot = work / DATABASE_MEMBER
        backup_database(paths.database, snapshot, key=key)
        sources = [ArchiveSource(DATABASE_MEMBER, snapshot, compress=True)]
        encryption_file = paths.root / ENCRYPTION_MEMBER
        if encryption_file.is_file():
            sources.append(ArchiveSource(ENCRYPTION_MEMBER, encryption_file))
        # Listed after the snapshot: every file its records name is stored by now.
        sources += _vault_sources(profile) + _thumbnail_sources(paths)
        try:
            manifest = write_archive(
                target,
                sources,
                created=created,
                app_version=__version__,
                schema_revision=current_revision(snapshot, key),
                encrypted=key is not None or encryption_file.is_file(),
                progress=_bytes_to(progress, "Backing up"),
            )
        except FileNotFoundError as exc:
            raise BackupError(
                "A document's file was removed while the backup was made. Make the backup again."
            ) from exc
        except OSError as exc:
            raise _write_error(target, exc) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _check_written(target, progress)
    return BackupResult(
        path=target,
        size_bytes=target.stat().st_size,
        file_count=len(manifest.files),
        seconds=time.monotonic() - started,
    )


def auto_backup(
    profile: ProfileSession,
    policy: BackupPolicy,
    progress: Progress,
    now: dt.datetime | None = None,
) -> BackupResult | None:
    """The automatic backup (on close): at most one a day, into the profile's backups folder.

    Also copied into ``policy.copy_folder`` when set; both folders are then pruned to the
    newest ``keep_daily`` daily and ``keep_weekly`` weekly backups (only files this function
    names; before-upgrade copies and hand-made backups are never removed). A copy folder that
    is missing (a USB drive not plugged in) or cannot be written is reported in
    ``copy_problem``; it never fails the backup.

    Returns:
        None when automatic backups are off or one was already made today.
    """
    moment = (now or dt.datetime.now()).replace(microsecond=0)
    if not policy.enabled:
        return None
    previous = list_backups([profile.paths.backups])
    auto_made = [item.created for item in previous if created_from_name(item.path.name)]
    if not auto_backup_due(max(auto_made, default=None), moment):
        return None
    result = create_backup(profile, profile.paths.backups / backup_file_name(moment), progress)
    pruned = prune_backups(profile.paths.backups, policy, moment)
    copy_path: Path | None = None
    copy_problem: str | None = None
    if policy.copy_folder is not None:
        try:
            copy_path = _copy_verified(result.path, policy.copy_folder, progress)
            pruned += prune_backups(policy.copy_folder, policy, moment)
        except Cancelled:
            copy_problem = f"The copy to {policy.copy_folder} was skipped."
        except OSError as exc:
            copy_problem = (
                f"The backup could not be copied to {policy.copy_folder} "
                f"({exc.strerror or exc.__class__.__name__}). Check that the drive is plugged "
                "in and has room; the backup in the profile folder is fine."
            )
            log.warning("backup copy failed: %s", exc.__class__.__name__)
    return BackupResult(
        result.path,
        result.size_bytes,
        result.file_count,
        result.seconds,
        copy_path=copy_path,
        copy_problem=copy_problem,
        pruned=pruned,
    )


def prune_backups(folder: Path, policy: BackupPolicy, now: dt.datetime) -> int:
    """Remove the automatic backups in ``folder`` the keep rule does not keep; how many."""
    named = {
        item.path: created
        for item in list_backups([folder])
        if (created := created_from_name(item.path.name)) is not None
    }
    keep = backups_to_keep(named.values(), now, policy.keep_daily, policy.keep_weekly)
    removed = 0
    for path, created in named.items():
        if created not in keep:
            try:
                path.unlink()
                removed += 1
            except OSError as exc:
                log.warning("could not remove an old backup: %s", exc.__class__.__name__)
    return removed


def list_backups(folders: Iterable[Path | None]) -> list[BackupFile]:
    """Every ``.backlog-backup`` file in ``folders`` (missing folders are skipped), newest first.

    The time comes from the file name BackLog gave it, else from the file's modification time.
    """
    found: dict[Path, BackupFile] = {}
    for folder in folders:
        if folder is None or not folder.is_dir():
            continue
        for path in folder.glob(f"*{EXTENSION}"):
            try:
                stat = path.stat()
            except OSError:
                continue
            created = created_from_name(path.name) or dt.datetime.fromtimestamp(stat.st_mtime)
            found.setdefault(path.resolve(), BackupFile(path, created, stat.st_size))
    return sorted(found.values(), key=lambda item: (item.created, item.path.name), reverse=True)


# -- checking backups -----------------------------------------------------------------------


def inspect_backup(
    file: Path, progress: Progress, passphrase: str | None = None
) -> BackupInspection:
    """Read every file in the backup and compare it with its recorded SHA-256.

    No passphrase is needed to check an encrypted backup: the hashes cover the encrypted bytes.
    With ``passphrase``, an encrypted backup's passphrase is also tried.

    Raises:
        BackupError: not a BackLog backup, cut short, or its list of files is unreadable.
        WrongPassphraseError: ``passphrase`` does not open this encrypted backup.
    """
    with open_archive(file) as (archive, manifest):
        damaged = verify_archive(archive, manifest, _bytes_to(progress, "Checking the backup"))
        if passphrase is not None and manifest.encrypted:
            _try_passphrase(archive, manifest, passphrase)
    names = {entry.name for entry in manifest.files}
    needed = [DATABASE_MEMBER, ENCRYPTION_MEMBER] if manifest.encrypted else [DATABASE_MEMBER]
    return BackupInspection(
        created=manifest.created,
        encrypted=manifest.encrypted,
        file_count=len(manifest.files),
        damaged=damaged,
        database_ok=all(name in names and name not in damaged for name in needed),
        schema_revision=manifest.schema_revision,
        app_version=manifest.app_version,
    )


def latest_good_backup(
    paths: ProfilePaths, extra_folder: Path | None, progress: Progress
) -> Path | None:
    """The newest backup (profile's folder or ``extra_folder``) whose every file checks out."""
    candidates = list_backups([paths.backups, extra_folder])
    for number, candidate in enumerate(candidates):
        progress.report(number, len(candidates), f"Checking {candidate.path.name}")
        try:
            if inspect_backup(candidate.path, _Relabelled(progress)).ok:
                return candidate.path
        except BackupError:
            continue
    return None


# -- helpers --------------------------------------------------------------------------------


def database_key(profile: Any) -> bytes | None:
    """The SQLCipher key of an open encrypted profile, None for a plain one."""
    key = getattr(profile, "key", None)
    return None if key is None else bytes(key.database_key)


def _backup_target(destination: Path, created: dt.datetime) -> Path:
    destination = destination.expanduser()
    if destination.is_dir() or (not destination.exists() and not destination.suffix):
        try:
            destination.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _write_error(destination, exc) from exc
        return destination / backup_file_name(created)
    if not destination.parent.is_dir():
        raise BackupError(f"The folder {destination.parent} does not exist. Choose another place.")
    return destination


def _vault_sources(profile: ProfileSession) -> list[ArchiveSource]:
    return [
        ArchiveSource(f"vault/{entry.sha256[:2]}/{entry.path.name}", entry.path)
        for entry in profile.documents.vault.entries()
    ]


def _thumbnail_sources(paths: ProfilePaths) -> list[ArchiveSource]:
    if not paths.thumbnails.is_dir():
        return []
    return [
        ArchiveSource(f"thumbnails/{path.name}", path)
        for path in sorted(paths.thumbnails.iterdir())
        if _THUMBNAIL_NAME.match(path.name) and path.is_file()
    ]


def _check_written(target: Path, progress: Progress) -> None:
    """Read the new backup back whole; remove it and raise when anything differs."""
    try:
        with open_archive(target) as (archive, manifest):
            damaged = verify_archive(archive, manifest, _bytes_to(progress, "Checking the backup"))
    except BackupError:
        damaged = ["manifest.json"]
    except BaseException:  # Cancel: an unchecked backup is not kept
        target.unlink(missing_ok=True)
        raise
    if damaged:
        target.unlink(missing_ok=True)
        raise BackupError(
            f"The backup written to {target.parent} did not read back correctly, so it was "
            "removed. The disk may be failing: try another drive."
        )


def _copy_verified(source: Path, folder: Path, progress: Progress) -> Path:
    """Copy a backup into ``folder`` atomically and compare the copy's SHA-256 with the source."""
    if not folder.is_dir():
        raise FileNotFoundError(2, "the folder is not there", str(folder))
    final = folder / source.name
    partial = final.with_name(final.name + ".partial")
    total = source.stat().st_size
    digest = hashlib.sha256()
    done = 0
    try:
        with source.open("rb") as reader, partial.open("wb") as writer:
            while chunk := reader.read(_CHUNK_BYTES):
                digest.update(chunk)
                writer.write(chunk)
                done += len(chunk)
                progress.report(done, total, "Copying the backup")
            writer.flush()
            os.fsync(writer.fileno())
        if sha256_of(partial) != digest.hexdigest():
            raise OSError(5, "the copy did not read back correctly")
        partial.replace(final)
        fsync_dir(folder)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return final


def _try_passphrase(archive: zipfile.ZipFile, manifest: Manifest, passphrase: str) -> None:
    import importlib

    encryption = importlib.import_module("backlog_app.storage.encryption")
    entry = next((item for item in manifest.files if item.name == ENCRYPTION_MEMBER), None)
    if entry is None:
        raise BackupError("This encrypted backup has lost its key file, so it cannot be opened.")
    with tempfile.TemporaryDirectory() as folder:
        with (Path(folder) / ENCRYPTION_MEMBER).open("wb") as writer:
            copy_member(archive, entry, writer)
        encryption.unlock(ProfilePaths(Path(folder)), passphrase)


def _bytes_to(progress: Progress, label: str) -> ByteProgress:
    def report(done: int, total: int) -> None:
        progress.report(done, total, label)

    return report


class _Relabelled(Progress):
    """Hands Cancel through to the outer progress; its byte counts stay inside."""

    def __init__(self, outer: Progress) -> None:
        super().__init__()
        self._outer = outer

    def report(self, done: int, total: int, label: str = "") -> None:
        self._outer.check_cancelled()


def _write_error(where: Path, exc: OSError) -> BackupError:
    return BackupError(write_error(exc, where, what="the backup").message)
