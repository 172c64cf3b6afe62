"""Cost use-cases: estimates, bills, EOB lines, HSA money and supplemental claims; their totals
per plan year, spending by category, and the surprise-bill flags with their due items.

Plan years are cut by the main plan in force today (its plan-year start, else 1 January); each
year is then measured against the plan in force in it (``domain.costs.plan_in_force``).
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backlog_app.domain.cases import CaseEvent, ServiceType
from backlog_app.domain.cost_flags import CostFlag, ProviderCase, cost_flags, was_authorized
from backlog_app.domain.costs import (
    Cost,
    CostCategory,
    CostData,
    CostKind,
    CostStatus,
    PlanYearTotals,
    YearRange,
    plan_in_force,
    spending_by_category,
    totals_by_plan_in_force,
)
from backlog_app.domain.costs_rules import cost_problems
from backlog_app.domain.dates import plan_year_containing
from backlog_app.domain.deadlines import DueItem
from backlog_app.domain.network_checklist import ChecklistState
from backlog_app.domain.network_rules import Protection
from backlog_app.domain.records import PlanData, Stored, main_plan_in_force
from backlog_app.errors import UserError
from backlog_app.services.cases import case_data, event_from_row
from backlog_app.services.changes import Change, ChangeBus
from backlog_app.services.database import Database
from backlog_app.services.network import CareTeamChecklist, NetworkService
from backlog_app.services.records import Clock, RecordService, from_model
from backlog_app.storage.models import CaseEvent as CaseEventRow
from backlog_app.storage.models import (
    CostEntry,
    CoverageCase,
    Document,
    DocumentLink,
    InsurancePlan,
    Provider,
)

NO_PLAN_LABEL = "No plan in force"


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
    totals: list[PlanYearTotals]  # newest plan year first, each against its own plan (plan_id)
    plan_id: int | None  # the main plan in force today: new entries start on it (None: none)
    plan_label: str  # its name, or NO_PLAN_LABEL
    spending: dict[CostCategory, int]  # patient responsibility in the chosen plan year
    provider_names: dict[int, str]
    case_titles: dict[int, str]
    plan_year_start: dt.date  # a day a plan year began (only month and day count)
    plans: dict[int, PlanData]  # every plan, by id

    def flags_for(self, cost_id: int) -> list[CostFlag]:
        return [flag for flag in self.flags if cost_id in flag.cost_ids]

    def plan_label_of(self, totals: PlanYearTotals) -> str:
        """The name of the plan a plan year's totals measure (NO_PLAN_LABEL when none)."""
        plan = self.plans.get(totals.plan_id) if totals.plan_id is not None else None
        return plan.display_name if plan is not None else NO_PLAN_LABEL

    def year_of(self, day: dt.date) -> YearRange:
        """The plan year (first and last day) that contains ``day``."""
        return plan_year_containing(self.plan_year_start, day)

    def totals_of(self, year: YearRange) -> PlanYearTotals:
        """That plan year's totals; zeros, with the limits of the plan in force then, when no
        entry counts in it."""
        listed = next((t for t in self.totals if (t.start, t.end) == year), None)
        if listed is not None:
            return listed
        # no entries: the totals of an empty ledger whose current plan year is that one
        return totals_by_plan_in_force([], self.plans, self.plan_year_start, year[0])[0]


