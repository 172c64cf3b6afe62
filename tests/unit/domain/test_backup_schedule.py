"""Which automatic backups are kept, and when one is due: tables of cases."""

from __future__ import annotations

import datetime as dt

import pytest

from backlog_app.domain.backup_schedule import auto_backup_due, backups_to_keep

NOW = dt.datetime(2026, 11, 27, 18, 0)  # a Friday, ISO week 48


def at(day: str, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour))


def days_back(count: int, hour: int = 12) -> list[dt.datetime]:
    return [
        dt.datetime.combine(NOW.date() - dt.timedelta(days=n), dt.time(hour)) for n in range(count)
    ]


@pytest.mark.parametrize(
    ("created", "keep_daily", "keep_weekly", "kept"),
    [
        pytest.param([], 7, 4, set(), id="nothing to keep"),
        pytest.param([at("2026-11-27")], 7, 4, {at("2026-11-27")}, id="one backup"),
        pytest.param(
            [at("2026-11-27", 9), at("2026-11-27", 17)],
            7,
            4,
            {at("2026-11-27", 17)},
            id="two the same day: the newest",
        ),
        pytest.param(days_back(3), 7, 4, set(days_back(3)), id="fewer days than kept: all"),
        pytest.param(
            [at("2026-11-27"), at("2026-09-01"), at("2026-01-05")],
            7,
            4,
            {at("2026-11-27"), at("2026-09-01"), at("2026-01-05")},
            id="days without backups do not count",
        ),
        pytest.param(
            days_back(8), 7, 0, set(days_back(7)), id="eighth day dropped without weeklies"
        ),
        pytest.param(
            [at("2026-11-27"), at("2026-11-26"), at("2026-11-20")],
            1,
            0,
            {at("2026-11-27")},
            id="one daily",
        ),
        pytest.param(
            [at("2026-11-27", 1), at("2026-11-26")],
            0,
            0,
            {at("2026-11-27", 1)},
            id="the newest is always kept",
        ),
        pytest.param(
            # Dailies cover Nov 21-27 (weeks 47, 48). Week 46 (Nov 9-15): its newest, Nov 15;
            # week 45: Nov 8; weeks 44 and 43 too; week 42 is the fifth week: dropped.
            [
                *days_back(7),
                *[at("2026-11-15"), at("2026-11-10"), at("2026-11-08"), at("2026-11-01")],
                *[at("2026-10-25"), at("2026-10-18")],
            ],
            7,
            4,
            set(days_back(7))
            | {at("2026-11-15"), at("2026-11-08"), at("2026-11-01"), at("2026-10-25")},
            id="four weeklies beyond the dailies",
        ),
        pytest.param(
            # Nov 16-20 is week 47, which holds daily Nov 21-22: no weekly from it.
            [*days_back(7), at("2026-11-17"), at("2026-11-12")],
            7,
            4,
            set(days_back(7)) | {at("2026-11-12")},
            id="a week holding dailies gives no weekly",
        ),
        pytest.param(
            [at("2027-03-01"), at("2026-11-27"), at("2026-11-26")],
            1,
            0,
            {at("2027-03-01"), at("2026-11-27")},
            id="dated after now (clock wrong): kept",
        ),
        pytest.param(
            [at("2025-12-29"), at("2025-12-22"), at("2026-01-04")],
            1,
            1,
            {at("2026-01-04"), at("2025-12-22")},
            id="ISO week across New Year (Dec 29 2025 is in 2026-W01)",
        ),
    ],
)
def test_backups_to_keep(
    created: list[dt.datetime], keep_daily: int, keep_weekly: int, kept: set[dt.datetime]
) -> None:
    assert backups_to_keep(created, NOW, keep_daily, keep_weekly) == kept


@pytest.mark.parametrize(
    ("last", "due"),
    [
        (None, True),
        (at("2026-11-27", 8), False),  # earlier today
        (at("2026-11-27", 23), False),  # later today (a clock nudged back an hour)
        (at("2026-11-26", 23), True),  # yesterday evening
        (at("2025-11-27", 18), True),  # a year ago
        (at("2027-01-01"), True),  # the future: a wrong clock must not stop backups for good
    ],
)
def test_auto_backup_due(last: dt.datetime | None, due: bool) -> None:
    assert auto_backup_due(last, NOW) is due
