"""The demo's 14 months of treatment log: the story's facts, valid records, a sensible summary."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from pathlib import Path

import pytest

from backlog_app.domain.log_records import (
    BodySite,
    LegSymptom,
    MedicationOutcome,
    Side,
    TreatmentKind,
    WorkStatus,
)
from backlog_app.domain.log_validation import (
    check_in_problems,
    course_problems,
    medication_problems,
    odi_problems,
    treatment_problems,
)
from backlog_app.domain.summary import summary_lines
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.services.demo import create_demo
from backlog_app.services.demo_history import CHIROPRACTIC_VISITS_PER_YEAR, HISTORY_DAYS
from backlog_app.services.summary import care_summary, visit_usage_for


@pytest.fixture
def birth(demo_profile: ProfileSession) -> dt.date:
    patient = demo_profile.patient.get()
    assert patient is not None and patient.date_of_birth is not None
    return patient.date_of_birth


def test_every_record_passes_the_rules(
    demo_profile: ProfileSession, today: dt.date, birth: dt.date
) -> None:
    log = demo_profile.log
    check_ins = [log.check_ins.for_day(s.day) for s in log.check_ins.daily_scores()]
    problems = [check_in_problems(c.data, today, birth) for c in check_ins if c is not None]
    problems += [medication_problems(m.data, today, birth) for m in log.medications.list()]
    problems += [treatment_problems(t.data, today, birth) for t in log.treatments.list()]
    problems += [course_problems(c.data, today, birth) for c in log.courses.list()]
    problems += [odi_problems(o.data, today, birth) for o in log.odi_scores.list()]
    assert len(problems) > 400
    assert [p for p in problems if p] == []


def test_medication_trials(demo_profile: ProfileSession) -> None:
    trials = {m.data.name: m.data for m in demo_profile.log.medications.list()}
    assert set(trials) == {"Acetaminophen", "Naproxen", "Cyclobenzaprine", "Gabapentin"}
    naproxen, relaxant, gabapentin = (
        trials["Naproxen"],
        trials["Cyclobenzaprine"],
        trials["Gabapentin"],
    )
    assert naproxen.start_date and naproxen.stop_date
    assert (naproxen.stop_date - naproxen.start_date).days == 42
    assert naproxen.outcome is MedicationOutcome.NO_EFFECT
    assert relaxant.outcome is MedicationOutcome.SIDE_EFFECTS and relaxant.side_effects
    assert relaxant.reason_stopped
    # Gabapentin follows the failed trials, helps partly and is still taken.
    assert gabapentin.start_date is not None and gabapentin.start_date > naproxen.stop_date
    assert gabapentin.stop_date is None
    assert gabapentin.outcome is MedicationOutcome.PARTIAL
    assert trials["Acetaminophen"].as_needed


def test_physical_therapy_course(demo_profile: ProfileSession) -> None:
    (course,) = demo_profile.log.courses.list()
    assert course.data.kind is TreatmentKind.PHYSICAL_THERAPY
    assert course.data.end_date is not None
    assert (course.data.end_date - course.data.start_date).days == 8 * 7
    assert course.data.planned_visits == 16 and course.data.discharge_outcome
    sessions = [t.data for t in demo_profile.log.treatments.list() if t.data.course_id == course.id]
    assert len(sessions) == 16
    assert {s.kind for s in sessions} == {TreatmentKind.PHYSICAL_THERAPY}
    assert min(s.day for s in sessions) == course.data.start_date
    assert max(s.day for s in sessions) == course.data.end_date


def test_imaging_injection_and_visits(demo_profile: ProfileSession) -> None:
    treatments = [t.data for t in demo_profile.log.treatments.list()]
    kinds = Counter(t.kind for t in treatments)
    assert kinds[TreatmentKind.PRIMARY_CARE_VISIT] >= 3
    assert kinds[TreatmentKind.SPINE_SPECIALIST_VISIT] >= 1
    assert kinds[TreatmentKind.PAIN_MANAGEMENT_VISIT] >= 1
    assert kinds[TreatmentKind.CHIROPRACTIC] == 12
    (mri,) = [t for t in treatments if t.kind is TreatmentKind.MRI]
    assert mri.result is not None and "L4-L5" in mri.result and mri.facility
    (injection,) = [t for t in treatments if t.kind is TreatmentKind.EPIDURAL_STEROID_INJECTION]
    assert (injection.level, injection.side) == ("L4-L5", Side.LEFT)
    assert (injection.relief_percent, injection.relief_days) == (40, 21)
    # Imaging comes before the injection it justifies; the specialist before both surgery talks.
    assert mri.day < injection.day
    assert all(t.provider_id is not None for t in treatments if t.kind is not TreatmentKind.XRAY)


def test_odi_scores(demo_profile: ProfileSession) -> None:
    first, second = [o.data for o in demo_profile.log.odi_scores.list()]
    assert first.day < second.day
    assert (first.total_percent, second.total_percent) == (44.0, 38.0)
    assert all(score is None for score in first.sections)  # the clinic's total
    assert all(score is not None for score in second.sections)  # entered section by section


def test_chiropractic_capped_by_the_plan(demo_profile: ProfileSession, today: dt.date) -> None:
    (limit,) = demo_profile.log.visit_limits.list()
    primary = demo_profile.plans.list()[0]
    assert (limit.data.plan_id, limit.data.kind) == (primary.id, TreatmentKind.CHIROPRACTIC)
    assert limit.data.visits_per_year == CHIROPRACTIC_VISITS_PER_YEAR == 20
    usage = visit_usage_for(demo_profile, primary.id, TreatmentKind.CHIROPRACTIC)
    assert usage is not None
    assert (usage.year_start, usage.year_end) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert (usage.used, usage.left) == (12, 8)


def test_daily_check_ins(demo_profile: ProfileSession, today: dt.date) -> None:
    scores = demo_profile.log.check_ins.daily_scores()
    days = [s.day for s in scores]
    span = (days[-1] - days[0]).days + 1
    assert days[0] == today - dt.timedelta(days=HISTORY_DAYS)
    assert 0.85 * span < len(days) < span  # some days forgotten, as in any diary
    averages = [s.pain_average for s in scores if s.pain_average is not None]
    assert 0 < len(scores) - len(averages) < 0.1 * len(scores)  # "pain now" only, sometimes
    assert all(1 <= pain <= 10 for pain in averages)
    # Slowly varying: most days differ from the day before by at most one point.
    steps = [abs(a - b) for a, b in itertools.pairwise(averages)]
    assert sum(step <= 1 for step in steps) > 0.8 * len(steps)
    peg_days = [s for s in scores if s.peg_enjoyment is not None and s.peg_activity is not None]
    assert 0.8 * len(scores) < len(peg_days) < len(scores)


def test_check_in_details_follow_the_story(demo_profile: ProfileSession) -> None:
    log = demo_profile.log
    medications = {m.id: m.data for m in log.medications.list()}
    sample = [log.check_ins.for_day(s.day) for s in log.check_ins.daily_scores()[::7]]
    check_ins = [c.data for c in sample if c is not None]
    sites = Counter(site for c in check_ins for site in c.pain_sites)
    assert sites[BodySite.LOWER_BACK] == len(check_ins)
    assert {BodySite.BUTTOCK_LEFT, BodySite.THIGH_LEFT, BodySite.CALF_FOOT_LEFT} <= set(sites)
    assert not {BodySite.BUTTOCK_RIGHT, BodySite.THIGH_RIGHT, BodySite.CALF_FOOT_RIGHT} & set(sites)
    assert {s for c in check_ins for s in c.leg_symptoms} == set(LegSymptom)
    assert {c.work_status for c in check_ins} >= {WorkStatus.OFF_WORK, WorkStatus.WORKING}
    assert any(c.sleep_hours is not None and c.sleep_quality is not None for c in check_ins)
    # Only medications being taken that day, and every day some.
    for check_in in check_ins:
        assert check_in.doses
        for dose in check_in.doses:
            assert medications[dose.medication_id].is_active_on(check_in.day)


def test_the_flare_up_is_noted(demo_profile: ProfileSession, today: dt.date) -> None:
    first = demo_profile.log.check_ins.for_day(today - dt.timedelta(days=HISTORY_DAYS))
    assert first is not None and first.data.notes and "lift" in first.data.notes
    assert first.data.work_status is WorkStatus.OFF_WORK


def test_the_demo_summary_reads_sensibly(demo_profile: ProfileSession) -> None:
    summary = care_summary(demo_profile)
    lines = summary_lines(summary)
    text = "\n".join(lines)
    assert lines[0] == "Care recorded up to 27 Nov 2026."
    assert "Physical therapy: 16 visits over 8 weeks (16 Nov 2025 – 11 Jan 2026)" in lines
    assert "Chiropractic: 12 visits over 25 weeks (25 Feb – 20 Aug 2026)" in lines
    assert "Epidural steroid injection, L4-L5 left, 22 Mar 2026: 40% relief for 3 weeks" in lines
    assert "Naproxen 500 mg twice a day: 6 weeks (30 Sep – 11 Nov 2025), no effect" in text
    assert "Cyclobenzaprine 10 mg at bedtime: 2 weeks" in text
    assert "stopped for side effects" in text
    assert "Gabapentin 300 mg three times a day: 12 months so far (since 12 Nov 2025)" in text
    assert "MRI, 31 Jan 2026 at Columbus Open MRI: Lumbar MRI" in text
    assert "ODI over time: 44% (15 Feb 2026), 38% (23 Oct 2026)" in lines
    change = summary.pain_change
    assert change is not None
    assert (change.first_month, change.last_month) == (dt.date(2025, 9, 1), dt.date(2026, 11, 1))
    assert 7.5 <= change.first <= 9 and 5 <= change.last <= 7  # better, but not well
    # The three weeks after the injection are the best of the year.
    best = min(summary.months, key=lambda month: month.pain or 10)
    assert best.month == dt.date(2026, 4, 1)


def test_the_diary_is_the_same_every_time(tmp_path: Path, demo_profile: ProfileSession) -> None:
    later = dt.date(2027, 3, 5)
    with open_profile(tmp_path / "later", create=True, clock=lambda: later) as profile:
        create_demo(profile)
        again = profile.log.check_ins.daily_scores()
    first = demo_profile.log.check_ins.daily_scores()
    shift = later - dt.date(2026, 11, 27)
    assert [(s.day + shift, s.pain_average, s.peg_activity) for s in first] == [
        (s.day, s.pain_average, s.peg_activity) for s in again
    ]
