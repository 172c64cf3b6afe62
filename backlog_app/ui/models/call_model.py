"""A table model over the call log: when, with whom, the reference number, and the follow-up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from backlog_app.domain.cases import Call, CallData, CallDirection
from backlog_app.domain.dates import format_long_date
from backlog_app.ui.models.record_table import RECORD_ID_ROLE, SORT_ROLE

CALL_ID_ROLE = RECORD_ID_ROLE  # the call's id (int)
CALL_ROLE = Qt.ItemDataRole.UserRole + 3  # the whole Call
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 4  # every word of the call, for the search box

COLUMN_WHEN, COLUMN_WITH, COLUMN_CASE, COLUMN_REPRESENTATIVE, COLUMN_REFERENCE = range(5)
COLUMN_SUMMARY, COLUMN_FOLLOW_UP = 5, 6
HEADERS = ("When", "With", "Case", "Representative", "Reference", "Summary", "Follow-up")
# Columns that share the spare width; those with a width start there (long names are elided,
# the tooltip has them whole); the others fit their contents.
STRETCHING = frozenset({COLUMN_SUMMARY})
START_WIDTHS = {COLUMN_WITH: 210, COLUMN_CASE: 210, COLUMN_REPRESENTATIVE: 150}
DONE_MARK = "✓ done"

Index = QModelIndex | QPersistentModelIndex


def format_call_time(moment: dt.datetime) -> str:
    """ "3 Mar 2026, 2:05 PM" """
    hour = moment.hour % 12 or 12
    return f"{format_long_date(moment.date())}, {hour}:{moment.minute:02d} {moment:%p}"


def follow_up_text(call: CallData) -> str:
    """ "30 Nov 2026", "30 Nov 2026 ✓ done", "✓ done" or "" when nothing was promised."""
    day = format_long_date(call.follow_up_date)
    if call.follow_up_done and (day or call.follow_up):
        return f"{day} {DONE_MARK}".strip()
    return day


def first_line(text: str | None) -> str:
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()
    return ""


class CallTableModel(QAbstractTableModel):
    """Rows are calls, newest first as the service gives them; ``set_calls`` replaces them."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._calls: list[Call] = []
        self._case_titles: dict[int, str] = {}

    def set_calls(
        self, calls: Sequence[Call], case_titles: Mapping[int, str] | None = None
    ) -> None:
        self.beginResetModel()
        self._calls = list(calls)
        self._case_titles = dict(case_titles or {})
        self.endResetModel()

    def call(self, row: int) -> Call:
        return self._calls[row]

    def calls(self) -> list[Call]:
        return list(self._calls)

    def row_of(self, call_id: int) -> int | None:
        for row, call in enumerate(self._calls):
            if call.id == call_id:
                return row
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._calls)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._calls):
            return None
        call = self._calls[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(call, column)
        if role == CALL_ID_ROLE:
            return call.id
        if role == CALL_ROLE:
            return call
        if role == SORT_ROLE:
            return self._sort_key(call, column)
        if role == SEARCH_ROLE:
            return self._search_text(call)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(call, column)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    # Cells -------------------------------------------------------------------------------------

    def _text(self, call: Call, column: int) -> str:
        data = call.data
        if column == COLUMN_WHEN:
            return format_call_time(data.called_at)
        if column == COLUMN_WITH:
            arrow = "→" if data.direction is CallDirection.OUTGOING else "←"
            return f"{arrow} {data.organization}"
        if column == COLUMN_CASE:
            return self._case_titles.get(data.case_id, "") if data.case_id is not None else ""
        if column == COLUMN_REPRESENTATIVE:
            return data.representative or ""
        if column == COLUMN_REFERENCE:
            return data.reference_number or ""
        if column == COLUMN_SUMMARY:
            return first_line(data.summary)
        if column == COLUMN_FOLLOW_UP:
            return follow_up_text(data)
        return ""

    def _sort_key(self, call: Call, column: int) -> Any:
        data = call.data
        if column == COLUMN_WHEN:
            return data.called_at.isoformat()
        if column == COLUMN_FOLLOW_UP:
            # Open follow-ups first by date, then done ones, then calls without one.
            if data.follow_up_date is None:
                return "3"
            return f"{2 if data.follow_up_done else 1}{data.follow_up_date.isoformat()}"
        return self._text(call, column).casefold()

    def _tooltip(self, call: Call, column: int) -> str | None:
        data = call.data
        if column == COLUMN_WITH:
            parts = [f"{data.direction.label}: {data.organization}"]
            if data.phone:
                parts.append(data.phone)
            return "\n".join(parts)
        if column == COLUMN_SUMMARY:
            return data.summary or None
        if column == COLUMN_FOLLOW_UP:
            if not (data.follow_up or data.follow_up_date):
                return None
            lines = [data.follow_up or "Follow-up"]
            if data.follow_up_date:
                lines.append(f"By {format_long_date(data.follow_up_date)}")
            if data.follow_up_done:
                lines.append("Done")
            return "\n".join(lines)
        return self._text(call, column) or None

    def _search_text(self, call: Call) -> str:
        data = call.data
        parts = [
            format_call_time(data.called_at),
            data.organization,
            data.phone,
            data.representative,
            data.reference_number,
            data.summary,
            data.follow_up,
            format_long_date(data.follow_up_date),
            self._case_titles.get(data.case_id, "") if data.case_id is not None else "",
        ]
        return "\n".join(part for part in parts if part)
