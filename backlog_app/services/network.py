"""Network checks and care teams: is each provider in network, and is each role on a case covered.

Checks are never edited: a new check is a new row, so the history stays (a mistaken one can be
deleted, with Undo). A case's care team is a list of roles, each filled by a provider or not yet;
the checklist, its due items and the No Surprises Act protection are worked out on reading by
``domain.network_checklist``.
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, fields, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backlog_app.domain.cases import CaseData, Procedure
from backlog_app.domain.deadlines import DueItem
from backlog_app.domain.network import (
    STALE_AFTER_DAYS,
    Freshness,
    NetworkStatus,
    Verification,
    VerificationData,
    VerificationMethod,
    assumed_plan_year_start,
    freshness,
    latest_verification,
    verification_problems,
)
from backlog_app.domain.network_checklist import (
    CareTeamRow,
    ChecklistState,
    care_team_checklist,
    care_team_due_items,
)
from backlog_app.domain.network_rules import (
    DEFAULT_ROLES,
    CareRole,
    CareTeamData,
    Protection,
    TeamMember,
    care_team_problems,
)
from backlog_app.domain.records import PlanData, PlanType
from backlog_app.errors import UserError, ValidationError
from backlog_app.services.changes import Change, ChangeBus
from backlog_app.services.database import Database
from backlog_app.services.records import Clock, from_model, to_model_values
from backlog_app.storage.models import (
    CareTeamMember,
    CoverageCase,
    InsurancePlan,
    NetworkVerification,
    PhoneCall,
    Provider,
)


@dataclass(frozen=True, slots=True)
class PlanNetwork:
    """One provider's standing with one plan: the latest check, its freshness, every check."""

    plan_id: int
    plan_label: str
    latest: Verification | None
    freshness: Freshness
    history: list[Verification]  # newest first
    plan_is_current: bool = True

    @property
    def status(self) -> NetworkStatus:
        return self.latest.data.status if self.latest is not None else NetworkStatus.UNKNOWN


@dataclass(frozen=True, slots=True)
class ChecklistRow:
    """One care-team row as the Care Team tab shows it."""

    member: TeamMember
    row: CareTeamRow
    provider_name: str | None


@dataclass(frozen=True, slots=True)
class CareTeamChecklist:
    """A case's care team checked against its plan, with what is due before the procedure."""

    case_id: int
    case_title: str
    plan_id: int | None
    insurer: str | None
    scheduled_date: dt.date | None
    rows: list[ChecklistRow]
    due: list[DueItem] = field(default_factory=list)

    def count(self, state: ChecklistState) -> int:
        return sum(1 for row in self.rows if row.row.state is state)


