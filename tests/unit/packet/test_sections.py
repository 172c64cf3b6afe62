"""The packet's body sections drawn from a record: sound pages, the record's figures, the
date range, empty sections left out with a reason, and ten years of diary."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from backlog_app.domain.log_records import CheckInData, DoseTaken, MedicationData
from backlog_app.domain.packet import CHOOSABLE_SECTIONS, PacketSection, PageSize
from backlog_app.errors import Cancelled
from backlog_app.services.context import ProfileSession
from backlog_app.services.packet.request import PacketRequest
from backlog_app.services.packet.sections import BODY_SECTIONS, BodySections, draw_body_sections
from backlog_app.services.progress import Progress
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


def case_named(profile: ProfileSession, start: str) -> int:
    return next(i for i, title in profile.cases.titles().items() if title.startswith(start))


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


def add_ten_years(profile: ProfileSession, today: dt.date) -> None:
    rng = random.Random(7)
    start = today - dt.timedelta(days=3649)
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
            for n in range(3650)
        ]
    )


def test_ten_years_of_daily_entries_draw(profile: ProfileSession, today: dt.date) -> None:
    # Letter only: A4 draws the same rows with the same code, and this test is one of the slowest.
    size = PageSize.LETTER
    add_ten_years(profile, today)
    request = PacketRequest(sections=frozenset({S.DAILY_LOG, S.SCORES}), page_size=size)
    body = draw_body_sections(profile, request, Progress())
    facts = drawn_texts(body, size)
    log = body.drawn[1]
    assert log.section is S.DAILY_LOG
    assert log.page_count > 90  # 3,650 one-line rows, 120 month headings
    text = facts[S.DAILY_LOG].text
    assert "November 2026 · 27 days logged" in text
    assert f"{today - dt.timedelta(days=3649):%B %Y}" in text
    assert "Gabapentin ×3, Naproxen ×2" in text


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
        stringWidth(f"{day:%a} {day.day} {day:%b}", FONT, 9)
        for day in (dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(366))
    )
    assert widest_date <= cell_text_width(COLUMNS[0], width)
    for column in COLUMNS:
        assert stringWidth(column.title, BOLD, 9) <= cell_text_width(column, width)
        assert stringWidth("10.0", FONT, 9) <= cell_text_width(column, width)
