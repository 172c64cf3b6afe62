"""The unified log: one SQL query filters, sorts and pages check-ins, medications, treatments, ODI."""

from __future__ import annotations

import datetime as dt

import pytest

from backlog_app.domain.log_records import (
    CheckInData,
    MedicationData,
    MedicationOutcome,
    OdiScoreData,
    Side,
    TreatmentData,
    TreatmentKind,
    WorkStatus,
)
from backlog_app.services.context import ProfileSession
from backlog_app.services.log_view import (
    ALL_KINDS,
    MEDICATION_KINDS,
    EntryKind,
    LogEntry,
    LogFilter,
    LogSort,
    SortKey,
    count_entries,
    describe,
    entries,
    log_extent,
)

D = dt.date


@pytest.fixture
def log_profile(profile: ProfileSession) -> ProfileSession:
    """Ten entries over 2026: three check-ins, two medications (three entries), three treatments,
    one ODI score."""
    log = profile.log
    log.check_ins.save(
        CheckInData(
            day=D(2026, 11, 20),
            pain_now=5,
            pain_average=4,
            pain_worst=7,
            peg_enjoyment=5,
            peg_activity=6,
            work_status=WorkStatus.WORKING,
            notes="Bad day after walking",
        )
    )
    log.check_ins.save(CheckInData(day=D(2026, 11, 21), pain_now=0))
    log.check_ins.save(CheckInData(day=D(2026, 11, 22), notes="Forgot the scores"))
    log.medications.add(
        MedicationData(
            name="Naproxen",
            strength="500 mg",
            dose="1 tablet",
            frequency="twice a day",
            purpose="back pain",
            start_date=D(2026, 1, 1),
            stop_date=D(2026, 3, 1),
            outcome=MedicationOutcome.NO_EFFECT,
            reason_stopped="did not help",
        )
    )
    log.medications.add(MedicationData(name="Gabapentin", start_date=D(2026, 4, 1)))
    log.treatments.add(
        TreatmentData(
            kind=TreatmentKind.EPIDURAL_STEROID_INJECTION,
            day=D(2026, 5, 1),
            level="L4-L5",
            side=Side.LEFT,
            relief_percent=40,
            relief_days=21,
        )
    )
    log.treatments.add(
        TreatmentData(
            kind=TreatmentKind.PHYSICAL_THERAPY, day=D(2026, 4, 1), notes="core 100%_done"
        )
    )
    log.treatments.add(
        TreatmentData(kind=TreatmentKind.MRI, day=D(2026, 2, 1), result="Disc bulge")
    )
    log.odi_scores.add(OdiScoreData(day=D(2026, 6, 1), total_percent=34))
    return profile


def _kinds(found: list[LogEntry]) -> list[EntryKind]:
    return [entry.kind for entry in found]


def test_everything_newest_first_with_titles_and_details(log_profile: ProfileSession) -> None:
    found = entries(log_profile, LogFilter())
    assert count_entries(log_profile, LogFilter()) == len(found) == 10
    assert [entry.day for entry in found] == sorted((e.day for e in found), reverse=True)
    by_title = {entry.title: entry for entry in found}
    walk = by_title["Bad day after walking"]  # a check-in's notes are its title
    assert walk.kind is EntryKind.CHECK_IN and walk.pain == 4
    assert walk.detail == "Pain now 5, average 4, worst 7 · PEG 5.0 · Working"
    assert by_title["Daily check-in"].pain == 0  # pain 0 is a score, not "not recorded"
    assert by_title["Forgot the scores"].pain is None
    assert by_title["Forgot the scores"].detail == "Pain not recorded"
    injection = by_title["Epidural steroid injection"]
    assert injection.kind is EntryKind.INJECTION and injection.category == "injection"
    assert injection.detail == "L4-L5 left side · 40% relief for 3 weeks"
    stopped = next(e for e in found if e.kind is EntryKind.MEDICATION_STOP)
    assert stopped.title == "Naproxen 500 mg"
    assert stopped.detail == "after 8 weeks · No effect · did not help"
    started = next(e for e in found if e.title == "Naproxen 500 mg" and e is not stopped)
    assert started.detail == "1 tablet twice a day · for back pain"
    assert by_title["ODI 34%"].detail == "Moderate disability"


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (frozenset({EntryKind.CHECK_IN}), 3),
        (MEDICATION_KINDS, 3),
        (frozenset({EntryKind.MEDICATION_STOP}), 1),
        (frozenset({EntryKind.INJECTION, EntryKind.IMAGING}), 2),
        (frozenset({EntryKind.ODI}), 1),
        (frozenset(), 0),
        (ALL_KINDS, 10),
    ],
)
def test_filter_by_kind(
    log_profile: ProfileSession, kinds: frozenset[EntryKind], expected: int
) -> None:
    log_filter = LogFilter(kinds=kinds)
    found = entries(log_profile, log_filter)
    assert count_entries(log_profile, log_filter) == len(found) == expected
    assert set(_kinds(found)) <= kinds


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        ("WALK", ["Bad day after walking"]),  # notes, any case
        ("disc", ["MRI"]),  # imaging results
        ("physical", ["Physical therapy"]),  # the kind's label
        ("naproxen", ["Naproxen 500 mg", "Naproxen 500 mg"]),  # its start and its stop
        ("did not help", ["Naproxen 500 mg", "Naproxen 500 mg"]),
        ("%", ["Physical therapy"]),  # LIKE's wildcards are matched literally
        ("%_d", ["Physical therapy"]),
        ("oswestry", ["ODI 34%"]),
        ("nothing like this", []),
    ],
)
def test_filter_by_text(log_profile: ProfileSession, text: str, titles: list[str]) -> None:
    log_filter = LogFilter(text=text)
    found = entries(log_profile, log_filter)
    assert [entry.title for entry in found] == titles
    assert count_entries(log_profile, log_filter) == len(titles)


