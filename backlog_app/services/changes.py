"""Change announcements: a service that changes data says what changed; views refresh only that."""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum

log = logging.getLogger("backlog.services")


class Change(StrEnum):
    """What kind of record changed."""

    PATIENT = "patient"
    PLANS = "plans"
    PROVIDERS = "providers"
    CHECK_INS = "check_ins"
    MEDICATIONS = "medications"
    TREATMENTS = "treatments"
    COURSES = "courses"
    ODI_SCORES = "odi_scores"
    VISIT_LIMITS = "visit_limits"
    DOCUMENTS = "documents"
    CASES = "cases"  # cases, their events and deadline overrides
    CALLS = "calls"
    NETWORK = "network"  # network checks and care teams
    COSTS = "costs"


ALL_CHANGES: frozenset[Change] = frozenset(Change)

Listener = Callable[[frozenset[Change]], None]


class ChangeBus:
    """Qt-free publish/subscribe; the UI bridges it to a Qt signal on the GUI thread."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def announce(self, changes: frozenset[Change] | Change) -> None:
        """Tell every listener; called after the transaction that made the change committed."""
        changed = frozenset([changes]) if isinstance(changes, Change) else changes
        for listener in list(self._listeners):
            listener(changed)
