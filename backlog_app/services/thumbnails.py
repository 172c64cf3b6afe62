"""Thumbnails: page 1 of each document as a small PNG, cached in the profile's thumbnails folder.

A thumbnail is a cache: it can be removed at any time and is drawn again from the stored original
(``backlog check --repair`` redraws missing ones). Written to a temporary name and renamed, so a
half-written thumbnail is never seen. In an encrypted profile thumbnails are encrypted with the
vault's cipher (a page picture shows health data); read them with ``read_thumbnail``.
"""

from __future__ import annotations

import io
import logging
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from backlog_app.domain.documents import FileType
from backlog_app.errors import UserError
from backlog_app.services.documents import DocumentService
from backlog_app.services.page_images import (
    FileSource,
    PdfLockedError,
    as_rgb,
    open_image,
    open_pdf,
    render_pdf_page,
    upright,
)
from backlog_app.storage.crypto import FileCipher, FileDamagedError, is_encrypted_data

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger("backlog.documents")

THUMBNAIL_SIZE = 256  # pixels, longest side
_TEMP_SUFFIX = ".tmp"


def thumbnail_path(thumbnails_dir: Path, sha256: str) -> Path:
    """Where the thumbnail of the file with this SHA-256 is kept: ``thumbnails/<sha256>.png``."""
    return thumbnails_dir / f"{sha256}.png"


def ensure_thumbnail(
    documents: DocumentService, document_id: int, *, password: str | None = None
) -> Path | None:
    """The thumbnail of page 1 of a document, drawn first if it is not there yet.

    Args:
        password: opens a locked PDF; without it the saved password, if any, is used.

    Returns:
        The thumbnail file's path (encrypted in an encrypted profile: read it with
        ``read_thumbnail``), or None when the page cannot be drawn: a locked PDF without its
        password, a file missing from the vault, one too damaged to draw, or a thumbnails
        folder that cannot be written (the last three are logged).
    """
    try:
        info = documents.get(document_id)
    except UserError:
        return None  # removed meanwhile
    target = thumbnail_path(documents.thumbnails, info.file.sha256)
    if _usable(target):
        return target
    try:
        original = documents.original_of(info)
        if password is None and info.file.file_type is FileType.PDF:
            password = documents.saved_password(document_id)
        with original.open() as source:
            image = _render(source, info.file.file_type, password)
    except PdfLockedError:
        return None
    except UserError:
        log.info("document %d: no thumbnail, its file is missing or unreadable", document_id)
        return None
    except Exception:  # a damaged file must not break the grid; the reason goes to the log
        log.warning("document %d: no thumbnail could be drawn", document_id, exc_info=True)
        return None
    try:
        _write_png(image, target, documents.vault.cipher)
    except OSError:
        log.warning("document %d: its thumbnail could not be saved", document_id, exc_info=True)
        return None
    return target


def read_thumbnail(documents: DocumentService, sha256: str) -> bytes | None:
    """The PNG bytes of the thumbnail of the file with this SHA-256, decrypted if need be.

    Returns:
        None when there is no thumbnail yet, or it cannot be read or decrypted (a damaged one
        is removed, so ``ensure_thumbnail`` draws it again).
    """
    path = thumbnail_path(documents.thumbnails, sha256)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not is_encrypted_data(data):
        return data or None
    cipher = documents.vault.cipher
    if cipher is None:
        return None
    try:
        return cipher.decrypt_bytes(data)
    except FileDamagedError:
        log.warning("a thumbnail did not decrypt; it will be drawn again")
        path.unlink(missing_ok=True)
        return None


def _render(source: FileSource, file_type: FileType, password: str | None) -> Image.Image:
    """Page 1 of a file as an RGB picture whose longest side is THUMBNAIL_SIZE (or less).

    Raises:
        PdfLockedError: a locked PDF and no (or a wrong) password.
        OSError, ValueError, pypdfium2.PdfiumError…: the file cannot be drawn.
    """
    if file_type is FileType.PDF:
        return _pdf_thumbnail(source, password)
    return _image_thumbnail(source, file_type)


def _pdf_thumbnail(source: FileSource, password: str | None) -> Image.Image:
    with open_pdf(source, password) as pdf:
        return as_rgb(render_pdf_page(pdf, 0, longest_side=THUMBNAIL_SIZE))


def _image_thumbnail(source: FileSource, file_type: FileType) -> Image.Image:
    from PIL import Image

    with open_image(source, file_type) as image:
        # Decode less: a JPEG at 1/2, 1/4 or 1/8 size, a HEIC photo from its embedded preview
        # (each still at least the thumbnail's size). A 12-megapixel photo then takes a
        # fraction of the work. Other formats ignore this.
        width, height = image.size
        scale = THUMBNAIL_SIZE / max(width, height, 1)
        image.draft(image.mode, (max(1, round(width * scale)), max(1, round(height * scale))))
        picture = as_rgb(upright(image))
    picture.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.LANCZOS)
    return picture


def _write_png(image: Image.Image, target: Path, cipher: FileCipher | None) -> None:
    """Save ``image`` as ``target`` (encrypted with ``cipher`` if given) through a temporary
    file in the same folder, then rename. The PNG is made in memory, so no plain picture
    reaches the disk in an encrypted profile."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False)
    data = buffer.getvalue() if cipher is None else cipher.encrypt_bytes(buffer.getvalue())
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.stem}.{secrets.token_hex(4)}{_TEMP_SUFFIX}")
    try:
        temporary.write_bytes(data)
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _usable(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False
