"""The packet's body sections drawn from a record: sound pages, the record's figures, the
date range, empty sections left out with a reason, English dates in any locale, Cancel during a
long section, and the daily log's shape (a table per month, however many years)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from reportlab.platypus import Table  # type: ignore[import-untyped]

from backlog_app.domain.dates import format_day_and_weekday, format_month_year
from backlog_app.domain.event_words import event_details, event_title
from backlog_app.domain.log_records import CheckInData, DoseTaken, MedicationData
from backlog_app.domain.packet import CHOOSABLE_SECTIONS, PacketSection, PageSize
from backlog_app.errors import Cancelled
from backlog_app.services.context import ProfileSession
from backlog_app.services.packet.daily_log import draw_daily_log
from backlog_app.services.packet.request import PacketRequest
from backlog_app.services.packet.sections import BODY_SECTIONS, BodySections, draw_body_sections
from backlog_app.services.packet.source import SectionSource
from backlog_app.services.progress import Progress
from backlog_app.ui.cases.timeline_entries import timeline_entries
from tests.unit.packet.conftest import case_named
from tests.unit.packet.pdf_checks import PdfFacts, assert_sound, inspect_pdf

S = PacketSection
SIZES = [PageSize.LETTER, PageSize.A4]


class Recorder(Progress):
    """A Progress that remembers what it was told."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: list[str] = []

    def report(self, done: int, total: int, label: str = "") -> None:
        self.labels.append(label)
        super().report(done, total, label)


def drawn_texts(body: BodySections, size: PageSize) -> dict[PacketSection, PdfFacts]:
    """Each drawn section inspected, after checking it is sound on ``size`` paper."""
    facts = {}
    for drawn in body.drawn:
        facts[drawn.section] = inspect_pdf(drawn.pdf)
        assert_sound(facts[drawn.section], size, page_count=drawn.page_count)
        assert facts[drawn.section].texts[0].lstrip().startswith(drawn.section.heading)
    return facts


@pytest.mark.parametrize("size", SIZES)
def test_every_section_of_a_case_is_drawn_with_the_records_figures(
    demo_profile: ProfileSession, size: PageSize
) -> None:
    case_id = case_named(demo_profile, "Epidural")
    body = draw_body_sections(
        demo_profile, PacketRequest(case_id=case_id, page_size=size), Progress()
    )

    assert [drawn.section for drawn in body.drawn] == list(BODY_SECTIONS)
    assert body.omitted == []
    texts = {section: facts.text for section, facts in drawn_texts(body, size).items()}
    expected = {
        S.SUMMARY: ["Physical therapy: 16 visits", "Latest Oswestry Disability Index"],
        S.SCORES: ["Pain and PEG, month by month", "Oswestry Disability Index (ODI)", "44%"],
        S.MEDICATIONS: ["Gabapentin 300 mg", "Too drowsy to drive to work safely."],
        S.TREATMENTS: ["Epidural steroid injection", "40%", "Every visit and session"],
        S.DAILY_LOG: ["September 2025", "November 2026", "Gabapentin"],
        S.TIMELINE: ["Where it stands: Denied.", "Appeal filed", "45 CFR 147.136"],
        S.CALLS: ["UM-260423-6613", "AP-260825-1147", "None given"],
        S.NETWORK: ["IN NETWORK", "NEEDS A CHECK", "MS-261126-7395"],
        S.COSTS: ["Totals by plan year", "$"],
    }
    missing = {
        section: [words for words in wanted if words not in texts[section]]
        for section, wanted in expected.items()
    }
    assert missing == {section: [] for section in expected}
    # Another case's call is not in this case's call log.
    assert "PA-260122-7702" not in texts[S.CALLS]


def test_the_whole_record_shows_every_case(demo_profile: ProfileSession) -> None:
    body = draw_body_sections(demo_profile, PacketRequest(), Progress())
    texts = {section: facts.text for section, facts in drawn_texts(body, PageSize.LETTER).items()}
    for title in demo_profile.cases.titles().values():
        assert title in texts[S.TIMELINE]
    assert "PA-260122-7702" in texts[S.CALLS]  # the MRI case's call
    assert "OUT OF NETWORK" in texts[S.NETWORK]  # the surgery's anesthesiologist
    assert "Every network check" in texts[S.NETWORK]
    assert "Entries of this case" not in texts[S.COSTS]


