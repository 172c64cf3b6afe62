"""Reading document files for the preview, off the GUI thread: picture pages and repaired PDFs.

Everything here runs on a worker thread and touches no widget (QImage is safe there, QPixmap is
not). Originals in the vault are only ever read; a repaired PDF is written to a private
temporary folder that ``TempFolders`` removes again.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
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


def decode_page(path: Path, file_type: FileType, page: int = 0) -> DecodedPage:
    """Decode page ``page`` (0-based) of a picture file, turned upright by its EXIF orientation.

    HEIC goes through Pillow (Qt cannot read it); the rest through Qt, with Pillow as a fallback.

    Raises:
        UserError: the file cannot be decoded.
    """
    if file_type is not FileType.HEIC:
        decoded = _decode_with_qt(path, page)
        if decoded is not None:
            return decoded
    return _decode_with_pillow(path, page)


def _decode_with_qt(path: Path, page: int) -> DecodedPage | None:
    reader = QImageReader(str(path))
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


def _decode_with_pillow(path: Path, page: int) -> DecodedPage:
    from PIL import Image, ImageOps, UnidentifiedImageError

    from backlog_app.storage.file_inspect import register_heif

    register_heif()
    try:
        with Image.open(path) as opened:
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


def repaired_pdf_copy(original: Path, folder: Path, password: str | None) -> Path | PasswordNeeded:
    """Write a repaired copy of a damaged PDF into ``folder`` (the original is only read).

    A locked PDF's copy is locked with the same password (never an open copy of a private
    letter in the temporary folder); it lives in a private temporary folder and is removed when
    the preview moves on.
    """
    import pikepdf

    target = folder / "repaired.pdf"
    try:
        with pikepdf.open(original, password=password or "") as pdf:
            if pdf.is_encrypted and password:
                lock = pikepdf.Encryption(user=password, owner=password)
                pdf.save(target, encryption=lock)
            else:
                pdf.save(target)
    except pikepdf.PasswordError:
        return PasswordNeeded()
    except (pikepdf.PdfError, RecursionError, ValueError, OSError) as exc:
        raise UserError(
            "This PDF is damaged and BackLog could not make a readable copy of it. "
            "Use “Open in viewer” or ask the sender for a new copy."
        ) from exc
    return target


class TempFolders:
    """Private temporary folders for repaired copies; ``clean`` removes all but the one in use."""

    def __init__(self) -> None:
        self._folders: list[Path] = []

    def new(self) -> Path:
        folder = Path(tempfile.mkdtemp(prefix="backlog-preview-"))
        self._folders.append(folder)
        return folder

    def clean(self, keep: Path | None = None) -> None:
        remaining = []
        for folder in self._folders:
            if folder == keep:
                remaining.append(folder)
                continue
            shutil.rmtree(folder, ignore_errors=True)
            if folder.exists():  # still being written by a worker: try again next time
                remaining.append(folder)
        self._folders = remaining

    def __len__(self) -> int:
        return len(self._folders)
