"""What is due and by when: a case's timeline and its plan's rules turned into dated to-dos.

Pure functions over plain data (see ``deadline_rules`` for the figures and their sources,
``deadline_engine`` for the walk along the timeline and ``deadline_words`` for its wording,
``case_next_step`` for the advice).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from backlog_app.domain.cases import (
    Call,
    CaseEvent,
    CaseStatus,
    Priority,
    ServiceType,
)
from backlog_app.domain.dates import format_long_date
from backlog_app.domain.deadline_rules import (
    RULES,
    DeadlineRule,
    Party,
    RuleKey,
    RuleOverride,
    rules_for,
)
from backlog_app.domain.records import AppealRules

# Items due within this many days are "due soon" (Home lists them; the tray reminds once a day).
DUE_SOON_DAYS = 7


class DueStatus(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"  # today or within DUE_SOON_DAYS
    LATER = "later"


@dataclass(frozen=True, slots=True)
class DueItem:
    """One dated thing to do or to expect.

    Args:
        title: what must happen, in plain words ("File your first appeal").
        due: the last day.
        party: who must act (YOU) or who owes an answer (INSURER: overdue means "call them").
        explanation: how the date was found ("180 days after the denial you received on
            5 Mar 2026" or "the date printed on the notice").
        source: the rule's citation ("29 CFR 2560.503-1(h)(3)(i)"), or "Your call log".
        rule: the rule used, or None when a date on a record was used as is.
        overridden: the case's own figure or a printed date replaced the default.
        case_id, case_title: the case it belongs to (None for a call outside any case).
        event_id, call_id, cost_id: the record the date was counted from (a cost entry: the
            bill whose dispute window it is).
    """

    title: str
    due: dt.date
    party: Party
    explanation: str
    source: str
    rule: RuleKey | None = None
    overridden: bool = False
    case_id: int | None = None
    case_title: str = ""
    event_id: int | None = None
    call_id: int | None = None
    cost_id: int | None = None

    def status(self, today: dt.date) -> DueStatus:
        return due_status(self.due, today)


def due_status(due: dt.date, today: dt.date) -> DueStatus:
    if due < today:
        return DueStatus.OVERDUE
    if (due - today).days <= DUE_SOON_DAYS:
        return DueStatus.DUE_SOON
    return DueStatus.LATER


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the deadline rules look at for one case.

    Args:
        family: the plan's appeal-rule family; None when the case has no plan (the employer
            and ACA rules are used then, and the explanation says so).
        events: the case's events in any order.
        calls: the case's calls (their open follow-ups are due items too).
        overrides: the case's own figures, by rule.
    """

    case_id: int
    title: str
    family: AppealRules | None
    priority: Priority
    service_type: ServiceType
    events: Sequence[CaseEvent]
    calls: Sequence[Call] = ()
    overrides: Mapping[RuleKey, RuleOverride] | None = None
    scheduled_date: dt.date | None = None
    requesting_provider: str | None = None  # "Dr. Patel's office", for next-step sentences


@dataclass(frozen=True, slots=True)
class EffectiveRule:
    """A rule as one case uses it: the default beside the case's own figure, if any."""

    rule: DeadlineRule
    override: RuleOverride | None

    @property
    def period(self) -> str:
        if self.override is not None:
            return self.override.unit.label(self.override.amount)
        return self.rule.period


def effective_rules(
    family: AppealRules | None, overrides: Mapping[RuleKey, RuleOverride] | None = None
) -> list[EffectiveRule]:
    """Every rule for ``family`` (employer/ACA when None) with the case's overrides applied."""
    overrides = overrides or {}
    return [
        EffectiveRule(rule, overrides.get(rule.key))
        for rule in rules_for(family or AppealRules.ERISA_ACA)
    ]


def case_due_items(facts: CaseFacts, today: dt.date) -> list[DueItem]:
    """The open deadlines of one case, soonest first (done ones are left out).

    An overdue item stays open until an event closes it, so ``today`` does not change which
    items there are; it is taken for symmetry with ``next_step``.
    """
    from backlog_app.domain.deadline_engine import walk  # the engine imports this module

    items = walk(facts)
    for call in facts.calls:
        item = _call_item(call, facts.case_id, facts.title)
        if item is not None:
            items.append(item)
    return _soonest_first(items)


def call_due_items(calls: Sequence[Call], case_titles: Mapping[int, str]) -> list[DueItem]:
    """Open follow-ups of calls, soonest first (for calls of a case, ``case_titles`` names it)."""
    items = []
    for call in calls:
        case_id = call.data.case_id
        title = case_titles.get(case_id, "") if case_id is not None else ""
        item = _call_item(call, case_id, title)
        if item is not None:
            items.append(item)
    return _soonest_first(items)


def next_step(
    facts: CaseFacts, status: CaseStatus, items: Sequence[DueItem], today: dt.date
) -> str:
    """What the user should do next for the case, in two or three plain sentences.

    e.g. "Denied 3 Mar for missing documentation. Ask the surgeon's office for a peer-to-peer
    review. File your appeal by 30 Aug."
    """
    from backlog_app.domain.case_next_step import advice

    return advice(facts, status, items, today)


_MAX_FOLLOW_UP_TITLE = 80


def _call_item(call: Call, case_id: int | None, case_title: str) -> DueItem | None:
    data = call.data
    if not data.has_open_follow_up or data.follow_up_date is None:
        return None
    promise = (data.follow_up or "").strip().splitlines()
    what = promise[0].strip() if promise else ""
    if len(what) > _MAX_FOLLOW_UP_TITLE:
        what = what[: _MAX_FOLLOW_UP_TITLE - 1].rstrip() + "…"
    details = [
        f"{label} {value.strip()}"
        for label, value in (("rep", data.representative), ("ref", data.reference_number))
        if value and value.strip()
    ]
    who = data.organization.strip()
    rule = RULES[RuleKey.CALL_FOLLOW_UP]
    return DueItem(
        title=f"Follow up: {what or f'the call with {who}'}",
        due=data.follow_up_date,
        party=rule.party,
        explanation=(
            f"promised on the call with {who}"
            + (f" ({', '.join(details)})" if details else "")
            + f" on {format_long_date(data.called_at.date())}"
        ),
        source=rule.source,
        rule=rule.key,
        case_id=case_id,
        case_title=case_title,
        call_id=call.id,
    )


def _soonest_first(items: list[DueItem]) -> list[DueItem]:
    return sorted(items, key=lambda item: (item.due, item.title))
