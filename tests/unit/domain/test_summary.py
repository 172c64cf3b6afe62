"""The conservative-care summary: treatments, courses, medication trials, scores, ODI, in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from backlog_app.domain.log_records import (
    MedicationData,
    MedicationOutcome,
    OdiScoreData,
    Side,
    TherapyCourseData,
    TreatmentData,
    TreatmentKind,
)
from backlog_app.domain.scores import OdiBand
from backlog_app.domain.summary import (
    CARE_GAP_DAYS,
    CareSummary,
    DayScores,
    ScoredDay,
    summarize_care,
    summary_lines,
    summary_sections,
)

D = dt.date
TODAY = D(2026, 11, 27)
PT = TreatmentKind.PHYSICAL_THERAPY
CHIRO = TreatmentKind.CHIROPRACTIC
MRI = TreatmentKind.MRI
ESI = TreatmentKind.EPIDURAL_STEROID_INJECTION
SPINE = TreatmentKind.SPINE_SPECIALIST_VISIT


def summarize(
    *,
    days: Sequence[ScoredDay] = (),
    medications: Sequence[MedicationData] = (),
    treatments: Sequence[TreatmentData] = (),
    courses: dict[int, TherapyCourseData] | None = None,
    odi: Sequence[OdiScoreData] = (),
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> CareSummary:
    return summarize_care(
        days=days,
        medications=medications,
        treatments=treatments,
        courses=courses or {},
        odi_scores=odi,
        since=since,
        until=until,
        today=TODAY,
    )


def visits(
    kind: TreatmentKind, *days: dt.date, course_id: int | None = None
) -> list[TreatmentData]:
    return [TreatmentData(kind, day, course_id=course_id) for day in days]


def every(first: dt.date, step_days: int, count: int) -> list[dt.date]:
    return [first + dt.timedelta(days=step_days * n) for n in range(count)]


def course(start: dt.date, end: dt.date | None, kind: TreatmentKind = PT) -> TherapyCourseData:
    return TherapyCourseData(kind, start, end)


# --- Treatments, courses and periods of care --------------------------------------------------

Period = tuple[dt.date, dt.date, int]
Expected = list[tuple[TreatmentKind, dt.date, dt.date, int, list[Period]]]

HISTORY_CASES: list[tuple[str, list[TreatmentData], dict[int, TherapyCourseData], dt.date | None, dt.date | None, Expected]] = [
    (
        "weekly sessions are one period",
        visits(PT, *every(D(2026, 2, 3), 7, 9)), {}, None, None,
        [(PT, D(2026, 2, 3), D(2026, 3, 31), 9, [(D(2026, 2, 3), D(2026, 3, 31), 9)])],
    ),
    (
        "a gap of 30 days is bridged",
        visits(PT, D(2026, 3, 1), D(2026, 3, 31)), {}, None, None,
        [(PT, D(2026, 3, 1), D(2026, 3, 31), 2, [(D(2026, 3, 1), D(2026, 3, 31), 2)])],
    ),
    (
        "a gap of 31 days starts a new period",
        visits(PT, D(2026, 3, 1), D(2026, 3, 8), D(2026, 4, 8)), {}, None, None,
        [(PT, D(2026, 3, 1), D(2026, 4, 8), 3, [(D(2026, 3, 1), D(2026, 3, 8), 2), (D(2026, 4, 8), D(2026, 4, 8), 1)])],
    ),
    (
        "overlapping courses are counted once",
        visits(PT, *every(D(2026, 2, 2), 7, 8), course_id=1) + visits(PT, *every(D(2026, 3, 2), 7, 9), course_id=2),
        {1: course(D(2026, 2, 2), D(2026, 3, 31)), 2: course(D(2026, 3, 2), D(2026, 4, 30))}, None, None,
        [(PT, D(2026, 2, 2), D(2026, 4, 30), 17, [(D(2026, 2, 2), D(2026, 4, 30), 17)])],
    ),
    (
        "courses a year apart are two periods",
        visits(PT, D(2025, 1, 6), D(2025, 2, 24), course_id=1) + visits(PT, D(2026, 9, 7), course_id=2),
        {1: course(D(2025, 1, 6), D(2025, 2, 28)), 2: course(D(2026, 9, 7), D(2026, 10, 30))}, None, None,
        [(PT, D(2025, 1, 6), D(2026, 10, 30), 3, [(D(2025, 1, 6), D(2025, 2, 28), 2), (D(2026, 9, 7), D(2026, 10, 30), 1)])],
    ),
    (
        "an ongoing course ends at its last session, not today",
        visits(PT, D(2026, 10, 1), D(2026, 10, 8), D(2026, 10, 15), course_id=1),
        {1: course(D(2026, 10, 1), None)}, None, None,
        [(PT, D(2026, 10, 1), D(2026, 10, 15), 3, [(D(2026, 10, 1), D(2026, 10, 15), 3)])],
    ),
    (
        "an ongoing course without sessions is its start day",
        [], {1: course(D(2026, 11, 20), None)}, None, None,
        [(PT, D(2026, 11, 20), D(2026, 11, 20), 0, [(D(2026, 11, 20), D(2026, 11, 20), 0)])],
    ),
    (
        "a course without logged sessions still shows its dates",
        [], {1: course(D(2026, 2, 3), D(2026, 3, 31))}, None, None,
        [(PT, D(2026, 2, 3), D(2026, 3, 31), 0, [(D(2026, 2, 3), D(2026, 3, 31), 0)])],
    ),
    (
        "the range cuts a course: only its part inside counts",
        visits(PT, *every(D(2026, 1, 5), 7, 12), course_id=1),
        {1: course(D(2026, 1, 5), D(2026, 3, 31))}, D(2026, 3, 1), None,
        [(PT, D(2026, 3, 1), D(2026, 3, 31), 4, [(D(2026, 3, 1), D(2026, 3, 31), 4)])],
    ),
    (
        "an ongoing course past the range's end stops at the end",
        visits(PT, *every(D(2026, 1, 5), 14, 13), course_id=1),
        {1: course(D(2026, 1, 5), None)}, None, D(2026, 3, 31),
        [(PT, D(2026, 1, 5), D(2026, 3, 31), 7, [(D(2026, 1, 5), D(2026, 3, 31), 7)])],
    ),
    (
        "a course entirely outside the range is left out",
        visits(CHIRO, D(2026, 6, 1)),
        {1: course(D(2025, 1, 6), D(2025, 2, 28))}, D(2026, 1, 1), None,
        [(CHIRO, D(2026, 6, 1), D(2026, 6, 1), 1, [(D(2026, 6, 1), D(2026, 6, 1), 1)])],
    ),
    (
        "sessions outside the range are left out",
        visits(PT, D(2025, 12, 31), D(2026, 1, 1), D(2026, 2, 15), D(2026, 2, 16)), {}, D(2026, 1, 1), D(2026, 2, 15),
        [(PT, D(2026, 1, 1), D(2026, 2, 15), 2, [(D(2026, 1, 1), D(2026, 1, 1), 1), (D(2026, 2, 15), D(2026, 2, 15), 1)])],
    ),
    (
        "each kind on its own, in the log's order of kinds",
        visits(SPINE, D(2026, 5, 1)) + visits(MRI, D(2026, 2, 1)) + visits(CHIRO, D(2026, 3, 1), D(2026, 3, 1)) + visits(PT, D(2026, 4, 1)),
        {}, None, None,
        [
            (PT, D(2026, 4, 1), D(2026, 4, 1), 1, [(D(2026, 4, 1), D(2026, 4, 1), 1)]),
            (CHIRO, D(2026, 3, 1), D(2026, 3, 1), 2, [(D(2026, 3, 1), D(2026, 3, 1), 2)]),
            (MRI, D(2026, 2, 1), D(2026, 2, 1), 1, [(D(2026, 2, 1), D(2026, 2, 1), 1)]),
            (SPINE, D(2026, 5, 1), D(2026, 5, 1), 1, [(D(2026, 5, 1), D(2026, 5, 1), 1)]),
        ],
    ),
    ("nothing recorded", [], {}, None, None, []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("treatments", "courses", "since", "until", "expected"),
    [case[1:] for case in HISTORY_CASES],
    ids=[case[0] for case in HISTORY_CASES],
)
def test_treatment_histories(
    treatments: list[TreatmentData],
    courses: dict[int, TherapyCourseData],
    since: dt.date | None,
    until: dt.date | None,
    expected: Expected,
) -> None:
    summary = summarize(treatments=treatments, courses=courses, since=since, until=until)
    got = [
        (h.kind, h.first_day, h.last_day, h.visits, [(p.start, p.end, p.visits) for p in h.periods])
        for h in summary.treatments
    ]
    assert got == expected


def test_the_care_gap_is_thirty_days() -> None:
    assert CARE_GAP_DAYS == 30  # the cases above are written for it


def test_span_in_days_and_weeks() -> None:
    summary = summarize(treatments=visits(PT, *every(D(2026, 2, 3), 7, 8), D(2026, 3, 31)))
    (history,) = summary.treatments
    assert (history.span_days, history.span_weeks) == (56, 8.0)
    summary = summarize(treatments=visits(PT, D(2026, 2, 3), D(2026, 3, 26)))
    assert summary.treatments[0].span_weeks == 7.3  # 51 days


def test_courses_list_their_sessions_inside_the_range() -> None:
    first = TherapyCourseData(PT, D(2026, 2, 2), D(2026, 3, 31), planned_visits=16)
    second = TherapyCourseData(PT, D(2026, 10, 5), None, discharge_outcome=None)
    sessions = visits(PT, *every(D(2026, 2, 2), 4, 15), course_id=1) + visits(
        PT, D(2026, 10, 5), course_id=2
    )
    summary = summarize(treatments=sessions, courses={1: first, 2: second}, since=D(2026, 3, 1))
    (history,) = summary.treatments
    got = [
        (c.start_date, c.end_date, c.ongoing, c.planned_visits, c.visits) for c in history.courses
    ]
    assert got == [
        (D(2026, 2, 2), D(2026, 3, 31), False, 16, 8),  # 8 of its 15 sessions fall in March
        (D(2026, 10, 5), None, True, None, 1),
    ]


def test_injections_and_imaging_are_listed_one_by_one() -> None:
    summary = summarize(
        treatments=[
            TreatmentData(ESI, D(2026, 3, 22), level="L4-L5", side=Side.LEFT, relief_percent=40, relief_days=21),
            TreatmentData(MRI, D(2026, 1, 31), facility="Columbus Open MRI", result="L4-L5 extrusion"),
            TreatmentData(ESI, D(2025, 3, 22), relief_percent=80),  # before the range
        ],
        since=D(2026, 1, 1),
    )  # fmt: skip
    assert [(i.kind, i.day, i.level, i.side, i.relief_percent, i.relief_days) for i in summary.injections] == [
        (ESI, D(2026, 3, 22), "L4-L5", Side.LEFT, 40, 21)
    ]  # fmt: skip
    assert [(i.kind, i.day, i.facility, i.result) for i in summary.imaging] == [
        (MRI, D(2026, 1, 31), "Columbus Open MRI", "L4-L5 extrusion")
    ]


# --- Medication trials ------------------------------------------------------------------------

NAPROXEN = MedicationData("Naproxen", D(2026, 1, 1), stop_date=D(2026, 2, 12))
GABAPENTIN = MedicationData("Gabapentin", D(2026, 3, 1))
UNDATED = MedicationData("Ibuprofen", None)

# (medication, since, until) -> (counted_from, counted_to, days, started_before, continues_after)
TRIAL_CASES: list[tuple[str, MedicationData, dt.date | None, dt.date | None, tuple[object, ...] | None]] = [
    ("a stopped trial, no range", NAPROXEN, None, None, (D(2026, 1, 1), D(2026, 2, 12), 42, False, False)),
    ("an ongoing trial runs to today", GABAPENTIN, None, None, (D(2026, 3, 1), TODAY, 271, False, False)),
    ("an ongoing trial runs to the range's end", GABAPENTIN, None, D(2026, 3, 31), (D(2026, 3, 1), D(2026, 3, 31), 30, False, True)),
    ("a range starting mid-trial", NAPROXEN, D(2026, 2, 1), None, (D(2026, 2, 1), D(2026, 2, 12), 11, True, False)),
    ("a range ending mid-trial", NAPROXEN, None, D(2026, 1, 15), (D(2026, 1, 1), D(2026, 1, 15), 14, False, True)),
    ("a range inside the trial", NAPROXEN, D(2026, 1, 10), D(2026, 1, 20), (D(2026, 1, 10), D(2026, 1, 20), 10, True, True)),
    ("stopped on the range's first day", NAPROXEN, D(2026, 2, 12), None, (D(2026, 2, 12), D(2026, 2, 12), 0, True, False)),
    ("started on the range's last day", GABAPENTIN, None, D(2026, 3, 1), (D(2026, 3, 1), D(2026, 3, 1), 0, False, True)),
    ("an end after today is today", GABAPENTIN, None, D(2027, 1, 1), (D(2026, 3, 1), TODAY, 271, False, False)),
    ("stopped before the range", NAPROXEN, D(2026, 2, 13), None, None),
    ("started after the range", GABAPENTIN, None, D(2026, 2, 28), None),
    ("no start date: nothing counted", UNDATED, D(2026, 1, 1), None, (None, TODAY, None, False, False)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("medication", "since", "until", "expected"),
    [case[1:] for case in TRIAL_CASES],
    ids=[case[0] for case in TRIAL_CASES],
)
def test_medication_trials(
    medication: MedicationData,
    since: dt.date | None,
    until: dt.date | None,
    expected: tuple[object, ...] | None,
) -> None:
    trials = summarize(medications=[medication], since=since, until=until).medications
    got = [
        (t.counted_from, t.counted_to, t.days, t.started_before_range, t.continues_after_range)
        for t in trials
    ]
    assert got == ([expected] if expected else [])
    if trials:
        assert trials[0].medication is medication


def test_trials_are_listed_by_start_date() -> None:
    summary = summarize(medications=[GABAPENTIN, UNDATED, NAPROXEN])
    assert [t.medication.name for t in summary.medications] == [
        "Ibuprofen",
        "Naproxen",
        "Gabapentin",
    ]


# --- Pain and PEG by month --------------------------------------------------------------------


def scores(
    day: dt.date,
    now: int | None,
    average: int | None,
    enjoyment: int | None = None,
    activity: int | None = None,
) -> DayScores:
    """A check-in's numbers: pain now, average pain (PEG item 1), then PEG items 2 and 3."""
    return DayScores(day, now, average, enjoyment, activity)


