"""The Cases page: the list of coverage cases beside the case shown, and the call log.

The list is short (tens of cases) and read whole; it refreshes on changes to cases, calls,
plans and providers, keeping the selected case. Documents change in bursts (an import, text
reading), so those refresh the case view after a pause, and only while the page is shown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QItemSelection, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from backlog_app.errors import UserError
from backlog_app.logging_setup import current_log_file
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession
from backlog_app.ui.cases.case_dialog import add_case
from backlog_app.ui.cases.case_view import CaseView
from backlog_app.ui.jobs import JobRunner
from backlog_app.ui.messages import Messages
from backlog_app.ui.models.case_model import (
    CASE_ID_ROLE,
    COLUMN_ACTIVITY,
    COLUMN_CASE,
    COLUMN_NEXT,
    COLUMN_PLAN,
    COLUMN_STATUS,
    CaseFilterProxy,
    CaseTableModel,
    is_open,
)
from backlog_app.ui.widgets import heading

if TYPE_CHECKING:
    from backlog_app.ui.cases.calls_view import CallsView

log = logging.getLogger("backlog.ui.cases")

CHANGE_DELAY_MS = 150
LIST_CHANGES = frozenset({Change.CASES, Change.CALLS, Change.PLANS, Change.PROVIDERS})
VIEW_CHANGES = LIST_CHANGES | {Change.DOCUMENTS}
TAB_CASES, TAB_CALL_LOG = range(2)
FILTER_OPEN, FILTER_ALL = range(2)
# Narrower than this, the list shows the case (with its status) and the next deadline only.
COMPACT_WIDTH = 640
WIDE_ONLY_COLUMNS = (COLUMN_PLAN, COLUMN_STATUS, COLUMN_ACTIVITY)
EMPTY_TEXT = (
    "No cases yet.\n\nA case follows one request to your insurer — a preauthorization, a "
    "denial, an appeal — and works out every deadline for you, with its source."
)


class CasesPage(QWidget):
    """Cases on the left, the selected case on the right; a second tab holds every call.

    Args:
        profile: the open profile.
        messages: confirmations and problems.
        show_status: a short note in the status bar.
        jobs: the window's job runner (the letter saves through it); None makes one.
    """

    open_document = Signal(int)
    open_log_record = Signal(object)  # a readiness Evidence
    undo_changed = Signal()  # what ``undo`` would put back changed
    export_packet = Signal(int)  # Export packet… for the case shown: the window opens the dialog

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
        self._stale = True
        self._view_stale = False
        self._calls_view: CallsView | None = None

        self.model = CaseTableModel(profile.clock, self)
        self.proxy = CaseFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Cases")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # soonest deadline first
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for column in range(self.model.columnCount()):
            header.setSectionResizeMode(
                column,
                QHeaderView.ResizeMode.Stretch
                if column in (COLUMN_CASE, COLUMN_NEXT)
                else QHeaderView.ResizeMode.ResizeToContents,
            )
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.installEventFilter(self)
        self._compact: bool | None = None
        self._sized = False

        self.new_button = QPushButton("&New case…", self)
        self.new_button.setObjectName("primaryButton")
        self.new_button.setAccessibleName("New case")
        self.new_button.setToolTip("Start following a new request to your insurer")
        self.new_button.clicked.connect(self.add_case)
        self.status_filter = QComboBox(self)
        self.status_filter.addItems(["Open cases", "All cases"])
        self.status_filter.setAccessibleName("Which cases to show")
        self.status_filter.setToolTip(
            "Open cases still need something: a decision, an appeal, a deadline. Approved and "
            "paid cases with nothing due are settled."
        )
        self.status_filter.currentIndexChanged.connect(self._filter_changed)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("muted")
        self.packet_button = QPushButton("E&xport packet…", self)
        self.packet_button.setAccessibleName("Export a packet for the case shown")
        self.packet_button.setToolTip(
            "Make one PDF for your insurer of the case shown: its timeline, letter, records "
            "and documents, with your name and page numbers on every page"
        )
        self.packet_button.setEnabled(False)
        self.packet_button.clicked.connect(self._export_packet)

        self.view = CaseView(profile, messages, show_status, self._jobs, self)
        self.view.open_document.connect(self.open_document)
        self.view.open_log_record.connect(self.open_log_record)
        self.view.case_deleted.connect(lambda _case_id: self.reload())
        self.view.undo_changed.connect(self.undo_changed)

        toolbar = QHBoxLayout()
        toolbar.addWidget(self.new_button)
        toolbar.addStretch(1)
        show = QLabel("&Show:", self)
        show.setBuddy(self.status_filter)
        toolbar.addWidget(show)
        toolbar.addWidget(self.status_filter)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(toolbar)
        left_layout.addWidget(self.table, 1)
        self.no_match = QLabel(self)
        self.no_match.setObjectName("muted")
        self.no_match.setWordWrap(True)
        left_layout.addWidget(self.no_match)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.view)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)

        self.empty_text = QLabel(EMPTY_TEXT, self)
        self.empty_text.setWordWrap(True)
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_text.setMaximumWidth(600)  # short lines read better
        self.start_button = QPushButton("&Start a case", self)
        self.start_button.setObjectName("primaryButton")
        self.start_button.setAccessibleName("Start a case")
        self.start_button.clicked.connect(self.add_case)
        self.empty = QFrame(self)
        self.empty.setObjectName("card")
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.setContentsMargins(32, 32, 32, 32)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_text, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addSpacing(12)
        empty_layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(2)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.empty)

        self.calls_host = QWidget(self)
        QVBoxLayout(self.calls_host).setContentsMargins(0, 8, 0, 0)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        cases_tab = QWidget(self)
        cases_layout = QVBoxLayout(cases_tab)
        cases_layout.setContentsMargins(0, 8, 0, 0)
        cases_layout.addWidget(self.stack)
        self.tabs.addTab(cases_tab, "&Cases")
        self.tabs.addTab(self.calls_host, "Call lo&g")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.tabs.currentChanged.connect(self.undo_changed)

        title_row = QHBoxLayout()
        title_row.addWidget(heading("Cases & Appeals"))
        title_row.addStretch(1)
        title_row.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignBottom)
        title_row.addSpacing(12)
        title_row.addWidget(self.packet_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(10)
        layout.addLayout(title_row)
        layout.addWidget(self.tabs, 1)

        self._view_timer = QTimer(self)
        self._view_timer.setSingleShot(True)
        self._view_timer.setInterval(CHANGE_DELAY_MS)
        self._view_timer.timeout.connect(self._reload_view)

    # Loading -----------------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._sized and self.splitter.width() > 0:
            # The case view needs the room (its letter and tables); the list can be widened.
            self._sized = True
            width = self.splitter.width()
            self.splitter.setSizes([int(width * 0.36), width - int(width * 0.36)])
        if self._stale:
            self.reload()
        elif self._view_stale:
            self._reload_view()

    def on_data_changed(self, changes: frozenset[Change]) -> None:
        """Cases, calls, plans and providers reload the list and the case; documents only the
        case, after a pause. Hidden, the page waits until it is shown."""
        if changes & LIST_CHANGES:
            self._stale = True
            if self.isVisible():
                self.reload()
        elif changes & VIEW_CHANGES:
            self._view_stale = True
            if self.isVisible():
                self._view_timer.start()

    def reload(self) -> None:
        """Read the case list again, keeping the selected case (or selecting the first)."""
        self._stale = False
        current = self.current_case_id()
        try:
            rows = self._profile.cases.list()
        except UserError as exc:
            self._messages.problem("Cases", exc.message)
            return
        self.table.selectionModel().blockSignals(True)
        try:
            self.model.set_rows(rows)
        finally:
            self.table.selectionModel().blockSignals(False)
        self.stack.setCurrentWidget(self.splitter if rows else self.empty)
        self._update_count()
        if current is not None:
            self._select(current, read=True)
        else:
            self._select_first()

    def _reload_view(self) -> None:
        self._view_timer.stop()
        self._view_stale = False
        self.view.reload()
        self.view.data_changed()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.Resize:
            self._set_compact(self.table.width() < COMPACT_WIDTH)
        return super().eventFilter(watched, event)

    def _set_compact(self, compact: bool) -> None:
        if compact == self._compact:
            return
        self._compact = compact
        self.model.set_compact(compact)
        for column in WIDE_ONLY_COLUMNS:
            self.table.setColumnHidden(column, compact)

    # Selection ---------------------------------------------------------------------------------

    def current_case_id(self) -> int | None:
        """The case shown on the right (Log a call pre-selects it), or None."""
        return self.view.current_case_id()

    def show_case(self, case_id: int) -> None:
        """Show that case (from Home or a due reminder): the Cases tab, the list, the view."""
        if self._stale:
            self.reload()
        self.tabs.setCurrentIndex(TAB_CASES)
        row = self.model.row_of(case_id)
        if row is None:
            return
        if not is_open(self.model.case_row(row)) and self.proxy.open_only:
            self.status_filter.setCurrentIndex(FILTER_ALL)
        self._select(case_id)

    def _select(self, case_id: int, *, read: bool = False) -> None:
        """Select ``case_id`` in the list and show it; ``read``: read it again if it is shown."""
        row = self.model.row_of(case_id)
        index = self.proxy.mapFromSource(self.model.index(row, 0)) if row is not None else None
        if index is None or not index.isValid():
            self._select_first()
            return
        self.table.setCurrentIndex(index)  # selectionChanged shows a different case
        self.table.scrollTo(index)
        if self.current_case_id() != case_id:
            self._show_in_view(case_id)
        elif read:
            self.view.reload()
            self.view.data_changed()

    def _select_first(self) -> None:
        if self.proxy.rowCount() == 0:
            self.table.clearSelection()
            self._show_in_view(None)
            return
        value = self.proxy.index(0, 0).data(CASE_ID_ROLE)
        self._select(int(value), read=True)

    def _show_in_view(self, case_id: int | None) -> None:
        self.view.setEnabled(case_id is not None)
        self.view.show_case(case_id)
        self.packet_button.setEnabled(self.current_case_id() is not None)

    def _selected_row_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        value = rows[0].data(CASE_ID_ROLE)
        return int(value) if value is not None else None

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        case_id = self._selected_row_id()
        if case_id is None or case_id == self.current_case_id():
            return
        self._show_in_view(case_id)

    def _filter_changed(self, index: int) -> None:
        self.proxy.set_open_only(index == FILTER_OPEN)
        current = self.current_case_id()
        if current is not None:
            self._select(current)
        else:
            self._select_first()
        self._update_count()

    def _update_count(self) -> None:
        total = self.model.rowCount()
        open_count = sum(1 for row in range(total) if is_open(self.model.case_row(row)))
        self.count_label.setText(f"{open_count} open · {total} in all" if total else "No cases yet")
        hidden = total - self.proxy.rowCount()
        self.no_match.setText(
            f"{hidden} settled case{'s are' if hidden != 1 else ' is'} hidden: choose “All "
            "cases” to see them."
            if hidden and self.proxy.rowCount() == 0
            else ""
        )
        self.no_match.setVisible(bool(self.no_match.text()))

    # Actions -----------------------------------------------------------------------------------

    def add_case(self) -> None:
        """Open the New case dialog; the new case is selected when saved."""
        case_id = add_case(self, self._profile, self._messages)
        if case_id is None:
            return
        if self._stale:
            self.reload()
        self.tabs.setCurrentIndex(TAB_CASES)
        self.status_filter.setCurrentIndex(FILTER_OPEN)
        self._select(case_id)
        self._show_status("Case added. Next: add what has happened so far with Add event…")

    def _export_packet(self) -> None:
        case_id = self.current_case_id()
        if case_id is not None:
            self.export_packet.emit(case_id)

    # Undo (Edit → Undo while the page is shown) ------------------------------------------------

    def undo_description(self) -> str | None:
        """What ``undo`` would put back on the tab shown: on Call log the call deleted last, on
        Cases the case view's deleted event (or call, on its Calls tab); None when nothing."""
        if self.tabs.currentIndex() == TAB_CALL_LOG:
            calls = self._calls_view
            return calls.undo_description() if calls is not None else None
        return self.view.undo_description()

    def undo(self) -> None:
        """Put back what ``undo_description`` names (nothing when it is None)."""
        if self.tabs.currentIndex() == TAB_CALL_LOG:
            if self._calls_view is not None:
                self._calls_view.undo_delete()
        else:
            self.view.undo()

    # The call log ------------------------------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        # The packet is for the case shown on the Cases tab; the call log shows no case.
        self.packet_button.setVisible(index != TAB_CALL_LOG)
        if index == TAB_CALL_LOG:
            self.calls_view()

    def calls_view(self) -> CallsView:
        """D2's CallsView over every call, made the first time the Call log tab is shown."""
        if self._calls_view is None:
            from backlog_app.ui.cases.calls_view import CallsView

            self._calls_view = CallsView(self._profile, self._messages, self._show_status)
            self._calls_view.undo_changed.connect(self.undo_changed)
            self._calls_view.show_calls(None)
            layout = self.calls_host.layout()
            assert layout is not None
            layout.addWidget(self._calls_view)
        return self._calls_view

    # Errors and shutdown -----------------------------------------------------------------------

    def _user_error(self, error: UserError) -> None:
        self._messages.problem("Cases", error.message)

    def _bug(self, error: BaseException) -> None:
        log.error("unexpected error on the Cases page", exc_info=error)
        log_file = current_log_file()
        self._messages.apology(str(log_file) if log_file else None)

    def detach(self) -> None:
        """Stop timers and background work before the profile closes."""
        self._view_timer.stop()
        self.view.detach()
        if self._calls_view is not None:
            self._calls_view.detach()
