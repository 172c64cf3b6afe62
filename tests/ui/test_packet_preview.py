"""The packet window's contents preview: it follows the choices without working anything out
twice, never shows the contents of other choices as the current ones, can be stopped and
started again, and never holds the window up when it closes."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from backlog_app.domain.packet import PacketSection
from backlog_app.domain.packet_documents import DocumentChoice
from backlog_app.services.context import ProfileSession
from backlog_app.services.packet.prepared import PreparedPacket
from backlog_app.ui.packet.dialog import PacketDialog
from backlog_app.ui.packet.lingering import lingering
from backlog_app.ui.packet.loading import read_default_documents
from backlog_app.ui.packet.preview_runner import DELAY_MS
from tests.ui.conftest import RecordingMessages
from tests.ui.packet_fakes import (
    WAIT_MS,
    FakeWindows,
    PrepareSpy,
    case_id_titled,
    open_dialog,
    previewed_entries,
    scratch_folder,
    wait_for_preview,
)


@pytest.fixture
def windows() -> FakeWindows:
    return FakeWindows()


@pytest.fixture
def scratch(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from scratch_folder(qtbot, tmp_path, monkeypatch)


@pytest.fixture
def prepare(monkeypatch: pytest.MonkeyPatch) -> PrepareSpy:
    return PrepareSpy(monkeypatch)


@pytest.fixture
def dialog(
    qtbot: QtBot,
    demo_profile: ProfileSession,
    messages: RecordingMessages,
    windows: FakeWindows,
    scratch: Path,
    prepare: PrepareSpy,
) -> Iterator[PacketDialog]:
    """The packet window over the demo's whole record, its contents worked out once."""
    window = open_dialog(qtbot, demo_profile, messages, windows)
    wait_for_preview(qtbot, window)
    assert len(prepare.calls) == 1
    yield window
    window.reject()


def _wait_past_the_delay(qtbot: QtBot, dialog: PacketDialog) -> None:
    qtbot.wait(DELAY_MS + 250)
    qtbot.waitUntil(lambda: not dialog.runner.is_busy(), timeout=WAIT_MS)


# --- Following the choices ----------------------------------------------------------------------


def test_going_back_to_previewed_choices_works_nothing_out_again(
    qtbot: QtBot, dialog: PacketDialog, prepare: PrepareSpy
) -> None:
    before = previewed_entries(dialog)
    calls = dialog.sections.boxes[PacketSection.CALLS]
    calls.setChecked(False)  # a new preview waits for the pause after a change…
    assert dialog.preview.is_working()
    calls.setChecked(True)  # …and is not needed: these choices are worked out already
    assert dialog.preview_ready() and not dialog.preview.is_working()
    assert not dialog.runner.is_busy()
    _wait_past_the_delay(qtbot, dialog)
    assert len(prepare.calls) == 1
    assert previewed_entries(dialog) == before


def test_two_changes_within_the_pause_work_the_contents_out_once(
    qtbot: QtBot, dialog: PacketDialog, prepare: PrepareSpy
) -> None:
    dialog.sections.boxes[PacketSection.CALLS].setChecked(False)
    dialog.sections.boxes[PacketSection.COSTS].setChecked(False)
    wait_for_preview(qtbot, dialog)
    _wait_past_the_delay(qtbot, dialog)
    assert prepare.calls[1:] == [dialog.request()]
    titles = [entry.title for entry in previewed_entries(dialog)]
    assert "Call log" not in titles and "Costs summary" not in titles


