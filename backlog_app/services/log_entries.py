"""The treatment log's entries: what kinds there are, and one query row turned into plain words.

``log_view`` reads the rows; this module names them (``EntryKind``) and writes their titles and
details (``LogEntry``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from enum import StrEnum
from typing import Any

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.log_records import (
    MedicationOutcome,
    Side,
    TreatmentCategory,
    WorkStatus,
)
from backlog_app.domain.scores import odi_band

CHECK_IN_TITLE = "Daily check-in"  # the title of a check-in without notes (notes are its title)


class EntryKind(StrEnum):
    """What one row of the log is. Treatments are split by their category."""

    CHECK_IN = "check_in"
    MEDICATION_START = "medication_start"
    MEDICATION_STOP = "medication_stop"
    THERAPY = "therapy"
    INJECTION = "injection"
    IMAGING = "imaging"
    VISIT = "visit"
    SURGERY = "surgery"
    OTHER_TREATMENT = "other_treatment"
    ODI = "odi"

    @property
    def label(self) -> str:
        return _ENTRY_LABELS[self]

    @property
    def editor(self) -> str:
        """Which editor opens this entry: "check_in", "medication", "treatment" or "odi"."""
        if self is EntryKind.CHECK_IN:
            return "check_in"
        if self in (EntryKind.MEDICATION_START, EntryKind.MEDICATION_STOP):
            return "medication"
        if self is EntryKind.ODI:
            return "odi"
        return "treatment"

    @property
    def noun(self) -> str:
        """The record the entry stands for, for messages: "check-in", "medication"..."""
        return {
            "check_in": "check-in",
            "medication": "medication",
            "odi": "ODI score",
            "treatment": "treatment",
        }[self.editor]


_ENTRY_LABELS = {
    EntryKind.CHECK_IN: "Check-in",
    EntryKind.MEDICATION_START: "Medication started",
    EntryKind.MEDICATION_STOP: "Medication stopped",
    EntryKind.THERAPY: "Therapy",
    EntryKind.INJECTION: "Injection",
    EntryKind.IMAGING: "Imaging / test",
    EntryKind.VISIT: "Doctor visit",
    EntryKind.SURGERY: "Surgery",
    EntryKind.OTHER_TREATMENT: "Other treatment",
    EntryKind.ODI: "ODI score",
}

TREATMENT_ENTRY_KINDS: dict[TreatmentCategory, EntryKind] = {
    TreatmentCategory.THERAPY: EntryKind.THERAPY,
    TreatmentCategory.INJECTION: EntryKind.INJECTION,
    TreatmentCategory.IMAGING: EntryKind.IMAGING,
    TreatmentCategory.VISIT: EntryKind.VISIT,
    TreatmentCategory.SURGERY: EntryKind.SURGERY,
    TreatmentCategory.OTHER: EntryKind.OTHER_TREATMENT,
}
ALL_KINDS: frozenset[EntryKind] = frozenset(EntryKind)
MEDICATION_KINDS = frozenset({EntryKind.MEDICATION_START, EntryKind.MEDICATION_STOP})
TREATMENT_KINDS = frozenset(TREATMENT_ENTRY_KINDS.values())


@dataclasses.dataclass(frozen=True, slots=True)
class LogEntry:
    """One row of the log: what happened on which day, ready to show.

    Args:
        kind: what the row is.
        record_id: the id of the check-in, medication, treatment or ODI score behind it.
        day: the day it happened (a medication's start or stop date).
        title: short text: a check-in's notes (else "Daily check-in"), "Naproxen 500 mg",
            "Physical therapy", "ODI 34%".
        detail: the rest in one line (scores, results, notes).
        pain: the day's pain 0-10 for check-ins (average, else "now"); None when not recorded.
        category: the treatment category ("therapy", "injection"...); None for other kinds.
    """

    kind: EntryKind
    record_id: int
    day: dt.date
    title: str
    detail: str
    pain: int | None = None
    category: str | None = None


# --- Rows to entries -----------------------------------------------------------------------------


def entry_from_row(row: Any) -> LogEntry:
    """The entry for one row of ``log_view``'s query (columns kind, record_id, day, title…)."""
    kind = EntryKind(row.kind)
    return LogEntry(
        kind=kind,
        record_id=row.record_id,
        day=row.day,
        title=_title(kind, row),
        detail=" · ".join(part for part in _DETAILS[kind](row) if part),
        pain=row.pain,
        category=row.category,
    )


def _title(kind: EntryKind, row: Any) -> str:
    if kind in MEDICATION_KINDS and row.text_a:
        return f"{row.title} {row.text_a}"
    if kind is EntryKind.ODI and row.num_a is not None:
        return f"ODI {row.num_a:g}%"
    return " ".join(str(row.title or "").split())  # notes may span lines


def _check_in_detail(row: Any) -> list[str]:
    scores = [
        f"{name} {value:g}"
        for name, value in (("now", row.num_a), ("average", row.num_b), ("worst", row.num_c))
        if value is not None
    ]
    parts = ["Pain " + ", ".join(scores) if scores else "Pain not recorded"]
    if row.num_d is not None:
        parts.append(f"PEG {row.num_d:.1f}")
    if row.text_b:
        parts.append(WorkStatus(row.text_b).label)
    return parts


def _medication_start_detail(row: Any) -> list[str]:
    dose = " ".join(part for part in (row.text_b, row.text_c) if part)
    return [dose, "as needed" if row.num_a else "", f"for {row.text_d}" if row.text_d else ""]


def _medication_stop_detail(row: Any) -> list[str]:
    parts = []
    if row.num_a is not None:
        parts.append(f"after {_duration(int(row.num_a))}")
    if row.text_b:
        parts.append(MedicationOutcome(row.text_b).label)
    parts += [row.text_c or "", f"side effects: {row.text_d}" if row.text_d else ""]
    return parts


def _treatment_detail(row: Any) -> list[str]:
    parts = []
    side = Side(row.text_d).label.lower() + " side" if row.text_d else None
    if row.text_c or side:
        parts.append(" ".join(part for part in (row.text_c, side) if part))
    if row.num_a is not None:
        relief = f"{row.num_a:g}% relief"
        if row.num_b is not None:
            relief += f" for {_duration(int(row.num_b))}"
        parts.append(relief)
    parts += [row.text_e or "", row.text_a or "", row.text_b or ""]
    return parts


def _odi_detail(row: Any) -> list[str]:
    band = odi_band(row.num_a).label if row.num_a is not None else ""
    return [band, row.text_a or ""]


_DETAILS = {
    EntryKind.CHECK_IN: _check_in_detail,
    EntryKind.MEDICATION_START: _medication_start_detail,
    EntryKind.MEDICATION_STOP: _medication_stop_detail,
    EntryKind.ODI: _odi_detail,
    **dict.fromkeys(TREATMENT_KINDS, _treatment_detail),
}


def _duration(days: int) -> str:
    """ "5 days", "3 weeks", "4 months" — rounded the way people say it."""
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 61:
        return f"{round(days / 7)} weeks"
    if days < 730:
        return f"{round(days / 30.44)} months"
    return f"{days / 365.25:.1f} years"


def describe(entry: LogEntry) -> str:
    """ "the check-in of 3 Mar 2026", "the medication “Naproxen 500 mg”" — for messages."""
    if entry.kind.editor == "medication":
        return f"the medication “{entry.title}”"
    if entry.kind.editor == "treatment":
        return f"“{entry.title}” of {format_long_date(entry.day)}"
    return f"the {entry.kind.noun} of {format_long_date(entry.day)}"
