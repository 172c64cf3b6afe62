"""A table model over the case list (``CaseService.list``), and the proxy that sorts and filters it.

The rows come whole from the service (a profile has tens of cases, not thousands). The "Next
deadline" column marks an overdue or soon item in words as well as in colour, so that it does
not rely on colour alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from backlog_app.domain.cases import CaseStatus
from backlog_app.domain.dates import format_long_date
from backlog_app.domain.deadline_rules import Party
from backlog_app.domain.deadlines import DueItem, DueStatus, due_status
from backlog_app.services.cases import CaseRow
from backlog_app.ui.models.record_table import RECORD_ID_ROLE, SORT_ROLE

CASE_ID_ROLE = RECORD_ID_ROLE  # the case's database id (int), as in every record table
CASE_ROW_ROLE = Qt.ItemDataRole.UserRole + 20  # the CaseRow
DUE_STATUS_ROLE = Qt.ItemDataRole.UserRole + 21  # the next item's DueStatus value, or None
OPEN_ROLE = Qt.ItemDataRole.UserRole + 22  # bool: the case still needs something done

COLUMN_CASE, COLUMN_PLAN, COLUMN_STATUS, COLUMN_NEXT, COLUMN_ACTIVITY = range(5)
HEADERS = ("Case", "Plan", "Status", "Next deadline", "Last activity")

# Statuses after which nothing more is expected, unless a deadline is still open (an approval
# that runs out, a promised call back).
SETTLED = frozenset({CaseStatus.APPROVED, CaseStatus.PAID})
OVERDUE_COLOR = QColor("#b3261e")
SOON_COLOR = QColor("#8a5300")

Index = QModelIndex | QPersistentModelIndex


def is_open(row: CaseRow) -> bool:
    """Whether the case belongs in "Open cases": not settled, or something still due."""
    return row.status not in SETTLED or row.next_due is not None


def due_mark(item: DueItem, today: dt.date) -> str:
    """ "Overdue: ", "Due today: ", "Due in 3 days: " or "" — the words beside the colour."""
    status = due_status(item.due, today)
    if status is DueStatus.OVERDUE:
        return "Overdue: " if item.party is Party.YOU else "Late: "
    if status is DueStatus.DUE_SOON:
        days = (item.due - today).days
        return "Due today: " if days == 0 else f"Due in {days} day{'s' if days != 1 else ''}: "
    return ""


def next_due_text(item: DueItem | None, today: dt.date) -> str:
    """ "File your appeal — 30 Aug 2026", with its mark when it is overdue or soon."""
    if item is None:
        return "Nothing due"
    return f"{due_mark(item, today)}{item.title} — {format_long_date(item.due)}"


def next_due_tooltip(item: DueItem | None, today: dt.date) -> str:
    if item is None:
        return "No deadline is open on this case."
    lines = [next_due_text(item, today), item.explanation, f"Source: {item.source}"]
    if item.party is Party.INSURER:
        lines.append(
            "The insurer owes you this answer; if it is late, call them and note the call."
            if due_status(item.due, today) is DueStatus.OVERDUE
            else "The insurer owes you this answer by then."
        )
    return "\n".join(line for line in lines if line)


class CaseTableModel(QAbstractTableModel):
    """Rows are ``CaseRow``s in the service's order (soonest deadline first).

    Args:
        today: the clock deadlines are measured against (the profile's).
    """

    def __init__(self, today: Callable[[], dt.date], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self._rows: list[CaseRow] = []
        self._compact = False

    def set_compact(self, compact: bool) -> None:
        """Compact: the Case cell shows the status under the title (the list is narrow and the
        Status column hidden)."""
        if compact != self._compact:
            self._compact = compact
            if self._rows:
                self.dataChanged.emit(
                    self.index(0, COLUMN_CASE), self.index(len(self._rows) - 1, COLUMN_CASE)
                )

    def set_rows(self, rows: Sequence[CaseRow]) -> None:
        """Show ``rows``; the same cases in the same order only change their data (keeps the
        selection and the scroll position)."""
        rows = list(rows)
        if [r.id for r in rows] == [r.id for r in self._rows]:
            self._rows = rows
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(HEADERS) - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def case_row(self, row: int) -> CaseRow:
        return self._rows[row]

    def row_of(self, case_id: int) -> int | None:
        for number, row in enumerate(self._rows):
            if row.id == case_id:
                return number
        return None

    def case_ids(self) -> list[int]:
        return [row.id for row in self._rows]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == CASE_ID_ROLE:
            return row.id
        if role == CASE_ROW_ROLE:
            return row
        if role == DUE_STATUS_ROLE:
            return due_status(row.next_due.due, self._today()).value if row.next_due else None
        if role == OPEN_ROLE:
            return is_open(row)
        if role == SORT_ROLE:
            return _sort_value(row, column)
        if column == COLUMN_NEXT and row.next_due is not None:
            status = due_status(row.next_due.due, self._today())
            if role == Qt.ItemDataRole.ForegroundRole and status is not DueStatus.LATER:
                return QBrush(OVERDUE_COLOR if status is DueStatus.OVERDUE else SOON_COLOR)
            if role == Qt.ItemDataRole.FontRole and status is not DueStatus.LATER:
                font = QFont()
                font.setBold(True)
                return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return {
                COLUMN_STATUS: "Where the request stands, worked out from its timeline",
                COLUMN_NEXT: "The soonest open deadline: yours, or the insurer's answer",
                COLUMN_ACTIVITY: "The date of the latest event on the timeline",
            }.get(section)
        return None

    def _text(self, row: CaseRow, column: int) -> str:
        if column == COLUMN_CASE:
            return f"{row.title}\n{row.status.label}" if self._compact else row.title
        if column == COLUMN_PLAN:
            return row.plan_name or "No plan chosen"
        if column == COLUMN_STATUS:
            return row.status.label
        if column == COLUMN_NEXT:
            return next_due_text(row.next_due, self._today())
        if column == COLUMN_ACTIVITY:
            return format_long_date(row.last_event_day, empty="No events yet")
        return ""

    def _tooltip(self, row: CaseRow, column: int) -> str:
        if column == COLUMN_NEXT:
            return next_due_tooltip(row.next_due, self._today())
        if column == COLUMN_CASE:
            numbers = [
                f"{label} {value}"
                for label, value in (
                    ("Authorization", row.data.authorization_number),
                    ("Claim", row.data.claim_number),
                    ("Reference", row.data.reference_number),
                )
                if value
            ]
            return "\n".join([row.title, *numbers])
        return self._text(row, column)


def _sort_value(row: CaseRow, column: int) -> Any:
    if column == COLUMN_NEXT:
        # Cases with nothing due sort after every dated one.
        due = row.next_due.due if row.next_due else dt.date.max
        return (due.isoformat(), row.id)
    if column == COLUMN_ACTIVITY:
        day = row.last_event_day
        return (day is not None, day.isoformat() if day else "", row.id)
    if column == COLUMN_PLAN:
        return ((row.plan_name or "").casefold(), row.id)
    if column == COLUMN_STATUS:
        return (row.status.label.casefold(), row.id)
    return (row.title.casefold(), row.id)


class CaseFilterProxy(QSortFilterProxyModel):
    """Sorts by ``SORT_ROLE`` and, with ``open_only``, hides settled cases."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._open_only = True
        self.setSortRole(SORT_ROLE)

    @property
    def open_only(self) -> bool:
        return self._open_only

    def set_open_only(self, open_only: bool) -> None:
        if open_only != self._open_only:
            self.beginFilterChange()
            self._open_only = open_only
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._open_only:
            return True
        source = self.sourceModel()
        return bool(source.data(source.index(source_row, 0, source_parent), OPEN_ROLE))
