"""Dialogs behind one small service, so no logic calls QMessageBox and tests run without windows."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True, slots=True)
class PasswordAnswer:
    """What the user typed in a password prompt, and whether BackLog may keep it."""

    password: str
    remember: bool = False


class Messages:
    """Shows plain-language messages. Tests swap in a recorder with the same methods."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def info(self, title: str, text: str) -> None:
        QMessageBox.information(self.parent, title, text)

    def problem(self, title: str, text: str, details: list[str] | None = None) -> None:
        """A user-fixable problem: what happened and what to do."""
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self.parent
        )
        if details:
            box.setInformativeText("\n".join(f"• {line}" for line in details))
        box.exec()

    def confirm(self, title: str, text: str, action: str) -> bool:
        """Ask before something that cannot be undone; the safe answer is the default."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self.parent)
        yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is yes

    def ask_password(
        self,
        title: str,
        text: str,
        *,
        offer_remember: bool = False,
        problem: str | None = None,
        accept: str = "OK",
        cancel: str = "Cancel",
    ) -> PasswordAnswer | None:
        """Ask for a password (a locked PDF); None when the user cancels.

        Args:
            title: the window title.
            text: which file, and where the password may be found.
            offer_remember: show "Remember the password in this profile" (off by default).
            problem: why we ask again ("that password did not open it"), shown in red.
            accept: the button that uses the password ("Add").
            cancel: the button that gives up ("Skip this file").
        """
        dialog = PasswordDialog(
            title,
            text,
            self.parent,
            offer_remember=offer_remember,
            problem=problem,
            accept=accept,
            cancel=cancel,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.answer()

    def apology(self, log_file: str | None) -> None:
        """A bug: say sorry, say nothing was lost if that is true, point to the log."""
        where = f"\n\nThe details are in {log_file}." if log_file else ""
        QMessageBox.critical(
            self.parent,
            "Sorry — something went wrong",
            "BackLog ran into a problem it did not expect. Your saved records are safe; the "
            "last action may not have finished. If it happens again, please send the log file "
            f"to the BackLog developers (it contains no names or health details).{where}",
        )


REMEMBER_PASSWORD_TEXT = "&Remember the password in this profile"
REMEMBER_PASSWORD_HINT = "BackLog needs it to include the document in a packet for your insurer."


class PasswordDialog(QDialog):
    """Asks for one password: the file and where to find it, the field, Show, Remember.

    The accept button stays disabled until something is typed; Escape cancels.
    """

    def __init__(
        self,
        title: str,
        text: str,
        parent: QWidget | None = None,
        *,
        offer_remember: bool = False,
        problem: str | None = None,
        accept: str = "OK",
        cancel: str = "Cancel",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self._offer_remember = offer_remember
        self.message = QLabel(text, self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.problem = QLabel(problem or "", self)
        self.problem.setObjectName("problems")
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setVisible(bool(problem))
        self.field = QLineEdit(self)
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName("Password")
        self.field.setMinimumWidth(280)
        self.show_text = QCheckBox("&Show the password as I type", self)
        self.show_text.setAccessibleName("Show the password as I type")
        self.show_text.toggled.connect(self._show_typed)
        self.remember = QCheckBox(REMEMBER_PASSWORD_TEXT, self)
        self.remember.setAccessibleName(REMEMBER_PASSWORD_TEXT.replace("&", ""))
        self.remember.setAccessibleDescription(REMEMBER_PASSWORD_HINT)
        self.remember.setVisible(offer_remember)
        self.remember_hint = QLabel(REMEMBER_PASSWORD_HINT, self)
        self.remember_hint.setObjectName("fieldHint")
        self.remember_hint.setWordWrap(True)
        self.remember_hint.setIndent(24)  # under the check box's text, not its box
        self.remember_hint.setVisible(offer_remember)
        self.buttons = QDialogButtonBox(self)
        self.accept_button = self.buttons.addButton(accept, QDialogButtonBox.ButtonRole.AcceptRole)
        self.accept_button.setAccessibleName(accept.replace("&", ""))
        self.accept_button.setDefault(True)
        self.accept_button.setEnabled(False)
        self.cancel_button = self.buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setAccessibleName(cancel.replace("&", ""))
        self.cancel_button.setAutoDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.field.textChanged.connect(lambda typed: self.accept_button.setEnabled(bool(typed)))
        form = QFormLayout()
        form.addRow("&Password:", self.field)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.message)
        layout.addWidget(self.problem)
        layout.addLayout(form)
        layout.addWidget(self.show_text)
        layout.addWidget(self.remember)
        layout.addWidget(self.remember_hint)
        layout.addSpacing(6)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.field.setFocus()

    def answer(self) -> PasswordAnswer | None:
        """The typed password (None when nothing was typed)."""
        if not self.field.text():
            return None
        return PasswordAnswer(self.field.text(), self._offer_remember and self.remember.isChecked())

    def _show_typed(self, shown: bool) -> None:
        self.field.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
