"""A table of records with Add / Edit / Delete buttons, an optional search box and an empty state."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from backlog_app.ui.models.record_table import RECORD_ID_ROLE, SORT_ROLE, RecordTableModel


class RecordListPanel(QWidget):
    """Shows a RecordTableModel; the page decides what Add, Edit and Delete do.

    Args:
        model: the records.
        noun: "plan", "provider" — used on buttons and in the empty state.
        empty_text: what to say when there is nothing yet, with the next step.
        searchable: show a search box that filters every column.
    """

    add_requested = Signal()
    edit_requested = Signal(int)
    delete_requested = Signal(int)

    def __init__(
        self,
        model: RecordTableModel,  # type: ignore[type-arg]
        *,
        noun: str,
        empty_text: str,
        searchable: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(f"Search {noun}s…")
        self.search.setAccessibleName(f"Search {noun}s")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.search.setVisible(searchable)

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(f"{noun.capitalize()}s")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep the service's order
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        # Size columns from the first rows only: measuring all of 2,000 treatments took ~1 s.
        header.setResizeContentsPrecision(100)
        for column in range(model.columnCount()):
            header.setSectionResizeMode(
                column,
                QHeaderView.ResizeMode.Stretch
                if model.column_stretches(column)
                else QHeaderView.ResizeMode.ResizeToContents,
            )
        self.table.doubleClicked.connect(self._edit_index)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self._edit_current)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table, self._delete_current)

        self.empty = QLabel(empty_text, self)
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self.table)
        self._stack.addWidget(self.empty)

        self.add_button = QPushButton(f"Add {noun}…", self)
        self.edit_button = QPushButton("Edit…", self)
        self.delete_button = QPushButton("Delete…", self)
        self.add_button.clicked.connect(self.add_requested)
        self.edit_button.clicked.connect(self._edit_current)
        self.delete_button.clicked.connect(self._delete_current)
        for button, what in (
            (self.add_button, f"Add a new {noun}"),
            (self.edit_button, f"Edit the selected {noun}"),
            (self.delete_button, f"Delete the selected {noun}"),
        ):
            button.setAccessibleName(what)
            button.setToolTip(what)

        buttons = QHBoxLayout()
        buttons.addWidget(self.search, 1)
        if not searchable:
            buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self._stack, 1)

        model.modelReset.connect(self._update_state)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_state()

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().hasSelection():
            return None
        value = index.data(RECORD_ID_ROLE)
        return int(value) if value is not None else None

    def select_id(self, record_id: int) -> None:
        row = self.model.row_of(record_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    def _edit_index(self, index: QModelIndex) -> None:
        value = index.data(RECORD_ID_ROLE)
        if value is not None:
            self.edit_requested.emit(int(value))

    def _edit_current(self) -> None:
        record_id = self.selected_id()
        if record_id is not None:
            self.edit_requested.emit(record_id)

    def _delete_current(self) -> None:
        record_id = self.selected_id()
        if record_id is not None:
            self.delete_requested.emit(record_id)

    def _update_state(self) -> None:
        has_rows = self.model.rowCount() > 0
        self._stack.setCurrentWidget(self.table if has_rows else self.empty)
        self.search.setEnabled(has_rows)
        self._update_buttons()

    def _update_buttons(self) -> None:
        selected = self.selected_id() is not None
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)
