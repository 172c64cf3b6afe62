"""File → Restore from a Backup…: choose, check, (agree to skip damage), choose a folder, restore,
open.

Every slow step (listing, checking every file's hash, restoring) runs in the background with
progress and Cancel. A damaged backup lists exactly which files are damaged and restores the
rest only when the user agrees; a damaged database cannot be restored at all. The restore goes
into a new folder; an existing profile is replaced only after a confirmation, and is then moved
aside and kept. At the end the user may open the restored profile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from backlog_app.errors import BackupDamagedError
from backlog_app.services.progress import Progress
from backlog_app.storage.profile import default_profile_dir
from backlog_app.ui.backup.backup_list import ChooseBackupDialog
from backlog_app.ui.backup.host import BackupHost, Stopped, run_step
from backlog_app.ui.backup.notice import Answer, NoticeDialog
from backlog_app.ui.backup.restore_target import (
    RestoreTargetDialog,
    TargetKind,
    replace_warning,
)
from backlog_app.ui.backup.words import files_text, suggest_restore_folder

if TYPE_CHECKING:
    from backlog_app.services.backups import BackupFile, BackupInspection, RestoreResult

TITLE = "Restore from a backup"
RESTORE_REST, OPEN, CLOSE, CANCEL = "rest", "open", "close", "cancel"
DATABASE_MEMBER = "backlog.sqlite3"
ENCRYPTION_MEMBER = "encryption.json"  # an encrypted backup's key file


def restore_from_backup(host: BackupHost) -> Path | None:
    """The whole restore; returns the restored profile's folder (None when stopped)."""
    try:
        backup = choose_backup(host)
        inspection = check_backup(host, backup)
        restore_damaged = bool(inspection.damaged)
        if restore_damaged and not agree_to_restore_the_rest(host, inspection.damaged):
            return None
        target, replace = choose_target(host)
        result = restore(host, backup, target, replace=replace, restore_damaged=restore_damaged)
    except Stopped:
        return None
    offer_to_open(host, result, replaced=replace)
    return result.target


# Step 1: which backup ---------------------------------------------------------------------------


def backup_places(host: BackupHost) -> dict[Path, str]:
    """The folders searched for backups, with the plain name the list shows for each."""
    places: dict[Path, str] = {}
    root = host.profile.paths.root if host.profile is not None else default_profile_dir()
    places[root / "backups"] = "This profile's backups"
    copy = host.copy_folder()
    if copy:
        places[Path(copy)] = f"Your copy folder ({copy})"
    return places


def choose_backup(host: BackupHost) -> Path:
    """The backup file the user picked. Raises Stopped on Cancel."""
    from backlog_app.services.backups import list_backups

    places = backup_places(host)
    folders = [folder for folder in places if folder.is_dir()]

    def job(_progress: Progress) -> list[BackupFile]:
        return list_backups(folders)

    backups: list[BackupFile] = run_step(host, "Looking for backups…", job)
    dialog = ChooseBackupDialog(backups, places, next(iter(places)), host.parent)
    accepted = dialog.exec()
    chosen = dialog.chosen
    dialog.deleteLater()
    if not accepted or chosen is None:
        raise Stopped()
    return chosen


# Step 2: check every file -----------------------------------------------------------------------


def check_backup(host: BackupHost, backup: Path) -> BackupInspection:
    """Hash every file in the backup. An encrypted backup needs no passphrase for this: the
    hashes cover the stored (encrypted) bytes, and the restored profile keeps its passphrase.

    Raises:
        Stopped: cancelled, unreadable (said), or its database is damaged (said).
    """
    from backlog_app.services.backups import inspect_backup

    def job(progress: Progress) -> BackupInspection:
        return inspect_backup(backup, progress)

    inspection: BackupInspection = run_step(host, "Checking every file in the backup…", job)
    if not inspection.database_ok:
        say_database_damaged(host, inspection.damaged)
        raise Stopped()
    return inspection


def describe_member(name: str) -> str:
    """A damaged file's exact name in the backup, after what it is in plain words."""
    if name.startswith("vault/"):
        return f"A document's file: {name}"
    if name.startswith("thumbnails/"):
        return f"A small preview picture (BackLog draws it again): {name}"
    if name == DATABASE_MEMBER:
        return f"Your records database: {name}"
    if name == ENCRYPTION_MEMBER:
        return f"The key file of your protected records: {name}"
    return name


