"""Cost use-cases: estimates, bills, EOB lines, HSA money and supplemental claims; their totals
per plan year, spending by category, and the surprise-bill flags with their due items."""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backlog_app.domain.cases import CaseEvent, CaseStatus, ServiceType, derive_status
from backlog_app.domain.cost_flags import CostFlag, cost_flags
from backlog_app.domain.costs import (
    Cost,
    CostCategory,
    CostData,
    CostKind,
    CostStatus,
    PlanYearTotals,
    plan_year_totals,
    spending_by_category,
)
from backlog_app.domain.costs_rules import cost_problems
from backlog_app.domain.dates import plan_year_containing
from backlog_app.domain.deadlines import DueItem
from backlog_app.domain.records import PlanData, PlanType, Stored
from backlog_app.errors import UserError
from backlog_app.services.cases import case_data, event_from_row
from backlog_app.services.changes import Change, ChangeBus
from backlog_app.services.database import Database
from backlog_app.services.network import NetworkService
from backlog_app.services.records import Clock, RecordService, from_model
from backlog_app.storage.models import CaseEvent as CaseEventRow
from backlog_app.storage.models import CostEntry, CoverageCase, InsurancePlan, Provider

# A case in one of these states has its authorization (a bill on it needs no flag).
_AUTHORIZED = frozenset({CaseStatus.APPROVED, CaseStatus.PARTLY_APPROVED, CaseStatus.PAID})


@dataclass(frozen=True, slots=True)
class CostFilter:
    """Which entries the Costs page lists; None leaves that condition out."""

    plan_year: tuple[dt.date, dt.date] | None = None  # first and last day, both included
    case_id: int | None = None
    provider_id: int | None = None
    flagged_only: bool = False


@dataclass(frozen=True, slots=True)
class CostsOverview:
    """What the Costs page draws, from one read: entries, flags, totals, spending, names."""

    costs: list[Cost]  # newest first, filtered
    flags: list[CostFlag]  # every flag (not filtered), bill by bill
    totals: list[PlanYearTotals]  # of the main plan, newest plan year first
    plan_id: int | None  # the plan the totals measure (None: no plan, no limits shown)
    plan_label: str
    spending: dict[CostCategory, int]  # patient responsibility in the chosen plan year
    provider_names: dict[int, str]
    case_titles: dict[int, str]

    def flags_for(self, cost_id: int) -> list[CostFlag]:
        return [flag for flag in self.flags if cost_id in flag.cost_ids]


class CostService(RecordService[CostData, CostEntry]):
    """Cost entries with the shared add/update/delete/restore, and what is worked out from them.

    Args:
        network: for the No Surprises Act: which providers are out of network in a protected role.
    """

    def __init__(
        self, database: Database, changes: ChangeBus, clock: Clock, network: NetworkService
    ) -> None:
        super().__init__(
            database,
            changes,
            model=CostEntry,
            data_type=CostData,
            problems=lambda data: cost_problems(data, clock()),
            change=Change.COSTS,
            order_by=("service_date", "id"),
            noun="cost entry",
            clash_message=(
                "The provider, plan or case chosen for this entry no longer exists; "
                "please choose again."
            ),
        )
        self._clock = clock
        self._network = network

    def add(self, data: CostData) -> int:
        self._validate(data)
        with self._db.read() as session:
            _check_references(session, data)
        return super().add(data)

    def update(self, record_id: int, data: CostData) -> None:
        self._validate(data)
        with self._db.read() as session:
            _check_references(session, data)
        super().update(record_id, data)

    def restore(self, stored: Stored[CostData]) -> None:
        """Put a deleted entry back (Undo); a provider, case or plan deleted since is left out."""
        with self._db.read() as session:
            data = _without_dangling(session, stored.data)
        super().restore(replace(stored, data=data))

    def costs(self, where: CostFilter | None = None) -> builtins.list[Cost]:
        """Entries newest first (by date of service, else bill date; undated last)."""
        where = where or CostFilter()
        with self._db.read() as session:
            costs = read_costs(session, where)
            flagged: set[int] = set()
            if where.flagged_only:
                everything = read_costs(session)
                flags = self._flags(session, everything)
                flagged = {cost_id for flag in flags for cost_id in flag.cost_ids}
        shown = [cost for cost in costs if _matches(cost, where, flagged)]
        return sorted(shown, key=_newest_first)

    def cost(self, cost_id: int) -> Cost:
        return to_cost(self.get(cost_id))

    def flags(self) -> builtins.list[CostFlag]:
        """Every surprise-bill flag, bill by bill."""
        with self._db.read() as session:
            return self._flags(session, read_costs(session))

    def due_items(self) -> builtins.list[DueItem]:
        """The dispute windows of bills over their Good Faith Estimate, soonest first."""
        items = [flag.due for flag in self.flags() if flag.due is not None]
        return sorted(items, key=lambda item: (item.due, item.case_title, item.title))

    def overview(
        self, where: CostFilter | None = None, plan_year_of: dt.date | None = None
    ) -> CostsOverview:
        """Everything the Costs page shows. ``plan_year_of``: a day in the plan year whose
        spending the chart shows (today's plan year when None)."""
        today = self._clock()
        where = where or CostFilter()
        with self._db.read() as session:
            everything = read_costs(session)
            flags = self._flags(session, everything)
            plan_row = _main_plan(session, today)
            names = {pid: name for pid, name in session.execute(select(Provider.id, Provider.name))}
            titles = _case_titles(session)
        flagged = {cost_id for flag in flags for cost_id in flag.cost_ids}
        shown = [cost for cost in everything if _matches(cost, where, flagged)]
        if plan_row is not None:
            plan = from_model(PlanData, plan_row)
            totals = plan_year_totals(everything, plan, None, today, plan_id=plan_row.id)
            start_day = plan.plan_year_start or dt.date(today.year, 1, 1)
            label = _plan_label(plan_row)
        else:
            totals = plan_year_totals(everything, _NO_PLAN, None, today)
            start_day = dt.date(today.year, 1, 1)
            label = "No plan in force"
        year = plan_year_containing(start_day, plan_year_of or today)
        return CostsOverview(
            costs=sorted(shown, key=_newest_first),
            flags=flags,
            totals=totals,
            plan_id=plan_row.id if plan_row is not None else None,
            plan_label=label,
            spending=spending_by_category(everything, year),
            provider_names=names,
            case_titles=titles,
        )

    def _flags(self, session: Session, costs: Sequence[Cost]) -> builtins.list[CostFlag]:
        titles = _case_titles(session)
        flags = cost_flags(
            costs,
            _case_authorizations(session),
            self._network.protected_out_of_network(),
            self._clock(),
        )
        return [_with_case_title(flag, titles) for flag in flags]


