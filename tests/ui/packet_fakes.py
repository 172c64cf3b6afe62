"""Stand-ins for the windows the packet dialog opens, and helpers its tests share."""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PySide6.QtCore import QUrl
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from backlog_app.domain.packet import ContentsEntry
from backlog_app.services.context import ProfileSession
from backlog_app.services.packet import assemble
from backlog_app.services.packet.prepared import PacketResult, PreparedPacket
from backlog_app.services.packet.request import PacketRequest
from backlog_app.services.progress import Progress
from backlog_app.settings import SettingsStore
from backlog_app.ui.packet.dialog import PacketDialog
from backlog_app.ui.packet.finished import OpenUrl
from backlog_app.ui.packet.lingering import lingering
from backlog_app.ui.packet.output import PacketHooks, show_finished
from tests.ui.conftest import RecordingMessages

WAIT_MS = 30_000


@dataclass
class FakeWindows:
    """Stands in for the Save dialog, the print dialog and the finished message."""

    save_to: Path | None = None
    suggested: list[Path] = field(default_factory=list)
    finished: list[PacketResult] = field(default_factory=list)
    opened: list[QUrl] = field(default_factory=list)
    printed_to: Path | None = None
    page_range: tuple[int, int] | None = None
    printer_pages: list[int] = field(default_factory=list)
    real_message: bool = False  # show the real finished message instead of recording it

    def hooks(self) -> PacketHooks:
        return PacketHooks(
            ask_save_path=self._ask_save_path,
            ask_printer=self._ask_printer,
            show_finished=self._show_finished,
            open_url=self._open,
        )

    def _show_finished(self, parent: QWidget, result: PacketResult, opener: OpenUrl) -> None:
        self.finished.append(result)
        if self.real_message:
            show_finished(parent, result, opener)

    def _ask_save_path(self, _parent: QWidget, suggested: Path) -> Path | None:
        self.suggested.append(suggested)
        return self.save_to

    def _ask_printer(self, _parent: QWidget, printer: QPrinter, page_count: int) -> bool:
        self.printer_pages.append(page_count)
        if self.printed_to is None:
            return False
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.printed_to))
        printer.setResolution(72)  # quick: the pages are drawn at the printer's resolution
        if self.page_range is not None:
            printer.setPrintRange(QPrinter.PrintRange.PageRange)
            printer.setFromTo(*self.page_range)
        return True

    def _open(self, url: QUrl) -> bool:
        self.opened.append(url)
        return True


def open_dialog(
    qtbot: QtBot,
    profile: ProfileSession,
    messages: RecordingMessages,
    windows: FakeWindows,
    *,
    case_id: int | None = None,
    settings: SettingsStore | None = None,
    statuses: list[str] | None = None,
) -> PacketDialog:
    dialog = PacketDialog(
        profile,
        messages,
        settings=settings,
        case_id=case_id,
        show_status=(statuses.append if statuses is not None else None),
        hooks=windows.hooks(),
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def wait_for_preview(qtbot: QtBot, dialog: PacketDialog) -> None:
    qtbot.waitUntil(dialog.preview_ready, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not dialog.runner.is_busy(), timeout=WAIT_MS)


def case_id_titled(profile: ProfileSession, start: str) -> int:
    return next(row.id for row in profile.cases.list() if row.title.startswith(start))


def previewed_entries(dialog: PacketDialog) -> list[ContentsEntry]:
    return dialog.preview.model.entries()


def pdf_pages(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def scratch_folder(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The temporary folder the packet's scans and the print copy go to (checked for leftovers).
    At the end, waits for the work of closed packet windows to end before the profile closes."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    qtbot.waitUntil(lambda: lingering() == 0, timeout=WAIT_MS)


class PrepareSpy:
    """Stands in for ``assemble.prepare_packet``: records each call, holds it while ``hold()``
    is in force (reporting progress, so Cancel stops it, unless ``heed_cancel`` is False), then
    works the packet out for real."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, heed_cancel: bool = True) -> None:
        self._real = assemble.prepare_packet
        self.calls: list[PacketRequest] = []
        self.ended = 0  # calls that returned or raised
        self.heed_cancel = heed_cancel
        self._open = threading.Event()
        self._open.set()
        monkeypatch.setattr(assemble, "prepare_packet", self)

    def hold(self) -> None:
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    def __call__(
        self, profile: ProfileSession, request: PacketRequest, progress: Progress | None = None
    ) -> PreparedPacket:
        self.calls.append(request)
        try:
            progress = progress or Progress()
            step = 0
            while not self._open.wait(0.01):
                if self.heed_cancel:
                    progress.report(step, 0, "Drawing the daily log")
                step += 1
                if step > 3000:
                    raise AssertionError("held for 30 seconds")
            if not self.heed_cancel:
                progress = Progress()  # worked out although Cancel was pressed
            return self._real(profile, request, progress)
        finally:
            self.ended += 1


class CountingExport:
    """Wraps ``assemble.export_packet`` (Export without a preview) and counts its calls."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._real = assemble.export_packet
        self.calls = 0
        monkeypatch.setattr(assemble, "export_packet", self)

    def __call__(self, *args: Any, **kwargs: Any) -> PacketResult:
        self.calls += 1
        return self._real(*args, **kwargs)
