"""Checking a file before it enters the vault: what it really is, and whether it opens safely.

Nothing here writes anything. Every refusal is a ``DocumentFileError`` whose message names the file
and says why in plain words.
"""

from __future__ import annotations

import logging
import os
import stat
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from backlog_app.domain.documents import (
    ACCEPTED_TYPES_TEXT,
    BIDI_CONTROLS,
    FileType,
    sniff_file_type,
)
from backlog_app.errors import UserError
from backlog_app.storage.vault import CopyProgress, sha256_of

log = logging.getLogger("backlog.vault")

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
HEAD_BYTES = 1024
# A complete PDF ends with "%%EOF"; readers accept it anywhere in the last 1,024 bytes.
TAIL_BYTES = 1024
# More pages than any real scan; a TIFF claiming more is refused before its pages are walked.
MAX_IMAGE_PAGES = 5000
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
    """What opening a PDF told us."""

    page_count: int
    needs_password: bool
    repaired: bool


def display_name(path: Path) -> str:
    """A file name safe to show: control and bidirectional-override characters made visible.

    "scan<RIGHT-TO-LEFT OVERRIDE>gpj.pdf", which a screen shows as "scanfdp.jpg", comes back with
    the override written out as the text ``\\u202e``; so do bytes that are not valid UTF-8 (lone
    surrogates), which could not be stored in the database either. Emoji and every script stay.
    """
    return safe_text(path.name or str(path))


def safe_text(text: str) -> str:
    """``text`` with invisible formatting and control characters written out as ``\\uXXXX``."""
    return "".join(
        ch
        if (ch.isprintable() or ch in _KEPT_INVISIBLE) and ch not in BIDI_CONTROLS
        # Lone surrogates (undecodable bytes in a file name) are written out too: they can be
        # neither shown nor stored.
        else f"\\u{ord(ch):04x}"
        for ch in text
    )


# The zero-width joiner builds emoji such as 👨‍👩‍👧; it cannot reorder or hide text.
_KEPT_INVISIBLE = {"\u200d"}

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

    Args:
        pdf_inspector: opens PDFs; by default ``pdf_probe.probe_pdf`` (a child process with time
            and memory limits). Tests may pass ``inspect_pdf`` to stay in-process.

    Raises:
        DocumentFileError: not a regular readable file, empty, too large, not an accepted type,
            named as another type, incomplete or damaged beyond repair, or an image too large to
            open safely.
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
    if file_type is FileType.PDF and head.startswith(_CONTAINERS):
        file_type = None  # a ZIP or Word file can carry "%PDF-" early on; it is still not a PDF
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
        _refuse_incomplete_pdf(path, info.st_size)
        if pdf_inspector is None:
            from backlog_app.storage.pdf_probe import probe_pdf

            pdf_inspector = probe_pdf
        facts = pdf_inspector(path, password)
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
        original_name=display_name(path)[:400],
        file_type=file_type,
        size_bytes=info.st_size,
        sha256=sha256,
        page_count=page_count,
        needs_password=needs_password,
        repaired=repaired,
    )


def inspect_pdf(path: Path, password: str | None = None) -> PdfFacts:
    """Open a PDF with qpdf (pikepdf), count its pages, and note repair and encryption.

    This runs qpdf in the calling process with no limits; ``pdf_probe`` runs it in a child.

    Raises:
        PasswordRequiredError: locked, and ``password`` is missing or wrong.
        DocumentFileError: damaged beyond repair, or no pages.
    """
    import pikepdf  # imported here: it is only needed when a PDF is added or checked

    try:
        with _pdf_source(path) as source, pikepdf.open(source, password=password or "") as pdf:
            page_count = len(pdf.pages)
            # qpdf warns when it had to rebuild the cross-reference table or skip bad objects.
            warnings_seen = pdf.get_warnings()
            needs_password = bool(password) and pdf.is_encrypted
    except pikepdf.PasswordError as exc:
        raise PasswordRequiredError(path, wrong_password=bool(password)) from exc
    except (pikepdf.PdfError, RecursionError, RuntimeError, ValueError) as exc:
        log.info("pdf refused: %s", exc.__class__.__name__)
        raise DocumentFileError(
            path, "the PDF is damaged and could not be repaired. Ask the sender for a new copy."
        ) from exc
    except OSError as exc:
        raise DocumentFileError(path, f"it cannot be read ({exc.strerror or exc}).") from exc
    if page_count == 0:
        raise DocumentFileError(path, "the PDF has no pages. Ask the sender for a new copy.")
    return PdfFacts(
        page_count=page_count, needs_password=needs_password, repaired=bool(warnings_seen)
    )


