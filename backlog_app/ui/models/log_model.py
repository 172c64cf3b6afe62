"""A lazy table model over the unified log: a count query, then rows fetched a page at a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from backlog_app.domain.dates import format_long_date
from backlog_app.services.log_view import EntryKind, LogEntry, LogFilter, LogSort, SortKey
from backlog_app.ui.models.record_table import RECORD_ID_ROLE, SORT_ROLE

ENTRY_KIND_ROLE = Qt.ItemDataRole.UserRole + 3  # the EntryKind value (str)
DAY_ROLE = Qt.ItemDataRole.UserRole + 4  # the day as an ISO string: sorts as text
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 5  # the whole LogEntry

PAGE_SIZE = 200

COLUMN_DAY, COLUMN_KIND, COLUMN_TITLE, COLUMN_PAIN, COLUMN_DETAIL = range(5)
HEADERS = ("Date", "Kind", "What", "Pain", "Details")
SORT_KEYS: dict[int, SortKey] = {
    COLUMN_DAY: SortKey.DAY,
    COLUMN_KIND: SortKey.KIND,
    COLUMN_TITLE: SortKey.TITLE,
    COLUMN_PAIN: SortKey.PAIN,
}

CountQuery = Callable[[LogFilter], int]
PageQuery = Callable[[LogFilter, int, int, LogSort], list[LogEntry]]

Index = QModelIndex | QPersistentModelIndex


class LogTableModel(QAbstractTableModel):
    """Rows of the log, loaded as the view scrolls (``canFetchMore``/``fetchMore``).

    Args:
        count: how many entries a filter lets through.
        page: one page of entries (filter, offset, limit, sort).
        page_size: rows per fetch.
    """

    def __init__(
        self,
        count: CountQuery,
        page: PageQuery,
        page_size: int = PAGE_SIZE,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._count = count
        self._page = page
        self._page_size = page_size
        self._filter = LogFilter()
        self._sort = LogSort()
        self._rows: list[LogEntry] = []
        self._total = 0
        self._loaded = False

    # Queries -----------------------------------------------------------------------------------

    @property
    def log_filter(self) -> LogFilter:
        return self._filter

    @property
    def log_sort(self) -> LogSort:
        return self._sort

    @property
    def total(self) -> int:
        """How many entries match, loaded or not."""
        return self._total

    def set_filter(self, log_filter: LogFilter) -> None:
        if log_filter != self._filter or not self._loaded:
            self._filter = log_filter
            self.reload()

    def reload(self) -> None:
        """Run the count again and load the first page (after a filter change or new data)."""
        self.beginResetModel()
        self._total = self._count(self._filter)
        self._rows = self._page(self._filter, 0, self._page_size, self._sort) if self._total else []
        self._loaded = True
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is None:
            return
        wanted = LogSort(key, descending=order == Qt.SortOrder.DescendingOrder)
        if wanted != self._sort:
            self._sort = wanted
            self.reload()

    def entry(self, row: int) -> LogEntry:
        return self._rows[row]

    def row_of(self, kind: EntryKind, record_id: int) -> int | None:
        """The loaded row showing that entry, if it is loaded."""
        for row, entry in enumerate(self._rows):
            if entry.kind is kind and entry.record_id == record_id:
                return row
        return None

    # Lazy loading ------------------------------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        more = self._page(self._filter, len(self._rows), self._page_size, self._sort)
        more = more[: self._total - len(self._rows)]
        if not more:
            self._total = len(self._rows)  # rows vanished since the count: stop asking
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    # The table ---------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return _text(entry, column, tooltip=role == Qt.ItemDataRole.ToolTipRole)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == COLUMN_PAIN and entry.kind is EntryKind.CHECK_IN and entry.pain is None:
                return "Pain not recorded"
            return _text(entry, column, tooltip=False)
        if role == RECORD_ID_ROLE:
            return entry.record_id
        if role == ENTRY_KIND_ROLE:
            return entry.kind.value
        if role == DAY_ROLE:
            return entry.day.isoformat()
        if role == ENTRY_ROLE:
            return entry
        if role == SORT_ROLE:
            return _sort_value(entry, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COLUMN_PAIN:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == COLUMN_PAIN:
            return "Pain 0–10 on check-in days (average, else pain now); — means not recorded"
        return None


def _text(entry: LogEntry, column: int, *, tooltip: bool) -> str:
    if column == COLUMN_DAY:
        return format_long_date(entry.day) if not tooltip else entry.day.strftime("%A %d %B %Y")
    if column == COLUMN_KIND:
        return entry.kind.label
    if column == COLUMN_TITLE:
        return entry.title
    if column == COLUMN_PAIN:
        if entry.kind is not EntryKind.CHECK_IN:
            return ""
        if entry.pain is None:
            return "—" if not tooltip else "Pain not recorded"
        return str(entry.pain)
    if column == COLUMN_DETAIL:
        return entry.detail
    return ""


def _sort_value(entry: LogEntry, column: int) -> Any:
    if column == COLUMN_DAY:
        return entry.day.isoformat()
    if column == COLUMN_PAIN:
        return -1 if entry.pain is None else entry.pain
    return _text(entry, column, tooltip=False).casefold()
