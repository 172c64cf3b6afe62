"""Coverage cases as plain data: the request, its timeline events, calls, and the rules for them.

A case is one coverage request (a preauthorization or a claim) for one procedure. Its status is
never stored: it is derived from the events, so the timeline is the single source of truth.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.validation import phone_problem

_MAX_SHORT_TEXT = 200
_MAX_LONG_TEXT = 20_000
# Events and calls may be planned a little ahead (a peer-to-peer booked for next week), not years.
_MAX_DAYS_AHEAD = 366


class Procedure(StrEnum):
    """Common back procedures that need a coverage decision; "other" takes free text."""

    LUMBAR_MRI = "lumbar_mri"
    CT_SCAN = "ct_scan"
    PHYSICAL_THERAPY = "physical_therapy"
    CHIROPRACTIC = "chiropractic"
    ACUPUNCTURE = "acupuncture"
    EPIDURAL_STEROID_INJECTION = "epidural_steroid_injection"
    FACET_MEDIAL_BRANCH_BLOCK = "facet_medial_branch_block"
    RADIOFREQUENCY_ABLATION = "radiofrequency_ablation"
    SI_JOINT_INJECTION = "si_joint_injection"
    BASIVERTEBRAL_NERVE_ABLATION = "basivertebral_nerve_ablation"
    SPINAL_CORD_STIMULATOR = "spinal_cord_stimulator"
    MICRODISCECTOMY = "microdiscectomy"
    LAMINECTOMY = "laminectomy"
    LUMBAR_FUSION = "lumbar_fusion"
    ARTIFICIAL_DISC_REPLACEMENT = "artificial_disc_replacement"
    SI_JOINT_FUSION = "si_joint_fusion"
    KYPHOPLASTY = "kyphoplasty"
    MEDICATION = "medication"
    MEDICAL_EQUIPMENT = "medical_equipment"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _PROCEDURE_LABELS[self]


_PROCEDURE_LABELS = {
    Procedure.LUMBAR_MRI: "Lumbar MRI",
    Procedure.CT_SCAN: "CT scan",
    Procedure.PHYSICAL_THERAPY: "Physical therapy",
    Procedure.CHIROPRACTIC: "Chiropractic care",
    Procedure.ACUPUNCTURE: "Acupuncture",
    Procedure.EPIDURAL_STEROID_INJECTION: "Epidural steroid injection",
    Procedure.FACET_MEDIAL_BRANCH_BLOCK: "Facet / medial branch block",
    Procedure.RADIOFREQUENCY_ABLATION: "Radiofrequency ablation",
    Procedure.SI_JOINT_INJECTION: "Sacroiliac joint injection",
    Procedure.BASIVERTEBRAL_NERVE_ABLATION: "Basivertebral nerve ablation",
    Procedure.SPINAL_CORD_STIMULATOR: "Spinal cord stimulator",
    Procedure.MICRODISCECTOMY: "Microdiscectomy",
    Procedure.LAMINECTOMY: "Laminectomy / decompression",
    Procedure.LUMBAR_FUSION: "Lumbar fusion",
    Procedure.ARTIFICIAL_DISC_REPLACEMENT: "Artificial disc replacement",
    Procedure.SI_JOINT_FUSION: "Sacroiliac joint fusion",
    Procedure.KYPHOPLASTY: "Kyphoplasty / vertebroplasty",
    Procedure.MEDICATION: "Medication",
    Procedure.MEDICAL_EQUIPMENT: "Medical equipment (brace, TENS unit)",
    Procedure.OTHER: "Other",
}


class Priority(StrEnum):
    """How fast the insurer must decide; "urgent" needs a treating doctor to say so."""

    STANDARD = "standard"
    URGENT = "urgent"

    @property
    def label(self) -> str:
        return {Priority.STANDARD: "Standard", Priority.URGENT: "Urgent (expedited)"}[self]


class ServiceType(StrEnum):
    """Whether the care is still to come (a preauthorization) or already given (a claim)."""

    PRE_SERVICE = "pre_service"
    POST_SERVICE = "post_service"

    @property
    def label(self) -> str:
        return {
            ServiceType.PRE_SERVICE: "Before the care (preauthorization)",
            ServiceType.POST_SERVICE: "After the care (claim for payment)",
        }[self]


class EventType(StrEnum):
    """What can happen to a coverage request, in the order it usually happens."""

    REQUEST_SUBMITTED = "request_submitted"
    INFO_REQUESTED = "info_requested"
    APPROVED = "approved"
    DENIED = "denied"
    P2P_REQUESTED = "p2p_requested"
    P2P_HELD = "p2p_held"
    P2P_OUTCOME = "p2p_outcome"
    APPEAL_FILED = "appeal_filed"
    EXPEDITED_REQUESTED = "expedited_requested"
    DECISION = "decision"
    EXTERNAL_REVIEW_REQUESTED = "external_review_requested"
    EXTERNAL_REVIEW_DECIDED = "external_review_decided"
    CLAIM_SUBMITTED = "claim_submitted"
    CLAIM_PAID = "claim_paid"
    CLAIM_DENIED = "claim_denied"
    REGULATOR_COMPLAINT = "regulator_complaint"

    @property
    def label(self) -> str:
        return _EVENT_LABELS[self]

    @property
    def is_notice(self) -> bool:
        """Events that are a letter from the insurer: they have a date received."""
        return self in _NOTICE_EVENTS

    @property
    def has_outcome(self) -> bool:
        return self in _OUTCOME_EVENTS


_EVENT_LABELS = {
    EventType.REQUEST_SUBMITTED: "Request submitted",
    EventType.INFO_REQUESTED: "More information requested",
    EventType.APPROVED: "Approved",
    EventType.DENIED: "Denied",
    EventType.P2P_REQUESTED: "Peer-to-peer review requested",
    EventType.P2P_HELD: "Peer-to-peer review held",
    EventType.P2P_OUTCOME: "Peer-to-peer outcome",
    EventType.APPEAL_FILED: "Appeal filed",
    EventType.EXPEDITED_REQUESTED: "Expedited (urgent) review requested",
    EventType.DECISION: "Appeal decision",
    EventType.EXTERNAL_REVIEW_REQUESTED: "External review requested",
    EventType.EXTERNAL_REVIEW_DECIDED: "External review decided",
    EventType.CLAIM_SUBMITTED: "Claim submitted",
    EventType.CLAIM_PAID: "Claim paid",
    EventType.CLAIM_DENIED: "Claim denied",
    EventType.REGULATOR_COMPLAINT: "Complaint to the state regulator",
}

_NOTICE_EVENTS = frozenset(
    {
        EventType.INFO_REQUESTED,
        EventType.APPROVED,
        EventType.DENIED,
        EventType.DECISION,
        EventType.EXTERNAL_REVIEW_DECIDED,
        EventType.CLAIM_PAID,
        EventType.CLAIM_DENIED,
        EventType.P2P_OUTCOME,
    }
)
_OUTCOME_EVENTS = frozenset(
    {
        EventType.P2P_HELD,
        EventType.P2P_OUTCOME,
        EventType.DECISION,
        EventType.EXTERNAL_REVIEW_DECIDED,
    }
)
_OUTCOME_REQUIRED = frozenset(
    {EventType.P2P_OUTCOME, EventType.DECISION, EventType.EXTERNAL_REVIEW_DECIDED}
)
# Events that record a decision on something filed earlier (a decision before its filing is refused).
DECISION_EVENTS = frozenset(
    {
        EventType.APPROVED,
        EventType.DENIED,
        EventType.DECISION,
        EventType.EXTERNAL_REVIEW_DECIDED,
        EventType.CLAIM_PAID,
        EventType.CLAIM_DENIED,
        EventType.P2P_OUTCOME,
    }
)
# What each decision answers: the latest of these before it must not be after it.
DECIDES: dict[EventType, frozenset[EventType]] = {
    EventType.APPROVED: frozenset({EventType.REQUEST_SUBMITTED}),
    EventType.DENIED: frozenset({EventType.REQUEST_SUBMITTED}),
    EventType.DECISION: frozenset({EventType.APPEAL_FILED, EventType.EXPEDITED_REQUESTED}),
    EventType.EXTERNAL_REVIEW_DECIDED: frozenset({EventType.EXTERNAL_REVIEW_REQUESTED}),
    EventType.CLAIM_PAID: frozenset({EventType.CLAIM_SUBMITTED}),
    EventType.CLAIM_DENIED: frozenset({EventType.CLAIM_SUBMITTED}),
    EventType.P2P_OUTCOME: frozenset({EventType.P2P_REQUESTED, EventType.P2P_HELD}),
}


class DenialReason(StrEnum):
    """Why the insurer said no, in the categories denial letters use."""

    MISSING_DOCUMENTATION = "missing_documentation"
    NOT_MEDICALLY_NECESSARY = "not_medically_necessary"
    EXPERIMENTAL = "experimental"
    OUT_OF_NETWORK = "out_of_network"
    NOT_COVERED = "not_covered"
    NO_PREAUTHORIZATION = "no_preauthorization"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _REASON_LABELS[self]


_REASON_LABELS = {
    DenialReason.MISSING_DOCUMENTATION: "Missing documentation",
    DenialReason.NOT_MEDICALLY_NECESSARY: "Not medically necessary",
    DenialReason.EXPERIMENTAL: "Experimental / investigational",
    DenialReason.OUT_OF_NETWORK: "Out of network",
    DenialReason.NOT_COVERED: "Not a covered benefit",
    DenialReason.NO_PREAUTHORIZATION: "No preauthorization",
    DenialReason.OTHER: "Other",
}


class Outcome(StrEnum):
    """The result of a review: a peer-to-peer, an appeal, an external review."""

    APPROVED = "approved"
    PARTLY_APPROVED = "partly_approved"
    DENIED = "denied"

    @property
    def label(self) -> str:
        return {
            Outcome.APPROVED: "Approved (denial overturned)",
            Outcome.PARTLY_APPROVED: "Partly approved",
            Outcome.DENIED: "Denied (denial upheld)",
        }[self]


class CallDirection(StrEnum):
    OUTGOING = "outgoing"
    INCOMING = "incoming"

    @property
    def label(self) -> str:
        return {CallDirection.OUTGOING: "I called them", CallDirection.INCOMING: "They called me"}[
            self
        ]


class CaseStatus(StrEnum):
    """Where a case stands, derived from its latest decisive event."""

    NOT_SUBMITTED = "not_submitted"
    PENDING = "pending"
    INFO_REQUESTED = "info_requested"
    APPROVED = "approved"
    PARTLY_APPROVED = "partly_approved"
    DENIED = "denied"
    IN_APPEAL = "in_appeal"
    EXTERNAL_REVIEW = "external_review"
    CLAIM_PENDING = "claim_pending"
    PAID = "paid"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    CaseStatus.NOT_SUBMITTED: "Not submitted yet",
    CaseStatus.PENDING: "Waiting for a decision",
    CaseStatus.INFO_REQUESTED: "Insurer wants more information",
    CaseStatus.APPROVED: "Approved",
    CaseStatus.PARTLY_APPROVED: "Partly approved",
    CaseStatus.DENIED: "Denied",
    CaseStatus.IN_APPEAL: "Appeal under review",
    CaseStatus.EXTERNAL_REVIEW: "External review under way",
    CaseStatus.CLAIM_PENDING: "Claim waiting for payment",
    CaseStatus.PAID: "Claim paid",
}


@dataclass(frozen=True, slots=True)
class CaseData:
    """One coverage request, as the user describes it. Codes are kept as typed, normalized."""

    procedure: Procedure
    procedure_detail: str | None = None  # "L4-L5 left microdiscectomy"; required for OTHER
    cpt_codes: str | None = None  # "63030, 69990"
    icd10_codes: str | None = None  # "M51.16, M54.16"
    plan_id: int | None = None
    requesting_provider_id: int | None = None
    facility_id: int | None = None
    priority: Priority = Priority.STANDARD
    service_type: ServiceType = ServiceType.PRE_SERVICE
    scheduled_date: dt.date | None = None  # the planned (or actual) date of service
    authorization_number: str | None = None
    claim_number: str | None = None
    reference_number: str | None = None
    reviewer_name: str | None = None  # the insurer's case manager or nurse reviewer
    reviewer_phone: str | None = None
    notes: str | None = None

    @property
    def title(self) -> str:
        """ "Microdiscectomy — L4-L5 left" style: what lists and letters call the case."""
        detail = (self.procedure_detail or "").strip()
        if self.procedure is Procedure.OTHER:
            return detail or Procedure.OTHER.label
        return f"{self.procedure.label} — {detail}" if detail else self.procedure.label


@dataclass(frozen=True, slots=True)
class CaseEventData:
    """One step on a case's timeline. Only the fields that suit the event type are filled.

    ``day`` is when it happened; for a letter from the insurer it is the date printed on the
    notice, and ``received_date`` is when it arrived. ``deadline`` is a due date printed on the
    notice ("you must appeal by ..."): it always wins over a computed one.
    """

    case_id: int
    event_type: EventType
    day: dt.date
    received_date: dt.date | None = None
    level: int | None = None  # appeal level: 1, 2 internal; Original Medicare 1-5
    reason: DenialReason | None = None
    quoted_reason: str | None = None
    outcome: Outcome | None = None
    authorization_number: str | None = None
    approved_units: int | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None  # the approval's expiry
    amount_cents: int | None = None  # a claim's billed or paid amount
    deadline: dt.date | None = None
    reference_number: str | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class CallData:
    """One phone call with an insurer or a provider's office."""

    called_at: dt.datetime  # local time, naive
    direction: CallDirection
    organization: str
    case_id: int | None = None
    event_id: int | None = None
    phone: str | None = None
    representative: str | None = None
    reference_number: str | None = None
    summary: str | None = None
    follow_up: str | None = None  # what was promised ("nurse reviewer calls back")
    follow_up_date: dt.date | None = None
    follow_up_done: bool = False

    @property
    def has_open_follow_up(self) -> bool:
        return self.follow_up_date is not None and not self.follow_up_done


