"""Quick background reads for the Documents page: lists, thumbnails, decoded pictures.

The window's JobRunner runs one job at a time (imports, text reading) and shows a progress
dialog; a search or a thumbnail must not wait behind a ten-minute OCR run, nor pop up a dialog.
These reads write nothing to the database, so they get their own small pool. Results arrive on
the GUI thread; a result for a request that was replaced since (``key``) is dropped.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

from backlog_app.errors import UserError

log = logging.getLogger("backlog.ui.documents")

Task = Callable[[], Any]


class _Relay(QObject):
    """Carries one outcome from a worker thread to the GUI thread (queued signal)."""

    finished = Signal(int, bool, object)  # ticket, ok, result or exception


class _Runnable(QRunnable):
    def __init__(self, ticket: int, task: Task, relay: _Relay) -> None:
        super().__init__()
        self._ticket = ticket
        self._task = task
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._task()
        except BaseException as exc:  # delivered to the GUI thread, which decides
            outcome: tuple[bool, object] = (False, exc)
        else:
            outcome = (True, result)
        # RuntimeError: the page went away while we worked; nobody wants the result.
        with contextlib.suppress(RuntimeError):
            self._relay.finished.emit(self._ticket, *outcome)


class BackgroundReads(QObject):
    """A small thread pool for read-only work whose results replace each other.

    Args:
        threads: worker threads (thumbnails decode in parallel; lists are one query).
    """

    def __init__(self, parent: QObject | None = None, *, threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self._tickets = itertools.count(1)
        self._waiting: dict[
            int, tuple[str | None, Callable[[Any], None], Callable[[Any], None]]
        ] = {}
        self._latest: dict[str, int] = {}
        self._stopped = False

    def submit(
        self,
        task: Task,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        *,
        key: str | None = None,
    ) -> int:
        """Run ``task()`` in the background; call ``on_done(result)`` on the GUI thread.

        Args:
            task: the work; it must not touch widgets (QImage is fine, QPixmap is not).
            on_done: receives the result.
            on_error: receives the exception (default: UserErrors and bugs are logged).
            key: a later request with the same key replaces this one: its result is dropped.

        Returns:
            A ticket number (for tests and logging).
        """
        ticket = next(self._tickets)
        if self._stopped:
            return ticket
        if key is not None:
            self._latest[key] = ticket
        self._waiting[ticket] = (key, on_done, on_error or _log_error)
        self._pool.start(_Runnable(ticket, task, self._relay))
        return ticket

    def is_busy(self) -> bool:
        return bool(self._waiting)

    def stop(self, timeout_ms: int = 10_000) -> None:
        """Drop queued work, wait for running work, deliver nothing more."""
        self._stopped = True
        self._pool.clear()
        self._pool.waitForDone(timeout_ms)
        self._waiting.clear()

    def _finished(self, ticket: int, ok: bool, result: object) -> None:
        waiting = self._waiting.pop(ticket, None)
        if waiting is None or self._stopped:
            return
        key, on_done, on_error = waiting
        if key is not None:
            if self._latest.get(key) != ticket:
                return  # replaced by a newer request
            del self._latest[key]
        if ok:
            on_done(result)
        else:
            assert isinstance(result, BaseException)
            on_error(result)


def _log_error(exc: BaseException) -> None:
    if isinstance(exc, UserError):
        log.info("background read refused: %s", exc.__class__.__name__)
    else:
        log.error("background read failed", exc_info=exc)
