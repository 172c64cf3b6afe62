"""Every network check of one provider, newest first: date, plan, result, how, reference, call.

``CheckHistoryModel`` holds the rows; ``CheckHistoryTable`` shows them, sortable by any column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.network import Verification
from backlog_app.ui.network.standing import STATUS_MARKS, STATUS_STANDING

CHECK_ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the check's database id (int)
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMN_DATE, COLUMN_PLAN, COLUMN_RESULT, COLUMN_METHOD, COLUMN_REFERENCE, COLUMN_CALL = range(6)
COLUMN_NOTES = 6
HEADERS = ("Date", "Plan", "Result", "How checked", "Reference", "Call", "Notes")

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class HistoryRow:
    check: Verification
    plan_label: str
    call_label: str | None


class CheckHistoryModel(QAbstractTableModel):
    """Rows are checks newest first; ``set_history`` replaces them (a provider has a few)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[HistoryRow] = []

    def set_history(
        self,
        checks: Sequence[Verification],
        plan_labels: Mapping[int, str],
        call_labels: Mapping[int, str],
    ) -> None:
        self.beginResetModel()
        ordered = sorted(checks, key=lambda c: (c.data.verified_on, c.id), reverse=True)
        self._rows = [
            HistoryRow(
                check,
                plan_labels.get(check.data.plan_id, "(a deleted plan)"),
                call_labels.get(check.data.call_id) if check.data.call_id is not None else None,
            )
            for check in ordered
        ]
        self.endResetModel()

    def check(self, row: int) -> Verification:
        return self._rows[row].check

    def row_of(self, check_id: int) -> int | None:
        return next((i for i, row in enumerate(self._rows) if row.check.id == check_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

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

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            text = self._text(row, column)
            if role == Qt.ItemDataRole.ToolTipRole and column == COLUMN_REFERENCE and text:
                return f"Reference number {text}: quote it in an appeal or a billing dispute."
            return text
        if role == CHECK_ID_ROLE:
            return row.check.id
        if role == SORT_ROLE:
            if column == COLUMN_DATE:
                return (row.check.data.verified_on.toordinal() * 1_000_000) + row.check.id
            return self._text(row, column).casefold()
        if column == COLUMN_RESULT:
            shown = STATUS_STANDING[row.check.data.status]
            if role == Qt.ItemDataRole.ForegroundRole:
                return shown.foreground
            if role == Qt.ItemDataRole.BackgroundRole:
                return shown.background
        return None

    @staticmethod
    def _text(row: HistoryRow, column: int) -> str:
        data = row.check.data
        if column == COLUMN_DATE:
            return format_long_date(data.verified_on)
        if column == COLUMN_PLAN:
            return row.plan_label
        if column == COLUMN_RESULT:
            return STATUS_MARKS[data.status]
        if column == COLUMN_METHOD:
            return data.method.label
        if column == COLUMN_REFERENCE:
            return data.reference_number or ""
        if column == COLUMN_CALL:
            return row.call_label or ""
        return (data.notes or "").replace("\n", " ")


class CheckHistoryTable(QTableView):
    """The history as a read-only table with one selected row (the check to delete)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = CheckHistoryModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.history)
        self.proxy.setSortRole(SORT_ROLE)
        self.setModel(self.proxy)
        self.setAccessibleName("History of network checks")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setSortingEnabled(True)
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # newest first, as read
        self.verticalHeader().hide()
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setMinimumHeight(110)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        for column in range(len(HEADERS)):
            header.setSectionResizeMode(
                column,
                QHeaderView.ResizeMode.Stretch
                if column in (COLUMN_PLAN, COLUMN_CALL, COLUMN_NOTES)
                else QHeaderView.ResizeMode.ResizeToContents,
            )

    def selected_check(self) -> Verification | None:
        index = self.currentIndex()
        if not index.isValid() or not self.selectionModel().hasSelection():
            return None
        row = self.history.row_of(int(index.data(CHECK_ID_ROLE)))
        return self.history.check(row) if row is not None else None

    def select_check(self, check_id: int) -> None:
        row = self.history.row_of(check_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.history.index(row, 0))
        self.setCurrentIndex(index)
        self.scrollTo(index)
