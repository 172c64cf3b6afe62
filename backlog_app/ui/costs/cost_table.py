"""The Costs page's table: newest first, money right-aligned, flagged bills tinted and marked.

Narrower than ``COMPACT_WIDTH`` it leaves out Plan paid and Status (each row's tooltip on the
amounts still has every figure), so provider and description keep room to be read.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from backlog_app.domain.costs import Cost
from backlog_app.services.costs import CostsOverview
from backlog_app.ui.models.cost_model import (
    COLUMN_ALLOWED,
    COLUMN_BILLED,
    COLUMN_DATE,
    COLUMN_DESCRIPTION,
    COLUMN_FLAG,
    COLUMN_KIND,
    COLUMN_PLAN_PAID,
    COLUMN_PROVIDER,
    COLUMN_STATUS,
    COLUMN_YOU_OWE,
    COST_ID_ROLE,
    HEADERS,
    CostTableModel,
)

COMPACT_WIDTH = 1100
WIDE_ONLY_COLUMNS = (COLUMN_PLAN_PAID, COLUMN_STATUS)
STRETCHING = (COLUMN_PROVIDER, COLUMN_DESCRIPTION)
FLAG_WIDTH = 150
CELL_PADDING = 16
# The longest text each fixed column usually holds (longer text is elided, whole in the tooltip).
WIDEST = {
    COLUMN_DATE: ("30 Sep 2026",),
    COLUMN_KIND: ("Supplemental claim", "EOB line (credit)"),
    COLUMN_BILLED: ("$18,888.88",),
    COLUMN_ALLOWED: ("$18,888.88",),
    COLUMN_PLAN_PAID: ("$18,888.88",),
    COLUMN_YOU_OWE: ("$18,888.88",),
    COLUMN_STATUS: ("Appealed", "Disputed"),
}


class CostTable(QTableView):
    """A sorted view over a CostTableModel, one row selected at a time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cost_model = CostTableModel(self)  # sorts itself: see its module docstring
        self.setModel(self.cost_model)
        self.setAccessibleName("Bills and costs")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setSortingEnabled(True)
        self.sortByColumn(COLUMN_DATE, Qt.SortOrder.DescendingOrder)  # newest first
        self.verticalHeader().hide()
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        # Widths from the words each column can hold, not from measuring rows: measuring
        # thousands of entries stalled every sort and refresh. The user can still drag them.
        metrics = self.fontMetrics()
        for column in range(self.cost_model.columnCount()):
            if column in STRETCHING:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
                continue
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            samples = (*WIDEST.get(column, ()), HEADERS[column])
            widest = max(metrics.horizontalAdvance(text) for text in samples)
            header.resizeSection(column, widest + CELL_PADDING)
        # The flag's words are long; the tooltip and the warnings above the table have them whole.
        header.resizeSection(COLUMN_FLAG, FLAG_WIDTH)
        self._compact: bool | None = None

    def set_overview(self, overview: CostsOverview) -> None:
        """Show the overview's entries (selection signals stay quiet; select again after)."""
        self.selectionModel().blockSignals(True)
        try:
            self.cost_model.set_overview(overview)
        finally:
            self.selectionModel().blockSignals(False)

    def selected_id(self) -> int | None:
        rows = self.selectionModel().selectedRows()
        value = rows[0].data(COST_ID_ROLE) if rows else None
        return int(value) if value is not None else None

    def selected_cost(self) -> Cost | None:
        row = self.cost_model.row_of(self.selected_id() or -1)
        return self.cost_model.cost(row) if row is not None else None

    def has_entry(self, cost_id: int) -> bool:
        return self.cost_model.row_of(cost_id) is not None

    def select(self, cost_id: int) -> bool:
        """Select and show that entry; False when it is not listed."""
        row = self.cost_model.row_of(cost_id)
        if row is None:
            return False
        index = self.cost_model.index(row, COLUMN_DATE)
        self.setCurrentIndex(index)
        self.scrollTo(index)
        return True

    def select_first(self) -> None:
        if self.cost_model.rowCount():
            self.setCurrentIndex(self.cost_model.index(0, COLUMN_DATE))
        else:
            self.clearSelection()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        compact = self.width() < COMPACT_WIDTH
        if compact != self._compact:
            self._compact = compact
            for column in WIDE_ONLY_COLUMNS:
                self.setColumnHidden(column, compact)
