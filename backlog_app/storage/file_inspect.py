"""Checking a file before it enters the vault: what it really is, and whether it opens safely.

Nothing here writes anything. Every refusal is a ``DocumentFileError`` whose message names the file
and says why in plain words.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from backlog_app.domain.documents import ACCEPTED_TYPES_TEXT, FileType, sniff_file_type
from backlog_app.errors import UserError
from backlog_app.storage.vault import CopyProgress, sha256_of

log = logging.getLogger("backlog.vault")

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
HEAD_BYTES = 1024
# Pillow's own default bomb limit (about 89 million pixels); used if a caller switched it off.
DEFAULT_MAX_PIXELS = 1024 * 1024 * 1024 // 4 // 3

# The extensions a person (or a scanner) gives each type; a mismatch among these is refused.
KNOWN_EXTENSIONS: dict[str, FileType] = {
    ".pdf": FileType.PDF,
    ".jpg": FileType.JPEG,
    ".jpeg": FileType.JPEG,
    ".jpe": FileType.JPEG,
    ".jfif": FileType.JPEG,
    ".png": FileType.PNG,
    ".tif": FileType.TIFF,
    ".tiff": FileType.TIFF,
    ".heic": FileType.HEIC,
    ".heif": FileType.HEIC,
    ".hif": FileType.HEIC,
    ".webp": FileType.WEBP,
}


class DocumentFileError(UserError):
    """A file the vault will not take; the message names the file and the reason."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"“{display_name(path)}” was not added: {reason}")


class PasswordRequiredError(DocumentFileError):
    """The PDF is locked with a password; ask for it and try again."""

    def __init__(self, path: Path, *, wrong_password: bool) -> None:
        self.wrong_password = wrong_password
        reason = (
            "that password did not open it. Check the letter or e-mail the PDF came with."
            if wrong_password
            else "it is protected with a password. Type the password to add it."
        )
        super().__init__(path, reason)


@dataclass(frozen=True, slots=True)
class Inspection:
    """What a file turned out to be; enough to store it and to describe it."""

    path: Path
    original_name: str
    file_type: FileType
    size_bytes: int
    sha256: str
    page_count: int | None
    needs_password: bool = False
    repaired: bool = False


@dataclass(frozen=True, slots=True)
class PdfFacts:
    page_count: int
    needs_password: bool
    repaired: bool


def display_name(path: Path) -> str:
    """A file name safe to show: control and bidirectional-override characters made visible."""
    name = path.name or str(path)
    return "".join(
        ch if ch.isprintable() and ch not in _BIDI_CONTROLS else f"\\u{ord(ch):04x}" for ch in name
    )


_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")

PdfInspector = Callable[[Path, str | None], PdfFacts]


def inspect_file(
    path: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    password: str | None = None,
    hash_progress: CopyProgress | None = None,
    pdf_inspector: PdfInspector | None = None,
) -> Inspection:
    """Check ``path`` and return what it is. Reads the file; writes nothing.

    Raises:
        DocumentFileError: not a regular readable file, empty, too large, not an accepted type,
            named as another type, damaged beyond repair, or an image too large to open safely.
        PasswordRequiredError: a locked PDF and no (or a wrong) ``password``.
    """
    info = _regular_file_info(path)
    if info.st_size == 0:
        raise DocumentFileError(path, "the file is empty (0 bytes). Scan or save it again.")
    if info.st_size > max_bytes:
        raise DocumentFileError(
            path,
            f"it is {_megabytes(info.st_size)}, larger than the {_megabytes(max_bytes)} limit "
            "(change the limit in Settings if this really is a document).",
        )
    head = _read_head(path)
    file_type = sniff_file_type(head)
    if file_type is None:
        raise DocumentFileError(
            path, f"it is not a {ACCEPTED_TYPES_TEXT} file. {_looks_like(head)}".strip()
        )
    named_as = KNOWN_EXTENSIONS.get(path.suffix.lower())
    if named_as is not None and named_as is not file_type:
        raise DocumentFileError(
            path,
            f"its name says {named_as.label} but it is really a {file_type.label}. "
            f"Rename it to end in {file_type.extension} and add it again.",
        )
    page_count: int | None
    needs_password = repaired = False
    if file_type is FileType.PDF:
        facts = (pdf_inspector or inspect_pdf)(path, password)
        page_count, needs_password, repaired = (
            facts.page_count,
            facts.needs_password,
            facts.repaired,
        )
    else:
        page_count = inspect_image(path, file_type)
    sha256 = _hash(path, hash_progress)
    return Inspection(
        path=path,
        original_name=path.name,
        file_type=file_type,
        size_bytes=info.st_size,
        sha256=sha256,
        page_count=page_count,
        needs_password=needs_password,
        repaired=repaired,
    )


