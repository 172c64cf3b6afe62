"""Everything due across a profile: case deadlines and call follow-ups, care-team checks before
a procedure, and dispute windows of bills over their Good Faith Estimate."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from backlog_app.domain.deadlines import DueItem

if TYPE_CHECKING:
    from backlog_app.services.context import ProfileSession


def everything_due(
    profile: ProfileSession, case_items: Iterable[DueItem] | None = None
) -> list[DueItem]:
    """Every open due item, soonest first.

    Every case's care-team checklist is worked out once, for its own due items and for the
    bills' out-of-network flags.

    Args:
        case_items: the cases' own items when the caller already has them (Home reads the
            case overview anyway); read here when None.
    """
    cases = list(case_items) if case_items is not None else profile.cases.due_items()
    checklists = profile.network.checklists()
    care_teams = [item for checklist in checklists for item in checklist.due]
    items = cases + care_teams + profile.costs.due_items(checklists)
    return sorted(items, key=lambda item: (item.due, item.case_title, item.title))
