"""The Log page's record tabs: medications, treatments and visits, therapy courses, ODI scores.

Each is a searchable table with Add / Edit / Delete. A delete asks first and emits ``deleted``
with the record as it was, so the Log page can offer Undo (the service's ``restore``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.durations import duration_words
from backlog_app.domain.log_records import (
    MedicationData,
    OdiScoreData,
    TherapyCourseData,
    TreatmentCategory,
    TreatmentData,
)
from backlog_app.domain.records import Stored
from backlog_app.domain.scores import odi_band
from backlog_app.errors import UserError
from backlog_app.services.context import ProfileSession
from backlog_app.services.log import treatment_history
from backlog_app.ui.editors.log_editors import (
    KIND_COURSE,
    KIND_MEDICATION,
    KIND_ODI,
    KIND_TREATMENT,
    open_log_editor,
)
from backlog_app.ui.messages import Messages
from backlog_app.ui.models.record_table import Column, RecordTableModel
from backlog_app.ui.record_list import RecordListPanel


def _date_key(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


class _LogRecordPanel(QWidget):
    """A RecordListPanel over one log service; subclasses give the columns and words."""

    deleted = Signal(str, object)  # (kind, the deleted Stored record) for Undo

    kind = ""
    noun = ""
    empty_text = ""

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
        self.model: RecordTableModel[Any] = RecordTableModel(self.columns(), self)
        self.panel = RecordListPanel(
            self.model, noun=self.noun, empty_text=self.empty_text, searchable=True
        )
        self.panel.add_requested.connect(self.add_record)
        self.panel.edit_requested.connect(self.edit_record)
        self.panel.delete_requested.connect(self.delete_record)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.panel)
        self.reload()

    # What subclasses provide -------------------------------------------------------------------

    def columns(self) -> Sequence[Column[Any]]:
        raise NotImplementedError

    def service(self) -> Any:
        raise NotImplementedError

    def describe(self, data: Any) -> str:
        """The record in a few words, for confirmations ("naproxen 500 mg")."""
        raise NotImplementedError

    def load_context(self, records: list[Stored[Any]]) -> None:
        """Read what the columns show besides the records (provider names, session counts)."""

    # Actions -----------------------------------------------------------------------------------

    def reload(self) -> None:
        selected = self.panel.selected_id()
        records = self.service().list()
        self.load_context(records)
        self.model.set_records(records)
        if selected is not None:
            self.panel.select_id(selected)

    def add_record(self) -> None:
        if open_log_editor(self.kind, None, self._profile, self._messages, self):
            self.reload()
            self._show_status(f"{self.noun.capitalize()} added.")

    def edit_record(self, record_id: int) -> None:
        try:
            saved = open_log_editor(self.kind, record_id, self._profile, self._messages, self)
        except UserError as exc:  # deleted meanwhile
            self._messages.problem(f"Edit {self.noun}", exc.message)
            self.reload()
            return
        if saved:
            self.reload()
            self._show_status(f"{self.noun.capitalize()} saved.")

    def delete_record(self, record_id: int) -> None:
        try:
            what = self.describe(self.service().get(record_id).data)
            if not self._messages.confirm(
                f"Delete {self.noun}",
                f"Delete {what}?\n\nYou can undo this with Ctrl+Z on the Log page.",
                f"Delete {self.noun}",
            ):
                return
            stored = self.service().delete(record_id)
        except UserError as exc:
            self._messages.problem(f"Delete {self.noun}", exc.message)
            return
        self.reload()
        self.deleted.emit(self.kind, stored)
        self._show_status(f"Deleted {what}.")


class MedicationsPanel(_LogRecordPanel):
    """Medication trials: what, how much, when, for how long, and how it went."""

    kind = KIND_MEDICATION
    noun = "medication"
    empty_text = (
        "No medications yet.\nAdd each one you have tried for your back, with the dates: "
        "insurers ask what was tried, for how long, and why it stopped."
    )

    def columns(self) -> Sequence[Column[MedicationData]]:
        return [
            Column("Medication", lambda m: " ".join(p for p in (m.name, m.strength) if p)),
            Column("Dose and how often", _dose_text),
            Column(
                "Started",
                lambda m: format_long_date(m.start_date),
                sort_key=lambda m: _date_key(m.start_date),
                stretch=False,
            ),
            Column(
                "Stopped",
                lambda m: format_long_date(m.stop_date, empty="still taking"),
                sort_key=lambda m: _date_key(m.stop_date) or "9999",
                stretch=False,
            ),
            Column(
                "Taken for",
                self._duration_text,
                sort_key=self._duration_days,
                stretch=False,
            ),
            Column("Outcome", lambda m: m.outcome.label if m.outcome else ""),
        ]

    def service(self) -> Any:
        return self._profile.log.medications

    def describe(self, data: MedicationData) -> str:
        return " ".join(p for p in (data.name, data.strength) if p)

    def _duration_text(self, medication: MedicationData) -> str:
        if medication.start_date is None:
            return ""
        end = medication.stop_date or self._profile.clock()
        return duration_words(medication.start_date, max(end, medication.start_date))

    def _duration_days(self, medication: MedicationData) -> int:
        if medication.start_date is None:
            return -1
        return ((medication.stop_date or self._profile.clock()) - medication.start_date).days


def _dose_text(medication: MedicationData) -> str:
    parts = [p for p in (medication.dose, medication.frequency) if p]
    if medication.as_needed:
        parts.append("as needed")
    return ", ".join(parts)


class TreatmentsPanel(_LogRecordPanel):
    """Treatments, tests and visits, newest last, with injection relief and imaging results."""

    kind = KIND_TREATMENT
    noun = "treatment"
    empty_text = (
        "No treatments or visits yet.\nAdd therapy sessions, injections, imaging and doctor "
        "visits with their dates: they show what conservative care you have tried."
    )

    def __init__(
        self,
        profile: ProfileSession,
        messages: Messages,
        show_status: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        self._providers: dict[int, str] = {}
        super().__init__(profile, messages, show_status, parent)

    def load_context(self, records: list[Stored[Any]]) -> None:
        self._providers = {s.id: s.data.name for s in self._profile.providers.list()}

    def columns(self) -> Sequence[Column[TreatmentData]]:
        return [
            Column(
                "Date",
                lambda t: format_long_date(t.day),
                sort_key=lambda t: _date_key(t.day),
                stretch=False,
            ),
            Column("Kind", lambda t: t.kind.label),
            Column("Provider", lambda t: self._providers.get(t.provider_id or -1, "")),
            Column("Level, side or facility", _level_text, stretch=False),
            Column(
                "Relief",
                _relief_text,
                sort_key=lambda t: t.relief_percent if t.relief_percent is not None else -1,
                stretch=False,
            ),
            Column("Result", lambda t: " ".join((t.result or "").split())),
        ]

    def service(self) -> Any:
        return self._profile.log.treatments

    def describe(self, data: TreatmentData) -> str:
        return f"the {data.kind.label.lower()} of {format_long_date(data.day)}"


def _level_text(treatment: TreatmentData) -> str:
    if treatment.kind.category is not TreatmentCategory.INJECTION:
        return treatment.facility or ""
    return ", ".join(
        p for p in (treatment.level, treatment.side.label if treatment.side else None) if p
    )


def _relief_text(treatment: TreatmentData) -> str:
    if treatment.relief_percent is None:
        return ""
    text = f"{treatment.relief_percent} %"
    if treatment.relief_days is not None:
        text += f" for {treatment.relief_days} days"
    return text


class CoursesPanel(_LogRecordPanel):
    """Therapy courses (e.g. 8 weeks of PT) with the sessions logged in each."""

    kind = KIND_COURSE
    noun = "therapy course"
    empty_text = (
        "No therapy courses yet.\nA course groups the sessions of one prescription, such as "
        "8 weeks of physical therapy, with its start, end and discharge outcome."
    )

    def __init__(
        self,
        profile: ProfileSession,
        messages: Messages,
        show_status: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        self._providers: dict[int, str] = {}
        # Columns see a record's data, not its id: the counts are keyed by the data object the
        # model holds (identity, so two identical courses still get their own counts).
        self._sessions: dict[int, int] = {}
        super().__init__(profile, messages, show_status, parent)

    def load_context(self, records: list[Stored[Any]]) -> None:
        self._providers = {s.id: s.data.name for s in self._profile.providers.list()}
        per_course = Counter(
            t.course_id for t in treatment_history(self._profile.database) if t.course_id
        )
        self._sessions = {id(s.data): per_course[s.id] for s in records}

    def _sessions_text(self, course: TherapyCourseData) -> str:
        logged = self._sessions.get(id(course), 0)
        if course.planned_visits:
            return f"{logged} of {course.planned_visits}"
        return str(logged)

    def columns(self) -> Sequence[Column[TherapyCourseData]]:
        return [
            Column("Kind", lambda c: c.kind.label),
            Column("Provider", lambda c: self._providers.get(c.provider_id or -1, "")),
            Column(
                "Started",
                lambda c: format_long_date(c.start_date),
                sort_key=lambda c: _date_key(c.start_date),
                stretch=False,
            ),
            Column(
                "Ended",
                lambda c: format_long_date(c.end_date, empty="ongoing"),
                sort_key=lambda c: _date_key(c.end_date) or "9999",
                stretch=False,
            ),
            Column(
                "Sessions",
                self._sessions_text,
                sort_key=lambda c: self._sessions.get(id(c), 0),
                align_right=True,
                stretch=False,
            ),
            Column("Discharge outcome", lambda c: " ".join((c.discharge_outcome or "").split())),
        ]

    def service(self) -> Any:
        return self._profile.log.courses

    def describe(self, data: TherapyCourseData) -> str:
        return f"the {data.kind.label.lower()} course from {format_long_date(data.start_date)}"


class OdiPanel(_LogRecordPanel):
    """Oswestry Disability Index results with their bands."""

    kind = KIND_ODI
    noun = "ODI score"
    empty_text = (
        "No ODI scores yet.\nThe Oswestry Disability Index measures how back pain limits daily "
        "life. Record the score your clinic measured, or the ten section scores from its form."
    )

    def columns(self) -> Sequence[Column[OdiScoreData]]:
        return [
            Column(
                "Date",
                lambda o: format_long_date(o.day),
                sort_key=lambda o: _date_key(o.day),
                stretch=False,
            ),
            Column(
                "Score",
                lambda o: f"{o.total_percent:g} %" if o.total_percent is not None else "",
                sort_key=lambda o: o.total_percent if o.total_percent is not None else -1,
                align_right=True,
                stretch=False,
            ),
            Column(
                "Band",
                lambda o: odi_band(o.total_percent).label if o.total_percent is not None else "",
            ),
            Column("From", _odi_source),
            Column("Notes", lambda o: " ".join((o.notes or "").split())),
        ]

    def service(self) -> Any:
        return self._profile.log.odi_scores

    def describe(self, data: OdiScoreData) -> str:
        return f"the ODI score of {format_long_date(data.day)}"


def _odi_source(odi: OdiScoreData) -> str:
    answered = sum(score is not None for score in odi.sections)
    if answered:
        return f"{answered} section scores"
    return "the clinic's total"
