"""Data files: export, then import into a new profile, gives back the very same file."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from backlog_app.domain.records import PlanType, ProviderRole
from backlog_app.errors import Cancelled, DataFileError, UserError, ValidationError
from backlog_app.services.changes import ALL_CHANGES, Change
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.services.demo import create_demo
from backlog_app.services.interchange import (
    FORMAT_NAME,
    FORMAT_VERSION,
    export_data,
    import_data,
    read_data_file,
    write_data_file,
)
from backlog_app.services.interchange.codec import check_document, dumps, schema_path
from backlog_app.services.interchange.files import VaultFiles
from backlog_app.services.interchange.tables import TABLES
from backlog_app.services.progress import Progress
from backlog_app.storage.migrations import HEAD_REVISION
from backlog_app.storage.vault import Vault

Document = dict[str, Any]
TODAY = dt.date(2026, 11, 27)  # the clock of the conftest profiles


@pytest.fixture(scope="module")
def demo_made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Document, Path]:
    """The demo profile's export and its vault folder, made once per module."""
    root = tmp_path_factory.mktemp("demo-export") / "profile"
    with open_profile(root, create=True, clock=lambda: TODAY) as profile:
        create_demo(profile)
        return export_data(profile), profile.paths.vault


@pytest.fixture(scope="module")
def demo_export(demo_made: tuple[Document, Path]) -> Document:
    """The demo profile's export (tests get a copy)."""
    return demo_made[0]


@pytest.fixture
def demo_files(demo_made: tuple[Document, Path]) -> VaultFiles:
    """The demo's document files, read straight from its vault."""
    return VaultFiles(Vault(demo_made[1]))


@pytest.fixture
def demo_document(demo_export: Document) -> Document:
    return copy.deepcopy(demo_export)


@pytest.fixture
def short_document(demo_export: Document) -> Document:
    """The demo's export with its diary cut to one week.

    For the tests of one broken field: checking 400 days of check-ins against the schema, twice
    per test, would make each take most of a second without testing anything more.
    """
    document = copy.deepcopy(demo_export)
    document["check_ins"] = document["check_ins"][:7]
    kept = {check_in["id"] for check_in in document["check_ins"]}
    document["check_in_doses"] = [
        dose for dose in document["check_in_doses"] if dose["check_in_id"] in kept
    ]
    return document


@pytest.fixture
def target(tmp_path: Path, today: dt.date) -> Iterator[ProfileSession]:
    """A second, empty profile to import into."""
    session = open_profile(tmp_path / "target", create=True, clock=lambda: today)
    yield session
    session.close()


def counts(profile: ProfileSession) -> tuple[bool, int, int]:
    return profile.patient.get() is not None, profile.plans.count(), profile.providers.count()


def test_export_shape(demo_document: Document) -> None:
    assert demo_document["format"] == FORMAT_NAME == "backlog-data"
    assert demo_document["version"] == FORMAT_VERSION == 1
    assert demo_document["exported_by"].startswith("BackLog ")
    assert demo_document["schema_revision"] == HEAD_REVISION
    assert demo_document["patient"]["full_name"] == "Maria Alvarez"
    assert demo_document["patient"]["date_of_birth"] == "1974-07-27"
    assert len(demo_document["insurance_plans"]) == 2
    assert len(demo_document["providers"]) == 15
    assert demo_document["insurance_plans"][0]["plan_type"] == "employer_ppo"
    check_document(demo_document)  # what we write, we can read


@pytest.mark.parametrize(
    ("key", "at_least"),
    [
        ("visit_limits", 1),
        ("medications", 4),
        ("therapy_courses", 1),
        ("treatments", 40),
        ("check_ins", 350),
        ("check_in_doses", 350),
        ("odi_scores", 2),
        ("documents", 7),
        ("document_tags", 7),
        ("document_links", 5),
        ("document_texts", 5),
    ],
)
def test_the_demo_export_carries_its_treatment_log(
    demo_document: Document, key: str, at_least: int
) -> None:
    """The round trip below compares whole files, so it covers every record type listed here."""
    assert len(demo_document[key]) >= at_least


