""" "What's next" on Home: plain-language suggestions computed from what the profile holds.

Later features (log, vault, cases) add their own rules here; each rule looks at plain data only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from backlog_app.domain.dates import format_long_date, plan_year_containing
from backlog_app.domain.records import PatientData, PlanData, ProviderData, Stored


class Urgency(IntEnum):
    """How soon the user should act; Home sorts by it, most urgent first."""

    NOW = 0
    SOON = 1
    WHEN_YOU_CAN = 2


class Destination(StrEnum):
    """The page where the user can act on a step."""

    PROFILE = "profile"
    PROVIDERS = "providers"


@dataclass(frozen=True, slots=True)
class NextStep:
    """One suggestion: what to do, why it matters, and where to do it."""

    title: str
    why: str
    urgency: Urgency
    destination: Destination


@dataclass(frozen=True, slots=True)
class ProfileFacts:
    """What the rules look at."""

    patient: PatientData | None
    plans: list[Stored[PlanData]]
    providers: list[Stored[ProviderData]]


# Coverage that ends within this many days is worth a reminder.
_COVERAGE_ENDING_DAYS = 45
# A new plan year within this many days resets deductibles: worth scheduling around.
_PLAN_YEAR_RESET_DAYS = 60


def next_steps(facts: ProfileFacts, today: dt.date) -> list[NextStep]:
    """Suggestions, most urgent first; an empty list means nothing needs doing."""
    steps: list[NextStep] = []
    steps += _patient_steps(facts.patient)
    steps += _plan_steps(facts.plans, today)
    steps += _provider_steps(facts.providers)
    return sorted(steps, key=lambda step: step.urgency)


def _patient_steps(patient: PatientData | None) -> list[NextStep]:
    if patient is None:
        return [
            NextStep(
                "Tell BackLog who this profile is for",
                "Every page you send to an insurer must carry the patient's name and date of birth.",
                Urgency.NOW,
                Destination.PROFILE,
            )
        ]
    steps = []
    if not patient.phone:
        steps.append(
            NextStep(
                "Add a phone number for the patient",
                "Appeal letters ask for a number where the plan can reach you.",
                Urgency.WHEN_YOU_CAN,
                Destination.PROFILE,
            )
        )
    if not patient.address:
        steps.append(
            NextStep(
                "Add the patient's mailing address",
                "Insurers send decisions by mail; your appeal letter should show where.",
                Urgency.WHEN_YOU_CAN,
                Destination.PROFILE,
            )
        )
    return steps


def _plan_steps(plans: list[Stored[PlanData]], today: dt.date) -> list[NextStep]:
    current = [p for p in plans if p.data.coverage_end is None or p.data.coverage_end >= today]
    if not current:
        return [
            NextStep(
                "Add your health insurance plan",
                "The member ID and the plan's appeal address go on every request and appeal.",
                Urgency.NOW,
                Destination.PROFILE,
            )
        ]
    steps: list[NextStep] = []
    medical = [p for p in current if not p.data.plan_type.is_supplemental]
    if not medical:
        steps.append(
            NextStep(
                "Add your main health plan",
                "Only supplemental policies are recorded; procedures are approved by the main plan.",
                Urgency.NOW,
                Destination.PROFILE,
            )
        )
    for stored in current:
        plan = stored.data
        name = plan.display_name
        if not plan.member_id:
            steps.append(
                NextStep(
                    f"Add the member ID for {name}",
                    "It is on the front of the insurance card; every form asks for it.",
                    Urgency.NOW,
                    Destination.PROFILE,
                )
            )
        if not plan.plan_type.is_supplemental and not (plan.appeals_address or plan.appeals_fax):
            steps.append(
                NextStep(
                    f"Find the appeals address or fax for {name}",
                    "It is printed on any denial letter and in the plan documents. "
                    "You will need it the day a claim is denied.",
                    Urgency.WHEN_YOU_CAN,
                    Destination.PROFILE,
                )
            )
        if not plan.plan_type.is_supplemental and not plan.prior_auth_phone:
            steps.append(
                NextStep(
                    f"Add the prior-authorization phone number for {name}",
                    "MRIs, injections and surgery usually need approval before they happen.",
                    Urgency.WHEN_YOU_CAN,
                    Destination.PROFILE,
                )
            )
        if plan.coverage_end is not None:
            days_left = (plan.coverage_end - today).days
            if days_left <= _COVERAGE_ENDING_DAYS:
                steps.append(
                    NextStep(
                        f"{name} ends on {format_long_date(plan.coverage_end)}",
                        f"In {days_left} days. Schedule covered care before then, "
                        "and add the new plan when you have its card.",
                        Urgency.SOON,
                        Destination.PROFILE,
                    )
                )
        if plan.plan_year_start is not None and plan.deductible_cents:
            _, year_end = plan_year_containing(plan.plan_year_start, today)
            days_to_reset = (year_end - today).days + 1
            if days_to_reset <= _PLAN_YEAR_RESET_DAYS:
                steps.append(
                    NextStep(
                        f"The deductible for {name} resets on "
                        f"{format_long_date(year_end + dt.timedelta(days=1))}",
                        f"In {days_to_reset} days. Care you already paid toward this year's "
                        "deductible may cost less if it is done before then.",
                        Urgency.SOON,
                        Destination.PROFILE,
                    )
                )
    return steps


def _provider_steps(providers: list[Stored[ProviderData]]) -> list[NextStep]:
    if not providers:
        return [
            NextStep(
                "Add the doctors and therapists who treat you",
                "Requests, appeals and network checks all name the provider.",
                Urgency.SOON,
                Destination.PROVIDERS,
            )
        ]
    missing_npi = [p for p in providers if not p.data.npi]
    if missing_npi:
        count = len(missing_npi)
        return [
            NextStep(
                f"Add the NPI number for {count} provider{'s' if count != 1 else ''}",
                "The 10-digit NPI is on their letters and bills; insurers identify providers by it.",
                Urgency.WHEN_YOU_CAN,
                Destination.PROVIDERS,
            )
        ]
    return []
