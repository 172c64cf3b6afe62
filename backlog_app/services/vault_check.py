"""Keeping the vault and the records in step: the start-up sweep, and `backlog check [--repair]`.

Nothing here ever deletes or rewrites an original, or reads one by path: hashes are checked
through ``Vault.verify`` (which decrypts in an encrypted profile). A file without a record is filed into the trash
as a "Recovered file" document (an older database restored from a backup must not lose newer
files); a missing or damaged file is reported, for the user to restore from a backup.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from backlog_app.domain.documents import FileType, TextStatus
from backlog_app.errors import Cancelled
from backlog_app.services.changes import Change
from backlog_app.services.documents import DocumentService, reindex
from backlog_app.services.page_images import PdfLockedError, open_image, open_pdf, pdf_page_count
from backlog_app.services.progress import Progress
from backlog_app.services.thumbnails import ensure_thumbnail, thumbnail_path
from backlog_app.storage import search_index
from backlog_app.storage.file_inspect import (
    DocumentFileError,
    PasswordRequiredError,
    PdfInspector,
    inspect_file,
    safe_text,
)
from backlog_app.storage.models import Document, DocumentTag, DocumentText, utc_now
from backlog_app.storage.vault import VaultEntry

log = logging.getLogger("backlog.vault")

RECOVERED_NOTE = (
    "BackLog found this file in the vault without a record, for example after an older copy of "
    "the profile was restored. Restore it from the trash to keep it, with a title of your choice."
)


@dataclass(frozen=True, slots=True)
class DocumentProblem:
    """A document whose file is missing or damaged."""

    document_id: int
    title: str
    in_trash: bool


@dataclass
class SweepReport:
    """What the start-up sweep tidied: interrupted copies removed, stray files recovered."""

    partials_removed: int = 0
    recovered: list[int] = field(default_factory=list)  # ids of the new "Recovered file" documents


@dataclass
class VaultReport:
    """What ``check_vault`` found (and, with repair, fixed)."""

    checked: int = 0
    missing: list[DocumentProblem] = field(default_factory=list)
    damaged: list[DocumentProblem] = field(default_factory=list)
    orphans: list[Path] = field(default_factory=list)  # files without a record, still there
    thumbnails_missing: int = 0  # still missing after any repair; locked PDFs are not counted
    index_rebuilt: bool = False
    thumbnails_rebuilt: int = 0
    index_stale: bool = False  # the search index does not match the records (after any repair)
    recovered: int = 0  # orphans the repair filed into the trash

    @property
    def ok(self) -> bool:
        return not (
            self.missing
            or self.damaged
            or self.orphans
            or self.thumbnails_missing
            or self.index_stale
        )

    def lines(self, repair_hint: str = "Repair") -> list[str]:
        """Plain sentences for the user, first what was checked, then each problem and fix.

        Args:
            repair_hint: how the user asks for a repair ("Repair", "`backlog check --repair`").
        """
        lines = [f"Checked {_count(self.checked, 'document')}."]
        for problem in self.missing:
            lines.append(
                f"Missing: the file of {_describe(problem)} is not in the vault. Restore the "
                "profile folder from a backup, or add the original again."
            )
        for problem in self.damaged:
            lines.append(
                f"Damaged: the file of {_describe(problem)} has changed since it was added. "
                "Restore the profile folder from a backup, or add the original again."
            )
        for orphan in self.orphans:
            lines.append(
                f"A file without a record is in the vault ({orphan.name}). {repair_hint} puts it "
                "in the trash as a recovered file."
            )
        if self.recovered:
            lines.append(
                f"Put {_count(self.recovered, 'file')} without a record in the trash as "
                "“Recovered file …”; restore what you want to keep."
            )
        if self.index_rebuilt:
            lines.append("Rebuilt the search index.")
        elif self.index_stale:
            lines.append(f"The search index is out of date. {repair_hint} rebuilds it.")
        if self.thumbnails_rebuilt:
            lines.append(f"Drew {_count(self.thumbnails_rebuilt, 'missing thumbnail')}.")
        if self.thumbnails_missing:
            if self.index_rebuilt:  # a repair ran and still could not draw them
                lines.append(
                    f"{_count(self.thumbnails_missing, 'thumbnail')} could not be drawn; the "
                    "files are kept as they are (see the log for why)."
                )
            else:
                lines.append(
                    f"{_count(self.thumbnails_missing, 'thumbnail')} missing. "
                    f"{repair_hint} draws them again."
                )
        if self.ok:
            lines.append("Everything is in order.")
        return lines


def sweep(documents: DocumentService, *, pdf_inspector: PdfInspector | None = None) -> SweepReport:
    """Tidy the vault when a profile opens: remove interrupted copies, recover stray files.

    A stray file (in the vault, but no record names it) is never deleted: it becomes a
    "Recovered file <date>" document in the trash.
    """
    report = SweepReport(partials_removed=documents.vault.sweep_partials())
    adoptable, _ = _orphans(documents)
    for entry in adoptable:
        report.recovered.append(recover_file(documents, entry, pdf_inspector=pdf_inspector))
    log.info(
        "vault sweep: %d interrupted copies removed, %d stray files recovered",
        report.partials_removed,
        len(report.recovered),
    )
    return report


def check_vault(
    documents: DocumentService,
    *,
    repair: bool = False,
    progress: Progress | None = None,
    pdf_inspector: PdfInspector | None = None,
) -> VaultReport:
    """Check every document's file (present, same SHA-256), thumbnails, strays and the index.

    With ``repair``: rebuild the search index from titles, notes, tags and text, draw missing
    thumbnails, and file stray vault files into the trash. Originals are never deleted or changed.

    Raises:
        Cancelled: the user pressed Cancel (a repair stops between steps; each step is complete).
    """
    progress = progress or Progress()
    report = VaultReport()
    with documents.database.read() as session:
        rows = [
            _Row(
                row.id,
                row.title,
                row.sha256,
                FileType(row.file_type),
                row.trashed_at is not None,
                row.needs_password and not row.saved_password,
            )
            for row in session.scalars(select(Document).order_by(Document.id))
        ]
    report.checked = len(rows)
    no_thumbnail: list[int] = []
    for index, row in enumerate(rows):
        progress.report(index, len(rows), f"Checking {safe_text(row.title)}")
        problem = DocumentProblem(row.id, row.title, row.in_trash)
        if not documents.vault.has(row.sha256, row.file_type):
            report.missing.append(problem)
            continue
        if not _intact(documents, row, progress):
            report.damaged.append(problem)
        elif not row.locked and not thumbnail_path(documents.thumbnails, row.sha256).is_file():
            no_thumbnail.append(row.id)
    adoptable, foreign = _orphans(documents)
    report.orphans = [entry.path for entry in (*adoptable, *foreign)]
    report.index_stale = not _index_matches(documents)
    report.thumbnails_missing = len(no_thumbnail)
    if repair:
        _repair(documents, report, no_thumbnail, adoptable, foreign, progress, pdf_inspector)
    progress.report(len(rows), len(rows), "Checked")
    log.info(
        "vault check: %d documents, %d missing, %d damaged, %d strays, %d thumbnails missing, "
        "index %s%s",
        report.checked,
        len(report.missing),
        len(report.damaged),
        len(report.orphans),
        report.thumbnails_missing,
        "stale" if report.index_stale else "ok",
        " (repaired)" if repair else "",
    )
    return report


def _intact(documents: DocumentService, row: _Row, progress: Progress) -> bool:
    """Whether the stored file's original bytes still hash to the recorded SHA-256.

    In an encrypted profile the file is decrypted to be hashed; one that does not decrypt
    (changed on disk, cut short) is damaged just the same.

    Raises:
        Cancelled: the user pressed Cancel.
    """
    try:
        return documents.vault.verify(
            row.sha256, row.file_type, lambda _done: progress.check_cancelled()
        )
    except Cancelled:
        raise
    except Exception as exc:  # unreadable or undecryptable: the user restores it from a backup
        log.warning("vault check: document %d unreadable (%s)", row.id, type(exc).__name__)
        return False


def recover_file(
    documents: DocumentService, entry: VaultEntry, *, pdf_inspector: PdfInspector | None = None
) -> int:
    """Record a stray vault file as a "Recovered file <date>" document in the trash. Returns its id.

    The file stays where it is, untouched; only a record is written.
    """
    stat = entry.path.stat()
    if getattr(documents.vault, "encrypted", False):
        size, page_count, needs_password = _facts_in_memory(documents, entry)
    else:
        size, page_count, needs_password = _facts_on_disk(entry, stat.st_size, pdf_inspector)
    day = dt.datetime.fromtimestamp(stat.st_mtime).date()
    with documents.database.write() as session:
        row = Document(
            sha256=entry.sha256,
            file_type=entry.file_type.value,
            original_name=entry.path.name,
            size_bytes=size,
            page_count=page_count,
            needs_password=needs_password,
            repaired=False,
            kind="other",
            title=f"Recovered file {day:%Y-%m-%d}",
            notes=RECOVERED_NOTE,
            text_status=(TextStatus.LOCKED if needs_password else TextStatus.PENDING).value,
            trashed_at=utc_now(),
        )
        session.add(row)
        session.flush()
        reindex(session, row)
        new_id = row.id
    documents.changes.announce(Change.DOCUMENTS)
    return new_id


def _facts_on_disk(
    entry: VaultEntry, size: int, pdf_inspector: PdfInspector | None
) -> tuple[int, int | None, bool]:
    """Size, page count and "needs a password" of a plain stray file, as the importer checks.

    Reading by path is right here: in a plain profile the file on disk is the original.
    """
    try:
        inspection = inspect_file(entry.path, max_bytes=max(size, 1), pdf_inspector=pdf_inspector)
    except PasswordRequiredError:
        return size, None, True
    except DocumentFileError as exc:  # damaged: still kept, the check reports it
        log.info("recovered file does not open: %s", exc.__class__.__name__)
        return size, None, False
    return size, inspection.page_count, inspection.needs_password


def _facts_in_memory(documents: DocumentService, entry: VaultEntry) -> tuple[int, int | None, bool]:
    """The same facts for a stray file of an encrypted vault, read decrypted in memory (the
    file on disk holds encrypted bytes, and no plaintext copy may be written for a check)."""
    try:
        original = documents.vault.read_bytes(entry.sha256, entry.file_type)
    except Exception as exc:  # does not decrypt: still kept, the check reports it damaged
        log.info("recovered file does not decrypt: %s", exc.__class__.__name__)
        return entry.path.stat().st_size, None, False
    try:
        if entry.file_type is FileType.PDF:
            with open_pdf(original) as pdf:
                return len(original), pdf_page_count(pdf), False
        with open_image(original, entry.file_type) as image:
            return len(original), int(getattr(image, "n_frames", 1)), False
    except PdfLockedError:
        return len(original), None, True
    except Exception as exc:  # damaged: still kept, the check reports it
        log.info("recovered file does not open: %s", exc.__class__.__name__)
        return len(original), None, False


def rebuild_index(documents: DocumentService) -> None:
    """Write the search index again from every document's title, notes, tags and text."""
    with documents.database.write() as session:
        search_index.clear_index(session)
        for row in session.scalars(select(Document)):
            reindex(session, row)


