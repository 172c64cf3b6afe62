"""Putting a packet together: draw our pages, read the documents, number everything, then write one
PDF with the identity line and "Page X of Y" on every page, bookmarks and metadata.

Two steps, so the export dialog can show the contents before anything is written:

- ``prepare_packet`` reads the record (the only step that touches the database), draws our own
  pages, checks every document and draws scans onto packet pages in a temporary folder, and
  numbers the pages. Its ``PreparedPacket`` knows the contents and the total page count.
- ``write_packet`` (``writer.py``) merges it all with pikepdf (qpdf), stamps every page and
  saves the file atomically.

The same record, request and ``created`` date give the same bytes: our pages use ReportLab's
invariant mode, the merge adds pages in a fixed order and the file ID is derived from the content.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
import logging
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from backlog_app.domain.documents import FileType
from backlog_app.domain.packet import (
    PacketPart,
    PacketSection,
    document_key,
    number_parts,
    total_pages,
)
from backlog_app.errors import UserError
from backlog_app.services.context import ProfileSession
from backlog_app.services.documents import safe_file_name
from backlog_app.services.packet.attachments import (
    PreparedAttachment,
    draw_replacement_pages,
    prepare_attachment,
)
from backlog_app.services.packet.content import FrontFacts, front_facts
from backlog_app.services.packet.documents import attachment_sources, chosen_document_ids
from backlog_app.services.packet.front_pages import (
    draw_contents,
    draw_cover,
    draw_letter,
    draw_reference,
)
from backlog_app.services.packet.prepared import (
    PacketResult,
    PreparedPacket,
    PreparedPart,
    ReplacedDocument,
)
from backlog_app.services.packet.request import PacketRequest
from backlog_app.services.packet.sections import draw_body_sections
from backlog_app.services.packet.writer import write_packet
from backlog_app.services.progress import Progress

__all__ = [
    "PacketResult",
    "PreparedPacket",
    "ReplacedDocument",
    "export_packet",
    "prepare_packet",
    "suggested_file_name",
    "write_packet",
]

log = logging.getLogger("backlog.packet")

NO_LETTER = "This case has no saved letter yet; write it on the case's Letter tab."
NO_DOCUMENTS = "No documents were chosen."
# Documents read at once: more cores help little once the disk and memory are busy, and each
# scan being worked on holds its decoded picture in memory.
_SCAN_WORKERS = max(1, min(3, os.cpu_count() or 1))


# --- Preparing --------------------------------------------------------------------------------


def prepare_packet(
    profile: ProfileSession, request: PacketRequest, progress: Progress | None = None
) -> PreparedPacket:
    """Read the record and lay the packet out (see the module docstring).

    Raises:
        ValidationError: the dates cannot be used. UserError: the case no longer exists.
        Cancelled: the user pressed Cancel.
    """
    progress = progress or Progress()
    request.check(profile.clock())
    progress.report(0, 1, "Reading the record")
    facts = front_facts(profile, request)
    size = request.page_size
    body = draw_body_sections(profile, request, progress)
    omitted = list(body.omitted)

    front: list[PreparedPart] = []
    if request.case_id is not None and request.includes(PacketSection.LETTER):
        if facts.letter_text:
            front.append(_drawn(PacketSection.LETTER, draw_letter(facts.letter_text, size)))
        else:
            omitted.append((PacketSection.LETTER, NO_LETTER))
    front.append(_drawn(PacketSection.REFERENCE, draw_reference(facts, size)))
    middle = [
        PreparedPart(drawn.section.value, drawn.section.heading, 0, drawn.page_count, drawn.pdf)
        for drawn in body.drawn
    ]

    scratch = tempfile.TemporaryDirectory(prefix="backlog-packet-")
    try:
        attachments = _prepare_documents(profile, request, Path(scratch.name), progress)
        if request.includes(PacketSection.DOCUMENTS) and not attachments:
            omitted.append((PacketSection.DOCUMENTS, NO_DOCUMENTS))
        parts = _lay_out(facts, front, middle, attachments, omitted, request, progress)
    except BaseException:
        scratch.cleanup()
        raise
    entries = number_parts([PacketPart(p.key, p.title, p.page_count, p.level) for p in parts])
    replaced = tuple(
        ReplacedDocument(a.source.document_id, a.source.title, a.replaced_reason)
        for a in attachments
        if a.replaced_reason is not None
    )
    return PreparedPacket(
        request=request,
        title=facts.title,
        entries=entries,
        total_pages=total_pages(entries),
        omitted=tuple(omitted),
        replaced=replaced,
        identity=facts.identity,
        subject=facts.subject,
        # Without a fixed date: now, on the profile's day (the cover is dated by that clock).
        created=request.created
        or dt.datetime.combine(profile.clock(), dt.datetime.now().time().replace(microsecond=0)),
        parts=tuple(parts),
        scratch=scratch,
    )


def _drawn(section: PacketSection, pdf: bytes) -> PreparedPart:
    return PreparedPart(section.value, section.heading, 0, count_pages(pdf), pdf)


def count_pages(pdf: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def _prepare_documents(
    profile: ProfileSession, request: PacketRequest, scratch: Path, progress: Progress
) -> list[PreparedAttachment]:
    if not request.with_documents:
        return []
    ids = chosen_document_ids(
        profile,
        request.case_id,
        request.since,
        request.until,
        request.document_ids,
        letter_drawn=request.includes(PacketSection.LETTER),
    )
    sources = attachment_sources(profile, ids)
    total = len(sources)
    progress.report(0, total, f"Reading document 1 of {total}")
    # Decoding, shrinking and encoding scans happens in Pillow and qpdf, which let other threads
    # run meanwhile: a few documents at once use the other cores. Each writes its own file.
    with ThreadPoolExecutor(_SCAN_WORKERS, thread_name_prefix="packet-scan") as pool:
        futures = [
            pool.submit(prepare_attachment, source, request.page_size, scratch)
            for source in sources
        ]
        try:
            prepared = []
            for index, future in enumerate(futures):
                prepared.append(future.result())
                progress.report(index + 1, total, f"Reading document {index + 1} of {total}")
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return prepared


def _lay_out(
    facts: FrontFacts,
    front: list[PreparedPart],
    middle: list[PreparedPart],
    attachments: list[PreparedAttachment],
    omitted: list[tuple[PacketSection, str]],
    request: PacketRequest,
    progress: Progress,
) -> list[PreparedPart]:
    """All parts in order, with the contents and the cover drawn for the final numbering.

    The page numbers depend on how many pages the contents (and the cover) take, so they are
    drawn with a guess of one page each, then again with the counts found when the guess was
    wrong; the second drawing settles, since their length does not depend on the numbers.
    """
    size = request.page_size
    documents: list[PreparedPart] = []
    for attachment in attachments:
        source = attachment.source
        drawn = None
        if attachment.replaced_reason is not None:
            drawn = draw_replacement_pages([(source.heading, attachment.replaced_reason)], size)
        documents.append(
            PreparedPart(
                document_key(source.document_id),
                source.heading,
                1,
                attachment.page_count,
                drawn,
                attachment,
            )
        )
    tail = middle + (
        [
            PreparedPart(PacketSection.DOCUMENTS.value, PacketSection.DOCUMENTS.heading, 0, 0),
            *documents,
        ]
        if documents
        else []
    )
    progress.report(0, 1, "Numbering the pages")
    contents_pages, cover_pages = 1, 1
    for _attempt in range(3):
        cover = PreparedPart(PacketSection.COVER.value, PacketSection.COVER.heading, 0, cover_pages)
        contents = PreparedPart(
            PacketSection.CONTENTS.value, PacketSection.CONTENTS.heading, 0, contents_pages
        )
        parts = [cover, *front, contents, *tail]
        entries = number_parts([PacketPart(p.key, p.title, p.page_count, p.level) for p in parts])
        contents_pdf = draw_contents(entries, omitted, size)
        cover_pdf = draw_cover(facts, total_pages(entries), len(documents), size)
        counts = (count_pages(contents_pdf), count_pages(cover_pdf))
        if counts == (contents_pages, cover_pages):
            # The pages drawn for exactly this numbering are the ones kept.
            parts[0] = dataclasses.replace(cover, drawn=cover_pdf)
            parts[len(front) + 1] = dataclasses.replace(contents, drawn=contents_pdf)
            return parts
        contents_pages, cover_pages = counts
    raise RuntimeError("the contents page count did not settle")


# --- Both steps at once, and the file name ----------------------------------------------------


def export_packet(
    profile: ProfileSession,
    request: PacketRequest,
    destination: Path,
    progress: Progress | None = None,
) -> PacketResult:
    """Prepare and write a packet in one go (the CLI, and Export without a preview)."""
    prepared = prepare_packet(profile, request, progress)
    try:
        return write_packet(prepared, destination, progress)
    finally:
        prepared.close()


def suggested_file_name(profile: ProfileSession, request: PacketRequest) -> str:
    """ "BackLog packet - Microdiscectomy - L4-L5 left - 2026-11-27.pdf"."""
    what = "complete record"
    if request.case_id is not None:
        with contextlib.suppress(UserError):
            what = profile.cases.get(request.case_id).title
    return safe_file_name(f"BackLog packet - {what} - {profile.clock().isoformat()}", FileType.PDF)
