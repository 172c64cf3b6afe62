"""Which vault documents go into a packet, and what the assembler needs to know of each.

The default selection is what a reviewer of this request needs: the documents linked to the case
(or to its events and costs) for a case packet, every document for the whole record; a date
range leaves out documents dated outside it (undated ones stay: a missing date is no reason to
drop evidence). When the packet draws the case's letter draft as its letter section, a saved copy
of this round's letter is not attached a second time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from backlog_app.domain.appeal_letter import latest_denial
from backlog_app.domain.documents import (
    DocumentInfo,
    DocumentKind,
    DocumentLinkRef,
    FileType,
    LinkTarget,
)
from backlog_app.domain.packet_documents import (
    DocumentChoice,
    default_document_order,
    document_heading,
)
from backlog_app.errors import UserError
from backlog_app.services.context import ProfileSession

_LETTER_KINDS = frozenset({DocumentKind.APPEAL_LETTER, DocumentKind.PRIOR_AUTH_REQUEST})


def _choice(info: DocumentInfo) -> DocumentChoice:
    data = info.data
    return DocumentChoice(info.id, data.kind, data.title, data.document_date)


def available_documents(profile: ProfileSession) -> list[DocumentChoice]:
    """Every document not in the trash, in the packet's default order."""
    return default_document_order(_choice(row.info) for row in profile.documents.list())


def default_documents(
    profile: ProfileSession,
    case_id: int | None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    *,
    letter_drawn: bool = True,
) -> list[DocumentChoice]:
    """The documents a packet attaches unless the user chooses otherwise, in default order.

    Args:
        letter_drawn: the packet's letter section draws the case's draft (when it has one).
    """
    if case_id is None:
        infos = [row.info for row in profile.documents.list()]
    else:
        infos = _case_documents(profile, case_id, letter_drawn=letter_drawn)
    chosen = [info for info in infos if _in_range(info.data.document_date, since, until)]
    return default_document_order(_choice(info) for info in chosen)


def _case_documents(
    profile: ProfileSession, case_id: int, *, letter_drawn: bool
) -> list[DocumentInfo]:
    """Documents linked to the case itself or to one of its events or costs, without the
    letter of this round when the packet draws the case's saved draft instead."""
    detail = profile.cases.get(case_id)
    event_ids = {event.id for event in detail.events}
    cost_ids = {cost.id for cost in profile.costs.list() if cost.data.case_id == case_id}
    denial = latest_denial(detail.events)
    linked: list[DocumentInfo] = []
    for row in profile.documents.list():
        info = row.info
        if not any(_belongs(link, case_id, event_ids, cost_ids) for link in info.links):
            continue
        if (
            letter_drawn
            and detail.letter_draft
            and info.data.kind in _LETTER_KINDS
            and (
                denial is None
                or info.data.document_date is None
                or info.data.document_date >= denial.day
            )
        ):
            continue
        linked.append(info)
    return linked


def _belongs(link: DocumentLinkRef, case_id: int, event_ids: set[int], cost_ids: set[int]) -> bool:
    if link.target is LinkTarget.CASE:
        return link.target_id == case_id
    if link.target is LinkTarget.CASE_EVENT:
        return link.target_id in event_ids
    if link.target is LinkTarget.COST:
        return link.target_id in cost_ids
    return False


def _in_range(day: dt.date | None, since: dt.date | None, until: dt.date | None) -> bool:
    if day is None:
        return True
    return (since is None or day >= since) and (until is None or day <= until)


class OriginalBytes(Protocol):
    """Gives a document's original bytes each time they are needed (``StoredOriginal`` reads
    them through the vault, decrypted in an encrypted profile; a ``Path`` will do in tests)."""

    def read_bytes(self) -> bytes: ...


@dataclass(frozen=True, slots=True)
class AttachmentSource:
    """One document to attach, read from the record before the files are touched.

    ``problem`` is set when the file cannot even be found; the packet then holds a page saying so.
    """

    document_id: int
    title: str
    heading: str  # "Imaging report · 14 Mar 2026 · Westgate Imaging"
    file_type: FileType
    original: OriginalBytes | None
    password: str | None
    problem: str | None = None


def attachment_sources(
    profile: ProfileSession, document_ids: Iterable[int]
) -> list[AttachmentSource]:
    """What the assembler needs of each chosen document, in the order given. Documents deleted
    or put in the trash meanwhile are left out; a missing file is kept with its problem."""
    providers = {provider.id: provider.data.name for provider in profile.providers.list()}
    sources: list[AttachmentSource] = []
    for document_id in dict.fromkeys(document_ids):
        try:
            info = profile.documents.get(document_id)
        except UserError:
            continue
        if info.in_trash:
            continue
        data = info.data
        provider = providers.get(data.provider_id) if data.provider_id is not None else None
        heading = f"{document_heading(data.kind, data.document_date, provider)} — {data.title}"
        original: OriginalBytes | None
        problem = None
        try:
            original = profile.documents.original_of(info)
        except UserError:
            original, problem = None, "its file is missing from BackLog's document folder"
        sources.append(
            AttachmentSource(
                document_id=document_id,
                title=data.title,
                heading=heading,
                file_type=info.file.file_type,
                original=original,
                password=profile.documents.saved_password(document_id),
                problem=problem,
            )
        )
    return sources


def chosen_document_ids(
    profile: ProfileSession,
    case_id: int | None,
    since: dt.date | None,
    until: dt.date | None,
    document_ids: Sequence[int] | None,
    *,
    letter_drawn: bool = True,
) -> list[int]:
    """The documents of a request: the given ones, else the default selection."""
    if document_ids is not None:
        return list(document_ids)
    chosen = default_documents(profile, case_id, since, until, letter_drawn=letter_drawn)
    return [choice.document_id for choice in chosen]
