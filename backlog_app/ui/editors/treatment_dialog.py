"""Add or edit a treatment or visit, and a therapy course that groups sessions.

The treatment's fields follow its kind: an injection asks for level, side and relief; imaging for
the facility and findings; a therapy session for its course. Where a plan caps visits of the
kind, the dialog shows how many are used and left this plan year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.log_records import (
    Side,
    TherapyCourseData,
    TreatmentCategory,
    TreatmentData,
    TreatmentKind,
)
from backlog_app.ui.editors.log_dialog import LogRecordDialog, form_group
from backlog_app.ui.editors.log_widgets import EnumCombo, IdCombo, OptionalNumberEdit
from backlog_app.ui.messages import Messages
from backlog_app.ui.widgets import NotesEdit, OptionalDateEdit, blank_to_none

_CATEGORY_ORDER = (
    TreatmentCategory.THERAPY,
    TreatmentCategory.INJECTION,
    TreatmentCategory.IMAGING,
    TreatmentCategory.VISIT,
    TreatmentCategory.SURGERY,
    TreatmentCategory.OTHER,
)
THERAPY_KINDS = [k for k in TreatmentKind if k.category is TreatmentCategory.THERAPY]

# What the free-text result means for each category (with its Alt+letter).
_RESULT_LABELS = {
    TreatmentCategory.THERAPY: "O&utcome",
    TreatmentCategory.INJECTION: "Res&ult",
    TreatmentCategory.IMAGING: "Fi&ndings",
    TreatmentCategory.VISIT: "&What was decided",
    TreatmentCategory.SURGERY: "O&utcome",
    TreatmentCategory.OTHER: "Res&ult",
}

CourseChoices = Callable[[TreatmentKind], Sequence[tuple[int, str]]]
VisitUsage = Callable[[TreatmentKind, dt.date], list[str]]


class KindCombo(QComboBox):
    """Treatment kinds grouped by category with separators; typing a letter picks a kind."""

    def __init__(self, kinds: Sequence[TreatmentKind], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Kind of treatment")
        self.setMaxVisibleItems(25)
        previous: TreatmentCategory | None = None
        for category in _CATEGORY_ORDER:
            for kind in kinds:
                if kind.category is not category:
                    continue
                if previous is not None and previous is not category:
                    self.insertSeparator(self.count())
                self.addItem(kind.label, kind.value)
                previous = category

    def kind(self) -> TreatmentKind:
        return TreatmentKind(self.currentData())

    def set_kind(self, kind: TreatmentKind) -> None:
        self.setCurrentIndex(max(self.findData(kind.value), 0))


class TreatmentDialog(LogRecordDialog):
    """Edits one TreatmentData; ``save`` is called with it when the user presses Save.

    Args:
        providers: (id, name) choices for the provider.
        course_choices: (id, label) of the therapy courses of a kind.
        visit_usage: lines such as "Chiropractic: 9 of 12 visits used in the plan year …,
            3 left (BMH Choice PPO)" for a kind on a day; empty when no plan caps the kind.
        today: the default day of a new treatment.
    """

    def __init__(
        self,
        save: Callable[[TreatmentData], object],
        messages: Messages,
        *,
        providers: Sequence[tuple[int, str]],
        course_choices: CourseChoices,
        visit_usage: VisitUsage,
        today: dt.date,
        treatment: TreatmentData | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "Edit treatment or visit" if treatment else "Add treatment or visit",
            save,
            messages,
            parent,
        )
        self._course_choices = course_choices
        self._visit_usage = visit_usage
        self.kind = KindCombo(list(TreatmentKind))
        self.day = OptionalDateEdit()
        self.provider = IdCombo("Provider", providers, none_label="— not recorded —")
        self.visit_usage = QLabel()
        self.visit_usage.setWordWrap(True)
        self.visit_usage.setAccessibleName("Visits used and left this plan year")
        self.course = IdCombo("Therapy course", [], none_label="— not part of a course —")
        self.level = QLineEdit()
        self.level.setPlaceholderText("e.g. L4-L5")
        self.side: EnumCombo[Side] = EnumCombo("Side", list(Side))
        self.relief_percent = OptionalNumberEdit("Relief (%)", max_digits=3)
        self.relief_days = OptionalNumberEdit("Days the relief lasted", max_digits=4)
        self.facility = QLineEdit()
        self.facility.setPlaceholderText("e.g. Riverside Imaging Center")
        self.result_text = NotesEdit(lines=3)
        self.notes = NotesEdit(lines=2)

        box = form_group(
            "What and when",
            [
                ("&Kind", self.kind, None),
                ("&Date", self.day, None),
                ("&Provider", self.provider, "From your provider directory."),
                ("", self.visit_usage, None),
                (
                    "&Course",
                    self.course,
                    "Group therapy sessions into a course (e.g. 8 weeks of PT).",
                ),
                ("&Level", self.level, "The spinal level treated, as on the procedure note."),
                ("&Side", self.side, None),
                ("&Relief (%)", self.relief_percent, "The best pain relief, 0–100 %."),
                ("Relief &lasted (days)", self.relief_days, "How many days the relief lasted."),
                ("&Facility", self.facility, None),
                ("Res&ult", self.result_text, None),
                ("No&tes", self.notes, None),
            ],
        )
        self._fields: QFormLayout = box.layout()  # type: ignore[assignment]
        self.result_label: QLabel = self._fields.labelForField(self.result_text)  # type: ignore[assignment]
        self.body.insertWidget(0, box)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.day.dateChanged.connect(self._show_usage)
        self.set_treatment(treatment or TreatmentData(TreatmentKind.PHYSICAL_THERAPY, today))
        self.set_preferred_width(560)
        self.mark_clean()
        self.kind.setFocus()

    def set_treatment(self, treatment: TreatmentData) -> None:
        self.kind.set_kind(treatment.kind)
        self._kind_changed()
        self.day.set_date(treatment.day)
        self.provider.set_value(treatment.provider_id)
        self.course.set_value(treatment.course_id)
        self.level.setText(treatment.level or "")
        self.side.set_value(treatment.side)
        self.relief_percent.set_number(treatment.relief_percent)
        self.relief_days.set_number(treatment.relief_days)
        self.facility.setText(treatment.facility or "")
        self.result_text.set_value(treatment.result)
        self.notes.set_value(treatment.notes)
        self._show_usage()

    def collect(self) -> TreatmentData:
        kind = self.kind.kind()
        category = kind.category
        day = self.day.date_value()
        if day is None:
            raise ValueError("Please enter the date of the treatment or visit.")
        injection = category is TreatmentCategory.INJECTION
        # Fields hidden for this kind are not saved, so a changed kind leaves nothing stale.
        return TreatmentData(
            kind=kind,
            day=day,
            provider_id=self.provider.value(),
            course_id=self.course.value() if category is TreatmentCategory.THERAPY else None,
            level=blank_to_none(self.level.text()) if injection else None,
            side=self.side.value() if injection else None,
            relief_percent=self.relief_percent.int_value() if injection else None,
            relief_days=self.relief_days.int_value() if injection else None,
            facility=blank_to_none(self.facility.text())
            if category is TreatmentCategory.IMAGING
            else None,
            result=self.result_text.value(),
            notes=self.notes.value(),
        )

    def field_visible(self, widget: QWidget) -> bool:
        """Whether ``widget``'s row is shown for the current kind."""
        return self._fields.isRowVisible(widget)

    def _kind_changed(self) -> None:
        kind = self.kind.kind()
        category = kind.category
        for widget, shown in (
            (self.course, category is TreatmentCategory.THERAPY),
            (self.level, category is TreatmentCategory.INJECTION),
            (self.side, category is TreatmentCategory.INJECTION),
            (self.relief_percent, category is TreatmentCategory.INJECTION),
            (self.relief_days, category is TreatmentCategory.INJECTION),
            (self.facility, category is TreatmentCategory.IMAGING),
        ):
            self._fields.setRowVisible(widget, shown)
        self.result_label.setText(_RESULT_LABELS[category])
        self.result_text.setAccessibleName(_RESULT_LABELS[category].replace("&", ""))
        if category is TreatmentCategory.THERAPY:
            self.course.set_choices(self._course_choices(kind))
        self._show_usage()
        self.adjustSize()

    def _show_usage(self) -> None:
        day = self.day.date_value()
        lines = self._visit_usage(self.kind.kind(), day) if day is not None else []
        self.visit_usage.setText("\n".join(lines))
        self._fields.setRowVisible(self.visit_usage, bool(lines))


