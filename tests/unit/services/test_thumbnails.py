"""Thumbnails: page 1 as a 256-pixel PNG in the profile, drawn once, atomically, upright."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PIL import Image

from backlog_app.services import page_images, thumbnails
from backlog_app.services.context import ProfileSession
from backlog_app.services.page_images import PdfLockedError, open_pdf, render_pdf_page
from backlog_app.services.thumbnails import THUMBNAIL_SIZE, ensure_thumbnail, thumbnail_path
from backlog_app.storage.file_inspect import register_heif
from tests.document_files import write_broken_xref_pdf
from tests.unit.services.text_samples import add, make_pdf, text_image

RED, BLUE = (220, 0, 0), (0, 0, 220)


def two_colours(size: tuple[int, int]) -> Image.Image:
    """Left half red, right half blue: shows which way a picture was turned."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def close(pixel: object, colour: tuple[int, int, int]) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(a - b) < 40 for a, b in zip(pixel, colour, strict=False))


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if not path.name.endswith(".png"))


def test_thumbnail_path() -> None:
    assert thumbnail_path(Path("/p/thumbnails"), "ab" * 32) == Path(
        f"/p/thumbnails/{'ab' * 32}.png"
    )


def test_pdf_first_page(profile: ProfileSession, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "a.pdf", [two_colours((850, 1100)), "second page, typed"])
    document_id = add(profile, pdf)

    path = ensure_thumbnail(profile.documents, document_id)

    info = profile.documents.get(document_id)
    assert path == thumbnail_path(profile.paths.thumbnails, info.file.sha256)
    assert path.parent == profile.paths.thumbnails
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.mode == "RGB"
        assert max(image.size) == THUMBNAIL_SIZE
        assert image.size[0] < image.size[1]  # a letter page stays portrait
        assert close(image.getpixel((10, 100)), RED)  # the first page, not the second
    assert leftovers(profile.paths.thumbnails) == []


def test_a_phone_photo_is_shown_upright(profile: ProfileSession, tmp_path: Path) -> None:
    # Stored landscape (left red, right blue) with "turn 90° clockwise to view" in EXIF.
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "card.jpg"
    two_colours((4000, 3000)).save(path, exif=exif, quality=90)  # 12 megapixels
    document_id = add(profile, path)

    thumbnail = ensure_thumbnail(profile.documents, document_id)

    assert thumbnail is not None
    with Image.open(thumbnail) as image:
        assert image.size == (192, 256)  # portrait once turned
        assert close(image.getpixel((96, 10)), RED)  # turned clockwise: red on top
        assert close(image.getpixel((96, 245)), BLUE)


