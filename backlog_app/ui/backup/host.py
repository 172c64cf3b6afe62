"""What the backup windows need from the window that opens them, and how they run a slow step.

``BackupHost`` is built from the main window (``menus.host_for``) or, at open before any window
has a profile, by hand (``restore_offer``). ``run_step`` runs one slow step on the host's job
runner (progress and Cancel after a moment) while the GUI keeps painting, and turns its failure
into a plain message, so each flow reads as a list of steps.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from backlog_app.errors import Cancelled, UserError
from backlog_app.logging_setup import current_log_file
from backlog_app.settings import SettingsStore
from backlog_app.ui.jobs import Job, JobRunner
from backlog_app.ui.messages import Messages

if TYPE_CHECKING:
    from backlog_app.services.context import ProfileSession

log = logging.getLogger("backlog.ui.backup")

TITLE = "Backups"


def open_folder(folder: Path) -> None:
    """Show ``folder`` in the file manager ("Show in Folder")."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


@dataclass
class BackupHost:
    """The parent window and the services a backup flow uses.

    Attributes:
        settings: the app settings; None at start-up, before the window has them.
        profile: the open profile; None when no profile is open (restoring at start-up).
        open_profile: asks the app to open a profile folder (the window's
            ``open_profile_requested``).
        show_folder: opens a folder in the file manager (tests record it).
    """

    parent: QWidget | None
    jobs: JobRunner
    messages: Messages
    settings: SettingsStore | None
    profile: ProfileSession | None
    open_profile: Callable[[Path], None]
    show_status: Callable[[str], None]
    show_folder: Callable[[Path], None] = open_folder

    def copy_folder(self) -> str | None:
        """The second copy folder of the settings, if one is set."""
        return self.settings.settings.backup_copy_folder if self.settings is not None else None


class Stopped(Exception):  # noqa: N818 - a flow's way out, not an error to show
    """The step was cancelled, or failed and its problem was shown: the flow ends quietly."""


def run_step(
    host: BackupHost,
    title: str,
    job: Job,
    *,
    passthrough: tuple[type[BaseException], ...] = (),
) -> Any:
    """Run ``job`` in the background (progress + Cancel) and return its result.

    Args:
        title: what the progress dialog says ("Checking the backup…").
        passthrough: errors the caller handles itself (a damaged backup), raised as they are.

    Raises:
        Stopped: the user cancelled, or the step failed and the problem has been shown.
    """
    try:
        return host.jobs.run_and_wait(title, job)
    except Cancelled as exc:
        raise Stopped() from exc
    except passthrough:
        raise
    except UserError as exc:
        host.messages.problem(TITLE, exc.message)
        raise Stopped() from exc
    except Exception as exc:
        show_bug(host.messages, exc)
        raise Stopped() from exc


def show_bug(messages: Messages, error: BaseException) -> None:
    """An unexpected error: log it with its traceback, and apologise in plain words."""
    log.error("unexpected error in a backup step", exc_info=error)
    log_file = current_log_file()
    messages.apology(str(log_file) if log_file else None)