# -> (month, pain, pain_days, peg, peg_days) per month
MONTH_CASES: list[tuple[str, list[DayScores], dt.date | None, list[tuple[object, ...]]]] = [
    (
        "average pain, and PEG from complete days",
        [scores(D(2026, 1, 1), 9, 7, 6, 8), scores(D(2026, 1, 2), 8, 8, 7, 9), scores(D(2026, 1, 3), None, 6)],
        None,
        [(D(2026, 1, 1), 7.0, 3, 7.5, 2)],
    ),
    (
        "pain now stands in when the average is missing",
        [scores(D(2026, 2, 1), 9, None), scores(D(2026, 2, 2), 5, 6)],
        None,
        [(D(2026, 2, 1), 7.5, 2, None, 0)],
    ),
    (
        "a PEG with an item missing is no PEG",
        [scores(D(2026, 3, 1), None, 6, 6, None), scores(D(2026, 3, 2), None, 6, None, 6), scores(D(2026, 3, 3), 4, None, 5, 5)],
        None,
        [(D(2026, 3, 1), 5.33, 3, None, 0)],
    ),
    (
        "a check-in without scores counts for nothing",
        [scores(D(2026, 4, 1), None, None), scores(D(2026, 5, 1), 3, 3)],
        None,
        [(D(2026, 5, 1), 3.0, 1, None, 0)],
    ),
    (
        "months at the range's start count only their days inside",
        [scores(D(2026, 1, 10), 10, 10), scores(D(2026, 1, 20), 4, 4), scores(D(2026, 2, 1), 5, 5, 5, 5)],
        D(2026, 1, 15),
        [(D(2026, 1, 1), 4.0, 1, None, 0), (D(2026, 2, 1), 5.0, 1, 5.0, 1)],
    ),
    (
        "zero is a score, not a gap",
        [scores(D(2026, 6, 1), 0, 0, 0, 0), scores(D(2026, 6, 2), 4, 4, 4, 4)],
        None,
        [(D(2026, 6, 1), 2.0, 2, 2.0, 2)],
    ),
    ("no check-ins", [], None, []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("days", "since", "expected"),
    [case[1:] for case in MONTH_CASES],
    ids=[case[0] for case in MONTH_CASES],
)
def test_monthly_averages(
    days: list[DayScores], since: dt.date | None, expected: list[tuple[object, ...]]
) -> None:
    summary = summarize(days=days, since=since)
    assert [(m.month, m.pain, m.pain_days, m.peg, m.peg_days) for m in summary.months] == expected


@pytest.mark.parametrize(
    ("days", "pain_change", "peg_change"),
    [
        (
            [scores(D(2026, 1, 5), 8, 7, 7, 7), scores(D(2026, 1, 6), 8, 8, 7, 6), scores(D(2026, 6, 1), 6, 6), scores(D(2026, 11, 2), 6, 6, 5, 4)],
            (D(2026, 1, 1), 7.5, D(2026, 11, 1), 6.0, -1.5),
            (D(2026, 1, 1), 7.0, D(2026, 11, 1), 5.0, -2.0),
        ),
        # PEG only in one month: a change of pain, none of PEG.
        (
            [scores(D(2026, 1, 5), 8, 7, 7, 7), scores(D(2026, 3, 6), 9, 9)],
            (D(2026, 1, 1), 7.0, D(2026, 3, 1), 9.0, 2.0),
            None,
        ),
        # One month: no change to tell.
        ([scores(D(2026, 1, 5), 8, 7, 7, 7), scores(D(2026, 1, 9), 5, 5, 5, 5)], None, None),
        ([], None, None),
    ],
)  # fmt: skip
def test_change_from_the_first_month_to_the_last(
    days: list[DayScores],
    pain_change: tuple[object, ...] | None,
    peg_change: tuple[object, ...] | None,
) -> None:
    summary = summarize(days=days)
    for change, expected in ((summary.pain_change, pain_change), (summary.peg_change, peg_change)):
        got = change and (
            change.first_month,
            change.first,
            change.last_month,
            change.last,
            change.change,
        )
        assert got == expected


def test_day_scores_pain_and_peg() -> None:
    assert scores(D(2026, 1, 1), 9, 7, 6, 8).pain == 7
    assert scores(D(2026, 1, 1), 9, None, 6, 8).pain == 9
    assert scores(D(2026, 1, 1), None, None).pain is None
    assert scores(D(2026, 1, 1), 9, 7, 6, 8).peg == 7.0
    assert scores(D(2026, 1, 1), 9, None, 6, 8).peg is None  # PEG item 1 is the average


def test_check_in_days_are_counted_in_the_range() -> None:
    days = [scores(day, 5, 5) for day in every(D(2026, 1, 1), 1, 60)]
    summary = summarize(days=list(reversed(days)), since=D(2026, 1, 10), until=D(2026, 1, 19))
    assert (summary.check_in_days, summary.first_check_in, summary.last_check_in) == (
        10,
        D(2026, 1, 10),
        D(2026, 1, 19),
    )


# --- ODI --------------------------------------------------------------------------------------


def test_odi_history_and_latest() -> None:
    from_sections = OdiScoreData(D(2026, 10, 20), None, (3, 1, 2, 2, 3, 2, 1, 2, 1, 2))
    odi = [
        from_sections,
        OdiScoreData(D(2026, 2, 15), 44.0),
        OdiScoreData(D(2025, 2, 15), 60.0),  # before the range
        OdiScoreData(D(2026, 5, 1), None),  # nothing to show
        OdiScoreData(D(2026, 6, 1), None, (4, 4, None, 4, 4, 4, 4, 4, 4, 4)),  # nine answered
    ]
    summary = summarize(odi=odi, since=D(2026, 1, 1))
    assert [(r.day, r.percent, r.from_sections, r.band) for r in summary.odi] == [
        (D(2026, 2, 15), 44.0, False, OdiBand.SEVERE),
        (D(2026, 6, 1), 80.0, True, OdiBand.CRIPPLED),
        (D(2026, 10, 20), 38.0, True, OdiBand.MODERATE),
    ]
    assert summary.latest_odi == summary.odi[-1]
    assert summarize(odi=odi, until=D(2024, 12, 31)).latest_odi is None


# --- The range --------------------------------------------------------------------------------


def test_since_after_until_is_refused() -> None:
    with pytest.raises(ValueError, match="after"):
        summarize(since=D(2026, 3, 2), until=D(2026, 3, 1))


def test_the_range_never_goes_past_today() -> None:
    assert summarize(until=D(2030, 1, 1)).until == TODAY
    assert summarize(until=D(2026, 1, 1)).until == D(2026, 1, 1)
    assert summarize().until == TODAY


@pytest.mark.parametrize(
    ("since", "until", "line"),
    [
        (D(2026, 1, 1), None, "Nothing was recorded from 1 Jan 2026 to 27 Nov 2026."),
        (D(2026, 1, 1), D(2026, 3, 31), "Nothing was recorded from 1 Jan 2026 to 31 Mar 2026."),
        (D(2027, 1, 1), None, "Nothing was recorded from 1 Jan 2027 on."),
        (None, D(2025, 1, 1), "Nothing was recorded up to 1 Jan 2025."),
    ],
)
def test_an_empty_range(since: dt.date | None, until: dt.date | None, line: str) -> None:
    summary = summarize(
        treatments=visits(PT, D(2025, 6, 1)),
        courses={1: course(D(2025, 6, 1), D(2025, 7, 1))},
        medications=[MedicationData("Naproxen", D(2025, 3, 1), stop_date=D(2025, 4, 1))],
        days=[scores(D(2025, 6, 1), 5, 5)],
        odi=[OdiScoreData(D(2025, 6, 1), 40.0)],
        since=since,
        until=until,
    )
    assert summary.is_empty
    assert summary_lines(summary) == [line]
    assert summary_sections(summary) == []


def test_nothing_recorded_at_all() -> None:
    assert summary_lines(summarize()) == ["Nothing was recorded up to 27 Nov 2026."]


# --- In plain words ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("medication", "since", "until", "line"),
    [
        (
            MedicationData("Naproxen", D(2026, 1, 1), strength="500 mg", frequency="twice a day", stop_date=D(2026, 2, 12), outcome=MedicationOutcome.NO_EFFECT),
            None, None,
            "Naproxen 500 mg twice a day: 6 weeks (1 Jan – 12 Feb 2026), no effect",
        ),
        (
            MedicationData("Cyclobenzaprine", D(2025, 9, 30), strength="10 mg", frequency="at bedtime", stop_date=D(2025, 10, 17), outcome=MedicationOutcome.SIDE_EFFECTS, side_effects="Drowsy and dizzy\nnext morning.", reason_stopped="Could not drive to work."),
            None, None,
            "Cyclobenzaprine 10 mg at bedtime: 2 weeks (30 Sep – 17 Oct 2025), stopped for side effects (Drowsy and dizzy next morning); reason stopped: Could not drive to work",
        ),
        (
            MedicationData("Gabapentin", D(2025, 11, 12), strength="300 mg", frequency="three times a day", outcome=MedicationOutcome.PARTIAL, side_effects="Mild fogginess"),
            None, None,
            "Gabapentin 300 mg three times a day: 12 months so far (since 12 Nov 2025), helped partly; side effects: Mild fogginess",
        ),
        (
            MedicationData("Gabapentin", D(2025, 11, 12), reason_stopped="ignored while ongoing"),
            None, None,
            "Gabapentin: 12 months so far (since 12 Nov 2025), still taking",
        ),
        (
            MedicationData("Naproxen", D(2026, 1, 1), stop_date=D(2026, 2, 12), outcome=MedicationOutcome.NO_EFFECT),
            D(2026, 2, 1), None,
            "Naproxen: 12 days in this period (taken 1 Jan – 12 Feb 2026), no effect",
        ),
        (
            MedicationData("Gabapentin", D(2025, 11, 12)),
            None, D(2026, 3, 31),
            "Gabapentin: 19 weeks in this period (taken since 12 Nov 2025), still taking",
        ),
        (
            MedicationData("Tramadol", D(2026, 4, 1), strength="50 mg", as_needed=True, stop_date=D(2026, 4, 1), outcome=MedicationOutcome.ALLERGIC),
            None, None,
            "Tramadol 50 mg as needed: 1 day (1 Apr 2026), allergic reaction",
        ),
        (
            MedicationData("Ibuprofen", None, stop_date=D(2026, 4, 1)),
            None, None,
            "Ibuprofen: for an unknown time (start not recorded, stopped 1 Apr 2026), outcome not recorded",
        ),
    ],
)  # fmt: skip
def test_medication_lines(
    medication: MedicationData, since: dt.date | None, until: dt.date | None, line: str
) -> None:
    summary = summarize(medications=[medication], since=since, until=until)
    sections = {section.title: section.lines for section in summary_sections(summary)}
    assert sections == {"Medications": (line,)}


