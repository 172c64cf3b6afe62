"""Pain and PEG over time, ready to draw: daily values, period averages, and labelled periods.

Plain functions over plain data, so the chart and the heat strip only draw what these compute.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class DayScore:
    """One check-in day: pain 0-10 (average, else "now") and the PEG score; None = not recorded.

    The PEG score is the mean of its three items (``scores.peg_score``), None unless all three
    were recorded.
    """

    day: dt.date
    pain: float | None
    peg: float | None


class PeriodKind(StrEnum):
    MEDICATION = "medication"
    COURSE = "course"


@dataclass(frozen=True, slots=True)
class Period:
    """A medication trial or a therapy course drawn as a band. ``end`` None means ongoing."""

    kind: PeriodKind
    label: str
    start: dt.date
    end: dt.date | None
    detail: str = ""

    def end_or(self, today: dt.date) -> dt.date:
        return self.end if self.end is not None else today

    def overlaps(self, since: dt.date, until: dt.date) -> bool:
        return self.start <= until and (self.end is None or self.end >= since)


class Granularity(StrEnum):
    """How finely a series is averaged."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"

    @property
    def label(self) -> str:
        return {"day": "Daily", "week": "Weekly average", "month": "Monthly average"}[self.value]


# A range up to about three months shows each day; up to two years, weekly averages carry the
# line; beyond that, monthly averages do (ten years of daily dots would be noise).
DAILY_UP_TO_DAYS = 100
WEEKLY_UP_TO_DAYS = 2 * 366


def granularity_for(since: dt.date, until: dt.date) -> Granularity:
    """The averaging that keeps a chart over ``since``..``until`` readable."""
    span = (until - since).days + 1
    if span <= DAILY_UP_TO_DAYS:
        return Granularity.DAY
    if span <= WEEKLY_UP_TO_DAYS:
        return Granularity.WEEK
    return Granularity.MONTH


def finer(granularity: Granularity) -> Granularity:
    """The step below ``granularity`` (the faint dots under the average line)."""
    return Granularity.DAY if granularity is not Granularity.MONTH else Granularity.WEEK


def bucket_start(day: dt.date, granularity: Granularity) -> dt.date:
    """The first day of the day, week (Monday) or month that holds ``day``."""
    if granularity is Granularity.WEEK:
        return day - dt.timedelta(days=day.weekday())
    if granularity is Granularity.MONTH:
        return day.replace(day=1)
    return day


def bucket_end(start: dt.date, granularity: Granularity) -> dt.date:
    """The last day of the bucket that begins on ``start``."""
    if granularity is Granularity.WEEK:
        return start + dt.timedelta(days=6)
    if granularity is Granularity.MONTH:
        return add_months(start, 1) - dt.timedelta(days=1)
    return start


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, slots=True)
class Average:
    """The mean of the recorded values in one bucket, and how many there were."""

    start: dt.date
    end: dt.date
    mean: float
    count: int

    @property
    def middle(self) -> dt.date:
        return self.start + (self.end - self.start) // 2


def averages(
    values: Iterable[tuple[dt.date, float | None]], granularity: Granularity
) -> list[Average]:
    """Mean per day, week or month, oldest first; buckets without a recorded value are left out.

    Args:
        values: (day, value) pairs in any order; None values are not recorded and do not count.
        granularity: the bucket size.
    """
    sums: dict[dt.date, tuple[float, int]] = {}
    for day, value in values:
        if value is None:
            continue
        start = bucket_start(day, granularity)
        total, count = sums.get(start, (0.0, 0))
        sums[start] = (total + value, count + 1)
    return [
        Average(start, bucket_end(start, granularity), total / count, count)
        for start, (total, count) in sorted(sums.items())
    ]


def mean_or_none(values: Iterable[float | None]) -> float | None:
    recorded = [value for value in values if value is not None]
    return sum(recorded) / len(recorded) if recorded else None


def pack_lanes(periods: Sequence[Period], today: dt.date, max_lanes: int) -> list[list[Period]]:
    """Place periods in as few rows as possible so that none overlaps another in its row.

    Periods that do not fit in ``max_lanes`` rows go into the last row (drawn over each other),
    so nothing is silently dropped.
    """
    lanes: list[list[Period]] = []
    ends: list[dt.date] = []
    for period in sorted(periods, key=lambda p: (p.start, p.end_or(today))):
        for index, end in enumerate(ends):
            if period.start > end:
                lanes[index].append(period)
                ends[index] = period.end_or(today)
                break
        else:
            if len(lanes) < max_lanes:
                lanes.append([period])
                ends.append(period.end_or(today))
            else:
                lanes[-1].append(period)
                ends[-1] = max(ends[-1], period.end_or(today))
    return lanes


def month_ticks(since: dt.date, until: dt.date, max_ticks: int) -> list[dt.date]:
    """First days of months between ``since`` and ``until``, thinned to at most ``max_ticks``.

    Steps are 1, 2, 3, 6 or 12 months, then whole years, aligned to January so labels read well.
    """
    ticks: list[dt.date] = []
    for step in (1, 2, 3, 6, 12, 24, 60, 120):
        ticks = []
        current = since.replace(day=1)
        if current < since:
            current = add_months(current, 1)
        while current <= until:
            if (current.year * 12 + current.month - 1) % step == 0:
                ticks.append(current)
            current = add_months(current, step if ticks else 1)
        if len(ticks) <= max(max_ticks, 1):
            break
    return ticks
