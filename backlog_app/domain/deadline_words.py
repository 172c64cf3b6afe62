"""How the deadline engine words its explanations: "180 days after the denial you received on
5 Mar 2026", "the date printed on the notice", and the notes added to them."""

from __future__ import annotations

import datetime as dt

from backlog_app.domain.cases import CaseEvent, CaseEventData, EventType
from backlog_app.domain.dates import format_long_date
from backlog_app.domain.deadline_rules import (
    MEDICARE_PRESUMED_MAIL_DAYS,
    Anchor,
    DeadlineRule,
    Party,
    RuleKey,
)

NO_PLAN_NOTE = "no plan chosen on this case: using employer-plan rules"
PRINTED_SOURCE = "The date printed on your notice"
SECOND_LEVEL_NOTE = (
    "if your plan has a second internal appeal level, file that instead; "
    "its deadline is in the letter"
)
URGENT_INFO_NOTE = (
    "on an urgent request the plan may give you as little as 48 hours: "
    "check the notice and enter its date"
)

TWO_LEVELS_NOTE = "plans with two appeal levels get half the time for each level"
BEFORE_2026_NOTE = "requests submitted before 1 Jan 2026 use the 14-day rule"
# Added to the title of a filing clock that a partial approval keeps open.
DENIED_PART = " for the part that was denied"
# A peer-to-peer review approved by phone: get it in writing (the appeal clock keeps running).
WRITTEN_TITLE = "Get the approval in writing"
WRITTEN_SOURCE = "Good practice: a phone approval is not an authorization until the plan sends it"
WRITTEN_DAYS = 7
IRE_DECISION = "Independent Review Entity's decision"

# (noun, verb): "the information you sent on 3 Mar 2026"; a None verb means the usual one.
Wording = tuple[str, str | None]
INFORMATION_SENT: Wording = ("information", "you sent")

_TITLES: dict[RuleKey, str] = {
    RuleKey.ERISA_APPEAL_FILING: "File your first appeal",
}
# Rules whose explanation says why the period is half the usual one.
_HALF_TIME = frozenset(
    {
        RuleKey.ERISA_APPEAL_DECISION_PRE_SERVICE_LEVEL_2,
        RuleKey.ERISA_APPEAL_DECISION_POST_SERVICE_LEVEL_2,
    }
)


NOUNS: dict[EventType, str] = {
    EventType.REQUEST_SUBMITTED: "request",
    EventType.INFO_REQUESTED: "request for more information",
    EventType.APPROVED: "approval",
    EventType.DENIED: "denial",
    EventType.APPEAL_FILED: "appeal",
    EventType.EXPEDITED_REQUESTED: "request for an expedited review",
    EventType.EXTERNAL_REVIEW_REQUESTED: "external review request",
    EventType.EXTERNAL_REVIEW_DECIDED: "external review decision",
    EventType.CLAIM_SUBMITTED: "claim",
    EventType.CLAIM_PAID: "payment",
    EventType.CLAIM_DENIED: "claim denial",
    EventType.P2P_OUTCOME: "peer-to-peer outcome",
    EventType.P2P_HELD: "peer-to-peer review",
}
_FILINGS_VERBS: dict[EventType, str] = {
    EventType.REQUEST_SUBMITTED: "submitted",
    EventType.APPEAL_FILED: "filed",
    EventType.EXTERNAL_REVIEW_REQUESTED: "sent",
    EventType.EXPEDITED_REQUESTED: "made",
    EventType.CLAIM_SUBMITTED: "submitted",
}


def anchor(
    kind: Anchor, data: CaseEventData, noun: str, verb: str | None = None
) -> tuple[dt.date, str]:
    """The day a period counts from, and how to say it ("the denial you received on 5 Mar 2026").

    Args:
        kind: the rule's anchor.
        data: the event the period counts from.
        noun: what the event is ("denial", "appeal").
        verb: how it happened ("filed"); the usual verb for its type when None.
    """
    day = format_long_date(data.day)
    if kind is Anchor.PRESUMED_RECEIVED:
        presumed = data.day + dt.timedelta(days=MEDICARE_PRESUMED_MAIL_DAYS)
        received = data.received_date
        if received is not None and received < presumed:
            # Safer: the earlier day gives the earlier deadline, never a later one than Medicare's.
            return received, (
                f"the {noun} you received on {format_long_date(received)} (dated {day}; "
                f"Medicare would presume {format_long_date(presumed)}, "
                f"{MEDICARE_PRESUMED_MAIL_DAYS} days after the notice date, but BackLog counts "
                "from the earlier day you noted, to be safe)"
            )
        text = (
            f"{format_long_date(presumed)}: the {noun} dated {day} is presumed received "
            f"{MEDICARE_PRESUMED_MAIL_DAYS} days after the notice date"
        )
        if received is not None and received > presumed:
            text += (
                f" (you noted it arrived on {format_long_date(received)}, but Medicare counts "
                "from the presumed day unless you can prove the later one)"
            )
        return presumed, text
    if kind is Anchor.RECEIVED:
        if data.received_date is not None:
            return data.received_date, (
                f"the {noun} you received on {format_long_date(data.received_date)}"
            )
        if data.event_type.is_notice:
            return data.day, f"the {noun} dated {day} (add the day it arrived to count from then)"
        return data.day, f"the {noun} of {day}"
    verb = verb or _FILINGS_VERBS.get(data.event_type)
    if verb:
        return data.day, f"the {noun} {verb} on {day}"
    return data.day, f"the {noun} dated {day}"


def printed_title(event: CaseEvent) -> str:
    """A title for a printed date that no rule covers (the notice says what is due)."""
    kind = event.data.event_type
    if kind is EventType.INFO_REQUESTED:
        return "Send the information the plan asked for"
    if kind in (EventType.DENIED, EventType.CLAIM_DENIED):
        return "File your appeal"
    return "Take the next step the notice asks for"


def rule_title(rule: DeadlineRule, level: int | None = None) -> str:
    """The title of an item counted by ``rule`` ("The plan decides the appeal (level 2)")."""
    title = _TITLES.get(rule.key, rule.what)
    appeal_rule = rule.key.name.startswith(("ERISA_APPEAL", "MEDICAID_APPEAL", "MA_RECON"))
    if rule.party is Party.INSURER and appeal_rule and level is not None and level >= 2:
        title += f" (level {level})"
    return title


def event_noun(event: CaseEvent, *, expedited: bool) -> str:
    """What ``event`` is, in words that follow "after the ..."."""
    data = event.data
    kind = data.event_type
    if kind is EventType.APPEAL_FILED and data.level and data.level > 1:
        return f"level {data.level} appeal"
    if kind is EventType.REQUEST_SUBMITTED and expedited:
        return "urgent request"
    return NOUNS.get(kind, kind.label.lower())


def insurer_notes(key: RuleKey) -> list[str]:
    """The notes that explain an insurer's period counted by ``key`` (why it is shorter)."""
    notes = [TWO_LEVELS_NOTE] if key in _HALF_TIME else []
    if key is RuleKey.MA_DECISION_STANDARD_BEFORE_2026:
        notes.append(BEFORE_2026_NOTE)
    return notes
