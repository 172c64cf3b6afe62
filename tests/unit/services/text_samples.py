"""Sample documents for the text-reading and thumbnail tests: clear "scans", typed PDFs."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from backlog_app.domain.documents import TextStatus
from backlog_app.services.context import ProfileSession


def text_image(
    lines: list[str], size: tuple[int, int] = (1400, 500), mode: str = "L"
) -> Image.Image:
    """Big, clear black words on white, as a scanner would give them."""
    image = Image.new(mode, size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=64)
    for row, line in enumerate(lines):
        draw.text((60, 60 + row * 110), line, fill="black", font=font)
    return image


Page = str | Image.Image | tuple[str, Image.Image]


def make_pdf(path: Path, pages: list[Page], *, password: str | None = None) -> Path:
    """A letter-size PDF: a string becomes typed text, an image a full-page scan, and a
    (string, image) pair a scan with a typed line over it (as a fax machine adds)."""
    from reportlab.lib.pagesizes import letter  # type: ignore[import-untyped]
    from reportlab.lib.utils import ImageReader  # type: ignore[import-untyped]
    from reportlab.pdfgen import canvas  # type: ignore[import-untyped]

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter)
    for page in pages:
        header: str | None = page if isinstance(page, str) else None
        scan: Image.Image | None = page if isinstance(page, Image.Image) else None
        if isinstance(page, tuple):
            header, scan = page
        if scan is not None:
            encoded = io.BytesIO()
            scan.save(encoded, "PNG")
            encoded.seek(0)
            pdf.drawImage(ImageReader(encoded), 0, 0, width=letter[0], height=letter[1])
        if header is not None:
            pdf.setFont("Helvetica", 12)
            for row, line in enumerate(header.splitlines()):
                pdf.drawString(72, 760 - 16 * row, line)
        pdf.showPage()
    pdf.save()
    if password is None:
        path.write_bytes(buffer.getvalue())
    else:
        import pikepdf

        buffer.seek(0)
        with pikepdf.open(buffer) as document:
            document.save(path, encryption=pikepdf.Encryption(user=password, owner=password + "!"))
    return path


def typed(pages: int) -> list[Page]:
    """Pages with enough typed words that none of them looks like a scan."""
    return [f"Page {n} of a letter typed by the clinic" for n in range(1, pages + 1)]


def add(profile: ProfileSession, path: Path, **kwargs: object) -> int:
    return profile.importer.add(path, **kwargs)  # type: ignore[arg-type]


def status(profile: ProfileSession, document_id: int) -> TextStatus:
    return profile.documents.get(document_id).text_status
