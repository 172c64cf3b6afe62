"""CostService: cost entries, their totals per plan year, spending, flags and dispute windows."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from backlog_app.domain.cases import (
    CaseData,
    CaseEventData,
    EventType,
    Procedure,
    ServiceType,
)
from backlog_app.domain.cost_flags import GFE_DISPUTE_DAYS, CostFlagKind
from backlog_app.domain.costs import CostCategory, CostData, CostKind, CostStatus
from backlog_app.domain.network import NetworkStatus, VerificationData, VerificationMethod
from backlog_app.domain.network_rules import CareRole, CareTeamData
from backlog_app.domain.records import PlanData, PlanType, ProviderData, ProviderRole
from backlog_app.errors import UserError, ValidationError
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession
from backlog_app.services.costs import CostFilter
from backlog_app.services.due import everything_due

TODAY = dt.date(2026, 11, 27)  # the clock of the conftest profiles
YEAR_2026 = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


@pytest.fixture
def plan_id(profile: ProfileSession) -> int:
    return profile.plans.add(
        PlanData(
            "Buckeye Mutual Health",
            PlanType.EMPLOYER_PPO,
            "Choice PPO",
            plan_year_start=dt.date(2026, 1, 1),
            deductible_cents=150_000,
            out_of_pocket_max_cents=600_000,
            coverage_start=dt.date(2024, 1, 1),
        )
    )


@pytest.fixture
def provider_id(profile: ProfileSession) -> int:
    return profile.providers.add(ProviderData("Columbus Open MRI", ProviderRole.RADIOLOGY))


def bill(provider_id: int | None = None, offset: int = -30, **fields: Any) -> CostData:
    values: dict[str, Any] = {
        "kind": CostKind.BILL,
        "provider_id": provider_id,
        "service_date": day(offset),
        "bill_date": day(offset + 10),
        "billed_cents": 100_000,
        "patient_cents": 40_000,
        "category": CostCategory.IMAGING,
    }
    values.update(fields)
    return CostData(**values)


def eob(provider_id: int, offset: int = -30, **fields: Any) -> CostData:
    values: dict[str, Any] = {
        "billed_cents": 100_000,
        "allowed_cents": 60_000,
        "plan_paid_cents": 48_000,
        "patient_cents": 12_000,
    }
    values.update(fields)
    return dataclasses.replace(bill(provider_id, offset, **values), kind=CostKind.EOB_LINE)


def heard_changes(profile: ProfileSession) -> list[frozenset[Change]]:
    heard: list[frozenset[Change]] = []
    profile.changes.subscribe(heard.append)
    return heard


# --- add, update, delete, restore -----------------------------------------------------------------


def test_add_update_delete_and_restore(profile: ProfileSession, provider_id: int) -> None:
    heard = heard_changes(profile)
    costs = profile.costs
    cost_id = costs.add(bill(provider_id, description="  MRI  "))
    assert costs.count() == 1
    assert costs.cost(cost_id).data.description == "MRI"  # trimmed like any text
    costs.update(cost_id, bill(provider_id, status=CostStatus.PAID))
    assert costs.get(cost_id).data.status is CostStatus.PAID
    stored = costs.delete(cost_id)
    assert costs.count() == 0
    costs.restore(stored)
    assert costs.get(cost_id) == stored  # Undo: the same id, data and timestamps
    assert heard == [frozenset({Change.COSTS})] * 4
    with pytest.raises(UserError, match="no longer exists"):
        costs.update(999, bill(provider_id))
    with pytest.raises(UserError, match="no longer exists"):
        costs.delete(999)


def test_restoring_an_entry_whose_provider_was_deleted_keeps_the_entry(
    profile: ProfileSession, provider_id: int, plan_id: int
) -> None:
    case_id = profile.cases.add(CaseData(Procedure.LUMBAR_MRI))
    cost_id = profile.costs.add(bill(provider_id, case_id=case_id, plan_id=plan_id))
    stored = profile.costs.delete(cost_id)
    profile.providers.delete(provider_id)
    profile.cases.delete(case_id)
    profile.costs.restore(stored)
    data = profile.costs.cost(cost_id).data
    assert (data.provider_id, data.case_id, data.plan_id) == (None, None, plan_id)
    assert data.billed_cents == 100_000


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (bill(billed_cents=-5_000), "The billed amount is negative"),
        (eob(1, allowed_cents=120_000), "allowed amount is more than the billed amount"),
        (eob(1, plan_paid_cents=50_000), "add up to more than the allowed amount"),
        (bill(offset=3), "is in the future"),
        (bill(bill_date=day(-40)), "bill date is before the date of service"),
        (bill(billed_cents=None), "A bill needs the amount billed"),
        (bill(eob_denied=True), "Only an EOB line can be marked as denied"),
        (CostData(CostKind.GOOD_FAITH_ESTIMATE), "An estimate needs its estimated total"),
    ],
)
def test_bad_entries_are_refused_with_nothing_written(
    profile: ProfileSession, provider_id: int, data: CostData, message: str
) -> None:
    heard = heard_changes(profile)
    with pytest.raises(ValidationError) as caught:
        profile.costs.add(dataclasses.replace(data, provider_id=provider_id))
    assert any(message in problem for problem in caught.value.problems), caught.value.problems
    assert profile.costs.count() == 0 and heard == []


def test_an_adjustment_may_be_negative(profile: ProfileSession, provider_id: int) -> None:
    credit = bill(provider_id, billed_cents=-5_000, patient_cents=-5_000, is_adjustment=True)
    cost_id = profile.costs.add(credit)
    assert profile.costs.cost(cost_id).data.billed_cents == -5_000
    original = profile.costs.add(bill(provider_id))
    with pytest.raises(ValidationError, match="negative"):
        profile.costs.update(original, dataclasses.replace(credit, is_adjustment=False))
    assert profile.costs.cost(original).data.billed_cents == 100_000


@pytest.mark.parametrize(
    ("field", "noun"), [("provider_id", "provider"), ("case_id", "case"), ("plan_id", "plan")]
)
def test_an_entry_must_point_at_existing_records(
    profile: ProfileSession, provider_id: int, field: str, noun: str
) -> None:
    heard = heard_changes(profile)
    values: dict[str, Any] = {field: 999}
    dangling = dataclasses.replace(bill(provider_id), **values)
    with pytest.raises(UserError, match=f"That {noun} no longer exists"):
        profile.costs.add(dangling)
    cost_id = profile.costs.add(bill(provider_id))
    heard.clear()
    with pytest.raises(UserError, match=f"That {noun} no longer exists"):
        profile.costs.update(cost_id, dangling)
    assert profile.costs.cost(cost_id).data == bill(provider_id)
    assert profile.costs.count() == 1 and heard == []


# --- listing --------------------------------------------------------------------------------------


def test_costs_are_listed_newest_first_and_filtered(
    profile: ProfileSession, provider_id: int, plan_id: int
) -> None:
    other = profile.providers.add(ProviderData("Dr. Okafor", ProviderRole.SPINE_SURGEON))
    case_id = profile.cases.add(CaseData(Procedure.LUMBAR_MRI))
    last_year = profile.costs.add(bill(provider_id, -400))
    recent = profile.costs.add(bill(other, -10, case_id=case_id))
    same_day_later = profile.costs.add(bill(provider_id, -10))
    contribution = profile.costs.add(
        CostData(CostKind.HSA_CONTRIBUTION, service_date=day(-200), billed_cents=50_000)
    )
    estimate = profile.costs.add(CostData(CostKind.GOOD_FAITH_ESTIMATE, billed_cents=9_000))

    def ids(where: CostFilter | None = None) -> list[int]:
        return [cost.id for cost in profile.costs.costs(where)]

    # Newest first by date of service; on one day the later entry first; undated last.
    assert ids() == [same_day_later, recent, contribution, last_year, estimate]
    assert ids(CostFilter(provider_id=provider_id)) == [same_day_later, last_year]
    assert ids(CostFilter(case_id=case_id)) == [recent]
    assert ids(CostFilter(plan_year=YEAR_2026)) == [same_day_later, recent, contribution]
    overview = profile.costs.overview(CostFilter(plan_year=YEAR_2026, provider_id=other))
    assert [cost.id for cost in overview.costs] == [recent]
    assert overview.case_titles == {case_id: "Lumbar MRI"}
    assert overview.provider_names[other] == "Dr. Okafor"


def test_flagged_only_lists_the_bills_and_what_raised_their_flags(
    profile: ProfileSession, provider_id: int
) -> None:
    denied_line = profile.costs.add(eob(provider_id, eob_denied=True, plan_paid_cents=0))
    denied_bill = profile.costs.add(bill(provider_id))
    profile.costs.add(bill(provider_id, -60))  # nothing wrong with it
    flagged = CostFilter(flagged_only=True)
    assert [c.id for c in profile.costs.overview(flagged).costs] == [denied_bill, denied_line]
    assert [c.id for c in profile.costs.costs(flagged)] == [denied_bill, denied_line]


# --- totals and spending --------------------------------------------------------------------------


def test_overview_totals_spending_and_flags(
    profile: ProfileSession, provider_id: int, plan_id: int
) -> None:
    supplemental = profile.plans.add(PlanData("Guardian", PlanType.HOSPITAL_INDEMNITY, priority=2))
    costs = profile.costs
    costs.add(bill(provider_id, plan_id=plan_id))  # its EOB line below wins over it
    costs.add(eob(provider_id, plan_id=plan_id))
    costs.add(bill(None, -100, patient_cents=9_000, category=CostCategory.MEDICATION))
    costs.add(bill(provider_id, -400, patient_cents=20_000))  # the previous plan year
    costs.add(CostData(CostKind.HSA_CONTRIBUTION, service_date=day(-300), billed_cents=100_000))
    costs.add(CostData(CostKind.HSA_PAYMENT, service_date=day(-20), billed_cents=12_000))
    costs.add(
        CostData(
            CostKind.SUPPLEMENTAL_CLAIM,
            plan_id=supplemental,
            service_date=day(-30),
            expected_cents=20_000,
            received_cents=5_000,
        )
    )
    costs.add(CostData(CostKind.GOOD_FAITH_ESTIMATE, provider_id=provider_id, billed_cents=500_000))

    overview = costs.overview()
    assert overview.plan_id == plan_id
    assert overview.plan_label == "Buckeye Mutual Health — Choice PPO"
    current, previous = overview.totals
    assert (current.start, current.end) == YEAR_2026
    assert current.billed_cents == 200_000  # the EOB line and the medication bill
    assert current.allowed_cents == 60_000 and current.plan_paid_cents == 48_000
    assert current.patient_cents == 21_000
    assert current.deductible is not None and current.deductible.used_cents == 21_000
    assert current.out_of_pocket is not None and current.out_of_pocket.limit_cents == 600_000
    assert (current.hsa_contributions_cents, current.hsa_payments_cents) == (100_000, 12_000)
    assert current.supplemental_outstanding_cents == 15_000
    assert previous.start == dt.date(2025, 1, 1) and previous.patient_cents == 20_000
    assert overview.spending == {CostCategory.IMAGING: 12_000, CostCategory.MEDICATION: 9_000}
    last_year = costs.overview(plan_year_of=day(-400))
    assert last_year.spending == {CostCategory.IMAGING: 20_000}
    assert overview.flags == [] and overview.flags_for(1) == []


def test_without_a_plan_in_force_totals_have_no_limits(
    profile: ProfileSession, provider_id: int
) -> None:
    profile.plans.add(PlanData("Old", PlanType.EMPLOYER_PPO, coverage_end=day(-500)))
    profile.costs.add(bill(provider_id))
    overview = profile.costs.overview()
    assert overview.plan_id is None and overview.plan_label == "No plan in force"
    (totals,) = overview.totals
    assert totals.patient_cents == 40_000
    assert totals.deductible is None and totals.out_of_pocket is None


# --- flags and due items --------------------------------------------------------------------------


def test_a_bill_over_its_estimate_gets_a_dispute_window(
    profile: ProfileSession, provider_id: int, plan_id: int
) -> None:
    case_id = profile.cases.add(
        CaseData(Procedure.LUMBAR_MRI, "without contrast", service_type=ServiceType.POST_SERVICE)
    )
    estimate = profile.costs.add(
        CostData(
            CostKind.GOOD_FAITH_ESTIMATE,
            provider_id=provider_id,
            case_id=case_id,
            bill_date=day(-60),
            billed_cents=50_000,
        )
    )
    over = profile.costs.add(bill(provider_id, -40, case_id=case_id, billed_cents=90_000))
    profile.costs.add(bill(provider_id, -35, billed_cents=89_999))  # $399.99 over: no flag
    (flag,) = profile.costs.flags()
    assert flag.kind is CostFlagKind.OVER_GOOD_FAITH_ESTIMATE
    assert flag.cost_ids == (over, estimate)
    assert flag.due is not None
    assert flag.due.due == day(-30) + dt.timedelta(days=GFE_DISPUTE_DAYS)
    assert flag.due.case_title == "Lumbar MRI — without contrast"
    assert flag.due.cost_id == over
    assert profile.costs.due_items() == [flag.due]
    assert flag.due in everything_due(profile)

    # Disputing it settles the flag and its due item.
    profile.costs.update(
        over,
        bill(provider_id, -40, case_id=case_id, billed_cents=90_000, status=CostStatus.DISPUTED),
    )
    assert profile.costs.flags() == [] and profile.costs.due_items() == []


def test_due_items_come_soonest_first(profile: ProfileSession, provider_id: int) -> None:
    for offset in (-20, -90):
        profile.costs.add(
            CostData(
                CostKind.GOOD_FAITH_ESTIMATE,
                provider_id=provider_id,
                bill_date=day(offset - 5),
                billed_cents=10_000,
            )
        )
        profile.costs.add(bill(provider_id, offset, billed_cents=60_000))
    dues = [item.due for item in profile.costs.due_items()]
    assert dues == sorted(dues) and len(dues) == 2


def pre_service_case(profile: ProfileSession, **fields: Any) -> int:
    return profile.cases.add(CaseData(Procedure.LUMBAR_MRI, **fields))


def test_no_authorization_only_for_pre_service_cases_without_approval(
    profile: ProfileSession, provider_id: int
) -> None:
    waiting = pre_service_case(profile)
    numbered = pre_service_case(profile, authorization_number="PA-1")
    approved = pre_service_case(profile)
    profile.cases.add_event(CaseEventData(approved, EventType.APPROVED, day(-50)))
    claim = profile.cases.add(CaseData(Procedure.LUMBAR_MRI, service_type=ServiceType.POST_SERVICE))
    bills = {
        case_id: profile.costs.add(bill(provider_id, case_id=case_id))
        for case_id in (waiting, numbered, approved, claim)
    }
    profile.costs.add(bill(provider_id))  # no case at all
    flagged = {
        flag.cost_ids[0]
        for flag in profile.costs.flags()
        if flag.kind is CostFlagKind.NO_AUTHORIZATION
    }
    assert flagged == {bills[waiting]}


def test_an_out_of_network_bill_the_law_protects_is_flagged(
    profile: ProfileSession, plan_id: int
) -> None:
    anesthesia = profile.providers.add(ProviderData("Capital", ProviderRole.ANESTHESIOLOGY))
    center = profile.providers.add(ProviderData("Northside", ProviderRole.SURGERY_CENTER))
    case_id = profile.cases.add(
        CaseData(Procedure.MICRODISCECTOMY, plan_id=plan_id, facility_id=center)
    )
    member = next(
        m for m in profile.network.team(case_id) if m.data.role is CareRole.ANESTHESIOLOGIST
    )
    profile.network.update_member(
        member.id, CareTeamData(case_id, CareRole.ANESTHESIOLOGIST, anesthesia)
    )
    anesthesia_bill = profile.costs.add(bill(anesthesia, category=CostCategory.ANESTHESIA))
    assert profile.costs.flags() == []  # nobody checked yet: the law's protection is unknown
    for provider, status in (
        (center, NetworkStatus.IN_NETWORK),
        (anesthesia, NetworkStatus.OUT_OF_NETWORK),
    ):
        profile.network.add_verification(
            VerificationData(provider, plan_id, status, VerificationMethod.CALL, day(-2))
        )
    (flag,) = profile.costs.flags()
    assert flag.kind is CostFlagKind.PROTECTED_OUT_OF_NETWORK
    assert flag.cost_ids == (anesthesia_bill,) and flag.due is None


def test_costs_changes_are_announced_only_after_writes(
    profile: ProfileSession, provider_id: int
) -> None:
    heard = heard_changes(profile)
    profile.costs.overview()
    profile.costs.flags()
    profile.costs.due_items()
    assert heard == []
    cost_id = profile.costs.add(bill(provider_id))
    with pytest.raises(ValidationError):
        profile.costs.update(cost_id, bill(provider_id, billed_cents=-1))
    with pytest.raises(UserError):
        profile.costs.add(bill(999))
    assert heard == [frozenset({Change.COSTS})]
