"""The care summary of a profile, visits used against plan limits, and the summary's JSON form."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from backlog_app.domain.log_records import (
    MedicationData,
    TherapyCourseData,
    TreatmentData,
    TreatmentKind,
    VisitLimitData,
)
from backlog_app.domain.records import PlanData, PlanType
from backlog_app.domain.summary import summary_lines
from backlog_app.errors import UserError
from backlog_app.services.context import ProfileSession
from backlog_app.services.summary import (
    SUMMARY_FORMAT,
    SUMMARY_VERSION,
    care_summary,
    plan_visit_usages,
    summary_document,
    visit_usage_for,
)

D = dt.date


def test_an_empty_profile(profile: ProfileSession) -> None:
    summary = care_summary(profile)
    assert summary.is_empty
    assert summary.until == D(2026, 11, 27)
    assert summary_lines(summary) == ["Nothing was recorded up to 27 Nov 2026."]


def test_since_after_until_is_a_plain_error(profile: ProfileSession) -> None:
    with pytest.raises(UserError) as info:
        care_summary(profile, D(2026, 3, 2), D(2026, 3, 1))
    assert info.value.message == (
        "The start date (2 Mar 2026) is after the end date (1 Mar 2026); please swap them."
    )


def test_a_range_of_the_demo(demo_profile: ProfileSession) -> None:
    summary = care_summary(demo_profile, D(2026, 1, 1), D(2026, 3, 31))
    assert (summary.since, summary.until) == (D(2026, 1, 1), D(2026, 3, 31))
    assert {m.month for m in summary.months} == {D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)}
    assert summary.first_check_in is not None and summary.first_check_in >= D(2026, 1, 1)
    assert summary.last_check_in is not None and summary.last_check_in <= D(2026, 3, 31)
    kinds = [history.kind for history in summary.treatments]
    assert TreatmentKind.PHYSICAL_THERAPY in kinds  # the course's last weeks
    assert TreatmentKind.EPIDURAL_STEROID_INJECTION in kinds
    assert TreatmentKind.SPINE_SPECIALIST_VISIT in kinds
    # Naproxen and cyclobenzaprine ended in 2025; gabapentin and acetaminophen run on.
    trials = {t.medication.name: t for t in summary.medications}
    assert set(trials) == {"Acetaminophen", "Gabapentin"}
    assert trials["Gabapentin"].started_before_range
    assert trials["Gabapentin"].continues_after_range
    assert trials["Gabapentin"].days == (D(2026, 3, 31) - D(2026, 1, 1)).days
    assert [result.percent for result in summary.odi] == [44.0]


def test_an_ongoing_course_ends_at_its_last_session_outside_the_range(
    profile: ProfileSession,
) -> None:
    course = profile.log.courses.add(
        TherapyCourseData(TreatmentKind.PHYSICAL_THERAPY, D(2026, 9, 1))
    )
    for day in (D(2026, 9, 1), D(2026, 9, 8), D(2026, 10, 20)):
        profile.log.treatments.add(
            TreatmentData(TreatmentKind.PHYSICAL_THERAPY, day, course_id=course)
        )
    (history,) = care_summary(profile, until=D(2026, 9, 30)).treatments
    assert (history.first_day, history.last_day, history.visits) == (
        D(2026, 9, 1),
        D(2026, 9, 30),
        2,
    )


def test_visits_used_against_a_plan_limit(demo_profile: ProfileSession) -> None:
    primary, supplement = demo_profile.plans.list()
    usage = visit_usage_for(demo_profile, primary.id, TreatmentKind.CHIROPRACTIC)
    assert usage is not None and (usage.used, usage.limit, usage.left) == (12, 20, 8)
    last_year = visit_usage_for(
        demo_profile, primary.id, TreatmentKind.CHIROPRACTIC, D(2025, 12, 31)
    )
    assert last_year is not None and (last_year.year_start, last_year.used) == (D(2025, 1, 1), 0)
    # No limit recorded: nothing to count against.
    assert visit_usage_for(demo_profile, supplement.id, TreatmentKind.CHIROPRACTIC) is None
    assert visit_usage_for(demo_profile, primary.id, TreatmentKind.ACUPUNCTURE) is None


def test_visit_usage_follows_the_plan_year(profile: ProfileSession) -> None:
    plan_id = profile.plans.add(
        PlanData("Acme", PlanType.EMPLOYER_PPO, plan_year_start=D(2025, 7, 1))
    )
    profile.log.visit_limits.add(VisitLimitData(plan_id, TreatmentKind.ACUPUNCTURE, 12))
    for day in (D(2026, 6, 30), D(2026, 7, 1), D(2026, 11, 2), D(2026, 11, 2)):
        profile.log.treatments.add(TreatmentData(TreatmentKind.ACUPUNCTURE, day))
    profile.log.treatments.add(TreatmentData(TreatmentKind.CHIROPRACTIC, D(2026, 11, 3)))
    usage = visit_usage_for(profile, plan_id, TreatmentKind.ACUPUNCTURE)
    assert usage is not None
    assert (usage.year_start, usage.year_end) == (D(2026, 7, 1), D(2027, 6, 30))
    assert (usage.used, usage.left) == (2, 10)  # two days of service this plan year
    (listed,) = plan_visit_usages(profile)
    assert (listed.plan_id, listed.plan_name, listed.usage) == (plan_id, "Acme", usage)


def test_the_demo_as_json(demo_profile: ProfileSession) -> None:
    document = summary_document(care_summary(demo_profile), plan_visit_usages(demo_profile))
    assert json.loads(json.dumps(document)) == document  # plain JSON types only
    assert list(document) == [
        "format",
        "version",
        "since",
        "until",
        "care_gap_days",
        "treatments",
        "medications",
        "injections",
        "imaging",
        "scores",
        "odi",
        "visit_limits",
    ]
    assert (document["format"], document["version"]) == (SUMMARY_FORMAT, SUMMARY_VERSION)
    assert (document["since"], document["until"]) == (None, "2026-11-27")

    therapy = document["treatments"][0]
    assert therapy["kind"] == "physical_therapy"
    assert therapy["label"] == "Physical therapy"
    assert therapy["category"] == "therapy"
    assert (therapy["first_day"], therapy["last_day"]) == ("2025-11-16", "2026-01-11")
    assert (therapy["visits"], therapy["span_days"], therapy["span_weeks"]) == (16, 56, 8.0)
    assert therapy["periods"] == [{"start": "2025-11-16", "end": "2026-01-11", "visits": 16}]
    (course,) = therapy["courses"]
    assert course["start_date"] == "2025-11-16" and course["end_date"] == "2026-01-11"
    assert (course["ongoing"], course["planned_visits"], course["visits"]) == (False, 16, 16)

    medications = {m["name"]: m for m in document["medications"]}
    naproxen, gabapentin = medications["Naproxen"], medications["Gabapentin"]
    assert (naproxen["start_date"], naproxen["stop_date"]) == ("2025-09-30", "2025-11-11")
    assert (naproxen["days"], naproxen["weeks"], naproxen["outcome"]) == (42, 6.0, "no_effect")
    assert (gabapentin["stop_date"], gabapentin["ongoing"]) == (None, True)
    assert gabapentin["counted_to"] == "2026-11-27"
    assert naproxen["route"] == "oral" and naproxen["as_needed"] is False

    assert document["injections"] == [
        {
            "kind": "epidural_steroid_injection",
            "label": "Epidural steroid injection",
            "day": "2026-03-22",
            "level": "L4-L5",
            "side": "left",
            "relief_percent": 40,
            "relief_days": 21,
        },
        # The ablation case's two diagnostic blocks (demo_cases_surgery).
        *(
            {
                "kind": "facet_medial_branch_block",
                "label": "Facet / medial branch block",
                "day": day,
                "level": "L4-L5, L5-S1",
                "side": "left",
                "relief_percent": relief,
                "relief_days": 1,
            }
            for day, relief in (("2026-09-26", 85), ("2026-10-10", 80))
        ),
    ]
    assert [i["kind"] for i in document["imaging"]] == ["xray", "mri"]

    scores = document["scores"]
    assert scores["check_in_days"] > 350
    assert scores["months"][0]["month"] == "2025-09"
    assert scores["months"][-1]["month"] == "2026-11"
    assert scores["pain_change"]["first_month"] == "2025-09"
    assert scores["pain_change"]["change"] < 0
    assert [o["percent"] for o in document["odi"]] == [44.0, 38.0]
    assert [o["band"] for o in document["odi"]] == ["severe", "moderate"]
    assert [o["from_sections"] for o in document["odi"]] == [False, True]
    assert document["visit_limits"] == [
        {
            "plan_id": 1,
            "plan": "Buckeye Mutual Health — Choice PPO 1500",
            "kind": "chiropractic",
            "label": "Chiropractic",
            "plan_year_start": "2026-01-01",
            "plan_year_end": "2026-12-31",
            "used": 12,
            "limit": 20,
            "left": 8,
            "over_limit": 0,
        }
    ]


def test_unknown_values_are_null_in_json(profile: ProfileSession) -> None:
    profile.log.medications.add(MedicationData("Ibuprofen", D(2026, 11, 1)))
    profile.log.treatments.add(TreatmentData(TreatmentKind.MRI, D(2026, 11, 2)))
    document = summary_document(care_summary(profile, since=D(2026, 10, 1)))
    (medication,) = document["medications"]
    assert medication["stop_date"] is None and medication["outcome"] is None
    assert medication["strength"] is None and medication["route"] is None
    assert document["imaging"] == [
        {"kind": "mri", "label": "MRI", "day": "2026-11-02", "facility": None, "result": None}
    ]
    assert document["since"] == "2026-10-01"
    assert document["scores"] == {
        "check_in_days": 0,
        "first_check_in": None,
        "last_check_in": None,
        "months": [],
        "pain_change": None,
        "peg_change": None,
    }
    assert document["odi"] == [] and document["visit_limits"] == []