def test_the_chart_is_drawn_as_lines_not_a_picture(demo_profile: ProfileSession) -> None:
    request = PacketRequest(sections=frozenset({S.SCORES}))
    body = draw_body_sections(demo_profile, request, Progress())
    scores = inspect_pdf(body.drawn[0].pdf)
    assert scores.image_count == 0
    assert scores.path_count > 40  # grid, ticks, two lines, markers, table rules
    assert "Average pain (0–10)" in scores.text and "PEG score (0–10)" in scores.text


def test_the_same_record_gives_the_same_bytes(demo_profile: ProfileSession) -> None:
    request = PacketRequest(case_id=case_named(demo_profile, "Microdiscectomy"))
    first = draw_body_sections(demo_profile, request, Progress())
    second = draw_body_sections(demo_profile, request, Progress())
    assert [d.pdf for d in first.drawn] == [d.pdf for d in second.drawn]


def test_only_the_chosen_sections_are_drawn_with_progress(demo_profile: ProfileSession) -> None:
    progress = Recorder()
    request = PacketRequest(sections=frozenset({S.CALLS, S.MEDICATIONS, S.LETTER}))
    body = draw_body_sections(demo_profile, request, progress)
    assert [drawn.section for drawn in body.drawn] == [S.MEDICATIONS, S.CALLS]
    assert progress.labels == [
        "Drawing the medication trials",
        "Drawing the call log",
        "Sections drawn",
    ]


def test_cancel_stops_between_sections(demo_profile: ProfileSession) -> None:
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        draw_body_sections(demo_profile, PacketRequest(), progress)


def test_an_empty_record_leaves_every_section_out_with_a_reason(profile: ProfileSession) -> None:
    body = draw_body_sections(profile, PacketRequest(), Progress())
    assert body.drawn == []
    assert body.omitted == [
        (S.SUMMARY, "No care was recorded."),
        (S.SCORES, "No pain scores or ODI results were recorded."),
        (S.MEDICATIONS, "No medication trials were recorded."),
        (S.TREATMENTS, "No treatments, tests or visits were recorded."),
        (S.DAILY_LOG, "No daily check-ins were recorded."),
        (S.TIMELINE, "No coverage cases were recorded."),
        (S.CALLS, "No calls were recorded."),
        (S.NETWORK, "No care team or network checks were recorded."),
        (S.COSTS, "No costs were recorded."),
    ]
    assert {section for section, _ in body.omitted} == set(CHOOSABLE_SECTIONS) & set(BODY_SECTIONS)


def test_the_date_range_cuts_the_log_calls_and_costs_but_not_the_timeline(
    demo_profile: ProfileSession,
) -> None:
    request = PacketRequest(since=dt.date(2026, 3, 1), until=dt.date(2026, 3, 31))
    body = draw_body_sections(demo_profile, request, Progress())
    texts = {section: facts.text for section, facts in drawn_texts(body, PageSize.LETTER).items()}

    log = texts[S.DAILY_LOG]
    assert "March 2026" in log
    assert "Check-ins from 1 Mar 2026 to 31 Mar 2026." in log
    assert "February 2026" not in log and "April 2026" not in log
    assert "Sun 1 Mar" in log and "Tue 31 Mar" in log
    assert dict(body.omitted)[S.CALLS] == (
        "No calls were recorded between 1 Mar 2026 and 31 Mar 2026."
    )
    # The timeline keeps the MRI's January events, outside the range.
    assert "22 Jan 2026" in texts[S.TIMELINE]
    # Visits are cut: March's chiropractic sessions stay, last year's PT is gone.
    assert "13 Mar 2026" in texts[S.TREATMENTS]
    assert "16 Nov 2025" not in texts[S.TREATMENTS]


def test_a_range_before_any_record_names_the_range(demo_profile: ProfileSession) -> None:
    request = PacketRequest(since=dt.date(2019, 1, 1), until=dt.date(2019, 12, 31))
    body = draw_body_sections(demo_profile, request, Progress())
    reasons = dict(body.omitted)
    assert reasons[S.DAILY_LOG] == (
        "No daily check-ins were recorded between 1 Jan 2019 and 31 Dec 2019."
    )
    assert reasons[S.COSTS] == "No costs were recorded between 1 Jan 2019 and 31 Dec 2019."
    assert S.TIMELINE not in reasons  # never cut by the range


