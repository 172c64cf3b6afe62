"""A read-only table model over a list of stored records, described by columns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from backlog_app.domain.records import Stored

T = TypeVar("T")

RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the record's database id (int)
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a value that sorts correctly (dates, numbers)

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[T]):
    """How one column shows a record.

    Args:
        header: the column title.
        text: the cell's text.
        sort_key: what the column sorts by when it is not the text (a date, a number).
        tooltip: longer text on hover, when useful (the text itself when None).
        stretch: share the spare width (long text); False sizes the column to its contents.
    """

    header: str
    text: Callable[[T], str]
    sort_key: Callable[[T], Any] | None = None
    tooltip: Callable[[T], str | None] | None = None
    align_right: bool = False
    stretch: bool = True


class RecordTableModel(QAbstractTableModel, Generic[T]):
    """Rows are ``Stored[T]`` records; ``set_records`` replaces them all (lists here are short)."""

    def __init__(self, columns: Sequence[Column[T]], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._records: list[Stored[T]] = []

    def set_records(self, records: Sequence[Stored[T]]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def record(self, row: int) -> Stored[T]:
        return self._records[row]

    def column_stretches(self, column: int) -> bool:
        return self._columns[column].stretch

    def row_of(self, record_id: int) -> int | None:
        for row, stored in enumerate(self._records):
            if stored.id == record_id:
                return row
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        stored = self._records[index.row()]
        column = self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(stored.data)
        if role == RECORD_ID_ROLE:
            return stored.id
        if role == SORT_ROLE:
            if column.sort_key is not None:
                return column.sort_key(stored.data)
            return column.text(stored.data).casefold()
        if role == Qt.ItemDataRole.ToolTipRole:
            # Stretched columns may elide their text: the tooltip shows all of it.
            return column.tooltip(stored.data) if column.tooltip else column.text(stored.data)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section].header
        return None
