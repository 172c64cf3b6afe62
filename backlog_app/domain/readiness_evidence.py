"""The pieces every readiness check returns: an outcome, and evidence records in plain words.

"MRI, 31 Jan 2026 at Columbus Open MRI", "Physical therapy course, 16 Nov 2025 – 11 Jan 2026
(16 visits)", "Naproxen 500 mg, 30 Sep – 11 Nov 2025": each links back to its record by id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.deadline_rules import Unit, add_period
from backlog_app.domain.durations import date_range_words
from backlog_app.domain.log_records import MedicationData, TherapyCourseData, TreatmentData
from backlog_app.domain.readiness_criteria import Criterion
from backlog_app.domain.readiness_facts import (
    CheckStatus,
    DocumentFact,
    Evidence,
    EvidenceKind,
    ReadinessFacts,
)

MAX_EVIDENCE = 8


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one check found; the caller adds the criterion's key, label and source."""

    status: CheckStatus
    finding: str
    evidence: tuple[Evidence, ...] = ()
    todo: str | None = None


def met(finding: str, evidence: Sequence[Evidence] = ()) -> Outcome:
    return Outcome(CheckStatus.MET, finding, tuple(evidence[:MAX_EVIDENCE]))


def not_met(finding: str, todo: str, evidence: Sequence[Evidence] = ()) -> Outcome:
    return Outcome(CheckStatus.NOT_MET, finding, tuple(evidence[:MAX_EVIDENCE]), todo)


def unknown(finding: str, todo: str, evidence: Sequence[Evidence] = ()) -> Outcome:
    return Outcome(CheckStatus.UNKNOWN, finding, tuple(evidence[:MAX_EVIDENCE]), todo)


# --- shared helpers -----------------------------------------------------------------------------


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (31 Mar − 1 month → 28/29 Feb)."""
    return add_period(day, -months, Unit.MONTHS)


def window_start(today: dt.date, months: int | None) -> dt.date | None:
    return months_before(today, months) if months else None


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else many or singular + 's'}"


def period_words(criterion: Criterion) -> str:
    if criterion.weeks is not None:
        return plural(criterion.weeks, "week")
    if criterion.months is not None:
        return plural(criterion.months, "month")
    return plural(criterion.days or 0, "day")


def in_last(months: int | None) -> str:
    return f" in the last {plural(months, 'month')}" if months else ""


def treatment_evidence(record_id: int, treatment: TreatmentData, extra: str = "") -> Evidence:
    label = f"{treatment.kind.label}, {format_long_date(treatment.day)}{extra}"
    return Evidence(EvidenceKind.TREATMENT, record_id, label, treatment.day)


def course_evidence(record_id: int, course: TherapyCourseData, visits: int) -> Evidence:
    end = course.end_date
    span = (
        date_range_words(course.start_date, end)
        if end
        else (f"from {format_long_date(course.start_date)}")
    )
    label = f"{course.kind.label} course, {span} ({plural(visits, 'visit')})"
    return Evidence(EvidenceKind.COURSE, record_id, label, course.start_date)


def medication_evidence(record_id: int, medication: MedicationData) -> Evidence:
    name = " ".join(p for p in (medication.name, medication.strength) if p)
    start, stop = medication.start_date, medication.stop_date
    if start and stop:
        when = date_range_words(start, stop)
    elif start:
        when = f"since {format_long_date(start)}"
    else:
        when = "start date not recorded"
    return Evidence(EvidenceKind.MEDICATION, record_id, f"{name}, {when}", start)


def document_evidence(document: DocumentFact) -> Evidence:
    when = f", {format_long_date(document.day)}" if document.day else ""
    label = f"“{document.title}” ({document.kind.label}{when})"
    return Evidence(EvidenceKind.DOCUMENT, document.id, label, document.day)


def course_visits(facts: ReadinessFacts, course_id: int) -> int:
    return sum(1 for t in facts.treatments.values() if t.course_id == course_id)


def medication_ids(facts: ReadinessFacts) -> dict[MedicationData, int]:
    """Each trial's id by its data (the summary's trials carry the data, not the id)."""
    return {data: record_id for record_id, data in sorted(facts.medications.items())}
