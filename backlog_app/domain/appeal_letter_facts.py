"""The facts a request letter is drafted from, and what a case's timeline says about the appeal.

``LetterFacts`` holds what the letter says (None: nobody recorded it). ``latest_denial`` and
``appeal_level_after`` read the timeline; ``level_name`` says what each plan family calls an
appeal level (Original Medicare: redetermination, then reconsideration). Re-exported by
``domain/appeal_letter.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from backlog_app.domain.cases import (
    CaseEvent,
    DenialReason,
    EventType,
    Outcome,
    ServiceType,
    sorted_events,
)
from backlog_app.domain.dates import format_long_date
from backlog_app.domain.records import AppealRules, PlanType
from backlog_app.domain.summary_text import SummarySection

MAX_LEVEL = 5


@dataclass(frozen=True, slots=True)
class Enclosure:
    """A document sent with the letter (a document linked to the case)."""

    title: str
    day: dt.date | None = None

    @property
    def line(self) -> str:
        return f"{self.title} ({format_long_date(self.day)})" if self.day else self.title


@dataclass(frozen=True, slots=True)
class DenialFacts:
    """The decision being appealed: the latest denial on the case's timeline."""

    day: dt.date  # the date printed on the notice
    received: dt.date | None = None
    reason: DenialReason | None = None
    quoted_reason: str | None = None
    reference_number: str | None = None


@dataclass(frozen=True, slots=True)
class LetterFacts:
    """Everything the letter says; None (or empty) means nobody recorded it.

    Args:
        plan_type: the plan's type; it decides the wording of appeal levels and which rights are
            cited (None: no plan is linked to the case).
        date_of_service: the planned (pre-service) or actual (post-service) date.
        denial: the latest denial; None makes a preauthorization request letter.
        appeal_level: the level being requested (see ``appeal_level_after``).
        care_sections: the conservative-care summary (#3), under its headings.
        enclosures: the documents linked to the case, oldest first.
    """

    case_title: str
    patient_name: str | None = None
    date_of_birth: dt.date | None = None
    patient_address: str | None = None
    patient_phone: str | None = None
    insurer: str | None = None
    plan_name: str | None = None
    plan_type: PlanType | None = None
    member_id: str | None = None
    group_number: str | None = None
    appeals_address: str | None = None
    appeals_fax: str | None = None
    service_type: ServiceType = ServiceType.PRE_SERVICE
    cpt_codes: str | None = None
    icd10_codes: str | None = None
    claim_number: str | None = None
    authorization_number: str | None = None
    reference_number: str | None = None
    date_of_service: dt.date | None = None
    requesting_provider: str | None = None
    facility: str | None = None
    denial: DenialFacts | None = None
    appeal_level: int = 1
    urgent: bool = False
    care_sections: tuple[SummarySection, ...] = ()
    enclosures: tuple[Enclosure, ...] = ()

    @property
    def family(self) -> AppealRules | None:
        return self.plan_type.appeal_rules if self.plan_type is not None else None

    @property
    def is_appeal(self) -> bool:
        return self.denial is not None

    @property
    def member_id_label(self) -> str:
        """What the card calls the member ID."""
        if self.family is AppealRules.ORIGINAL_MEDICARE:
            return "Medicare number"
        if self.family is AppealRules.MEDICAID:
            return "Medicaid ID"
        return "Member ID"

    @property
    def member_id_blank(self) -> str:
        """The placeholder's name when the member ID is unknown ("member ID")."""
        label = self.member_id_label
        return "member ID" if label == "Member ID" else label

    @property
    def reference_numbers(self) -> list[tuple[str, str]]:
        """(label, number) for each number the case has, in the order insurers ask for them."""
        numbers = [
            ("Claim number", self.claim_number),
            ("Authorization number", self.authorization_number),
            ("Reference number", self.reference_number),
        ]
        if self.denial is not None:
            numbers.append(("Denial notice reference", self.denial.reference_number))
        seen: set[str] = set()
        known = []
        for label, number in numbers:
            if number and number.strip() and number.strip() not in seen:
                seen.add(number.strip())
                known.append((label, number.strip()))
        return known


# --- What the timeline says -----------------------------------------------------------------


def _is_adverse(event: CaseEvent) -> bool:
    kind, outcome = event.data.event_type, event.data.outcome
    if kind in (EventType.DENIED, EventType.CLAIM_DENIED):
        return True
    return kind is EventType.DECISION and outcome in (Outcome.DENIED, Outcome.PARTLY_APPROVED)


def latest_denial(events: Sequence[CaseEvent]) -> DenialFacts | None:
    """The latest denial (a denied request or claim, or an appeal decision that upheld it).

    An appeal decision often repeats no reason: the reason and quote then come from the latest
    earlier denial that has them.
    """
    adverse = [event for event in sorted_events(events) if _is_adverse(event)]
    if not adverse:
        return None
    latest = adverse[-1].data
    explained = next(
        (e.data for e in reversed(adverse) if e.data.reason or e.data.quoted_reason), latest
    )
    return DenialFacts(
        day=latest.day,
        received=latest.received_date,
        reason=explained.reason,
        quoted_reason=(explained.quoted_reason or "").strip() or None,
        reference_number=latest.reference_number,
    )


def appeal_level_after(events: Sequence[CaseEvent]) -> int:
    """The appeal level a letter about the latest denial asks for.

    One more than the highest level appealed before that denial (or than the level the denial
    decided), so a first denial gives 1 and an upheld first appeal gives 2. An appeal already
    filed after the denial is the one this letter belongs to, so it does not raise the level.
    """
    timeline = sorted_events(events)
    positions = [index for index, event in enumerate(timeline) if _is_adverse(event)]
    if not positions:
        return 1
    last = positions[-1]
    levels = [
        event.data.level
        for event in timeline[: last + 1]
        if event.data.level is not None
        and event.data.event_type
        in (EventType.APPEAL_FILED, EventType.EXPEDITED_REQUESTED, EventType.DECISION)
    ]
    return min(max(levels, default=0) + 1, MAX_LEVEL)


_ORDINALS = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", 5: "Fifth"}
_MEDICARE_LATER_LEVELS = {
    3: "Hearing before an Administrative Law Judge (third level of appeal)",
    4: "Review by the Medicare Appeals Council (fourth level of appeal)",
    5: "Judicial review in federal district court (fifth level of appeal)",
}
_LEVEL_NAMES: dict[AppealRules, dict[int, str]] = {
    AppealRules.ERISA_ACA: {
        1: "First-level internal appeal",
        2: "Second-level internal appeal",
        3: "External review by an independent review organization",
    },
    AppealRules.ORIGINAL_MEDICARE: {
        1: "Redetermination (first level of appeal)",
        2: "Reconsideration by the Qualified Independent Contractor (second level of appeal)",
        **_MEDICARE_LATER_LEVELS,
    },
    AppealRules.MEDICARE_ADVANTAGE: {
        1: "Reconsideration by the plan (first level of appeal)",
        2: "Review by the Independent Review Entity (second level of appeal)",
        **_MEDICARE_LATER_LEVELS,
    },
    AppealRules.MEDICAID: {
        1: "Appeal to the health plan (first level of appeal)",
        2: "State fair hearing",
    },
}


def level_name(family: AppealRules | None, level: int) -> str:
    """What the plan's rules call appeal ``level`` ("Redetermination (first level of appeal)")."""
    level = min(max(level, 1), MAX_LEVEL)
    names = _LEVEL_NAMES.get(family) if family is not None else None
    if names:
        return names.get(level) or names[max(names)]
    return f"{_ORDINALS[level]}-level appeal"
