"""Treatment-log records as plain dataclasses: check-ins, medication trials, treatments, courses, ODI.

Unknown values are None ("not recorded" is not 0). Services hand these to the UI and CLI.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class BodySite(StrEnum):
    """Where it hurts (a simple body picker)."""

    LOWER_BACK = "lower_back"
    BUTTOCK_LEFT = "buttock_left"
    BUTTOCK_RIGHT = "buttock_right"
    THIGH_LEFT = "thigh_left"
    THIGH_RIGHT = "thigh_right"
    CALF_FOOT_LEFT = "calf_foot_left"
    CALF_FOOT_RIGHT = "calf_foot_right"

    @property
    def label(self) -> str:
        return _SITE_LABELS[self]


_SITE_LABELS = {
    BodySite.LOWER_BACK: "Lower back",
    BodySite.BUTTOCK_LEFT: "Left buttock",
    BodySite.BUTTOCK_RIGHT: "Right buttock",
    BodySite.THIGH_LEFT: "Left thigh",
    BodySite.THIGH_RIGHT: "Right thigh",
    BodySite.CALF_FOOT_LEFT: "Left calf or foot",
    BodySite.CALF_FOOT_RIGHT: "Right calf or foot",
}


class LegSymptom(StrEnum):
    NUMBNESS = "numbness"
    TINGLING = "tingling"
    WEAKNESS = "weakness"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class WorkStatus(StrEnum):
    WORKING = "working"
    MODIFIED_DUTY = "modified_duty"
    OFF_WORK = "off_work"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return {
            WorkStatus.WORKING: "Working",
            WorkStatus.MODIFIED_DUTY: "Modified duty",
            WorkStatus.OFF_WORK: "Off work",
            WorkStatus.NOT_APPLICABLE: "Not working outside the home",
        }[self]


class SleepQuality(StrEnum):
    VERY_POOR = "very_poor"
    POOR = "poor"
    FAIR = "fair"
    GOOD = "good"
    VERY_GOOD = "very_good"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


@dataclass(frozen=True, slots=True)
class DoseTaken:
    """A medication taken on a check-in day."""

    medication_id: int
    doses: int = 1
    relief_percent: int | None = None  # how much it helped, 0-100


@dataclass(frozen=True, slots=True)
class CheckInData:
    """One day's check-in. Pain and PEG items are 0-10; None means not recorded."""

    day: dt.date
    pain_now: int | None = None
    pain_average: int | None = None  # also PEG item 1 ("average pain")
    pain_worst: int | None = None
    pain_sites: frozenset[BodySite] = field(default_factory=frozenset)
    leg_symptoms: frozenset[LegSymptom] = field(default_factory=frozenset)
    peg_enjoyment: int | None = None  # PEG item 2: interference with enjoyment of life
    peg_activity: int | None = None  # PEG item 3: interference with general activity
    sleep_hours: float | None = None
    sleep_quality: SleepQuality | None = None
    walk_minutes: int | None = None
    sit_minutes: int | None = None
    stand_minutes: int | None = None
    work_status: WorkStatus | None = None
    notes: str | None = None
    doses: tuple[DoseTaken, ...] = ()


class Route(StrEnum):
    ORAL = "oral"
    TOPICAL = "topical"
    PATCH = "patch"
    INJECTION = "injection"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class MedicationOutcome(StrEnum):
    """How a medication trial went — the "tried and failed" history insurers ask for."""

    HELPED = "helped"
    PARTIAL = "partial"
    NO_EFFECT = "no_effect"
    SIDE_EFFECTS = "side_effects"
    ALLERGIC = "allergic"

    @property
    def label(self) -> str:
        return {
            MedicationOutcome.HELPED: "Helped",
            MedicationOutcome.PARTIAL: "Helped partly",
            MedicationOutcome.NO_EFFECT: "No effect",
            MedicationOutcome.SIDE_EFFECTS: "Stopped for side effects",
            MedicationOutcome.ALLERGIC: "Allergic reaction",
        }[self]


@dataclass(frozen=True, slots=True)
class MedicationData:
    """One medication trial: one start-stop period of one medication."""

    name: str
    start_date: dt.date | None
    strength: str | None = None  # "500 mg"
    dose: str | None = None  # "1 tablet"
    frequency: str | None = None  # "twice a day"
    route: Route | None = None
    as_needed: bool = False
    prescriber_id: int | None = None
    purpose: str | None = None
    stop_date: dt.date | None = None
    outcome: MedicationOutcome | None = None
    side_effects: str | None = None
    reason_stopped: str | None = None
    notes: str | None = None

    def is_active_on(self, day: dt.date) -> bool:
        started = self.start_date is None or self.start_date <= day
        return started and (self.stop_date is None or self.stop_date >= day)