class CourseDialog(LogRecordDialog):
    """Edits one TherapyCourseData and shows how many sessions are linked to it.

    Args:
        sessions: a sentence about the sessions linked to this course ("8 sessions, …").
    """

    def __init__(
        self,
        save: Callable[[TherapyCourseData], object],
        messages: Messages,
        *,
        providers: Sequence[tuple[int, str]],
        today: dt.date,
        sessions: str,
        course: TherapyCourseData | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "Edit therapy course" if course else "Add therapy course", save, messages, parent
        )
        self.kind: EnumCombo[TreatmentKind] = EnumCombo(
            "Kind of therapy", THERAPY_KINDS, none_label=None
        )
        self.provider = IdCombo("Provider", providers, none_label="— not recorded —")
        self.start_date = OptionalDateEdit()
        self.end_date = OptionalDateEdit()
        self.planned_visits = OptionalNumberEdit("Planned visits", max_digits=3)
        self.sessions = QLabel(sessions)
        self.sessions.setAccessibleName("Sessions linked to this course")
        self.sessions.setWordWrap(True)
        self.discharge_outcome = NotesEdit(lines=3)
        self.notes = NotesEdit(lines=2)
        box: QGroupBox = form_group(
            "The course",
            [
                ("&Kind", self.kind, None),
                ("&Provider", self.provider, "From your provider directory."),
                ("&Started", self.start_date, None),
                ("&Ended", self.end_date, "Leave “Not set” while the course goes on."),
                ("Planned &visits", self.planned_visits, "How many visits were prescribed."),
                ("Sessions logged", self.sessions, None),
                ("&Discharge outcome", self.discharge_outcome, "What the discharge note says."),
                ("No&tes", self.notes, None),
            ],
        )
        self.body.insertWidget(0, box)
        course = course or TherapyCourseData(TreatmentKind.PHYSICAL_THERAPY, today)
        self.kind.set_value(course.kind)
        self.provider.set_value(course.provider_id)
        self.start_date.set_date(course.start_date)
        self.end_date.set_date(course.end_date)
        self.planned_visits.set_number(course.planned_visits)
        self.discharge_outcome.set_value(course.discharge_outcome)
        self.notes.set_value(course.notes)
        self.set_preferred_width(520)
        self.mark_clean()
        self.kind.setFocus()

    def collect(self) -> TherapyCourseData:
        start = self.start_date.date_value()
        kind = self.kind.value()
        if start is None:
            raise ValueError("Please enter when the course started (an estimate is fine).")
        if kind is None:
            raise ValueError("Please choose the kind of therapy.")
        return TherapyCourseData(
            kind=kind,
            start_date=start,
            end_date=self.end_date.date_value(),
            provider_id=self.provider.value(),
            planned_visits=self.planned_visits.int_value(),
            discharge_outcome=self.discharge_outcome.value(),
            notes=self.notes.value(),
        )


def course_label(course: TherapyCourseData, provider_name: str | None) -> str:
    """ "Physical therapy from 3 Feb 2026 (Dr. Lee)" — how a course is named in pickers."""
    text = f"{course.kind.label} from {format_long_date(course.start_date)}"
    return f"{text} ({provider_name})" if provider_name else text
