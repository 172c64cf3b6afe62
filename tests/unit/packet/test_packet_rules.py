"""The packet's pure rules: section order, numbering, bands and placement, document order."""

from __future__ import annotations

import datetime as dt

import pytest

from backlog_app.domain.documents import DocumentKind
from backlog_app.domain.packet import (
    CHOOSABLE_SECTIONS,
    CONTENT_MARGINS,
    FOOTER_BAND,
    HEADER_BAND,
    PacketIdentity,
    PacketPart,
    PacketSection,
    PageSize,
    Rect,
    attachment_area,
    case_reference,
    fit_into,
    image_area_size,
    number_parts,
    packet_page_for,
    packet_title,
    page_label,
    range_problems,
    scan_pixels,
    sections_in_order,
    total_pages,
)
from backlog_app.domain.packet_documents import (
    DocumentChoice,
    default_document_order,
    document_heading,
)

S = PacketSection
D = dt.date


def test_sections_print_in_the_reviewers_order() -> None:
    assert [s.value for s in PacketSection] == [
        "cover", "letter", "reference", "contents", "summary", "scores", "medications",
        "treatments", "daily_log", "timeline", "calls", "network", "costs", "documents",
    ]  # fmt: skip
    assert S.COVER not in CHOOSABLE_SECTIONS and S.CONTENTS not in CHOOSABLE_SECTIONS
    assert all(section.heading for section in PacketSection)


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        ((), (S.COVER, S.REFERENCE, S.CONTENTS)),
        ((S.CALLS, S.SUMMARY), (S.COVER, S.REFERENCE, S.CONTENTS, S.SUMMARY, S.CALLS)),
        ((S.DOCUMENTS, S.LETTER), (S.COVER, S.LETTER, S.REFERENCE, S.CONTENTS, S.DOCUMENTS)),
        ((S.COVER,), (S.COVER, S.REFERENCE, S.CONTENTS)),
    ],
)
def test_sections_in_order_adds_the_fixed_ones(
    chosen: tuple[PacketSection, ...], expected: tuple[PacketSection, ...]
) -> None:
    assert sections_in_order(chosen) == expected


def test_numbering_runs_through_the_parts() -> None:
    entries = number_parts(
        [
            PacketPart("cover", "Cover", 1),
            PacketPart("contents", "Contents", 2),
            PacketPart("documents", "Attached documents", 0),
            PacketPart("document:7", "MRI", 3, level=1),
            PacketPart("document:9", "Denial", 1, level=1),
        ]
    )
    assert [(e.key, e.first_page, e.last_page) for e in entries] == [
        ("cover", 1, 1),
        ("contents", 2, 3),
        ("documents", 4, 3),
        ("document:7", 4, 6),
        ("document:9", 7, 7),
    ]
    assert total_pages(entries) == 7
    with pytest.raises(ValueError):
        number_parts([PacketPart("x", "X", -1)])


@pytest.mark.parametrize(
    ("width", "height", "size", "expected"),
    [
        (612, 792, PageSize.LETTER, (612.0, 792.0)),
        (792, 612, PageSize.LETTER, (792.0, 612.0)),
        (595, 842, PageSize.A4, PageSize.A4.points),
        (1000, 200, PageSize.A4, (PageSize.A4.points[1], PageSize.A4.points[0])),
        (300, 300, PageSize.LETTER, (612.0, 792.0)),
    ],
)
def test_attached_pages_keep_their_orientation(
    width: float, height: float, size: PageSize, expected: tuple[float, float]
) -> None:
    assert packet_page_for(width, height, size) == pytest.approx(expected)


@pytest.mark.parametrize("size", list(PageSize))
def test_the_attachment_area_leaves_the_bands_free(size: PageSize) -> None:
    width, height = size.points
    area = attachment_area(width, height)
    assert area.y1 == pytest.approx(height - HEADER_BAND)
    assert area.y0 == pytest.approx(FOOTER_BAND)
    left, top, right, bottom = CONTENT_MARGINS
    assert top > HEADER_BAND and bottom > FOOTER_BAND and left > 0 and right > 0


@pytest.mark.parametrize(
    ("size", "enlarge", "scale", "rect"),
    [
        # A Letter page into a Letter area: shrunk to the area's height, centred across.
        ((612, 792), False, 0.5, Rect(147, 0, 453, 396)),
        # A small receipt is not enlarged...
        ((100, 50), False, 1.0, Rect(250, 346, 350, 396)),
        # ...unless asked.
        ((100, 50), True, 6.0, Rect(0, 96, 600, 396)),
        # Wide content: limited by the width.
        ((1200, 300), False, 0.5, Rect(0, 246, 600, 396)),
    ],
)
def test_fit_into(size: tuple[float, float], enlarge: bool, scale: float, rect: Rect) -> None:
    placement = fit_into(*size, Rect(0, 0, 600, 396), enlarge=enlarge)
    assert placement.scale == pytest.approx(scale)
    assert placement.rect == pytest.approx(rect)


def test_fit_into_refuses_a_shapeless_page() -> None:
    with pytest.raises(ValueError):
        fit_into(0, 10, Rect(0, 0, 10, 10))


