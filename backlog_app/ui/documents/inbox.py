"""The scan inbox: a folder a scanner or phone app saves into, watched while BackLog is open.

New files there are added to the open profile's documents and moved into ``imported/`` by
``services.scan_inbox.import_inbox``. A file is taken only once it has looked the same (size and
time) for a few seconds, so a scanner still writing it is left alone. Added files are reported
quietly in the status bar; files that could not be added stay in the folder and are explained
once in a dialog.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.documents import UNFINISHED_FILE_SUFFIXES
from backlog_app.services.context import ProfileSession
from backlog_app.services.progress import Progress
from backlog_app.settings import SettingsStore
from backlog_app.storage.file_inspect import display_name
from backlog_app.ui.documents.text_status import start_reading_text
from backlog_app.ui.jobs import JobRunner
from backlog_app.ui.messages import Messages

if TYPE_CHECKING:
    from backlog_app.services.document_import import ImportReport

log = logging.getLogger("backlog.ui.documents")

DEBOUNCE_MS = 3000

Snapshot = dict[str, tuple[int, int]]  # file name → (size, modification time in ns)


def inbox_snapshot(folder: Path) -> Snapshot:
    """The finished-looking files directly in ``folder`` with their size and time."""
    snapshot: Snapshot = {}
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return snapshot
    for entry in entries:
        name = entry.name
        if name.startswith((".", "~")) or name.lower().endswith(UNFINISHED_FILE_SUFFIXES):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        snapshot[name] = (info.st_size, info.st_mtime_ns)
    return snapshot


class InboxWatcher(QObject):
    """Watches the folder in ``settings.scan_inbox`` and adds what a scanner leaves there.

    Args:
        window: the main window (dialogs, status bar, text reading).
        session: the open profile the files go into.
        jobs: the window's runner, so inbox imports never overlap other imports.
        settings: where the folder is chosen (``scan_inbox``).
        messages: explains files that could not be added.
        show_status: quiet notes ("Scan inbox: 2 documents added.").
        debounce_ms: how long a file must stay unchanged before it is taken.
    """

    def __init__(
        self,
        window: QWidget,
        session: ProfileSession,
        jobs: JobRunner,
        settings: SettingsStore,
        messages: Messages,
        show_status: Callable[[str], None],
        *,
        debounce_ms: int = DEBOUNCE_MS,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._session = session
        self._jobs = jobs
        self._settings = settings
        self._messages = messages
        self._show_status = show_status
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(lambda _path: self._schedule())
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.look)
        self._folder: Path | None = None
        self._last: Snapshot | None = None
        self._reported: set[tuple[str, int, int]] = set()
        self._busy = False
        self._look_again = False
        self._told_missing = False

    @property
    def folder(self) -> Path | None:
        return self._folder

    def is_busy(self) -> bool:
        return self._busy

    def start(self) -> None:
        """Watch the folder from the settings (if any) and look at what is already there."""
        self.stop()
        chosen = self._settings.settings.scan_inbox
        if not chosen:
            return
        self._folder = Path(chosen)
        self._told_missing = False
        if self._folder.is_dir():
            self._watcher.addPath(str(self._folder))
        self._schedule()
        log.info("scan inbox watched")

    def stop(self) -> None:
        paths = self._watcher.directories()
        if paths:
            self._watcher.removePaths(paths)
        self._timer.stop()
        self._folder = None
        self._last = None

    def _schedule(self) -> None:
        if self._folder is not None:
            self._timer.start()

    def look(self) -> None:
        """Add the files that stayed unchanged since the last look; look again for the others."""
        folder = self._folder
        if folder is None:
            return
        if self._busy:
            self._look_again = True
            return
        if not folder.is_dir():
            if not self._told_missing:
                self._told_missing = True
                self._show_status(
                    f"The scan inbox folder {folder} cannot be found; files there are not added."
                )
            return
        if str(folder) not in self._watcher.directories():
            self._watcher.addPath(str(folder))  # it came back (a drive plugged in again)
        snapshot = inbox_snapshot(folder)
        waiting = {
            name: facts for name, facts in snapshot.items() if (name, *facts) not in self._reported
        }
        if not waiting:
            self._last = snapshot
            return
        if snapshot != self._last:
            self._last = snapshot  # something is new or still growing: wait until it settles
            self._timer.start()
            return
        self._import(folder, snapshot)

    def _import(self, folder: Path, snapshot: Snapshot) -> None:
        from backlog_app.services.scan_inbox import import_inbox

        self._busy = True
        session = self._session

        def job(progress: Progress) -> ImportReport:
            return import_inbox(session.importer, folder, progress, only=set(snapshot))

        def done(report: ImportReport) -> None:
            self._finished()
            self._report(report, snapshot)

        def failed(error: BaseException) -> None:
            self._finished()
            log.error("scan inbox import failed", exc_info=error)
            self._messages.problem(
                "Scan inbox",
                f"BackLog could not add the files in {folder}. They are still there; "
                "try File → Add Documents… instead.",
            )

        self._jobs.run(
            "Adding files from the scan inbox…",
            job,
            done,
            on_cancelled=self._finished,
            raise_errors=failed,
            show_progress=False,
        )

    def _finished(self) -> None:
        self._busy = False
        self._last = None
        if self._look_again and self._folder is not None:
            self._look_again = False
            self._timer.start()

    def _report(self, report: ImportReport, snapshot: Snapshot) -> None:
        added = len(report.added)
        if added:
            start_reading_text(self._window)
            self._show_status(
                f"Scan inbox: {added} document{'s' if added != 1 else ''} added."
                + (
                    f" {len(report.duplicates)} already in your documents."
                    if report.duplicates
                    else ""
                )
            )
        problems = []
        for path, message in [
            *((error.path, error.message) for error in report.refused),
            *(
                (
                    path,
                    f"“{display_name(path)}” is protected with a password; add it with "
                    "File → Add Documents… to type the password.",
                )
                for path in report.need_password
            ),
        ]:
            facts = snapshot.get(Path(path).name)
            key = (Path(path).name, *facts) if facts else (Path(path).name, -1, -1)
            if key in self._reported:
                continue
            self._reported.add(key)
            problems.append(message)
        if problems:
            self._messages.problem(
                "Scan inbox",
                "Some files in your scan inbox were not added; they stay in the folder.\n\n"
                + "\n".join(f"• {line}" for line in problems),
            )


# Choosing the folder ------------------------------------------------------------------------

INBOX_EXPLAINED = (
    "If your scanner or a phone app saves into a folder on this computer, BackLog can watch that "
    "folder while it is open. New files there are added to your documents and then moved into a "
    "folder called “imported” inside it. Files BackLog cannot add stay where they are, and "
    "BackLog tells you why."
)


def inbox_folder_problem(folder: Path, profile_root: Path) -> str | None:
    """Why ``folder`` should not be the scan inbox, in one sentence; None when it may."""
    folder, profile_root = folder.resolve(), profile_root.resolve()
    if not folder.is_dir():
        return f"{folder} is not a folder BackLog can open."
    if folder == profile_root or folder.is_relative_to(profile_root):
        return "Choose a folder outside your BackLog profile folder."
    if profile_root.is_relative_to(folder) or folder in (
        Path.home().resolve(),
        Path(folder.anchor),
    ):
        return (
            "Choose a folder that only your scanner or phone uses, not a folder that holds "
            "your other files."
        )
    if not os.access(folder, os.W_OK):
        return f"BackLog is not allowed to move files out of {folder}. Choose another folder."
    return None


class ScanInboxDialog(QDialog):
    """Tools → Scan Inbox…: explains the inbox, shows the folder, Choose Folder… / Turn Off."""

    def __init__(
        self,
        settings: SettingsStore,
        profile_root: Path,
        messages: Messages,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Scan inbox")
        self.setModal(True)
        self._settings = settings
        self._profile_root = profile_root
        self._messages = messages
        explained = QLabel(INBOX_EXPLAINED, self)
        explained.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(self)
        self.choose_button = self.buttons.addButton(
            "&Choose Folder…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.choose_button.setAccessibleName("Choose the scan inbox folder")
        self.choose_button.clicked.connect(self.choose_folder)
        self.off_button = self.buttons.addButton(
            "Turn &Off", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.off_button.setAccessibleName("Turn the scan inbox off")
        self.off_button.clicked.connect(self.turn_off)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        self.buttons.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(explained)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self._show_status()

    def _show_status(self) -> None:
        folder = self._settings.settings.scan_inbox
        self.status.setText(f"Watching: {folder}" if folder else "Off: no folder is watched.")
        self.off_button.setEnabled(bool(folder))

    def choose_folder(self) -> None:
        current = self._settings.settings.scan_inbox
        chosen = QFileDialog.getExistingDirectory(
            self, "Choose the scan inbox folder", current or str(Path.home())
        )
        if not chosen:
            return
        folder = Path(chosen)
        problem = inbox_folder_problem(folder, self._profile_root)
        if problem is not None:
            self._messages.problem("Scan inbox", problem)
            return
        waiting = len(inbox_snapshot(folder))
        if waiting and not self._messages.confirm(
            "Scan inbox",
            f"{folder} already holds {waiting} file{'s' if waiting != 1 else ''}. BackLog will "
            "add them to your documents and move them into “imported” inside it.",
            "Use This Folder",
        ):
            return
        self._settings.update(scan_inbox=str(folder))
        self._show_status()

    def turn_off(self) -> None:
        self._settings.update(scan_inbox=None)
        self._show_status()


def open_scan_inbox_settings(
    parent: QWidget, settings: SettingsStore, profile_root: Path, messages: Messages
) -> bool:
    """Show the Scan inbox dialog. Returns True when the folder setting changed."""
    before = settings.settings.scan_inbox
    ScanInboxDialog(settings, profile_root, messages, parent).exec()
    return settings.settings.scan_inbox != before
