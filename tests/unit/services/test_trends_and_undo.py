"""Trend data for the chart, Home's recent pain, and deleting log records so Undo can bring them back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from backlog_app.domain.documents import LinkTarget
from backlog_app.domain.log_records import (
    CheckInData,
    DoseTaken,
    MedicationData,
    MedicationOutcome,
    TherapyCourseData,
    TreatmentData,
    TreatmentKind,
)
from backlog_app.domain.records import ProviderData, ProviderRole
from backlog_app.domain.trends import PeriodKind
from backlog_app.errors import UserError
from backlog_app.services.context import ProfileSession
from backlog_app.services.log_undo import delete_record, restore_deleted
from backlog_app.services.trends import data_range, recent_pain, trend_data
from tests.document_files import write_pdf

D = dt.date


def test_trend_data_reads_scores_and_periods_in_range(profile: ProfileSession) -> None:
    log = profile.log
    log.check_ins.save(
        CheckInData(D(2026, 3, 2), pain_now=6, pain_average=5, peg_enjoyment=6, peg_activity=7)
    )
    log.check_ins.save(CheckInData(D(2026, 3, 3), pain_now=3))
    log.check_ins.save(CheckInData(D(2025, 1, 1), pain_now=9))  # before the range
    log.medications.add(
        MedicationData(
            "Naproxen",
            D(2026, 1, 1),
            strength="500 mg",
            stop_date=D(2026, 3, 1),
            outcome=MedicationOutcome.NO_EFFECT,
        )
    )
    log.medications.add(MedicationData("Old pill", D(2024, 1, 1), stop_date=D(2024, 2, 1)))
    log.courses.add(TherapyCourseData(TreatmentKind.PHYSICAL_THERAPY, D(2026, 2, 15)))

    data = trend_data(profile, D(2026, 2, 1), D(2026, 3, 31))
    assert [(d.day, d.pain, d.peg) for d in data.days] == [
        (D(2026, 3, 2), 5.0, 6.0),  # pain: the average; PEG: mean of the three items
        (D(2026, 3, 3), 3.0, None),  # pain now stands in; no PEG without all three items
    ]
    assert [(p.label, p.kind, p.detail) for p in data.medications] == [
        ("Naproxen 500 mg", PeriodKind.MEDICATION, "No effect")
    ]
    assert [(p.label, p.end) for p in data.courses] == [("Physical therapy", None)]
    assert not data.is_empty
    everything = trend_data(profile)
    assert everything.since == D(2024, 1, 1) and everything.until == profile.clock()
    assert data_range(profile) == (D(2024, 1, 1), D(2026, 3, 3))


def test_trend_data_of_an_empty_profile(profile: ProfileSession) -> None:
    data = trend_data(profile)
    assert data.is_empty and data.until == profile.clock()
    assert data_range(profile) is None


def test_recent_pain(profile: ProfileSession, today: dt.date) -> None:
    assert recent_pain(profile).last_check_in is None
    for days_ago, pain in ((0, 4), (1, None), (10, 6), (40, 9)):
        profile.log.check_ins.save(CheckInData(today - dt.timedelta(days=days_ago), pain_now=pain))
    recent = recent_pain(profile, days=30)
    assert recent.last_check_in == today
    assert recent.average == 5.0 and recent.recorded_days == 2


def test_delete_then_restore_keeps_the_id(profile: ProfileSession) -> None:
    record_id = profile.log.treatments.add(TreatmentData(TreatmentKind.MRI, D(2026, 2, 1)))
    deleted = delete_record(profile, "treatment", record_id, "the MRI")
    assert profile.log.treatments.count() == 0
    assert restore_deleted(profile, deleted) == record_id
    assert profile.log.treatments.get(record_id).data.kind is TreatmentKind.MRI


def test_restore_after_the_id_was_reused_adds_a_new_record(profile: ProfileSession) -> None:
    first = profile.log.treatments.add(TreatmentData(TreatmentKind.MRI, D(2026, 2, 1)))
    deleted = delete_record(profile, "treatment", first, "the MRI")
    reused = profile.log.treatments.add(TreatmentData(TreatmentKind.XRAY, D(2026, 2, 2)))
    restored = restore_deleted(profile, deleted)
    if reused == first:  # SQLite hands out the freed id again
        assert restored != first
    assert profile.log.treatments.count() == 2


def test_restore_drops_links_to_records_deleted_since(profile: ProfileSession) -> None:
    provider = profile.providers.add(ProviderData("Dr. Lee", ProviderRole.PHYSICAL_THERAPY))
    medication = profile.log.medications.add(MedicationData("Naproxen", D(2026, 1, 1)))
    visit = profile.log.treatments.add(
        TreatmentData(TreatmentKind.PHYSICAL_THERAPY, D(2026, 2, 1), provider_id=provider)
    )
    check_in = profile.log.check_ins.save(
        CheckInData(D(2026, 2, 1), pain_now=3, doses=(DoseTaken(medication),))
    )
    gone_visit = delete_record(profile, "treatment", visit, "the visit")
    gone_check_in = delete_record(profile, "check_in", check_in, "the check-in")
    profile.providers.delete(provider)
    profile.log.medications.delete(medication)
    restore_deleted(profile, gone_visit)
    restore_deleted(profile, gone_check_in)
    assert profile.log.treatments.get(visit).data.provider_id is None
    assert profile.log.check_ins.get(check_in).data.doses == ()


def test_a_check_in_cannot_come_back_over_a_newer_one(profile: ProfileSession) -> None:
    check_in = profile.log.check_ins.save(CheckInData(D(2026, 2, 1), pain_now=3))
    deleted = delete_record(profile, "check_in", check_in, "the check-in")
    profile.log.check_ins.save(CheckInData(D(2026, 2, 1), pain_now=8))
    with pytest.raises(UserError, match="was added after the delete"):
        restore_deleted(profile, deleted)
    assert profile.log.check_ins.for_day(D(2026, 2, 1)).data.pain_now == 8  # type: ignore[union-attr]


def test_restore_links_the_record_to_its_documents_again(
    profile: ProfileSession, tmp_path: Path
) -> None:
    record_id = profile.log.treatments.add(TreatmentData(TreatmentKind.MRI, D(2026, 2, 1)))
    kept = profile.importer.add(write_pdf(tmp_path / "report.pdf", marker="report"))
    removed = profile.importer.add(write_pdf(tmp_path / "bill.pdf", marker="bill"))
    for document_id in (kept, removed):
        profile.documents.link(document_id, LinkTarget.TREATMENT, record_id)
    deleted = delete_record(profile, "treatment", record_id, "the MRI")
    assert sorted(deleted.document_ids) == sorted((kept, removed))
    assert profile.documents.get(kept).links == ()  # the database cascades the links away
    profile.documents.trash(removed)
    profile.documents.delete_forever(removed)

    assert restore_deleted(profile, deleted) == record_id
    assert [link.target_id for link in profile.documents.get(kept).links] == [record_id]