@dataclass(frozen=True, slots=True)
class _Row:
    id: int
    title: str
    sha256: str
    file_type: FileType
    in_trash: bool
    locked: bool  # needs a password BackLog does not keep: no thumbnail can be drawn


def _repair(
    documents: DocumentService,
    report: VaultReport,
    no_thumbnail: list[int],
    adoptable: list[VaultEntry],
    foreign: list[VaultEntry],
    progress: Progress,
    pdf_inspector: PdfInspector | None,
) -> None:
    no_thumbnail = list(no_thumbnail)
    for entry in adoptable:
        progress.check_cancelled()
        recovered = recover_file(documents, entry, pdf_inspector=pdf_inspector)
        report.recovered += 1
        if not documents.get(recovered).file.needs_password:
            no_thumbnail.append(recovered)
    report.orphans = [entry.path for entry in foreign]  # same hash, other type: left for a person
    progress.report(0, 1, "Rebuilding the search index")
    rebuild_index(documents)
    report.index_rebuilt = True
    report.index_stale = not _index_matches(documents)
    still_missing = 0
    for index, document_id in enumerate(no_thumbnail):
        progress.report(index, len(no_thumbnail), "Drawing thumbnails")
        if ensure_thumbnail(documents, document_id) is None:
            still_missing += 1
        else:
            report.thumbnails_rebuilt += 1
    report.thumbnails_missing = still_missing
    if report.thumbnails_rebuilt or report.recovered:
        documents.changes.announce(Change.DOCUMENTS)


