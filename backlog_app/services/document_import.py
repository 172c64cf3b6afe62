"""Adding files to the vault: check each one, copy it atomically, then record it — or nothing.

Order matters for "nothing lost": the file is copied and flushed under its final name first, then
the record is committed. A crash in between leaves a file without a record, which the start-up
sweep (``vault_check.sweep``) files into the trash; never a record without its file.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import time
from collections import deque
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

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
    PdfInspector,
    display_name,
    inspect_file,
)
from backlog_app.storage.models import Document
from backlog_app.storage.vault import VaultChangedError
from backlog_app.storage.write_errors import WriteFailedError, write_error

log = logging.getLogger("backlog.documents")


class DuplicateDocumentError(UserError):
    """The same file (same SHA-256) is already in the vault."""

    def __init__(
        self,
        path: Path,
        existing_id: int,
        existing_title: str,
        in_trash: bool,
        restored: bool = False,
    ) -> None:
        self.path = path
        self.existing_id = existing_id
        self.restored = restored
        where = " (it is in the trash)" if in_trash else ""
        put_back = (
            " Its copy in BackLog was missing or damaged; it has been put back from this file."
            if restored
            else ""
        )
        super().__init__(
            f"“{display_name(path)}” is already in your documents as “{existing_title}”{where}."
            + put_back
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
    """What happened to each file of a batch.

    ``added`` and ``added_files`` run in parallel (document id, the file it came from);
    ``repaired`` holds the ids of added PDFs that were damaged and are shown from a repaired view.
    ``cancelled``: the user stopped the batch; files after that point were not looked at.
    """

    added: list[int] = field(default_factory=list)
    duplicates: list[DuplicateDocumentError] = field(default_factory=list)
    refused: list[DocumentFileError] = field(default_factory=list)
    need_password: list[Path] = field(default_factory=list)
    added_files: list[Path] = field(default_factory=list)
    repaired: list[int] = field(default_factory=list)
    cancelled: bool = False

    @property
    def problems(self) -> list[str]:
        """One plain sentence per file that was not added."""
        return [error.message for error in (*self.refused, *self.duplicates)] + [
            f"“{display_name(path)}” is protected with a password; add it on its own to type it."
            for path in self.need_password
        ]

    def note_added(self, document_id: int, inspection: Inspection) -> None:
        self.added.append(document_id)
        self.added_files.append(inspection.path)
        if inspection.repaired:
            self.repaired.append(document_id)

    @property
    def notes(self) -> list[str]:
        """Plain sentences about files that were added but deserve a word (repaired PDFs)."""
        return [
            f"“{display_name(path)}” was damaged. {REPAIRED_NOTE}"
            for doc_id, path in zip(self.added, self.added_files, strict=True)
            if doc_id in self.repaired
        ]


# A batch records its copied files together: at most this many, or after this long.
GROUP_FILES = 25
GROUP_SECONDS = 0.5

REPAIRED_NOTE = "It was added exactly as it is; BackLog repairs it on the fly to show and print it."


def _prefetch(
    pool: ThreadPoolExecutor,
    check: Callable[[Path], Inspection],
    paths: Sequence[Path],
    *,
    ahead: int,
) -> Generator[Future[Inspection], None, None]:
    """Futures of ``check(path)`` in order, keeping at most ``ahead`` more running than taken."""
    pending: deque[Future[Inspection]] = deque()
    upcoming = iter(paths)
    try:
        for path in itertools.islice(upcoming, ahead + 1):
            pending.append(pool.submit(check, path))
        while pending:
            current = pending.popleft()
            following = next(upcoming, None)
            if following is not None:
                pending.append(pool.submit(check, following))
            yield current
    finally:
        for future in pending:
            future.cancel()


class DocumentImporter:
    """Adds files to one profile's documents."""

    def __init__(
        self,
        documents: DocumentService,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        pdf_inspector: PdfInspector | None = None,
    ) -> None:
        """
        Args:
            max_bytes: the largest file accepted (the ``max_import_mb`` setting).
            pdf_inspector: opens PDFs; None for the shared child process with time and memory
                limits (``storage.pdf_probe``). Tests may pass ``inspect_pdf``.
        """
        self.documents = documents
        self.max_bytes = max_bytes
        self.pdf_inspector = pdf_inspector

    def inspect(self, path: Path, *, password: str | None = None) -> Inspection:
        """Check a file without adding it (raises DocumentFileError / PasswordRequiredError)."""
        return inspect_file(
            path, max_bytes=self.max_bytes, password=password, pdf_inspector=self.pdf_inspector
        )

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
        if data is None:
            data = DocumentData(kind=DocumentKind.OTHER, title=title_from_file_name(path.name))
        data = clean_document_data(data)
        validate_document_data(data, self.documents.clock())  # cheap: before the file is read
        inspection = self.inspect(path, password=password)
        return self._add_inspected(
            inspection, data, password if remember_password else None, progress
        )

    def _add_inspected(
        self,
        inspection: Inspection,
        data: DocumentData,
        password: str | None,
        progress: Progress | None,
    ) -> int:
        with self.documents.vault.lock:
            self._refuse_duplicate(inspection)
            already_there = self._copy(inspection, progress)
        new_id = self._record(inspection, data, password, already_there)
        self.documents.changes.announce(Change.DOCUMENTS)
        return new_id

    def add_files(
        self,
        paths: Sequence[Path],
        defaults: ImportDefaults | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Add several files; each is added or refused on its own. Cancel stops the batch.

        Files added before Cancel stay added (each one is complete); the report says which, and
        a copy interrupted by Cancel leaves nothing behind.

        Raises:
            ValidationError: ``defaults`` break a rule (checked before any file is touched).
        """
        defaults = defaults or ImportDefaults()
        progress = progress or Progress()
        report = ImportReport()
        paths = [Path(path) for path in paths]
        if paths:
            # A future date or a too-long title would fail every file alike: say so once, now.
            validate_document_data(
                clean_document_data(self.data_for(paths[0], defaults)), self.documents.clock()
            )
        today = self.documents.clock()
        # Checking a file (hashing, decoding a corner of a picture, the PDF probe) is read-only
        # and mostly outside the GIL, so the next files are checked on two threads while this
        # one is copied and recorded; files are still stored and recorded strictly in order.
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="inspect") as pool:
            checks = _prefetch(pool, self.inspect, paths, ahead=2)
            group: list[_Copied] = []
            started = time.monotonic()
            for index, path in enumerate(paths):
                try:
                    progress.report(index, len(paths), f"Adding {display_name(path)}")
                    data = clean_document_data(self.data_for(path, defaults))
                    validate_document_data(data, today)
                    inspection = next(checks).result()
                    with self.documents.vault.lock:
                        self._refuse_duplicate(inspection)
                        if any(c.inspection.sha256 == inspection.sha256 for c in group):
                            self._record_group(group, report)  # the twin is recorded first
                            self._refuse_duplicate(inspection)
                        was_there = self._copy(inspection, _CancelOnly(progress))
                    group.append(_Copied(inspection, data, was_there))
                except PasswordRequiredError as exc:
                    report.need_password.append(exc.path)
                except DocumentFileError as exc:
                    report.refused.append(exc)
                except DuplicateDocumentError as exc:
                    report.duplicates.append(exc)
                except Cancelled:
                    report.cancelled = True
                    log.info("import cancelled after %d of %d files", index, len(paths))
                    checks.close()
                    break
                # Record at least every half second, so the list fills as files arrive and a
                # crash costs little (copied files without a record are recovered at start-up).
                if len(group) >= GROUP_FILES or time.monotonic() - started > GROUP_SECONDS:
                    self._record_group(group, report)
                    started = time.monotonic()
            self._record_group(group, report)
        if not report.cancelled:
            progress.report(len(paths), len(paths))
        return report

    def data_for(self, path: Path, defaults: ImportDefaults) -> DocumentData:
        """The metadata one file of a batch gets: ``defaults``, with its title from its name."""
        return DocumentData(
            kind=defaults.kind,
            title=defaults.title or title_from_file_name(path.name),
            document_date=defaults.document_date,
            provider_id=defaults.provider_id,
            notes=defaults.notes,
            tags=normalize_tags(defaults.tags),
        )

    def _refuse_duplicate(self, inspection: Inspection) -> None:
        existing = self._owner_of(inspection.sha256)
        if existing is None:
            return
        restored = self._put_back_if_lost(inspection)
        raise DuplicateDocumentError(
            inspection.path, existing.id, existing.title, existing.trashed_at is not None, restored
        )

    def _put_back_if_lost(self, inspection: Inspection) -> bool:
        """Re-adding a file whose vault copy is missing or damaged puts the copy back.

        This is what `backlog check` tells the user to do for such a document.
        """
        vault = self.documents.vault
        try:
            # Through the vault: an encrypted copy is decrypted to be checked.
            intact = vault.verify(inspection.sha256, inspection.file_type)
        except Exception as exc:  # unreadable or undecryptable: damaged, so put back
            log.info("stored copy unreadable (%s); putting it back", exc.__class__.__name__)
            intact = False
        if intact:
            return False
        try:
            vault.store(inspection.path, inspection.sha256, inspection.file_type, replace=True)
        except (OSError, VaultChangedError):
            log.warning("could not put back a lost vault file", exc_info=True)
            return False
        log.info("put back a missing or damaged vault file")
        return True

    def _owner_of(self, sha256: str) -> _Owner | None:
        with self.documents.database.read() as session:
            row = session.scalar(select(Document).where(Document.sha256 == sha256))
            return None if row is None else _Owner(row.id, row.title, row.trashed_at)

    def _copy(self, inspection: Inspection, progress: Progress | None) -> bool:
        """Copy the file into the vault; True when it was there already (then nothing is copied)."""
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
            problem = write_error(exc, vault.root, what="a copy of it in your profile")
            raise DocumentFileError(inspection.path, problem.message) from exc
        return already_there

    def _record(
        self, inspection: Inspection, data: DocumentData, password: str | None, already_there: bool
    ) -> int:
        """Write the row of one copied file; on failure remove the copy unless someone owns it."""
        try:
            with self.documents.database.write() as session:
                new_id = _insert(session, inspection, data, password)
        except BaseException as exc:
            # The record was not written, so its file must not stay (unless it was there before,
            # or another record, written meanwhile, owns it).
            with self.documents.vault.lock:
                try:
                    owner = self._owner_of(inspection.sha256)
                except Exception:  # the database is failing: nobody else can own the file
                    owner = None
                if not already_there and owner is None:
                    self.documents.vault.remove(inspection.sha256, inspection.file_type)
            if isinstance(exc, IntegrityError) and owner is not None:
                raise DuplicateDocumentError(
                    inspection.path, owner.id, owner.title, owner.trashed_at is not None
                ) from exc
            if isinstance(exc, WriteFailedError):  # Database.write names a full or failing disk
                raise DocumentFileError(inspection.path, exc.message) from exc
            raise
        log.info("document added (%s, %d bytes)", inspection.file_type.value, inspection.size_bytes)
        return new_id

    def _record_group(self, group: list[_Copied], report: ImportReport) -> None:
        """Record copied files in one transaction (one disk flush instead of one per file).

        If the group fails as a whole (a racing duplicate, a full disk), each file is recorded
        on its own so that every file gets its own outcome and message.
        """
        if not group:
            return
        try:
            with self.documents.database.write() as session:
                ids = [_insert(session, c.inspection, c.data, None) for c in group]
        except Exception:
            log.info("recording %d files together failed; recording them one by one", len(group))
            for copied in group:
                try:
                    doc_id = self._record(copied.inspection, copied.data, None, copied.was_there)
                except DuplicateDocumentError as exc:
                    report.duplicates.append(exc)
                except DocumentFileError as exc:
                    report.refused.append(exc)
                except Exception as exc:  # one file must not cost the others their record
                    log.warning("recording one file failed", exc_info=True)
                    report.refused.append(
                        DocumentFileError(
                            copied.inspection.path,
                            f"BackLog could not record it ({exc.__class__.__name__}); "
                            "details are in the log.",
                        )
                    )
                else:
                    report.note_added(doc_id, copied.inspection)
        else:
            for copied, doc_id in zip(group, ids, strict=True):
                report.note_added(doc_id, copied.inspection)
        group.clear()
        self.documents.changes.announce(Change.DOCUMENTS)


def _insert(
    session: Session, inspection: Inspection, data: DocumentData, password: str | None
) -> int:
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
            TextStatus.LOCKED if inspection.needs_password and not password else TextStatus.PENDING
        ).value,
        kind=data.kind.value,
        title=data.title,
    )
    session.add(row)
    session.flush()
    apply_metadata(session, row, data)
    reindex(session, row)
    return row.id


@dataclass(frozen=True, slots=True)
class _Copied:
    """A file of a batch that is in the vault and waits for its record."""

    inspection: Inspection
    data: DocumentData
    was_there: bool


@dataclass(frozen=True, slots=True)
class _Owner:
    id: int
    title: str
    trashed_at: dt.datetime | None


class _CancelOnly(Progress):
    """Checks the batch's Cancel during a copy without overwriting the batch's progress."""

    def __init__(self, batch: Progress) -> None:
        super().__init__()
        self._batch = batch

    def report(self, done: int, total: int, label: str = "") -> None:
        self._batch.check_cancelled()
