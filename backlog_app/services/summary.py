"""The conservative-care summary of a profile, and visits used against a plan's yearly cap.

Loads the log with the log services and hands plain records to the domain's rules
(``domain/summary.py``, ``domain/visit_usage.py``); ``summary_document`` is the stable JSON form
that ``backlog summary --json`` prints (documented in docs/summary-format.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.log_records import TreatmentKind
from backlog_app.domain.summary import (
    CARE_GAP_DAYS,
    CareSummary,
    ScoreChange,
    summarize_care,
)
from backlog_app.domain.visit_usage import VisitUsage, visit_usage
from backlog_app.errors import UserError
from backlog_app.services.context import ProfileSession
from backlog_app.services.log import treatment_history

SUMMARY_FORMAT = "backlog-care-summary"
SUMMARY_VERSION = 1


def care_summary(
    profile: ProfileSession, since: dt.date | None = None, until: dt.date | None = None
) -> CareSummary:
    """The summary of everything recorded from ``since`` to ``until`` (both optional, included).

    Raises:
        UserError: ``since`` is after ``until``.
    """
    check_range(since, until)
    log, today = profile.log, profile.clock()
    return summarize_care(
        days=log.check_ins.daily_scores(since, min(until, today) if until else today),
        medications=[stored.data for stored in log.medications.list()],
        # Every treatment, not only those in the range: an ongoing course ends at its last
        # session, wherever that lies.
        treatments=treatment_history(profile.database),
        courses={stored.id: stored.data for stored in log.courses.list()},
        odi_scores=[stored.data for stored in log.odi_scores.list()],
        since=since,
        until=until,
        today=today,
    )


def check_range(since: dt.date | None, until: dt.date | None) -> None:
    """Raises UserError, in plain words, when ``since`` is after ``until``."""
    if since is not None and until is not None and since > until:
        raise UserError(
            f"The start date ({format_long_date(since)}) is after the end date "
            f"({format_long_date(until)}); please swap them."
        )


def visit_usage_for(
    profile: ProfileSession, plan_id: int, kind: TreatmentKind, day: dt.date | None = None
) -> VisitUsage | None:
    """Visits of ``kind`` used in the plan year containing ``day`` (default: today).

    Returns:
        None when the plan sets no yearly limit for that kind.

    Raises:
        UserError: the plan no longer exists.
    """
    limit = next(
        (
            stored.data
            for stored in profile.log.visit_limits.list()
            if stored.data.plan_id == plan_id and stored.data.kind is kind
        ),
        None,
    )
    if limit is None:
        return None
    plan = profile.plans.get(plan_id).data
    visit_days = [treatment.day for treatment in treatment_history(profile.database, kind)]
    return visit_usage(plan.plan_year_start, limit, visit_days, day or profile.clock())


@dataclass(frozen=True, slots=True)
class PlanVisitUsage:
    """Visits used against one plan's yearly limit for one kind of treatment."""

    plan_id: int
    plan_name: str
    usage: VisitUsage


def plan_visit_usages(profile: ProfileSession, day: dt.date | None = None) -> list[PlanVisitUsage]:
    """Every visit limit of every plan, with the visits used in the plan year containing ``day``."""
    day = day or profile.clock()
    plans = {stored.id: stored.data for stored in profile.plans.list()}
    usages = []
    for stored in profile.log.visit_limits.list():
        limit = stored.data
        plan = plans.get(limit.plan_id)
        if plan is None:
            continue
        visit_days = [t.day for t in treatment_history(profile.database, limit.kind)]
        usage = visit_usage(plan.plan_year_start, limit, visit_days, day)
        usages.append(PlanVisitUsage(limit.plan_id, plan.display_name, usage))
    return usages


# --- JSON -----------------------------------------------------------------------------------


