"""Readiness checks about care over time: conservative care, therapy courses, medications,
symptom duration and visit limits.

Each check reads ``ReadinessFacts`` and returns an ``Outcome`` (``readiness_evidence``).
The rules, chosen so that a check never claims more than the dates show:

- **Conservative care** is therapy (each kind's periods from the care summary), medication
  trials (the part of each trial that was recorded) and injections (their days). Pieces that
  overlap or lie at most ``CARE_GAP_DAYS`` apart form one stretch; the criterion is met when one
  stretch lasts long enough (elapsed time: 6 weeks is 42 days; months are calendar months) with
  enough different kinds of care (all medications count as one kind, all injections as one). A
  look-back window cuts every piece to its days inside the window.
- **Symptom duration** runs from the first check-in or treatment (whichever is first) to today.
- **Visit caps** count days with a visit (two records on one day are one visit), in the plan year
  containing today or in a rolling window ending today; the plan's own recorded limit wins over
  the criterion's typical one.
"""

from __future__ import annotations

import datetime as dt
import functools
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from backlog_app.domain.dates import format_long_date, plan_year_containing
from backlog_app.domain.deadline_rules import Unit, add_period
from backlog_app.domain.documents import DocumentKind
from backlog_app.domain.durations import (
    date_range_words,
    duration_words,
    elapsed_days,
    whole_months_between,
)
from backlog_app.domain.log_records import (
    MedicationData,
    TreatmentCategory,
    TreatmentData,
    TreatmentKind,
)
from backlog_app.domain.readiness_criteria import Criterion
from backlog_app.domain.readiness_evidence import (
    Outcome,
    course_evidence,
    course_visits,
    document_evidence,
    in_last,
    medication_evidence,
    medication_ids,
    met,
    months_before,
    not_met,
    period_words,
    plural,
    treatment_evidence,
    unknown,
    window_start,
)
from backlog_app.domain.readiness_facts import Evidence, EvidenceKind, ReadinessFacts
from backlog_app.domain.summary import CARE_GAP_DAYS

# --- conservative care --------------------------------------------------------------------------


@dataclass(slots=True)
class _Piece:
    """Care of one kind over a span; its evidence is worded only for the stretch shown."""

    start: dt.date
    end: dt.date
    care: str  # a therapy kind's label, "medication" or "injection"
    visits: int
    evidence: Callable[[], Sequence[Evidence]]


@dataclass(slots=True)
class _Stretch:
    start: dt.date
    end: dt.date
    pieces: list[_Piece]

    def kinds_of_care(self) -> int:
        return len({piece.care for piece in self.pieces})

    def evidence(self) -> list[Evidence]:
        return [e for piece in self.pieces for e in piece.evidence()]


def _therapy_evidence(
    facts: ReadinessFacts,
    kind: TreatmentKind,
    start: dt.date,
    end: dt.date,
    inside: Sequence[tuple[int, TreatmentData]],
) -> list[Evidence]:
    """The courses of a period of therapy, else its first session (with the visit count)."""
    courses = [
        (i, c)
        for i, c in sorted(facts.courses.items())
        if c.kind is kind and c.start_date <= end and (c.end_date or end) >= start
    ]
    if courses:
        return [course_evidence(i, c, course_visits(facts, i)) for i, c in courses]
    if not inside:
        return []
    first_id, first = inside[0]
    label = (
        f"{kind.label}, {plural(len(inside), 'visit')}, "
        f"{date_range_words(first.day, inside[-1][1].day)}"
    )
    return [Evidence(EvidenceKind.TREATMENT, first_id, label, first.day)]


def _care_pieces(facts: ReadinessFacts, since: dt.date | None, today: dt.date) -> list[_Piece]:
    pieces: list[_Piece] = []
    for history in facts.summary.treatments:
        if history.kind.category is not TreatmentCategory.THERAPY:
            continue
        sessions = sorted(
            ((i, t) for i, t in facts.treatments.items() if t.kind is history.kind),
            key=lambda item: (item[1].day, item[0]),
        )
        days = [t.day for _, t in sessions]
        for period in history.periods:
            start, end = max(period.start, since or period.start), min(period.end, today)
            if start > end:
                continue
            inside = sessions[bisect_left(days, start) : bisect_right(days, end)]
            evidence = functools.partial(_therapy_evidence, facts, history.kind, start, end, inside)
            pieces.append(_Piece(start, end, history.kind.label.lower(), len(inside), evidence))
    for record_id, treatment in sorted(facts.treatments.items()):
        if treatment.kind.category is TreatmentCategory.INJECTION and (
            (since is None or treatment.day >= since) and treatment.day <= today
        ):
            evidence = functools.partial(_one, treatment_evidence, record_id, treatment)
            pieces.append(_Piece(treatment.day, treatment.day, "injection", 1, evidence))
    ids = medication_ids(facts)
    for trial in facts.summary.medications:
        if trial.counted_from is None:
            continue
        start = max(trial.counted_from, since or trial.counted_from)
        if start > trial.counted_to or trial.medication not in ids:
            continue
        evidence = functools.partial(
            _one, medication_evidence, ids[trial.medication], trial.medication
        )
        pieces.append(_Piece(start, trial.counted_to, "medication", 0, evidence))
    return pieces