@contextmanager
def _pdf_source(path: Path) -> Iterator[Path | BinaryIO]:
    """The PDF by name (qpdf reads it fastest), or opened here when the name holds bytes that
    are not UTF-8, which qpdf cannot take."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        with path.open("rb") as stream:
            yield stream
    else:
        yield path


# Pillow's names for the decoders each type may be opened with (no other decoder is tried).
_PILLOW_FORMATS = {
    FileType.JPEG: ["JPEG", "MPO"],  # phones write MPO (JPEG with a depth map) as .jpg
    FileType.PNG: ["PNG"],
    FileType.TIFF: ["TIFF"],
    FileType.HEIC: ["HEIF"],
    FileType.WEBP: ["WEBP"],
}


def inspect_image(path: Path, file_type: FileType) -> int:
    """Open an image far enough to know it decodes, refusing decompression bombs. Returns pages.

    Only a TIFF has pages; the frames of an animated PNG or WebP, or a HEIC burst, count as one.
    Every page's size is checked before anything is decoded, and only the first is decoded.
    """
    from PIL import Image

    if file_type is FileType.HEIC:
        register_heif()
    limit = Image.MAX_IMAGE_PIXELS or DEFAULT_MAX_PIXELS
    too_large = (
        f"the picture is larger than {limit / 1_000_000:,.0f} million pixels, too large to "
        "open safely. Scan it again at a normal resolution (300 dpi is plenty)."
    )
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice its limit; here that is a refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path, formats=_PILLOW_FORMATS[file_type]) as image:
                pages = _image_pages(path, image, file_type)
                for index in range(pages):
                    image.seek(index)
                    width, height = image.size
                    if width * height > limit:
                        raise DocumentFileError(
                            path,
                            f"the picture is {width:,} × {height:,} pixels, too large to open "
                            "safely. Scan it again at a normal resolution (300 dpi is plenty).",
                        )
                image.seek(0)
                # Decode a small version: proves the data is there without paying for full size.
                image.draft("RGB", (256, 256))
                image.load()
    except DocumentFileError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise DocumentFileError(path, too_large) from exc
    except PermissionError as exc:
        raise DocumentFileError(
            path, "BackLog is not allowed to read it. Check the file's permissions."
        ) from exc
    except Exception as exc:  # decoders fail in many ways on broken data; all mean "damaged"
        log.info("image refused: %s", exc.__class__.__name__)
        raise DocumentFileError(
            path, f"the {file_type.label} is damaged or incomplete. Scan or save it again."
        ) from exc
    return pages


def _image_pages(path: Path, image: Any, file_type: FileType) -> int:
    if file_type is not FileType.TIFF:
        return 1
    pages = int(getattr(image, "n_frames", 1))
    if pages > MAX_IMAGE_PAGES:
        raise DocumentFileError(
            path,
            f"the TIFF says it has {pages:,} pages, more than BackLog opens "
            f"({MAX_IMAGE_PAGES:,}). Split it into smaller files.",
        )
    return pages


def _refuse_incomplete_pdf(path: Path, size: int) -> None:
    """A PDF cut short (an unfinished download, a full disk) lacks its closing ``%%EOF``.

    qpdf would "repair" such a file by dropping whatever was cut off, so it is refused here
    instead: the user still has the chance to fetch the whole file.
    """
    try:
        with path.open("rb") as handle:
            handle.seek(max(0, size - TAIL_BYTES))
            tail = handle.read(TAIL_BYTES)
    except OSError as exc:
        raise DocumentFileError(path, f"it cannot be read ({exc.strerror or exc}).") from exc
    if b"%%EOF" not in tail:
        raise DocumentFileError(
            path,
            "the PDF is incomplete (its end is missing); it may not have finished downloading. "
            "Download or save it again.",
        )


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


_CONTAINERS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # ZIP (Word, Excel, ODF), old Office files


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
