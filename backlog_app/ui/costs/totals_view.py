"""One plan year's money in plain words: billed, allowed, paid, owed; deductible and out-of-pocket
progress; HSA money in and out; supplemental claims expected and received."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.costs import PlanYearTotals, Progress
from backlog_app.domain.dates import format_long_date
from backlog_app.ui.money import format_money
from backlog_app.ui.widgets import heading

DEDUCTIBLE_TIP = (
    "The deductible is what you pay each plan year before your plan starts to share the cost. "
    "BackLog counts your share from bills and EOBs towards it."
)
OUT_OF_POCKET_TIP = (
    "The out-of-pocket maximum is the most you pay in a plan year for covered in-network care. "
    "Once you reach it, the plan pays the rest."
)
FIGURE_TIPS = {
    "hsa_in": "Money put into your Health Savings Account (HSA) in this plan year.",
    "hsa_out": "Money paid from your Health Savings Account (HSA) for care in this plan year.",
    "billed": "What the providers charged, before your plan's discounts.",
    "allowed": (
        "The allowed amount: the prices your plan agreed to. An in-network provider cannot "
        "bill you for more."
    ),
    "plan_paid": "What your plan paid the providers.",
    "you_owe": (
        "Your share, as the EOBs (Explanation of Benefits: the insurer's statement after a "
        "claim) say — or the bill, until its EOB arrives."
    ),
}
NO_LIMITS = (
    "Add your plan's deductible and out-of-pocket maximum on Profile & Insurance to see how "
    "far along you are."
)
_BAR_STEPS = 1000


def year_label(start: dt.date, end: dt.date) -> str:
    """ "2026" for a calendar year, else "1 Jul 2026 – 30 Jun 2027"."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    return f"{format_long_date(start)} – {format_long_date(end)}"


def year_key(year: tuple[dt.date, dt.date]) -> str:
    """A plan year as combo data ("2026-01-01/2026-12-31"): Qt compares strings reliably."""
    return f"{year[0].isoformat()}/{year[1].isoformat()}"


def year_of_key(key: object) -> tuple[dt.date, dt.date] | None:
    if not isinstance(key, str) or "/" not in key:
        return None
    first, last = key.split("/", 1)
    return dt.date.fromisoformat(first), dt.date.fromisoformat(last)


def deductible_text(progress: Progress) -> str:
    """ "$1,240.00 of $2,000.00 deductible met", or "Deductible met: all $2,000.00 ✓"."""
    if progress.met:
        return f"Deductible met: all {format_money(progress.limit_cents)} ✓"
    return (
        f"{format_money(progress.used_cents)} of {format_money(progress.limit_cents)} "
        "deductible met"
    )


def out_of_pocket_text(progress: Progress) -> str:
    """ "$3,285.00 of $6,000.00 out-of-pocket maximum paid", or "… reached ✓" once met."""
    if progress.met:
        return f"Out-of-pocket maximum of {format_money(progress.limit_cents)} reached ✓"
    return (
        f"{format_money(progress.used_cents)} of {format_money(progress.limit_cents)} "
        "out-of-pocket maximum paid"
    )


