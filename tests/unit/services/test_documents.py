"""The documents service: listing, filters, search, editing, tags, links, trash and copies."""

from __future__ import annotations

import datetime as dt
import errno
from pathlib import Path

import pytest

from backlog_app.domain.documents import (
    DocumentData,
    DocumentKind,
    LinkTarget,
    TextStatus,
)
from backlog_app.domain.log_records import (
    MedicationData,
    TherapyCourseData,
    TreatmentData,
    TreatmentKind,
)
from backlog_app.domain.records import ProviderData, ProviderRole
from backlog_app.errors import UserError, ValidationError
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession
from backlog_app.services.documents import DocumentFilter, safe_file_name
from backlog_app.storage.search_index import MARK_END, MARK_START
from tests.document_files import vault_files, write_image, write_pdf


def add(
    profile: ProfileSession,
    tmp_path: Path,
    title: str,
    kind: DocumentKind = DocumentKind.OTHER,
    day: dt.date | None = None,
    tags: tuple[str, ...] = (),
    notes: str | None = None,
    provider_id: int | None = None,
) -> int:
    path = write_pdf(tmp_path / f"{title}.pdf")
    data = DocumentData(kind, title, day, provider_id, notes, tags)
    return profile.importer.add(path, data)


def ids(profile: ProfileSession, **filter_fields: object) -> list[int]:
    filter = DocumentFilter(**filter_fields)  # type: ignore[arg-type]
    return [row.info.id for row in profile.documents.list(filter)]


@pytest.fixture
def changes(profile: ProfileSession) -> list[frozenset[Change]]:
    seen: list[frozenset[Change]] = []
    profile.changes.subscribe(seen.append)
    return seen


# -- listing and filters ------------------------------------------------------------------------


def test_list_is_newest_document_date_first_and_undated_last(
    profile: ProfileSession, tmp_path: Path
) -> None:
    old = add(profile, tmp_path, "Old", day=dt.date(2025, 1, 2))
    undated = add(profile, tmp_path, "Undated")
    new = add(profile, tmp_path, "New", day=dt.date(2026, 5, 6))
    assert ids(profile) == [new, old, undated]


def test_filters_by_kind_date_provider_and_tag(profile: ProfileSession, tmp_path: Path) -> None:
    surgeon = profile.providers.add(ProviderData("Dr. Ana Ruiz", ProviderRole.SPINE_SURGEON))
    denial = add(profile, tmp_path, "Denial", DocumentKind.DENIAL_LETTER, dt.date(2026, 3, 1))
    eob = add(profile, tmp_path, "EOB", DocumentKind.EOB, dt.date(2026, 4, 1), tags=("Ärztin",))
    referral = add(
        profile, tmp_path, "Referral", DocumentKind.REFERRAL, dt.date(2026, 2, 1),
        tags=("MRI", "lumbar"), provider_id=surgeon,
    )  # fmt: skip
    assert ids(profile, kinds=frozenset({DocumentKind.EOB, DocumentKind.DENIAL_LETTER})) == [
        eob,
        denial,
    ]
    assert ids(profile, date_from=dt.date(2026, 2, 15), date_to=dt.date(2026, 3, 31)) == [denial]
    assert ids(profile, provider_id=surgeon) == [referral]
    assert ids(profile, tag="mri") == [referral]
    # Tags match ignoring case in every script, not only ASCII.
    assert ids(profile, tag="ärztin") == ids(profile, tag="ÄRZTIN") == [eob]
    assert ids(profile, tag="nothing") == []
    assert profile.documents.tags() == ["lumbar", "MRI", "Ärztin"]


def test_counts(profile: ProfileSession, tmp_path: Path) -> None:
    add(profile, tmp_path, "A", DocumentKind.BILL)
    add(profile, tmp_path, "B", DocumentKind.BILL)
    trashed = add(profile, tmp_path, "C", DocumentKind.EOB)
    profile.documents.trash(trashed)
    counts = profile.documents.counts()
    assert (counts.active, counts.in_trash) == (2, 1)
    assert counts.by_kind == {DocumentKind.BILL: 2}
    assert profile.documents.count() == 3


# -- search -------------------------------------------------------------------------------------


def test_search_covers_title_notes_tags_and_text_with_marked_snippets(
    profile: ProfileSession, tmp_path: Path
) -> None:
    by_title = add(profile, tmp_path, "Lumbar MRI report")
    by_notes = add(profile, tmp_path, "Letter", notes="Call the lumbar clinic back")
    by_tag = add(profile, tmp_path, "Photo", tags=("lumbar",))
    by_text = add(profile, tmp_path, "Scan")
    profile.documents.set_text(
        by_text, "Findings: lumbar disc herniation at L4-L5.", TextStatus.OCR
    )
    rows = profile.documents.list(DocumentFilter(text="lumb"))
    assert {row.info.id for row in rows} == {by_title, by_notes, by_tag, by_text}
    assert rows[0].info.id == by_title  # a title match weighs most
    snippet = next(row.snippet for row in rows if row.info.id == by_text)
    assert snippet is not None and f"{MARK_START}lumbar{MARK_END}" in snippet
    assert profile.documents.get(by_text).text_status is TextStatus.OCR
    assert profile.documents.text_of(by_text).startswith("Findings")
    # Typed operators are searched as words, not obeyed (and do not break the query).
    assert len(profile.documents.list(DocumentFilter(text='-"lumbar*'))) == 4
    assert profile.documents.list(DocumentFilter(text="herniation", in_trash=True)) == []


