"""The demo's network checks, care teams and costs tell the story of issue #6.

The anesthesia group was never checked and is out of network; an MRI at a center the plan never
approved left a $650 bill its EOB denied; a bill went $450 over its Good Faith Estimate and can
still be disputed; the surgery's checklist shows green, amber and red.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from backlog_app.domain.cases import Procedure
from backlog_app.domain.cost_flags import GFE_DISPUTE_DAYS, CostFlagKind
from backlog_app.domain.costs import CostKind
from backlog_app.domain.documents import DocumentKind, LinkTarget
from backlog_app.domain.log_records import TreatmentKind
from backlog_app.domain.network import NetworkStatus, VerificationMethod
from backlog_app.domain.network_checklist import ChecklistState
from backlog_app.domain.network_rules import CareRole, Protection
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.services.costs import CostFilter
from backlog_app.services.demo import create_demo
from backlog_app.services.demo_network import ANESTHESIA, LAB, WESTGATE
from backlog_app.services.due import everything_due
from backlog_app.services.network import CareTeamChecklist


def surgery_checklist(profile: ProfileSession) -> CareTeamChecklist:
    cases = {row.data.procedure: row.id for row in profile.cases.list()}
    return profile.network.checklist(cases[Procedure.MICRODISCECTOMY])


def provider_id(profile: ProfileSession, name: str) -> int:
    return next(p.id for p in profile.providers.list() if p.data.name == name)


def test_the_surgery_checklist_shows_all_three_states(demo_profile: ProfileSession) -> None:
    checklist = surgery_checklist(demo_profile)
    rows = {row.member.data.role: row for row in checklist.rows}
    assert all(checklist.count(state) for state in ChecklistState)
    for role in (CareRole.SURGEON, CareRole.ASSISTANT_SURGEON, CareRole.FACILITY):
        assert rows[role].row.state is ChecklistState.VERIFIED_IN_NETWORK, role
        verification = rows[role].row.verification
        assert verification is not None
        assert verification.reference_number  # a call with a reference number
    pathology = rows[CareRole.PATHOLOGY]
    assert pathology.provider_name == LAB
    assert pathology.row.status is NetworkStatus.IN_NETWORK
    assert pathology.row.state is ChecklistState.NEEDS_CHECK  # in network, but checked too long ago
    assert not pathology.row.freshness.is_current
    follow_up = rows[CareRole.FOLLOW_UP_IMAGING]
    assert (follow_up.provider_name, follow_up.row.state) == (
        WESTGATE,
        ChecklistState.OUT_OF_NETWORK,
    )
    assert follow_up.row.protection is Protection.NONE
    titles = {item.title for item in checklist.due}
    assert "Check that the pathology lab is in network" in titles
    assert "Find an in-network follow-up imaging center, or get the price in writing" in titles
    assert checklist.scheduled_date is not None
    assert all(item.due < checklist.scheduled_date for item in checklist.due)


def test_the_anesthesiologist_was_never_checked_and_is_out_of_network(
    demo_profile: ProfileSession,
) -> None:
    rows = {row.member.data.role: row for row in surgery_checklist(demo_profile).rows}
    anesthesia = rows[CareRole.ANESTHESIOLOGIST]
    assert anesthesia.provider_name == ANESTHESIA
    assert anesthesia.row.state is ChecklistState.OUT_OF_NETWORK
    # Anesthesia at an in-network surgery center: no balance bill, so no due item for it.
    assert anesthesia.row.protection is Protection.NO_BALANCE_BILLING

    group = provider_id(demo_profile, ANESTHESIA)
    plan = demo_profile.network.provider_network(group)[0]  # the main plan in force
    assert plan.plan_label == "Buckeye Mutual Health — Choice PPO 1500"
    checks = sorted(plan.history, key=lambda check: check.data.verified_on)
    injection = next(
        t.data.day
        for t in demo_profile.log.treatments.list()
        if t.data.kind is TreatmentKind.EPIDURAL_STEROID_INJECTION
    )
    assert all(check.data.verified_on > injection for check in checks)  # only after the bill
    assert checks[0].data.status is NetworkStatus.OUT_OF_NETWORK
    assert {check.data.method for check in checks} == {
        VerificationMethod.CALL,
        VerificationMethod.PROVIDER_OFFICE,  # their office said "in network"; the insurer did not
    }
    assert plan.status is NetworkStatus.OUT_OF_NETWORK
    assert group in demo_profile.network.protected_out_of_network()


def test_checks_made_on_calls_carry_the_calls_reference(demo_profile: ProfileSession) -> None:
    checks = demo_profile.network.verifications()
    on_calls = [check for check in checks if check.data.call_id is not None]
    assert len(on_calls) >= 5
    for check in on_calls:
        call = demo_profile.calls.get(check.data.call_id)  # type: ignore[arg-type]
        assert check.data.method is VerificationMethod.CALL
        assert check.data.reference_number == call.data.reference_number
        assert check.data.verified_on == call.data.called_at.date()


def test_the_denied_mri_leaves_a_650_dollar_bill(demo_profile: ProfileSession) -> None:
    westgate = provider_id(demo_profile, WESTGATE)
    entries = demo_profile.costs.costs(CostFilter(provider_id=westgate))
    (bill,) = [c for c in entries if c.data.kind is CostKind.BILL]
    (line,) = [c for c in entries if c.data.kind is CostKind.EOB_LINE]
    assert bill.data.billed_cents == bill.data.patient_cents == 65_000
    assert line.data.eob_denied and line.data.plan_paid_cents == 0
    flags = demo_profile.costs.overview().flags_for(bill.id)
    assert [flag.kind for flag in flags] == [CostFlagKind.DENIED_BY_EOB]
    assert flags[0].cost_ids == (bill.id, line.id)


def test_a_bill_over_its_estimate_can_still_be_disputed(
    demo_profile: ProfileSession, today: dt.date
) -> None:
    (flag,) = [
        f for f in demo_profile.costs.flags() if f.kind is CostFlagKind.OVER_GOOD_FAITH_ESTIMATE
    ]
    bill = demo_profile.costs.cost(flag.cost_ids[0]).data
    estimate = demo_profile.costs.cost(flag.cost_ids[1]).data
    assert estimate.kind is CostKind.GOOD_FAITH_ESTIMATE
    assert bill.billed_cents is not None and estimate.billed_cents is not None
    assert bill.billed_cents - estimate.billed_cents >= 400_00
    assert flag.due is not None and bill.bill_date is not None
    assert flag.due.due == bill.bill_date + dt.timedelta(days=GFE_DISPUTE_DAYS) > today
    assert flag.due.cost_id == flag.cost_ids[0]
    assert flag.due in everything_due(demo_profile)
    assert flag.due.title.startswith("Dispute the bill")


def test_everything_due_holds_care_team_checks_and_the_dispute(
    demo_profile: ProfileSession, today: dt.date
) -> None:
    items = everything_due(demo_profile)
    assert items == sorted(items, key=lambda item: (item.due, item.case_title, item.title))
    assert all(item.due >= today for item in items)  # nothing overdue on a fresh demo
    assert any(item.cost_id is not None for item in items)
    assert any(item.title.startswith("Check that the") for item in items)
    assert len(items) <= 12  # a short list, not a wall


def test_the_costs_fill_the_totals_and_the_chart(
    demo_profile: ProfileSession, today: dt.date
) -> None:
    overview = demo_profile.costs.overview()
    assert overview.plan_label == "Buckeye Mutual Health — Choice PPO 1500"
    current, previous = overview.totals[:2]
    assert current.start <= today <= current.end
    assert previous.end < current.start
    for totals in (current, previous):
        assert totals.billed_cents > totals.allowed_cents > totals.patient_cents > 0
        assert totals.plan_paid_cents > 0 and totals.hsa_contributions_cents > 0
    assert current.deductible is not None and current.deductible.met
    assert current.out_of_pocket is not None and not current.out_of_pocket.met
    assert 0 < current.hsa_payments_cents < current.hsa_contributions_cents
    assert 0 < current.supplemental_received_cents < current.supplemental_expected_cents
    assert len(overview.spending) >= 6
    # the $650 MRI the EOB denied is owed, but not counted towards the deductible
    assert sum(totals.denied_cents for totals in overview.totals) == 65_000
    assert all(totals.plan_id == overview.plan_id for totals in (current, previous))
    kinds = {cost.data.kind for cost in overview.costs}
    assert kinds == set(CostKind)
    assert demo_profile.costs.count() == len(overview.costs)


def test_papers_are_linked_to_their_cost_entries(demo_profile: ProfileSession) -> None:
    linked: dict[DocumentKind, set[CostKind]] = {}
    for row in demo_profile.documents.list():
        for link in row.info.links:
            if link.target is LinkTarget.COST:
                kind = demo_profile.costs.cost(link.target_id).data.kind
                linked.setdefault(row.info.data.kind, set()).add(kind)
    assert linked == {
        DocumentKind.GOOD_FAITH_ESTIMATE: {CostKind.GOOD_FAITH_ESTIMATE},
        DocumentKind.BILL: {CostKind.BILL},
        DocumentKind.EOB: {CostKind.EOB_LINE},
    }


@pytest.mark.parametrize("today", [dt.date(2026, 1, 1), dt.date(2028, 2, 29)])
def test_the_story_holds_whenever_the_demo_is_made(tmp_path: Path, today: dt.date) -> None:
    with open_profile(tmp_path / "demo", create=True, clock=lambda: today) as profile:
        create_demo(profile)
        kinds = {flag.kind for flag in profile.costs.flags()}
        # no PROTECTED_OUT_OF_NETWORK: the anesthesia balance bill names no case
        assert kinds == {CostFlagKind.OVER_GOOD_FAITH_ESTIMATE, CostFlagKind.DENIED_BY_EOB}
        states = {row.row.state for row in surgery_checklist(profile).rows}
        assert ChecklistState.OUT_OF_NETWORK in states and ChecklistState.NEEDS_CHECK in states
        assert any(item.cost_id is not None for item in everything_due(profile))
        days = [c.data.day for c in profile.costs.costs() if not c.data.kind.is_estimate]
        assert all(day is not None and day <= today for day in days)
