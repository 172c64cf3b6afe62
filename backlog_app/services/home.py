"""What Home shows: who the profile is for, the plans in force, and what to do next."""

from __future__ import annotations

from dataclasses import dataclass

from backlog_app.domain.dates import age_on
from backlog_app.domain.next_steps import NextStep, ProfileFacts, next_steps
from backlog_app.domain.records import PatientData, PlanData, Stored
from backlog_app.services.context import ProfileSession


@dataclass(frozen=True, slots=True)
class HomeSummary:
    """Everything the Home page draws, gathered in one read."""

    patient: PatientData | None
    age: int | None
    current_plans: list[Stored[PlanData]]
    ended_plan_count: int
    provider_count: int
    steps: list[NextStep]


def home_summary(profile: ProfileSession) -> HomeSummary:
    today = profile.clock()
    patient = profile.patient.get()
    plans = profile.plans.list()
    providers = profile.providers.list()
    current = [p for p in plans if p.data.coverage_end is None or p.data.coverage_end >= today]
    age = age_on(patient.date_of_birth, today) if patient and patient.date_of_birth else None
    return HomeSummary(
        patient=patient,
        age=age,
        current_plans=current,
        ended_plan_count=len(plans) - len(current),
        provider_count=len(providers),
        steps=next_steps(ProfileFacts(patient, plans, providers), today),
    )
