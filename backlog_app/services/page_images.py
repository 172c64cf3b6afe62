"""Pages of stored documents as pictures and words: PDFs through PDFium, images the right way up.

Shared by text reading (``document_text``) and thumbnails (``thumbnails``). Everything here only
reads the stored original, given as its bytes or a stream (``DocumentService.open_original``:
decrypted in memory for an encrypted profile) or, for files outside the vault, a path. PDFium is not thread-safe, so every call into it holds ``PDFIUM_LOCK``;
the OCR of a page (a separate program) runs without it.
"""

from __future__ import annotations

import io
import logging
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from backlog_app.domain.documents import FileType
from backlog_app.storage.file_inspect import register_heif

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger("backlog.documents")

# One PDFium call at a time in the whole process (thumbnails, text reading and checks share it).
PDFIUM_LOCK = threading.RLock()

POINTS_PER_INCH = 72
# A rendered page never exceeds these, whatever its declared size (a 200-inch "page" exists).
MAX_RENDER_PIXELS = 40_000_000
MAX_RENDER_SIDE = 12_000


# What a reader here accepts: a file's path, its bytes, or a seekable binary stream.
FileSource = Path | bytes | BinaryIO


class PdfLockedError(Exception):
    """The PDF needs a password that was not given (or the one given is wrong)."""


@contextmanager
def open_pdf(source: FileSource, password: str | None = None) -> Iterator[Any]:
    """A PDFium document for ``source`` (a path, bytes or a seekable stream), closed afterwards.
    A damaged PDF is read from a copy repaired in memory by qpdf; the stored file is never
    touched. A stream must stay open until the document is closed.

    Raises:
        PdfLockedError: the PDF is locked and ``password`` is missing or wrong.
        pypdfium2.PdfiumError, pikepdf.PdfError: damaged beyond repair.
    """
    with PDFIUM_LOCK:
        pdf = _open_pdfium(source, password)
    try:
        yield pdf
    finally:
        with PDFIUM_LOCK:
            pdf.close()


def _open_pdfium(source: FileSource, password: str | None) -> Any:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]
    import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

    try:
        return pdfium.PdfDocument(_rewound(source), password=password or None)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise PdfLockedError(_name(source)) from exc
        log.info("pdfium could not open a pdf (%s); reading a repaired copy", exc.err_code)
    return pdfium.PdfDocument(_repaired_copy(source, password))


def _repaired_copy(source: FileSource, password: str | None) -> bytes:
    """The PDF rewritten by qpdf (which repairs broken cross-reference tables), decrypted."""
    import pikepdf

    buffer = io.BytesIO()
    try:
        with pikepdf.open(_readable(source), password=password or "") as pdf:
            pdf.save(buffer)
    except pikepdf.PasswordError as exc:
        raise PdfLockedError(_name(source)) from exc
    return buffer.getvalue()


def _rewound(source: FileSource) -> FileSource:
    """A stream back at its start (a failed first attempt may have read part of it)."""
    if not isinstance(source, (Path, bytes)):
        source.seek(0)
    return source


def _readable(source: FileSource) -> Path | BinaryIO:
    """What pikepdf and Pillow open: a path, or a stream at its start (bytes are wrapped)."""
    if isinstance(source, bytes):
        return io.BytesIO(source)
    if not isinstance(source, Path):
        source.seek(0)
    return source


def _name(source: FileSource) -> str:
    return str(source) if isinstance(source, Path) else "the PDF"


def pdf_page_count(pdf: Any) -> int:
    with PDFIUM_LOCK:
        return len(pdf)


@contextmanager
def _page(pdf: Any, index: int) -> Iterator[Any]:
    """One page, closed afterwards; the caller holds PDFIUM_LOCK."""
    page = pdf[index]
    try:
        yield page
    finally:
        page.close()


def page_text(pdf: Any, index: int) -> str:
    """The text embedded in page ``index`` (empty for a scan), with plain line ends."""
    with PDFIUM_LOCK, _page(pdf, index) as page:
        textpage = page.get_textpage()
        try:
            text: str = textpage.get_text_bounded()
        finally:
            textpage.close()
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def page_image_coverage(pdf: Any, index: int) -> float:
    """How much of page ``index`` its largest picture covers, 0 to 1 (a fax or scan is ~1)."""
    import pypdfium2.raw as pdfium_c

    with PDFIUM_LOCK, _page(pdf, index) as page:
        width, height = page.get_size()
        area = max(width * height, 1.0)
        largest = 0.0
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            left, bottom, right, top = obj.get_bounds()
            largest = max(largest, abs(right - left) * abs(top - bottom) / area)
    return min(largest, 1.0)


