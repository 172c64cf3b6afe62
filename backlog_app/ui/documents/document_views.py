"""The documents as a list or as a picture grid (one model, one current document), or a message."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QLabel, QSizePolicy, QStackedWidget, QWidget

from backlog_app.domain.documents import DocumentInfo
from backlog_app.ui.documents.document_table import DocumentTable
from backlog_app.ui.documents.thumbnail_view import DocumentGrid
from backlog_app.ui.models.document_model import DOCUMENT_ROLE, DocumentTableModel


class DocumentViews(QStackedWidget):
    """The table, the grid and the empty-state message over one model.

    The list and the grid follow each other's current row. Signals: ``current_changed`` (the
    DocumentInfo the user moved to), ``enter_pressed``, ``delete_pressed``, ``double_clicked``.
    """

    current_changed = Signal(object)
    enter_pressed = Signal()
    delete_pressed = Signal()
    double_clicked = Signal()

    def __init__(self, model: DocumentTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._quiet = False
        self._grid_chosen = False
        self.table = DocumentTable(self)
        self.table.setModel(model)
        self.grid = DocumentGrid(self)
        self.grid.setModel(model)
        self.empty = QLabel(self)
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # A long message must not push the splitter: it wraps to whatever width it gets.
        self.empty.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        for widget in (self.table, self.grid, self.empty):
            self.addWidget(widget)
        for view in (self.table, self.grid):
            view.selectionModel().currentChanged.connect(self._current_changed)
            view.doubleClicked.connect(lambda _index: self.double_clicked.emit())
            # Only while the list has the focus: Delete in the search box deletes text.
            for key, signal in (
                (QKeySequence(Qt.Key.Key_Return), self.enter_pressed),
                (QKeySequence(Qt.Key.Key_Enter), self.enter_pressed),
                (QKeySequence(QKeySequence.StandardKey.Delete), self.delete_pressed),
            ):
                shortcut = QShortcut(key, view, signal.emit)
                shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)

    def active(self) -> QAbstractItemView:
        return self.grid if self._grid_chosen else self.table

    def show_grid(self, grid: bool) -> None:
        self._grid_chosen = grid

    def show_rows_or(self, empty_text: str) -> None:
        """The chosen view when there are rows, else ``empty_text`` in its place."""
        if self.model.rowCount():
            self.setCurrentWidget(self.active())
        else:
            self.empty.setText(empty_text)
            self.setCurrentWidget(self.empty)

    def move_to(self, row: int | None) -> None:
        """Make ``row`` current in both views (None: nothing), without ``current_changed``."""
        self._quiet = True
        try:
            for view in (self.table, self.grid):
                selection = view.selectionModel()
                if row is None:
                    selection.clearSelection()
                    selection.setCurrentIndex(QModelIndex(), selection.SelectionFlag.NoUpdate)
                    continue
                index = self._index_for(view, row)
                if view.currentIndex().row() != row or not selection.hasSelection():
                    view.setCurrentIndex(index)
                if view.isVisible():
                    view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        finally:
            self._quiet = False

    def _current_changed(self, index: QModelIndex, _previous: QModelIndex) -> None:
        info = index.data(DOCUMENT_ROLE) if index.isValid() else None
        if self._quiet or not isinstance(info, DocumentInfo):
            return
        self._quiet = True
        try:
            for view in (self.table, self.grid):
                if view.currentIndex().row() != index.row():
                    view.setCurrentIndex(self._index_for(view, index.row()))
        finally:
            self._quiet = False
        self.current_changed.emit(info)

    def _index_for(self, view: QAbstractItemView, row: int) -> QModelIndex:
        return self.model.index(row, self.grid.modelColumn() if view is self.grid else 0)
