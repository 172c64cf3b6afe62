"""The deadline engine: walks a case's timeline keeping "open clocks", each a possible due item.

An event opens a clock (a denial starts the appeal-filing clock, an appeal starts the plan's
decision clock) and a later event closes it (the appeal is filed, the decision arrives). What is
still open at the end of the timeline is due. ``deadlines.case_due_items`` is the public entry.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from enum import Enum, auto

from backlog_app.domain.cases import (
    CaseEvent,
    EventType,
    Outcome,
    Priority,
    ServiceType,
    sorted_events,
)
from backlog_app.domain.deadline_choice import (
    FIRST_FILING,
    appeal_decision_rule,
    claim_decision_rule,
    external_decision_rule,
    filing_after_appeal_denial,
    info_response_rule,
    initial_decision_rule,
)
from backlog_app.domain.deadline_items import (
    authorization_item,
    counted_item,
    due_item,
    printed_item,
)
from backlog_app.domain.deadline_rules import RULES, Anchor, DeadlineRule, Party, RuleKey
from backlog_app.domain.deadline_words import (
    DENIED_PART,
    INFORMATION_SENT,
    IRE_DECISION,
    SECOND_LEVEL_NOTE,
    URGENT_INFO_NOTE,
    WRITTEN_DAYS,
    WRITTEN_SOURCE,
    WRITTEN_TITLE,
    Wording,
    anchor,
    event_noun,
    insurer_notes,
)
from backlog_app.domain.deadlines import CaseFacts, DueItem
from backlog_app.domain.records import AppealRules

_ERISA = AppealRules.ERISA_ACA
_MA = AppealRules.MEDICARE_ADVANTAGE


class Slot(Enum):
    """The clocks a case can have open at once; opening a slot again replaces its clock."""

    REQUEST = auto()  # the plan decides the request
    CLAIM = auto()  # the plan decides the claim
    APPEAL = auto()  # the plan (or Medicare's contractor) decides the appeal
    EXTERNAL = auto()  # the external reviewer decides
    INFO = auto()  # you send the information asked for
    FILING = auto()  # you file the next appeal
    AUTHORIZATION = auto()  # you have the care done before the approval runs out
    WRITTEN = auto()  # you get a phone approval in writing


_INSURER_SLOTS = (Slot.APPEAL, Slot.EXTERNAL, Slot.REQUEST, Slot.CLAIM)
_APPROVING = frozenset({Outcome.APPROVED, Outcome.PARTLY_APPROVED})


@dataclass
class _Walk:
    """The state of the walk through one case's timeline."""

    facts: CaseFacts
    family: AppealRules
    urgent: bool
    post_service: bool
    clocks: dict[Slot, DueItem] = field(default_factory=dict)
    pending_request: bool = False
    pending_claim: bool = False
    pending_appeal: int | None = None  # the level awaiting a decision
    pending_external: bool = False
    paused: Slot | None = None  # the insurer clock an information request stopped
    last_level: int = 0  # the highest appeal level filed
    denial_level: int = 0  # the level of the latest denial (0: the initial one)
    seen_denial: bool = False  # a denial (or partial approval) has been met
    appeal_event: CaseEvent | None = None  # the filing of the pending appeal
    request_day: dt.date | None = None  # the day the pending request was submitted
    # Medicare Advantage: the plan sent its upheld reconsideration to the Independent Review
    # Entity itself (level 2); a later denial or decision is the Entity's.
    awaiting_ire: bool = False

    # -- the timeline ------------------------------------------------------------------------

    def run(self) -> list[DueItem]:
        for event in sorted_events(self.facts.events):
            self.on_event(event)
        return list(self.clocks.values())

    def on_event(self, event: CaseEvent) -> None:
        kind, data = event.data.event_type, event.data
        if kind is EventType.REQUEST_SUBMITTED:
            self.on_submitted(event)
        elif kind is EventType.INFO_REQUESTED:
            self.on_info_requested(event)
        elif kind is EventType.APPROVED:
            self.approve(event)
        elif kind is EventType.DENIED:
            self.on_denied(event, claim=False)
        elif kind is EventType.CLAIM_DENIED:
            self.on_denied(event, claim=True)
        elif kind in (EventType.P2P_HELD, EventType.P2P_OUTCOME):
            if data.outcome in _APPROVING:
                self.on_phone_approval(event)
        elif kind is EventType.APPEAL_FILED:
            self.on_appeal_filed(event, data.level or self.last_level + 1)
        elif kind is EventType.EXPEDITED_REQUESTED:
            self.on_expedited(event)
        elif kind is EventType.DECISION:
            self.on_decision(event)
        elif kind is EventType.EXTERNAL_REVIEW_REQUESTED:
            self.on_external_requested(event)
        elif kind is EventType.EXTERNAL_REVIEW_DECIDED:
            self.on_external_decided(event)
        elif kind is EventType.CLAIM_SUBMITTED:
            self.on_claim_submitted(event)
        elif kind is EventType.CLAIM_PAID:
            self.approve(event)
            self.clocks.pop(Slot.AUTHORIZATION, None)
        # P2P_REQUESTED and REGULATOR_COMPLAINT start no clock and answer none.

    def on_submitted(self, event: CaseEvent) -> None:
        self.clocks.pop(Slot.INFO, None)
        paused, self.paused = self.paused, None
        # After an information request, a submission is the answer: the stopped clock starts
        # again, in full, from the day the information went.
        sent = INFORMATION_SENT if paused is not None else None
        if paused is Slot.APPEAL and self.pending_appeal is not None:
            rule = self.appeal_rule(self.pending_appeal)
            self.open_insurer(Slot.APPEAL, rule, event, wording=sent)
        elif paused is Slot.EXTERNAL and self.pending_external:
            self.open_insurer(Slot.EXTERNAL, self.external_rule(), event, wording=sent)
        elif paused is Slot.CLAIM and self.pending_claim:
            rule = claim_decision_rule(self.family)
            self.open_insurer(Slot.CLAIM, rule, event, wording=sent)
        else:
            if paused is not Slot.REQUEST or self.request_day is None:
                self.request_day = event.data.day
            self.pending_request = True
            self.post_service = self.facts.service_type is ServiceType.POST_SERVICE
            self.open_insurer(Slot.REQUEST, self.initial_rule(), event, wording=sent)

    def on_info_requested(self, event: CaseEvent) -> None:
        for slot in _INSURER_SLOTS:
            if slot in self.clocks:
                del self.clocks[slot]
                self.paused = slot
                break
        rule = info_response_rule(self.family)
        printed = event.data.deadline is not None
        extra = [URGENT_INFO_NOTE] if self.expedited and rule and not printed else []
        self.open_you(Slot.INFO, rule, event, extra=extra)

    def on_denied(self, event: CaseEvent, *, claim: bool) -> None:
        answers_claim = claim and self.pending_claim
        if self.pending_appeal is not None and not answers_claim:
            appeal = self.appeal_event
            if appeal is not None and self.appealed_the_same_day(event):
                # The appeal answers this denial (entered first, the same day): the denial is
                # the first one, and the appeal's clock keeps running.
                level = self.pending_appeal
                self.initial_denied(event, claim=claim)
                self.on_appeal_filed(appeal, level)
            else:
                self.appeal_denied(event, self.pending_appeal)
        elif self.pending_external and not answers_claim:
            self.external_denied(event)
        elif self.awaiting_ire and not answers_claim and not self.pending_request:
            self.appeal_denied(event, self.denial_level + 1)
        else:
            self.initial_denied(event, claim=claim)

    def appealed_the_same_day(self, denial: CaseEvent) -> bool:
        """Whether the pending appeal was filed on ``denial``'s day with no denial before it."""
        appeal = self.appeal_event
        return appeal is not None and not self.seen_denial and appeal.data.day == denial.data.day

    def initial_denied(self, event: CaseEvent, *, claim: bool) -> None:
        for slot in (
            Slot.REQUEST,
            Slot.CLAIM,
            Slot.INFO,
            Slot.AUTHORIZATION,
            Slot.FILING,
            Slot.WRITTEN,
        ):
            self.clocks.pop(slot, None)
        self.pending_request = self.pending_claim = self.awaiting_ire = False
        self.paused = None
        self.denial_level = 0
        self.seen_denial = True
        if claim:
            self.post_service = True
        self.open_you(Slot.FILING, FIRST_FILING.get(self.family), event)

    def on_appeal_filed(self, event: CaseEvent, level: int) -> None:
        # An appeal also ends the wait for the first decision (the user confirmed an appeal
        # with no denial on the timeline).
        for slot in (Slot.FILING, Slot.REQUEST, Slot.CLAIM):
            self.clocks.pop(slot, None)
        self.pending_request = self.pending_claim = self.awaiting_ire = False
        self.pending_appeal = level
        self.appeal_event = event
        self.last_level = max(self.last_level, level)
        self.paused = None
        self.open_insurer(Slot.APPEAL, self.appeal_rule(level), event)

    def on_expedited(self, event: CaseEvent) -> None:
        self.urgent = True
        filing = self.clocks.get(Slot.FILING)
        if filing is not None:
            # Asking for an expedited review after a denial is filing the next step, urgently.
            if filing.rule is RuleKey.EXTERNAL_REVIEW_FILING:
                self.on_external_requested(event)
            else:
                self.on_appeal_filed(event, self.denial_level + 1)
        elif self.pending_appeal is not None:
            self.open_insurer(
                Slot.APPEAL, self.appeal_rule(self.pending_appeal), event, sooner=True
            )
        elif self.pending_external:
            self.open_insurer(Slot.EXTERNAL, self.external_rule(), event, sooner=True)
        elif self.pending_request:
            self.open_insurer(Slot.REQUEST, self.initial_rule(), event, sooner=True)

    def on_decision(self, event: CaseEvent) -> None:
        data = event.data
        ire = self.awaiting_ire and self.pending_appeal is None
        level = (
            self.pending_appeal
            or data.level
            or (self.denial_level + 1 if ire else 0)
            or self.last_level
            or 1
        )
        # A decision with no appeal before it answers the first request.
        first = self.pending_appeal is None and not ire and not data.level and not self.last_level
        self.clocks.pop(Slot.APPEAL, None)
        self.pending_appeal = None
        if self.paused is Slot.APPEAL:
            self.paused = None
        if data.outcome is Outcome.APPROVED:
            self.approve(event)
        elif data.outcome is Outcome.PARTLY_APPROVED:
            # The approved part is approved; the denied part can still be appealed.
            self.approve(event)
            if first:
                self.seen_denial = True
                self.denial_level = 0
                self.open_you(Slot.FILING, FIRST_FILING.get(self.family), event)
            else:
                self.appeal_denied(event, level)
            self.mark_denied_part()
        elif data.outcome is Outcome.DENIED:
            self.appeal_denied(event, level)

    def appeal_denied(self, event: CaseEvent, level: int) -> None:
        for slot in (Slot.APPEAL, Slot.INFO, Slot.FILING, Slot.WRITTEN):
            self.clocks.pop(slot, None)
        self.pending_appeal = None
        self.awaiting_ire = False
        self.seen_denial = True
        self.paused = None
        self.denial_level = level
        extra: list[str] = []
        wording: Wording
        if self.family is _MA and level == 2:
            wording = (IRE_DECISION, None)
        elif event.data.event_type is EventType.DENIED:
            wording = ("appeal denial", None)
        else:
            wording = (f"level {level} appeal decision" if level > 1 else "appeal decision", None)
        if self.family is _ERISA and level == 1:
            extra.append(SECOND_LEVEL_NOTE)
        if self.family is _MA and level == 1:
            # The plan sends an upheld denial to the Independent Review Entity itself, so
            # nothing is due from you (a date printed on the notice still shows).
            self.awaiting_ire = True
        rule = filing_after_appeal_denial(self.family, level)
        self.open_you(Slot.FILING, rule, event, extra=extra, wording=wording)

    def on_phone_approval(self, event: CaseEvent) -> None:
        """A peer-to-peer review approved by phone: nothing closes until the plan's letter
        (an "Approved" event or an approving decision); get it in writing meanwhile."""
        if event.data.outcome is Outcome.PARTLY_APPROVED:
            self.mark_denied_part()
        _, said = anchor(Anchor.EVENT_DATE, event.data, self.noun(event))
        self.clocks[Slot.WRITTEN] = due_item(
            self.facts,
            WRITTEN_TITLE,
            event.data.day + dt.timedelta(days=WRITTEN_DAYS),
            Party.YOU,
            f"{WRITTEN_DAYS} days after {said}, where the plan approved by phone: ask the plan "
            "for the approval letter; until it comes, your appeal deadline still counts",
            WRITTEN_SOURCE,
            None,
            event,
        )

    def mark_denied_part(self) -> None:
        """Say that the open filing clock is for the part that was denied."""
        filing = self.clocks.get(Slot.FILING)
        if filing is not None and not filing.title.endswith(DENIED_PART):
            self.clocks[Slot.FILING] = dataclasses.replace(filing, title=filing.title + DENIED_PART)

    def on_external_requested(self, event: CaseEvent) -> None:
        # Going to external review ends the internal appeal (a plan that missed its deadline
        # lets you skip ahead), so its clock closes too.
        self.clocks.pop(Slot.FILING, None)
        self.clocks.pop(Slot.APPEAL, None)
        self.pending_appeal = None
        self.pending_external = True
        self.paused = None
        self.open_insurer(Slot.EXTERNAL, self.external_rule(), event)

    def on_external_decided(self, event: CaseEvent) -> None:
        self.clocks.pop(Slot.EXTERNAL, None)
        self.pending_external = False
        if event.data.outcome is Outcome.APPROVED:
            self.approve(event)
        elif event.data.outcome is Outcome.PARTLY_APPROVED:
            self.approve(event)
            self.external_denied(event)
            self.mark_denied_part()
        elif event.data.outcome is Outcome.DENIED:
            self.external_denied(event)

    def external_denied(self, event: CaseEvent) -> None:
        if self.family is _MA:
            # On Medicare Advantage the external review is the Independent Review Entity
            # (level 2): the judge's hearing follows.
            self.pending_external = False
            self.appeal_denied(event, 2)
            return
        for slot in (Slot.EXTERNAL, Slot.INFO, Slot.FILING, Slot.WRITTEN):
            self.clocks.pop(slot, None)
        self.pending_external = False
        self.seen_denial = True
        self.paused = None
        # No rule follows an external review; a date printed on its notice still shows.
        self.open_you(Slot.FILING, None, event)

    def on_claim_submitted(self, event: CaseEvent) -> None:
        self.clocks.pop(Slot.AUTHORIZATION, None)  # the care was given
        self.pending_claim = True
        self.post_service = True
        self.open_insurer(Slot.CLAIM, claim_decision_rule(self.family), event)

    def approve(self, event: CaseEvent) -> None:
        """An approval (or a payment) answers everything pending and closes every appeal clock."""
        for slot in (*_INSURER_SLOTS, Slot.INFO, Slot.FILING, Slot.WRITTEN):
            self.clocks.pop(slot, None)
        self.pending_request = self.pending_claim = self.pending_external = False
        self.awaiting_ire = False
        self.pending_appeal = None
        self.paused = None
        if event.data.valid_until is not None:
            self.open_authorization(event)

    # -- which rule (chosen in deadline_choice) ----------------------------------------------

    @property
    def expedited(self) -> bool:
        # Care already given is never urgent: urgency is about waiting for care.
        return self.urgent and not self.post_service

    def initial_rule(self) -> RuleKey | None:
        return initial_decision_rule(
            self.family,
            expedited=self.expedited,
            post_service=self.post_service,
            request_day=self.request_day,
        )

    def appeal_rule(self, level: int) -> RuleKey | None:
        return appeal_decision_rule(
            self.family, level, expedited=self.expedited, post_service=self.post_service
        )

    def external_rule(self) -> RuleKey | None:
        return external_decision_rule(self.family, expedited=self.expedited)

    # -- opening clocks ----------------------------------------------------------------------

    def open_insurer(
        self,
        slot: Slot,
        key: RuleKey | None,
        event: CaseEvent,
        *,
        sooner: bool = False,
        wording: Wording | None = None,
    ) -> None:
        """Start the insurer's clock for ``slot``.

        Args:
            sooner: only if it ends before the clock already running (an expedited request
                shortens a pending one, never lengthens it).
            wording: how to name the event in the explanation, when not the usual way.
        """
        if key is None:
            if not sooner:
                self.clocks.pop(slot, None)
            return
        extra = insurer_notes(key)
        item = self.counted(RULES[key], event, extra, level=self.pending_appeal, wording=wording)
        current = self.clocks.get(slot)
        if sooner and current is not None and current.due <= item.due:
            return
        self.clocks[slot] = item

    def open_you(
        self,
        slot: Slot,
        key: RuleKey | None,
        event: CaseEvent,
        *,
        extra: list[str] | None = None,
        wording: Wording | None = None,
    ) -> None:
        """Start your clock for ``slot``: the printed date on the notice wins over the rule;
        without a rule, only a printed date makes an item."""
        extra = extra or []
        data = event.data
        if data.deadline is not None:
            self.clocks[slot] = printed_item(self.facts, key, event, extra)
        elif key is not None:
            self.clocks[slot] = self.counted(RULES[key], event, extra, wording=wording)
        else:
            self.clocks.pop(slot, None)

    def open_authorization(self, event: CaseEvent) -> None:
        item = authorization_item(self.facts, event)
        if item is None:
            self.clocks.pop(Slot.AUTHORIZATION, None)  # scheduled in time: done
        else:
            self.clocks[Slot.AUTHORIZATION] = item

    def counted(
        self,
        rule: DeadlineRule,
        event: CaseEvent,
        extra: list[str],
        *,
        level: int | None = None,
        wording: Wording | None = None,
    ) -> DueItem:
        """The item for ``rule`` counted from ``event``, naming it the usual way by default."""
        wording = wording or (self.noun(event), None)
        return counted_item(self.facts, rule, event, extra, wording, level=level)

    def noun(self, event: CaseEvent) -> str:
        """What ``event`` is, in words that follow "after the ..."."""
        return event_noun(event, expedited=self.expedited)


def walk(facts: CaseFacts) -> list[DueItem]:
    """The open clocks of ``facts`` after its whole timeline (calls not included)."""
    # A supplemental policy has no appeal rules: only an approval's end date and dates printed
    # on notices make items for it.
    family = facts.family or _ERISA
    urgent = facts.priority is Priority.URGENT
    post = facts.service_type is ServiceType.POST_SERVICE
    return _Walk(facts, family, urgent, post).run()