def test_a_big_jpeg_is_decoded_small(
    profile: ProfileSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "photo.jpg"
    two_colours((4000, 3000)).save(path, quality=90)
    document_id = add(profile, path)
    decoded: list[tuple[int, int]] = []
    real_upright = page_images.upright

    def upright(image: Image.Image) -> Image.Image:
        decoded.append(image.size)
        return real_upright(image)

    monkeypatch.setattr(thumbnails, "upright", upright)

    assert ensure_thumbnail(profile.documents, document_id) is not None
    assert decoded == [(500, 375)]  # 1/8 of the pixels per side, never all 12 million


@pytest.mark.parametrize(
    ("suffix", "mode"),
    [(".png", "RGBA"), (".png", "I;16"), (".png", "P"), (".webp", "RGB"), (".tif", "CMYK")],
)
def test_image_kinds(profile: ProfileSession, tmp_path: Path, suffix: str, mode: str) -> None:
    path = tmp_path / f"scan-{mode.replace(';', '')}{suffix}"
    picture = text_image(["SCAN"], size=(600, 300), mode="RGB")
    if mode == "RGBA":
        picture = Image.new("RGBA", (600, 300), (0, 0, 0, 0))  # all transparent
    elif mode == "I;16":
        picture = Image.new("I;16", (600, 300), 65535)  # 16-bit white
    else:
        picture = picture.convert(mode)
    picture.save(path)
    document_id = add(profile, path)

    thumbnail = ensure_thumbnail(profile.documents, document_id)

    assert thumbnail is not None
    with Image.open(thumbnail) as image:
        assert (image.size, image.mode) == ((256, 128), "RGB")
        if mode in ("RGBA", "I;16"):
            assert close(image.getpixel((5, 5)), (255, 255, 255))  # white, not black


def test_a_multipage_tiff_shows_its_first_page(profile: ProfileSession, tmp_path: Path) -> None:
    path = tmp_path / "fax.tif"
    Image.new("RGB", (300, 400), RED).save(
        path, save_all=True, append_images=[Image.new("RGB", (300, 400), BLUE)]
    )
    document_id = add(profile, path)

    thumbnail = ensure_thumbnail(profile.documents, document_id)

    assert thumbnail is not None
    with Image.open(thumbnail) as image:
        assert close(image.getpixel((50, 50)), RED)


def test_heic_photo(profile: ProfileSession, tmp_path: Path) -> None:
    register_heif()
    path = tmp_path / "card.heic"
    two_colours((640, 480)).save(path, format="HEIF")
    document_id = add(profile, path)

    thumbnail = ensure_thumbnail(profile.documents, document_id)

    assert thumbnail is not None
    with Image.open(thumbnail) as image:
        assert image.size == (256, 192)
        assert close(image.getpixel((10, 96)), RED)


def test_a_heic_photo_is_drawn_from_its_embedded_preview(
    profile: ProfileSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register_heif()
    photo = two_colours((1600, 1200))
    photo.info["thumbnails"] = [320]  # phones store a small preview beside the photo
    path = tmp_path / "card.heic"
    photo.save(path, format="HEIF")
    document_id = add(profile, path)
    decoded: list[tuple[int, int]] = []
    real_upright = page_images.upright

    def upright(image: Image.Image) -> Image.Image:
        decoded.append(image.size)
        return real_upright(image)

    monkeypatch.setattr(thumbnails, "upright", upright)

    assert ensure_thumbnail(profile.documents, document_id) is not None
    assert decoded == [(320, 240)]


def test_locked_pdf(profile: ProfileSession, tmp_path: Path) -> None:
    saved = add(
        profile,
        make_pdf(tmp_path / "s.pdf", [two_colours((850, 1100))], password="pw1"),
        password="pw1",
        remember_password=True,
    )
    unknown = add(
        profile,
        make_pdf(tmp_path / "u.pdf", [two_colours((850, 1000))], password="pw2"),
        password="pw2",
    )

    assert ensure_thumbnail(profile.documents, saved) is not None
    assert ensure_thumbnail(profile.documents, unknown) is None
    assert ensure_thumbnail(profile.documents, unknown, password="wrong") is None
    assert not thumbnail_path(
        profile.paths.thumbnails, profile.documents.get(unknown).file.sha256
    ).exists()
    assert ensure_thumbnail(profile.documents, unknown, password="pw2") is not None
    assert leftovers(profile.paths.thumbnails) == []


def test_a_damaged_pdf_is_drawn_from_a_repaired_copy(
    profile: ProfileSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    document_id = add(profile, write_broken_xref_pdf(tmp_path / "broken.pdf", repairable=True))
    stored = profile.documents.file_path(document_id)
    original = stored.read_bytes()
    opened: list[str] = []
    real_document = pdfium.PdfDocument

    def strict_pdfium(source: object, password: str | None = None) -> object:
        # Make PDFium as strict as it is with worse damage: it refuses the file itself.
        opened.append(type(source).__name__)
        if not isinstance(source, bytes):  # the stored file (a path or a stream)
            raise pdfium.PdfiumError("Failed to load document", err_code=3)
        return real_document(source, password=password)

    monkeypatch.setattr(pdfium, "PdfDocument", strict_pdfium)

    assert ensure_thumbnail(profile.documents, document_id) is not None
    assert len(opened) == 2 and opened[1] == "bytes"  # the file refused, the repaired copy read
    assert stored.read_bytes() == original


def test_what_cannot_be_drawn_gives_none(profile: ProfileSession, tmp_path: Path) -> None:
    missing = add(profile, make_pdf(tmp_path / "m.pdf", ["typed page of the letter"]))
    gone = profile.documents.file_path(missing)
    gone.chmod(0o644)
    gone.unlink()
    hopeless = add(profile, make_pdf(tmp_path / "h.pdf", ["another typed page of a letter"]))
    stored = profile.documents.file_path(hopeless)
    stored.chmod(0o644)
    stored.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100)  # damaged in the vault since

    assert ensure_thumbnail(profile.documents, missing) is None
    assert ensure_thumbnail(profile.documents, hopeless) is None
    assert ensure_thumbnail(profile.documents, 9999) is None  # no such document
    assert list(profile.paths.thumbnails.iterdir()) == []


def test_an_existing_thumbnail_is_not_drawn_again(
    profile: ProfileSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document_id = add(profile, make_pdf(tmp_path / "a.pdf", ["typed page of the letter"]))
    first = ensure_thumbnail(profile.documents, document_id)
    assert first is not None

    def no_drawing(*args: object) -> None:
        raise AssertionError("drawn again")

    monkeypatch.setattr(thumbnails, "_render", no_drawing)
    assert ensure_thumbnail(profile.documents, document_id) == first

    first.write_bytes(b"")  # an empty file left by a crash is drawn again
    monkeypatch.undo()
    assert ensure_thumbnail(profile.documents, document_id) == first
    assert first.stat().st_size > 0


def test_a_failed_write_leaves_nothing(
    profile: ProfileSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document_id = add(profile, make_pdf(tmp_path / "a.pdf", ["typed page of the letter"]))
    real_write = Path.write_bytes

    def half_write(self: Path, data: bytes) -> int:
        # The disk fills up halfway through the thumbnail file.
        real_write(self, data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", half_write)

    assert ensure_thumbnail(profile.documents, document_id) is None
    assert list(profile.paths.thumbnails.iterdir()) == []
    monkeypatch.setattr(Path, "write_bytes", real_write)
    assert ensure_thumbnail(profile.documents, document_id) is not None


def test_a_huge_page_is_drawn_within_the_pixel_limit(tmp_path: Path) -> None:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(14400, 14400))  # 200 × 200 inches, the PDF maximum
    path = tmp_path / "poster.pdf"
    pdf.save(path)

    with open_pdf(path) as document:
        image = render_pdf_page(document, 0, dpi=300, grayscale=True, max_pixels=25_000_000)

    assert image.size[0] * image.size[1] <= 25_000_000
    assert math.isclose(image.size[0], 5000, abs_tol=2)


def test_open_pdf_says_locked(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "l.pdf", ["typed page of the letter"], password="pw")
    with pytest.raises(PdfLockedError), open_pdf(path):
        pass
    with open_pdf(path, "pw") as document:
        assert page_images.pdf_page_count(document) == 1
