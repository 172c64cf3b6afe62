"""Unlocking an encrypted profile: the passphrase panel (also used by the lock screen) and the
small dialog shown when such a profile opens.

Checking a passphrase means deriving a key with Argon2 (about a second, on purpose), so it runs on
a worker thread while the panel shows that it is working. A wrong passphrase is said plainly in
the panel, and the field is selected for retyping. The panel only produces the key; opening the
profile with it is the app's job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backlog_app.errors import UserError
from backlog_app.storage.profile import ProfilePaths
from backlog_app.ui.jobs import JobRunner
from backlog_app.ui.security.passphrase_fields import PassphraseField, fit_wrapped_text
from backlog_app.ui.widgets import heading

if TYPE_CHECKING:
    from backlog_app.storage.crypto import ProfileKey

log = logging.getLogger("backlog.ui.security")

CHECK_FAILED = (
    "BackLog could not check the passphrase because of a problem it did not expect. "
    "Please try again; if it happens again, the details are in the log file."
)

# passphrase -> key; slow, runs on a worker thread; WrongPassphraseError when it does not fit.
Unlocker = Callable[[str], "ProfileKey"]


def unlocker_for(folder: Path) -> Unlocker:
    """The real check: Argon2 over the profile's encryption.json, then unwrap its master key."""

    def unlock_profile(passphrase: str) -> ProfileKey:
        from backlog_app.storage.encryption import unlock

        return unlock(ProfilePaths(folder), passphrase)

    return unlock_profile


def is_protected(folder: Path) -> bool:
    """True when the profile in ``folder`` needs a passphrase to open.

    The same test as ``storage.encryption.is_encrypted`` (the passphrase file exists), made here
    because importing that module loads the database layer: half a second on the GUI thread
    before the window's first frame.
    """
    return ProfilePaths(folder).encryption.is_file()


class UnlockPanel(QWidget):
    """A passphrase field, an Unlock button, a "checking" bar and the wrong-passphrase message.

    Emits ``unlocked`` with the ProfileKey on the GUI thread. ``jobs`` runs the check (quietly:
    the panel shows its own progress).
    """

    unlocked = Signal(object)
    busy_changed = Signal(bool)

    def __init__(
        self,
        unlocker: Unlocker,
        jobs: JobRunner,
        parent: QWidget | None = None,
        *,
        button_text: str = "&Unlock",
    ) -> None:
        super().__init__(parent)
        self._unlocker = unlocker
        self._jobs = jobs
        self._attempt = 0  # results of an attempt the user walked away from are dropped
        self.busy = False
        self.field = PassphraseField("Passphrase", self)
        self.problem = QLabel(self)
        self.problem.setObjectName("problems")
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.hide()
        self.checking = QLabel("Checking the passphrase…", self)
        self.checking.setObjectName("muted")
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)  # busy: Argon2 gives no progress to report
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(8)
        self.bar.setAccessibleName("Checking the passphrase")
        self.unlock_button = QPushButton(button_text, self)
        self.unlock_button.setObjectName("primaryButton")
        self.unlock_button.setAccessibleName(button_text.replace("&", ""))
        self.unlock_button.setEnabled(False)
        self.unlock_button.clicked.connect(self.start_unlock)
        self.field.edit.textChanged.connect(self._typed)
        self.field.edit.returnPressed.connect(self.start_unlock)
        label = QLabel("&Passphrase:", self)
        label.setBuddy(self.field.edit)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label)
        row.addWidget(self.field, 1)
        busy_row = QHBoxLayout()
        busy_row.setContentsMargins(0, 0, 0, 0)
        busy_row.addWidget(self.checking)
        busy_row.addWidget(self.bar, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        layout.addLayout(busy_row)
        self._show_busy(False)

    def start_unlock(self) -> None:
        """Check the typed passphrase in the background (Unlock, or Enter in the field)."""
        passphrase = self.field.text()
        if not passphrase or self.busy:
            return
        self._attempt += 1
        attempt = self._attempt
        self.problem.hide()
        self._show_busy(True)

        def succeeded(key: Any) -> None:
            if attempt == self._attempt:
                self._show_busy(False)
                self.field.clear()
                self.unlocked.emit(key)

        def failed(error: BaseException) -> None:
            if attempt != self._attempt:
                return
            self._show_busy(False)
            if isinstance(error, UserError):
                self.show_problem(error.message)
                return
            log.error("checking a passphrase failed", exc_info=error)
            self.show_problem(CHECK_FAILED)

        self._jobs.run(
            "Checking the passphrase…",
            lambda _progress: self._unlocker(passphrase),
            succeeded,
            raise_errors=failed,
            cancellable=False,
            show_progress=False,
        )

    def abandon(self) -> None:
        """Forget the check in progress (the dialog was cancelled); its result will be dropped."""
        self._attempt += 1
        self._show_busy(False)
        self.field.clear()

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()
        if isinstance(self.window(), QDialog):
            fit_wrapped_text(self.window())
        self.field.select_for_retyping()

    def set_enabled_for_input(self, enabled: bool) -> None:
        self.field.setEnabled(enabled)
        self.unlock_button.setEnabled(enabled and bool(self.field.text()))
        if enabled:
            self.field.edit.setFocus()

    def _typed(self, text: str) -> None:
        self.unlock_button.setEnabled(bool(text) and not self.busy)

    def _show_busy(self, busy: bool) -> None:
        self.busy = busy
        self.checking.setVisible(busy)
        self.bar.setVisible(busy)
        self.field.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy and bool(self.field.text()))
        self.busy_changed.emit(busy)
        if not busy:
            self.field.edit.setFocus()


