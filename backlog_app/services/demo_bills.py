"""The words of the demo's money papers: a Good Faith Estimate, the statement that goes over it,
and the anesthesia balance bill that the No Surprises Act protects Maria from.

Each function returns a ``Letter`` for ``demo_pdf_layout``. The amounts are the constants below,
which the cost entries (``demo_costs``) use too, so the paper and the records agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from backlog_app.domain.money import format_cents
from backlog_app.domain.records import ProviderData
from backlog_app.services.demo_letters import StoryFacts, long, short
from backlog_app.services.demo_pdf_layout import (
    Boxed,
    Fields,
    Grid,
    Heading,
    Letter,
    Letterhead,
    Para,
)

# Pain psychology, paid by Maria herself: (service, CPT code, visits, price per visit in cents).
GFE_LINES = (
    ("Psychological evaluation for chronic pain", "90791", 1, 25_000),
    ("Pain-focused therapy (CBT), 53 minutes", "90837", 6, 15_000),
)
BILLED_LINES = (
    ("Psychological evaluation for chronic pain", "90791", 1, 34_000),
    ("Pain-focused therapy (CBT), 53 minutes", "90837", 6, 21_000),
)
THERAPY_VISITS = sum(line[2] for line in GFE_LINES)
# The anesthesia for the epidural injection: billed, allowed, paid by the plan, Maria's share.
ANESTHESIA_CENTS = (128_000, 54_000, 43_200, 10_800)
ANESTHESIA_BALANCE_CENTS = ANESTHESIA_CENTS[0] - ANESTHESIA_CENTS[2]
PSYCHOLOGIST = "Dr. Nadia Farouk"
ANESTHESIA = "Capital Anesthesia Associates"


def total(lines: Sequence[tuple[str, str, int, int]]) -> int:
    """The sum of (service, code, visits, price) lines, in cents."""
    return sum(count * price for _, _, count, price in lines)


def good_faith_estimate(facts: StoryFacts, given: dt.date, first_visit: dt.date) -> Letter:
    """Dr. Farouk's estimate for an evaluation and six therapy visits, paid by Maria herself."""
    psychologist = facts.providers[PSYCHOLOGIST]
    rows = tuple(
        (name, code, str(count), format_cents(count * price))
        for name, code, count, price in GFE_LINES
    )
    return Letter(
        _letterhead(psychologist, "Pain psychology · Behavioral health", "#3d6b6b"),
        title="Good Faith Estimate",
        author=psychologist.name,
        footer=facts.footer,
        blocks=(
            Heading("GOOD FAITH ESTIMATE FOR HEALTH CARE ITEMS AND SERVICES"),
            Fields(
                (
                    ("Patient", facts.patient),
                    ("Date of birth", short(facts.date_of_birth)),
                    ("Estimate given", long(given)),
                    ("Care starts", long(first_visit)),
                    ("Provider", f"{psychologist.name}, {psychologist.specialty}"),
                    ("Payment", "Self-pay: the practice is outside your plan's network"),
                    ("Diagnosis", "M54.16 Radiculopathy, lumbar\nF54 Psychological factors"),
                )
            ),
            Para(
                "This estimate lists the care we expect to give you and what it will cost if you "
                "pay for it yourself. It is valid for 12 months from the date above."
            ),
            Grid(
                ("Service", "Code", "Visits", "Estimated cost"),
                rows,
                (0.55, 0.13, 0.12, 0.2),
                text_columns=2,
                total=("Total estimated cost", "", "", format_cents(total(GFE_LINES))),
            ),
            Heading("Your rights"),
            Para(
                "You have the right to receive a Good Faith Estimate for the total expected cost "
                "of any health care items or services you pay for yourself. If you receive a bill "
                "that is at least $400 more than this Good Faith Estimate, you can dispute the "
                "bill. You must start the dispute process within 120 days (about 4 months) of "
                "the date on the original bill.",
                bold=True,
            ),
            Para(
                "Keep a copy or a picture of this Good Faith Estimate. For questions or more "
                "information about your right to a Good Faith Estimate, visit "
                "www.cms.gov/nosurprises or call 1-800-985-3059."
            ),
        ),
    )


