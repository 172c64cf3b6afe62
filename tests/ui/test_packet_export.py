"""The packet window, driven like a user: it opens with the usual choices, Export writes the pages
the preview promised, Print sends them to a printer, Cancel leaves nothing behind. No real file,
print or message dialog ever opens (``PacketHooks``). The contents preview has its own tests
(``test_packet_preview``).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtWidgets import QDialog, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from backlog_app.domain.documents import DocumentKind
from backlog_app.domain.packet import PacketSection, PageSize
from backlog_app.domain.packet_documents import DocumentChoice
from backlog_app.services.context import ProfileSession
from backlog_app.services.packet import assemble
from backlog_app.services.progress import Progress
from backlog_app.settings import SettingsStore
from backlog_app.ui.main_window import MainWindow
from backlog_app.ui.packet.choices import Period
from backlog_app.ui.packet.dialog import PacketDialog, open_packet_dialog
from backlog_app.ui.packet.documents_model import COLUMN_INCLUDE
from backlog_app.ui.packet.finished import ExportFinished
from backlog_app.ui.page_keys import PAGE_CASES
from tests.conftest import TODAY
from tests.ui.accessibility import unnamed_controls
from tests.ui.conftest import RecordingMessages, when_dialog_opens
from tests.ui.packet_fakes import (
    WAIT_MS,
    CountingExport,
    FakeWindows,
    PrepareSpy,
    case_id_titled,
    open_dialog,
    pdf_pages,
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
def dialog(
    qtbot: QtBot,
    demo_profile: ProfileSession,
    messages: RecordingMessages,
    windows: FakeWindows,
    scratch: Path,
) -> Iterator[PacketDialog]:
    """The packet window over the demo's whole record, its contents worked out."""
    window = open_dialog(qtbot, demo_profile, messages, windows)
    wait_for_preview(qtbot, window)
    yield window
    window.reject()


# --- Opening ----------------------------------------------------------------------------------


def test_opens_for_the_case_with_the_usual_choices(
    qtbot: QtBot,
    demo_profile: ProfileSession,
    messages: RecordingMessages,
    windows: FakeWindows,
    settings_store: SettingsStore,
    scratch: Path,
) -> None:
    case_id = case_id_titled(demo_profile, "Lumbar MRI")
    settings_store.update(packet_page_size="a4")
    dialog = open_dialog(
        qtbot, demo_profile, messages, windows, case_id=case_id, settings=settings_store
    )
    wait_for_preview(qtbot, dialog)

    assert dialog.scope.case_id() == case_id
    assert dialog.scope.case.currentText().startswith("Lumbar MRI")
    assert dialog.scope.dates() == (None, None)
    assert all(box.isChecked() and box.isEnabled() for box in dialog.sections.boxes.values())
    assert dialog.paper.page_size() is PageSize.A4
    # The case's documents are ticked and come first, in the usual order; the others follow.
    defaults = [c.document_id for c in assemble_defaults(demo_profile, case_id)]
    assert dialog.documents.document_ids() == tuple(defaults)
    assert len(defaults) == 3
    assert dialog.documents.model.rowCount() == 10
    assert (
        dialog.documents.count.text()
        == "3 of 10 documents ticked: they are attached in this order."
    )
    # The contents: the sections in printing order, then the documents under their heading.
    entries = previewed_entries(dialog)
    assert [e.title for e in entries[:4]] == [
        "Cover sheet",
        "Reference information",
        "Contents",
        "Conservative care summary",
    ]
    assert [e.key for e in entries if e.level == 1] == [f"document:{i}" for i in defaults]
    total = sum(e.page_count for e in entries)
    assert dialog.preview.total.text().startswith(f"<b>{total} pages in all</b>")
    assert "Request letter: This case has no saved letter yet" in dialog.preview.notes.text()
    assert dialog.export_button.isDefault() and dialog.export_button.isEnabled()
    assert unnamed_controls(dialog) == []
    dialog.reject()


