"""Data files with coverage cases: cases, events, overrides, calls and case links travel intact."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from backlog_app.errors import DataFileError, ValidationError
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.services.interchange import export_data, import_data
from backlog_app.services.interchange.codec import check_document
from backlog_app.services.interchange.files import VaultFiles
from backlog_app.storage.vault import Vault
from tests.conftest import fixed_clock

Document = dict[str, Any]
CASE_KEYS = ("coverage_cases", "case_events", "case_rule_overrides", "phone_calls")


@pytest.fixture(scope="module")
def demo_made(
    tmp_path_factory: pytest.TempPathFactory, demo_database: Path
) -> tuple[Document, Path]:
    """The demo's export and its vault, made once for the module from the session's demo."""
    root = tmp_path_factory.mktemp("cases-export") / "profile"
    root.mkdir()
    shutil.copyfile(demo_database, root / "backlog.sqlite3")
    shutil.copytree(demo_database.parent / "vault", root / "vault")
    with open_profile(root, create=False, clock=fixed_clock) as profile:
        return export_data(profile), profile.paths.vault


@pytest.fixture
def document(demo_made: tuple[Document, Path]) -> Document:
    """A copy of the demo's export with its diary cut to a week (the schema check stays quick)."""
    made = copy.deepcopy(demo_made[0])
    made["check_ins"] = made["check_ins"][:7]
    kept = {check_in["id"] for check_in in made["check_ins"]}
    made["check_in_doses"] = [d for d in made["check_in_doses"] if d["check_in_id"] in kept]
    return made


@pytest.fixture
def target(tmp_path: Path, today: dt.date) -> Iterator[ProfileSession]:
    """A second, empty profile to import into."""
    session = open_profile(tmp_path / "target", create=True, clock=lambda: today)
    yield session
    session.close()


def case_links(document: Document) -> list[dict[str, Any]]:
    return [
        link
        for link in document["document_links"]
        if link["case_id"] is not None or link["case_event_id"] is not None
    ]


def test_the_demo_exports_every_case_record(demo_made: tuple[Document, Path]) -> None:
    exported = demo_made[0]
    assert len(exported["coverage_cases"]) == 4
    assert len(exported["case_events"]) >= 15
    assert len(exported["phone_calls"]) >= 12
    assert len(exported["case_rule_overrides"]) >= 1
    assert len(case_links(exported)) >= 5
    call = exported["phone_calls"][0]
    # Local wall-clock time, without seconds or an offset.
    assert dt.datetime.fromisoformat(call["called_at"]).tzinfo is None
    assert call["called_at"].endswith(":00")
    check_document(exported)


def test_round_trip_keeps_cases_events_calls_overrides_and_links(
    demo_profile: ProfileSession, target: ProfileSession
) -> None:
    counts = import_data(
        target, export_data(demo_profile), files=VaultFiles(demo_profile.documents.vault)
    )
    assert counts["coverage_cases"] == 4 and counts["phone_calls"] >= 12

    source_ids = [row.id for row in demo_profile.cases.list()]
    assert [row.id for row in target.cases.list()] == source_ids
    for case_id in source_ids:
        # Data, events with their ids, calls, overrides, rules, due items, timestamps.
        assert target.cases.get(case_id) == demo_profile.cases.get(case_id)
    assert target.calls.list() == demo_profile.calls.list()
    assert target.cases.due_items() == demo_profile.cases.due_items()
    for row in demo_profile.documents.list():
        assert target.documents.get(row.info.id).links == row.info.links
    # New records continue after the imported ids.
    new_case = target.cases.add(demo_profile.cases.get(source_ids[0]).data)
    assert new_case > max(source_ids)


def test_an_older_file_without_cases_still_imports(
    demo_made: tuple[Document, Path], target: ProfileSession
) -> None:
    document = copy.deepcopy(demo_made[0])
    # Care teams and costs joined the format after the cases: such a file has none either.
    for key in (*CASE_KEYS, "network_verifications", "care_team_members", "cost_entries"):
        del document[key]
    # Links of an older file name only log records, and have no case or cost columns at all.
    later = ("case_id", "case_event_id", "cost_id")
    document["document_links"] = [
        {key: value for key, value in link.items() if key not in later}
        for link in document["document_links"]
        if all(link[key] is None for key in later)
    ]
    check_document(document)
    counts = import_data(target, document, files=VaultFiles(Vault(demo_made[1])))
    assert all(counts[key] == 0 for key in CASE_KEYS)
    assert counts["document_links"] == len(document["document_links"]) > 0
    assert target.cases.count() == target.calls.count() == 0
    assert target.cases.due_items() == []
    linked = [row for row in target.documents.list() if row.info.links]
    assert linked


def first(document: Document, key: str, match: Callable[[dict[str, Any]], bool]) -> int:
    """The position of the first record under ``key`` that ``match`` accepts."""
    return next(i for i, record in enumerate(document[key]) if match(record))


def _case_link(document: Document) -> int:
    return first(document, "document_links", lambda link: link["case_id"] is not None)


def _denial(document: Document) -> int:
    return first(document, "case_events", lambda event: event["event_type"] == "denied")


def _call_on_a_case(d: Document) -> dict[str, Any]:
    return next(c for c in d["phone_calls"] if c["event_id"] is not None)


