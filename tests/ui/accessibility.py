"""A check shared by the UI tests: every control a keyboard user can reach has a spoken name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from backlog_app.ui.editors.log_widgets import ScorePicker

_CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, ScorePicker)


def unnamed_controls(window: QWidget) -> list[QWidget]:
    """Visible, focusable controls in ``window`` without an accessible name.

    The line edit inside a spin box, date field or combo box is part of that control and is
    named by it.
    """
    unnamed: list[QWidget] = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, _CONTROLS) or isinstance(
            widget.parentWidget(), QAbstractSpinBox | QComboBox
        ):
            continue
        reachable = widget.focusPolicy() != Qt.FocusPolicy.NoFocus and widget.isVisibleTo(window)
        if reachable and not widget.accessibleName():
            unnamed.append(widget)
    return unnamed