def inspect_pdf(path: Path, password: str | None = None) -> PdfFacts:
    """Open a PDF with qpdf (pikepdf), count its pages, and note repair and encryption.

    Raises:
        PasswordRequiredError: locked, and ``password`` is missing or wrong.
        DocumentFileError: damaged beyond repair, or no pages.
    """
    import pikepdf  # imported here: it is only needed when a PDF is added or checked

    try:
        with pikepdf.open(path, password=password or "") as pdf:
            page_count = len(pdf.pages)
            warnings = pdf.get_warnings()
            needs_password = bool(password) and pdf.is_encrypted
    except pikepdf.PasswordError as exc:
        raise PasswordRequiredError(path, wrong_password=bool(password)) from exc
    except (pikepdf.PdfError, RecursionError, ValueError) as exc:
        log.info("pdf refused: %s", exc.__class__.__name__)
        raise DocumentFileError(
            path, "the PDF is damaged and could not be repaired. Ask the sender for a new copy."
        ) from exc
    if page_count == 0:
        raise DocumentFileError(path, "the PDF has no pages. Ask the sender for a new copy.")
    return PdfFacts(page_count=page_count, needs_password=needs_password, repaired=bool(warnings))


def inspect_image(path: Path, file_type: FileType) -> int:
    """Open an image far enough to know it decodes, refusing decompression bombs. Returns pages."""
    from PIL import Image, UnidentifiedImageError

    register_heif()
    try:
        with Image.open(path) as image:
            width, height = image.size
            if width * height > (Image.MAX_IMAGE_PIXELS or DEFAULT_MAX_PIXELS):
                raise DocumentFileError(
                    path,
                    f"the picture is {width:,} × {height:,} pixels, too large to open safely. "
                    "Scan it again at a normal resolution (300 dpi is plenty).",
                )
            frames = int(getattr(image, "n_frames", 1))
            # Decode a small version: proves the data is there without paying for full size.
            image.draft("RGB", (256, 256))
            image.load()
    except DocumentFileError:
        raise
    except Image.DecompressionBombError as exc:
        raise DocumentFileError(
            path, "the picture is too large to open safely. Scan it again at 300 dpi."
        ) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        log.info("image refused: %s", exc.__class__.__name__)
        raise DocumentFileError(
            path, f"the {file_type.label} is damaged or incomplete. Scan or save it again."
        ) from exc
    return frames


_heif_registered = False


def register_heif() -> None:
    """Teach Pillow to read HEIC/HEIF phone photos (once)."""
    global _heif_registered
    if not _heif_registered:
        import pillow_heif

        pillow_heif.register_heif_opener()
        _heif_registered = True


def _regular_file_info(path: Path) -> os.stat_result:
    try:
        info = path.lstat()
    except FileNotFoundError as exc:
        raise DocumentFileError(path, "the file does not exist (it may have been moved).") from exc
    except OSError as exc:
        raise DocumentFileError(path, f"it cannot be read ({exc.strerror or exc}).") from exc
    if stat.S_ISLNK(info.st_mode):
        raise DocumentFileError(
            path, "it is a shortcut (symbolic link), not a file. Add the file it points to."
        )
    if stat.S_ISDIR(info.st_mode):
        raise DocumentFileError(path, "it is a folder. Open the folder and choose the files in it.")
    if not stat.S_ISREG(info.st_mode):
        raise DocumentFileError(path, "it is not an ordinary file.")
    return info


def _read_head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(HEAD_BYTES)
    except PermissionError as exc:
        raise DocumentFileError(
            path, "BackLog is not allowed to read it. Check the file's permissions."
        ) from exc
    except OSError as exc:
        raise DocumentFileError(path, f"it cannot be read ({exc.strerror or exc}).") from exc


def _hash(path: Path, progress: CopyProgress | None) -> str:
    try:
        return sha256_of(path, progress)
    except OSError as exc:
        raise DocumentFileError(path, f"it cannot be read ({exc.strerror or exc}).") from exc


def _looks_like(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "It looks like a ZIP or Word/Excel file; save or print it as PDF first."
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "It looks like an old Word or Excel file; save or print it as PDF first."
    if head[4:8] == b"ftyp":
        return "It looks like a video or an unsupported photo format."
    return ""


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"
