"""Date rules: ages, plan years, plausible ranges and ISO text."""

from __future__ import annotations

import datetime as dt

import pytest

from backlog_app.domain.dates import (
    age_on,
    format_long_date,
    latest_plan_date,
    parse_iso_date,
    plan_year_containing,
)

D = dt.date


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (D(1974, 7, 27), D(2026, 11, 27), 52),
        (D(1974, 11, 27), D(2026, 11, 27), 52),  # birthday today
        (D(1974, 11, 28), D(2026, 11, 27), 51),  # birthday tomorrow
        (D(1974, 12, 31), D(2026, 1, 1), 51),
        (D(2026, 11, 27), D(2026, 11, 27), 0),
        (D(2000, 2, 29), D(2027, 2, 28), 26),  # leap-day birthday, common year: not yet
        (D(2000, 2, 29), D(2027, 3, 1), 27),
        (D(2000, 2, 29), D(2028, 2, 29), 28),
        (D(1900, 1, 1), D(2026, 11, 27), 126),
    ],
)
def test_age_on(birth: dt.date, day: dt.date, age: int) -> None:
    assert age_on(birth, day) == age


@pytest.mark.parametrize(
    ("plan_year_start", "day", "first", "last"),
    [
        # Calendar-year plans.
        (D(2020, 1, 1), D(2026, 11, 27), D(2026, 1, 1), D(2026, 12, 31)),
        (D(2020, 1, 1), D(2026, 1, 1), D(2026, 1, 1), D(2026, 12, 31)),
        (D(2020, 1, 1), D(2026, 12, 31), D(2026, 1, 1), D(2026, 12, 31)),
        # A plan year starting 1 July.
        (D(2023, 7, 1), D(2026, 6, 30), D(2025, 7, 1), D(2026, 6, 30)),
        (D(2023, 7, 1), D(2026, 7, 1), D(2026, 7, 1), D(2027, 6, 30)),
        (D(2023, 7, 1), D(2026, 11, 27), D(2026, 7, 1), D(2027, 6, 30)),
        (D(2023, 7, 1), D(2027, 2, 1), D(2026, 7, 1), D(2027, 6, 30)),
        # A start date in the future still only gives month and day.
        (D(2030, 7, 1), D(2026, 11, 27), D(2026, 7, 1), D(2027, 6, 30)),
        # A plan year starting 29 Feb starts on 28 Feb in common years.
        (D(2024, 2, 29), D(2024, 2, 29), D(2024, 2, 29), D(2025, 2, 27)),
        (D(2024, 2, 29), D(2025, 2, 27), D(2024, 2, 29), D(2025, 2, 27)),
        (D(2024, 2, 29), D(2025, 2, 28), D(2025, 2, 28), D(2026, 2, 27)),
        (D(2024, 2, 29), D(2025, 3, 1), D(2025, 2, 28), D(2026, 2, 27)),
        (D(2024, 2, 29), D(2028, 2, 28), D(2027, 2, 28), D(2028, 2, 28)),
        (D(2024, 2, 29), D(2028, 2, 29), D(2028, 2, 29), D(2029, 2, 27)),
    ],
)
def test_plan_year_containing(
    plan_year_start: dt.date, day: dt.date, first: dt.date, last: dt.date
) -> None:
    assert plan_year_containing(plan_year_start, day) == (first, last)


@pytest.mark.parametrize(
    "day", [D(2026, 1, 1), D(2026, 6, 30), D(2028, 2, 29), D(2027, 12, 31), D(2026, 7, 1)]
)
@pytest.mark.parametrize("start", [D(2020, 1, 1), D(2023, 7, 1), D(2024, 2, 29), D(2019, 10, 15)])
def test_plan_year_contains_the_day_and_lasts_a_year(start: dt.date, day: dt.date) -> None:
    first, last = plan_year_containing(start, day)
    assert first <= day <= last
    assert 365 <= (last - first).days + 1 <= 366


@pytest.mark.parametrize(
    ("today", "latest"),
    [
        (D(2026, 11, 27), D(2029, 11, 27)),
        (D(2028, 2, 29), D(2031, 2, 28)),  # used to raise ValueError on leap days
        (D(2025, 2, 28), D(2028, 2, 28)),
    ],
)
def test_latest_plan_date(today: dt.date, latest: dt.date) -> None:
    assert latest_plan_date(today) == latest


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-03-14", D(2026, 3, 14)),
        (" 2026-03-14 ", D(2026, 3, 14)),
        ("2024-02-29", D(2024, 2, 29)),
        ("1900-01-01", D(1900, 1, 1)),
    ],
)
def test_parse_iso_date(text: str, day: dt.date) -> None:
    assert parse_iso_date(text) == day


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2026-02-30",
        "2025-02-29",
        "2026-13-01",
        "2026-00-10",
        "14/03/2026",
        "03/14/2026",
        "2026-3-14",
        "2026-03",
        "2026",
        "20260314",  # date.fromisoformat() accepts these two since Python 3.11
        "2026-W11-6",
        "2026-03-14T10:00",
        "tomorrow",
        "２０２６-０３-１４",  # full-width digits
    ],
)
def test_parse_iso_date_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="is not a date written as YYYY-MM-DD") as info:
        parse_iso_date(text)
    assert f"“{text}”" in str(info.value)


@pytest.mark.parametrize(
    ("day", "text"),
    [(D(2026, 3, 14), "14 Mar 2026"), (D(2027, 1, 1), "1 Jan 2027"), (None, "")],
)
def test_format_long_date(day: dt.date | None, text: str) -> None:
    assert format_long_date(day) == text


def test_format_long_date_empty_placeholder() -> None:
    assert format_long_date(None, empty="—") == "—"
