"""Surprise-bill flags: bills the user should question before paying.

Only bills are flagged, and only while the user has not acted: a bill marked disputed or
appealed, and an adjustment, raise no flag. A paid bill is still flagged (money can come back).

Over the Good Faith Estimate: the No Surprises Act compares the provider's total billed charges
for the care in a GFE with the GFE's total. So every bill measured against the same GFE
(``matching_estimate``: same provider, same case when both name one, care within a year of the
estimate) adds up, adjustments (credits and corrections) with their sign. When the sum is $400
or more over, one flag sits on the latest of those bills that is not an adjustment (by bill
date, then date of service) and lists every one of them. The 120 days to dispute count from that
latest bill's date; once they have passed, the flag says so and has no due item (Home does not
list a window that cannot be used any more). Disputing or appealing any of the bills settles
the flag.

Protected out of network: only a bill that names the case where its provider is out of network
in a role the No Surprises Act protects (the same provider may be in another case's team, or
bill for other care); a bill on no case is not flagged.

No authorization: a bill on a pre-service case that never got one (``was_authorized``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from backlog_app.domain.cases import CaseEvent, EventType, Outcome
from backlog_app.domain.costs import Cost, CostKind, CostStatus, service_key
from backlog_app.domain.dates import format_long_date
from backlog_app.domain.deadline_rules import Party
from backlog_app.domain.deadlines import DueItem
from backlog_app.domain.money import format_cents

# No Surprises Act: bills this much or more above the Good Faith Estimate can be disputed ...
GFE_DISPUTE_THRESHOLD_CENTS = 400_00
# ... within this many days of the (latest) bill date.
GFE_DISPUTE_DAYS = 120
# A GFE covers care up to a year after it was given (recurring care: 12 months at most, 45 CFR
# 149.610); later bills of the same provider are other care, not measured against it.
GFE_COVERS_DAYS = 365
GFE_DISPUTE_SOURCE = "No Surprises Act patient-provider dispute resolution — 45 CFR 149.620"

_ACTED = (CostStatus.DISPUTED, CostStatus.APPEALED)
_APPROVING = (Outcome.APPROVED, Outcome.PARTLY_APPROVED)


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
        cost_ids: the bill the flag sits on first, then the entries that raised the flag: the
            other bills of the same Good Faith Estimate and the GFE's lines, or the EOB lines
            that denied the service.
        due: the deadline to act, when the law sets one and it has not passed (a GFE dispute);
            None otherwise.
    """

    kind: CostFlagKind
    message: str
    cost_ids: tuple[int, ...]
    due: DueItem | None = None


ProviderCase = tuple[int, int]  # (provider id, case id)


def cost_flags(
    costs: Sequence[Cost],
    case_authorizations: Mapping[int, bool],
    protected_out_of_network: Collection[ProviderCase],
    today: dt.date,
) -> list[CostFlag]:
    """Every flag on every bill, bill by bill (in the order of ``costs``), kinds in their order.

    Args:
        costs: all cost entries (bills are checked against the GFEs and EOB lines among them).
        case_authorizations: for each case whose procedure needs an authorization, whether it
            has one (True). Cases not listed need none.
        protected_out_of_network: (provider, case) pairs where the provider is out of network
            in a role the No Surprises Act protects (from the care-team checklists).
        today: whether the dispute window is still open.
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
    over_estimate = _over_estimates(costs, estimates, today)
    flags: list[CostFlag] = []
    for bill in costs:
        data = bill.data
        if data.kind is not CostKind.BILL or data.is_adjustment or data.status in _ACTED:
            continue
        gfe_flag = over_estimate.get(bill.id)
        if gfe_flag is not None:
            flags.append(gfe_flag)
        if (
            data.provider_id is not None
            and data.case_id is not None
            and (data.provider_id, data.case_id) in protected_out_of_network
        ):
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


def was_authorized(events: Sequence[CaseEvent], authorization_number: str | None = None) -> bool:
    """Whether a pre-service case ever got its authorization, whatever happened after.

    Yes when the case or any event has an authorization number, or any event approved it: an
    approval, a paid claim, or a peer-to-peer, appeal or external review that approved it (in
    full or in part, overturning a denial).
    """
    if (authorization_number or "").strip():
        return True
    for event in events:
        data = event.data
        if (data.authorization_number or "").strip():
            return True
        if data.event_type in (EventType.APPROVED, EventType.CLAIM_PAID):
            return True
        if data.event_type.has_outcome and data.outcome in _APPROVING:
            return True
    return False


def matching_estimate(bill: Cost, costs: Sequence[Cost]) -> list[Cost]:
    """The Good Faith Estimate entries a bill is measured against (empty when there is none).

    Same provider; same case when both name one; given on or before the bill's date of service
    and at most ``GFE_COVERS_DAYS`` before it (an estimate's date is the day it was given, else
    its planned date of service; an undated one counts as the oldest, and is never too old). Of
    these the newest date wins, and all entries of that provider on that date make up the
    estimate's total (a GFE may list several lines).
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
        too_old = given != dt.date.min and (service_day - given).days > GFE_COVERS_DAYS
        if given <= service_day and not too_old:
            candidates.append((given, cost))
    if not candidates:
        return []
    newest = max(given for given, _ in candidates)
    return [cost for given, cost in candidates if given == newest]


