"""The demo's documents: real PDFs and phone photos in the vault, dated and linked to her log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from backlog_app.domain.documents import (
    DocumentInfo,
    DocumentKind,
    DocumentLinkRef,
    FileType,
    LinkTarget,
    TextStatus,
)
from backlog_app.domain.log_records import TreatmentKind
from backlog_app.errors import Cancelled
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.services.demo import create_demo
from backlog_app.services.demo_card_photo import ORIENTATION_TAG, ROTATED_CLOCKWISE, photo_bytes
from backlog_app.services.demo_cost_papers import DEMO_COST_DOCUMENTS
from backlog_app.services.demo_documents import DEMO_DOCUMENT_COUNT, add_demo_documents
from backlog_app.services.demo_letters import APPEAL_DAYS, long
from backlog_app.services.demo_pdf_layout import render_pdf
from backlog_app.services.documents import DocumentFilter
from backlog_app.services.interchange import export_data
from backlog_app.services.interchange.tables import TABLES
from backlog_app.services.progress import Progress
from backlog_app.storage.file_inspect import register_heif
from backlog_app.storage.vault import sha256_of


def documents(profile: ProfileSession) -> dict[DocumentKind, list[DocumentInfo]]:
    by_kind: dict[DocumentKind, list[DocumentInfo]] = {}
    for row in profile.documents.list():
        by_kind.setdefault(row.info.data.kind, []).append(row.info)
    return by_kind


def one(profile: ProfileSession, kind: DocumentKind) -> DocumentInfo:
    (info,) = documents(profile)[kind]
    return info


def treatment_day(profile: ProfileSession, kind: TreatmentKind) -> dt.date:
    return next(t.data.day for t in profile.log.treatments.list() if t.data.kind is kind)


def test_the_demo_holds_the_letters_and_card_photos(demo_profile: ProfileSession) -> None:
    kinds = {kind: len(infos) for kind, infos in documents(demo_profile).items()}
    assert kinds == {
        DocumentKind.REFERRAL: 1,
        DocumentKind.IMAGING_REPORT: 1,
        DocumentKind.DENIAL_LETTER: 1,
        DocumentKind.EOB: 1,
        DocumentKind.PT_NOTE: 1,
        DocumentKind.INSURANCE_CARD: 2,
        # the network and cost story's papers (demo_cost_papers)
        DocumentKind.GOOD_FAITH_ESTIMATE: 1,
        DocumentKind.BILL: 2,
    }
    assert sum(kinds.values()) == DEMO_DOCUMENT_COUNT + DEMO_COST_DOCUMENTS
    infos = [row.info for row in demo_profile.documents.list()]
    types = sorted(info.file.file_type.value for info in infos)
    assert types == ["heic", "jpeg", *["pdf"] * (5 + DEMO_COST_DOCUMENTS)]
    for info in infos:
        assert info.file.original_name  # the name it was added under, as for any file
        assert info.data.tags
        if info.file.file_type is FileType.PDF:
            assert info.file.page_count is not None and 1 <= info.file.page_count <= 3
            assert info.data.provider_id is not None


def test_every_file_is_in_the_vault_unchanged(demo_profile: ProfileSession) -> None:
    for row in demo_profile.documents.list():
        path = demo_profile.documents.file_path(row.info.id)
        assert sha256_of(path) == row.info.file.sha256
        assert path.stat().st_size == row.info.file.size_bytes


def test_the_demo_fills_every_table(demo_profile: ProfileSession) -> None:
    """Every record type has demo records, so the round-trip tests cover every table, and
    documents are linked to every kind of record a link can point at."""
    document = export_data(demo_profile)
    empty = [table.key for table in TABLES if not document[table.key]]
    assert empty == []
    targets = ("treatment_id", "course_id", "case_id", "case_event_id", "cost_id")
    unused = [
        key for key in targets if all(link[key] is None for link in document["document_links"])
    ]
    assert unused == []


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("paracentral extrusion", DocumentKind.IMAGING_REPORT),
        ("not a bill", DocumentKind.EOB),
        ("adverse benefit determination", DocumentKind.DENIAL_LETTER),
        ("discharge summary goals", DocumentKind.PT_NOTE),
        ("specialist consultation", DocumentKind.REFERRAL),
    ],
)
def test_the_letters_can_be_searched_without_ocr(
    demo_profile: ProfileSession, query: str, kind: DocumentKind
) -> None:
    hits = demo_profile.documents.list(DocumentFilter(text=query))
    assert [hit.info.data.kind for hit in hits] == [kind]
    assert hits[0].info.text_status is TextStatus.EMBEDDED


def test_the_photos_wait_for_the_background_reader(demo_profile: ProfileSession) -> None:
    pending = set(demo_profile.documents.pending_text())
    cards = {info.id for info in documents(demo_profile)[DocumentKind.INSURANCE_CARD]}
    assert pending == cards


def log_links(info: DocumentInfo) -> list[DocumentLinkRef]:
    """A document's links to the treatment log (its links to cases: test_demo_cases.py; to
    cost entries: test_demo_network.py)."""
    case_targets = (LinkTarget.CASE, LinkTarget.CASE_EVENT, LinkTarget.COST)
    return [link for link in info.links if link.target not in case_targets]


def test_letters_match_the_log(demo_profile: ProfileSession) -> None:
    mri_day = treatment_day(demo_profile, TreatmentKind.MRI)
    report = one(demo_profile, DocumentKind.IMAGING_REPORT)
    assert report.data.document_date == mri_day
    assert [(link.target, link.label) for link in log_links(report)] == [
        (LinkTarget.TREATMENT, f"{mri_day:%Y-%m-%d} · MRI")
    ]
    eob = one(demo_profile, DocumentKind.EOB)
    assert log_links(eob) == log_links(report)
    assert eob.data.document_date is not None and eob.data.document_date > mri_day

    (course,) = demo_profile.log.courses.list()
    discharge = one(demo_profile, DocumentKind.PT_NOTE)
    assert discharge.data.document_date == course.data.end_date
    assert [(link.target, link.target_id) for link in log_links(discharge)] == [
        (LinkTarget.COURSE, course.id)
    ]

    injection = treatment_day(demo_profile, TreatmentKind.EPIDURAL_STEROID_INJECTION)
    denial = one(demo_profile, DocumentKind.DENIAL_LETTER)
    assert denial.data.document_date is not None and denial.data.document_date > injection
    assert f"{injection:%Y-%m-%d} · Epidural steroid injection" in [
        link.label for link in denial.links
    ]

    referral = one(demo_profile, DocumentKind.REFERRAL)
    assert referral.data.document_date is not None
    assert referral.data.document_date < mri_day
    assert f"{referral.data.document_date:%Y-%m-%d} · Primary care visit" in [
        link.label for link in referral.links
    ]


def test_letters_name_the_demo_providers(demo_profile: ProfileSession) -> None:
    providers = {p.id: p.data for p in demo_profile.providers.list()}
    for kind, author in [
        (DocumentKind.IMAGING_REPORT, "Dr. Helen Marsh"),
        (DocumentKind.REFERRAL, "Dr. Karen Whitfield"),
        (DocumentKind.PT_NOTE, "Jenna Brooks, DPT"),
        (DocumentKind.EOB, "Columbus Open MRI"),
        (DocumentKind.DENIAL_LETTER, "Dr. Priya Raman"),
    ]:
        info = one(demo_profile, kind)
        assert info.data.provider_id is not None
        provider = providers[info.data.provider_id]
        assert provider.name == author
        text = demo_profile.documents.text_of(info.id)
        assert provider.npi is not None and provider.npi in text


def test_the_denial_letter_gives_the_appeal_deadline(demo_profile: ProfileSession) -> None:
    denial = one(demo_profile, DocumentKind.DENIAL_LETTER)
    assert denial.data.document_date is not None
    deadline = denial.data.document_date + dt.timedelta(days=APPEAL_DAYS)
    text = demo_profile.documents.text_of(denial.id)
    assert f"must be received by {long(deadline)}" in " ".join(text.split())
    assert "PO Box 18220" in text  # the plan's appeals address
    assert "40% relief" in text and "50%" in text


def test_the_eob_adds_up(demo_profile: ProfileSession) -> None:
    text = demo_profile.documents.text_of(one(demo_profile, DocumentKind.EOB).id)
    assert "THIS IS NOT A BILL" in text
    # Billed 2,450 − savings 1,270 = allowed 1,180 = deductible 850 + coinsurance 66 + paid 264.
    assert "Total  $2,450.00  $1,270.00  $1,180.00  $850.00  $66.00  $264.00" in text
    assert "What you may owe the provider: $916.00" in text


def test_the_card_photos_are_phone_photos(demo_profile: ProfileSession) -> None:
    register_heif()
    cards = documents(demo_profile)[DocumentKind.INSURANCE_CARD]
    by_type = {info.file.file_type: info for info in cards}
    with Image.open(demo_profile.documents.file_path(by_type[FileType.JPEG].id)) as jpeg:
        assert jpeg.format == "JPEG"
        assert jpeg.getexif()[ORIENTATION_TAG] == ROTATED_CLOCKWISE
        assert jpeg.width < jpeg.height  # stored on its side, as a phone does
        upright = ImageOps.exif_transpose(jpeg)
        assert upright.width > upright.height
    with Image.open(demo_profile.documents.file_path(by_type[FileType.HEIC].id)) as heic:
        assert heic.format == "HEIF"
        # libheif turns the picture as the file says (HEIF stores the turn as a transform).
        assert heic.width > heic.height
        assert heic.info.get("original_orientation") == ROTATED_CLOCKWISE


def test_pdfs_carry_no_time_of_making(demo_profile: ProfileSession) -> None:
    """reportlab's invariant mode: a fixed date and id, so the same letter is the same bytes."""
    report = one(demo_profile, DocumentKind.IMAGING_REPORT)
    content = demo_profile.documents.file_path(report.id).read_bytes()
    assert b"/CreationDate (D:20000101000000" in content


