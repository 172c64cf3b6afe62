"""Surprise-bill flags: bills the user should question before paying.

Only bills are flagged, and only while the user has not acted: a bill marked disputed or
appealed, and an adjustment, raise no flag. A paid bill is still flagged (money can come back).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from backlog_app.domain.costs import Cost, CostKind, CostStatus, service_key
from backlog_app.domain.dates import format_long_date
from backlog_app.domain.deadline_rules import Party
from backlog_app.domain.deadlines import DueItem
from backlog_app.domain.money import format_cents

# No Surprises Act: a bill this much or more above the Good Faith Estimate can be disputed ...
GFE_DISPUTE_THRESHOLD_CENTS = 400_00
# ... within this many days of the bill date.
GFE_DISPUTE_DAYS = 120
GFE_DISPUTE_SOURCE = "No Surprises Act patient-provider dispute resolution — 45 CFR 149.620"

_ACTED = (CostStatus.DISPUTED, CostStatus.APPEALED)


class CostFlagKind(StrEnum):
    OVER_GOOD_FAITH_ESTIMATE = "over_good_faith_estimate"
    PROTECTED_OUT_OF_NETWORK = "protected_out_of_network"
    DENIED_BY_EOB = "denied_by_eob"
    NO_AUTHORIZATION = "no_authorization"

    @property
    def label(self) -> str:
        return _FLAG_LABELS[self]


_FLAG_LABELS = {
    CostFlagKind.OVER_GOOD_FAITH_ESTIMATE: "Over the Good Faith Estimate",
    CostFlagKind.PROTECTED_OUT_OF_NETWORK: "Out-of-network bill you are protected from",
    CostFlagKind.DENIED_BY_EOB: "Denied on the EOB",
    CostFlagKind.NO_AUTHORIZATION: "Billed without an authorization",
}


@dataclass(frozen=True, slots=True)
class CostFlag:
    """One reason to question a bill.

    Args:
        cost_ids: the bill first, then the entries that raised the flag (GFE, EOB lines).
        due: the deadline to act, when the law sets one (a GFE dispute); None otherwise.
    """

    kind: CostFlagKind
    message: str
    cost_ids: tuple[int, ...]
    due: DueItem | None = None


def cost_flags(
    costs: Sequence[Cost],
    case_authorizations: Mapping[int, bool],
    protected_oon_provider_ids: Collection[int],
    today: dt.date,
) -> list[CostFlag]:
    """Every flag on every bill, bill by bill (in the order of ``costs``), kinds in their order.

    Args:
        costs: all cost entries (bills are checked against the GFEs and EOB lines among them).
        case_authorizations: for each case whose procedure needs an authorization, whether it
            has one (True). Cases not listed need none.
        protected_oon_provider_ids: providers that are out of network for a role the No
            Surprises Act protects (from the care-team checklist).
        today: words the dispute window as open or closed.
    """
    # Indexed once, so each bill looks only at its own provider's estimates and EOB lines
    # (scanning every entry per bill took ~0.8 s at 3,000 entries).
    estimates: dict[int, list[Cost]] = defaultdict(list)
    denied: dict[tuple[int, dt.date], list[int]] = defaultdict(list)
    for cost in costs:
        if cost.data.kind is CostKind.GOOD_FAITH_ESTIMATE and cost.data.provider_id is not None:
            estimates[cost.data.provider_id].append(cost)
        key = service_key(cost.data)
        if cost.data.kind is CostKind.EOB_LINE and cost.data.eob_denied and key is not None:
            denied[key].append(cost.id)
    flags: list[CostFlag] = []
    for bill in costs:
        data = bill.data
        if data.kind is not CostKind.BILL or data.is_adjustment or data.status in _ACTED:
            continue
        provider_estimates = estimates.get(data.provider_id, []) if data.provider_id else []
        gfe_flag = _over_estimate(bill, provider_estimates, today)
        if gfe_flag is not None:
            flags.append(gfe_flag)
        if data.provider_id is not None and data.provider_id in protected_oon_provider_ids:
            flags.append(
                CostFlag(
                    CostFlagKind.PROTECTED_OUT_OF_NETWORK,
                    "This provider is out of network for care the No Surprises Act protects: "
                    "you owe only the in-network cost share; call the provider's billing "
                    "office and cite the No Surprises Act (45 CFR 149.420).",
                    (bill.id,),
                )
            )
        key = service_key(data)
        denials = tuple(denied.get(key, ())) if key is not None else ()
        if denials:
            flags.append(
                CostFlag(
                    CostFlagKind.DENIED_BY_EOB,
                    "Your plan's EOB denied this service. Do not pay yet: appeal the denial "
                    "or ask the provider to correct the claim.",
                    (bill.id, *denials),
                )
            )
        if data.case_id is not None and case_authorizations.get(data.case_id) is False:
            flags.append(
                CostFlag(
                    CostFlagKind.NO_AUTHORIZATION,
                    "This care needed an authorization and the case has none. Do not pay yet: "
                    "ask the provider why it was billed without an authorization.",
                    (bill.id,),
                )
            )
    return flags


def matching_estimate(bill: Cost, costs: Sequence[Cost]) -> list[Cost]:
    """The Good Faith Estimate entries a bill is measured against (empty when there is none).

    Same provider; same case when both name one; given on or before the bill's date of service
    (an estimate's date is the day it was given, else its planned date of service; an undated
    one counts as the oldest). Of these the newest date wins, and all entries of that provider on
    that date make up the estimate's total (a GFE may list several lines).
    """
    data = bill.data
    service_day = data.service_date or data.bill_date
    if data.provider_id is None or service_day is None:
        return []
    candidates: list[tuple[dt.date, Cost]] = []
    for cost in costs:
        gfe = cost.data
        if gfe.kind is not CostKind.GOOD_FAITH_ESTIMATE or gfe.provider_id != data.provider_id:
            continue
        if gfe.case_id is not None and data.case_id is not None and gfe.case_id != data.case_id:
            continue
        given = gfe.bill_date or gfe.service_date or dt.date.min
        if given <= service_day:
            candidates.append((given, cost))
    if not candidates:
        return []
    newest = max(given for given, _ in candidates)
    return [cost for given, cost in candidates if given == newest]


def _over_estimate(bill: Cost, costs: Sequence[Cost], today: dt.date) -> CostFlag | None:
    data = bill.data
    estimate = matching_estimate(bill, costs)
    if not estimate or data.billed_cents is None:
        return None
    estimated = sum(cost.data.billed_cents or 0 for cost in estimate)
    over = data.billed_cents - estimated
    if over < GFE_DISPUTE_THRESHOLD_CENTS:
        return None
    ids = (bill.id, *(cost.id for cost in estimate))
    facts = (
        f"This bill is {format_cents(over)} over the Good Faith Estimate of "
        f"{format_cents(estimated)} from the same provider"
    )
    if data.bill_date is None:  # refused on entry; a stored one gets the flag without a date
        return CostFlag(
            CostFlagKind.OVER_GOOD_FAITH_ESTIMATE,
            f"{facts}: dispute it within {GFE_DISPUTE_DAYS} days of the bill date.",
            ids,
        )
    due = data.bill_date + dt.timedelta(days=GFE_DISPUTE_DAYS)
    if due < today:
        message = (
            f"{facts}; the {GFE_DISPUTE_DAYS} days to dispute it ended on {format_long_date(due)}."
        )
    else:
        message = (
            f"{facts}: dispute it within {GFE_DISPUTE_DAYS} days of the bill date "
            f"(by {format_long_date(due)})."
        )
    what = (data.description or "").strip()
    item = DueItem(
        title=f"Dispute the bill over its Good Faith Estimate{f': {what}' if what else ''}",
        due=due,
        party=Party.YOU,
        explanation=(
            f"{GFE_DISPUTE_DAYS} days after the bill date, {format_long_date(data.bill_date)}; "
            f"the bill is {format_cents(over)} over the estimate of {format_cents(estimated)}"
        ),
        source=GFE_DISPUTE_SOURCE,
        rule=None,
        case_id=data.case_id,
        cost_id=bill.id,
    )
    return CostFlag(CostFlagKind.OVER_GOOD_FAITH_ESTIMATE, message, ids, item)
