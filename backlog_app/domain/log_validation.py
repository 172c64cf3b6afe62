"""Rules every treatment-log record must satisfy before it is written, in plain sentences."""

from __future__ import annotations

import datetime as dt

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.log_records import (
    ODI_SECTIONS,
    CheckInData,
    MedicationData,
    OdiScoreData,
    TherapyCourseData,
    TreatmentData,
    VisitLimitData,
)
from backlog_app.domain.scores import ODI_SECTION_MAX, PAIN_MAX, PAIN_MIN, odi_percent

_MAX_TEXT = 20_000


def _day_problems(
    label: str, day: dt.date | None, today: dt.date, birth: dt.date | None
) -> list[str]:
    if day is None:
        return []
    if day > today:
        return [f"{label} ({format_long_date(day)}) is in the future; please check the date."]
    if birth is not None and day < birth:
        return [f"{label} ({format_long_date(day)}) is before the patient was born."]
    if day.year < 1900:
        return [f"{label} ({day.isoformat()}) is before 1900; please check the year."]
    return []


def _range_problem(label: str, value: float | None, low: float, high: float) -> list[str]:
    if value is not None and not low <= value <= high:
        shown = int(value) if float(value).is_integer() else value
        return [f"{label} must be between {low:g} and {high:g} (it is {shown})."]
    return []


def _text_problem(label: str, text: str | None, limit: int = _MAX_TEXT) -> list[str]:
    if text is not None and len(text) > limit:
        return [f"{label} is longer than {limit:,} characters; please shorten it."]
    return []


def check_in_problems(check_in: CheckInData, today: dt.date, birth: dt.date | None) -> list[str]:
    """Why a check-in cannot be saved; empty when it can."""
    problems = _day_problems("The check-in date", check_in.day, today, birth)
    for label, value in (
        ("Pain now", check_in.pain_now),
        ("Average pain", check_in.pain_average),
        ("Worst pain", check_in.pain_worst),
        ("Interference with enjoyment of life", check_in.peg_enjoyment),
        ("Interference with general activity", check_in.peg_activity),
    ):
        problems += _range_problem(label, value, PAIN_MIN, PAIN_MAX)
    problems += _range_problem("Hours of sleep", check_in.sleep_hours, 0, 24)
    for label, minutes in (
        ("Minutes of walking", check_in.walk_minutes),
        ("Minutes of sitting", check_in.sit_minutes),
        ("Minutes of standing", check_in.stand_minutes),
    ):
        problems += _range_problem(label, minutes, 0, 24 * 60)
    seen: set[int] = set()
    for dose in check_in.doses:
        if dose.medication_id in seen:
            problems.append("The same medication is listed twice for this day.")
        seen.add(dose.medication_id)
        problems += _range_problem("Number of doses", dose.doses, 1, 50)
        problems += _range_problem("Relief from a medication (%)", dose.relief_percent, 0, 100)
    problems += _text_problem("Notes", check_in.notes)
    return problems


def medication_problems(
    medication: MedicationData, today: dt.date, birth: dt.date | None
) -> list[str]:
    problems: list[str] = []
    if not medication.name.strip():
        problems.append("Please enter the medication's name.")
    problems += _text_problem("Name", medication.name, 200)
    if medication.start_date is None:
        problems.append("Please enter when you started taking it (an estimate is fine).")
    problems += _day_problems("The start date", medication.start_date, today, birth)
    problems += _day_problems("The stop date", medication.stop_date, today, birth)
    if (
        medication.start_date
        and medication.stop_date
        and medication.stop_date < medication.start_date
    ):
        problems.append("The stop date is before the start date; please check both.")
    for label, text in (
        ("Strength", medication.strength),
        ("Dose", medication.dose),
        ("How often", medication.frequency),
        ("Purpose", medication.purpose),
    ):
        problems += _text_problem(label, text, 200)
    for label, text in (
        ("Side effects", medication.side_effects),
        ("Reason stopped", medication.reason_stopped),
        ("Notes", medication.notes),
    ):
        problems += _text_problem(label, text)
    return problems


def treatment_problems(
    treatment: TreatmentData, today: dt.date, birth: dt.date | None
) -> list[str]:
    problems = _day_problems("The date", treatment.day, today, birth)
    problems += _range_problem("Relief (%)", treatment.relief_percent, 0, 100)
    problems += _range_problem("Days the relief lasted", treatment.relief_days, 0, 3650)
    problems += _text_problem("Level", treatment.level, 100)
    problems += _text_problem("Facility", treatment.facility, 200)
    problems += _text_problem("Result", treatment.result)
    problems += _text_problem("Notes", treatment.notes)
    return problems


def course_problems(course: TherapyCourseData, today: dt.date, birth: dt.date | None) -> list[str]:
    problems = _day_problems("The start date", course.start_date, today, birth)
    problems += _day_problems("The end date", course.end_date, today, birth)
    if course.end_date and course.end_date < course.start_date:
        problems.append("The course ends before it starts; please check both dates.")
    problems += _range_problem("Planned visits", course.planned_visits, 1, 500)
    problems += _text_problem("Discharge outcome", course.discharge_outcome)
    problems += _text_problem("Notes", course.notes)
    return problems


def odi_problems(odi: OdiScoreData, today: dt.date, birth: dt.date | None) -> list[str]:
    problems = _day_problems("The date", odi.day, today, birth)
    if len(odi.sections) != ODI_SECTIONS:
        problems.append(f"The ODI has {ODI_SECTIONS} sections; {len(odi.sections)} were given.")
    for number, score in enumerate(odi.sections, start=1):
        problems += _range_problem(f"ODI section {number}", score, 0, ODI_SECTION_MAX)
    problems += _range_problem("ODI total (%)", odi.total_percent, 0, 100)
    computed = odi_percent(odi.sections)
    if computed is None and odi.total_percent is None:
        problems.append("Enter the ODI total your clinic measured, or the ten section scores.")
    if (
        computed is not None
        and odi.total_percent is not None
        and abs(computed - odi.total_percent) > 0.05
    ):
        problems.append(
            f"The section scores give {computed:g}%, but the total says {odi.total_percent:g}%."
        )
    problems += _text_problem("Notes", odi.notes)
    return problems


def visit_limit_problems(limit: VisitLimitData) -> list[str]:
    return _range_problem("Visits per year", limit.visits_per_year, 0, 366)
