"""Who bills for a procedure, and which No Surprises Act protection applies to each of them.

"Just because your surgeon is in network doesn't mean the anesthesiologist is." One procedure
brings separate bills from a surgeon, an anesthesiologist, a facility, radiology and pathology;
each is in or out of network on its own. The figures and rules come from shared DOMAIN.md
("No Surprises Act", "Providers and network"), with their citations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from backlog_app.domain.cases import Procedure
from backlog_app.domain.network import NetworkStatus
from backlog_app.domain.records import ProviderRole

_MAX_LONG_TEXT = 20_000
# An out-of-network provider's notice-and-consent must be signed this long before the care.
CONSENT_NOTICE_HOURS = 72
CONSENT_NOTICE_DAYS = 3
NSA_SOURCE = "No Surprises Act — 45 CFR 149.420"


class CareRole(StrEnum):
    """A part a provider plays in one procedure; each part may bill separately.

    PROCEDURALIST is the doctor who does an injection, an ablation or a treatment that is not
    surgery (a pain specialist, a chiropractor); SURGEON is kept for operations.
    """

    SURGEON = "surgeon"
    PROCEDURALIST = "proceduralist"
    ASSISTANT_SURGEON = "assistant_surgeon"
    ANESTHESIOLOGIST = "anesthesiologist"
    FACILITY = "facility"
    IMAGING = "imaging"
    PATHOLOGY = "pathology"
    DME = "dme"
    POST_OP_PT = "post_op_pt"
    FOLLOW_UP_IMAGING = "follow_up_imaging"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self][0]

    @property
    def noun(self) -> str:
        """The role inside a sentence: "Check that the {noun} is in network"."""
        return _ROLE_LABELS[self][1]

    @property
    def is_ancillary(self) -> bool:
        """Ancillary care at an in-network facility cannot be balance-billed (45 CFR 149.420(b)).

        The law names anesthesiology, radiology, pathology, laboratory and assistant surgeons
        (laboratory work is the PATHOLOGY role here). Equipment and therapy are not ancillary.
        """
        return self in _ANCILLARY

    @property
    def at_facility(self) -> bool:
        """Whether the care is part of the visit to the hospital or surgery center.

        Only such care is covered by the No Surprises Act outside an emergency: physical therapy,
        equipment and follow-up imaging elsewhere are billed on their own terms.
        """
        return self in _AT_FACILITY

    @property
    def provider_roles(self) -> frozenset[ProviderRole]:
        """The kinds of provider usually chosen for the role (a hint for pickers, not a rule)."""
        return _PROVIDER_ROLES.get(self, frozenset(ProviderRole))


_ROLE_LABELS: dict[CareRole, tuple[str, str]] = {
    CareRole.SURGEON: ("Surgeon", "surgeon"),
    CareRole.PROCEDURALIST: ("Doctor doing the procedure", "doctor doing the procedure"),
    CareRole.ASSISTANT_SURGEON: ("Assistant surgeon", "assistant surgeon"),
    CareRole.ANESTHESIOLOGIST: ("Anesthesiologist", "anesthesiologist"),
    CareRole.FACILITY: ("Hospital or surgery center", "hospital or surgery center"),
    CareRole.IMAGING: ("Imaging center / radiologist", "imaging center or radiologist"),
    CareRole.PATHOLOGY: ("Pathology / laboratory", "pathology lab"),
    CareRole.DME: ("Medical equipment (DME) supplier", "medical equipment supplier"),
    CareRole.POST_OP_PT: ("Physical therapy", "physical therapist"),
    CareRole.FOLLOW_UP_IMAGING: ("Follow-up imaging", "follow-up imaging center"),
    CareRole.OTHER: ("Other", "provider"),
}
_ANCILLARY = frozenset(
    {CareRole.ASSISTANT_SURGEON, CareRole.ANESTHESIOLOGIST, CareRole.IMAGING, CareRole.PATHOLOGY}
)
_AT_FACILITY = frozenset(
    {
        CareRole.SURGEON,
        CareRole.PROCEDURALIST,
        CareRole.ASSISTANT_SURGEON,
        CareRole.ANESTHESIOLOGIST,
        CareRole.FACILITY,
        CareRole.IMAGING,
        CareRole.PATHOLOGY,
    }
)
_SURGEONS = frozenset(
    {ProviderRole.SPINE_SURGEON, ProviderRole.NEUROSURGEON, ProviderRole.ORTHOPEDIC_SURGEON}
)
_PROVIDER_ROLES: dict[CareRole, frozenset[ProviderRole]] = {
    CareRole.SURGEON: _SURGEONS,
    CareRole.ASSISTANT_SURGEON: _SURGEONS | {ProviderRole.OTHER},
    CareRole.PROCEDURALIST: _SURGEONS
    | {
        ProviderRole.PAIN_MANAGEMENT,
        ProviderRole.PHYSIATRIST,
        ProviderRole.RADIOLOGY,
        ProviderRole.CHIROPRACTOR,
        ProviderRole.ACUPUNCTURIST,
        ProviderRole.PRIMARY_CARE,
    },
    CareRole.ANESTHESIOLOGIST: frozenset({ProviderRole.ANESTHESIOLOGY}),
    CareRole.FACILITY: frozenset({ProviderRole.HOSPITAL, ProviderRole.SURGERY_CENTER}),
    CareRole.IMAGING: frozenset({ProviderRole.RADIOLOGY, ProviderRole.HOSPITAL}),
    CareRole.PATHOLOGY: frozenset({ProviderRole.PATHOLOGY, ProviderRole.LABORATORY}),
    CareRole.DME: frozenset({ProviderRole.DME_SUPPLIER, ProviderRole.PHARMACY}),
    CareRole.POST_OP_PT: frozenset({ProviderRole.PHYSICAL_THERAPY}),
    CareRole.FOLLOW_UP_IMAGING: frozenset({ProviderRole.RADIOLOGY, ProviderRole.HOSPITAL}),
}

_R = CareRole
_OPEN_SURGERY = (
    _R.SURGEON,
    _R.ASSISTANT_SURGEON,
    _R.ANESTHESIOLOGIST,
    _R.FACILITY,
    _R.PATHOLOGY,
    _R.IMAGING,
    _R.POST_OP_PT,
    _R.FOLLOW_UP_IMAGING,
)
_MINOR_SURGERY = (_R.SURGEON, _R.ANESTHESIOLOGIST, _R.FACILITY, _R.IMAGING)
_INJECTION = (_R.PROCEDURALIST, _R.FACILITY, _R.ANESTHESIOLOGIST, _R.IMAGING)
# The roles a new case starts with; the user adds and removes rows per case. Surgery: pathology
# for the disc or bone removed, imaging for the fluoroscopy in the room; injections and
# ablations: sedation and fluoroscopy; an MRI or CT: the imaging center and its radiologist.
DEFAULT_ROLES: dict[Procedure, tuple[CareRole, ...]] = {
    Procedure.LUMBAR_MRI: (_R.IMAGING,),
    Procedure.CT_SCAN: (_R.IMAGING,),
    Procedure.PHYSICAL_THERAPY: (_R.POST_OP_PT,),
    Procedure.CHIROPRACTIC: (_R.PROCEDURALIST,),
    Procedure.ACUPUNCTURE: (_R.PROCEDURALIST,),
    Procedure.EPIDURAL_STEROID_INJECTION: _INJECTION,
    Procedure.FACET_MEDIAL_BRANCH_BLOCK: _INJECTION,
    Procedure.RADIOFREQUENCY_ABLATION: _INJECTION,
    Procedure.SI_JOINT_INJECTION: _INJECTION,
    Procedure.BASIVERTEBRAL_NERVE_ABLATION: _MINOR_SURGERY,
    Procedure.SPINAL_CORD_STIMULATOR: (*_MINOR_SURGERY, _R.FOLLOW_UP_IMAGING),
    Procedure.MICRODISCECTOMY: _OPEN_SURGERY,
    Procedure.LAMINECTOMY: _OPEN_SURGERY,
    Procedure.LUMBAR_FUSION: (*_OPEN_SURGERY, _R.DME),  # the brace
    Procedure.ARTIFICIAL_DISC_REPLACEMENT: _OPEN_SURGERY,
    Procedure.SI_JOINT_FUSION: (*_MINOR_SURGERY, _R.POST_OP_PT, _R.FOLLOW_UP_IMAGING, _R.DME),
    Procedure.KYPHOPLASTY: (*_MINOR_SURGERY, _R.PATHOLOGY),  # a biopsy is often taken
    Procedure.MEDICATION: (),
    Procedure.MEDICAL_EQUIPMENT: (_R.DME,),
    Procedure.OTHER: (_R.PROCEDURALIST,),
}


@dataclass(frozen=True, slots=True)
class CareTeamData:
    """One row of a case's care team: a role, and the provider who fills it (None: not known yet)."""

    case_id: int
    role: CareRole
    provider_id: int | None = None
    notes: str | None = None  # "Dr. Lee's group — name not given yet"


