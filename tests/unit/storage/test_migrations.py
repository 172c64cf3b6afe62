"""Schema migrations: a fresh database at head, backups before upgrades, newer ones refused."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import textwrap
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from backlog_app.errors import NewerDatabaseError
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.storage.database import current_revision, make_engine
from backlog_app.storage.migrations import (
    HEAD_REVISION,
    SCRIPT_LOCATION,
    alembic_config,
    head_revision,
    upgrade_database,
)
from backlog_app.storage.models import Base
from backlog_app.storage.profile import ProfilePaths, prepare_profile_dir
from backlog_app.storage.search_index import alembic_include_object

CORE_TABLES = {"patient", "insurance_plan", "provider"}
DOCUMENT_TABLES = {"document", "document_tag", "document_link", "document_text"}
CASE_TABLES = {"coverage_case", "case_event", "phone_call", "case_rule_override"}
COST_TABLES = {"network_verification", "care_team_member", "cost_entry"}
# The FTS5 full-text index and the shadow tables SQLite keeps for it (not SQLAlchemy models).
FTS_TABLES = {
    f"document_fts{suffix}" for suffix in ("", "_data", "_idx", "_content", "_docsize", "_config")
}
LOG_TABLES = {
    "check_in",
    "check_in_dose",
    "medication",
    "treatment",
    "therapy_course",
    "odi_score",
    "visit_limit",
}


def tables(database: Path) -> set[str]:
    connection = sqlite3.connect(database)
    try:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
        return {row[0] for row in rows}
    finally:
        connection.close()


def fingerprint(path: Path) -> tuple[str, bytes]:
    wal = path.with_name(path.name + "-wal")
    return hashlib.sha256(path.read_bytes()).hexdigest(), wal.read_bytes() if wal.exists() else b""


def test_migrate_from_empty_creates_every_table_at_head(tmp_path: Path) -> None:
    paths = prepare_profile_dir(tmp_path / "p")
    assert upgrade_database(paths) is None  # nothing to back up
    assert tables(paths.database) == set(Base.metadata.tables) | {"alembic_version"} | FTS_TABLES
    assert (
        set(Base.metadata.tables)
        == CORE_TABLES | LOG_TABLES | DOCUMENT_TABLES | CASE_TABLES | COST_TABLES
    )
    assert current_revision(paths.database) == head_revision()
    assert not list(paths.backups.iterdir())


def test_migrations_match_the_models(tmp_path: Path) -> None:
    """Autogenerate finds nothing to do: the migrations build exactly what the models describe."""
    paths = prepare_profile_dir(tmp_path / "p")
    upgrade_database(paths)
    engine = make_engine(paths.database, pooled=False)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"render_as_batch": True, "include_object": alembic_include_object}
            )
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_upgrade_at_head_changes_nothing(demo_profile: ProfileSession) -> None:
    paths = demo_profile.paths
    before = hashlib.sha256(paths.database.read_bytes()).hexdigest()
    assert upgrade_database(paths) is None
    assert hashlib.sha256(paths.database.read_bytes()).hexdigest() == before
    assert not list(paths.backups.iterdir())


def test_database_from_a_newer_backlog_is_refused_untouched(tmp_path: Path) -> None:
    root = tmp_path / "p"
    with open_profile(root, create=True):
        pass
    database = root / "backlog.sqlite3"
    connection = sqlite3.connect(database)
    connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.commit()
    connection.close()
    (root / "backlog.sqlite3.seal").unlink(missing_ok=True)  # edited outside BackLog on purpose
    before = fingerprint(database)

    with pytest.raises(NewerDatabaseError, match="newer version of BackLog"):
        open_profile(root, create=False)
    with pytest.raises(NewerDatabaseError):
        upgrade_database(ProfilePaths(root))

    assert fingerprint(database) == before
    assert current_revision(database) == "9999_future"
    assert not list((root / "backups").iterdir())
    # The refusal released the lock: the user can try again after installing a newer BackLog.
    with pytest.raises(NewerDatabaseError):
        open_profile(root, create=False)


_REVISION_NEXT = '''
    """test: a nullable column on provider"""

    import sqlalchemy as sa
    from alembic import op

    revision = "9001"
    down_revision = "{head}"
    branch_labels = None
    depends_on = None


    def upgrade() -> None:
        with op.batch_alter_table("provider") as batch_op:
            batch_op.add_column(sa.Column("test_extra", sa.String(length=50), nullable=True))


    def downgrade() -> None:
        with op.batch_alter_table("provider") as batch_op:
            batch_op.drop_column("test_extra")
'''


def test_upgrade_makes_a_backup_first(tmp_path: Path) -> None:
    scripts = tmp_path / "alembic"
    shutil.copytree(SCRIPT_LOCATION, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9001_test_extra.py").write_text(
        textwrap.dedent(_REVISION_NEXT).replace("{head}", HEAD_REVISION)
    )
    assert head_revision(scripts) == "9001"

    # A database at today's head holding one provider.
    paths = prepare_profile_dir(tmp_path / "p")
    engine = make_engine(paths.database, pooled=False)
    try:
        with engine.begin() as connection:
            config = alembic_config(scripts)
            config.attributes["connection"] = connection
            command.upgrade(config, HEAD_REVISION)
            connection.exec_driver_sql(
                "INSERT INTO provider (name, role, npi, created_at, updated_at) VALUES "
                "('Dr. Samuel Okafor', 'spine_surgeon', '1234567893', "
                "'2026-11-27 05:00:00', '2026-11-27 05:00:00')"
            )
    finally:
        engine.dispose()
    assert current_revision(paths.database) == HEAD_REVISION

    backup = upgrade_database(paths, script_location=scripts)

    assert backup is not None
    assert backup.parent == paths.backups
    assert backup.name.startswith(f"before-upgrade-{HEAD_REVISION}-")
    assert backup.suffix == ".sqlite3"
    assert [p.name for p in paths.backups.iterdir()] == [backup.name]  # no .partial left
    copy = sqlite3.connect(backup)
    try:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (HEAD_REVISION,)
        ]
        assert copy.execute("SELECT name, npi FROM provider").fetchall() == [
            ("Dr. Samuel Okafor", "1234567893")
        ]
        columns = {row[1] for row in copy.execute("PRAGMA table_info(provider)")}
        assert "test_extra" not in columns
        # A backup is one self-contained file.
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        copy.close()

    live = sqlite3.connect(paths.database)
    try:
        assert live.execute("SELECT version_num FROM alembic_version").fetchall() == [("9001",)]
        assert live.execute("SELECT name, npi, test_extra FROM provider").fetchall() == [
            ("Dr. Samuel Okafor", "1234567893", None)
        ]
    finally:
        live.close()
    # Upgrading again has nothing to do and makes no second backup.
    assert upgrade_database(paths, script_location=scripts) is None
    assert len(list(paths.backups.iterdir())) == 1


def test_head_constant_matches_the_migration_scripts() -> None:
    """Start-up trusts HEAD_REVISION to skip Alembic; a new migration must update it."""
    from backlog_app.storage.migrations import HEAD_REVISION

    assert head_revision() == HEAD_REVISION


def test_opening_a_current_database_does_not_import_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path\n"
        "from backlog_app.services.context import open_profile\n"
        "p = Path(sys.argv[1])\n"
        "open_profile(p, create=True).close()\n"
        "for name in [m for m in sys.modules if m.startswith(('alembic', 'mako'))]:\n"
        "    del sys.modules[name]\n"
        "open_profile(p, create=False).close()\n"
        "print(any(m.startswith('alembic') for m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "p")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "False"
