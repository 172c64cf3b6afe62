"""Keyboard-first inputs for the treatment log: 0–10 scores, optional numbers, check grids, pickers.

Each keeps "not recorded" (None) apart from 0, and lets Return and Escape reach the dialog so
Enter saves from anywhere and Escape asks before discarding.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from enum import StrEnum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QElapsedTimer, QRegularExpression, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QWidget,
)

E = TypeVar("E", bound=StrEnum)
V = TypeVar("V", bound=Hashable)

NOT_RECORDED = "—"
# "1" then "0" within this time is 10, as a practised user types it; later, "0" means 0.
TEN_TYPING_MS = 1500

_SCORE_STYLE = """
QToolButton {
    min-width: 26px; min-height: 28px; padding: 0 2px;
    border: 1px solid palette(mid); border-radius: 5px; background: palette(base);
}
QToolButton:checked { background: palette(highlight); color: palette(highlighted-text);
    border-color: palette(highlight); font-weight: bold; }
QWidget#scorePicker[hasFocus="true"] QToolButton:checked { border: 2px solid palette(text); }
"""


class ScorePicker(QWidget):
    """A row of buttons "—", 0 … ``maximum``: one tab stop, typed digits set the value.

    Keys: a digit sets it ("1" then "0" quickly gives 10); Left/Right or Up/Down step;
    Home/End jump; Delete, Backspace or "-" clear it to "not recorded". Return and
    Escape are left to the dialog.

    Args:
        name: what is scored ("Pain now"), for screen readers and button names.
        maximum: the highest score (10 for pain, 5 for an ODI section).
    """

    value_changed = Signal(object)  # int | None

    def __init__(self, name: str, maximum: int = 10, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scorePicker")
        self.setProperty("hasFocus", False)
        self._name = name
        self._maximum = maximum
        self._value: int | None = None
        self._last_key_was_one = False
        self._since_one = QElapsedTimer()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(name)
        self.setToolTip(f"{name}: type 0–{maximum}, or Delete for not recorded.")
        self.setStyleSheet(_SCORE_STYLE)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(3)
        self._buttons: dict[int | None, QToolButton] = {}
        for value in [None, *range(maximum + 1)]:
            button = QToolButton(self)
            button.setText(NOT_RECORDED if value is None else str(value))
            button.setCheckable(True)
            # The picker is the tab stop; its buttons are for the mouse.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            shown = "not recorded" if value is None else str(value)
            button.setAccessibleName(f"{name}: {shown}")
            button.clicked.connect(lambda _checked=False, v=value: self._clicked(v))
            self._group.addButton(button)
            layout.addWidget(button)
            self._buttons[value] = button
        layout.addStretch(1)
        # Polish now so the style sheet's button sizes count when dialogs lay themselves out.
        for button in self._buttons.values():
            button.ensurePolished()
        self._show_value()

    @property
    def maximum(self) -> int:
        return self._maximum

    def value(self) -> int | None:
        return self._value

    def set_value(self, value: int | None) -> None:
        """Raises ValueError for a score outside 0 … maximum (the widget cannot hold one)."""
        if value is not None and not 0 <= value <= self._maximum:
            raise ValueError(f"{self._name} must be from 0 to {self._maximum} (it is {value}).")
        if value == self._value:
            return
        self._value = value
        self._show_value()
        self.value_changed.emit(value)

    def _clicked(self, value: int | None) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.set_value(value)

    def _show_value(self) -> None:
        self._buttons[self._value].setChecked(True)
        shown = "not recorded" if self._value is None else f"{self._value} of {self._maximum}"
        self.setAccessibleDescription(f"{self._name}: {shown}")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        text = event.text()
        typed_one_before = self._last_key_was_one and self._since_one.elapsed() < TEN_TYPING_MS
        self._last_key_was_one = False
        shortcut_keys = (
            Qt.KeyboardModifier.ControlModifier
            | Qt.KeyboardModifier.AltModifier
            | Qt.KeyboardModifier.MetaModifier
        )
        if event.modifiers() & shortcut_keys:
            # Ctrl/Alt combinations are shortcuts, not scores. (Shift is not: some keyboards,
            # such as the French one, need it for digits.)
            super().keyPressEvent(event)
            return
        if len(text) == 1 and text.isdigit():
            digit = int(text)
            if digit == 0 and typed_one_before and self._value == 1 and self._maximum >= 10:
                self.set_value(10)
            elif digit <= self._maximum:
                self.set_value(digit)
                if digit == 1:
                    self._last_key_was_one = True
                    self._since_one.start()
            else:
                QApplication.beep()  # a score above the maximum cannot be typed
            return
        current = -1 if self._value is None else self._value
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Plus):
            self.set_value(min(current + 1, self._maximum))
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Down):
            self.set_value(current - 1 if current > 0 else None)
        elif key == Qt.Key.Key_Home:
            self.set_value(0)
        elif key == Qt.Key.Key_End:
            self.set_value(self._maximum)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_Minus):
            self.set_value(None)
        else:
            event.ignore()  # Return, Escape, Tab: the dialog's
            return

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._set_focus_look(True)
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._last_key_was_one = False
        self._set_focus_look(False)
        super().focusOutEvent(event)

    def _set_focus_look(self, focused: bool) -> None:
        self.setProperty("hasFocus", focused)
        self.setStyleSheet(_SCORE_STYLE)  # re-polish so the property selector applies


class OptionalNumberEdit(QLineEdit):
    """A number that may be left blank (not recorded). Range rules are the domain's.

    Args:
        name: what the number is ("Minutes of walking"), for messages and screen readers.
        decimals: allow a decimal part ("7.5"; a comma works too).
        max_digits: how many digits before the decimal point can be typed.
    """

    def __init__(
        self,
        name: str,
        *,
        decimals: bool = False,
        max_digits: int = 4,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._name = name
        self._decimals = decimals
        pattern = rf"\d{{0,{max_digits}}}" + (r"([.,]\d{0,2})?" if decimals else "")
        self.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), self))
        self.setPlaceholderText(NOT_RECORDED)
        self.setAccessibleName(name)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setFixedWidth(self.fontMetrics().horizontalAdvance("0") * (max_digits + 3) + 16)

    def number(self) -> float | None:
        text = self.text().strip().replace(",", ".")
        if not text or text == ".":
            return None
        if not re.fullmatch(r"\d*\.?\d*", text):
            raise ValueError(f"{self._name}: “{self.text()}” is not a number.")
        return float(text)

    def int_value(self) -> int | None:
        number = self.number()
        if number is None:
            return None
        if not number.is_integer():
            raise ValueError(f"{self._name}: please enter a whole number.")
        return int(number)

    def set_number(self, value: float | None) -> None:
        if value is None:
            self.clear()
        elif float(value).is_integer():
            self.setText(str(int(value)))
        else:
            self.setText(f"{value:g}")


class CheckGrid(QWidget, Generic[V]):
    """Check boxes in a grid that count as one tab stop; arrow keys move between them.

    Space ticks the focused box. This keeps a body picker with seven places to one Tab.

    Args:
        name: the group's accessible name ("Where it hurts").
        items: (value, label, row, column, column span) for each box.
    """

    changed = Signal()

    def __init__(
        self,
        name: str,
        items: Sequence[tuple[V, str, int, int, int]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self._boxes: dict[V, QCheckBox] = {}
        self._cells: dict[tuple[int, int], QCheckBox] = {}
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(18)
        layout.setVerticalSpacing(6)
        for value, label, row, column, span in items:
            box = QCheckBox(label, self)
            box.setAccessibleName(f"{name}: {label}")
            box.toggled.connect(self.changed)
            box.installEventFilter(self)
            alignment = Qt.AlignmentFlag.AlignHCenter if span > 1 else Qt.AlignmentFlag(0)
            layout.addWidget(box, row, column, 1, span, alignment)
            self._boxes[value] = box
            for covered in range(column, column + span):
                self._cells[(row, covered)] = box
        self._roving: QCheckBox | None = None
        self._make_roving(next(iter(self._boxes.values())))

    def checked(self) -> frozenset[V]:
        return frozenset(value for value, box in self._boxes.items() if box.isChecked())

    def set_checked(self, values: frozenset[V] | set[V]) -> None:
        for value, box in self._boxes.items():
            box.setChecked(value in values)

    def box(self, value: V) -> QCheckBox:
        return self._boxes[value]

    def setFocus(self, reason: Qt.FocusReason = Qt.FocusReason.OtherFocusReason) -> None:
        if self._roving is not None:
            self._roving.setFocus(reason)

    def _make_roving(self, box: QCheckBox) -> None:
        # Only the box last used is in the tab chain; the others are reached with arrows.
        for other in self._boxes.values():
            other.setFocusPolicy(
                Qt.FocusPolicy.StrongFocus if other is box else Qt.FocusPolicy.ClickFocus
            )
        self._roving = box

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if isinstance(watched, QCheckBox) and watched in self._boxes.values():
            if event.type() == event.Type.FocusIn:
                self._make_roving(watched)
            elif event.type() == event.Type.KeyPress and self._move(watched, event.key()):
                return True
        return super().eventFilter(watched, event)

    def _move(self, box: QCheckBox, key: int) -> bool:
        steps = {
            Qt.Key.Key_Up: (-1, 0),
            Qt.Key.Key_Down: (1, 0),
            Qt.Key.Key_Left: (0, -1),
            Qt.Key.Key_Right: (0, 1),
        }
        if key not in steps:
            return False
        d_row, d_column = steps[key]  # type: ignore[index]
        row, column = self._position(box)
        target = self._cells.get((row + d_row, column + d_column))
        if target is None and d_row:
            # From the wide box on top, Down goes to the first box below it, and back.
            target = next(
                (b for (r, _), b in sorted(self._cells.items()) if r == row + d_row), None
            )
        if target is not None and target is not box:
            target.setFocus(Qt.FocusReason.TabFocusReason)
        return True

    def _position(self, box: QCheckBox) -> tuple[int, int]:
        return min(cell for cell, b in self._cells.items() if b is box)


class EnumCombo(QComboBox, Generic[E]):
    """A choice among an enum's labels, with a first entry for "not recorded" (None).

    Typing a letter picks the first choice starting with it, as in every combo box.
    """

    def __init__(
        self,
        name: str,
        choices: Sequence[E],
        *,
        none_label: str | None = NOT_RECORDED,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self._enum_type = type(choices[0]) if choices else None
        if none_label is not None:
            self.addItem(none_label, None)
        for choice in choices:
            self.addItem(getattr(choice, "label", choice.value), choice.value)

    def value(self) -> E | None:
        data = self.currentData()
        if data is None or self._enum_type is None:
            return None
        chosen: E = self._enum_type(data)
        return chosen

    def set_value(self, value: E | None) -> None:
        index = self.findData(value.value if value is not None else None)
        self.setCurrentIndex(max(index, 0))


class IdCombo(QComboBox):
    """A choice among records by id (a provider, a course), with a first entry for none."""

    def __init__(
        self,
        name: str,
        choices: Sequence[tuple[int, str]],
        *,
        none_label: str = "— none —",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        # Long provider names must not make the whole dialog wide; the list shows them in full.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(22)
        self._none_label = none_label
        self.set_choices(choices)

    def set_choices(self, choices: Sequence[tuple[int, str]]) -> None:
        current = self.value()
        self.clear()
        self.addItem(self._none_label, None)
        for record_id, label in choices:
            self.addItem(label, record_id)
        self.set_value(current)

    def value(self) -> int | None:
        data = self.currentData()
        return int(data) if data is not None else None

    def set_value(self, record_id: int | None) -> None:
        index = self.findData(record_id) if record_id is not None else 0
        if index < 0 and record_id is not None:
            # The record was deleted or is filtered out; keep it rather than drop it silently.
            self.addItem(f"(record {record_id})", record_id)
            index = self.count() - 1
        self.setCurrentIndex(max(index, 0))
