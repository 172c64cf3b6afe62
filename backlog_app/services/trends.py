"""What the trend chart, the heat strip and Home's log card show, read in one short session each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from backlog_app.domain.log_records import MedicationOutcome, TreatmentKind
from backlog_app.domain.trends import DayScore, Period, PeriodKind, mean_or_none
from backlog_app.storage.models import CheckIn, Medication, TherapyCourse, Treatment

if TYPE_CHECKING:
    from backlog_app.services.context import ProfileSession


@dataclass(frozen=True, slots=True)
class TrendData:
    """Everything a chart over ``since``..``until`` draws.

    Args:
        since: first day shown.
        until: last day shown.
        today: the profile's today (ongoing periods end here).
        days: check-in days in the range, oldest first.
        medications: medication trials overlapping the range.
        courses: therapy courses overlapping the range.
    """

    since: dt.date
    until: dt.date
    today: dt.date
    days: list[DayScore]
    medications: list[Period]
    courses: list[Period]

    @property
    def is_empty(self) -> bool:
        return not self.days and not self.medications and not self.courses


def data_range(profile: ProfileSession) -> tuple[dt.date, dt.date] | None:
    """The first and last day with a check-in, medication, treatment or course."""
    firsts = (
        select(func.min(CheckIn.day)),
        select(func.min(Medication.start_date)),
        select(func.min(Treatment.day)),
        select(func.min(TherapyCourse.start_date)),
    )
    lasts = (
        select(func.max(CheckIn.day)),
        select(func.max(func.coalesce(Medication.stop_date, Medication.start_date))),
        select(func.max(Treatment.day)),
        select(func.max(func.coalesce(TherapyCourse.end_date, TherapyCourse.start_date))),
    )
    with profile.database.read() as session:
        starts = [d for d in (session.scalar(q) for q in firsts) if d is not None]
        ends = [d for d in (session.scalar(q) for q in lasts) if d is not None]
    if not starts:
        return None
    return min(starts), max([*ends, *starts])


def trend_data(
    profile: ProfileSession, since: dt.date | None = None, until: dt.date | None = None
) -> TrendData:
    """Pain, PEG, medication trials and therapy courses between ``since`` and ``until``.

    Open ends take the first recorded day and today.
    """
    today = profile.clock()
    if since is None:
        extent = data_range(profile)
        since = extent[0] if extent else today - dt.timedelta(days=90)
    until = until or today
    if until < since:
        since, until = until, since
    # Pain and PEG worked out by SQLite: ten years of rows then cost no Python per value. The PEG
    # is the mean of its three items, NULL unless all three were recorded (as in peg_score).
    peg = (CheckIn.pain_average + CheckIn.peg_enjoyment + CheckIn.peg_activity) / 3.0
    scores = select(CheckIn.day, func.coalesce(CheckIn.pain_average, CheckIn.pain_now), peg).where(
        CheckIn.day >= since, CheckIn.day <= until
    )
    medications = select(
        Medication.name,
        Medication.strength,
        Medication.start_date,
        Medication.stop_date,
        Medication.outcome,
    ).where(
        Medication.start_date.is_not(None),
        Medication.start_date <= until,
        (Medication.stop_date.is_(None)) | (Medication.stop_date >= since),
    )
    courses = select(
        TherapyCourse.kind,
        TherapyCourse.start_date,
        TherapyCourse.end_date,
        TherapyCourse.planned_visits,
    ).where(
        TherapyCourse.start_date <= until,
        (TherapyCourse.end_date.is_(None)) | (TherapyCourse.end_date >= since),
    )
    with profile.database.read() as session:
        days = [
            DayScore(day, None if pain is None else float(pain), peg)
            for day, pain, peg in session.execute(scores.order_by(CheckIn.day))
        ]
        medication_periods = [
            Period(
                PeriodKind.MEDICATION,
                f"{name} {strength}" if strength else name,
                start,
                stop,
                MedicationOutcome(outcome).label if outcome else "",
            )
            for name, strength, start, stop, outcome in session.execute(
                medications.order_by(Medication.start_date)
            )
            if start is not None  # the query asks for a start date; this tells the type checker
        ]
        course_periods = [
            Period(
                PeriodKind.COURSE,
                TreatmentKind(kind).label,
                start,
                end,
                f"{visits} visits planned" if visits else "",
            )
            for kind, start, end, visits in session.execute(
                courses.order_by(TherapyCourse.start_date)
            )
        ]
    return TrendData(since, until, today, days, medication_periods, course_periods)


@dataclass(frozen=True, slots=True)
class RecentPain:
    """Home's log card: the last check-in and the average pain of the last ``days`` days."""

    last_check_in: dt.date | None
    average: float | None
    recorded_days: int
    days: int


def recent_pain(profile: ProfileSession, days: int = 30) -> RecentPain:
    today = profile.clock()
    since = today - dt.timedelta(days=days - 1)
    with profile.database.read() as session:
        last = session.scalar(select(func.max(CheckIn.day)))
        rows = session.execute(
            select(CheckIn.pain_now, CheckIn.pain_average).where(
                CheckIn.day >= since, CheckIn.day <= today
            )
        ).all()
    values = [average if average is not None else now for now, average in rows]
    recorded = [float(v) for v in values if v is not None]
    return RecentPain(last, mean_or_none(recorded), len(recorded), days)