def assemble_defaults(
    profile: ProfileSession, case_id: int | None, since: dt.date | None = None
) -> list[DocumentChoice]:
    from backlog_app.services.packet.documents import default_documents

    return default_documents(profile, case_id, since)


def test_a_deleted_case_opens_the_whole_record(
    qtbot: QtBot,
    demo_profile: ProfileSession,
    messages: RecordingMessages,
    windows: FakeWindows,
    scratch: Path,
) -> None:
    dialog = open_dialog(qtbot, demo_profile, messages, windows, case_id=9999)
    wait_for_preview(qtbot, dialog)
    assert dialog.scope.case_id() is None
    assert dialog.scope.case.currentIndex() == 0
    assert not dialog.sections.boxes[PacketSection.LETTER].isEnabled()  # letters are a case's
    assert len(dialog.documents.document_ids()) == 10  # the whole record attaches everything
    dialog.reject()


# --- Choosing, then exporting -----------------------------------------------------------------


def test_choose_a_case_untick_a_section_move_a_document_and_export(
    qtbot: QtBot,
    dialog: PacketDialog,
    demo_profile: ProfileSession,
    windows: FakeWindows,
    tmp_path: Path,
    scratch: Path,
) -> None:
    # Choose the MRI case by typing its name into the case box.
    case_id = case_id_titled(demo_profile, "Lumbar MRI")
    dialog.scope.case.setFocus()
    qtbot.keyClicks(dialog.scope.case, "Lumbar")
    assert dialog.scope.case_id() == case_id
    qtbot.waitUntil(lambda: len(dialog.documents.document_ids()) == 3, timeout=WAIT_MS)
    # Leave out the daily log.
    daily_log = dialog.sections.boxes[PacketSection.DAILY_LOG]
    daily_log.setFocus()
    qtbot.keyClick(daily_log, Qt.Key.Key_Space)
    assert not daily_log.isChecked()
    # Attach the first document last: select it, then Move down twice.
    first, second, third = dialog.documents.document_ids()
    table = dialog.documents.table
    cell = table.visualRect(dialog.documents.model.index(0, 3)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.mouseClick(dialog.documents.down_button, Qt.MouseButton.LeftButton)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert dialog.documents.document_ids() == (second, third, first)
    # Tick the insurance card too (Space on its row).
    card = next(
        row
        for row in range(dialog.documents.model.rowCount())
        if dialog.documents.model.choice(row).kind is DocumentKind.INSURANCE_CARD
    )
    table.setCurrentIndex(dialog.documents.model.index(card, 3))
    qtbot.keyClick(table, Qt.Key.Key_Space)
    card_id = dialog.documents.model.choice(card).document_id
    assert dialog.documents.document_ids() == (second, third, first, card_id)

    wait_for_preview(qtbot, dialog)
    entries = previewed_entries(dialog)
    assert "Daily log" not in [e.title for e in entries]
    assert [e.key for e in entries if e.level == 1] == [
        f"document:{i}" for i in (second, third, first, card_id)
    ]
    promised = sum(e.page_count for e in entries)

    windows.save_to = tmp_path / "packet.pdf"
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_written is not None, timeout=WAIT_MS)

    assert windows.suggested[0].name == (
        "BackLog packet - Lumbar MRI — without contrast - 2026-11-27.pdf"
    )
    result = windows.finished[0]
    assert result.path == windows.save_to and windows.save_to.is_file()
    assert result.page_count == promised == pdf_pages(windows.save_to)
    assert result.size_bytes == windows.save_to.stat().st_size
    check = subprocess.run(["qpdf", "--check", str(windows.save_to)], capture_output=True)
    assert check.returncode == 0, check.stdout
    assert not dialog.isVisible()  # done: the window closed after the message
    qtbot.waitUntil(lambda: not any(scratch.iterdir()))  # no copy of the scans left behind


