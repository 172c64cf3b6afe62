"""A case's documents (linked to the case or one of its events) and a picker to link more.

Both reuse the Documents page's table model with only the Date, Kind and Title columns shown.
The picker reads the vault's list off the GUI thread (a vault may hold thousands of files).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
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

from backlog_app.domain.documents import LinkTarget
from backlog_app.errors import UserError
from backlog_app.services.context import ProfileSession
from backlog_app.services.documents import DocumentFilter, DocumentRow
from backlog_app.ui.documents.background import BackgroundReads
from backlog_app.ui.messages import Messages
from backlog_app.ui.models.document_model import (
    COLUMN_DATE,
    COLUMN_KIND,
    COLUMN_TITLE,
    HEADERS,
    DocumentTableModel,
)
from backlog_app.ui.models.record_table import RECORD_ID_ROLE

SHOWN_COLUMNS = (COLUMN_TITLE, COLUMN_KIND, COLUMN_DATE)


def document_table(model: DocumentTableModel, name: str, parent: QWidget) -> QTableView:
    """A compact table over ``model`` showing title, kind and date, searchable by a proxy."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setFilterKeyColumn(-1)
    table = QTableView(parent)
    table.setModel(proxy)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    for column in range(len(HEADERS)):
        table.setColumnHidden(column, column not in SHOWN_COLUMNS)
    # Title first: it is what people look for.
    header.moveSection(header.visualIndex(COLUMN_TITLE), 0)
    header.setSectionResizeMode(COLUMN_TITLE, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(COLUMN_KIND, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(COLUMN_DATE, QHeaderView.ResizeMode.ResizeToContents)
    return table


def _selected_ids(table: QTableView) -> list[int]:
    rows = table.selectionModel().selectedRows()
    return [int(index.data(RECORD_ID_ROLE)) for index in rows]


class DocumentPickerDialog(QDialog):
    """Choose one or more documents from the vault, newest first, with a search box.

    Args:
        profile: the open profile.
        exclude: documents already linked (left out).
        intro: one sentence saying what the chosen documents will be linked to.
    """

    def __init__(
        self,
        profile: ProfileSession,
        exclude: Collection[int],
        intro: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Link documents")
        self.setModal(True)
        self.chosen: list[int] = []
        self._exclude = set(exclude)
        self._reads = BackgroundReads(self, threads=1)
        text = QLabel(intro + " Hold Ctrl or Shift to choose several.", self)
        text.setWordWrap(True)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Type to narrow the list, e.g. denial or MRI")
        self.search.setAccessibleName("Find a document")
        self.search.setClearButtonEnabled(True)
        self.model = DocumentTableModel(None, self)
        self.table = document_table(self.model, "Documents in the vault", self)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setMinimumSize(680, 320)
        self.table.doubleClicked.connect(lambda _index: self._link())
        proxy = self.table.model()
        assert isinstance(proxy, QSortFilterProxyModel)
        self.search.textChanged.connect(proxy.setFilterFixedString)
        self.status = QLabel("Reading the list of documents…", self)
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.link_button = self.buttons.addButton("&Link", QDialogButtonBox.ButtonRole.AcceptRole)
        self.link_button.setAccessibleName("Link the chosen documents")
        self.link_button.setDefault(True)
        self.link_button.setEnabled(False)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        self.buttons.accepted.connect(self._link)
        self.buttons.rejected.connect(self.reject)
        self.table.selectionModel().selectionChanged.connect(self._update_button)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        documents = profile.documents
        self._reads.submit(lambda: documents.list(DocumentFilter()), self._show, self._failed)
        self.search.setFocus()

    def loaded(self) -> bool:
        return not self._reads.is_busy()

    def _show(self, rows: Sequence[DocumentRow]) -> None:
        shown = [row for row in rows if row.info.id not in self._exclude]
        self.model.set_rows(shown)
        if shown:
            self.status.hide()
        elif rows:
            self.status.setText("Every document in the vault is linked here already.")
        else:
            self.status.setText(
                "The vault has no documents yet. Add the letters on the Documents page first."
            )

    def _failed(self, exc: BaseException) -> None:
        message = exc.message if isinstance(exc, UserError) else "The list could not be read."
        self.status.setText(message)

    def select_documents(self, document_ids: Collection[int]) -> None:
        """Select these documents (for tests and for a caller that suggests some)."""
        proxy = self.table.model()
        for row in range(proxy.rowCount()):
            index = proxy.index(row, 0)
            if index.data(RECORD_ID_ROLE) in document_ids:
                self.table.selectionModel().select(
                    index,
                    self.table.selectionModel().SelectionFlag.Select
                    | self.table.selectionModel().SelectionFlag.Rows,
                )

    def _update_button(self) -> None:
        self.link_button.setEnabled(bool(_selected_ids(self.table)))

    def _link(self) -> None:
        self.chosen = _selected_ids(self.table)
        if self.chosen:
            self.accept()

    def done(self, result: int) -> None:
        self._reads.stop()
        super().done(result)


def pick_documents(
    parent: QWidget, profile: ProfileSession, exclude: Collection[int], intro: str
) -> list[int]:
    """Open the picker; the chosen document ids (empty when cancelled)."""
    dialog = DocumentPickerDialog(profile, exclude, intro, parent)
    return dialog.chosen if dialog.exec() else []


class CaseDocuments(QWidget):
    """The documents of one case; double-click or Enter opens one on the Documents page."""

    open_document = Signal(int)

    def __init__(
        self, profile: ProfileSession, messages: Messages, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._messages = messages
        self._case_id: int | None = None
        self._event_ids: frozenset[int] = frozenset()
        self._rows: list[DocumentRow] = []
        self.model = DocumentTableModel(None, self)
        self.table = document_table(self.model, "Documents of this case", self)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.doubleClicked.connect(self._open_index)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self._open_current)
        self.empty = QLabel(
            "No documents linked yet. Link the request, the denial letter, the appeal and "
            "the doctor's letters from your vault: they belong in the appeal packet.",
            self,
        )
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.link_button = QPushButton("&Link documents…", self)
        self.link_button.setAccessibleName("Link documents to this case")
        self.link_button.setToolTip("Choose documents from your vault to link to this case.")
        self.link_button.clicked.connect(self.link_documents)
        self.unlink_button = QPushButton("&Unlink", self)
        self.unlink_button.setAccessibleName("Unlink the selected document from this case")
        self.unlink_button.setToolTip(
            "The document stays in your vault; only its link to this case (and its events) goes."
        )
        self.unlink_button.clicked.connect(self.unlink_selected)
        self.open_button = QPushButton("&Open in Documents", self)
        self.open_button.setAccessibleName("Show the selected document on the Documents page")
        self.open_button.clicked.connect(self._open_current)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        buttons = QHBoxLayout()
        buttons.addWidget(self.link_button)
        buttons.addWidget(self.unlink_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.stack, 1)
        self._update_buttons()

    def show_documents(
        self, case_id: int | None, event_ids: Collection[int], rows: Sequence[DocumentRow]
    ) -> None:
        """The case's documents as read with the case (``DocumentFilter(link=(CASE, id))``)."""
        selected = self.selected_id()
        self._case_id = case_id
        self._event_ids = frozenset(event_ids)
        self._rows = list(rows)
        self.model.set_rows(rows)
        self.stack.setCurrentWidget(self.table if rows else self.empty)
        if selected is not None:
            self._select(selected)
        self._update_buttons()

    def document_ids(self) -> list[int]:
        return self.model.document_ids()

    def selected_id(self) -> int | None:
        ids = _selected_ids(self.table)
        return ids[0] if ids else None

    def _select(self, document_id: int) -> None:
        row = self.model.row_of(document_id)
        if row is None:
            return
        proxy = self.table.model()
        assert isinstance(proxy, QSortFilterProxyModel)
        self.table.setCurrentIndex(proxy.mapFromSource(self.model.index(row, COLUMN_TITLE)))

    def link_documents(self) -> None:
        if self._case_id is None:
            return
        chosen = pick_documents(
            self,
            self._profile,
            self.document_ids(),
            "Choose the documents that belong to this case.",
        )
        try:
            for document_id in chosen:
                self._profile.documents.link(document_id, LinkTarget.CASE, self._case_id)
        except UserError as exc:
            self._messages.problem("Link documents", exc.message)

    def unlink_selected(self) -> None:
        document_id = self.selected_id()
        if document_id is None or self._case_id is None:
            return
        row = next((r for r in self._rows if r.info.id == document_id), None)
        if row is None:
            return
        for link in row.info.links:
            if (link.target is LinkTarget.CASE and link.target_id == self._case_id) or (
                link.target is LinkTarget.CASE_EVENT and link.target_id in self._event_ids
            ):
                self._profile.documents.unlink(document_id, link.target, link.target_id)

    def _open_index(self, index: QModelIndex) -> None:
        value = index.data(RECORD_ID_ROLE)
        if value is not None:
            self.open_document.emit(int(value))

    def _open_current(self) -> None:
        document_id = self.selected_id()
        if document_id is not None:
            self.open_document.emit(document_id)

    def _update_buttons(self) -> None:
        selected = self.selected_id() is not None
        self.unlink_button.setEnabled(selected)
        self.open_button.setEnabled(selected)
        self.link_button.setEnabled(self._case_id is not None)