@dataclass(frozen=True, slots=True)
class CaseEvent:
    """A stored event: its id beside its data (the deadline rules point back at events)."""

    id: int
    data: CaseEventData


@dataclass(frozen=True, slots=True)
class Call:
    """A stored call."""

    id: int
    data: CallData


# --- codes ------------------------------------------------------------------------------------

# CPT: five digits, or four digits and F (category II) or T (category III); HCPCS level II: a
# letter and four digits (E0720 is a TENS unit).
_CPT = re.compile(r"(?:\d{5}|\d{4}[FT]|[A-V]\d{4})", re.ASCII)
# ICD-10-CM: a letter (not U, which is reserved), a digit, a digit or letter, then optionally a
# dot and one to four more characters: M51.16, M54.5, G89.29, M48.062.
_ICD10 = re.compile(r"[A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?", re.ASCII)


def split_codes(text: str | None) -> tuple[str, ...]:
    """The codes in "63030, 69990" (commas, semicolons or spaces between), upper-cased."""
    if not text:
        return ()
    return tuple(part.upper() for part in re.split(r"[\s,;]+", text.strip()) if part)


def join_codes(codes: Sequence[str]) -> str | None:
    return ", ".join(codes) or None


def normalize_icd10(code: str) -> str:
    """ "m5116" → "M51.16": people often leave out the dot."""
    code = code.strip().upper()
    if "." not in code and len(code) > 3:
        code = f"{code[:3]}.{code[3:]}"
    return code