class NetworkService:
    """Network checks (provider × plan) and the care team of each case.

    Args:
        database: where records live.
        changes: told ``Change.NETWORK`` after every committed change.
        clock: today's date (a check cannot be in the future; freshness counts from today).
        max_age_days: a check older than this is stale (the ``network_check_days`` setting;
            the window sets it when a profile opens or the setting changes, the command line
            when it opens a profile).

    A plan without a plan year start is taken to run from 1 January
    (``domain.network.assumed_plan_year_start``); a care-team check must be in the plan year
    of the procedure date (``domain.network_checklist``).
    """

    def __init__(
        self,
        database: Database,
        changes: ChangeBus,
        clock: Clock,
        max_age_days: int = STALE_AFTER_DAYS,
    ) -> None:
        self._db = database
        self._changes = changes
        self._clock = clock
        self.max_age_days = max_age_days

    # -- network checks ----------------------------------------------------------------------

    def count(self) -> int:
        """How many checks are stored (care-team rows are counted by ``team_count``)."""
        with self._db.read() as session:
            return session.scalar(select(func.count()).select_from(NetworkVerification)) or 0

    def verifications(
        self, provider_id: int | None = None, plan_id: int | None = None
    ) -> builtins.list[Verification]:
        """Checks in the order they were entered (the latest-check rule relies on it)."""
        with self._db.read() as session:
            return read_checks(session, provider_id, plan_id)

    def get_verification(self, verification_id: int) -> Verification:
        with self._db.read() as session:
            return verification_from_row(_load(session, NetworkVerification, verification_id))

    def add_verification(self, data: VerificationData) -> int:
        """Record a check; raises ValidationError or UserError and writes nothing."""
        problems = verification_problems(data, self._clock())
        if problems:
            raise ValidationError(problems)
        with self._db.write() as session:
            _check_verification_references(session, data)
            row = NetworkVerification(**to_model_values(data))
            session.add(row)
            session.flush()
            new_id = row.id
        self._changes.announce(Change.NETWORK)
        return new_id

    def delete_verification(self, verification_id: int) -> Verification:
        """Delete a mistaken check and return it, so that the UI can offer Undo."""
        with self._db.write() as session:
            row = _load(session, NetworkVerification, verification_id)
            check = verification_from_row(row)
            session.delete(row)
        self._changes.announce(Change.NETWORK)
        return check

    def restore_verification(self, check: Verification) -> int:
        """Put a deleted check back (Undo); a call deleted since is left out."""
        with self._db.write() as session:
            data = check.data
            if data.call_id is not None and session.get(PhoneCall, data.call_id) is None:
                data = replace(data, call_id=None)
            _check_verification_references(session, data)
            row = NetworkVerification(**to_model_values(data))
            if session.get(NetworkVerification, check.id) is None:
                row.id = check.id
            session.add(row)
            session.flush()
            new_id = row.id
        self._changes.announce(Change.NETWORK)
        return new_id

    def provider_network(self, provider_id: int) -> builtins.list[PlanNetwork]:
        """The provider's standing with every plan: plans in force first, then ended ones."""
        today = self._clock()
        with self._db.read() as session:
            plans = list(session.scalars(select(InsurancePlan).order_by(InsurancePlan.priority)))
            checks = read_checks(session, provider_id=provider_id)
        result = []
        for plan in sorted(plans, key=lambda p: (not _in_force(p, today), p.priority, p.id)):
            history = [c for c in checks if c.data.plan_id == plan.id]
            latest = _latest(history)
            result.append(
                PlanNetwork(
                    plan_id=plan.id,
                    plan_label=from_model(PlanData, plan).display_name,
                    latest=latest,
                    freshness=freshness(
                        latest.data if latest else None,
                        today,
                        self.max_age_days,
                        assumed_plan_year_start(plan.plan_year_start),
                    ),
                    history=_newest_first(history),
                    plan_is_current=_in_force(plan, today),
                )
            )
        return result

    def network_summary(self) -> dict[int, PlanNetwork]:
        """Provider id → standing with the main plan in force (for the providers list).

        Empty when no plan is in force. The main plan is the in-force plan with the lowest
        priority number (primary before secondary).
        """
        today = self._clock()
        with self._db.read() as session:
            plans = [
                plan
                for plan in session.scalars(
                    select(InsurancePlan).order_by(InsurancePlan.priority, InsurancePlan.id)
                )
                if _in_force(plan, today) and not _is_supplemental(plan)
            ]
            if not plans:
                return {}
            plan = plans[0]
            checks: dict[int, builtins.list[Verification]] = defaultdict(list)
            for check in read_checks(session, plan_id=plan.id):
                checks[check.data.provider_id].append(check)
            provider_ids = list(session.scalars(select(Provider.id)))
        summary = {}
        for provider_id in provider_ids:
            history = checks.get(provider_id, [])
            latest = _latest(history)
            summary[provider_id] = PlanNetwork(
                plan_id=plan.id,
                plan_label=from_model(PlanData, plan).display_name,
                latest=latest,
                freshness=freshness(
                    latest.data if latest else None,
                    today,
                    self.max_age_days,
                    assumed_plan_year_start(plan.plan_year_start),
                ),
                history=_newest_first(history),
            )
        return summary

    # -- care teams --------------------------------------------------------------------------

    def team_count(self) -> int:
        with self._db.read() as session:
            return session.scalar(select(func.count()).select_from(CareTeamMember)) or 0

    def team(self, case_id: int) -> builtins.list[TeamMember]:
        """A case's care team in the order the rows were added."""
        with self._db.read() as session:
            return [member_from_row(row) for row in session.scalars(_team_query(case_id))]

    def add_member(self, data: CareTeamData) -> int:
        with self._db.write() as session:
            self._check_member(session, data, exclude_id=None)
            row = CareTeamMember(**to_model_values(data))
            session.add(row)
            session.flush()
            new_id = row.id
        self._changes.announce(Change.NETWORK)
        return new_id

    def update_member(self, member_id: int, data: CareTeamData) -> None:
        with self._db.write() as session:
            row = _load(session, CareTeamMember, member_id)
            if row.case_id != data.case_id:
                raise UserError("A care-team row cannot move to another case.")
            self._check_member(session, data, exclude_id=member_id)
            for name, value in to_model_values(data).items():
                setattr(row, name, value)
        self._changes.announce(Change.NETWORK)

    def delete_member(self, member_id: int) -> TeamMember:
        """Remove a role from a case's team and return it (Undo: ``restore_member``)."""
        with self._db.write() as session:
            row = _load(session, CareTeamMember, member_id)
            member = member_from_row(row)
            session.delete(row)
        self._changes.announce(Change.NETWORK)
        return member

    def restore_member(self, member: TeamMember) -> int:
        with self._db.write() as session:
            data = member.data
            if data.provider_id is not None and session.get(Provider, data.provider_id) is None:
                data = replace(data, provider_id=None)
            self._check_member(session, data, exclude_id=None)
            row = CareTeamMember(**to_model_values(data))
            if session.get(CareTeamMember, member.id) is None:
                row.id = member.id
            session.add(row)
            session.flush()
            new_id = row.id
        self._changes.announce(Change.NETWORK)
        return new_id

    def add_default_roles(self, case_id: int) -> int:
        """Add the usual roles of the case's procedure that the team lacks; returns how many."""
        with self._db.write() as session:
            case = _load(session, CoverageCase, case_id)
            added = add_default_roles(session, case)
        if added:
            self._changes.announce(Change.NETWORK)
        return added

    def checklist(self, case_id: int) -> CareTeamChecklist:
        """The Care Team tab of one case."""
        with self._db.read() as session:
            case = _load(session, CoverageCase, case_id)
            members = [member_from_row(row) for row in session.scalars(_team_query(case.id))]
            # Only the checks of this team's providers (the facility's among them).
            team = {m.data.provider_id for m in members if m.data.provider_id is not None}
            directory = _Directory.read(session, team)
            return self._checklist(session, case, directory, members)

    def checklists(self) -> builtins.list[CareTeamChecklist]:
        """Every case's checklist, from one read (Home, ``backlog due`` and the cost flags)."""
        with self._db.read() as session:
            directory = _Directory.read(session)
            teams: dict[int, builtins.list[TeamMember]] = defaultdict(list)
            for row in session.scalars(select(CareTeamMember).order_by(CareTeamMember.id)):
                teams[row.case_id].append(member_from_row(row))
            cases = list(session.scalars(select(CoverageCase).order_by(CoverageCase.id)))
            return [
                self._checklist(session, case, directory, teams.get(case.id, [])) for case in cases
            ]

    def due_items(self) -> builtins.list[DueItem]:
        """What must be checked before every scheduled procedure, soonest first."""
        items = [item for checklist in self.checklists() for item in checklist.due]
        return sorted(items, key=lambda item: (item.due, item.case_title, item.title))

    def protected_out_of_network(self) -> set[int]:
        """Providers out of network in a role whose bill the No Surprises Act protects."""
        return {
            row.member.data.provider_id
            for checklist in self.checklists()
            for row in checklist.rows
            if row.member.data.provider_id is not None
            and row.row.state is ChecklistState.OUT_OF_NETWORK
            and row.row.protection is Protection.NO_BALANCE_BILLING
        }

    def _checklist(
        self,
        session: Session,
        case: CoverageCase,
        directory: _Directory,
        members: builtins.list[TeamMember] | None = None,
    ) -> CareTeamChecklist:
        today = self._clock()
        if members is None:
            members = [member_from_row(row) for row in session.scalars(_team_query(case.id))]
        plan = directory.plans.get(case.plan_id) if case.plan_id is not None else None
        title = from_model(CaseData, case).title
        rows = care_team_checklist(
            [m.data for m in members],
            directory.checks,
            case.plan_id,
            today,
            self.max_age_days,
            # Without a plan every row needs a check anyway; a plan without a start runs from
            # 1 January.
            assumed_plan_year_start(plan.plan_year_start) if plan is not None else None,
            provider_names=directory.names,
            insurer=plan.insurer if plan is not None else None,
            scheduled_date=case.scheduled_date,
        )
        return CareTeamChecklist(
            case_id=case.id,
            case_title=title,
            plan_id=case.plan_id,
            insurer=plan.insurer if plan is not None else None,
            scheduled_date=case.scheduled_date,
            rows=[
                ChecklistRow(
                    member,
                    row,
                    directory.names.get(member.data.provider_id)
                    if member.data.provider_id is not None
                    else None,
                )
                for member, row in zip(members, rows, strict=True)
            ],
            due=care_team_due_items(rows, case.id, title, case.scheduled_date, today),
        )

    def _check_member(self, session: Session, data: CareTeamData, exclude_id: int | None) -> None:
        _load(session, CoverageCase, data.case_id)
        name = None
        if data.provider_id is not None:
            provider = session.get(Provider, data.provider_id)
            if provider is None:
                raise UserError("That provider no longer exists; please choose another.")
            name = provider.name
        others = [
            member_from_row(row).data
            for row in session.scalars(_team_query(data.case_id))
            if row.id != exclude_id
        ]
        problems = care_team_problems(data, others, name)
        if problems:
            raise ValidationError(problems)


