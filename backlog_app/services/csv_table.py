"""Reading a pain diary's CSV file: encoding, delimiter, header, date formats, column guesses.

Qt-free and pure apart from reading the file. ``csv_import`` builds the preview on top of it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from backlog_app.errors import UserError

# A ten-year diary is well under 1 MB; anything this big is not a diary.
MAX_FILE_BYTES = 20 * 1024 * 1024
# utf-8-sig also reads plain UTF-8 (it only drops a BOM); Windows exports are often cp1252;
# latin-1 decodes any byte, so it is the last resort.
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
_DELIMITERS = ",;\t|"


class CsvField(StrEnum):
    """What a column of the diary can hold."""

    DATE = "date"
    PAIN = "pain"
    PAIN_WORST = "pain_worst"
    SLEEP_HOURS = "sleep_hours"
    NOTES = "notes"

    @property
    def label(self) -> str:
        return {
            CsvField.DATE: "Date",
            CsvField.PAIN: "Pain (0–10)",
            CsvField.PAIN_WORST: "Worst pain (0–10)",
            CsvField.SLEEP_HOURS: "Hours of sleep",
            CsvField.NOTES: "Notes",
        }[self]


# Header words that suggest a field, most specific field first ("pain worst" is not "pain").
_HEADER_HINTS: tuple[tuple[CsvField, tuple[str, ...]], ...] = (
    (CsvField.DATE, ("date", "day", "datum", "when", "time")),
    (CsvField.PAIN_WORST, ("worst", "max", "peak", "highest")),
    (CsvField.SLEEP_HOURS, ("sleep", "slept")),
    (CsvField.PAIN, ("pain", "level", "score", "nrs", "intensity", "rating")),
    (CsvField.NOTES, ("note", "comment", "diary", "remark", "entry", "text", "journal")),
)


class DateFormat(StrEnum):
    """How the diary writes its dates."""

    ISO = "iso"
    MONTH_FIRST = "month_first"
    DAY_FIRST = "day_first"

    @property
    def label(self) -> str:
        return {
            DateFormat.ISO: "2026-03-14 (year, month, day)",
            DateFormat.MONTH_FIRST: "3/14/2026 (month first, as in the US)",
            DateFormat.DAY_FIRST: "14/3/2026 or 14.03.2026 (day first)",
        }[self]


# A time after the date ("2026-03-14 08:30", "2026-03-14T08:30") is allowed and ignored.
_TIME = r"(?:[ T].*)?"
_DATE_PATTERNS: dict[DateFormat, re.Pattern[str]] = {
    DateFormat.ISO: re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})" + _TIME),
    # Dotted dates (14.03.2026) are day-first in every country that writes them.
    DateFormat.MONTH_FIRST: re.compile(
        r"(?P<m>\d{1,2})[/-](?P<d>\d{1,2})[/-](?P<y>\d{4}|\d{2})" + _TIME
    ),
    DateFormat.DAY_FIRST: re.compile(
        r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4}|\d{2})" + _TIME
    ),
}


def parse_date(text: str, date_format: DateFormat) -> dt.date | None:
    """The date in ``text`` written in ``date_format``, or None when it is not such a date."""
    match = _DATE_PATTERNS[date_format].fullmatch(text.strip())
    if match is None:
        return None
    year = int(match["y"])
    if len(match["y"]) == 2:
        year += 2000  # diaries are recent; a 19xx date would be caught as "before birth" anyway
    try:
        return dt.date(year, int(match["m"]), int(match["d"]))
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class DateDetection:
    """Which date formats read the diary's dates.

    Attributes:
        chosen: the one format that reads the most dates; None when several tie (ask the user)
            or none reads any.
        candidates: the formats that tie for the most dates read.
    """

    chosen: DateFormat | None
    candidates: tuple[DateFormat, ...]

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


def detect_date_format(values: Iterable[str]) -> DateDetection:
    """Guess the date format from a column's values; "3/4/2026" alone is ambiguous."""
    texts = [value for value in values if value.strip()]
    counts = {
        date_format: sum(parse_date(text, date_format) is not None for text in texts)
        for date_format in DateFormat
    }
    best = max(counts.values(), default=0)
    if best == 0:
        return DateDetection(None, ())
    candidates = tuple(f for f in DateFormat if counts[f] == best)
    return DateDetection(candidates[0] if len(candidates) == 1 else None, candidates)


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One row of the file. ``line`` is where it starts (a quoted note may span lines)."""

    line: int
    cells: tuple[str, ...]

    def cell(self, column: int | None) -> str:
        if column is None or column >= len(self.cells):
            return ""
        return self.cells[column].strip()


@dataclass(frozen=True, slots=True)
class CsvTable:
    """A diary file as read: its column names and rows of text."""

    headers: tuple[str, ...]
    rows: tuple[CsvRow, ...]
    encoding: str
    delimiter: str
    has_header: bool

    def column_values(self, column: int) -> list[str]:
        return [row.cell(column) for row in self.rows]


def read_csv(path: Path) -> CsvTable:
    """Read a diary file.

    Raises:
        UserError: the file cannot be read, is too big, or holds no rows.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UserError(
                f"{path.name} is {size // (1024 * 1024)} MB; a pain diary is much smaller. "
                "Please choose the diary's CSV export."
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"BackLog could not read {path.name}: {exc.strerror or exc}.") from exc
    return parse_csv_text(*_decode(raw), name=path.name)