def summary_document(summary: CareSummary, usages: Sequence[PlanVisitUsage] = ()) -> dict[str, Any]:
    """The summary (and visits used against plan limits) as JSON-ready data.

    Dates are ISO text ("2026-03-14"), months "2026-03"; unknown values are null.

    The structure is documented in docs/summary-format.md; fields are only ever added.
    """
    return {
        "format": SUMMARY_FORMAT,
        "version": SUMMARY_VERSION,
        "since": _iso(summary.since),
        "until": summary.until.isoformat(),
        "care_gap_days": CARE_GAP_DAYS,
        "treatments": [
            {
                "kind": history.kind.value,
                "label": history.kind.label,
                "category": history.kind.category.value,
                "first_day": history.first_day.isoformat(),
                "last_day": history.last_day.isoformat(),
                "visits": history.visits,
                "span_days": history.span_days,
                "span_weeks": history.span_weeks,
                "periods": [
                    {"start": p.start.isoformat(), "end": p.end.isoformat(), "visits": p.visits}
                    for p in history.periods
                ],
                "courses": [
                    {
                        "start_date": course.start_date.isoformat(),
                        "end_date": _iso(course.end_date),
                        "ongoing": course.ongoing,
                        "planned_visits": course.planned_visits,
                        "visits": course.visits,
                        "discharge_outcome": course.discharge_outcome,
                    }
                    for course in history.courses
                ],
            }
            for history in summary.treatments
        ],
        "medications": [
            {
                "name": trial.medication.name,
                "strength": trial.medication.strength,
                "dose": trial.medication.dose,
                "frequency": trial.medication.frequency,
                "route": _value(trial.medication.route),
                "as_needed": trial.medication.as_needed,
                "purpose": trial.medication.purpose,
                "start_date": _iso(trial.medication.start_date),
                "stop_date": _iso(trial.medication.stop_date),
                "ongoing": trial.ongoing,
                "counted_from": _iso(trial.counted_from),
                "counted_to": trial.counted_to.isoformat(),
                "days": trial.days,
                "weeks": round(trial.days / 7, 1) if trial.days is not None else None,
                "started_before_range": trial.started_before_range,
                "continues_after_range": trial.continues_after_range,
                "outcome": _value(trial.medication.outcome),
                "side_effects": trial.medication.side_effects,
                "reason_stopped": trial.medication.reason_stopped,
            }
            for trial in summary.medications
        ],
        "injections": [
            {
                "kind": injection.kind.value,
                "label": injection.kind.label,
                "day": injection.day.isoformat(),
                "level": injection.level,
                "side": _value(injection.side),
                "relief_percent": injection.relief_percent,
                "relief_days": injection.relief_days,
            }
            for injection in summary.injections
        ],
        "imaging": [
            {
                "kind": imaging.kind.value,
                "label": imaging.kind.label,
                "day": imaging.day.isoformat(),
                "facility": imaging.facility,
                "result": imaging.result,
            }
            for imaging in summary.imaging
        ],
        "scores": {
            "check_in_days": summary.check_in_days,
            "first_check_in": _iso(summary.first_check_in),
            "last_check_in": _iso(summary.last_check_in),
            "months": [
                {
                    "month": f"{month.month:%Y-%m}",
                    "pain": month.pain,
                    "pain_days": month.pain_days,
                    "peg": month.peg,
                    "peg_days": month.peg_days,
                }
                for month in summary.months
            ],
            "pain_change": _change(summary.pain_change),
            "peg_change": _change(summary.peg_change),
        },
        "odi": [
            {
                "day": result.day.isoformat(),
                "percent": result.percent,
                "band": result.band.value,
                "from_sections": result.from_sections,
            }
            for result in summary.odi
        ],
        "visit_limits": [
            {
                "plan_id": usage.plan_id,
                "plan": usage.plan_name,
                "kind": usage.usage.kind.value,
                "label": usage.usage.kind.label,
                "plan_year_start": usage.usage.year_start.isoformat(),
                "plan_year_end": usage.usage.year_end.isoformat(),
                "used": usage.usage.used,
                "limit": usage.usage.limit,
                "left": usage.usage.left,
                "over_limit": usage.usage.over_limit,
            }
            for usage in usages
        ],
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _value(member: Any) -> str | None:
    return member.value if member is not None else None


def _change(change: ScoreChange | None) -> dict[str, Any] | None:
    if change is None:
        return None
    return {
        "first_month": f"{change.first_month:%Y-%m}",
        "first": change.first,
        "last_month": f"{change.last_month:%Y-%m}",
        "last": change.last,
        "change": change.change,
    }
