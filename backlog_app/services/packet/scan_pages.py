"""Scans on packet pages: each page of an image file becomes one packet page holding one picture.

The picture is placed between the header and footer bands at its natural size (from its dpi,
across and down), shrunk to fit, and stored at no more than ``SCAN_DPI`` where it is drawn, in
the smallest faithful way (``scan_pictures``).

The pages are written with pikepdf: one picture per page under a fixed resource name
(``/Scan``), drawn by ``q w 0 0 h x y cm /Scan Do Q``, saved with a deterministic file id, so
the same scan always gives the same bytes. Only one decoded page is in memory at a time.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backlog_app.domain.documents import FileType
from backlog_app.domain.packet import (
    PageSize,
    Rect,
    attachment_area,
    fit_into,
    image_area_size,
    packet_page_for,
    scan_pixels,
)
from backlog_app.services.packet.scan_pictures import TURNS, Encoded, encode_picture
from backlog_app.services.page_images import open_image

if TYPE_CHECKING:
    from PIL import Image


class ScanTooLargeError(Exception):
    """A page of the scan has more pixels than can be opened safely."""


@dataclass(frozen=True, slots=True)
class ScanLayout:
    """Where one scanned page goes: the packet page, the rectangle the picture fills, and the
    pixel size it is stored at (upright)."""

    page_width: float
    page_height: float
    rect: Rect
    pixels: tuple[int, int]


def write_scan_pdf(original: bytes, file_type: FileType, size: PageSize, out: Path) -> int:
    """Write each page of the image file whose bytes are ``original`` onto its own packet page
    of paper ``size``, as the PDF ``out``; returns the number of pages. Only a TIFF has more
    than one page (the frames of an animated picture or a HEIC burst are not pages, as when it
    was imported).

    Raises:
        ScanTooLargeError, PIL.Image.DecompressionBombError, DecompressionBombWarning: too many
            pixels to open safely.
        OSError, ValueError, SyntaxError…: the picture is damaged (decoders fail in many ways).
    """
    import pikepdf

    with contextlib.ExitStack() as stack:
        # Pillow only warns between its pixel limit and twice it; ``_scan_page`` refuses that
        # range itself (``warnings.catch_warnings`` would not be safe: scans are read on
        # several threads at once).
        image = stack.enter_context(open_image(original, file_type))
        pdf = stack.enter_context(pikepdf.new())
        pages = int(getattr(image, "n_frames", 1)) if file_type is FileType.TIFF else 1
        for index in range(pages):
            if index:
                image.seek(index)
            _add_page(pdf, *_scan_page(image, original, size))
        pdf.save(out, deterministic_id=True)
    return pages


def _scan_page(image: Any, original: bytes, size: PageSize) -> tuple[Encoded, ScanLayout]:
    """The current page of ``image``: where it goes, and its picture encoded for that."""
    from PIL import Image

    stored_w, stored_h = image.size
    limit = Image.MAX_IMAGE_PIXELS
    if limit and stored_w * stored_h > limit:
        raise ScanTooLargeError(f"{stored_w} × {stored_h} pixels")
    orientation = _orientation(image)
    x_dpi, y_dpi = _dpi(image)
    if orientation in (5, 6, 7, 8):  # turned a quarter: across and down swap
        layout = scan_layout(stored_h, stored_w, (y_dpi, x_dpi), size)
        target = layout.pixels[1], layout.pixels[0]
    else:
        layout = scan_layout(stored_w, stored_h, (x_dpi, y_dpi), size)
        target = layout.pixels
    return encode_picture(image, original, target, orientation), layout


# --- Where a page goes ------------------------------------------------------------------------


def scan_layout(
    pixel_width: int, pixel_height: int, dpi: tuple[float | None, float | None], size: PageSize
) -> ScanLayout:
    """The packet page and placement of an upright picture of ``pixel_width`` × ``pixel_height``
    scanned at ``dpi`` (across, down): its natural size, fitted between the bands."""
    natural_w, natural_h = image_area_size(pixel_width, pixel_height, *dpi)
    page_w, page_h = packet_page_for(natural_w, natural_h, size)
    rect = fit_into(natural_w, natural_h, attachment_area(page_w, page_h)).rect
    pixels = scan_pixels(pixel_width, pixel_height, rect.width, rect.height)
    return ScanLayout(page_w, page_h, rect, pixels)


def _dpi(image: Image.Image) -> tuple[float | None, float | None]:
    value: Any = image.info.get("dpi")
    try:
        x = float(value[0])
        y = float(value[1]) if len(value) > 1 else x
    except (TypeError, ValueError, IndexError):
        return None, None
    return (x if math.isfinite(x) else None), (y if math.isfinite(y) else None)


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation, 1 to 8 (1: stored upright)."""
    try:
        value = int(image.getexif().get(0x0112, 1))
    except Exception:  # a broken EXIF block only loses the turn
        return 1
    return value if value in TURNS else 1


# --- The page ---------------------------------------------------------------------------------


def _add_page(pdf: Any, encoded: Encoded, layout: ScanLayout) -> None:
    """Append a packet page showing ``encoded`` in ``layout.rect``, under the name /Scan."""
    import pikepdf

    name = pikepdf.Name
    image = pikepdf.Stream(pdf, encoded.data)  # already encoded: stored as it is
    image.Type = name.XObject
    image.Subtype = name.Image
    image.Width = encoded.width
    image.Height = encoded.height
    image.BitsPerComponent = encoded.bits
    if encoded.palette is not None:
        hival = len(encoded.palette) // 3 - 1
        image.ColorSpace = pikepdf.Array(
            [name.Indexed, name.DeviceRGB, hival, pikepdf.String(encoded.palette)]
        )
    else:
        image.ColorSpace = name.DeviceGray if encoded.gray else name.DeviceRGB
    image.Filter = name(encoded.codec)
    if encoded.parameters:
        image.DecodeParms = pikepdf.Dictionary({f"/{k}": v for k, v in encoded.parameters})
    rect = layout.rect
    numbers = " ".join(_number(v) for v in (rect.width, 0, 0, rect.height, rect.x0, rect.y0))
    page = pikepdf.Dictionary(
        Type=name.Page,
        MediaBox=pikepdf.Array(
            [0, 0, Decimal(_number(layout.page_width)), Decimal(_number(layout.page_height))]
        ),
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Scan=image)),
        Contents=pdf.make_stream(f"q {numbers} cm /Scan Do Q".encode()),
    )
    pdf.pages.append(pikepdf.Page(pdf.make_indirect(page)))


def _number(value: float) -> str:
    """A number as a PDF writes it: at most three decimals, no trailing zeros."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
