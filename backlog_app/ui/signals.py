"""Bridges the services' ChangeBus to a Qt signal, delivered on the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from backlog_app.services.changes import Change, ChangeBus


class DataChanges(QObject):
    """``changed`` carries a frozenset[Change]; views refresh only what they show."""

    changed = Signal(object)

    def __init__(self, bus: ChangeBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bus = bus
        # Emitting from a worker thread is fine: receivers in the GUI thread get a queued call.
        bus.subscribe(self._relay)

    def _relay(self, changes: frozenset[Change]) -> None:
        self.changed.emit(changes)

    def detach(self) -> None:
        self._bus.unsubscribe(self._relay)
