"""The core records as plain dataclasses, and the fixed choices they use (plan types, roles).

Services hand these to the UI and CLI; nothing here is bound to a database session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")


class PlanType(StrEnum):
    """Kinds of coverage. The value is what the database and data files store."""

    EMPLOYER_PPO = "employer_ppo"
    EMPLOYER_HMO = "employer_hmo"
    EMPLOYER_EPO = "employer_epo"
    EMPLOYER_POS = "employer_pos"
    HDHP_HSA = "hdhp_hsa"
    ACA_MARKETPLACE = "aca_marketplace"
    ORIGINAL_MEDICARE = "original_medicare"
    MEDICARE_ADVANTAGE = "medicare_advantage"
    MEDICAID = "medicaid"
    MEDIGAP = "medigap"
    HOSPITAL_INDEMNITY = "hospital_indemnity"
    OTHER_SUPPLEMENTAL = "other_supplemental"

    @property
    def label(self) -> str:
        return _PLAN_TYPE_LABELS[self]

    @property
    def appeal_rules(self) -> AppealRules:
        """Which set of appeal deadlines applies (see shared DOMAIN.md, "Deadlines")."""
        return _PLAN_TYPE_RULES[self]

    @property
    def is_supplemental(self) -> bool:
        return self.appeal_rules is AppealRules.SUPPLEMENTAL


class AppealRules(StrEnum):
    """Families of appeal rules; the deadline module (#5) keys its defaults on these."""

    ERISA_ACA = "erisa_aca"
    ORIGINAL_MEDICARE = "original_medicare"
    MEDICARE_ADVANTAGE = "medicare_advantage"
    MEDICAID = "medicaid"
    SUPPLEMENTAL = "supplemental"


_PLAN_TYPE_LABELS: dict[PlanType, str] = {
    PlanType.EMPLOYER_PPO: "Employer plan — PPO",
    PlanType.EMPLOYER_HMO: "Employer plan — HMO",
    PlanType.EMPLOYER_EPO: "Employer plan — EPO",
    PlanType.EMPLOYER_POS: "Employer plan — POS",
    PlanType.HDHP_HSA: "High-deductible plan with HSA",
    PlanType.ACA_MARKETPLACE: "ACA marketplace plan",
    PlanType.ORIGINAL_MEDICARE: "Original Medicare",
    PlanType.MEDICARE_ADVANTAGE: "Medicare Advantage",
    PlanType.MEDICAID: "Medicaid",
    PlanType.MEDIGAP: "Medigap (Medicare supplement)",
    PlanType.HOSPITAL_INDEMNITY: "Hospital indemnity policy",
    PlanType.OTHER_SUPPLEMENTAL: "Other supplemental policy",
}

_PLAN_TYPE_RULES: dict[PlanType, AppealRules] = {
    PlanType.EMPLOYER_PPO: AppealRules.ERISA_ACA,
    PlanType.EMPLOYER_HMO: AppealRules.ERISA_ACA,
    PlanType.EMPLOYER_EPO: AppealRules.ERISA_ACA,
    PlanType.EMPLOYER_POS: AppealRules.ERISA_ACA,
    PlanType.HDHP_HSA: AppealRules.ERISA_ACA,
    PlanType.ACA_MARKETPLACE: AppealRules.ERISA_ACA,
    PlanType.ORIGINAL_MEDICARE: AppealRules.ORIGINAL_MEDICARE,
    PlanType.MEDICARE_ADVANTAGE: AppealRules.MEDICARE_ADVANTAGE,
    PlanType.MEDICAID: AppealRules.MEDICAID,
    PlanType.MEDIGAP: AppealRules.SUPPLEMENTAL,
    PlanType.HOSPITAL_INDEMNITY: AppealRules.SUPPLEMENTAL,
    PlanType.OTHER_SUPPLEMENTAL: AppealRules.SUPPLEMENTAL,
}


class ProviderRole(StrEnum):
    """What a provider does for the patient; each role may bill separately."""

    PRIMARY_CARE = "primary_care"
    SPINE_SURGEON = "spine_surgeon"
    NEUROSURGEON = "neurosurgeon"
    ORTHOPEDIC_SURGEON = "orthopedic_surgeon"
    PAIN_MANAGEMENT = "pain_management"
    PHYSIATRIST = "physiatrist"
    NEUROLOGIST = "neurologist"
    PHYSICAL_THERAPY = "physical_therapy"
    CHIROPRACTOR = "chiropractor"
    ACUPUNCTURIST = "acupuncturist"
    MASSAGE_THERAPIST = "massage_therapist"
    PSYCHOLOGIST = "psychologist"
    RADIOLOGY = "radiology"
    ANESTHESIOLOGY = "anesthesiology"
    PATHOLOGY = "pathology"
    HOSPITAL = "hospital"
    SURGERY_CENTER = "surgery_center"
    LABORATORY = "laboratory"
    PHARMACY = "pharmacy"
    DME_SUPPLIER = "dme_supplier"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


_ROLE_LABELS: dict[ProviderRole, str] = {
    ProviderRole.PRIMARY_CARE: "Primary care",
    ProviderRole.SPINE_SURGEON: "Spine surgeon",
    ProviderRole.NEUROSURGEON: "Neurosurgeon",
    ProviderRole.ORTHOPEDIC_SURGEON: "Orthopedic surgeon",
    ProviderRole.PAIN_MANAGEMENT: "Pain management",
    ProviderRole.PHYSIATRIST: "Physiatrist (PM&R)",
    ProviderRole.NEUROLOGIST: "Neurologist",
    ProviderRole.PHYSICAL_THERAPY: "Physical therapy",
    ProviderRole.CHIROPRACTOR: "Chiropractor",
    ProviderRole.ACUPUNCTURIST: "Acupuncturist",
    ProviderRole.MASSAGE_THERAPIST: "Massage therapist",
    ProviderRole.PSYCHOLOGIST: "Psychologist",
    ProviderRole.RADIOLOGY: "Radiology / imaging center",
    ProviderRole.ANESTHESIOLOGY: "Anesthesiology",
    ProviderRole.PATHOLOGY: "Pathology",
    ProviderRole.HOSPITAL: "Hospital",
    ProviderRole.SURGERY_CENTER: "Ambulatory surgery center",
    ProviderRole.LABORATORY: "Laboratory",
    ProviderRole.PHARMACY: "Pharmacy",
    ProviderRole.DME_SUPPLIER: "Medical equipment (DME) supplier",
    ProviderRole.OTHER: "Other",
}


@dataclass(frozen=True, slots=True)
class PatientData:
    """The person this profile is for. Unknown values are None, never ""."""

    full_name: str
    date_of_birth: dt.date | None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class PlanData:
    """One insurance plan or supplemental policy, as the user sees it on the card and the SBC."""

    insurer: str
    plan_type: PlanType
    plan_name: str | None = None
    member_id: str | None = None
    group_number: str | None = None
    member_services_phone: str | None = None
    prior_auth_phone: str | None = None
    appeals_phone: str | None = None
    appeals_address: str | None = None
    appeals_fax: str | None = None
    plan_year_start: dt.date | None = None
    deductible_cents: int | None = None
    out_of_pocket_max_cents: int | None = None
    coverage_start: dt.date | None = None
    coverage_end: dt.date | None = None
    priority: int = 1
    notes: str | None = None

    @property
    def display_name(self) -> str:
        return f"{self.insurer} — {self.plan_name}" if self.plan_name else self.insurer


@dataclass(frozen=True, slots=True)
class ProviderData:
    """A person or organization that treats or bills the patient."""

    name: str
    role: ProviderRole
    specialty: str | None = None
    organization: str | None = None
    npi: str | None = None
    phone: str | None = None
    fax: str | None = None
    address: str | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class Stored(Generic[T]):
    """A record as stored: its id and timestamps beside the data the user edits."""

    id: int
    data: T
    created_at: dt.datetime
    updated_at: dt.datetime


PRIORITY_LABELS: dict[int, str] = {1: "Primary", 2: "Secondary", 3: "Tertiary"}


def priority_label(priority: int) -> str:
    """ "Primary" for 1, "Secondary" for 2 ..."""
    return PRIORITY_LABELS.get(priority, f"#{priority}")


def main_plan_in_force(plans: Iterable[PlanData], today: dt.date) -> PlanData | None:
    """The main plan on ``today``: the plan in force (coverage started, not ended) that is not
    a supplemental policy, with the lowest priority number; ties go to the first in ``plans``.
    None when no such plan is in force."""
    in_force = [
        plan for plan in plans if not plan.plan_type.is_supplemental and plan_in_force(plan, today)
    ]
    return min(in_force, key=lambda plan: plan.priority) if in_force else None


def plan_in_force(plan: PlanData, today: dt.date) -> bool:
    """The plan covers ``today`` (a plan without coverage dates does)."""
    started = plan.coverage_start is None or plan.coverage_start <= today
    return started and (plan.coverage_end is None or plan.coverage_end >= today)