class TreatmentCategory(StrEnum):
    THERAPY = "therapy"
    INJECTION = "injection"
    IMAGING = "imaging"
    VISIT = "visit"
    SURGERY = "surgery"
    OTHER = "other"


class TreatmentKind(StrEnum):
    """What a treatment or visit was. The category decides which extra fields apply."""

    PHYSICAL_THERAPY = "physical_therapy"
    CHIROPRACTIC = "chiropractic"
    ACUPUNCTURE = "acupuncture"
    MASSAGE = "massage"
    HOME_EXERCISE = "home_exercise"
    EPIDURAL_STEROID_INJECTION = "epidural_steroid_injection"
    FACET_MEDIAL_BRANCH_BLOCK = "facet_medial_branch_block"
    RADIOFREQUENCY_ABLATION = "radiofrequency_ablation"
    SI_JOINT_INJECTION = "si_joint_injection"
    MRI = "mri"
    CT = "ct"
    XRAY = "xray"
    EMG_NERVE_CONDUCTION = "emg_nerve_conduction"
    PRIMARY_CARE_VISIT = "primary_care_visit"
    SPINE_SPECIALIST_VISIT = "spine_specialist_visit"
    PAIN_MANAGEMENT_VISIT = "pain_management_visit"
    SURGEON_VISIT = "surgeon_visit"
    SURGERY = "surgery"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self][0]

    @property
    def category(self) -> TreatmentCategory:
        return _KIND_LABELS[self][1]


_T, _I, _M, _V = (
    TreatmentCategory.THERAPY,
    TreatmentCategory.INJECTION,
    TreatmentCategory.IMAGING,
    TreatmentCategory.VISIT,
)
_KIND_LABELS: dict[TreatmentKind, tuple[str, TreatmentCategory]] = {
    TreatmentKind.PHYSICAL_THERAPY: ("Physical therapy", _T),
    TreatmentKind.CHIROPRACTIC: ("Chiropractic", _T),
    TreatmentKind.ACUPUNCTURE: ("Acupuncture", _T),
    TreatmentKind.MASSAGE: ("Massage", _T),
    TreatmentKind.HOME_EXERCISE: ("Home exercise program", _T),
    TreatmentKind.EPIDURAL_STEROID_INJECTION: ("Epidural steroid injection", _I),
    TreatmentKind.FACET_MEDIAL_BRANCH_BLOCK: ("Facet / medial branch block", _I),
    TreatmentKind.RADIOFREQUENCY_ABLATION: ("Radiofrequency ablation", _I),
    TreatmentKind.SI_JOINT_INJECTION: ("SI joint injection", _I),
    TreatmentKind.MRI: ("MRI", _M),
    TreatmentKind.CT: ("CT scan", _M),
    TreatmentKind.XRAY: ("X-ray", _M),
    TreatmentKind.EMG_NERVE_CONDUCTION: ("EMG / nerve conduction study", _M),
    TreatmentKind.PRIMARY_CARE_VISIT: ("Primary care visit", _V),
    TreatmentKind.SPINE_SPECIALIST_VISIT: ("Spine specialist visit", _V),
    TreatmentKind.PAIN_MANAGEMENT_VISIT: ("Pain management visit", _V),
    TreatmentKind.SURGEON_VISIT: ("Surgeon visit", _V),
    TreatmentKind.SURGERY: ("Surgery", TreatmentCategory.SURGERY),
    TreatmentKind.OTHER: ("Other", TreatmentCategory.OTHER),
}


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"
    CENTRAL = "central"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True, slots=True)
class TreatmentData:
    """One treatment, test or visit on one day."""

    kind: TreatmentKind
    day: dt.date
    provider_id: int | None = None
    course_id: int | None = None
    level: str | None = None  # injections: "L4-L5"
    side: Side | None = None
    relief_percent: int | None = None  # injections: best relief, 0-100
    relief_days: int | None = None  # injections: how long the relief lasted
    facility: str | None = None  # imaging
    result: str | None = None  # imaging findings, visit outcome, what was decided
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class TherapyCourseData:
    """A course of therapy that groups sessions (e.g. 8 weeks of PT)."""

    kind: TreatmentKind
    start_date: dt.date
    end_date: dt.date | None = None
    provider_id: int | None = None
    planned_visits: int | None = None
    discharge_outcome: str | None = None
    notes: str | None = None


ODI_SECTIONS = 10


@dataclass(frozen=True, slots=True)
class OdiScoreData:
    """An Oswestry Disability Index result: the clinic's total, or the ten section scores (0-5).

    The questionnaire's wording is licensed; BackLog stores only the numbers.
    """

    day: dt.date
    total_percent: float | None = None
    sections: tuple[int | None, ...] = (None,) * ODI_SECTIONS
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class VisitLimitData:
    """A plan's yearly cap on visits of one kind (chiropractic, acupuncture...)."""

    plan_id: int
    kind: TreatmentKind
    visits_per_year: int
