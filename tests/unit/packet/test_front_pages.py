"""The packet's front pages: cover sheet, request letter, reference block and contents."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pikepdf
import pytest
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from backlog_app.domain.packet import (
    ContentsEntry,
    PacketIdentity,
    PacketPart,
    PacketSection,
    PageSize,
    number_parts,
)
from backlog_app.services.case_letters import letter_blocks
from backlog_app.services.packet.content import FrontFacts
from backlog_app.services.packet.front_pages import (
    draw_contents,
    draw_cover,
    draw_letter,
    draw_reference,
)
from tests.unit.packet.pdf_checks import assert_sound, inspect_pdf

SIZES = [PageSize.LETTER, PageSize.A4]

FACTS = FrontFacts(
    title="Coverage packet — Microdiscectomy — L4-L5 left",
    identity=PacketIdentity("Ana Reyes", dt.date(1961, 3, 2), "XJH123456", "A-2026-118"),
    case_title="Microdiscectomy — L4-L5 left",
    urgent=True,
    to_lines=("Buckeye Mutual Health — Appeals Unit", "PO Box 18220", "Columbus, OH 43218"),
    to_fax="1-614-555-0190",
    from_lines=("Ana Reyes", "12 Elm St", "Dayton, OH 45402", "Phone: (937) 555-0100"),
    subject="Appeal of denied coverage: Microdiscectomy — L4-L5 left",
    prepared_on=dt.date(2026, 11, 27),
    period="1 Jan 2025 to 27 Nov 2026",
    reference_rows=(
        ("Patient and plan", ""),
        ("Patient", "Ana Reyes"),
        ("Member ID", "XJH123456"),
        ("Group number", "GRP-77120"),
        ("This request", ""),
        ("Reference number", "A-2026-118"),
        ("CPT code(s)", "63030"),
        ("ICD-10 code(s)", "M51.16"),
        ("The decision being appealed", ""),
        ("Reason quoted", "“Six weeks of physical therapy are not documented.”"),
    ),
    letter_text=None,
)

LETTER = """Ana Reyes
12 Elm St
Dayton, OH 45402

27 Nov 2026

Re: First-level internal appeal — Microdiscectomy — L4-L5 left

Patient:\tAna Reyes
Member ID:\tXJH123456
Claim number:\tCLM-55120

Dear Appeals Reviewer,

{paragraphs}

• Physical therapy: 16 visits over 8 weeks
• Naproxen 500 mg twice a day: 6 weeks, no effect

