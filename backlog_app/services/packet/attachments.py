"""Turning the vault's files into packet pages: PDFs as they are, scans placed on packet pages at
a readable size, and a clearly marked page for anything that cannot be included.

Nothing here writes to the vault: a PDF is opened read-only (a locked one with the password the
user saved, if any), and a scan is decoded and re-encoded into a temporary folder. A document that
cannot be read never fails the export; it becomes a page that says what is missing and why.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backlog_app.domain.documents import FileType
from backlog_app.domain.packet import (
    CONTENT_MARGINS,
    PageSize,
    attachment_area,
    fit_into,
    image_area_size,
    packet_page_for,
    scan_pixels,
)
from backlog_app.services.packet.documents import AttachmentSource
from backlog_app.services.packet.styles import printable
from backlog_app.services.page_images import as_gray, as_rgb, image_frames, open_image

log = logging.getLogger("backlog.packet")

LOCKED = (
    "it is protected by a password that BackLog does not have. Open it in Documents, enter its "
    "password and tick “Remember the password”, then export again — or attach a paper copy."
)
DAMAGED = "the file is damaged and could not be read. Ask the sender for a new copy."
NO_PAGES = "the file has no pages."
_KEPT = "The patient keeps this document and can send a paper copy on request."
_JPEG_QUALITY = 80
# A scan is stored in gray when it has no colour worth keeping (most letters).
_GRAY_MODES = frozenset({"1", "L", "LA", "I", "I;16", "I;16B", "I;16L", "F"})


@dataclass(frozen=True, slots=True)
class PreparedAttachment:
    """A document ready to be merged: the PDF whose pages go in (the original, or scans drawn
    onto packet pages in the temporary folder), or the reason it was replaced by a marked page."""

    source: AttachmentSource
    pdf_path: Path | None  # None: replaced
    page_count: int
    is_original_pdf: bool  # True: pages are scaled into the packet page between the bands
    replaced_reason: str | None = None


def prepare_attachment(
    source: AttachmentSource, size: PageSize, scratch: Path
) -> PreparedAttachment:
    """Check ``source`` can be read and count its pages; scans are drawn into ``scratch`` now, so
    the page count the contents promise is the page count written."""
    if source.problem or source.path is None:
        return _replaced(source, source.problem or DAMAGED)
    try:
        if source.file_type is FileType.PDF:
            return _prepare_pdf(source, source.path)
        return _prepare_scan(source, source.path, size, scratch)
    except _UnusableError as exc:
        return _replaced(source, str(exc))
    except Exception:  # any reader failure means "could not be read", never a failed export
        log.warning(
            "document %d could not be read for the packet", source.document_id, exc_info=True
        )
        return _replaced(source, DAMAGED)


class _UnusableError(Exception):
    """The document cannot be included; the message says why in plain words."""


def _replaced(source: AttachmentSource, reason: str) -> PreparedAttachment:
    return PreparedAttachment(source, None, 1, False, reason)


def open_source_pdf(path: Path, password: str | None) -> Any:
    """The PDF opened with pikepdf (read-only use; the caller closes it).

    Raises:
        _UnusableError: locked without a known password, or no pages.
    """
    import pikepdf

    try:
        pdf = pikepdf.open(path, password=password or "")
    except pikepdf.PasswordError as exc:
        raise _UnusableError(LOCKED) from exc
    if len(pdf.pages) == 0:
        pdf.close()
        raise _UnusableError(NO_PAGES)
    return pdf


def _prepare_pdf(source: AttachmentSource, path: Path) -> PreparedAttachment:
    with open_source_pdf(path, source.password) as pdf:
        count = len(pdf.pages)
        for page in pdf.pages:
            visible_size(page)  # a page without a usable size fails here, not mid-write
    return PreparedAttachment(source, path, count, True)


def visible_size(page: Any) -> tuple[float, float]:
    """The size a reader shows the page at: its crop box, turned by /Rotate."""
    box = [float(v) for v in page.cropbox]
    width, height = abs(box[2] - box[0]), abs(box[3] - box[1])
    if width <= 0 or height <= 0:
        raise _UnusableError(DAMAGED)
    rotate = int(page.obj.get("/Rotate", 0)) % 360
    return (height, width) if rotate in (90, 270) else (width, height)


def _prepare_scan(
    source: AttachmentSource, path: Path, size: PageSize, scratch: Path
) -> PreparedAttachment:
    """Each page of the scan on its own packet page, at most ``SCAN_DPI``, as JPEG."""
    from PIL import Image
    from reportlab import rl_config  # type: ignore[import-untyped]
    from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

    # JPEG data as it is: ReportLab's default wraps it in ASCII85, a quarter bigger.
    rl_config.useA85 = 0
    out = scratch / f"document-{source.document_id}.pdf"
    canvas = Canvas(str(out), invariant=1, pageCompression=1)
    pages = 0
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with open_image(path, source.file_type) as image:
            dpi = _dpi(image)
            for frame in image_frames(image):
                _draw_scan_page(canvas, frame, dpi, size)
                pages += 1
    if pages == 0:
        raise _UnusableError(NO_PAGES)
    canvas.save()
    return PreparedAttachment(source, out, pages, False)


def _dpi(image: Any) -> float | None:
    value = image.info.get("dpi")
    try:
        return float(value[0]) if value else None
    except (TypeError, ValueError, IndexError):
        return None


def _draw_scan_page(canvas: Any, frame: Any, dpi: float | None, size: PageSize) -> None:
    from PIL import Image
    from reportlab.lib.utils import ImageReader  # type: ignore[import-untyped]

    natural_w, natural_h = image_area_size(frame.width, frame.height, dpi)
    page_w, page_h = packet_page_for(natural_w, natural_h, size)
    placement = fit_into(natural_w, natural_h, attachment_area(page_w, page_h))
    rect = placement.rect
    target = scan_pixels(frame.width, frame.height, rect.width, rect.height)
    picture = as_gray(frame) if frame.mode in _GRAY_MODES else as_rgb(frame)
    if target != picture.size:
        picture = picture.resize(target, Image.Resampling.LANCZOS)
    encoded = io.BytesIO()
    picture.save(encoded, "JPEG", quality=_JPEG_QUALITY, optimize=True)
    encoded.seek(0)
    canvas.setPageSize((page_w, page_h))
    canvas.drawImage(ImageReader(encoded), rect.x0, rect.y0, rect.width, rect.height)
    canvas.showPage()


# --- The page that stands in for a document ---------------------------------------------------


def draw_replacement_pages(items: Sequence[tuple[str, str]], size: PageSize) -> bytes:
    """One page per (document heading, reason): "This document could not be included"."""
    from reportlab.lib import colors  # type: ignore[import-untyped]
    from reportlab.pdfgen.canvas import Canvas

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
    from reportlab.lib.utils import simpleSplit

    return list(simpleSplit(text, font, size, width))
