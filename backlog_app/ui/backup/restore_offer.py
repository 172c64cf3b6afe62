"""At open, when the records database is damaged: offer the latest good backup.

``offer_restore_after_damage`` looks for the newest backup whose every file checks out (in the
profile's backups folder and the second copy folder) in the background, with progress and
Cancel, then offers to restore it into a new folder beside the damaged profile and open it. The
damaged profile is left exactly as it is.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QWidget

from backlog_app import APP_NAME
from backlog_app.errors import UserError
from backlog_app.services.progress import Progress
from backlog_app.settings import Settings, SettingsStore
from backlog_app.storage.profile import ProfilePaths
from backlog_app.ui.backup.host import BackupHost, Stopped, run_step, show_bug
from backlog_app.ui.backup.notice import Answer, NoticeDialog
from backlog_app.ui.backup.restore_flow import restore
from backlog_app.ui.backup.words import backup_when, suggest_restore_folder
from backlog_app.ui.jobs import JobRunner
from backlog_app.ui.messages import Messages

TITLE = "Your records are damaged"
RESTORE, NOT_NOW = "restore", "not-now"
NO_BACKUP = (
    "The records database in {root} is damaged, and BackLog found no good backup to restore "
    "it from. Nothing was changed. If you keep a backup elsewhere (a USB drive), use "
    "File → Restore from a Backup."
)


def offer_restore_after_damage(
    parent: QWidget | None,
    paths: ProfilePaths,
    settings: SettingsStore | Settings,
    messages: Messages,
    *,
    today: dt.date | None = None,
) -> Path | None:
    """Find the latest good backup and offer to restore it into a new folder.

    Args:
        parent: the window to show the questions over (may be None at start-up).
        paths: the damaged profile's folder.
        settings: the app settings (the second copy folder is searched too).
        messages: where problems are shown.
        today: the date in the new folder's name (tests); default today.

    Returns:
        The restored profile's folder, for the caller to open; None for "Not now", Cancel, or
        when there is no good backup (said).
    """
    from backlog_app.services.backups import latest_good_backup, list_backups

    current = settings.settings if isinstance(settings, SettingsStore) else settings
    copy = Path(current.backup_copy_folder).expanduser() if current.backup_copy_folder else None
    host = BackupHost(
        parent=parent,
        jobs=JobRunner(parent, lambda error: _problem(messages, error), lambda error: None),
        messages=messages,
        settings=settings if isinstance(settings, SettingsStore) else None,
        profile=None,
        open_profile=lambda _folder: None,
        show_status=lambda _text: None,
    )

    def find(progress: Progress) -> Path | None:
        return latest_good_backup(paths, copy, progress)

    try:
        backup: Path | None = run_step(host, "Looking for a good backup…", find)
        if backup is None:
            messages.problem(TITLE, NO_BACKUP.format(root=paths.root))
            return None
        found = {item.path: item for item in list_backups([backup.parent])}
        when = backup_when(found[backup].created) if backup in found else backup.name
        target = suggest_restore_folder(paths.root, today or dt.date.today())
        if not _agree(host, when, target):
            return None
        result = restore(host, backup, target, replace=False, restore_damaged=False)
    except Stopped:
        return None
    except Exception as exc:  # never let the offer take the app down at start-up
        show_bug(messages, exc)
        return None
    return result.target


def _agree(host: BackupHost, when: str, target: Path) -> bool:
    dialog = NoticeDialog(
        TITLE,
        "Your records database is damaged",
        f"BackLog cannot open your records because the database file is damaged. It found a "
        f"good backup from {when}.\n\nBackLog can restore that backup into a new folder and "
        f"open it:\n{target}\n\nThe damaged profile is left as it is. Anything you entered "
        "after the backup was made is not in it.",
        [
            Answer("&Restore It into a New Folder and Open It", RESTORE, primary=True),
            Answer("Not Now", NOT_NOW),
        ],
        host.parent,
    )
    agreed = dialog.ask() == RESTORE
    dialog.deleteLater()
    return agreed


def _problem(messages: Messages, error: UserError) -> None:
    messages.problem(APP_NAME, error.message)
