"""The next step of a coverage case, in two or three plain sentences (``deadlines.next_step``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from backlog_app.domain.cases import (
    CaseEvent,
    CaseStatus,
    DenialReason,
    EventType,
    Outcome,
    Priority,
    ServiceType,
    sorted_events,
)
from backlog_app.domain.deadline_choice import FIRST_FILING
from backlog_app.domain.deadline_rules import RULES, Party, RuleKey
from backlog_app.domain.deadline_words import DENIED_PART, SECOND_LEVEL_NOTE, WRITTEN_TITLE
from backlog_app.domain.deadlines import CaseFacts, DueItem
from backlog_app.domain.records import AppealRules

MAX_SENTENCES = 3
CHOOSE_PLAN = "Choose this case's plan so its deadlines follow the plan's own rules."
PEER_TO_PEER = "a peer-to-peer review (your doctor talks with the plan's doctor)"
NO_FIXED_DEADLINE = "No fixed deadline applies here: call every couple of weeks and log each call."

# Families whose plans must decide urgent requests within 72 hours.
_URGENT_FAMILIES = frozenset(
    {AppealRules.ERISA_ACA, AppealRules.MEDICARE_ADVANTAGE, AppealRules.MEDICAID}
)
_URGENT_RULES = frozenset(
    {
        RuleKey.ERISA_DECISION_URGENT,
        RuleKey.ERISA_APPEAL_DECISION_URGENT,
        RuleKey.EXTERNAL_REVIEW_DECISION_EXPEDITED,
        RuleKey.MA_DECISION_EXPEDITED,
        RuleKey.MA_RECONSIDERATION_DECISION_EXPEDITED,
        RuleKey.MEDICAID_DECISION_EXPEDITED,
        RuleKey.MEDICAID_APPEAL_DECISION_EXPEDITED,
    }
)
_NOT_FILINGS = frozenset(
    {RuleKey.ERISA_INFO_RESPONSE, RuleKey.AUTHORIZATION_EXPIRY, RuleKey.CALL_FOLLOW_UP}
)
_REASON_WORDS = {
    DenialReason.MISSING_DOCUMENTATION: " for missing documentation",
    DenialReason.NOT_MEDICALLY_NECESSARY: " as not medically necessary",
    DenialReason.EXPERIMENTAL: " as experimental",
    DenialReason.OUT_OF_NETWORK: " as out of network",
    DenialReason.NOT_COVERED: " as not a covered benefit",
    DenialReason.NO_PREAUTHORIZATION: " for lack of preauthorization",
}
_DECIDERS = {
    RuleKey.MEDICARE_REDETERMINATION_DECISION: "the Medicare contractor's",
    RuleKey.MEDICARE_RECONSIDERATION_DECISION: "the independent contractor's",
    RuleKey.EXTERNAL_REVIEW_DECISION: "the external reviewer's",
    RuleKey.EXTERNAL_REVIEW_DECISION_EXPEDITED: "the external reviewer's",
}
# Words that make a provider's name an organization ("Columbus Spine Center"), not a person.
_ORGANIZATION_WORDS = (
    "office",
    "clinic",
    "center",
    "centre",
    "hospital",
    "group",
    "associates",
    "practice",
    "institute",
    "health",
    "medical",
    "llc",
    "inc",
)


def advice(facts: CaseFacts, status: CaseStatus, items: Sequence[DueItem], today: dt.date) -> str:
    """See ``deadlines.next_step``."""
    sentences = _Advisor(facts, items, today).sentences(status)
    if facts.family is None and len(sentences) < MAX_SENTENCES:
        sentences.append(CHOOSE_PLAN)
    return " ".join(sentences[:MAX_SENTENCES])


def short_date(day: dt.date, today: dt.date) -> str:
    """ "3 Mar", or "3 Mar 2027" when not in ``today``'s year."""
    text = f"{day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"


def office_of(provider: str | None) -> str:
    """ "Dr. Okafor's office"; an organization's own name; "your doctor's office" when unknown."""
    name = (provider or "").strip()
    if not name:
        return "your doctor's office"
    words = {word.strip(".,").lower() for word in name.split()}
    if words & set(_ORGANIZATION_WORDS):
        return name
    return f"{name}'s office"


