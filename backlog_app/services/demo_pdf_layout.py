"""Drawing the demo's letters as real PDFs (reportlab): letterhead, headings, fields, tables.

A letter is plain data (``Letter`` and its blocks); ``render_pdf`` lays it out on US Letter pages
and ``plain_text`` gives the same words as text, which the demo stores as the document's
searchable text. Output is byte-for-byte repeatable (reportlab's ``invariant`` mode), so two demo
profiles made on the same day hold identical files.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape


@dataclass(frozen=True, slots=True)
class Letterhead:
    """Who the letter is from, as printed at the top of page 1."""

    organization: str
    tagline: str  # "Family Medicine", "Diagnostic Imaging"…
    lines: tuple[str, ...]  # address, phone and fax
    colour: str  # "#1f4e79": the band and the organization's name
    npi: str | None = None


@dataclass(frozen=True, slots=True)
class Heading:
    text: str


@dataclass(frozen=True, slots=True)
class Para:
    text: str
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Fields:
    """Label–value pairs in two columns ("Patient: Maria Alvarez")."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Grid:
    """A table with a header row; columns after the first ``text_columns`` are right-aligned."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # fractions of the text width, summing to 1
    text_columns: int = 1
    total: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Boxed:
    """A framed notice ("THIS IS NOT A BILL")."""

    text: str


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


Block = Heading | Para | Fields | Grid | Boxed | PageBreak


@dataclass(frozen=True, slots=True)
class Letter:
    """One document to draw."""

    letterhead: Letterhead
    title: str  # the PDF's title (shown by viewers)
    author: str
    footer: str  # on every page: "Alvarez, Maria · DOB 07/27/1974"
    blocks: tuple[Block, ...] = field(default=())
    serif: bool = False  # insurers' letters in Times, clinics' in Helvetica


def plain_text(letter: Letter) -> str:
    """The letter's words in reading order, one paragraph or table row per line."""
    head = letter.letterhead
    lines = [head.organization, head.tagline, *head.lines]
    if head.npi:
        lines.append(f"NPI {head.npi}")
    for block in letter.blocks:
        if isinstance(block, Heading | Para | Boxed):
            lines.append(block.text)
        elif isinstance(block, Fields):
            lines += [f"{label}: {value}" for label, value in block.pairs]
        elif isinstance(block, Grid):
            for row in (block.header, *block.rows, *([block.total] if block.total else [])):
                lines.append("  ".join(cell for cell in row if cell))
    lines.append(letter.footer)
    return "\n".join(line for line in lines if line)


@functools.lru_cache(maxsize=8)
def render_pdf(letter: Letter) -> bytes:
    """The letter as PDF bytes (US Letter, 1–3 pages, standard fonts, no embedded files).

    Kept in memory once made: every demo made on the same day (tests make many) has the same
    letters.
    """
    from reportlab.lib.pagesizes import LETTER  # type: ignore[import-untyped]
    from reportlab.lib.units import inch  # type: ignore[import-untyped]
    from reportlab.platypus import SimpleDocTemplate  # type: ignore[import-untyped]

    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=0.9 * inch,
        rightMargin=0.9 * inch,
        topMargin=1.75 * inch,
        bottomMargin=0.9 * inch,
        title=letter.title,
        author=letter.author,
        creator=letter.letterhead.organization,
        producer="BackLog demo",
        subject=letter.title,
        invariant=1,
    )
    styles = _Styles(letter.serif)
    width = template.width - 12  # the frame's own padding, 6 points a side
    story = [item for block in letter.blocks for item in _flowables(block, styles, width)]

    def first_page(canvas: Any, doc: Any) -> None:
        _draw_letterhead(canvas, doc, letter, styles, full=True)

    def later_page(canvas: Any, doc: Any) -> None:
        _draw_letterhead(canvas, doc, letter, styles, full=False)

    template.build(story, onFirstPage=first_page, onLaterPages=later_page)
    return buffer.getvalue()


class _Styles:
    """The paragraph styles of one letter."""

    def __init__(self, serif: bool) -> None:
        from reportlab.lib.enums import TA_RIGHT  # type: ignore[import-untyped]
        from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]

        self.regular = "Times-Roman" if serif else "Helvetica"
        self.bold = "Times-Bold" if serif else "Helvetica-Bold"
        size = 11 if serif else 10
        self.body = ParagraphStyle(
            "body", fontName=self.regular, fontSize=size, leading=size * 1.35, spaceAfter=7
        )
        self.strong = ParagraphStyle("strong", parent=self.body, fontName=self.bold)
        self.heading = ParagraphStyle(
            "heading",
            parent=self.body,
            fontName=self.bold,
            fontSize=size + 0.5,
            spaceBefore=6,
            spaceAfter=4,
        )
        self.cell = ParagraphStyle(
            "cell", parent=self.body, fontSize=size - 1.5, leading=(size - 1.5) * 1.25, spaceAfter=0
        )
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=self.bold)
        self.cell_right = ParagraphStyle("cell_right", parent=self.cell, alignment=TA_RIGHT)
        self.cell_bold_right = ParagraphStyle(
            "cell_bold_right", parent=self.cell_bold, alignment=TA_RIGHT
        )