def test_export_right_after_a_change_starts_that_preview_and_writes_it(
    qtbot: QtBot,
    demo_profile: ProfileSession,
    messages: RecordingMessages,
    windows: FakeWindows,
    tmp_path: Path,
    scratch: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    exports = CountingExport(monkeypatch)
    dialog = open_dialog(qtbot, demo_profile, messages, windows)
    qtbot.waitUntil(dialog.is_ready, timeout=WAIT_MS)
    dialog.paper.buttons[PageSize.A4].click()  # its preview waits for the pause after a change
    windows.save_to = tmp_path / "a4.pdf"
    dialog.export()
    qtbot.waitUntil(lambda: dialog.result_written is not None, timeout=WAIT_MS)
    with pikepdf.open(windows.save_to) as pdf:
        width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)
    assert exports.calls == 0  # the preview was started at once and written
    assert messages.shown == []


def test_export_after_the_preview_was_stopped_works_the_packet_out_itself(
    qtbot: QtBot,
    demo_profile: ProfileSession,
    messages: RecordingMessages,
    windows: FakeWindows,
    tmp_path: Path,
    scratch: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prepare = PrepareSpy(monkeypatch)
    exports = CountingExport(monkeypatch)
    prepare.hold()
    statuses: list[str] = []
    dialog = open_dialog(qtbot, demo_profile, messages, windows, statuses=statuses)
    preview = dialog.preview
    qtbot.waitUntil(lambda: preview.status.text() == "Drawing the daily log…", timeout=WAIT_MS)
    qtbot.mouseClick(preview.action, Qt.MouseButton.LeftButton)  # Cancel
    qtbot.waitUntil(lambda: not dialog.runner.is_busy() and prepare.ended == 1)
    assert preview.status.text().startswith("Stopped.")

    windows.save_to = tmp_path / "stopped.pdf"
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(prepare.calls) == 2, timeout=WAIT_MS)  # the export's own
    # While it works, the contents box says so quietly, and its button cannot start a preview.
    assert preview.status.text() == "The contents are worked out as the packet is made."
    assert not preview.action.isEnabled()
    assert not dialog.close_button.isEnabled() and not dialog.scope.isEnabled()
    prepare.release()
    qtbot.waitUntil(lambda: dialog.result_written is not None, timeout=WAIT_MS)

    assert exports.calls == 1
    result = windows.finished[0]
    assert result.page_count == pdf_pages(windows.save_to)
    assert statuses == [f"Saved the packet stopped.pdf: {result.page_count} pages."]
    assert messages.shown == []


def test_export_while_the_preview_is_worked_out_waits_for_it(
    qtbot: QtBot,
    demo_profile: ProfileSession,
    messages: RecordingMessages,
    windows: FakeWindows,
    tmp_path: Path,
    scratch: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = assemble.prepare_packet
    calls: list[Any] = []

    def prepare(profile: ProfileSession, request: Any, progress: Progress | None = None) -> Any:
        assert progress is not None
        calls.append(request)
        for step in range(60):  # long enough to press Export meanwhile
            progress.report(step, 60, "Drawing the daily log")
            time.sleep(0.01)
        return real(profile, request, progress)

    monkeypatch.setattr(assemble, "prepare_packet", prepare)
    dialog = open_dialog(qtbot, demo_profile, messages, windows)
    qtbot.waitUntil(lambda: bool(calls), timeout=WAIT_MS)
    windows.save_to = tmp_path / "waited.pdf"
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_written is not None, timeout=WAIT_MS)
    assert calls == [dialog.request()]  # worked out once, for the preview, then written
    assert windows.finished[0].page_count == pdf_pages(windows.save_to)


def test_cancelled_save_dialog_writes_nothing(
    qtbot: QtBot, dialog: PacketDialog, windows: FakeWindows, tmp_path: Path
) -> None:
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert windows.suggested and windows.finished == []
    assert dialog.isVisible() and dialog.export_button.isEnabled()


