"""The automatic backup when a profile closes (quitting, or switching to another profile).

When automatic backups are on and one is due (at most daily: ``services.backups.auto_backup``
decides and returns None when not), the backup runs on a worker thread. A small window
"Backing up your records…" with a Skip button appears only if it takes more than a moment.
``run_closing_backup`` returns once the backup is done or skipped — the profile may close right
after — while the GUI keeps painting. Problems are shown in plain words (or logged) and never
stop the app from closing.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from backlog_app.errors import UserError
from backlog_app.services.progress import Progress
from backlog_app.settings import Settings, SettingsStore
from backlog_app.ui.jobs import JobHandle, JobRunner
from backlog_app.ui.messages import Messages

if TYPE_CHECKING:
    from backlog_app.services.backups import BackupResult
    from backlog_app.services.context import ProfileSession

log = logging.getLogger("backlog.ui.backup")

TITLE = "Automatic backup"
# A backup that is not due returns at once: the window would only flash.
SHOW_AFTER_MS = 400
_POLL_MS = 100
FAILED = (
    "Your records are safe, but today's automatic backup could not be made. "
    "Next time, try File → Back Up Now."
)


def run_closing_backup(
    parent: QWidget | None,
    profile: ProfileSession,
    settings: SettingsStore | Settings,
    *,
    messages: Messages | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Make the automatic backup if one is due; return when it is done, skipped or failed.

    Args:
        parent: the window closing (the small window sits over it); may be None.
        profile: the profile about to close; it must stay open until this returns.
        settings: the app settings (automatic backups on, how many to keep, the copy folder).
        messages: where a problem is shown (default: message boxes over ``parent``).
        now: the time to back up at (tests); default the current time.
    """
    from backlog_app.services.backups import BackupPolicy, auto_backup

    current = settings.settings if isinstance(settings, SettingsStore) else settings
    if not current.auto_backup:
        return
    messages = messages or Messages(parent)
    policy = BackupPolicy.from_settings(current)
    outcome: dict[str, Any] = {}

    def job(progress: Progress) -> BackupResult | None:
        return auto_backup(profile, policy, progress, now=now)

    runner = JobRunner(parent, lambda _error: None, lambda _error: None)
    handle = runner.run(
        TITLE,
        job,
        lambda result: outcome.setdefault("result", result),
        on_cancelled=lambda: outcome.setdefault("skipped", True),
        raise_errors=lambda error: outcome.setdefault("error", error),
        show_progress=False,
    )
    window = ClosingBackupDialog(handle, parent)
    _wait_for(handle)
    window.close_for_good()
    runner.deleteLater()
    _report(outcome, messages)


def _wait_for(handle: JobHandle) -> None:
    """Wait for the job in a local event loop, so the window keeps painting.

    While the application quits (``aboutToQuit``), Qt refuses to start a new event loop; then
    the events are handled by hand until the job ends.
    """
    if handle.done:
        return
    loop = QEventLoop()
    handle.finished.connect(loop.quit)
    loop.exec()
    while not handle.done:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)


def _report(outcome: dict[str, Any], messages: Messages) -> None:
    error = outcome.get("error")
    if isinstance(error, UserError):
        log.warning("automatic backup failed: %s", error.__class__.__name__)
        messages.problem(TITLE, f"{error.message}\n\n{FAILED}")
    elif error is not None:
        log.error("automatic backup failed", exc_info=error)
        messages.problem(TITLE, FAILED)
    elif outcome.get("skipped"):
        log.info("automatic backup skipped")
    else:
        result = outcome.get("result")
        if result is not None:
            log.info("automatic backup made: %s files", result.file_count)
            copy_problem = getattr(result, "copy_problem", None)
            if copy_problem:
                log.warning("automatic backup not copied to the second folder")
                messages.problem(TITLE, copy_problem)


class ClosingBackupDialog(QDialog):
    """ "Backing up your records…", a moving bar and Skip. Skip stops the backup at its next
    step (nothing half-written is kept); the dialog stays until the worker has stopped."""

    def __init__(self, handle: JobHandle, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("BackLog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self._handle = handle
        self.label = QLabel("Backing up your records…", self)
        self.label.setWordWrap(True)
        self.hint = QLabel("This keeps a copy of today's records. It usually takes a moment.", self)
        self.hint.setObjectName("fieldHint")
        self.hint.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName("Backup progress")
        self.buttons = QDialogButtonBox(self)
        self.skip_button = self.buttons.addButton("&Skip", QDialogButtonBox.ButtonRole.RejectRole)
        self.skip_button.setAccessibleName("Skip the backup")
        self.skip_button.setToolTip("Close now without today's automatic backup")
        self.skip_button.clicked.connect(self.skip)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self._timer = QTimer(self)
        self._timer.setInterval(_POLL_MS)
        self._timer.timeout.connect(self._tick)
        # Timers owned by the window: none fires after it is gone.
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.timeout.connect(self.show_if_running)
        self._show_timer.start(SHOW_AFTER_MS)

    def show_if_running(self) -> None:
        if not self._handle.done and not self.isVisible():
            self.show()
            self._timer.start()

    def skip(self) -> None:
        self._handle.cancel()
        self.skip_button.setEnabled(False)
        self.label.setText("Skipping the backup…")

    def reject(self) -> None:  # Escape and the title bar's close button mean Skip too
        self.skip()

    def _tick(self) -> None:
        done, total, _label = self._handle.progress.snapshot()
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))

    def close_for_good(self) -> None:
        self._show_timer.stop()
        self._timer.stop()
        self.hide()
        self.deleteLater()
