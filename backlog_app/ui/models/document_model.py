"""A table model over a list of documents (one search or filter result), for the list and the grid.

The rows come whole from ``DocumentService.list`` (run in the background by the page); the model
keeps them in memory, sorts them in place and asks a thumbnail source for pictures only when a
view paints a row, so thumbnails load for visible items only.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QIcon, QPixmap

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.documents import DocumentInfo, FileType
from backlog_app.services.documents import DocumentRow
from backlog_app.storage.search_index import MARK_END, MARK_START
from backlog_app.ui.models.record_table import RECORD_ID_ROLE, SORT_ROLE
from backlog_app.ui.resources import icon

DOCUMENT_ROLE = Qt.ItemDataRole.UserRole + 10  # the DocumentInfo
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 11  # the search snippet with its marks (str | None)
SNIPPET_HTML_ROLE = Qt.ItemDataRole.UserRole + 12  # the snippet as escaped HTML, matches bold
THUMBNAIL_ROLE = Qt.ItemDataRole.UserRole + 13  # QPixmap of page 1, or None until it is ready
FILE_TYPE_ROLE = Qt.ItemDataRole.UserRole + 14  # the FileType value (str)

(
    COLUMN_DATE,
    COLUMN_KIND,
    COLUMN_TITLE,
    COLUMN_PROVIDER,
    COLUMN_PAGES,
    COLUMN_TAGS,
    COLUMN_FOUND,
) = range(7)
HEADERS = ("Date", "Kind", "Title", "Provider", "Pages", "Tags", "Found")

Index = QModelIndex | QPersistentModelIndex


class ThumbnailSource(Protocol):
    """Where the model gets page-1 pictures; ``pixmap`` starts loading one that is not ready."""

    def pixmap(self, info: DocumentInfo) -> QPixmap | None: ...


def snippet_html(snippet: str) -> str:
    """A marked search snippet as HTML: the text escaped, the matches (\\x02…\\x03) in bold."""
    escaped = html.escape(snippet.replace("\n", " "), quote=False)
    opened = False
    parts: list[str] = []
    for char in escaped:
        if char == MARK_START and not opened:
            parts.append("<b>")
            opened = True
        elif char == MARK_END and opened:
            parts.append("</b>")
            opened = False
        elif char not in (MARK_START, MARK_END):
            parts.append(char)
    if opened:
        parts.append("</b>")
    return "".join(parts)


def trim_before_match(snippet: str, lead_fits: Callable[[str], bool]) -> str:
    """Drop words before the first match until ``lead_fits`` the rest, so a narrow cell shows it.

    "…Northside Surgery Center denied the…" in a narrow column becomes "…Center denied the…".
    """
    start = snippet.find(MARK_START)
    if start <= 0 or lead_fits(snippet[:start]):
        return snippet
    before = snippet[:start]
    gap = " " if before[-1:].isspace() else ""
    words = before.split()
    while len(words) > 1:
        words = words[1:]
        lead = "…" + " ".join(words).lstrip("…") + gap
        if lead_fits(lead):
            return lead + snippet[start:]
    return "…" + snippet[start:]


def snippet_text(snippet: str) -> str:
    """The snippet without its marks (for screen readers and tooltips)."""
    return snippet.replace(MARK_START, "").replace(MARK_END, "").replace("\n", " ")


def pages_text(info: DocumentInfo) -> str:
    count = info.file.page_count
    return "" if count is None else f"{count:,}"


def file_icon(file_type: FileType) -> QIcon:
    """The neutral picture shown until a thumbnail is ready (and in the list's title column)."""
    return icon("file-pdf" if file_type is FileType.PDF else "file-image")


class DocumentTableModel(QAbstractTableModel):
    """Rows are ``DocumentRow``s; ``set_rows`` replaces them, keeping the views' state if it can.

    Args:
        thumbnails: gives page-1 pictures for the grid; None shows the file-type icons only.
    """

    def __init__(self, thumbnails: ThumbnailSource | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._thumbnails = thumbnails
        self._rows: list[DocumentRow] = []
        self._unsorted: list[DocumentRow] = []
        self._providers: dict[int, str] = {}
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)
        self._icons: dict[FileType, QIcon] = {}

    # The rows ----------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[DocumentRow]) -> None:
        """Show ``rows`` (in the service's order, then the view's sort).

        When the same documents come back in the same order (an edit, a restored thumbnail),
        only their data changes, so selection and scrolling stay as they were.
        """
        self._unsorted = list(rows)
        ordered = self._sorted(self._unsorted)
        if [r.info.id for r in ordered] == [r.info.id for r in self._rows]:
            self._rows = ordered
            if self._rows:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(self._rows) - 1, len(HEADERS) - 1)
                )
            return
        self.beginResetModel()
        self._rows = ordered
        self.endResetModel()

    def set_provider_names(self, names: dict[int, str]) -> None:
        if names == self._providers:
            return
        self._providers = dict(names)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, COLUMN_PROVIDER), self.index(len(self._rows) - 1, COLUMN_PROVIDER)
            )

    def provider_name(self, provider_id: int | None) -> str:
        return "" if provider_id is None else self._providers.get(provider_id, "")

    def document(self, row: int) -> DocumentInfo:
        return self._rows[row].info

    def document_ids(self) -> list[int]:
        return [row.info.id for row in self._rows]

    def row_of(self, document_id: int) -> int | None:
        for number, row in enumerate(self._rows):
            if row.info.id == document_id:
                return number
        return None

    def has_snippets(self) -> bool:
        return any(row.snippet for row in self._rows)

    def thumbnail_ready(self, document_id: int) -> None:
        """The thumbnail source has the picture now: repaint that document."""
        row = self.row_of(document_id)
        if row is not None:
            index = self.index(row, COLUMN_TITLE)
            self.dataChanged.emit(index, index, [THUMBNAIL_ROLE])

    # Sorting (in memory: the whole result is here) ---------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column``; -1 goes back to the service's order (relevance for a search)."""
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = [row.info.id for row in self._rows]
        self._rows = self._sorted(self._unsorted)
        after = {row.info.id: number for number, row in enumerate(self._rows)}
        old = self.persistentIndexList()
        new = [
            self.index(after[before[i.row()]], i.column())
            if i.isValid() and i.row() < len(before) and before[i.row()] in after
            else QModelIndex()
            for i in old
        ]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _sorted(self, rows: list[DocumentRow]) -> list[DocumentRow]:
        column, order = self._sort
        if column < 0 or column >= len(HEADERS):
            return list(rows)
        return sorted(
            rows,
            key=lambda row: _sort_value(row, column, self._providers),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )

    # The table ---------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        info = row.info
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == COLUMN_TITLE:
            return self._icon(info.file.file_type)
        if role == RECORD_ID_ROLE:
            return info.id
        if role == DOCUMENT_ROLE:
            return info
        if role == SNIPPET_ROLE:
            return row.snippet
        if role == SNIPPET_HTML_ROLE:
            return snippet_html(row.snippet) if row.snippet else ""
        if role == THUMBNAIL_ROLE:
            return self._thumbnails.pixmap(info) if self._thumbnails is not None else None
        if role == FILE_TYPE_ROLE:
            return info.file.file_type.value
        if role == SORT_ROLE:
            return _sort_value(row, column, self._providers)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COLUMN_PAGES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == COLUMN_FOUND:
            return "Where your search words were found (in bold)"
        return None

    def _text(self, row: DocumentRow, column: int) -> str:
        info = row.info
        if column == COLUMN_DATE:
            return format_long_date(info.data.document_date, empty="No date")
        if column == COLUMN_KIND:
            return info.data.kind.label
        if column == COLUMN_TITLE:
            return info.data.title
        if column == COLUMN_PROVIDER:
            return self.provider_name(info.data.provider_id)
        if column == COLUMN_PAGES:
            return pages_text(info)
        if column == COLUMN_TAGS:
            return ", ".join(info.data.tags)
        if column == COLUMN_FOUND:
            return snippet_text(row.snippet) if row.snippet else ""
        return ""

    def _tooltip(self, row: DocumentRow, column: int) -> str:
        info = row.info
        if column == COLUMN_TITLE:
            lines = [info.data.title, f"{info.file.file_type.label} · {info.file.original_name}"]
            if info.file.needs_password:
                lines.append("Protected with a password")
            return "\n".join(lines)
        if column == COLUMN_DATE and info.data.document_date is None:
            return "No date on the document yet"
        return self._text(row, column)

    def _icon(self, file_type: FileType) -> QIcon:
        if file_type not in self._icons:
            self._icons[file_type] = file_icon(file_type)
        return self._icons[file_type]


def _sort_value(row: DocumentRow, column: int, providers: dict[int, str]) -> Any:
    info = row.info
    if column == COLUMN_DATE:
        # Undated documents sort before the oldest dated one.
        day = info.data.document_date
        return (day is not None, day.isoformat() if day else "", info.id)
    if column == COLUMN_PAGES:
        return (info.file.page_count or 0, info.id)
    if column == COLUMN_KIND:
        return (info.data.kind.label.casefold(), info.id)
    if column == COLUMN_PROVIDER:
        name = providers.get(info.data.provider_id or -1, "")
        return (name.casefold(), info.id)
    if column == COLUMN_TAGS:
        return (", ".join(info.data.tags).casefold(), info.id)
    if column == COLUMN_FOUND:
        return (snippet_text(row.snippet or "").casefold(), info.id)
    return (info.data.title.casefold(), info.id)
