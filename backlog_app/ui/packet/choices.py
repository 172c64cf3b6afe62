"""The packet window's choices: whom the packet is about (the whole record or one case) and which
dates, which sections, and which paper. Each box signals once per change the user makes
(``ScopeBox.case_changed`` and ``dates_changed``, ``changed`` for the others); filling a box
from the record says nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import Enum

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.packet import CHOOSABLE_SECTIONS, PacketSection, PageSize
from backlog_app.services.cases import CaseRow
from backlog_app.ui.widgets import OptionalDateEdit

WHOLE_RECORD = "Your whole record (every case)"
CASE_HINT = (
    "A packet for one case shows that case's timeline, letter and documents. Your whole "
    "record covers every case."
)

# What each section holds, in plain words; insurance words explained. Shown as tooltips.
SECTION_HINTS = {
    PacketSection.LETTER: "The appeal or request letter saved on the case's Letter tab "
    "(only when the packet is for a case that has one).",
    PacketSection.SUMMARY: "What you tried before this request — physical therapy, medicines, "
    "injections — and for how long. Insurers call this “conservative care” and usually want "
    "to see weeks of it before they approve surgery or injections.",
    PacketSection.SCORES: "Your pain and PEG scores (pain, enjoyment of life, general activity) "
    "month by month as a chart, and your ODI results (the Oswestry back-disability "
    "questionnaire).",
    PacketSection.MEDICATIONS: "Each medicine you tried: dose, dates, how well it helped, side "
    "effects and why you stopped.",
    PacketSection.TREATMENTS: "Therapy courses, injections (with how much and how long they "
    "helped) and doctor visits.",
    PacketSection.DAILY_LOG: "One short line for each day you checked in: pain scores and notes.",
    PacketSection.TIMELINE: "The case's steps and deadlines, with where each deadline comes "
    "from (your plan or the law).",
    PacketSection.CALLS: "Calls with the insurer and offices: whom you spoke to, the reference "
    "number they gave, what was said.",
    PacketSection.NETWORK: "Whether each provider is in your plan's network (in-network "
    "providers cost you less), with the reference numbers of the checks.",
    PacketSection.COSTS: "What you paid and owe per plan year, and bills that look wrong.",
}
# The sections ticked here; "Attached documents" has its own box.
TICKABLE_SECTIONS: tuple[PacketSection, ...] = tuple(
    section for section in CHOOSABLE_SECTIONS if section is not PacketSection.DOCUMENTS
)


class Period(Enum):
    """The date presets of the Dates box."""

    EVERYTHING = "Everything"
    LAST_YEAR = "Last 12 months"
    LAST_TWO_YEARS = "Last 2 years"
    CHOSEN = "Dates I choose"


def months_back(today: dt.date, months: int) -> dt.date:
    """The day ``months`` months before ``today`` (28 Feb when that month is shorter)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    for day in (today.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("every month has a 28th")


def period_start(period: Period, today: dt.date) -> dt.date | None:
    """The first day a preset covers (its last day is today); None for Everything."""
    if period is Period.LAST_YEAR:
        return months_back(today, 12) + dt.timedelta(days=1)
    if period is Period.LAST_TWO_YEARS:
        return months_back(today, 24) + dt.timedelta(days=1)
    return None


class ScopeBox(QGroupBox):
    """The case (or the whole record) and the dates the packet covers."""

    case_changed = Signal()
    dates_changed = Signal()  # a preset chosen or a date typed: once, with both dates set

    def __init__(self, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__("What the packet is about", parent)
        self._today = today
        self.case = QComboBox(self)
        self.case.setAccessibleName("Which case the packet is for")
        self.case.setToolTip(CASE_HINT)
        self.case.addItem(WHOLE_RECORD, None)
        self.case.setMinimumContentsLength(20)
        self.case.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.period = QComboBox(self)
        self.period.setAccessibleName("Which dates to include")
        for period in Period:
            self.period.addItem(period.value, period)
        self.since = OptionalDateEdit(self)
        self.since.setAccessibleName("First day to include")
        self.since.setToolTip("Leave it “Not set” to start from your first record.")
        self.until = OptionalDateEdit(self)
        self.until.setAccessibleName("Last day to include")
        self.until.setToolTip("Leave it “Not set” to go up to today.")
        hint = QLabel(
            "Dates limit the daily log, treatments, calls, costs and documents. A case's "
            "timeline is always complete.",
            self,
        )
        hint.setObjectName("fieldHint")
        hint.setWordWrap(True)

        grid = QGridLayout(self)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        # One field a row, so that the column stays narrow in a small window.
        _row(grid, 0, "&Case:", self.case)
        _row(grid, 1, "&Dates:", self.period)
        _row(grid, 2, "&From:", self.since)
        _row(grid, 3, "&To:", self.until)
        grid.addWidget(hint, 4, 0, 1, 2)
        grid.setColumnStretch(1, 1)

        self.case.currentIndexChanged.connect(self._case_chosen)
        self.period.currentIndexChanged.connect(self._period_chosen)
        self.since.dateChanged.connect(self._dates_typed)
        self.until.dateChanged.connect(self._dates_typed)

    def set_cases(self, rows: Sequence[CaseRow], chosen: int | None) -> None:
        """List the cases ("Microdiscectomy — left L4-L5 (denied)"); ``chosen`` is selected."""
        self.case.blockSignals(True)
        self.case.clear()
        self.case.addItem(WHOLE_RECORD, None)
        for row in rows:
            self.case.addItem(f"{row.title} ({row.status.label.lower()})", row.id)
        found = self.case.findData(chosen) if chosen is not None else 0
        self.case.setCurrentIndex(max(found, 0))
        self.case.blockSignals(False)
        self._name_case()

    def _case_chosen(self) -> None:
        self._name_case()
        self.case_changed.emit()

    def _name_case(self) -> None:
        # A long case title may not fit the box: the tooltip names it whole.
        self.case.setToolTip(f"{self.case.currentText()}\n\n{CASE_HINT}")

    def case_id(self) -> int | None:
        value = self.case.currentData()
        return int(value) if value is not None else None

    def dates(self) -> tuple[dt.date | None, dt.date | None]:
        return self.since.date_value(), self.until.date_value()

    def choose_period(self, period: Period) -> None:
        self.period.setCurrentIndex(self.period.findData(period))

    def _period_chosen(self) -> None:
        period = self.period.currentData()
        if period is not Period.CHOSEN:
            for edit, value in (
                (self.since, period_start(period, self._today)),
                (self.until, None),
            ):
                edit.blockSignals(True)
                edit.set_date(value)
                edit.blockSignals(False)
        self.dates_changed.emit()

    def _dates_typed(self) -> None:
        self.period.blockSignals(True)
        self.period.setCurrentIndex(self.period.findData(Period.CHOSEN))
        self.period.blockSignals(False)
        self.dates_changed.emit()


class SectionsBox(QGroupBox):
    """A tick box per section that can be left out; the cover sheet, reference information and
    contents are always there."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Sections", parent)
        self.boxes: dict[PacketSection, QCheckBox] = {}
        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(16)
        self._grid.setVerticalSpacing(4)
        self._columns = 0
        for section in TICKABLE_SECTIONS:
            box = QCheckBox(section.heading, self)
            box.setChecked(True)
            box.setAccessibleName(section.heading)
            box.setAccessibleDescription(SECTION_HINTS[section])
            box.setToolTip(SECTION_HINTS[section])
            box.toggled.connect(self.changed)
            self.boxes[section] = box
        self.set_columns(2)
        always = QLabel(
            "Always included: the cover sheet, your reference information and the contents.",
            self,
        )
        always.setObjectName("fieldHint")
        always.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(self._grid)
        layout.addSpacing(4)
        layout.addWidget(always)

    def set_columns(self, columns: int) -> None:
        """The tick boxes in ``columns`` columns (two, or one in a narrow window), read down in
        printing order."""
        if columns == self._columns:
            return
        self._columns = columns
        per_column = -(-len(TICKABLE_SECTIONS) // columns)
        for box in self.boxes.values():
            self._grid.removeWidget(box)
        for number, section in enumerate(TICKABLE_SECTIONS):
            self._grid.addWidget(self.boxes[section], number % per_column, number // per_column)
        layout = self.layout()
        if layout is not None:  # its size is asked for at once (the window's narrow layout)
            layout.invalidate()

    def allow_letter(self, for_case: bool) -> None:
        """A request letter belongs to a case: its box is greyed for the whole record."""
        self.boxes[PacketSection.LETTER].setEnabled(for_case)

    def chosen(self) -> frozenset[PacketSection]:
        return frozenset(section for section, box in self.boxes.items() if box.isChecked())


class PaperBox(QGroupBox):
    """US Letter or A4; the choice is remembered for next time."""

    changed = Signal()

    def __init__(self, size: PageSize, parent: QWidget | None = None) -> None:
        super().__init__("Paper", parent)
        self.buttons: dict[PageSize, QRadioButton] = {}
        self._group = QButtonGroup(self)
        column = QVBoxLayout(self)
        for index, page_size in enumerate(PageSize):
            button = QRadioButton(page_size.label, self)
            button.setAccessibleName(f"Paper size {page_size.label}")
            button.setToolTip(
                "US Letter is the paper used in the United States and Canada; A4 is used "
                "almost everywhere else."
            )
            self._group.addButton(button, index)
            self.buttons[page_size] = button
            column.addWidget(button)
        self.buttons[size].setChecked(True)
        self._group.idToggled.connect(self._toggled)

    def _toggled(self, _id: int, on: bool) -> None:
        if on:  # the button turned off says nothing: the one turned on speaks
            self.changed.emit()

    def page_size(self) -> PageSize:
        for page_size, button in self.buttons.items():
            if button.isChecked():
                return page_size
        return PageSize.LETTER


def _row(grid: QGridLayout, row: int, text: str, field: QWidget) -> None:
    label = QLabel(text)
    label.setBuddy(field)
    grid.addWidget(label, row, 0)
    grid.addWidget(field, row, 1)