def cpt_problems(text: str | None) -> list[str]:
    """One sentence per malformed CPT/HCPCS code in ``text``."""
    bad = [code for code in split_codes(text) if not _CPT.fullmatch(code)]
    if not bad:
        return []
    return [
        f"“{', '.join(bad)}” {'is not a CPT code' if len(bad) == 1 else 'are not CPT codes'}: "
        "a CPT code is five digits (63030), or four digits and F or T; "
        "an equipment code is a letter and four digits (E0720)."
    ]


def icd10_problems(text: str | None) -> list[str]:
    """One sentence per malformed ICD-10 code in ``text`` (before or after normalizing)."""
    bad = [code for code in split_codes(text) if not _ICD10.fullmatch(normalize_icd10(code))]
    if not bad:
        return []
    return [
        f"“{', '.join(bad)}” {'is not an ICD-10 code' if len(bad) == 1 else 'are not ICD-10 codes'}"
        ": an ICD-10 code is a letter, two characters, then a dot and up to four more (M51.16)."
    ]


def normalized_codes(data: CaseData) -> CaseData:
    """``data`` with its codes upper-cased, ICD-10 dots put in, and one ", " between codes."""
    from dataclasses import replace

    return replace(
        data,
        cpt_codes=join_codes(split_codes(data.cpt_codes)),
        icd10_codes=join_codes([normalize_icd10(c) for c in split_codes(data.icd10_codes)]),
    )


