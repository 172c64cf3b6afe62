"""What care costs: estimates, bills, EOB lines, HSA money and supplemental claims as plain data.

Money is integer cents everywhere (``domain.money`` formats and parses it). Checks for bad input
are in ``costs_rules``, the surprise-bill flags in ``cost_flags``.

Which entries count in totals (``counted_amounts``):
- Estimates (Good Faith Estimate, insurer estimate) never count: they are care to come.
- Bills and EOB lines count. A bill and an EOB line *match* when they share provider and date of
  service. For each figure (billed, allowed, plan paid, patient responsibility) of such a group,
  the EOB lines win when any of them states that figure; the bills' figure counts only when no
  EOB line states it. So one service is never counted twice, and a bill still counts before its
  EOB arrives. Entries without a provider or a date of service match nothing and count alone.
- Adjustments (credits) count with their sign, like any other entry.
- HSA contributions and payments, and supplemental claims, are totalled on their own lines.

Denied services: an EOB line marked denied, and the bills of the same provider and date of
service, stay in what you owe (the patient responsibility, "You owe") but not in the deductible
or out-of-pocket progress: plans count only what they cover towards those limits.

Which plan a plan year is measured against (``plan_in_force``): the plan in force in that year,
not today's. Bills and EOB lines billed to another plan are left out of that year (entries that
name no plan stay in); a year with no known plan counts every claim and has no limits.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from backlog_app.domain.dates import plan_year_containing
from backlog_app.domain.records import PlanData


class CostKind(StrEnum):
    """What a cost entry is. The value is what the database and data files store."""

    GOOD_FAITH_ESTIMATE = "good_faith_estimate"
    INSURER_ESTIMATE = "insurer_estimate"
    BILL = "bill"
    EOB_LINE = "eob_line"
    HSA_CONTRIBUTION = "hsa_contribution"
    HSA_PAYMENT = "hsa_payment"
    SUPPLEMENTAL_CLAIM = "supplemental_claim"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def is_estimate(self) -> bool:
        return self in (CostKind.GOOD_FAITH_ESTIMATE, CostKind.INSURER_ESTIMATE)

    @property
    def is_hsa(self) -> bool:
        return self in (CostKind.HSA_CONTRIBUTION, CostKind.HSA_PAYMENT)


_KIND_LABELS = {
    CostKind.GOOD_FAITH_ESTIMATE: "Good Faith Estimate",
    CostKind.INSURER_ESTIMATE: "Insurer's estimate",
    CostKind.BILL: "Bill",
    CostKind.EOB_LINE: "EOB line (Explanation of Benefits)",
    CostKind.HSA_CONTRIBUTION: "HSA contribution",
    CostKind.HSA_PAYMENT: "Payment from the HSA",
    CostKind.SUPPLEMENTAL_CLAIM: "Supplemental policy claim",
}


class CostStatus(StrEnum):
    EXPECTED = "expected"
    BILLED = "billed"
    PAID = "paid"
    DISPUTED = "disputed"
    APPEALED = "appealed"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    CostStatus.EXPECTED: "Expected",
    CostStatus.BILLED: "Billed",
    CostStatus.PAID: "Paid",
    CostStatus.DISPUTED: "Disputed",
    CostStatus.APPEALED: "Appealed",
}


class CostCategory(StrEnum):
    """What the money was for: the bars of the spending chart."""

    SURGERY = "surgery"
    FACILITY = "facility"
    ANESTHESIA = "anesthesia"
    IMAGING = "imaging"
    PHYSICAL_THERAPY = "physical_therapy"
    MEDICATION = "medication"
    OFFICE_VISIT = "office_visit"
    INJECTION = "injection"
    EQUIPMENT = "equipment"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS = {
    CostCategory.SURGERY: "Surgery",
    CostCategory.FACILITY: "Hospital or surgery center",
    CostCategory.ANESTHESIA: "Anesthesia",
    CostCategory.IMAGING: "Imaging (MRI, CT, X-ray)",
    CostCategory.PHYSICAL_THERAPY: "Physical therapy",
    CostCategory.MEDICATION: "Medication",
    CostCategory.OFFICE_VISIT: "Office visit",
    CostCategory.INJECTION: "Injection",
    CostCategory.EQUIPMENT: "Medical equipment",
    CostCategory.OTHER: "Other",
}


@dataclass(frozen=True, slots=True)
class CostData:
    """One cost entry. Only the fields that suit the kind are filled; unknown amounts are None.

    Args:
        service_date: the date of service; for an estimate the planned date; for HSA entries
            the day of the contribution or payment.
        bill_date: the date printed on a bill (the No Surprises Act dispute window counts from
            it); for an estimate the day it was given.
        billed_cents: the amount billed; for an estimate its estimated total; for HSA entries
            the amount put in or paid out (the form labels it "Amount").
        patient_cents: the patient's responsibility (what the bill or EOB says you owe).
        expected_cents, received_cents: a supplemental claim's lump sum or share, expected and
            received.
        is_adjustment: a credit or correction; only these may carry negative amounts.
        eob_denied: an EOB line on which the plan denied the service.
    """

    kind: CostKind
    description: str | None = None
    provider_id: int | None = None
    case_id: int | None = None
    plan_id: int | None = None
    service_date: dt.date | None = None
    bill_date: dt.date | None = None
    billed_cents: int | None = None
    allowed_cents: int | None = None
    plan_paid_cents: int | None = None
    patient_cents: int | None = None
    expected_cents: int | None = None
    received_cents: int | None = None
    status: CostStatus = CostStatus.BILLED
    category: CostCategory = CostCategory.OTHER
    is_adjustment: bool = False
    eob_denied: bool = False
    notes: str | None = None

    @property
    def day(self) -> dt.date | None:
        """The date the entry is filed under: the date of service, else the bill date."""
        return self.service_date or self.bill_date


@dataclass(frozen=True, slots=True)
class Cost:
    """A stored cost entry: its id beside its data (flags point back at entries)."""

    id: int
    data: CostData


class Figure(StrEnum):
    """The claim figures that bills and EOB lines share."""

    BILLED = "billed"
    ALLOWED = "allowed"
    PLAN_PAID = "plan_paid"
    PATIENT = "patient"


def figure_of(data: CostData, figure: Figure) -> int | None:
    # A field read, not a dictionary built per call: totals call this for every figure of every
    # entry (at 3,000 entries the dictionaries cost ~70 ms of the Costs page's read).
    value: int | None = getattr(data, _FIGURE_FIELDS[figure])
    return value


_FIGURE_FIELDS = {
    Figure.BILLED: "billed_cents",
    Figure.ALLOWED: "allowed_cents",
    Figure.PLAN_PAID: "plan_paid_cents",
    Figure.PATIENT: "patient_cents",
}


@dataclass(frozen=True, slots=True)
class CountedAmount:
    """One figure of one entry that counts in totals (see the module docstring)."""

    cost: Cost
    figure: Figure
    cents: int


def service_key(data: CostData) -> tuple[int, dt.date] | None:
    """(provider, date of service) — how a bill finds its EOB lines; None when either is unknown."""
    if data.provider_id is None or data.service_date is None:
        return None
    return data.provider_id, data.service_date


def counted_amounts(costs: Iterable[Cost]) -> list[CountedAmount]:
    """The bill and EOB figures that count, with EOB lines winning over matching bills."""
    groups: dict[object, list[Cost]] = defaultdict(list)
    for cost in costs:
        if cost.data.kind in (CostKind.BILL, CostKind.EOB_LINE):
            key = service_key(cost.data)
            groups[key if key is not None else ("alone", cost.id)].append(cost)
    counted: list[CountedAmount] = []
    for members in groups.values():
        eob_lines = [c for c in members if c.data.kind is CostKind.EOB_LINE]
        bills = [c for c in members if c.data.kind is CostKind.BILL]
        for figure in Figure:
            eob_states_it = any(figure_of(c.data, figure) is not None for c in eob_lines)
            for cost in eob_lines if eob_states_it else bills:
                cents = figure_of(cost.data, figure)
                if cents is not None:
                    counted.append(CountedAmount(cost, figure, cents))
    return counted


# --- plan-year totals -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Progress:
    """How far towards a limit (the deductible or the out-of-pocket maximum).

    ``fraction`` is capped at 1.0 for progress bars; ``used_cents`` is not capped.
    """

    used_cents: int
    limit_cents: int

    @property
    def fraction(self) -> float:
        if self.limit_cents <= 0:
            return 1.0
        return min(1.0, max(0.0, self.used_cents / self.limit_cents))

    @property
    def met(self) -> bool:
        return self.used_cents >= self.limit_cents

    @property
    def left_cents(self) -> int:
        return max(0, self.limit_cents - self.used_cents)


@dataclass(frozen=True, slots=True)
class PlanYearTotals:
    """Money in one plan year (``start`` to ``end``, both included).

    ``deductible`` and ``out_of_pocket`` are None when the plan does not state the limit (or is
    a supplemental policy, or no plan is known). Both count the patient responsibility of the
    year less ``denied_cents``: the figures on bills and EOBs do not say which part went to the
    deductible, so it is filled first, as in most plans (copays that do not count towards it are
    not told apart).

    Args:
        plan_id: the plan whose limits are measured (None: no plan known, or none given).
        denied_cents: your share of services the plan denied: in ``patient_cents`` (you owe it)
            but not in the progress towards the limits.
    """

    start: dt.date
    end: dt.date
    billed_cents: int = 0
    allowed_cents: int = 0
    plan_paid_cents: int = 0
    patient_cents: int = 0
    deductible: Progress | None = None
    out_of_pocket: Progress | None = None
    hsa_contributions_cents: int = 0
    hsa_payments_cents: int = 0
    supplemental_expected_cents: int = 0
    supplemental_received_cents: int = 0
    plan_id: int | None = None
    denied_cents: int = 0

    @property
    def supplemental_outstanding_cents(self) -> int:
        return max(0, self.supplemental_expected_cents - self.supplemental_received_cents)


YearRange = tuple[dt.date, dt.date]
PlanChoice = tuple[int | None, PlanData | None]  # the plan's id and data; (None, None): none known


def plan_in_force(plans: Mapping[int, PlanData], year: YearRange) -> int | None:
    """The plan a plan year is measured against (by id), or None when no plan is known for it.

    Among the non-supplemental plans whose coverage includes the year's first day or more than
    half of its days: the lowest priority number; a tie goes to the plan covering more of the
    year, then to the one entered first (the lowest id). A plan without coverage dates covers
    every day.
    """
    first, last = year
    length = (last - first).days + 1
    best: tuple[tuple[int, int, int], int] | None = None
    for plan_id, plan in plans.items():
        if plan.plan_type.is_supplemental:
            continue
        start = max(first, plan.coverage_start or first)
        end = min(last, plan.coverage_end or last)
        covered = (end - start).days + 1
        if covered <= 0 or not (start == first or 2 * covered > length):
            continue
        key = (plan.priority, -covered, plan_id)
        if best is None or key < best[0]:
            best = (key, plan_id)
    return best[1] if best is not None else None


def plan_year_totals(
    costs: Sequence[Cost],
    plan: PlanData,
    plan_year_start: dt.date | None,
    today: dt.date,
    *,
    plan_id: int | None = None,
) -> list[PlanYearTotals]:
    """Totals per plan year, newest first, every year measured against ``plan``.

    Args:
        costs: the entries (estimates are skipped; see the module docstring).
        plan: the plan whose deductible and out-of-pocket maximum are measured.
        plan_year_start: the day a plan year begins (only month and day count); None takes
            ``plan.plan_year_start``, then 1 January.
        today: the current plan year is listed even when nothing was spent yet.
        plan_id: when given, bills and EOB lines of *another* plan are left out (entries with
            no plan stay in); HSA entries and supplemental claims always count.
    """
    start_day = plan_year_start or plan.plan_year_start or dt.date(today.year, 1, 1)
    return _totals(costs, start_day, today, lambda _year: (plan_id, plan))


def totals_by_plan_in_force(
    costs: Sequence[Cost],
    plans: Mapping[int, PlanData],
    plan_year_start: dt.date | None,
    today: dt.date,
) -> list[PlanYearTotals]:
    """Totals per plan year, newest first, each year measured against the plan in force in it.

    Args:
        plans: every plan by id (``plan_in_force`` picks each year's; supplemental ones never).
        plan_year_start: the day a plan year begins (only month and day count); None: 1 January.
    """
    start_day = plan_year_start or dt.date(today.year, 1, 1)

    def plan_of(year: YearRange) -> PlanChoice:
        chosen = plan_in_force(plans, year)
        return (chosen, plans[chosen]) if chosen is not None else (None, None)

    return _totals(costs, start_day, today, plan_of)


def _totals(
    costs: Sequence[Cost],
    start_day: dt.date,
    today: dt.date,
    plan_of: Callable[[YearRange], PlanChoice],
) -> list[PlanYearTotals]:
    """Every plan year with an entry that counts in it, and always today's, newest first."""
    current = plan_year_containing(start_day, today)
    by_year: dict[YearRange, list[Cost]] = {current: []}
    for cost in costs:
        day = cost.data.day
        # estimates never open a plan year (a GFE for next year)
        if day is not None and not cost.data.kind.is_estimate:
            by_year.setdefault(plan_year_containing(start_day, day), []).append(cost)
    totals = []
    for year, members in sorted(by_year.items(), reverse=True):
        plan_id, plan = plan_of(year)
        counted = [cost for cost in members if _counts_for(cost.data, plan_id)]
        if counted or year == current:  # claims of another plan alone open no year
            totals.append(_year_totals(year, counted, plan_id, plan))
    return totals


def _counts_for(data: CostData, plan_id: int | None) -> bool:
    if data.kind in (CostKind.BILL, CostKind.EOB_LINE):
        return plan_id is None or data.plan_id is None or data.plan_id == plan_id
    return data.kind.is_hsa or data.kind is CostKind.SUPPLEMENTAL_CLAIM


def _year_totals(
    year: YearRange, costs: Sequence[Cost], plan_id: int | None, plan: PlanData | None
) -> PlanYearTotals:
    sums: dict[str, int] = defaultdict(int)
    denied = denied_services(costs)
    for amount in counted_amounts(costs):
        sums[amount.figure.value] += amount.cents
        if amount.figure is Figure.PATIENT and is_denied(amount.cost.data, denied):
            sums["denied"] += amount.cents
    for cost in costs:
        data = cost.data
        if data.kind is CostKind.HSA_CONTRIBUTION:
            sums["hsa_in"] += data.billed_cents or 0
        elif data.kind is CostKind.HSA_PAYMENT:
            sums["hsa_out"] += data.billed_cents or 0
        elif data.kind is CostKind.SUPPLEMENTAL_CLAIM:
            sums["supp_expected"] += data.expected_cents or 0
            sums["supp_received"] += data.received_cents or 0
    limits = plan if plan is not None and not plan.plan_type.is_supplemental else None
    patient = sums[Figure.PATIENT.value]
    towards_limits = patient - sums["denied"]
    return PlanYearTotals(
        start=year[0],
        end=year[1],
        billed_cents=sums[Figure.BILLED.value],
        allowed_cents=sums[Figure.ALLOWED.value],
        plan_paid_cents=sums[Figure.PLAN_PAID.value],
        patient_cents=patient,
        deductible=_progress(towards_limits, limits.deductible_cents if limits else None),
        out_of_pocket=_progress(towards_limits, limits.out_of_pocket_max_cents if limits else None),
        hsa_contributions_cents=sums["hsa_in"],
        hsa_payments_cents=sums["hsa_out"],
        supplemental_expected_cents=sums["supp_expected"],
        supplemental_received_cents=sums["supp_received"],
        plan_id=plan_id,
        denied_cents=sums["denied"],
    )


def denied_services(costs: Iterable[Cost]) -> set[tuple[int, dt.date]]:
    """The (provider, date of service) of every EOB line marked denied."""
    keys = set()
    for cost in costs:
        key = service_key(cost.data)
        if cost.data.kind is CostKind.EOB_LINE and cost.data.eob_denied and key is not None:
            keys.add(key)
    return keys


def is_denied(data: CostData, denied: set[tuple[int, dt.date]]) -> bool:
    """A denied EOB line, or a bill for a service an EOB line denied (``denied_services``)."""
    if data.kind is CostKind.EOB_LINE and data.eob_denied:
        return True
    return data.kind is CostKind.BILL and service_key(data) in denied


def _progress(patient_cents: int, limit_cents: int | None) -> Progress | None:
    if limit_cents is None:
        return None
    return Progress(max(0, patient_cents), limit_cents)


def spending_by_category(
    costs: Sequence[Cost], year_range: YearRange, *, plan_id: int | None = None
) -> dict[CostCategory, int]:
    """The patient's responsibility per category, for service dates from first to last day.

    Counts like the totals (EOB lines win over matching bills; estimates never count; denied
    services are what you owe, so they count here). ``plan_id``: as in the totals, bills and
    EOB lines of another plan are left out. Only categories with money are listed, in the order
    of ``CostCategory``.
    """
    first, last = year_range
    claims = [
        cost
        for cost in costs
        if cost.data.kind in (CostKind.BILL, CostKind.EOB_LINE) and _counts_for(cost.data, plan_id)
    ]
    sums: dict[CostCategory, int] = defaultdict(int)
    for amount in counted_amounts(claims):
        day = amount.cost.data.day
        if amount.figure is Figure.PATIENT and day is not None and first <= day <= last:
            sums[amount.cost.data.category] += amount.cents
    return {category: sums[category] for category in CostCategory if sums.get(category)}