def _flowables(block: Block, styles: _Styles, width: float) -> list[Any]:
    from reportlab.lib import colors  # type: ignore[import-untyped]
    from reportlab.platypus import PageBreak as RlPageBreak
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    if isinstance(block, PageBreak):
        return [RlPageBreak()]
    if isinstance(block, Heading):
        return [Paragraph(escape(block.text), styles.heading)]
    if isinstance(block, Para):
        return [Paragraph(_lines(block.text), styles.strong if block.bold else styles.body)]
    if isinstance(block, Boxed):
        table = Table([[Paragraph(escape(block.text), styles.heading)]], colWidths=[width])
        table.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
                    ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return [table, Spacer(1, 8)]
    if isinstance(block, Fields):
        half = (len(block.pairs) + 1) // 2
        left, right = block.pairs[:half], block.pairs[half:]
        rows = []
        for index in range(half):
            row = []
            for column in (left, right):
                if index < len(column):
                    label, value = column[index]
                    row += [
                        Paragraph(escape(label), styles.cell_bold),
                        Paragraph(_lines(value), styles.cell),
                    ]
                else:
                    row += ["", ""]
            rows.append(row)
        table = Table(rows, colWidths=[width * f for f in (0.17, 0.33, 0.17, 0.33)])
        table.setStyle(TableStyle(_FIELD_STYLE))
        return [table, Spacer(1, 10)]
    return [_grid(block, styles, width, colors, Table, TableStyle, Paragraph), Spacer(1, 10)]


_FIELD_STYLE = [
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ("TOPPADDING", (0, 0), (-1, -1), 1),
]


def _grid(
    block: Grid, styles: _Styles, width: float, colors: Any, table: Any, style: Any, para: Any
) -> Any:
    def cells(row: Sequence[str], bold: bool) -> list[Any]:
        if bold:
            left, right = styles.cell_bold, styles.cell_bold_right
        else:
            left, right = styles.cell, styles.cell_right
        return [
            para(escape(cell), left if index < block.text_columns else right)
            for index, cell in enumerate(row)
        ]

    rows = [cells(block.header, True), *(cells(row, False) for row in block.rows)]
    if block.total:
        rows.append(cells(block.total, True))
    result = table(rows, colWidths=[width * fraction for fraction in block.widths], repeatRows=1)
    commands: list[tuple[Any, ...]] = [
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecf0")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        (
            "ROWBACKGROUNDS",
            (0, 1),
            (-1, len(block.rows)),
            [colors.white, colors.HexColor("#f6f7f8")],
        ),
    ]
    if block.total:
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black))
    result.setStyle(style(commands))
    return result


def _lines(text: str) -> str:
    return "<br/>".join(escape(line) for line in text.split("\n"))


def _draw_letterhead(canvas: Any, doc: Any, letter: Letter, styles: _Styles, *, full: bool) -> None:
    from reportlab.lib import colors
    from reportlab.lib.units import inch

    head = letter.letterhead
    width, height = doc.pagesize
    left, right = doc.leftMargin, width - doc.rightMargin
    colour = colors.HexColor(head.colour)
    canvas.saveState()
    canvas.setFillColor(colour)
    canvas.rect(0, height - 0.32 * inch, width, 0.32 * inch, stroke=0, fill=1)
    top = height - 0.75 * inch
    if full:
        # A simple mark: a filled circle with the organization's initials.
        initials = "".join(word[0] for word in head.organization.split() if word[0].isupper())[:3]
        canvas.circle(left + 0.3 * inch, top - 0.12 * inch, 0.3 * inch, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(styles.bold, 11)
        canvas.drawCentredString(left + 0.3 * inch, top - 0.16 * inch, initials)
        canvas.setFillColor(colour)
        canvas.setFont(styles.bold, 16)
        canvas.drawString(left + 0.75 * inch, top, head.organization)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.setFont(styles.regular, 9.5)
        canvas.drawString(left + 0.75 * inch, top - 14, head.tagline)
        y = top + 2
        for line in (*head.lines, *([f"NPI {head.npi}"] if head.npi else [])):
            canvas.drawRightString(right, y, line)
            y -= 11.5
        canvas.setStrokeColor(colour)
        canvas.setLineWidth(1.2)
        canvas.line(left, height - 1.45 * inch, right, height - 1.45 * inch)
    else:
        canvas.setFillColor(colour)
        canvas.setFont(styles.bold, 11)
        canvas.drawString(left, top + 8, head.organization)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.setFont(styles.regular, 9)
        canvas.drawRightString(right, top + 8, letter.title)
        canvas.setStrokeColor(colour)
        canvas.line(left, top, right, top)
    canvas.setFont(styles.regular, 8)
    canvas.setFillColor(colors.HexColor("#555555"))
    canvas.drawString(left, 0.55 * inch, letter.footer)
    canvas.drawRightString(right, 0.55 * inch, f"Page {doc.page}")
    canvas.restoreState()