def _decode(raw: bytes) -> tuple[str, str]:
    if b"\x00" in raw[:4096]:
        # UTF-16 exports and binary files both have NUL bytes; neither is a CSV we can read.
        raise UserError(
            "This file is not plain text. Export the diary as CSV (comma-separated values) and "
            "choose that file."
        )
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def parse_csv_text(text: str, encoding: str = "utf-8", *, name: str = "The file") -> CsvTable:
    """Split decoded CSV text into headers and rows (the delimiter is sniffed)."""
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[CsvRow] = []
    next_line = 1
    try:
        for cells in reader:
            start = next_line
            next_line = reader.line_num + 1
            if any(cell.strip() for cell in cells):
                rows.append(CsvRow(start, tuple(cells)))
    except csv.Error as exc:
        raise UserError(
            f"{name} is not a CSV file BackLog can read (line {next_line}: {exc})."
        ) from exc
    if not rows:
        raise UserError(f"{name} holds no rows. Please choose the diary's CSV export.")
    width = max(len(row.cells) for row in rows)
    has_header = not _looks_like_data(rows[0])
    if has_header:
        names = [cell.strip() for cell in rows[0].cells]
        headers = tuple(
            names[i] if i < len(names) and names[i] else f"Column {i + 1}" for i in range(width)
        )
        rows = rows[1:]
    else:
        headers = tuple(f"Column {i + 1}" for i in range(width))
    if not rows:
        raise UserError(f"{name} has column names but no rows of data.")
    return CsvTable(headers, tuple(rows), encoding, delimiter, has_header)


def _sniff_delimiter(text: str) -> str:
    sample = text[:16_384]
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        # One column, or too little text to tell: the most common separator on its first line.
        first_line = sample.splitlines()[0] if sample.strip() else ""
        return max(_DELIMITERS, key=first_line.count) if first_line else ","


def _looks_like_data(row: CsvRow) -> bool:
    """True when the first row holds a date, so it is data rather than column names."""
    return any(parse_date(cell, f) is not None for cell in row.cells for f in DateFormat)


@dataclass(frozen=True, slots=True)
class CsvMapping:
    """Which column holds each field (None: the diary has no such column) and the date format."""

    date: int | None
    pain: int | None = None
    pain_worst: int | None = None
    sleep_hours: int | None = None
    notes: int | None = None
    date_format: DateFormat | None = None

    def column(self, csv_field: CsvField) -> int | None:
        column: int | None = getattr(self, csv_field.value)
        return column


def guess_mapping(table: CsvTable) -> CsvMapping:
    """A first mapping from the column names, and the date format from the date column."""
    taken: set[int] = set()
    found: dict[CsvField, int] = {}
    for csv_field, hints in _HEADER_HINTS:
        for column, header in enumerate(table.headers):
            name = header.casefold()
            if column not in taken and any(hint in name for hint in hints):
                found[csv_field] = column
                taken.add(column)
                break
    if CsvField.DATE not in found:
        date_column = _column_with_most_dates(table)
        if date_column is not None and date_column not in taken:
            found[CsvField.DATE] = date_column
    date_column = found.get(CsvField.DATE)
    detection = (
        detect_date_format(table.column_values(date_column)) if date_column is not None else None
    )
    return CsvMapping(
        date=date_column,
        pain=found.get(CsvField.PAIN),
        pain_worst=found.get(CsvField.PAIN_WORST),
        sleep_hours=found.get(CsvField.SLEEP_HOURS),
        notes=found.get(CsvField.NOTES),
        date_format=detection.chosen if detection else None,
    )


def _column_with_most_dates(table: CsvTable) -> int | None:
    best_column, best_count = None, 0
    for column in range(len(table.headers)):
        values = table.column_values(column)[:50]
        count = sum(any(parse_date(v, f) for f in DateFormat) for v in values if v)
        if count > best_count:
            best_column, best_count = column, count
    return best_column
