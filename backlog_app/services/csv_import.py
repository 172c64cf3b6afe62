"""Import a pain diary exported by another app as CSV: read, map columns, preview, then import.

Qt-free. ``open_diary`` reads the file (``csv_table``: encoding, delimiter, date formats) and the
days already checked in; ``build_preview`` parses every row
with the user's column mapping and reports each problem by line, and the days that already have a
check-in, before anything is written; ``import_check_ins`` then writes the chosen days in one
transaction, so an import is all or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.log_records import CheckInData
from backlog_app.domain.log_validation import check_in_problems
from backlog_app.domain.scores import PAIN_MAX, PAIN_MIN
from backlog_app.errors import UserError
from backlog_app.services.csv_table import (
    CsvMapping,
    CsvRow,
    CsvTable,
    DateDetection,
    DateFormat,
    detect_date_format,
    guess_mapping,
    parse_date,
    read_csv,
)
from backlog_app.services.progress import Progress

if TYPE_CHECKING:
    from backlog_app.services.context import ProfileSession

# How diaries write "not recorded".
_NOT_RECORDED = {"", "-", "—", "–", "n/a", "na", "none", "null"}


class RowStatus(StrEnum):
    READY = "ready"
    PROBLEM = "problem"
    EXISTING = "existing"  # the profile already has a check-in for that day

    @property
    def label(self) -> str:
        return {
            RowStatus.READY: "Ready",
            RowStatus.PROBLEM: "Problem",
            RowStatus.EXISTING: "Already checked in",
        }[self]


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """One diary row as it would be imported, or why it cannot be."""

    line: int
    day: dt.date | None
    check_in: CheckInData | None  # None when the row has problems
    problems: tuple[str, ...] = ()
    already_checked_in: bool = False

    @property
    def status(self) -> RowStatus:
        if self.problems:
            return RowStatus.PROBLEM
        return RowStatus.EXISTING if self.already_checked_in else RowStatus.READY


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """Every row of the diary, parsed; nothing has been written yet."""

    rows: tuple[PreviewRow, ...]
    setup_problems: tuple[str, ...] = field(default=())  # a missing date column, an unknown format

    def with_status(self, status: RowStatus) -> list[PreviewRow]:
        return [row for row in self.rows if row.status is status]

    @property
    def ready_count(self) -> int:
        return len(self.with_status(RowStatus.READY))

    @property
    def problem_count(self) -> int:
        return len(self.with_status(RowStatus.PROBLEM))

    @property
    def existing_count(self) -> int:
        return len(self.with_status(RowStatus.EXISTING))

    def problem_lines(self) -> list[str]:
        """ "Line 7: Pain is 11; …" for every problem, in file order."""
        return [f"Line {row.line}: {problem}" for row in self.rows for problem in row.problems]

    def summary(self) -> str:
        """The counts in one plain sentence."""
        if self.setup_problems:
            return " ".join(self.setup_problems)
        parts = [f"{_days(self.ready_count)} ready to import"]
        if self.existing_count:
            parts.append(f"{_days(self.existing_count)} already checked in")
        if self.problem_count:
            rows = "row" if self.problem_count == 1 else "rows"
            parts.append(f"{self.problem_count} {rows} with problems")
        return f"{len(self.rows)} rows read: " + ", ".join(parts) + "."


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def build_preview(
    table: CsvTable,
    mapping: CsvMapping,
    *,
    today: dt.date,
    birth: dt.date | None,
    existing_days: frozenset[dt.date],
) -> ImportPreview:
    """Parse every row with ``mapping``; pure, so it is cheap to redo when the mapping changes."""
    setup: list[str] = []
    if mapping.date is None:
        setup.append("Choose the column that holds the date.")
    elif mapping.date_format is None:
        setup.append("Choose how the diary writes its dates.")
    if mapping.pain is None and mapping.pain_worst is None and mapping.notes is None:
        setup.append("Choose at least one column to import: pain, worst pain or notes.")
    if setup:
        return ImportPreview((), tuple(setup))
    assert mapping.date_format is not None
    rows: list[PreviewRow] = []
    first_line_of_day: dict[dt.date, int] = {}
    for row in table.rows:
        preview = _preview_row(row, mapping, mapping.date_format, today, birth)
        day = preview.day
        if day is not None and not preview.problems:
            earlier = first_line_of_day.get(day)
            if earlier is not None:
                preview = PreviewRow(
                    row.line,
                    day,
                    None,
                    (
                        f"{format_long_date(day)} is also on line {earlier}; "
                        "a day can have only one check-in.",
                    ),
                )
            else:
                first_line_of_day[day] = row.line
                if day in existing_days:
                    preview = PreviewRow(row.line, day, preview.check_in, already_checked_in=True)
        rows.append(preview)
    return ImportPreview(tuple(rows))


def _preview_row(
    row: CsvRow,
    mapping: CsvMapping,
    date_format: DateFormat,
    today: dt.date,
    birth: dt.date | None,
) -> PreviewRow:
    problems: list[str] = []
    date_text = row.cell(mapping.date)
    day = parse_date(date_text, date_format) if date_text else None
    if not date_text:
        problems.append("There is no date.")
    elif day is None:
        problems.append(f"“{date_text}” is not a date written as {_example(date_format)}.")
    pain = _score(row.cell(mapping.pain), "Pain", problems)
    worst = _score(row.cell(mapping.pain_worst), "Worst pain", problems)
    sleep = _hours(row.cell(mapping.sleep_hours), problems)
    notes = row.cell(mapping.notes) or None
    if day is None or problems:
        return PreviewRow(row.line, day, None, tuple(problems))
    # "Pain" in a diary is the day's overall rating: the check-in's average pain (PEG item 1).
    check_in = CheckInData(
        day=day, pain_average=pain, pain_worst=worst, sleep_hours=sleep, notes=notes
    )
    problems += check_in_problems(check_in, today, birth)
    if problems:
        return PreviewRow(row.line, day, None, tuple(problems))
    return PreviewRow(row.line, day, check_in)


def _example(date_format: DateFormat) -> str:
    return {
        DateFormat.ISO: "year-month-day (2026-03-14)",
        DateFormat.MONTH_FIRST: "month/day/year (3/14/2026)",
        DateFormat.DAY_FIRST: "day/month/year (14/3/2026)",
    }[date_format]


_NUMBER = re.compile(r"(?P<n>\d+(?:[.,]\d+)?)\s*(?:/\s*10)?")


def _score(text: str, label: str, problems: list[str]) -> int | None:
    if text.casefold() in _NOT_RECORDED:
        return None
    match = _NUMBER.fullmatch(text)
    if match is None:
        problems.append(f"{label} “{text}” is not a number from {PAIN_MIN} to {PAIN_MAX}.")
        return None
    value = float(match["n"].replace(",", "."))
    if not value.is_integer():
        problems.append(f"{label} {text} is not a whole number from {PAIN_MIN} to {PAIN_MAX}.")
        return None
    if not PAIN_MIN <= value <= PAIN_MAX:
        problems.append(f"{label} is {int(value)}; it must be from {PAIN_MIN} to {PAIN_MAX}.")
        return None
    return int(value)


_HOURS = re.compile(r"(?P<n>\d+(?:[.,]\d+)?)\s*(?:h|hrs?|hours?)?", re.IGNORECASE)


def _hours(text: str, problems: list[str]) -> float | None:
    if text.casefold() in _NOT_RECORDED:
        return None
    match = _HOURS.fullmatch(text)
    if match is None:
        problems.append(f"Hours of sleep “{text}” is not a number.")
        return None
    value = float(match["n"].replace(",", "."))
    if not 0 <= value <= 24:
        problems.append(f"Hours of sleep is {value:g}; it must be from 0 to 24.")
        return None
    return value


# --- Using a profile ----------------------------------------------------------------------------


class ExistingDays(StrEnum):
    """What to do with diary days that already have a check-in in BackLog."""

    SKIP = "skip"
    STOP = "stop"

    @property
    def label(self) -> str:
        return {
            ExistingDays.SKIP: "Skip them (keep what BackLog has)",
            ExistingDays.STOP: "Stop, and import nothing",
        }[self]


@dataclass(frozen=True, slots=True)
class ImportResult:
    imported: int
    skipped_existing: int
    left_out_with_problems: int

    def summary(self) -> str:
        text = f"Imported {_days(self.imported)} from the diary."
        if self.skipped_existing:
            text += f" Skipped {_days(self.skipped_existing)} that already had a check-in."
        if self.left_out_with_problems:
            rows = "row" if self.left_out_with_problems == 1 else "rows"
            text += f" Left out {self.left_out_with_problems} {rows} with problems."
        return text


AddCheckIns = Callable[[Sequence[CheckInData], Progress], object]


def days_to_import(preview: ImportPreview, on_existing: ExistingDays) -> list[CheckInData]:
    """The check-ins an import writes.

    Raises:
        UserError: ``on_existing`` is STOP and a diary day already has a check-in.
    """
    if preview.setup_problems:
        raise UserError(" ".join(preview.setup_problems))
    existing = preview.with_status(RowStatus.EXISTING)
    if existing and on_existing is ExistingDays.STOP:
        first = existing[0]
        raise UserError(
            f"Nothing was imported: {_days(len(existing))} of the diary already "
            f"have a check-in in BackLog (the first is {format_long_date(first.day)}, "
            f"line {first.line}). Choose “Skip them” to import the other days."
        )
    return [row.check_in for row in preview.with_status(RowStatus.READY) if row.check_in]


def import_check_ins(
    preview: ImportPreview,
    on_existing: ExistingDays,
    add_check_ins: AddCheckIns,
    progress: Progress | None = None,
) -> ImportResult:
    """Write the preview's ready days in one transaction; nothing is written on any error.

    Args:
        preview: what ``build_preview`` showed the user.
        on_existing: skip days that already have a check-in, or stop and import nothing.
        add_check_ins: the bulk writer (``profile.log.check_ins.add_many``); it validates again
            and refuses any day that gained a check-in since the preview.
        progress: reports progress and Cancel; a cancelled import writes nothing.
    """
    items = days_to_import(preview, on_existing)
    if not items:
        raise UserError("There are no new days to import.")
    add_check_ins(items, progress or Progress())
    return ImportResult(len(items), preview.existing_count, preview.problem_count)


@dataclass(frozen=True, slots=True)
class DiaryFile:
    """A diary file read for import, with what the preview needs from the profile."""

    path: Path
    table: CsvTable
    guessed: CsvMapping
    existing_days: frozenset[dt.date]
    today: dt.date
    birth: dt.date | None

    def preview(self, mapping: CsvMapping) -> ImportPreview:
        return build_preview(
            self.table,
            mapping,
            today=self.today,
            birth=self.birth,
            existing_days=self.existing_days,
        )

    def date_detection(self, column: int | None) -> DateDetection:
        """How the dates in ``column`` are written (for asking when it is ambiguous)."""
        if column is None:
            return DateDetection(None, ())
        return detect_date_format(self.table.column_values(column))


def open_diary(profile: ProfileSession, path: Path, progress: Progress | None = None) -> DiaryFile:
    """Read ``path`` and the days the profile already has check-ins for (runs in a job).

    Raises:
        UserError: the file cannot be read as a diary.
    """
    progress = progress or Progress()
    progress.report(0, 2, "Reading the file")
    table = read_csv(path)
    progress.report(1, 2, "Looking for days already checked in")
    existing = frozenset(score.day for score in profile.log.check_ins.daily_scores())
    patient = profile.patient.get()
    progress.report(2, 2)
    return DiaryFile(
        path=path,
        table=table,
        guessed=guess_mapping(table),
        existing_days=existing,
        today=profile.clock(),
        birth=patient.date_of_birth if patient else None,
    )