def _orphans(documents: DocumentService) -> tuple[list[VaultEntry], list[VaultEntry]]:
    """Vault files no record names: those that can be recovered, and those whose hash a record
    already uses with another file type (tampering; reported, never touched)."""
    with documents.database.read() as session:
        known = {
            (sha, FileType(file_type))
            for sha, file_type in session.execute(select(Document.sha256, Document.file_type))
        }
    known_hashes = {sha for sha, _ in known}
    adoptable: list[VaultEntry] = []
    foreign: list[VaultEntry] = []
    for entry in documents.vault.entries():
        if (entry.sha256, entry.file_type) in known:
            continue
        if entry.sha256 in known_hashes:
            foreign.append(entry)
        else:
            adoptable.append(entry)
            known_hashes.add(entry.sha256)
    return adoptable, foreign


def _index_matches(documents: DocumentService) -> bool:
    """Whether the search index holds exactly each document's current words."""
    expected: dict[int, tuple[str, str, str, str]] = {}
    with documents.database.read() as session:
        tags: dict[int, list[str]] = {}
        for doc_id, tag in session.execute(
            select(DocumentTag.document_id, DocumentTag.tag).order_by(
                DocumentTag.document_id, DocumentTag.position
            )
        ):
            tags.setdefault(doc_id, []).append(tag)
        bodies = dict(session.execute(select(DocumentText.document_id, DocumentText.body)).all())
        for doc_id, title, notes in session.execute(
            select(Document.id, Document.title, Document.notes)
        ):
            tag_words = _words(" ".join(tags.get(doc_id, [])))
            expected[doc_id] = (title, notes or "", tag_words, bodies.get(doc_id, ""))
        try:
            indexed = {
                int(row[0]): (row[1], row[2], _words(row[3]), row[4])
                for row in session.execute(
                    text(f"SELECT rowid, title, notes, tags, body FROM {search_index.FTS_TABLE}")
                )
            }
        except DBAPIError as exc:
            log.warning("search index unreadable: %s", exc.__class__.__name__)
            return False
    if indexed != expected:
        return False
    with documents.database.write() as session:
        try:
            # FTS5's own check that its b-tree agrees with its stored words.
            session.execute(
                text(
                    f"INSERT INTO {search_index.FTS_TABLE}({search_index.FTS_TABLE}) "
                    "VALUES ('integrity-check')"
                )
            )
        except DBAPIError as exc:
            log.warning("search index damaged: %s", exc.__class__.__name__)
            return False
    return True


def _words(tags: str) -> str:
    """Tags in a fixed order: older BackLogs indexed them in any order, which searches alike."""
    return " ".join(sorted(tags.split()))


def _describe(problem: DocumentProblem) -> str:
    where = ", in the trash" if problem.in_trash else ""
    return f"“{safe_text(problem.title)}” (document {problem.document_id}{where})"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
