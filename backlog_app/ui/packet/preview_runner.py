"""Works out the packet's contents in the background whenever the choices change.

Each change waits a moment (typing a date fires several), then runs ``prepare_packet`` on its own
worker thread with no progress dialog: the contents box shows its progress and a Cancel button.
A newer request cancels the one running; a result that arrives for an older request is closed
and dropped. The latest ``PreparedPacket`` is kept so that Export and Print can write it without
working it out again; it is closed when it is replaced (unless a write still uses it) and when
the dialog closes. Closing a prepared packet deletes a temporary folder of scans, so it is done
on a background thread too (``in_background``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from backlog_app.errors import UserError
from backlog_app.services.packet.request import PacketRequest
from backlog_app.services.progress import Progress
from backlog_app.ui.jobs import JobHandle, JobRunner
from backlog_app.ui.packet.lingering import outlive

if TYPE_CHECKING:
    from backlog_app.services.context import ProfileSession
    from backlog_app.services.packet.prepared import PreparedPacket

log = logging.getLogger("backlog.ui.packet")

DELAY_MS = 350
_POLL_MS = 100

STOPPED = "Stopped. You can still export or print; the contents are worked out then."


@dataclass(frozen=True, slots=True)
class Previewed:
    """One worked-out preview: the packet laid out, ready to write."""

    prepared: PreparedPacket


def _prepare(profile: ProfileSession, request: PacketRequest, progress: Progress) -> Previewed:
    from backlog_app.services.packet.assemble import prepare_packet

    return Previewed(prepare_packet(profile, request, progress))


class Chores(QObject):
    """A one-thread pool for small clean-ups (deleting temporary folders) off the GUI thread."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._lock = threading.Lock()
        self._pending = 0

    def run(self, chore: Callable[[], None]) -> None:
        with self._lock:
            self._pending += 1

        def work() -> None:
            try:
                chore()
            except Exception:  # a clean-up that fails leaves a temporary file; nothing to show
                log.exception("a packet clean-up failed")
            finally:
                with self._lock:
                    self._pending -= 1

        self._pool.start(work)

    def is_busy(self) -> bool:
        with self._lock:
            return self._pending > 0