class CostService(RecordService[CostData, CostEntry]):
    """Cost entries with the shared add/update/delete, and what is worked out from them.

    Args:
        network: the care-team checklists say where a provider is out of network in a role the
            No Surprises Act protects.
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

    # The base class returns None: it always reuses the old id. Here the id may change.
    def restore(self, stored: Stored[CostData]) -> int:  # type: ignore[override]
        """Put a deleted entry back (Undo); returns its id (see ``restore_with_links``)."""
        return self.restore_with_links(stored, ())

    def restore_with_links(self, stored: Stored[CostData], document_ids: Iterable[int]) -> int:
        """Put a deleted entry back (Undo) with its document links, in one transaction.

        Returns the entry's id: the old one when it is free, else a new one (SQLite gives the
        id of the newest entry to the next entry added after it was deleted). A provider, case
        or plan deleted since is left out, and so are documents deleted since.

        Raises:
            UserError: the database refused the entry (nothing written).
        """
        wanted = list(dict.fromkeys(document_ids))
        try:
            with self._db.write() as session:
                data = _without_dangling(session, stored.data)
                row = CostEntry(
                    created_at=stored.created_at, updated_at=stored.updated_at, **self._values(data)
                )
                if session.get(CostEntry, stored.id) is None:
                    row.id = stored.id
                session.add(row)
                session.flush()
                new_id = row.id
                existing = _existing_documents(session, wanted)
                session.add_all(
                    DocumentLink(document_id=document_id, cost_id=new_id)
                    for document_id in wanted
                    if document_id in existing
                )
        except IntegrityError as exc:
            raise UserError(
                "The entry could not be put back: the database refused it. Add it again with "
                "“Add a Bill or Cost…”."
            ) from exc
        self._changes.announce(
            frozenset({Change.COSTS, Change.DOCUMENTS}) if existing else Change.COSTS
        )
        return new_id

    def link_documents(self, cost_id: int, document_ids: Iterable[int]) -> int:
        """Link documents to an entry in one transaction; returns how many links were added
        (links already there stay as they are).

        Raises:
            UserError: the entry or one of the documents no longer exists (nothing linked).
        """
        wanted = list(dict.fromkeys(document_ids))
        if not wanted:
            return 0
        with self._db.write() as session:
            self._load(session, cost_id)
            if len(_existing_documents(session, wanted)) < len(wanted):
                raise UserError(
                    "A document you chose no longer exists; it may have been deleted. "
                    "Nothing was linked: please choose again."
                )
            linked = set(
                session.scalars(
                    select(DocumentLink.document_id).where(DocumentLink.cost_id == cost_id)
                )
            )
            added = [document_id for document_id in wanted if document_id not in linked]
            session.add_all(
                DocumentLink(document_id=document_id, cost_id=cost_id) for document_id in added
            )
        if added:
            self._changes.announce(Change.DOCUMENTS)
        return len(added)

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

    def flags(
        self, checklists: Sequence[CareTeamChecklist] | None = None
    ) -> builtins.list[CostFlag]:
        """Every surprise-bill flag, bill by bill.

        Args:
            checklists: every case's care-team checklist when the caller has them
                (``NetworkService.checklists()``); read here when None.
        """
        with self._db.read() as session:
            return self._flags(session, read_costs(session), checklists)

    def due_items(
        self, checklists: Sequence[CareTeamChecklist] | None = None
    ) -> builtins.list[DueItem]:
        """The open dispute windows of bills over their Good Faith Estimate, soonest first.

        Args:
            checklists: as for ``flags``.
        """
        items = [flag.due for flag in self.flags(checklists) if flag.due is not None]
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
            plans = {
                row.id: from_model(PlanData, row) for row in session.scalars(select(InsurancePlan))
            }
            names = {pid: name for pid, name in session.execute(select(Provider.id, Provider.name))}
            titles = _case_titles(session)
        flagged = {cost_id for flag in flags for cost_id in flag.cost_ids}
        shown = [cost for cost in everything if _matches(cost, where, flagged)]
        main = _main_plan(plans, today)
        main_start = plans[main].plan_year_start if main is not None else None
        start_day = main_start or dt.date(today.year, 1, 1)
        year = plan_year_containing(start_day, plan_year_of or today)
        return CostsOverview(
            costs=sorted(shown, key=_newest_first),
            flags=flags,
            totals=totals_by_plan_in_force(everything, plans, start_day, today),
            plan_id=main,
            plan_label=plans[main].display_name if main is not None else NO_PLAN_LABEL,
            # the chart counts like the totals of its year: against the plan in force then
            spending=spending_by_category(everything, year, plan_id=plan_in_force(plans, year)),
            provider_names=names,
            case_titles=titles,
            plan_year_start=start_day,
            plans=plans,
        )

    def _flags(
        self,
        session: Session,
        costs: Sequence[Cost],
        checklists: Sequence[CareTeamChecklist] | None = None,
    ) -> builtins.list[CostFlag]:
        if checklists is None:
            checklists = self._network.checklists()
        titles = _case_titles(session)
        flags = cost_flags(
            costs,
            _case_authorizations(session),
            protected_out_of_network(checklists),
            self._clock(),
        )
        return [_with_case_title(flag, titles) for flag in flags]


def protected_out_of_network(checklists: Iterable[CareTeamChecklist]) -> set[ProviderCase]:
    """(provider, case) pairs where the provider is out of network in a role whose bill the No
    Surprises Act protects (no balance billing), from every case's care-team checklist."""
    return {
        (row.member.data.provider_id, row.member.data.case_id)
        for checklist in checklists
        for row in checklist.rows
        if row.member.data.provider_id is not None
        and row.row.state is ChecklistState.OUT_OF_NETWORK
        and row.row.protection is Protection.NO_BALANCE_BILLING
    }


def cost_from_row(row: CostEntry) -> Cost:
    return Cost(row.id, from_model(CostData, row))


def to_cost(stored: Stored[CostData]) -> Cost:
    return Cost(stored.id, stored.data)


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


def _main_plan(plans: dict[int, PlanData], today: dt.date) -> int | None:
    """The in-force, non-supplemental plan with the lowest priority number (then lowest id)."""
    ordered = sorted(plans.items())
    chosen = main_plan_in_force((plan for _id, plan in ordered), today)
    return next((plan_id for plan_id, plan in ordered if plan is chosen), None)


def _case_titles(session: Session) -> dict[int, str]:
    return {row.id: case_data(row).title for row in session.scalars(select(CoverageCase))}


def _case_authorizations(session: Session) -> dict[int, bool]:
    """Pre-service cases → whether they ever got an authorization (``was_authorized``)."""
    events: dict[int, builtins.list[CaseEvent]] = {}
    for row in session.scalars(select(CaseEventRow)):
        events.setdefault(row.case_id, []).append(event_from_row(row))
    return {
        case.id: was_authorized(events.get(case.id, []), case.authorization_number)
        for case in session.scalars(select(CoverageCase))
        if case.service_type == ServiceType.PRE_SERVICE.value
    }


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


def _existing_documents(session: Session, document_ids: builtins.list[int]) -> set[int]:
    if not document_ids:
        return set()
    return set(session.scalars(select(Document.id).where(Document.id.in_(document_ids))))


def _check_references(session: Session, data: CostData) -> None:
    for model, record_id, noun in (
        (Provider, data.provider_id, "provider"),
        (CoverageCase, data.case_id, "case"),
        (InsurancePlan, data.plan_id, "plan"),
    ):
        if record_id is not None and session.get(model, record_id) is None:
            raise UserError(f"That {noun} no longer exists; please choose another.")