def add_default_roles(session: Session, case: CoverageCase) -> int:
    """Add, in ``session``, the usual roles of ``case``'s procedure that its team lacks."""
    have = {row.role for row in session.scalars(_team_query(case.id))}
    added = 0
    known = {
        CareRole.FACILITY: case.facility_id,
        CareRole.SURGEON: case.requesting_provider_id,
        CareRole.PROCEDURALIST: case.requesting_provider_id,
    }
    for role in DEFAULT_ROLES.get(Procedure(case.procedure), ()):
        if role.value not in have:
            # The case already names its facility and requesting doctor: fill those roles.
            provider_id = known.get(role)
            if role is CareRole.PROCEDURALIST or role is CareRole.SURGEON:
                # only once: a surgery's requesting doctor is its surgeon, not also a proceduralist
                known[CareRole.SURGEON] = known[CareRole.PROCEDURALIST] = None
            session.add(CareTeamMember(case_id=case.id, role=role.value, provider_id=provider_id))
            have.add(role.value)
            added += 1
    return added


def read_checks(
    session: Session,
    provider_id: int | None = None,
    plan_id: int | None = None,
    *,
    provider_ids: Collection[int] | None = None,
) -> builtins.list[Verification]:
    """Checks in entry order, read as plain rows: thousands load in milliseconds (ORM objects
    took ten times as long)."""
    columns = [getattr(NetworkVerification, name) for name in _CHECK_FIELDS]
    query = select(NetworkVerification.id, *columns).order_by(NetworkVerification.id)
    if provider_id is not None:
        query = query.where(NetworkVerification.provider_id == provider_id)
    if plan_id is not None:
        query = query.where(NetworkVerification.plan_id == plan_id)
    if provider_ids is not None:
        query = query.where(NetworkVerification.provider_id.in_(list(provider_ids)))
    checks = []
    for row in session.execute(query):
        values = dict(zip(_CHECK_FIELDS, row[1:], strict=True))
        values["status"] = NetworkStatus(values["status"])
        values["method"] = VerificationMethod(values["method"])
        checks.append(Verification(row[0], VerificationData(**values)))
    return checks


