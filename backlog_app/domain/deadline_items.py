"""How the deadline engine builds due items: a rule's period, a printed date, an approval's end."""

from __future__ import annotations

import datetime as dt

from backlog_app.domain.cases import CaseEvent
from backlog_app.domain.dates import format_long_date
from backlog_app.domain.deadline_rules import RULES, DeadlineRule, Party, RuleKey, add_period
from backlog_app.domain.deadline_words import (
    NO_PLAN_NOTE,
    PRINTED_SOURCE,
    Wording,
    anchor,
    printed_title,
    rule_title,
)
from backlog_app.domain.deadlines import CaseFacts, DueItem


def due_item(
    facts: CaseFacts,
    title: str,
    due: dt.date,
    party: Party,
    explanation: str,
    source: str,
    rule: RuleKey | None,
    event: CaseEvent,
    *,
    overridden: bool = False,
) -> DueItem:
    """The item of ``facts``'s case counted from ``event``."""
    return DueItem(
        title=title,
        due=due,
        party=party,
        explanation=explanation,
        source=source,
        rule=rule,
        overridden=overridden,
        case_id=facts.case_id,
        case_title=facts.title,
        event_id=event.id,
    )


def counted_item(
    facts: CaseFacts,
    rule: DeadlineRule,
    event: CaseEvent,
    extra: list[str],
    wording: Wording,
    *,
    level: int | None = None,
) -> DueItem:
    """The item for ``rule`` counted from ``event`` (with the case's own figure, if any).

    Args:
        extra: notes added to the explanation.
        wording: how to name ``event`` in the explanation (noun, and verb or None).
        level: the appeal level, for the title of an insurer's appeal clock.
    """
    assert rule.amount is not None
    override = (facts.overrides or {}).get(rule.key)
    amount, unit = (override.amount, override.unit) if override else (rule.amount, rule.unit)
    noun, verb = wording
    start, anchor_text = anchor(rule.anchor, event.data, noun, verb)
    period = unit.label(amount)
    explanation = f"{period} after {anchor_text}"
    if override is not None:
        explanation = f"your figure for this case: {explanation}"
        if override.note:
            explanation += f" ({override.note.strip()})"
    notes = list(extra)
    if facts.family is None:
        notes.append(NO_PLAN_NOTE)
    return due_item(
        facts,
        rule_title(rule, level),
        add_period(start, amount, unit),
        rule.party,
        "; ".join([explanation, *notes]),
        rule.source,
        rule.key,
        event,
        overridden=override is not None,
    )


def printed_item(
    facts: CaseFacts, key: RuleKey | None, event: CaseEvent, extra: list[str]
) -> DueItem:
    """Your item for the date printed on ``event``'s notice, which wins over ``key``'s period."""
    data = event.data
    assert data.deadline is not None
    rule = RULES[key] if key is not None else None
    title = rule_title(rule) if rule else printed_title(event)
    explanation = f"the date printed on the notice dated {format_long_date(data.day)}"
    return due_item(
        facts,
        title,
        data.deadline,
        Party.YOU,
        "; ".join([explanation, *extra]),
        rule.source if rule else PRINTED_SOURCE,
        key,
        event,
        overridden=True,
    )


def authorization_item(facts: CaseFacts, event: CaseEvent) -> DueItem | None:
    """The item for the end of the approval ``event``; None when the care is scheduled in time."""
    data = event.data
    assert data.valid_until is not None
    scheduled = facts.scheduled_date
    extra = ""
    if scheduled is not None:
        if scheduled > data.valid_until:
            extra = (
                "; your date of service is after the approval ends: "
                "ask the office to request an extension"
            )
        elif data.valid_from is not None and scheduled < data.valid_from:
            extra = (
                "; your date of service is before the approval starts: "
                "ask the office to correct the dates"
            )
        else:
            return None
    rule = RULES[RuleKey.AUTHORIZATION_EXPIRY]
    number = f" (auth {data.authorization_number})" if data.authorization_number else ""
    return due_item(
        facts,
        f"{rule.what}{number}",
        data.valid_until,
        rule.party,
        f"the end date on the approval dated {format_long_date(data.day)}{extra}",
        rule.source,
        rule.key,
        event,
    )
