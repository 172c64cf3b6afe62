"""Background text reading in the status bar (Pause, Resume, Cancel) and Tools → Check Documents."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QProgressDialog
from pytestqt.qtbot import QtBot

from backlog_app.domain.documents import TextStatus
from backlog_app.services import document_text
from backlog_app.services.context import ProfileSession
from backlog_app.services.document_text import PAUSED_LABEL, PauseGate, TextReadReport
from backlog_app.services.documents import DocumentService
from backlog_app.services.progress import Progress
from backlog_app.services.thumbnails import ensure_thumbnail, thumbnail_path
from backlog_app.settings import SettingsStore
from backlog_app.ui.documents.check_dialog import CheckDialog
from backlog_app.ui.documents.text_status import (
    OCR_MISSING_TEXT,
    OCR_MISSING_TITLE,
    TextReadingStatus,
)
from backlog_app.ui.jobs import SHOW_PROGRESS_AFTER_MS
from backlog_app.ui.main_window import MainWindow
from tests.ui.accessibility import unnamed_controls
from tests.ui.conftest import RecordingMessages
from tests.ui.document_samples import make_pdf, make_photo


class HeldReader:
    """A reader that says "0 of 3", waits for ``release``, then reads three documents."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.cancelled = threading.Event()
        self.calls = 0

    def read_pending(self, progress: Progress | None = None, pause: object = None) -> object:
        assert progress is not None and isinstance(pause, PauseGate)
        self.calls += 1
        progress.report(0, 3, "Reading “MRI report”")
        try:
            while not self.release.wait(0.01):
                progress.check_cancelled()
            for done in range(1, 4):
                pause.wait(progress)
                progress.report(done, 3, f"Reading document {done + 1}")
        except BaseException:
            self.cancelled.set()
            raise
        return TextReadReport(read=3)


@pytest.fixture
def pending(profile: ProfileSession, tmp_path: Path) -> ProfileSession:
    """The empty profile with one document waiting to be read."""
    profile.importer.add(make_pdf(tmp_path / "letter.pdf", ["Your request has been denied"]))
    return profile


@pytest.fixture
def statuses() -> list[str]:
    return []


@pytest.fixture
def held(
    qtbot: QtBot, pending: ProfileSession, messages: RecordingMessages, statuses: list[str]
) -> Iterator[tuple[TextReadingStatus, HeldReader]]:
    reader = HeldReader()
    status = TextReadingStatus(
        messages, statuses.append, reader_factory=lambda _docs: reader, start_delay_ms=0
    )
    qtbot.addWidget(status)
    status.attach(pending)
    qtbot.waitUntil(lambda: status.label.text() == "Reading documents: 0 of 3 pages")
    yield status, reader
    reader.release.set()
    status.detach()


def test_reading_shows_its_progress_and_can_be_paused_and_resumed(
    qtbot: QtBot, held: tuple[TextReadingStatus, HeldReader], statuses: list[str]
) -> None:
    status, reader = held
    assert not status.isHidden()
    assert status.toolTip() == "Reading “MRI report”"
    assert unnamed_controls(status) == []
    qtbot.mouseClick(status.pause_button, Qt.MouseButton.LeftButton)
    assert status.is_paused()
    assert status.pause_button.text() == "Resume"
    assert status.label.text() == "Paused: 0 of 3 pages read"
    reader.release.set()
    qtbot.waitUntil(lambda: status.toolTip() == PAUSED_LABEL)  # the reader waits in the pause
    # Long after the job runner would have shown its dialog: this job never shows one.
    qtbot.wait(SHOW_PROGRESS_AFTER_MS + 300)
    assert not any(
        isinstance(widget, QProgressDialog) and widget.isVisible()
        for widget in QApplication.topLevelWidgets()
    )
    assert status.label.text() == "Paused: 0 of 3 pages read"
    qtbot.mouseClick(status.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not status.is_running())
    assert status.isHidden()
    assert statuses[-1] == "Read 3 documents."


def test_cancel_stops_reading_even_while_paused(
    qtbot: QtBot, held: tuple[TextReadingStatus, HeldReader], statuses: list[str]
) -> None:
    status, reader = held
    qtbot.mouseClick(status.pause_button, Qt.MouseButton.LeftButton)
    reader.release.set()
    qtbot.waitUntil(lambda: status.toolTip() == PAUSED_LABEL)
    qtbot.mouseClick(status.cancel_button, Qt.MouseButton.LeftButton)
    assert status.label.text() == "Stopping…"
    qtbot.waitUntil(lambda: not status.is_running())
    assert reader.cancelled.is_set()
    assert status.isHidden()
    assert statuses[-1].startswith("Text reading stopped. The rest is read the next time")


def test_a_start_while_reading_reads_again_afterwards(
    qtbot: QtBot, held: tuple[TextReadingStatus, HeldReader]
) -> None:
    status, reader = held
    status.start()  # new documents were added meanwhile
    assert reader.calls == 1
    reader.release.set()
    qtbot.waitUntil(lambda: reader.calls == 2)