def test_filter_by_dates_is_inclusive(log_profile: ProfileSession) -> None:
    log_filter = LogFilter(since=D(2026, 4, 1), until=D(2026, 5, 1))
    found = entries(log_profile, log_filter)
    assert sorted(e.title for e in found) == [
        "Epidural steroid injection",
        "Gabapentin",
        "Physical therapy",
    ]
    assert count_entries(log_profile, LogFilter(since=D(2026, 11, 21))) == 2
    combined = LogFilter(since=D(2026, 1, 1), until=D(2026, 3, 31), kinds=MEDICATION_KINDS)
    assert _kinds(entries(log_profile, combined)) == [
        EntryKind.MEDICATION_STOP,
        EntryKind.MEDICATION_START,
    ]


@pytest.mark.parametrize("key", list(SortKey))
@pytest.mark.parametrize("descending", [True, False])
def test_pages_join_up_to_the_whole_list(
    log_profile: ProfileSession, key: SortKey, descending: bool
) -> None:
    sort = LogSort(key, descending)
    whole = entries(log_profile, LogFilter(), 0, 100, sort)
    pages = [entries(log_profile, LogFilter(), offset, 3, sort) for offset in range(0, 12, 3)]
    assert [len(page) for page in pages] == [3, 3, 3, 1]
    assert [entry for page in pages for entry in page] == whole
    assert len({(e.kind, e.record_id) for e in whole}) == 10


def test_sorting(log_profile: ProfileSession) -> None:
    oldest = entries(log_profile, LogFilter(), sort=LogSort(SortKey.DAY, descending=False))
    assert oldest[0].day == D(2026, 1, 1)
    by_title = entries(log_profile, LogFilter(), sort=LogSort(SortKey.TITLE, descending=False))
    titles = [entry.title for entry in by_title]
    assert titles[0] == "Bad day after walking"
    assert titles == sorted(titles, key=lambda t: t.replace("%", "").casefold())
    by_pain = entries(log_profile, LogFilter(), sort=LogSort(SortKey.PAIN, descending=True))
    assert [e.pain for e in by_pain][:2] == [4, 0]  # highest first; "not recorded" after
    by_kind = entries(log_profile, LogFilter(), sort=LogSort(SortKey.KIND, descending=False))
    labels = [entry.kind.label for entry in by_kind]
    assert labels == sorted(labels)


def test_extent_and_empty_log(profile: ProfileSession, log_profile: ProfileSession) -> None:
    assert log_extent(log_profile) == (D(2026, 1, 1), D(2026, 11, 22))


def test_an_empty_log(profile: ProfileSession) -> None:
    assert log_extent(profile) is None
    assert count_entries(profile, LogFilter(text="x")) == 0
    assert entries(profile, LogFilter()) == []


def test_describe_names_what_is_deleted() -> None:
    def entry(kind: EntryKind, title: str) -> LogEntry:
        return LogEntry(kind, 1, D(2026, 3, 3), title, "")

    assert describe(entry(EntryKind.CHECK_IN, "Daily check-in")) == "the check-in of 3 Mar 2026"
    assert describe(entry(EntryKind.MEDICATION_STOP, "Naproxen")) == "the medication “Naproxen”"
    assert describe(entry(EntryKind.IMAGING, "MRI")) == "“MRI” of 3 Mar 2026"
    assert describe(entry(EntryKind.ODI, "ODI 30%")) == "the ODI score of 3 Mar 2026"
    assert {kind.editor for kind in EntryKind} == {"check_in", "medication", "treatment", "odi"}