def _other_case(d: Document, call: dict[str, Any]) -> int:
    return int(next(c["id"] for c in d["coverage_cases"] if c["id"] != call["case_id"]))


RULE_BREAKS: list[tuple[str, Callable[[Document], None], str]] = [
    (
        "malformed CPT",
        lambda d: d["coverage_cases"][0].update(cpt_codes="7214"),
        "coverage_cases/0: “7214” is not a CPT code",
    ),
    (
        "malformed ICD-10",
        lambda d: d["coverage_cases"][1].update(icd10_codes="51.16"),
        "coverage_cases/1: “51.16” is not an ICD-10 code",
    ),
    (
        "codes not written as BackLog writes them",
        lambda d: d["coverage_cases"][1].update(icd10_codes="M5116"),  # without its dot
        "coverage_cases/1: The codes are not written as BackLog writes them",
    ),
    (
        "a call without an organization",
        lambda d: d["phone_calls"][0].update(organization="   "),
        "phone_calls/0: Please say who the call was with",
    ),
    (
        "a call in the future",
        lambda d: d["phone_calls"][0].update(called_at="2099-01-01T09:00:00"),
        "phone_calls/0: The call date",
    ),
    (
        "a denial without its reason",
        lambda d: d["case_events"][_denial(d)].update(reason=None),
        "why it was denied",
    ),
    (
        "the same rule overridden twice on a case",
        lambda d: d["case_rule_overrides"].append(
            {**d["case_rule_overrides"][0], "id": 99, "amount": 60}
        ),
        "case_rule_overrides: the same case_id and rule is used twice",
    ),
    (
        "a link to a missing case",
        lambda d: d["document_links"][_case_link(d)].update(case_id=999),
        "case_id 999 points at a record that is not in the file",
    ),
    (
        "an event of a missing case",
        lambda d: d["case_events"][0].update(case_id=999),
        "case_events/0: case_id 999 points at a record",
    ),
    (
        "a call about a missing event",
        lambda d: d["phone_calls"][-1].update(event_id=999),
        "event_id 999 points at a record",
    ),
    (
        "a call about an event of another case",
        lambda d: d["phone_calls"].append(
            {**_call_on_a_case(d), "id": 999, "case_id": _other_case(d, _call_on_a_case(d))}
        ),
        "is an event of another case",
    ),
    (
        "a link to a case and a treatment at once",
        lambda d: d["document_links"][_case_link(d)].update(treatment_id=1),
        "exactly one record",
    ),
]


@pytest.mark.parametrize(
    ("edit", "message"),
    [(edit, message) for _, edit, message in RULE_BREAKS],
    ids=[name for name, _, _ in RULE_BREAKS],
)
def test_records_breaking_a_rule_are_refused(
    document: Document, target: ProfileSession, edit: Callable[[Document], None], message: str
) -> None:
    edit(document)
    check_document(document)  # the schema accepts it: the form rules refuse it
    with pytest.raises(ValidationError) as refused:
        import_data(target, document)
    assert refused.value.problems[0] == "The data file was not imported:"
    assert any(message in problem for problem in refused.value.problems), refused.value.problems
    assert target.is_empty()


SCHEMA_BREAKS: list[tuple[str, Callable[[Document], None], str]] = [
    (
        "an override with a rule BackLog does not know",
        lambda d: d["case_rule_overrides"][0].update(rule="erisa_appeal_filling"),
        "case_rule_overrides/0/rule: 'erisa_appeal_filling' is not one of",
    ),
    (
        "an override of zero days",
        lambda d: d["case_rule_overrides"][0].update(amount=0),
        "case_rule_overrides/0/amount",
    ),
    (
        "a call with an empty organization",
        lambda d: d["phone_calls"][0].update(organization=""),
        "phone_calls/0/organization",
    ),
    (
        "a call without its direction",
        lambda d: d["phone_calls"][0].pop("direction"),
        "phone_calls/0: 'direction' is a required property",
    ),
    (
        "an event type BackLog does not know",
        lambda d: d["case_events"][0].update(event_type="appealed"),
        "case_events/0/event_type",
    ),
    (
        "a case with an unknown field",
        lambda d: d["coverage_cases"][0].update(status="approved"),
        "coverage_cases/0: Additional properties are not allowed ('status' was unexpected)",
    ),
]


@pytest.mark.parametrize(
    ("edit", "message"),
    [(edit, message) for _, edit, message in SCHEMA_BREAKS],
    ids=[name for name, _, _ in SCHEMA_BREAKS],
)
def test_records_failing_the_schema_are_refused(
    document: Document, target: ProfileSession, edit: Callable[[Document], None], message: str
) -> None:
    edit(document)
    with pytest.raises(DataFileError) as refused:
        import_data(target, document)
    assert message in refused.value.message
    assert "\n" not in refused.value.message and "Traceback" not in refused.value.message
    assert target.is_empty()


def test_an_impossible_call_time_is_named(document: Document, target: ProfileSession) -> None:
    document["phone_calls"][2]["called_at"] = "2026-02-30T09:00:00"
    with pytest.raises(DataFileError, match=r"impossible date .* in phone_calls/2/called_at"):
        import_data(target, document)
    assert target.is_empty()
