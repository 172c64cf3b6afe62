"""Sample files for document tests, good and bad, made in a few milliseconds each.

Each writer takes the path to write and returns it. ``marker`` makes contents (and so hashes)
differ between files that would otherwise be identical.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pikepdf
from PIL import Image

from backlog_app.storage.file_inspect import register_heif


def pdf_bytes(pages: int = 1, marker: str = "") -> bytes:
    """A small valid PDF with a classic cross-reference table (no object streams)."""
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(612, 792))
    if marker:
        pdf.docinfo["/Title"] = marker
    buffer = io.BytesIO()
    pdf.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.disable, deterministic_id=True)
    return buffer.getvalue()


def write_pdf(path: Path, pages: int = 1, marker: str = "") -> Path:
    path.write_bytes(pdf_bytes(pages, marker or path.name))
    return path


def write_encrypted_pdf(path: Path, password: str = "secret", pages: int = 2) -> Path:
    """A PDF that opens only with ``password`` (AES-256)."""
    with pikepdf.open(io.BytesIO(pdf_bytes(pages, path.name))) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user=password, owner=password + "-owner"))
    return path


def write_broken_xref_pdf(path: Path, *, repairable: bool) -> Path:
    """A PDF whose ``startxref`` points to the wrong place.

    ``repairable``: the objects are intact, so qpdf rebuilds the table from them. Otherwise the
    trailer and the catalog are gone too, and there is nothing to rebuild from.
    """
    data = pdf_bytes(2, path.name)
    match = re.search(rb"startxref\s+(\d+)", data)
    assert match is not None
    data = data[: match.start(1)] + str(int(match[1]) + 7).encode() + data[match.end(1) :]
    if not repairable:
        data = data.replace(b"trailer", b"trai1er").replace(b"/Type /Catalog", b"/Type /Catalo9")
    path.write_bytes(data)
    return path


def write_truncated_pdf(path: Path) -> Path:
    """The first half of a PDF, as an interrupted download leaves it."""
    data = pdf_bytes(3, path.name)
    path.write_bytes(data[: len(data) // 2])
    return path


def image_bytes(fmt: str, size: tuple[int, int] = (40, 30), marker: str = "") -> bytes:
    if fmt == "HEIF":
        register_heif()
    shade = zlib.crc32(marker.encode()) % 200
    image = Image.new("RGB", size, (shade, 120, 200 - shade))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def write_image(path: Path, fmt: str, size: tuple[int, int] = (40, 30)) -> Path:
    """A small picture; ``fmt`` is Pillow's name: JPEG, PNG, WEBP, HEIF, TIFF."""
    path.write_bytes(image_bytes(fmt, size, path.name))
    return path


def write_tiff(path: Path, pages: int) -> Path:
    frames = [Image.new("L", (30, 40), 40 * n % 255) for n in range(pages)]
    frames[0].save(path, format="TIFF", save_all=True, append_images=frames[1:])
    return path


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` × ``height`` pixels without holding them (a few bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def write_docx(path: Path) -> Path:
    """A ZIP shaped like a Word file (enough for the type check)."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return path


def vault_files(vault: Path) -> list[Path]:
    """Every file under the vault folder, hidden ``.partial`` leftovers included."""
    return sorted(path for path in vault.rglob("*") if path.is_file() or path.is_symlink())
