"""Small reusable input widgets: optional dates, money, multi-line text, inline problem lists."""

from __future__ import annotations

import contextlib
import datetime as dt

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDateEdit, QLabel, QLineEdit, QPlainTextEdit, QWidget

from backlog_app.domain.money import format_cents, parse_dollars

_NOT_SET = QDate(1800, 1, 1)


class OptionalDateEdit(QDateEdit):
    """A date field with a calendar that can also be "Not set" (unknown is not a date).

    The lowest date stands for "not set": Qt shows the special text for it. Delete/Backspace on a
    fully selected field clears it.
    """

    def __init__(self, parent: QWidget | None = None, *, allow_empty: bool = True) -> None:
        super().__init__(parent)
        self._allow_empty = allow_empty
        self.setCalendarPopup(True)
        self.setDisplayFormat("d MMM yyyy")
        self.setMinimumDate(_NOT_SET)
        self.setMaximumDate(QDate(2199, 12, 31))
        self.setSpecialValueText("Not set")
        self.calendarWidget().installEventFilter(self)
        self.set_date(None)

    def date_value(self) -> dt.date | None:
        value = self.date()
        if value == _NOT_SET:
            return None
        return dt.date(value.year(), value.month(), value.day())

    def set_date(self, value: dt.date | None) -> None:
        if value is None:
            self.setDate(_NOT_SET)
        else:
            self.setDate(QDate(value.year, value.month, value.day))

    def keyPressEvent(self, event):  # type: ignore[no-untyped-def]
        if (
            self._allow_empty
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and (self.lineEdit().selectedText() == self.lineEdit().text())
        ):
            self.set_date(None)
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched, event):  # type: ignore[no-untyped-def]
        # The calendar of an unset field should open on this month, not in 1800; showing a
        # month (setCurrentPage) does not pick a date.
        if (
            watched is self.calendarWidget()
            and event.type() == QEvent.Type.Show
            and (self.date() == _NOT_SET)
        ):
            today = QDate.currentDate()
            self.calendarWidget().setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)


class MoneyEdit(QLineEdit):
    """Dollars typed as "1,500" or "1500.00"; the value is integer cents or None."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("e.g. 1,500")
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.editingFinished.connect(self._tidy)

    def cents(self) -> int | None:
        """Raises ValueError with a plain message when the text is not an amount."""
        return parse_dollars(self.text())

    def set_cents(self, cents: int | None) -> None:
        self.setText(format_cents(cents))

    def _tidy(self) -> None:
        # Unparseable text stays as typed; saving explains the problem.
        with contextlib.suppress(ValueError):
            self.set_cents(self.cents())


class NotesEdit(QPlainTextEdit):
    """Multi-line text where Tab moves to the next field instead of inserting a tab."""

    def __init__(self, parent: QWidget | None = None, *, lines: int = 3) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        height = self.fontMetrics().lineSpacing() * lines + 14
        self.setMinimumHeight(height)
        self.setMaximumHeight(height * 2)

    def value(self) -> str | None:
        return self.toPlainText().strip() or None

    def set_value(self, text: str | None) -> None:
        self.setPlainText(text or "")


class ProblemList(QLabel):
    """Shows what stops a save, in plain words, right above the buttons; hidden when empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problems")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAccessibleName("Problems to fix before saving")
        self.hide()

    def show_problems(self, problems: list[str]) -> None:
        if not problems:
            self.clear_problems()
            return
        self.setText("Please fix this before saving:\n" + "\n".join(f"• {p}" for p in problems))
        self.show()

    def clear_problems(self) -> None:
        self.clear()
        self.hide()


def heading(text: str, level: int = 1) -> QLabel:
    """A page or section title."""
    label = QLabel(text)
    label.setObjectName("heading" if level == 1 else "subheading")
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * (1.6 if level == 1 else 1.2))
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(text)
    return label


def blank_to_none(text: str) -> str | None:
    return text.strip() or None
