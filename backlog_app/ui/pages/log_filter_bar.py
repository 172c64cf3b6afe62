"""The Log page's filter bar: a date range (with presets), the kind of entry and a text search."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QWidget

from backlog_app.services.log_view import (
    ALL_KINDS,
    MEDICATION_KINDS,
    EntryKind,
    LogFilter,
)

SEARCH_DELAY_MS = 250

# Presets: label -> days back from today (None: from the first entry on).
RANGE_PRESETS: dict[str, int | None] = {
    "Last 30 days": 30,
    "Last 3 months": 91,
    "Last 12 months": 365,
    "All time": None,
}
CUSTOM_RANGE = "Custom dates"
DEFAULT_PRESET = "All time"

KIND_CHOICES: dict[str, frozenset[EntryKind]] = {
    "All kinds": ALL_KINDS,
    "Check-ins": frozenset({EntryKind.CHECK_IN}),
    "Medications": MEDICATION_KINDS,
    "Therapy": frozenset({EntryKind.THERAPY}),
    "Injections": frozenset({EntryKind.INJECTION}),
    "Imaging and tests": frozenset({EntryKind.IMAGING}),
    "Doctor visits": frozenset({EntryKind.VISIT}),
    "Surgery and other": frozenset({EntryKind.SURGERY, EntryKind.OTHER_TREATMENT}),
    "ODI scores": frozenset({EntryKind.ODI}),
}


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class LogFilterBar(QWidget):
    """Emits ``changed`` with the new LogFilter; text changes wait for a pause in typing.

    Args:
        today: the profile's today (presets count back from it).
        first_day: the first day with an entry ("All time" starts there); None when empty.
    """

    changed = Signal(object)  # LogFilter

    def __init__(
        self, today: dt.date, first_day: dt.date | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._today = today
        self._first_day = first_day
        self.preset = QComboBox(self)
        self.preset.addItems([*RANGE_PRESETS, CUSTOM_RANGE])
        self.preset.setAccessibleName("Date range")
        self.since = self._date_edit("From")
        self.until = self._date_edit("To")
        self.kind = QComboBox(self)
        self.kind.addItems(list(KIND_CHOICES))
        self.kind.setAccessibleName("Kind of entry")
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search notes, results, names…")
        self.search.setAccessibleName("Search the log")
        self.search.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self._emit)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.preset)
        layout.addWidget(self.since)
        dash = QLabel("–")
        dash.setAccessibleName("to")
        layout.addWidget(dash)
        layout.addWidget(self.until)
        layout.addSpacing(8)
        layout.addWidget(self.kind)
        layout.addWidget(self.search, 1)

        self.preset.setCurrentText(DEFAULT_PRESET)
        self._apply_preset()
        self.preset.currentTextChanged.connect(self._preset_chosen)
        self.since.dateChanged.connect(self._dates_edited)
        self.until.dateChanged.connect(self._dates_edited)
        self.kind.currentIndexChanged.connect(self._emit)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self.flush)

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setAccessibleName(name)
        edit.setMaximumDate(_qdate(self._today))
        return edit

    # The filter --------------------------------------------------------------------------------

    def log_filter(self) -> LogFilter:
        since, until = self.date_range()
        return LogFilter(
            since=since,
            until=until,
            kinds=KIND_CHOICES[self.kind.currentText()],
            text=self.search.text().strip(),
        )

    def date_range(self) -> tuple[dt.date | None, dt.date]:
        """The chosen range; "All time" has no start (the first entry may move)."""
        until = _pydate(self.until.date())
        if self.preset.currentText() == "All time":
            return None, until
        return _pydate(self.since.date()), until

    def set_first_day(self, first_day: dt.date | None) -> None:
        """The log's first day changed (an import, a delete): "All time" follows it."""
        self._first_day = first_day
        if self.preset.currentText() == "All time":
            self._set_dates(first_day or self._today, self._today)

    def set_preset(self, name: str) -> None:
        self.preset.setCurrentText(name)

    def flush(self) -> None:
        """Apply a pending search at once (Enter in the search box, or tests)."""
        if self._debounce.isActive():
            self._debounce.stop()
        self._emit()

    def stop(self) -> None:
        self._debounce.stop()

    # Reactions ---------------------------------------------------------------------------------

    def _preset_chosen(self) -> None:
        if self.preset.currentText() != CUSTOM_RANGE:
            self._apply_preset()
            self._emit()

    def _apply_preset(self) -> None:
        days = RANGE_PRESETS.get(self.preset.currentText())
        if days is None:
            start = self._first_day or self._today
        else:
            start = self._today - dt.timedelta(days=days - 1)
        self._set_dates(start, self._today)

    def _set_dates(self, since: dt.date, until: dt.date) -> None:
        for edit, day in ((self.since, since), (self.until, until)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)

    def _dates_edited(self) -> None:
        if self.since.date() > self.until.date():  # keep the range the right way round
            sender = self.sender()
            other = self.until if sender is self.since else self.since
            other.blockSignals(True)
            other.setDate((sender if isinstance(sender, QDateEdit) else self.since).date())
            other.blockSignals(False)
        self.preset.blockSignals(True)
        self.preset.setCurrentText(CUSTOM_RANGE)
        self.preset.blockSignals(False)
        self._emit()

    def _emit(self) -> None:
        self.changed.emit(self.log_filter())
