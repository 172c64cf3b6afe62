"""The demo's costs: what Maria's fourteen months of care were billed, what the plan paid, and
what she owes, over the previous and the current plan year.

EOB lines for the visits, therapy, the injections and blood work; the pharmacy's receipts; the
MRI's bill and EOB (the letter in the vault); the anesthesia group's balance bill for the epidural
injection, which the No Surprises Act protects her from; a $650 bill for an MRI the EOB denied;
a self-pay Good Faith Estimate and a bill $450 over it, still open to dispute; the insurer's
estimates for the surgery ahead; HSA money in and out; and two hospital-indemnity claims, one
partly paid. The papers among them are PDFs in the vault (``demo_cost_papers``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from backlog_app.domain.costs import CostCategory, CostData, CostKind, CostStatus
from backlog_app.domain.dates import plan_year_containing
from backlog_app.services import demo_bills, demo_letters
from backlog_app.services.demo_case_story import days_after
from backlog_app.services.demo_network import ANESTHESIA, LAB, WESTGATE, NetworkStory

Cat = CostCategory
Claim = tuple[int, int, int]  # billed, allowed, the patient's share (the plan paid the rest)

WHITFIELD = "Dr. Karen Whitfield"
OKAFOR = "Dr. Samuel Okafor"
RAMAN = "Dr. Priya Raman"
NORTHSIDE = "Northside Surgery Center"
# Claims per visit or procedure, in cents: copays for visits, 20% coinsurance for procedures.
PRIMARY_VISIT: Claim = (21_000, 13_500, 3_000)
SPINE_VISIT: Claim = (32_000, 19_500, 5_000)
PAIN_VISIT: Claim = (29_000, 18_000, 5_000)
XRAY: Claim = (18_500, 9_200, 9_200)  # all of it to the deductible
THERAPY_VISIT: Claim = (18_500, 11_000, 4_000)
CHIROPRACTIC_VISIT: Claim = (9_500, 6_200, 3_000)
INJECTION: Claim = (185_000, 72_000, 14_400)
INJECTION_FACILITY: Claim = (420_000, 186_000, 37_200)
BLOCK: Claim = (96_000, 41_000, 8_200)
BLOCK_FACILITY: Claim = (210_000, 98_000, 19_600)
BLOOD_WORK: Claim = (26_000, 8_400, 1_680)
GABAPENTIN_FILL = (12_600, 5_400, 2_400, 3_000)  # billed, allowed, plan paid, copay: 90 days
FILL_DAYS = 90
DENIED_MRI_CENTS = 65_000
# Hospital Indemnity Plus pays this for each outpatient procedure at a surgery center.
OUTPATIENT_BENEFIT_CENTS = 20_000
# The insurer's estimates for the surgery: (provider, estimated total, your share, category).
SURGERY_ESTIMATES = (
    (OKAFOR, 540_000, 46_000, Cat.SURGERY),
    (NORTHSIDE, 1_450_000, 35_000, Cat.FACILITY),
)
HSA_CONTRIBUTIONS = (120_000, 180_000)  # the previous plan year, the current one


class Ledger:
    """Adds the entries through ``CostService`` and remembers the ones papers link to."""

    def __init__(self, network: NetworkStory) -> None:
        self.network = network
        self.story = network.story
        self.days = network.days
        self.linked: dict[str, int] = {}
        self.therapy_visits: list[dt.date] = []

    def add(self, kind: CostKind, provider: str | None, day: dt.date, **fields: Any) -> int:
        fields.setdefault("plan_id", self.story.plan_id)
        provider_id = self.story.provider(provider) if provider is not None else None
        data = CostData(kind, provider_id=provider_id, service_date=day, **fields)
        return self.story.profile.costs.add(data)

    def eob(
        self, provider: str, day: dt.date, claim: Claim, category: Cat, what: str, **fields: Any
    ) -> int:
        """An EOB line the plan paid: the allowed amount less the patient's share."""
        billed, allowed, patient = claim
        fields.setdefault("bill_date", min(days_after(day, 18), self.days.today))
        fields.setdefault("status", CostStatus.PAID)
        return self.add(
            CostKind.EOB_LINE,
            provider,
            day,
            billed_cents=billed,
            allowed_cents=allowed,
            plan_paid_cents=allowed - patient,
            patient_cents=patient,
            category=category,
            description=what,
            **fields,
        )

    def visits(self) -> None:
        days, visit = self.days, Cat.OFFICE_VISIT
        for day in days.primary_visits:
            self.eob(WHITFIELD, day, PRIMARY_VISIT, visit, "Office visit, family medicine")
        for day in days.spine_visits:
            self.eob(OKAFOR, day, SPINE_VISIT, visit, "Office visit, spine surgeon")
        for day in days.pain_visits:
            self.eob(RAMAN, day, PAIN_VISIT, visit, "Office visit, pain medicine")
        xray = self.story.facts.xray
        self.eob(WHITFIELD, xray, XRAY, Cat.IMAGING, "X-ray of the lower back, 3 views")
        for month in _by_month(days.therapy):
            what = f"Physical therapy: {_visits(len(month))} in {month[0]:%B %Y}"
            claim = _times(THERAPY_VISIT, len(month))
            self.eob("Jenna Brooks, DPT", month[0], claim, Cat.PHYSICAL_THERAPY, what)
        for month in _by_month(days.chiropractic):
            what = f"Chiropractic: {_visits(len(month))} in {month[0]:%B %Y}"
            claim = _times(CHIROPRACTIC_VISIT, len(month))
            self.eob("Dr. Alan Reyes, DC", month[0], claim, Cat.OTHER, what)

    def pharmacy(self) -> None:
        billed, allowed, paid, copay = GABAPENTIN_FILL
        fill = self.story.facts.gabapentin_start
        while fill <= self.days.today:
            self.add(
                CostKind.BILL,
                "Riverside Pharmacy",
                fill,
                bill_date=fill,
                billed_cents=billed,
                allowed_cents=allowed,
                plan_paid_cents=paid,
                patient_cents=copay,
                status=CostStatus.PAID,
                category=Cat.MEDICATION,
                description="Gabapentin 300 mg, 90 days",
            )
            fill = days_after(fill, FILL_DAYS)

    def mri(self) -> None:
        """The approved MRI: its two EOB lines (the letter in the vault) and the center's bill."""
        facts = self.story.facts
        left = demo_letters.MRI_DEDUCTIBLE_CENTS  # applied to the lines in order, as on the EOB
        claims = []
        for billed, allowed in (demo_letters.MRI_FACILITY_CENTS, demo_letters.MRI_READING_CENTS):
            deductible = min(left, allowed)
            left -= deductible
            coinsurance = (allowed - deductible) * demo_letters.COINSURANCE_PERCENT // 100
            claims.append((billed, allowed, deductible + coinsurance))
        scan, reading = claims
        on_case = {"case_id": self.network.mri_case, "bill_date": facts.eob}
        self.linked["mri scan"] = self.eob(
            "Columbus Open MRI", facts.mri, scan, Cat.IMAGING, "MRI lumbar spine", **on_case
        )
        self.linked["mri reading"] = self.eob(
            "Dr. Helen Marsh", facts.mri, reading, Cat.IMAGING, "Reading the MRI", **on_case
        )
        self.add(
            CostKind.BILL,
            "Columbus Open MRI",
            facts.mri,
            case_id=self.network.mri_case,
            bill_date=days_after(facts.eob, 4),
            billed_cents=scan[0],
            patient_cents=scan[2],
            status=CostStatus.PAID,
            category=Cat.IMAGING,
            description="MRI lumbar spine",
            notes="Paid from the HSA.",
        )

    def injection(self) -> None:
        """The epidural injection at Northside, and the anesthesia group's balance bill."""
        day = self.story.facts.injection
        on_eob = {"bill_date": days_after(day, 21)}
        self.eob(RAMAN, day, INJECTION, Cat.INJECTION, "Epidural steroid injection", **on_eob)
        what = "Surgery center for the epidural injection"
        self.eob(NORTHSIDE, day, INJECTION_FACILITY, Cat.FACILITY, what, **on_eob)
        billed, allowed, paid, patient = demo_bills.ANESTHESIA_CENTS
        what = "Anesthesia for the epidural injection (paid at the in-network rate)"
        self.eob(ANESTHESIA, day, (billed, allowed, patient), Cat.ANESTHESIA, what, **on_eob)
        self.linked["anesthesia bill"] = self.add(
            CostKind.BILL,
            ANESTHESIA,
            day,
            bill_date=days_after(day, 25),
            billed_cents=billed,
            plan_paid_cents=paid,
            patient_cents=demo_bills.ANESTHESIA_BALANCE_CENTS,
            category=Cat.ANESTHESIA,
            description="Anesthesia for the epidural injection (balance bill)",
            notes="The EOB says my share is only the in-network share.",
        )
        self.indemnity(day, 1, 1, "the epidural injection", CostStatus.PAID)

    def indemnity(
        self, day: dt.date, procedures: int, paid: int, what: str, status: CostStatus
    ) -> None:
        """A claim on Hospital Indemnity Plus for outpatient procedures at Northside."""
        self.add(
            CostKind.SUPPLEMENTAL_CLAIM,
            NORTHSIDE,
            day,
            plan_id=self.network.supplemental_plan,
            expected_cents=OUTPATIENT_BENEFIT_CENTS * procedures,
            received_cents=OUTPATIENT_BENEFIT_CENTS * paid,
            status=status,
            category=Cat.FACILITY,
            description=f"Hospital indemnity benefit: {what}",
            notes=None
            if paid == procedures
            else "Paid for one so far; they asked for the second procedure note.",
        )

    def summer(self) -> None:
        """Blood work at the lab, then pain psychology paid by Maria herself, over its estimate."""
        self.eob(LAB, self.days.primary_visits[-1], BLOOD_WORK, Cat.OTHER, "Blood work")
        start = self.days.therapy_start
        visits = [days_after(start, 7 * week) for week in range(demo_bills.THERAPY_VISITS)]
        self.therapy_visits = visits
        what = "Pain psychology with Dr. Farouk (self-pay)"
        self_pay: dict[str, Any] = {"plan_id": None, "category": Cat.OFFICE_VISIT}
        self.linked["estimate"] = self.add(
            CostKind.GOOD_FAITH_ESTIMATE,
            demo_bills.PSYCHOLOGIST,
            start,
            bill_date=days_after(start, -7),
            billed_cents=demo_bills.total(demo_bills.GFE_LINES),
            status=CostStatus.EXPECTED,
            description=f"Pain psychology with Dr. Farouk: evaluation and {len(visits) - 1} visits",
            **self_pay,
        )
        billed = demo_bills.total(demo_bills.BILLED_LINES)
        self.linked["therapy bill"] = self.add(
            CostKind.BILL,
            demo_bills.PSYCHOLOGIST,
            start,
            bill_date=days_after(visits[-1], 9),
            billed_cents=billed,
            patient_cents=billed,
            description=what,
            **self_pay,
        )

    def blocks(self) -> None:
        for day in self.days.blocks:
            self.eob(RAMAN, day, BLOCK, Cat.INJECTION, "Diagnostic medial branch block")
            what = "Surgery center for the medial branch block"
            self.eob(NORTHSIDE, day, BLOCK_FACILITY, Cat.FACILITY, what)
        count = len(self.days.blocks)
        self.indemnity(self.days.blocks[0], count, 1, "the nerve blocks", CostStatus.BILLED)

    def denied_mri(self) -> None:
        """The MRI at Westgate: out of network and never approved; the EOB denied it."""
        day = self.days.preop_mri
        fields: dict[str, Any] = {
            "case_id": self.network.surgery_case,
            "billed_cents": DENIED_MRI_CENTS,
            "patient_cents": DENIED_MRI_CENTS,
            "category": Cat.IMAGING,
        }
        self.add(
            CostKind.EOB_LINE,
            WESTGATE,
            day,
            bill_date=days_after(day, 14),
            plan_paid_cents=0,
            eob_denied=True,
            description="MRI before surgery: denied (out of network, no approval)",
            **fields,
        )
        self.linked["denied bill"] = self.add(
            CostKind.BILL,
            WESTGATE,
            day,
            bill_date=days_after(day, 18),
            description="MRI lumbar spine before surgery",
            **fields,
        )

    def estimates(self) -> None:
        """The insurer's estimates for the surgery ahead (estimates never count in totals)."""
        given = min(days_after(self.days.decision_received, 1), self.days.today)
        for provider, estimated, share, category in SURGERY_ESTIMATES:
            self.add(
                CostKind.INSURER_ESTIMATE,
                provider,
                self.days.surgery,
                case_id=self.network.surgery_case,
                bill_date=given,
                billed_cents=estimated,
                patient_cents=share,
                status=CostStatus.EXPECTED,
                category=category,
                description="Estimate for the microdiscectomy",
            )

    def hsa(self) -> None:
        """Payroll money in at the start of each plan year; bills paid from it."""
        today, facts = self.days.today, self.story.facts
        current, _ = plan_year_containing(facts.plan.plan_year_start or today, today)
        previous, _ = plan_year_containing(current, days_after(current, -1))
        for start, cents in zip((previous, current), HSA_CONTRIBUTIONS, strict=True):
            what = "Payroll contributions for the plan year"
            self.add(
                CostKind.HSA_CONTRIBUTION,
                None,
                start,
                billed_cents=cents,
                description=what,
                plan_id=None,
                status=CostStatus.PAID,
            )
        payments = (
            (days_after(facts.eob, 14), "Columbus Open MRI", 91_600, Cat.IMAGING, "the MRI"),
            (days_after(facts.injection, 45), RAMAN, 51_600, Cat.INJECTION, "the injection"),
            (days_after(self.days.primary_visits[-1], 30), LAB, 1_680, Cat.OTHER, "blood work"),
        )
        for day, provider, cents, category, what in payments:
            if day <= today:
                self.add(
                    CostKind.HSA_PAYMENT,
                    provider,
                    day,
                    billed_cents=cents,
                    plan_id=None,
                    status=CostStatus.PAID,
                    category=category,
                    description=f"Paid {what} from the HSA",
                )


def add_demo_costs(network: NetworkStory) -> None:
    """Add the demo's cost entries and their papers; ``network`` holds the checks already."""
    from backlog_app.services.demo_cost_papers import add_papers

    ledger = Ledger(network)
    ledger.visits()
    ledger.pharmacy()
    ledger.mri()
    ledger.injection()
    ledger.summer()
    ledger.blocks()
    ledger.denied_mri()
    ledger.estimates()
    ledger.hsa()
    add_papers(ledger)


def _by_month(days: list[dt.date]) -> list[list[dt.date]]:
    """Visits grouped by calendar month, as a monthly statement lists them."""
    months: dict[tuple[int, int], list[dt.date]] = {}
    for day in sorted(days):
        months.setdefault((day.year, day.month), []).append(day)
    return list(months.values())


def _times(claim: Claim, count: int) -> Claim:
    billed, allowed, patient = claim
    return billed * count, allowed * count, patient * count


def _visits(count: int) -> str:
    return f"{count} visit{'s' if count != 1 else ''}"