def test_a_replaced_preview_is_closed_off_the_gui_thread(
    qtbot: QtBot, dialog: PacketDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed_on: list[threading.Thread] = []
    real_close = PreparedPacket.close

    def close(prepared: PreparedPacket) -> None:
        closed_on.append(threading.current_thread())
        real_close(prepared)

    monkeypatch.setattr(PreparedPacket, "close", close)
    first = dialog.runner.current(dialog.request())
    assert first is not None and first.prepared.scratch is not None
    folder = Path(first.prepared.scratch.name)
    dialog.sections.boxes[PacketSection.CALLS].setChecked(False)
    wait_for_preview(qtbot, dialog)
    qtbot.waitUntil(lambda: bool(closed_on), timeout=WAIT_MS)  # deleting its scans
    assert closed_on[0] is not threading.main_thread()
    qtbot.waitUntil(lambda: not folder.exists(), timeout=WAIT_MS)


def test_the_old_case_contents_are_never_shown_for_the_new_case(
    qtbot: QtBot,
    demo_profile: ProfileSession,
    messages: RecordingMessages,
    windows: FakeWindows,
    scratch: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prepare = PrepareSpy(monkeypatch, heed_cancel=False)  # finishes even when cancelled
    prepare.hold()
    documents_read = threading.Event()

    def slow_read(*args: Any) -> list[DocumentChoice]:
        documents_read.wait(WAIT_MS / 1000)
        return read_default_documents(*args)

    monkeypatch.setattr("backlog_app.ui.packet.dialog.read_default_documents", slow_read)
    dialog = open_dialog(qtbot, demo_profile, messages, windows)
    qtbot.waitUntil(lambda: len(prepare.calls) == 1, timeout=WAIT_MS)  # the whole record's

    case_id = case_id_titled(demo_profile, "Lumbar MRI")
    dialog.scope.case.setCurrentIndex(dialog.scope.case.findData(case_id))
    # While the case's documents are chosen, the list cannot be changed…
    assert not dialog.documents.table.isEnabled() and not dialog.export_button.isEnabled()
    assert dialog.preview.status.text() == "Choosing the documents…"
    # …and the whole record's contents, finished meanwhile, are not shown as the case's.
    prepare.release()
    qtbot.waitUntil(lambda: prepare.ended == 1, timeout=WAIT_MS)
    qtbot.wait(50)
    assert dialog.preview.is_working() and dialog.preview.model.rowCount() == 0

    documents_read.set()
    wait_for_preview(qtbot, dialog)
    assert dialog.documents.table.isEnabled()
    shown = dialog.runner.current(dialog.request())
    assert shown is not None and shown.prepared.request.case_id == case_id
    assert [e.key for e in previewed_entries(dialog) if e.level == 1] == [
        f"document:{i}" for i in dialog.documents.document_ids()
    ]
    # A preview that arrives for other choices than those on screen is not shown.
    dialog.sections.boxes[PacketSection.CALLS].setChecked(False)
    dialog.runner.ready.emit(shown)
    assert dialog.preview.is_working()
    dialog.reject()


# --- Stopping -------------------------------------------------------------------------------------


def test_the_preview_can_be_stopped_and_worked_out_again(
    qtbot: QtBot,
    demo_profile: ProfileSession,
    messages: RecordingMessages,
    windows: FakeWindows,
    scratch: Path,
    prepare: PrepareSpy,
) -> None:
    prepare.hold()
    dialog = open_dialog(qtbot, demo_profile, messages, windows)
    preview = dialog.preview
    qtbot.waitUntil(lambda: preview.status.text() == "Drawing the daily log…", timeout=WAIT_MS)
    assert preview.action.isVisible() and preview.action.text() == "Cancel"
    # Export is offered meanwhile: it waits for this preview, or works the packet out itself.
    assert dialog.export_button.isEnabled()

    qtbot.mouseClick(preview.action, Qt.MouseButton.LeftButton)
    assert preview.status.text().startswith("Stopped.")
    assert preview.action.text() == "Update pre&view"
    qtbot.waitUntil(lambda: not dialog.runner.is_busy() and prepare.ended == 1, timeout=WAIT_MS)

    prepare.release()
    qtbot.mouseClick(preview.action, Qt.MouseButton.LeftButton)
    wait_for_preview(qtbot, dialog)
    assert preview.model.rowCount() > 10 and not preview.action.isVisible()
    dialog.reject()


def test_closing_during_a_slow_preview_does_not_wait_for_it(
    qtbot: QtBot,
    demo_profile: ProfileSession,
    messages: RecordingMessages,
    windows: FakeWindows,
    scratch: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prepare = PrepareSpy(monkeypatch, heed_cancel=False)  # a step that takes long to notice
    prepare.hold()
    dialog = open_dialog(qtbot, demo_profile, messages, windows)
    qtbot.waitUntil(lambda: len(prepare.calls) == 1, timeout=WAIT_MS)

    started = time.monotonic()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert time.monotonic() - started < 0.5
    assert not dialog.isVisible()
    assert lingering() == 1  # the preview's worker, still on its step

    prepare.release()  # the step ends: its packet, scans and all, is thrown away
    qtbot.waitUntil(lambda: prepare.ended == 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: lingering() == 0, timeout=WAIT_MS)
    assert list(scratch.iterdir()) == []
    assert messages.shown == []
