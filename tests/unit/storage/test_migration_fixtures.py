"""Real databases from every released schema upgrade with every row kept (issue #8, item 6).

tests/fixtures/schema-NNNN.sqlite3.gz are demo databases made by the BackLog of each release
(tests/fixtures/make_schema_fixtures.py says how); schema-NNNN.counts.json has their row counts.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory

from backlog_app.services.context import open_profile
from backlog_app.services.documents import DocumentFilter
from backlog_app.services.interchange.codec import check_document, export_data
from backlog_app.services.interchange.tables import TABLES
from backlog_app.storage.database import current_revision
from backlog_app.storage.migrations import (
    HEAD_REVISION,
    alembic_config,
    upgrade_database,
    upgrade_marker_path,
)
from backlog_app.storage.profile import ProfilePaths, prepare_profile_dir

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
RELEASED = sorted(
    match.group(1)
    for path in FIXTURES.glob("schema-*.sqlite3.gz")
    if (match := re.fullmatch(r"schema-(\d{4})\.sqlite3\.gz", path.name))
)
# Tables a data migration fills while upgrading, by the revision that adds them. Every other
# table that an upgrade adds must start empty. No migration up to 0005 moves data.
FILLED_BY_DATA_MIGRATION: dict[str, str] = {}
# A service's count for each table, so reads after the upgrade are checked through the app.
SERVICE_COUNTS = {
    "provider": lambda p: p.providers.count(),
    "insurance_plan": lambda p: p.plans.count(),
    "check_in": lambda p: p.log.check_ins.count(),
    "medication": lambda p: p.log.medications.count(),
    "treatment": lambda p: p.log.treatments.count(),
    "document": lambda p: p.documents.count(),
    "coverage_case": lambda p: p.cases.count(),
    "phone_call": lambda p: p.calls.count(),
    "network_verification": lambda p: p.network.count(),
    "care_team_member": lambda p: p.network.team_count(),
    "cost_entry": lambda p: p.costs.count(),
}


def table_counts(database: Path) -> dict[str, int]:
    connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    try:
        names = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {n: connection.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        connection.close()


def fts_shadow_tables(database: Path) -> set[str]:
    """The tables SQLite keeps for each full-text index; an empty index has rows in two of them."""
    connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    try:
        indexes = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'"
            )
        ]
        names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master")]
    finally:
        connection.close()
    return {n for n in names for i in indexes if n.startswith(f"{i}_")}


def pragma_rows(database: Path, pragma: str) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute(f"PRAGMA {pragma}").fetchall()
    finally:
        connection.close()


def recorded_counts(revision: str) -> dict[str, int]:
    summary = json.loads((FIXTURES / f"schema-{revision}.counts.json").read_text())
    assert summary["revision"] == revision
    return dict(summary["tables"])


def profile_from_fixture(revision: str, root: Path) -> ProfilePaths:
    """A profile folder holding only the fixture's database (its documents' files are not kept)."""
    paths = prepare_profile_dir(root)
    with gzip.open(FIXTURES / f"schema-{revision}.sqlite3.gz") as packed:
        paths.database.write_bytes(packed.read())
    return paths


def test_every_released_schema_has_a_fixture() -> None:
    """The newest revision may be unreleased; every older one must have its fixture."""
    script = ScriptDirectory.from_config(alembic_config())
    revisions = sorted(r.revision for r in script.walk_revisions())
    older = [r for r in revisions if r != HEAD_REVISION]
    missing = [r for r in older if r not in RELEASED]
    assert not missing, f"make them: tests/fixtures/make_schema_fixtures.py {missing[0]} --commit …"
    assert set(RELEASED) <= set(revisions)
    assert revisions == RELEASED  # today every revision, the head included, has one


@pytest.mark.parametrize("revision", RELEASED)
def test_fixture_is_a_filled_single_file_at_its_revision(revision: str, tmp_path: Path) -> None:
    paths = profile_from_fixture(revision, tmp_path / "p")
    assert current_revision(paths.database) == revision
    assert pragma_rows(paths.database, "journal_mode") == [("delete",)]
    assert pragma_rows(paths.database, "integrity_check") == [("ok",)]
    counts = table_counts(paths.database)
    assert counts == recorded_counts(revision)
    # Real data in every table of that schema, so the upgrade is tested on rows, not on air.
    assert [name for name, rows in counts.items() if not rows] == []


@pytest.mark.parametrize("revision", RELEASED)
def test_upgrade_keeps_every_row_and_every_link(
    revision: str, tmp_path: Path, today: dt.date
) -> None:
    paths = profile_from_fixture(revision, tmp_path / "p")
    before = recorded_counts(revision)
    fixture_bytes = hashlib.sha256(paths.database.read_bytes()).hexdigest()

    backup = upgrade_database(paths)

    assert current_revision(paths.database) == HEAD_REVISION
    assert pragma_rows(paths.database, "integrity_check") == [("ok",)]
    assert pragma_rows(paths.database, "foreign_key_check") == []
    after = table_counts(paths.database)
    assert {name: after.get(name) for name in before} == before
    new_tables = set(after) - set(before) - fts_shadow_tables(paths.database)
    filled = {name for name in new_tables if after[name]}
    assert filled == {t for t, added_by in FILLED_BY_DATA_MIGRATION.items() if added_by > revision}
    assert not upgrade_marker_path(paths).exists()
    if revision == HEAD_REVISION:
        assert backup is None
        assert hashlib.sha256(paths.database.read_bytes()).hexdigest() == fixture_bytes
        assert not list(paths.backups.iterdir())
    else:
        # The pre-upgrade backup is the fixture's database, every row of it.
        assert backup is not None
        assert [p.name for p in paths.backups.iterdir()] == [backup.name]
        assert backup.name.startswith(f"before-upgrade-{revision}-")
        assert current_revision(backup) == revision
        assert table_counts(backup) == before
        assert pragma_rows(backup, "integrity_check") == [("ok",)]

    assert_profile_reads(paths, before, today)


def assert_profile_reads(paths: ProfilePaths, before: dict[str, int], today: dt.date) -> None:
    """The upgraded profile opens and the services read every old record."""
    with open_profile(paths.root, create=False, clock=lambda: today) as profile:
        assert profile.upgrade_backup is None  # already upgraded: nothing more to do
        patient = profile.patient.get()
        assert patient is not None and patient.full_name
        for table, count in SERVICE_COUNTS.items():
            assert count(profile) == before.get(table, 0), table
        profile.cases.list()  # deadlines and next steps computed from the old rows
        # Every record loads through the models and passes the data file's schema.
        document = export_data(profile)
        check_document(document)
        for kind in TABLES:
            exported = document[kind.key]
            rows = (1 if exported else 0) if kind.single else len(exported)
            assert rows == before.get(kind.model.__tablename__, 0), kind.key
        if before.get("document"):
            word = max(re.findall(r"[A-Za-z]{5,}", document["documents"][0]["title"]), key=len)
            found = profile.documents.list(DocumentFilter(text=word))
            assert document["documents"][0]["id"] in {row.info.id for row in found}
        # The old file takes new records.
        providers = profile.providers.list()
        profile.providers.add(providers[0].data)
        assert profile.providers.count() == before["provider"] + 1
    assert not upgrade_marker_path(paths).exists()