def therapy_statement(facts: StoryFacts, visits: Sequence[dt.date], day: dt.date) -> Letter:
    """The practice's statement for the same care, at higher prices than the estimate."""
    psychologist = facts.providers[PSYCHOLOGIST]
    (evaluation, therapy) = BILLED_LINES
    dated = [(visits[0], evaluation)] + [(visit, therapy) for visit in visits[1:]]
    rows = tuple(
        (short(visit), name, code, format_cents(price)) for visit, (name, code, _, price) in dated
    )
    due = day + dt.timedelta(days=30)
    return Letter(
        _letterhead(psychologist, "Pain psychology · Behavioral health", "#3d6b6b"),
        title="Statement",
        author=psychologist.name,
        footer=facts.footer,
        blocks=(
            Heading("PATIENT STATEMENT"),
            Fields(
                (
                    ("Statement date", long(day)),
                    ("Account", "MBB-20417"),
                    ("Patient", facts.patient),
                    ("Provider", psychologist.name),
                    ("Payment", "Self-pay"),
                    ("Please pay by", long(due)),
                )
            ),
            Grid(
                ("Date", "Service", "Code", "Charge"),
                rows,
                (0.16, 0.54, 0.12, 0.18),
                text_columns=3,
                total=("", "Amount due", "", format_cents(total(BILLED_LINES))),
            ),
            Para(f"Amount due: {format_cents(total(BILLED_LINES))}", bold=True),
            Para(
                f"Pay by phone at {psychologist.phone} or at the front desk. Ask about a payment "
                "plan if you need one."
            ),
        ),
    )


def anesthesia_bill(
    facts: StoryFacts, service_day: dt.date, eob_day: dt.date, day: dt.date
) -> Letter:
    """Capital Anesthesia's bill for the injection: the plan paid, they bill Maria the rest."""
    group = facts.providers[ANESTHESIA]
    facility = facts.providers["Northside Surgery Center"]
    billed, _, paid, _ = ANESTHESIA_CENTS
    return Letter(
        _letterhead(group, "Anesthesiology · Billing office", "#7a3b1d"),
        title="Anesthesia bill",
        author=group.name,
        footer=facts.footer,
        blocks=(
            Boxed(f"AMOUNT DUE: {format_cents(ANESTHESIA_BALANCE_CENTS)}"),
            Fields(
                (
                    ("Statement date", long(day)),
                    ("Account", f"CAA-{service_day:%y%m%d}-0931"),
                    ("Patient", facts.patient),
                    ("Date of service", long(service_day)),
                    ("Place of service", facility.name),
                    ("Insurance", f"{facts.plan.insurer} {facts.plan.plan_name}"),
                )
            ),
            Grid(
                ("Date", "Service", "Amount"),
                (
                    (
                        short(service_day),
                        "01992 Anesthesia for a spine injection, monitored sedation",
                        format_cents(billed),
                    ),
                    (short(eob_day), f"Payment from {facts.plan.insurer}", format_cents(-paid)),
                ),
                (0.16, 0.64, 0.2),
                text_columns=2,
                total=("", "Balance due from patient", format_cents(ANESTHESIA_BALANCE_CENTS)),
            ),
            Para(
                "Your insurance processed this claim as out of network. The balance is your "
                f"responsibility. Please pay by {long(day + dt.timedelta(days=30))}."
            ),
            Para(f"Questions about this bill? Call our billing office at {group.phone}."),
        ),
    )


def _letterhead(provider: ProviderData, tagline: str, colour: str) -> Letterhead:
    address = tuple((provider.address or "").split("\n")) if provider.address else ()
    phones = f"Phone {provider.phone}" + (f" · Fax {provider.fax}" if provider.fax else "")
    return Letterhead(
        provider.organization or provider.name, tagline, (*address, phones), colour, provider.npi
    )
