"""The scan inbox: import what a scanner dropped, move it to imported/, never overwrite a file."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from backlog_app.errors import UserError
from backlog_app.services import scan_inbox
from backlog_app.services.context import ProfileSession
from backlog_app.services.scan_inbox import import_inbox, inbox_files, move_without_overwrite
from tests.document_files import write_encrypted_pdf, write_image, write_pdf


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "Scans"
    folder.mkdir()
    return folder


def names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_added_and_duplicate_files_move_refused_ones_stay(
    profile: ProfileSession, inbox: Path, tmp_path: Path
) -> None:
    already = write_pdf(tmp_path / "earlier.pdf")
    profile.importer.add(already)
    write_pdf(inbox / "referral.pdf", pages=2)
    write_image(inbox / "card.jpg", "JPEG")
    (inbox / "again.pdf").write_bytes(already.read_bytes())
    (inbox / "empty.pdf").write_bytes(b"")
    write_encrypted_pdf(inbox / "locked.pdf")
    (inbox / "link.pdf").symlink_to(inbox / "referral.pdf")
    # Not for us: hidden files, unfinished downloads, folders a sync app makes.
    (inbox / ".DS_Store").write_bytes(b"\0")
    (inbox / "download.pdf.part").write_bytes(b"%PDF-1.4")
    (inbox / "sync").mkdir()

    report = import_inbox(profile.importer, inbox)

    assert [p.name for p in report.added_files] == ["card.jpg", "referral.pdf"]
    assert [e.path.name for e in report.duplicates] == ["again.pdf"]
    assert sorted(e.path.name for e in report.refused) == ["empty.pdf", "link.pdf"]
    assert [p.name for p in report.need_password] == ["locked.pdf"]
    assert names(inbox / "imported") == ["again.pdf", "card.jpg", "referral.pdf"]
    assert names(inbox) == [
        ".DS_Store",
        "download.pdf.part",
        "empty.pdf",
        "imported",
        "link.pdf",
        "locked.pdf",
        "sync",
    ]
    assert profile.documents.count() == 3
    # The moved files are the originals, unchanged.
    stored = profile.documents.file_path(report.added[1])
    assert (inbox / "imported" / "referral.pdf").read_bytes() == stored.read_bytes()

    again = import_inbox(profile.importer, inbox)
    assert again.added == [] and again.duplicates == []
    assert profile.documents.count() == 3


def test_an_empty_inbox_makes_no_imported_folder(profile: ProfileSession, inbox: Path) -> None:
    report = import_inbox(profile.importer, inbox)
    assert report.added == [] and report.problems == []
    assert names(inbox) == []


def test_moving_never_overwrites_a_file_of_the_same_name(
    profile: ProfileSession, inbox: Path
) -> None:
    imported = inbox / "imported"
    imported.mkdir()
    (imported / "scan.pdf").write_bytes(b"first")
    (imported / "scan (2).pdf").write_bytes(b"second")
    write_pdf(inbox / "scan.pdf", pages=3)
    report = import_inbox(profile.importer, inbox)
    assert len(report.added) == 1
    assert names(imported) == ["scan (2).pdf", "scan (3).pdf", "scan.pdf"]
    assert (imported / "scan.pdf").read_bytes() == b"first"
    assert (imported / "scan (2).pdf").read_bytes() == b"second"
    assert "scan.pdf" not in names(inbox)


@pytest.mark.parametrize(
    ("name", "taken", "expected"),
    [
        ("scan", ["scan"], "scan (2)"),
        ("a.b.pdf", ["a.b.pdf"], "a.b (2).pdf"),
        (".hidden", [".hidden"], ".hidden (2)"),
    ],
)
def test_numbered_names(tmp_path: Path, name: str, taken: list[str], expected: str) -> None:
    target = tmp_path / "imported"
    target.mkdir()
    for other in taken:
        (target / other).write_bytes(b"x")
    source = tmp_path / name
    source.write_bytes(b"new")
    assert move_without_overwrite(source, target) == target / expected
    assert not source.exists()


def test_moving_where_hard_links_are_not_supported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "imported"
    target.mkdir()
    (target / "scan.pdf").write_bytes(b"old")
    source = tmp_path / "scan.pdf"
    source.write_bytes(b"new")
    moved = move_without_overwrite(source, target)
    assert moved.name == "scan (2).pdf" and moved.read_bytes() == b"new"
    assert (target / "scan.pdf").read_bytes() == b"old" and not source.exists()


def test_a_move_that_fails_leaves_the_file_for_next_time(
    profile: ProfileSession, inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_pdf(inbox / "scan.pdf")

    def fail(path: Path, folder: Path) -> Path:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(scan_inbox, "move_without_overwrite", fail)
    report = import_inbox(profile.importer, inbox)
    assert len(report.added) == 1 and names(inbox) == ["scan.pdf"]
    monkeypatch.undo()
    later = import_inbox(profile.importer, inbox)
    assert len(later.duplicates) == 1 and names(inbox / "imported") == ["scan.pdf"]


def test_a_missing_or_wrong_inbox_is_a_plain_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"does not exist\. Choose it again in Settings"):
        inbox_files(tmp_path / "gone")
    file = tmp_path / "file"
    file.write_bytes(b"")
    with pytest.raises(UserError, match="is a file, not a folder"):
        inbox_files(file)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file names")
def test_files_are_taken_in_name_order(inbox: Path) -> None:
    for name in ("b.pdf", "A.pdf", "c.jpg", "~$lock.docx", "backup~"):
        (inbox / name).write_bytes(b"x")
    assert [p.name for p in inbox_files(inbox)] == ["A.pdf", "b.pdf", "c.jpg"]


def test_only_the_settled_files_are_taken(profile: ProfileSession, tmp_path: Path) -> None:
    """The watcher names the files it saw settle; one that arrived since waits its turn."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_pdf(inbox / "settled.pdf", marker="settled")
    write_pdf(inbox / "just-arrived.pdf", marker="new")

    report = import_inbox(profile.importer, inbox, only={"settled.pdf"})

    assert [path.name for path in report.added_files] == ["settled.pdf"]
    assert (inbox / "just-arrived.pdf").exists()
    assert (inbox / "imported" / "settled.pdf").exists()
