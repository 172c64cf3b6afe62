"""What deleting a plan, a provider or a case takes with it: the counts match what the database
really does on delete (cascade or set null), and the confirmations' words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from backlog_app.domain.cases import CaseData, Procedure
from backlog_app.domain.costs import CostData, CostKind
from backlog_app.domain.network import NetworkStatus, VerificationData, VerificationMethod
from backlog_app.domain.records import PlanData, PlanType, ProviderData, ProviderRole
from backlog_app.services.context import ProfileSession
from backlog_app.services.deletion_impact import (
    CaseImpact,
    PlanImpact,
    ProviderImpact,
    case_impact,
    case_warning,
    cost_phrase,
    plan_impact,
    plan_warning,
    provider_impact,
    provider_warning,
)
from backlog_app.storage.models import CareTeamMember, VisitLimit

D = dt.date


@dataclass(frozen=True)
class Records:
    plan: int
    other_plan: int
    surgeon: int
    anesthesia: int
    case: int


def add_records(profile: ProfileSession) -> Records:
    """A plan with three checks; a surgeon with a GFE, a bill and an EOB line on a case; an
    anesthesiologist with a bill and no case. The case's care team has the surgeon."""
    plan = profile.plans.add(PlanData("Buckeye Mutual Health", PlanType.EMPLOYER_PPO))
    other_plan = profile.plans.add(PlanData("Guardian Shield", PlanType.HOSPITAL_INDEMNITY))
    surgeon = profile.providers.add(ProviderData("Dr. Samuel Okafor", ProviderRole.SPINE_SURGEON))
    anesthesia = profile.providers.add(
        ProviderData("Valley Anesthesia Group", ProviderRole.ANESTHESIOLOGY)
    )
    for provider, day in ((surgeon, D(2026, 9, 1)), (surgeon, D(2026, 10, 1)), (anesthesia, D(2026, 10, 2))):  # fmt: skip
        profile.network.add_verification(
            VerificationData(provider, plan, NetworkStatus.IN_NETWORK, VerificationMethod.CALL, day)
        )
    profile.network.add_verification(
        VerificationData(
            surgeon, other_plan, NetworkStatus.UNKNOWN, VerificationMethod.CALL, D(2026, 10, 1)
        )
    )
    case = profile.cases.add(
        CaseData(Procedure.MICRODISCECTOMY, plan_id=plan, requesting_provider_id=surgeon)
    )
    day = D(2026, 10, 12)
    for kind, plan_id in (
        (CostKind.GOOD_FAITH_ESTIMATE, None),
        (CostKind.BILL, None),
        (CostKind.EOB_LINE, plan),
    ):
        profile.costs.add(
            CostData(kind, "Surgery", surgeon, case, plan_id, day, day, billed_cents=100_000)
        )
    profile.costs.add(
        CostData(CostKind.BILL, "Anesthesia", anesthesia, None, plan, day, day, billed_cents=900)
    )
    return Records(plan, other_plan, surgeon, anesthesia, case)


def test_plan_impact_counts_its_checks_and_what_loses_it(profile: ProfileSession) -> None:
    records = add_records(profile)
    with profile.database.write() as session:
        session.add(VisitLimit(plan_id=records.plan, kind="physical_therapy", visits_per_year=20))
    impact = plan_impact(profile.database, records.plan)
    assert impact == PlanImpact(
        checks=3,
        visit_limits=1,
        costs={CostKind.EOB_LINE: 1, CostKind.BILL: 1},
        cases=1,
    )
    profile.plans.delete(records.plan)  # what the counts promised
    assert profile.network.count() == 1
    assert profile.costs.count() == 4
    assert profile.cases.get(records.case).data.plan_id is None


def test_provider_impact_counts_checks_costs_and_care_team_roles(profile: ProfileSession) -> None:
    records = add_records(profile)
    impact = provider_impact(profile.database, records.surgeon)
    assert impact == ProviderImpact(
        checks=3,
        costs={CostKind.GOOD_FAITH_ESTIMATE: 1, CostKind.BILL: 1, CostKind.EOB_LINE: 1},
        team_roles=1,
    )
    profile.providers.delete(records.surgeon)
    assert profile.network.count() == 1
    assert [c.data.provider_id for c in profile.costs.costs()].count(None) == 3
    with profile.database.read() as session:
        unassigned = session.scalar(
            select(func.count())
            .select_from(CareTeamMember)
            .where(CareTeamMember.case_id == records.case, CareTeamMember.provider_id.is_(None))
        )
    assert unassigned == len(profile.network.team(records.case))


def test_case_impact_counts_its_care_team_and_its_costs(profile: ProfileSession) -> None:
    records = add_records(profile)
    team = len(profile.network.team(records.case))
    assert team >= 3  # a microdiscectomy's usual roles
    impact = case_impact(profile.database, records.case)
    assert impact == CaseImpact(
        team_roles=team,
        costs={CostKind.GOOD_FAITH_ESTIMATE: 1, CostKind.BILL: 1, CostKind.EOB_LINE: 1},
    )
    profile.cases.delete(records.case)
    assert profile.network.team_count() == 0
    assert profile.costs.count() == 4


def test_nothing_tied_means_nothing_to_say(profile: ProfileSession) -> None:
    plan = profile.plans.add(PlanData("Buckeye Mutual Health", PlanType.EMPLOYER_PPO))
    provider = profile.providers.add(ProviderData("Dr. Lee", ProviderRole.PRIMARY_CARE))
    assert plan_warning(plan_impact(profile.database, plan)) == ""
    assert provider_warning(provider_impact(profile.database, provider)) == ""
    assert case_warning(CaseImpact()) == ""


def test_cost_phrase_groups_kinds_in_plain_words() -> None:
    assert cost_phrase({}) == ""
    assert cost_phrase({CostKind.BILL: 1}) == "1 bill"
    assert (
        cost_phrase(
            {
                CostKind.EOB_LINE: 3,
                CostKind.BILL: 2,
                CostKind.GOOD_FAITH_ESTIMATE: 1,
                CostKind.INSURER_ESTIMATE: 1,
            }
        )
        == "2 bills, 2 estimates and 3 EOB lines"
    )
    assert (
        cost_phrase({CostKind.HSA_PAYMENT: 1, CostKind.SUPPLEMENTAL_CLAIM: 1})
        == "1 supplemental claim and 1 HSA entry"
    )


def test_the_warnings_say_what_goes_and_what_stays() -> None:
    assert plan_warning(
        PlanImpact(checks=1, visit_limits=2, costs={CostKind.EOB_LINE: 4}, cases=1)
    ) == (
        "1 network check made for this plan (which providers are in its network) is "
        "deleted with it.\n"
        "Its 2 visit limits are deleted too.\n"
        "4 EOB lines under this plan stay on the Costs page, no longer tied to a plan.\n"
        "1 case with this plan stays on the Cases page, no longer tied to a plan."
    )
    assert provider_warning(ProviderImpact(checks=2, costs={CostKind.BILL: 1}, team_roles=3)) == (
        "2 network checks made for this provider are deleted with it.\n"
        "1 bill from this provider stays on the Costs page, without a provider: BackLog can "
        "then no longer compare a bill with its Good Faith Estimate, or warn you about a bill "
        "the insurer denied or the law protects.\n"
        "3 care-team roles this provider fills on your cases become unassigned."
    )
    assert case_warning(CaseImpact(team_roles=5, costs={CostKind.BILL: 2})) == (
        "Its care team (5 roles) is deleted with it.\n"
        "2 bills for this case stay on the Costs page, no longer tied to a case."
    )
