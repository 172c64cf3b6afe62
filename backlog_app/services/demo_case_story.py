"""The demo's case writer: adds cases, events, calls and links through the services.

``demo_cases`` and ``demo_cases_surgery`` tell Maria's coverage story with it; every date they use
is counted from her log (``story_facts`` and her last spine visit), never from the calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from backlog_app.domain.cases import (
    CallData,
    CallDirection,
    CaseData,
    CaseEventData,
    EventType,
    Procedure,
)
from backlog_app.domain.documents import DocumentKind, LinkTarget
from backlog_app.domain.log_records import TreatmentKind
from backlog_app.services.context import ProfileSession
from backlog_app.services.demo_documents import story_facts
from backlog_app.services.demo_letters import StoryFacts


@dataclass
class CaseStory:
    """Writes the demo's records through the services and remembers what it needs to link."""

    profile: ProfileSession
    facts: StoryFacts
    plan_id: int
    providers: dict[str, int]
    documents: dict[DocumentKind, int]
    surgeon_visit: dt.date  # Dr. Okafor's visit that decided on surgery: the last spine visit

    def add_case(self, procedure: Procedure, **fields: Any) -> int:
        return self.profile.cases.add(CaseData(procedure, plan_id=self.plan_id, **fields))

    def event(self, case_id: int, event_type: EventType, day: dt.date, **fields: Any) -> int:
        return self.profile.cases.add_event(CaseEventData(case_id, event_type, day, **fields))

    def call(self, day: dt.date, time: str, organization: str, **fields: Any) -> int:
        hour, minute = (int(part) for part in time.split(":"))
        when = dt.datetime.combine(day, dt.time(hour, minute))
        fields.setdefault("direction", CallDirection.OUTGOING)
        return self.profile.calls.add(CallData(when, organization=organization, **fields))

    def link(self, kind: DocumentKind, target: LinkTarget, target_id: int) -> None:
        self.profile.documents.link(self.documents[kind], target, target_id)

    def provider(self, name: str) -> int:
        return self.providers[name]

    def phone(self, name: str) -> str | None:
        return self.facts.providers[name].phone

    @property
    def insurer(self) -> str:
        return self.facts.plan.insurer


def case_story(profile: ProfileSession) -> CaseStory:
    """A writer for the demo ``profile``, which already holds the demo's log and documents."""
    facts = story_facts(profile)
    spine_visits = [
        t.data.day
        for t in profile.log.treatments.list()
        if t.data.kind is TreatmentKind.SPINE_SPECIALIST_VISIT
    ]
    documents: dict[DocumentKind, int] = {}
    for row in profile.documents.list():
        documents.setdefault(row.info.data.kind, row.info.id)
    return CaseStory(
        profile=profile,
        facts=facts,
        plan_id=min(profile.plans.list(), key=lambda stored: stored.data.priority).id,
        providers={stored.data.name: stored.id for stored in profile.providers.list()},
        documents=documents,
        surgeon_visit=max(spine_visits),
    )


def days_after(day: dt.date, count: int) -> dt.date:
    """``count`` days after ``day`` (before it when negative)."""
    return day + dt.timedelta(days=count)


def ref_number(prefix: str, day: dt.date, serial: str) -> str:
    """A reference number the way the insurer and offices write them: "UM-261024-31862"."""
    return f"{prefix}-{day:%y%m%d}-{serial}"
