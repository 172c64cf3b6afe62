"""File → Back Up Now…: one checked backup file of the whole profile, where the user wants it.

By default the file goes into the profile's own backups/ folder; "Save to Another Place…" picks
a folder such as a USB drive (the file's name is chosen for the user). The backup is written and
then read back and checked in the background; the answer says what was saved and where, with
Show in Folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from backlog_app.services.progress import Progress
from backlog_app.ui.backup.host import BackupHost, Stopped, run_step
from backlog_app.ui.backup.notice import Answer, NoticeDialog
from backlog_app.ui.backup.words import backup_summary

TITLE = "Back up"
HERE, ELSEWHERE, SHOW, CLOSE, CANCEL = "here", "elsewhere", "show", "close", "cancel"


def back_up_now(host: BackupHost) -> Path | None:
    """Ask where, back up and check in the background, then say so. Returns the backup file."""
    from backlog_app.services.backups import BackupResult, create_backup

    profile = host.profile
    if profile is None:
        return None
    destination = choose_destination(host)
    if destination is None:
        return None

    def job(progress: Progress) -> BackupResult:
        return create_backup(profile, destination, progress)

    try:
        result: BackupResult = run_step(host, "Backing up your records…", job)
    except Stopped:
        return None
    host.show_status(f"Backup saved and checked: {result.path.name}.")
    show_result(host, result.path, result.file_count, result.size_bytes)
    return result.path


def choose_destination(host: BackupHost) -> Path | None:
    """The profile's backups folder, or another folder the user picks; None to stop."""
    assert host.profile is not None
    backups = host.profile.paths.backups
    while True:
        dialog = NoticeDialog(
            "Back up your records",
            "Save a backup of all your records",
            "BackLog saves your records and documents in one backup file, then reads it back "
            f"to check it.\n\nThe backup goes into your profile's backups folder:\n{backups}\n\n"
            "To keep a copy somewhere safe, such as a USB drive, choose Save to Another Place.",
            [
                Answer("&Back Up", HERE, primary=True),
                Answer("Save to &Another Place…", ELSEWHERE),
                Answer("Cancel", CANCEL),
            ],
            host.parent,
        )
        answer = dialog.ask()
        dialog.deleteLater()
        if answer == HERE:
            return backups
        if answer == CANCEL:
            return None
        start = host.copy_folder() or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(
            host.parent, "Choose where to save the backup (a USB drive, for example)", start
        )
        if chosen:
            return Path(chosen)


def show_result(host: BackupHost, path: Path, file_count: int, size_bytes: int) -> None:
    """ "Your backup is saved and checked: 212 files, 154 MB, in …" with Show in Folder."""
    dialog = NoticeDialog(
        TITLE,
        "Backup saved",
        f"Your backup is saved and checked: {backup_summary(file_count, size_bytes)}, in\n"
        f"{path.parent}\n\nFile: {path.name}",
        [Answer("&Show in Folder", SHOW), Answer("Close", CLOSE, primary=True)],
        host.parent,
    )
    if dialog.ask() == SHOW:
        host.show_folder(path.parent)
    dialog.deleteLater()
