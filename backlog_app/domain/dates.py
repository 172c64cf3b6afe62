"""Date rules shared by every record: plausible ranges, ages, ISO text, and dates in words.

Month and weekday names are fixed English words, never the locale's: the desktop app sets the
user's locale (LC_TIME), and ``strftime``'s ``%a``/``%b``/``%B`` would then write "Mär" into an
English letter or packet. A translation will choose its words on purpose.
"""

from __future__ import annotations

import datetime as dt
import re

# Nobody alive was born before this, and a typo like 1196 should be caught, not stored.
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)
# Insurance dates (coverage, plan years) can reasonably be planned a couple of years ahead.
LATEST_PLAN_DATE_YEARS_AHEAD = 3
# Only the extended form: fromisoformat() also takes "20260314" and week dates like "2026-W11-6".
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTH_ABBREVIATIONS = tuple(name[:3] for name in MONTH_NAMES)  # "Jan" … "Dec"
# In ``date.weekday()`` order: Monday is 0.
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAY_ABBREVIATIONS = tuple(name[:3] for name in WEEKDAY_NAMES)  # "Mon" … "Sun"


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


def month_name(day: dt.date, *, short: bool = False) -> str:
    """ "March" (``short``: "Mar") in English, whatever the locale."""
    return (MONTH_ABBREVIATIONS if short else MONTH_NAMES)[day.month - 1]


def weekday_name(day: dt.date, *, short: bool = False) -> str:
    """ "Sunday" (``short``: "Sun") in English, whatever the locale."""
    return (WEEKDAY_ABBREVIATIONS if short else WEEKDAY_NAMES)[day.weekday()]


def format_month_year(day: dt.date, *, short: bool = False) -> str:
    """ "March 2026" (``short``: "Mar 2026")."""
    return f"{month_name(day, short=short)} {day.year}"


def format_day_and_weekday(day: dt.date) -> str:
    """ "Sun 1 Mar": a day of a month whose year is said elsewhere (a daily log's row)."""
    return f"{weekday_name(day, short=True)} {day.day} {month_name(day, short=True)}"


def format_long_date(day: dt.date | None, *, empty: str = "") -> str:
    """ "14 Mar 2026" — unambiguous for readers on both sides of the Atlantic."""
    if day is None:
        return empty
    return f"{day.day} {format_month_year(day, short=True)}"


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
