"""Coverage cases use-cases: cases, their timeline events and deadline overrides, and what is due
(the call log is in ``calls``).

Every write validates with the domain rules first and commits in one transaction; the case's
status and deadlines are computed on reading, never stored.
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from backlog_app.domain.case_rules import (
    case_problems,
    event_problems,
    event_warnings,
    normalized_codes,
)
from backlog_app.domain.cases import (
    Call,
    CallData,
    CaseData,
    CaseEvent,
    CaseEventData,
    CaseStatus,
    derive_status,
    sorted_events,
)
from backlog_app.domain.deadline_rules import RULES, RuleKey, RuleOverride, Unit
from backlog_app.domain.deadlines import (
    CaseFacts,
    DueItem,
    EffectiveRule,
    call_due_items,
    case_due_items,
    effective_rules,
    next_step,
)
from backlog_app.domain.records import AppealRules, PlanData, PlanType, ProviderData
from backlog_app.errors import ConfirmationNeeded, UserError, ValidationError
from backlog_app.services.changes import Change, ChangeBus
from backlog_app.services.database import Database
from backlog_app.services.network import add_default_roles
from backlog_app.services.records import Clock, from_model, to_model_values
from backlog_app.storage.models import (
    CaseEvent as CaseEventRow,
)
from backlog_app.storage.models import (
    CaseRuleOverride,
    CoverageCase,
    Document,
    DocumentLink,
    InsurancePlan,
    PhoneCall,
    Provider,
)


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One line of the case list."""

    id: int
    data: CaseData
    status: CaseStatus
    next_due: DueItem | None
    last_event_day: dt.date | None
    plan_name: str | None
    updated_at: dt.datetime
    next_step: str = ""  # what to do next, in plain words

    @property
    def title(self) -> str:
        return self.data.title


@dataclass(frozen=True, slots=True)
class CaseOverview:
    """Every case and every open item of the profile."""

    rows: builtins.list[CaseRow]
    due: builtins.list[DueItem]  # soonest first, calls outside any case included


@dataclass(frozen=True, slots=True)
class CaseDetail:
    """Everything the case view shows, read in one snapshot."""

    id: int
    data: CaseData
    status: CaseStatus
    events: builtins.list[CaseEvent]  # timeline order
    calls: builtins.list[Call]  # newest first
    overrides: dict[RuleKey, RuleOverride]
    rules: builtins.list[EffectiveRule]
    due: builtins.list[DueItem]  # soonest first
    next_step: str
    family: AppealRules | None
    plan: PlanData | None
    requesting_provider: ProviderData | None
    facility: ProviderData | None
    letter_draft: str | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def title(self) -> str:
        return self.data.title