def test_search_and_filters_combine(profile: ProfileSession, tmp_path: Path) -> None:
    bill = add(profile, tmp_path, "Hospital bill", DocumentKind.BILL)
    add(profile, tmp_path, "Hospital letter", DocumentKind.CORRESPONDENCE)
    assert ids(profile, text="hospital", kinds=frozenset({DocumentKind.BILL})) == [bill]


# -- editing ------------------------------------------------------------------------------------


def test_update_changes_metadata_and_the_index(
    profile: ProfileSession, tmp_path: Path, changes: list[frozenset[Change]]
) -> None:
    doc = add(profile, tmp_path, "Scan 1", tags=("old",))
    new = DocumentData(
        DocumentKind.APPEAL_LETTER, " Appeal  ", dt.date(2026, 6, 1), None, " sent ", ("new", "x")
    )
    profile.documents.update(doc, new)
    info = profile.documents.get(doc)
    assert info.data == DocumentData(
        DocumentKind.APPEAL_LETTER, "Appeal", dt.date(2026, 6, 1), None, "sent", ("new", "x")
    )
    assert ids(profile, text="appeal") == [doc]
    assert ids(profile, text="scan") == []
    assert ids(profile, tag="old") == []
    assert Change.DOCUMENTS in changes[-1]


def test_an_invalid_update_writes_nothing(profile: ProfileSession, tmp_path: Path) -> None:
    doc = add(profile, tmp_path, "Scan")
    before = profile.documents.get(doc)
    bad = DocumentData(DocumentKind.BILL, "", dt.date(2030, 1, 1), tags=("a,b",))
    with pytest.raises(ValidationError) as caught:
        profile.documents.update(doc, bad)
    assert len(caught.value.problems) == 3
    assert profile.documents.get(doc) == before


def test_a_removed_document_is_a_plain_error(profile: ProfileSession) -> None:
    with pytest.raises(UserError, match="no longer exists"):
        profile.documents.get(999)
    with pytest.raises(UserError, match="no longer exists"):
        profile.documents.update(999, DocumentData(DocumentKind.OTHER, "x"))


# -- links --------------------------------------------------------------------------------------


def test_links_to_log_records(profile: ProfileSession, tmp_path: Path) -> None:
    mri = profile.log.treatments.add(TreatmentData(TreatmentKind.MRI, dt.date(2026, 3, 4)))
    course = profile.log.courses.add(
        TherapyCourseData(TreatmentKind.PHYSICAL_THERAPY, dt.date(2026, 1, 5))
    )
    med = profile.log.medications.add(MedicationData("Naproxen", dt.date(2026, 1, 1)))
    doc = add(profile, tmp_path, "MRI report")
    other = add(profile, tmp_path, "Other")
    profile.documents.link(doc, LinkTarget.TREATMENT, mri)
    profile.documents.link(doc, LinkTarget.TREATMENT, mri)  # twice: still one link
    profile.documents.link(doc, LinkTarget.COURSE, course)
    profile.documents.link(doc, LinkTarget.MEDICATION, med)
    links = profile.documents.get(doc).links
    assert sorted((link.target, link.target_id) for link in links) == sorted(
        [(LinkTarget.TREATMENT, mri), (LinkTarget.COURSE, course), (LinkTarget.MEDICATION, med)]
    )
    labels = {link.target: link.label for link in links}
    assert labels[LinkTarget.TREATMENT].startswith("2026-03-04 · ")
    assert labels[LinkTarget.MEDICATION] == "Medication: Naproxen"
    assert ids(profile, link=(LinkTarget.TREATMENT, mri)) == [doc]

    profile.documents.unlink(doc, LinkTarget.TREATMENT, mri)
    assert ids(profile, link=(LinkTarget.TREATMENT, mri)) == []
    with pytest.raises(UserError, match="record no longer exists"):
        profile.documents.link(other, LinkTarget.TREATMENT, 4242)
    assert profile.documents.get(other).links == ()


# -- trash, restore, remove for good ------------------------------------------------------------


def test_trash_and_restore(profile: ProfileSession, tmp_path: Path) -> None:
    doc = add(profile, tmp_path, "Bill")
    profile.documents.trash(doc)
    assert profile.documents.get(doc).in_trash
    assert ids(profile) == [] and ids(profile, in_trash=True) == [doc]
    assert ids(profile, text="bill") == [] and ids(profile, text="bill", in_trash=True) == [doc]
    assert profile.documents.file_path(doc).is_file()  # the file stays while in the trash
    profile.documents.restore(doc)
    assert ids(profile) == [doc] and not profile.documents.get(doc).in_trash