@dataclass
class _Advisor:
    facts: CaseFacts
    items: Sequence[DueItem]
    today: dt.date

    def __post_init__(self) -> None:
        self.events = sorted_events(self.facts.events)
        self.family = self.facts.family or AppealRules.ERISA_ACA
        self.office = office_of(self.facts.requesting_provider)
        self.urgent = self.facts.priority is Priority.URGENT or any(
            e.data.event_type is EventType.EXPEDITED_REQUESTED for e in self.events
        )
        self.pre_service = self.facts.service_type is ServiceType.PRE_SERVICE

    def sentences(self, status: CaseStatus) -> list[str]:
        overdue_you = [i for i in self.items if i.party is Party.YOU and i.due < self.today]
        if overdue_you:
            return self.overdue_you(overdue_you[0])
        overdue_insurer = [i for i in self.items if i.party is Party.INSURER and i.due < self.today]
        if overdue_insurer:
            return self.overdue_insurer(overdue_insurer[0])
        if status is CaseStatus.NOT_SUBMITTED:
            return self.not_submitted()
        if status is CaseStatus.PENDING:
            return self.waiting("your request", "request")
        if status is CaseStatus.INFO_REQUESTED:
            return self.info_requested()
        if status in (CaseStatus.APPROVED, CaseStatus.PARTLY_APPROVED):
            return self.approved(status)
        if status is CaseStatus.DENIED:
            return self.denied()
        if status is CaseStatus.IN_APPEAL:
            return self.waiting("your appeal", "appeal")
        if status is CaseStatus.EXTERNAL_REVIEW:
            sentences = self.waiting(None, None)
            return [*sentences[:1], "The plan must accept the reviewer's decision."]
        if status is CaseStatus.CLAIM_PENDING:
            return self.waiting("your claim", None)
        return self.paid()

    # -- overdue -----------------------------------------------------------------------------

    def overdue_you(self, item: DueItem) -> list[str]:
        due = self.date(item.due)
        if item.rule is RuleKey.CALL_FOLLOW_UP:
            promise = item.title.removeprefix("Follow up: ")
            what = promise if promise.startswith("the call with ") else f"“{promise}”"
            return [
                f"Overdue: follow up on {what} (was due {due}).",
                "Call them back, and note the representative's name and the reference number.",
            ]
        if item.rule is RuleKey.AUTHORIZATION_EXPIRY:
            auth = item.title.removeprefix(RULES[RuleKey.AUTHORIZATION_EXPIRY].what)
            return [
                f"Overdue: the approval{auth} ran out on {due}.",
                f"Ask {self.office} to request an extension or a new approval before the care.",
            ]
        if _is_written(item):
            return [
                f"Overdue: the letter confirming the phone approval has not come (was due {due}).",
                "Call the plan and ask them to send it; until it comes, keep your appeal deadline.",
            ]
        first = f"Overdue: {item.title[:1].lower()}{item.title[1:]} (was due {due})."
        if item.rule is RuleKey.ERISA_INFO_RESPONSE:
            return [first, f"Ask {self.office} to send it now: the plan may decide without it."]
        return [
            first,
            "Send it now and explain the delay: late requests are sometimes accepted for a good "
            "reason, such as illness or a letter that came late.",
        ]

    def overdue_insurer(self, item: DueItem) -> list[str]:
        who = _decider(item.rule)
        sentences = [
            f"{who[:1].upper()}{who[1:]} decision was due {self.date(item.due)}: call them and "
            "ask for it, with your reference number."
        ]
        if item.rule is not None and item.rule.name.startswith("ERISA_"):
            sentences.append(
                "A plan that misses its deadline may let you go straight to an external review: "
                "ask about it on the call."
            )
        return sentences

    # -- by status ---------------------------------------------------------------------------

    def not_submitted(self) -> list[str]:
        sentences = [f"Ask {self.office} to submit the request, then add the date here."]
        if self.urgent and self.family in _URGENT_FAMILIES:
            sentences.append(
                "Ask them to mark it urgent: the plan must then decide within 72 hours."
            )
        elif self.can_ask_urgent:
            sentences.append(self.urgency_hint("request"))
        return sentences

    def waiting(self, what: str | None, urgent_what: str | None) -> list[str]:
        item = next((i for i in self.items if i.party is Party.INSURER), None)
        on = f" on {what}" if what else ""
        if item is None:
            who = "the reviewer's" if what is None else "the plan's"
            if self.family is AppealRules.ORIGINAL_MEDICARE:
                who = "Medicare's"
            return [f"Waiting for {who} decision{on}.", NO_FIXED_DEADLINE]
        who = _decider(item.rule)
        due = self.date(item.due)
        if item.rule in _URGENT_RULES:
            return [
                f"Waiting for {who} decision{on}: urgent cases must be decided within 72 hours, "
                f"by {due}."
            ]
        sentences = [f"Waiting for {who} decision{on}, due by {due}."]
        if urgent_what and self.can_ask_urgent:
            sentences.append(self.urgency_hint(urgent_what))
        return sentences

    def info_requested(self) -> list[str]:
        asked = self.latest(EventType.INFO_REQUESTED)
        on = f" on {self.date(asked.data.day)}" if asked else ""
        sentences = [f"The plan asked for more information{on}."]
        item = next(
            (
                i
                for i in self.items
                if i.party is Party.YOU and asked is not None and i.event_id == asked.id
            ),
            None,
        )
        by = f" by {self.date(item.due)}" if item else " soon"
        sentences.append(
            f"Ask {self.office} to send it{by}, then add the day it went as "
            f"“{EventType.REQUEST_SUBMITTED.label}”."
        )
        if self.family is AppealRules.ERISA_ACA:
            sentences.append("The plan's decision clock stops until the information arrives.")
        return sentences

    def approved(self, status: CaseStatus) -> list[str]:
        approvals = [e for e in self.events if _approves(e)]
        word = "Partly approved" if status is CaseStatus.PARTLY_APPROVED else "Approved"
        if not approvals:
            return [f"{word}."]
        written = next((i for i in self.items if _is_written(i)), None)
        if written is not None:
            return self.approved_by_phone(word, approvals[-1], written)
        last = approvals[-1].data
        number = next(
            (
                a.data.authorization_number
                for a in reversed(approvals)
                if a.data.authorization_number
            ),
            None,
        )
        auth = f" (auth {number})" if number else ""
        until = last.valid_until
        sentences = [
            f"{word}{auth} until {self.date(until)}."
            if until
            else f"{word}{auth} on {self.date(last.day)}."
        ]
        scheduled = self.facts.scheduled_date
        if until is None:
            sentences.append(
                "Keep the approval letter, and check the bill against it after the care."
            )
        elif scheduled is None:
            sentences.append("Schedule the care before then.")
        elif scheduled > until:
            sentences.append(
                f"Your date of service ({self.date(scheduled)}) is after that: ask {self.office} "
                "to request an extension."
            )
        elif last.valid_from is not None and scheduled < last.valid_from:
            sentences.append(
                f"Your date of service ({self.date(scheduled)}) is before the approval starts "
                f"({self.date(last.valid_from)}): ask {self.office} to correct the dates."
            )
        else:
            sentences.append(f"Your care is scheduled for {self.date(scheduled)}.")
        if status is CaseStatus.PARTLY_APPROVED:
            filing = self.filing()
            if filing is not None and filing.title.endswith(DENIED_PART):
                sentences.append(f"{filing.title} by {self.date(filing.due)}.")
            else:
                sentences.append(
                    "Read the letter for what was not approved: you can still appeal that part."
                )
        return sentences

    def approved_by_phone(self, word: str, approval: CaseEvent, written: DueItem) -> list[str]:
        sentences = [
            f"{word} by phone in the peer-to-peer review on {self.date(approval.data.day)}.",
            f"Get the approval letter by {self.date(written.due)}: ask the plan to send it, "
            "since a phone approval is not an authorization until it is in writing.",
        ]
        filing = self.filing()
        if filing is not None:
            title = f"{filing.title[:1].lower()}{filing.title[1:]}"
            sentences.append(f"Until it comes, still {title} by {self.date(filing.due)}.")
        return sentences

    def filing(self) -> DueItem | None:
        """The open filing of yours (an appeal, a review, a hearing), if any."""
        return next((i for i in self.items if _is_filing(i)), None)

    def denied(self) -> list[str]:
        denial = next((e for e in reversed(self.events) if _denies(e)), None)
        filing = self.filing()
        if denial is None:
            return [
                "Denied.",
                "Add the denial letter to the timeline: its date sets the appeal deadline.",
            ]
        if filing is not None and filing.rule is not None:
            first_level = filing.rule in FIRST_FILING.values()
        else:
            first_level = not self.appealed(denial)
        if first_level:
            return self.first_denial(denial, filing)
        return self.appeal_denied(denial, filing)

    def first_denial(self, denial: CaseEvent, filing: DueItem | None) -> list[str]:
        data = denial.data
        reason = _REASON_WORDS.get(data.reason, "") if data.reason else ""
        what = "The claim was denied" if data.event_type is EventType.CLAIM_DENIED else "Denied"
        sentences = [f"{what} {self.date(data.day)}{reason}.", self.reason_step(denial)]
        if filing is None:
            sentences.append(
                "Ask the insurer how to appeal: the denial letter says how and by when."
            )
        elif self.urgent and self.pre_service and self.family in _URGENT_FAMILIES:
            sentences.append(
                f"{filing.title} by {self.date(filing.due)}, marked urgent: the plan must decide "
                "an urgent appeal within 72 hours."
            )
        else:
            sentences.append(f"{filing.title} by {self.date(filing.due)}.")
        return sentences

    def reason_step(self, denial: CaseEvent) -> str:
        reason = denial.data.reason
        office = self.office
        talked = any(
            e.data.event_type
            in (EventType.P2P_REQUESTED, EventType.P2P_HELD, EventType.P2P_OUTCOME)
            for e in self.events
            if e.data.day >= denial.data.day
        )
        if reason is DenialReason.MISSING_DOCUMENTATION:
            if talked:
                return f"Ask {office} to send the missing records."
            return f"Ask {office} to send the missing records or request {PEER_TO_PEER}."
        if reason is DenialReason.NOT_MEDICALLY_NECESSARY:
            if talked:
                return f"Ask {office} for a letter of medical necessity explaining why you need this care."
            return f"Ask {office} for {PEER_TO_PEER} and a letter of medical necessity."
        if reason is DenialReason.EXPERIMENTAL:
            return (
                "Ask the plan for the clinical policy it used, and ask "
                f"{office} for the published studies that support this care."
            )
        if reason is DenialReason.OUT_OF_NETWORK:
            return (
                "Ask the plan for a network exception: coverage at in-network rates because no "
                "in-network provider can give this care."
            )
        if reason is DenialReason.NOT_COVERED:
            return (
                "Ask the plan which part of your coverage documents excludes it, and ask "
                f"{office} whether a covered alternative exists."
            )
        if reason is DenialReason.NO_PREAUTHORIZATION:
            return f"Ask {office} to request a retro-authorization (an approval after the fact)."
        return f"Read the reason in the letter and ask {office} how to answer it."

    def appeal_denied(self, denial: CaseEvent, filing: DueItem | None) -> list[str]:
        data = denial.data
        day = self.date(data.day)
        after_ire = (
            self.family is AppealRules.MEDICARE_ADVANTAGE
            and filing is not None
            and filing.rule is RuleKey.MEDICARE_ALJ_FILING
        )
        if after_ire:
            first = f"The Independent Review Entity upheld the denial on {day}."
        elif data.event_type is EventType.EXTERNAL_REVIEW_DECIDED:
            first = f"The external review upheld the denial on {day}."
        elif data.level and data.level > 1:
            first = f"Your level {data.level} appeal was denied {day}."
        else:
            first = f"Your appeal was denied {day}."
        if filing is None:
            return [first, self.after_last_step(denial)]
        due = self.date(filing.due)
        if filing.rule is RuleKey.EXTERNAL_REVIEW_FILING:
            sentences = [
                first,
                f"Ask for an external review by {due}: an independent reviewer decides, and the "
                "plan must accept the result.",
            ]
            if SECOND_LEVEL_NOTE in filing.explanation:
                sentences.append(
                    "If your plan has a second internal appeal level, file that instead "
                    "(the letter gives its deadline)."
                )
            return sentences
        if filing.rule is RuleKey.MEDICAID_FAIR_HEARING_FILING:
            return [
                first,
                f"Ask for a state fair hearing by {due}: a state hearing officer reviews the "
                "plan's decision.",
            ]
        sentences = [first, f"{filing.title} by {due}."]
        if filing.rule in (RuleKey.MEDICARE_ALJ_FILING, RuleKey.MEDICARE_COURT_FILING):
            sentences.append(RULES[filing.rule].note)
        return sentences

    def after_last_step(self, denial: CaseEvent) -> str:
        if self.family is AppealRules.SUPPLEMENTAL:
            return "Ask the insurer how to appeal further: the letter should say how and by when."
        if (
            self.family is AppealRules.MEDICARE_ADVANTAGE
            and denial.data.event_type is not EventType.EXTERNAL_REVIEW_DECIDED
            and (denial.data.level or 1) == 1
        ):
            return (
                "The plan must send your case to the Independent Review Entity by itself: "
                "call the plan to confirm it did, and log the call."
            )
        return (
            "The usual appeal steps are used up: a patient advocate, your state insurance "
            "department or a lawyer can tell you what options are left."
        )

    def paid(self) -> list[str]:
        paid = self.latest(EventType.CLAIM_PAID)
        on = f" on {self.date(paid.data.day)}" if paid else ""
        return [
            f"The claim was paid{on}.",
            "Compare the explanation of benefits (EOB) with the bill before you pay anything.",
        ]

    # -- helpers -----------------------------------------------------------------------------

    @property
    def can_ask_urgent(self) -> bool:
        """A standard request for care still to come, on a plan with a 72-hour rule."""
        return not self.urgent and self.pre_service and self.family in _URGENT_FAMILIES

    def urgency_hint(self, what: str) -> str:
        return (
            f"If the pain is severe and cannot wait, ask {self.office} to certify the {what} as "
            "urgent: the plan must accept the doctor's word and decide within 72 hours."
        )

    def appealed(self, denial: CaseEvent) -> bool:
        """Whether ``denial`` answered an appeal (an appeal or external review came before it)."""
        if denial.data.event_type in (EventType.DECISION, EventType.EXTERNAL_REVIEW_DECIDED):
            return True
        filings = (EventType.APPEAL_FILED, EventType.EXTERNAL_REVIEW_REQUESTED)
        before = self.events[: self.events.index(denial)]
        return any(e.data.event_type in filings for e in before)

    def latest(self, kind: EventType) -> CaseEvent | None:
        return next((e for e in reversed(self.events) if e.data.event_type is kind), None)

    def date(self, day: dt.date) -> str:
        return short_date(day, self.today)


def _is_written(item: DueItem) -> bool:
    return item.rule is None and item.call_id is None and item.title == WRITTEN_TITLE


def _is_filing(item: DueItem) -> bool:
    return (
        item.party is Party.YOU
        and item.call_id is None
        and item.rule not in _NOT_FILINGS
        and not _is_written(item)
    )


def _decider(rule: RuleKey | None) -> str:
    return _DECIDERS.get(rule, "the plan's") if rule is not None else "the plan's"


def _approves(event: CaseEvent) -> bool:
    kind = event.data.event_type
    if kind is EventType.APPROVED:
        return True
    return kind.has_outcome and event.data.outcome in (Outcome.APPROVED, Outcome.PARTLY_APPROVED)


def _denies(event: CaseEvent) -> bool:
    kind = event.data.event_type
    if kind in (EventType.DENIED, EventType.CLAIM_DENIED):
        return True
    return (
        kind in (EventType.DECISION, EventType.EXTERNAL_REVIEW_DECIDED)
        and event.data.outcome is Outcome.DENIED
    )
