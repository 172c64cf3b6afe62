"""The Documents page: search and filters, the list or picture grid, the preview and the details.

Lists are read off the GUI thread (a search over thousands of documents with their tags must not
stall typing) and replace each other; the page refreshes on Change.DOCUMENTS and PROVIDERS only,
keeping the selected document and the scroll position. Moving to the trash is undone with Ctrl+Z
(``TrashHistory``); removing for good asks first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.documents import DocumentInfo
from backlog_app.errors import UserError
from backlog_app.logging_setup import current_log_file
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession
from backlog_app.ui.documents import file_actions, import_flow, page_text
from backlog_app.ui.documents.action_bar import DocumentActionBar
from backlog_app.ui.documents.background import BackgroundReads
from backlog_app.ui.documents.details import DocumentDetails
from backlog_app.ui.documents.document_views import DocumentViews
from backlog_app.ui.documents.filter_bar import DocumentFilterBar
from backlog_app.ui.documents.listing import Listing, load_listing
from backlog_app.ui.documents.preview import DocumentPreview
from backlog_app.ui.documents.thumbnail_view import ThumbnailCache
from backlog_app.ui.documents.trash_history import TrashedDocument, TrashHistory
from backlog_app.ui.jobs import JobRunner
from backlog_app.ui.messages import Messages
from backlog_app.ui.models.document_model import DocumentTableModel
from backlog_app.ui.widgets import heading

log = logging.getLogger("backlog.ui.documents")

CHANGE_DELAY_MS = 150  # an import announces every file: reload once they pause


class DocumentsPage(QWidget):
    """Every document of the profile; ``listed`` fires each time a new list is on screen.

    Args:
        profile: the open profile.
        messages: confirmations, problems and password prompts.
        show_status: a short note in the status bar.
        jobs: the window's job runner (saving copies, adding files); None makes one.
    """

    listed = Signal()

    def __init__(
        self,
        profile: ProfileSession,
        messages: Messages,
        show_status: Callable[[str], None],
        jobs: JobRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._messages = messages
        self._show_status = show_status
        self._jobs = jobs or JobRunner(self, self._user_error, self._bug)
        self._reads = BackgroundReads(self)
        self._thumbnail_reads = BackgroundReads(self)
        self._stale = True
        self._providers_stale = True
        self._listing: Listing | None = None
        self._current: DocumentInfo | None = None
        self._generation = 0  # counts data changes, so that a list read before one is dropped
        self._next_row: int | None = None  # after a trash: select the row that took its place
        self.history = TrashHistory(profile.documents, self)

        self.thumbnails = ThumbnailCache(profile.documents, self._thumbnail_reads, self)
        self.model = DocumentTableModel(self.thumbnails, self)
        self.thumbnails.ready.connect(self.model.thumbnail_ready)
        self.filters = DocumentFilterBar(self)
        self.filters.changed.connect(self._filter_changed)
        self.views = DocumentViews(self.model, self)
        self.views.current_changed.connect(self._set_current)
        self.views.enter_pressed.connect(self.open_preview)
        self.views.delete_pressed.connect(self._delete_key)
        self.views.double_clicked.connect(self.open_in_viewer)
        self.table, self.grid, self.empty = self.views.table, self.views.grid, self.views.empty
        self.preview = DocumentPreview(profile.documents, messages, self._reads, self)
        self.details = DocumentDetails(profile, self._jobs, messages, self)

        self.action_bar = DocumentActionBar(self)
        self.action_bar.add_button.clicked.connect(self.add)
        self.action_bar.open_button.clicked.connect(self.open_in_viewer)
        self.action_bar.save_button.clicked.connect(self.save_copy)
        self.action_bar.trash_button.clicked.connect(self.move_to_trash)
        self.action_bar.restore_button.clicked.connect(self.restore)
        self.action_bar.remove_button.clicked.connect(self.remove)
        self.action_bar.view_changed.connect(self._switch_view)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("muted")

        title_row = QHBoxLayout()
        title_row.addWidget(heading("Documents"))
        title_row.addStretch(1)
        title_row.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignBottom)

        self.side = QSplitter(Qt.Orientation.Vertical, self)
        self.side.setChildrenCollapsible(False)
        self.side.addWidget(self.preview)
        self.side.addWidget(self.details)
        self.side.setStretchFactor(0, 3)
        self.side.setStretchFactor(1, 2)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.views)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([560, 440])
        self.side.setSizes([460, 300])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(10)
        layout.addLayout(title_row)
        layout.addWidget(self.filters)
        layout.addWidget(self.action_bar)
        layout.addWidget(self.splitter, 1)

        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(CHANGE_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.focus_search)
        find.setContext(Qt.ShortcutContext.WindowShortcut)  # only while the page is shown
        self._update_buttons()

    # Loading -----------------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def on_data_changed(self, changes: frozenset[Change]) -> None:
        """Reload after documents (or provider names) changed; wait while the page is hidden."""
        if changes & {Change.PROVIDERS, Change.CASES}:
            self._providers_stale = True  # the provider and case filters are read again
        if Change.DOCUMENTS in changes:
            self.thumbnails.retry_unavailable()
        if changes & {Change.DOCUMENTS, Change.PROVIDERS, Change.CASES}:
            self._stale = True
            self._generation += 1  # a list being read now may miss this change: drop it
            if self.isVisible():
                self._reload_timer.start()

    def reload(self) -> None:
        """Read the list for the current filters in the background; ``listed`` fires when shown."""
        self._reload_timer.stop()
        self._stale = False
        wanted = self.filters.document_filter()
        with_providers = self._providers_stale
        self._providers_stale = False
        profile = self._profile
        generation = self._generation
        self._reads.submit(
            lambda: load_listing(profile, wanted, with_providers=with_providers),
            lambda listing: self._show_listing(listing, generation),
            self._listing_failed,
            key="list",
        )

    def _filter_changed(self, _wanted: object) -> None:
        if self.filters.search.text().strip():
            self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.reload()

    def _listing_failed(self, exc: BaseException) -> None:
        self._providers_stale = True
        if isinstance(exc, UserError):
            self._messages.problem("Documents", exc.message)
        else:
            self._bug(exc)

    def _show_listing(self, listing: Listing, generation: int) -> None:
        if generation != self._generation:
            self._providers_stale |= listing.providers is not None
            return  # read before the latest change; the reload after it is on its way
        view = self.views.active()
        scroll = view.verticalScrollBar().value()
        current_id = self._current.id if self._current is not None else None
        if listing.providers is not None:
            self.filters.set_providers(listing.providers)
            self.model.set_provider_names(dict(listing.providers))
        if listing.cases is not None:
            self.filters.set_cases(listing.cases)
        self.filters.set_tags(listing.tags)
        self._listing = listing
        self.model.set_rows(listing.rows)
        self.table.set_searching(bool(listing.filter.text))
        self.preview.set_search_text(listing.filter.text)

        row = self.model.row_of(current_id) if current_id is not None else None
        if row is None and self.model.rowCount():
            # After a trash or a restore, the next document takes its place; else the first
            # (for a search, the best match).
            fallback = self._next_row if self._next_row is not None else 0
            row = min(fallback, self.model.rowCount() - 1)
            scroll = -1  # a different document: show it
        self._next_row = None
        self._select_row(row, refresh=True)
        if scroll >= 0:
            view.verticalScrollBar().setValue(scroll)
        self._update_state()
        self.listed.emit()

    # Selection ---------------------------------------------------------------------------------

    def selected_document(self) -> DocumentInfo | None:
        return self._current

    def select_document(self, document_id: int) -> bool:
        row = self.model.row_of(document_id)
        self._select_row(row)
        return row is not None

    def _select_row(self, row: int | None, *, refresh: bool = False) -> None:
        self.views.move_to(row)
        self._set_current(self.model.document(row) if row is not None else None, refresh=refresh)

    def _set_current(self, info: DocumentInfo | None, *, refresh: bool = False) -> None:
        """Show ``info`` in the preview and the details (``refresh``: new data, same list)."""
        changed_document = (info.id if info else None) != (
            self._current.id if self._current else None
        )
        self._current = info
        self.preview.show_document(info)
        if changed_document or (refresh and info is not None):
            # The details keep what is being typed when the same document comes again.
            self.details.set_document(info.id if info is not None else None)
        self._update_buttons()

    # Actions -----------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.filters.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search.selectAll()

    def add(self) -> None:
        import_flow.add_documents(self, self._profile, self._jobs, self._messages)

    def open_preview(self) -> None:
        """Enter on a document: move to the preview (and ask for a PDF's password if needed)."""
        if self._current is None:
            return
        if self.preview.mode == "locked":
            self.preview.ask_password_now()
        else:
            self.preview.focus_content()

    def open_in_viewer(self) -> None:
        if self._current is not None:
            file_actions.open_in_viewer(
                self._profile.documents,
                self._current,
                self._messages,
                save_copy_instead=self.save_copy,
            )

    def save_copy(self) -> None:
        if self._current is not None:
            file_actions.save_copy(
                self, self._profile.documents, self._current, self._jobs, self._show_status
            )

    def move_to_trash(self) -> None:
        info = self._current
        if info is None or info.in_trash:
            return
        self._next_row = self.model.row_of(info.id)
        try:
            self.history.trash(info.id, info.data.title)
        except UserError as exc:
            self._messages.problem("Move to trash", exc.message)
            return
        self._show_status(f"Moved “{info.data.title}” to the trash — Undo with Ctrl+Z.")

    def undo_trash(self) -> TrashedDocument | None:
        """Take the document last moved to the trash out again (Ctrl+Z on this page)."""
        try:
            restored = self.history.undo()
        except UserError as exc:
            self._messages.problem("Undo", exc.message)
            return None
        if restored is not None:
            self._show_status(f"Put back {restored.description}.")
        return restored

    def restore(self) -> None:
        info = self._current
        if info is None or not info.in_trash:
            return
        self._next_row = self.model.row_of(info.id)
        try:
            self._profile.documents.restore(info.id)
        except UserError as exc:
            self._messages.problem("Restore", exc.message)
            return
        self.history.forget(info.id)
        self._show_status(f"Restored “{info.data.title}”.")

    def remove(self) -> None:
        info = self._current
        if info is None or not info.in_trash:
            return
        if not file_actions.confirm_removal(self._messages, info):
            return
        self._next_row = self.model.row_of(info.id)
        self.preview.show_document(None)  # let go of the file first
        self.details.set_document(None)  # and of its unsaved edits
        self.history.forget(info.id)
        self._current = None
        documents = self._profile.documents
        # A commit with a full sync, an unlink and a folder sync: not on the GUI thread.
        # A failure (UserError) is shown by the runner's own handler, in plain words.
        self._jobs.run(
            "Removing for good…",
            lambda _progress: documents.delete_forever(info.id),
            lambda _result: self._show_status(f"Removed “{info.data.title}” for good."),
            cancellable=False,
        )

    def _delete_key(self) -> None:
        if self.filters.trash.isChecked():
            self.remove()
        else:
            self.move_to_trash()

    # Views and state ---------------------------------------------------------------------------

    def _switch_view(self, grid: bool) -> None:
        self.views.show_grid(grid)
        self._update_state()
        if self._current is not None:
            self.select_document(self._current.id)

    def _update_state(self) -> None:
        listing = self._listing
        filtered = self.filters.has_filters()
        self.views.show_rows_or(page_text.empty_text(listing, filtered))
        first_time = page_text.is_first_time(listing)
        self.filters.setVisible(not first_time)
        self.side.setVisible(not first_time)
        if listing is not None:
            self.count_label.setText(page_text.count_text(listing, filtered))
            self.filters.trash.setText(page_text.trash_button_text(listing))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.action_bar.set_state(
            trash_view=self.filters.trash.isChecked(),
            selected=self._current is not None,
            first_time=page_text.is_first_time(self._listing),
        )

    # Errors and shutdown -----------------------------------------------------------------------

    def _user_error(self, error: UserError) -> None:
        self._messages.problem("Documents", error.message)

    def _bug(self, error: BaseException) -> None:
        log.error("unexpected error on the Documents page", exc_info=error)
        log_file = current_log_file()
        self._messages.apology(str(log_file) if log_file else None)

    def detach(self) -> None:
        """Stop background work and let go of files before the profile closes."""
        self.details.detach()  # saves valid unsaved details, stops its suggestion thread
        self._reload_timer.stop()
        self.filters.stop()
        self._reads.stop()
        self._thumbnail_reads.stop()
        self.preview.stop()
