"""The look of the packet's own pages: fonts, sizes, paragraph styles, the page frame, and the
one place text is made safe for the standard PDF fonts.

Every page of ours is built by ``build_pdf``: one frame inside ``domain.packet.CONTENT_MARGINS``
(the header and footer bands stay empty for the assembler's stamps), Helvetica only (nothing
embedded: small files), and ReportLab's ``invariant`` mode, so the same story gives the same
bytes. Sizes stay at 9 pt or more: the pages must survive a fax.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_CENTER  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus.flowables import HRFlowable  # type: ignore[import-untyped]

from backlog_app.domain.packet import CONTENT_MARGINS, PageSize

FONT = "Helvetica"
BOLD = "Helvetica-Bold"
ITALIC = "Helvetica-Oblique"

INK = colors.HexColor("#111111")
MUTED = colors.HexColor("#4A4A4A")
RULE = colors.HexColor("#8C8C8C")
LIGHT_RULE = colors.HexColor("#BDBDBD")
HEADER_FILL = colors.HexColor("#E6E6E6")
ZEBRA = colors.HexColor("#F3F3F3")
WHITE = colors.white

TABLE_SIZE = 9.0
TABLE_LEADING = 11.0

# --- Text ---------------------------------------------------------------------------------------

# Letters the standard PDF fonts lack and that do not decompose to a plain letter.
_FALLBACKS = {
    "Ł": "L",
    "ł": "l",
    "Đ": "D",
    "đ": "d",
    "Ħ": "H",
    "ħ": "h",
    "ı": "i",
    "→": "->",
    "≥": ">=",
    "≤": "<=",
    "✓": "v",
}


def printable(text: str) -> str:
    """``text`` in the characters the standard PDF fonts have (Windows-1252): others are
    spelled without their accent ("Ż" → "Z"), replaced by a plain look-alike ("→" → "->"), or
    shown as "?"."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        pass
    else:
        return text  # the usual case, at C speed
    out = []
    for char in text:
        try:
            char.encode("cp1252")
        except UnicodeEncodeError:
            fallback = _FALLBACKS.get(char)
            if fallback is not None:
                out.append(fallback)
                continue
            plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append(plain or "?")
        else:
            out.append(char)
    return "".join(out)


def markup(text: str) -> str:
    """Plain ``text`` as Paragraph markup: printable, escaped, its line breaks kept."""
    lines = printable(text).strip().splitlines()
    return "<br/>".join(escape(line.rstrip()) for line in lines)


def one_line(text: str | None) -> str:
    """Free text squeezed onto one line (its line breaks and runs of spaces become one space)."""
    return " ".join((text or "").split())


# --- Paragraph styles ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of our pages."""

    title: Any
    heading: Any
    subheading: Any
    minor_heading: Any
    body: Any
    body_bold: Any
    note: Any
    bullet: Any
    cell: Any
    cell_bold: Any
    cell_right: Any
    field: Any
    field_bold: Any
    header_cell: Any
    header_cell_right: Any
    header_cell_center: Any
    banner: Any


def _styles() -> Styles:
    body = ParagraphStyle(
        "packet-body", fontName=FONT, fontSize=10.5, leading=14, textColor=INK, spaceAfter=4
    )
    cell = ParagraphStyle(
        "packet-cell", fontName=FONT, fontSize=TABLE_SIZE, leading=TABLE_LEADING, textColor=INK
    )
    header = ParagraphStyle("packet-header-cell", parent=cell, fontName=BOLD)
    return Styles(
        title=ParagraphStyle(
            "packet-title", parent=body, fontName=BOLD, fontSize=18, leading=22, spaceAfter=6
        ),
        heading=ParagraphStyle(
            "packet-heading", parent=body, fontName=BOLD, fontSize=15, leading=19, spaceAfter=2
        ),
        subheading=ParagraphStyle(
            "packet-subheading",
            parent=body,
            fontName=BOLD,
            fontSize=11.5,
            leading=15,
            spaceBefore=10,
            spaceAfter=4,
        ),
        minor_heading=ParagraphStyle(
            "packet-minor-heading",
            parent=body,
            fontName=BOLD,
            fontSize=10,
            leading=13,
            spaceBefore=6,
            spaceAfter=3,
        ),
        body=body,
        body_bold=ParagraphStyle("packet-body-bold", parent=body, fontName=BOLD),
        note=ParagraphStyle(
            "packet-note", parent=body, fontName=ITALIC, fontSize=9.5, leading=12.5, textColor=MUTED
        ),
        bullet=ParagraphStyle(
            "packet-bullet",
            parent=body,
            fontSize=10,
            leading=13,
            leftIndent=14,
            bulletIndent=3,
            spaceAfter=2.5,
        ),
        cell=cell,
        cell_bold=ParagraphStyle("packet-cell-bold", parent=cell, fontName=BOLD),
        cell_right=ParagraphStyle("packet-cell-right", parent=cell, alignment=2),
        field=ParagraphStyle("packet-field", parent=cell, fontSize=10, leading=13),
        field_bold=ParagraphStyle(
            "packet-field-bold", parent=cell, fontName=BOLD, fontSize=10, leading=13
        ),
        header_cell=header,
        header_cell_right=ParagraphStyle("packet-header-right", parent=header, alignment=2),
        header_cell_center=ParagraphStyle("packet-header-center", parent=header, alignment=1),
        banner=ParagraphStyle(
            "packet-banner",
            parent=body,
            fontName=BOLD,
            fontSize=20,
            leading=24,
            alignment=TA_CENTER,
            spaceAfter=0,
        ),
    )