@pytest.mark.parametrize(
    ("injection", "line"),
    [
        (
            TreatmentData(ESI, D(2026, 3, 22), level="L4-L5", side=Side.LEFT, relief_percent=40, relief_days=21),
            "Epidural steroid injection, L4-L5 left, 22 Mar 2026: 40% relief for 3 weeks",
        ),
        (
            TreatmentData(TreatmentKind.SI_JOINT_INJECTION, D(2026, 3, 22), side=Side.BOTH, relief_percent=80, relief_days=10),
            "SI joint injection, both sides, 22 Mar 2026: 80% relief for 10 days",
        ),
        (TreatmentData(ESI, D(2026, 3, 22), relief_percent=0, relief_days=0), "Epidural steroid injection, 22 Mar 2026: no relief"),
        (TreatmentData(ESI, D(2026, 3, 22), relief_percent=30), "Epidural steroid injection, 22 Mar 2026: 30% relief (how long it lasted was not recorded)"),
        (TreatmentData(ESI, D(2026, 3, 22), level="L5-S1"), "Epidural steroid injection, L5-S1, 22 Mar 2026: relief not recorded"),
    ],
)  # fmt: skip
def test_injection_lines(injection: TreatmentData, line: str) -> None:
    assert summary_lines(summarize(treatments=[injection]))[1:] == [line]


