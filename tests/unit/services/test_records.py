"""Plans and providers: validated add, update, delete, list and count, each announced once."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from backlog_app.domain.records import PlanData, PlanType, ProviderData, ProviderRole
from backlog_app.errors import UserError, ValidationError
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession

PLAN = PlanData(
    insurer="Buckeye Mutual Health",
    plan_type=PlanType.EMPLOYER_PPO,
    plan_name="Choice PPO 1500",
    member_id="BMH-448210937",
    plan_year_start=dt.date(2026, 1, 1),
    deductible_cents=150_000,
    out_of_pocket_max_cents=600_000,
    coverage_start=dt.date(2023, 1, 1),
)
SUPPLEMENT = PlanData("Guardian Shield", PlanType.HOSPITAL_INDEMNITY, priority=2)
PROVIDER = ProviderData(
    "Dr. Samuel Okafor", ProviderRole.SPINE_SURGEON, npi="1234567893", phone="(614) 555-0310"
)


@pytest.fixture
def announced(profile: ProfileSession) -> list[frozenset[Change]]:
    """Every announcement the profile's ChangeBus makes during the test."""
    seen: list[frozenset[Change]] = []
    profile.changes.subscribe(seen.append)
    return seen


def test_plan_add_get_list_count(
    profile: ProfileSession, announced: list[frozenset[Change]]
) -> None:
    assert profile.plans.list() == []
    assert profile.plans.count() == 0
    plan_id = profile.plans.add(PLAN)
    stored = profile.plans.get(plan_id)
    assert stored.id == plan_id
    assert stored.data == PLAN
    assert stored.data.plan_type is PlanType.EMPLOYER_PPO
    assert isinstance(stored.created_at, dt.datetime)
    assert stored.updated_at >= stored.created_at
    assert profile.plans.list() == [stored]
    assert profile.plans.count() == 1
    assert announced == [frozenset({Change.PLANS})]


def test_plans_list_by_priority_then_insurer(profile: ProfileSession) -> None:
    profile.plans.add(SUPPLEMENT)
    profile.plans.add(dataclasses.replace(PLAN, insurer="Zeta Health"))
    profile.plans.add(PLAN)
    assert [(p.data.priority, p.data.insurer) for p in profile.plans.list()] == [
        (1, "Buckeye Mutual Health"),
        (1, "Zeta Health"),
        (2, "Guardian Shield"),
    ]


def test_plan_update(profile: ProfileSession, announced: list[frozenset[Change]]) -> None:
    plan_id = profile.plans.add(PLAN)
    changed = dataclasses.replace(PLAN, member_id="NEW-1", deductible_cents=200_000)
    profile.plans.update(plan_id, changed)
    assert profile.plans.get(plan_id).data == changed
    assert profile.plans.count() == 1
    assert announced == [frozenset({Change.PLANS})] * 2


def test_plan_delete(profile: ProfileSession, announced: list[frozenset[Change]]) -> None:
    keep = profile.plans.add(PLAN)
    gone = profile.plans.add(SUPPLEMENT)
    profile.plans.delete(gone)
    assert [p.id for p in profile.plans.list()] == [keep]
    assert announced == [frozenset({Change.PLANS})] * 3
    with pytest.raises(UserError, match="That plan no longer exists"):
        profile.plans.get(gone)


@pytest.mark.parametrize("operation", ["get", "update", "delete"])
def test_missing_record_is_a_user_error(
    profile: ProfileSession, announced: list[frozenset[Change]], operation: str
) -> None:
    with pytest.raises(UserError, match="That provider no longer exists"):
        if operation == "get":
            profile.providers.get(42)
        elif operation == "update":
            profile.providers.update(42, PROVIDER)
        else:
            profile.providers.delete(42)
    assert announced == []
    assert profile.providers.count() == 0


def test_text_is_trimmed_and_blanks_become_none(profile: ProfileSession) -> None:
    plan_id = profile.plans.add(
        dataclasses.replace(PLAN, insurer="  Buckeye  ", plan_name="", notes="   ")
    )
    data = profile.plans.get(plan_id).data
    assert data.insurer == "Buckeye"
    assert data.plan_name is None
    assert data.notes is None