def say_database_damaged(host: BackupHost, damaged: Sequence[str]) -> None:
    dialog = NoticeDialog(
        TITLE,
        "This backup cannot be restored",
        "The records database in this backup, or its key file, is damaged, so BackLog cannot "
        "restore from it. "
        "Nothing was changed. Please choose an older backup, or a copy on another drive.",
        [Answer("Close", CLOSE, primary=True)],
        host.parent,
        details=[describe_member(name) for name in damaged or [DATABASE_MEMBER]],
        details_label="Damaged files:",
    )
    dialog.ask()
    dialog.deleteLater()


def agree_to_restore_the_rest(host: BackupHost, damaged: Sequence[str]) -> bool:
    """List exactly which files are damaged and ask "Restore the rest?"."""
    count = files_text(len(damaged))
    dialog = NoticeDialog(
        TITLE,
        "Some files in this backup are damaged",
        f"{count} in this backup no longer match what was saved (listed below). BackLog can "
        "restore everything else; the documents of the damaged files will be missing from "
        "the restored profile.\n\nRestore the rest?",
        [Answer("&Restore the Rest", RESTORE_REST, primary=True), Answer("Cancel", CANCEL)],
        host.parent,
        details=[describe_member(name) for name in damaged],
        details_label="Damaged files:",
    )
    agreed = dialog.ask() == RESTORE_REST
    dialog.deleteLater()
    return agreed


# Step 3: where ----------------------------------------------------------------------------------


def suggested_folder(host: BackupHost) -> Path:
    if host.profile is not None:
        return suggest_restore_folder(host.profile.paths.root, host.profile.clock())
    return suggest_restore_folder(default_profile_dir(), dt.date.today())


def choose_target(host: BackupHost) -> tuple[Path, bool]:
    """The folder to restore into, and whether it replaces a profile (the user confirmed)."""
    open_root = host.profile.paths.root if host.profile is not None else None
    suggested = suggested_folder(host)
    while True:
        dialog = RestoreTargetDialog(suggested, open_root, host.parent)
        accepted = dialog.exec()
        target, kind = dialog.target(), dialog.kind
        dialog.deleteLater()
        if not accepted:
            raise Stopped()
        if kind is TargetKind.NEW:
            return target, False
        if host.messages.confirm("Replace a profile?", replace_warning(target), "Replace It"):
            return target, True
        suggested = target  # back to the folder dialog, where the user left it


# Step 4: restore, then offer to open -----------------------------------------------------------


def restore(
    host: BackupHost, backup: Path, target: Path, *, replace: bool, restore_damaged: bool
) -> RestoreResult:
    """Restore in the background. Damage found only now is listed and agreed to as well."""
    from backlog_app.services.backups import restore_backup

    while True:
        rest = restore_damaged

        def job(progress: Progress, rest: bool = rest) -> RestoreResult:
            return restore_backup(
                backup, target, progress, replace_existing=replace, restore_damaged=rest
            )

        try:
            result: RestoreResult = run_step(
                host,
                "Restoring your records…",
                job,
                passthrough=() if restore_damaged else (BackupDamagedError,),
            )
            return result
        except BackupDamagedError as exc:
            if DATABASE_MEMBER in exc.damaged or ENCRYPTION_MEMBER in exc.damaged:
                say_database_damaged(host, exc.damaged)
                raise Stopped() from exc
            if not agree_to_restore_the_rest(host, exc.damaged):
                raise Stopped() from exc
            restore_damaged = True


def restored_text(result: RestoreResult, *, replaced: bool) -> str:
    text = f"{files_text(result.restored_files)} restored into {result.target}."
    if replaced and result.moved_aside is not None:
        text += f"\n\nThe profile that was in this folder before is kept in {result.moved_aside}."
    if result.skipped:
        text += "\n\nThese files were damaged or not needed, and were left out:"
    return text


def offer_to_open(host: BackupHost, result: RestoreResult, *, replaced: bool) -> None:
    host.show_status(f"Restored into {result.target}.")
    dialog = NoticeDialog(
        TITLE,
        "Your records are restored",
        restored_text(result, replaced=replaced),
        [Answer("&Open the Restored Profile", OPEN, primary=True), Answer("Not Now", CLOSE)],
        host.parent,
        details=[describe_member(name) for name in result.skipped],
    )
    opened = dialog.ask() == OPEN
    dialog.deleteLater()
    if opened:
        host.open_profile(result.target)
