"""Adding files: every accepted type, every bad input, and failures at each step of the copy.

A refused file must leave nothing behind: no file in the vault (not even a ``.partial``), no
document row, no words in the search index.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from backlog_app.domain.documents import DocumentData, DocumentKind, FileType, TextStatus
from backlog_app.errors import ValidationError
from backlog_app.services import document_import
from backlog_app.services.context import ProfileSession
from backlog_app.services.document_import import (
    DocumentImporter,
    DuplicateDocumentError,
    ImportDefaults,
)
from backlog_app.services.documents import DocumentFilter
from backlog_app.services.progress import Progress
from backlog_app.storage.file_inspect import DocumentFileError, PasswordRequiredError
from backlog_app.storage.models import Document, DocumentTag
from backlog_app.storage.vault import sha256_of
from tests.document_files import (
    image_bytes,
    pdf_bytes,
    png_header_only,
    vault_files,
    write_broken_xref_pdf,
    write_docx,
    write_encrypted_pdf,
    write_image,
    write_pdf,
    write_tiff,
    write_truncated_pdf,
)


def assert_nothing_stored(profile: ProfileSession) -> None:
    assert vault_files(profile.paths.vault) == []
    with profile.database.read() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0
        assert session.scalar(select(func.count()).select_from(DocumentTag)) == 0
        assert session.scalar(text("SELECT count(*) FROM document_fts")) == 0


def refused(profile: ProfileSession, path: Path, **kwargs: object) -> str:
    with pytest.raises(DocumentFileError) as caught:
        profile.importer.add(path, **kwargs)  # type: ignore[arg-type]
    assert_nothing_stored(profile)
    message = caught.value.message
    assert message.startswith(f"“{path.name}” was not added: "), message
    return message


# -- what is accepted ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "write", "file_type", "pages"),
    [
        ("Referral 2026-03-04.pdf", lambda p: write_pdf(p, pages=3), FileType.PDF, 3),
        ("insurance card.jpg", lambda p: write_image(p, "JPEG"), FileType.JPEG, 1),
        ("scan.png", lambda p: write_image(p, "PNG"), FileType.PNG, 1),
        ("fax.tiff", lambda p: write_tiff(p, pages=3), FileType.TIFF, 3),
        ("IMG_2041.HEIC", lambda p: write_image(p, "HEIF"), FileType.HEIC, 1),
        ("photo.webp", lambda p: write_image(p, "WEBP"), FileType.WEBP, 1),
    ],
)
def test_each_accepted_type_is_added(
    profile: ProfileSession,
    tmp_path: Path,
    name: str,
    write: Callable[[Path], Path],
    file_type: FileType,
    pages: int,
) -> None:
    path = write(tmp_path / name)
    original = path.read_bytes()
    doc_id = profile.importer.add(path)
    info = profile.documents.get(doc_id)
    sha = sha256_of(path)
    assert (info.file.file_type, info.file.page_count, info.file.sha256) == (file_type, pages, sha)
    assert (info.data.kind, info.file.original_name) == (DocumentKind.OTHER, name)
    assert info.text_status is TextStatus.PENDING
    stored = profile.documents.file_path(doc_id)
    assert stored.name == f"{sha}{file_type.extension}"
    assert vault_files(profile.paths.vault) == [stored]
    assert stored.read_bytes() == original == path.read_bytes()  # copied, original untouched
    title_word = info.data.title.split()[0]
    found = profile.documents.list(DocumentFilter(text=title_word))
    assert [row.info.id for row in found] == [doc_id]


def test_metadata_given_at_import_is_kept(profile: ProfileSession, tmp_path: Path) -> None:
    data = DocumentData(
        kind=DocumentKind.DENIAL_LETTER,
        title="  Denial – MRI  ",
        document_date=dt.date(2026, 3, 4),
        notes="Appeal within 180 days",
        tags=("appeal", " MRI ", "Appeal"),
    )
    info = profile.documents.get(profile.importer.add(write_pdf(tmp_path / "x.pdf"), data))
    assert info.data == DocumentData(
        kind=DocumentKind.DENIAL_LETTER,
        title="Denial – MRI",
        document_date=dt.date(2026, 3, 4),
        notes="Appeal within 180 days",
        tags=("appeal", "MRI"),
    )


def test_bad_metadata_is_refused_before_the_file_is_read(
    profile: ProfileSession, tmp_path: Path
) -> None:
    data = DocumentData(kind=DocumentKind.BILL, title="Bill", document_date=dt.date(2027, 1, 1))
    with pytest.raises(ValidationError, match="in the future"):
        profile.importer.add(tmp_path / "does-not-exist.pdf", data)
    assert_nothing_stored(profile)


# -- every bad input from the issue -------------------------------------------------------------


def test_an_empty_file(profile: ProfileSession, tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"")
    assert "empty (0 bytes)" in refused(profile, path)


def test_a_truncated_pdf(profile: ProfileSession, tmp_path: Path) -> None:
    assert "incomplete" in refused(profile, write_truncated_pdf(tmp_path / "eob.pdf"))


def test_a_broken_cross_reference_table_that_qpdf_rebuilds(
    profile: ProfileSession, tmp_path: Path
) -> None:
    path = write_broken_xref_pdf(tmp_path / "fax.pdf", repairable=True)
    original = path.read_bytes()
    report = profile.importer.add_files([path])
    assert len(report.added) == 1 and report.repaired == report.added
    assert report.notes == [
        "“fax.pdf” was damaged. It was added exactly as it is; BackLog repairs it on the fly "
        "to show and print it."
    ]
    info = profile.documents.get(report.added[0])
    assert (info.file.repaired, info.file.page_count) == (True, 2)
    # The vault keeps the damaged original byte for byte; repair is only ever for viewing.
    assert profile.documents.file_path(info.id).read_bytes() == original


def test_a_broken_cross_reference_table_beyond_repair(
    profile: ProfileSession, tmp_path: Path
) -> None:
    path = write_broken_xref_pdf(tmp_path / "fax.pdf", repairable=False)
    assert "damaged and could not be repaired" in refused(profile, path)


def test_a_password_protected_pdf(profile: ProfileSession, tmp_path: Path) -> None:
    path = write_encrypted_pdf(tmp_path / "statement.pdf", password="s3cret")
    with pytest.raises(PasswordRequiredError) as caught:
        profile.importer.add(path)
    assert not caught.value.wrong_password
    assert caught.value.message == (
        "“statement.pdf” was not added: it is protected with a password. "
        "Type the password to add it."
    )
    assert_nothing_stored(profile)

    with pytest.raises(PasswordRequiredError) as caught:
        profile.importer.add(path, password="guess")
    assert caught.value.wrong_password
    assert "that password did not open it" in caught.value.message
    assert_nothing_stored(profile)

    doc_id = profile.importer.add(path, password="s3cret", remember_password=True)
    info = profile.documents.get(doc_id)
    assert (info.file.needs_password, info.file.page_count) == (True, 2)
    assert profile.documents.saved_password(doc_id) == "s3cret"
    assert info.text_status is TextStatus.PENDING


def test_a_password_not_remembered_is_not_stored(profile: ProfileSession, tmp_path: Path) -> None:
    path = write_encrypted_pdf(tmp_path / "statement.pdf", password="s3cret")
    doc_id = profile.importer.add(path, password="s3cret")
    assert profile.documents.saved_password(doc_id) is None
    # Its text cannot be read later without asking again.
    assert profile.documents.get(doc_id).text_status is TextStatus.LOCKED


def test_a_20000_by_20000_png(profile: ProfileSession, tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    path.write_bytes(png_header_only(20_000, 20_000))
    assert "too large to open safely" in refused(profile, path)


def test_a_jpeg_renamed_pdf(profile: ProfileSession, tmp_path: Path) -> None:
    path = tmp_path / "card.pdf"
    path.write_bytes(image_bytes("JPEG"))
    assert "its name says PDF but it is really a JPEG image" in refused(profile, path)


def test_a_file_name_with_dot_dot_rtl_marks_and_emoji(
    profile: ProfileSession, tmp_path: Path
) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    name = "..\\..\\..\\ev\u202efdp.jpg 🩻\u200e.pdf"
    path = folder / ".." / "downloads" / name
    path.write_bytes(pdf_bytes(1, "named"))
    doc_id = profile.importer.add(path)
    info = profile.documents.get(doc_id)
    sha = sha256_of(path)
    # The stored name comes from the hash alone; nothing of the user's name reaches a path.
    assert vault_files(profile.paths.vault) == [profile.paths.vault / sha[:2] / f"{sha}.pdf"]
    assert info.file.original_name == "..\\..\\..\\ev\\u202efdp.jpg 🩻\\u200e.pdf"
    assert info.data.title == "\\..\\..\\evfdp.jpg 🩻"  # a title only; never a path
    copy = profile.documents.save_copy(doc_id, tmp_path)
    assert copy.parent == tmp_path and copy.name == "evfdp.jpg 🩻.pdf"


def test_a_symlink(profile: ProfileSession, tmp_path: Path) -> None:
    link = tmp_path / "shortcut.pdf"
    link.symlink_to(write_pdf(tmp_path / "real.pdf"))
    assert "symbolic link" in refused(profile, link)


def test_a_directory(profile: ProfileSession, tmp_path: Path) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    assert "it is a folder" in refused(profile, folder)


def test_an_unreadable_file(
    profile: ProfileSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated with a failing open(): the tests may run as root, who can read anything (the
    real chmod 000 case is in tests/unit/storage/test_file_inspect.py)."""
    path = write_pdf(tmp_path / "private.pdf")
    real_open = Path.open

    def no_access(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", no_access)
    assert "not allowed to read it" in refused(profile, path)


def test_a_file_over_the_size_limit(profile: ProfileSession, tmp_path: Path) -> None:
    importer = DocumentImporter(profile.documents, max_bytes=1000)
    path = tmp_path / "scan.jpg"
    path.write_bytes(image_bytes("JPEG", (400, 400)) + b"\0" * 1000)
    with pytest.raises(DocumentFileError, match="larger than the 1,000 bytes limit"):
        importer.add(path)
    assert_nothing_stored(profile)


def test_an_unsupported_type(profile: ProfileSession, tmp_path: Path) -> None:
    message = refused(profile, write_docx(tmp_path / "letter.docx"))
    assert "It looks like a ZIP or Word/Excel file" in message


# -- failures while storing ---------------------------------------------------------------------


def test_a_file_that_changes_between_check_and_copy(
    profile: ProfileSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_pdf(tmp_path / "eob.pdf")
    inspect = profile.importer.inspect

    def inspect_then_change(p: Path, **kwargs: object) -> object:
        result = inspect(p, **kwargs)  # type: ignore[arg-type]
        p.write_bytes(p.read_bytes() + b"%% a sync app rewrote it\n")
        return result

    monkeypatch.setattr(profile.importer, "inspect", inspect_then_change)
    assert "changed while it was being added" in refused(profile, path)


def test_a_disk_error_mid_copy_leaves_no_partial_file(
    profile: ProfileSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    message = refused(profile, write_pdf(tmp_path / "eob.pdf"))
    assert "There is not enough free space on the disk to save a copy of it" in message


def _failing_reindex(code: int) -> Callable[..., None]:
    def reindex(*args: object) -> None:
        cause = sqlite3.OperationalError("simulated failure")
        cause.sqlite_errorcode = code
        raise OperationalError("INSERT INTO document_fts", {}, cause)

    return reindex


def test_a_database_failure_after_the_copy_removes_the_file(
    profile: ProfileSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(document_import, "reindex", _failing_reindex(sqlite3.SQLITE_ERROR))
    with pytest.raises(OperationalError):  # not the user's doing: reported as a bug
        profile.importer.add(write_pdf(tmp_path / "eob.pdf"))
    assert_nothing_stored(profile)


def test_a_full_disk_while_recording_is_explained(
    profile: ProfileSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(document_import, "reindex", _failing_reindex(sqlite3.SQLITE_FULL))
    assert "There is not enough free space on the disk" in refused(
        profile, write_pdf(tmp_path / "eob.pdf")
    )


def test_the_same_file_again_names_the_existing_document(
    profile: ProfileSession, tmp_path: Path
) -> None:
    first = write_pdf(tmp_path / "mri.pdf")
    data = DocumentData(kind=DocumentKind.IMAGING_REPORT, title="MRI lumbar spine")
    doc_id = profile.importer.add(first, data)
    copy = tmp_path / "mri (1).pdf"
    copy.write_bytes(first.read_bytes())
    with pytest.raises(DuplicateDocumentError) as caught:
        profile.importer.add(copy)
    assert caught.value.existing_id == doc_id
    assert caught.value.message == (
        "“mri (1).pdf” is already in your documents as “MRI lumbar spine”."
    )
    profile.documents.trash(doc_id)
    with pytest.raises(DuplicateDocumentError, match=r"“MRI lumbar spine” \(it is in the trash\)"):
        profile.importer.add(copy)
    assert profile.documents.count() == 1
    assert len(vault_files(profile.paths.vault)) == 1


def test_a_duplicate_found_only_at_insert_keeps_the_other_documents_file(
    profile: ProfileSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two imports of the same file racing: the loser must not delete the winner's file."""
    path = write_pdf(tmp_path / "mri.pdf")
    winner = profile.importer.add(path)
    monkeypatch.setattr(profile.importer, "_refuse_duplicate", lambda inspection: None)
    monkeypatch.setattr(profile.documents.vault, "has", lambda sha, file_type: False)
    with pytest.raises(DuplicateDocumentError):
        profile.importer.add(path)
    assert profile.documents.file_path(winner).is_file()


# -- batches ------------------------------------------------------------------------------------


def test_a_batch_adds_what_it_can_and_explains_the_rest(
    profile: ProfileSession, tmp_path: Path
) -> None:
    good = [write_pdf(tmp_path / "a.pdf"), write_image(tmp_path / "b.jpg", "JPEG")]
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    locked = write_encrypted_pdf(tmp_path / "locked.pdf")
    dup = tmp_path / "a copy.pdf"
    dup.write_bytes(good[0].read_bytes())
    defaults = ImportDefaults(kind=DocumentKind.BILL, tags=("2026",))
    report = profile.importer.add_files([*good, empty, locked, dup], defaults)
    assert report.added_files == good and len(report.added) == 2
    assert [error.path for error in report.refused] == [empty]
    assert [error.path for error in report.duplicates] == [dup]
    assert report.need_password == [locked]
    assert report.problems == [
        "“empty.png” was not added: the file is empty (0 bytes). Scan or save it again.",
        "“a copy.pdf” is already in your documents as “a”.",
        "“locked.pdf” is protected with a password; add it on its own to type it.",
    ]
    assert not report.cancelled
    for doc_id in report.added:
        info = profile.documents.get(doc_id)
        assert (info.data.kind, info.data.tags) == (DocumentKind.BILL, ("2026",))


def test_batch_defaults_breaking_a_rule_stop_before_any_file(
    profile: ProfileSession, tmp_path: Path
) -> None:
    defaults = ImportDefaults(title="x" * 300)
    with pytest.raises(ValidationError, match="title is too long"):
        profile.importer.add_files([write_pdf(tmp_path / "a.pdf")], defaults)
    assert_nothing_stored(profile)


class CancelAt(Progress):
    """Presses Cancel when the batch reaches file number ``index``."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index

    def report(self, done: int, total: int, label: str = "") -> None:
        if label.startswith("Adding") and done == self.index:
            self.cancel()
        super().report(done, total, label)


def test_cancel_between_files_keeps_the_finished_ones(
    profile: ProfileSession, tmp_path: Path
) -> None:
    paths = [write_pdf(tmp_path / f"{n}.pdf") for n in range(4)]
    report = profile.importer.add_files(paths, progress=CancelAt(2))
    assert report.cancelled
    assert report.added_files == paths[:2]
    assert profile.documents.count() == 2
    assert len(vault_files(profile.paths.vault)) == 2


def test_cancel_during_a_copy_leaves_nothing_of_that_file(
    profile: ProfileSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    progress = Progress()
    store = profile.documents.vault.store

    def cancel_then_store(*args: Any, **kwargs: Any) -> Path:
        progress.cancel()  # the user presses Cancel while the bytes are being copied
        return store(*args, **kwargs)

    monkeypatch.setattr(profile.documents.vault, "store", cancel_then_store)
    report = profile.importer.add_files([write_pdf(tmp_path / "big.pdf")], progress=progress)
    assert report.cancelled and report.added == []
    assert_nothing_stored(profile)
