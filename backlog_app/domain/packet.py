"""The packet's rules: its sections and their order, page numbering, the identifying header, and
where attached pages and scans go on a packet page (the documents' order: ``packet_documents``).

Plain Python: no Qt, no database, no PDF library. The services draw and assemble what these
rules decide (``services/packet/``).

- **Order.** The sections follow what an insurer's reviewer reads first (issue #7, after
  DOMAIN.md): cover, request letter, reference block, contents, conservative care, outcome
  scores, medications, treatments, daily log, case timeline, calls, network checklist, costs,
  then the documents. Cover, reference block and contents are always there; the rest can be
  left out.
- **Numbering.** Pages are numbered 1..Y through the whole packet, generated and attached
  alike; the contents list where each section and each document starts.
- **Header.** Every page carries one identity line (name, date of birth, member ID, the case's
  reference number when there is one) at the top and "Page X of Y" at the bottom. Both sit in
  bands that nothing else uses: our pages leave them empty, and an attached page is scaled into
  the space between them, never drawn under them.
- **Scans** are placed at up to ``SCAN_DPI`` (about 200 dpi at the size they are drawn): enough
  to read and to fax, small enough to e-mail. A smaller scan is never enlarged in pixels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from backlog_app.domain.dates import format_long_date

# --- Sections --------------------------------------------------------------------------------


class PacketSection(StrEnum):
    """The parts of a packet, declared in the order they are printed."""

    COVER = "cover"
    LETTER = "letter"
    REFERENCE = "reference"
    CONTENTS = "contents"
    SUMMARY = "summary"
    SCORES = "scores"
    MEDICATIONS = "medications"
    TREATMENTS = "treatments"
    DAILY_LOG = "daily_log"
    TIMELINE = "timeline"
    CALLS = "calls"
    NETWORK = "network"
    COSTS = "costs"
    DOCUMENTS = "documents"

    @property
    def heading(self) -> str:
        """The section's heading, as the contents and the bookmarks show it."""
        return _SECTION_TITLES[self]

    @property
    def always_included(self) -> bool:
        """Cover, reference block and contents identify the packet; they cannot be left out."""
        return self in _ALWAYS


_SECTION_TITLES = {
    PacketSection.COVER: "Cover sheet",
    PacketSection.LETTER: "Request letter",
    PacketSection.REFERENCE: "Reference information",
    PacketSection.CONTENTS: "Contents",
    PacketSection.SUMMARY: "Conservative care summary",
    PacketSection.SCORES: "Outcome scores",
    PacketSection.MEDICATIONS: "Medication trials",
    PacketSection.TREATMENTS: "Treatments and visits",
    PacketSection.DAILY_LOG: "Daily log",
    PacketSection.TIMELINE: "Case timeline and deadlines",
    PacketSection.CALLS: "Call log",
    PacketSection.NETWORK: "Provider network checklist",
    PacketSection.COSTS: "Costs summary",
    PacketSection.DOCUMENTS: "Attached documents",
}
_ALWAYS = frozenset({PacketSection.COVER, PacketSection.REFERENCE, PacketSection.CONTENTS})

SECTION_ORDER: tuple[PacketSection, ...] = tuple(PacketSection)

# The sections a user can choose, in order (the others are always there).
CHOOSABLE_SECTIONS: tuple[PacketSection, ...] = tuple(
    section for section in PacketSection if not section.always_included
)


def sections_in_order(chosen: Iterable[PacketSection]) -> tuple[PacketSection, ...]:
    """``chosen`` plus the sections that are always there, in printing order."""
    wanted = set(chosen) | _ALWAYS
    return tuple(section for section in SECTION_ORDER if section in wanted)


# --- Page sizes and the bands the header and footer use --------------------------------------

POINTS_PER_INCH = 72.0


class PageSize(StrEnum):
    """The paper the packet is laid out on: Letter in the US, A4 elsewhere."""

    LETTER = "letter"
    A4 = "a4"

    @property
    def points(self) -> tuple[float, float]:
        """(width, height) in PDF points, portrait."""
        return _PAGE_POINTS[self]

    @property
    def label(self) -> str:
        return "US Letter (8.5 × 11 in)" if self is PageSize.LETTER else "A4 (210 × 297 mm)"


_PAGE_POINTS = {PageSize.LETTER: (612.0, 792.0), PageSize.A4: (595.2756, 841.8898)}