@dataclass(frozen=True, slots=True)
class TeamMember:
    """A stored care-team row: its id beside its data."""

    id: int
    data: CareTeamData


def care_team_problems(
    member: CareTeamData, others: Sequence[CareTeamData], provider_name: str | None = None
) -> list[str]:
    """Why ``member`` cannot be saved beside ``others``; empty when it can.

    Args:
        others: the care team rows already stored (any case; leave out the row being edited).
        provider_name: the provider's name for the message ("Dr. Okafor").

    One provider in two roles is fine (a surgeon's group may also run the surgery center), and
    several unassigned rows of one role are fine; one provider twice in one role is refused.
    """
    problems: list[str] = []
    if member.provider_id is not None and any(
        other.case_id == member.case_id
        and other.role is member.role
        and other.provider_id == member.provider_id
        for other in others
    ):
        who = provider_name.strip() if provider_name and provider_name.strip() else None
        problems.append(f"{who or 'This provider'} is already the {member.role.noun} on this case.")
    if member.notes is not None and len(member.notes) > _MAX_LONG_TEXT:
        problems.append(f"Notes is longer than {_MAX_LONG_TEXT:,} characters; please shorten it.")
    return problems


class Protection(StrEnum):
    """What the No Surprises Act does for one bill, given who is in network."""

    NOT_NEEDED = "not_needed"  # the provider is in network
    NO_BALANCE_BILLING = "no_balance_billing"
    NOTICE_AND_CONSENT = "notice_and_consent"
    NONE = "none"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return _PROTECTION_TEXT[self][0]

    @property
    def explanation(self) -> str:
        """One or two plain sentences on what the protection means for the bill."""
        return _PROTECTION_TEXT[self][1]

    @property
    def source(self) -> str:
        return _PROTECTION_TEXT[self][2]