def test_cancel_during_export_saves_nothing_and_keeps_the_window(
    qtbot: QtBot,
    demo_profile: ProfileSession,
    messages: RecordingMessages,
    windows: FakeWindows,
    tmp_path: Path,
    scratch: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_write = assemble.write_packet
    destination = tmp_path / "never.pdf"
    partial = tmp_path / ".never.pdf.partial"
    partial_written: list[bool] = []

    class CancelWhileSaving(Progress):
        """The job's progress, except that the first "Saving the PDF" waits for the user's
        Cancel; qpdf's next progress call inside the save then stops it."""

        def __init__(self, outer: Progress) -> None:
            super().__init__()
            self.outer = outer

        def report(self, done: int, total: int, label: str = "") -> None:
            self.outer.report(done, total, label)
            if label == "Saving the PDF":
                for _ in range(3000):
                    if self.outer.cancelled:
                        return
                    time.sleep(0.01)
                raise AssertionError("Cancel was never pressed")

        def check_cancelled(self) -> None:
            partial_written.append(partial.is_file())
            self.outer.check_cancelled()

    def write(prepared: Any, target: Path, progress: Progress | None = None) -> Any:
        assert progress is not None and target == destination
        return real_write(prepared, target, CancelWhileSaving(progress))

    monkeypatch.setattr(assemble, "write_packet", write)
    statuses: list[str] = []
    dialog = open_dialog(qtbot, demo_profile, messages, windows, statuses=statuses)
    wait_for_preview(qtbot, dialog)
    windows.save_to = destination
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert not dialog.export_button.isEnabled() and not dialog.close_button.isEnabled()
    assert not dialog.preview.action.isEnabled()

    qtbot.waitUntil(lambda: bool(dialog.findChildren(QProgressDialog)), timeout=WAIT_MS)
    progress = dialog.findChildren(QProgressDialog)[0]
    cancel = next(b for b in progress.findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.output.jobs.is_busy(), timeout=WAIT_MS)

    assert partial_written == []  # stopped inside the save, before the check after it
    assert not destination.exists() and not partial.exists() and windows.finished == []
    assert statuses == []  # the window stays open, ready to try again
    assert dialog.isVisible() and dialog.export_button.isEnabled()
    assert dialog.scope.isEnabled() and dialog.preview.action.isEnabled()
    assert dialog.preview_ready()  # the preview is still there to export
    dialog.reject()
    assert not dialog.isVisible()


# --- Dates, documents, paper ------------------------------------------------------------------


def test_date_presets_fill_the_dates_and_bad_dates_stop_export(
    qtbot: QtBot, dialog: PacketDialog
) -> None:
    scope = dialog.scope
    scope.choose_period(Period.LAST_YEAR)
    assert scope.dates() == (dt.date(2025, 11, 28), None)
    scope.choose_period(Period.LAST_TWO_YEARS)
    assert scope.dates() == (dt.date(2024, 11, 28), None)
    wait_for_preview(qtbot, dialog)
    assert dialog.request().since == dt.date(2024, 11, 28)

    scope.until.set_date(TODAY + dt.timedelta(days=3))
    assert scope.period.currentData() is Period.CHOSEN
    assert dialog.problems.isVisible()
    assert "in the future" in dialog.problems.text()
    assert not dialog.export_button.isEnabled() and not dialog.print_button.isEnabled()
    assert dialog.preview.status.text() == "Please fix the dates to see the contents."

    scope.choose_period(Period.EVERYTHING)
    assert scope.dates() == (None, None)
    assert not dialog.problems.isVisible()
    qtbot.waitUntil(dialog.export_button.isEnabled)  # once the documents for the dates are in


def test_no_documents_means_none_attached(qtbot: QtBot, dialog: PacketDialog) -> None:
    include = dialog.documents.include
    qtbot.mouseClick(include, Qt.MouseButton.LeftButton, pos=QPoint(8, include.height() // 2))
    assert dialog.documents.count.text() == "No documents will be attached."
    assert not dialog.documents.table.isEnabled()
    request = dialog.request()
    assert request.document_ids == () and not request.with_documents
    wait_for_preview(qtbot, dialog)
    assert all(entry.level == 0 for entry in previewed_entries(dialog))
    assert "Attached documents" not in [e.title for e in previewed_entries(dialog)]


def test_hand_chosen_documents_survive_a_date_change(qtbot: QtBot, dialog: PacketDialog) -> None:
    model = dialog.documents.model
    model.setData(
        model.index(0, COLUMN_INCLUDE), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole
    )
    chosen = dialog.documents.document_ids()
    assert len(chosen) == 9
    dialog.scope.choose_period(Period.LAST_YEAR)
    wait_for_preview(qtbot, dialog)
    assert dialog.documents.document_ids() == chosen


def test_attach_on_and_off_is_not_a_choice_of_documents(
    qtbot: QtBot, dialog: PacketDialog, demo_profile: ProfileSession
) -> None:
    include = dialog.documents.include
    include.setChecked(False)
    include.setChecked(True)
    dialog.scope.choose_period(Period.LAST_YEAR)  # the default documents follow the dates
    wait_for_preview(qtbot, dialog)
    since = dt.date(2025, 11, 28)
    expected = [c.document_id for c in assemble_defaults(demo_profile, None, since)]
    assert len(expected) == 8
    assert dialog.documents.document_ids() == tuple(expected)


def test_default_order_gives_the_defaults_back(
    qtbot: QtBot, dialog: PacketDialog, demo_profile: ProfileSession
) -> None:
    documents = dialog.documents
    documents.table.setCurrentIndex(documents.model.index(0, 3))
    qtbot.mouseClick(documents.down_button, Qt.MouseButton.LeftButton)  # moved by hand
    qtbot.mouseClick(documents.default_button, Qt.MouseButton.LeftButton)
    dialog.scope.choose_period(Period.LAST_YEAR)
    wait_for_preview(qtbot, dialog)
    since = dt.date(2025, 11, 28)
    expected = [c.document_id for c in assemble_defaults(demo_profile, None, since)]
    assert documents.document_ids() == tuple(expected)


def test_paper_choice_is_remembered(
    qtbot: QtBot,
    demo_profile: ProfileSession,
    messages: RecordingMessages,
    windows: FakeWindows,
    settings_store: SettingsStore,
    scratch: Path,
) -> None:
    dialog = open_dialog(qtbot, demo_profile, messages, windows, settings=settings_store)
    wait_for_preview(qtbot, dialog)
    assert dialog.paper.page_size() is PageSize.LETTER
    a4 = dialog.paper.buttons[PageSize.A4]
    qtbot.mouseClick(a4, Qt.MouseButton.LeftButton, pos=QPoint(8, a4.height() // 2))
    assert settings_store.settings.packet_page_size == "a4"
    assert dialog.request().page_size is PageSize.A4
    dialog.reject()


# --- Printing ---------------------------------------------------------------------------------


def test_print_sends_every_page_and_removes_its_copy(
    qtbot: QtBot,
    demo_profile: ProfileSession,
    messages: RecordingMessages,
    windows: FakeWindows,
    tmp_path: Path,
    scratch: Path,
) -> None:
    statuses: list[str] = []
    dialog = open_dialog(qtbot, demo_profile, messages, windows, statuses=statuses)
    wait_for_preview(qtbot, dialog)
    promised = sum(e.page_count for e in previewed_entries(dialog))
    windows.printed_to = tmp_path / "printed.pdf"
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages_printed is not None, timeout=WAIT_MS)

    assert windows.printer_pages == [promised]
    assert dialog.pages_printed == promised == pdf_pages(windows.printed_to)
    assert statuses == [f"Sent {promised} pages to the printer."]
    assert messages.shown == []
    qtbot.waitUntil(lambda: not any(scratch.iterdir()))


def test_print_a_page_range_and_a_cancelled_print_dialog(
    qtbot: QtBot, dialog: PacketDialog, windows: FakeWindows, tmp_path: Path, scratch: Path
) -> None:
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)  # the user cancels
    qtbot.waitUntil(lambda: bool(windows.printer_pages) and not dialog.output.jobs.is_busy())
    assert dialog.isVisible() and dialog.pages_printed is None
    # The copy is removed off the GUI thread, right after the job: wait for it.
    qtbot.waitUntil(
        lambda: not [p for p in scratch.iterdir() if p.name.startswith("backlog-print-")],
        timeout=WAIT_MS,
    )

    windows.printed_to = tmp_path / "two.pdf"
    windows.page_range = (2, 3)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages_printed is not None, timeout=WAIT_MS)
    assert dialog.pages_printed == 2 == pdf_pages(windows.printed_to)


# --- The finished message ---------------------------------------------------------------------


def test_the_real_finished_message_is_shown_after_export(
    qtbot: QtBot, dialog: PacketDialog, windows: FakeWindows, tmp_path: Path
) -> None:
    windows.save_to = tmp_path / "real.pdf"
    windows.real_message = True

    def open_the_pdf(shown: QDialog) -> None:
        assert isinstance(shown, ExportFinished)
        assert shown.name.text() == "real.pdf"
        qtbot.mouseClick(shown.open_button, Qt.MouseButton.LeftButton)

    when_dialog_opens(qtbot, open_the_pdf)
    dialog.export()
    qtbot.waitUntil(lambda: dialog.result_written is not None, timeout=WAIT_MS)
    assert windows.opened == [QUrl.fromLocalFile(str(tmp_path / "real.pdf"))]


def test_open_packet_dialog_waits_for_the_user_and_cleans_up(
    qtbot: QtBot, demo_profile: ProfileSession, messages: RecordingMessages, scratch: Path
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    shown: list[str] = []

    def close_once_previewed(dialog: QDialog) -> None:
        assert isinstance(dialog, PacketDialog)
        shown.append(dialog.windowTitle())
        qtbot.waitUntil(dialog.preview_ready, timeout=WAIT_MS)
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)

    when_dialog_opens(qtbot, close_once_previewed)
    open_packet_dialog(parent, demo_profile, messages)
    assert shown == ["Export a packet for your insurer"]
    # The preview's scans are removed in the background once the window has gone.
    qtbot.waitUntil(lambda: not any(scratch.iterdir()), timeout=WAIT_MS)


# --- In the window (File → Export Packet…, the case's button) ---------------------------------


def test_ctrl_e_opens_the_packet_for_the_case_shown(
    qtbot: QtBot, window: MainWindow, demo_profile: ProfileSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[int | None] = []

    def fake_open(*_args: Any, case_id: int | None = None, **_kwargs: Any) -> None:
        opened.append(case_id)

    monkeypatch.setattr("backlog_app.ui.packet.dialog.open_packet_dialog", fake_open)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    window.show_page(PAGE_CASES)
    case_id = case_id_titled(demo_profile, "Epidural")
    window.cases_page.show_case(case_id)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(window.cases_page.packet_button, Qt.MouseButton.LeftButton)
    button = window.cases_page.packet_button
    assert button.isVisible() and button.accessibleName() == "Export a packet for the case shown"
    window.cases_page.tabs.setCurrentIndex(1)  # the call log shows no case: no button
    assert not button.isVisible()
    assert window.cases_page.current_case_id() == case_id  # still selected, out of sight
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    # From Home: the whole record; from the Cases tab (shortcut or button): the case shown;
    # from the Call log tab: the whole record, not the case hidden behind it.
    assert opened == [None, case_id, case_id, None]
