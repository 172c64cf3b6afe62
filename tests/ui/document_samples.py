"""Small real document files for the Documents page tests: PDFs (plain, locked, damaged) and photos."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PIL import Image, ImageDraw

from backlog_app.domain.documents import DocumentData, DocumentKind, TextStatus
from backlog_app.domain.records import ProviderData, ProviderRole
from backlog_app.services.context import ProfileSession


def make_pdf(path: Path, pages: list[str]) -> Path:
    """A PDF with one page per text (a heading line and a few body lines)."""
    from reportlab.lib.pagesizes import letter  # type: ignore[import-untyped]
    from reportlab.pdfgen import canvas  # type: ignore[import-untyped]

    sheet = canvas.Canvas(str(path), pagesize=letter)
    for number, text in enumerate(pages, start=1):
        sheet.setFont("Helvetica-Bold", 20)
        sheet.drawString(72, 700, text)
        sheet.setFont("Helvetica", 12)
        for line in range(12):
            sheet.drawString(
                72, 660 - line * 20, f"Page {number}: {text.lower()} — line {line + 1}"
            )
        sheet.showPage()
    sheet.save()
    return path


def make_locked_pdf(path: Path, pages: list[str], password: str) -> Path:
    """A PDF that opens only with ``password``."""
    import pikepdf

    plain = make_pdf(path.with_name(f"plain-{path.name}"), pages)
    with pikepdf.open(plain) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner=password + "-owner", user=password))
    plain.unlink()
    return path


def make_damaged_pdf(path: Path, pages: list[str]) -> Path:
    """A PDF whose cross-reference table points to the wrong places (qpdf repairs it)."""
    good = make_pdf(path.with_name(f"good-{path.name}"), pages).read_bytes()
    damaged = good.replace(b"\nxref\n", b"\nxrfe\n", 1)
    path.write_bytes(damaged)
    path.with_name(f"good-{path.name}").unlink()
    return path


def make_photo(path: Path, size: tuple[int, int] = (320, 200), *, orientation: int = 1) -> Path:
    """A landscape picture with an arrow pointing up; ``orientation`` is its EXIF tag.

    With orientation 6 ("rotate 90° clockwise to view") the upright picture is portrait.
    """
    image = Image.new("RGB", size, (236, 242, 246))
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle((8, 8, width - 9, height - 9), outline=(31, 111, 139), width=4)
    draw.polygon(
        [(width // 2, 20), (width // 2 - 30, 70), (width // 2 + 30, 70)], fill=(192, 57, 43)
    )
    draw.text((20, height - 40), "MEMBER ID BMH-448210937", fill=(20, 20, 20))
    exif = Image.Exif()
    exif[0x0112] = orientation
    suffix = path.suffix.lower()
    if suffix in (".heic", ".heif"):
        from backlog_app.storage.file_inspect import register_heif

        register_heif()
        image.save(path, format="HEIF", exif=exif.tobytes(), quality=80)
    elif suffix in (".jpg", ".jpeg"):
        image.save(path, format="JPEG", exif=exif.tobytes(), quality=90)
    else:
        image.save(path)
    return path


def make_tiff(path: Path, pages: int) -> Path:
    """A multi-page TIFF, each page a different shade with its number."""
    frames = []
    for number in range(pages):
        frame = Image.new("RGB", (300, 400), (255 - number * 40, 255, 255))
        ImageDraw.Draw(frame).text((20, 20), f"Scan page {number + 1}", fill=(0, 0, 0))
        frames.append(frame)
    frames[0].save(path, save_all=True, append_images=frames[1:], compression="tiff_lzw")
    return path


# title, kind, date, tags, pages (the words on them)
SAMPLES: tuple[tuple[str, DocumentKind, dt.date | None, tuple[str, ...], list[str]], ...] = (
    (
        "MRI lumbar spine report",
        DocumentKind.IMAGING_REPORT,
        dt.date(2026, 3, 4),
        ("lumbar", "MRI"),
        ["MRI lumbar spine without contrast", "Impression: L4-L5 disc herniation", "Signed"],
    ),
    (
        "Denial of lumbar fusion",
        DocumentKind.DENIAL_LETTER,
        dt.date(2026, 5, 19),
        ("appeal",),
        ["Your request has been denied", "How to appeal this decision"],
    ),
    (
        "Referral to spine surgery",
        DocumentKind.REFERRAL,
        dt.date(2026, 2, 11),
        ("lumbar",),
        ["Referral for surgical consultation"],
    ),
    (
        "Explanation of Benefits, April",
        DocumentKind.EOB,
        dt.date(2026, 4, 30),
        (),
        ["Explanation of Benefits", "Amount billed", "You may owe"],
    ),
    (
        "Physical therapy discharge summary",
        DocumentKind.PT_NOTE,
        None,
        ("PT",),
        ["Discharge summary after 12 visits of physical therapy"],
    ),
)


def add_samples(profile: ProfileSession, folder: Path) -> dict[str, int]:
    """Add the SAMPLES as PDFs (with their text searchable) plus a phone photo; title → id.

    The first sample's provider is a new "Dr. Lena Ortiz".
    """
    folder.mkdir(parents=True, exist_ok=True)
    provider = profile.providers.add(
        ProviderData(name="Dr. Lena Ortiz", role=ProviderRole.SPINE_SURGEON)
    )
    ids: dict[str, int] = {}
    for number, (title, kind, day, tags, pages) in enumerate(SAMPLES):
        path = make_pdf(folder / f"sample-{number}.pdf", pages)
        data = DocumentData(
            kind=kind,
            title=title,
            document_date=day,
            provider_id=provider if number == 0 else None,
            tags=tags,
        )
        ids[title] = profile.importer.add(path, data)
        profile.documents.set_text(ids[title], "\n".join(pages), TextStatus.EMBEDDED)
    photo = make_photo(folder / "card.jpg", orientation=6)
    ids["Insurance card"] = profile.importer.add(
        photo,
        DocumentData(
            kind=DocumentKind.INSURANCE_CARD,
            title="Insurance card",
            document_date=dt.date(2026, 1, 2),
        ),
    )
    return ids
