"""How long jobs report progress and notice Cancel, without knowing about Qt."""

from __future__ import annotations

import threading

from backlog_app.errors import Cancelled


class Progress:
    """Handed to a long job. The UI reads it from another thread; the CLI ignores it.

    Thread-safe enough for its use: one writer (the job), readers polling a snapshot.
    """

    def __init__(self) -> None:
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._done = 0
        self._total = 0
        self._label = ""

    def report(self, done: int, total: int, label: str = "") -> None:
        """Record how far the job is, then stop it if the user pressed Cancel."""
        with self._lock:
            self._done, self._total = done, total
            if label:
                self._label = label
        self.check_cancelled()

    def snapshot(self) -> tuple[int, int, str]:
        with self._lock:
            return self._done, self._total, self._label

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check_cancelled(self) -> None:
        """Raises Cancelled after cancel(); call it between steps, before anything is committed."""
        if self._cancel.is_set():
            raise Cancelled()
