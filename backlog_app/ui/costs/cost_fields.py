"""Which fields of a cost entry each kind shows, and what the form calls them (see CostData).

Estimates use ``billed_cents`` as "Estimated total" and ``bill_date`` as "Date of the estimate";
HSA entries use "Amount" and "Date"; supplemental claims the amounts expected and received.
"""

from __future__ import annotations

from enum import StrEnum

from backlog_app.domain.costs import CostKind, CostStatus


class Field(StrEnum):
    """The fields a kind may show (kind, description and notes always show)."""

    PROVIDER = "provider_id"
    CASE = "case_id"
    PLAN = "plan_id"
    CATEGORY = "category"
    SERVICE_DATE = "service_date"
    BILL_DATE = "bill_date"
    BILLED = "billed_cents"
    ALLOWED = "allowed_cents"
    PLAN_PAID = "plan_paid_cents"
    PATIENT = "patient_cents"
    EXPECTED = "expected_cents"
    RECEIVED = "received_cents"
    STATUS = "status"
    ADJUSTMENT = "is_adjustment"
    DENIED = "eob_denied"


_ESTIMATE = frozenset(
    {
        Field.PROVIDER,
        Field.CASE,
        Field.PLAN,
        Field.CATEGORY,
        Field.SERVICE_DATE,
        Field.BILL_DATE,
        Field.BILLED,
    }
)
_CLAIM = frozenset(
    {
        Field.PROVIDER,
        Field.CASE,
        Field.PLAN,
        Field.CATEGORY,
        Field.SERVICE_DATE,
        Field.BILL_DATE,
        Field.BILLED,
        Field.ALLOWED,
        Field.PLAN_PAID,
        Field.PATIENT,
        Field.STATUS,
        Field.ADJUSTMENT,
    }
)

FIELDS: dict[CostKind, frozenset[Field]] = {
    CostKind.GOOD_FAITH_ESTIMATE: _ESTIMATE,
    CostKind.INSURER_ESTIMATE: _ESTIMATE,
    CostKind.BILL: _CLAIM,
    CostKind.EOB_LINE: _CLAIM | {Field.DENIED},
    CostKind.HSA_CONTRIBUTION: frozenset({Field.SERVICE_DATE, Field.BILLED, Field.ADJUSTMENT}),
    CostKind.HSA_PAYMENT: frozenset(
        {Field.PROVIDER, Field.CASE, Field.SERVICE_DATE, Field.BILLED, Field.ADJUSTMENT}
    ),
    CostKind.SUPPLEMENTAL_CLAIM: frozenset(
        {
            Field.PROVIDER,
            Field.CASE,
            Field.PLAN,
            Field.SERVICE_DATE,
            Field.EXPECTED,
            Field.RECEIVED,
            Field.STATUS,
            Field.ADJUSTMENT,
        }
    ),
}

KIND_HINTS = {
    CostKind.GOOD_FAITH_ESTIMATE: (
        "The written price a provider must give you before care you pay for yourself. A bill "
        "$400 or more above it can be disputed."
    ),
    CostKind.INSURER_ESTIMATE: "What your insurer's cost estimator said the care would cost you.",
    CostKind.BILL: "A statement from the provider asking you to pay.",
    CostKind.EOB_LINE: (
        "One service on an Explanation of Benefits (EOB): the insurer's statement of what it "
        "allowed, paid and left for you. An EOB is not a bill."
    ),
    CostKind.HSA_CONTRIBUTION: "Money put into your Health Savings Account (HSA).",
    CostKind.HSA_PAYMENT: "Money paid out of your Health Savings Account (HSA) for care.",
    CostKind.SUPPLEMENTAL_CLAIM: (
        "A claim on a supplemental policy (hospital indemnity, accident, Medigap): the lump sum "
        "or share you expect, and what has arrived."
    ),
}

# What a sentence calls an entry ("Delete the bill “Post-op MRI”?").
KIND_NOUNS = {
    CostKind.GOOD_FAITH_ESTIMATE: "Good Faith Estimate",
    CostKind.INSURER_ESTIMATE: "insurer's estimate",
    CostKind.BILL: "bill",
    CostKind.EOB_LINE: "EOB line",
    CostKind.HSA_CONTRIBUTION: "HSA contribution",
    CostKind.HSA_PAYMENT: "HSA payment",
    CostKind.SUPPLEMENTAL_CLAIM: "supplemental claim",
}