# --- rules --------------------------------------------------------------------------------------


def case_problems(case: CaseData, today: dt.date) -> list[str]:
    """Why ``case`` cannot be saved; empty when it can."""
    problems: list[str] = []
    if case.procedure is Procedure.OTHER and not (case.procedure_detail or "").strip():
        problems.append("Please say which procedure this request is for.")
    problems += cpt_problems(case.cpt_codes)
    problems += icd10_problems(case.icd10_codes)
    for label, text in (
        ("Procedure details", case.procedure_detail),
        ("Authorization number", case.authorization_number),
        ("Claim number", case.claim_number),
        ("Reference number", case.reference_number),
        ("Reviewer's name", case.reviewer_name),
        ("CPT codes", case.cpt_codes),
        ("ICD-10 codes", case.icd10_codes),
    ):
        problems += _length(label, text, _MAX_SHORT_TEXT)
    if case.reviewer_phone:
        problem = phone_problem(case.reviewer_phone)
        if problem:
            problems.append(f"Reviewer's phone “{case.reviewer_phone}” {problem}.")
    if case.scheduled_date is not None:
        problems += _plausible("The date of service", case.scheduled_date, today, 3 * 366)
    problems += _length("Notes", case.notes, _MAX_LONG_TEXT)
    return problems


def event_problems(
    event: CaseEventData, others: Sequence[CaseEvent], today: dt.date, event_id: int | None = None
) -> list[str]:
    """Why ``event`` cannot be saved next to the case's ``others``; empty when it can.

    Args:
        event: the event being added or edited.
        others: the case's stored events (the one being edited, ``event_id``, is skipped).
        today: events may be dated up to a year ahead (a booked peer-to-peer), not more.
        event_id: the id of the event being edited, or None for a new one.
    """
    problems = _plausible("The event date", event.day, today, _MAX_DAYS_AHEAD)
    if event.received_date is not None:
        problems += _plausible("The date received", event.received_date, today, 0)
        if event.received_date < event.day:
            problems.append(
                "The letter arrived before the date printed on it; please check both dates."
            )
    if event.level is not None and not 1 <= event.level <= 5:
        problems.append("The appeal level must be between 1 and 5.")
    if event.event_type is EventType.APPEAL_FILED and event.level is None:
        problems.append("Please choose the appeal level (1 for a first appeal).")
    if event.event_type in (EventType.DENIED, EventType.CLAIM_DENIED) and event.reason is None:
        problems.append("Please choose why it was denied (the letter says; “Other” is fine).")
    if event.event_type in _OUTCOME_REQUIRED and event.outcome is None:
        problems.append("Please choose the outcome: approved, partly approved or denied.")
    if event.approved_units is not None and not 0 < event.approved_units <= 10_000:
        problems.append("The approved units must be a number between 1 and 10,000.")
    if event.valid_from and event.valid_until and event.valid_until < event.valid_from:
        problems.append("The approval ends before it starts; please check both dates.")
    if event.amount_cents is not None and event.amount_cents < 0:
        problems.append("The amount cannot be negative.")
    if event.deadline is not None and event.deadline < event.day:
        problems.append("The deadline on the notice is before the notice's date; please check it.")
    for label, text in (
        ("Authorization number", event.authorization_number),
        ("Reference number", event.reference_number),
    ):
        problems += _length(label, text, _MAX_SHORT_TEXT)
    problems += _length("Quoted reason", event.quoted_reason, _MAX_LONG_TEXT)
    problems += _length("Notes", event.notes, _MAX_LONG_TEXT)
    problems += _order_problems(
        event, [o for o in others if o.id != event_id], editing=event_id is not None
    )
    return problems


