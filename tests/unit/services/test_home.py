"""What Home shows: the patient's age, plans in force and the next steps, from one read."""

from __future__ import annotations

import dataclasses
import datetime as dt

from backlog_app.domain.next_steps import Urgency
from backlog_app.services.context import ProfileSession
from backlog_app.services.home import home_summary


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
    assert summary.provider_count == 12
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
