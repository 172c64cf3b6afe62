"""What Home shows: who the profile is for, the plans in force, deadlines, and what to do next.

Two reads: ``home_summary`` (a few small tables, fine on the GUI thread) and ``home_deadlines``
(every case's deadlines, care-team checks and bills: the window reads it in the background).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from backlog_app.domain.cases import CaseStatus
from backlog_app.domain.dates import age_on
from backlog_app.domain.deadlines import DueItem
from backlog_app.domain.next_steps import NextStep, ProfileFacts, next_steps
from backlog_app.domain.records import PatientData, PlanData, Stored
from backlog_app.services.cases import CaseRow
from backlog_app.services.context import ProfileSession
from backlog_app.services.due import everything_due

# Home lists deadlines up to this many days ahead (overdue ones always).
HOME_DUE_DAYS = 30
# A case in one of these states is settled unless something on it is still open.
_SETTLED = frozenset({CaseStatus.APPROVED, CaseStatus.PAID})


@dataclass(frozen=True, slots=True)
class CaseStep:
    """One open case on Home: what it is, where it stands, and the next step in plain words."""

    case_id: int
    title: str
    status: CaseStatus
    next_step: str
    next_due: DueItem | None = None

    @property
    def status_label(self) -> str:
        return self.status.label


@dataclass(frozen=True, slots=True)
class HomeSummary:
    """What Home shows at once: who the profile is for, the plans, the directory, next steps.

    A few small reads; the deadlines and cases (``HomeDeadlines``) are read in the background.
    """

    patient: PatientData | None
    age: int | None
    current_plans: list[Stored[PlanData]]
    ended_plan_count: int
    provider_count: int
    steps: list[NextStep]
    today: dt.date = field(default_factory=dt.date.today)  # the profile's clock when read


@dataclass(frozen=True, slots=True)
class HomeDeadlines:
    """Home's deadlines and open cases: every case's deadlines, care-team checks and bill
    dispute windows are worked out, so this read can take a while (read it off the GUI thread).
    """

    due: list[DueItem] = field(default_factory=list)  # overdue, then the next 30 days
    later: list[DueItem] = field(default_factory=list)  # after those 30 days, soonest first
    case_steps: list[CaseStep] = field(default_factory=list)  # open cases, soonest deadline first
    case_count: int = 0  # every case, open or settled
    today: dt.date = field(default_factory=dt.date.today)  # the profile's clock when read


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
        today=today,
    )


def home_deadlines(profile: ProfileSession) -> HomeDeadlines:
    """Everything due (cases, care teams, bills), split into Home's 30 days and later."""
    today = profile.clock()
    overview = profile.cases.overview()
    cases, everything = overview.rows, everything_due(profile, overview.due)
    due = due_on_home(everything, today)
    return HomeDeadlines(
        due=due,
        later=[item for item in everything if item not in due],
        case_steps=open_case_steps(cases),
        case_count=len(cases),
        today=today,
    )


def due_on_home(items: list[DueItem], today: dt.date) -> list[DueItem]:
    """Overdue items and those due within HOME_DUE_DAYS, soonest first."""
    last = today + dt.timedelta(days=HOME_DUE_DAYS)
    return sorted(
        (item for item in items if item.due <= last),
        key=lambda item: (item.due, item.case_title, item.title),
    )


def is_open(row: CaseRow) -> bool:
    """Still needs attention: not approved or paid, or approved with something still due."""
    return row.status not in _SETTLED or row.next_due is not None


def open_case_steps(rows: list[CaseRow]) -> list[CaseStep]:
    """The next step of each open case, in ``rows`` order."""
    return [
        CaseStep(row.id, row.title, row.status, row.next_step, row.next_due)
        for row in rows
        if is_open(row)
    ]
