"""Restoring a ``.backlog-backup`` file as a profile: check the target, extract, put in place.

Split from services/backups.py (which re-exports these names, so callers import them from
there). Every member is written into a hidden folder beside the target and checked against its
SHA-256 as it is written; the folder is renamed into place only when everything is there, so a
failure or Cancel leaves the target as it was. This module needs nothing from backups.py (no
import cycle).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from backlog_app.errors import BackupDamagedError, BackupError
from backlog_app.services.progress import Progress
from backlog_app.storage.backup import fsync_dir
from backlog_app.storage.backup_archive import (
    DATABASE_MEMBER,
    ENCRYPTION_MEMBER,
    Manifest,
    copy_member,
    is_cache_member,
    is_known_member,
    open_archive,
)
from backlog_app.storage.profile import ProfileLock, ProfilePaths
from backlog_app.storage.write_errors import write_error


@dataclass(frozen=True, slots=True)
class RestoreResult:
    """A restored profile. ``skipped`` names damaged files left out (with restore_damaged)."""

    target: Path
    restored_files: int
    skipped: list[str] = field(default_factory=list)
    moved_aside: Path | None = None  # where the replaced profile folder went


def restore_backup(
    file: Path,
    target: Path,
    progress: Progress,
    *,
    replace_existing: bool = False,
    restore_damaged: bool = False,
) -> RestoreResult:
    """Restore the backup ``file`` as the profile in folder ``target``, checking every file.

    ``target`` must be absent or empty. With ``replace_existing`` it may hold a BackLog profile
    (not open anywhere): that folder is moved aside to ``<target>.before-restore-<date>-<time>``,
    never deleted. Files are written into a hidden folder beside ``target`` and renamed into
    place at the end, so a failure or Cancel leaves ``target`` as it was.

    Damaged files (SHA-256 not matching the manifest) stop the restore with BackupDamagedError
    listing them, unless ``restore_damaged``: then the other files are restored and the damaged
    ones listed in ``skipped``. A damaged database is never restored: without it the documents
    cannot be named, so the restore fails either way (try an older backup). The same holds for
    an encrypted backup's key file (``encryption.json``): without it the database can never be
    opened. Damaged thumbnails are left out quietly: they are drawn again.

    Raises:
        BackupError: not a backup, the target is not usable, or the disk is full.
        BackupDamagedError: damaged files (see above); nothing was written.
        ProfileLockedError: the profile to replace is open in BackLog.
        Cancelled: nothing was written.
    """
    target = target.expanduser().absolute()
    _check_target(target, replace_existing)
    with open_archive(file) as (archive, manifest):
        names = {entry.name for entry in manifest.files}
        if DATABASE_MEMBER not in names:
            raise BackupError(f"{file.name} holds no database, so there is nothing to restore.")
        if manifest.encrypted and ENCRYPTION_MEMBER not in names:
            raise BackupError(
                f"{file.name} is encrypted but has lost its key file, so it cannot be opened. "
                "Choose an older backup."
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        work = target.parent / f".{target.name}.restoring-{secrets.token_hex(4)}"
        work.mkdir()
        try:
            restored, damaged, skipped = _extract(archive, manifest, work, progress)
            if DATABASE_MEMBER in damaged:
                raise BackupDamagedError(
                    f"The database inside {file.name} is damaged, so this backup cannot be "
                    "restored. Choose an older backup.",
                    damaged,
                )
            if manifest.encrypted and ENCRYPTION_MEMBER in damaged:
                raise BackupDamagedError(
                    f"The key file inside {file.name} is damaged, so this encrypted backup "
                    "cannot be opened. Choose an older backup.",
                    damaged,
                )
            if damaged and not restore_damaged:
                raise BackupDamagedError(
                    f"{len(damaged)} of the {len(manifest.files)} files in {file.name} are "
                    f"damaged: {', '.join(damaged)}. Nothing was restored. You can restore the "
                    "other files, or choose another backup.",
                    damaged,
                )
            progress.check_cancelled()
            moved = _put_in_place(work, target)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
    return RestoreResult(target, restored, skipped + damaged, moved)


def _check_target(target: Path, replace_existing: bool) -> None:
    if target.exists() and not target.is_dir():
        raise BackupError(f"{target} is a file. Choose a folder for the restored profile.")
    if not target.is_dir() or not any(target.iterdir()):
        return
    if not ProfilePaths(target).has_database():
        raise BackupError(
            f"{target} already holds other files. Choose a new, empty folder for the profile."
        )
    if not replace_existing:
        raise BackupError(
            f"{target} already holds a BackLog profile. Choose a new, empty folder, "
            "or confirm that the profile there should be replaced (it is kept aside, not deleted)."
        )
    with ProfileLock(ProfilePaths(target)):  # raises ProfileLockedError when it is open
        pass


def _extract(
    archive: zipfile.ZipFile, manifest: Manifest, work: Path, progress: Progress
) -> tuple[int, list[str], list[str]]:
    """Write every known member into ``work``, checking its hash; (restored, damaged, skipped)."""
    restored = 0
    damaged: list[str] = []
    skipped: list[str] = []
    done, total = 0, manifest.total_bytes
    folders: set[Path] = {work}
    for entry in manifest.files:
        if not is_known_member(entry.name):  # never write a path this version did not make
            skipped.append(entry.name)
            continue
        path = work / entry.name
        path.parent.mkdir(parents=True, exist_ok=True)
        folders.add(path.parent)

        def count(length: int, start: int = done) -> None:
            progress.report(start + length, total, "Restoring")

        try:
            with path.open("wb") as writer:
                ok = copy_member(archive, entry, writer, count)
                writer.flush()
                os.fsync(writer.fileno())
        except OSError as exc:
            raise BackupError(write_error(exc, work.parent, what="the backup").message) from exc
        done += entry.size
        if not ok:
            path.unlink()
            (skipped if is_cache_member(entry.name) else damaged).append(entry.name)
            continue
        if entry.name.startswith("vault/"):
            path.chmod(0o444)  # as the vault stores them: never written again
        restored += 1
    for folder in folders:
        fsync_dir(folder)
    return restored, damaged, skipped


def _put_in_place(work: Path, target: Path) -> Path | None:
    """Rename the restored folder to ``target``; a profile there is first moved aside.

    If the restored folder cannot be renamed, the moved-aside profile is put back first, so the
    caller's clean-up of ``work`` never leaves the old profile only under another name.
    """
    moved: Path | None = None
    if target.is_dir() and any(target.iterdir()):
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        moved = target.with_name(f"{target.name}.before-restore-{stamp}")
        _move_aside(target, moved)
    elif target.is_dir():
        target.rmdir()
    try:
        work.rename(target)
    except OSError as exc:
        if moved is not None:
            _move_back(moved, target, exc)
        raise
    fsync_dir(target.parent)
    return moved


def _move_aside(target: Path, moved: Path) -> None:
    """Rename the profile in ``target`` to ``moved``, unless it was opened since it was checked."""
    lock = ProfileLock(ProfilePaths(target))
    lock.acquire()  # raises ProfileLockedError: a profile opened meanwhile is never moved
    try:
        if os.name != "posix":
            # Windows cannot rename a folder with a file open inside it; it refuses the rename
            # by itself, too, if another BackLog opens the profile in between.
            lock.release()
        target.rename(moved)
    finally:
        lock.release()


def _move_back(moved: Path, target: Path, cause: OSError) -> None:
    """Put the moved-aside profile back in ``target``; say where it is if that fails too."""
    try:
        if target.is_dir() and not any(target.iterdir()):
            target.rmdir()
        moved.rename(target)
    except OSError:
        raise BackupError(
            f"The backup could not be put in place, and your previous profile could not be "
            f"moved back. Nothing was deleted: it is kept in {moved}."
        ) from cause