def test_the_timeline_words_events_as_the_cases_page_does(demo_profile: ProfileSession) -> None:
    case_id = case_named(demo_profile, "Epidural")
    request = PacketRequest(case_id=case_id, sections=frozenset({S.TIMELINE}))
    text = drawn_texts(draw_body_sections(demo_profile, request, Progress()), PageSize.LETTER)
    timeline = text[S.TIMELINE].text
    detail = demo_profile.cases.get(case_id)
    screen = [e for e in timeline_entries(detail, {}, dt.date(2026, 11, 27)) if e.event_id]
    assert [entry.title for entry in screen] == [event_title(e.data) for e in detail.events]
    assert "Appeal filed (level 1)" in timeline
    for event in detail.events:
        assert event_title(event.data) in timeline
        for line in event_details(event.data, whole_notes=True):
            assert " ".join(line.split()) in timeline


def test_dates_stay_english_whatever_the_locale(
    demo_profile: ProfileSession, foreign_time_locale: str
) -> None:
    # The desktop app runs with the user's LC_TIME; the packet is an English document.
    request = PacketRequest(
        since=dt.date(2026, 3, 1),
        until=dt.date(2026, 3, 31),
        sections=frozenset({S.DAILY_LOG, S.SCORES, S.TIMELINE}),
    )
    body = draw_body_sections(demo_profile, request, Progress())
    texts = {section: facts.text for section, facts in drawn_texts(body, PageSize.LETTER).items()}
    assert "March 2026 · " in texts[S.DAILY_LOG]
    assert "Sun 1 Mar" in texts[S.DAILY_LOG]
    assert "Mar 2026" in texts[S.SCORES]  # the monthly averages and the chart's month label
    assert "22 Jan 2026" in texts[S.TIMELINE]
    foreign = f"{dt.date(2026, 3, 1):%b}"  # "Mär", "mars", "mar"...
    for text in texts.values():
        assert f" {foreign} " not in f" {text} ".replace("Mar ", "")


def add_years_of_check_ins(profile: ProfileSession, today: dt.date, years: int) -> int:
    """A check-in every day for ``years`` years up to ``today``, with notes and doses; returns
    how many days."""
    rng = random.Random(7)
    days = 365 * years
    start = today - dt.timedelta(days=days - 1)
    gabapentin = profile.log.medications.add(MedicationData("Gabapentin", start, "300 mg"))
    naproxen = profile.log.medications.add(MedicationData("Naproxen", start, "500 mg"))
    note = "Walked the dog, then had to lie down for an hour with ice on my back. "
    profile.log.check_ins.add_many(
        [
            CheckInData(
                day=start + dt.timedelta(days=n),
                pain_now=rng.randint(2, 9),
                pain_average=rng.randint(2, 9),
                pain_worst=rng.randint(5, 10),
                peg_enjoyment=rng.randint(0, 10),
                peg_activity=rng.randint(0, 10),
                notes=note * rng.randint(0, 3) or None,
                doses=(DoseTaken(gabapentin, 3), DoseTaken(naproxen, 2)) if n % 3 else (),
            )
            for n in range(days)
        ]
    )
    return days


def test_a_long_daily_log_is_a_table_per_month(profile: ProfileSession, today: dt.date) -> None:
    # ReportLab splits one table over pages in time that grows with the square of its rows: ten
    # years in one table take minutes. However long the log, no table may hold more than a month.
    days = add_years_of_check_ins(profile, today, years=2)
    request = PacketRequest(sections=frozenset({S.DAILY_LOG}))
    drawn = draw_daily_log(SectionSource(profile, request))
    assert not isinstance(drawn, str)
    tables = [flowable for flowable in drawn.story if isinstance(flowable, Table)]
    months = {(day.year, day.month) for day in (today - dt.timedelta(days=n) for n in range(days))}
    assert len(tables) == len(months) == 25
    heads = 2  # the column groups and the column titles
    body_rows = [len(table._cellvalues) - heads for table in tables]
    assert max(body_rows) <= 31
    assert sum(body_rows) == days

    body = draw_body_sections(profile, request, Progress())
    log = drawn_texts(body, PageSize.LETTER)[S.DAILY_LOG]
    assert log.page_count > 15  # 730 one-line rows, 25 month headings
    assert "November 2026 · 27 days logged" in log.text
    assert f"{format_month_year(today - dt.timedelta(days=days - 1))} · " in log.text
    assert "Gabapentin ×3, Naproxen ×2" in log.text


