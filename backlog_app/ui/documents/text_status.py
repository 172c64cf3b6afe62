"""Reading documents' text in the background, shown in the status bar with Pause and Cancel.

Text extraction and OCR can take minutes, so they run on their own worker thread (not the
window's job runner, whose one thread imports and saves must not wait behind OCR) and never show
the modal progress dialog: a small status-bar widget shows "Reading documents: 3 of 12 pages" with
Pause/Resume and Cancel. Reading starts when a profile with unread documents opens and after each
import (``start_reading_text``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QProgressBar, QPushButton, QWidget

from backlog_app.errors import UserError
from backlog_app.logging_setup import current_log_file
from backlog_app.services.progress import Progress
from backlog_app.ui.jobs import JobHandle, JobRunner
from backlog_app.ui.messages import Messages

if TYPE_CHECKING:
    from backlog_app.services.context import ProfileSession
    from backlog_app.services.documents import DocumentService

log = logging.getLogger("backlog.ui.documents")

OCR_MISSING_TITLE = "Text recognition is not installed"
OCR_MISSING_TEXT = (
    "Scanned pages cannot be searched until text recognition (Tesseract) is installed:"
)
_POLL_MS = 250
# After a profile opens, reading waits a moment so the window and its pages load first.
START_DELAY_MS = 2000


class Gate(Protocol):
    """What the reader needs of a pause switch (services.document_text.PauseGate)."""

    def pause(self) -> None: ...
    def resume(self) -> None: ...
    @property
    def is_paused(self) -> bool: ...


class Reader(Protocol):
    """What the widget needs of a text reader (services.document_text.TextReader)."""

    def read_pending(self, progress: Progress | None = None, pause: Any = None) -> Any: ...


ReaderFactory = Callable[["DocumentService"], Reader]


def _real_reader(documents: DocumentService) -> Reader:
    from backlog_app.services.document_text import TextReader

    return TextReader(documents)


def _real_gate() -> Gate:
    from backlog_app.services.document_text import PauseGate

    return PauseGate()


def _install_hint() -> str:
    from backlog_app.services.document_text import OCR_INSTALL_HINT

    return OCR_INSTALL_HINT


class TextReadingStatus(QWidget):
    """The status-bar widget that drives background text reading for the open profile.

    Args:
        messages: says once when scans cannot be read because Tesseract is missing.
        show_status: a quiet note in the status bar ("Read 12 documents.").
        reader_factory: makes the reader for a profile's documents (tests pass a fake).
        gate_factory: makes the pause switch (tests pass a fake).
        start_delay_ms: how long after a profile opens reading starts by itself.
    """

    finished = Signal()

    def __init__(
        self,
        messages: Messages,
        show_status: Callable[[str], None],
        parent: QWidget | None = None,
        *,
        reader_factory: ReaderFactory = _real_reader,
        gate_factory: Callable[[], Gate] = _real_gate,
        start_delay_ms: int = START_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self._messages = messages
        self._show_status = show_status
        self._reader_factory = reader_factory
        self._gate_factory = gate_factory
        self._session: ProfileSession | None = None
        self._handle: JobHandle | None = None
        self._gate: Gate | None = None
        self._again = False
        self._told_ocr_missing = False
        self._waiting = 0  # documents waiting when this round started
        self._generation = 0
        # Its own worker thread: imports and saves on the window's runner never wait for OCR.
        self._runner = JobRunner(self, self._failed, self._failed)

        self.label = QLabel(self)
        self.label.setAccessibleName("Text reading progress")
        self.bar = QProgressBar(self)
        self.bar.setFixedWidth(120)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName("Text reading progress bar")
        self.pause_button = QPushButton("Pause", self)
        self.pause_button.setAccessibleName("Pause text reading")
        self.pause_button.setToolTip(
            "Pause reading text (for example while you work on a slow computer)."
        )
        self.pause_button.clicked.connect(self.toggle_pause)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Stop text reading")
        self.cancel_button.setToolTip("Stop for now; the rest is read next time.")
        self.cancel_button.clicked.connect(self.cancel)
        for button in (self.pause_button, self.cancel_button):
            button.setObjectName("statusButton")
            button.setStyleSheet("QPushButton#statusButton { padding: 1px 10px; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.setSpacing(8)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.pause_button)
        layout.addWidget(self.cancel_button)
        self._timer = QTimer(self)
        self._timer.setInterval(_POLL_MS)
        self._timer.timeout.connect(self._show_progress)
        self._start_timer = QTimer(self)
        self._start_timer.setSingleShot(True)
        self._start_timer.setInterval(start_delay_ms)
        self._start_timer.timeout.connect(self.start)
        self.hide()

    # Profile ---------------------------------------------------------------------------------

    def attach(self, session: ProfileSession) -> None:
        """Read whatever the profile has not read yet (documents added while BackLog was closed)."""
        self.detach()
        self._session = session
        self._start_timer.start()

    def detach(self) -> None:
        """Stop reading and wait for the worker, before the profile closes."""
        self._generation += 1  # results still on their way belong to the old profile
        self._again = False
        self._start_timer.stop()
        if self._handle is not None:
            self._handle.cancel()
        if self._gate is not None:
            self._gate.resume()
        self._runner.wait_for_all()
        self._handle = None
        self._gate = None
        self._session = None
        self._timer.stop()
        self.hide()

    # Reading ---------------------------------------------------------------------------------

    def is_running(self) -> bool:
        return self._handle is not None

    def is_paused(self) -> bool:
        return self._gate is not None and self._gate.is_paused

    def start(self) -> None:
        """Read the documents still waiting for it; when already reading, go again afterwards."""
        self._start_timer.stop()
        if self._session is None:
            return
        if self._handle is not None:
            self._again = True
            return
        documents = self._session.documents
        waiting = len(documents.pending_text())
        if not waiting:
            return
        self._waiting = waiting
        self._again = False
        reader = self._reader_factory(documents)
        gate = self._gate_factory()
        generation = self._generation

        def job(progress: Progress) -> Any:
            return reader.read_pending(progress, pause=gate)

        def done(report: Any) -> None:
            if generation == self._generation:
                self._finished(report, cancelled=False)

        def cancelled() -> None:
            if generation == self._generation:
                self._finished(None, cancelled=True)

        def failed(error: BaseException) -> None:
            if generation == self._generation:
                self._failed(error)

        self._gate = gate
        self._handle = self._runner.run(
            "Reading documents",
            job,
            done,
            on_cancelled=cancelled,
            raise_errors=failed,
            show_progress=False,
        )
        self.label.setText("Reading documents…")
        self.bar.setRange(0, 0)
        self.pause_button.setText("Pause")
        self.pause_button.setEnabled(True)
        self.cancel_button.setEnabled(True)
        self.show()
        self._timer.start()
        log.info("text reading started")

    def toggle_pause(self) -> None:
        if self._gate is None:
            return
        if self._gate.is_paused:
            self._gate.resume()
        else:
            self._gate.pause()
        self._show_progress()

    def cancel(self) -> None:
        """Stop reading; what is not read yet stays waiting for next time."""
        if self._handle is None:
            return
        self._again = False
        self._handle.cancel()
        if self._gate is not None:
            self._gate.resume()  # a paused reader must wake up to notice Cancel
        self.label.setText("Stopping…")
        self.pause_button.setEnabled(False)
        self.cancel_button.setEnabled(False)

    def _show_progress(self) -> None:
        if self._handle is None or self._handle.progress.cancelled:
            return
        done, total, detail = self._handle.progress.snapshot()
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        # The reader counts pages; when documents have one page each, that is documents.
        count = f"{done} of {total}" if total == self._waiting else f"{done} of {total} pages"
        if self.is_paused():
            self.label.setText(f"Paused: {count} read" if total else "Paused")
            self.pause_button.setText("Resume")
            self.pause_button.setAccessibleName("Resume text reading")
        else:
            self.label.setText(f"Reading documents: {count}" if total else "Reading documents…")
            self.pause_button.setText("Pause")
            self.pause_button.setAccessibleName("Pause text reading")
        self.setToolTip(detail)

    def _finished(self, report: Any, *, cancelled: bool) -> None:
        self._timer.stop()
        self._handle = None
        self._gate = None
        self.hide()
        if cancelled:
            self._show_status(
                "Text reading stopped. The rest is read the next time you add documents or "
                "open this profile."
            )
        elif report is not None:
            summary = report.summary() if hasattr(report, "summary") else ""
            if summary:
                self._show_status(summary)  # "Read 12 documents (3 pages by text recognition)."
            if getattr(report, "ocr_missing", 0) and not self._told_ocr_missing:
                self._told_ocr_missing = True
                self._messages.info(OCR_MISSING_TITLE, f"{OCR_MISSING_TEXT}\n\n{_install_hint()}")
        self.finished.emit()
        if self._again and not cancelled:
            self.start()

    # Errors ----------------------------------------------------------------------------------

    def _failed(self, error: BaseException) -> None:
        self._finished(None, cancelled=False)
        if isinstance(error, UserError):
            self._messages.problem("Reading documents", error.message)
            return
        log.error("text reading failed", exc_info=error)
        log_file = current_log_file()
        self._messages.apology(str(log_file) if log_file else None)


def start_reading_text(widget: QWidget) -> None:
    """Ask the main window holding ``widget`` to read new documents' text (after an import)."""
    top: QWidget | None = widget.window()
    while top is not None and not isinstance(top, QMainWindow):
        parent = top.parentWidget()
        top = parent.window() if parent is not None else None
    if top is None:
        return
    status = top.findChild(TextReadingStatus)
    if status is not None:
        status.start()