def test_delete_forever_asks_for_the_trash_first_then_removes_file_and_thumbnail(
    profile: ProfileSession, tmp_path: Path
) -> None:
    doc = add(profile, tmp_path, "Bill")
    keep = add(profile, tmp_path, "Keep")
    info = profile.documents.get(doc)
    thumbnail = profile.paths.thumbnails / f"{info.file.sha256}.png"
    thumbnail.write_bytes(b"png")
    with pytest.raises(UserError, match="trash before removing"):
        profile.documents.delete_forever(doc)
    profile.documents.trash(doc)
    profile.documents.delete_forever(doc)
    assert ids(profile, in_trash=True) == [] and ids(profile) == [keep]
    assert not thumbnail.exists()
    assert vault_files(profile.paths.vault) == [profile.documents.file_path(keep)]
    assert ids(profile, text="bill", in_trash=True) == []


def test_empty_trash(profile: ProfileSession, tmp_path: Path) -> None:
    docs = [add(profile, tmp_path, f"Doc {n}") for n in range(3)]
    for doc in docs[:2]:
        profile.documents.trash(doc)
    assert profile.documents.empty_trash() == 2
    assert ids(profile) == [docs[2]] and profile.documents.count() == 1
    assert len(vault_files(profile.paths.vault)) == 1


def test_a_file_that_cannot_be_deleted_is_explained_and_comes_back_later(
    profile: ProfileSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = add(profile, tmp_path, "Bill")
    profile.documents.trash(doc)

    def busy(sha256: str, file_type: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(profile.documents.vault, "remove", busy)
    with pytest.raises(UserError, match="its file could not be deleted"):
        profile.documents.delete_forever(doc)
    assert profile.documents.count() == 0
    assert len(vault_files(profile.paths.vault)) == 1  # the sweep recovers it at next start


# -- the original file --------------------------------------------------------------------------


def test_save_copy_is_byte_for_byte_and_never_overwrites_in_a_folder(
    profile: ProfileSession, tmp_path: Path
) -> None:
    source = write_image(tmp_path / "card.jpg", "JPEG")
    doc = profile.importer.add(
        source, DocumentData(DocumentKind.INSURANCE_CARD, "Card: front/back")
    )
    out = tmp_path / "out"
    out.mkdir()
    first = profile.documents.save_copy(doc, out)
    second = profile.documents.save_copy(doc, out)
    assert [first.name, second.name] == ["Card frontback.jpg", "Card frontback (2).jpg"]
    assert first.read_bytes() == second.read_bytes() == source.read_bytes()
    chosen = profile.documents.save_copy(doc, out / "chosen name.jpg")
    assert chosen == out / "chosen name.jpg" and chosen.read_bytes() == source.read_bytes()
    assert sorted(p.name for p in out.iterdir()) == [
        "Card frontback (2).jpg",
        "Card frontback.jpg",
        "chosen name.jpg",
    ]  # no .partial left


def test_save_copy_to_a_missing_folder_is_a_plain_error(
    profile: ProfileSession, tmp_path: Path
) -> None:
    doc = add(profile, tmp_path, "Bill")
    with pytest.raises(UserError, match="could not save"):
        profile.documents.save_copy(doc, tmp_path / "no" / "such" / "x.pdf")


def test_a_file_missing_from_the_vault_is_a_plain_error(
    profile: ProfileSession, tmp_path: Path
) -> None:
    doc = add(profile, tmp_path, "Bill")
    stored = profile.documents.file_path(doc)
    stored.chmod(0o644)
    stored.unlink()
    with pytest.raises(UserError, match="“Bill” is missing from the vault"):
        profile.documents.file_path(doc)
    with pytest.raises(UserError, match="missing from the vault"):
        profile.documents.save_copy(doc, tmp_path)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("MRI: L4/L5 <final>?", "MRI L4L5 final.pdf"),
        ("...", "document.pdf"),
        ("CON", "document CON.pdf"),
        ("nul.txt", "document nul.txt.pdf"),
        ("x" * 300, "x" * 120 + ".pdf"),
    ],
)
def test_safe_file_name(title: str, expected: str) -> None:
    from backlog_app.domain.documents import FileType

    assert safe_file_name(title, FileType.PDF) == expected


def test_saved_password(profile: ProfileSession, tmp_path: Path) -> None:
    doc = add(profile, tmp_path, "Bill")
    assert profile.documents.saved_password(doc) is None
    profile.documents.set_saved_password(doc, "pw")
    assert profile.documents.saved_password(doc) == "pw"
    profile.documents.set_saved_password(doc, "")
    assert profile.documents.saved_password(doc) is None