def _one(make: Callable[[int, Any], Evidence], record_id: int, record: Any) -> list[Evidence]:
    return [make(record_id, record)]


def _stretches(pieces: list[_Piece]) -> list[_Stretch]:
    stretches: list[_Stretch] = []
    for piece in sorted(pieces, key=lambda p: (p.start, p.end)):
        if stretches and elapsed_days(stretches[-1].end, piece.start) <= CARE_GAP_DAYS:
            last = stretches[-1]
            last.end = max(last.end, piece.end)
            last.pieces.append(piece)
        else:
            stretches.append(_Stretch(piece.start, piece.end, [piece]))
    return stretches


def _long_enough(criterion: Criterion, start: dt.date, end: dt.date) -> bool:
    if criterion.weeks is not None:
        return elapsed_days(start, end) >= 7 * criterion.weeks
    return whole_months_between(start, end) >= (criterion.months or 0)


def _stretch_words(stretch: _Stretch) -> str:
    """ "8 weeks of physical therapy, 3 Mar – 28 Apr 2026 (12 visits)" or a mix of care."""
    length = duration_words(stretch.start, stretch.end)
    span = date_range_words(stretch.start, stretch.end)
    therapy: dict[str, int] = {}
    medications = injections = 0
    for piece in stretch.pieces:
        if piece.care == "medication":
            medications += 1
        elif piece.care == "injection":
            injections += 1
        else:
            therapy[piece.care] = therapy.get(piece.care, 0) + piece.visits
    if len(therapy) == 1 and not medications and not injections:
        ((care, visits),) = therapy.items()
        return f"{length} of {care}, {span} ({plural(visits, 'visit')})"
    parts = [f"{care} ({plural(visits, 'visit')})" for care, visits in therapy.items()]
    if medications:
        parts.append(plural(medications, "medication trial"))
    if injections:
        parts.append(plural(injections, "injection"))
    return f"{length} of conservative care, {span}: {', '.join(parts)}"


def conservative_care(c: Criterion, facts: ReadinessFacts, today: dt.date) -> Outcome:
    since = window_start(today, c.within_months)
    stretches = _stretches(_care_pieces(facts, since, today))
    wanted_kinds = c.count or 1
    good = [
        s
        for s in stretches
        if _long_enough(c, s.start, s.end) and s.kinds_of_care() >= wanted_kinds
    ]
    window = in_last(c.within_months)
    todo = (
        "Log the therapy, medications and injections you had"
        + (f" since {format_long_date(since)}" if since else "")
        + " with their dates on the Log page; if your doctors' notes document more care, "
        "add them to Documents."
    )
    if good:
        best = max(good, key=lambda s: (elapsed_days(s.start, s.end), s.end))
        return met(_stretch_words(best), best.evidence())
    if not stretches:
        return not_met(f"No therapy, medication trials or injections recorded{window}.", todo)
    best = max(stretches, key=lambda s: (elapsed_days(s.start, s.end), s.kinds_of_care(), s.end))
    needed = f"at least {period_words(c)}"
    if wanted_kinds > 1:
        needed += f" with {wanted_kinds} different kinds of care"
    finding = f"The longest stretch{window}: {_stretch_words(best)}. The insurer asks for {needed}."
    if wanted_kinds > 1 and _long_enough(c, best.start, best.end):
        todo = (
            f"The insurer asks for {wanted_kinds} different kinds of care (for example physical "
            "therapy and medication trials). Log every kind you tried, with dates, on the Log page."
        )
    return not_met(finding, todo, best.evidence())


# --- therapy course -----------------------------------------------------------------------------


