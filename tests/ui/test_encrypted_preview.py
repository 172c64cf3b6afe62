"""The preview and "Open in viewer" when the vault's files on disk are not the originals.

In an encrypted profile the preview reads originals through the vault into memory and writes no
copy anywhere; "Open in viewer" would need an unencrypted copy on disk, so it explains that and
offers "Save a copy…" instead. The scrambling vault (``tests.scrambled_vault``) stands in for
the encryption.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from backlog_app.domain.documents import DocumentData, DocumentInfo, DocumentKind
from backlog_app.services.context import ProfileSession
from backlog_app.ui.documents import file_actions
from backlog_app.ui.documents.background import BackgroundReads
from backlog_app.ui.documents.preview import DocumentPreview
from backlog_app.ui.messages import PasswordAnswer
from tests.scrambled_vault import HEADER, scramble_vault
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
def system_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "system-temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def preview(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages, system_temp: Path
) -> Iterator[DocumentPreview]:
    scramble_vault(profile)
    reads = BackgroundReads()
    pane = DocumentPreview(profile.documents, messages, reads)
    qtbot.addWidget(pane)
    pane.resize(520, 640)
    pane.show()
    qtbot.waitExposed(pane)
    yield pane
    pane.stop()
    reads.stop()
    assert list(system_temp.iterdir()) == []  # no copy of any document was written


def _add(profile: ProfileSession, path: Path, *, password: str | None = None) -> DocumentInfo:
    original = path.read_bytes()
    data = DocumentData(kind=DocumentKind.OTHER, title=path.stem.capitalize())
    info = profile.documents.get(profile.importer.add(path, data, password=password))
    assert profile.documents.file_path(info.id).read_bytes() != original
    assert profile.documents.file_path(info.id).read_bytes().startswith(HEADER)
    return info


def _show(qtbot: QtBot, preview: DocumentPreview, info: DocumentInfo) -> None:
    with qtbot.waitSignal(preview.shown, timeout=TIMEOUT_MS):
        preview.show_document(info)
    if preview.mode == "loading":
        qtbot.waitUntil(lambda: preview.mode != "loading", timeout=TIMEOUT_MS)


def test_pdfs_are_shown_from_memory(
    qtbot: QtBot, preview: DocumentPreview, profile: ProfileSession, tmp_path: Path
) -> None:
    _show(qtbot, preview, _add(profile, make_pdf(tmp_path / "letter.pdf", ["One", "Two"])))
    assert preview.mode == "pdf" and preview.page_count() == 2
    damaged = _add(profile, make_damaged_pdf(tmp_path / "broken.pdf", ["A", "B", "C"]))
    _show(qtbot, preview, damaged)
    assert preview.mode == "pdf" and preview.page_count() == 3


def test_a_large_pdf_is_read_in_the_background(
    qtbot: QtBot,
    preview: DocumentPreview,
    profile: ProfileSession,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from backlog_app.ui.documents import preview as preview_module

    monkeypatch.setattr(preview_module, "READ_AT_ONCE_BYTES", 10)
    info = _add(profile, make_pdf(tmp_path / "large.pdf", ["One", "Two", "Three"]))
    preview.show_document(info)
    assert preview.mode == "loading"
    qtbot.waitUntil(lambda: preview.mode == "pdf", timeout=TIMEOUT_MS)
    assert preview.page_count() == 3


def test_a_locked_pdf_opens_with_its_password(
    qtbot: QtBot,
    preview: DocumentPreview,
    profile: ProfileSession,
    messages: RecordingMessages,
    tmp_path: Path,
) -> None:
    info = _add(
        profile, make_locked_pdf(tmp_path / "eob.pdf", ["Paid"], "s3cret"), password="s3cret"
    )
    _show(qtbot, preview, info)
    assert preview.mode == "locked"
    messages.passwords = [PasswordAnswer("s3cret", remember=False)]
    with qtbot.waitSignal(preview.shown, timeout=TIMEOUT_MS):
        preview.ask_password_now()
    assert preview.mode == "pdf" and preview.page_count() == 1


def test_pictures_and_tiff_pages_are_decoded_from_memory(
    qtbot: QtBot, preview: DocumentPreview, profile: ProfileSession, tmp_path: Path
) -> None:
    for name in ("card.jpg", "card.heic"):
        _show(qtbot, preview, _add(profile, make_photo(tmp_path / name, (320, 200), orientation=6)))
        image = preview.image_view.image()
        assert preview.mode == "image" and image is not None
        assert (image.width(), image.height()) == (200, 320), name
    _show(qtbot, preview, _add(profile, make_tiff(tmp_path / "fax.tif", 3)))
    assert preview.toolbar.page_label.text() == "Page 1 of 3"
    with qtbot.waitSignal(preview.shown, timeout=TIMEOUT_MS):
        preview.next_page()
    assert preview.toolbar.page_label.text() == "Page 2 of 3"


def test_an_original_that_does_not_decrypt_is_explained(
    qtbot: QtBot, preview: DocumentPreview, profile: ProfileSession, tmp_path: Path
) -> None:
    info = _add(profile, make_pdf(tmp_path / "letter.pdf", ["One"]))
    stored = profile.documents.file_path(info.id)
    stored.chmod(0o644)
    stored.write_bytes(b"%PDF-1.7 not what was stored")
    _show(qtbot, preview, info)
    assert preview.mode == "note" and "damaged" in preview.note_text()


def test_open_in_viewer_offers_a_copy_instead_of_leaving_one_on_disk(
    profile: ProfileSession,
    messages: RecordingMessages,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtGui import QDesktopServices

    scramble_vault(profile)
    opened: list[object] = []

    def open_url(url: object) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    info = _add(profile, make_pdf(tmp_path / "letter.pdf", ["One"]))
    copies: list[bool] = []

    messages.confirm_answer = True
    assert not file_actions.open_in_viewer(
        profile.documents, info, messages, save_copy_instead=lambda: copies.append(True)
    )
    assert copies == [True] and opened == []
    (kind, _title, text) = messages.shown[-1]
    assert kind == "confirm" and "unencrypted copy" in text and "Save a copy" in text

    messages.confirm_answer = False
    file_actions.open_in_viewer(
        profile.documents, info, messages, save_copy_instead=lambda: copies.append(True)
    )
    assert copies == [True]  # Cancel: nothing happens

    assert not file_actions.open_in_viewer(profile.documents, info, messages)
    assert messages.shown[-1][0] == "info" and opened == []
