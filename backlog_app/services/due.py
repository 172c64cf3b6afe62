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

    Args:
        case_items: the cases' own items when the caller already has them (Home reads the
            case overview anyway); read here when None.
    """
    cases = list(case_items) if case_items is not None else profile.cases.due_items()
    items = cases + profile.network.due_items() + profile.costs.due_items()
    return sorted(items, key=lambda item: (item.due, item.case_title, item.title))
