"""The marks on every packet page: the identity line on top (with an attached document's title
line under it) and the packet's name and "Page X of Y" at the bottom.

Drawn as one ReportLab PDF with a page per packet page, in the bands that nothing else uses
(``domain.packet``); the assembler lays each of its pages over the matching packet page. A line
too long for the page is set smaller, down to a floor, then shortened with "…".
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from backlog_app.domain.packet import (
    DOCUMENT_LINE_BASELINE,
    FOOTER_BASELINE,
    HEADER_BAND,
    HEADER_BASELINE,
    SIDE_MARGIN,
    page_label,
)
from backlog_app.services.packet.styles import printable
from backlog_app.services.packet.tables import shortened

_FONT, _BOLD = "Helvetica", "Helvetica-Bold"
_HEADER_SIZE, _DOCUMENT_SIZE, _FOOTER_SIZE, _SMALLEST = 9.0, 8.5, 8.0, 6.5
_INK, _MUTED, _RULE = "#1f2937", "#4b5563", "#9ca3af"


@dataclass(frozen=True, slots=True)
class PageStamp:
    """What one page carries besides the identity line and page label."""

    document_line: str | None = None  # "Document 3 of 12: Imaging report · … (page 2 of 4)"


def fitted(text: str, font: str, size: float, width: float) -> tuple[str, float]:
    """``text`` and the font size it fits ``width`` at: smaller down to ``_SMALLEST``, then cut
    with "…"."""
    from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]

    while size > _SMALLEST and stringWidth(text, font, size) > width:
        size = max(_SMALLEST, size - 0.5)
    if stringWidth(text, font, size) <= width:
        return text, size
    return shortened(text, width, font=font, size=size), size


def draw_stamps(
    header: str,
    footer: str,
    stamps: Sequence[PageStamp],
    sizes: Sequence[tuple[float, float]],
) -> bytes:
    """One overlay page per packet page, of that page's size."""
    from reportlab.lib import colors  # type: ignore[import-untyped]
    from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

    total = len(stamps)
    header, footer = printable(header), printable(footer)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, pageCompression=1)
    for number, (stamp, (width, height)) in enumerate(zip(stamps, sizes, strict=True), start=1):
        canvas.setPageSize((width, height))
        usable = width - 2 * SIDE_MARGIN
        label = page_label(number, total)
        canvas.setFillColor(colors.HexColor(_INK))
        text, size = fitted(header, _BOLD, _HEADER_SIZE, usable)
        canvas.setFont(_BOLD, size)
        canvas.drawString(SIDE_MARGIN, height - HEADER_BASELINE, text)
        if stamp.document_line:
            canvas.setFillColor(colors.HexColor(_MUTED))
            text, size = fitted(printable(stamp.document_line), _FONT, _DOCUMENT_SIZE, usable)
            canvas.setFont(_FONT, size)
            canvas.drawString(SIDE_MARGIN, height - DOCUMENT_LINE_BASELINE, text)
        canvas.setStrokeColor(colors.HexColor(_RULE))
        canvas.setLineWidth(0.5)
        rule_y = height - HEADER_BAND + 4
        canvas.line(SIDE_MARGIN, rule_y, width - SIDE_MARGIN, rule_y)
        canvas.setFillColor(colors.HexColor(_INK))
        canvas.setFont(_BOLD, _FOOTER_SIZE + 1)
        canvas.drawRightString(width - SIDE_MARGIN, FOOTER_BASELINE, label)
        label_width = canvas.stringWidth(label, _BOLD, _FOOTER_SIZE + 1)
        canvas.setFillColor(colors.HexColor(_MUTED))
        text, size = fitted(footer, _FONT, _FOOTER_SIZE, usable - label_width - 18)
        canvas.setFont(_FONT, size)
        canvas.drawString(SIDE_MARGIN, FOOTER_BASELINE, text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
