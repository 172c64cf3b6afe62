"""The packet's compact daily log: one line per day with a check-in, a table per month.

Read as plain rows (``CheckInService.daily_log_rows``: the numbers, notes and medications taken,
not whole records) and drawn as plain strings cut to one line: ten years are 3,650 rows, and
they must draw in seconds. Each month is its own table under its own heading, so no table is
long enough for ReportLab's splitting to slow down.
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from typing import Any

from backlog_app.domain.dates import format_day_and_weekday, format_month_year
from backlog_app.domain.scores import peg_score
from backlog_app.services.log import DailyLogRow
from backlog_app.services.packet.source import SectionSource, SectionStory
from backlog_app.services.packet.styles import subheading
from backlog_app.services.packet.tables import Column, cell_text_width, data_table, shortened

COLUMNS = (
    Column("Date", 0.125, wrap=False),
    Column("Now", 0.06, wrap=False, align="CENTER"),
    Column("Avg.", 0.06, wrap=False, align="CENTER"),
    Column("Worst", 0.07, wrap=False, align="CENTER"),
    Column("Enjoy.", 0.075, wrap=False, align="CENTER"),
    Column("Activity", 0.085, wrap=False, align="CENTER"),
    Column("PEG", 0.06, wrap=False, align="CENTER"),
    Column("Medications taken", 0.26, wrap=False),
    Column("Notes", 0.205, wrap=False),
)
GROUPS = (("", 1), ("Pain (0–10)", 3), ("PEG items (0–10)", 3), ("", 2))

_INTRO = (
    "One line per day with a check-in. Pain now, average and worst are 0–10; the PEG items are "
    "average pain and how much pain interfered with enjoyment of life and with general "
    "activity (0–10), and PEG is their mean. A dash means not recorded. Medications and notes "
    "are shortened to one line."
)


def draw_daily_log(source: SectionSource) -> SectionStory | str:
    days = source.profile.log.check_ins.daily_log_rows(source.since, source.until)
    if not days:
        return f"No daily check-ins were recorded{source.within()}."
    width = source.width
    medication_room = cell_text_width(COLUMNS[7], width)
    notes_room = cell_text_width(COLUMNS[8], width)
    story: list[Any] = []
    for (year, month), group in groupby(
        days, key=lambda d: (d.scores.day.year, d.scores.day.month)
    ):
        entries = list(group)
        rows = [_row(entry, medication_room, notes_room) for entry in entries]
        count = len(entries)
        month_words = format_month_year(dt.date(year, month, 1))
        title = f"{month_words} · {count} day{'s' if count != 1 else ''} logged"
        story += [
            *subheading(title),
            data_table(COLUMNS, rows, width, groups=GROUPS, one_line_rows=True),
        ]
    intro = f"{_INTRO} {source.period_intro('check-ins')}"
    return SectionStory(story, intro)


def _number(value: int | None) -> str:
    return str(value) if value is not None else "–"


def _row(entry: DailyLogRow, medication_room: float, notes_room: float) -> tuple[str, ...]:
    scores = entry.scores
    peg = peg_score(scores.pain_average, scores.peg_enjoyment, scores.peg_activity)
    taken = ", ".join(f"{name} ×{count}" if count > 1 else name for name, count in entry.doses)
    return (
        format_day_and_weekday(scores.day),
        _number(scores.pain_now),
        _number(scores.pain_average),
        _number(scores.pain_worst),
        _number(scores.peg_enjoyment),
        _number(scores.peg_activity),
        f"{peg:.1f}" if peg is not None else "–",
        shortened(taken, medication_room),
        shortened(entry.notes or "", notes_room),
    )
