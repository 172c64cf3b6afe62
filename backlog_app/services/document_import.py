"""Adding files to the vault: check each one, copy it atomically, then record it — or nothing.

Order matters for "nothing lost": the file is copied and flushed under its final name first, then
the record is committed. A crash in between leaves a file without a record, which the start-up
sweep (``vault_check.sweep``) files into the trash; never a record without its file.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from backlog_app.domain.documents import (
    DocumentData,
    DocumentKind,
    TextStatus,
    normalize_tags,
    title_from_file_name,
)
from backlog_app.errors import Cancelled, UserError
from backlog_app.services.changes import Change
from backlog_app.services.documents import (
    DocumentService,
    apply_metadata,
    clean_document_data,
    reindex,
    validate_document_data,
)
from backlog_app.services.progress import Progress
from backlog_app.storage.file_inspect import (
    DEFAULT_MAX_BYTES,
    DocumentFileError,
    Inspection,
    PasswordRequiredError,
    display_name,
    inspect_file,
)
from backlog_app.storage.models import Document
from backlog_app.storage.vault import VaultChangedError

log = logging.getLogger("backlog.documents")


class DuplicateDocumentError(UserError):
    """The same file (same SHA-256) is already in the vault."""

    def __init__(self, path: Path, existing_id: int, existing_title: str, in_trash: bool) -> None:
        self.path = path
        self.existing_id = existing_id
        where = " (it is in the trash)" if in_trash else ""
        super().__init__(
            f"“{display_name(path)}” is already in your documents as “{existing_title}”{where}."
        )


@dataclass(frozen=True, slots=True)
class ImportDefaults:
    """Metadata given to every file of one import; blanks are filled per file."""

    kind: DocumentKind = DocumentKind.OTHER
    title: str | None = None  # None: from each file's name
    document_date: dt.date | None = None
    provider_id: int | None = None
    tags: tuple[str, ...] = ()
    notes: str | None = None


@dataclass
class ImportReport:
    """What happened to each file of a batch."""

    added: list[int] = field(default_factory=list)
    duplicates: list[DuplicateDocumentError] = field(default_factory=list)
    refused: list[DocumentFileError] = field(default_factory=list)
    need_password: list[Path] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        """One plain sentence per file that was not added."""
        return [error.message for error in (*self.refused, *self.duplicates)] + [
            f"“{display_name(path)}” is protected with a password; add it on its own to type it."
            for path in self.need_password
        ]


class DocumentImporter:
    """Adds files to one profile's documents."""

    def __init__(self, documents: DocumentService, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.documents = documents
        self.max_bytes = max_bytes

    def inspect(self, path: Path, *, password: str | None = None) -> Inspection:
        """Check a file without adding it (raises DocumentFileError / PasswordRequiredError)."""
        return inspect_file(path, max_bytes=self.max_bytes, password=password)

    def add(
        self,
        path: Path,
        data: DocumentData | None = None,
        *,
        password: str | None = None,
        remember_password: bool = False,
        progress: Progress | None = None,
    ) -> int:
        """Check, copy and record one file. Returns the new document's id.

        Raises:
            DocumentFileError: the file is refused (nothing written).
            PasswordRequiredError: a locked PDF; call again with ``password``.
            DuplicateDocumentError: the same file is already stored.
            ValidationError: ``data`` breaks a rule (nothing written).
            Cancelled: the user pressed Cancel (nothing written).
        """
        path = Path(path)
        inspection = self.inspect(path, password=password)
        if data is None:
            data = DocumentData(kind=DocumentKind.OTHER, title=title_from_file_name(path.name))
        data = clean_document_data(data)
        validate_document_data(data, self.documents.clock())
        self._refuse_duplicate(inspection)
        return self._store(inspection, data, password if remember_password else None, progress)

    def add_files(
        self,
        paths: Sequence[Path],
        defaults: ImportDefaults | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Add several files; each is added or refused on its own. Cancel stops between files.

        Files added before Cancel stay added (each one is complete); the report says which.
        """
        defaults = defaults or ImportDefaults()
        progress = progress or Progress()
        report = ImportReport()
        for index, path in enumerate(paths):
            progress.report(index, len(paths), f"Adding {display_name(Path(path))}")
            try:
                report.added.append(self.add(Path(path), self._data_for(Path(path), defaults)))
            except PasswordRequiredError as exc:
                report.need_password.append(exc.path)
            except DocumentFileError as exc:
                report.refused.append(exc)
            except DuplicateDocumentError as exc:
                report.duplicates.append(exc)
            except Cancelled:
                break
        progress.report(len(paths), len(paths))
        return report

    def _data_for(self, path: Path, defaults: ImportDefaults) -> DocumentData:
        return DocumentData(
            kind=defaults.kind,
            title=defaults.title or title_from_file_name(path.name),
            document_date=defaults.document_date,
            provider_id=defaults.provider_id,
            notes=defaults.notes,
            tags=normalize_tags(defaults.tags),
        )

    def _refuse_duplicate(self, inspection: Inspection) -> None:
        with self.documents.database.read() as session:
            existing = session.scalar(select(Document).where(Document.sha256 == inspection.sha256))
            if existing is not None:
                raise DuplicateDocumentError(
                    inspection.path, existing.id, existing.title, existing.trashed_at is not None
                )

    def _store(
        self,
        inspection: Inspection,
        data: DocumentData,
        password: str | None,
        progress: Progress | None,
    ) -> int:
        vault = self.documents.vault
        already_there = vault.has(inspection.sha256, inspection.file_type)

        def copied(done: int) -> None:
            if progress is not None:
                progress.report(done, inspection.size_bytes, "Copying")

        try:
            vault.store(inspection.path, inspection.sha256, inspection.file_type, copied)
        except VaultChangedError as exc:
            raise DocumentFileError(
                inspection.path, "the file changed while it was being added. Try again."
            ) from exc
        except OSError as exc:
            raise DocumentFileError(
                inspection.path,
                f"BackLog could not copy it into the profile ({exc.strerror or exc}). "
                "Check that the disk has free space.",
            ) from exc
        try:
            with self.documents.database.write() as session:
                row = Document(
                    sha256=inspection.sha256,
                    file_type=inspection.file_type.value,
                    original_name=inspection.original_name[:400],
                    size_bytes=inspection.size_bytes,
                    page_count=inspection.page_count,
                    needs_password=inspection.needs_password,
                    repaired=inspection.repaired,
                    saved_password=password,
                    text_status=(
                        TextStatus.LOCKED
                        if inspection.needs_password and not password
                        else TextStatus.PENDING
                    ).value,
                    kind=data.kind.value,
                    title=data.title,
                )
                session.add(row)
                session.flush()
                apply_metadata(session, row, data)
                reindex(session, row)
                new_id = row.id
        except BaseException:
            # The record was not written, so its file must not stay (unless it was there before).
            if not already_there:
                vault.remove(inspection.sha256, inspection.file_type)
            raise
        self.documents.changes.announce(Change.DOCUMENTS)
        log.info("document added (%s, %d bytes)", inspection.file_type.value, inspection.size_bytes)
        return new_id
