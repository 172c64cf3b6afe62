"""File → Protect with a Passphrase…: explains the trade-off and asks for the new passphrase.

The dialog only collects the passphrase; the app closes the profile, converts it in the background
(``storage.encryption.encrypt_profile``) and opens it again with the new key.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from backlog_app.ui.security.explanation import explanation
from backlog_app.ui.security.passphrase_fields import NewPassphraseFields, fit_wrapped_text
from backlog_app.ui.widgets import ProblemList, heading

WHAT_HAPPENS = (
    "BackLog will close your records for a moment, lock every record and document with the "
    "passphrase, and open them again. With many documents this can take a few minutes. "
    "The old, unprotected backups in the profile's backups folder are deleted and a new, "
    "protected backup is made there. Backup copies kept elsewhere are not changed."
)


class ProtectDialog(QDialog):
    """Passphrase twice, its strength, and the "lost passphrase means lost records" tick box."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Protect with a passphrase")
        self.setModal(True)
        self.fields = NewPassphraseFields(self)
        self.problems = ProblemList()
        what_happens = QLabel(WHAT_HAPPENS, self)
        what_happens.setObjectName("muted")
        what_happens.setWordWrap(True)
        what_happens.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(self)
        self.protect_button = self.buttons.addButton(
            "&Protect my records", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.protect_button.setObjectName("primaryButton")
        self.protect_button.setAccessibleName("Protect my records")
        self.protect_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAutoDefault(False)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        self.fields.changed.connect(self.problems.clear_problems)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading("Protect your records with a passphrase"))
        layout.addWidget(explanation(self))
        layout.addWidget(self.fields)
        layout.addWidget(what_happens)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(620)
        self.fields.first.edit.setFocus()

    def passphrase(self) -> str:
        return self.fields.passphrase()

    def try_accept(self) -> None:
        problems = self.fields.problems()
        if problems:
            self.problems.show_problems(problems)
            fit_wrapped_text(self)
            return
        self.accept()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_wrapped_text(self)
