"""File → Change Passphrase…: the old passphrase, the new one twice, changed in the background.

Only the wrapped master key changes (``storage.encryption.change_passphrase``), so the profile
stays open. Checking the old passphrase and deriving the new key take Argon2 twice (a second or
two): the dialog shows that it is working and cannot be cancelled meanwhile, so that what it
reports afterwards is true.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from backlog_app.errors import UserError, WrongPassphraseError
from backlog_app.storage.profile import ProfilePaths
from backlog_app.ui.jobs import JobRunner
from backlog_app.ui.security import wording
from backlog_app.ui.security.passphrase_fields import (
    NewPassphraseFields,
    PassphraseField,
    fit_wrapped_text,
)
from backlog_app.ui.security.unlock import CHECK_FAILED
from backlog_app.ui.widgets import ProblemList, heading

log = logging.getLogger("backlog.ui.security")

# (old, new) -> None; slow, on a worker thread; WrongPassphraseError when ``old`` does not fit.
Changer = Callable[[str, str], None]


def changer_for(folder: Path) -> Changer:
    def change(old: str, new: str) -> None:
        from backlog_app.storage.encryption import change_passphrase

        change_passphrase(ProfilePaths(folder), old, new)

    return change


class ChangePassphraseDialog(QDialog):
    """Old passphrase, new passphrase twice; accepted once the change is saved."""

    def __init__(self, changer: Changer, jobs: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Change passphrase")
        self.setModal(True)
        self._changer = changer
        self._jobs = jobs
        self.busy = False
        self.old = PassphraseField("Current passphrase", self)
        self.fields = NewPassphraseFields(
            self, ask_understanding=False, first_label="&New passphrase:"
        )
        note = QLabel(wording.OLD_BACKUPS + " " + wording.DOES_NOT_PROTECT, self)
        note.setObjectName("muted")
        note.setWordWrap(True)
        note.setTextFormat(Qt.TextFormat.PlainText)
        self.problems = ProblemList()
        self.wrong_old = QLabel(self)
        self.wrong_old.setObjectName("problems")
        self.wrong_old.setWordWrap(True)
        self.wrong_old.hide()
        self.working = QProgressBar(self)
        self.working.setRange(0, 0)
        self.working.setTextVisible(False)
        self.working.setMaximumHeight(8)
        self.working.setAccessibleName("Changing the passphrase")
        self.working.hide()
        self.buttons = QDialogButtonBox(self)
        self.change_button = self.buttons.addButton(
            "&Change passphrase", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.change_button.setObjectName("primaryButton")
        self.change_button.setAccessibleName("Change passphrase")
        self.change_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAutoDefault(False)
        self.buttons.accepted.connect(self.try_change)
        self.buttons.rejected.connect(self.reject)
        self.fields.changed.connect(self.problems.clear_problems)
        # One form, so the three boxes line up: the current passphrase goes on top.
        self.fields.form.insertRow(0, "C&urrent passphrase:", self.old)
        self.fields.form.insertRow(1, "", self.wrong_old)
        label = self.fields.form.labelForField(self.old)
        if isinstance(label, QLabel):
            label.setBuddy(self.old.edit)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading("Change your passphrase", level=2))
        layout.addWidget(self.fields)
        layout.addWidget(note)
        layout.addWidget(self.problems)
        layout.addWidget(self.working)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.old.edit.setFocus()

    def try_change(self) -> None:
        if self.busy:
            return
        self.wrong_old.hide()
        problems = [] if self.old.text() else ["Please type your current passphrase."]
        problems += self.fields.problems()
        if problems:
            self.problems.show_problems(problems)
            fit_wrapped_text(self)
            return
        old, new = self.old.text(), self.fields.passphrase()
        self._set_busy(True)
        self._jobs.run(
            "Changing the passphrase…",
            lambda _progress: self._changer(old, new),
            self._changed,
            raise_errors=self._failed,
            cancellable=False,
            show_progress=False,
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_wrapped_text(self)

    def reject(self) -> None:
        if not self.busy:  # the change is under way: it finishes, then the dialog closes
            super().reject()

    def _changed(self, _result: Any) -> None:
        self._set_busy(False)
        self.old.clear()
        self.fields.clear()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, WrongPassphraseError):
            self.wrong_old.setText(
                "That is not your current passphrase. Check Caps Lock and try again."
            )
            self.wrong_old.show()
            self.old.select_for_retyping()
        elif isinstance(error, UserError):
            self.problems.setText(error.message)
            self.problems.show()
        else:
            log.error("changing the passphrase failed", exc_info=error)
            self.problems.setText(CHECK_FAILED)
            self.problems.show()
        fit_wrapped_text(self)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.working.setVisible(busy)
        for widget in (self.fields, self.change_button, self.cancel_button):
            widget.setEnabled(not busy)
