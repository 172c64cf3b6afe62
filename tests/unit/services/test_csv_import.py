"""Pain-diary CSV import: reading, date formats, column guesses, the preview, all-or-nothing import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from backlog_app.domain.log_records import CheckInData
from backlog_app.errors import Cancelled, UserError
from backlog_app.services.context import ProfileSession
from backlog_app.services.csv_import import (
    ExistingDays,
    RowStatus,
    build_preview,
    days_to_import,
    import_check_ins,
    open_diary,
)
from backlog_app.services.csv_table import (
    CsvMapping,
    DateFormat,
    detect_date_format,
    guess_mapping,
    parse_csv_text,
    parse_date,
    read_csv,
)
from backlog_app.services.log import DuplicateCheckInError
from backlog_app.services.progress import Progress

TODAY = dt.date(2026, 11, 27)
ISO, MDY, DMY = DateFormat.ISO, DateFormat.MONTH_FIRST, DateFormat.DAY_FIRST


# --- Dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date_format", "expected"),
    [
        ("2026-03-14", ISO, dt.date(2026, 3, 14)),
        ("2026/3/4", ISO, dt.date(2026, 3, 4)),
        ("2026-03-14 08:30", ISO, dt.date(2026, 3, 14)),
        ("2026-03-14T08:30:00", ISO, dt.date(2026, 3, 14)),
        ("3/14/2026", MDY, dt.date(2026, 3, 14)),
        ("03-14-2026", MDY, dt.date(2026, 3, 14)),
        ("3/14/26", MDY, dt.date(2026, 3, 14)),
        ("14/3/2026", DMY, dt.date(2026, 3, 14)),
        ("14.03.2026", DMY, dt.date(2026, 3, 14)),
        ("14.03.2026", MDY, None),  # dotted dates are day-first
        ("14/3/2026", MDY, None),  # no 14th month
        ("31/02/2026", DMY, None),  # no 31 February
        ("2026-03-14", MDY, None),
        ("yesterday", ISO, None),
        ("", ISO, None),
    ],
)
def test_parse_date(text: str, date_format: DateFormat, expected: dt.date | None) -> None:
    assert parse_date(text, date_format) == expected


@pytest.mark.parametrize(
    ("values", "chosen", "candidates"),
    [
        (["2026-03-14", "2026-03-15"], ISO, (ISO,)),
        (["3/14/2026", "3/15/2026"], MDY, (MDY,)),
        (["14/3/2026", "15/3/2026"], DMY, (DMY,)),
        (["14.03.2026"], DMY, (DMY,)),
        # Every day ≤ 12: month first or day first? Ask.
        (["3/4/2026", "5/6/2026"], None, (MDY, DMY)),
        # One value decides it.
        (["3/4/2026", "3/14/2026"], MDY, (MDY,)),
        (["", "not a date"], None, ()),
        ([], None, ()),
    ],
)
def test_detect_date_format(
    values: list[str], chosen: DateFormat | None, candidates: tuple[DateFormat, ...]
) -> None:
    detection = detect_date_format(values)
    assert detection.chosen == chosen
    assert detection.candidates == candidates
    assert detection.ambiguous == (len(candidates) > 1)


# --- Reading files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("date,pain\n2026-03-14,5\n", ","),
        ("date;pain\n2026-03-14;5\n", ";"),
        ("date\tpain\n2026-03-14\t5\n", "\t"),
        ("date|pain\n2026-03-14|5\n", "|"),
        ("date\n2026-03-14\n", ","),  # one column: nothing to sniff
    ],
)
def test_delimiter_is_sniffed(text: str, delimiter: str) -> None:
    table = parse_csv_text(text)
    assert table.delimiter == delimiter
    assert table.rows[0].cell(0) == "2026-03-14"


def test_rows_keep_their_line_numbers_across_blank_lines_and_multiline_notes() -> None:
    table = parse_csv_text(
        'date,pain,notes\n2026-03-14,5,"two\nlines"\n\n2026-03-15,6,ok\n,,\n2026-03-16,4,\n'
    )
    assert table.has_header
    assert table.headers == ("date", "pain", "notes")
    assert [(row.line, row.cell(0)) for row in table.rows] == [
        (2, "2026-03-14"),
        (5, "2026-03-15"),
        (7, "2026-03-16"),
    ]
    assert table.rows[0].cell(2) == "two\nlines"


def test_a_file_without_a_header_gets_numbered_columns() -> None:
    table = parse_csv_text("2026-03-14,5\n2026-03-15,6\n")
    assert not table.has_header
    assert table.headers == ("Column 1", "Column 2")
    assert len(table.rows) == 2


def test_short_rows_read_as_blank_cells() -> None:
    table = parse_csv_text("date,pain,notes\n2026-03-14\n")
    assert table.rows[0].cell(2) == ""
    assert table.rows[0].cell(None) == ""


@pytest.mark.parametrize(
    ("raw", "encoding", "note"),
    [
        ("date,notes\n2026-03-14,café\n".encode(), "utf-8-sig", "café"),
        (b"\xef\xbb\xbfdate,notes\n2026-03-14,caf\xc3\xa9\n", "utf-8-sig", "café"),
        ("date,notes\n2026-03-14,it’s café\n".encode("cp1252"), "cp1252", "it’s café"),
        (b"date,notes\n2026-03-14,\x81caf\xe9\n", "latin-1", "\x81café"),
    ],
)
def test_encodings(tmp_path: Path, raw: bytes, encoding: str, note: str) -> None:
    path = tmp_path / "diary.csv"
    path.write_bytes(raw)
    table = read_csv(path)
    assert table.encoding == encoding
    assert table.headers[0] == "date"  # a BOM does not stick to the first header
    assert table.rows[0].cell(1) == note


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "holds no rows"),
        (b"\n\n", "holds no rows"),
        (b"date,pain\n", "no rows of data"),
        ("date,pain\n".encode("utf-16"), "not plain text"),
    ],
)
def test_unreadable_files_are_refused_in_plain_words(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "diary.csv"
    path.write_bytes(content)
    with pytest.raises(UserError, match=message):
        read_csv(path)


def test_a_missing_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="could not read"):
        read_csv(tmp_path / "gone.csv")


# --- Column mapping ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            "Date,Pain level,Worst pain,Hours slept,Comments",
            CsvMapping(0, pain=1, pain_worst=2, sleep_hours=3, notes=4, date_format=ISO),
        ),
        ("day;pain;notes", CsvMapping(0, pain=1, notes=2, date_format=ISO)),
        ("Notes,When,NRS", CsvMapping(1, pain=2, notes=0, date_format=ISO)),
        ("Max pain,Datum,Score", CsvMapping(1, pain=2, pain_worst=0, date_format=ISO)),
        # Unknown headers: the column full of dates is the date.
        ("a,b", CsvMapping(0, date_format=ISO)),
    ],
)
def test_guess_mapping_from_headers(header: str, expected: CsvMapping) -> None:
    delimiter = ";" if ";" in header else ","
    columns = header.split(delimiter)
    row = ["5"] * len(columns)
    row[expected.date or 0] = "2026-03-14"
    table = parse_csv_text(f"{header}\n{delimiter.join(row)}\n")
    assert guess_mapping(table) == expected


def test_guess_mapping_leaves_an_ambiguous_date_format_unset() -> None:
    table = parse_csv_text("date,pain\n3/4/2026,5\n5/6/2026,6\n")
    assert guess_mapping(table).date_format is None


# --- The preview -----------------------------------------------------------------------------------

DIARY = """date,pain,worst,sleep,notes
2026-03-01,5,7,6.5,fine
2026-03-02,11,8,7,pain too high
2026-03-03,5,12,7,worst too high
not a date,4,5,7,bad date
2099-01-01,4,5,7,future
1950-01-01,4,5,7,before birth
2026-03-07,7/10,,7.5h,slash ten
2026-03-08,6.5,,,half a point
2026-03-09,lots,,,words
2026-03-10,,,,
2026-03-11,3,4,30,too much sleep
2026-03-01,2,3,,same day again
2026-03-12,—,n/a,-,not recorded
"""
FULL = CsvMapping(0, pain=1, pain_worst=2, sleep_hours=3, notes=4, date_format=ISO)


def preview_of(text: str, mapping: CsvMapping = FULL, existing: set[dt.date] | None = None):  # type: ignore[no-untyped-def]
    return build_preview(
        parse_csv_text(text),
        mapping,
        today=TODAY,
        birth=dt.date(1974, 7, 27),
        existing_days=frozenset(existing or ()),
    )


@pytest.mark.parametrize(
    ("line", "status", "problem"),
    [
        (2, RowStatus.READY, None),
        (3, RowStatus.PROBLEM, "Pain is 11; it must be from 0 to 10."),
        (4, RowStatus.PROBLEM, "Worst pain is 12; it must be from 0 to 10."),
        (5, RowStatus.PROBLEM, "“not a date” is not a date written as year-month-day"),
        (6, RowStatus.PROBLEM, "is in the future"),
        (7, RowStatus.PROBLEM, "before the patient was born"),
        (8, RowStatus.READY, None),
        (9, RowStatus.PROBLEM, "Pain 6.5 is not a whole number from 0 to 10."),
        (10, RowStatus.PROBLEM, "Pain “lots” is not a number from 0 to 10."),
        (11, RowStatus.READY, None),  # a day with only a date is kept: it was a diary day
        (12, RowStatus.PROBLEM, "Hours of sleep is 30; it must be from 0 to 24."),
        (13, RowStatus.PROBLEM, "1 Mar 2026 is also on line 2"),
        (14, RowStatus.READY, None),
    ],
)
def test_preview_reports_each_row(line: int, status: RowStatus, problem: str | None) -> None:
    preview = preview_of(DIARY)
    row = next(r for r in preview.rows if r.line == line)
    assert row.status is status
    if problem is None:
        assert row.problems == ()
        assert row.check_in is not None
    else:
        assert any(problem in text for text in row.problems), row.problems
        assert row.check_in is None


def test_preview_values_and_counts() -> None:
    preview = preview_of(DIARY, existing={dt.date(2026, 3, 10)})
    by_line = {row.line: row for row in preview.rows}
    assert by_line[2].check_in == CheckInData(
        dt.date(2026, 3, 1), pain_average=5, pain_worst=7, sleep_hours=6.5, notes="fine"
    )
    assert by_line[8].check_in is not None
    assert (by_line[8].check_in.pain_average, by_line[8].check_in.sleep_hours) == (7, 7.5)
    blank = by_line[14].check_in
    assert blank is not None
    assert (blank.pain_average, blank.pain_worst, blank.sleep_hours) == (None, None, None)
    assert by_line[11].status is RowStatus.EXISTING
    assert (preview.ready_count, preview.existing_count, preview.problem_count) == (3, 1, 9)
    assert preview.summary() == (
        "13 rows read: 3 days ready to import, 1 day already checked in, 9 rows with problems."
    )
    assert preview.problem_lines()[0] == "Line 3: Pain is 11; it must be from 0 to 10."


@pytest.mark.parametrize(
    ("mapping", "problem"),
    [
        (CsvMapping(None, pain=1), "Choose the column that holds the date."),
        (CsvMapping(0, pain=1), "Choose how the diary writes its dates."),
        (CsvMapping(0, date_format=ISO), "Choose at least one column to import"),
    ],
)
def test_an_incomplete_mapping_previews_nothing(mapping: CsvMapping, problem: str) -> None:
    preview = preview_of(DIARY, mapping)
    assert preview.rows == ()
    assert problem in preview.summary()
    with pytest.raises(UserError, match=problem.split(":")[0][:20]):
        days_to_import(preview, ExistingDays.SKIP)


def test_the_chosen_date_format_decides_how_dates_read() -> None:
    text = "date,pain\n3/4/2026,5\n"
    us = preview_of(text, CsvMapping(0, pain=1, date_format=MDY))
    europe = preview_of(text, CsvMapping(0, pain=1, date_format=DMY))
    assert us.rows[0].day == dt.date(2026, 3, 4)
    assert europe.rows[0].day == dt.date(2026, 4, 3)


# --- Importing ----------------------------------------------------------------------------------


def write_diary(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "diary.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_writes_every_ready_day_and_skips_existing(
    profile: ProfileSession, tmp_path: Path
) -> None:
    profile.log.check_ins.save(CheckInData(dt.date(2026, 3, 2), pain_now=3))
    path = write_diary(
        tmp_path, "date,pain,notes\n2026-03-01,5,one\n2026-03-02,6,two\n2026-03-03,11,bad\n"
    )
    diary = open_diary(profile, path)
    assert diary.existing_days == frozenset({dt.date(2026, 3, 2)})
    preview = diary.preview(diary.guessed)
    result = import_check_ins(preview, ExistingDays.SKIP, profile.log.check_ins.add_many)
    assert (result.imported, result.skipped_existing, result.left_out_with_problems) == (1, 1, 1)
    assert "Imported 1 day" in result.summary()
    saved = profile.log.check_ins.for_day(dt.date(2026, 3, 1))
    assert saved is not None and saved.data.pain_average == 5 and saved.data.notes == "one"
    kept = profile.log.check_ins.for_day(dt.date(2026, 3, 2))
    assert kept is not None and kept.data.pain_now == 3  # not overwritten
    assert profile.log.check_ins.count() == 2


def test_stop_on_existing_days_imports_nothing(profile: ProfileSession, tmp_path: Path) -> None:
    profile.log.check_ins.save(CheckInData(dt.date(2026, 3, 2), pain_now=3))
    diary = open_diary(profile, write_diary(tmp_path, "date,pain\n2026-03-01,5\n2026-03-02,6\n"))
    with pytest.raises(UserError, match="Nothing was imported: 1 day of the diary already"):
        import_check_ins(
            diary.preview(diary.guessed), ExistingDays.STOP, profile.log.check_ins.add_many
        )
    assert profile.log.check_ins.count() == 1


def test_a_day_checked_in_after_the_preview_stops_the_whole_import(
    profile: ProfileSession, tmp_path: Path
) -> None:
    diary = open_diary(profile, write_diary(tmp_path, "date,pain\n2026-03-01,5\n2026-03-02,6\n"))
    preview = diary.preview(diary.guessed)
    profile.log.check_ins.save(CheckInData(dt.date(2026, 3, 2), pain_now=3))  # meanwhile
    with pytest.raises(DuplicateCheckInError):
        import_check_ins(preview, ExistingDays.SKIP, profile.log.check_ins.add_many)
    assert profile.log.check_ins.count() == 1  # 1 March was not written either


def test_a_cancelled_import_writes_nothing(profile: ProfileSession, tmp_path: Path) -> None:
    diary = open_diary(profile, write_diary(tmp_path, "date,pain\n2026-03-01,5\n2026-03-02,6\n"))
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        import_check_ins(
            diary.preview(diary.guessed),
            ExistingDays.SKIP,
            profile.log.check_ins.add_many,
            progress,
        )
    assert profile.log.check_ins.count() == 0


def test_nothing_new_to_import_is_said_plainly(profile: ProfileSession, tmp_path: Path) -> None:
    diary = open_diary(profile, write_diary(tmp_path, "date,pain\n2026-03-01,11\n"))
    with pytest.raises(UserError, match="no new days"):
        import_check_ins(
            diary.preview(diary.guessed), ExistingDays.SKIP, profile.log.check_ins.add_many
        )