def verification_from_row(row: NetworkVerification) -> Verification:
    return Verification(row.id, from_model(VerificationData, row))


def member_from_row(row: CareTeamMember) -> TeamMember:
    return TeamMember(row.id, from_model(CareTeamData, row))


@dataclass
class _Directory:
    """Plans, provider names and every check, read once for many checklists."""

    plans: dict[int, InsurancePlan]
    names: dict[int, str]
    checks: dict[int, builtins.list[VerificationData]]

    @classmethod
    def read(cls, session: Session, provider_ids: Collection[int] | None = None) -> _Directory:
        """Every plan and provider name; the checks of ``provider_ids`` (None: of everyone)."""
        checks: dict[int, builtins.list[VerificationData]] = defaultdict(list)
        for check in read_checks(session, provider_ids=provider_ids):
            checks[check.data.provider_id].append(check.data)
        return cls(
            plans={plan.id: plan for plan in session.scalars(select(InsurancePlan))},
            names={
                provider_id: name
                for provider_id, name in session.execute(select(Provider.id, Provider.name))
            },
            checks=checks,
        )


_CHECK_FIELDS = tuple(item.name for item in fields(VerificationData))


def _team_query(case_id: int) -> Any:
    return (
        select(CareTeamMember).where(CareTeamMember.case_id == case_id).order_by(CareTeamMember.id)
    )


def _latest(history: Iterable[Verification]) -> Verification | None:
    checks = list(history)
    latest = latest_verification([c.data for c in checks])
    if latest is None:
        return None
    # latest_verification picks the last of equal dates; find that same entry again.
    return next(c for c in reversed(checks) if c.data is latest)


def _newest_first(history: Iterable[Verification]) -> builtins.list[Verification]:
    """Checks by date, newest first; of one day, the one entered last first (it counts)."""
    return sorted(history, key=lambda c: (c.data.verified_on, c.id), reverse=True)


def _in_force(plan: InsurancePlan, today: dt.date) -> bool:
    started = plan.coverage_start is None or plan.coverage_start <= today
    return started and (plan.coverage_end is None or plan.coverage_end >= today)


def _is_supplemental(plan: InsurancePlan) -> bool:
    return PlanType(plan.plan_type).is_supplemental


def _check_verification_references(session: Session, data: VerificationData) -> None:
    if session.get(Provider, data.provider_id) is None:
        raise UserError("That provider no longer exists; please choose another.")
    if session.get(InsurancePlan, data.plan_id) is None:
        raise UserError("That plan no longer exists; please choose another.")
    if data.call_id is not None and session.get(PhoneCall, data.call_id) is None:
        raise UserError("That call is no longer in the call log; please choose another.")


def _load(session: Session, model: type[Any], record_id: int) -> Any:
    row = session.get(model, record_id)
    if row is None:
        noun = {
            NetworkVerification: "network check",
            CareTeamMember: "care-team row",
            CoverageCase: "case",
        }.get(model, "record")
        raise UserError(f"That {noun} no longer exists; it may have been deleted.")
    return row
