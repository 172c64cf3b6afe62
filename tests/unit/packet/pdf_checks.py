"""Checks the packet's own pages must pass: they open, have the pages they claim, are on the
chosen paper, leave the header and footer bands empty, and say what they should."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf
import pypdfium2 as pdfium  # type: ignore[import-untyped]

from backlog_app.domain.packet import CONTENT_MARGINS, FOOTER_BAND, HEADER_BAND, PageSize

# Points of slack for a rule's stroke width at the edges of the content frame (PDFium counts it
# into a line's bounds): rules under headings and above tables are up to 1.5 points thick.
_SLACK = 2.0


@dataclass(frozen=True)
class PdfFacts:
    """What a drawn PDF turned out to be."""

    page_count: int
    page_sizes: list[tuple[float, float]]
    texts: list[str]  # each page's text
    band_text: list[str]  # text found in the header or footer band, per page
    band_objects: int  # page objects (text, paths, images) reaching into a band
    outside_objects: int  # page objects reaching past the side margins (cut off, or crowded)
    image_count: int
    path_count: int

    @property
    def text(self) -> str:
        """All pages' text with line breaks turned to spaces (wrapped words compare alike)."""
        return " ".join(" ".join(page.split()) for page in self.texts)


def inspect_pdf(data: bytes) -> PdfFacts:
    """Open ``data`` with pikepdf (it must be a sound PDF) and read it with PDFium."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        count = len(pdf.pages)
        sizes = [
            (
                float(page.mediabox[2]) - float(page.mediabox[0]),
                float(page.mediabox[3]) - float(page.mediabox[1]),
            )
            for page in pdf.pages
        ]
    document = pdfium.PdfDocument(data)
    texts, band_text = [], []
    band_objects = outside = images = paths = 0
    left_edge, _, right_margin, _ = CONTENT_MARGINS
    try:
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            top = textpage.get_text_bounded(0, height - HEADER_BAND, width, height)
            bottom = textpage.get_text_bounded(0, 0, width, FOOTER_BAND)
            band_text.append((top + bottom).strip())
            for obj in page.get_objects():
                left, low, right, high = obj.get_bounds()
                if high > height - HEADER_BAND + _SLACK or low < FOOTER_BAND - _SLACK:
                    band_objects += 1
                if left < left_edge - _SLACK or right > width - right_margin + _SLACK:
                    outside += 1
                if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE:
                    images += 1
                elif obj.type == pdfium.raw.FPDF_PAGEOBJ_PATH:
                    paths += 1
    finally:
        document.close()
    return PdfFacts(count, sizes, texts, band_text, band_objects, outside, images, paths)


def assert_sound(facts: PdfFacts, size: PageSize, page_count: int | None = None) -> None:
    """The pages are on ``size`` paper, there are ``page_count`` of them (when given), nothing
    is drawn in the header and footer bands, and nothing runs past the side margins."""
    if page_count is not None:
        assert facts.page_count == page_count
    assert facts.page_count >= 1
    width, height = size.points
    for page_width, page_height in facts.page_sizes:
        assert abs(page_width - width) < 0.01 and abs(page_height - height) < 0.01
    assert facts.band_text == [""] * facts.page_count
    assert facts.band_objects == 0
    assert facts.outside_objects == 0