def test_export_of_an_empty_profile(profile: ProfileSession) -> None:
    document = export_data(profile)
    assert document["patient"] is None
    assert document["insurance_plans"] == []
    assert document["providers"] == []
    check_document(document)


def test_round_trip_gives_identical_text(
    demo_document: Document, demo_files: VaultFiles, target: ProfileSession, tmp_path: Path
) -> None:
    first = tmp_path / "first.json"
    write_data_file(first, demo_document)
    assert first.read_text(encoding="utf-8") == dumps(demo_document)
    assert not list(tmp_path.glob(".*.partial"))  # written atomically

    heard: list[frozenset[Change]] = []
    target.changes.subscribe(heard.append)
    result = import_data(target, read_data_file(first), files=demo_files)

    assert result == expected_counts(demo_document)
    assert result["patient"] == 1 and result["providers"] == 15
    assert heard == [ALL_CHANGES]
    assert dumps(export_data(target)) == first.read_text(encoding="utf-8")


def expected_counts(document: Document) -> dict[str, int]:
    """How many records of each type the document holds (the patient is one or none)."""
    return {
        table.key: (1 if document[table.key] else 0) if table.single else len(document[table.key])
        for table in TABLES
    }


def test_round_trip_keeps_ids_and_types(
    demo_profile: ProfileSession, target: ProfileSession
) -> None:
    demo_profile.providers.delete(demo_profile.providers.list()[0].id)  # leave a gap in the ids
    files = VaultFiles(demo_profile.documents.vault)
    import_data(target, export_data(demo_profile), files=files)
    assert target.providers.list() == demo_profile.providers.list()
    assert target.plans.list() == demo_profile.plans.list()
    assert target.patient.get() == demo_profile.patient.get()
    assert target.plans.list()[0].data.plan_type is PlanType.EMPLOYER_PPO
    assert target.providers.list()[0].data.role in set(ProviderRole)
    # New records continue after the imported ids.
    new_id = target.providers.add(demo_profile.providers.list()[0].data)
    assert new_id > max(p.id for p in demo_profile.providers.list())


def test_round_trip_of_an_empty_profile(profile: ProfileSession, target: ProfileSession) -> None:
    counts = import_data(target, export_data(profile))
    assert set(counts) == {table.key for table in TABLES}
    assert not any(counts.values())
    assert target.is_empty()


def test_import_refuses_a_profile_with_records(
    demo_profile: ProfileSession, demo_document: Document
) -> None:
    with pytest.raises(UserError, match="already holds records"):
        import_data(demo_profile, demo_document)
    assert counts(demo_profile) == (True, 2, 15)


def test_import_refuses_a_profile_with_only_a_provider(
    demo_document: Document, target: ProfileSession
) -> None:
    from backlog_app.domain.records import ProviderData

    target.providers.add(ProviderData("Dr. A", ProviderRole.OTHER))
    with pytest.raises(UserError, match="already holds records"):
        import_data(target, demo_document)
    assert counts(target) == (False, 0, 1)


def _set(path: str, value: Any) -> Callable[[Document], None]:
    """An edit that sets the value at "key/index/key" in a document."""

    def edit(document: Document) -> None:
        *parents, last = path.split("/")
        node: Any = document
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return edit