def completed_course(c: Criterion, facts: ReadinessFacts, today: dt.date) -> Outcome:
    kinds = c.treatments or (TreatmentKind.PHYSICAL_THERAPY,)
    noun = kinds[0].label.lower() if len(kinds) == 1 else "therapy"
    since = window_start(today, c.within_months)
    courses = [
        (i, course)
        for i, course in sorted(facts.courses.items(), key=lambda item: item[1].start_date)
        if course.kind in kinds and (since is None or (course.end_date or today) >= since)
    ]
    discharge_notes = [
        d
        for d in facts.documents
        if d.kind is DocumentKind.PT_NOTE
        and d.names("discharge")
        and (since is None or d.day is None or d.day >= since)
    ]
    done = [
        (i, course)
        for i, course in courses
        if (course.end_date is not None and course.end_date <= today) or course.discharge_outcome
    ]
    notes_evidence = [document_evidence(d) for d in discharge_notes]
    if done:
        record_id, course = done[-1]
        visits = course_visits(facts, record_id)
        planned = f" of {course.planned_visits} planned" if course.planned_visits else ""
        end = course.end_date or course.start_date
        finding = (
            f"{course.kind.label} course {date_range_words(course.start_date, end)}: "
            f"{visits}{planned} {'visit' if visits == 1 else 'visits'}"
        )
        if course.discharge_outcome:
            finding += f"; at discharge: {_short(course.discharge_outcome)}"
        if not discharge_notes:
            finding += ". The discharge summary is not in Documents yet."
        return met(finding, [course_evidence(record_id, course, visits), *notes_evidence])
    if discharge_notes:
        return met(f"Discharge summary in Documents: “{discharge_notes[0].title}”.", notes_evidence)
    summary = "ask the clinic for the discharge summary and add it to Documents"
    if courses:
        record_id, course = courses[-1]
        visits = course_visits(facts, record_id)
        return not_met(
            f"A {noun} course started {format_long_date(course.start_date)} "
            f"({plural(visits, 'visit')} so far) has no end date or discharge outcome yet.",
            f"When the course ends, add its end date and discharge outcome on the Log page, and {summary}.",
            [course_evidence(record_id, course, visits)],
        )
    sessions = [
        (i, t)
        for i, t in sorted(facts.treatments.items(), key=lambda item: item[1].day)
        if t.kind in kinds and (since is None or t.day >= since)
    ]
    if sessions:
        first_id, first = sessions[0]
        return not_met(
            f"{plural(len(sessions), noun + ' visit')} recorded{in_last(c.within_months)}, "
            "but no completed course.",
            f"Add the course (start and end dates, discharge outcome) on the Log page, and {summary}.",
            [treatment_evidence(first_id, first)],
        )
    return not_met(
        f"No {noun} recorded{in_last(c.within_months)}.",
        f"If you had {noun}, add the course on the Log page and {summary}; "
        "if not, ask your doctor whether a course is needed first.",
    )


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- medication trials --------------------------------------------------------------------------


def medication_trials(c: Criterion, facts: ReadinessFacts, today: dt.date) -> Outcome:
    since = window_start(today, c.within_months)
    ids = medication_ids(facts)
    trials = [t for t in facts.summary.medications if since is None or t.counted_to >= since]
    wanted = c.count or 1

    def has_outcome(medication: MedicationData) -> bool:
        return medication.stop_date is not None or medication.outcome is not None

    counted = [t for t in trials if not c.with_outcome or has_outcome(t.medication)]
    evidence = [
        medication_evidence(ids[t.medication], t.medication) for t in counted if t.medication in ids
    ]
    with_words = " with an outcome recorded" if c.with_outcome else ""
    described = ", ".join(_trial_words(t.medication) for t in counted)
    if len(counted) >= wanted:
        return met(
            f"{plural(len(counted), 'medication trial')}{with_words}: {described}.", evidence
        )
    missing = len(trials) - len(counted)
    finding = f"{len(counted)} of {wanted} medication trials{with_words}{in_last(c.within_months)}"
    finding += f": {described}." if counted else "."
    if missing:
        finding += f" {plural(missing, 'more trial has', 'more trials have')} no outcome recorded."
        todo = (
            "Record how each medication went (helped, no effect, side effects) and when and why "
            "you stopped it, on the Log page."
        )
    else:
        todo = (
            "If you tried other medications for your back (anti-inflammatories, muscle relaxants, "
            "nerve-pain medicines), add them on the Log page with their dates and how they went."
        )
    return not_met(finding, todo, evidence)


def _trial_words(medication: MedicationData) -> str:
    if medication.outcome is not None:
        return f"{medication.name} ({medication.outcome.label.lower()})"
    if medication.stop_date is not None:
        return f"{medication.name} (stopped {format_long_date(medication.stop_date)})"
    return f"{medication.name} (ongoing)"


# --- symptom duration ---------------------------------------------------------------------------


