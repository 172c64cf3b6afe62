"""Dialogs behind one small service, so no logic calls QMessageBox and tests run without windows."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


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
