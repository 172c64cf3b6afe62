"""The "Documents to attach" box: attach documents or not, which ones (ticks), and their order
(Move up, Move down, Default order; Ctrl+Up and Ctrl+Down in the list; Space ticks)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.packet_documents import DocumentChoice
from backlog_app.ui.packet.documents_model import (
    COLUMN_DATE,
    COLUMN_INCLUDE,
    COLUMN_KIND,
    COLUMN_TITLE,
    PacketDocumentsModel,
)

KIND_WIDTH = 170


class DocumentTable(QTableView):
    """The list of documents: Space ticks or unticks the current one wherever the focus is in
    its row; Ctrl+Up and Ctrl+Down move it."""

    move_requested = Signal(int)  # -1 up, +1 down

    def keyPressEvent(self, event: QKeyEvent) -> None:
        model = self.model()
        row = self.currentIndex().row()
        control = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if event.key() == Qt.Key.Key_Space and row >= 0 and isinstance(model, PacketDocumentsModel):
            model.toggle(row)
            return
        if control and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_requested.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
            return
        super().keyPressEvent(event)


class DocumentsBox(QGroupBox):
    """Which documents the packet attaches, in order.

    ``changed`` fires on every change; ``chosen_by_hand`` when the user ticks, unticks or moves a
    document (not for "Attach documents" on or off); ``order_reset`` after "Default order".
    """

    changed = Signal()
    chosen_by_hand = Signal()
    order_reset = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Documents to attach", parent)
        self.include = QCheckBox("&Attach documents from your records", self)
        self.include.setChecked(True)
        self.include.setAccessibleName("Attach documents from your records")
        self.include.setToolTip(
            "Letters, reports, bills and scans you added to BackLog, each after a title line, "
            "with your name and page numbers on every page."
        )
        self.model = PacketDocumentsModel(self)
        self.table = DocumentTable(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Documents to attach, in order")
        self.table.setAccessibleDescription(
            "Space ticks or unticks a document; Control with the arrow keys moves it."
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for column in (COLUMN_INCLUDE, COLUMN_DATE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMN_KIND, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COLUMN_TITLE, QHeaderView.ResizeMode.Stretch)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)

        self.up_button = _button("Move &up", "Attach the chosen document earlier")
        self.down_button = _button("Move do&wn", "Attach the chosen document later")
        self.default_button = _button(
            "Default &order",
            "Put the documents back in the usual order: letters and the denial first, then "
            "plan papers, medical records, and bills last",
        )
        self.count = QLabel(self)
        self.count.setObjectName("fieldHint")
        self.count.setWordWrap(True)
        self.count.setAccessibleName("How many documents are attached")

        buttons = QHBoxLayout()
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addWidget(self.default_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        layout.addWidget(self.include)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.count)

        self.include.toggled.connect(self._include_toggled)
        self.model.selection_changed.connect(self._chosen_changed)
        self.table.move_requested.connect(self.move_current)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.default_button.clicked.connect(self._default_order)
        self._loaded = False
        self._loading = False
        self._update_buttons()
        self._update_count()

    # Filling ---------------------------------------------------------------------------------

    def set_documents(
        self, available: Sequence[DocumentChoice], ticked: Sequence[DocumentChoice]
    ) -> None:
        """Every document, the ``ticked`` ones (the default for this packet) first."""
        self._loaded = True
        self.model.set_documents(available, ticked)
        # Long kinds ("Explanation of Benefits (EOB)") are cut short: the title needs the room,
        # and the tooltip names everything.
        self.table.resizeColumnToContents(COLUMN_KIND)
        self.table.setColumnWidth(COLUMN_KIND, min(self.table.columnWidth(COLUMN_KIND), KIND_WIDTH))
        self._update_buttons()
        self._update_count()

    def set_loading(self, loading: bool) -> None:
        """While the default documents for new choices are read, the list cannot be changed."""
        self._loading = loading
        self.table.setEnabled(self.include.isChecked() and not loading)
        self._update_buttons()
        self._update_count()

    def document_ids(self) -> tuple[int, ...]:
        """The documents to attach, in order (empty when documents are left out)."""
        return self.model.ticked_ids() if self.include.isChecked() else ()

    # Moving ----------------------------------------------------------------------------------

    def move_current(self, step: int) -> None:
        row = self.table.currentIndex().row()
        if row < 0:
            return
        moved = self.model.move(row, step)
        index = self.model.index(moved, COLUMN_TITLE)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        self._update_buttons()

    # State -----------------------------------------------------------------------------------

    def _default_order(self) -> None:
        self.model.sort_default()
        self.order_reset.emit()

    def _include_toggled(self, on: bool) -> None:
        self.table.setEnabled(on and not self._loading)
        self._update_buttons()
        self._update_count()
        self.changed.emit()

    def _chosen_changed(self) -> None:
        self._update_buttons()
        self._update_count()
        self.chosen_by_hand.emit()
        self.changed.emit()

    def _update_buttons(self) -> None:
        on = self.include.isChecked() and not self._loading
        row = self.table.currentIndex().row()
        rows = self.model.rowCount()
        self.up_button.setEnabled(on and row > 0)
        self.down_button.setEnabled(on and 0 <= row < rows - 1)
        self.default_button.setEnabled(on and rows > 1)

    def _update_count(self) -> None:
        total = self.model.rowCount()
        ticked = len(self.model.ticked_ids())
        if not self._loaded:
            text = "Reading your documents…"
        elif self._loading:
            text = "Choosing the documents for this packet…"
        elif not self.include.isChecked():
            text = "No documents will be attached."
        elif total == 0:
            text = "You have not added any documents yet."
        else:
            noun = "document" if total == 1 else "documents"
            text = f"{ticked} of {total} {noun} ticked: they are attached in this order."
        self.count.setText(text)


def _button(text: str, what: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(text.replace("&", ""))
    button.setAccessibleDescription(what)
    button.setToolTip(what)
    button.setAutoDefault(False)
    return button