# The identity line sits in the top band (an attached document's title line under it), "Page X
# of Y" in the bottom band. Our own pages draw their content inside the margins below; an
# attached page is scaled into ``attachment_area``.
HEADER_BAND = 0.72 * POINTS_PER_INCH
FOOTER_BAND = 0.5 * POINTS_PER_INCH
HEADER_BASELINE = 0.34 * POINTS_PER_INCH  # from the top edge
DOCUMENT_LINE_BASELINE = 0.56 * POINTS_PER_INCH  # from the top edge: an attached page's title
FOOTER_BASELINE = 0.28 * POINTS_PER_INCH  # from the bottom edge
SIDE_MARGIN = 0.6 * POINTS_PER_INCH  # where the header's text starts and ends
ATTACHMENT_SIDE_MARGIN = 0.25 * POINTS_PER_INCH

# Our own pages: generous margins inside the bands, for binding holes and fax edges.
CONTENT_MARGINS = (
    0.75 * POINTS_PER_INCH,  # left
    HEADER_BAND + 0.2 * POINTS_PER_INCH,  # top
    0.75 * POINTS_PER_INCH,  # right
    FOOTER_BAND + 0.25 * POINTS_PER_INCH,  # bottom
)

SCAN_DPI = 200


@dataclass(frozen=True, slots=True)
class Rect:
    """A rectangle in PDF points, origin at the bottom left."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def packet_page_for(
    source_width: float, source_height: float, size: PageSize
) -> tuple[float, float]:
    """The packet page an attached page of ``source_width`` × ``source_height`` goes on: the
    packet's paper, turned to landscape when the source is wider than tall (a spreadsheet EOB
    stays readable)."""
    width, height = size.points
    if source_width > source_height:
        return height, width
    return width, height


def attachment_area(page_width: float, page_height: float) -> Rect:
    """Where an attached page's content is drawn: between the header and footer bands."""
    return Rect(
        ATTACHMENT_SIDE_MARGIN,
        FOOTER_BAND,
        page_width - ATTACHMENT_SIDE_MARGIN,
        page_height - HEADER_BAND,
    )


@dataclass(frozen=True, slots=True)
class Placement:
    """Where content of a given size goes inside an area, and how much it was scaled."""

    rect: Rect
    scale: float


def fit_into(width: float, height: float, area: Rect, *, enlarge: bool = False) -> Placement:
    """``width`` × ``height`` scaled to fit ``area`` (aspect kept), centred across and at the
    top of it. Not enlarged unless ``enlarge``: a receipt stays receipt-sized."""
    if width <= 0 or height <= 0:
        raise ValueError("a page or image has no size")
    scale = min(area.width / width, area.height / height)
    if not enlarge:
        scale = min(scale, 1.0)
    drawn_w, drawn_h = width * scale, height * scale
    x0 = area.x0 + (area.width - drawn_w) / 2
    y1 = area.y1
    return Placement(Rect(x0, y1 - drawn_h, x0 + drawn_w, y1), scale)


def scan_pixels(
    pixel_width: int, pixel_height: int, drawn_width: float, drawn_height: float
) -> tuple[int, int]:
    """The pixel size a scan is stored at when drawn ``drawn_width`` × ``drawn_height`` points:
    ``SCAN_DPI`` at that size, never more pixels than the scan has."""
    target_w = round(drawn_width / POINTS_PER_INCH * SCAN_DPI)
    target_h = round(drawn_height / POINTS_PER_INCH * SCAN_DPI)
    if target_w >= pixel_width or target_h >= pixel_height:
        return pixel_width, pixel_height
    return max(1, target_w), max(1, target_h)


# A dpi below this says nothing about the paper (phones write 72, screenshots 96).
MIN_TRUSTED_DPI = 100.0


def scan_resolution(x_dpi: float | None, y_dpi: float | None) -> tuple[float, float]:
    """The resolution a scan was made at, across and down.

    The pair is believed when the larger value is at least ``MIN_TRUSTED_DPI`` (a "standard"
    fax is 204 × 98 dpi; phones say 72 × 72 and mean nothing), else it is taken as ``SCAN_DPI``
    both ways. A missing value takes the other's; a pair more than 4 : 1 apart is a writing
    error, and the larger value is used both ways.
    """
    x = x_dpi if x_dpi is not None and x_dpi > 0 else y_dpi
    y = y_dpi if y_dpi is not None and y_dpi > 0 else x
    if x is None or y is None or max(x, y) < MIN_TRUSTED_DPI:
        return float(SCAN_DPI), float(SCAN_DPI)
    if min(x, y) * 4 < max(x, y):
        return max(x, y), max(x, y)
    return x, y


