"""One small window for every backup message with a choice: a headline, a few plain sentences, an
optional list (damaged files, skipped files) and the buttons that answer it.

``NoticeDialog.ask()`` returns the key of the button pressed (the cancel key on Escape), so the
flows read as plain questions and tests press real buttons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

DIALOG_WIDTH = 520
LIST_HEIGHT = 120


@dataclass(frozen=True, slots=True)
class Answer:
    """A button: what it says, what ``ask`` returns, and whether it is the one to press."""

    text: str
    key: str
    primary: bool = False


class NoticeDialog(QDialog):
    """A headline, plain text, an optional list, and buttons.

    Args:
        title: the window title.
        headline: one short sentence in bold ("Your backup is saved and checked").
        text: what it means and what to do.
        answers: the buttons, left to right as the platform orders them; the last one is the
            cancel answer (Escape, closing the window).
        details: lines to list (file names), shown in a scrolling list.
    """

    def __init__(
        self,
        title: str,
        headline: str,
        text: str,
        answers: Sequence[Answer],
        parent: QWidget | None = None,
        *,
        details: Sequence[str] = (),
        details_label: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.answer = answers[-1].key
        self._cancel_key = answers[-1].key
        self.headline = QLabel(headline, self)
        font = QFont(self.headline.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.headline.setFont(font)
        self.headline.setWordWrap(True)
        self.text = QLabel(text, self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QListWidget(self)
        self.details.setAccessibleName(details_label or "Details")
        for line in details:
            # The full name stays in the item (and its tooltip); a long one is cut in the middle
            # on screen, so that both its start and its end show.
            item = QListWidgetItem(line, self.details)
            item.setToolTip(line)
        self.details.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.details.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.details.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.details.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.details.setMinimumHeight(LIST_HEIGHT)
        self.details.setVisible(bool(details))
        self.details_label = QLabel(details_label, self)
        self.details_label.setVisible(bool(details) and bool(details_label))
        self.buttons = QDialogButtonBox(self)
        self.answer_buttons: dict[str, QPushButton] = {}
        for index, answer in enumerate(answers):
            last = index == len(answers) - 1
            role = (
                QDialogButtonBox.ButtonRole.RejectRole
                if last and len(answers) > 1
                else QDialogButtonBox.ButtonRole.AcceptRole
                if answer.primary
                else QDialogButtonBox.ButtonRole.ActionRole
            )
            button = make_button(answer.text, self, primary=answer.primary)
            self.buttons.addButton(button, role)
            button.setDefault(answer.primary)
            button.setAutoDefault(answer.primary)
            button.clicked.connect(lambda _=False, key=answer.key: self._choose(key))
            self.answer_buttons[answer.key] = button
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.headline)
        layout.addWidget(self.text)
        layout.addWidget(self.details_label)
        layout.addWidget(self.details, 1)
        if not details:
            layout.addStretch(1)  # a taller window keeps the text under the headline
        layout.addSpacing(4)
        layout.addWidget(self.buttons)
        keep_text_unsqueezed(self, DIALOG_WIDTH)

    def button(self, key: str) -> QPushButton:
        return self.answer_buttons[key]

    def _choose(self, key: str) -> None:
        self.answer = key
        if key == self._cancel_key:
            self.reject()
        else:
            self.accept()

    def reject(self) -> None:
        self.answer = self._cancel_key
        super().reject()

    def ask(self) -> str:
        """Show the window until a button is pressed; the key of that button."""
        self.exec()
        return self.answer


def make_button(text: str, parent: QWidget, *, primary: bool = False) -> QPushButton:
    """A dialog button; the primary one (bold) is named before it is first styled."""
    button = QPushButton(text, parent)
    if primary:
        button.setObjectName("primaryButton")
    button.setAccessibleName(text.replace("&", "").rstrip("…"))
    return button


def keep_text_unsqueezed(dialog: QWidget, width: int) -> None:
    """Make ``dialog`` at least as tall as its wrapped text needs at ``width`` (call again when a
    message appears): a window made smaller would otherwise draw lines over each other."""
    layout = dialog.layout()
    if layout is not None:
        dialog.setMinimumSize(width, layout.totalHeightForWidth(width))
