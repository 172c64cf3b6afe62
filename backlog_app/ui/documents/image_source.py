"""Reading document files for the preview, off the GUI thread: picture pages and repaired PDFs.

Everything here runs on a worker thread and touches no widget (QImage is safe there, QPixmap is
not). It works on the original's bytes, read through the vault (decrypted in memory for an
encrypted profile); nothing is written to disk, not even a repaired copy of a damaged PDF.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QImageReader

from backlog_app.domain.documents import FileType
from backlog_app.errors import UserError

log = logging.getLogger("backlog.ui.documents")

# The longest side a preview page is decoded at: sharp enough to read a 300-dpi letter scan at
# full width, small enough that a 50-megapixel photo does not take hundreds of MB.
MAX_SIDE = 4000


@dataclass(frozen=True, slots=True)
class DecodedPage:
    """One page of a picture, upright, and how many pages the file has (TIFF can have many)."""

    image: QImage
    page: int
    page_count: int


class PasswordNeeded:
    """The PDF did not open with the password given (or without one)."""


def decode_page(original: bytes, file_type: FileType, page: int = 0) -> DecodedPage:
    """Decode page ``page`` (0-based) of a picture file given as its bytes, turned upright by
    its EXIF orientation.

    HEIC goes through Pillow (Qt cannot read it); the rest through Qt, with Pillow as a fallback.

    Raises:
        UserError: the file cannot be decoded.
    """
    if file_type is not FileType.HEIC:
        decoded = _decode_with_qt(original, page)
        if decoded is not None:
            return decoded
    return _decode_with_pillow(original, page)


def _decode_with_qt(original: bytes, page: int) -> DecodedPage | None:
    buffer = QBuffer()
    buffer.setData(QByteArray(original))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    try:
        return _read_with(reader, page)
    finally:
        # The reader first: its TIFF decoder still talks to the buffer when it is destroyed.
        del reader
        buffer.close()


def _read_with(reader: QImageReader, page: int) -> DecodedPage | None:
    reader.setAutoTransform(True)
    count = max(reader.imageCount(), 1)
    if page and not reader.jumpToImage(page):
        return None
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > MAX_SIDE:
        reader.setScaledSize(size.scaled(MAX_SIDE, MAX_SIDE, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        log.info("qt could not decode a picture: %s", reader.errorString())
        return None
    return DecodedPage(image, page, count)


def _decode_with_pillow(original: bytes, page: int) -> DecodedPage:
    from PIL import Image, ImageOps, UnidentifiedImageError

    from backlog_app.storage.file_inspect import register_heif

    register_heif()
    try:
        with Image.open(io.BytesIO(original)) as opened:
            count = int(getattr(opened, "n_frames", 1))
            opened.seek(min(page, count - 1))
            upright = ImageOps.exif_transpose(opened) or opened
            upright.thumbnail((MAX_SIDE, MAX_SIDE))
            rgba = upright.convert("RGBA")
            data = rgba.tobytes("raw", "RGBA")
            width, height = rgba.size
    except (UnidentifiedImageError, OSError, ValueError, EOFError, SyntaxError) as exc:
        raise UserError(
            "This picture could not be shown; the file may be damaged. "
            "Run Tools → Check documents to see whether it is intact."
        ) from exc
    image = QImage(data, width, height, width * 4, QImage.Format.Format_RGBA8888).copy()
    return DecodedPage(image, min(page, count - 1), count)


def repaired_pdf(original: bytes, password: str | None) -> bytes | PasswordNeeded:
    """A repaired copy of a damaged PDF, in memory (the original is only read).

    A locked PDF's copy is locked with the same password, so it opens exactly as the original.
    """
    import pikepdf

    buffer = io.BytesIO()
    try:
        with pikepdf.open(io.BytesIO(original), password=password or "") as pdf:
            if pdf.is_encrypted and password:
                lock = pikepdf.Encryption(user=password, owner=password)
                pdf.save(buffer, encryption=lock)
            else:
                pdf.save(buffer)
    except pikepdf.PasswordError:
        return PasswordNeeded()
    except (pikepdf.PdfError, RecursionError, ValueError, OSError) as exc:
        raise UserError(
            "This PDF is damaged and BackLog could not make a readable copy of it. "
            "Use “Open in viewer” or ask the sender for a new copy."
        ) from exc
    return buffer.getvalue()
