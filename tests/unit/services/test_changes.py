"""The ChangeBus: what listeners hear, in order, and only while subscribed."""

from __future__ import annotations

from backlog_app.services.changes import ALL_CHANGES, Change, ChangeBus


def test_announce_reaches_every_listener_in_order() -> None:
    bus = ChangeBus()
    heard: list[tuple[str, frozenset[Change]]] = []
    bus.subscribe(lambda changes: heard.append(("first", changes)))
    bus.subscribe(lambda changes: heard.append(("second", changes)))
    bus.announce(frozenset({Change.PLANS, Change.PROVIDERS}))
    assert heard == [
        ("first", frozenset({Change.PLANS, Change.PROVIDERS})),
        ("second", frozenset({Change.PLANS, Change.PROVIDERS})),
    ]


def test_a_single_change_arrives_as_a_set() -> None:
    bus = ChangeBus()
    heard: list[frozenset[Change]] = []
    bus.subscribe(heard.append)
    bus.announce(Change.PATIENT)
    assert heard == [frozenset({Change.PATIENT})]


def test_unsubscribe() -> None:
    bus = ChangeBus()
    heard: list[frozenset[Change]] = []
    bus.subscribe(heard.append)
    bus.unsubscribe(heard.append)
    bus.unsubscribe(heard.append)  # twice is harmless
    bus.announce(ALL_CHANGES)
    assert heard == []


def test_a_listener_may_unsubscribe_while_being_told() -> None:
    bus = ChangeBus()
    heard: list[str] = []

    def once(_changes: frozenset[Change]) -> None:
        heard.append("once")
        bus.unsubscribe(once)

    bus.subscribe(once)
    bus.subscribe(lambda _changes: heard.append("always"))
    bus.announce(Change.PLANS)
    bus.announce(Change.PLANS)
    assert heard == ["once", "always", "always"]


def test_all_changes_covers_every_kind_of_record() -> None:
    # An import announces ALL_CHANGES; a view that forgot a kind would miss the refresh.
    assert frozenset(Change) == ALL_CHANGES
    assert {Change.PATIENT, Change.CHECK_INS, Change.MEDICATIONS} <= ALL_CHANGES
