"""Visits used against a plan's yearly cap (chiropractic, acupuncture...): used, limit, left.

Plans count visits per plan year and per date of service, so two records of the same kind on one
day count as one visit. A plan without a plan-year start date is taken to run by calendar year,
the most common case; the plan's own documents always win, which is why the year is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from backlog_app.domain.dates import plan_year_containing
from backlog_app.domain.durations import date_range_words
from backlog_app.domain.log_records import TreatmentKind, VisitLimitData

_CALENDAR_YEAR_START = dt.date(2000, 1, 1)


@dataclass(frozen=True, slots=True)
class VisitUsage:
    """How many visits of ``kind`` the plan year from ``year_start`` to ``year_end`` has used."""

    kind: TreatmentKind
    year_start: dt.date
    year_end: dt.date
    used: int
    limit: int

    @property
    def left(self) -> int:
        return max(self.limit - self.used, 0)

    @property
    def over_limit(self) -> int:
        """Visits beyond the cap (the plan may refuse to pay for them)."""
        return max(self.used - self.limit, 0)


def visit_usage(
    plan_year_start: dt.date | None,
    limit: VisitLimitData,
    visit_days: Iterable[dt.date],
    day: dt.date,
) -> VisitUsage:
    """Visits used in the plan year that contains ``day``.

    Args:
        plan_year_start: any day on which one of the plan's years began (month and day are
            used); None for a calendar-year plan.
        limit: the plan's cap for one treatment kind.
        visit_days: the days of the treatments of that kind, in any order, any years.
        day: the day whose plan year counts (usually today).
    """
    year_start, year_end = plan_year_containing(plan_year_start or _CALENDAR_YEAR_START, day)
    used = len({visit for visit in visit_days if year_start <= visit <= year_end})
    return VisitUsage(limit.kind, year_start, year_end, used, limit.visits_per_year)


def visit_usage_words(usage: VisitUsage) -> str:
    """ "Chiropractic: 12 of 20 visits used in the plan year 1 Jan – 31 Dec 2026, 8 left"."""
    year = date_range_words(usage.year_start, usage.year_end)
    used = f"{usage.kind.label}: {usage.used} of {usage.limit} visits used in the plan year {year}"
    if usage.over_limit:
        return f"{used}, {usage.over_limit} over the limit"
    return f"{used}, {usage.left} left"