class TotalsView(QFrame):
    """The totals of the plan year chosen in its combo; ``year_changed`` gives (start, end)."""

    year_changed = Signal(object)  # (start, end) of the chosen plan year

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._totals: list[PlanYearTotals] = []
        self.plan_label = ""
        self.title = heading("Totals", level=2)
        self.year = QComboBox(self)
        self.year.setAccessibleName("Plan year of the totals")
        self.year.setToolTip("The plan year these totals and the chart are for")
        self.year.currentIndexChanged.connect(self._year_chosen)
        year_label_widget = QLabel("Plan &year", self)
        year_label_widget.setBuddy(self.year)

        self.figures: dict[str, QLabel] = {}
        self._names: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        for row, (key, text) in enumerate(
            (
                ("billed", "Billed"),
                ("allowed", "Allowed"),
                ("plan_paid", "Plan paid"),
                ("you_owe", "You owe"),
                ("hsa_in", "Put into HSA"),
                ("hsa_out", "Paid from HSA"),
            )
        ):
            name = QLabel(text, self)
            value = QLabel(self)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            for label in (name, value):
                label.setToolTip(FIGURE_TIPS[key])
            if key == "you_owe":
                font = value.font()
                font.setBold(True)
                value.setFont(font)
                name.setFont(font)
            self.figures[key] = value
            self._names[key] = name
            grid.addWidget(name, row, 0)
            grid.addWidget(value, row, 1)

        self.deductible_bar, self.deductible_text = self._bar("Deductible", DEDUCTIBLE_TIP)
        self.out_of_pocket_bar, self.out_of_pocket_text = self._bar(
            "Out-of-pocket maximum", OUT_OF_POCKET_TIP
        )
        self.no_limits = QLabel(NO_LIMITS, self)
        self.no_limits.setObjectName("muted")
        self.no_limits.setWordWrap(True)
        self.supplemental = QLabel(self)
        self.supplemental.setWordWrap(True)
        self.supplemental.setToolTip(
            "Claims on supplemental policies (hospital indemnity, accident, Medigap): what they "
            "should pay you and what has arrived."
        )

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(year_label_widget)
        top.addWidget(self.year)
        # Two columns: the year's figures (and HSA money) beside the progress and claims.
        left = QVBoxLayout()
        left.setSpacing(6)
        left.addLayout(grid)
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(4)
        for widget in (
            self.deductible_text,
            self.deductible_bar,
            self.out_of_pocket_text,
            self.out_of_pocket_bar,
            self.no_limits,
            self.supplemental,
        ):
            right.addWidget(widget)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.setSpacing(20)
        columns.addLayout(left, 2)
        columns.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addLayout(columns)
        layout.addStretch(1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Wrapped lines need more height when the card is narrow; a splitter does not ask.
        layout = self.layout()
        if layout is not None and layout.hasHeightForWidth():
            needed = layout.totalHeightForWidth(self.width())
            if needed > 0 and needed != self.minimumHeight():
                self.setMinimumHeight(needed)

    def _bar(self, name: str, tip: str) -> tuple[QProgressBar, QLabel]:
        bar = QProgressBar(self)
        bar.setRange(0, _BAR_STEPS)
        bar.setTextVisible(False)
        bar.setMaximumHeight(12)
        bar.setAccessibleName(name)
        bar.setToolTip(tip)
        text = QLabel(self)
        text.setWordWrap(True)
        text.setToolTip(tip)
        return bar, text

    # Showing -----------------------------------------------------------------------------------

    def set_totals(
        self,
        totals: Sequence[PlanYearTotals],
        plan_label: str,
        chosen: tuple[dt.date, dt.date] | None = None,
    ) -> None:
        """The years of ``totals`` (current first) in the combo; ``chosen`` (or the first) shown."""
        self._totals = list(totals)
        # Which plan's deductible is measured: on the title, and for screen readers.
        self.plan_label = plan_label
        measured = f"The deductible and out-of-pocket maximum of {plan_label}" if plan_label else ""
        self.title.setToolTip(measured)
        self.deductible_bar.setToolTip(f"{DEDUCTIBLE_TIP}\n\n{measured}".strip())
        self.out_of_pocket_bar.setToolTip(f"{OUT_OF_POCKET_TIP}\n\n{measured}".strip())
        self.year.blockSignals(True)
        self.year.clear()
        for each in self._totals:
            self.year.addItem(year_label(each.start, each.end), year_key((each.start, each.end)))
        index = next(
            (i for i, each in enumerate(self._totals) if (each.start, each.end) == chosen), 0
        )
        self.year.setCurrentIndex(index)
        self.year.blockSignals(False)
        self._show(self.current())

    def current(self) -> PlanYearTotals | None:
        index = self.year.currentIndex()
        return self._totals[index] if 0 <= index < len(self._totals) else None

    def choose_year(self, year: tuple[dt.date, dt.date]) -> None:
        """Show that plan year (when listed); ``year_changed`` fires when it changes."""
        index = self.year.findData(year_key(year))
        if index >= 0:
            self.year.setCurrentIndex(index)

    def texts(self) -> list[str]:
        """Every line shown, for tests and the accessible description."""
        labels = [self.deductible_text, self.out_of_pocket_text, self.supplemental]
        figures = [
            f"{self._names[key].text()}: {label.text()}"
            for key, label in self.figures.items()
            if not label.isHidden()
        ]
        return figures + [label.text() for label in labels if not label.isHidden()]

    def _year_chosen(self, _index: int) -> None:
        totals = self.current()
        self._show(totals)
        if totals is not None:
            self.year_changed.emit((totals.start, totals.end))

    def _show(self, totals: PlanYearTotals | None) -> None:
        totals = totals or PlanYearTotals(dt.date.min, dt.date.min)
        self.figures["billed"].setText(format_money(totals.billed_cents))
        self.figures["allowed"].setText(format_money(totals.allowed_cents))
        self.figures["plan_paid"].setText(format_money(totals.plan_paid_cents))
        self.figures["you_owe"].setText(format_money(totals.patient_cents))
        self._progress(
            self.deductible_bar, self.deductible_text, totals.deductible, deductible_text
        )
        self._progress(
            self.out_of_pocket_bar,
            self.out_of_pocket_text,
            totals.out_of_pocket,
            out_of_pocket_text,
        )
        self.no_limits.setVisible(totals.deductible is None and totals.out_of_pocket is None)
        hsa_in, hsa_out = totals.hsa_contributions_cents, totals.hsa_payments_cents
        self.figures["hsa_in"].setText(format_money(hsa_in))
        self.figures["hsa_out"].setText(format_money(hsa_out))
        for key in ("hsa_in", "hsa_out"):  # shown when the year has HSA money
            self.figures[key].setVisible(bool(hsa_in or hsa_out))
            self._names[key].setVisible(bool(hsa_in or hsa_out))
        expected = totals.supplemental_expected_cents
        received = totals.supplemental_received_cents
        self.supplemental.setText(
            f"Supplemental claims: {format_money(expected)} expected, {format_money(received)} "
            f"received, {format_money(totals.supplemental_outstanding_cents)} still to come"
        )
        self.supplemental.setVisible(bool(expected or received))
        self.setAccessibleDescription(" ".join([self.title.toolTip(), *self.texts()]).strip())

    def _progress(
        self,
        bar: QProgressBar,
        text: QLabel,
        progress: Progress | None,
        words: Callable[[Progress], str],
    ) -> None:
        bar.setVisible(progress is not None)
        text.setVisible(progress is not None)
        if progress is None:
            return
        bar.setValue(round(progress.fraction * _BAR_STEPS))
        text.setText(words(progress))
        bar.setAccessibleDescription(text.text())
