"""Every reader of stored originals works when the bytes on disk are not the originals.

An encrypted profile keeps its vault files encrypted; readers must get the originals through the
vault (``open_read``/``read_bytes``/``verify``), never by opening the stored path. These tests
use a scrambling vault (``tests.scrambled_vault``): a reader that opened the path would get
scrambled bytes and fail. Thumbnails are tested with the encryption itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from backlog_app.domain.documents import DocumentData, DocumentKind, FileType, TextStatus
from backlog_app.errors import UserError
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.services.document_text import TextReader
from backlog_app.services.interchange import (
    data_files_for,
    export_to_file,
    import_data,
    read_data_file,
)
from backlog_app.services.packet.assemble import export_packet
from backlog_app.services.packet.request import PacketRequest
from backlog_app.services.page_images import (
    open_image,
    open_pdf,
    page_text,
    pdf_page_count,
    render_pdf_page,
)
from backlog_app.services.vault_check import check_vault, sweep
from tests.document_files import image_bytes, pdf_bytes, write_broken_xref_pdf
from tests.scrambled_vault import HEADER, ScramblingVault, scramble_vault, scrambled
from tests.unit.services.text_samples import make_pdf, typed

CREATED = dt.datetime(2026, 11, 27, 12, 0)


@pytest.fixture
def vault(profile: ProfileSession) -> ScramblingVault:
    return scramble_vault(profile)


def _add(profile: ProfileSession, path: Path, title: str) -> int:
    return profile.importer.add(path, DocumentData(DocumentKind.OTHER, title))


def _stored_differently(profile: ProfileSession, document_id: int, original: bytes) -> None:
    """The file on disk is not the original; reading through the vault gives the original."""
    on_disk = profile.documents.file_path(document_id).read_bytes()
    assert on_disk.startswith(HEADER) and original not in on_disk
    assert profile.documents.read_original(document_id) == original


@pytest.fixture
def samples(profile: ProfileSession, vault: ScramblingVault, tmp_path: Path) -> dict[str, int]:
    """A typed PDF, a damaged PDF, a PNG scan, a JPEG photo and a 2-page TIFF, stored scrambled."""
    folder = tmp_path / "originals"
    folder.mkdir()
    letter = make_pdf(folder / "letter.pdf", typed(2))
    broken = write_broken_xref_pdf(folder / "broken.pdf", repairable=True)
    scan = folder / "scan.png"
    Image.new("L", (850, 1100), "white").save(scan, dpi=(100, 100))
    photo = folder / "photo.jpg"
    photo.write_bytes(image_bytes("JPEG", (640, 480), "photo"))
    fax = folder / "fax.tif"
    frames = [Image.new("L", (300, 400), shade) for shade in ("white", "gray")]
    frames[0].save(fax, save_all=True, append_images=frames[1:])
    ids = {path.stem: _add(profile, path, path.stem) for path in (letter, broken, scan, photo, fax)}
    for name, path in (("letter", letter), ("scan", scan), ("photo", photo), ("fax", fax)):
        _stored_differently(profile, ids[name], path.read_bytes())
    return ids


def test_open_and_read_original_give_the_original_bytes(
    profile: ProfileSession, samples: dict[str, int], tmp_path: Path
) -> None:
    letter = samples["letter"]
    expected = (tmp_path / "originals" / "letter.pdf").read_bytes()
    with profile.documents.open_original(letter) as stream:
        assert stream.seekable() and stream.read() == expected
    assert profile.documents.read_original(letter) == expected


def test_a_missing_or_undecryptable_original_is_a_plain_user_error(
    profile: ProfileSession, samples: dict[str, int]
) -> None:
    missing, damaged = samples["letter"], samples["scan"]
    gone = profile.documents.file_path(missing)
    gone.chmod(0o644)
    gone.unlink()
    with pytest.raises(UserError, match="missing from the vault"):
        profile.documents.open_original(missing)
    bad = profile.documents.file_path(damaged)
    bad.chmod(0o644)
    bad.write_bytes(b"garbage" + bad.read_bytes())  # the header no longer decrypts
    with pytest.raises(UserError, match="damaged and could not be read"):
        profile.documents.read_original(damaged)


def test_text_is_read_through_the_vault(profile: ProfileSession, samples: dict[str, int]) -> None:
    report = TextReader(profile.documents).read_pending()
    assert profile.documents.get(samples["letter"]).text_status is TextStatus.EMBEDDED
    assert "typed by the clinic" in profile.documents.text_of(samples["letter"])
    assert profile.documents.get(samples["broken"]).text_status is not TextStatus.FAILED
    assert report.failed == 0


def test_page_images_open_bytes_and_streams(
    profile: ProfileSession, samples: dict[str, int]
) -> None:
    with open_pdf(profile.documents.read_original(samples["letter"])) as pdf:
        assert pdf_page_count(pdf) == 2
        assert "typed by the clinic" in page_text(pdf, 1)
        assert render_pdf_page(pdf, 0, longest_side=100).size[1] == 100
    with profile.documents.open_original(samples["broken"]) as stream, open_pdf(stream) as pdf:
        assert pdf_page_count(pdf) == 2  # repaired in memory
    fax = samples["fax"]
    with profile.documents.open_original(fax) as stream, open_image(stream, FileType.TIFF) as image:
        assert getattr(image, "n_frames", 1) == 2


def test_a_packet_attaches_every_document(
    profile: ProfileSession, samples: dict[str, int], tmp_path: Path
) -> None:
    order = ("letter", "broken", "scan", "photo", "fax")
    request = PacketRequest(document_ids=tuple(samples[name] for name in order), created=CREATED)
    result = export_packet(profile, request, tmp_path / "packet.pdf")
    assert result.replaced == ()
    with pikepdf.open(result.path) as packet:
        assert len(packet.pages) == result.page_count
    with open_pdf(result.path) as pdf:
        words = " ".join(page_text(pdf, index) for index in range(pdf_page_count(pdf)))
    assert "typed by the clinic" in words  # the attached PDF's own text
    assert words.count("Document 5 of 5") == 2  # both pages of the fax


def test_save_copy_writes_the_original(
    profile: ProfileSession, samples: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "copies"
    out.mkdir()
    copy = profile.documents.save_copy(samples["photo"], out)
    assert copy.read_bytes() == (tmp_path / "originals" / "photo.jpg").read_bytes()
    assert not list(out.glob(".*partial"))


@pytest.mark.parametrize("name", ["backlog-data.json", "backlog-data.zip"])
def test_data_export_copies_the_originals_and_import_stores_them_scrambled(
    profile: ProfileSession, samples: dict[str, int], tmp_path: Path, today: dt.date, name: str
) -> None:
    out = tmp_path / "export" / name
    out.parent.mkdir()
    result = export_to_file(profile, out)
    assert result.file_count == len(samples)
    originals = {
        hashlib.sha256(path.read_bytes()).hexdigest(): path.read_bytes()
        for path in (tmp_path / "originals").iterdir()
    }
    if result.files_folder is not None:
        exported = {path.stem: path.read_bytes() for path in result.files_folder.iterdir()}
    else:
        with zipfile.ZipFile(out) as archive:
            exported = {
                Path(entry).stem: archive.read(entry)
                for entry in archive.namelist()
                if entry.startswith("files/")
            }
    assert exported == originals

    target = open_profile(tmp_path / "target", create=True, clock=lambda: today)
    try:
        scramble_vault(target)
        import_data(target, read_data_file(out), files=data_files_for(out))
        for document_id in samples.values():
            stored = target.documents.file_path(document_id).read_bytes()
            assert stored.startswith(HEADER)
            assert target.documents.read_original(document_id) == profile.documents.read_original(
                document_id
            )
    finally:
        target.close()


def test_the_vault_check_hashes_the_originals(
    profile: ProfileSession, samples: dict[str, int]
) -> None:
    assert check_vault(profile.documents).damaged == []
    flipped, undecryptable = samples["photo"], samples["fax"]
    path = profile.documents.file_path(flipped)
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF  # decrypts, but to other bytes
    path.write_bytes(bytes(data))
    path = profile.documents.file_path(undecryptable)
    path.chmod(0o644)
    path.write_bytes(path.read_bytes()[len(HEADER) :])  # does not decrypt at all
    report = check_vault(profile.documents)
    assert {problem.document_id for problem in report.damaged} == {flipped, undecryptable}
    assert report.missing == []


def test_re_adding_a_damaged_original_puts_it_back(
    profile: ProfileSession, samples: dict[str, int], tmp_path: Path
) -> None:
    photo = tmp_path / "originals" / "photo.jpg"
    stored = profile.documents.file_path(samples["photo"])
    stored.chmod(0o644)
    stored.write_bytes(b"rot")
    with pytest.raises(UserError) as raised:
        _add(profile, photo, "Again")
    assert getattr(raised.value, "restored", False)
    assert profile.documents.read_original(samples["photo"]) == photo.read_bytes()


def test_a_stray_file_is_recovered_from_its_decrypted_bytes(
    profile: ProfileSession, vault: ScramblingVault
) -> None:
    original = pdf_bytes(3, "stray")
    sha = hashlib.sha256(original).hexdigest()
    stray = vault.path_for(sha, FileType.PDF)
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(scrambled(original))
    (recovered,) = sweep(profile.documents).recovered
    info = profile.documents.get(recovered)
    assert info.in_trash and info.file.page_count == 3
    assert info.file.size_bytes == len(original)
    assert profile.documents.read_original(recovered) == original


def test_the_import_scratch_folder_is_not_in_the_profile(
    profile: ProfileSession,
    samples: dict[str, int],
    tmp_path: Path,
    today: dt.date,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Zip entries are unpacked in the system's temporary folder (in memory while an encrypted
    profile is open), never beside the profile's files."""
    import tempfile

    out = tmp_path / "export.zip"
    export_to_file(profile, out)
    seen: list[Path] = []
    real_store = ScramblingVault.store

    def store(self: ScramblingVault, source: Path, *args: object, **kwargs: object) -> Path:
        seen.append(source)
        return real_store(self, source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ScramblingVault, "store", store)
    target = open_profile(tmp_path / "target", create=True, clock=lambda: today)
    try:
        scramble_vault(target)
        import_data(target, read_data_file(out), files=data_files_for(out))
    finally:
        target.close()
    assert len(seen) == len(samples)
    temp = Path(tempfile.gettempdir()).resolve()
    assert all(path.resolve().is_relative_to(temp) for path in seen)
    assert not any(path.resolve().is_relative_to(target.paths.root.resolve()) for path in seen)
    assert not any(path.exists() for path in seen)


def test_a_packet_without_the_vault_file_gets_a_marked_page(
    profile: ProfileSession, samples: dict[str, int], tmp_path: Path
) -> None:
    path = profile.documents.file_path(samples["scan"])
    path.chmod(0o644)
    path.write_bytes(b"not scrambled")  # does not decrypt
    request = PacketRequest(document_ids=(samples["scan"],), created=CREATED)
    result = export_packet(profile, request, tmp_path / "packet.pdf")
    assert [replaced.document_id for replaced in result.replaced] == [samples["scan"]]
    with open_pdf(io.BytesIO(result.path.read_bytes())) as pdf:
        words = " ".join(page_text(pdf, index) for index in range(pdf_page_count(pdf)))
    assert "could not be included" in words
