"""Checking files before they enter the vault: real type, size, pages, and every bad input."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from backlog_app.domain.documents import FileType
from backlog_app.storage import file_inspect
from backlog_app.storage.file_inspect import (
    DocumentFileError,
    PasswordRequiredError,
    display_name,
    inspect_file,
    inspect_pdf,
    safe_text,
)
from backlog_app.storage.vault import sha256_of
from tests.document_files import (
    image_bytes,
    pdf_bytes,
    png_header_only,
    write_broken_xref_pdf,
    write_docx,
    write_encrypted_pdf,
    write_image,
    write_pdf,
    write_tiff,
    write_truncated_pdf,
)


def inspect(path: Path, **kwargs: object) -> file_inspect.Inspection:
    """In-process PDF opening: these tests are about the checks, not the child process."""
    return inspect_file(path, pdf_inspector=inspect_pdf, **kwargs)  # type: ignore[arg-type]


def refusal(path: Path, **kwargs: object) -> str:
    with pytest.raises(DocumentFileError) as caught:
        inspect(path, **kwargs)
    message = caught.value.message
    assert message.startswith(f"“{display_name(path)}” was not added: "), message
    return message


# -- accepted files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt", "file_type"),
    [
        ("card.jpg", "JPEG", FileType.JPEG),
        ("scan.png", "PNG", FileType.PNG),
        ("phone.heic", "HEIF", FileType.HEIC),
        ("photo.webp", "WEBP", FileType.WEBP),
        ("single.tiff", "TIFF", FileType.TIFF),
    ],
)
def test_images_are_recognised_from_their_content(
    tmp_path: Path, name: str, fmt: str, file_type: FileType
) -> None:
    path = write_image(tmp_path / name, fmt)
    result = inspect(path)
    assert (result.file_type, result.page_count) == (file_type, 1)
    assert result.size_bytes == path.stat().st_size
    assert result.sha256 == sha256_of(path)
    assert result.original_name == name
    assert not result.needs_password and not result.repaired


def test_a_multi_page_tiff_counts_its_pages(tmp_path: Path) -> None:
    result = inspect(write_tiff(tmp_path / "fax.tif", pages=4))
    assert (result.file_type, result.page_count) == (FileType.TIFF, 4)


def test_a_pdf_counts_its_pages(tmp_path: Path) -> None:
    result = inspect(write_pdf(tmp_path / "letter.pdf", pages=3))
    assert (result.file_type, result.page_count) == (FileType.PDF, 3)
    assert not result.repaired and not result.needs_password


def test_the_name_does_not_decide_the_type(tmp_path: Path) -> None:
    # No extension, or one nobody registered: the content decides.
    assert inspect(write_pdf(tmp_path / "scan0001")).file_type is FileType.PDF
    jpeg = tmp_path / "IMG_0001.dat"
    jpeg.write_bytes(image_bytes("JPEG"))
    assert inspect(jpeg).file_type is FileType.JPEG


def test_a_pdf_with_junk_before_its_header_is_still_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "scanner.pdf"
    path.write_bytes(b"SCANNER-HEADER\r\n" + pdf_bytes(1))
    assert inspect(path).page_count == 1


# -- bad input ----------------------------------------------------------------------------------


def test_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert "empty (0 bytes)" in refusal(path)


def test_a_truncated_pdf(tmp_path: Path) -> None:
    message = refusal(write_truncated_pdf(tmp_path / "download.pdf"))
    assert "incomplete" in message and "Download or save it again" in message


def test_a_broken_cross_reference_table_is_repaired_and_said_so(tmp_path: Path) -> None:
    path = write_broken_xref_pdf(tmp_path / "fax.pdf", repairable=True)
    result = inspect(path)
    assert (result.page_count, result.repaired) == (2, True)
    assert result.sha256 == sha256_of(path)  # the original bytes, not a repaired copy


def test_a_broken_cross_reference_table_beyond_repair(tmp_path: Path) -> None:
    path = write_broken_xref_pdf(tmp_path / "fax.pdf", repairable=False)
    assert "damaged and could not be repaired" in refusal(path)


def test_a_password_protected_pdf(tmp_path: Path) -> None:
    path = write_encrypted_pdf(tmp_path / "eob.pdf", password="secret")
    with pytest.raises(PasswordRequiredError) as caught:
        inspect(path)
    assert not caught.value.wrong_password
    assert "protected with a password" in caught.value.message

    with pytest.raises(PasswordRequiredError) as caught:
        inspect(path, password="guess")
    assert caught.value.wrong_password
    assert "did not open it" in caught.value.message

    result = inspect(path, password="secret")
    assert (result.page_count, result.needs_password) == (2, True)


def test_a_huge_png_is_refused_without_decoding_it(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    path.write_bytes(png_header_only(20_000, 20_000))  # 400 million pixels declared, 100 bytes
    assert "too large to open safely" in refusal(path)


def test_a_png_between_the_warning_and_the_error_limits_is_refused(tmp_path: Path) -> None:
    # Pillow only warns between its limit (89 Mpx) and twice that; the vault refuses.
    path = tmp_path / "scan.png"
    path.write_bytes(png_header_only(10_000, 10_000))
    assert "too large to open safely" in refusal(path)


def test_a_tiff_page_beyond_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 30 * 40 * 2)
    path = tmp_path / "fax.tif"
    small = Image.new("L", (30, 40))
    small.save(path, format="TIFF", save_all=True, append_images=[Image.new("L", (300, 400))])
    message = refusal(path)
    assert "300 × 400 pixels" in message


def test_a_jpeg_renamed_pdf(tmp_path: Path) -> None:
    path = tmp_path / "photo.pdf"
    path.write_bytes(image_bytes("JPEG"))
    message = refusal(path)
    assert "its name says PDF but it is really a JPEG image" in message
    assert "end in .jpg" in message


def test_a_file_name_with_dot_dot_rtl_marks_and_emoji(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    # "..\..\" is a legal file name on Linux and macOS; the override makes "fdp.jpg" read "gpj.pdf".
    name = "..\\..\\ev\u202efdp.jpg 😀\u200f.pdf"
    path = folder / ".." / "inbox" / name
    path.write_bytes(pdf_bytes(1, "evil"))
    result = inspect(path)
    assert result.original_name == "..\\..\\ev\\u202efdp.jpg 😀\\u200f.pdf"
    assert "\u202e" not in display_name(path) and "😀" in display_name(path)


def test_a_symlink(tmp_path: Path) -> None:
    target = write_pdf(tmp_path / "real.pdf")
    link = tmp_path / "shortcut.pdf"
    link.symlink_to(target)
    assert "shortcut (symbolic link)" in refusal(link)


def test_a_directory(tmp_path: Path) -> None:
    folder = tmp_path / "scans.pdf"
    folder.mkdir()
    assert "it is a folder" in refusal(folder)


def test_a_missing_file(tmp_path: Path) -> None:
    assert "does not exist" in refusal(tmp_path / "gone.pdf")


def test_an_unreadable_file_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a user without read permission sees (simulated: the tests may run as root)."""
    path = write_pdf(tmp_path / "locked-down.pdf")
    real_open = Path.open

    def no_access(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", no_access)
    assert "not allowed to read it" in refusal(path)


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="root (CI) can read any file"
)
def test_an_unreadable_file(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "locked-down.pdf")
    path.chmod(0)
    try:
        assert "not allowed to read it" in refusal(path)
    finally:
        path.chmod(0o644)