@pytest.mark.parametrize(
    ("treatments", "courses", "lines"),
    [
        (
            visits(PT, *every(D(2026, 2, 3), 4, 14), D(2026, 3, 31), D(2026, 3, 31)), {},
            ["Physical therapy: 16 visits over 8 weeks (3 Feb – 31 Mar 2026)"],
        ),
        (visits(SPINE, D(2026, 6, 2)), {}, ["Spine specialist visit: 1 visit (2 Jun 2026)"]),
        (visits(CHIRO, D(2026, 6, 2), D(2026, 6, 2)), {}, ["Chiropractic: 2 visits (2 Jun 2026)"]),
        (
            visits(PT, D(2025, 1, 6), D(2025, 2, 24), D(2026, 9, 7)), {},
            ["Physical therapy: 3 visits over 20 months (6 Jan 2025 – 7 Sep 2026), in 3 periods of care: 6 Jan 2025; 24 Feb 2025; 7 Sep 2026"],
        ),
        (
            visits(CHIRO, *every(D(2026, 1, 5), 40, 6)), {},
            ["Chiropractic: 6 visits over 6 months (5 Jan – 24 Jul 2026), in 6 separate periods of care"],
        ),
        (
            visits(PT, *every(D(2025, 11, 17), 4, 16), course_id=7),
            {7: TherapyCourseData(PT, D(2025, 11, 17), D(2026, 1, 16), planned_visits=16, discharge_outcome="Walking better.\nLeg pain unchanged.")},
            [
                "Physical therapy: 16 visits over 8 weeks (17 Nov 2025 – 16 Jan 2026)",
                "Physical therapy course 17 Nov 2025 – 16 Jan 2026: 16 of 16 planned visits; at discharge: Walking better. Leg pain unchanged",
            ],
        ),
        (
            [], {1: TherapyCourseData(PT, D(2026, 10, 5), None)},
            ["Physical therapy: no visits logged (5 Oct 2026)", "Physical therapy course since 5 Oct 2026 (ongoing): 0 visits"],
        ),
    ],
)  # fmt: skip
def test_treatment_lines(
    treatments: list[TreatmentData], courses: dict[int, TherapyCourseData], lines: list[str]
) -> None:
    summary = summarize(treatments=treatments, courses=courses)
    sections = {section.title: list(section.lines) for section in summary_sections(summary)}
    assert sections == {"Therapy and visits": lines}