def _over_estimates(
    costs: Sequence[Cost], estimates: Mapping[int, Sequence[Cost]], today: dt.date
) -> dict[int, CostFlag]:
    """The GFE flags by the id of the bill each sits on (see the module docstring)."""
    groups: dict[tuple[int, ...], list[Cost]] = defaultdict(list)
    estimate_of: dict[tuple[int, ...], list[Cost]] = {}
    for bill in costs:
        data = bill.data
        if data.kind is not CostKind.BILL or data.provider_id is None:
            continue
        estimate = matching_estimate(bill, estimates.get(data.provider_id, ()))
        if estimate and data.billed_cents is not None:
            ids = tuple(cost.id for cost in estimate)
            groups[ids].append(bill)
            estimate_of[ids] = estimate
    flags = {}
    for ids, bills in groups.items():
        charges = [bill for bill in bills if not bill.data.is_adjustment]
        if not charges or any(bill.data.status in _ACTED for bill in bills):
            continue
        flag = _over_estimate(charges, bills, estimate_of[ids], today)
        if flag is not None:
            flags[flag.cost_ids[0]] = flag
    return flags


def _over_estimate(
    charges: Sequence[Cost], bills: Sequence[Cost], estimate: Sequence[Cost], today: dt.date
) -> CostFlag | None:
    """``charges``: the bills (not adjustments) of one GFE; ``bills``: those and adjustments."""
    estimated = sum(cost.data.billed_cents or 0 for cost in estimate)
    total = sum(bill.data.billed_cents or 0 for bill in bills)
    over = total - estimated
    if over < GFE_DISPUTE_THRESHOLD_CENTS:
        return None
    latest = max(
        charges,
        key=lambda c: (c.data.bill_date or dt.date.min, c.data.day or dt.date.min, c.id),
    )
    single = len(charges) == 1
    ids = (
        latest.id,
        *(bill.id for bill in bills if bill.id != latest.id),
        *(cost.id for cost in estimate),
    )
    if single:
        facts = (
            f"This bill is {format_cents(over)} over the Good Faith Estimate of "
            f"{format_cents(estimated)} from the same provider"
        )
        what, when = "it", "the bill date"
    else:
        facts = (
            f"The {len(charges)} bills for this Good Faith Estimate add up to "
            f"{format_cents(total)}, {format_cents(over)} over its {format_cents(estimated)}"
        )
        what, when = "them", "the latest bill's date"
    bill_date = latest.data.bill_date
    if bill_date is None:  # refused on entry; a stored one gets the flag without a date
        return CostFlag(
            CostFlagKind.OVER_GOOD_FAITH_ESTIMATE,
            f"{facts}: dispute {what} within {GFE_DISPUTE_DAYS} days of {when}.",
            ids,
        )
    due = bill_date + dt.timedelta(days=GFE_DISPUTE_DAYS)
    if due < today:  # the window has closed: said in words, no due item left on Home
        message = (
            f"{facts}; the {GFE_DISPUTE_DAYS} days to dispute {what} ended on "
            f"{format_long_date(due)}."
        )
        return CostFlag(CostFlagKind.OVER_GOOD_FAITH_ESTIMATE, message, ids)
    message = (
        f"{facts}: dispute {what} within {GFE_DISPUTE_DAYS} days of {when} "
        f"(by {format_long_date(due)})."
    )
    description = (latest.data.description or "").strip()
    title = (
        "Dispute the bill over its Good Faith Estimate"
        if single
        else "Dispute the bills over their Good Faith Estimate"
    )
    item = DueItem(
        title=f"{title}{f': {description}' if description else ''}",
        due=due,
        party=Party.YOU,
        explanation=(
            f"{GFE_DISPUTE_DAYS} days after {when}, {format_long_date(bill_date)}; "
            f"{'the bill is' if single else 'the bills are'} {format_cents(over)} "
            f"over the estimate of {format_cents(estimated)}"
        ),
        source=GFE_DISPUTE_SOURCE,
        rule=None,
        case_id=latest.data.case_id,
        cost_id=latest.id,
    )
    return CostFlag(CostFlagKind.OVER_GOOD_FAITH_ESTIMATE, message, ids, item)