def _order_problems(
    event: CaseEventData, others: Sequence[CaseEvent], *, editing: bool
) -> list[str]:
    """A decision dated before everything it could answer is refused — whether the decision is
    the event being saved, or a filing being moved after its decision. (A new filing after a
    decision is a new request: an approval's renewal, say.)"""
    problems: list[str] = []
    answered = DECIDES.get(event.event_type)
    if answered:
        filed = [o.data for o in others if o.data.event_type in answered]
        if filed and all(f.day > event.day for f in filed):
            first = min(filed, key=lambda f: f.day)
            problems.append(
                f"This {event.event_type.label.lower()} is dated {format_long_date(event.day)}, "
                f"before the {first.event_type.label.lower()} it answers "
                f"({format_long_date(first.day)}); a decision cannot come before its filing."
            )
    for decision in (
        o.data for o in others if event.event_type in DECIDES.get(o.data.event_type, ())
    ):
        filings = [o.data for o in others if o.data.event_type in DECIDES[decision.event_type]] + [
            event
        ]
        if all(f.day > decision.day for f in filings):
            problems.append(
                f"The {decision.event_type.label.lower()} of {format_long_date(decision.day)} "
                f"answers this {event.event_type.label.lower()}, so it cannot be dated "
                f"{format_long_date(event.day)}, after it; a decision cannot come before its "
                "filing."
            )
            break
    return problems