def test_a_whole_summary_in_words() -> None:
    """Every section, in order, as a reviewer reads it."""
    pain_days = [scores(day, 8, 7, 7, 8) for day in every(D(2026, 1, 5), 1, 20)] + [
        scores(day, 6, 6, 5, 5) for day in every(D(2026, 11, 2), 1, 10)
    ]
    summary = summarize(
        days=pain_days,
        medications=[
            MedicationData("Naproxen", D(2026, 1, 1), strength="500 mg", frequency="twice a day", stop_date=D(2026, 2, 12), outcome=MedicationOutcome.NO_EFFECT),
        ],
        treatments=[
            *visits(PT, *every(D(2026, 2, 3), 4, 14), D(2026, 3, 31), D(2026, 3, 31)),
            TreatmentData(MRI, D(2026, 1, 31), facility="Columbus Open MRI", result="L4-L5 left paracentral\n disc extrusion"),
            TreatmentData(ESI, D(2026, 4, 22), level="L4-L5", side=Side.LEFT, relief_percent=40, relief_days=21),
            TreatmentData(TreatmentKind.XRAY, D(2026, 1, 10)),
        ],
        odi=[OdiScoreData(D(2026, 2, 15), 44.0), OdiScoreData(D(2026, 10, 20), None, (3, 1, 2, 2, 3, 2, 1, 2, 1, 2))],
        since=D(2026, 1, 1),
    )  # fmt: skip
    assert [s.title for s in summary_sections(summary)] == [
        "Therapy and visits",
        "Imaging",
        "Injections",
        "Medications",
        "Pain and function",
    ]
    assert summary_lines(summary) == [
        "Care recorded from 1 Jan 2026 to 27 Nov 2026.",
        "Physical therapy: 16 visits over 8 weeks (3 Feb – 31 Mar 2026)",
        "X-ray, 10 Jan 2026: result not recorded",
        "MRI, 31 Jan 2026 at Columbus Open MRI: L4-L5 left paracentral disc extrusion",
        "Epidural steroid injection, L4-L5 left, 22 Apr 2026: 40% relief for 3 weeks",
        "Naproxen 500 mg twice a day: 6 weeks (1 Jan – 12 Feb 2026), no effect",
        "Daily check-ins: 30 days (5 Jan – 11 Nov 2026)",
        "Average pain went from 7.0 in Jan 2026 to 6.0 in Nov 2026",
        "PEG score went from 7.3 in Jan 2026 to 5.3 in Nov 2026",
        "Latest Oswestry Disability Index (ODI): 38% on 20 Oct 2026 (moderate disability)",
        "ODI over time: 44% (15 Feb 2026), 38% (20 Oct 2026)",
    ]


def test_one_month_of_scores_in_words() -> None:
    summary = summarize(days=[scores(D(2026, 11, 2), 6, None), scores(D(2026, 11, 3), None, None)])
    assert summary_lines(summary)[1:] == [
        "Daily check-ins: 2 days (2 Nov – 3 Nov 2026)",
        "Average pain in Nov 2026: 6.0",
    ]


def test_check_ins_without_scores_in_words() -> None:
    summary = summarize(days=[scores(D(2026, 11, 2), None, None)])
    assert summary_lines(summary)[1:] == [
        "Daily check-ins: 1 day (2 Nov 2026)",
        "No pain scores were recorded on the check-ins.",
    ]
