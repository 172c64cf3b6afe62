"""The readiness checklist on constructed records: each kind met, not met and unknown, and the
boundaries (exactly 6 weeks, 80% against 79%, imaging exactly 6 months old)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backlog_app.domain.cases import Procedure
from backlog_app.domain.documents import DocumentKind
from backlog_app.domain.log_records import (
    MedicationData,
    MedicationOutcome,
    OdiScoreData,
    TherapyCourseData,
    TreatmentData,
    TreatmentKind,
)
from backlog_app.domain.readiness import (
    CAVEAT,
    CheckResult,
    CheckStatus,
    CriteriaSet,
    Criterion,
    CriterionKind,
    DocumentFact,
    EvidenceKind,
    ProcedureCriteria,
    Readiness,
    ReadinessFacts,
    check,
    evaluate,
)
from backlog_app.domain.records import ProviderRole
from backlog_app.domain.summary import DayScores

D = dt.date
TODAY = D(2026, 11, 27)
MET, NOT_MET, UNKNOWN = CheckStatus.MET, CheckStatus.NOT_MET, CheckStatus.UNKNOWN
PT = TreatmentKind.PHYSICAL_THERAPY
CHIRO = TreatmentKind.CHIROPRACTIC
MBB = TreatmentKind.FACET_MEDIAL_BRANCH_BLOCK
RFA = TreatmentKind.RADIOFREQUENCY_ABLATION
ESI = TreatmentKind.EPIDURAL_STEROID_INJECTION
MRI = TreatmentKind.MRI
K = CriterionKind
OCTOBER_FIRST = D(2026, 10, 1)
JANUARY_FIFTH = D(2026, 1, 5)


def crit(kind: CriterionKind, **params: Any) -> Criterion:
    return Criterion(key="k", kind=kind, source="test", **params)


def run(criterion: Criterion, *, today: dt.date = TODAY, **facts: Any) -> CheckResult:
    return check(criterion, ReadinessFacts.build(today=today, **facts), today)


def numbered(*records: Any) -> dict[int, Any]:
    """Records keyed by ids 1, 2, 3…"""
    return {number: record for number, record in enumerate(records, start=1)}


def weekly(kind: TreatmentKind, first: dt.date, last: dt.date) -> list[TreatmentData]:
    """A session every 7 days from ``first``, and one on ``last``."""
    sessions = []
    day = first
    while day < last:
        sessions.append(TreatmentData(kind, day))
        day += dt.timedelta(days=7)
    sessions.append(TreatmentData(kind, last))
    return sessions


def doc(
    number: int,
    kind: DocumentKind,
    title: str,
    day: dt.date | None = OCTOBER_FIRST,
    **more: Any,
) -> DocumentFact:
    return DocumentFact(number, kind, title, day, **more)


# --- conservative care --------------------------------------------------------------------------

SIX_WEEKS = crit(K.CONSERVATIVE_CARE_WEEKS, weeks=6)


@pytest.mark.parametrize(
    ("last", "status"),
    [(D(2026, 2, 12), MET), (D(2026, 2, 11), NOT_MET)],
    ids=["exactly 6 weeks", "a day short"],
)
def test_six_weeks_of_therapy_is_met_from_exactly_42_days(
    last: dt.date, status: CheckStatus
) -> None:
    result = run(SIX_WEEKS, treatments=numbered(*weekly(PT, D(2026, 1, 1), last)))
    assert result.status is status


def test_the_finding_names_the_care_its_dates_and_visits() -> None:
    result = run(SIX_WEEKS, treatments=numbered(*weekly(PT, D(2026, 3, 3), D(2026, 4, 28))))
    assert result.finding == "8 weeks of physical therapy, 3 Mar – 28 Apr 2026 (9 visits)"
    assert result.todo is None
    (evidence,) = result.evidence
    assert (evidence.kind, evidence.record_id) == (EvidenceKind.TREATMENT, 1)
    assert evidence.label == "Physical therapy, 9 visits, 3 Mar – 28 Apr 2026"


def test_a_course_is_the_evidence_for_its_sessions() -> None:
    sessions = [
        TreatmentData(PT, day.day, course_id=7) for day in weekly(PT, D(2026, 3, 3), D(2026, 4, 28))
    ]
    course = TherapyCourseData(PT, D(2026, 3, 3), D(2026, 4, 28), planned_visits=9)
    result = run(SIX_WEEKS, treatments=numbered(*sessions), courses={7: course})
    assert [(e.kind, e.record_id) for e in result.evidence] == [(EvidenceKind.COURSE, 7)]


def test_nothing_recorded_is_not_met_with_a_todo() -> None:
    result = run(SIX_WEEKS)
    assert result.status is NOT_MET
    assert result.finding == "No therapy, medication trials or injections recorded."
    assert result.todo is not None and "Log page" in result.todo


def test_a_medication_trial_counts_as_conservative_care() -> None:
    trial = MedicationData("Naproxen", D(2026, 3, 1), stop_date=D(2026, 4, 15))
    result = run(SIX_WEEKS, medications={4: trial})
    assert result.status is MET
    assert [(e.kind, e.record_id) for e in result.evidence] == [(EvidenceKind.MEDICATION, 4)]


def test_care_of_different_kinds_joins_across_a_gap_of_at_most_30_days() -> None:
    pt = weekly(PT, D(2026, 1, 1), D(2026, 1, 22))
    chiro = weekly(CHIRO, D(2026, 2, 21), D(2026, 3, 14))  # 30 days after the last PT visit
    assert run(SIX_WEEKS, treatments=numbered(*pt, *chiro)).status is MET
    later = weekly(CHIRO, D(2026, 2, 22), D(2026, 3, 15))  # 31 days: two stretches of 3 weeks
    result = run(SIX_WEEKS, treatments=numbered(*pt, *later))
    assert result.status is NOT_MET
    assert result.finding.startswith("The longest stretch: 3 weeks of")
    assert result.finding.endswith("The insurer asks for at least 6 weeks.")


def test_a_look_back_window_cuts_older_care() -> None:
    criterion = crit(K.CONSERVATIVE_CARE_WEEKS, weeks=6, within_months=3)
    old = run(criterion, treatments=numbered(*weekly(PT, D(2026, 1, 1), D(2026, 4, 1))))
    assert old.status is NOT_MET
    assert old.finding == (
        "No therapy, medication trials or injections recorded in the last 3 months."
    )
    assert old.todo is not None and "since 27 Aug 2026" in old.todo
    # Care that began before the window counts from the window's first day: 27 Aug to 8 Oct is
    # exactly 6 weeks.
    recent = run(criterion, treatments=numbered(*weekly(PT, D(2026, 8, 6), D(2026, 10, 8))))
    assert recent.status is MET
    assert recent.finding.startswith("6 weeks of physical therapy, 27 Aug – 8 Oct 2026")


@pytest.mark.parametrize(("last", "status"), [(D(2026, 4, 15), MET), (D(2026, 4, 14), NOT_MET)])
def test_months_of_care_are_calendar_months(last: dt.date, status: CheckStatus) -> None:
    criterion = crit(K.CONSERVATIVE_CARE_WEEKS, months=3)
    assert run(criterion, treatments=numbered(*weekly(PT, D(2026, 1, 15), last))).status is status


def test_kinds_of_care_are_counted_when_asked_for() -> None:
    criterion = crit(K.CONSERVATIVE_CARE_WEEKS, months=6, count=2)
    pt_only = numbered(*weekly(PT, D(2026, 1, 1), D(2026, 8, 1)))
    alone = run(criterion, treatments=pt_only)
    assert alone.status is NOT_MET
    assert alone.todo is not None and "2 different kinds of care" in alone.todo
    trial = MedicationData("Gabapentin", D(2026, 2, 1), stop_date=D(2026, 5, 1))
    assert run(criterion, treatments=pt_only, medications={1: trial}).status is MET


# --- completed PT course --------------------------------------------------------------------

COURSE = crit(K.COMPLETED_PT_COURSE)


def test_a_course_with_an_end_date_is_a_completed_course() -> None:
    course = TherapyCourseData(PT, D(2026, 3, 3), D(2026, 4, 28), planned_visits=12)
    sessions = [TreatmentData(PT, D(2026, 3, 3), course_id=5)] * 3
    result = run(COURSE, courses={5: course}, treatments=numbered(*sessions))
    assert result.status is MET
    assert result.finding == (
        "Physical therapy course 3 Mar – 28 Apr 2026: 3 of 12 planned visits. "
        "The discharge summary is not in Documents yet."
    )
    assert result.evidence[0].kind is EvidenceKind.COURSE


def test_a_discharge_outcome_completes_a_course_and_a_discharge_note_is_evidence() -> None:
    course = TherapyCourseData(PT, D(2026, 3, 3), discharge_outcome="Goals met")
    note = doc(9, DocumentKind.PT_NOTE, "PT discharge summary")
    result = run(COURSE, courses={5: course}, documents=[note])
    assert result.status is MET
    assert "at discharge: Goals met" in result.finding
    assert [(e.kind, e.record_id) for e in result.evidence] == [
        (EvidenceKind.COURSE, 5),
        (EvidenceKind.DOCUMENT, 9),
    ]


@pytest.mark.parametrize(
    ("courses", "treatments", "finding"),
    [
        (
            {5: TherapyCourseData(PT, D(2026, 10, 1))},
            {},
            "A physical therapy course started 1 Oct 2026 (0 visits so far) has no end date or "
            "discharge outcome yet.",
        ),
        (
            {5: TherapyCourseData(PT, D(2026, 10, 1), D(2026, 12, 20))},  # ends after today
            {},
            "A physical therapy course started 1 Oct 2026 (0 visits so far) has no end date or "
            "discharge outcome yet.",
        ),
        (
            {},
            numbered(TreatmentData(PT, D(2026, 10, 1))),
            "1 physical therapy visit recorded, but no completed course.",
        ),
        ({}, {}, "No physical therapy recorded."),
    ],
    ids=["ongoing", "ends in the future", "visits without a course", "nothing"],
)
def test_no_completed_course_is_not_met(
    courses: dict[int, TherapyCourseData], treatments: dict[int, TreatmentData], finding: str
) -> None:
    result = run(COURSE, courses=courses, treatments=treatments)
    assert (result.status, result.finding) == (NOT_MET, finding)
    assert result.todo is not None and "discharge summary" in result.todo


def test_a_discharge_note_alone_completes_the_course() -> None:
    note = doc(9, DocumentKind.PT_NOTE, "Discharge summary, Ortiz PT")
    assert run(COURSE, documents=[note]).status is MET


# --- medication trials ------------------------------------------------------------------------

TWO_TRIALS = crit(K.MEDICATION_TRIALS, count=2, with_outcome=True)
NAPROXEN = MedicationData("Naproxen", D(2026, 1, 1), outcome=MedicationOutcome.NO_EFFECT)
FLEXERIL = MedicationData("Cyclobenzaprine", D(2026, 2, 1), stop_date=D(2026, 2, 14))
GABAPENTIN = MedicationData("Gabapentin", D(2026, 3, 1))


def test_trials_with_an_outcome_or_a_stop_date_count() -> None:
    result = run(TWO_TRIALS, medications=numbered(NAPROXEN, FLEXERIL, GABAPENTIN))
    assert result.status is MET
    assert result.finding == (
        "2 medication trials with an outcome recorded: Naproxen (no effect), "
        "Cyclobenzaprine (stopped 14 Feb 2026)."
    )
    assert {e.record_id for e in result.evidence} == {1, 2}


def test_a_trial_without_an_outcome_asks_to_record_how_it_went() -> None:
    result = run(TWO_TRIALS, medications=numbered(NAPROXEN, GABAPENTIN))
    assert result.status is NOT_MET
    assert result.finding == (
        "1 of 2 medication trials with an outcome recorded: Naproxen (no effect). "
        "1 more trial has no outcome recorded."
    )
    assert result.todo is not None and result.todo.startswith("Record how each medication went")


def test_without_with_outcome_any_trial_counts() -> None:
    criterion = crit(K.MEDICATION_TRIALS, count=2)
    assert run(criterion, medications=numbered(NAPROXEN, GABAPENTIN)).status is MET
    assert run(criterion, medications=numbered(GABAPENTIN)).status is NOT_MET


# --- imaging ------------------------------------------------------------------------------------

SIX_MONTHS_IMAGING = crit(K.IMAGING_WITHIN_MONTHS, months=6)


@pytest.mark.parametrize(
    ("day", "status"),
    [(D(2026, 5, 27), MET), (D(2026, 5, 26), NOT_MET), (TODAY, MET)],
    ids=["exactly 6 months old", "6 months and a day", "today"],
)
def test_imaging_within_6_months_includes_imaging_exactly_6_months_old(
    day: dt.date, status: CheckStatus
) -> None:
    mri = TreatmentData(MRI, day, facility="Open MRI")
    assert run(SIX_MONTHS_IMAGING, treatments={3: mri}).status is status


def test_a_month_end_counts_back_to_the_shorter_month() -> None:
    mri = {1: TreatmentData(MRI, D(2026, 2, 28))}
    today = D(2026, 8, 31)  # 6 months back: 28 Feb
    assert run(SIX_MONTHS_IMAGING, today=today, treatments=mri).status is MET


def test_old_imaging_is_not_met_and_says_from_when_it_must_be() -> None:
    mri = TreatmentData(MRI, D(2026, 1, 31), facility="Columbus Open MRI")
    result = run(SIX_MONTHS_IMAGING, treatments={3: mri})
    assert result.finding == (
        "The latest imaging, MRI, 31 Jan 2026 at Columbus Open MRI, is more than 6 months old "
        "(the insurer wants it from 27 May 2026 or later)."
    )
    assert result.todo is not None and "new imaging" in result.todo


def test_an_imaging_report_counts_and_its_absence_is_mentioned() -> None:
    report = doc(8, DocumentKind.IMAGING_REPORT, "MRI report", D(2026, 9, 1))
    from_report = run(SIX_MONTHS_IMAGING, documents=[report])
    assert from_report.status is MET
    assert from_report.evidence[0].kind is EvidenceKind.DOCUMENT
    without = run(SIX_MONTHS_IMAGING, treatments={1: TreatmentData(MRI, D(2026, 9, 1))})
    assert without.finding == "MRI, 1 Sep 2026. Its report is not in Documents yet."


def test_no_imaging_is_not_met_and_an_undated_report_is_unknown() -> None:
    assert run(SIX_MONTHS_IMAGING).status is NOT_MET
    undated = doc(8, DocumentKind.IMAGING_REPORT, "MRI report", None)
    result = run(SIX_MONTHS_IMAGING, documents=[undated])
    assert result.status is UNKNOWN
    assert result.todo is not None and "date" in result.todo


def test_imaging_without_a_limit_accepts_any_date() -> None:
    criterion = crit(K.IMAGING_WITHIN_MONTHS)
    assert run(criterion, treatments={1: TreatmentData(MRI, D(2019, 1, 1))}).status is MET
    ct_only = crit(K.IMAGING_WITHIN_MONTHS, treatments=(TreatmentKind.CT,))
    assert run(ct_only, treatments={1: TreatmentData(MRI, D(2026, 9, 1))}).status is NOT_MET


# --- specialist visit -------------------------------------------------------------------------

SPECIALIST = crit(K.SPECIALIST_VISIT)
PCP = TreatmentKind.PRIMARY_CARE_VISIT


@pytest.mark.parametrize(
    ("treatment", "roles", "status"),
    [
        (TreatmentData(TreatmentKind.SPINE_SPECIALIST_VISIT, D(2026, 10, 23)), {}, MET),
        (TreatmentData(TreatmentKind.PAIN_MANAGEMENT_VISIT, D(2026, 10, 23)), {}, MET),
        (TreatmentData(PCP, D(2026, 10, 23)), {}, NOT_MET),
        (TreatmentData(PCP, D(2026, 10, 23), provider_id=4), {4: ProviderRole.SPINE_SURGEON}, MET),
        (TreatmentData(PT, D(2026, 10, 23), provider_id=4), {4: ProviderRole.PHYSIATRIST}, NOT_MET),
    ],
    ids=["spine specialist", "pain management", "primary care", "surgeon seen as PCP", "therapy"],
)
def test_a_specialist_visit_is_a_visit_kind_or_a_specialist_provider(
    treatment: TreatmentData, roles: dict[int, ProviderRole], status: CheckStatus
) -> None:
    assert run(SPECIALIST, treatments={1: treatment}, provider_roles=roles).status is status


def test_a_follow_up_exam_accepts_any_doctor_within_the_window() -> None:
    criterion = crit(K.SPECIALIST_VISIT, include_primary_care=True, within_months=3)
    recent = run(criterion, treatments={1: TreatmentData(PCP, D(2026, 9, 1))})
    assert (recent.status, recent.finding) == (MET, "Primary care visit on 1 Sep 2026.")
    old = run(criterion, treatments={1: TreatmentData(PCP, D(2026, 8, 26))})
    assert old.status is NOT_MET
    assert old.finding == (
        "No visit with a doctor in the last 3 months; the latest was a primary care visit on "
        "26 Aug 2026."
    )


def test_a_specialist_clinical_note_counts() -> None:
    note = doc(2, DocumentKind.CLINICAL_NOTE, "Office visit", provider_id=6)
    result = run(SPECIALIST, documents=[note], provider_roles={6: ProviderRole.NEUROSURGEON})
    assert result.status is MET
    assert result.evidence[0].kind is EvidenceKind.DOCUMENT


def test_no_specialist_asks_for_a_referral() -> None:
    result = run(SPECIALIST)
    assert result.status is NOT_MET
    assert result.todo is not None and "referral" in result.todo


# --- symptom duration -------------------------------------------------------------------------

TWELVE_WEEKS = crit(K.SYMPTOM_DURATION, weeks=12)


@pytest.mark.parametrize(
    ("first", "status"), [(TODAY - dt.timedelta(weeks=12), MET), (D(2026, 9, 5), NOT_MET)]
)
def test_pain_lasts_from_the_first_check_in(first: dt.date, status: CheckStatus) -> None:
    result = run(TWELVE_WEEKS, days=[DayScores(first, pain_average=6)])
    assert result.status is status
    assert result.evidence[0].kind is EvidenceKind.CHECK_INS


def test_a_treatment_before_the_first_check_in_counts() -> None:
    result = run(
        crit(K.SYMPTOM_DURATION, months=3),
        days=[DayScores(D(2026, 11, 1), pain_average=6)],
        treatments={9: TreatmentData(PCP, D(2026, 6, 1))},
    )
    assert result.status is MET
    assert result.finding == "Your records go back to 1 Jun 2026 (first treatment): 25 weeks."
    assert (result.evidence[0].kind, result.evidence[0].record_id) == (EvidenceKind.TREATMENT, 9)


def test_a_recent_start_is_not_met_and_asks_for_the_doctors_note() -> None:
    result = run(TWELVE_WEEKS, days=[DayScores(D(2026, 11, 6), pain_average=6)])
    assert result.finding == (
        "Your records start on 6 Nov 2026 (first check-in), 3 weeks ago; the insurer asks for "
        "pain lasting at least 12 weeks."
    )
    assert result.todo is not None and "when it started" in result.todo
    assert run(TWELVE_WEEKS).status is NOT_MET


# --- injection relief -------------------------------------------------------------------------

TWO_BLOCKS = crit(K.INJECTION_RELIEF, treatments=(MBB,), count=2, percent=80)


def blocks(*reliefs: int | None) -> dict[int, TreatmentData]:
    return numbered(
        *(
            TreatmentData(MBB, D(2026, 9, 1) + dt.timedelta(days=14 * n), relief_percent=relief)
            for n, relief in enumerate(reliefs)
        )
    )


@pytest.mark.parametrize(
    ("reliefs", "status"),
    [
        ((80, 85), MET),
        ((80, 79), NOT_MET),
        ((80, None), UNKNOWN),
        ((79, None), NOT_MET),
        ((80,), NOT_MET),
        ((30, 80, 90), MET),
    ],
    ids=["80 and 85", "80 and 79", "80 and unknown", "79 and unknown", "one block", "three"],
)
def test_two_blocks_need_80_percent_each(
    reliefs: tuple[int | None, ...], status: CheckStatus
) -> None:
    assert run(TWO_BLOCKS, treatments=blocks(*reliefs)).status is status


def test_relief_findings_list_what_was_recorded() -> None:
    good = run(TWO_BLOCKS, treatments=blocks(80, 85))
    assert good.finding == (
        "2 medial branch blocks with at least 80% relief: 80% (1 Sep 2026), 85% (15 Sep 2026)."
    )
    short = run(TWO_BLOCKS, treatments=blocks(80, 79))
    assert short.finding == (
        "1 of 2 medial branch blocks gave at least 80% relief (recorded: 80% on 1 Sep 2026, "
        "79% on 15 Sep 2026)."
    )
    none = run(TWO_BLOCKS)
    assert none.finding == "No medial branch block recorded."
    assert none.todo is not None and "% relief" in none.todo


def test_relief_must_last_when_weeks_are_asked() -> None:
    criterion = crit(K.INJECTION_RELIEF, treatments=(ESI,), percent=50, weeks=4)
    lasting = {1: TreatmentData(ESI, D(2026, 9, 1), relief_percent=60, relief_days=28)}
    brief = {1: TreatmentData(ESI, D(2026, 9, 1), relief_percent=60, relief_days=27)}
    untold = {1: TreatmentData(ESI, D(2026, 9, 1), relief_percent=60)}
    assert run(criterion, treatments=lasting).status is MET
    assert run(criterion, treatments=brief).status is NOT_MET
    assert run(criterion, treatments=untold).status is UNKNOWN


REPEAT = crit(K.INJECTION_RELIEF, treatments=(RFA,), percent=50, repeat_only=True, months=6)


@pytest.mark.parametrize(
    ("treatments", "status", "finding"),
    [
        ({}, MET, "No earlier radiofrequency ablation recorded; this applies only to a repeat."),
        (
            {1: TreatmentData(RFA, D(2026, 5, 27), relief_percent=60)},
            MET,
            "The last radiofrequency ablation, 27 May 2026, gave 60% relief.",
        ),
        (
            {1: TreatmentData(RFA, D(2026, 5, 28), relief_percent=60)},
            NOT_MET,
            "The last radiofrequency ablation was on 28 May 2026; a repeat can be requested "
            "from 28 Nov 2026 (6 months later).",
        ),
        (
            {1: TreatmentData(RFA, D(2026, 1, 5), relief_percent=49, relief_days=40)},
            NOT_MET,
            "The last radiofrequency ablation, 5 Jan 2026, gave 49% relief for 40 days; a repeat "
            "needs at least 50%.",
        ),
        (
            {1: TreatmentData(RFA, D(2026, 1, 5))},
            UNKNOWN,
            "The last radiofrequency ablation, 5 Jan 2026: the relief is not recorded.",
        ),
    ],
    ids=["first", "6 months and 60%", "too soon", "49%", "relief unknown"],
)
def test_a_repeat_needs_relief_from_the_last_one_and_time_between(
    treatments: dict[int, TreatmentData], status: CheckStatus, finding: str
) -> None:
    result = run(REPEAT, treatments=treatments)
    assert (result.status, result.finding) == (status, finding)


# --- pain and ODI -----------------------------------------------------------------------------


def november(*pains: int) -> list[DayScores]:
    return [DayScores(D(2026, 11, 1 + n), pain_average=pain) for n, pain in enumerate(pains)]


@pytest.mark.parametrize(
    ("pains", "status"),
    [((7, 7, 7), MET), ((7, 7, 6), NOT_MET), ((8, 6), MET)],
    ids=["7.0", "6.7", "7.0 from 8 and 6"],
)
def test_average_pain_of_7_or_more(pains: tuple[int, ...], status: CheckStatus) -> None:
    assert run(crit(K.PAIN_SCORE_MIN, score=7), days=november(*pains)).status is status


def test_pain_uses_the_latest_month_and_says_so() -> None:
    days = [DayScores(D(2026, 10, 5), pain_average=9), *november(6, 6)]
    result = run(crit(K.PAIN_SCORE_MIN, score=7), days=days)
    assert result.status is NOT_MET
    assert result.finding == (
        "Average pain 6.0 in Nov 2026 (2 days recorded); the insurer typically looks for 7 or more."
    )
    assert result.evidence[0].kind is EvidenceKind.CHECK_INS
    assert result.evidence[0].day == D(2026, 11, 1)


def test_no_pain_scores_are_unknown_not_zero() -> None:
    for score in (0, 7):
        result = run(crit(K.PAIN_SCORE_MIN, score=score))
        assert result.status is UNKNOWN
    assert run(crit(K.PAIN_SCORE_MIN, score=0), days=november(2)).status is MET


@pytest.mark.parametrize(("percent", "status"), [(21.0, MET), (20.0, NOT_MET), (38.0, MET)])
def test_odi_of_21_percent_or_more(percent: float, status: CheckStatus) -> None:
    scores = {3: OdiScoreData(D(2026, 2, 1), 50.0), 4: OdiScoreData(D(2026, 10, 23), percent)}
    result = run(crit(K.ODI_MIN, score=21), odi_scores=scores)
    assert result.status is status
    assert (result.evidence[0].kind, result.evidence[0].record_id) == (EvidenceKind.ODI, 4)


def test_no_odi_is_unknown() -> None:
    result = run(crit(K.ODI_MIN, score=21))
    assert result.status is UNKNOWN
    assert result.todo is not None and "ODI" in result.todo


# --- documents and evaluations ----------------------------------------------------------------

PSYCH = crit(K.PSYCH_EVALUATION)


@pytest.mark.parametrize(
    ("facts", "status"),
    [
        ({"documents": [doc(1, DocumentKind.CLINICAL_NOTE, "Psychological evaluation")]}, MET),
        ({"documents": [doc(1, DocumentKind.CLINICAL_NOTE, "Clearance", tags=("PSYCH",))]}, MET),
        (
            {
                "treatments": {1: TreatmentData(TreatmentKind.OTHER, D(2026, 9, 1), provider_id=3)},
                "provider_roles": {3: ProviderRole.PSYCHOLOGIST},
            },
            MET,
        ),
        ({"documents": [doc(1, DocumentKind.DENIAL_LETTER, "Psych evaluation missing")]}, UNKNOWN),
        ({}, UNKNOWN),
    ],
    ids=["note titled", "note tagged", "psychologist visit", "denial letter", "nothing"],
)
def test_psych_evaluation_is_met_or_unknown_never_not_met(
    facts: dict[str, Any], status: CheckStatus
) -> None:
    result = run(PSYCH, **facts)
    assert result.status is status
    if status is UNKNOWN:
        assert result.todo is not None and "Clinical note" in result.todo


NICOTINE = crit(K.NICOTINE_TEST, weeks=8)


@pytest.mark.parametrize(
    ("documents", "status"),
    [
        ([doc(1, DocumentKind.LAB_RESULT, "Cotinine, urine", D(2026, 11, 2))], MET),
        (
            [
                doc(
                    1,
                    DocumentKind.LAB_RESULT,
                    "Lab 2 Nov",
                    D(2026, 11, 2),
                    text_mentions=frozenset({"nicotine"}),
                )
            ],
            MET,
        ),
        ([doc(1, DocumentKind.LAB_RESULT, "Cotinine", D(2026, 10, 2))], MET),
        ([doc(1, DocumentKind.LAB_RESULT, "Cotinine", D(2026, 10, 1))], UNKNOWN),
        ([doc(1, DocumentKind.CLINICAL_NOTE, "Nicotine counselling", D(2026, 11, 2))], UNKNOWN),
        ([], UNKNOWN),
    ],
    ids=["title", "text", "8 weeks old", "older", "not a lab result", "nothing"],
)
def test_nicotine_test_is_a_lab_result_naming_nicotine_or_cotinine(
    documents: list[DocumentFact], status: CheckStatus
) -> None:
    assert run(NICOTINE, documents=documents).status is status


def test_a_document_on_file_is_found_by_its_words_and_kinds() -> None:
    criterion = crit(
        K.DOCUMENT_ON_FILE,
        label="Stimulator trial",
        words=("trial",),
        document_kinds=(DocumentKind.CLINICAL_NOTE,),
    )
    note = doc(1, DocumentKind.CLINICAL_NOTE, "SCS Trial report")
    assert run(criterion, documents=[note]).status is MET
    other = doc(1, DocumentKind.LAB_RESULT, "Trial")
    result = run(criterion, documents=[other])
    assert result.status is UNKNOWN
    assert result.todo is not None and "Clinical note" in result.todo


@pytest.mark.parametrize(
    ("birth", "status"),
    [(None, UNKNOWN), (D(1966, 11, 27), MET), (D(1965, 11, 27), NOT_MET), (D(2008, 11, 27), MET)],
    ids=["unknown", "60 today", "61 today", "18 today"],
)
def test_age_range(birth: dt.date | None, status: CheckStatus) -> None:
    assert run(crit(K.AGE_RANGE, min_age=18, max_age=60), birth_date=birth).status is status


# --- visit caps -------------------------------------------------------------------------------

CHIRO_CAP = crit(K.VISIT_CAP, treatments=(CHIRO,))


def chiro_visits(count: int, first: dt.date = JANUARY_FIFTH) -> dict[int, TreatmentData]:
    return numbered(*(TreatmentData(CHIRO, first + dt.timedelta(days=7 * n)) for n in range(count)))


def test_visits_under_the_plans_limit_are_met() -> None:
    result = run(CHIRO_CAP, treatments=chiro_visits(12), visit_limits={CHIRO: 20}, plan_name="X")
    assert result.status is MET
    assert result.finding == (
        "12 of 20 chiropractic visits used in the plan year 1 Jan – 31 Dec 2026 "
        "(your plan's limit); 8 left."
    )


def test_visits_at_the_limit_are_not_met_until_the_next_plan_year() -> None:
    result = run(
        CHIRO_CAP,
        treatments=chiro_visits(20, D(2026, 7, 1)),
        visit_limits={CHIRO: 20},
        plan_year_start=D(2020, 7, 1),
        plan_name="X",
    )
    assert result.status is NOT_MET
    assert "plan year 1 Jul 2026 – 30 Jun 2027" in result.finding
    assert result.todo is not None and "1 Jul 2027" in result.todo


def test_two_visits_on_one_day_are_one_visit_and_last_years_do_not_count() -> None:
    visits = numbered(
        TreatmentData(CHIRO, D(2026, 3, 1)),
        TreatmentData(CHIRO, D(2026, 3, 1)),
        TreatmentData(CHIRO, D(2025, 12, 31)),
    )
    result = run(CHIRO_CAP, treatments=visits, visit_limits={CHIRO: 2}, plan_name="X")
    assert result.status is MET
    assert result.finding.startswith("1 of 2 chiropractic visits")


def test_the_plans_limit_wins_over_the_typical_one_and_none_is_unknown() -> None:
    typical = crit(K.VISIT_CAP, treatments=(CHIRO,), count=20)
    assert "of 5" in run(typical, visit_limits={CHIRO: 5}, plan_name="X").finding
    assert "of 20" in run(typical, plan_name="X").finding
    unknown_limit = run(CHIRO_CAP, treatments=chiro_visits(3), plan_name="X")
    assert unknown_limit.status is UNKNOWN
    assert unknown_limit.todo is not None and "Profile & Insurance" in unknown_limit.todo
    no_plan = run(CHIRO_CAP, treatments=chiro_visits(3))
    assert no_plan.status is UNKNOWN
    assert "no insurance plan chosen" in no_plan.finding


def test_a_rolling_window_counts_the_last_days() -> None:
    criterion = crit(K.VISIT_CAP, treatments=(TreatmentKind.ACUPUNCTURE,), count=12, days=90)
    visits = numbered(
        *(
            TreatmentData(TreatmentKind.ACUPUNCTURE, D(2026, 9, 1) + dt.timedelta(days=5 * n))
            for n in range(12)
        )
    )
    result = run(criterion, treatments=visits)
    assert result.status is NOT_MET
    assert result.finding.startswith("12 of 12 acupuncture visits used in the last 90 days")
    assert result.todo is not None and "before 1 Dec 2026" in result.todo


# --- the checklist ------------------------------------------------------------------------------


def fusion_criteria() -> ProcedureCriteria:
    return ProcedureCriteria(
        (
            Criterion("spondy", K.CONSERVATIVE_CARE_WEEKS, "s", months=3, when_icd10=("M43.1",)),
            Criterion("disc", K.CONSERVATIVE_CARE_WEEKS, "s", months=6, unless_icd10=("M43.1",)),
            Criterion("pain", K.PAIN_SCORE_MIN, "s", score=7),
            Criterion("off", K.ODI_MIN, "s", score=21, enabled=False),
        ),
        source="eviCore CMM-609",
    )


@pytest.mark.parametrize(
    ("codes", "keys"),
    [
        ((), ["spondy", "disc", "pain"]),
        (("M43.16",), ["spondy", "pain"]),
        (("M51.36", "M54.16"), ["disc", "pain"]),
    ],
)
def test_criteria_follow_the_cases_diagnosis_codes_and_switches(
    codes: tuple[str, ...], keys: list[str]
) -> None:
    facts = ReadinessFacts.build(today=TODAY, diagnosis_codes=codes)
    readiness = evaluate(Procedure.LUMBAR_FUSION, fusion_criteria(), facts, TODAY)
    assert [r.key for r in readiness.results] == keys


def test_readiness_counts_and_lists_what_to_do() -> None:
    facts = ReadinessFacts.build(
        today=TODAY,
        days=november(8, 8),
        treatments=numbered(*weekly(PT, D(2026, 1, 1), D(2026, 8, 1))),
    )
    readiness = evaluate(Procedure.LUMBAR_FUSION, fusion_criteria(), facts, TODAY)
    assert isinstance(readiness, Readiness)
    assert [r.status for r in readiness.results] == [MET, MET, MET]
    assert (readiness.met, readiness.total, readiness.todos) == (3, 3, [])
    assert readiness.headline == "Ready to submit? 3 of 3 criteria met"
    assert readiness.caveat == CAVEAT
    assert readiness.source == "eviCore CMM-609"
    empty = evaluate(
        Procedure.LUMBAR_FUSION, fusion_criteria(), ReadinessFacts.build(today=TODAY), TODAY
    )
    assert (empty.met, empty.total, len(empty.todos)) == (0, 3, 3)
    assert all(r.todo for r in empty.results)


def test_a_procedure_without_criteria_uses_the_default_entry() -> None:
    default = ProcedureCriteria(
        (Criterion("pain", K.PAIN_SCORE_MIN, "(general)", score=0),), "(general)"
    )
    mri = ProcedureCriteria((Criterion("img", K.IMAGING_WITHIN_MONTHS, "x"),), "x")
    criteria = CriteriaSet({"default": default, "lumbar_mri": mri}, {"ct_scan": "lumbar_mri"})
    facts = ReadinessFacts.build(today=TODAY)
    kyphoplasty = evaluate(Procedure.KYPHOPLASTY, criteria, facts, TODAY)
    assert (kyphoplasty.general, [r.key for r in kyphoplasty.results]) == (True, ["pain"])
    ct = evaluate(Procedure.CT_SCAN, criteria, facts, TODAY)
    assert (ct.general, [r.key for r in ct.results]) == (False, ["img"])
    mine = criteria.overlaid(CriteriaSet({"lumbar_mri": default}))
    assert evaluate(Procedure.CT_SCAN, mine, facts, TODAY).customized
    assert not evaluate(Procedure.KYPHOPLASTY, mine, facts, TODAY).customized


def test_status_labels_and_marks_are_text() -> None:
    assert [(s.label, s.mark) for s in CheckStatus] == [
        ("Met", "✓"),
        ("Not met", "✗"),
        ("Unknown", "?"),
    ]
