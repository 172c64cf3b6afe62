"""The care sections of the packet: the conservative-care summary, the outcome scores (the
pain and PEG chart, monthly averages, ODI history), the medication trials and the treatments
and visits — what an insurer reads to see that conservative care was tried and failed.

All of them read the care summary of the request's date range (``services/summary.py``).
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Paragraph, Spacer  # type: ignore[import-untyped]

from backlog_app.domain.dates import format_long_date, format_month_year
from backlog_app.domain.durations import date_range_words, day_count_words, duration_words
from backlog_app.domain.log_records import TreatmentCategory, TreatmentData
from backlog_app.domain.summary import (
    CareSummary,
    MedicationTrial,
    TreatmentHistory,
    summary_lines,
    summary_sections,
)
from backlog_app.services.log import treatment_history
from backlog_app.services.packet.chart import Series, trend_chart
from backlog_app.services.packet.source import SectionSource, SectionStory
from backlog_app.services.packet.styles import STYLES, markup, one_line, para, subheading
from backlog_app.services.packet.tables import Column, by_year_tables, data_table

_LISTED_APART = (TreatmentCategory.INJECTION, TreatmentCategory.IMAGING)


def _bullets(lines: list[str] | tuple[str, ...]) -> list[Any]:
    return [Paragraph(markup(line), STYLES.bullet, bulletText="•") for line in lines]


def _score(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else "—"


# --- Conservative care summary ------------------------------------------------------------------


def draw_summary(source: SectionSource) -> SectionStory | str:
    summary = source.summary
    if summary.is_empty:
        return f"No care was recorded{source.within()}."
    story: list[Any] = []
    for section in summary_sections(summary):
        # Room for the heading and two lines: a list may run on to the next page.
        story += [*subheading(section.title, room=60), *_bullets(section.lines)]
    intro = summary_lines(summary)[0] + " Durations are rounded down and shown with their dates."
    return SectionStory(story, intro)


# --- Outcome scores -----------------------------------------------------------------------------

_PAIN_NOTE = (
    "Average pain is the day's average pain from the daily check-in (the pain at check-in when "
    "no average was given), 0 = no pain, 10 = worst imaginable. The PEG score is the mean of "
    "three items, each 0–10: average pain, and how much pain interfered with enjoyment of life "
    "and with general activity. Each point is a calendar month's average."
)
_ODI_NOTE = (
    "The Oswestry Disability Index: 0–100%, higher means more disability. Totals are the "
    "clinic's, or computed from the ten section scores."
)


def draw_scores(source: SectionSource) -> SectionStory | str:
    summary = source.summary
    if not summary.months and not summary.odi:
        return f"No pain scores or ODI results were recorded{source.within()}."
    story: list[Any] = []
    if summary.months:
        story += _trend(summary, source.width)
    if summary.odi:
        columns = [
            Column("Date", 0.2, wrap=False),
            Column("ODI", 0.12, wrap=False, align="RIGHT"),
            Column("Level of disability", 0.34),
            Column("Scored from", 0.34),
        ]
        rows = [
            (
                format_long_date(result.day),
                f"{result.percent:g}%",
                result.band.label,
                "The ten section scores" if result.from_sections else "The clinic's total",
            )
            for result in summary.odi
        ]
        story += [
            *subheading("Oswestry Disability Index (ODI)"),
            para(_ODI_NOTE, STYLES.note),
            Spacer(1, 4),
            data_table(columns, rows, source.width),
        ]
    return SectionStory(story, source.period_intro("scores"))


def _trend(summary: CareSummary, width: float) -> list[Any]:
    pain = Series("Average pain (0–10)", [(m.month, m.pain) for m in summary.months])
    peg = Series(
        "PEG score (0–10)",
        [(m.month, m.peg) for m in summary.months],
        dashed=True,
        square_markers=True,
    )
    series = [pain] + ([peg] if any(m.peg is not None for m in summary.months) else [])
    changes = []
    for name, change in (("Average pain", summary.pain_change), ("PEG score", summary.peg_change)):
        if change is not None:
            first = format_month_year(change.first_month, short=True)
            last = format_month_year(change.last_month, short=True)
            changes.append(
                f"{name} went from {change.first:.1f} in {first} to {change.last:.1f} in {last}."
            )
    columns = [
        Column("Month", 0.22, wrap=False),
        Column("Average pain", 0.2, wrap=False, align="CENTER"),
        Column("Days with pain", 0.18, wrap=False, align="CENTER"),
        Column("PEG score", 0.2, wrap=False, align="CENTER"),
        Column("Days with PEG", 0.2, wrap=False, align="CENTER"),
    ]
    return [
        *subheading("Pain and PEG, month by month"),
        para(_PAIN_NOTE, STYLES.note),
        Spacer(1, 6),
        trend_chart(series, width),
        Spacer(1, 6),
        *_bullets(changes),
        *subheading("Monthly averages"),
        *by_year_tables(
            columns,
            list(summary.months),
            lambda m: m.month.year,
            lambda m: (
                format_month_year(m.month, short=True),
                _score(m.pain),
                str(m.pain_days),
                _score(m.peg),
                str(m.peg_days),
            ),
            width,
        ),
    ]


# --- Medication trials --------------------------------------------------------------------------


def draw_medications(source: SectionSource) -> SectionStory | str:
    trials = source.summary.medications
    if not trials:
        return f"No medication trials were recorded{source.within()}."
    columns = [
        Column("Medication", 0.23),
        Column("Dose", 0.15),
        Column("Taken", 0.19),
        Column("Effect", 0.13),
        Column("Side effects", 0.15),
        Column("Reason stopped", 0.15),
    ]
    rows = [_trial_row(trial, source.provider_names) for trial in trials]
    intro = "Each row is one period of taking one medication, oldest first. " + (
        source.period_intro("medication trials")
    )
    return SectionStory([data_table(columns, rows, source.width)], intro)


def _trial_row(trial: MedicationTrial, names: dict[int, str]) -> tuple[Any, ...]:
    medication = trial.medication
    title = " ".join(part for part in (medication.name.strip(), medication.strength) if part)
    name = f"<b>{markup(title)}</b>"
    purpose = one_line(medication.purpose)
    if purpose:
        name += f"<br/>{markup(purpose[:1].upper() + purpose[1:])}"
    if medication.prescriber_id is not None and medication.prescriber_id in names:
        name += f"<br/>Prescribed by {markup(names[medication.prescriber_id])}"
    dose = ", ".join(
        part
        for part in (
            medication.dose,
            medication.frequency,
            medication.route.label.lower() if medication.route else None,
            "as needed" if medication.as_needed else None,
        )
        if part
    )
    start, stop = medication.start_date, medication.stop_date
    if start is None:
        taken = f"Start not recorded; stopped {format_long_date(stop)}" if stop else "Not recorded"
    elif stop is None:
        taken = (
            f"Since {format_long_date(start)}\n(ongoing, {duration_words(start, trial.counted_to)})"
        )
    else:
        taken = f"{date_range_words(start, stop)}\n({duration_words(start, stop)})"
    if medication.outcome is not None:
        effect = medication.outcome.label
    else:
        effect = "Still taking" if trial.ongoing else "Not recorded"
    reason = one_line(medication.reason_stopped) or ("Still taking" if trial.ongoing else "—")
    return (
        Paragraph(name, STYLES.cell),
        dose or "Not recorded",
        taken,
        effect,
        one_line(medication.side_effects) or "None recorded",
        reason,
    )


# --- Treatments and visits ----------------------------------------------------------------------


def draw_treatments(source: SectionSource) -> SectionStory | str:
    summary = source.summary
    histories = [h for h in summary.treatments if h.kind.category not in _LISTED_APART]
    visits = [
        treatment
        for treatment in treatment_history(source.profile.database)
        if source.in_range(treatment.day) and treatment.kind.category not in _LISTED_APART
    ]
    if not (histories or summary.injections or summary.imaging or visits):
        return f"No treatments, tests or visits were recorded{source.within()}."
    width = source.width
    story: list[Any] = []
    if histories:
        columns = [
            Column("Treatment", 0.22),
            Column("Visits", 0.09, wrap=False, align="RIGHT"),
            Column("When", 0.27),
            Column("Courses and periods of care", 0.42),
        ]
        rows = [_history_row(history) for history in histories]
        story += [*subheading("Therapy and visits in summary"), data_table(columns, rows, width)]
    if summary.injections:
        columns = [
            Column("Date", 0.16, wrap=False),
            Column("Injection", 0.3),
            Column("Level and side", 0.18),
            Column("Relief", 0.14, wrap=False, align="RIGHT"),
            Column("Relief lasted", 0.22),
        ]
        rows = [
            (
                format_long_date(i.day),
                i.kind.label,
                " ".join(p for p in (i.level, i.side.label.lower() if i.side else None) if p)
                or "Not recorded",
                f"{i.relief_percent}%" if i.relief_percent is not None else "Not recorded",
                day_count_words(i.relief_days) if i.relief_days is not None else "Not recorded",
            )
            for i in summary.injections
        ]
        story += [*subheading("Injections"), data_table(columns, rows, width)]
    if summary.imaging:
        columns = [
            Column("Date", 0.16, wrap=False),
            Column("Test", 0.2),
            Column("Facility", 0.22),
            Column("Result", 0.42),
        ]
        rows = [
            (
                format_long_date(m.day),
                m.kind.label,
                m.facility or "Not recorded",
                one_line(m.result) or "Not recorded",
            )
            for m in summary.imaging
        ]
        story += [*subheading("Imaging and tests"), data_table(columns, rows, width)]
    if visits:
        story += [*subheading("Every visit and session"), *_visit_tables(visits, source)]
    return SectionStory(story, source.period_intro("treatments, tests and visits"))


def _history_row(history: TreatmentHistory) -> tuple[str, ...]:
    when = date_range_words(history.first_day, history.last_day)
    if history.span_days > 0:
        when += f"\n(over {duration_words(history.first_day, history.last_day)})"
    details = []
    for course in history.courses:
        end = "ongoing" if course.end_date is None else format_long_date(course.end_date)
        visits = f"{course.visits} visit{'s' if course.visits != 1 else ''}"
        if course.planned_visits is not None:
            visits = f"{course.visits} of {course.planned_visits} planned visits"
        line = f"Course {format_long_date(course.start_date)} to {end}: {visits}"
        if course.discharge_outcome:
            line += f"; at discharge: {one_line(course.discharge_outcome)}"
        details.append(line)
    if len(history.periods) > 1:
        periods = "; ".join(date_range_words(p.start, p.end) for p in history.periods)
        details.append(f"{len(history.periods)} periods of care: {periods}")
    return (history.kind.label, str(history.visits), when, "\n".join(details) or "—")


def _visit_tables(visits: list[TreatmentData], source: SectionSource) -> list[Any]:
    names = source.provider_names
    columns = [
        Column("Date", 0.16, wrap=False),
        Column("Treatment or visit", 0.24),
        Column("Provider", 0.22),
        Column("Notes", 0.38),
    ]

    def row(treatment: TreatmentData) -> tuple[str, ...]:
        provider = names.get(treatment.provider_id, "") if treatment.provider_id else ""
        notes = "; ".join(one_line(t) for t in (treatment.result, treatment.notes) if t)
        return (format_long_date(treatment.day), treatment.kind.label, provider, notes)

    return by_year_tables(columns, visits, lambda t: t.day.year, row, source.width)