def symptom_duration(c: Criterion, facts: ReadinessFacts, today: dt.date) -> Outcome:
    first_check_in = facts.summary.first_check_in
    first_treatment = min(
        facts.treatments.items(), key=lambda item: (item[1].day, item[0]), default=None
    )
    candidates: list[tuple[dt.date, Evidence]] = []
    if first_check_in is not None:
        candidates.append(
            (
                first_check_in,
                Evidence(
                    EvidenceKind.CHECK_INS,
                    None,
                    f"First check-in, {format_long_date(first_check_in)}",
                    first_check_in,
                ),
            )
        )
    if first_treatment is not None:
        record_id, treatment = first_treatment
        candidates.append((treatment.day, treatment_evidence(record_id, treatment)))
    if not candidates:
        return not_met(
            "No check-ins or treatments recorded yet.",
            "Log your check-ins and the treatments you had; a doctor's note saying when the pain "
            "began helps too (add it to Documents).",
        )
    first, evidence = min(candidates, key=lambda item: item[0])
    if c.weeks is not None:
        cutoff = today - dt.timedelta(weeks=c.weeks)
    else:
        cutoff = months_before(today, c.months or 0)
    what = "first check-in" if evidence.kind is EvidenceKind.CHECK_INS else "first treatment"
    ago = duration_words(first, today) if first < today else "today"
    if first <= cutoff:
        return met(
            f"Your records go back to {format_long_date(first)} ({what}): {ago}.", [evidence]
        )
    return not_met(
        f"Your records start on {format_long_date(first)} ({what}), {ago} ago; "
        f"the insurer asks for pain lasting at least {period_words(c)}.",
        "If your pain began earlier, ask your doctor's office for the note that records when it "
        "started, and add it to Documents.",
        [evidence],
    )


# --- visit caps -----------------------------------------------------------------------------------

_CALENDAR_YEAR = dt.date(2000, 1, 1)


def visit_cap(c: Criterion, facts: ReadinessFacts, today: dt.date) -> Outcome:
    kinds = c.treatments
    nouns = _visit_nouns(kinds)
    visits = sorted(
        ((i, t) for i, t in facts.treatments.items() if t.kind in kinds and t.day <= today),
        key=lambda item: (item[1].day, item[0]),
    )
    if c.days or c.months:
        since = today - dt.timedelta(days=c.days) if c.days else months_before(today, c.months or 0)
        window = f"the last {period_words(c)}"
        limit, whose = c.count, "the typical limit"
        next_start = None
    else:
        year_start, year_end = plan_year_containing(facts.plan_year_start or _CALENDAR_YEAR, today)
        since, next_start = year_start, year_end + dt.timedelta(days=1)
        window = f"the plan year {date_range_words(year_start, year_end)}"
        plan_limits = [facts.visit_limits[k] for k in kinds if k in facts.visit_limits]
        limit, whose = (
            (plan_limits[0], "your plan's limit")
            if plan_limits
            else (
                c.count,
                "the typical limit",
            )
        )
    inside = [(i, t) for i, t in visits if t.day >= since]
    days = sorted({t.day for _, t in inside})
    used = len(days)
    evidence = [treatment_evidence(*inside[-1])] if inside else []
    if limit is None and facts.plan_name is None:
        return unknown(
            f"{used} {nouns} used in {window}; this case has no insurance plan chosen, so its "
            "limit is unknown.",
            "Choose the insurance plan on this case, and record the plan's yearly limit for "
            f"{nouns} on the Profile & Insurance page.",
            evidence,
        )
    if limit is None:
        return unknown(
            f"{used} {nouns} used in {window}; your plan's yearly limit is not recorded.",
            f"Look up your plan's yearly limit for {nouns} (in the Summary of Benefits and "
            "Coverage) and add it on the Profile & Insurance page.",
            evidence,
        )
    if used < limit:
        return met(
            f"{used} of {limit} {nouns} used in {window} ({whose}); {limit - used} left.", evidence
        )
    if next_start is not None:
        todo = (
            "Ask the insurer whether more visits can be approved as medically necessary, or plan "
            f"the next visits from {format_long_date(next_start)}, when the new plan year starts."
        )
    else:
        oldest = days[used - limit]
        frees = (
            oldest + dt.timedelta(days=(c.days or 0) + 1)
            if c.days
            else add_period(oldest, c.months or 0, Unit.MONTHS) + dt.timedelta(days=1)
        )
        todo = (
            f"Another one may be refused before {format_long_date(frees)}; ask your doctor's office "
            "to check with the insurer before booking it."
        )
    return not_met(
        f"{used} of {limit} {nouns} used in {window} ({whose}); none left.", todo, evidence
    )


def _visit_nouns(kinds: Sequence[TreatmentKind]) -> str:
    names = {
        TreatmentKind.EPIDURAL_STEROID_INJECTION: "epidural injections",
        TreatmentKind.FACET_MEDIAL_BRANCH_BLOCK: "medial branch blocks",
        TreatmentKind.RADIOFREQUENCY_ABLATION: "radiofrequency ablations",
    }
    words = [names.get(k, f"{k.label.lower()} visits") for k in kinds]
    return " and ".join(words) if words else "visits"