STYLES = _styles()


def para(text: str, style: Any = None) -> Any:
    """A Paragraph of plain ``text`` (made printable and escaped)."""
    return Paragraph(markup(text), style if style is not None else STYLES.body)


def bold_lead(label: str, text: str, style: Any = None) -> Any:
    """A paragraph that starts with a bold label: "<b>Status:</b> Denied"."""
    return Paragraph(
        f"<b>{escape(printable(label))}</b> {markup(text)}",
        style if style is not None else STYLES.body,
    )


def section_heading(title: str, intro: str | None = None) -> list[Any]:
    """The heading at the top of a section, with a rule under it and an optional intro line."""
    story: list[Any] = [
        para(title, STYLES.heading),
        HRFlowable(width="100%", thickness=1.2, color=INK, spaceBefore=2, spaceAfter=8),
    ]
    if intro:
        story += [para(intro, STYLES.note), Spacer(1, 4)]
    return story


# A subheading starts a new page unless this much room is left under it: a heading alone at
# the bottom of a page reads badly, yet keeping it with a whole table would leave half pages
# empty (ReportLab's keepWithNext moves the table too).
_ROOM_UNDER_SUBHEADING = 110.0


def subheading(title: str, room: float = _ROOM_UNDER_SUBHEADING) -> list[Any]:
    """A subheading, moved to the next page when less than ``room`` points are left under it
    (the default suits a table: its header and a few rows)."""
    return [CondPageBreak(room), para(title, STYLES.subheading)]


def minor_heading(title: str) -> list[Any]:
    """A heading under a subheading ("Timeline" under a case's title)."""
    return [CondPageBreak(_ROOM_UNDER_SUBHEADING - 15), para(title, STYLES.minor_heading)]


# --- Pages --------------------------------------------------------------------------------------


def content_width(size: PageSize) -> float:
    """The width our content may use on ``size`` paper, in points."""
    left, _, right, _ = CONTENT_MARGINS
    return size.points[0] - left - right


def content_height(size: PageSize) -> float:
    """The height our content may use on ``size`` paper, in points."""
    _, top, _, bottom = CONTENT_MARGINS
    return size.points[1] - top - bottom


@dataclass(frozen=True, slots=True)
class BuiltPdf:
    """Drawn pages: the PDF's bytes and how many pages it has."""

    pdf: bytes
    page_count: int


def build_pdf(
    story: Sequence[Any],
    size: PageSize,
    title: str = "",
    *,
    on_page: Callable[[], None] | None = None,
) -> BuiltPdf:
    """``story`` laid out on ``size`` pages inside the content margins; same story, same bytes.

    Nothing is drawn in the header and footer bands: the assembler stamps them later.

    Args:
        on_page: called as each page is finished; an exception it raises (``Cancelled`` from
            ``Progress.check_cancelled``) stops the layout there: a long daily log takes
            seconds in one build.
    """
    left, top, right, bottom = CONTENT_MARGINS
    width, height = size.points
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=(width, height),
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=printable(title),
        author="",
        creator="BackLog",
        producer="BackLog",
        invariant=1,
        pageCompression=1,
    )
    frame = Frame(
        left,
        bottom,
        width - left - right,
        height - top - bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="content",
    )

    def page_end(_canvas: Any, _document: Any) -> None:
        if on_page is not None:
            on_page()

    document.addPageTemplates([PageTemplate(id="packet", frames=[frame], onPageEnd=page_end)])
    document.build(list(story))
    return BuiltPdf(buffer.getvalue(), int(document.page))
