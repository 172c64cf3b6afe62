"""What deleting a plan, a provider or a case takes with it, and what it leaves behind.

The database does the work on delete (ON DELETE CASCADE or SET NULL); these counts let the
confirmation say so first, in plain words: network checks of a plan or a provider go with it, a
case's care team goes with the case; bills and other cost entries stay, but lose the plan, the
provider or the case they named. Counting only: nothing here writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from backlog_app.domain.costs import CostKind
from backlog_app.services.database import Database
from backlog_app.storage.models import (
    CareTeamMember,
    CostEntry,
    CoverageCase,
    NetworkVerification,
    VisitLimit,
)


@dataclass(frozen=True, slots=True)
class PlanImpact:
    """Deleting a plan: its checks and visit limits go; cost entries and cases stay, planless."""

    checks: int = 0
    visit_limits: int = 0
    costs: Mapping[CostKind, int] = field(default_factory=dict)
    cases: int = 0


@dataclass(frozen=True, slots=True)
class ProviderImpact:
    """Deleting a provider: its checks go; cost entries stay without it, its roles unassigned."""

    checks: int = 0
    costs: Mapping[CostKind, int] = field(default_factory=dict)
    team_roles: int = 0


@dataclass(frozen=True, slots=True)
class CaseImpact:
    """Deleting a case: its care team goes; cost entries stay without the case."""

    team_roles: int = 0
    costs: Mapping[CostKind, int] = field(default_factory=dict)


def plan_impact(database: Database, plan_id: int) -> PlanImpact:
    with database.read() as session:
        return PlanImpact(
            checks=_count(session, NetworkVerification, NetworkVerification.plan_id == plan_id),
            visit_limits=_count(session, VisitLimit, VisitLimit.plan_id == plan_id),
            costs=_costs(session, CostEntry.plan_id == plan_id),
            cases=_count(session, CoverageCase, CoverageCase.plan_id == plan_id),
        )


def provider_impact(database: Database, provider_id: int) -> ProviderImpact:
    with database.read() as session:
        return ProviderImpact(
            checks=_count(
                session, NetworkVerification, NetworkVerification.provider_id == provider_id
            ),
            costs=_costs(session, CostEntry.provider_id == provider_id),
            team_roles=_count(session, CareTeamMember, CareTeamMember.provider_id == provider_id),
        )


def case_impact(database: Database, case_id: int) -> CaseImpact:
    with database.read() as session:
        return CaseImpact(
            team_roles=_count(session, CareTeamMember, CareTeamMember.case_id == case_id),
            costs=_costs(session, CostEntry.case_id == case_id),
        )


def _count(session: Session, model: Any, condition: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count()).select_from(model).where(condition)) or 0


def _costs(session: Session, condition: ColumnElement[bool]) -> dict[CostKind, int]:
    rows = session.execute(
        select(CostEntry.kind, func.count()).where(condition).group_by(CostEntry.kind)
    ).all()
    return {CostKind(kind): count for kind, count in rows}


# --- the words ---------------------------------------------------------------------------------

# How the confirmations group cost entries: (singular, plural), in this order.
_COST_WORDS: list[tuple[frozenset[CostKind], str, str]] = [
    (frozenset({CostKind.BILL}), "bill", "bills"),
    (
        frozenset({CostKind.GOOD_FAITH_ESTIMATE, CostKind.INSURER_ESTIMATE}),
        "estimate",
        "estimates",
    ),
    (frozenset({CostKind.EOB_LINE}), "EOB line", "EOB lines"),
    (frozenset({CostKind.SUPPLEMENTAL_CLAIM}), "supplemental claim", "supplemental claims"),
    (frozenset({CostKind.HSA_CONTRIBUTION, CostKind.HSA_PAYMENT}), "HSA entry", "HSA entries"),
]


def counted(count: int, singular: str, plural: str) -> str:
    """ "1 bill", "3 bills" """
    return f"{count} {singular if count == 1 else plural}"


def cost_phrase(costs: Mapping[CostKind, int]) -> str:
    """ "2 bills, 1 estimate and 3 EOB lines"; "" when there are none."""
    parts = []
    for kinds, singular, plural in _COST_WORDS:
        count = sum(costs.get(kind, 0) for kind in kinds)
        if count:
            parts.append(counted(count, singular, plural))
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def _stay(count: int) -> str:
    return "stays" if count == 1 else "stay"


def plan_warning(impact: PlanImpact) -> str:
    """What goes with a plan and what stays, a sentence each ("" when nothing is tied to it)."""
    lines = []
    if impact.checks:
        checks = counted(impact.checks, "network check", "network checks")
        verb = "is" if impact.checks == 1 else "are"
        lines.append(
            f"{checks} made for this plan (which providers are in its network) {verb} "
            "deleted with it."
        )
    if impact.visit_limits:
        limits = counted(impact.visit_limits, "visit limit", "visit limits")
        lines.append(f"Its {limits} {'is' if impact.visit_limits == 1 else 'are'} deleted too.")
    if impact.costs:
        total = sum(impact.costs.values())
        lines.append(
            f"{cost_phrase(impact.costs)} under this plan {_stay(total)} on the Costs "
            "page, no longer tied to a plan."
        )
    if impact.cases:
        cases = counted(impact.cases, "case", "cases")
        lines.append(
            f"{cases} with this plan {_stay(impact.cases)} on the Cases page, no longer "
            "tied to a plan."
        )
    return "\n".join(lines)


def provider_warning(impact: ProviderImpact) -> str:
    """What goes with a provider and what loses it, a sentence each ("" when nothing does)."""
    lines = []
    if impact.checks:
        checks = counted(impact.checks, "network check", "network checks")
        verb = "is" if impact.checks == 1 else "are"
        lines.append(f"{checks} made for this provider {verb} deleted with it.")
    if impact.costs:
        total = sum(impact.costs.values())
        lines.append(
            f"{cost_phrase(impact.costs)} from this provider {_stay(total)} on the Costs "
            "page, without a provider: BackLog can then no longer compare a bill with its Good "
            "Faith Estimate, or warn you about a bill the insurer denied or the law protects."
        )
    if impact.team_roles:
        roles = counted(impact.team_roles, "care-team role", "care-team roles")
        verb = "becomes" if impact.team_roles == 1 else "become"
        lines.append(f"{roles} this provider fills on your cases {verb} unassigned.")
    return "\n".join(lines)


def case_warning(impact: CaseImpact) -> str:
    """The care team that goes with a case and the cost entries that stay ("" when neither)."""
    lines = []
    if impact.team_roles:
        roles = counted(impact.team_roles, "role", "roles")
        lines.append(f"Its care team ({roles}) is deleted with it.")
    if impact.costs:
        total = sum(impact.costs.values())
        lines.append(
            f"{cost_phrase(impact.costs)} for this case {_stay(total)} on the Costs page, "
            "no longer tied to a case."
        )
    return "\n".join(lines)
