"""Documents use-cases: list, filter, search, edit, link, trash, restore and remove for good.

Adding files is in ``document_import``; checking the vault in ``vault_check``; reading text and
making thumbnails in ``document_text``.

Every reader of a stored original goes through ``original_of``/``open_original``/
``read_original`` (the vault's ``open_read``), never through a path: in an encrypted profile the
file on disk holds encrypted bytes, and the original exists only in memory.
"""

from __future__ import annotations

import builtins
import datetime as dt
import logging
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from backlog_app.domain.documents import (
    DocumentData,
    DocumentInfo,
    DocumentKind,
    DocumentLinkRef,
    FileType,
    LinkTarget,
    TextStatus,
)
from backlog_app.errors import UserError
from backlog_app.services.changes import Change, ChangeBus
from backlog_app.services.database import Database
from backlog_app.services.document_records import (
    LINK_COLUMNS,
    TARGET_MODELS,
    apply_metadata,
    clean_document_data,
    filtered,
    free_name,
    link_ref,
    reindex,
    safe_file_name,
    tag_spellings,
    to_info,
    validate_document_data,
)
from backlog_app.services.records import Clock
from backlog_app.services.stored_original import StoredOriginal, missing_file_error
from backlog_app.storage import search_index
from backlog_app.storage.backup import fsync_dir
from backlog_app.storage.models import (
    Document,
    DocumentLink,
    DocumentTag,
    DocumentText,
    utc_now,
)
from backlog_app.storage.vault import Vault
from backlog_app.storage.write_errors import write_error

log = logging.getLogger("backlog.documents")

# A search shows its best 100 matches (the count of all of them is kept) and cuts snippets for
# the first 30 (a screenful): ranking every match takes milliseconds, building rows and snippets does not.
SEARCH_LIMIT = 100
SNIPPET_LIMIT = 30
COPY_CHUNK_BYTES = 1024 * 1024

# The row helpers moved to document_records; the importer, the vault check, the interchange code
# and the UI still import them from here.
__all__ = [
    "DocumentCounts",
    "DocumentFilter",
    "DocumentRow",
    "DocumentService",
    "StoredOriginal",
    "apply_metadata",
    "clean_document_data",
    "free_name",
    "reindex",
    "safe_file_name",
    "to_info",
    "validate_document_data",
]


@dataclass(frozen=True, slots=True)
class DocumentFilter:
    """What the Documents page (or the CLI) asks for; empty fields mean "any"."""

    text: str = ""
    kinds: frozenset[DocumentKind] = frozenset()
    provider_id: int | None = None
    tag: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    link: tuple[LinkTarget, int] | None = None
    in_trash: bool = False


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """One line of a document list: the document, and for a search its marked snippet."""

    info: DocumentInfo
    snippet: str | None = None


class DocumentList(list[DocumentRow]):
    """A list of rows; for a search, ``total_matches`` says how many matched before the cut."""

    def __init__(
        self, rows: Iterable[DocumentRow] = (), *, total_matches: int | None = None
    ) -> None:
        super().__init__(rows)
        self.total_matches = len(self) if total_matches is None else total_matches


@dataclass(frozen=True, slots=True)
class DocumentCounts:
    active: int
    in_trash: int
    by_kind: dict[DocumentKind, int] = field(default_factory=dict)


