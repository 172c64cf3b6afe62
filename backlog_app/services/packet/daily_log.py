"""The packet's compact daily log: one line per day with a check-in, a table per month.

Read with two lean queries (the check-ins' numbers and notes, the medications taken) rather than
whole records, and drawn as plain strings cut to one line: ten years are 3,650 rows, and they
must draw in seconds. Each month is its own table under its own heading, so no table is long
enough for ReportLab's splitting to slow down.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from sqlalchemy import select

from backlog_app.domain.scores import peg_score
from backlog_app.services.context import ProfileSession
from backlog_app.services.packet.source import SectionSource, SectionStory
from backlog_app.services.packet.styles import subheading
from backlog_app.services.packet.tables import Column, cell_text_width, data_table, shortened
from backlog_app.storage.models import CheckIn, CheckInDose, Medication

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


@dataclass(frozen=True, slots=True)
class LogDay:
    """One check-in as the daily log shows it."""

    day: dt.date
    pain_now: int | None
    pain_average: int | None
    pain_worst: int | None
    peg_enjoyment: int | None
    peg_activity: int | None
    notes: str | None
    medications: tuple[str, ...]


def read_days(profile: ProfileSession, since: dt.date | None, until: dt.date) -> list[LogDay]:
    """The check-ins from ``since`` (None: the first) to ``until``, oldest first."""
    days = select(
        CheckIn.day,
        CheckIn.pain_now,
        CheckIn.pain_average,
        CheckIn.pain_worst,
        CheckIn.peg_enjoyment,
        CheckIn.peg_activity,
        CheckIn.notes,
    ).where(CheckIn.day <= until)
    doses = (
        select(CheckIn.day, Medication.name, CheckInDose.doses)
        .join(CheckInDose, CheckInDose.check_in_id == CheckIn.id)
        .join(Medication, Medication.id == CheckInDose.medication_id)
        .where(CheckIn.day <= until)
    )
    if since is not None:
        days = days.where(CheckIn.day >= since)
        doses = doses.where(CheckIn.day >= since)
    taken: dict[dt.date, list[str]] = defaultdict(list)
    with profile.database.read() as session:
        for day, name, count in session.execute(doses.order_by(CheckIn.day, CheckInDose.id)):
            taken[day].append(f"{name} ×{count}" if count and count > 1 else name)
        rows = session.execute(days.order_by(CheckIn.day)).all()
    return [LogDay(*row, medications=tuple(taken.get(row[0], ()))) for row in rows]


def draw_daily_log(source: SectionSource) -> SectionStory | str:
    days = read_days(source.profile, source.since, source.until)
    if not days:
        return f"No daily check-ins were recorded{source.within()}."
    width = source.width
    medication_room = cell_text_width(COLUMNS[7], width)
    notes_room = cell_text_width(COLUMNS[8], width)
    story: list[Any] = []
    for (year, month), group in groupby(days, key=lambda d: (d.day.year, d.day.month)):
        entries = list(group)
        rows = [_row(entry, medication_room, notes_room) for entry in entries]
        count = len(entries)
        title = f"{dt.date(year, month, 1):%B %Y} · {count} day{'s' if count != 1 else ''} logged"
        story += [
            *subheading(title),
            data_table(COLUMNS, rows, width, groups=GROUPS, one_line_rows=True),
        ]
    intro = f"{_INTRO} {source.period_intro('check-ins')}"
    return SectionStory(story, intro)


def _number(value: int | None) -> str:
    return str(value) if value is not None else "–"


def _row(entry: LogDay, medication_room: float, notes_room: float) -> tuple[str, ...]:
    peg = peg_score(entry.pain_average, entry.peg_enjoyment, entry.peg_activity)
    return (
        f"{entry.day:%a} {entry.day.day} {entry.day:%b}",
        _number(entry.pain_now),
        _number(entry.pain_average),
        _number(entry.pain_worst),
        _number(entry.peg_enjoyment),
        _number(entry.peg_activity),
        f"{peg:.1f}" if peg is not None else "–",
        shortened(", ".join(entry.medications), medication_room),
        shortened(entry.notes or "", notes_room),
    )
