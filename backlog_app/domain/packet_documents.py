"""Which order a packet encloses documents in, and the title line each one gets.

Plain Python, like the rest of the packet's rules (``domain/packet.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.documents import DocumentKind

# DOMAIN.md's packet order: the request, the physician's letter, the denial and what the plan
# cited, plan language, then the clinical evidence (imaging before notes), the patient's own
# words, correspondence and proof of submission, and money last.
DOCUMENT_KIND_ORDER: tuple[DocumentKind, ...] = (
    DocumentKind.APPEAL_LETTER,
    DocumentKind.PRIOR_AUTH_REQUEST,
    DocumentKind.MEDICAL_NECESSITY_LETTER,
    DocumentKind.REFERRAL,
    DocumentKind.DENIAL_LETTER,
    DocumentKind.EOB,
    DocumentKind.MEDICARE_SUMMARY_NOTICE,
    DocumentKind.APPROVAL,
    DocumentKind.PLAN_DOCUMENT,
    DocumentKind.INSURANCE_CARD,
    DocumentKind.IMAGING_REPORT,
    DocumentKind.CLINICAL_NOTE,
    DocumentKind.PT_NOTE,
    DocumentKind.OPERATIVE_NOTE,
    DocumentKind.LAB_RESULT,
    DocumentKind.PRESCRIPTION,
    DocumentKind.CORRESPONDENCE,
    DocumentKind.OTHER,
    DocumentKind.GOOD_FAITH_ESTIMATE,
    DocumentKind.BILL,
)
_KIND_RANK = {kind: rank for rank, kind in enumerate(DOCUMENT_KIND_ORDER)}


@dataclass(frozen=True, slots=True)
class DocumentChoice:
    """What ordering needs to know of a document."""

    document_id: int
    kind: DocumentKind
    title: str
    document_date: dt.date | None


def default_document_order(documents: Iterable[DocumentChoice]) -> list[DocumentChoice]:
    """Documents in the packet's default order: by kind (``DOCUMENT_KIND_ORDER``), then oldest
    first (undated last), then by title, then by id so that equal documents keep a fixed order."""
    return sorted(
        documents,
        key=lambda d: (
            _KIND_RANK.get(d.kind, len(_KIND_RANK)),
            d.document_date is None,
            d.document_date or dt.date.min,
            d.title.casefold(),
            d.document_id,
        ),
    )


def document_heading(
    kind: DocumentKind, document_date: dt.date | None, provider: str | None
) -> str:
    """The title line of an attached document: "Imaging report · 14 Mar 2026 · Westgate Imaging"."""
    parts = [kind.label, format_long_date(document_date) or "Undated"]
    if provider and provider.strip():
        parts.append(provider.strip())
    return " · ".join(parts)
