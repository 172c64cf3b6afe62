"""Turning the vault's files into packet pages: PDFs as they are, scans placed on packet pages at
a readable size, and a clearly marked page for anything that cannot be included.

Nothing here writes to the vault, or reads it by path: each original is read into memory through
the vault (decrypted in an encrypted profile). A PDF is opened read-only from there (a locked one
with the password the user saved, if any), and a scan is drawn onto packet pages in a temporary
folder (``scan_pages``). A document that cannot be read never fails the export; it becomes a page
that says what is missing and why.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backlog_app.domain.documents import FileType
from backlog_app.domain.packet import CONTENT_MARGINS, PageSize
from backlog_app.services.packet.documents import AttachmentSource, OriginalBytes
from backlog_app.services.packet.scan_pages import ScanTooLargeError, write_scan_pdf
from backlog_app.services.packet.styles import printable

log = logging.getLogger("backlog.packet")

LOCKED = (
    "it is protected by a password that BackLog does not have. Open it in Documents, enter its "
    "password and tick “Remember the password in this profile”, then export again — or attach a "
    "paper copy."
)
DAMAGED = "the file is damaged and could not be read. Ask the sender for a new copy."
NO_PAGES = "the file has no pages."
TOO_LARGE = (
    "the picture is too large to open on this computer (it has too many pixels). Scan or save it "
    "again at a normal resolution (300 dpi is plenty), then export again — or attach a paper copy."
)
_KEPT = "The patient keeps this document and can send a paper copy on request."


@dataclass(frozen=True, slots=True)
class PreparedAttachment:
    """A document ready to be merged: the PDF whose pages go in (the original, read again from
    ``source.original`` when the packet is written, or scans drawn onto packet pages in the
    temporary folder), or the reason it was replaced by a marked page."""

    source: AttachmentSource
    pdf_path: Path | None  # the scans' packet pages; None: an original PDF, or replaced
    page_count: int
    is_original_pdf: bool  # True: pages are scaled into the packet page between the bands
    replaced_reason: str | None = None


def prepare_attachment(
    source: AttachmentSource, size: PageSize, scratch: Path
) -> PreparedAttachment:
    """Check ``source`` can be read and count its pages; scans are drawn into ``scratch`` now, so
    the page count the contents promise is the page count written."""
    if source.problem or source.original is None:
        return _replaced(source, source.problem or DAMAGED)
    try:
        if source.file_type is FileType.PDF:
            return _prepare_pdf(source, source.original)
        return _prepare_scan(source, source.original, size, scratch)
    except _UnusableError as exc:
        return _replaced(source, str(exc))
    except Exception as exc:  # any reader failure means "could not be read", never a failed export
        if _too_large(exc):
            log.warning("document %d is too large for the packet: %r", source.document_id, exc)
            return _replaced(source, TOO_LARGE)
        log.warning(
            "document %d could not be read for the packet", source.document_id, exc_info=True
        )
        return _replaced(source, DAMAGED)


class _UnusableError(Exception):
    """The document cannot be included; the message says why in plain words."""


def _too_large(exc: Exception) -> bool:
    """A picture with more pixels than can be opened safely, or than memory holds."""
    from PIL import Image

    refusals = (Image.DecompressionBombError, Image.DecompressionBombWarning, ScanTooLargeError)
    return isinstance(exc, (*refusals, MemoryError))


def _replaced(source: AttachmentSource, reason: str) -> PreparedAttachment:
    return PreparedAttachment(source, None, 1, False, reason)


def open_source_pdf(original: OriginalBytes, password: str | None) -> Any:
    """The PDF opened with pikepdf (read-only use; the caller closes it).

    Raises:
        _UnusableError: locked without a known password, or no pages.
    """
    import pikepdf

    try:
        # Read into memory: no file stays open until the packet is saved (a packet may hold
        # more attached PDFs than the system lets one program keep open).
        pdf = pikepdf.open(io.BytesIO(original.read_bytes()), password=password or "")
    except pikepdf.PasswordError as exc:
        raise _UnusableError(LOCKED) from exc
    if len(pdf.pages) == 0:
        pdf.close()
        raise _UnusableError(NO_PAGES)
    return pdf


def _prepare_pdf(source: AttachmentSource, original: OriginalBytes) -> PreparedAttachment:
    with open_source_pdf(original, source.password) as pdf:
        count = len(pdf.pages)
        for page in pdf.pages:
            visible_size(page)  # a page without a usable size fails here, not mid-write
    return PreparedAttachment(source, None, count, True)


def visible_size(page: Any) -> tuple[float, float]:
    """The size a reader shows the page at: its crop box, turned by /Rotate."""
    box = [float(v) for v in page.cropbox]
    width, height = abs(box[2] - box[0]), abs(box[3] - box[1])
    if width <= 0 or height <= 0:
        raise _UnusableError(DAMAGED)
    rotate = int(page.obj.get("/Rotate", 0)) % 360
    return (height, width) if rotate in (90, 270) else (width, height)


def _prepare_scan(
    source: AttachmentSource, original: OriginalBytes, size: PageSize, scratch: Path
) -> PreparedAttachment:
    """Each page of the scan on its own packet page, at most ``SCAN_DPI`` (see ``scan_pages``)."""
    out = scratch / f"document-{source.document_id}.pdf"
    pages = write_scan_pdf(original.read_bytes(), source.file_type, size, out)
    if pages == 0:
        raise _UnusableError(NO_PAGES)
    return PreparedAttachment(source, out, pages, False)


# --- The page that stands in for a document ---------------------------------------------------


def draw_replacement_pages(items: Sequence[tuple[str, str]], size: PageSize) -> bytes:
    """One page per (document heading, reason): "This document could not be included"."""
    from reportlab.lib import colors  # type: ignore[import-untyped]
    from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

    buffer = io.BytesIO()
    width, height = size.points
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1)
    left, top, right, _bottom = CONTENT_MARGINS
    inner = width - left - right - 32
    box_top = height - top
    for heading, reason in items:
        lines = [
            ("Helvetica-Bold", line)
            for line in _wrap(printable(heading), "Helvetica-Bold", 11, inner)
        ]
        lines.append(("", ""))
        lines += [
            ("Helvetica", line)
            for line in _wrap(printable(f"Why: {reason}"), "Helvetica", 11, inner)
        ]
        lines.append(("", ""))
        lines += [("Helvetica", line) for line in _wrap(_KEPT, "Helvetica", 11, inner)]
        box_height = 62 + 15 * len(lines)
        canvas.setStrokeColor(colors.HexColor("#9a3412"))
        canvas.setLineWidth(2)
        canvas.rect(left, box_top - box_height, width - left - right, box_height)
        canvas.setFillColor(colors.HexColor("#9a3412"))
        canvas.setFont("Helvetica-Bold", 16)
        canvas.drawString(left + 16, box_top - 34, "This document could not be included")
        canvas.setFillColor(colors.black)
        y = box_top - 62
        for font, line in lines:
            if font:
                canvas.setFont(font, 11)
                canvas.drawString(left + 16, y, line)
            y -= 15
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.lib.utils import simpleSplit  # type: ignore[import-untyped]

    return list(simpleSplit(text, font, size, width))
