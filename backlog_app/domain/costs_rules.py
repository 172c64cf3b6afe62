"""Bad input on cost entries: one plain sentence per broken rule, nothing half-saved."""

from __future__ import annotations

import datetime as dt

from backlog_app.domain.costs import CostData, CostKind
from backlog_app.domain.dates import format_long_date
from backlog_app.domain.money import format_cents

MAX_DESCRIPTION = 200
MAX_NOTES = 20_000
# No back-care bill is this large: an amount over it is a typo (an extra zero, cents as dollars).
MAX_AMOUNT_CENTS = 10_000_000_00
# An estimate is for care to come, booked up to a year ahead.
ESTIMATE_DAYS_AHEAD = 366
_EARLIEST_YEAR = 1990

_AMOUNT_LABELS = (
    ("billed_cents", "The billed amount"),
    ("allowed_cents", "The allowed amount"),
    ("plan_paid_cents", "The amount the plan paid"),
    ("patient_cents", "Your share"),
    ("expected_cents", "The amount expected"),
    ("received_cents", "The amount received"),
)


def cost_problems(data: CostData, today: dt.date) -> list[str]:
    """Why ``data`` cannot be saved; empty when it can.

    Only an adjustment (a credit) may carry negative amounts; the checks that compare amounts
    (allowed ≤ billed, plan paid + your share ≤ allowed) skip adjustments.
    """
    problems: list[str] = []
    for field, label in _AMOUNT_LABELS:
        cents: int | None = getattr(data, field)
        if cents is None:
            continue
        if cents < 0 and not data.is_adjustment:
            problems.append(
                f"{label} is negative; only an entry marked as an adjustment (a credit) may be."
            )
        if abs(cents) > MAX_AMOUNT_CENTS:
            problems.append(
                f"{label} ({format_cents(cents)}) is over {format_cents(MAX_AMOUNT_CENTS)}; "
                "please check for a typo."
            )
    if not data.is_adjustment:
        problems += _relations(data)
    problems += _required(data)
    problems += _dates(data, today)
    if data.is_adjustment and data.kind.is_estimate:
        problems.append("An estimate cannot be an adjustment; please untick “adjustment”.")
    if data.eob_denied and data.kind is not CostKind.EOB_LINE:
        problems.append("Only an EOB line can be marked as denied by the plan.")
    problems += _length("The description", data.description, MAX_DESCRIPTION)
    problems += _length("Notes", data.notes, MAX_NOTES)
    return problems


def _relations(data: CostData) -> list[str]:
    problems = []
    billed, allowed = data.billed_cents, data.allowed_cents
    if billed is not None and allowed is not None and allowed > billed:
        problems.append("The allowed amount is more than the billed amount; please check both.")
    paid, patient = data.plan_paid_cents, data.patient_cents
    if (
        allowed is not None
        and paid is not None
        and patient is not None
        and paid + patient > allowed
    ):
        problems.append(
            "The plan's payment and your share add up to more than the allowed amount; "
            "please check all three."
        )
    return problems


def _required(data: CostData) -> list[str]:
    kind = data.kind
    problems = []
    if kind.is_estimate:
        if data.billed_cents is None:
            problems.append("An estimate needs its estimated total.")
        return problems
    if data.service_date is None:
        problems.append(
            "Please enter the date of the contribution or payment."
            if kind.is_hsa
            else "Please enter the date of service."
        )
    if kind is CostKind.BILL:
        if data.bill_date is None:
            problems.append("A bill needs its bill date (the date printed on the bill).")
        if data.billed_cents is None:
            problems.append("A bill needs the amount billed.")
    elif kind.is_hsa and data.billed_cents is None:
        problems.append("Please enter the amount.")
    elif (
        kind is CostKind.SUPPLEMENTAL_CLAIM
        and data.expected_cents is None
        and data.received_cents is None
    ):
        problems.append("A supplemental claim needs the amount expected or received.")
    return problems


def _dates(data: CostData, today: dt.date) -> list[str]:
    problems = []
    if data.service_date is not None:
        ahead = ESTIMATE_DAYS_AHEAD if data.kind.is_estimate else 0
        label = "The date" if data.kind.is_hsa else "The date of service"
        problems += _plausible(label, data.service_date, today, ahead)
    if data.bill_date is not None:
        label = "The date of the estimate" if data.kind.is_estimate else "The bill date"
        problems += _plausible(label, data.bill_date, today, 0)
        if (
            data.kind in (CostKind.BILL, CostKind.EOB_LINE)
            and data.service_date is not None
            and data.bill_date < data.service_date
        ):
            problems.append("The bill date is before the date of service; please check both.")
    return problems


def _plausible(label: str, day: dt.date, today: dt.date, days_ahead: int) -> list[str]:
    if day > today + dt.timedelta(days=days_ahead):
        if days_ahead == 0:
            return [f"{label} ({format_long_date(day)}) is in the future; please check the date."]
        return [
            f"{label} ({format_long_date(day)}) is more than a year ahead; please check the year."
        ]
    if day.year < _EARLIEST_YEAR:
        return [f"{label} ({day.isoformat()}) is before {_EARLIEST_YEAR}; please check the year."]
    return []


def _length(label: str, text: str | None, limit: int) -> list[str]:
    if text is not None and len(text) > limit:
        return [f"{label} is longer than {limit:,} characters; please shorten it."]
    return []
