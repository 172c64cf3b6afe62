"""The Log page's "Daily log" tab: filters, the trend chart, the heat strip and the lazy log table.

Double-click or Enter opens the entry's editor; Delete asks first and can be undone (Ctrl+Z).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from backlog_app.errors import UserError
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession
from backlog_app.services.log_view import (
    ALL_KINDS,
    EntryKind,
    LogEntry,
    LogFilter,
    count_entries,
    describe,
    entries,
    log_extent,
)
from backlog_app.services.trends import trend_data
from backlog_app.ui.charts.heat_strip import HeatStrip
from backlog_app.ui.charts.trend_chart import TrendChart
from backlog_app.ui.editors.log_editors import open_log_editor
from backlog_app.ui.messages import Messages
from backlog_app.ui.models.log_model import (
    COLUMN_DAY,
    COLUMN_KIND,
    COLUMN_PAIN,
    COLUMN_TITLE,
    ENTRY_ROLE,
    PAGE_SIZE,
    SORT_KEYS,
    LogTableModel,
)
from backlog_app.ui.pages.log_filter_bar import LogFilterBar

TABLE_CHANGES = frozenset(
    {Change.CHECK_INS, Change.MEDICATIONS, Change.TREATMENTS, Change.ODI_SCORES, Change.PROVIDERS}
)
CHART_CHANGES = frozenset({Change.CHECK_INS, Change.MEDICATIONS, Change.COURSES})

ADD_CHOICES = (
    ("medication", "Medication trial…"),
    ("treatment", "Treatment, test or visit…"),
    ("course", "Therapy course…"),
    ("odi", "ODI score…"),
)


class DailyLogTab(QWidget):
    """Everything logged, newest first, with the pain trend above it.

    Args:
        profile: the open profile.
        messages: confirmations and problems.
        show_status: a short note in the status bar.
        delete_entry: deletes an entry (after the user confirmed) and remembers it for Undo.
    """

    check_in_requested = Signal()
    undo_requested = Signal()

    def __init__(
        self,
        profile: ProfileSession,
        messages: Messages,
        show_status: Callable[[str], None],
        delete_entry: Callable[[LogEntry], None],
        parent: QWidget | None = None,
        *,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._messages = messages
        self._show_status = show_status
        self._delete_entry = delete_entry
        self._stale_table = True
        self._stale_charts = True

        self._stale_extent = True
        self.filters = LogFilterBar(profile.clock(), None, self)
        self.filters.changed.connect(self._filter_changed)

        self.chart = TrendChart(self)
        self.heat_strip = HeatStrip(self)
        charts = QWidget(self)
        charts_layout = QVBoxLayout(charts)
        charts_layout.setContentsMargins(0, 0, 0, 0)
        charts_layout.setSpacing(4)
        self.heat_strip.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        charts_layout.addWidget(self.chart, 1)
        charts_layout.addWidget(self.heat_strip)

        self.model = LogTableModel(
            lambda log_filter: count_entries(profile, log_filter),
            lambda log_filter, offset, limit, sort: entries(
                profile, log_filter, offset, limit, sort
            ),
            page_size=page_size,
            parent=self,
        )
        self.table = self._make_table()
        self.empty = QLabel(self)
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._table_stack = QStackedWidget(self)
        self._table_stack.addWidget(self.table)
        self._table_stack.addWidget(self.empty)

        self.check_in_button = QPushButton("Check in now", self)
        self.check_in_button.setObjectName("primaryButton")
        self.check_in_button.setToolTip("Record today's pain, sleep and medications (Ctrl+L)")
        self.check_in_button.clicked.connect(self.check_in_requested)
        self.add_button = QPushButton("Add", self)
        self.add_button.setToolTip("Add a medication, treatment, therapy course or ODI score")
        self.add_menu = QMenu(self.add_button)
        for kind, label in ADD_CHOICES:
            action = self.add_menu.addAction(label)
            action.triggered.connect(lambda _checked=False, k=kind: self.open_editor(k, None))
        self.add_button.setMenu(self.add_menu)
        self.edit_button = QPushButton("Edit…", self)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton("Delete…", self)
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_button = QPushButton("Undo delete", self)
        self.undo_button.setToolTip("Put back the last entry you deleted (Ctrl+Z)")
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self.undo_requested)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("muted")
        for button, name in (
            (self.edit_button, "Edit the selected entry"),
            (self.delete_button, "Delete the selected entry"),
        ):
            button.setAccessibleName(name)
            button.setToolTip(name)

        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        for button in (
            self.check_in_button,
            self.add_button,
            self.edit_button,
            self.delete_button,
            self.undo_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)

        table_area = QWidget(self)
        table_layout = QVBoxLayout(table_area)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.setSpacing(6)
        table_layout.addLayout(buttons)
        table_layout.addWidget(self._table_stack, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(charts)
        self.splitter.addWidget(table_area)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([370, 380])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.filters)
        layout.addWidget(self.splitter, 1)

        self.model.modelReset.connect(self._update_state)
        self.model.rowsInserted.connect(self._update_count)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def _make_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.model)
        table.setAccessibleName("Log entries")
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.verticalHeader().hide()
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        metrics = table.fontMetrics()
        widths = {
            COLUMN_DAY: metrics.horizontalAdvance("30 Sep 2026") + 36,
            COLUMN_KIND: metrics.horizontalAdvance("Medication started") + 24,
            COLUMN_TITLE: metrics.horizontalAdvance("Epidural steroid injection") + 24,
            COLUMN_PAIN: metrics.horizontalAdvance("Pain") + 36,
        }
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSortIndicator(COLUMN_DAY, Qt.SortOrder.DescendingOrder)
        table.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._sort_indicator_changed)
        table.doubleClicked.connect(self._open_index)
        # Only while the table has the focus: Delete in the search box deletes text.
        for key, slot in (
            (QKeySequence(Qt.Key.Key_Return), self.edit_selected),
            (QKeySequence(Qt.Key.Key_Enter), self.edit_selected),
            (QKeySequence(QKeySequence.StandardKey.Delete), self.delete_selected),
        ):
            shortcut = QShortcut(key, table, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        return table

    # Loading -----------------------------------------------------------------------------------

    def ensure_loaded(self) -> None:
        """Load what changed since the tab was last shown (the first time: everything)."""
        if self._stale_extent:
            self._stale_extent = False
            extent = log_extent(self._profile)
            self.filters.set_first_day(extent[0] if extent else None)
        if self._stale_table:
            self._stale_table = False
            self._reload_table()
        if self._stale_charts:
            self._stale_charts = False
            self._reload_charts()

    def on_data_changed(self, changes: frozenset[Change]) -> None:
        """Reload only what shows the records that changed; wait if the tab is hidden."""
        if changes & TABLE_CHANGES:
            self._stale_table = True
        if changes & CHART_CHANGES:
            self._stale_charts = True
        if changes & (TABLE_CHANGES | CHART_CHANGES):
            self._stale_extent = True
        if self.isVisible():
            self.ensure_loaded()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.ensure_loaded()

    def _filter_changed(self, log_filter: LogFilter) -> None:
        self.model.set_filter(log_filter)
        self._reload_charts()

    def _reload_table(self) -> None:
        selected = self.selected_entry()
        log_filter = self.filters.log_filter()
        if log_filter != self.model.log_filter:
            self.model.set_filter(log_filter)
        else:
            self.model.reload()
        if selected is not None:
            self.select_entry(selected.kind.value, selected.record_id)

    def _reload_charts(self) -> None:
        since, until = self.filters.date_range()
        data = trend_data(self._profile, since, until)
        self.chart.set_data(data)
        self.heat_strip.set_data(data)
        # One empty state is enough: the chart's says what to do.
        self.heat_strip.setVisible(not self.chart.is_empty())

    # Selection and actions ---------------------------------------------------------------------

    def selected_entry(self) -> LogEntry | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().hasSelection():
            return None
        entry = index.data(ENTRY_ROLE)
        return entry if isinstance(entry, LogEntry) else None

    def select_entry(self, kind: str, record_id: int) -> bool:
        """Select that entry if it is among the loaded rows."""
        row = self.model.row_of(EntryKind(kind), record_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def edit_selected(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self.open_editor(entry.kind.editor, entry.record_id)

    def _open_index(self, index: QModelIndex) -> None:
        entry = index.data(ENTRY_ROLE)
        if isinstance(entry, LogEntry):
            self.open_editor(entry.kind.editor, entry.record_id)

    def open_editor(self, kind: str, record_id: int | None) -> None:
        """Open the editor for a log record of ``kind`` (a new one when ``record_id`` is None)."""
        try:
            saved = open_log_editor(kind, record_id, self._profile, self._messages, self)
        except UserError as exc:
            self._messages.problem("Log", exc.message)
            return
        if saved:
            self._show_status("Saved.")

    def delete_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        extra = (
            " This removes the whole trial, its start and its stop."
            if entry.kind.editor == "medication"
            else ""
        )
        if not self._messages.confirm(
            "Delete from the log",
            f"Delete {describe(entry)}?{extra}\n\nYou can undo this with Ctrl+Z "
            "until you close BackLog.",
            f"Delete {entry.kind.noun}",
        ):
            return
        self._delete_entry(entry)

    def set_undo_available(self, available: bool, what: str = "") -> None:
        self.undo_button.setEnabled(available)
        self.undo_button.setToolTip(f"Put back {what} (Ctrl+Z)" if available else "Nothing to undo")

    def stop(self) -> None:
        self.filters.stop()

    # State -------------------------------------------------------------------------------------

    def _sort_indicator_changed(self, column: int, _order: Qt.SortOrder) -> None:
        if column not in SORT_KEYS:  # Details do not sort: put the indicator back
            header = self.table.horizontalHeader()
            current = self.model.log_sort
            back = next(c for c, key in SORT_KEYS.items() if key is current.key)
            header.blockSignals(True)
            header.setSortIndicator(
                back,
                Qt.SortOrder.DescendingOrder if current.descending else Qt.SortOrder.AscendingOrder,
            )
            header.blockSignals(False)

    def _update_state(self) -> None:
        has_rows = self.model.rowCount() > 0
        if not has_rows:
            log_filter = self.model.log_filter
            filtered = log_filter.text or log_filter.kinds != ALL_KINDS
            self.empty.setText(
                "Nothing matches these filters.\nClear the search, choose “All kinds” or "
                "widen the dates."
                if filtered or log_filter.since is not None
                else "Nothing logged yet.\nPress “Check in now” (Ctrl+L) to record today's "
                "pain, or “Add” for a medication, a therapy visit or a scan."
            )
        self._table_stack.setCurrentWidget(self.table if has_rows else self.empty)
        self._update_count()
        self._update_buttons()

    def _update_count(self) -> None:
        total = self.model.total
        self.count_label.setText(f"{total:,} entr{'y' if total == 1 else 'ies'}")

    def _update_buttons(self) -> None:
        selected = self.selected_entry() is not None
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)
