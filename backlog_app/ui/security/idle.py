"""Notices when nobody has touched the keyboard or mouse for a while (the idle lock's clock).

An event filter on the whole application restarts a single-shot timer on every key, click, wheel
turn, touch or mouse move, in any BackLog window; when the timer runs out, ``idle`` fires.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.HoverMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


class IdleWatcher(QObject):
    """``start(timeout_ms)`` begins watching; ``idle`` fires after that long without input."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._timed_out)
        self._watching = False

    def start(self, timeout_ms: int) -> None:
        app = QApplication.instance()
        if app is not None and not self._watching:
            app.installEventFilter(self)
            self._watching = True
        self._timer.start(max(1, timeout_ms))

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None and self._watching:
            app.removeEventFilter(self)
        self._watching = False

    def is_watching(self) -> bool:
        return self._watching

    def timeout_ms(self) -> int:
        """How long without input counts as idle (while watching)."""
        return self._timer.interval()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._watching and event.type() in _INPUT_EVENTS:
            self._timer.start()  # restarts with the same interval
        return False  # only watching: every event goes on to its widget

    def _timed_out(self) -> None:
        if self._watching:
            self.idle.emit()
