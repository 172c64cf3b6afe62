"""The Costs page: estimates, bills, EOB lines, HSA money and supplemental claims, with the bills to
question, the plan year's totals and a chart of spending by category.

Everything on the page comes from one read, ``CostService.overview``, which works out every flag
and total; with thousands of entries it takes most of a second, so it runs off the GUI thread
(``BackgroundReads``) and the page fills in when it arrives (``listed`` fires).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.costs import Cost
from backlog_app.domain.documents import LinkTarget
from backlog_app.errors import UserError
from backlog_app.logging_setup import current_log_file
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession
from backlog_app.services.costs import CostsOverview
from backlog_app.services.documents import DocumentFilter
from backlog_app.ui.charts.spending_chart import SpendingChart
from backlog_app.ui.costs.cost_actions import CostActions, add_cost, cost_choices, edit_cost
from backlog_app.ui.costs.cost_dialog import CostChoices
from backlog_app.ui.costs.cost_documents import CostDocuments
from backlog_app.ui.costs.cost_filter_bar import CostFilterBar
from backlog_app.ui.costs.cost_table import CostTable
from backlog_app.ui.costs.costs_read import CostsRead, read_costs
from backlog_app.ui.costs.flags_view import FlagsView
from backlog_app.ui.costs.totals_view import TotalsView, year_label
from backlog_app.ui.documents.background import BackgroundReads
from backlog_app.ui.messages import Messages
from backlog_app.ui.widgets import heading

log = logging.getLogger("backlog.ui.costs")

PAGE_CHANGES = frozenset(
    {Change.COSTS, Change.NETWORK, Change.PROVIDERS, Change.PLANS, Change.CASES}
)
DOCUMENTS_DELAY_MS = 150
INTRO = (
    "Estimates, bills and EOBs (Explanation of Benefits) in one place, added up per plan year, "
    "with warnings about bills to question."
)
EMPTY_TEXT = (
    "No bills or costs yet. Add a Good Faith Estimate before care, then the bills and EOB lines "
    "as they come: BackLog adds them up and warns you about surprise bills."
)
NO_MATCH = "No entries match these filters."


class CostsPage(QWidget):
    """Filters, flags, the entries' table, and the totals and chart of one plan year."""

    open_document = Signal(int)
    undo_changed = Signal()  # what ``undo`` would put back changed
    listed = Signal()  # a read arrived and is shown

    def __init__(
        self,
        profile: ProfileSession,
        messages: Messages,
        show_status: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._messages = messages
        self._show_status = show_status
        self._reads = BackgroundReads(self, threads=1)
        self._read: CostsRead | None = None
        self._stale = True
        self._documents_stale = False
        self._chart_year: tuple[dt.date, dt.date] | None = None
        self._pending: int | None = None  # an entry to select once the list is read

        self.cost_actions = CostActions(profile, messages, show_status, self)
        self.cost_actions.undo_changed.connect(self.undo_changed)
        self.filters = CostFilterBar(self)
        self.filters.changed.connect(self._filters_changed)
        self.flags = FlagsView(profile, messages, show_status, self)
        self.flags.show_bill.connect(self.show_cost)
        self.flags.hide()
        self.table = CostTable(self)
        self.model = self.table.cost_model
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.empty = QLabel(EMPTY_TEXT, self)
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table_stack = QStackedWidget(self)
        self.table_stack.addWidget(self.table)
        self.table_stack.addWidget(self.empty)
        self.documents = CostDocuments(profile, messages, self)
        self.documents.open_document.connect(self.open_document)
        self.totals = TotalsView(self)
        self.totals.year_changed.connect(self._totals_year_changed)
        self.chart = SpendingChart(self)
        self.chart_title = heading("What you owed, by category", level=2)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("muted")

        self.add_button = self._button("&Add…", "Add a bill or cost", self.add_cost)
        self.add_button.setObjectName("primaryButton")
        self.add_button.setToolTip(
            "An estimate, a bill, an EOB line, HSA money or a claim (Ctrl+Shift+B)"
        )
        self.edit_button = self._button("&Edit…", "Edit the selected entry", self.edit_selected)
        self.delete_button = self._button(
            "Delete", "Delete the selected entry", self.delete_selected
        )
        self.link_button = self._button(
            "&Link a document…",
            "Link a document to the selected entry",
            self.documents.link_documents,
        )
        self.link_button.setToolTip("Link the bill, the EOB or the estimate from your vault")
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table, self.delete_selected)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self.edit_selected)

        self._documents_timer = QTimer(self)
        self._documents_timer.setSingleShot(True)
        self._documents_timer.setInterval(DOCUMENTS_DELAY_MS)
        self._documents_timer.timeout.connect(self._read_documents)
        self._lay_out()
        self._update_buttons()

    # Layout ------------------------------------------------------------------------------------

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _lay_out(self) -> None:
        intro = QLabel(INTRO, self)
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        title_row = QHBoxLayout()
        title_row.setSpacing(16)
        title_row.addWidget(heading("Costs"))
        title_row.addWidget(intro, 1)
        title_row.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignBottom)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button, self.link_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.filters)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table_stack, 1)
        top_layout.addWidget(self.documents)
        chart_card = QFrame(self)
        chart_card.setObjectName("card")
        chart_layout = QVBoxLayout(chart_card)
        chart_layout.setContentsMargins(16, 12, 16, 12)
        chart_layout.addWidget(self.chart_title)
        chart_layout.addWidget(self.chart, 1)
        bottom = QWidget(self)
        bottom_layout = QHBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.totals, 3)
        bottom_layout.addWidget(chart_card, 2)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.setSpacing(8)
        layout.addLayout(title_row)
        layout.addWidget(self.flags)
        layout.addLayout(buttons)
        layout.addWidget(self.splitter, 1)

    # Reading -----------------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()
        elif self._documents_stale:
            self._read_documents()

    def on_data_changed(self, changes: frozenset[Change]) -> None:
        """Entries, checks, providers, plans and cases read the page again; documents only the
        selected entry's list, after a pause. Hidden, the page waits until it is shown."""
        if changes & PAGE_CHANGES:
            self._stale = True
            if self.isVisible():
                self.reload()
        elif Change.DOCUMENTS in changes:
            self._documents_stale = True
            if self.isVisible():
                self._documents_timer.start()

    def reload(self) -> None:
        """Read the overview again in the background; the selection is kept."""
        self._stale = False
        costs, where, year = self._profile.costs, self.filters.cost_filter(), self._chart_year
        self._reads.submit(
            lambda: read_costs(costs, where, year[0] if year else None),
            self._show,
            self._failed,
            key="overview",
        )

    def is_loaded(self) -> bool:
        """True once the last read (and the selected entry's documents) arrived."""
        return (
            not self._stale and not self._reads.is_busy() and not self._documents_timer.isActive()
        )

    def overview(self) -> CostsOverview | None:
        return self._read.overview if self._read is not None else None

    def _show(self, read: CostsRead) -> None:
        overview = read.overview
        self._read = read
        selected = self._pending if self._pending is not None else self.selected_id()
        self.table.set_overview(overview)
        self.filters.set_years(overview.totals)
        self.filters.set_cases(overview.case_titles)
        chosen = self._chart_year
        # Each plan year is measured against the plan in force then: name that one.
        year = chosen or (overview.totals[0].start, overview.totals[0].end)
        plan_label = overview.plan_label_of(overview.totals_of(year))
        self.totals.set_totals(overview.totals, plan_label, chosen)
        shown = self.totals.current()
        if chosen is not None and (shown is None or (shown.start, shown.end) != chosen):
            self._chart_year = None  # that plan year has no entries any more: show today's
            self.reload()
            return
        self.chart.set_data(overview.spending, year_label(shown.start, shown.end) if shown else "")
        self.flags.set_flags(overview.flags, read.bills, overview.provider_names)
        flagged = len({flag.cost_ids[0] for flag in overview.flags})
        count = len(overview.costs)
        self.count_label.setText(
            f"{count} entr{'ies' if count != 1 else 'y'}"
            + (f" · {flagged} flagged" if flagged else "")
        )
        self.empty.setText(NO_MATCH if self.filters.has_filters() else EMPTY_TEXT)
        self.table_stack.setCurrentWidget(self.table if count else self.empty)
        if self._pending is not None and not self.table.has_entry(self._pending):
            if self.filters.has_filters():
                self.filters.clear_filters()  # reads again, and selects it then
                return
            self._pending = None
        self._pending = None
        if selected is None or not self.table.select(selected):
            self.table.select_first()
        self._update_buttons()
        self._read_documents()
        self.listed.emit()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, UserError):
            self._messages.problem("Costs", error.message)
            return
        log.error("the Costs page could not be read", exc_info=error)
        log_file = current_log_file()
        self._messages.apology(str(log_file) if log_file else None)

    def _read_documents(self) -> None:
        self._documents_timer.stop()
        self._documents_stale = False
        cost_id = self.selected_id()
        if cost_id is None:
            self.documents.show_documents(None, [])
            return
        documents = self._profile.documents
        self._reads.submit(
            lambda: documents.list(DocumentFilter(link=(LinkTarget.COST, cost_id))),
            lambda rows: self.documents.show_documents(cost_id, rows),
            key="documents",
        )

    # Selection ---------------------------------------------------------------------------------

    def selected_id(self) -> int | None:
        return self.table.selected_id()

    def selected_cost(self) -> Cost | None:
        return self.table.selected_cost()

    def show_cost(self, cost_id: int) -> None:
        """Select that entry (from Home's due list or a flag), clearing filters that hide it."""
        if self.table.has_entry(cost_id) and not self._stale:
            self.table.select(cost_id)
            return
        self._pending = cost_id
        if self.filters.has_filters():
            self.filters.clear_filters()
        elif self._stale or self._read is not None:
            self.reload()

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()
        self._documents_timer.start()

    def _update_buttons(self) -> None:
        chosen = self.selected_id() is not None
        for button in (self.edit_button, self.delete_button, self.link_button):
            button.setEnabled(chosen)

    # Filters -----------------------------------------------------------------------------------

    def _filters_changed(self) -> None:
        year = self.filters.chosen_year()
        if year is not None:
            self._chart_year = year  # the totals and the chart follow the table's plan year
        self.reload()

    def _totals_year_changed(self, year: tuple[dt.date, dt.date]) -> None:
        self._chart_year = year
        self.reload()

    # Actions -----------------------------------------------------------------------------------

    def _choices(self) -> CostChoices:
        overview = self.overview()
        if overview is None:
            return cost_choices(self._profile)
        return cost_choices(self._profile, overview.case_titles, overview.plan_id)

    def add_cost(self) -> int | None:
        """Open the dialog for a new entry; the new entry is selected when saved."""
        try:
            choices = self._choices()
        except UserError as exc:
            self._messages.problem("Add a bill or cost", exc.message)
            return None
        cost_id = add_cost(self, self._profile, self._messages, choices=choices)
        if cost_id is not None:
            self._after_change(cost_id, "Entry added.")
        return cost_id

    def edit_selected(self) -> bool:
        cost_id = self.selected_id()
        if cost_id is None:
            return False
        try:
            choices = self._choices()
        except UserError as exc:
            self._messages.problem("Edit cost entry", exc.message)
            return False
        saved = edit_cost(self, self._profile, self._messages, cost_id, choices=choices)
        if saved:
            self._after_change(cost_id, "Entry saved.")
        return saved

    def delete_selected(self) -> None:
        cost = self.selected_cost()
        if cost is not None and self.cost_actions.delete(cost.id, cost.data):
            self.reload()

    def undo_description(self) -> str | None:
        """What ``undo`` would put back ("the bill “Post-op MRI”"), or None."""
        return self.cost_actions.undo_description()

    def undo(self) -> None:
        """Put back the entry deleted last, with its document links."""
        cost_id = self.cost_actions.undo()
        if cost_id is not None:
            self._after_change(cost_id, None)

    def _after_change(self, cost_id: int, status: str | None) -> None:
        self._pending = cost_id
        self.reload()
        if status:
            self._show_status(status)

    # Shutdown ----------------------------------------------------------------------------------

    def detach(self) -> None:
        """Stop timers and background reads before the profile closes."""
        self._documents_timer.stop()
        self._reads.stop()