@pytest.mark.parametrize(
    ("pixels", "drawn", "expected"),
    [
        ((2550, 3300), (612, 792), (1700, 2200)),  # a 300 dpi Letter scan goes down to 200 dpi
        ((1275, 1650), (612, 792), (1275, 1650)),  # a 150 dpi scan is never enlarged
        ((4000, 3000), (288, 216), (800, 600)),  # a photo shown 4 × 3 in
        ((10, 10), (0.1, 0.1), (1, 1)),  # never below one pixel
    ],
)
def test_scan_pixels(
    pixels: tuple[int, int], drawn: tuple[float, float], expected: tuple[int, int]
) -> None:
    assert scan_pixels(*pixels, *drawn) == expected


@pytest.mark.parametrize(
    ("pixels", "dpi", "expected"),
    [
        ((2550, 3300), 300.0, (612.0, 792.0)),
        ((1700, 2200), None, (612.0, 792.0)),  # no dpi: read as a 200 dpi scan
        ((1700, 2200), 72.0, (612.0, 792.0)),  # phones say 72 and mean nothing
        ((1728, 1078), (204.0, 98.0), (609.9, 792.0)),  # a standard fax: Letter, not half
        ((1728, 2156), (204.0, 196.0), (609.9, 792.0)),  # a fine fax
        ((2550, 3300), (300.0, None), (612.0, 792.0)),
        ((2550, 3300), (300.0, 10.0), (612.0, 792.0)),  # a writing error: 300 both ways
    ],
)
def test_image_area_size(
    pixels: tuple[int, int],
    dpi: float | tuple[float | None, float | None] | None,
    expected: tuple[float, float],
) -> None:
    resolution = dpi if isinstance(dpi, tuple) else (dpi,)
    assert image_area_size(*pixels, *resolution) == pytest.approx(expected, abs=0.1)


@pytest.mark.parametrize(
    ("identity", "line"),
    [
        (
            PacketIdentity("Ana Reyes", D(1961, 3, 2), "XJH123", "A-118"),
            "Ana Reyes · DOB 2 Mar 1961 · Member ID XJH123 · Case ref. A-118",
        ),
        (
            PacketIdentity("Ana Reyes", D(1961, 3, 2), "XJH123"),
            "Ana Reyes · DOB 2 Mar 1961 · Member ID XJH123",
        ),
        (
            PacketIdentity(None, None, "  ", " "),
            "Name not entered · DOB not entered · Member ID not entered",
        ),
    ],
)
def test_identity_line(identity: PacketIdentity, line: str) -> None:
    assert identity.header_line() == line


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        (("R-1", "C-2", "A-3"), "R-1"),
        ((None, " C-2 ", "A-3"), "C-2"),
        (("", None, "A-3"), "A-3"),
        ((None, None, None), None),
    ],
)
def test_case_reference(numbers: tuple[str | None, str | None, str | None], expected: str) -> None:
    assert case_reference(*numbers) == expected


def test_page_label_and_titles() -> None:
    assert page_label(3, 41) == "Page 3 of 41"
    assert packet_title(None) == "Coverage packet — complete record"
    assert packet_title("Microdiscectomy") == "Coverage packet — Microdiscectomy"
    assert (
        document_heading(DocumentKind.IMAGING_REPORT, D(2026, 3, 14), " Westgate Imaging ")
        == "Imaging report · 14 Mar 2026 · Westgate Imaging"
    )
    assert document_heading(DocumentKind.BILL, None, None) == "Bill · Undated"


def test_documents_follow_the_packet_order_then_date() -> None:
    def doc(i: int, kind: DocumentKind, day: dt.date | None, title: str = "x") -> DocumentChoice:
        return DocumentChoice(i, kind, title, day)

    docs = [
        doc(1, DocumentKind.BILL, D(2026, 1, 1)),
        doc(2, DocumentKind.IMAGING_REPORT, D(2026, 5, 1)),
        doc(3, DocumentKind.IMAGING_REPORT, D(2025, 5, 1)),
        doc(4, DocumentKind.DENIAL_LETTER, D(2026, 6, 1)),
        doc(5, DocumentKind.IMAGING_REPORT, None),
        doc(6, DocumentKind.MEDICAL_NECESSITY_LETTER, D(2026, 7, 1)),
        doc(7, DocumentKind.DENIAL_LETTER, D(2026, 6, 1)),
    ]
    assert [d.document_id for d in default_document_order(docs)] == [6, 4, 7, 3, 2, 5, 1]


@pytest.mark.parametrize(
    ("since", "until", "problems"),
    [
        (None, None, 0),
        (D(2026, 1, 1), D(2026, 11, 27), 0),
        (D(2026, 12, 1), None, 1),
        (None, D(2099, 1, 1), 1),
        (D(2026, 5, 1), D(2026, 4, 1), 1),
        (D(2099, 5, 1), D(2098, 4, 1), 3),
    ],
)
def test_range_problems(since: dt.date | None, until: dt.date | None, problems: int) -> None:
    assert len(range_problems(since, until, D(2026, 11, 27))) == problems