def test_the_demo_is_the_same_bytes_every_time(tmp_path: Path, today: dt.date) -> None:
    def made() -> list[tuple[str, str]]:
        # Drop what an earlier demo in this process drew, so the bytes are really made again.
        render_pdf.cache_clear()
        photo_bytes.cache_clear()
        root = tmp_path / f"demo-{len(list(tmp_path.iterdir()))}"
        with open_profile(root, create=True, clock=lambda: today) as profile:
            create_demo(profile)
            return [(r.info.data.title, r.info.file.sha256) for r in profile.documents.list()]

    assert made() == made()


def test_adding_documents_reports_progress_and_stops_on_cancel(profile: ProfileSession) -> None:
    from backlog_app.services.demo import _patient, _plans, _providers
    from backlog_app.services.demo_history import add_demo_history

    profile.patient.save(_patient(profile.clock()))
    for plan in _plans(profile.clock()):
        profile.plans.add(plan)
    for provider in _providers():
        profile.providers.add(provider)
    add_demo_history(profile, Progress())

    cancelled = Progress()
    cancelled.cancel()
    with pytest.raises(Cancelled):
        add_demo_documents(profile, cancelled)
    assert profile.documents.count() == 0

    progress = Progress()
    added = add_demo_documents(profile, progress)
    assert len(added) == DEMO_DOCUMENT_COUNT
    assert progress.snapshot() == (DEMO_DOCUMENT_COUNT, DEMO_DOCUMENT_COUNT, "Adding documents")