class CaseService:
    """Cases, their events and their deadline overrides.

    Args:
        database: where records live.
        changes: told ``Change.CASES`` after every committed change.
        clock: today's date (deadlines are measured from it).
    """

    def __init__(self, database: Database, changes: ChangeBus, clock: Clock) -> None:
        self._db = database
        self._changes = changes
        self._clock = clock
        # What a deleted event was linked to, so that Undo can link it again.
        self._unlinked: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {}

    # -- reading ---------------------------------------------------------------------------

    def count(self) -> int:
        with self._db.read() as session:
            return session.scalar(select(func.count()).select_from(CoverageCase)) or 0

    def list(self) -> builtins.list[CaseRow]:
        """Every case, the one whose next deadline is soonest first; cases without one last."""
        return self.overview().rows

    def overview(self) -> CaseOverview:
        """The case list and everything due across the profile, from one read (Home uses it)."""
        today = self._clock()
        with self._db.read() as session:
            snapshot = _Snapshot.read(session)
        rows = []
        everything: builtins.list[DueItem] = []
        for case in snapshot.cases:
            facts = snapshot.facts(case)
            due = case_due_items(facts, today)
            everything += due
            plan = snapshot.plans.get(case.plan_id) if case.plan_id else None
            status = derive_status(facts.events)
            rows.append(
                CaseRow(
                    id=case.id,
                    data=case_data(case),
                    status=status,
                    next_due=due[0] if due else None,
                    last_event_day=max((e.data.day for e in facts.events), default=None),
                    plan_name=_plan_name(plan) if plan else None,
                    updated_at=case.updated_at,
                    next_step=next_step(facts, status, due, today),
                )
            )
        everything += call_due_items(snapshot.calls_by_case.get(None, []), {})
        far = dt.date.max
        return CaseOverview(
            rows=sorted(rows, key=lambda r: (r.next_due.due if r.next_due else far, -(r.id))),
            due=sorted(everything, key=lambda item: (item.due, item.case_title, item.title)),
        )

    def timelines(self) -> dict[int, tuple[str, builtins.list[CaseEvent]]]:
        """Case id → (title, events in timeline order), from one read (for link pickers)."""
        with self._db.read() as session:
            snapshot = _Snapshot.read(session)
        return {
            case.id: (case_data(case).title, sorted_events(snapshot.events.get(case.id, [])))
            for case in snapshot.cases
        }

    def titles(self) -> dict[int, str]:
        """Case id → title, without working out any deadline (for pickers and filters)."""
        with self._db.read() as session:
            rows = session.scalars(select(CoverageCase)).all()
            return {row.id: case_data(row).title for row in rows}

    def get(self, case_id: int) -> CaseDetail:
        today = self._clock()
        with self._db.read() as session:
            case = load_case(session, case_id)
            snapshot = _Snapshot.read(session, case_id)
            plan = session.get(InsurancePlan, case.plan_id) if case.plan_id else None
            requesting = (
                session.get(Provider, case.requesting_provider_id)
                if case.requesting_provider_id
                else None
            )
            facility = session.get(Provider, case.facility_id) if case.facility_id else None
            facts = snapshot.facts(case)
            status = derive_status(facts.events)
            due = case_due_items(facts, today)
            return CaseDetail(
                id=case.id,
                data=case_data(case),
                status=status,
                events=sorted_events(facts.events),
                calls=sorted(facts.calls, key=lambda c: (c.data.called_at, c.id), reverse=True),
                overrides=dict(facts.overrides or {}),
                rules=effective_rules(facts.family, facts.overrides),
                due=due,
                next_step=next_step(facts, status, due, today),
                family=facts.family,
                plan=from_model(PlanData, plan) if plan else None,
                requesting_provider=from_model(ProviderData, requesting) if requesting else None,
                facility=from_model(ProviderData, facility) if facility else None,
                letter_draft=case.letter_draft,
                created_at=case.created_at,
                updated_at=case.updated_at,
            )

    def facts(self, case_id: int) -> CaseFacts:
        with self._db.read() as session:
            case = load_case(session, case_id)
            return _Snapshot.read(session, case_id).facts(case)

    def event(self, event_id: int) -> CaseEvent:
        with self._db.read() as session:
            return event_from_row(load_event(session, event_id))

    def due_items(self) -> builtins.list[DueItem]:
        """Everything open across the profile — every case's deadlines and every promised
        follow-up — soonest first."""
        return self.overview().due

    # -- cases -------------------------------------------------------------------------------

    def add(self, data: CaseData) -> int:
        data = self._validated(data)
        with self._db.write() as session:
            _check_references(session, data)
            row = CoverageCase(**to_model_values(data))
            session.add(row)
            session.flush()
            case_id = row.id
            # A new case starts with the care team its procedure usually involves.
            add_default_roles(session, row)
        self._changes.announce(frozenset({Change.CASES, Change.NETWORK}))
        return case_id

    def update(self, case_id: int, data: CaseData) -> None:
        data = self._validated(data)
        with self._db.write() as session:
            row = load_case(session, case_id)
            _check_references(session, data)
            for name, value in to_model_values(data).items():
                setattr(row, name, value)
        self._changes.announce(Change.CASES)

    def delete(self, case_id: int) -> None:
        """Delete a case with its events and overrides; its calls stay in the call log."""
        with self._db.write() as session:
            session.delete(load_case(session, case_id))
        self._changes.announce(
            frozenset({Change.CASES, Change.CALLS, Change.DOCUMENTS, Change.NETWORK, Change.COSTS})
        )

    def set_letter_draft(self, case_id: int, text: str | None) -> None:
        """Keep the letter as the user edited it (None forgets it: a new draft is made)."""
        with self._db.write() as session:
            load_case(session, case_id).letter_draft = (text or "").strip() or None
        self._changes.announce(Change.CASES)

    # -- events ------------------------------------------------------------------------------

    def add_event(self, data: CaseEventData, *, confirmed: bool = False) -> int:
        """Add an event to its case.

        Raises:
            ValidationError: a rule is broken (e.g. a decision before its filing); nothing saved.
            ConfirmationNeeded: it looks wrong (an appeal before the denial) and ``confirmed``
                is False; nothing saved.
        """
        with self._db.write() as session:
            load_case(session, data.case_id)
            others = _case_events(session, data.case_id)
            self._check_event(data, others, None, confirmed)
            row = CaseEventRow(**to_model_values(data))
            session.add(row)
            session.flush()
            event_id = row.id
        self._changes.announce(Change.CASES)
        return event_id

    def update_event(self, event_id: int, data: CaseEventData, *, confirmed: bool = False) -> None:
        with self._db.write() as session:
            row = load_event(session, event_id)
            if row.case_id != data.case_id:
                raise UserError("An event cannot move to another case; add it there instead.")
            others = _case_events(session, data.case_id)
            self._check_event(data, others, event_id, confirmed)
            for name, value in to_model_values(data).items():
                setattr(row, name, value)
        self._changes.announce(Change.CASES)

    def delete_event(self, event_id: int) -> CaseEvent:
        """Delete an event (its calls stay, unlinked) and return it for Undo (``restore_event``)."""
        with self._db.write() as session:
            row = load_event(session, event_id)
            event = event_from_row(row)
            self._unlinked[event_id] = (
                tuple(
                    session.scalars(
                        select(DocumentLink.document_id).where(
                            DocumentLink.case_event_id == event_id
                        )
                    )
                ),
                tuple(session.scalars(select(PhoneCall.id).where(PhoneCall.event_id == event_id))),
            )
            session.delete(row)
        self._changes.announce(frozenset({Change.CASES, Change.CALLS, Change.DOCUMENTS}))
        return event

    def restore_event(self, event: CaseEvent) -> int:
        """Put a deleted event back with its documents and its calls (Undo); returns its id,
        the old one unless a newer record took it."""
        documents, calls = self._unlinked.pop(event.id, ((), ()))
        with self._db.write() as session:
            load_case(session, event.data.case_id)
            row = CaseEventRow(**to_model_values(event.data))
            # SQLite hands a freed id to the next new row: then the event comes back under a
            # new one rather than being lost.
            if session.get(CaseEventRow, event.id) is None:
                row.id = event.id
            session.add(row)
            session.flush()
            for document_id in documents:
                if session.get(Document, document_id) is not None:
                    session.add(DocumentLink(document_id=document_id, case_event_id=row.id))
            for call_id in calls:
                call = session.get(PhoneCall, call_id)
                if call is not None and call.event_id is None:
                    call.event_id = row.id
            event_id = row.id
        self._changes.announce(frozenset({Change.CASES, Change.CALLS, Change.DOCUMENTS}))
        return event_id

    # -- overrides ---------------------------------------------------------------------------

    def set_override(self, case_id: int, override: RuleOverride) -> None:
        """Use the case's own figure for one rule ("my letter says 60 days")."""
        problems = override_problems(override)
        if problems:
            raise ValidationError(problems)
        with self._db.write() as session:
            load_case(session, case_id)
            row = session.scalar(
                select(CaseRuleOverride).where(
                    CaseRuleOverride.case_id == case_id,
                    CaseRuleOverride.rule == override.rule.value,
                )
            )
            if row is None:
                row = CaseRuleOverride(case_id=case_id, rule=override.rule.value)
                session.add(row)
            row.amount = override.amount
            row.unit = override.unit.value
            row.note = (override.note or "").strip() or None
        self._changes.announce(Change.CASES)

    def clear_override(self, case_id: int, rule: RuleKey) -> None:
        """Go back to the default for ``rule``."""
        with self._db.write() as session:
            session.execute(
                delete(CaseRuleOverride).where(
                    CaseRuleOverride.case_id == case_id, CaseRuleOverride.rule == rule.value
                )
            )
        self._changes.announce(Change.CASES)

    # -- helpers -------------------------------------------------------------------------------

    def _validated(self, data: CaseData) -> CaseData:
        problems = case_problems(data, self._clock())
        if problems:
            raise ValidationError(problems)
        return normalized_codes(data)

    def _check_event(
        self,
        data: CaseEventData,
        others: builtins.list[CaseEvent],
        event_id: int | None,
        confirmed: bool,
    ) -> None:
        problems = event_problems(data, others, self._clock(), event_id)
        if problems:
            raise ValidationError(problems)
        if not confirmed:
            warnings = event_warnings(data, others, event_id)
            if warnings:
                raise ConfirmationNeeded(warnings)