def cost_from_row(row: CostEntry) -> Cost:
    return Cost(row.id, from_model(CostData, row))


def to_cost(stored: Stored[CostData]) -> Cost:
    return Cost(stored.id, stored.data)


# Stands in for "no plan": totals without deductible or out-of-pocket progress.
_NO_PLAN = PlanData(insurer="", plan_type=PlanType.OTHER_SUPPLEMENTAL)


def read_costs(session: Session, where: CostFilter | None = None) -> builtins.list[Cost]:
    """The entries of ``where``'s case and provider (every entry when None), in entry order.

    Read as plain rows, without ORM objects: a few thousand entries load in a few milliseconds
    instead of a hundred.
    """
    query = select(CostEntry.id, *(getattr(CostEntry, name) for name in _COST_FIELDS))
    if where is not None and where.case_id is not None:
        query = query.where(CostEntry.case_id == where.case_id)
    if where is not None and where.provider_id is not None:
        query = query.where(CostEntry.provider_id == where.provider_id)
    costs = []
    for row in session.execute(query.order_by(CostEntry.id)):
        values = dict(zip(_COST_FIELDS, row[1:], strict=True))
        for name, enum in _COST_ENUMS.items():
            values[name] = enum(values[name])
        costs.append(Cost(row[0], CostData(**values)))
    return costs


_COST_FIELDS = tuple(item.name for item in fields(CostData))
_COST_ENUMS: dict[str, Callable[[Any], Any]] = {
    "kind": CostKind,
    "status": CostStatus,
    "category": CostCategory,
}


def _matches(cost: Cost, where: CostFilter, flagged: set[int]) -> bool:
    data = cost.data
    if where.case_id is not None and data.case_id != where.case_id:
        return False
    if where.provider_id is not None and data.provider_id != where.provider_id:
        return False
    if where.flagged_only and cost.id not in flagged:
        return False
    if where.plan_year is not None:
        first, last = where.plan_year
        return data.day is not None and first <= data.day <= last
    return True


def _newest_first(cost: Cost) -> tuple[bool, int, int]:
    day = cost.data.day
    return (day is None, -(day.toordinal() if day else 0), -cost.id)


def _main_plan(session: Session, today: dt.date) -> InsurancePlan | None:
    """The in-force, non-supplemental plan with the lowest priority number."""
    for plan in session.scalars(
        select(InsurancePlan).order_by(InsurancePlan.priority, InsurancePlan.id)
    ):
        data = from_model(PlanData, plan)
        in_force = (data.coverage_start is None or data.coverage_start <= today) and (
            data.coverage_end is None or data.coverage_end >= today
        )
        if in_force and not data.plan_type.is_supplemental:
            return plan
    return None


def _plan_label(plan: InsurancePlan) -> str:
    return f"{plan.insurer} — {plan.plan_name}" if plan.plan_name else plan.insurer


def _case_titles(session: Session) -> dict[int, str]:
    return {row.id: case_data(row).title for row in session.scalars(select(CoverageCase))}


def _case_authorizations(session: Session) -> dict[int, bool]:
    """Pre-service cases → whether they hold an authorization (approved, or a number on file)."""
    events: dict[int, builtins.list[CaseEvent]] = {}
    for row in session.scalars(select(CaseEventRow)):
        events.setdefault(row.case_id, []).append(event_from_row(row))
    result = {}
    for case in session.scalars(select(CoverageCase)):
        if case.service_type != ServiceType.PRE_SERVICE.value:
            continue
        status = derive_status(events.get(case.id, []))
        result[case.id] = status in _AUTHORIZED or bool(case.authorization_number)
    return result


def _with_case_title(flag: CostFlag, titles: dict[int, str]) -> CostFlag:
    if flag.due is None or flag.due.case_id is None:
        return flag
    return replace(flag, due=replace(flag.due, case_title=titles.get(flag.due.case_id, "")))


def _without_dangling(session: Session, data: CostData) -> CostData:
    """``data`` without the provider, case or plan that no longer exist."""
    references = ((Provider, "provider_id"), (CoverageCase, "case_id"), (InsurancePlan, "plan_id"))
    dangling: dict[str, Any] = {
        field: None
        for model, field in references
        if getattr(data, field) is not None and session.get(model, getattr(data, field)) is None
    }
    return replace(data, **dangling)


def _check_references(session: Session, data: CostData) -> None:
    for model, record_id, noun in (
        (Provider, data.provider_id, "provider"),
        (CoverageCase, data.case_id, "case"),
        (InsurancePlan, data.plan_id, "plan"),
    ):
        if record_id is not None and session.get(model, record_id) is None:
            raise UserError(f"That {noun} no longer exists; please choose another.")
