"""Durations and date ranges in plain words: "6 weeks", "3 Feb – 31 Mar 2026".

A duration between two dates is the time elapsed from the first to the second (3 Feb to 31 Mar
2026 is 56 days: 8 weeks). Words round down, so a summary never claims more care than its dates
show; the dates themselves are always shown beside them.
"""

from __future__ import annotations

import datetime as dt

from backlog_app.domain.dates import format_long_date, format_month_year, month_name

# Below two weeks, people count days ("10 days"); from half a year on, months ("8 months").
_DAYS_UNTIL = 14
_WEEKS_UNTIL = 26 * 7


def elapsed_days(start: dt.date, end: dt.date) -> int:
    """Days from ``start`` to ``end`` (0 for the same day)."""
    return (end - start).days


def whole_months_between(start: dt.date, end: dt.date) -> int:
    """Calendar months from ``start`` to ``end``, rounded down (15 Jan to 14 Mar is 1)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def duration_words(start: dt.date, end: dt.date) -> str:
    """How long from ``start`` to ``end``: "4 days", "6 weeks", "8 months".

    Short spans count the calendar days on which something happened, both ends included (Monday
    to Wednesday is "3 days"), because that is how people count a few days of taking a pill.
    Longer spans are whole weeks, then whole months, elapsed and rounded down.
    """
    days = elapsed_days(start, end)
    if days < _DAYS_UNTIL:
        return _plural(days + 1, "day")
    if days < _WEEKS_UNTIL:
        return _plural(days // 7, "week")
    return _plural(whole_months_between(start, end), "month")


def day_count_words(days: int) -> str:
    """A number of days in words: "less than a day", "10 days", "3 weeks", "7 months"."""
    if days <= 0:
        return "less than a day"
    if days < _DAYS_UNTIL:
        return _plural(days, "day")
    if days < _WEEKS_UNTIL:
        return _plural(days // 7, "week")
    return _plural(days * 12 // 365, "month")


def date_range_words(start: dt.date, end: dt.date) -> str:
    """ "3 Feb – 31 Mar 2026", "3 Dec 2025 – 31 Jan 2026", or one date when they are equal."""
    if start == end:
        return format_long_date(start)
    if start.year == end.year:
        return f"{start.day} {month_name(start, short=True)} – {format_long_date(end)}"
    return f"{format_long_date(start)} – {format_long_date(end)}"


def month_words(month: dt.date) -> str:
    """ "Jan 2026" for any day of January 2026."""
    return format_month_year(month, short=True)


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"
