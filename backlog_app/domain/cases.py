"""Coverage cases as plain data: the request, its timeline events, calls, and its status.

A case is one coverage request (a preauthorization or a claim) for one procedure. Its status is
never stored: it is derived from the events, so the timeline is the single source of truth. The
rules records must meet are in ``case_rules``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


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
OUTCOME_REQUIRED = frozenset(
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
