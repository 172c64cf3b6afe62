"""Documents as rows: converting rows to plain data, metadata rules, list filters, file names.

The building blocks ``DocumentService`` (``documents``), the importer and the vault check share;
everything here works inside a caller's session and commits nothing, except ``cost_targets``,
one read of its own for the link picker.
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, and_, delete, func, or_, select
from sqlalchemy.orm import Session

from backlog_app.domain.cases import CaseData, EventType, Procedure
from backlog_app.domain.costs import CostKind
from backlog_app.domain.dates import format_long_date
from backlog_app.domain.documents import (
    DocumentData,
    DocumentInfo,
    DocumentKind,
    DocumentLinkRef,
    FileType,
    LinkTarget,
    StoredFile,
    TextStatus,
    document_problems,
    normalize_tags,
)
from backlog_app.domain.log_records import TreatmentKind
from backlog_app.errors import ValidationError
from backlog_app.services.database import Database
from backlog_app.storage import search_index
from backlog_app.storage.models import (
    CaseEvent,
    CostEntry,
    CoverageCase,
    Document,
    DocumentLink,
    DocumentTag,
    DocumentText,
    Medication,
    Provider,
    TherapyCourse,
    Treatment,
)

if TYPE_CHECKING:
    from backlog_app.services.documents import DocumentFilter

LINK_COLUMNS = {
    LinkTarget.TREATMENT: "treatment_id",
    LinkTarget.COURSE: "course_id",
    LinkTarget.MEDICATION: "medication_id",
    LinkTarget.CASE: "case_id",
    LinkTarget.CASE_EVENT: "case_event_id",
    LinkTarget.COST: "cost_id",
}

TARGET_MODELS: dict[LinkTarget, Any] = {
    LinkTarget.TREATMENT: Treatment,
    LinkTarget.COURSE: TherapyCourse,
    LinkTarget.MEDICATION: Medication,
    LinkTarget.CASE: CoverageCase,
    LinkTarget.CASE_EVENT: CaseEvent,
    LinkTarget.COST: CostEntry,
}


def to_info(
    row: Document, tags: Iterable[str], links: Iterable[DocumentLinkRef] = ()
) -> DocumentInfo:
    return DocumentInfo(
        id=row.id,
        data=DocumentData(
            kind=DocumentKind(row.kind),
            title=row.title,
            document_date=row.document_date,
            provider_id=row.provider_id,
            notes=row.notes,
            tags=tuple(tags),
        ),
        file=StoredFile(
            sha256=row.sha256,
            file_type=FileType(row.file_type),
            original_name=row.original_name,
            size_bytes=row.size_bytes,
            page_count=row.page_count,
            needs_password=row.needs_password,
            repaired=row.repaired,
        ),
        text_status=TextStatus(row.text_status),
        imported_at=row.created_at,
        updated_at=row.updated_at,
        trashed_at=row.trashed_at,
        links=tuple(links),
    )


def apply_metadata(session: Session, row: Document, data: DocumentData) -> None:
    """Copy the editable fields of ``data`` onto ``row`` and replace its tags."""
    row.kind = data.kind.value
    row.title = data.title.strip()
    row.document_date = data.document_date
    row.provider_id = data.provider_id
    row.notes = (data.notes or "").strip() or None
    if row.id is not None:
        session.execute(delete(DocumentTag).where(DocumentTag.document_id == row.id))
    session.flush()
    for position, tag in enumerate(data.tags):
        session.add(DocumentTag(document_id=row.id, tag=tag, position=position))


def reindex(session: Session, row: Document) -> None:
    """Rewrite the document's words in the full-text index (inside the caller's transaction)."""
    session.flush()
    tags = session.scalars(
        select(DocumentTag.tag)
        .where(DocumentTag.document_id == row.id)
        .order_by(DocumentTag.position)
    ).all()
    text_row = session.get(DocumentText, row.id)
    search_index.index_document(
        session,
        row.id,
        title=row.title,
        notes=row.notes or "",
        tags=" ".join(tags),
        body=text_row.body if text_row is not None else "",
    )


def safe_file_name(title: str, file_type: FileType) -> str:
    """A file name for a saved copy: the title with characters no file system allows removed."""
    cleaned = "".join(ch for ch in title if ch.isprintable() and ch not in '<>:"/\\|?*').strip(". ")
    cleaned = cleaned[:120].strip(". ") or "document"
    if cleaned.split(".")[0].upper() in _WINDOWS_RESERVED:
        cleaned = f"document {cleaned}"
    return cleaned + file_type.extension


_WINDOWS_RESERVED = {
    "CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))
}  # fmt: skip


def free_name(path: Path) -> Path:
    """``path`` if nothing is there yet, else "name (2).ext", "name (3).ext"…"""
    candidate, number = path, 2
    while candidate.exists() or candidate.is_symlink():
        candidate = path.with_name(f"{path.stem} ({number}){path.suffix}")
        number += 1
    return candidate


def clean_document_data(data: DocumentData) -> DocumentData:
    return DocumentData(
        kind=data.kind,
        title=data.title.strip(),
        document_date=data.document_date,
        provider_id=data.provider_id,
        notes=(data.notes or "").strip() or None,
        tags=normalize_tags(data.tags),
    )


def validate_document_data(data: DocumentData, today: dt.date) -> None:
    problems = document_problems(data, today)
    if problems:
        raise ValidationError(problems)


def tag_spellings(session: Session, tag: str | None) -> builtins.list[str]:
    """Every stored spelling of ``tag``, ignoring case ("Ärztin" finds "ärztin"; SQLite's
    ``lower()`` only folds ASCII)."""
    if not tag:
        return []
    wanted = tag.strip().casefold()
    return [t for t in set(session.scalars(select(DocumentTag.tag))) if t.casefold() == wanted]


def filtered(
    query: Select[Any], filter: DocumentFilter, tag_spellings: builtins.list[str]
) -> Select[Any]:
    conditions: list[Any] = [
        Document.trashed_at.is_not(None) if filter.in_trash else Document.trashed_at.is_(None)
    ]
    if filter.kinds:
        conditions.append(Document.kind.in_([kind.value for kind in filter.kinds]))
    if filter.provider_id is not None:
        conditions.append(Document.provider_id == filter.provider_id)
    if filter.date_from is not None:
        conditions.append(Document.document_date >= filter.date_from)
    if filter.date_to is not None:
        conditions.append(Document.document_date <= filter.date_to)
    if filter.tag:
        conditions.append(
            Document.id.in_(
                select(DocumentTag.document_id).where(DocumentTag.tag.in_(tag_spellings))
            )
        )
    if filter.link is not None:
        target, target_id = filter.link
        linked = getattr(DocumentLink, LINK_COLUMNS[target]) == target_id
        if target is LinkTarget.CASE:
            # A case's documents include those linked to one of its events.
            linked = or_(
                linked,
                DocumentLink.case_event_id.in_(
                    select(CaseEvent.id).where(CaseEvent.case_id == target_id)
                ),
            )
        conditions.append(Document.id.in_(select(DocumentLink.document_id).where(linked)))
    return query.where(and_(*conditions))


def link_ref(session: Session, link: DocumentLink) -> DocumentLinkRef:
    if link.treatment_id is not None:
        treatment = session.get(Treatment, link.treatment_id)
        label = (
            f"{treatment.day:%Y-%m-%d} · {TreatmentKind(treatment.kind).label}"
            if treatment is not None
            else "treatment"
        )
        return DocumentLinkRef(LinkTarget.TREATMENT, link.treatment_id, label)
    if link.course_id is not None:
        course = session.get(TherapyCourse, link.course_id)
        label = (
            f"{course.start_date:%Y-%m-%d} · {TreatmentKind(course.kind).label} course"
            if course is not None
            else "therapy course"
        )
        return DocumentLinkRef(LinkTarget.COURSE, link.course_id, label)
    if link.case_id is not None:
        case = session.get(CoverageCase, link.case_id)
        label = f"Case: {case_title(case)}" if case is not None else "coverage case"
        return DocumentLinkRef(LinkTarget.CASE, link.case_id, label)
    if link.case_event_id is not None:
        event = session.get(CaseEvent, link.case_event_id)
        if event is None:
            return DocumentLinkRef(LinkTarget.CASE_EVENT, link.case_event_id, "case event")
        case = session.get(CoverageCase, event.case_id)
        label = f"{event.day:%Y-%m-%d} · {EventType(event.event_type).label}" + (
            f" — {case_title(case)}" if case is not None else ""
        )
        return DocumentLinkRef(LinkTarget.CASE_EVENT, link.case_event_id, label)
    if link.cost_id is not None:
        cost = session.get(CostEntry, link.cost_id)
        if cost is None:
            return DocumentLinkRef(LinkTarget.COST, link.cost_id, "cost entry")
        provider = session.get(Provider, cost.provider_id) if cost.provider_id else None
        label = cost_label(
            cost.service_date or cost.bill_date,
            CostKind(cost.kind),
            provider.name if provider is not None else None,
            cost.description,
        )
        return DocumentLinkRef(LinkTarget.COST, link.cost_id, label)
    assert link.medication_id is not None
    medication = session.get(Medication, link.medication_id)
    label = f"Medication: {medication.name}" if medication is not None else "medication"
    return DocumentLinkRef(LinkTarget.MEDICATION, link.medication_id, label)


def cost_label(
    day: dt.date | None, kind: CostKind, provider: str | None, description: str | None
) -> str:
    """What a document's links and the link picker call a cost entry:
    "14 Sep 2026 · Bill · Riverside Surgical Center · Facility fee" (empty parts left out)."""
    parts = [format_long_date(day) if day else "", kind.label, provider or "", description or ""]
    return " · ".join(part for part in parts if part)


@dataclass(frozen=True, slots=True)
class CostTarget:
    """A cost entry a document can be linked to: its id, date and ``cost_label``."""

    id: int
    day: dt.date | None
    label: str


def cost_targets(database: Database) -> builtins.list[CostTarget]:
    """Every cost entry as a link target, newest first (by date of service, else bill date;
    undated last), as ``CostService.costs`` orders them.

    One narrow query of its own (id, kind, dates, provider name, description): the link picker
    lists thousands of entries and needs none of their amounts, flags or other names.
    """
    day = func.coalesce(CostEntry.service_date, CostEntry.bill_date)
    query = (
        select(
            CostEntry.id,
            CostEntry.kind,
            CostEntry.service_date,
            CostEntry.bill_date,
            Provider.name,
            CostEntry.description,
        )
        .outerjoin(Provider, Provider.id == CostEntry.provider_id)
        .order_by(day.is_(None), day.desc(), CostEntry.id.desc())
    )
    with database.read() as session:
        rows = session.execute(query).all()
    return [
        CostTarget(
            cost_id,
            service_date or bill_date,
            cost_label(service_date or bill_date, CostKind(kind), provider, description),
        )
        for cost_id, kind, service_date, bill_date, provider, description in rows
    ]


def case_title(case: CoverageCase) -> str:
    """What lists call a case ("Microdiscectomy — L4-L5 left")."""
    return CaseData(
        procedure=Procedure(case.procedure), procedure_detail=case.procedure_detail
    ).title
