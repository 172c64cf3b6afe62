"""The documents of a packet as a table: a tick to attach each one, its kind, date and title, in
the order they will be attached (ticked documents first, then the others)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QPalette

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.packet_documents import DocumentChoice, default_document_order

Index = QModelIndex | QPersistentModelIndex

DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the document's id (int)

COLUMN_INCLUDE, COLUMN_KIND, COLUMN_DATE, COLUMN_TITLE = range(4)
HEADERS = ("Attach", "Kind", "Date", "Title")
HEADER_TIPS = (
    "Ticked documents are attached to the packet, in the order of this list.",
    "What kind of document it is.",
    "The date written on the document.",
    "The document's title in your vault.",
)


class PacketDocumentsModel(QAbstractTableModel):
    """Rows are DocumentChoices; ``set_documents`` fills it, the tick column chooses.

    ``selection_changed`` fires when a document is ticked, unticked or moved (by the user or by
    the buttons), not when the list is replaced.
    """

    selection_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[DocumentChoice] = []
        self._ticked: set[int] = set()

    # Filling and reading ---------------------------------------------------------------------

    def set_documents(
        self, available: Sequence[DocumentChoice], ticked: Iterable[DocumentChoice]
    ) -> None:
        """Show every ``available`` document; the ``ticked`` ones first, in their given order."""
        chosen = list(ticked)
        chosen_ids = {choice.document_id for choice in chosen}
        rest = [choice for choice in available if choice.document_id not in chosen_ids]
        self.beginResetModel()
        self._rows = chosen + rest
        self._ticked = chosen_ids
        self.endResetModel()

    def documents(self) -> list[DocumentChoice]:
        return list(self._rows)

    def choice(self, row: int) -> DocumentChoice:
        return self._rows[row]

    def ticked_ids(self) -> tuple[int, ...]:
        """The ticked documents' ids, in the order they will be attached."""
        return tuple(c.document_id for c in self._rows if c.document_id in self._ticked)

    def is_ticked(self, row: int) -> bool:
        return self._rows[row].document_id in self._ticked

    def row_of(self, document_id: int) -> int | None:
        for row, choice in enumerate(self._rows):
            if choice.document_id == document_id:
                return row
        return None

    # Changing the choice -----------------------------------------------------------------------

    def set_ticked(self, row: int, ticked: bool) -> None:
        document_id = self._rows[row].document_id
        if (document_id in self._ticked) == ticked:
            return
        if ticked:
            self._ticked.add(document_id)
        else:
            self._ticked.discard(document_id)
        changed = self.index(row, COLUMN_INCLUDE)
        self.dataChanged.emit(changed, self.index(row, COLUMN_TITLE))
        self.selection_changed.emit()

    def toggle(self, row: int) -> None:
        self.set_ticked(row, not self.is_ticked(row))

    def set_all_ticked(self, ticked: bool) -> None:
        self._ticked = {choice.document_id for choice in self._rows} if ticked else set()
        if self._rows:
            last = self.index(len(self._rows) - 1, COLUMN_TITLE)
            self.dataChanged.emit(self.index(0, COLUMN_INCLUDE), last)
        self.selection_changed.emit()

    def move(self, row: int, step: int) -> int:
        """Move ``row`` one place up (``step`` -1) or down (+1); returns where it is now."""
        target = row + step
        if not (0 <= row < len(self._rows) and 0 <= target < len(self._rows)) or step == 0:
            return row
        # beginMoveRows' destination is the row the moved one goes before (in the old order).
        destination = target if step < 0 else target + 1
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        self._rows.insert(target, self._rows.pop(row))
        self.endMoveRows()
        self.selection_changed.emit()
        return target

    def sort_default(self) -> None:
        """The usual order: ticked documents by kind and date (``default_document_order``),
        then the unticked ones in the same order."""
        ticked = default_document_order(c for c in self._rows if c.document_id in self._ticked)
        rest = default_document_order(c for c in self._rows if c.document_id not in self._ticked)
        self.layoutAboutToBeChanged.emit()
        before = [choice.document_id for choice in self._rows]
        self._rows = ticked + rest
        now = {choice.document_id: row for row, choice in enumerate(self._rows)}
        for index in self.persistentIndexList():  # the selection follows its document
            row = now[before[index.row()]]
            self.changePersistentIndex(index, self.index(row, index.column()))
        self.layoutChanged.emit()
        self.selection_changed.emit()

    # Qt model ------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

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

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COLUMN_INCLUDE:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        choice = self._rows[index.row()]
        column = index.column()
        ticked = choice.document_id in self._ticked
        if role == DOCUMENT_ID_ROLE:
            return choice.document_id
        if role == Qt.ItemDataRole.CheckStateRole and column == COLUMN_INCLUDE:
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell_text(choice, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == COLUMN_INCLUDE:
                return "Attached" if ticked else "Left out"
            return _cell_text(choice, column) or "Undated"
        if role == Qt.ItemDataRole.ToolTipRole:
            state = "Attached to the packet" if ticked else "Left out of the packet"
            kind_and_date = f"{choice.kind.label} · {_cell_text(choice, COLUMN_DATE)}"
            return f"{choice.title}\n{kind_and_date}\n{state}"
        if role == Qt.ItemDataRole.ForegroundRole and not ticked and column != COLUMN_INCLUDE:
            # Left-out documents read greyed, as the placeholder text of a field does.
            return QGuiApplication.palette().brush(QPalette.ColorRole.PlaceholderText)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            not index.isValid()
            or index.column() != COLUMN_INCLUDE
            or role != Qt.ItemDataRole.CheckStateRole
        ):
            return False
        state = value if isinstance(value, Qt.CheckState) else Qt.CheckState(int(value))
        self.set_ticked(index.row(), state == Qt.CheckState.Checked)
        return True


def _cell_text(choice: DocumentChoice, column: int) -> str:
    if column == COLUMN_KIND:
        return choice.kind.label
    if column == COLUMN_DATE:
        return format_long_date(choice.document_date) or "Undated"
    if column == COLUMN_TITLE:
        return choice.title
    return ""
