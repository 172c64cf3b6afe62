"""The packet's front pages: the cover sheet, the request letter, the reference block and the
table of contents, each drawn as PDF bytes on the packet's paper with the bands left empty.

They draw ``FrontFacts`` (``content``) and the assembler's numbers only: no database. The
contents page keeps the same number of pages whatever the page numbers are (every line's
wrapping depends on its title alone), so the assembler can draw it once to count its pages and
again with the final numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.utils import simpleSplit  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Flowable,
    KeepInFrame,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.packet import ContentsEntry, PacketSection, PageSize
from backlog_app.domain.packet import total_pages as pages_in_all
from backlog_app.services.case_letters import letter_story
from backlog_app.services.packet.content import FrontFacts
from backlog_app.services.packet.styles import (
    BOLD,
    FONT,
    HEADER_FILL,
    INK,
    MUTED,
    STYLES,
    build_pdf,
    content_height,
    content_width,
    markup,
    para,
    printable,
    section_heading,
    subheading,
)
from backlog_app.services.packet.tables import field_table

CONFIDENTIAL = (
    "Confidential: this packet contains protected health information about the patient named "
    "above. It is meant only for the addressee, for the review of this request. If it reached "
    "you by mistake, please tell the sender at the phone number above and destroy every copy."
)

# --- Cover ------------------------------------------------------------------------------------


def draw_cover(facts: FrontFacts, total_pages: int, document_count: int, size: PageSize) -> bytes:
    """The cover sheet: always exactly one page (shrunk to fit if the addresses run long)."""
    width = content_width(size)
    story: list[Any] = [
        para("COVER SHEET", _small_caps()),
        para(facts.title, STYLES.title),
    ]
    if facts.urgent:
        story += [Spacer(1, 4), _banner(width), Spacer(1, 10)]
    else:
        story.append(Spacer(1, 8))
    pages = "page" if total_pages == 1 else "pages"
    documents = (
        f"{document_count} document{'s' if document_count != 1 else ''}, after the record summary"
        if document_count
        else "No documents are attached"
    )
    rows = [
        ("To", "\n".join(facts.to_lines)),
        ("Fax", facts.to_fax or "Not recorded"),
        ("From", "\n".join(facts.from_lines)),
        ("Date", format_long_date(facts.prepared_on)),
        ("Re", facts.subject),
    ]
    if facts.identity.reference_number:
        rows.append(("Reference number", facts.identity.reference_number))
    rows += [
        ("Pages", f"This packet has {total_pages} {pages} including this cover."),
        ("Enclosed", documents),
    ]
    if facts.period:
        rows.append(("Period covered", facts.period))
    story += [_cover_fields(rows, width), Spacer(1, 18), _notice(width)]
    fitted = KeepInFrame(width, content_height(size), story, mode="shrink")
    built = build_pdf([fitted], size, facts.title)
    if built.page_count != 1:  # KeepInFrame's shrinking makes this a bug, never the data
        raise RuntimeError(f"the cover took {built.page_count} pages instead of one")
    return built.pdf


def _small_caps() -> Any:
    return ParagraphStyle(
        "packet-kicker", parent=STYLES.body, fontName=BOLD, fontSize=10, textColor=MUTED
    )


def _banner(width: float) -> Any:
    line = ParagraphStyle("packet-banner-note", parent=STYLES.body, alignment=1, fontSize=11)
    table = Table(
        [
            [Paragraph("EXPEDITED REVIEW REQUESTED", STYLES.banner)],
            [Paragraph("Urgent: please handle this as an expedited (fast-track) review.", line)],
        ],
        colWidths=[width - 3],  # the 3-point border stays inside the margins
    )
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 3, INK),
                ("BACKGROUND", (0, 0), (-1, -1), HEADER_FILL),
                ("TOPPADDING", (0, 0), (-1, 0), 10),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 9),
                ("TOPPADDING", (0, 1), (-1, 1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
            ]
        )
    )
    return table


def _cover_fields(rows: Sequence[tuple[str, str]], width: float) -> Any:
    label = ParagraphStyle("packet-cover-label", parent=STYLES.body_bold, fontSize=12, leading=16)
    value = ParagraphStyle("packet-cover-value", parent=STYLES.body, fontSize=12, leading=16)
    strong = ParagraphStyle("packet-cover-strong", parent=value, fontName=BOLD)
    label_width = 1.7 * 72
    table = Table(
        [
            [Paragraph(markup(k), label), Paragraph(markup(v), strong if k == "Pages" else value)]
            for k, v in rows
        ],
        colWidths=[label_width, width - label_width],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, INK),
                ("LINEABOVE", (0, 0), (-1, 0), 1.5, INK),
            ]
        )
    )
    return table


def _notice(width: float) -> Any:
    table = Table([[para(CONFIDENTIAL, STYLES.note)]], colWidths=[width])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, INK),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table


# --- The letter -------------------------------------------------------------------------------


def draw_letter(text: str, size: PageSize) -> bytes:
    """The case's request letter as written, laid out as the letter saved to Documents is
    (``case_letters.letter_story``: paragraphs, "Label:<TAB>value" rows, bullets, the "Re:"
    line in bold), inside the packet's margins and without the saved letter's own header."""
    story = letter_story(text, content_width(size))
    return build_pdf(story or [Spacer(1, 1)], size, "Request letter").pdf


# --- Reference block ----------------------------------------------------------------------------


def draw_reference(facts: FrontFacts, size: PageSize) -> bytes:
    """The reference block: who the packet is about and every number to file it under."""
    width = content_width(size)
    story = section_heading(
        PacketSection.REFERENCE.heading,
        "Please quote these numbers in any reply about this request.",
    )
    group: list[tuple[str, str]] = []
    for label, value in facts.reference_rows:
        if value:
            group.append((label, value))
            continue
        if group:
            story.append(field_table(group, width, large=True))
        story += subheading(label)
        group = []
    if group:
        story.append(field_table(group, width, large=True))
    about = [("Prepared on", format_long_date(facts.prepared_on))]
    about.append(("Period covered", facts.period or "Everything recorded"))
    story += [*subheading("About this packet"), field_table(about, width, large=True)]
    return build_pdf(story, size, PacketSection.REFERENCE.heading).pdf


# --- Contents -----------------------------------------------------------------------------------

_NUMBERS_WIDTH = 118.0  # the page column and the length column
_LENGTH_WIDTH = 52.0
_INDENT = 18.0
_LEADER_STEP = 4.5


def draw_contents(
    entries: Sequence[ContentsEntry],
    omitted: Sequence[tuple[PacketSection, str]],
    size: PageSize,
) -> bytes:
    """The table of contents: each part's title, dot leaders, first page ("12" or "12–14")
    and length; then the sections left out because they had nothing to show, and why."""
    total = pages_in_all(entries)
    story = section_heading(
        PacketSection.CONTENTS.heading,
        f"{total} pages in all. Every page is numbered at the bottom as “Page X of {total}”.",
    )
    story.append(_ContentsLine("", 0, "Page", "Length", header=True))
    for entry in entries:
        story.append(
            _ContentsLine(
                entry.title, entry.level, _page_words(entry), _length_words(entry.page_count)
            )
        )
    if omitted:
        story += subheading("Left out because there was nothing to show")
        for section, reason in omitted:
            story.append(
                Paragraph(
                    f"<b>{markup(section.heading)}:</b> {markup(reason)}",
                    STYLES.bullet,
                    bulletText="•",
                )
            )
    return build_pdf(story, size, PacketSection.CONTENTS.heading).pdf


def _page_words(entry: ContentsEntry) -> str:
    if entry.page_count <= 1:
        return str(entry.first_page)
    return f"{entry.first_page}–{entry.last_page}"


def _length_words(count: int) -> str:
    if count == 0:
        return ""
    return "1 page" if count == 1 else f"{count} pages"


class _ContentsLine(Flowable):  # type: ignore[misc]
    """One line of the contents: the title wrapped in its own column, dot leaders on its last
    line, then the page numbers and the length, right-aligned in fixed columns."""

    def __init__(
        self, title: str, level: int, pages: str, length: str, *, header: bool = False
    ) -> None:
        super().__init__()
        self.title = printable(title)
        self.level = level
        self.pages = printable(pages)
        self.length = length
        self.header = header
        self.font = BOLD if level == 0 or header else FONT
        self.size = 9.0 if header else (10.5 if level == 0 else 10.0)
        self.leading = self.size + 3.5
        self.lines: list[str] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        room = avail_width - self.level * _INDENT - _NUMBERS_WIDTH - 12
        self.lines = _wrap_words(self.title, self.font, self.size, room) or [""]
        gap = 7.0 if self.level == 0 else 4.0
        self.height = len(self.lines) * self.leading + gap
        return avail_width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(MUTED if self.header else INK)
        canvas.setFont(self.font, self.size)
        x = self.level * _INDENT
        baseline = self.height - self.size
        for line in self.lines:
            canvas.drawString(x, baseline, line)
            baseline -= self.leading
        baseline += self.leading
        numbers_x = self.width - _NUMBERS_WIDTH
        if not self.header and self.pages:
            start = x + stringWidth(self.lines[-1], self.font, self.size) + 6
            dot = (int(start / _LEADER_STEP) + 1) * _LEADER_STEP  # dots line up across rows
            canvas.setFont(FONT, self.size)
            canvas.setFillColor(MUTED)
            while dot < numbers_x + 8:
                canvas.drawString(dot, baseline, ".")
                dot += _LEADER_STEP
            canvas.setFillColor(INK)
        canvas.setFont(BOLD if self.level == 0 else FONT, self.size)
        canvas.drawRightString(self.width - _LENGTH_WIDTH - 8, baseline, self.pages)
        canvas.setFont(FONT, self.size)
        canvas.drawRightString(self.width, baseline, self.length)
        if self.header:
            canvas.setStrokeColor(INK)
            canvas.setLineWidth(0.8)
            canvas.line(0, 1, self.width, 1)


def _wrap_words(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines of at most ``width`` points; a word too long for a line is
    cut (a file name without spaces stays inside its column)."""
    words: list[str] = []
    for word in text.split():
        while stringWidth(word, font, size) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and stringWidth(word[:cut], font, size) > width:
                cut -= 1
            words.append(word[:cut])
            word = word[cut:]
        words.append(word)
    return list(simpleSplit(" ".join(words), font, size, width)) if words else []
