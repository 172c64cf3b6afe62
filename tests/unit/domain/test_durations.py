"""Durations and date ranges in words: elapsed time, rounded down, short spans in calendar days."""

from __future__ import annotations

import datetime as dt

import pytest

from backlog_app.domain.durations import (
    date_range_words,
    day_count_words,
    duration_words,
    month_words,
    whole_months_between,
)

D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (D(2026, 3, 2), D(2026, 3, 2), "1 day"),  # taken on one day
        (D(2026, 3, 2), D(2026, 3, 4), "3 days"),  # Monday to Wednesday
        (D(2026, 3, 1), D(2026, 3, 14), "14 days"),  # 13 days elapsed
        (D(2026, 3, 1), D(2026, 3, 15), "2 weeks"),
        (D(2026, 3, 1), D(2026, 4, 11), "5 weeks"),  # 41 days: not yet 6 weeks
        (D(2026, 1, 1), D(2026, 2, 12), "6 weeks"),  # 42 days
        (D(2026, 2, 3), D(2026, 3, 31), "8 weeks"),  # the example: 56 days
        (D(2026, 1, 1), D(2026, 7, 1), "25 weeks"),  # 181 days
        (D(2026, 1, 1), D(2026, 7, 2), "6 months"),  # 182 days
        (D(2025, 11, 12), D(2026, 11, 27), "12 months"),
        (D(2024, 1, 31), D(2026, 1, 30), "23 months"),
    ],
)
def test_duration_words(start: dt.date, end: dt.date, words: str) -> None:
    assert duration_words(start, end) == words


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2026, 1, 15), D(2026, 3, 14), 1),
        (D(2026, 1, 15), D(2026, 3, 15), 2),
        (D(2026, 1, 31), D(2026, 2, 28), 0),
        (D(2025, 12, 1), D(2026, 1, 1), 1),
        (D(2026, 5, 5), D(2026, 5, 5), 0),
    ],
)
def test_whole_months_between(start: dt.date, end: dt.date, months: int) -> None:
    assert whole_months_between(start, end) == months


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (0, "less than a day"),
        (1, "1 day"),
        (10, "10 days"),
        (13, "13 days"),
        (14, "2 weeks"),
        (21, "3 weeks"),
        (27, "3 weeks"),
        (182, "5 months"),
        (365, "12 months"),
    ],
)
def test_day_count_words(days: int, words: str) -> None:
    assert day_count_words(days) == words


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (D(2026, 2, 3), D(2026, 3, 31), "3 Feb – 31 Mar 2026"),
        (D(2025, 12, 3), D(2026, 1, 31), "3 Dec 2025 – 31 Jan 2026"),
        (D(2026, 2, 3), D(2026, 2, 3), "3 Feb 2026"),
    ],
)
def test_date_range_words(start: dt.date, end: dt.date, words: str) -> None:
    assert date_range_words(start, end) == words


def test_month_words() -> None:
    assert month_words(D(2026, 1, 17)) == "Jan 2026"
