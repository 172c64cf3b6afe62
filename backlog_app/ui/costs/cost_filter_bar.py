"""The Costs page's filters: plan year, case, and "Only flagged bills"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QPushButton, QWidget

from backlog_app.domain.costs import PlanYearTotals
from backlog_app.services.costs import CostFilter
from backlog_app.ui.costs.totals_view import year_key, year_label, year_of_key

ALL_YEARS = "All plan years"
ANY_CASE = "Any case"


class CostFilterBar(QWidget):
    """Emits ``changed`` when the user changes a filter (not when the choices are refilled)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.year = QComboBox(self)
        self.year.setAccessibleName("Plan year")
        self.year.setToolTip("Only the entries dated in this plan year")
        self.year.addItem(ALL_YEARS, None)
        self.case = QComboBox(self)
        self.case.setAccessibleName("Coverage case")
        self.case.setToolTip("Only the entries of one coverage case")
        self.case.addItem(ANY_CASE, None)
        self.case.setMinimumContentsLength(16)
        self.case.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.flagged = QCheckBox("Only &flagged bills", self)
        self.flagged.setAccessibleName("Only flagged bills")
        self.flagged.setToolTip(
            "Only the bills with a warning, and the estimates or EOBs behind it"
        )
        self.clear = QPushButton("Clear filters", self)
        self.clear.setObjectName("linkButton")
        self.clear.setAccessibleName("Clear the filters")
        self.clear.clicked.connect(self.clear_filters)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        # No labels: "All plan years" and "Any case" say what the lists are (and screen readers
        # hear the names); the page's toolbar has little room.
        layout.addWidget(self.clear)
        layout.addWidget(self.year)
        layout.addWidget(self.case)
        layout.addWidget(self.flagged)
        self.year.currentIndexChanged.connect(self._emit)
        self.case.currentIndexChanged.connect(self._emit)
        self.flagged.toggled.connect(self._emit)
        self._quiet = False
        self._update_clear()

    def cost_filter(self) -> CostFilter:
        year = self.year.currentData()
        case = self.case.currentData()
        return CostFilter(
            plan_year=year_of_key(year),
            case_id=case if isinstance(case, int) else None,
            flagged_only=self.flagged.isChecked(),
        )

    def has_filters(self) -> bool:
        return self.cost_filter() != CostFilter()

    def chosen_year(self) -> tuple[dt.date, dt.date] | None:
        return self.cost_filter().plan_year

    def set_years(self, totals: Sequence[PlanYearTotals]) -> None:
        """The plan years to choose from (current first); the choice is kept when still listed."""
        self._refill(
            self.year,
            ALL_YEARS,
            [(year_label(t.start, t.end), year_key((t.start, t.end))) for t in totals],
        )

    def set_cases(self, case_titles: Mapping[int, str]) -> None:
        """The cases to choose from, newest first; hidden while there is none."""
        items = sorted(case_titles.items(), key=lambda item: -item[0])
        self._refill(self.case, ANY_CASE, [(title, case_id) for case_id, title in items])
        self.case.setVisible(bool(items))

    def choose_year(self, year: tuple[dt.date, dt.date] | None) -> None:
        """Filter on that plan year (None: all years) without announcing it."""
        self._quiet = True
        try:
            index = self.year.findData(year_key(year)) if year is not None else 0
            self.year.setCurrentIndex(max(index, 0))
        finally:
            self._quiet = False

    def clear_filters(self) -> None:
        """Back to every entry (one ``changed``)."""
        self._quiet = True
        try:
            self.year.setCurrentIndex(0)
            self.case.setCurrentIndex(0)
            self.flagged.setChecked(False)
        finally:
            self._quiet = False
        self._emit()

    def _refill(self, combo: QComboBox, everything: str, items: list[tuple[str, object]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for text, value in items:
            combo.addItem(text, value)
        found = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(False)
        self._update_clear()

    def _emit(self) -> None:
        self._update_clear()
        if not self._quiet:
            self.changed.emit()

    def _update_clear(self) -> None:
        self.clear.setVisible(self.has_filters())
