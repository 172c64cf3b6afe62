"""The one way the UI runs slow work: off the GUI thread, with delayed progress and Cancel.

A job is a Qt-free callable ``job(progress) -> result``. It runs on a one-thread pool, so jobs
(and the writes they make) happen one at a time. A progress dialog appears only if the job takes
longer than ``SHOW_PROGRESS_AFTER_MS``; its Cancel button asks the job to stop at its next
``progress.report()``. Success and failure are delivered on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from backlog_app.errors import Cancelled, UserError
from backlog_app.services.progress import Progress

log = logging.getLogger("backlog.ui.jobs")

SHOW_PROGRESS_AFTER_MS = 500
_POLL_MS = 100

Job = Callable[[Progress], Any]


class _Relay(QObject):
    """Carries the job's outcome from the worker thread to the GUI thread (queued signals)."""

    succeeded = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, job: Job, progress: Progress, relay: _Relay) -> None:
        super().__init__()
        self._job = job
        self._progress = progress
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._job(self._progress)
        except BaseException as exc:  # delivered to the GUI thread, which decides what to show
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(result)


class JobHandle(QObject):
    """One running job; ``finished`` fires on the GUI thread after success, failure or cancel."""

    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.progress = Progress()
        self.done = False

    def cancel(self) -> None:
        self.progress.cancel()


class JobRunner(QObject):
    """Runs jobs for one window.

    Args:
        parent_widget: parent of the progress dialog.
        on_user_error: shows a plain-language problem (UserError) to the user.
        on_bug: handles an unexpected exception (log + apology).
    """

    def __init__(
        self,
        parent_widget: QWidget | None,
        on_user_error: Callable[[UserError], None],
        on_bug: Callable[[BaseException], None],
    ) -> None:
        super().__init__(parent_widget)
        self._parent_widget = parent_widget
        self._on_user_error = on_user_error
        self._on_bug = on_bug
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._running: set[JobHandle] = set()

    def run(
        self,
        title: str,
        job: Job,
        on_success: Callable[[Any], None] | None = None,
        *,
        on_cancelled: Callable[[], None] | None = None,
        cancellable: bool = True,
        raise_errors: Callable[[BaseException], None] | None = None,
        show_progress: bool = True,
    ) -> JobHandle:
        """Start ``job`` in the background.

        Args:
            title: what the progress dialog says ("Importing your data…").
            job: the work; it must not touch widgets.
            on_success: called on the GUI thread with the job's result.
            on_cancelled: called on the GUI thread if the user cancelled.
            cancellable: show a Cancel button.
            raise_errors: receives every failure instead of the runner's own handlers.
            show_progress: False for quiet background work that shows its own progress
                (text reading in the status bar, the scan inbox): no dialog ever appears.
        """
        handle = JobHandle(self)
        relay = _Relay(handle)
        dialog = (
            _DelayedProgressDialog(title, handle, self._parent_widget, cancellable)
            if show_progress
            else None
        )

        def finish() -> None:
            handle.done = True
            if dialog is not None:
                dialog.close_for_good()
            self._running.discard(handle)
            handle.finished.emit()

        def succeeded(result: Any) -> None:
            finish()
            if on_success is not None:
                on_success(result)

        def failed(exc: BaseException) -> None:
            finish()
            if raise_errors is not None and not isinstance(exc, Cancelled):
                raise_errors(exc)
            elif isinstance(exc, Cancelled):
                log.info("job cancelled: %s", title)
                if on_cancelled is not None:
                    on_cancelled()
            elif isinstance(exc, UserError):
                self._on_user_error(exc)
            else:
                self._on_bug(exc)

        relay.succeeded.connect(succeeded, Qt.ConnectionType.QueuedConnection)
        relay.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
        self._running.add(handle)
        self._pool.start(_Runnable(job, handle.progress, relay))
        return handle

    def run_and_wait(self, title: str, job: Job) -> Any:
        """Run ``job`` in the background while the GUI keeps painting; return its result.

        For steps the app cannot continue without (opening a profile). Raises the job's exception
        on the GUI thread, ``Cancelled`` included.
        """
        outcome: dict[str, Any] = {}
        loop = QEventLoop()
        handle = self.run(
            title,
            job,
            lambda result: outcome.setdefault("result", result),
            on_cancelled=lambda: outcome.setdefault("error", Cancelled()),
            raise_errors=lambda exc: outcome.setdefault("error", exc),
        )
        handle.finished.connect(loop.quit)
        if not handle.done:
            loop.exec()
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("result")

    def is_busy(self) -> bool:
        return bool(self._running)

    def wait_for_all(self, timeout_ms: int = 30_000) -> bool:
        """Block until queued jobs end (used when closing the window)."""
        for handle in self._running:
            handle.cancel()
        return self._pool.waitForDone(timeout_ms)


class _DelayedProgressDialog:
    """A QProgressDialog created only once the job has run for SHOW_PROGRESS_AFTER_MS."""

    def __init__(
        self, title: str, handle: JobHandle, parent: QWidget | None, cancellable: bool
    ) -> None:
        self._title = title
        self._handle = handle
        self._parent = parent
        self._cancellable = cancellable
        self._dialog: QProgressDialog | None = None
        self._timer = QTimer(handle)
        self._timer.setInterval(_POLL_MS)
        self._timer.timeout.connect(self._tick)
        self._elapsed_ms = 0
        self._timer.start()

    def _tick(self) -> None:
        if self._handle.done:
            return
        self._elapsed_ms += _POLL_MS
        if self._dialog is None and self._elapsed_ms >= SHOW_PROGRESS_AFTER_MS:
            self._dialog = QProgressDialog(
                self._title, "Cancel" if self._cancellable else "", 0, 0, self._parent
            )
            self._dialog.setWindowTitle("BackLog")
            self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self._dialog.setMinimumDuration(0)
            self._dialog.setAutoClose(False)
            self._dialog.setAutoReset(False)
            if not self._cancellable:
                self._dialog.setCancelButton(None)
            self._dialog.canceled.connect(self._cancel)
            self._dialog.show()
        if self._dialog is not None:
            if self._dialog.wasCanceled() and not self._handle.progress.cancelled:
                self._cancel()  # Escape or closing the dialog counts as Cancel too
                return
            done, total, label = self._handle.progress.snapshot()
            self._dialog.setMaximum(max(total, 0))
            # A modal QProgressDialog handles events in setValue: the job may finish (and
            # close_for_good drop the dialog) right there.
            self._dialog.setValue(min(done, total) if total else 0)
            if label and self._dialog is not None:
                self._dialog.setLabelText(f"{self._title}\n{label}")

    def _cancel(self) -> None:
        self._handle.cancel()
        if self._dialog is not None:
            self._dialog.setLabelText("Cancelling… nothing will be changed.")

    def close_for_good(self) -> None:
        self._timer.stop()
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self._cancel)
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