@pytest.mark.parametrize(
    ("plan", "expected"),
    [
        (dataclasses.replace(PLAN, insurer=""), "insurance company's name"),
        (dataclasses.replace(PLAN, deductible_cents=-1), "Deductible cannot be negative."),
        (
            dataclasses.replace(
                PLAN, coverage_start=dt.date(2026, 6, 1), coverage_end=dt.date(2026, 1, 1)
            ),
            "Coverage ends before it starts",
        ),
        (dataclasses.replace(PLAN, coverage_end=dt.date(2099, 1, 1)), "too far in the future"),
        (dataclasses.replace(PLAN, out_of_pocket_max_cents=100), "smaller than the deductible"),
    ],
)
def test_invalid_plan_writes_nothing(
    profile: ProfileSession, announced: list[frozenset[Change]], plan: PlanData, expected: str
) -> None:
    existing = profile.plans.add(PLAN)
    announced.clear()
    with pytest.raises(ValidationError) as info:
        profile.plans.add(plan)
    assert any(expected in problem for problem in info.value.problems)
    with pytest.raises(ValidationError):
        profile.plans.update(existing, plan)
    assert profile.plans.count() == 1
    assert profile.plans.get(existing).data == PLAN
    assert announced == []


def test_plan_rules_use_the_profile_clock(profile: ProfileSession) -> None:
    # The fixture's clock says 2026-11-27: three years on is the limit.
    profile.plans.add(dataclasses.replace(PLAN, coverage_end=dt.date(2029, 11, 27)))
    with pytest.raises(ValidationError):
        profile.plans.add(dataclasses.replace(PLAN, coverage_end=dt.date(2029, 11, 28)))


def test_provider_add_update_delete(
    profile: ProfileSession, announced: list[frozenset[Change]]
) -> None:
    first = profile.providers.add(PROVIDER)
    second = profile.providers.add(ProviderData("Anna Brooks, DPT", ProviderRole.PHYSICAL_THERAPY))
    assert [p.data.name for p in profile.providers.list()] == [
        "Anna Brooks, DPT",
        "Dr. Samuel Okafor",
    ]
    profile.providers.update(second, ProviderData("Zoe Brooks, DPT", ProviderRole.PHYSICAL_THERAPY))
    assert [p.id for p in profile.providers.list()] == [first, second]
    assert profile.providers.get(second).data.role is ProviderRole.PHYSICAL_THERAPY
    profile.providers.delete(first)
    assert profile.providers.count() == 1
    assert announced == [frozenset({Change.PROVIDERS})] * 4


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1234-567-893", "1234567893"),
        ("1234 567 893", "1234567893"),
        (" 1234567893 ", "1234567893"),
        ("1234567893", "1234567893"),
        ("", None),
        (None, None),
    ],
)
def test_npi_is_normalised_on_save(
    profile: ProfileSession, typed: str | None, stored: str | None
) -> None:
    provider_id = profile.providers.add(dataclasses.replace(PROVIDER, npi=typed))
    assert profile.providers.get(provider_id).data.npi == stored
    profile.providers.update(provider_id, dataclasses.replace(PROVIDER, npi="2000-0000-02"))
    assert profile.providers.get(provider_id).data.npi == "2000000002"


@pytest.mark.parametrize(
    ("provider", "expected"),
    [
        (dataclasses.replace(PROVIDER, npi="1234567890"), "last digit does not match"),
        (dataclasses.replace(PROVIDER, npi="1234-567-890"), "last digit does not match"),
        (dataclasses.replace(PROVIDER, name=" "), "provider's name"),
        (dataclasses.replace(PROVIDER, phone="555"), "needs at least 7 digits"),
    ],
)
def test_invalid_provider_writes_nothing(
    profile: ProfileSession,
    announced: list[frozenset[Change]],
    provider: ProviderData,
    expected: str,
) -> None:
    existing = profile.providers.add(PROVIDER)
    announced.clear()
    with pytest.raises(ValidationError, match=expected):
        profile.providers.add(provider)
    with pytest.raises(ValidationError, match=expected):
        profile.providers.update(existing, provider)
    assert profile.providers.count() == 1
    assert profile.providers.get(existing).data == PROVIDER
    assert announced == []


def test_results_are_detached(profile: ProfileSession) -> None:
    """Records come back as plain frozen dataclasses, usable after the session ended."""
    profile.plans.add(PLAN)
    stored = profile.plans.list()[0]
    profile.close()
    assert stored.data.display_name == "Buckeye Mutual Health — Choice PPO 1500"
    with pytest.raises(dataclasses.FrozenInstanceError):
        stored.data.insurer = "x"  # type: ignore[misc]
