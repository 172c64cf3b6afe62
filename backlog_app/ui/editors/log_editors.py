"""Opening the treatment-log editors: one entry point per record kind, for pages and shortcuts.

``open_log_editor(kind, record_id, …)`` adds (``record_id`` None) or edits a record of ``kind``;
``open_check_in`` opens the day's check-in, or the new one when the day has none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from backlog_app.domain.durations import date_range_words
from backlog_app.domain.log_records import (
    MedicationData,
    OdiScoreData,
    TherapyCourseData,
    TreatmentData,
    TreatmentKind,
)
from backlog_app.domain.visit_usage import visit_usage_words
from backlog_app.services.context import ProfileSession
from backlog_app.services.log import treatment_history
from backlog_app.services.summary import visit_usage_for
from backlog_app.ui.editors.check_in_dialog import CheckInDialog
from backlog_app.ui.editors.medication_dialog import MedicationDialog
from backlog_app.ui.editors.odi_dialog import OdiDialog
from backlog_app.ui.editors.treatment_dialog import CourseDialog, TreatmentDialog, course_label
from backlog_app.ui.messages import Messages

KIND_CHECK_IN = "check_in"
KIND_MEDICATION = "medication"
KIND_TREATMENT = "treatment"
KIND_COURSE = "course"
KIND_ODI = "odi"
LOG_KINDS = (KIND_CHECK_IN, KIND_MEDICATION, KIND_TREATMENT, KIND_COURSE, KIND_ODI)


def open_check_in(
    profile: ProfileSession,
    messages: Messages,
    parent: QWidget,
    day: dt.date | None = None,
) -> bool:
    """The check-in of ``day`` (today by default): the saved one if there is one, else a new one.

    Returns:
        True when the check-in was saved.
    """
    day = day or profile.clock()
    existing = profile.log.check_ins.for_day(day)
    dialog = CheckInDialog(
        profile, messages, existing.id if existing else None, day=day, parent=parent
    )
    return dialog.exec() == QDialog.DialogCode.Accepted


def open_log_editor(
    kind: str,
    record_id: int | None,
    profile: ProfileSession,
    messages: Messages,
    parent: QWidget,
) -> bool:
    """Add (``record_id`` None) or edit one treatment-log record of ``kind``.

    Args:
        kind: "check_in", "medication", "treatment", "course" or "odi".

    Returns:
        True when something was saved.
    """
    if kind == KIND_CHECK_IN:
        dialog: QDialog = CheckInDialog(profile, messages, record_id, parent=parent)
    elif kind == KIND_MEDICATION:
        dialog = _medication_dialog(profile, messages, record_id, parent)
    elif kind == KIND_TREATMENT:
        dialog = _treatment_dialog(profile, messages, record_id, parent)
    elif kind == KIND_COURSE:
        dialog = _course_dialog(profile, messages, record_id, parent)
    elif kind == KIND_ODI:
        dialog = _odi_dialog(profile, messages, record_id, parent)
    else:
        raise ValueError(f"unknown log record kind {kind!r}")
    return dialog.exec() == QDialog.DialogCode.Accepted


def _saver(service: Any, record_id: int | None) -> Any:
    """The save callable for a RecordService: add a new record or update ``record_id``."""
    if record_id is None:
        return service.add
    return lambda data: service.update(record_id, data)


def provider_choices(profile: ProfileSession) -> list[tuple[int, str]]:
    """(id, "Name — Role") for every provider in the directory."""
    return [
        (stored.id, f"{stored.data.name} — {stored.data.role.label}")
        for stored in profile.providers.list()
    ]


def _medication_dialog(
    profile: ProfileSession, messages: Messages, record_id: int | None, parent: QWidget
) -> MedicationDialog:
    existing: MedicationData | None = (
        profile.log.medications.get(record_id).data if record_id is not None else None
    )
    return MedicationDialog(
        _saver(profile.log.medications, record_id),
        messages,
        provider_choices(profile),
        existing,
        parent,
    )


def _treatment_dialog(
    profile: ProfileSession, messages: Messages, record_id: int | None, parent: QWidget
) -> TreatmentDialog:
    existing: TreatmentData | None = (
        profile.log.treatments.get(record_id).data if record_id is not None else None
    )
    names = {stored.id: stored.data.name for stored in profile.providers.list()}
    courses = profile.log.courses.list()

    def course_choices(kind: TreatmentKind) -> Sequence[tuple[int, str]]:
        return [
            (stored.id, course_label(stored.data, names.get(stored.data.provider_id or -1)))
            for stored in reversed(courses)  # the latest course first: it is the likely one
            if stored.data.kind is kind
        ]

    def visit_usage(kind: TreatmentKind, day: dt.date) -> list[str]:
        return visit_usage_lines(profile, kind, day)

    return TreatmentDialog(
        _saver(profile.log.treatments, record_id),
        messages,
        providers=provider_choices(profile),
        course_choices=course_choices,
        visit_usage=visit_usage,
        today=profile.clock(),
        treatment=existing,
        parent=parent,
    )


def visit_usage_lines(profile: ProfileSession, kind: TreatmentKind, day: dt.date) -> list[str]:
    """ "Chiropractic: 9 of 12 visits used in the plan year …, 3 left (Plan)" per capping plan."""
    plan_ids = {s.data.plan_id for s in profile.log.visit_limits.list() if s.data.kind is kind}
    lines = []
    for plan in profile.plans.list():
        if plan.id in plan_ids:
            usage = visit_usage_for(profile, plan.id, kind, day)
            if usage is not None:
                lines.append(f"{visit_usage_words(usage)} ({plan.data.display_name})")
    return lines


def _course_dialog(
    profile: ProfileSession, messages: Messages, record_id: int | None, parent: QWidget
) -> CourseDialog:
    existing: TherapyCourseData | None = (
        profile.log.courses.get(record_id).data if record_id is not None else None
    )
    return CourseDialog(
        _saver(profile.log.courses, record_id),
        messages,
        providers=provider_choices(profile),
        today=profile.clock(),
        sessions=sessions_text(profile, record_id),
        course=existing,
        parent=parent,
    )


def sessions_text(profile: ProfileSession, course_id: int | None) -> str:
    """How many logged sessions belong to course ``course_id``, in words."""
    if course_id is None:
        return "None yet: link sessions to this course when you log them."
    days = [t.day for t in treatment_history(profile.database) if t.course_id == course_id]
    if not days:
        return "None yet: link sessions to this course when you log them."
    count = "1 session" if len(days) == 1 else f"{len(days)} sessions"
    return f"{count}, {date_range_words(min(days), max(days))}"


def _odi_dialog(
    profile: ProfileSession, messages: Messages, record_id: int | None, parent: QWidget
) -> OdiDialog:
    existing: OdiScoreData | None = (
        profile.log.odi_scores.get(record_id).data if record_id is not None else None
    )
    return OdiDialog(
        _saver(profile.log.odi_scores, record_id),
        messages,
        today=profile.clock(),
        odi=existing,
        parent=parent,
    )
