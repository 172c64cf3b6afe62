"""Background work that outlives the packet window: closing the window never waits for a worker.

A closed window cancels its work, then hands the objects that own the worker threads to
``outlive``: they move under the application and are deleted once their work has ended (a
thread pool's destructor waits for its threads, so deleting them with the window would freeze it
until a cancelled preview reached its next step). Late results are closed by their owners, or
dropped when they check the window's ``Open`` flag.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer

log = logging.getLogger("backlog.ui.packet")

_CHECK_MS = 50
_parked: set[int] = set()  # ids of the objects still waiting for their work to end


def outlive(owner: QObject, busy: Callable[[], bool]) -> None:
    """Keep ``owner`` alive under the application until ``busy()`` is False, then delete it.

    Args:
        owner: a QObject that owns worker threads (a job runner, a thread pool's parent).
        busy: whether its work is still going on; checked on the GUI thread.
    """
    owner.setParent(QCoreApplication.instance())
    if not busy():
        owner.deleteLater()
        return
    key = id(owner)
    _parked.add(key)
    timer = QTimer(owner)
    timer.setInterval(_CHECK_MS)

    def check() -> None:
        if busy():
            return
        timer.stop()
        _parked.discard(key)
        owner.deleteLater()

    timer.timeout.connect(check)
    timer.start()


def lingering() -> int:
    """How many closed windows' workers are still ending (tests wait for none)."""
    return len(_parked)


class Open:
    """True until the window closes; a result that arrives later is dropped by its receiver."""

    def __init__(self) -> None:
        self._open = True

    def __bool__(self) -> bool:
        return self._open

    def close(self) -> None:
        self._open = False
