"""The documents linked to the selected cost entry (the bill, the EOB, the estimate) in one row:
double-click or Enter opens one on the Documents page; "Link a document…" adds more."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.documents import LinkTarget
from backlog_app.errors import UserError
from backlog_app.services.context import ProfileSession
from backlog_app.services.documents import DocumentRow
from backlog_app.ui.cases.case_documents import pick_documents
from backlog_app.ui.messages import Messages

_ID_ROLE = Qt.ItemDataRole.UserRole
NONE_LINKED = (
    "No documents linked yet: link the bill, the EOB or the estimate with “Link a document…”."
)
NOTHING_SELECTED = "Choose an entry to see its documents."


class CostDocuments(QWidget):
    """One entry's documents; ``open_document`` asks to show one on the Documents page."""

    open_document = Signal(int)

    def __init__(
        self, profile: ProfileSession, messages: Messages, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._messages = messages
        self._cost_id: int | None = None
        title = QLabel("Documents:", self)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Documents linked to the selected entry")
        self.list.setToolTip("Double-click a document to open it on the Documents page")
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.list.setSpacing(4)
        self.list.setMaximumHeight(self.fontMetrics().height() + 22)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemDoubleClicked.connect(self._open_item)
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.list, self._open_current)
        self.empty = QLabel(NOTHING_SELECTED, self)
        self.empty.setObjectName("muted")
        self.unlink_button = QPushButton("Remove link", self)
        self.unlink_button.setAccessibleName("Remove the link to the selected document")
        self.unlink_button.setToolTip(
            "The document stays in your vault; only its link to this entry goes."
        )
        self.unlink_button.clicked.connect(self.unlink_selected)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.unlink_button)
        self.show_documents(None, [])

    def cost_id(self) -> int | None:
        return self._cost_id

    def show_documents(self, cost_id: int | None, rows: Sequence[DocumentRow]) -> None:
        """``rows``: the entry's documents (``DocumentFilter(link=(COST, id))``)."""
        self._cost_id = cost_id
        self.list.clear()
        for row in rows:
            info = row.info
            day = format_long_date(info.data.document_date)
            item = QListWidgetItem(info.data.title)
            item.setData(_ID_ROLE, info.id)
            item.setToolTip(
                " · ".join(p for p in (info.data.title, info.data.kind.label, day) if p)
            )
            self.list.addItem(item)
        self.list.setVisible(bool(rows))
        self.empty.setText(NONE_LINKED if cost_id is not None else NOTHING_SELECTED)
        self.empty.setVisible(not rows)
        self._update_buttons()

    def document_ids(self) -> list[int]:
        return [int(self.list.item(row).data(_ID_ROLE)) for row in range(self.list.count())]

    def link_documents(self) -> None:
        """Choose documents from the vault and link them to the entry."""
        if self._cost_id is None:
            return
        chosen = pick_documents(
            self,
            self._profile,
            self.document_ids(),
            "Choose the documents that belong to this entry: the bill, the EOB, the estimate.",
        )
        try:  # one transaction: every chosen document is linked, or none
            self._profile.costs.link_documents(self._cost_id, chosen)
        except UserError as exc:
            self._messages.problem("Link a document", exc.message)

    def unlink_selected(self) -> None:
        item = self.list.currentItem()
        if item is None or self._cost_id is None:
            return
        try:
            self._profile.documents.unlink(int(item.data(_ID_ROLE)), LinkTarget.COST, self._cost_id)
        except UserError as exc:
            self._messages.problem("Remove link", exc.message)

    def _open_item(self, item: QListWidgetItem) -> None:
        self.open_document.emit(int(item.data(_ID_ROLE)))

    def _open_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._open_item(item)

    def _update_buttons(self) -> None:
        self.unlink_button.setEnabled(self.list.currentItem() is not None)
