"""Migration 0005 (network checks, care teams, costs) keeps what 0004 held and can be undone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command

from backlog_app.storage.database import make_engine
from backlog_app.storage.migrations import alembic_config
from backlog_app.storage.profile import prepare_profile_dir

_STAMP = "'2026-11-27 05:00:00', '2026-11-27 05:00:00'"


def _migrate(database: Path, revision: str, *, down: bool = False) -> None:
    engine = make_engine(database, pooled=False)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            (command.downgrade if down else command.upgrade)(config, revision)
    finally:
        engine.dispose()


@pytest.fixture
def database_at_0004(tmp_path: Path) -> Path:
    """A database at 0004 holding a case and a document linked to it."""
    database = prepare_profile_dir(tmp_path / "p").database
    _migrate(database, "0004")
    connection = sqlite3.connect(database)
    try:
        connection.executescript(
            f"""
            INSERT INTO coverage_case (id, procedure, priority, service_type, created_at,
                updated_at) VALUES (1, 'lumbar_mri', 'standard', 'pre_service', {_STAMP});
            INSERT INTO document (id, sha256, file_type, original_name, size_bytes,
                needs_password, repaired, kind, title, text_status, created_at, updated_at)
                VALUES (1, '{"a" * 64}', 'pdf', 'denial.pdf', 10, 0, 0, 'denial_letter',
                'Denial', 'done', {_STAMP});
            INSERT INTO document_link (id, document_id, case_id) VALUES (1, 1, 1);
            """
        )
        connection.commit()
    finally:
        connection.close()
    return database


def test_upgrade_keeps_links_and_accepts_links_to_costs(database_at_0004: Path) -> None:
    _migrate(database_at_0004, "0005")
    connection = sqlite3.connect(database_at_0004)
    try:
        assert connection.execute("SELECT document_id, case_id FROM document_link").fetchall() == [
            (1, 1)
        ]
        connection.execute(
            "INSERT INTO cost_entry (id, kind, status, category, is_adjustment, eob_denied, "
            f"billed_cents, created_at, updated_at) VALUES (1, 'bill', 'billed', 'imaging', 0, 0, "
            f"65000, {_STAMP})"
        )
        connection.execute("INSERT INTO document_link (document_id, cost_id) VALUES (1, 1)")
        # Still exactly one target per link.
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute(
                "INSERT INTO document_link (document_id, case_id, cost_id) VALUES (1, 1, 1)"
            )
        # Negative money only on adjustments.
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute(
                "INSERT INTO cost_entry (kind, status, category, is_adjustment, eob_denied, "
                f"billed_cents, created_at, updated_at) VALUES ('bill', 'billed', 'other', 0, 0, "
                f"-100, {_STAMP})"
            )
        connection.commit()
    finally:
        connection.close()


def test_downgrade_drops_cost_links_and_keeps_the_rest(database_at_0004: Path) -> None:
    _migrate(database_at_0004, "0005")
    connection = sqlite3.connect(database_at_0004)
    try:
        connection.execute(
            "INSERT INTO cost_entry (id, kind, status, category, is_adjustment, eob_denied, "
            f"created_at, updated_at) VALUES (1, 'bill', 'billed', 'other', 0, 0, {_STAMP})"
        )
        connection.execute("INSERT INTO document_link (document_id, cost_id) VALUES (1, 1)")
        connection.commit()
    finally:
        connection.close()

    _migrate(database_at_0004, "0004", down=True)

    connection = sqlite3.connect(database_at_0004)
    try:
        assert connection.execute("SELECT document_id, case_id FROM document_link").fetchall() == [
            (1, 1)
        ]
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        assert not tables & {"cost_entry", "care_team_member", "network_verification"}
    finally:
        connection.close()
