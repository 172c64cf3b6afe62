"""The Costs page's one read, done in the background: the overview and each flag's bill."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from backlog_app.domain.costs import Cost
from backlog_app.services.costs import CostFilter, CostService, CostsOverview


@dataclass(frozen=True, slots=True)
class CostsRead:
    """The overview, and the bill of every flag (the table may filter a flagged bill out)."""

    overview: CostsOverview
    bills: dict[int, Cost]


def read_costs(costs: CostService, where: CostFilter, plan_year_of: dt.date | None) -> CostsRead:
    """Runs off the GUI thread: ``CostService.overview`` works out every flag and total."""
    overview = costs.overview(where, plan_year_of)
    shown = {cost.id: cost for cost in overview.costs}
    bills: dict[int, Cost] = {}
    for flag in overview.flags:
        bill_id = flag.cost_ids[0]
        if bill_id not in bills:
            bills[bill_id] = shown.get(bill_id) or costs.cost(bill_id)
    return CostsRead(overview, bills)