Sincerely,
Ana Reyes
"""


def letter(paragraphs: int) -> str:
    body = "I am writing to appeal your decision. " * 12
    return LETTER.format(paragraphs="\n\n".join([body] * paragraphs))


# --- Cover ------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("urgent", [True, False])
def test_the_cover_is_one_page_saying_where_what_and_how_many(size: PageSize, urgent: bool) -> None:
    facts = dataclasses.replace(FACTS, urgent=urgent)
    cover = inspect_pdf(draw_cover(facts, 57, 12, size))

    assert_sound(cover, size, page_count=1)
    text = cover.text
    assert ("EXPEDITED REVIEW REQUESTED" in text) is urgent
    for expected in (
        "Buckeye Mutual Health — Appeals Unit",
        "PO Box 18220",
        "1-614-555-0190",
        "Phone: (937) 555-0100",
        "27 Nov 2026",
        "Appeal of denied coverage: Microdiscectomy — L4-L5 left",
        "A-2026-118",
        "This packet has 57 pages including this cover.",
        "12 documents",
        "1 Jan 2025 to 27 Nov 2026",
        "protected health information",
    ):
        assert expected in text


@pytest.mark.parametrize(
    ("pages", "documents", "expected"),
    [
        (1, 0, ["This packet has 1 page including this cover.", "No documents are attached"]),
        (3, 1, ["This packet has 3 pages including this cover.", "1 document, after"]),
    ],
)
def test_the_cover_counts_in_plain_words(pages: int, documents: int, expected: list[str]) -> None:
    facts = dataclasses.replace(FACTS, to_fax=None, period=None)
    text = inspect_pdf(draw_cover(facts, pages, documents, PageSize.LETTER)).text
    assert all(words in text for words in expected)
    assert "Fax Not recorded" in text
    assert "Period covered" not in text


def test_a_cover_with_very_long_addresses_still_fits_on_one_page() -> None:
    long = tuple(
        f"Line {n} of an address that someone typed out in far too much detail" for n in range(30)
    )
    facts = dataclasses.replace(FACTS, to_lines=long, from_lines=long)
    cover = inspect_pdf(draw_cover(facts, 9, 2, PageSize.A4))
    assert_sound(cover, PageSize.A4, page_count=1)
    assert "Line 29 of an address" in cover.text


# --- Letter and reference block ------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_the_letter_runs_over_pages_inside_the_margins(size: PageSize) -> None:
    drawn = inspect_pdf(draw_letter(letter(paragraphs=12), size))
    assert_sound(drawn, size)
    assert drawn.page_count >= 2
    text = drawn.text
    assert "Re: First-level internal appeal" in text
    assert "Claim number: CLM-55120" in text  # a field line drawn as label and value
    assert "Physical therapy: 16 visits over 8 weeks" in text
    assert "\t" not in "".join(drawn.texts)


def shown_text(pdf: bytes) -> dict[str, str]:
    """Each piece of text drawn on the pages (one text operator's string, stripped) and the
    font it was drawn in ("Helvetica-Bold")."""
    shown: dict[str, str] = {}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            fonts = {str(key): str(font.BaseFont)[1:] for key, font in page.Resources.Font.items()}
            font = ""
            for instruction in pikepdf.parse_content_stream(page):
                if not isinstance(instruction, pikepdf.ContentStreamInstruction):
                    continue  # an inline image
                operands, operator = instruction.operands, instruction.operator
                if str(operator) == "Tf":
                    font = fonts[str(operands[0])]
                elif str(operator) in ("Tj", "TJ"):
                    parts = operands[0] if str(operator) == "TJ" else [operands[0]]
                    words = "".join(
                        bytes(part).decode("cp1252")
                        for part in parts
                        if isinstance(part, pikepdf.String)
                    )
                    shown.setdefault(words.strip(), font)
    return shown


def test_a_re_line_over_field_lines_leaves_the_values_plain() -> None:
    # One paragraph mixing a "Re:" line and "Label:<TAB>value" lines: the Re: line is bold,
    # the labels are bold in their column, the values are not.
    text = (
        "Re: First-level internal appeal\nPatient:\tAna Reyes\nClaim number:\tCLM-55120\n\n"
        "Dear Appeals Reviewer,\n\n- Physical therapy: 16 visits"
    )
    pdf = draw_letter(text, PageSize.LETTER)
    assert_sound(inspect_pdf(pdf), PageSize.LETTER, page_count=1)
    fonts = shown_text(pdf)
    assert {
        words: fonts.get(words)
        for words in (
            "Re: First-level internal appeal",
            "Patient:",
            "Ana Reyes",
            "Claim number:",
            "CLM-55120",
            "Dear Appeals Reviewer,",
            "Physical therapy: 16 visits",
        )
    } == {
        "Re: First-level internal appeal": "Helvetica-Bold",
        "Patient:": "Helvetica-Bold",
        "Ana Reyes": "Helvetica",
        "Claim number:": "Helvetica-Bold",
        "CLM-55120": "Helvetica",
        "Dear Appeals Reviewer,": "Helvetica",
        "Physical therapy: 16 visits": "Helvetica",
    }


def test_the_packet_letter_is_cut_as_the_saved_letter_is() -> None:
    # One layout for the letter: the packet draws the blocks the saved PDF draws.
    blocks = letter_blocks("Re: Appeal\nPatient:\tAna Reyes\n\n• One\n• Two\nSincerely,")
    assert [(block.kind, block.lines, block.fields) for block in blocks] == [
        ("bold", ("Re: Appeal",), ()),
        ("fields", ("Patient:\tAna Reyes",), (("Patient", "Ana Reyes"),)),
        ("gap", (), ()),
        ("bullet", ("• One", "• Two"), ()),
        ("text", ("Sincerely,",), ()),
    ]


@pytest.mark.parametrize("size", SIZES)
def test_the_reference_block_lists_every_number(size: PageSize) -> None:
    drawn = inspect_pdf(draw_reference(FACTS, size))
    assert_sound(drawn, size, page_count=1)
    text = drawn.text
    for label, value in FACTS.reference_rows:
        assert label in text
        assert value in text
    assert "Prepared on 27 Nov 2026" in text
    assert "Period covered 1 Jan 2025 to 27 Nov 2026" in text


# --- Contents ---------------------------------------------------------------------------------


def entries(first_documents_page: int = 0, documents: int = 3) -> tuple[ContentsEntry, ...]:
    parts = [
        PacketPart("cover", "Cover sheet", 1),
        PacketPart("letter", "Request letter", 2),
        PacketPart("reference", "Reference information", 1),
        PacketPart("contents", "Contents", 1),
        PacketPart("summary", "Conservative care summary", 1),
        PacketPart("daily_log", "Daily log", 111 + first_documents_page),
        PacketPart("documents", "Attached documents", 0),
    ]
    parts += [
        PacketPart(
            f"document:{n}",
            f"Imaging report · 14 Mar 2026 · Westgate Imaging, lumbar spine MRI with and "
            f"without contrast, number {n}",
            3,
            1,
        )
        for n in range(documents)
    ]
    return number_parts(parts)


OMITTED = [
    (PacketSection.CALLS, "No calls were recorded between 1 Jan 2025 and 27 Nov 2026."),
    (PacketSection.COSTS, "No costs were recorded."),
]


@pytest.mark.parametrize("size", SIZES)
def test_the_contents_lists_pages_and_what_was_left_out(size: PageSize) -> None:
    drawn = inspect_pdf(draw_contents(entries(), OMITTED, size))
    assert_sound(drawn, size, page_count=1)
    text = drawn.text
    assert "126 pages in all" in text
    assert "Request letter" in text and "2–3 2 pages" in text
    assert "Daily log" in text and "7–117 111 pages" in text
    assert "Attached documents" in text
    assert "number 2" in text and "124–126 3 pages" in text
    assert "Call log: No calls were recorded between 1 Jan 2025 and 27 Nov 2026." in text
    assert "Costs summary: No costs were recorded." in text
    assert ". . ." in drawn.texts[0] or "...." in drawn.texts[0].replace(" ", "")  # leaders


@pytest.mark.parametrize("size", SIZES)
def test_the_contents_page_count_does_not_depend_on_the_numbers(size: PageSize) -> None:
    # The assembler draws the contents once to count its pages and again with the final
    # numbers: one-digit and four-digit page numbers must wrap the same.
    for documents in (3, 60, 200):
        small = inspect_pdf(draw_contents(entries(0, documents), OMITTED, size))
        large = inspect_pdf(draw_contents(entries(9000, documents), OMITTED, size))
        assert small.page_count == large.page_count
        assert_sound(small, size)
        assert_sound(large, size)
    assert small.page_count > 1  # 200 documents do not fit on one page


def test_a_title_without_spaces_stays_inside_its_column() -> None:
    title = "scan_" + "x" * 200 + ".pdf"
    parts = number_parts([PacketPart("document:1", title, 2, 1)])
    drawn = inspect_pdf(draw_contents(parts, [], PageSize.LETTER))
    assert_sound(drawn, PageSize.LETTER, page_count=1)
    assert drawn.text.replace(" ", "").count("x") >= 200


# --- Every front page ---------------------------------------------------------------------------


def test_the_same_facts_give_the_same_bytes() -> None:
    for draw in (
        lambda: draw_cover(FACTS, 57, 12, PageSize.LETTER),
        lambda: draw_letter(letter(3), PageSize.A4),
        lambda: draw_reference(FACTS, PageSize.LETTER),
        lambda: draw_contents(entries(), OMITTED, PageSize.A4),
    ):
        assert draw() == draw()


def test_text_outside_the_pdf_fonts_is_spelled_plainly() -> None:
    facts = dataclasses.replace(FACTS, from_lines=("Łucja Żółkiewska", "ul. Długa 5 → Kraków"))
    text = inspect_pdf(draw_cover(facts, 2, 0, PageSize.A4)).text
    assert "Lucja Zólkiewska" in text
    assert "ul. Dluga 5 -> Kraków" in text


def test_the_band_check_catches_a_stamp() -> None:
    # The checks above mean something: a page with a header line fails them.
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PageSize.LETTER.points, invariant=1)
    canvas.drawString(72, 792 - 20, "A header line")
    canvas.drawString(72, 400, "Body")
    canvas.showPage()
    canvas.save()
    facts = inspect_pdf(buffer.getvalue())
    assert facts.band_text == ["A header line"]
    with pytest.raises(AssertionError):
        assert_sound(facts, PageSize.LETTER)
