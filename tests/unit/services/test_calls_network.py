"""Deleting a call unlinks the network checks made on it; Undo (``restore``) links them again."""

from __future__ import annotations

import datetime as dt

import pytest

from backlog_app.domain.cases import CallData, CallDirection
from backlog_app.domain.network import NetworkStatus, VerificationData, VerificationMethod
from backlog_app.domain.records import PlanData, PlanType, ProviderData, ProviderRole
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession

CALLS = frozenset({Change.CALLS})
CALLS_AND_NETWORK = frozenset({Change.CALLS, Change.NETWORK})


@pytest.fixture
def records(profile: ProfileSession) -> tuple[int, int]:
    """A plan and a provider: (plan_id, provider_id)."""
    plan_id = profile.plans.add(PlanData("Buckeye Mutual Health", PlanType.EMPLOYER_PPO))
    provider_id = profile.providers.add(ProviderData("Central Lab", ProviderRole.PATHOLOGY))
    return plan_id, provider_id


def add_call(profile: ProfileSession, organization: str = "Buckeye", hour: int = 9) -> int:
    return profile.calls.add(
        CallData(dt.datetime(2026, 11, 24, hour, 0), CallDirection.OUTGOING, organization)
    )


def add_check(profile: ProfileSession, records: tuple[int, int], call_id: int | None) -> int:
    plan_id, provider_id = records
    return profile.network.add_verification(
        VerificationData(
            provider_id,
            plan_id,
            NetworkStatus.IN_NETWORK,
            VerificationMethod.CALL,
            dt.date(2026, 11, 24),
            reference_number="REF-7",
            call_id=call_id,
        )
    )


def linked_call(profile: ProfileSession, check_id: int) -> int | None:
    return profile.network.get_verification(check_id).data.call_id


def test_undoing_a_call_delete_links_its_checks_again(
    profile: ProfileSession, records: tuple[int, int]
) -> None:
    call_id = add_call(profile)
    first = add_check(profile, records, call_id)
    second = add_check(profile, records, call_id)
    other = add_check(profile, records, None)
    removed = profile.calls.delete(call_id)
    assert linked_call(profile, first) is None and linked_call(profile, second) is None
    assert profile.calls.restore(removed) == call_id
    assert linked_call(profile, first) == call_id
    assert linked_call(profile, second) == call_id
    assert linked_call(profile, other) is None  # never linked: left alone


def test_a_restored_call_with_a_new_id_takes_its_checks_along(
    profile: ProfileSession, records: tuple[int, int]
) -> None:
    call_id = add_call(profile)
    check_id = add_check(profile, records, call_id)
    removed = profile.calls.delete(call_id)
    newer = add_call(profile, "Clinic", hour=10)  # SQLite may give the newer call the same id
    newer_check = add_check(profile, records, newer)
    restored = profile.calls.restore(removed)
    assert profile.calls.get(restored).data.organization == "Buckeye"
    assert linked_call(profile, check_id) == restored
    assert linked_call(profile, newer_check) == newer  # the newer call keeps its own check


def test_a_check_deleted_since_is_not_brought_back(
    profile: ProfileSession, records: tuple[int, int]
) -> None:
    call_id = add_call(profile)
    kept = add_check(profile, records, call_id)
    gone = add_check(profile, records, call_id)
    removed = profile.calls.delete(call_id)
    profile.network.delete_verification(gone)
    restored = profile.calls.restore(removed)
    assert linked_call(profile, kept) == restored
    assert [check.id for check in profile.network.verifications()] == [kept]


def test_delete_and_restore_announce_network_changes_only_when_checks_were_linked(
    profile: ProfileSession, records: tuple[int, int]
) -> None:
    heard: list[frozenset[Change]] = []
    profile.changes.subscribe(heard.append)
    plain = add_call(profile, "Clinic")
    with_check = add_call(profile, hour=10)
    add_check(profile, records, with_check)
    heard.clear()

    profile.calls.restore(profile.calls.delete(plain))
    assert heard == [CALLS, CALLS]
    heard.clear()
    profile.calls.restore(profile.calls.delete(with_check))
    assert heard == [CALLS_AND_NETWORK, CALLS_AND_NETWORK]


def test_restoring_twice_the_same_deleted_call_relinks_only_once(
    profile: ProfileSession, records: tuple[int, int]
) -> None:
    call_id = add_call(profile)
    check_id = add_check(profile, records, call_id)
    removed = profile.calls.delete(call_id)
    first = profile.calls.restore(removed)
    second = profile.calls.restore(removed)  # a second Undo makes a copy; the check stays put
    assert first != second
    assert linked_call(profile, check_id) == first
