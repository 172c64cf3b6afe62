"""The demo's money papers as PDFs in the vault, each linked to its cost entry.

The Good Faith Estimate and the bill over it (what a dispute needs), and the anesthesia group's
balance bill are drawn from ``demo_bills``; the MRI's EOB, already in the vault, is linked to its
two EOB lines. Added through the importer like any file, as in ``demo_documents``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from backlog_app.domain.documents import DocumentData, DocumentKind, LinkTarget, TextStatus
from backlog_app.services import demo_bills
from backlog_app.services.demo_case_story import days_after
from backlog_app.services.demo_costs import Ledger
from backlog_app.services.demo_documents import story_facts
from backlog_app.services.demo_pdf_layout import Letter, plain_text, render_pdf
from backlog_app.services.thumbnails import ensure_thumbnail

# How many documents the network and cost story adds to the vault.
DEMO_COST_DOCUMENTS = 3


def add_papers(ledger: Ledger) -> list[int]:
    """Add the PDFs and links; returns the new documents' ids."""
    story = ledger.story
    profile = story.profile
    facts = story_facts(profile)  # with the providers the network story added
    linked = ledger.linked
    estimate = profile.costs.cost(linked["estimate"]).data
    bill = profile.costs.cost(linked["therapy bill"]).data
    anesthesia = profile.costs.cost(linked["anesthesia bill"]).data
    assert estimate.bill_date and bill.bill_date and anesthesia.bill_date
    psychologist = story.provider(demo_bills.PSYCHOLOGIST)
    eob_day = days_after(facts.injection, 21)
    papers: list[tuple[Letter, str, DocumentData, int]] = [
        (
            demo_bills.good_faith_estimate(facts, estimate.bill_date, ledger.days.therapy_start),
            "GFE_Farouk_pain_psychology.pdf",
            DocumentData(
                DocumentKind.GOOD_FAITH_ESTIMATE,
                "Good Faith Estimate: pain psychology",
                estimate.bill_date,
                psychologist,
                tags=("good faith estimate", "self-pay"),
            ),
            linked["estimate"],
        ),
        (
            demo_bills.therapy_statement(facts, ledger.therapy_visits, bill.bill_date),
            f"Statement_MindBody_{bill.bill_date:%Y%m%d}.pdf",
            DocumentData(
                DocumentKind.BILL,
                "Bill: pain psychology (self-pay)",
                bill.bill_date,
                psychologist,
                "$450 over the Good Faith Estimate: dispute it within 120 days of the bill date.",
                ("bill", "self-pay"),
            ),
            linked["therapy bill"],
        ),
        (
            demo_bills.anesthesia_bill(facts, facts.injection, eob_day, anesthesia.bill_date),
            f"CAA_Statement_{anesthesia.bill_date:%Y%m%d}.pdf",
            DocumentData(
                DocumentKind.BILL,
                "Bill: anesthesia for the epidural injection",
                anesthesia.bill_date,
                story.provider(demo_bills.ANESTHESIA),
                "A balance bill: the No Surprises Act limits it to my in-network share.",
                ("bill", "anesthesia", "No Surprises Act"),
            ),
            linked["anesthesia bill"],
        ),
    ]
    added = []
    with tempfile.TemporaryDirectory(prefix="backlog-demo-") as folder:
        for letter, name, data, cost_id in papers:
            path = Path(folder) / name
            path.write_bytes(render_pdf(letter))
            document_id = profile.importer.add(path, data)
            profile.documents.link(document_id, LinkTarget.COST, cost_id)
            profile.documents.set_text(document_id, plain_text(letter), TextStatus.EMBEDDED)
            ensure_thumbnail(profile.documents, document_id)
            added.append(document_id)
    eob = story.documents.get(DocumentKind.EOB)
    if eob is not None:
        for key in ("mri scan", "mri reading"):
            profile.documents.link(eob, LinkTarget.COST, linked[key])
    return added
