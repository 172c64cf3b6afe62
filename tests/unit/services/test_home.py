"""What Home shows: the patient's age, plans in force and the next steps at once; deadlines and
open cases from a second read (the window makes it in the background)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from backlog_app.domain.cases import (
    CallData,
    CallDirection,
    CaseData,
    CaseEventData,
    CaseStatus,
    DenialReason,
    EventType,
    Procedure,
    ServiceType,
)
from backlog_app.domain.next_steps import Urgency
from backlog_app.domain.records import PlanData, PlanType
from backlog_app.services.context import ProfileSession
from backlog_app.services.due import everything_due
from backlog_app.services.home import HOME_DUE_DAYS, home_deadlines, home_summary, is_open

D = dt.date


def test_empty_profile(profile: ProfileSession) -> None:
    summary = home_summary(profile)
    assert summary.patient is None
    assert summary.age is None
    assert summary.current_plans == []
    assert summary.ended_plan_count == 0
    assert summary.provider_count == 0
    assert summary.steps[0].title == "Tell BackLog who this profile is for"


def test_demo_profile(demo_profile: ProfileSession) -> None:
    summary = home_summary(demo_profile)
    assert summary.patient is not None
    assert summary.age == 52
    assert [p.data.priority for p in summary.current_plans] == [1, 2]
    assert summary.ended_plan_count == 0
    assert summary.provider_count == 15
    assert [s.urgency for s in summary.steps if s.urgency is Urgency.NOW] == []
    assert [s.title for s in summary.steps] == [
        "The deductible for Buckeye Mutual Health — Choice PPO 1500 resets on 1 Jan 2027",
        "Add the NPI number for 1 provider",
    ]


def test_ended_plans_are_counted_apart(demo_profile: ProfileSession, today: dt.date) -> None:
    supplement = demo_profile.plans.list()[1]
    demo_profile.plans.update(
        supplement.id,
        dataclasses.replace(supplement.data, coverage_end=today - dt.timedelta(days=1)),
    )
    summary = home_summary(demo_profile)
    assert [p.id for p in summary.current_plans] == [demo_profile.plans.list()[0].id]
    assert summary.ended_plan_count == 1


def test_deadlines_and_open_cases(profile: ProfileSession, today: dt.date) -> None:
    plan_id = profile.plans.add(PlanData("Buckeye Mutual Health", PlanType.EMPLOYER_PPO))
    denied = profile.cases.add(CaseData(Procedure.MICRODISCECTOMY, plan_id=plan_id))
    profile.cases.add_event(CaseEventData(denied, EventType.REQUEST_SUBMITTED, D(2026, 11, 2)))
    profile.cases.add_event(
        CaseEventData(
            denied,
            EventType.DENIED,
            D(2026, 11, 20),
            reason=DenialReason.MISSING_DOCUMENTATION,
        )
    )
    paid = profile.cases.add(
        CaseData(Procedure.PHYSICAL_THERAPY, plan_id=plan_id, service_type=ServiceType.POST_SERVICE)
    )
    profile.cases.add_event(CaseEventData(paid, EventType.CLAIM_SUBMITTED, D(2026, 10, 1)))
    profile.cases.add_event(CaseEventData(paid, EventType.CLAIM_PAID, D(2026, 10, 20)))
    profile.calls.add(
        CallData(
            dt.datetime(2026, 11, 2, 10, 0),
            CallDirection.OUTGOING,
            "Buckeye Mutual Health",
            follow_up_date=D(2026, 11, 20),  # overdue
        )
    )

    summary = home_deadlines(profile)
    assert summary.today == today
    assert summary.case_count == 2
    # The appeal deadline is months away: "later"; the overdue follow-up is listed first.
    assert [item.due for item in summary.due] == [D(2026, 11, 20)]
    assert summary.due[0].call_id is not None
    appeal = [item for item in summary.later if item.case_id == denied]
    assert appeal and appeal[0].due > today + dt.timedelta(days=HOME_DUE_DAYS)
    (step,) = summary.case_steps  # the paid claim is settled
    assert step.case_id == denied
    assert step.status is CaseStatus.DENIED and step.status_label == "Denied"
    assert step.next_step == profile.cases.get(denied).next_step
    assert step.next_due == appeal[0]


def test_demo_deadlines_are_sorted_into_home_and_later(
    demo_profile: ProfileSession, today: dt.date
) -> None:
    summary = home_deadlines(demo_profile)
    last = today + dt.timedelta(days=HOME_DUE_DAYS)
    assert all(item.due <= last for item in summary.due)
    assert all(item.due > last for item in summary.later)
    assert [item.due for item in summary.due] == sorted(item.due for item in summary.due)
    assert len(summary.due) + len(summary.later) == len(everything_due(demo_profile))
    rows = {row.id: row for row in demo_profile.cases.list()}
    assert {step.case_id for step in summary.case_steps} == {
        row.id for row in rows.values() if is_open(row)
    }
    assert all(step.next_step for step in summary.case_steps)