DESCRIPTION_EXAMPLES = {
    CostKind.GOOD_FAITH_ESTIMATE: "e.g. Lumbar fusion, surgeon's fee",
    CostKind.INSURER_ESTIMATE: "e.g. Estimate for the lumbar MRI",
    CostKind.BILL: "e.g. Post-op MRI, lumbar spine",
    CostKind.EOB_LINE: "e.g. Anesthesia for the fusion",
    CostKind.HSA_CONTRIBUTION: "e.g. Payroll contribution, March",
    CostKind.HSA_PAYMENT: "e.g. Paid the MRI bill",
    CostKind.SUPPLEMENTAL_CLAIM: "e.g. Hospital indemnity, 3 nights",
}


def shows(kind: CostKind, field: Field) -> bool:
    return field in FIELDS[kind]


def field_label(kind: CostKind, field: Field) -> str:
    """The form's label (with its mnemonic) for ``field`` on an entry of ``kind``."""
    if field is Field.SERVICE_DATE:
        if kind.is_estimate:
            return "Planned &date of service"
        return "&Date" if kind.is_hsa else "&Date of service"
    if field is Field.BILL_DATE:
        if kind.is_estimate:
            return "Date of the esti&mate"
        return "Date on the &EOB" if kind is CostKind.EOB_LINE else "&Bill date"
    if field is Field.BILLED:
        if kind.is_estimate:
            return "&Estimated total"
        return "A&mount" if kind.is_hsa else "Bi&lled"
    if field is Field.PLAN:
        return "P&olicy" if kind is CostKind.SUPPLEMENTAL_CLAIM else "Pl&an"
    return _LABELS[field]


def amount_name(kind: CostKind, field: Field) -> str:
    """How a problem with the amount names it ("The billed amount")."""
    if field is Field.BILLED:
        if kind.is_estimate:
            return "The estimated total"
        return "The amount" if kind.is_hsa else "The billed amount"
    return _AMOUNT_NAMES[field]


def default_status(kind: CostKind) -> CostStatus:
    """The status a new entry of ``kind`` starts with."""
    if kind.is_estimate or kind is CostKind.SUPPLEMENTAL_CLAIM:
        return CostStatus.EXPECTED
    if kind.is_hsa:
        return CostStatus.PAID
    return CostStatus.BILLED


_LABELS = {
    Field.PROVIDER: "&Provider",
    Field.CASE: "&Case",
    Field.CATEGORY: "Cate&gory",
    Field.ALLOWED: "Allo&wed",
    Field.PLAN_PAID: "Pla&n paid",
    Field.PATIENT: "&You owe",
    Field.EXPECTED: "E&xpected",
    Field.RECEIVED: "&Received",
    Field.STATUS: "&Status",
}
_AMOUNT_NAMES = {
    Field.ALLOWED: "The allowed amount",
    Field.PLAN_PAID: "The amount the plan paid",
    Field.PATIENT: "Your share",
    Field.EXPECTED: "The amount expected",
    Field.RECEIVED: "The amount received",
}

TOOLTIPS = {
    Field.PROVIDER: "Who gave the care or sent the bill.",
    Field.CASE: "The coverage case this belongs to, if any (a surgery, an appeal).",
    Field.PLAN: "The insurance plan or policy that processed it (optional).",
    Field.CATEGORY: "What the money was for: the bars of the spending chart.",
    Field.BILL_DATE: (
        "The date printed on the bill. The 120 days to dispute a bill over its Good Faith "
        "Estimate count from it."
    ),
    Field.ALLOWED: (
        "The allowed amount: the price your plan agreed to for this service, shown on the EOB. "
        "An in-network provider cannot bill you for more."
    ),
    Field.PLAN_PAID: "What your plan paid the provider, from the EOB.",
    Field.PATIENT: (
        "Your share as the bill or the EOB states it: deductible, copay and coinsurance."
    ),
    Field.EXPECTED: "The lump sum or share the policy should pay you.",
    Field.RECEIVED: "What the policy has paid you so far.",
    Field.STATUS: "Where this stands: expected, billed, paid, disputed or appealed.",
    Field.ADJUSTMENT: "Tick for a refund, write-off or correction: only these may be negative.",
    Field.DENIED: "Tick when the EOB says the plan did not cover this service.",
}