class CancelWhileDrawing(Progress):
    """Presses Cancel at the first check made while a section is drawn (not between sections),
    and counts the checks made then."""

    def __init__(self) -> None:
        super().__init__()
        self.reporting = False
        self.checks_while_drawing = 0

    def report(self, done: int, total: int, label: str = "") -> None:
        self.reporting = True
        try:
            super().report(done, total, label)
        finally:
            self.reporting = False

    def check_cancelled(self) -> None:
        if not self.reporting:
            self.checks_while_drawing += 1
            self.cancel()
        super().check_cancelled()


def test_cancel_stops_a_long_section_after_its_first_page(
    profile: ProfileSession, today: dt.date
) -> None:
    # One section can take seconds to lay out (years of daily log): Cancel must not wait for it.
    add_years_of_check_ins(profile, today, years=2)
    progress = CancelWhileDrawing()
    request = PacketRequest(sections=frozenset({S.DAILY_LOG}))
    with pytest.raises(Cancelled):
        draw_body_sections(profile, request, progress)
    assert progress.checks_while_drawing == 1  # the first page's end stopped it


def test_the_daily_log_reads_plain_rows_from_the_log(profile: ProfileSession) -> None:
    naproxen = profile.log.medications.add(MedicationData("Naproxen", dt.date(2026, 1, 1)))
    tramadol = profile.log.medications.add(MedicationData("Tramadol", dt.date(2026, 1, 1)))
    for day, doses, notes in (
        (dt.date(2026, 3, 1), (DoseTaken(tramadol, 1), DoseTaken(naproxen, 2)), "Bad night"),
        (dt.date(2026, 3, 2), (), None),
        (dt.date(2026, 3, 3), (DoseTaken(naproxen, 1),), None),
    ):
        profile.log.check_ins.save(CheckInData(day=day, pain_now=5, notes=notes, doses=doses))
    rows = profile.log.check_ins.daily_log_rows(dt.date(2026, 3, 1), dt.date(2026, 3, 2))
    assert [(r.scores.day.day, r.scores.pain_now, r.notes, r.doses) for r in rows] == [
        (1, 5, "Bad night", (("Tramadol", 1), ("Naproxen", 2))),  # as entered
        (2, 5, None, ()),
    ]
    assert len(profile.log.check_ins.daily_log_rows()) == 3
    assert [
        r.scores.day.day for r in profile.log.check_ins.daily_log_rows(dt.date(2026, 3, 2))
    ] == [
        2,
        3,
    ]

    request = PacketRequest(sections=frozenset({S.DAILY_LOG}))
    text = drawn_texts(draw_body_sections(profile, request, Progress()), PageSize.LETTER)
    assert "Sun 1 Mar 5 – – – – – Tramadol, Naproxen ×2 Bad night" in text[S.DAILY_LOG].text


@pytest.mark.parametrize("size", SIZES)
def test_the_daily_logs_one_line_columns_fit_their_text(size: PageSize) -> None:
    # Its cells are plain strings that do not wrap: each must fit, header words included.
    from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]

    from backlog_app.services.packet.daily_log import COLUMNS
    from backlog_app.services.packet.styles import BOLD, FONT, content_width
    from backlog_app.services.packet.tables import cell_text_width

    width = content_width(size)
    assert sum(column.share for column in COLUMNS) == pytest.approx(1.0)
    widest_date = max(
        stringWidth(format_day_and_weekday(day), FONT, 9)
        for day in (dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(366))
    )
    assert widest_date <= cell_text_width(COLUMNS[0], width)
    for column in COLUMNS:
        assert stringWidth(column.title, BOLD, 9) <= cell_text_width(column, width)
        assert stringWidth("10.0", FONT, 9) <= cell_text_width(column, width)


def test_collection_is_put_off_while_drawing_and_restored_after() -> None:
    import gc

    from backlog_app.services.packet.sections import collection_put_off

    assert gc.isenabled()
    with collection_put_off():
        assert not gc.isenabled()
        with collection_put_off():  # a preview and an export at once
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()  # whoever switched it off before keeps it off
    try:
        with collection_put_off():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