# --- rows and plain data ------------------------------------------------------------------------


def case_data(row: CoverageCase) -> CaseData:
    return from_model(CaseData, row)


def event_from_row(row: CaseEventRow) -> CaseEvent:
    return CaseEvent(row.id, from_model(CaseEventData, row))


def call_from_row(row: PhoneCall) -> Call:
    return Call(row.id, from_model(CallData, row))


def override_from_row(row: CaseRuleOverride) -> RuleOverride:
    return RuleOverride(RuleKey(row.rule), row.amount, Unit(row.unit), row.note)


def override_problems(override: RuleOverride) -> builtins.list[str]:
    if RULES[override.rule].amount is None:
        return ["This date comes from a record (the approval letter or the call); change it there."]
    if not 1 <= override.amount <= 3650:
        return ["The number must be between 1 and 3,650."]
    if override.note is not None and len(override.note) > 2000:
        return ["The note is longer than 2,000 characters; please shorten it."]
    return []


def _plan_name(plan: InsurancePlan) -> str:
    return f"{plan.insurer} — {plan.plan_name}" if plan.plan_name else plan.insurer


def family_of(plan: InsurancePlan | None) -> AppealRules | None:
    return PlanType(plan.plan_type).appeal_rules if plan is not None else None


@dataclass
class _Snapshot:
    """Cases with their events, calls, overrides, plans and providers, read in one session."""

    cases: builtins.list[CoverageCase]
    events: dict[int, builtins.list[CaseEvent]]
    calls_by_case: dict[int | None, builtins.list[Call]]
    overrides: dict[int, dict[RuleKey, RuleOverride]]
    plans: dict[int, InsurancePlan]
    provider_names: dict[int, str]

    @classmethod
    def read(cls, session: Session, case_id: int | None = None) -> _Snapshot:
        cases_query = select(CoverageCase).order_by(CoverageCase.id)
        events_query = select(CaseEventRow)
        calls_query = select(PhoneCall)
        overrides_query = select(CaseRuleOverride)
        if case_id is not None:
            cases_query = cases_query.where(CoverageCase.id == case_id)
            events_query = events_query.where(CaseEventRow.case_id == case_id)
            calls_query = calls_query.where(PhoneCall.case_id == case_id)
            overrides_query = overrides_query.where(CaseRuleOverride.case_id == case_id)
        events: dict[int, builtins.list[CaseEvent]] = defaultdict(list)
        for row in session.scalars(events_query):
            events[row.case_id].append(event_from_row(row))
        calls: dict[int | None, builtins.list[Call]] = defaultdict(list)
        for call_row in session.scalars(calls_query):
            calls[call_row.case_id].append(call_from_row(call_row))
        overrides: dict[int, dict[RuleKey, RuleOverride]] = defaultdict(dict)
        for override_row in session.scalars(overrides_query):
            override = override_from_row(override_row)
            overrides[override_row.case_id][override.rule] = override
        return cls(
            cases=list(session.scalars(cases_query)),
            events=events,
            calls_by_case=calls,
            overrides=overrides,
            plans={plan.id: plan for plan in session.scalars(select(InsurancePlan))},
            provider_names={
                provider_id: name
                for provider_id, name in session.execute(select(Provider.id, Provider.name))
            },
        )

    def facts(self, case: CoverageCase) -> CaseFacts:
        data = case_data(case)
        plan = self.plans.get(case.plan_id) if case.plan_id else None
        return CaseFacts(
            case_id=case.id,
            title=data.title,
            family=family_of(plan),
            priority=data.priority,
            service_type=data.service_type,
            events=tuple(self.events.get(case.id, ())),
            calls=tuple(self.calls_by_case.get(case.id, ())),
            overrides=dict(self.overrides.get(case.id, {})),
            scheduled_date=data.scheduled_date,
            requesting_provider=self.provider_names.get(case.requesting_provider_id)
            if case.requesting_provider_id
            else None,
        )


def load_case(session: Session, case_id: int) -> CoverageCase:
    row = session.get(CoverageCase, case_id)
    if row is None:
        raise UserError("That case no longer exists; it may have been deleted.")
    return row


def load_event(session: Session, event_id: int) -> CaseEventRow:
    row = session.get(CaseEventRow, event_id)
    if row is None:
        raise UserError("That event no longer exists; it may have been deleted.")
    return row


def _case_events(session: Session, case_id: int) -> builtins.list[CaseEvent]:
    rows: Iterable[CaseEventRow] = session.scalars(
        select(CaseEventRow).where(CaseEventRow.case_id == case_id)
    )
    return [event_from_row(row) for row in rows]


def _check_references(session: Session, data: CaseData) -> None:
    if data.plan_id is not None and session.get(InsurancePlan, data.plan_id) is None:
        raise UserError("That insurance plan no longer exists; choose another.")
    for provider_id in (data.requesting_provider_id, data.facility_id):
        if provider_id is not None and session.get(Provider, provider_id) is None:
            raise UserError("That provider no longer exists; choose another.")


__all__ = [
    "CaseDetail",
    "CaseOverview",
    "CaseRow",
    "CaseService",
    "ConfirmationNeeded",
]
