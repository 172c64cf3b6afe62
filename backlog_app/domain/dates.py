"""Date rules shared by every record: plausible ranges, ages, ISO text."""

from __future__ import annotations

import datetime as dt
import re

# Nobody alive was born before this, and a typo like 1196 should be caught, not stored.
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)
# Insurance dates (coverage, plan years) can reasonably be planned a couple of years ahead.
LATEST_PLAN_DATE_YEARS_AHEAD = 3
# Only the extended form: fromisoformat() also takes "20260314" and week dates like "2026-W11-6".
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def age_on(birth: dt.date, day: dt.date) -> int:
    """Whole years between ``birth`` and ``day``."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def parse_iso_date(text: str) -> dt.date:
    """A date from "YYYY-MM-DD".

    Raises:
        ValueError: with a plain message for anything else.
    """
    try:
        if not _ISO_DATE.fullmatch(text.strip()):
            raise ValueError(text)
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValueError(
            f"“{text}” is not a date written as YYYY-MM-DD (e.g. 2026-03-14)."
        ) from exc


def format_long_date(day: dt.date | None, *, empty: str = "") -> str:
    """ "14 Mar 2026" — unambiguous for readers on both sides of the Atlantic."""
    if day is None:
        return empty
    return f"{day.day} {day:%b %Y}"


def latest_plan_date(today: dt.date) -> dt.date:
    """The latest date we accept for coverage and plan-year fields (catches 2099 typos)."""
    return _same_month_day(today, today.year + LATEST_PLAN_DATE_YEARS_AHEAD)


def plan_year_containing(plan_year_start: dt.date, day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the plan year that contains ``day``.

    Args:
        plan_year_start: any date on which a plan year began (only month and day are used).
        day: the day whose plan year we want.
    """
    start = _same_month_day(plan_year_start, day.year)
    if start > day:
        start = _same_month_day(plan_year_start, day.year - 1)
    next_start = _same_month_day(plan_year_start, start.year + 1)
    return start, next_start - dt.timedelta(days=1)


def _same_month_day(template: dt.date, year: int) -> dt.date:
    # A plan year that starts on 29 Feb starts on 28 Feb in common years.
    if template.month == 2 and template.day == 29:
        try:
            return dt.date(year, 2, 29)
        except ValueError:
            return dt.date(year, 2, 28)
    return template.replace(year=year)
