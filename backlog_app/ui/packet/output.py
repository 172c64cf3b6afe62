"""Export and Print for the packet window: where to save, the writing on a job runner with a
progress dialog and Cancel, the message at the end, and printing through a temporary file.

Writing uses the preview when it is ready for the same choices (``write_packet``: no database,
no work done twice), else works the packet out from the record (``export_packet``). The windows
it opens — the Save dialog, the print dialog, the finished message — are ``PacketHooks``, so
tests never open a real one. Nothing here reads the database or deletes files on the GUI thread.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from backlog_app.domain.documents import FileType
from backlog_app.errors import UserError, ValidationError
from backlog_app.logging_setup import current_log_file
from backlog_app.services.context import ProfileSession
from backlog_app.services.document_records import safe_file_name
from backlog_app.services.packet.prepared import PacketResult
from backlog_app.services.packet.request import PacketRequest
from backlog_app.services.progress import Progress
from backlog_app.ui.jobs import JobRunner
from backlog_app.ui.messages import Messages
from backlog_app.ui.packet import print_job
from backlog_app.ui.packet.finished import ExportFinished, OpenUrl, open_url
from backlog_app.ui.packet.preview_runner import Previewed, PreviewRunner

log = logging.getLogger("backlog.ui.packet")

_WAIT_POLL_S = 0.05


def save_dialog(parent: QWidget | None, suggested: Path) -> QFileDialog:
    """The system's Save dialog for a packet, starting at ``suggested``. It adds ".pdf" to a name
    typed without it before it checks whether that file exists (and asks before replacing it)."""
    dialog = QFileDialog(parent, "Save the packet", str(suggested.parent), "PDF files (*.pdf)")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setDefaultSuffix("pdf")
    dialog.selectFile(suggested.name)
    return dialog


def ask_save_path(
    parent: QWidget,
    suggested: Path,
    *,
    make_dialog: Callable[[QWidget | None, Path], SaveDialog] = save_dialog,
    confirm: Callable[[str, str, str], bool] | None = None,
) -> Path | None:
    """Where to save the packet; None when the user cancels.

    A name typed with another ending ("packet.docx") gets ".pdf" added; if a file of that name
    exists already, the user is asked before it is replaced (the Save dialog only checked the
    name as typed).
    """
    dialog = make_dialog(parent, suggested)
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    path = Path(dialog.selectedFiles()[0])
    if path.suffix.lower() == ".pdf":
        return path
    path = path.with_name(path.name + ".pdf")
    ask = confirm or Messages(parent).confirm
    if path.exists() and not ask(
        "Replace the file?",
        f"“{path.name}” already exists in {path.parent}. Replace it with the packet?",
        "Replace",
    ):
        return None
    return path


class SaveDialog(Protocol):
    """What ``ask_save_path`` uses of a QFileDialog (tests give a stand-in)."""

    def exec(self) -> int: ...

    def selectedFiles(self) -> list[str]: ...


def packet_file_name(case_title: str | None, today: dt.date) -> str:
    """ "BackLog packet - Microdiscectomy - L4-L5 left - 2026-11-27.pdf" (no database read:
    the window knows its cases' titles)."""
    what = case_title or "complete record"
    return safe_file_name(f"BackLog packet - {what} - {today.isoformat()}", FileType.PDF)


def show_finished(parent: QWidget, result: PacketResult, opener: OpenUrl) -> None:
    ExportFinished(result, parent, opener=opener).exec()


@dataclass(frozen=True, slots=True)
class PacketHooks:
    """The windows Export and Print open (tests replace them)."""

    ask_save_path: Callable[[QWidget, Path], Path | None] = ask_save_path
    ask_printer: Callable[[QWidget, QPrinter, int], bool] = print_job.ask_printer
    show_finished: Callable[[QWidget, PacketResult, OpenUrl], None] = show_finished
    open_url: OpenUrl = open_url


def start_folder() -> Path:
    """Where the Save dialog opens: the Documents folder, else the home folder."""
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


class PacketOutput(QObject):
    """Exports or prints one packet at a time for the packet window.

    Signals (on the GUI thread): ``busy`` while a write or print runs; ``exported`` after the
    finished message was closed; ``printed`` with the number of pages sent; ``gave_up`` when a
    write or print ended without either (cancelled, failed, or no printer chosen); ``problems``
    with plain sentences the window shows above its buttons.
    """

    busy = Signal(bool)
    exported = Signal(object)  # PacketResult
    printed = Signal(int)
    gave_up = Signal()
    problems = Signal(list)

    def __init__(
        self,
        profile: ProfileSession,
        previews: PreviewRunner,
        messages: Messages,
        hooks: PacketHooks,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._previews = previews
        self._messages = messages
        self._hooks = hooks
        self._parent = parent
        self.jobs = JobRunner(parent, self._user_error, self._bug)
        self._printer: QPrinter | None = None

    # Export ------------------------------------------------------------------------------------

    def export(self, request: PacketRequest, file_name: str) -> None:
        """Ask where to save (suggesting ``file_name``), then write the packet with a progress
        dialog and Cancel."""
        destination = self._hooks.ask_save_path(self._parent, start_folder() / file_name)
        if destination is None:
            return

        def written(result: PacketResult) -> None:
            self._hooks.show_finished(self._parent, result, self._hooks.open_url)
            self.exported.emit(result)

        self._write(request, destination, "Making your packet…", written)

    # Print -------------------------------------------------------------------------------------

    def print_packet(self, request: PacketRequest, title: str) -> None:
        """Make the packet in a temporary folder, ask which printer, then print its pages."""
        previewed = self._previews.current(request)
        if previewed is not None:
            title = previewed.prepared.title
        folder = Path(tempfile.mkdtemp(prefix="backlog-print-"))

        def remove() -> None:  # the packet holds health details: gone as soon as it is printed
            self._previews.in_background(lambda: shutil.rmtree(folder, ignore_errors=True))

        def written(result: PacketResult) -> None:
            printer = print_job.new_printer(title, request.page_size)
            if self._hooks.ask_printer(self._parent, printer, result.page_count):
                self._print(result, printer, remove)
            else:
                remove()
                self.gave_up.emit()

        target = folder / "packet.pdf"
        self._write(request, target, "Preparing the packet to print…", written, remove)

    def _print(self, result: PacketResult, printer: QPrinter, remove: Callable[[], None]) -> None:
        self._printer = printer  # kept alive while the worker paints on it

        def job(progress: Progress) -> int:
            return print_job.print_pdf(result.path, printer, progress)

        def finish() -> None:
            remove()
            self._printer = None
            self.busy.emit(False)

        def printed(count: int) -> None:
            finish()
            self.printed.emit(count)

        def cancelled() -> None:
            finish()
            self.gave_up.emit()

        def failed(error: BaseException) -> None:
            cancelled()
            self._report(error)

        self.busy.emit(True)
        self.jobs.run(
            "Printing the packet…", job, printed, on_cancelled=cancelled, raise_errors=failed
        )

    # Writing -----------------------------------------------------------------------------------

    def _write(
        self,
        request: PacketRequest,
        destination: Path,
        title: str,
        on_written: Callable[[PacketResult], None],
        on_stopped: Callable[[], None] | None = None,
    ) -> None:
        """Write the packet to ``destination`` on the job runner: the preview when it is ready;
        when it is still being worked out for these very choices, once it is (its progress shown
        meanwhile); else worked out from the record now."""
        self.busy.emit(True)
        previewed = self._previews.current(request)
        running = self._previews.running(request) if previewed is None else None
        if running is None:
            self._write_now(request, previewed, destination, title, on_written, on_stopped)
            return

        def wait(progress: Progress) -> None:
            while not running.done:
                done, total, label = running.progress.snapshot()
                progress.report(done, total, label)  # Cancel here stops the wait, not the preview
                time.sleep(_WAIT_POLL_S)

        def prepared(_result: None) -> None:
            current = self._previews.current(request)
            self._write_now(request, current, destination, title, on_written, on_stopped)

        def stopped() -> None:
            if on_stopped is not None:
                on_stopped()
            self.busy.emit(False)
            self.gave_up.emit()

        def failed(error: BaseException) -> None:
            stopped()
            self._report(error)

        self.jobs.run(title, wait, prepared, on_cancelled=stopped, raise_errors=failed)

    def _write_now(
        self,
        request: PacketRequest,
        previewed: Previewed | None,
        destination: Path,
        title: str,
        on_written: Callable[[PacketResult], None],
        on_stopped: Callable[[], None] | None,
    ) -> None:
        profile = self._profile
        if previewed is None:
            self._previews.pause()  # its work would be done twice
        else:
            self._previews.hold(previewed)

        def job(progress: Progress) -> PacketResult:
            from backlog_app.services.packet.assemble import export_packet, write_packet

            if previewed is not None:
                return write_packet(previewed.prepared, destination, progress)
            return export_packet(profile, request, destination, progress)

        def finish(stopped: bool) -> None:
            if previewed is not None:
                self._previews.release(previewed)
            if stopped and on_stopped is not None:
                on_stopped()
            self.busy.emit(False)
            if stopped:
                self.gave_up.emit()

        def written(result: PacketResult) -> None:
            finish(False)
            on_written(result)

        def failed(error: BaseException) -> None:
            finish(True)
            self._report(error)

        self.jobs.run(title, job, written, on_cancelled=lambda: finish(True), raise_errors=failed)

    # Errors ------------------------------------------------------------------------------------

    def _report(self, error: BaseException) -> None:
        if isinstance(error, ValidationError):
            self.problems.emit(list(error.problems))
        elif isinstance(error, UserError):
            self._user_error(error)
        else:
            self._bug(error)

    def _user_error(self, error: UserError) -> None:
        self._messages.problem("Export a packet", error.message)

    def _bug(self, error: BaseException) -> None:
        log.error("unexpected error while exporting or printing a packet", exc_info=error)
        log_file = current_log_file()
        self._messages.apology(str(log_file) if log_file else None)