def event_warnings(
    event: CaseEventData, others: Sequence[CaseEvent], event_id: int | None = None
) -> list[str]:
    """Things that look wrong but may be right; the user confirms before saving."""
    warnings: list[str] = []
    others = [o for o in others if o.id != event_id]
    if event.event_type in (EventType.APPEAL_FILED, EventType.EXTERNAL_REVIEW_REQUESTED):
        denials = [
            o.data
            for o in others
            if o.data.event_type in (EventType.DENIED, EventType.CLAIM_DENIED)
            or (o.data.event_type is EventType.DECISION and o.data.outcome is Outcome.DENIED)
        ]
        if not denials:
            warnings.append(
                "There is no denial on this case's timeline yet. You can still save the appeal, "
                "but add the denial too: its date sets the appeal deadline."
            )
        elif all(d.day > event.day for d in denials):
            first = min(denials, key=lambda d: d.day)
            warnings.append(
                f"This appeal is dated {format_long_date(event.day)}, before the denial of "
                f"{format_long_date(first.day)}. Is the date right?"
            )
    return warnings


def call_problems(call: CallData, today: dt.date) -> list[str]:
    """Why ``call`` cannot be saved; empty when it can."""
    problems: list[str] = []
    if not call.organization.strip():
        problems.append("Please say who the call was with (the insurer or the office).")
    problems += _plausible("The call date", call.called_at.date(), today, 0)
    if call.follow_up_date is not None:
        problems += _plausible("The follow-up date", call.follow_up_date, today, _MAX_DAYS_AHEAD)
        if call.follow_up_date < call.called_at.date():
            problems.append("The follow-up date is before the call; please check it.")
    if call.phone:
        problem = phone_problem(call.phone)
        if problem:
            problems.append(f"Phone “{call.phone}” {problem}.")
    for label, text in (
        ("Organization", call.organization),
        ("Representative", call.representative),
        ("Reference number", call.reference_number),
    ):
        problems += _length(label, text, _MAX_SHORT_TEXT)
    problems += _length("Summary", call.summary, _MAX_LONG_TEXT)
    problems += _length("Follow-up", call.follow_up, _MAX_LONG_TEXT)
    return problems