def _delete(path: str) -> Callable[[Document], None]:
    def edit(document: Document) -> None:
        *parents, last = path.split("/")
        node: Any = document
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        del node[last]

    return edit


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_set("version", 2), "newer BackLog"),
        (_set("version", 99), "newer BackLog"),
        (_set("version", "1"), "no format version"),
        (_delete("version"), "no format version"),
        (_set("format", "something-else"), "not a BackLog data file"),
        (_delete("format"), "not a BackLog data file"),
        (_set("surprise", True), "top level"),
        (_set("providers/0/favourite_colour", "blue"), "providers/0"),
        (_set("patient/extra", 1), "patient"),
        (_set("insurance_plans/0/priority", "1"), "insurance_plans/0/priority"),
        (_set("insurance_plans/0/priority", 10), "insurance_plans/0/priority"),
        (_set("insurance_plans/0/deductible_cents", 1500.5), "insurance_plans/0/deductible_cents"),
        (_set("insurance_plans/0/deductible_cents", -1), "insurance_plans/0/deductible_cents"),
        (_set("insurance_plans/0/plan_type", "gold_plan"), "insurance_plans/0/plan_type"),
        (_set("providers/0/role", "wizard"), "providers/0/role"),
        (_set("providers/0/npi", 1234567893), "providers/0/npi"),
        (_set("providers/0/npi", "123456789"), "providers/0/npi"),
        (_set("providers/0/id", 0), "providers/0/id"),
        (_set("providers", {}), "providers"),
        (_set("patient/date_of_birth", "27/07/1974"), "patient/date_of_birth"),
        (_set("patient/created_at", "2026-11-27 05:00"), "patient/created_at"),
        (_set("patient/full_name", ""), "patient/full_name"),
        (_delete("providers/0/npi"), "providers/0"),
        (_delete("patient/full_name"), "patient"),
        (_delete("insurance_plans"), "top level"),
    ],
)
def test_import_refuses_a_file_failing_the_schema(
    short_document: Document,
    target: ProfileSession,
    edit: Callable[[Document], None],
    message: str,
) -> None:
    document = copy.deepcopy(short_document)
    edit(document)
    with pytest.raises(DataFileError, match=message):
        check_document(document)
    with pytest.raises(DataFileError, match=message):
        import_data(target, document)
    assert target.is_empty()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_set("providers/0/npi", "1234567890"), "providers/0: This NPI's last digit"),
        (_set("providers/3/npi", "1234567894"), "providers/3: This NPI's last digit"),
        (
            _set("patient/date_of_birth", "2027-01-01"),
            "patient/0: The date of birth is in the future",
        ),
        (_set("patient/date_of_birth", "1850-01-01"), "before 1900"),
        (_set("patient/full_name", "   "), "patient's name"),
        (_set("patient/email", "maria"), "does not look like an e-mail address"),
        (_set("insurance_plans/0/coverage_end", "2099-01-01"), "too far in the future"),
        (_set("insurance_plans/1/coverage_end", "2020-01-01"), "Coverage ends before it starts"),
        (_set("insurance_plans/0/out_of_pocket_max_cents", 100), "smaller than the deductible"),
        (_set("insurance_plans/1/id", 1), "insurance_plans: the same id is used twice"),
        (_set("providers/1/id", 1), "providers: the same id is used twice"),
    ],
)
def test_import_refuses_records_breaking_a_rule(
    short_document: Document,
    target: ProfileSession,
    edit: Callable[[Document], None],
    message: str,
) -> None:
    document = copy.deepcopy(short_document)
    edit(document)
    check_document(document)  # the schema cannot tell: the rules must
    with pytest.raises(ValidationError, match=message) as info:
        import_data(target, document)
    assert info.value.problems[0] == "The data file was not imported:"
    assert target.is_empty()


def test_import_lists_several_problems(short_document: Document, target: ProfileSession) -> None:
    document = copy.deepcopy(short_document)
    for provider in document["providers"]:
        provider["phone"] = "12"
    with pytest.raises(ValidationError) as info:
        import_data(target, document)
    # A heading and at most ten problems, so the message stays readable.
    assert len(info.value.problems) == 11
    assert target.is_empty()


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("insurance_plans/0/coverage_start", "2026-02-30"),
        ("insurance_plans/0/plan_year_start", "2025-02-29"),
        ("patient/date_of_birth", "1974-13-01"),
        ("providers/2/created_at", "2026-02-30T10:00:00"),
        ("patient/updated_at", "2026-11-27T25:00:00"),
    ],
)
def test_import_refuses_an_impossible_date(
    short_document: Document, target: ProfileSession, path: str, value: str
) -> None:
    document = copy.deepcopy(short_document)
    _set(path, value)(document)
    check_document(document)  # the pattern alone lets these through
    with pytest.raises(DataFileError, match=f"impossible date “{value}”"):
        import_data(target, document)
    assert target.is_empty()