def image_area_size(
    pixel_width: int, pixel_height: int, x_dpi: float | None, y_dpi: float | None = None
) -> tuple[float, float]:
    """The natural size of a scan in points: across from its dpi across, down from its dpi down
    (``y_dpi`` defaults to ``x_dpi``), as ``scan_resolution`` reads them: a 300 dpi Letter scan
    is 612 × 792, a standard 204 × 98 dpi fax page is Letter too, and a scan without a
    believable dpi (phone photos say 72 and mean nothing) is read as a 200 dpi scan."""
    across, down = scan_resolution(x_dpi, x_dpi if y_dpi is None else y_dpi)
    return pixel_width / across * POINTS_PER_INCH, pixel_height / down * POINTS_PER_INCH


# --- Identity and page labels ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PacketIdentity:
    """Who and what every page is about."""

    patient_name: str | None
    date_of_birth: dt.date | None
    member_id: str | None
    reference_number: str | None = None  # the case's reference (else claim, else authorization)

    def header_line(self) -> str:
        """ "Ana Reyes · DOB 2 Mar 1961 · Member ID XJH123456 · Case ref. A-2026-118" (blanks are
        named, so a missing ID shows as missing rather than as nothing)."""
        parts = [
            (self.patient_name or "").strip() or "Name not entered",
            f"DOB {format_long_date(self.date_of_birth) or 'not entered'}",
            f"Member ID {(self.member_id or '').strip() or 'not entered'}",
        ]
        if self.reference_number and self.reference_number.strip():
            parts.append(f"Case ref. {self.reference_number.strip()}")
        return " · ".join(parts)


def page_label(number: int, total: int) -> str:
    return f"Page {number} of {total}"


def case_reference(
    reference_number: str | None, claim_number: str | None, authorization_number: str | None
) -> str | None:
    """The number the insurer files the case under: its reference, else the claim number, else
    the authorization number."""
    for number in (reference_number, claim_number, authorization_number):
        if number and number.strip():
            return number.strip()
    return None


# --- Contents and numbering -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PacketPart:
    """One run of pages before numbering: a section, or one attached document (``level`` 1,
    under "Attached documents")."""

    key: str  # "cover", "summary", "document:12"
    title: str
    page_count: int
    level: int = 0


@dataclass(frozen=True, slots=True)
class ContentsEntry:
    """A part once numbered: its first page (1-based) and how many pages it has."""

    key: str
    title: str
    level: int
    first_page: int
    page_count: int

    @property
    def last_page(self) -> int:
        return self.first_page + self.page_count - 1


def number_parts(parts: Sequence[PacketPart]) -> tuple[ContentsEntry, ...]:
    """The parts numbered in order from page 1. A heading part without pages of its own (the
    "Attached documents" line) starts where the next part starts."""
    entries: list[ContentsEntry] = []
    page = 1
    for part in parts:
        if part.page_count < 0:
            raise ValueError(f"negative page count for {part.key}")
        entries.append(ContentsEntry(part.key, part.title, part.level, page, part.page_count))
        page += part.page_count
    return tuple(entries)


def total_pages(entries: Sequence[ContentsEntry]) -> int:
    return sum(entry.page_count for entry in entries)


def document_key(document_id: int) -> str:
    return f"document:{document_id}"


# --- The request -------------------------------------------------------------------------------


def range_problems(since: dt.date | None, until: dt.date | None, today: dt.date) -> list[str]:
    """Why a date range cannot be used; empty when it can."""
    problems = []
    if since is not None and since > today:
        problems.append(f"The start date {format_long_date(since)} is in the future.")
    if until is not None and until > today:
        problems.append(
            f"The end date {format_long_date(until)} is in the future; leave it empty for today."
        )
    if since is not None and until is not None and since > until:
        problems.append("The start date is after the end date; please swap them.")
    return problems


def packet_title(case_title: str | None) -> str:
    """The packet's title, as its metadata and its cover name it."""
    if case_title:
        return f"Coverage packet — {case_title}"
    return "Coverage packet — complete record"
