"""Vault files turned into packet pages: scans placed at their true shape and about 200 dpi,
stored no bigger than they came, upright, repeatable; unreadable files replaced in plain words."""

from __future__ import annotations

import gc
import io
import re
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw, ImageFont

from backlog_app.domain.documents import FileType
from backlog_app.domain.packet import PageSize, scan_resolution
from backlog_app.services.packet import scan_pages
from backlog_app.services.packet.attachments import (
    DAMAGED,
    LOCKED,
    TOO_LARGE,
    PreparedAttachment,
    open_source_pdf,
    prepare_attachment,
)
from backlog_app.services.packet.documents import AttachmentSource
from tests.document_files import write_encrypted_pdf

_TYPES = {".jpg": FileType.JPEG, ".png": FileType.PNG, ".tif": FileType.TIFF}
_CM = re.compile(rb"q ([\d.]+) 0 0 ([\d.]+) ([\d.]+) ([\d.]+) cm /Scan Do Q")


def _text_page(size: tuple[int, int], *, seed: int = 0, mode: str = "L") -> Image.Image:
    """A letter-like page: black words on white, anti-aliased."""
    page = Image.new(mode, size, "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=max(8, size[0] // 60))
    step = max(10, size[0] // 45)
    for row, y in enumerate(range(step * 2, size[1] - step * 2, step)):
        words = " ".join(f"claim{(row * 7 + seed + n) % 97}" for n in range(6))
        draw.text((step * 2, y), words, font=font, fill="black")
    return page


def _prepare(path: Path, scratch: Path, size: PageSize = PageSize.LETTER) -> PreparedAttachment:
    source = AttachmentSource(7, path.name, f"Scan · {path.name}", _TYPES[path.suffix], path, None)
    scratch.mkdir(exist_ok=True)
    return prepare_attachment(source, size, scratch)


@dataclass(frozen=True)
class Picture:
    """A page's picture as stored, and where it is drawn (points)."""

    width: int
    height: int
    bits: int
    codec: str  # "/DCTDecode"…
    colours: str  # "/DeviceGray", "/DeviceRGB" or "/Indexed"
    data: bytes  # as stored (still encoded)
    rect: tuple[float, float, float, float]  # width, height, x, y


def _pictures(prepared: PreparedAttachment) -> list[Picture]:
    assert prepared.pdf_path is not None and not prepared.is_original_pdf
    with pikepdf.open(prepared.pdf_path) as pdf:
        return [_picture(page) for page in pdf.pages]


def _picture(page: pikepdf.Page) -> Picture:
    match = _CM.search(page.Contents.read_bytes())
    assert match is not None
    image = page.Resources.XObject.Scan
    colours = image.ColorSpace
    width, height, x, y = (float(v) for v in match.groups())
    return Picture(
        int(image.Width),
        int(image.Height),
        int(image.BitsPerComponent),
        str(image.Filter),
        str(colours if isinstance(colours, pikepdf.Name) else colours[0]),
        image.read_raw_bytes(),
        (width, height, x, y),
    )


def _render(pdf_path: Path, dpi: float = 50) -> Image.Image:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    document = pdfium.PdfDocument(str(pdf_path))
    try:
        bitmap = document[0].render(scale=dpi / 72, grayscale=True)
        picture: Image.Image = bitmap.to_pil().convert("L").copy()
    finally:
        document.close()
    return picture


def _mean(picture: Image.Image) -> float:
    histogram = picture.convert("L").histogram()
    return sum(value * count for value, count in enumerate(histogram)) / sum(histogram)


def test_a_standard_fax_keeps_its_shape(tmp_path: Path) -> None:
    # 204 × 98 dpi: the pixels are twice as tall as wide; the page is Letter, not half a page.
    fax = tmp_path / "fax.tif"
    page = _text_page((1728, 2156)).resize((1728, 1078)).convert("1", dither=Image.Dither.NONE)
    page.save(fax, compression="group4", dpi=(204, 98))
    prepared = _prepare(fax, tmp_path / "out")
    [picture] = _pictures(prepared)
    width, height, _x, _y = picture.rect
    assert width / height == pytest.approx((1728 / 204) / (1078 / 98), rel=0.01)
    assert (picture.width, picture.height) == (1728, 1078)  # never enlarged
    assert picture.bits == 1


def test_a_black_and_white_scan_is_not_inflated(tmp_path: Path) -> None:
    scan = tmp_path / "letter.tif"
    page = _text_page((2550, 3300)).convert("1", dither=Image.Dither.NONE)
    page.save(scan, compression="group4", dpi=(300, 300))
    prepared = _prepare(scan, tmp_path / "out")
    assert prepared.pdf_path is not None
    assert prepared.pdf_path.stat().st_size <= scan.stat().st_size * 1.1 + 2_000
    [picture] = _pictures(prepared)
    assert picture.bits == 1
    assert picture.codec in ("/CCITTFaxDecode", "/FlateDecode")
    # Black letters on white, not white on black.
    assert _mean(_render(prepared.pdf_path)) > 200


def test_a_gray_png_is_not_inflated_and_stays_gray(tmp_path: Path) -> None:
    scan = tmp_path / "gray.png"
    _text_page((1700, 2200), seed=3).save(scan, dpi=(200, 200))
    prepared = _prepare(scan, tmp_path / "out")
    assert prepared.pdf_path is not None
    assert prepared.pdf_path.stat().st_size <= scan.stat().st_size * 1.05 + 2_000
    [picture] = _pictures(prepared)
    assert picture.colours == "/DeviceGray"


def test_a_palette_png_keeps_its_palette(tmp_path: Path) -> None:
    scan = tmp_path / "palette.png"
    page = _text_page((1275, 1650), seed=4, mode="RGB")
    ImageDraw.Draw(page).ellipse((1000, 60, 1200, 260), fill=(200, 30, 30))
    page.quantize(16).save(scan, dpi=(150, 150))
    prepared = _prepare(scan, tmp_path / "out")
    assert prepared.pdf_path is not None
    assert prepared.pdf_path.stat().st_size <= scan.stat().st_size * 1.05 + 2_000
    [picture] = _pictures(prepared)
    assert picture.colours == "/Indexed"
    rendered = _render(prepared.pdf_path, dpi=72)
    assert _mean(rendered) > 200  # white paper, not a wrong palette


def test_a_small_jpeg_goes_in_byte_for_byte(tmp_path: Path) -> None:
    scan = tmp_path / "small.jpg"
    _text_page((1000, 1300), mode="RGB").save(scan, dpi=(200, 200), quality=85)
    [picture] = _pictures(_prepare(scan, tmp_path / "out"))
    assert picture.codec == "/DCTDecode"
    assert picture.data == scan.read_bytes()


def test_a_300_dpi_jpeg_is_stored_at_200_dpi(tmp_path: Path) -> None:
    scan = tmp_path / "scan.jpg"
    _text_page((2550, 3300), mode="RGB").save(scan, dpi=(300, 300), quality=85)
    [picture] = _pictures(_prepare(scan, tmp_path / "out"))
    width, height, _x, _y = picture.rect
    assert picture.codec == "/DCTDecode"
    assert picture.width < 2550
    assert abs(picture.width - width / 72 * 200) <= 2
    assert abs(picture.height - height / 72 * 200) <= 2


def test_colour_is_kept_only_where_there_is_colour(tmp_path: Path) -> None:
    gray = tmp_path / "gray.jpg"
    _text_page((1400, 1800), mode="RGB").save(gray, dpi=(200, 200), quality=70)
    stamped = tmp_path / "stamped.jpg"
    page = _text_page((1600, 2000), mode="RGB")
    ImageDraw.Draw(page).rectangle((1200, 100, 1450, 220), outline=(200, 20, 20), width=12)
    page.save(stamped, dpi=(300, 300), quality=70)  # 300 dpi: re-encoded, so checked
    gray_bigger = tmp_path / "gray300.jpg"
    _text_page((2400, 3000), mode="RGB").save(gray_bigger, dpi=(300, 300), quality=70)
    [kept] = _pictures(_prepare(gray, tmp_path / "a"))  # as it is: untouched
    [red] = _pictures(_prepare(stamped, tmp_path / "b"))
    [grayed] = _pictures(_prepare(gray_bigger, tmp_path / "c"))
    assert kept.colours == "/DeviceRGB"
    assert red.colours == "/DeviceRGB"
    assert grayed.colours == "/DeviceGray"


def test_every_page_of_a_tiff_is_a_page(tmp_path: Path) -> None:
    scan = tmp_path / "three.tif"
    pages = [_text_page((850, 1100), seed=n) for n in range(3)]
    pages[0].save(scan, save_all=True, append_images=pages[1:], dpi=(100, 100))
    prepared = _prepare(scan, tmp_path / "out")
    assert prepared.page_count == 3
    assert len(_pictures(prepared)) == 3


def test_a_turned_phone_photo_comes_out_upright(tmp_path: Path) -> None:
    upright = Image.new("RGB", (900, 1200), "white")
    ImageDraw.Draw(upright).rectangle((0, 0, 300, 300), fill="black")  # top left
    photo = tmp_path / "photo.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90° clockwise to show"
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    stored.save(photo, dpi=(72, 72), quality=90, exif=exif)
    prepared = _prepare(photo, tmp_path / "out")
    [picture] = _pictures(prepared)
    width, height, x, y = picture.rect
    assert height > width and picture.height > picture.width
    assert prepared.pdf_path is not None
    rendered = _render(prepared.pdf_path, dpi=72)
    page_height = rendered.height

    def corner(left: float, top: float) -> float:  # points from the image's top left
        box = (round(x + left), round(page_height - (y + height) + top))
        return _mean(rendered.crop((box[0], box[1], box[0] + 10, box[1] + 10)))

    assert corner(5, 5) < 60  # the black square is at the top left
    assert corner(width - 15, 5) > 200
    assert corner(5, height - 15) > 200


@pytest.mark.parametrize("name", ["scan.jpg", "fax.tif", "gray.png"])
def test_the_same_scan_gives_the_same_bytes(tmp_path: Path, name: str) -> None:
    scan = tmp_path / name
    page = _text_page((2000, 2600), mode="RGB" if name.endswith("jpg") else "L")
    if name.endswith("tif"):
        page = page.convert("1", dither=Image.Dither.NONE)
    page.save(scan, dpi=(250, 250))
    first, second = _prepare(scan, tmp_path / "a"), _prepare(scan, tmp_path / "b")
    assert first.pdf_path is not None and second.pdf_path is not None
    assert first.pdf_path.read_bytes() == second.pdf_path.read_bytes()


def test_the_packet_writer_keeps_the_pictures_as_they_are(tmp_path: Path) -> None:
    # The writer copies the pages into the packet and saves it compressed: the pictures' data
    # (Flate with PNG predictors, Group 4) must not be decoded and stored again.
    fax, gray = tmp_path / "fax.tif", tmp_path / "gray.png"
    _text_page((1700, 2200)).convert("1", dither=Image.Dither.NONE).save(fax, dpi=(200, 200))
    _text_page((1700, 2200)).save(gray, dpi=(200, 200))
    for scan in (fax, gray):
        prepared = _prepare(scan, tmp_path / scan.stem)
        [picture] = _pictures(prepared)
        assert prepared.pdf_path is not None
        with pikepdf.open(prepared.pdf_path) as source, pikepdf.new() as packet:
            packet.pages.extend(source.pages)
            out = io.BytesIO()
            packet.save(
                out,
                compress_streams=True,
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
            )
        with pikepdf.open(out) as written:
            assert _picture(written.pages[0]) == picture


def test_scans_leave_nothing_behind_in_memory(tmp_path: Path) -> None:
    # Reference cycles (ReportLab's canvas and image reader had them) keep decoded pages alive
    # until the garbage collector runs; with it off, anything left over shows up here.
    files = []
    for number, name in enumerate(("a.jpg", "b.tif", "c.png")):
        page = _text_page((1200, 1560), seed=number, mode="RGB" if name.endswith("jpg") else "L")
        page.save(tmp_path / name, dpi=(300, 300))
        files.append(tmp_path / name)
    _prepare(files[0], tmp_path / "warm")  # imports and caches settle first

    def count(kind: Callable[[object], bool]) -> int:
        return sum(1 for thing in gc.get_objects() if kind(thing))

    def is_image(thing: object) -> bool:
        return isinstance(thing, Image.Image)

    def is_pdf(thing: object) -> bool:
        return isinstance(thing, pikepdf.Pdf)

    gc.collect()
    gc.disable()
    try:
        images, pdfs = count(is_image), count(is_pdf)
        tracemalloc.start()
        for number in range(30):
            _prepare(files[number % 3], tmp_path / f"scan-{number}")
        current, _peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert count(is_image) == images
        assert count(is_pdf) == pdfs
        assert current < 2_000_000  # Python objects left over after 30 scans
    finally:
        gc.enable()


@pytest.mark.parametrize("name", ["cut.jpg", "cut.png", "small-cut.jpg"])
def test_a_cut_off_picture_is_replaced_in_plain_words(tmp_path: Path, name: str) -> None:
    scan = tmp_path / name
    side = (800, 1000) if name.startswith("small") else (2550, 3300)
    page = _text_page(side, mode="RGB")
    page.save(scan, dpi=(300, 300) if side[0] > 1000 else (200, 200))
    data = scan.read_bytes()
    scan.write_bytes(data[: len(data) * 2 // 3])
    prepared = _prepare(scan, tmp_path / "out")
    assert prepared.pdf_path is None and prepared.page_count == 1
    assert prepared.replaced_reason == DAMAGED


def test_a_picture_too_large_to_open_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan = tmp_path / "huge.png"
    _text_page((600, 800)).save(scan)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 300_000)  # warns, which is refused
    assert _prepare(scan, tmp_path / "a").replaced_reason == TOO_LARGE
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100_000)  # over twice: Pillow refuses
    assert _prepare(scan, tmp_path / "b").replaced_reason == TOO_LARGE


def test_running_out_of_memory_says_too_large(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def out_of_memory(*_args: object) -> None:
        raise MemoryError

    scan = tmp_path / "scan.png"
    _text_page((600, 800)).save(scan)
    monkeypatch.setattr(scan_pages, "encode_picture", out_of_memory)
    prepared = _prepare(scan, tmp_path / "out")
    assert prepared.replaced_reason == TOO_LARGE
    assert "too large" in TOO_LARGE and "damaged" not in TOO_LARGE


def test_a_locked_pdf_names_the_real_checkbox(tmp_path: Path) -> None:
    locked = write_encrypted_pdf(tmp_path / "locked.pdf")
    source = AttachmentSource(3, "EOB", "EOB", FileType.PDF, locked, None)
    prepared = prepare_attachment(source, PageSize.LETTER, tmp_path)
    assert prepared.replaced_reason == LOCKED
    assert "“Remember the password in this profile”" in LOCKED


def _open_files() -> int:
    return sum(1 for _ in Path("/proc/self/fd").iterdir())


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files on Linux")
def test_an_attached_pdf_is_read_without_holding_its_file_open(tmp_path: Path) -> None:
    locked = write_encrypted_pdf(tmp_path / "locked.pdf", password="secret", pages=2)
    before = _open_files()
    opened = [open_source_pdf(locked, "secret") for _ in range(5)]
    try:
        assert _open_files() == before
        assert all(len(pdf.pages) == 2 for pdf in opened)
    finally:
        for pdf in opened:
            pdf.close()


@pytest.mark.parametrize(
    ("dpi", "expected"),
    [
        ((204.0, 98.0), (204.0, 98.0)),  # a standard fax: believed as it is
        ((300.0, 300.0), (300.0, 300.0)),
        ((72.0, 72.0), (200.0, 200.0)),  # a phone: means nothing
        ((None, None), (200.0, 200.0)),
        ((300.0, None), (300.0, 300.0)),
        ((300.0, 10.0), (300.0, 300.0)),  # a writing error
    ],
)
def test_scan_resolution(
    dpi: tuple[float | None, float | None], expected: tuple[float, float]
) -> None:
    assert scan_resolution(*dpi) == expected
