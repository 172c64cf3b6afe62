"""Reading the text of documents: embedded PDF text, real OCR with Tesseract, and what goes wrong."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from backlog_app.domain.documents import DocumentKind, TextStatus
from backlog_app.domain.records import ProviderData, ProviderRole
from backlog_app.errors import Cancelled
from backlog_app.services import document_text, ocr, page_images
from backlog_app.services.context import ProfileSession
from backlog_app.services.document_text import (
    OCR_INSTALL_HINT,
    PAUSED_LABEL,
    PauseGate,
    TextReader,
    TextReadReport,
    ocr_available,
    suggest_for,
)
from backlog_app.services.documents import DocumentFilter
from backlog_app.services.progress import Progress
from tests.unit.services.text_samples import add, make_pdf, status, text_image, typed


@pytest.fixture
def no_tesseract(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A computer without Tesseract: not on PATH and not in any usual folder."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(ocr, "KNOWN_LOCATIONS", ())


# --- embedded text --------------------------------------------------------------------------------


def test_embedded_text_is_stored_and_searchable(profile: ProfileSession, tmp_path: Path) -> None:
    pdf = make_pdf(
        tmp_path / "eob.pdf",
        ["EXPLANATION OF BENEFITS\nThis is not a bill", "Claim 88213 gabapentin page two"],
    )
    document_id = add(profile, pdf)
    assert status(profile, document_id) is TextStatus.PENDING

    report = TextReader(profile.documents).read_pending()

    assert report == TextReadReport(read=1, ocr_pages=0, failed=0, ocr_missing=0)
    assert status(profile, document_id) is TextStatus.EMBEDDED
    text = profile.documents.text_of(document_id)
    assert "EXPLANATION OF BENEFITS" in text
    assert "gabapentin page two" in text
    assert text.index("This is not a bill") < text.index("gabapentin")  # pages in order
    rows = profile.documents.list(DocumentFilter(text="gabapentin"))
    assert [row.info.id for row in rows] == [document_id]
    assert profile.documents.pending_text() == []


def test_the_stored_original_is_never_changed(profile: ProfileSession, tmp_path: Path) -> None:
    document_id = add(profile, make_pdf(tmp_path / "a.pdf", ["Referral", text_image(["SCAN"])]))
    stored = profile.documents.file_path(document_id)
    before = (hashlib.sha256(stored.read_bytes()).hexdigest(), stored.stat().st_mode)

    TextReader(profile.documents).read_pending()

    after = (hashlib.sha256(stored.read_bytes()).hexdigest(), stored.stat().st_mode)
    assert after == before
    assert before[0] == profile.documents.get(document_id).file.sha256


# --- OCR (Tesseract is installed here and in CI) ----------------------------------------------------


def test_tesseract_is_found_here() -> None:
    assert ocr_available()


def test_a_scanned_pdf_page_is_read_by_ocr(profile: ProfileSession, tmp_path: Path) -> None:
    scan = text_image(["NOTICE OF DENIAL", "Your MRI has been denied"], size=(1275, 1650))
    document_id = add(
        profile, make_pdf(tmp_path / "scan.pdf", ["Typed cover page written by the clinic", scan])
    )

    report = TextReader(profile.documents).read_pending()

    assert report.read == 1 and report.ocr_pages == 1  # the typed page needs no OCR
    assert report.summary() == "Read 1 document (1 page by text recognition)."
    assert status(profile, document_id) is TextStatus.OCR
    text = profile.documents.text_of(document_id)
    assert "Typed cover page written by the clinic" in text
    assert "DENIAL" in text.upper()
    assert [row.info.id for row in profile.documents.list(DocumentFilter(text="denial"))] == [
        document_id
    ]


def test_a_fax_header_over_a_scan_does_not_hide_the_scan(
    profile: ProfileSession, tmp_path: Path
) -> None:
    header = "FAX from Oak Street Family Medicine 614-555-0201 p.1/1"  # typed by the fax machine
    scan = text_image(["REFERRAL", "Spine surgery consult"], size=(1275, 1650))
    document_id = add(profile, make_pdf(tmp_path / "fax.pdf", [(header, scan)]))

    report = TextReader(profile.documents).read_pending()

    assert report.ocr_pages == 1
    text = profile.documents.text_of(document_id)
    assert "FAX from Oak Street Family Medicine" in text
    assert "REFERRAL" in text.upper()


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".webp"])
def test_a_photo_is_read_by_ocr(profile: ProfileSession, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"card{suffix}"
    text_image(["MEMBER CARD", "GROUP 5521"], mode="RGB").save(path)
    document_id = add(profile, path)

    report = TextReader(profile.documents).read_pending()

    assert (report.read, report.ocr_pages) == (1, 1)
    assert status(profile, document_id) is TextStatus.OCR
    assert "MEMBER" in profile.documents.text_of(document_id).upper()


def test_every_page_of_a_tiff_is_read(profile: ProfileSession, tmp_path: Path) -> None:
    path = tmp_path / "fax.tif"
    first, second = text_image(["FIRST PAGE"]), text_image(["SECOND PAGE"])
    first.save(path, save_all=True, append_images=[second])
    document_id = add(profile, path)

    report = TextReader(profile.documents).read_pending()

    assert report.ocr_pages == 2
    text = profile.documents.text_of(document_id).upper()
    assert "FIRST" in text and "SECOND" in text


def test_a_sideways_phone_photo_is_turned_before_ocr(
    profile: ProfileSession, tmp_path: Path
) -> None:
    # The camera stored the picture turned a quarter to the left and noted "turn right" in EXIF.
    sideways = text_image(["INSURANCE CARD"], mode="RGB").transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    path = tmp_path / "photo.jpg"
    sideways.save(path, exif=exif, quality=95)
    document_id = add(profile, path)

    TextReader(profile.documents).read_pending()

    assert "INSURANCE" in profile.documents.text_of(document_id).upper()


def test_a_blank_scan_has_no_text(profile: ProfileSession, tmp_path: Path) -> None:
    path = tmp_path / "blank.png"
    Image.new("L", (600, 400), "white").save(path)
    document_id = add(profile, path)

    report = TextReader(profile.documents).read_pending()

    assert report.read == 1
    assert status(profile, document_id) is TextStatus.NO_TEXT


# --- without Tesseract ---------------------------------------------------------------------------


@pytest.mark.usefixtures("no_tesseract")
def test_without_tesseract_scans_wait_and_typed_text_is_kept(
    profile: ProfileSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not ocr_available()
    photo = tmp_path / "card.png"
    text_image(["MEMBER CARD"]).save(photo)
    photo_id = add(profile, photo)
    mixed_id = add(profile, make_pdf(tmp_path / "m.pdf", ["Typed letter text", text_image(["X"])]))
    typed_id = add(profile, make_pdf(tmp_path / "t.pdf", ["Only typed text on this page"]))

    report = TextReader(profile.documents).read_pending()

    assert report == TextReadReport(read=1, ocr_pages=0, failed=0, ocr_missing=2)
    assert status(profile, photo_id) is TextStatus.OCR_UNAVAILABLE
    assert status(profile, mixed_id) is TextStatus.OCR_UNAVAILABLE
    assert "Typed letter text" in profile.documents.text_of(mixed_id)  # searchable already
    assert status(profile, typed_id) is TextStatus.EMBEDDED
    assert report.summary() == (
        "Read 1 document. 2 scans cannot be read until text recognition (Tesseract) is installed."
    )

    # Tesseract installed later: the waiting scans are read; the typed PDF is not read again.
    monkeypatch.undo()
    report = TextReader(profile.documents).read_pending()
    assert (report.read, report.ocr_missing) == (2, 0)
    assert status(profile, photo_id) is TextStatus.OCR
    assert "MEMBER" in profile.documents.text_of(photo_id).upper()


def test_the_install_hint_names_each_system() -> None:
    assert "sudo apt-get install tesseract-ocr" in OCR_INSTALL_HINT
    assert "brew install tesseract" in OCR_INSTALL_HINT
    assert "UB-Mannheim" in OCR_INSTALL_HINT
    assert document_text.OCR_INSTALL_HINT is ocr.OCR_INSTALL_HINT


def test_a_tesseract_without_languages_does_not_count(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = tmp_path / "bin" / "tesseract"
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\necho "List of available languages (1):"\necho osd\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))
    assert ocr.tesseract_command() == str(fake)
    assert not ocr_available()


# --- locked, missing and broken files -------------------------------------------------------------


def test_locked_pdf(profile: ProfileSession, tmp_path: Path) -> None:
    kept = add(
        profile,
        make_pdf(tmp_path / "k.pdf", ["Kept secret letter about the MRI"], password="pw1"),
        password="pw1",
        remember_password=True,
    )
    unknown = add(
        profile,
        make_pdf(tmp_path / "u.pdf", ["Unknown secret letter about the MRI"], password="pw2"),
        password="pw2",
    )
    assert status(profile, unknown) is TextStatus.LOCKED  # the importer knows it cannot be read
    reader = TextReader(profile.documents)

    report = reader.read_pending()

    assert (report.read, report.locked) == (1, 0)
    assert status(profile, kept) is TextStatus.EMBEDDED  # opened with the saved password
    assert "Kept secret letter about the MRI" in profile.documents.text_of(kept)
    assert reader.read_one(unknown, password="wrong") is TextStatus.LOCKED
    assert reader.read_one(unknown, password="pw2") is TextStatus.EMBEDDED
    assert "Unknown secret letter about the MRI" in profile.documents.text_of(unknown)

    # The saved password forgotten and the text to be read again: locked, counted as such.
    profile.documents.set_saved_password(kept, None)
    profile.documents.set_text(kept, "", TextStatus.PENDING)
    report = reader.read_pending()
    assert (report.read, report.locked) == (0, 1)
    assert status(profile, kept) is TextStatus.LOCKED
    assert report.summary() == "1 PDF is locked with a password."


def test_one_bad_document_fails_and_the_rest_go_on(
    profile: ProfileSession,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    missing = add(profile, make_pdf(tmp_path / "1.pdf", ["first document, typed by the clinic"]))
    broken = add(profile, make_pdf(tmp_path / "2.pdf", ["second document, typed by the clinic"]))
    fine = add(profile, make_pdf(tmp_path / "3.pdf", ["third document, typed by the clinic"]))
    gone = profile.documents.file_path(missing)
    gone.chmod(0o644)
    gone.unlink()
    real_page_text = page_images.page_text

    def page_text(pdf: object, index: int) -> str:
        if "second" in real_page_text(pdf, index):
            raise RuntimeError("pdfium fell over")
        return real_page_text(pdf, index)

    monkeypatch.setattr(document_text, "page_text", page_text)
    caplog.set_level(logging.INFO, logger="backlog.documents.text")

    report = TextReader(profile.documents).read_pending()

    assert (report.read, report.failed) == (1, 2)
    assert status(profile, missing) is TextStatus.FAILED
    assert status(profile, broken) is TextStatus.FAILED
    assert status(profile, fine) is TextStatus.EMBEDDED
    failures = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert len(failures) == 2
    assert [type(record.exc_info[1]).__name__ for record in failures if record.exc_info] == [
        "UserError",  # the file is missing from the vault
        "RuntimeError",
    ]


# --- progress, cancel, pause -----------------------------------------------------------------------


class RecordingProgress(Progress):
    """Keeps every report; cancels itself at the report whose label contains ``cancel_at``."""

    def __init__(self, cancel_at: str | None = None) -> None:
        super().__init__()
        self.reports: list[tuple[int, int, str]] = []
        self.cancel_at = cancel_at

    def report(self, done: int, total: int, label: str = "") -> None:
        self.reports.append((done, total, label))
        if self.cancel_at is not None and self.cancel_at in label:
            self.cancel()
        super().report(done, total, label)


def _titled(profile: ProfileSession, path: Path, title: str) -> int:
    from backlog_app.domain.documents import DocumentData

    return add(profile, path, data=DocumentData(kind=DocumentKind.OTHER, title=title))


def test_progress_names_each_page(profile: ProfileSession, tmp_path: Path) -> None:
    _titled(profile, make_pdf(tmp_path / "a.pdf", typed(3)), "MRI report")
    _titled(profile, make_pdf(tmp_path / "b.pdf", typed(1)), "Referral")
    progress = RecordingProgress()

    TextReader(profile.documents).read_pending(progress)

    assert progress.reports == [
        (0, 4, "Reading page 1 of 3 of “MRI report”"),
        (1, 4, "Reading page 2 of 3 of “MRI report”"),
        (2, 4, "Reading page 3 of 3 of “MRI report”"),
        (3, 4, "Reading “Referral”"),
    ]


def test_cancel_between_pages_keeps_finished_documents(
    profile: ProfileSession, tmp_path: Path
) -> None:
    first = _titled(profile, make_pdf(tmp_path / "a.pdf", typed(1)), "First")
    second = _titled(profile, make_pdf(tmp_path / "b.pdf", typed(3)), "Second")
    third = _titled(profile, make_pdf(tmp_path / "c.pdf", typed(1)), "Third")
    progress = RecordingProgress(cancel_at="page 2 of 3")

    with pytest.raises(Cancelled):
        TextReader(profile.documents).read_pending(progress)

    assert status(profile, first) is TextStatus.EMBEDDED
    assert status(profile, second) is TextStatus.PENDING  # read again next time, from page 1
    assert profile.documents.text_of(second) == ""
    assert status(profile, third) is TextStatus.PENDING
    assert profile.documents.pending_text() == [second, third]


def test_pause_holds_reading_until_resume(profile: ProfileSession, tmp_path: Path) -> None:
    document_id = add(profile, make_pdf(tmp_path / "a.pdf", ["waiting text typed by the clinic"]))
    gate = PauseGate()
    gate.pause()
    assert gate.is_paused
    progress = Progress()
    outcome: dict[str, object] = {}
    worker = threading.Thread(
        target=lambda: outcome.update(
            report=TextReader(profile.documents).read_pending(progress, gate)
        )
    )
    worker.start()
    _wait_for(lambda: progress.snapshot()[2] == PAUSED_LABEL)
    assert status(profile, document_id) is TextStatus.PENDING

    gate.resume()
    worker.join(timeout=30)

    assert not gate.is_paused
    assert isinstance(outcome["report"], TextReadReport)
    assert status(profile, document_id) is TextStatus.EMBEDDED


def test_cancel_while_paused(profile: ProfileSession, tmp_path: Path) -> None:
    document_id = add(profile, make_pdf(tmp_path / "a.pdf", ["waiting text typed by the clinic"]))
    gate = PauseGate()
    gate.pause()
    progress = Progress()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            TextReader(profile.documents).read_pending(progress, gate)
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    _wait_for(lambda: progress.snapshot()[2] == PAUSED_LABEL)
    progress.cancel()
    worker.join(timeout=30)

    assert [type(error) for error in errors] == [Cancelled]
    assert status(profile, document_id) is TextStatus.PENDING


def _wait_for(condition: object, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "the reader never paused"
        time.sleep(0.01)


def test_nothing_to_read(profile: ProfileSession) -> None:
    report = TextReader(profile.documents).read_pending()
    assert report == TextReadReport()
    assert report.summary() == ""


# --- suggestions -----------------------------------------------------------------------------------


def test_suggest_for_a_read_document(profile: ProfileSession, tmp_path: Path) -> None:
    profile.providers.add(ProviderData(name="Blue Ridge Health Plan", role=ProviderRole.OTHER))
    summit = profile.providers.add(
        ProviderData(name="Summit Imaging Center", role=ProviderRole.OTHER, npi="1245319599")
    )
    letter = (
        "Notice of Adverse Benefit Determination\nDate: March 10, 2026\nProvider NPI 1245319599"
    )
    document_id = add(profile, make_pdf(tmp_path / "scan 7.pdf", [letter]))
    assert suggest_for(profile, document_id).kind is None  # not read yet: only the title

    TextReader(profile.documents).read_pending()
    suggestion = suggest_for(profile, document_id)

    assert suggestion.kind is DocumentKind.DENIAL_LETTER
    assert suggestion.document_date == dt.date(2026, 3, 10)
    assert (suggestion.provider_id, suggestion.provider_reason) == (summit, "found NPI 1245319599")


def test_suggestions_match_the_demo_documents(demo_profile: ProfileSession) -> None:
    """The demo's realistic letters and reports, read for real, suggest what they are."""
    documents = demo_profile.documents
    infos = [row.info for row in documents.list()]
    assert {info.data.kind for info in infos} >= {
        DocumentKind.REFERRAL,
        DocumentKind.IMAGING_REPORT,
        DocumentKind.DENIAL_LETTER,
        DocumentKind.EOB,
        DocumentKind.PT_NOTE,
        DocumentKind.INSURANCE_CARD,
    }
    TextReader(documents).read_pending()

    for info in infos:
        suggestion = suggest_for(demo_profile, info.id)
        assert (info.data.title, suggestion.kind) == (info.data.title, info.data.kind)
        if info.file.file_type.value == "pdf":
            assert (info.data.title, suggestion.document_date) == (
                info.data.title,
                info.data.document_date,
            )
            assert suggestion.provider_id is not None
