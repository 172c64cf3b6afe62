"""The base of the treatment-log editors: Save is the default button, Escape asks before discarding."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from backlog_app.ui.editors.base import RecordDialog
from backlog_app.ui.messages import Messages


class LogRecordDialog(RecordDialog):
    """A RecordDialog that never drops typed input without asking.

    Enter (from any field that does not need it) and Ctrl+S save; Escape, Cancel and the close
    button ask before discarding changes made since ``mark_clean()``.

    Args:
        title: window title.
        save: called with the collected record; raises ValidationError/UserError to refuse it.
        messages: asks "discard changes?".
    """

    def __init__(
        self,
        title: str,
        save: Callable[[Any], object],
        messages: Messages,
        parent: QWidget | None,
    ) -> None:
        def save_record(record: Any) -> None:
            save(record)  # services' add() returns the new id; the dialog does not need it

        super().__init__(title, save_record, parent)
        self._messages = messages
        self._clean_state: tuple[object, ...] | None = None
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        self.save_button.setAccessibleName("Save")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        cancel.setAutoDefault(False)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.try_save)
        self._preferred_width = 0
        self._sized = False

    def set_preferred_width(self, width: int) -> None:
        """Open at least this wide (unlike setMinimumWidth, the layout's minimum still rules)."""
        self._preferred_width = width

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._sized:
            return
        self._sized = True
        # Wrapped labels make the height depend on the width, which a top-level window's
        # first size ignores: make room for every row so nothing is squeezed or clipped.
        width = max(self.width(), self._preferred_width)
        layout = self.layout()
        if layout is None:
            return
        needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else -1
        self.resize(width, max(self.height(), needed, layout.totalMinimumSize().height()))

    def mark_clean(self) -> None:
        """Remember the fields as they are now; later changes count as unsaved."""
        self._clean_state = self.field_state()

    def is_modified(self) -> bool:
        return self._clean_state is not None and self.field_state() != self._clean_state

    def field_state(self) -> tuple[object, ...]:
        """Everything the user can type or tick, in a comparable form."""
        state: list[object] = []
        for widget in self.findChildren(QWidget):
            if isinstance(widget, QLineEdit):
                state.append(widget.text())
            elif isinstance(widget, QPlainTextEdit):
                state.append(widget.toPlainText())
            elif isinstance(widget, QComboBox):
                state.append(widget.currentIndex())
            elif isinstance(widget, QAbstractButton) and widget.isCheckable():
                state.append(widget.isChecked())
        return tuple(state)

    def reject(self) -> None:
        if self.is_modified() and not self._messages.confirm(
            "Discard changes?",
            "You typed changes that are not saved yet. Discard them?",
            "Discard changes",
        ):
            return
        super().reject()


def form_group(title: str, rows: list[tuple[str, QWidget, str | None]]) -> QGroupBox:
    """A titled box of labelled fields (label, field, help); each field is named for screen readers.

    An empty label puts the field on a row of its own (a check box carries its own text).
    """
    box = QGroupBox(title)
    form = QFormLayout(box)
    for label, widget, help_text in rows:
        if not widget.accessibleName():
            widget.setAccessibleName(label.replace("&", "") or widget.property("text") or title)
        if help_text:
            widget.setToolTip(help_text)
            widget.setAccessibleDescription(help_text)
        if label:
            form.addRow(label, widget)
        else:
            form.addRow(widget)
    return box
