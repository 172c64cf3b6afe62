"""The vault check and the start-up sweep: report everything, repair caches, never lose a file."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from backlog_app.domain.documents import DocumentData, DocumentKind, FileType, TextStatus
from backlog_app.errors import Cancelled
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.services.documents import DocumentFilter
from backlog_app.services.progress import Progress
from backlog_app.services.thumbnails import thumbnail_path
from backlog_app.services.vault_check import (
    RECOVERED_NOTE,
    DocumentProblem,
    check_vault,
    sweep,
)
from backlog_app.storage.vault import sha256_of
from tests.conftest import fixed_clock
from tests.document_files import (
    pdf_bytes,
    vault_files,
    write_encrypted_pdf,
    write_image,
    write_pdf,
)


def add(profile: ProfileSession, path: Path, title: str) -> int:
    return profile.importer.add(path, DocumentData(DocumentKind.BILL, title, tags=("tagged",)))


def drop_stray(profile: ProfileSession, data: bytes, extension: str = ".pdf") -> Path:
    """A complete file in the vault that no record names (as an older database would see it)."""
    sha = hashlib.sha256(data).hexdigest()
    path = profile.paths.vault / sha[:2] / f"{sha}{extension}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def make_thumbnails(profile: ProfileSession) -> None:
    for row in profile.documents.list(DocumentFilter()):
        thumbnail_path(profile.paths.thumbnails, row.info.file.sha256).write_bytes(b"\x89PNG")


# -- the start-up sweep -------------------------------------------------------------------------


def test_sweep_removes_partials_and_files_strays_into_the_trash(
    profile: ProfileSession, tmp_path: Path
) -> None:
    kept = add(profile, write_pdf(tmp_path / "kept.pdf"), "Kept")
    partial = profile.paths.vault / "ab" / ".0123456789abcdef.partial"
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_bytes(b"half a file")
    stray = drop_stray(profile, pdf_bytes(3, "stray"))
    before = stray.read_bytes()

    report = sweep(profile.documents)
    assert report.partials_removed == 1 and len(report.recovered) == 1
    assert not partial.exists()
    assert stray.read_bytes() == before  # never deleted or changed
    info = profile.documents.get(report.recovered[0])
    today = dt.date.fromtimestamp(stray.stat().st_mtime)
    assert info.data.title == f"Recovered file {today:%Y-%m-%d}"
    assert (info.data.kind, info.data.notes) == (DocumentKind.OTHER, RECOVERED_NOTE)
    assert info.in_trash and info.file.page_count == 3
    assert info.file.sha256 == stray.name.split(".")[0] and info.file.file_type is FileType.PDF
    assert info.text_status is TextStatus.PENDING
    assert profile.documents.file_path(info.id) == stray
    assert [row.info.id for row in profile.documents.list(DocumentFilter())] == [kept]
    assert [row.info.id for row in profile.documents.list(DocumentFilter(in_trash=True))] == [
        info.id
    ]
    # A second sweep finds nothing more to do.
    again = sweep(profile.documents)
    assert (again.partials_removed, again.recovered) == (0, [])


def test_sweep_keeps_strays_it_cannot_open(profile: ProfileSession, tmp_path: Path) -> None:
    locked = drop_stray(profile, write_encrypted_pdf(tmp_path / "l.pdf").read_bytes())
    garbage = drop_stray(profile, b"%PDF-1.4 not really\n%%EOF\n")
    photo = drop_stray(profile, write_image(tmp_path / "p.jpg", "JPEG").read_bytes(), ".jpg")
    report = sweep(profile.documents)
    assert len(report.recovered) == 3
    infos = {profile.documents.file_path(i): profile.documents.get(i) for i in report.recovered}
    assert infos[locked].file.needs_password and infos[locked].text_status is TextStatus.LOCKED
    assert infos[garbage].file.page_count is None
    assert infos[photo].file.file_type is FileType.JPEG
    assert all(path.is_file() for path in (locked, garbage, photo))


def test_opening_a_profile_restored_from_an_older_backup_recovers_newer_files(
    profile_dir: Path, tmp_path: Path
) -> None:
    with open_profile(profile_dir, create=True, clock=fixed_clock) as profile:
        add(profile, write_pdf(tmp_path / "first.pdf"), "First")
    backup = tmp_path / "older.sqlite3"
    shutil.copyfile(profile_dir / "backlog.sqlite3", backup)
    # A copy of the closed profile: the database with its seal (see docs/backups.md).
    shutil.copyfile(profile_dir / "backlog.sqlite3.seal", tmp_path / "older.seal")
    with open_profile(profile_dir, create=False, clock=fixed_clock) as profile:
        add(profile, write_pdf(tmp_path / "second.pdf"), "Second, confidential")
    shutil.copyfile(backup, profile_dir / "backlog.sqlite3")  # the user restores the backup
    shutil.copyfile(tmp_path / "older.seal", profile_dir / "backlog.sqlite3.seal")

    with open_profile(profile_dir, create=False, clock=fixed_clock) as profile:
        titles = [row.info.data.title for row in profile.documents.list(DocumentFilter())]
        trash = profile.documents.list(DocumentFilter(in_trash=True))
        assert titles == ["First"]
        assert [row.info.data.title.startswith("Recovered file ") for row in trash] == [True]
        assert len(vault_files(profile.paths.vault)) == 2
    log_text = (profile_dir / "logs" / "backlog.log").read_text(encoding="utf-8")
    assert "vault sweep: 0 interrupted copies removed, 1 stray files recovered" in log_text
    assert "confidential" not in log_text and "second.pdf" not in log_text


def test_a_failing_sweep_does_not_keep_the_profile_closed(
    profile_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backlog_app.services import vault_check

    def broken(documents: object) -> None:
        raise OSError("disk trouble")

    monkeypatch.setattr(vault_check, "sweep", broken)
    with open_profile(profile_dir, create=True, clock=fixed_clock) as profile:
        assert profile.documents.count() == 0
    assert "vault sweep failed: OSError" in (profile_dir / "logs" / "backlog.log").read_text(
        encoding="utf-8"
    )


# -- check_vault --------------------------------------------------------------------------------


def test_a_healthy_vault_is_ok(profile: ProfileSession, tmp_path: Path) -> None:
    add(profile, write_pdf(tmp_path / "a.pdf"), "A")
    add(profile, write_image(tmp_path / "b.png", "PNG"), "B")
    make_thumbnails(profile)
    report = check_vault(profile.documents)
    assert report.ok and report.checked == 2
    assert report.lines() == ["Checked 2 documents.", "Everything is in order."]


def test_an_empty_profile_is_ok(profile: ProfileSession) -> None:
    report = check_vault(profile.documents, repair=True)
    assert report.ok and report.lines()[-1] == "Everything is in order."


def test_every_problem_is_reported_and_repair_fixes_only_the_caches(
    profile: ProfileSession, tmp_path: Path
) -> None:
    missing = add(profile, write_pdf(tmp_path / "m.pdf"), "Missing one")
    damaged = add(profile, write_pdf(tmp_path / "d.pdf"), "Damaged one")
    healthy = add(profile, write_image(tmp_path / "h.png", "PNG", (600, 400)), "Healthy")
    locked = profile.importer.add(write_encrypted_pdf(tmp_path / "l.pdf"), password="secret")
    profile.documents.trash(missing)

    gone = profile.documents.file_path(missing)
    gone.chmod(0o644)
    gone.unlink()
    bad = profile.documents.file_path(damaged)
    bad.chmod(0o644)
    bad.write_bytes(bad.read_bytes().replace(b"Damaged", b"Tampered") + b"% bit rot\n")
    damaged_bytes = bad.read_bytes()
    stray = drop_stray(profile, pdf_bytes(1, "stray"))
    with profile.database.write() as session:  # the index lost a row
        session.execute(text("DELETE FROM document_fts WHERE rowid = :id"), {"id": healthy})

    report = check_vault(profile.documents)
    assert not report.ok and report.checked == 4
    assert report.missing == [DocumentProblem(missing, "Missing one", True)]
    assert report.damaged == [DocumentProblem(damaged, "Damaged one", False)]
    assert report.orphans == [stray]
    assert report.thumbnails_missing == 1  # only "Healthy": the locked PDF cannot have one
    assert report.index_stale and not report.index_rebuilt
    assert report.lines("`backlog check --repair`") == [
        "Checked 4 documents.",
        f"Missing: the file of “Missing one” (document {missing}, in the trash) is not in the "
        "vault. Restore the profile folder from a backup, or add the original again.",
        f"Damaged: the file of “Damaged one” (document {damaged}) has changed since it was "
        "added. Restore the profile folder from a backup, or add the original again.",
        f"A file without a record is in the vault ({stray.name}). `backlog check --repair` "
        "puts it in the trash as a recovered file.",
        "The search index is out of date. `backlog check --repair` rebuilds it.",
        "1 thumbnail missing. `backlog check --repair` draws them again.",
    ]
    assert profile.documents.list(DocumentFilter(text="healthy")) == []

    repaired = check_vault(profile.documents, repair=True)
    assert repaired.index_rebuilt and not repaired.index_stale
    assert (repaired.thumbnails_rebuilt, repaired.thumbnails_missing) == (2, 0)  # + recovered
    assert (repaired.recovered, repaired.orphans) == (1, [])
    assert thumbnail_path(
        profile.paths.thumbnails, profile.documents.get(healthy).file.sha256
    ).is_file()
    assert [r.info.id for r in profile.documents.list(DocumentFilter(text="healthy"))] == [healthy]
    assert [r.info.id for r in profile.documents.list(DocumentFilter(tag="tagged"))] == [
        healthy,
        damaged,
    ]
    # Never deleted or rewritten: the damaged file keeps its bytes, the missing one stays missing.
    assert bad.read_bytes() == damaged_bytes and not gone.exists() and stray.is_file()
    assert not repaired.ok  # what only a backup can fix remains
    assert repaired.lines()[3:] == [
        "Put 1 file without a record in the trash as “Recovered file …”; restore what you want "
        "to keep.",
        "Rebuilt the search index.",
        "Drew 2 missing thumbnails.",
    ]
    assert locked in {row.info.id for row in profile.documents.list(DocumentFilter())}

    # After repair, only the problems a person must solve are left.
    again = check_vault(profile.documents)
    assert (again.missing, again.damaged) == (repaired.missing, repaired.damaged)
    assert (again.orphans, again.thumbnails_missing, again.index_stale) == ([], 0, False)


def test_a_stray_sharing_a_hash_with_another_type_is_reported_but_left_alone(
    profile: ProfileSession, tmp_path: Path
) -> None:
    source = write_pdf(tmp_path / "a.pdf")
    add(profile, source, "A")
    make_thumbnails(profile)
    sha = sha256_of(source)
    odd = profile.paths.vault / sha[:2] / f"{sha}.jpg"
    odd.write_bytes(b"someone put this here")
    assert sweep(profile.documents).recovered == []
    report = check_vault(profile.documents, repair=True)
    assert report.orphans == [odd] and report.recovered == 0 and not report.ok
    assert odd.read_bytes() == b"someone put this here"


def test_a_thumbnail_that_cannot_be_drawn_is_said_so(
    profile: ProfileSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backlog_app.services import vault_check

    add(profile, write_pdf(tmp_path / "a.pdf"), "A")
    monkeypatch.setattr(vault_check, "ensure_thumbnail", lambda documents, doc_id: None)
    report = check_vault(profile.documents, repair=True)
    assert (report.thumbnails_rebuilt, report.thumbnails_missing) == (0, 1)
    assert (
        "1 thumbnail could not be drawn; the files are kept as they are (see the log for why)."
        in (report.lines())
    )


def test_cancel_stops_the_check(profile: ProfileSession, tmp_path: Path) -> None:
    add(profile, write_pdf(tmp_path / "a.pdf"), "A")
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        check_vault(profile.documents, repair=True, progress=progress)


def test_progress_is_reported_per_document(profile: ProfileSession, tmp_path: Path) -> None:
    for n in range(3):
        add(profile, write_pdf(tmp_path / f"{n}.pdf"), f"Doc {n}")
    seen: list[tuple[int, int, str]] = []

    class Recording(Progress):
        def report(self, done: int, total: int, label: str = "") -> None:
            seen.append((done, total, label))
            super().report(done, total, label)

    check_vault(profile.documents, progress=Recording())
    assert seen[:3] == [
        (0, 3, "Checking Doc 0"),
        (1, 3, "Checking Doc 1"),
        (2, 3, "Checking Doc 2"),
    ]
    assert seen[-1] == (3, 3, "Checked")


def test_tags_indexed_in_another_order_are_not_a_problem(
    profile: ProfileSession, tmp_path: Path
) -> None:
    doc = profile.importer.add(
        write_pdf(tmp_path / "a.pdf"), DocumentData(DocumentKind.BILL, "A", tags=("zeta", "alpha"))
    )
    make_thumbnails(profile)
    with profile.database.write() as session:  # as an older BackLog wrote them
        session.execute(
            text("UPDATE document_fts SET tags = 'alpha zeta' WHERE rowid = :id"), {"id": doc}
        )
    assert check_vault(profile.documents).ok
    with profile.database.write() as session:
        session.execute(
            text("UPDATE document_fts SET tags = 'alpha' WHERE rowid = :id"), {"id": doc}
        )
    assert check_vault(profile.documents).index_stale