_PROTECTION_TEXT: dict[Protection, tuple[str, str, str]] = {
    Protection.NOT_NEEDED: (
        "In network",
        "An in-network provider can bill you only your plan's share: deductible, copay and "
        "coinsurance.",
        "Your plan's network agreement",
    ),
    Protection.NO_BALANCE_BILLING: (
        "Protected: no balance bill",
        "They can bill you only what you would pay in network, and they may not ask you to "
        "give up this protection.",
        "No Surprises Act — 45 CFR 149.410 (emergency care), 45 CFR 149.420(b) (anesthesia, "
        "radiology, pathology, laboratory and assistant surgeons at an in-network facility)",
    ),
    Protection.NOTICE_AND_CONSENT: (
        "Protected unless you sign a consent",
        f"They may bill you more than your in-network share only if you sign their "
        f"notice-and-consent form at least {CONSENT_NOTICE_HOURS} hours before the care. "
        "You may refuse and ask for an in-network provider.",
        "No Surprises Act — 45 CFR 149.420(c)–(d)",
    ),
    Protection.NONE: (
        "Not protected",
        "The No Surprises Act does not limit this bill: outside an emergency it covers only care "
        "at an in-network hospital or surgery center.",
        "No Surprises Act — 45 CFR 149.420(a) (in-network facilities only)",
    ),
    Protection.UNKNOWN: (
        "Not known yet",
        "Which protection applies depends on a network status that has not been checked.",
        "",
    ),
}


def protection(
    role: CareRole,
    provider_status: NetworkStatus,
    facility_status: NetworkStatus | None,
    emergency: bool = False,
) -> Protection:
    """Which protection applies to the bill of the provider in ``role``.

    Args:
        provider_status: the provider's latest status for the case's plan.
        facility_status: the hospital's or surgery center's status; None when the care does not
            involve one (an MRI at an imaging center, therapy at a clinic). Ignored for the
            FACILITY role (its own status is ``provider_status``) and for care that is not part
            of the facility visit (``CareRole.at_facility``).
        emergency: emergency care is protected whoever is out of network (45 CFR 149.410).

    The table (non-emergency):
        provider in network                              → NOT_NEEDED
        provider unknown                                 → UNKNOWN
        out of network, care not at a facility           → NONE
        out of network, facility in network, ancillary   → NO_BALANCE_BILLING
        out of network, facility in network, other       → NOTICE_AND_CONSENT
        out of network, facility out of network or none  → NONE
        out of network, facility unknown                 → UNKNOWN
    """
    if provider_status is NetworkStatus.IN_NETWORK:
        return Protection.NOT_NEEDED
    if emergency:
        return Protection.NO_BALANCE_BILLING
    if provider_status is NetworkStatus.UNKNOWN:
        return Protection.UNKNOWN
    if role is CareRole.FACILITY or not role.at_facility or facility_status is None:
        return Protection.NONE
    if facility_status is NetworkStatus.UNKNOWN:
        return Protection.UNKNOWN
    if facility_status is NetworkStatus.OUT_OF_NETWORK:
        return Protection.NONE
    if role.is_ancillary:
        return Protection.NO_BALANCE_BILLING
    return Protection.NOTICE_AND_CONSENT


def consent_deadline(scheduled: dt.date) -> dt.date:
    """The last day to settle the network question: 72 hours (3 days) before the care."""
    return scheduled - dt.timedelta(days=CONSENT_NOTICE_DAYS)
