"""The packet's contents before anything is written: each section and document with its page
numbers and how many pages it has, the total, the sections left out because they had nothing to show, and the documents
that will be replaced by a "could not be included" page, with why.

The contents are worked out in the background by the dialog; this widget only shows them, with a
progress bar and Cancel while they are being worked out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.packet import ContentsEntry

if TYPE_CHECKING:
    from backlog_app.services.packet.prepared import PreparedPacket

Index = QModelIndex | QPersistentModelIndex

COLUMN_PART, COLUMN_NUMBERS, COLUMN_COUNT = range(3)
HEADERS = ("Part", "Page numbers", "Pages")
HEADER_TIPS = (
    "The sections and documents, in the order they are printed.",
    "Where each part is in the packet: the page numbers printed at the bottom of its pages.",
    "How many pages each part has.",
)
_INDENT = "      "
_NOTES_LISTED = 3  # reasons listed under the table; the tooltip has them all


def page_span(entry: ContentsEntry) -> str:
    """ "12", "12–14", or "" for a heading without pages of its own."""
    if entry.page_count <= 0:
        return ""
    if entry.page_count == 1:
        return str(entry.first_page)
    return f"{entry.first_page}–{entry.last_page}"


def spoken_span(entry: ContentsEntry) -> str:
    """ "page 4", "pages 5 to 6 (2 pages)"; a heading without pages says where it starts."""
    if entry.page_count <= 0:
        return f"starts on page {entry.first_page}"
    if entry.page_count == 1:
        return f"page {entry.first_page}"
    return f"pages {entry.first_page} to {entry.last_page} ({entry.page_count} pages)"


def count_text(entry: ContentsEntry) -> str:
    """ "3", or "" for a heading without pages of its own."""
    return str(entry.page_count) if entry.page_count > 0 else ""


def pages_text(count: int) -> str:
    return f"{count} page" if count == 1 else f"{count} pages"


def notes_text(prepared: PreparedPacket) -> tuple[str, str]:
    """What the contents do not show as they are — documents replaced by a page saying why, and
    sections left out as empty — kept short under the table (a new record leaves out almost
    everything); the second text, for the tooltip, has every reason."""
    short: list[str] = []
    full: list[str] = []
    if prepared.replaced:
        intro = (
            "These documents cannot be included as they are; the packet has a page in their "
            "place that says why:"
        )
        reasons = [f"•  {item.title}: {item.reason}" for item in prepared.replaced]
        short += [intro, *reasons[:_NOTES_LISTED]]
        if len(reasons) > _NOTES_LISTED:
            short.append(f"•  … and {len(reasons) - _NOTES_LISTED} more (point here to see them)")
        full += [intro, *reasons]
    if prepared.omitted:
        intro = "Left out because there is nothing to show:"
        reasons = [f"•  {section.heading}: {reason}" for section, reason in prepared.omitted]
        if len(reasons) <= _NOTES_LISTED:
            short += [intro, *reasons]
        else:
            names = ", ".join(section.heading for section, _reason in prepared.omitted)
            short.append(f"{intro} {names} (point here to see why).")
        full += [intro, *reasons]
    return "\n".join(short), "\n".join(full)


class ContentsModel(QAbstractTableModel):
    """Rows are the packet's contents entries; documents (level 1) are indented."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[ContentsEntry] = []

    def set_entries(self, entries: Sequence[ContentsEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entries(self) -> list[ContentsEntry]:
        return list(self._entries)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COLUMN_PART:
                return f"{_INDENT * entry.level}{entry.title}"
            return page_span(entry) if column == COLUMN_NUMBERS else count_text(entry)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == COLUMN_PART:
                return entry.title
            if column == COLUMN_NUMBERS:
                return spoken_span(entry)
            return pages_text(entry.page_count) if entry.page_count else "No pages of its own"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{entry.title}\n{spoken_span(entry)}" if entry.page_count else entry.title
        if role == Qt.ItemDataRole.TextAlignmentRole and column != COLUMN_PART:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and entry.level == 0 and entry.page_count == 0:
            from PySide6.QtGui import QFont

            bold = QFont()
            bold.setBold(True)
            return bold
        return None


class ContentsPreview(QGroupBox):
    """Shows a PreparedPacket's contents (``show_prepared``) or the work on it (``show_working``).

    ``cancel_requested`` asks the dialog to stop working them out; ``refresh_requested`` to work
    them out again.
    """

    cancel_requested = Signal()
    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("What the packet will contain", parent)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # may name a case or a document
        self.status.setAccessibleName("Contents preview status")
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(14)
        self.bar.setAccessibleName("Progress of the contents preview")
        self.action = QPushButton("Cancel", self)
        self.action.setAutoDefault(False)
        self.action.clicked.connect(self._action_clicked)
        self._working = False

        self.model = ContentsModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Contents of the packet with page numbers")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(COLUMN_PART, QHeaderView.ResizeMode.Stretch)
        for column in (COLUMN_NUMBERS, COLUMN_COUNT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        self.total = QLabel(self)
        self.total.setAccessibleName("Total number of pages")
        self.total.setTextFormat(Qt.TextFormat.RichText)
        self.notes = QLabel(self)
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setAccessibleName("Sections left out and documents replaced")
        self.notes.hide()

        # One line above the table: the total when the contents are ready, else what is going on.
        status_row = QHBoxLayout()
        status_row.addWidget(self.total)
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.bar)
        status_row.addWidget(self.action)
        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        layout.addLayout(status_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notes)
        self.show_working("Working out the contents…", 0, 0)

    # What is shown -----------------------------------------------------------------------------

    def show_working(self, label: str, done: int, total: int) -> None:
        """The contents are being worked out: ``label`` ("Drawing the daily log"), a progress
        bar, and Cancel. The previous contents stay, greyed, until the new ones arrive."""
        self._set_working(True)
        self.status.setText(label)
        self.status.show()
        self.total.hide()
        self.bar.setRange(0, max(total, 0))
        self.bar.setValue(min(done, total) if total else 0)
        self.table.setEnabled(False)

    def show_prepared(self, prepared: PreparedPacket) -> None:
        self._set_working(False)
        self.table.setEnabled(True)
        self.model.set_entries(prepared.entries)
        self.status.hide()
        documents = sum(1 for entry in prepared.entries if entry.level == 1)
        attached = f" · {documents} attached document{'s' if documents != 1 else ''}"
        self.total.setText(
            f"<b>{pages_text(prepared.total_pages)} in all</b>{attached if documents else ''}"
        )
        self.total.show()
        text, details = notes_text(prepared)
        self.notes.setText(text)
        self.notes.setToolTip(details)
        self.notes.setVisible(bool(text))

    def show_stopped(self, text: str, *, retry: bool = True) -> None:
        """Not worked out (cancelled, or a problem): ``text``, and a button to try again when
        trying again could help (``retry``)."""
        self._set_working(False)
        self.status.setText(text)
        self.status.show()
        self.action.setText("Update pre&view")
        self.action.setAccessibleName("Work out the contents again")
        self.action.setToolTip("Work out the contents with the choices shown")
        self.action.setVisible(retry)
        self.model.set_entries([])
        self.total.hide()
        self.notes.hide()

    def is_working(self) -> bool:
        return self._working

    # Internals ---------------------------------------------------------------------------------

    def _set_working(self, working: bool) -> None:
        self._working = working
        self.bar.setVisible(working)
        if working:
            self.action.setText("Cancel")
            self.action.setAccessibleName("Stop working out the contents")
            self.action.setToolTip("Stop working out the contents (you can still export)")
        self.action.setVisible(working)

    def _action_clicked(self) -> None:
        if self._working:
            self.cancel_requested.emit()
        else:
            self.refresh_requested.emit()