def test_cancelled_import_writes_nothing(
    demo_document: Document, demo_files: VaultFiles, target: ProfileSession
) -> None:
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        import_data(target, demo_document, progress, files=demo_files)
    assert target.is_empty()
    assert not list(target.documents.vault.entries())


# -- files --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON: line 1"),
        (b"", "not valid JSON"),
        (b"\xff\xfe\x00\x01", "it is not text"),
        (b"[]", "not a BackLog data file"),
        (b'{"format": "backlog-data"}', "no format version"),
        (b'{"format": "backlog-data", "version": 1}', "damaged or incomplete"),
    ],
)
def test_read_refuses_a_bad_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "data.json"
    path.write_bytes(content)
    with pytest.raises(DataFileError, match=message):
        read_data_file(path)


def test_read_refuses_a_missing_file_or_a_folder(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="There is no file"):
        read_data_file(tmp_path / "missing.json")
    with pytest.raises(DataFileError, match="is a folder"):
        read_data_file(tmp_path)


def test_write_refuses_a_folder(tmp_path: Path, demo_document: Document) -> None:
    with pytest.raises(UserError, match="is a folder"):
        write_data_file(tmp_path, demo_document)


def test_write_replaces_an_existing_file(tmp_path: Path, demo_document: Document) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "data.json"
    path.write_text("old")
    write_data_file(path, demo_document)
    assert json.loads(path.read_text(encoding="utf-8")) == demo_document
    assert sorted(p.name for p in folder.iterdir()) == ["data.json"]


def test_write_into_a_missing_folder_is_a_user_error(
    tmp_path: Path, demo_document: Document
) -> None:
    with pytest.raises(UserError, match="could not save"):
        write_data_file(tmp_path / "no-such-folder" / "data.json", demo_document)


# -- the schema and the models must agree -------------------------------------------------------


def load_schema() -> dict[str, Any]:
    return json.loads(schema_path().read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.parametrize("table", TABLES, ids=[t.key for t in TABLES])
def test_schema_matches_the_model_columns(table: Any) -> None:
    definition = load_schema()["$defs"][table.model.__tablename__]
    columns = {column.key for column in table.model.__table__.columns}
    assert set(definition["properties"]) == columns
    assert set(definition["required"]) == columns - table.later_columns
    assert definition["additionalProperties"] is False


def test_schema_lists_every_table() -> None:
    schema = load_schema()
    keys = {table.key for table in TABLES}
    required = {table.key for table in TABLES if not table.optional}
    header = {"format", "version", "exported_by", "schema_revision"}
    assert set(schema["properties"]) == keys | header
    # Record types that joined the format later may be missing from older files.
    assert set(schema["required"]) == required | header
    assert {
        "documents",
        "document_tags",
        "document_links",
        "document_texts",
        "coverage_cases",
        "case_events",
        "case_rule_overrides",
        "phone_calls",
        "network_verifications",
        "care_team_members",
        "cost_entries",
    } == keys - required
    record_defs = set(schema["$defs"]) - {"date", "timestamp"}
    assert record_defs == {table.model.__tablename__ for table in TABLES}


def test_schema_enums_match_the_domain() -> None:
    definitions = load_schema()["$defs"]
    assert definitions["insurance_plan"]["properties"]["plan_type"]["enum"] == [
        member.value for member in PlanType
    ]
    assert definitions["provider"]["properties"]["role"]["enum"] == [
        member.value for member in ProviderRole
    ]