def test_a_file_over_the_size_limit(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "huge.pdf")
    message = refusal(path, max_bytes=100)
    assert "larger than the 100 bytes limit" in message and "Settings" in message


def test_an_unsupported_type(tmp_path: Path) -> None:
    message = refusal(write_docx(tmp_path / "letter.docx"))
    assert "not a PDF, JPEG, PNG, TIFF, HEIC/HEIF or WebP file" in message
    assert "save or print it as PDF" in message


def test_a_zip_holding_a_pdf_near_its_start_is_not_a_pdf(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bundle.pdf"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("a.pdf", pdf_bytes(1))
    assert b"%PDF-" in path.read_bytes()[:1024]
    assert "looks like a ZIP" in refusal(path)


def test_plain_text_named_pdf(tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    path.write_text("Dear patient, …", encoding="utf-8")
    assert "is not a PDF" in refusal(path)


@pytest.mark.parametrize(("name", "fmt"), [("photo.jpg", "JPEG"), ("scan.png", "PNG")])
def test_a_cut_off_image(tmp_path: Path, name: str, fmt: str) -> None:
    data = image_bytes(fmt, (200, 150))
    path = tmp_path / name
    path.write_bytes(data[: len(data) // 3])
    assert "damaged or incomplete" in refusal(path)


def test_a_pdf_without_pages(tmp_path: Path) -> None:
    import pikepdf

    path = tmp_path / "blank.pdf"
    pikepdf.new().save(path)
    assert "has no pages" in refusal(path)


# -- showing names safely -----------------------------------------------------------------------


def test_safe_text_writes_out_invisible_controls_but_keeps_scripts_and_emoji() -> None:
    assert safe_text("MRI \u202eyrammus") == "MRI \\u202eyrammus"
    assert safe_text("a\tb\nc") == "a\\u0009b\\u000ac"
    assert safe_text("Über 😀 تقرير 👨\u200d👩\u200d👧") == "Über 😀 تقرير 👨\u200d👩\u200d👧"


def test_undecodable_bytes_in_a_name_become_visible_text(tmp_path: Path) -> None:
    if sys.platform == "win32":
        pytest.skip("Windows file names are always Unicode")
    raw = os.fsencode(tmp_path) + b"/scan\xe9.pdf"
    try:
        fd = os.open(raw, os.O_WRONLY | os.O_CREAT, 0o644)
        os.write(fd, pdf_bytes(1))
        os.close(fd)
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    path = Path(os.fsdecode(raw))
    result = inspect(path)
    assert result.original_name == "scan\\udce9.pdf"
    result.original_name.encode("utf-8")  # storable: no lone surrogates left