def test_scans_without_tesseract_are_explained_once(
    qtbot: QtBot,
    pending: ProfileSession,
    messages: RecordingMessages,
    statuses: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(document_text, "find_ocr", lambda: None)
    pending.importer.add(make_photo(tmp_path / "card.jpg"))
    status = TextReadingStatus(messages, statuses.append, start_delay_ms=0)
    qtbot.addWidget(status)
    status.attach(pending)
    qtbot.waitUntil(lambda: bool(messages.shown))
    kind, title, text = messages.shown[-1]
    assert (kind, title) == ("info", OCR_MISSING_TITLE)
    assert text.startswith(OCR_MISSING_TEXT + "\n\n")
    assert text.endswith(document_text.OCR_INSTALL_HINT)
    qtbot.waitUntil(lambda: not status.is_running())
    by_title = {row.info.data.title: row.info for row in pending.documents.list()}
    assert by_title["letter"].text_status is TextStatus.EMBEDDED
    assert by_title["card"].text_status is TextStatus.OCR_UNAVAILABLE
    pending.importer.add(make_photo(tmp_path / "card back.jpg", (300, 180)))
    status.start()
    qtbot.waitUntil(lambda: not status.is_running())
    assert len(messages.shown) == 1  # said once is enough
    status.detach()


def test_opening_a_profile_reads_what_is_waiting_and_imports_read_afterwards(
    qtbot: QtBot,
    pending: ProfileSession,
    settings_store: SettingsStore,
    messages: RecordingMessages,
    tmp_path: Path,
) -> None:
    window = MainWindow(settings_store, messages)
    qtbot.addWidget(window)
    window.attach_profile(pending)
    documents = pending.documents
    qtbot.waitUntil(lambda: not documents.pending_text(), timeout=20_000)  # after a short delay
    assert documents.list()[0].info.text_status is TextStatus.EMBEDDED
    window.add_documents([make_pdf(tmp_path / "eob.pdf", ["Explanation of Benefits"])])
    qtbot.waitUntil(lambda: documents.count() == 2)
    qtbot.waitUntil(lambda: not documents.pending_text() and not window.text_reading.is_running())
    assert {row.info.text_status for row in documents.list()} == {TextStatus.EMBEDDED}
    window.close()


# Check documents ---------------------------------------------------------------------------------


def when_check_dialog_opens(qtbot: QtBot, act: Callable[[CheckDialog], None]) -> None:
    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, CheckDialog) and widget.isVisible():
            act(widget)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def trigger(window: MainWindow, text: str) -> None:
    action = next(a for a in window.findChildren(QAction) if a.text() == text)
    assert action.isEnabled()
    action.trigger()


def test_check_finds_a_missing_thumbnail_and_repair_draws_it(
    qtbot: QtBot,
    pending: ProfileSession,
    settings_store: SettingsStore,
    messages: RecordingMessages,
) -> None:
    window = MainWindow(settings_store, messages)
    qtbot.addWidget(window)
    window.attach_profile(pending)
    documents: DocumentService = pending.documents
    info = documents.list()[0].info
    original = documents.file_path(info.id).read_bytes()
    thumbnail = thumbnail_path(documents.thumbnails, info.file.sha256)
    thumbnail.unlink(missing_ok=True)
    seen: list[tuple[str, list[str], bool, str]] = []

    def record(dialog: CheckDialog) -> None:
        lines = [dialog.lines.item(row).text() for row in range(dialog.lines.count())]
        seen.append(
            (
                dialog.headline.text(),
                lines,
                dialog.repair_button.isVisible(),
                dialog.advice.text(),
            )
        )
        assert unnamed_controls(dialog) == []
        if dialog.repair_button.isVisible():
            when_check_dialog_opens(qtbot, record)
            qtbot.mouseClick(dialog.repair_button, Qt.MouseButton.LeftButton)
        else:
            dialog.reject()

    when_check_dialog_opens(qtbot, record)
    trigger(window, "&Check Documents…")
    qtbot.waitUntil(lambda: len(seen) == 2)
    (headline, lines, repairable, advice), (after, fixed_lines, again, _) = seen
    assert headline == "Some documents need attention."
    assert "1 thumbnail missing. Repair draws them again." in lines
    assert repairable and advice.startswith("Repair rebuilds the search index")
    assert after == "Repair finished."
    assert "Drew 1 missing thumbnail." in fixed_lines
    assert not again
    assert thumbnail.is_file()
    assert documents.file_path(info.id).read_bytes() == original
    window.close()


def test_a_missing_file_is_reported_without_a_repair_that_cannot_help(
    qtbot: QtBot,
    pending: ProfileSession,
    settings_store: SettingsStore,
    messages: RecordingMessages,
) -> None:
    window = MainWindow(settings_store, messages)
    qtbot.addWidget(window)
    window.attach_profile(pending)
    documents = pending.documents
    info = documents.list()[0].info
    assert ensure_thumbnail(documents, info.id) is not None
    documents.file_path(info.id).unlink()  # lost, e.g. by a sync tool
    seen: list[CheckDialog] = []

    def record(dialog: CheckDialog) -> None:
        seen.append(dialog)
        dialog.reject()

    when_check_dialog_opens(qtbot, record)
    trigger(window, "&Check Documents…")
    qtbot.waitUntil(lambda: bool(seen))
    dialog = seen[0]
    assert dialog.headline.text() == "Some documents need attention."
    assert dialog.lines.item(1).text() == (
        f"Missing: the file of “letter” (document {info.id}) is not in the vault. Restore the "
        "profile folder from a backup, or add the original again."
    )
    assert not dialog.repair_button.isVisible()
    assert not dialog.advice.isVisible()
    window.close()


def test_text_read_in_the_background_does_not_rebuild_the_home_page(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rebuilding Home for every document read stalled the window for up to ~0.8 s.
    rebuilt: list[object] = []
    monkeypatch.setattr(window.home_page, "show_summary", rebuilt.append)
    profile = window.profile
    first = profile.documents.list()[0].info
    profile.documents.set_text(first.id, "Words", TextStatus.EMBEDDED)
    assert rebuilt == []
    profile.providers.update(1, profile.providers.get(1).data)  # Home shows the care team
    assert len(rebuilt) == 1