class PreviewRunner(QObject):
    """Runs previews for one dialog. Signals arrive on the GUI thread.

    Args:
        profile: the open profile.
        parent: the dialog.
        prepare: the work (tests may slow it down); defaults to ``prepare_packet``.
    """

    working = Signal(str, int, int)  # label, done, total
    ready = Signal(object)  # a Previewed
    stopped = Signal(str)  # why there is no preview ("Stopped…" or a plain problem)
    paused = Signal()  # stopped quietly: the dialog says why, if anything
    failed = Signal(object)  # an unexpected exception (already logged)

    def __init__(
        self,
        profile: ProfileSession,
        parent: QObject,
        prepare: Callable[[ProfileSession, PacketRequest, Progress], Previewed] = _prepare,
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._prepare = prepare
        self._runner = JobRunner(None, self._never, self._never)
        self._runner.setParent(self)  # goes where this goes when the dialog closes
        self._chores = Chores(self)
        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.setInterval(DELAY_MS)
        self._delay.timeout.connect(self._start)
        self._poll = QTimer(self)
        self._poll.setInterval(_POLL_MS)
        self._poll.timeout.connect(self._report)
        self._wanted: PacketRequest | None = None
        self._handle: JobHandle | None = None
        self._running_for: PacketRequest | None = None
        self._latest: Previewed | None = None
        self._in_use: list[Previewed] = []
        self._closed = False

    # Asking ------------------------------------------------------------------------------------

    def request(self, request: PacketRequest, *, at_once: bool = False) -> None:
        """Work out ``request``'s contents (after a short pause unless ``at_once``)."""
        self._wanted = request
        latest = self.current(request)
        if latest is not None:  # back to choices already worked out: nothing to do
            self._delay.stop()
            self._cancel_running()
            self.ready.emit(latest)
            return
        if self._running_for == request:
            return
        self._cancel_running()
        self.working.emit("Working out the contents…", 0, 0)
        if at_once:
            self._delay.stop()
            self._start()
        else:
            self._delay.start()

    def cancel(self) -> None:
        """The user pressed Cancel in the contents box."""
        self.pause()
        self.stopped.emit(STOPPED)

    def pause(self) -> None:
        """Stop working out the contents without a word (the choices are changing, or Export
        works the packet out itself); the next ``request`` starts again."""
        self._delay.stop()
        self._cancel_running()
        self._wanted = None
        self.paused.emit()

    def current(self, request: PacketRequest) -> Previewed | None:
        """The preview of ``request`` if it is ready, to write without working it out again."""
        latest = self._latest
        return latest if latest is not None and latest.prepared.request == request else None

    def running(self, request: PacketRequest) -> JobHandle | None:
        """The job working out ``request``'s contents (started now if it was waiting for the
        pause after a change), or None when no job is on it."""
        if self._wanted == request and self._delay.isActive():
            self._delay.stop()
            self._start()
        return self._handle if self._running_for == request else None

    def is_busy(self) -> bool:
        return self._running_for is not None or self._delay.isActive()

    def in_background(self, chore: Callable[[], None]) -> None:
        """Run a small clean-up (deleting a temporary folder) off the GUI thread."""
        self._chores.run(chore)

    # Writes use a preview ----------------------------------------------------------------------

    def hold(self, previewed: Previewed) -> None:
        """Keep ``previewed`` open while a write uses it."""
        self._in_use.append(previewed)

    def release(self, previewed: Previewed) -> None:
        self._in_use.remove(previewed)
        if previewed is not self._latest or self._closed:
            self._close(previewed)

    def close(self) -> None:
        """The dialog closes: stop at once, without waiting for the worker. This object then
        lives on under the application until the worker has ended and every temporary file is
        removed (a result that arrives meanwhile is closed)."""
        self._closed = True
        self._delay.stop()
        self._cancel_running()
        if self._latest is not None:
            self._close(self._latest)
            self._latest = None
        outlive(self, self._working)

    # Internals ---------------------------------------------------------------------------------

    def _working(self) -> bool:
        return self._runner.is_busy() or self._chores.is_busy()

    def _start(self) -> None:
        request = self._wanted
        if (
            request is None
            or self._closed
            or self.current(request) is not None
            or self._running_for == request
        ):
            return
        self._running_for = request
        profile, prepare = self._profile, self._prepare
        handle: JobHandle | None = None

        def job(progress: Progress) -> Previewed:
            return prepare(profile, request, progress)

        def mine() -> bool:
            return handle is not None and handle is self._handle

        def succeeded(previewed: Previewed) -> None:
            if not mine() or self._closed:
                self._close(previewed)
                return
            self._finish()
            if self._latest is not None:
                self._close(self._latest)
            self._latest = previewed
            self.ready.emit(previewed)

        def cancelled() -> None:
            if mine():
                self._finish()

        def failed(exc: BaseException) -> None:
            if not mine():
                return
            self._finish()
            if isinstance(exc, UserError):
                self.stopped.emit(exc.message)
            else:
                log.error("working out the packet's contents failed", exc_info=exc)
                self.failed.emit(exc)

        handle = self._runner.run(
            "Working out the contents…",
            job,
            succeeded,
            on_cancelled=cancelled,
            raise_errors=failed,
            show_progress=False,
        )
        self._handle = handle
        self._poll.start()

    def _finish(self) -> None:
        self._handle = None
        self._running_for = None
        self._poll.stop()

    def _cancel_running(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self._finish()

    def _report(self) -> None:
        if self._handle is None:
            return
        done, total, label = self._handle.progress.snapshot()
        self.working.emit(f"{label}…" if label else "Working out the contents…", done, total)

    def _close(self, previewed: Previewed) -> None:
        if any(held is previewed for held in self._in_use):
            return
        self.in_background(previewed.prepared.close)

    @staticmethod
    def _never(error: BaseException) -> None:  # every failure goes to ``raise_errors``
        log.error("preview failure outside its handler", exc_info=error)