def sorted_events(events: Sequence[CaseEvent]) -> list[CaseEvent]:
    """Timeline order: by date; on the same day filings before decisions (a decision answers
    something filed, so "Denied" entered before a same-day "Request submitted" still answers
    it); then in the order they were entered."""
    return sorted(events, key=lambda e: (e.data.day, e.data.event_type in DECISION_EVENTS, e.id))


def derive_status(events: Sequence[CaseEvent]) -> CaseStatus:
    """Where the case stands after its events (the latest decisive one wins)."""
    status = CaseStatus.NOT_SUBMITTED
    denied = False  # a denial came before
    appeal_day: dt.date | None = None  # the day of the latest appeal filed
    for event in sorted_events(events):
        kind = event.data.event_type
        if kind is EventType.EXPEDITED_REQUESTED:
            # After a denial it is an (urgent) appeal; on a pending request it only speeds it up.
            if status is CaseStatus.DENIED:
                status = CaseStatus.IN_APPEAL
            continue
        if kind is EventType.APPEAL_FILED:
            appeal_day = event.data.day
        first_denial = not denied
        denied = denied or kind in (EventType.DENIED, EventType.CLAIM_DENIED)
        denied = denied or (kind.has_outcome and event.data.outcome is Outcome.DENIED)
        if (
            kind in (EventType.DENIED, EventType.CLAIM_DENIED)
            and first_denial
            and status is CaseStatus.IN_APPEAL
            and appeal_day == event.data.day
        ):
            # Filings sort before decisions on the same day: an appeal filed the day of the
            # first denial answers it, and the case stays in appeal.
            continue
        status = _STATUS_AFTER.get(kind, status)
        if event.data.event_type.has_outcome and event.data.event_type is not EventType.P2P_HELD:
            outcome = event.data.outcome
            if outcome is Outcome.APPROVED:
                status = CaseStatus.APPROVED
            elif outcome is Outcome.PARTLY_APPROVED:
                status = CaseStatus.PARTLY_APPROVED
            elif outcome is Outcome.DENIED:
                status = CaseStatus.DENIED
        elif event.data.event_type is EventType.P2P_HELD and event.data.outcome is not None:
            status = {
                Outcome.APPROVED: CaseStatus.APPROVED,
                Outcome.PARTLY_APPROVED: CaseStatus.PARTLY_APPROVED,
                Outcome.DENIED: CaseStatus.DENIED,
            }[event.data.outcome]
    return status


_STATUS_AFTER: dict[EventType, CaseStatus] = {
    EventType.REQUEST_SUBMITTED: CaseStatus.PENDING,
    EventType.INFO_REQUESTED: CaseStatus.INFO_REQUESTED,
    EventType.APPROVED: CaseStatus.APPROVED,
    EventType.DENIED: CaseStatus.DENIED,
    EventType.APPEAL_FILED: CaseStatus.IN_APPEAL,
    EventType.EXTERNAL_REVIEW_REQUESTED: CaseStatus.EXTERNAL_REVIEW,
    EventType.CLAIM_SUBMITTED: CaseStatus.CLAIM_PENDING,
    EventType.CLAIM_PAID: CaseStatus.PAID,
    EventType.CLAIM_DENIED: CaseStatus.DENIED,
}


def _plausible(label: str, day: dt.date, today: dt.date, days_ahead: int) -> list[str]:
    if day > today + dt.timedelta(days=days_ahead):
        if days_ahead == 0:
            return [f"{label} ({format_long_date(day)}) is in the future; please check the date."]
        return [
            f"{label} ({format_long_date(day)}) is too far in the future; please check the year."
        ]
    if day.year < 1990:
        return [f"{label} ({day.isoformat()}) is before 1990; please check the year."]
    return []


def _length(label: str, text: str | None, limit: int) -> list[str]:
    if text is not None and len(text) > limit:
        return [f"{label} is longer than {limit:,} characters; please shorten it."]
    return []
