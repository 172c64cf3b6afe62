"""The preview pane: PDF pages and zoom, locked and damaged PDFs, upright photos, TIFF pages."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from backlog_app.domain.documents import DocumentData, DocumentInfo, DocumentKind
from backlog_app.services.context import ProfileSession
from backlog_app.ui.documents.background import BackgroundReads
from backlog_app.ui.documents.preview import NOTHING_SELECTED, DocumentPreview
from backlog_app.ui.messages import PasswordAnswer
from tests.ui.conftest import RecordingMessages
from tests.ui.document_samples import (
    make_damaged_pdf,
    make_locked_pdf,
    make_pdf,
    make_photo,
    make_tiff,
)

TIMEOUT_MS = 15_000


@pytest.fixture
def preview(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> Iterator[DocumentPreview]:
    reads = BackgroundReads()
    pane = DocumentPreview(profile.documents, messages, reads)
    qtbot.addWidget(pane)
    pane.resize(520, 640)
    pane.show()
    qtbot.waitExposed(pane)
    yield pane
    pane.stop()
    reads.stop()


def _add(profile: ProfileSession, path: Path, *, password: str | None = None) -> DocumentInfo:
    data = DocumentData(kind=DocumentKind.OTHER, title=path.stem.replace("-", " ").capitalize())
    document_id = profile.importer.add(path, data, password=password)
    return profile.documents.get(document_id)


def _show(qtbot: QtBot, preview: DocumentPreview, info: DocumentInfo | None) -> None:
    with qtbot.waitSignal(preview.shown, timeout=TIMEOUT_MS):
        preview.show_document(info)


def test_a_pdf_opens_on_page_one_and_pages_turn_with_buttons_and_keys(
    qtbot: QtBot, preview: DocumentPreview, profile: ProfileSession, tmp_path: Path
) -> None:
    info = _add(profile, make_pdf(tmp_path / "mri-report.pdf", ["One", "Two", "Three"]))
    _show(qtbot, preview, info)
    toolbar = preview.toolbar
    assert preview.mode == "pdf"
    assert toolbar.page_label.text() == "Page 1 of 3"
    assert not toolbar.previous_button.isEnabled() and toolbar.next_button.isEnabled()
    qtbot.mouseClick(toolbar.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: toolbar.page_label.text() == "Page 2 of 3")
    preview.focus_content()
    qtbot.keyClick(preview.pdf_view, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: preview.current_page() == 2)
    assert toolbar.page_label.text() == "Page 3 of 3" and not toolbar.next_button.isEnabled()
    qtbot.keyClick(preview.pdf_view, Qt.Key.Key_PageUp)
    qtbot.waitUntil(lambda: preview.current_page() == 1)


def test_pdf_zoom_steps_from_what_is_on_screen(
    qtbot: QtBot, preview: DocumentPreview, profile: ProfileSession, tmp_path: Path
) -> None:
    _show(qtbot, preview, _add(profile, make_pdf(tmp_path / "letter.pdf", ["Letter"])))
    toolbar = preview.toolbar
    assert toolbar.zoom_label.text() == "Fit width"
    fitted = preview._pdf_zoom.effective()
    qtbot.mouseClick(toolbar.zoom_in_button, Qt.MouseButton.LeftButton)
    assert preview.pdf_view.zoomFactor() == pytest.approx(fitted * 1.25, rel=0.01)
    assert toolbar.zoom_label.text().endswith("%")
    qtbot.mouseClick(toolbar.zoom_out_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(toolbar.zoom_out_button, Qt.MouseButton.LeftButton)
    assert preview.pdf_view.zoomFactor() < fitted
    qtbot.mouseClick(toolbar.fit_page_button, Qt.MouseButton.LeftButton)
    assert toolbar.zoom_label.text() == "Whole page"
    assert preview._pdf_zoom.effective() < fitted  # a whole portrait page is smaller
    qtbot.mouseClick(toolbar.fit_width_button, Qt.MouseButton.LeftButton)
    assert toolbar.zoom_label.text() == "Fit width"


def test_a_locked_pdf_opens_with_its_saved_password(
    qtbot: QtBot,
    preview: DocumentPreview,
    profile: ProfileSession,
    messages: RecordingMessages,
    tmp_path: Path,
) -> None:
    path = make_locked_pdf(tmp_path / "eob.pdf", ["Amount billed", "You owe"], "s3cret")
    document_id = profile.importer.add(
        path,
        DocumentData(kind=DocumentKind.EOB, title="EOB"),
        password="s3cret",
        remember_password=True,
    )
    _show(qtbot, preview, profile.documents.get(document_id))
    assert preview.mode == "pdf" and preview.page_count() == 2
    assert messages.shown == []  # never asked


def test_a_locked_pdf_asks_again_after_a_wrong_password_and_can_remember_it(
    qtbot: QtBot,
    preview: DocumentPreview,
    profile: ProfileSession,
    messages: RecordingMessages,
    tmp_path: Path,
) -> None:
    path = make_locked_pdf(tmp_path / "denial.pdf", ["Denied"], "s3cret")
    document_id = profile.importer.add(
        path, DocumentData(kind=DocumentKind.DENIAL_LETTER, title="Denial"), password="s3cret"
    )
    assert profile.documents.saved_password(document_id) is None
    _show(qtbot, preview, profile.documents.get(document_id))
    assert preview.mode == "locked"
    assert "“Denial” is protected with a password" in preview.note_text()
    assert preview.note.password_button.isVisible()

    messages.passwords = [None]  # the user cancels: nothing changes
    qtbot.mouseClick(preview.note.password_button, Qt.MouseButton.LeftButton)
    assert preview.mode == "locked" and messages.kinds() == ["password"]

    messages.passwords = [PasswordAnswer("wrong"), PasswordAnswer("s3cret", remember=True)]
    qtbot.mouseClick(preview.note.password_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: preview.mode == "pdf", timeout=TIMEOUT_MS)
    asked = [text for kind, _title, text in messages.shown if kind == "password"]
    assert len(asked) == 3 and "did not open it" in asked[2]
    assert "Denial" in asked[1]
    assert profile.documents.saved_password(document_id) == "s3cret"


def test_a_damaged_pdf_is_shown_from_a_copy_repaired_in_memory(
    qtbot: QtBot,
    preview: DocumentPreview,
    profile: ProfileSession,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    temp = tmp_path / "system-temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    info = _add(profile, make_damaged_pdf(tmp_path / "broken-xref.pdf", ["Page A", "Page B"]))
    assert info.file.repaired
    original = profile.documents.file_path(info.id)
    before = hashlib.sha256(original.read_bytes()).hexdigest()
    _show(qtbot, preview, info)
    if preview.mode == "loading":
        qtbot.waitUntil(lambda: preview.mode != "loading", timeout=TIMEOUT_MS)
    assert preview.mode == "pdf" and preview.page_count() == 2
    assert list(temp.iterdir()) == []  # no copy of the document on disk
    assert hashlib.sha256(original.read_bytes()).hexdigest() == before == info.file.sha256

    _show(qtbot, preview, None)
    assert preview.note_text() == NOTHING_SELECTED


def test_a_phone_photo_is_shown_upright_by_its_exif_orientation(
    qtbot: QtBot, preview: DocumentPreview, profile: ProfileSession, tmp_path: Path
) -> None:
    # Stored 320 × 200 (landscape) with "rotate 90°": upright it is 200 × 320.
    for name in ("card.jpg", "card.heic"):
        info = _add(profile, make_photo(tmp_path / name, (320, 200), orientation=6))
        _show(qtbot, preview, info)
        image = preview.image_view.image()
        assert preview.mode == "image" and image is not None
        assert (image.width(), image.height()) == (200, 320), name
        assert preview.toolbar.page_label.text() == "Page 1 of 1"
        assert preview.toolbar.zoom_label.text() == "Whole page"


def test_picture_zoom_and_fit(
    qtbot: QtBot, preview: DocumentPreview, profile: ProfileSession, tmp_path: Path
) -> None:
    _show(qtbot, preview, _add(profile, make_photo(tmp_path / "scan.png", (900, 1200))))
    view = preview.image_view
    whole = view.zoom_factor()
    assert whole < 1  # 1,200 pixels high in a 640-pixel pane
    preview.fit_width()
    assert view.zoom_factor() > whole
    preview.zoom_in()
    assert preview.zoom_text().endswith("%")
    qtbot.keyClick(preview, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert preview.zoom_text() != "Fit width"


def test_tiff_pages_can_be_turned(
    qtbot: QtBot, preview: DocumentPreview, profile: ProfileSession, tmp_path: Path
) -> None:
    info = _add(profile, make_tiff(tmp_path / "fax.tif", 3))
    _show(qtbot, preview, info)
    assert preview.toolbar.page_label.text() == "Page 1 of 3"
    first = preview.image_view.image()
    with qtbot.waitSignal(preview.shown, timeout=TIMEOUT_MS):
        preview.next_page()
    assert preview.toolbar.page_label.text() == "Page 2 of 3"
    second = preview.image_view.image()
    assert first is not None and second is not None and first != second
    preview.previous_page()  # decoded before: at once, from memory
    assert preview.current_page() == 0 and preview.image_view.image() == first


def test_a_file_missing_from_the_vault_is_explained(
    qtbot: QtBot, preview: DocumentPreview, profile: ProfileSession, tmp_path: Path
) -> None:
    info = _add(profile, make_pdf(tmp_path / "gone.pdf", ["Gone"]))
    stored = profile.documents.file_path(info.id)
    stored.chmod(0o644)
    stored.unlink()
    _show(qtbot, preview, info)
    assert preview.mode == "note"
    assert "missing from the vault" in preview.note_text()
    assert not preview.toolbar.isEnabled()


def test_the_repaired_copy_of_a_locked_pdf_stays_locked(tmp_path: Path) -> None:
    """The copy opens exactly as the original: with the same password, never without."""
    import io

    import pikepdf

    from backlog_app.ui.documents.image_source import PasswordNeeded, repaired_pdf
    from tests.document_files import write_encrypted_pdf

    original = write_encrypted_pdf(tmp_path / "statement.pdf", password="s3cret").read_bytes()
    assert isinstance(repaired_pdf(original, None), PasswordNeeded)
    copy = repaired_pdf(original, "s3cret")
    assert isinstance(copy, bytes)
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(io.BytesIO(copy))
    with pikepdf.open(io.BytesIO(copy), password="s3cret") as pdf:
        assert len(pdf.pages) == 2
