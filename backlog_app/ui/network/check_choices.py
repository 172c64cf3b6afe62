"""What the network check dialog offers: providers, plans (the main plan first), recent calls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from backlog_app.domain.cases import Call, CallData
from backlog_app.domain.dates import format_long_date
from backlog_app.domain.records import PlanData, Stored, plan_in_force
from backlog_app.services.context import ProfileSession

RECENT_CALLS = 100


@dataclass(frozen=True, slots=True)
class CheckChoices:
    """What the dialog offers, read once when it opens.

    Args:
        providers: (id, name) by name.
        plans: (id, label), plans in force first.
        main_plan_id: the main plan in force (not a supplemental policy), if any.
        calls: recent calls from the call log, newest first.
        today: the profile's today (a check cannot be later).
    """

    providers: Sequence[tuple[int, str]]
    plans: Sequence[tuple[int, str]]
    main_plan_id: int | None
    calls: Sequence[Call]
    today: dt.date


def check_choices(profile: ProfileSession, call_id: int | None = None) -> CheckChoices:
    """The providers, plans and recent calls the dialog offers (a few small reads)."""
    today = profile.clock()
    providers = [(p.id, p.data.name) for p in profile.providers.list()]
    # The main plans in force first, then supplemental policies, then plans that ended.
    plans = sorted(
        profile.plans.list(),
        key=lambda p: (
            not plan_in_force(p.data, today),
            p.data.plan_type.is_supplemental,
            *_order(p),
        ),
    )
    main = [
        p for p in plans if plan_in_force(p.data, today) and not p.data.plan_type.is_supplemental
    ]
    main_plan_id = min(main, key=_order).id if main else None
    calls = profile.calls.list()
    recent = calls[:RECENT_CALLS]
    if call_id is not None and all(call.id != call_id for call in recent):
        recent += [call for call in calls if call.id == call_id]
    return CheckChoices(
        providers=providers,
        plans=[(p.id, plan_choice_label(p.data, today)) for p in plans],
        main_plan_id=main_plan_id,
        calls=recent,
        today=today,
    )


def plan_choice_label(plan: PlanData, today: dt.date) -> str:
    """ "Buckeye Mutual — Choice PPO", with "(ended)" or "(supplemental)" where it applies."""
    notes = []
    if plan.coverage_end is not None and plan.coverage_end < today:
        notes.append("ended")
    elif plan.coverage_start is not None and plan.coverage_start > today:
        notes.append("not started yet")
    if plan.plan_type.is_supplemental:
        notes.append("supplemental")
    return plan.display_name + (f" ({', '.join(notes)})" if notes else "")


def call_label(call: CallData) -> str:
    """ "20 Nov 2026 · Buckeye Mutual Health · ref A-1234" — a call as the picker names it."""
    parts = [format_long_date(call.called_at.date()), call.organization or "Call"]
    if call.reference_number:
        parts.append(f"ref {call.reference_number}")
    return " · ".join(parts)


def _order(plan: Stored[PlanData]) -> tuple[int, int]:
    return (plan.data.priority, plan.id)