class DocumentService:
    """Everything about documents except adding files and checking the vault.

    Args:
        database: where records live.
        changes: told ``Change.DOCUMENTS`` after every committed change.
        vault: the profile's vault folder.
        thumbnails: the profile's thumbnail cache folder.
        clock: today's date (document dates may not be after it).
    """

    def __init__(
        self,
        database: Database,
        changes: ChangeBus,
        vault: Vault,
        thumbnails: Path,
        clock: Clock,
    ) -> None:
        self.database = database
        self.changes = changes
        self.vault = vault
        self.thumbnails = thumbnails
        self.clock = clock

    # -- reading ---------------------------------------------------------------------------

    def count(self) -> int:
        """All documents, in the trash or not (for "is this profile empty")."""
        with self.database.read() as session:
            return session.scalar(select(func.count()).select_from(Document)) or 0

    def counts(self) -> DocumentCounts:
        with self.database.read() as session:
            rows = session.execute(
                select(Document.kind, Document.trashed_at.is_(None), func.count()).group_by(
                    Document.kind, Document.trashed_at.is_(None)
                )
            ).all()
        active = sum(n for _, live, n in rows if live)
        by_kind: dict[DocumentKind, int] = {}
        for kind, live, n in rows:
            if live:
                by_kind[DocumentKind(kind)] = by_kind.get(DocumentKind(kind), 0) + n
        return DocumentCounts(active, sum(n for _, live, n in rows if not live), by_kind)

    def get(self, document_id: int) -> DocumentInfo:
        with self.database.read() as session:
            return self._infos(session, [self._load(session, document_id)])[0]

    def list(self, filter: DocumentFilter | None = None) -> DocumentList:
        """Documents matching ``filter``: by relevance when it has text, else newest first."""
        filter = filter or DocumentFilter()
        with self.database.read() as session:
            query = filtered(select(Document), filter, tag_spellings(session, filter.tag))
            if filter.text.strip():
                return self._search(session, query, filter.text)
            rows = session.scalars(
                query.order_by(
                    Document.document_date.is_(None),
                    Document.document_date.desc(),
                    Document.id.desc(),
                )
            ).all()
            return DocumentList(DocumentRow(info) for info in self._infos(session, list(rows)))

    def _search(self, session: Session, query: Select[Any], text: str) -> DocumentList:
        """The best SEARCH_LIMIT matches among the filtered documents, best first."""
        allowed = set(session.scalars(query.with_only_columns(Document.id)))
        ranked = [doc_id for doc_id, _ in search_index.rank(session, text) if doc_id in allowed]
        shown = ranked[:SEARCH_LIMIT]
        marked = search_index.snippets(session, text, shown[:SNIPPET_LIMIT])
        rows = session.scalars(select(Document).where(Document.id.in_(shown))).all()
        by_id = {row.id: row for row in rows}
        infos = self._infos(session, [by_id[doc_id] for doc_id in shown])
        return DocumentList(
            (DocumentRow(info, marked.get(info.id, "")) for info in infos),
            total_matches=len(ranked),
        )

    def tags(self) -> builtins.list[str]:
        """Every tag in use, for the filter and the tag completer."""
        with self.database.read() as session:
            return sorted(set(session.scalars(select(DocumentTag.tag))), key=str.casefold)

    def text_of(self, document_id: int) -> str:
        with self.database.read() as session:
            row = session.get(DocumentText, document_id)
            return row.body if row is not None else ""

    def original_of(self, info: DocumentInfo) -> StoredOriginal:
        """The stored original of ``info`` (no database query: the info has the hash).

        Raises:
            UserError: the file is missing from the vault.
        """
        if not self.vault.has(info.file.sha256, info.file.file_type):
            raise missing_file_error(info.data.title)
        return StoredOriginal(self.vault, info.file.sha256, info.file.file_type, info.data.title)

    def open_original(self, document_id: int) -> BinaryIO:
        """The stored original's bytes as a seekable stream (decrypted in an encrypted profile).

        Raises:
            UserError: the document or its file is missing, or the file cannot be read.
        """
        return self.original_of(self.get(document_id)).open()

    def read_original(self, document_id: int) -> bytes:
        """The stored original's bytes, whole. Raises UserError as ``open_original``."""
        return self.original_of(self.get(document_id)).read_bytes()

    def file_path(self, document_id: int) -> Path:
        """Where the stored file is on disk — for tests and tools that look at the vault folder
        itself. Plain profiles only: in an encrypted profile this file holds encrypted bytes, so
        never read an original through it (use ``open_original``/``read_original``).

        Raises:
            UserError: the file is missing from the vault.
        """
        info = self.get(document_id)
        path = self.vault.path_for(info.file.sha256, info.file.file_type)
        if not path.is_file():
            raise missing_file_error(info.data.title)
        return path

    def saved_password(self, document_id: int) -> str | None:
        with self.database.read() as session:
            return self._load(session, document_id).saved_password

    def save_copy(self, document_id: int, destination: Path) -> Path:
        """Copy the original, byte for byte, to ``destination`` (atomically). Returns the path.

        In an encrypted profile the copy is the decrypted original: saving it is the user's
        explicit choice of a place outside the profile.
        """
        info = self.get(document_id)
        original = self.original_of(info)
        if destination.is_dir():
            destination = free_name(
                destination / safe_file_name(info.data.title, info.file.file_type)
            )
        partial = destination.with_name(f".{destination.name}.partial")
        with original.open() as source:
            try:
                with partial.open("wb") as target:
                    shutil.copyfileobj(source, target, COPY_CHUNK_BYTES)
                    target.flush()
                    os.fsync(target.fileno())
                partial.replace(destination)
                fsync_dir(destination.parent)
            except OSError as exc:
                partial.unlink(missing_ok=True)
                raise write_error(exc, destination) from exc
        return destination

    # -- changing --------------------------------------------------------------------------

    def update(self, document_id: int, data: DocumentData) -> None:
        """Change the metadata. Raises ValidationError and writes nothing when a rule is broken."""
        data = clean_document_data(data)
        validate_document_data(data, self.clock())
        with self.database.write() as session:
            row = self._load(session, document_id)
            apply_metadata(session, row, data)
            reindex(session, row)
        self.changes.announce(Change.DOCUMENTS)

    def set_saved_password(self, document_id: int, password: str | None) -> None:
        with self.database.write() as session:
            self._load(session, document_id).saved_password = password or None

    def link(self, document_id: int, target: LinkTarget, target_id: int) -> None:
        """Link a document to a log record (nothing happens when the link already exists)."""
        column = LINK_COLUMNS[target]
        with self.database.write() as session:
            self._load(session, document_id)
            exists = session.scalar(
                select(DocumentLink.id).where(
                    DocumentLink.document_id == document_id,
                    getattr(DocumentLink, column) == target_id,
                )
            )
            if exists is None:
                if session.get(TARGET_MODELS[target], target_id) is None:
                    raise UserError("That record no longer exists; it may have been deleted.")
                session.add(DocumentLink(document_id=document_id, **{column: target_id}))
        self.changes.announce(Change.DOCUMENTS)

    def unlink(self, document_id: int, target: LinkTarget, target_id: int) -> None:
        column = LINK_COLUMNS[target]
        with self.database.write() as session:
            session.execute(
                delete(DocumentLink).where(
                    DocumentLink.document_id == document_id,
                    getattr(DocumentLink, column) == target_id,
                )
            )
        self.changes.announce(Change.DOCUMENTS)

    def set_text(self, document_id: int, body: str, status: TextStatus) -> None:
        """Store the text read from a document and put it in the search index."""
        with self.database.write() as session:
            row = session.get(Document, document_id)
            if row is None:
                return  # removed while its text was being read: nothing to keep
            current = session.get(DocumentText, document_id)
            if current is None:
                session.add(DocumentText(document_id=document_id, body=body))
            else:
                current.body = body
            row.text_status = status.value
            session.flush()
            reindex(session, row)
        self.changes.announce(Change.DOCUMENTS)

    def pending_text(self) -> builtins.list[int]:
        """Documents whose text has not been read yet, oldest first."""
        with self.database.read() as session:
            return list(
                session.scalars(
                    select(Document.id)
                    .where(Document.text_status == TextStatus.PENDING.value)
                    .order_by(Document.id)
                )
            )

    def trash(self, document_id: int) -> None:
        """Move to the trash: hidden from lists and packets, file kept, restorable."""
        with self.database.write() as session:
            self._load(session, document_id).trashed_at = utc_now()
        self.changes.announce(Change.DOCUMENTS)

    def restore(self, document_id: int) -> None:
        with self.database.write() as session:
            self._load(session, document_id).trashed_at = None
        self.changes.announce(Change.DOCUMENTS)

    def delete_forever(self, document_id: int) -> None:
        """Remove a document in the trash and its file. Refuses documents not in the trash.

        The record goes first and the file after the commit: a crash in between leaves a file
        without a record, which the start-up sweep puts back in the trash; never a record
        without its file.
        """
        # The vault lock keeps an import of the same file from slipping in between the record
        # going and the file going (it would record a row for a file about to disappear).
        with self.vault.lock:
            with self.database.write() as session:
                row = self._load(session, document_id)
                if row.trashed_at is None:
                    raise UserError("Move the document to the trash before removing it for good.")
                sha256, file_type = row.sha256, FileType(row.file_type)
                search_index.remove_document(session, document_id)
                session.delete(row)
            try:
                self.vault.remove(sha256, file_type)
                # services.thumbnails.thumbnail_path (not imported: it imports this module)
                (self.thumbnails / f"{sha256}.png").unlink(missing_ok=True)
            except OSError as exc:
                # The record is gone; the next start-up sweep puts the file back in the trash,
                # so nothing is lost and the user can try again.
                log.warning(
                    "removed document's file could not be deleted: %s", exc.__class__.__name__
                )
                self.changes.announce(Change.DOCUMENTS)
                raise UserError(
                    "The document was removed, but its file could not be deleted "
                    f"({exc.strerror or exc}). It will reappear in the trash the next time the "
                    "profile opens; remove it again then."
                ) from exc
        self.changes.announce(Change.DOCUMENTS)
        log.info("document removed for good")

    def empty_trash(self) -> int:
        """Remove every document in the trash for good. Returns how many."""
        with self.database.read() as session:
            ids = list(session.scalars(select(Document.id).where(Document.trashed_at.is_not(None))))
        for document_id in ids:
            self.delete_forever(document_id)
        return len(ids)

    # -- helpers ---------------------------------------------------------------------------

    def _load(self, session: Session, document_id: int) -> Document:
        row = session.get(Document, document_id)
        if row is None:
            raise UserError("That document no longer exists; it may have been removed.")
        return row

    def _infos(
        self, session: Session, rows: builtins.list[Document]
    ) -> builtins.list[DocumentInfo]:
        """DocumentInfo for rows, with tags and links fetched in one query each."""
        ids = [row.id for row in rows]
        tags: dict[int, builtins.list[str]] = {}
        links: dict[int, builtins.list[DocumentLinkRef]] = {}
        if ids:
            for doc_id, tag in session.execute(
                select(DocumentTag.document_id, DocumentTag.tag)
                .where(DocumentTag.document_id.in_(ids))
                .order_by(DocumentTag.document_id, DocumentTag.position)
            ):
                tags.setdefault(doc_id, []).append(tag)
            for link in session.scalars(
                select(DocumentLink).where(DocumentLink.document_id.in_(ids))
            ):
                links.setdefault(link.document_id, []).append(link_ref(session, link))
        return [to_info(row, tags.get(row.id, ()), links.get(row.id, ())) for row in rows]
