"""The conservative-care summary in plain words, as a reviewer or the patient reads it.

"Physical therapy: 16 visits over 8 weeks (3 Feb – 31 Mar 2026)", "Naproxen 500 mg twice a day:
6 weeks (1 Jan – 12 Feb 2026), no effect", "Average pain went from 7.2 in Jan 2026 to 6.1 in Nov
2026". Durations are rounded down (``domain/durations.py``) and always shown beside their dates.
Import these from ``domain/summary.py``, which re-exports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.durations import (
    date_range_words,
    day_count_words,
    duration_words,
    month_words,
)
from backlog_app.domain.log_records import (
    MedicationData,
    MedicationOutcome,
    Side,
    TreatmentCategory,
)

if TYPE_CHECKING:  # summary.py imports this module; at run time only its objects are needed
    from backlog_app.domain.summary import (
        CareSummary,
        CourseSummary,
        ImagingResult,
        InjectionResult,
        MedicationTrial,
        TreatmentHistory,
    )


@dataclass(frozen=True, slots=True)
class SummarySection:
    """A heading ("Medications") and its lines."""

    title: str
    lines: tuple[str, ...]


def summary_sections(summary: CareSummary) -> list[SummarySection]:
    """The summary in plain words, under headings; sections with nothing to say are left out."""
    sections = [
        SummarySection("Therapy and visits", tuple(_treatment_lines(summary))),
        SummarySection("Imaging", tuple(_imaging_line(i) for i in summary.imaging)),
        SummarySection("Injections", tuple(_injection_line(i) for i in summary.injections)),
        SummarySection("Medications", tuple(_medication_line(t) for t in summary.medications)),
        SummarySection("Pain and function", tuple(_score_lines(summary))),
    ]
    return [section for section in sections if section.lines]


def summary_lines(summary: CareSummary) -> list[str]:
    """The summary as plain sentences a reviewer or the patient understands, first the period."""
    lines = [_period_line(summary)]
    if summary.is_empty:
        return lines
    for section in summary_sections(summary):
        lines += section.lines
    return lines


def _period_line(summary: CareSummary) -> str:
    until = format_long_date(summary.until)
    if summary.since is None:
        period = f"up to {until}"
    elif summary.since > summary.until:
        period = f"from {format_long_date(summary.since)} on"
    else:
        period = f"from {format_long_date(summary.since)} to {until}"
    if summary.is_empty:
        return f"Nothing was recorded {period}."
    return f"Care recorded {period}."


def _treatment_lines(summary: CareSummary) -> list[str]:
    lines = []
    for history in summary.treatments:
        category = history.kind.category
        if category in (TreatmentCategory.IMAGING, TreatmentCategory.INJECTION):
            continue  # listed one by one in their own sections
        lines.append(_history_line(history))
        lines += [_course_line(course) for course in history.courses]
    return lines


def _history_line(history: TreatmentHistory) -> str:
    label = history.kind.label
    dates = date_range_words(history.first_day, history.last_day)
    over = duration_words(history.first_day, history.last_day)
    if history.visits == 0:
        return f"{label}: no visits logged ({dates})"
    visits = _count(history.visits, "visit")
    line = f"{label}: {visits} ({dates})"
    if history.span_days > 0:
        line = f"{label}: {visits} over {over} ({dates})"
    periods = history.periods
    if history.kind.category is TreatmentCategory.THERAPY and len(periods) > 1:
        if len(periods) <= 3:
            listed = "; ".join(date_range_words(p.start, p.end) for p in periods)
            line += f", in {len(periods)} periods of care: {listed}"
        else:
            line += f", in {len(periods)} separate periods of care"
    return line


def _course_line(course: CourseSummary) -> str:
    label = f"{course.kind.label} course"
    if course.end_date is None:
        when = f"since {format_long_date(course.start_date)} (ongoing)"
    else:
        when = date_range_words(course.start_date, course.end_date)
    visits = _count(course.visits, "visit")
    if course.planned_visits is not None:
        visits = f"{course.visits} of {_count(course.planned_visits, 'planned visit')}"
    line = f"{label} {when}: {visits}"
    if course.discharge_outcome:
        line += f"; at discharge: {_one_line(course.discharge_outcome)}"
    return line


_SIDE_WORDS = {
    Side.LEFT: "left",
    Side.RIGHT: "right",
    Side.BOTH: "both sides",
    Side.CENTRAL: "central",
}


def _imaging_line(imaging: ImagingResult) -> str:
    where = f" at {imaging.facility}" if imaging.facility else ""
    result = _one_line(imaging.result) if imaging.result else "result not recorded"
    return f"{imaging.kind.label}, {format_long_date(imaging.day)}{where}: {result}"


def _injection_line(injection: InjectionResult) -> str:
    side = _SIDE_WORDS[injection.side] if injection.side else None
    where = " ".join(part for part in (injection.level, side) if part)
    label = f"{injection.kind.label}, {where}" if where else injection.kind.label
    percent, days = injection.relief_percent, injection.relief_days
    if percent is None:
        relief = "relief not recorded"
    elif percent == 0:
        relief = "no relief"
    elif days is None:
        relief = f"{percent}% relief (how long it lasted was not recorded)"
    else:
        relief = f"{percent}% relief for {day_count_words(days)}"
    return f"{label}, {format_long_date(injection.day)}: {relief}"


def _medication_line(trial: MedicationTrial) -> str:
    medication = trial.medication
    title = " ".join(
        part
        for part in (
            medication.name.strip(),
            medication.strength,
            medication.frequency,
            "as needed" if medication.as_needed else None,
        )
        if part
    )
    taken = _taken_words(medication)
    if trial.counted_from is None:
        how_long = f"for an unknown time ({taken})"
    else:
        how_long = duration_words(trial.counted_from, trial.counted_to)
        if trial.cut_by_range:
            how_long += f" in this period (taken {taken})"
        elif trial.ongoing:
            how_long += f" so far ({taken})"
        else:
            how_long += f" ({taken})"
    return f"{title}: {how_long}, {_outcome_words(trial)}"


def _taken_words(medication: MedicationData) -> str:
    start, stop = medication.start_date, medication.stop_date
    if start is None:
        return (
            f"start not recorded, stopped {format_long_date(stop)}"
            if stop
            else "start not recorded"
        )
    if stop is None:
        return f"since {format_long_date(start)}"
    return date_range_words(start, stop)


def _outcome_words(trial: MedicationTrial) -> str:
    medication = trial.medication
    outcome = medication.outcome
    if outcome is None:
        words = "still taking" if trial.ongoing else "outcome not recorded"
    else:
        words = outcome.label[0].lower() + outcome.label[1:]
    if medication.side_effects:
        effects = _one_line(medication.side_effects)
        if outcome in (MedicationOutcome.SIDE_EFFECTS, MedicationOutcome.ALLERGIC):
            words += f" ({effects})"
        else:
            words += f"; side effects: {effects}"
    if medication.reason_stopped and not trial.ongoing:
        words += f"; reason stopped: {_one_line(medication.reason_stopped)}"
    return words


def _score_lines(summary: CareSummary) -> list[str]:
    lines = []
    if summary.first_check_in is not None and summary.last_check_in is not None:
        dates = date_range_words(summary.first_check_in, summary.last_check_in)
        lines.append(f"Daily check-ins: {_count(summary.check_in_days, 'day')} ({dates})")
    for name, change, values in (
        ("Average pain", summary.pain_change, [(m.month, m.pain) for m in summary.months]),
        ("PEG score", summary.peg_change, [(m.month, m.peg) for m in summary.months]),
    ):
        if change is not None:
            lines.append(
                f"{name} went from {change.first:.1f} in {month_words(change.first_month)} "
                f"to {change.last:.1f} in {month_words(change.last_month)}"
            )
        else:
            known = [(month, value) for month, value in values if value is not None]
            if known:
                month, value = known[0]
                lines.append(f"{name} in {month_words(month)}: {value:.1f}")
    if summary.check_in_days and not summary.months:
        lines.append("No pain scores were recorded on the check-ins.")
    latest = summary.latest_odi
    if latest is not None:
        band = latest.band.label[0].lower() + latest.band.label[1:]
        lines.append(
            f"Latest Oswestry Disability Index (ODI): {latest.percent:g}% "
            f"on {format_long_date(latest.day)} ({band})"
        )
        if len(summary.odi) > 1:
            history = ", ".join(f"{r.percent:g}% ({format_long_date(r.day)})" for r in summary.odi)
            lines.append(f"ODI over time: {history}")
    return lines


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _one_line(text: str) -> str:
    """Free text as a clause inside a line: on one line, without its closing full stop."""
    return " ".join(text.split()).removesuffix(".")
