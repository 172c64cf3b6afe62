"""Visits used against a plan's yearly cap: per plan year, one visit per day of service."""

from __future__ import annotations

import datetime as dt

import pytest

from backlog_app.domain.log_records import TreatmentKind, VisitLimitData
from backlog_app.domain.visit_usage import VisitUsage, visit_usage, visit_usage_words

D = dt.date
CHIRO_20 = VisitLimitData(plan_id=1, kind=TreatmentKind.CHIROPRACTIC, visits_per_year=20)


def weekly(first: dt.date, count: int) -> list[dt.date]:
    return [first + dt.timedelta(weeks=n) for n in range(count)]


@pytest.mark.parametrize(
    ("plan_year_start", "visits", "day", "year", "used", "left", "over"),
    [
        # A calendar-year plan: last year's visits do not count.
        (D(2024, 1, 1), weekly(D(2025, 11, 3), 20), D(2026, 11, 27), (D(2026, 1, 1), D(2026, 12, 31)), 11, 9, 0),
        # No plan-year start recorded: taken as the calendar year.
        (None, weekly(D(2025, 11, 3), 20), D(2026, 11, 27), (D(2026, 1, 1), D(2026, 12, 31)), 11, 9, 0),
        # The same visits, asked about last year's plan year.
        (None, weekly(D(2025, 11, 3), 20), D(2025, 12, 31), (D(2025, 1, 1), D(2025, 12, 31)), 9, 11, 0),
        # A plan year from 1 July: the year containing 27 Nov 2026 began 1 Jul 2026.
        (D(2023, 7, 1), weekly(D(2026, 6, 1), 10), D(2026, 11, 27), (D(2026, 7, 1), D(2027, 6, 30)), 5, 15, 0),
        # Two records on one day are one visit (plans count dates of service).
        (None, [D(2026, 3, 2), D(2026, 3, 2), D(2026, 3, 9)], D(2026, 3, 9), (D(2026, 1, 1), D(2026, 12, 31)), 2, 18, 0),
        # The whole plan year counts, also visits after the day asked about.
        (None, [D(2026, 3, 2), D(2026, 12, 31)], D(2026, 6, 1), (D(2026, 1, 1), D(2026, 12, 31)), 2, 18, 0),
        # Over the cap: nothing left, and how far over.
        (None, weekly(D(2026, 1, 5), 23), D(2026, 11, 27), (D(2026, 1, 1), D(2026, 12, 31)), 23, 0, 3),
        # No visits at all.
        (None, [], D(2026, 11, 27), (D(2026, 1, 1), D(2026, 12, 31)), 0, 20, 0),
        # Plan-year boundaries are inclusive.
        (D(2020, 7, 1), [D(2026, 6, 30), D(2026, 7, 1), D(2027, 6, 30), D(2027, 7, 1)], D(2026, 7, 1), (D(2026, 7, 1), D(2027, 6, 30)), 2, 18, 0),
    ],
)  # fmt: skip
def test_visit_usage(
    plan_year_start: dt.date | None,
    visits: list[dt.date],
    day: dt.date,
    year: tuple[dt.date, dt.date],
    used: int,
    left: int,
    over: int,
) -> None:
    usage = visit_usage(plan_year_start, CHIRO_20, visits, day)
    assert (usage.year_start, usage.year_end) == year
    assert (usage.used, usage.limit, usage.left, usage.over_limit) == (used, 20, left, over)
    assert usage.kind is TreatmentKind.CHIROPRACTIC


@pytest.mark.parametrize(
    ("usage", "words"),
    [
        (
            VisitUsage(TreatmentKind.CHIROPRACTIC, D(2026, 1, 1), D(2026, 12, 31), 12, 20),
            "Chiropractic: 12 of 20 visits used in the plan year 1 Jan – 31 Dec 2026, 8 left",
        ),
        (
            VisitUsage(TreatmentKind.ACUPUNCTURE, D(2026, 7, 1), D(2027, 6, 30), 22, 20),
            "Acupuncture: 22 of 20 visits used in the plan year 1 Jul 2026 – 30 Jun 2027, "
            "2 over the limit",
        ),
        (
            VisitUsage(TreatmentKind.CHIROPRACTIC, D(2026, 1, 1), D(2026, 12, 31), 20, 20),
            "Chiropractic: 20 of 20 visits used in the plan year 1 Jan – 31 Dec 2026, 0 left",
        ),
    ],
)
def test_visit_usage_words(usage: VisitUsage, words: str) -> None:
    assert visit_usage_words(usage) == words