class UnlockDialog(QDialog):
    """ "This profile is protected with a passphrase": the panel, with Cancel.

    ``key`` holds the ProfileKey once accepted.
    """

    def __init__(
        self,
        folder: Path,
        unlocker: Unlocker,
        jobs: JobRunner,
        parent: QWidget | None = None,
        *,
        note: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Unlock your records")
        self.setModal(True)
        self.key: ProfileKey | None = None
        title = heading("Enter your passphrase", level=2)
        self.message = QLabel(
            note or f"The profile in {folder} is protected with a passphrase.", self
        )
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.panel = UnlockPanel(unlocker, jobs, self)
        self.panel.unlock_button.hide()  # the dialog's own button row has Unlock
        self.buttons = QDialogButtonBox(self)
        self.unlock_button = self.buttons.addButton(
            "&Unlock", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.unlock_button.setObjectName("primaryButton")
        self.unlock_button.setAccessibleName("Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.setEnabled(False)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAutoDefault(False)
        self.buttons.accepted.connect(self.panel.start_unlock)
        self.buttons.rejected.connect(self.reject)
        self.panel.field.edit.textChanged.connect(lambda _text: self._update_button())
        self.panel.busy_changed.connect(lambda _busy: self._update_button())
        self.panel.unlocked.connect(self._unlocked)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(self.message)
        layout.addWidget(self.panel)
        layout.addSpacing(6)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(500)
        self.panel.field.edit.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_wrapped_text(self)

    def reject(self) -> None:
        self.panel.abandon()
        super().reject()

    def _update_button(self) -> None:
        self.unlock_button.setEnabled(bool(self.panel.field.text()) and not self.panel.busy)

    def _unlocked(self, key: ProfileKey) -> None:
        self.key = key
        self.accept()


def ask_for_key(
    parent: QWidget | None,
    folder: Path,
    jobs: JobRunner,
    *,
    unlocker: Unlocker | None = None,
    note: str | None = None,
) -> ProfileKey | None:
    """Show the unlock dialog for the profile in ``folder``; the key, or None when cancelled."""
    dialog = UnlockDialog(folder, unlocker or unlocker_for(folder), jobs, parent, note=note)
    try:
        dialog.exec()
        return dialog.key
    finally:
        dialog.deleteLater()