def render_pdf_page(
    pdf: Any,
    index: int,
    *,
    dpi: float | None = None,
    longest_side: int | None = None,
    grayscale: bool = False,
    max_pixels: int = MAX_RENDER_PIXELS,
) -> Image.Image:
    """Draw page ``index`` at ``dpi``, or so its longest side is ``longest_side`` pixels.

    Whatever is asked, the picture stays within ``max_pixels`` and MAX_RENDER_SIDE, so a page
    declared hundreds of inches wide cannot exhaust memory.
    """
    with PDFIUM_LOCK, _page(pdf, index) as page:
        width, height = page.get_size()  # points
        width, height = max(width, 1.0), max(height, 1.0)
        if longest_side is not None:
            scale = longest_side / max(width, height)
        else:
            scale = (dpi or 150) / POINTS_PER_INCH
        scale = min(
            scale,
            math.sqrt(max_pixels / (width * height)),
            MAX_RENDER_SIDE / max(width, height),
        )
        bitmap = page.render(scale=scale, grayscale=grayscale)
        try:
            # copy(): the PIL image must not share memory with PDFium's bitmap.
            image: Image.Image = bitmap.to_pil().copy()
        finally:
            bitmap.close()
    return image


@contextmanager
def open_image(source: FileSource, file_type: FileType) -> Iterator[Image.Image]:
    """An image file (a path, bytes or a seekable stream) opened lazily with Pillow (HEIC
    included), closed afterwards. A stream must stay open until then."""
    from PIL import Image

    if file_type is FileType.HEIC:
        register_heif()
    with Image.open(_readable(source)) as image:
        yield image


def reduce_on_load(image: Image.Image, max_pixels: int) -> None:
    """Ask a JPEG to decode at 1/2, 1/4 or 1/8 size when it is much larger than needed.

    JPEG can skip detail while decoding, so a 12-megapixel photo loads several times faster.
    Other formats ignore this. Call it before the image is loaded.
    """
    width, height = image.size
    if image.format == "JPEG" and width * height > max_pixels:
        factor = math.sqrt(max_pixels / (width * height))
        image.draft(image.mode, (max(1, int(width * factor)), max(1, int(height * factor))))


def image_frames(image: Image.Image) -> Iterator[Image.Image]:
    """Each page of an image (a multi-page TIFF has several), decoded and turned upright."""
    from PIL import ImageSequence

    for frame in ImageSequence.Iterator(image):
        yield upright(frame)


def upright(image: Image.Image) -> Image.Image:
    """A decoded copy of ``image``, turned as its EXIF orientation says (phones store photos
    sideways and note the turn)."""
    from PIL import ImageOps

    return ImageOps.exif_transpose(image)


def as_rgb(image: Image.Image) -> Image.Image:
    """RGB on a white background, whatever the mode (palette, alpha, 16-bit, CMYK, 1-bit)."""
    from PIL import Image

    image = _eight_bit(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image if image.mode == "RGB" else image.convert("RGB")


def as_gray(image: Image.Image) -> Image.Image:
    """8-bit grayscale on white: what text recognition reads best and fastest."""
    image = _eight_bit(image)
    if image.mode == "L":
        return image
    return as_rgb(image).convert("L")


def _eight_bit(image: Image.Image) -> Image.Image:
    """16- and 32-bit grayscale (some scanners write it) scaled down to 8 bits."""
    if image.mode.startswith("I;16") or image.mode in ("I", "F"):
        scaled = image.convert("I").point(lambda value: value * (1 / 256))
        return scaled.convert("L")
    return image


def limit_pixels(image: Image.Image, max_pixels: int = MAX_RENDER_PIXELS) -> Image.Image:
    """``image`` scaled down, if needed, to at most ``max_pixels``."""
    from PIL import Image

    width, height = image.size
    if width * height <= max_pixels:
        return image
    factor = math.sqrt(max_pixels / (width * height))
    return image.resize(
        (max(1, int(width * factor)), max(1, int(height * factor))), Image.Resampling.LANCZOS
    )
