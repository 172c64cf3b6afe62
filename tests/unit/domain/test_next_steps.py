""" "What's next" on Home: suggestions computed from what the profile holds."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TypeVar

import pytest

from backlog_app.domain.next_steps import (
    Destination,
    NextStep,
    ProfileFacts,
    Urgency,
    next_steps,
)
from backlog_app.domain.records import (
    PatientData,
    PlanData,
    PlanType,
    ProviderData,
    ProviderRole,
    Stored,
)

T = TypeVar("T")

TODAY = dt.date(2026, 11, 27)
STAMP = dt.datetime(2026, 11, 1, 9, 0, 0)

PATIENT = PatientData(
    "Maria Alvarez",
    dt.date(1974, 7, 27),
    phone="(614) 555-0142",
    address="2217 Maple Hollow Dr\nColumbus, OH 43215",
)
PLAN = PlanData(
    insurer="Buckeye Mutual Health",
    plan_type=PlanType.EMPLOYER_PPO,
    plan_name="Choice PPO 1500",
    member_id="BMH-448210937",
    prior_auth_phone="1-800-555-0125",
    appeals_address="PO Box 18220\nColumbus, OH 43218",
    plan_year_start=dt.date(2026, 7, 1),  # resets on 1 Jul: far off on TODAY
    deductible_cents=150_000,
)
PLAN_NAME = "Buckeye Mutual Health — Choice PPO 1500"
SUPPLEMENTAL = PlanData(
    insurer="Guardian Shield Supplemental",
    plan_type=PlanType.HOSPITAL_INDEMNITY,
    member_id="GSS-0092231",
    priority=2,
)
PROVIDER = ProviderData("Dr. Karen Whitfield", ProviderRole.PRIMARY_CARE, npi="1234567893")


def stored(*items: T) -> list[Stored[T]]:
    return [
        Stored(id=number, data=item, created_at=STAMP, updated_at=STAMP)
        for number, item in enumerate(items, start=1)
    ]


def steps_for(
    patient: PatientData | None = PATIENT,
    plans: tuple[PlanData, ...] = (PLAN,),
    providers: tuple[ProviderData, ...] = (PROVIDER,),
    today: dt.date = TODAY,
) -> list[NextStep]:
    return next_steps(ProfileFacts(patient, stored(*plans), stored(*providers)), today)


def titles(steps: list[NextStep]) -> list[str]:
    return [step.title for step in steps]


def test_empty_profile() -> None:
    steps = steps_for(patient=None, plans=(), providers=())
    assert [(s.title, s.urgency, s.destination) for s in steps] == [
        ("Tell BackLog who this profile is for", Urgency.NOW, Destination.PROFILE),
        ("Add your health insurance plan", Urgency.NOW, Destination.PROFILE),
        ("Add the doctors and therapists who treat you", Urgency.SOON, Destination.PROVIDERS),
    ]
    assert all(step.why for step in steps)


def test_complete_profile_needs_nothing() -> None:
    assert steps_for() == []


def test_complete_profile_with_supplemental_needs_nothing_now() -> None:
    steps = steps_for(plans=(PLAN, SUPPLEMENTAL))
    assert steps == []


def test_steps_are_sorted_most_urgent_first() -> None:
    patient = dataclasses.replace(PATIENT, phone=None)
    plan = dataclasses.replace(PLAN, member_id=None, coverage_end=TODAY + dt.timedelta(days=10))
    steps = steps_for(patient=patient, plans=(plan,), providers=())
    urgencies = [step.urgency for step in steps]
    assert urgencies == sorted(urgencies)
    assert urgencies[0] is Urgency.NOW
    assert urgencies[-1] is Urgency.WHEN_YOU_CAN


@pytest.mark.parametrize(
    ("changes", "title"),
    [
        ({"phone": None}, "Add a phone number for the patient"),
        ({"phone": ""}, "Add a phone number for the patient"),
        ({"address": None}, "Add the patient's mailing address"),
    ],
)
def test_patient_details_missing(changes: dict[str, str | None], title: str) -> None:
    steps = steps_for(patient=dataclasses.replace(PATIENT, **changes))  # type: ignore[arg-type]
    assert [(s.title, s.urgency, s.destination) for s in steps] == [
        (title, Urgency.WHEN_YOU_CAN, Destination.PROFILE)
    ]


@pytest.mark.parametrize(
    ("changes", "title", "urgency"),
    [
        ({"member_id": None}, f"Add the member ID for {PLAN_NAME}", Urgency.NOW),
        (
            {"appeals_address": None},
            f"Find the appeals address or fax for {PLAN_NAME}",
            Urgency.WHEN_YOU_CAN,
        ),
        (
            {"prior_auth_phone": None},
            f"Add the prior-authorization phone number for {PLAN_NAME}",
            Urgency.WHEN_YOU_CAN,
        ),
        (
            {"member_id": None, "plan_name": None},
            "Add the member ID for Buckeye Mutual Health",
            Urgency.NOW,
        ),
    ],
)
def test_plan_details_missing(changes: dict[str, str | None], title: str, urgency: Urgency) -> None:
    steps = steps_for(plans=(dataclasses.replace(PLAN, **changes),))  # type: ignore[arg-type]
    assert [(s.title, s.urgency) for s in steps] == [(title, urgency)]


def test_appeals_fax_is_enough() -> None:
    plan = dataclasses.replace(PLAN, appeals_address=None, appeals_fax="1-614-555-0190")
    assert steps_for(plans=(plan,)) == []


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(0, True), (1, True), (30, True), (45, True), (46, False), (400, False)],
)
def test_coverage_ending_soon(days_left: int, expected: bool) -> None:
    end = TODAY + dt.timedelta(days=days_left)
    steps = steps_for(plans=(dataclasses.replace(PLAN, coverage_end=end),))
    ending = [s for s in steps if " ends on " in s.title]
    if not expected:
        assert ending == []
        return
    assert len(ending) == 1
    assert ending[0].urgency is Urgency.SOON
    assert ending[0].title.startswith(PLAN_NAME)
    assert f"In {days_left} days." in ending[0].why


def test_coverage_ending_title_shows_the_date() -> None:
    plan = dataclasses.replace(PLAN, coverage_end=dt.date(2026, 12, 31))
    assert titles(steps_for(plans=(plan,))) == [f"{PLAN_NAME} ends on 31 Dec 2026"]


def test_coverage_that_ended_counts_as_no_plan() -> None:
    plan = dataclasses.replace(PLAN, coverage_end=TODAY - dt.timedelta(days=1))
    steps = steps_for(plans=(plan,))
    assert titles(steps) == ["Add your health insurance plan"]
    assert steps[0].urgency is Urgency.NOW


@pytest.mark.parametrize(
    ("plan_year_start", "today", "reset_on", "days"),
    [
        (dt.date(2020, 1, 1), TODAY, "1 Jan 2027", 35),
        (dt.date(2020, 1, 1), dt.date(2026, 12, 31), "1 Jan 2027", 1),
        (dt.date(2020, 1, 1), dt.date(2026, 11, 2), "1 Jan 2027", 60),
        (dt.date(2023, 7, 1), dt.date(2026, 5, 15), "1 Jul 2026", 47),
        (dt.date(2023, 7, 1), dt.date(2026, 6, 30), "1 Jul 2026", 1),
        (dt.date(2024, 2, 29), dt.date(2027, 1, 15), "28 Feb 2027", 44),
    ],
)
def test_deductible_resets_soon(
    plan_year_start: dt.date, today: dt.date, reset_on: str, days: int
) -> None:
    plan = dataclasses.replace(PLAN, plan_year_start=plan_year_start)
    steps = steps_for(plans=(plan,), today=today)
    assert titles(steps) == [f"The deductible for {PLAN_NAME} resets on {reset_on}"]
    assert steps[0].urgency is Urgency.SOON
    assert f"In {days} days." in steps[0].why


@pytest.mark.parametrize(
    ("plan_year_start", "today", "deductible"),
    [
        (dt.date(2020, 1, 1), dt.date(2026, 11, 1), 150_000),  # 61 days away
        (dt.date(2023, 7, 1), dt.date(2026, 7, 1), 150_000),  # the year just began
        (dt.date(2020, 1, 1), TODAY, 0),  # no deductible to lose
        (dt.date(2020, 1, 1), TODAY, None),
        (None, TODAY, 150_000),
    ],
)
def test_deductible_reset_not_mentioned(
    plan_year_start: dt.date | None, today: dt.date, deductible: int | None
) -> None:
    plan = dataclasses.replace(PLAN, plan_year_start=plan_year_start, deductible_cents=deductible)
    assert steps_for(plans=(plan,), today=today) == []


@pytest.mark.parametrize(
    "plan_type", [PlanType.HOSPITAL_INDEMNITY, PlanType.MEDIGAP, PlanType.OTHER_SUPPLEMENTAL]
)
def test_supplemental_only(plan_type: PlanType) -> None:
    plan = dataclasses.replace(SUPPLEMENTAL, plan_type=plan_type)
    steps = steps_for(plans=(plan,))
    # No appeal address or prior-auth reminders for a supplemental policy: the main plan decides.
    assert [(s.title, s.urgency) for s in steps] == [("Add your main health plan", Urgency.NOW)]


def test_supplemental_without_member_id() -> None:
    plan = dataclasses.replace(SUPPLEMENTAL, member_id=None)
    assert titles(steps_for(plans=(PLAN, plan))) == [
        "Add the member ID for Guardian Shield Supplemental"
    ]


@pytest.mark.parametrize(
    ("npis", "title"),
    [
        ((None,), "Add the NPI number for 1 provider"),
        ((None, None, "1234567893"), "Add the NPI number for 2 providers"),
        (("", None), "Add the NPI number for 2 providers"),
    ],
)
def test_providers_missing_npi(npis: tuple[str | None, ...], title: str) -> None:
    providers = tuple(dataclasses.replace(PROVIDER, npi=npi) for npi in npis)
    steps = steps_for(providers=providers)
    assert [(s.title, s.urgency, s.destination) for s in steps] == [
        (title, Urgency.WHEN_YOU_CAN, Destination.PROVIDERS)
    ]
