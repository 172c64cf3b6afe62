"""The conservative-care summary: what was tried, how often, for how long, and how pain changed.

Insurers approve a procedure when the record shows that conservative care was tried and failed.
``summarize_care`` turns the log's plain records into that summary for a date range, and
``summary_lines`` (from ``summary_text``, re-exported here) says it in plain words. The rules, each chosen so that the summary never claims
more care than the dates show:

- **Range.** ``since`` to ``until``, both included and both optional. The range ends at ``until``
  or today, whichever is earlier, because nothing can be recorded in the future.
- **Treatments.** Per kind, every record of that kind in the range is one visit. Its first and
  last date and the span between them (elapsed time, so 3 Feb to 31 Mar is 8 weeks).
- **Therapy courses** count from their start to their end date, cut to the range. A course
  without an end date is ongoing; it counts up to its last session (or its start if it has none
  yet), not up to today: therapy happens visit by visit, and a missing end date more often means
  "not entered" than "still going".
- **Periods of care.** A kind's sessions and courses that overlap, or are at most
  ``CARE_GAP_DAYS`` apart, form one period; a longer gap starts a new one. Overlapping courses are
  therefore counted once, and a year-long pause is not counted as care.
- **Medication trials** that overlap the range, with their duration inside it: from the later of
  start and ``since``, to the earlier of stop and the range's end. A trial without a stop date is
  ongoing and runs to the range's end. Flags say when the range cut a trial.
- **Monthly averages** per calendar month in the range (a month at either end counts only its
  days inside the range). Pain is the day's "average pain"; on days where only "pain now" was
  recorded, that is used instead, since one number a day says more than a gap. "Worst pain" is
  never used: it would overstate. PEG counts only days with all three items.
- **Change** runs from the first month with data to the last; there is none with one month only.
- **ODI**: the clinic's total, or the total computed from the sections entered.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from backlog_app.domain.durations import (
    elapsed_days,
)
from backlog_app.domain.log_records import (
    MedicationData,
    OdiScoreData,
    Side,
    TherapyCourseData,
    TreatmentCategory,
    TreatmentData,
    TreatmentKind,
)
from backlog_app.domain.scores import OdiBand, odi_band, odi_percent, peg_score
from backlog_app.domain.summary_text import SummarySection, summary_lines, summary_sections

__all__ = [
    "CARE_GAP_DAYS",
    "CarePeriod",
    "CareSummary",
    "CourseSummary",
    "DayScores",
    "ImagingResult",
    "InjectionResult",
    "MedicationTrial",
    "MonthlyAverage",
    "OdiResult",
    "ScoreChange",
    "ScoredDay",
    "SummarySection",
    "TreatmentHistory",
    "summarize_care",
    "summary_lines",
    "summary_sections",
]

# Sessions further apart than this start a new period of care (our convention, shown in docs).
CARE_GAP_DAYS = 30

_DayTest = Callable[[dt.date], bool]


# --- Input ----------------------------------------------------------------------------------


class ScoredDay(Protocol):
    """What the summary reads of a check-in; the log's ``DailyScores`` rows fit as they are."""

    @property
    def day(self) -> dt.date: ...
    @property
    def pain_now(self) -> int | None: ...
    @property
    def pain_average(self) -> int | None: ...
    @property
    def peg_enjoyment(self) -> int | None: ...
    @property
    def peg_activity(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class DayScores:
    """The numbers of one check-in that the summary uses; None means not recorded."""

    day: dt.date
    pain_now: int | None = None
    pain_average: int | None = None
    peg_enjoyment: int | None = None
    peg_activity: int | None = None

    @property
    def pain(self) -> int | None:
        """The day's pain: its average, else the "pain now" of the check-in."""
        return self.pain_average if self.pain_average is not None else self.pain_now

    @property
    def peg(self) -> float | None:
        return peg_score(self.pain_average, self.peg_enjoyment, self.peg_activity)


# --- Output ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CarePeriod:
    """A stretch of care of one kind without a gap longer than CARE_GAP_DAYS."""

    start: dt.date
    end: dt.date
    visits: int


@dataclass(frozen=True, slots=True)
class CourseSummary:
    """A therapy course that overlaps the range; ``visits`` are its sessions inside the range."""

    kind: TreatmentKind
    start_date: dt.date
    end_date: dt.date | None  # None: ongoing
    planned_visits: int | None
    visits: int
    discharge_outcome: str | None

    @property
    def ongoing(self) -> bool:
        return self.end_date is None


@dataclass(frozen=True, slots=True)
class TreatmentHistory:
    """Everything of one treatment kind in the range."""

    kind: TreatmentKind
    first_day: dt.date
    last_day: dt.date
    visits: int
    periods: tuple[CarePeriod, ...]
    courses: tuple[CourseSummary, ...]

    @property
    def span_days(self) -> int:
        return elapsed_days(self.first_day, self.last_day)

    @property
    def span_weeks(self) -> float:
        return round(self.span_days / 7, 1)


@dataclass(frozen=True, slots=True)
class MedicationTrial:
    """One medication trial that overlaps the range.

    ``counted_from`` and ``counted_to`` bound the part inside the range; ``counted_from`` is None
    when the trial's start date was not recorded.
    """

    medication: MedicationData
    counted_from: dt.date | None
    counted_to: dt.date
    started_before_range: bool
    continues_after_range: bool

    @property
    def ongoing(self) -> bool:
        return self.medication.stop_date is None

    @property
    def days(self) -> int | None:
        if self.counted_from is None:
            return None
        return elapsed_days(self.counted_from, self.counted_to)

    @property
    def cut_by_range(self) -> bool:
        return self.started_before_range or self.continues_after_range


@dataclass(frozen=True, slots=True)
class InjectionResult:
    kind: TreatmentKind
    day: dt.date
    level: str | None
    side: Side | None
    relief_percent: int | None
    relief_days: int | None


@dataclass(frozen=True, slots=True)
class ImagingResult:
    kind: TreatmentKind
    day: dt.date
    facility: str | None
    result: str | None


@dataclass(frozen=True, slots=True)
class MonthlyAverage:
    """Averages of one calendar month; ``month`` is its first day."""

    month: dt.date
    pain: float | None
    pain_days: int
    peg: float | None
    peg_days: int


@dataclass(frozen=True, slots=True)
class ScoreChange:
    """From the first month with a score to the last one."""

    first_month: dt.date
    first: float
    last_month: dt.date
    last: float

    @property
    def change(self) -> float:
        return round(self.last - self.first, 2)


@dataclass(frozen=True, slots=True)
class OdiResult:
    day: dt.date
    percent: float
    from_sections: bool

    @property
    def band(self) -> OdiBand:
        return odi_band(self.percent)


@dataclass(frozen=True, slots=True)
class CareSummary:
    """The conservative-care summary of one range (see the module's rules)."""

    since: dt.date | None
    until: dt.date
    treatments: tuple[TreatmentHistory, ...]
    medications: tuple[MedicationTrial, ...]
    injections: tuple[InjectionResult, ...]
    imaging: tuple[ImagingResult, ...]
    check_in_days: int
    first_check_in: dt.date | None
    last_check_in: dt.date | None
    months: tuple[MonthlyAverage, ...]
    odi: tuple[OdiResult, ...]

    @property
    def pain_change(self) -> ScoreChange | None:
        return _change([(m.month, m.pain) for m in self.months])

    @property
    def peg_change(self) -> ScoreChange | None:
        return _change([(m.month, m.peg) for m in self.months])

    @property
    def latest_odi(self) -> OdiResult | None:
        return self.odi[-1] if self.odi else None

    @property
    def is_empty(self) -> bool:
        return not (self.treatments or self.medications or self.check_in_days or self.odi)


# --- Computing it ---------------------------------------------------------------------------


def summarize_care(
    *,
    days: Iterable[ScoredDay],
    medications: Iterable[MedicationData],
    treatments: Iterable[TreatmentData],
    courses: Mapping[int, TherapyCourseData],
    odi_scores: Iterable[OdiScoreData],
    since: dt.date | None,
    until: dt.date | None,
    today: dt.date,
) -> CareSummary:
    """The summary of everything recorded from ``since`` to ``until`` (see the module's rules).

    Args:
        days: the check-ins' scores (``DayScores`` or anything alike), in any order.
        medications: every medication trial.
        treatments: every treatment, test and visit.
        courses: every therapy course, by id (treatments name theirs by ``course_id``).
        odi_scores: every ODI result.
        since: first day of the range, or None for everything before ``until``.
        until: last day of the range, or None for up to today.
        today: the day the summary is made; the range never goes past it.

    Raises:
        ValueError: ``since`` is after ``until`` (callers check this and explain it).
    """
    if since is not None and until is not None and since > until:
        raise ValueError(f"since ({since}) is after until ({until})")
    end = min(until, today) if until is not None else today
    treatments = list(treatments)  # read twice: for the range, and for courses' last sessions

    def in_range(day: dt.date) -> bool:
        return (since is None or day >= since) and day <= end

    treatments_in_range = sorted(
        (t for t in treatments if in_range(t.day)), key=lambda t: (t.day, _KIND_ORDER[t.kind])
    )
    scores = sorted((d for d in days if in_range(d.day)), key=lambda d: d.day)
    return CareSummary(
        since=since,
        until=end,
        treatments=_histories(treatments, treatments_in_range, courses, since, end),
        medications=_trials(medications, since, end, today),
        injections=tuple(
            InjectionResult(t.kind, t.day, t.level, t.side, t.relief_percent, t.relief_days)
            for t in treatments_in_range
            if t.kind.category is TreatmentCategory.INJECTION
        ),
        imaging=tuple(
            ImagingResult(t.kind, t.day, t.facility, t.result)
            for t in treatments_in_range
            if t.kind.category is TreatmentCategory.IMAGING
        ),
        check_in_days=len(scores),
        first_check_in=scores[0].day if scores else None,
        last_check_in=scores[-1].day if scores else None,
        months=_monthly_averages(scores),
        odi=_odi_results(odi_scores, in_range),
    )


_KIND_ORDER = {kind: position for position, kind in enumerate(TreatmentKind)}


def _histories(
    all_treatments: Iterable[TreatmentData],
    in_range: Sequence[TreatmentData],
    courses: Mapping[int, TherapyCourseData],
    since: dt.date | None,
    end: dt.date,
) -> tuple[TreatmentHistory, ...]:
    # An ongoing course ends at its last session, which may lie outside the range.
    last_session: dict[int, dt.date] = {}
    for treatment in all_treatments:
        if treatment.course_id is not None:
            known = last_session.get(treatment.course_id)
            if known is None or treatment.day > known:
                last_session[treatment.course_id] = treatment.day
    sessions_by_kind: dict[TreatmentKind, list[TreatmentData]] = defaultdict(list)
    for treatment in in_range:
        sessions_by_kind[treatment.kind].append(treatment)
    course_spans: dict[TreatmentKind, list[tuple[int, dt.date, dt.date]]] = defaultdict(list)
    for course_id, course in courses.items():
        course_end = course.end_date or last_session.get(course_id, course.start_date)
        first, last = max(course.start_date, since or course.start_date), min(course_end, end)
        if first <= last:
            course_spans[course.kind].append((course_id, first, last))

    visits_in_course: dict[int, int] = defaultdict(int)
    for session in in_range:
        if session.course_id is not None:
            visits_in_course[session.course_id] += 1

    histories = []
    for kind in sorted(sessions_by_kind.keys() | course_spans.keys(), key=_KIND_ORDER.__getitem__):
        sessions = sessions_by_kind.get(kind, [])
        spans = sorted(course_spans.get(kind, []), key=lambda span: (span[1], span[0]))
        intervals = [(t.day, t.day, 1) for t in sessions] + [(a, b, 0) for _, a, b in spans]
        periods = _periods(intervals)
        histories.append(
            TreatmentHistory(
                kind=kind,
                first_day=periods[0].start,
                last_day=periods[-1].end,
                visits=len(sessions),
                periods=periods,
                courses=tuple(
                    CourseSummary(
                        kind,
                        courses[course_id].start_date,
                        courses[course_id].end_date,
                        courses[course_id].planned_visits,
                        visits_in_course[course_id],
                        courses[course_id].discharge_outcome,
                    )
                    for course_id, _, _ in spans
                ),
            )
        )
    return tuple(histories)


def _periods(intervals: list[tuple[dt.date, dt.date, int]]) -> tuple[CarePeriod, ...]:
    """Merge (start, end, visits) intervals that overlap or lie at most CARE_GAP_DAYS apart."""
    periods: list[CarePeriod] = []
    for start, end, visits in sorted(intervals):
        if periods and elapsed_days(periods[-1].end, start) <= CARE_GAP_DAYS:
            last = periods[-1]
            periods[-1] = CarePeriod(last.start, max(last.end, end), last.visits + visits)
        else:
            periods.append(CarePeriod(start, end, visits))
    return tuple(periods)


def _trials(
    medications: Iterable[MedicationData], since: dt.date | None, end: dt.date, today: dt.date
) -> tuple[MedicationTrial, ...]:
    trials = []
    for medication in medications:
        start, stop = medication.start_date, medication.stop_date
        if (start is not None and start > end) or (
            since is not None and stop is not None and stop < since
        ):
            continue
        counted_to = min(stop, end) if stop is not None else end
        # Without a start date nothing can be counted: claiming "since the range began" could
        # overstate the trial.
        counted_from = max(start, since) if start is not None and since is not None else start
        trials.append(
            MedicationTrial(
                medication=medication,
                counted_from=counted_from,
                counted_to=counted_to,
                started_before_range=since is not None and start is not None and start < since,
                continues_after_range=(stop is None and end < today)
                or (stop is not None and stop > end),
            )
        )
    trials.sort(key=lambda t: (t.medication.start_date or dt.date.min, t.medication.name.lower()))
    return tuple(trials)


def _monthly_averages(scores: Sequence[ScoredDay]) -> tuple[MonthlyAverage, ...]:
    # Per month: pain sum, days with pain, PEG item sum, days with all three PEG items. The mean
    # of the days' PEG scores equals the PEG item sum ÷ (3 × days): the same number as averaging
    # peg_score() per day, without a call per day (ten years are 3,650 days).
    totals: dict[tuple[int, int], list[int]] = {}
    for scored in scores:
        key = (scored.day.year, scored.day.month)
        total = totals.get(key)
        if total is None:
            total = totals[key] = [0, 0, 0, 0]
        average = scored.pain_average
        pain = average if average is not None else scored.pain_now
        if pain is not None:
            total[0] += pain
            total[1] += 1
        enjoyment, activity = scored.peg_enjoyment, scored.peg_activity
        if average is not None and enjoyment is not None and activity is not None:
            total[2] += average + enjoyment + activity
            total[3] += 1
    return tuple(
        MonthlyAverage(
            month=dt.date(year, month, 1),
            pain=round(pain_sum / pain_days, 2) if pain_days else None,
            pain_days=pain_days,
            peg=round(peg_sum / (3 * peg_days), 2) if peg_days else None,
            peg_days=peg_days,
        )
        for (year, month), (pain_sum, pain_days, peg_sum, peg_days) in sorted(totals.items())
        if pain_days or peg_days
    )


def _change(values: Sequence[tuple[dt.date, float | None]]) -> ScoreChange | None:
    known = [(month, value) for month, value in values if value is not None]
    if len(known) < 2:
        return None
    (first_month, first), (last_month, last) = known[0], known[-1]
    return ScoreChange(first_month, first, last_month, last)


def _odi_results(scores: Iterable[OdiScoreData], in_range: _DayTest) -> tuple[OdiResult, ...]:
    results = []
    for score in scores:
        from_sections = odi_percent(score.sections)
        percent = from_sections if from_sections is not None else score.total_percent
        if percent is not None and in_range(score.day):
            results.append(OdiResult(score.day, percent, from_sections is not None))
    return tuple(sorted(results, key=lambda result: result.day))
