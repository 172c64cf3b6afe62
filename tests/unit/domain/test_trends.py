"""Trend rules: averaging per day, week or month, packing periods into rows, month ticks."""

from __future__ import annotations

import datetime as dt

import pytest

from backlog_app.domain.trends import (
    Granularity,
    Period,
    PeriodKind,
    add_months,
    averages,
    bucket_end,
    bucket_start,
    finer,
    granularity_for,
    mean_or_none,
    month_ticks,
    pack_lanes,
)

D = dt.date


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (1, Granularity.DAY),
        (100, Granularity.DAY),
        (101, Granularity.WEEK),
        (732, Granularity.WEEK),
        (733, Granularity.MONTH),
        (3650, Granularity.MONTH),
    ],
)
def test_granularity_follows_the_span(days: int, expected: Granularity) -> None:
    start = D(2020, 1, 1)
    assert granularity_for(start, start + dt.timedelta(days=days - 1)) is expected


def test_buckets() -> None:
    wednesday = D(2026, 3, 4)
    assert bucket_start(wednesday, Granularity.DAY) == wednesday
    assert bucket_start(wednesday, Granularity.WEEK) == D(2026, 3, 2)  # Monday
    assert bucket_end(D(2026, 3, 2), Granularity.WEEK) == D(2026, 3, 8)
    assert bucket_start(wednesday, Granularity.MONTH) == D(2026, 3, 1)
    assert bucket_end(D(2026, 2, 1), Granularity.MONTH) == D(2026, 2, 28)
    assert bucket_end(D(2024, 2, 1), Granularity.MONTH) == D(2024, 2, 29)
    assert add_months(D(2026, 11, 15), 2) == D(2027, 1, 1)
    assert add_months(D(2026, 1, 31), -1) == D(2025, 12, 1)
    assert finer(Granularity.MONTH) is Granularity.WEEK
    assert finer(Granularity.WEEK) is Granularity.DAY


def test_averages_skip_missing_values_and_empty_buckets() -> None:
    values = [
        (D(2026, 1, 5), 4.0),
        (D(2026, 1, 6), None),  # not recorded: does not count as 0
        (D(2026, 1, 7), 6.0),
        (D(2026, 1, 20), 2.0),
    ]
    weekly = averages(values, Granularity.WEEK)
    assert [(a.start, a.mean, a.count) for a in weekly] == [
        (D(2026, 1, 5), 5.0, 2),
        (D(2026, 1, 19), 2.0, 1),  # the week of the 12th had nothing: left out
    ]
    assert weekly[0].middle == D(2026, 1, 8)
    monthly = averages(reversed(values), Granularity.MONTH)
    assert [(a.start, a.mean) for a in monthly] == [(D(2026, 1, 1), 4.0)]
    assert averages([], Granularity.DAY) == []
    assert mean_or_none([None, None]) is None
    assert mean_or_none([1.0, None, 3.0]) == 2.0


def _period(label: str, start: dt.date, end: dt.date | None) -> Period:
    return Period(PeriodKind.MEDICATION, label, start, end)


def test_pack_lanes_keeps_overlapping_periods_apart() -> None:
    today = D(2026, 11, 27)
    a = _period("a", D(2026, 1, 1), D(2026, 3, 1))
    b = _period("b", D(2026, 2, 1), D(2026, 4, 1))  # overlaps a
    c = _period("c", D(2026, 3, 2), None)  # after a ends; ongoing
    d = _period("d", D(2026, 3, 15), D(2026, 3, 20))  # overlaps b and c
    assert pack_lanes([d, c, b, a], today, 5) == [[a, c], [b], [d]]
    squeezed = pack_lanes([a, b, c, d], today, 2)
    assert squeezed == [[a, c], [b, d]]  # d piles into the last row, nothing is dropped
    assert c.overlaps(D(2026, 11, 1), D(2026, 11, 30))
    assert not a.overlaps(D(2026, 4, 1), D(2026, 5, 1))


def test_month_ticks_thin_out_on_long_ranges() -> None:
    assert month_ticks(D(2026, 1, 15), D(2026, 4, 30), 12) == [
        D(2026, 2, 1),
        D(2026, 3, 1),
        D(2026, 4, 1),
    ]
    quarterly = month_ticks(D(2025, 1, 1), D(2026, 12, 31), 8)
    assert all(tick.month in (1, 4, 7, 10) for tick in quarterly) and len(quarterly) == 8
    yearly = month_ticks(D(2016, 11, 28), D(2026, 11, 27), 10)
    assert yearly == [D(year, 1, 1) for year in range(2017, 2027)]
