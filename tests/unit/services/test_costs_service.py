"""CostService: cost entries, their totals per plan year, spending, flags and dispute windows."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from backlog_app.domain.cases import (
    CaseData,
    CaseEventData,
    DenialReason,
    EventType,
    Outcome,
    Procedure,
    ServiceType,
)
from backlog_app.domain.cost_flags import GFE_DISPUTE_DAYS, CostFlagKind
from backlog_app.domain.costs import CostCategory, CostData, CostKind, CostStatus, Progress
from backlog_app.domain.documents import DocumentData, DocumentKind, LinkTarget
from backlog_app.domain.network import NetworkStatus, VerificationData, VerificationMethod
from backlog_app.domain.network_rules import CareRole, CareTeamData
from backlog_app.domain.records import PlanData, PlanType, ProviderData, ProviderRole
from backlog_app.errors import UserError, ValidationError
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession
from backlog_app.services.costs import CostFilter
from backlog_app.services.documents import DocumentFilter
from backlog_app.services.due import everything_due
from tests.document_files import write_pdf

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
    other_case = profile.cases.add(
        CaseData(Procedure.CT_SCAN, service_type=ServiceType.POST_SERVICE)
    )
    # another case's bill is not measured against this case's estimate
    profile.costs.add(bill(provider_id, -35, case_id=other_case, billed_cents=89_999))
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


def denial_or_not(
    case_id: int, kind: EventType, offset: int, outcome: Outcome | None
) -> CaseEventData:
    denial = kind in (EventType.DENIED, EventType.CLAIM_DENIED) or outcome is Outcome.DENIED
    reason = DenialReason.NOT_MEDICALLY_NECESSARY if denial else None
    level = 1 if kind in (EventType.APPEAL_FILED, EventType.DECISION) else None
    return CaseEventData(case_id, kind, day(offset), outcome=outcome, reason=reason, level=level)


def test_no_authorization_only_for_pre_service_cases_never_approved(
    profile: ProfileSession, provider_id: int
) -> None:
    waiting = pre_service_case(profile)
    numbered = pre_service_case(profile, authorization_number="PA-1")
    approved = pre_service_case(profile)
    profile.cases.add_event(CaseEventData(approved, EventType.APPROVED, day(-50)))
    # Approved, and then the claim: the status has moved on, the authorization stays.
    then_claimed = pre_service_case(profile)
    for kind, offset in (
        (EventType.REQUEST_SUBMITTED, -90),
        (EventType.APPROVED, -80),
        (EventType.CLAIM_SUBMITTED, -20),
    ):
        profile.cases.add_event(CaseEventData(then_claimed, kind, day(offset)))
    # Denied, then approved on appeal, then the claim was denied: it was authorized.
    overturned = pre_service_case(profile)
    for kind, offset, outcome in (
        (EventType.REQUEST_SUBMITTED, -120, None),
        (EventType.DENIED, -110, None),
        (EventType.APPEAL_FILED, -100, None),
        (EventType.DECISION, -70, Outcome.APPROVED),
        (EventType.CLAIM_SUBMITTED, -20, None),
        (EventType.CLAIM_DENIED, -5, None),
    ):
        profile.cases.add_event(denial_or_not(overturned, kind, offset, outcome))
    still_denied = pre_service_case(profile)
    for kind, offset, outcome in (
        (EventType.REQUEST_SUBMITTED, -120, None),
        (EventType.DENIED, -110, None),
        (EventType.APPEAL_FILED, -100, None),
        (EventType.DECISION, -70, Outcome.DENIED),
    ):
        profile.cases.add_event(denial_or_not(still_denied, kind, offset, outcome))
    claim = profile.cases.add(CaseData(Procedure.LUMBAR_MRI, service_type=ServiceType.POST_SERVICE))
    bills = {
        case_id: profile.costs.add(bill(provider_id, case_id=case_id))
        for case_id in (waiting, numbered, approved, then_claimed, overturned, still_denied, claim)
    }
    profile.costs.add(bill(provider_id))  # no case at all
    flagged = {
        flag.cost_ids[0]
        for flag in profile.costs.flags()
        if flag.kind is CostFlagKind.NO_AUTHORIZATION
    }
    assert flagged == {bills[waiting], bills[still_denied]}


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
    anesthesia_bill = profile.costs.add(
        bill(anesthesia, case_id=case_id, category=CostCategory.ANESTHESIA)
    )
    # The same group's bills for other care: no case, or a case it is not on the team of.
    profile.costs.add(bill(anesthesia, -60, category=CostCategory.ANESTHESIA))
    other_case = profile.cases.add(CaseData(Procedure.EPIDURAL_STEROID_INJECTION))
    profile.costs.add(bill(anesthesia, -90, case_id=other_case, category=CostCategory.ANESTHESIA))

    def protected() -> list[tuple[int, ...]]:
        return [
            flag.cost_ids
            for flag in profile.costs.flags()
            if flag.kind is CostFlagKind.PROTECTED_OUT_OF_NETWORK
        ]

    assert protected() == []  # nobody checked yet: the law's protection is unknown
    for provider, status in (
        (center, NetworkStatus.IN_NETWORK),
        (anesthesia, NetworkStatus.OUT_OF_NETWORK),
    ):
        profile.network.add_verification(
            VerificationData(provider, plan_id, status, VerificationMethod.CALL, day(-2))
        )
    assert protected() == [(anesthesia_bill,)]


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


# --- Undo when SQLite gave the id away, and document links in one transaction --------------------


def a_document(profile: ProfileSession, tmp_path: Path, name: str) -> int:
    return profile.importer.add(
        write_pdf(tmp_path / f"{name}.pdf"), DocumentData(DocumentKind.BILL, name)
    )


def linked_to(profile: ProfileSession, cost_id: int) -> list[int]:
    rows = profile.documents.list(DocumentFilter(link=(LinkTarget.COST, cost_id)))
    return sorted(row.info.id for row in rows)


def test_undo_puts_the_entry_back_under_a_new_id_when_sqlite_reused_the_old_one(
    profile: ProfileSession, provider_id: int, tmp_path: Path
) -> None:
    profile.costs.add(bill(provider_id, -60))
    newest = profile.costs.add(bill(provider_id, description="Deleted, then put back"))
    documents = [a_document(profile, tmp_path, name) for name in ("bill", "eob", "gone")]
    for document_id in documents:
        profile.documents.link(document_id, LinkTarget.COST, newest)
    stored = profile.costs.delete(newest)
    taken = profile.costs.add(bill(provider_id, -15, description="Added after the delete"))
    assert taken == newest  # SQLite gave the deleted newest entry's id to the next one
    profile.documents.trash(documents[2])
    profile.documents.delete_forever(documents[2])
    heard = heard_changes(profile)

    restored = profile.costs.restore_with_links(stored, documents)

    assert restored != taken
    assert profile.costs.get(restored).data.description == "Deleted, then put back"
    assert profile.costs.get(restored).created_at == stored.created_at
    assert profile.costs.get(taken).data.description == "Added after the delete"
    assert linked_to(profile, restored) == documents[:2]  # the deleted document stays out
    assert linked_to(profile, taken) == []
    assert heard == [frozenset({Change.COSTS, Change.DOCUMENTS})]


def test_restore_returns_the_id_it_came_back_under(
    profile: ProfileSession, provider_id: int
) -> None:
    first = profile.costs.add(bill(provider_id, -60))
    stored = profile.costs.delete(first)
    assert profile.costs.restore(stored) == first  # free: the old id
    second = profile.costs.add(bill(provider_id))
    stored = profile.costs.delete(second)
    taken = profile.costs.add(bill(provider_id, -13))
    again = profile.costs.restore(stored)
    assert again not in (first, taken) and profile.costs.count() == 3


def test_linking_documents_is_one_transaction(
    profile: ProfileSession, provider_id: int, tmp_path: Path
) -> None:
    cost_id = profile.costs.add(bill(provider_id))
    first, second = (a_document(profile, tmp_path, name) for name in ("bill", "eob"))
    heard = heard_changes(profile)
    assert profile.costs.link_documents(cost_id, [first]) == 1
    assert profile.costs.link_documents(cost_id, [first, second, second]) == 1  # first is there
    assert linked_to(profile, cost_id) == sorted([first, second])
    assert heard == [frozenset({Change.DOCUMENTS})] * 2
    other = profile.costs.add(bill(provider_id, -60))
    heard.clear()
    with pytest.raises(UserError, match="no longer exists"):
        profile.costs.link_documents(other, [first, 999])
    assert linked_to(profile, other) == [] and heard == []  # nothing half-linked
    with pytest.raises(UserError, match="no longer exists"):
        profile.costs.link_documents(999, [first])
    assert profile.costs.link_documents(other, []) == 0


# --- plan years, denied services, closed windows, one read of the checklists ---------------------


def test_each_plan_year_is_measured_against_the_plan_in_force_then(
    profile: ProfileSession, provider_id: int
) -> None:
    old = profile.plans.add(
        PlanData(
            "Old Mutual",
            PlanType.EMPLOYER_PPO,
            deductible_cents=100_000,
            coverage_start=dt.date(2023, 1, 1),
            coverage_end=dt.date(2025, 12, 31),
        )
    )
    new = profile.plans.add(
        PlanData(
            "Buckeye Mutual Health",
            PlanType.EMPLOYER_PPO,
            "Choice PPO",
            deductible_cents=150_000,
            coverage_start=dt.date(2026, 1, 1),
        )
    )
    profile.costs.add(bill(provider_id, -400, plan_id=old, patient_cents=30_000))  # 2025
    profile.costs.add(bill(provider_id, -20, plan_id=new, patient_cents=5_000))
    overview = profile.costs.overview()
    assert overview.plan_id == new and overview.plan_label == "Buckeye Mutual Health — Choice PPO"
    current, previous = overview.totals
    assert (current.plan_id, current.patient_cents) == (new, 5_000)
    assert current.deductible == Progress(5_000, 150_000)
    assert previous.start == dt.date(2025, 1, 1)
    assert (previous.plan_id, previous.patient_cents) == (old, 30_000)
    assert previous.deductible == Progress(30_000, 100_000)
    assert overview.plan_label_of(previous) == "Old Mutual"
    # the chart of 2025 counts what the totals of 2025 count
    assert profile.costs.overview(plan_year_of=day(-400)).spending == {CostCategory.IMAGING: 30_000}
    # a year without entries: zeros, with the limits of the plan in force then (none in 2020)
    empty = overview.totals_of((dt.date(2024, 1, 1), dt.date(2024, 12, 31)))
    assert (empty.plan_id, empty.patient_cents) == (old, 0)
    assert empty.deductible == Progress(0, 100_000)
    assert overview.totals_of((dt.date(2020, 1, 1), dt.date(2020, 12, 31))).deductible is None


def test_a_denied_service_is_owed_but_not_counted_towards_the_deductible(
    profile: ProfileSession, provider_id: int, plan_id: int
) -> None:
    profile.costs.add(
        eob(
            provider_id,
            eob_denied=True,
            allowed_cents=None,
            plan_paid_cents=0,
            patient_cents=65_000,
        )
    )
    profile.costs.add(bill(provider_id, patient_cents=65_000))
    profile.costs.add(eob(provider_id, -60, patient_cents=12_000))
    current = profile.costs.overview().totals[0]
    assert current.patient_cents == 77_000  # what you owe, the denied MRI included
    assert current.denied_cents == 65_000
    assert current.deductible == Progress(12_000, 150_000)
    assert current.out_of_pocket == Progress(12_000, 600_000)


def test_a_closed_dispute_window_leaves_no_due_item(
    profile: ProfileSession, provider_id: int
) -> None:
    profile.costs.add(
        CostData(
            CostKind.GOOD_FAITH_ESTIMATE,
            provider_id=provider_id,
            bill_date=day(-200),
            billed_cents=10_000,
        )
    )
    profile.costs.add(bill(provider_id, -150, billed_cents=60_000))  # billed 140 days ago
    (flag,) = profile.costs.flags()
    assert "days to dispute it ended on" in flag.message and flag.due is None
    assert profile.costs.due_items() == [] and everything_due(profile) == []


def test_everything_due_works_out_the_care_team_checklists_once(
    profile: ProfileSession, provider_id: int, plan_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile.cases.add(CaseData(Procedure.MICRODISCECTOMY, plan_id=plan_id, scheduled_date=day(20)))
    profile.costs.add(
        CostData(
            CostKind.GOOD_FAITH_ESTIMATE,
            provider_id=provider_id,
            bill_date=day(-40),
            billed_cents=10_000,
        )
    )
    profile.costs.add(bill(provider_id, -30, billed_cents=60_000))
    expected = sorted(
        profile.cases.due_items() + profile.network.due_items() + profile.costs.due_items(),
        key=lambda item: (item.due, item.case_title, item.title),
    )
    calls: list[int] = []
    checklists = profile.network.checklists

    def counted() -> Any:
        calls.append(1)
        return checklists()

    monkeypatch.setattr(profile.network, "checklists", counted)
    items = everything_due(profile)
    assert len(calls) == 1
    assert items == expected
    assert any(item.cost_id is not None for item in items)
    assert any(item.cost_id is None and item.case_id is not None for item in items)
