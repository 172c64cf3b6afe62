"""A schema upgrade that fails or is killed part-way leaves the database as it was (issue #8, 6).

Each case runs a copy of the real migration scripts with one extra, broken revision 0006 on a
fixture database from tests/fixtures. "As it was" is checked on the bytes when SQLite's rollback
suffices, and on every row and the schema when the pre-upgrade backup had to be put back.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from backlog_app.errors import DatabaseError
from backlog_app.services.context import open_profile
from backlog_app.storage.database import connect_sqlite, current_revision, sqlite_module
from backlog_app.storage.migrations import (
    HEAD_REVISION,
    SCRIPT_LOCATION,
    recover_interrupted_upgrade,
    upgrade_database,
    upgrade_marker_path,
)
from backlog_app.storage.profile import ProfilePaths, prepare_profile_dir

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REPOSITORY = Path(__file__).resolve().parents[2]
KEY = bytes(range(32))  # an encrypted profile's SQLCipher key, as ProfileKey.database_key gives

_REVISION_0006 = '''
    """test: a broken migration"""

    import sys
    import time

    import sqlalchemy as sa
    from alembic import op

    revision = "0006"
    down_revision = "{head}"
    branch_labels = None
    depends_on = None


    def upgrade() -> None:
    {body}


    def downgrade() -> None:
        pass
'''

# Schema and data changes inside the upgrade's transaction, then a failure.
CHANGES = """
op.create_table("interrupted_test", sa.Column("id", sa.Integer(), primary_key=True))
with op.batch_alter_table("provider") as batch_op:
    batch_op.add_column(sa.Column("test_extra", sa.String(length=50), nullable=True))
op.execute("UPDATE provider SET name = 'changed by 0006', test_extra = 'half-way'")
op.execute("DELETE FROM check_in_dose")
"""
RAISES = "raise RuntimeError('0006 is broken: SELECT secret FROM patient')\n"
# A migration that breaks the one-transaction rule: its first changes are committed for good.
COMMITS_PART_WAY = """
op.execute("UPDATE provider SET name = 'committed by 0006'")
op.execute("DELETE FROM check_in_dose")
op.execute("COMMIT")
op.execute("DELETE FROM treatment")
"""
PAUSES = "print('PAUSED', flush=True)\ntime.sleep(60)\nsys.exit('the parent did not kill me')\n"

_CHILD = """
import sys
from pathlib import Path
from backlog_app.storage.migrations import upgrade_database
from backlog_app.storage.profile import ProfilePaths
upgrade_database(ProfilePaths(Path(sys.argv[1])), script_location=Path(sys.argv[2]))
"""


def scripts_with_0006(tmp_path: Path, body: str) -> Path:
    """A copy of the migration scripts plus a revision 0006 running ``body``."""
    scripts = tmp_path / "alembic"
    shutil.copytree(SCRIPT_LOCATION, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    source = textwrap.dedent(_REVISION_0006).replace("{head}", HEAD_REVISION)
    source = source.replace("{body}", textwrap.indent(body.strip(), "    "))
    (scripts / "versions" / "0006_broken.py").write_text(source)
    return scripts


def profile_from_fixture(revision: str, root: Path, key: bytes | None = None) -> ProfilePaths:
    """A profile holding the fixture's database in WAL mode, as BackLog leaves every profile."""
    paths = prepare_profile_dir(root)
    with gzip.open(FIXTURES / f"schema-{revision}.sqlite3.gz") as packed:
        paths.database.write_bytes(packed.read())
    if key is not None:
        encrypt_in_place(paths.database, key)
    connection = connect_sqlite(paths.database, key=key)
    try:
        assert connection.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
    finally:
        connection.close()
    return paths


def encrypt_in_place(database: Path, key: bytes) -> None:
    encrypted = database.with_name("encrypted.sqlite3")
    connection = sqlite_module(encrypted=True).connect(str(database))
    try:
        connection.execute(f"ATTACH DATABASE '{encrypted}' AS enc KEY \"x'{key.hex()}'\"")
        connection.execute("SELECT sqlcipher_export('enc')")
        connection.execute("DETACH DATABASE enc")
    finally:
        connection.close()
    encrypted.replace(database)


def snapshot(database: Path, key: bytes | None = None) -> dict[str, Any]:
    """The schema and every row of every table, in a comparable form."""
    connection = connect_sqlite(database, key=key, read_only=True)
    try:
        schema = connection.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        tables = [row[1] for row in schema if row[0] == "table"]
        rows = {
            name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in tables
        }
        return {"schema": schema, "rows": rows}
    finally:
        connection.close()


def checks_pass(database: Path, key: bytes | None = None) -> bool:
    connection = connect_sqlite(database, key=key, read_only=True)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchall()
        return (
            integrity == [("ok",)] and not connection.execute("PRAGMA foreign_key_check").fetchall()
        )
    finally:
        connection.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(paths: ProfilePaths) -> list[str]:
    """Files an upgrade must not leave beside the database."""
    return sorted(
        p.name
        for p in paths.root.iterdir()
        if p.name.startswith(paths.database.name) and p.name != paths.database.name
    )


def assert_plain_message(error: DatabaseError) -> None:
    assert "left exactly as it was" in error.message
    # Nothing of the migration's own error: no class, no traceback, no SQL (it may quote records).
    for technical in ("RuntimeError", "Traceback", "SELECT", "secret", "broken"):
        assert technical not in error.message


@pytest.mark.parametrize("key", [None, KEY], ids=["plain", "encrypted"])
def test_failed_upgrade_leaves_the_very_same_bytes(tmp_path: Path, key: bytes | None) -> None:
    scripts = scripts_with_0006(tmp_path, CHANGES + RAISES)
    paths = profile_from_fixture("0005", tmp_path / "p", key)
    before_bytes = sha256(paths.database)
    before = snapshot(paths.database, key)

    with pytest.raises(DatabaseError) as caught:
        upgrade_database(paths, key=key, script_location=scripts)

    # First, before any read-only look makes SQLite create its -shm and -wal files again.
    assert leftovers(paths) == []  # no marker, no -wal, no half-restored copy
    assert sha256(paths.database) == before_bytes  # SQLite's rollback sufficed
    assert_plain_message(caught.value)
    assert isinstance(caught.value.__cause__, RuntimeError)  # kept for the log and the report
    assert current_revision(paths.database, key) == "0005"
    assert snapshot(paths.database, key) == before
    [backup] = paths.backups.iterdir()
    assert backup.name.startswith("before-upgrade-0005-")
    assert snapshot(backup, key)["rows"] == before["rows"]


@pytest.mark.parametrize("key", [None, KEY], ids=["plain", "encrypted"])
def test_failed_upgrade_that_committed_part_way_is_put_back_from_the_backup(
    tmp_path: Path, key: bytes | None
) -> None:
    scripts = scripts_with_0006(tmp_path, COMMITS_PART_WAY + RAISES)
    paths = profile_from_fixture("0005", tmp_path / "p", key)
    before = snapshot(paths.database, key)
    assert before["rows"]["check_in_dose"] and before["rows"]["treatment"]

    with pytest.raises(DatabaseError) as caught:
        upgrade_database(paths, key=key, script_location=scripts)

    assert leftovers(paths) == []
    assert_plain_message(caught.value)
    assert current_revision(paths.database, key) == "0005"
    assert snapshot(paths.database, key) == before  # every row, the schema too
    assert checks_pass(paths.database, key)
    backups = sorted(p.name for p in paths.backups.iterdir())
    assert [name[:20] for name in backups] == ["before-upgrade-0005-", "interrupted-upgrade-"]
    # The replaced file is kept, not deleted: what 0006 left committed is in it.
    kept = snapshot(paths.backups / backups[1], key)["rows"]
    assert kept["check_in_dose"] == [] and kept["treatment"] == []
    assert {row[1] for row in kept["provider"]} == {"committed by 0006"}
    # The restored file is a working database: BackLog's own upgrade finds nothing to do.
    assert upgrade_database(paths, key=key) is None


def run_child_until_paused(paths: ProfilePaths, scripts: Path) -> None:
    """Start an upgrade in a child process and SIGKILL it inside revision 0006."""
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(paths.root), str(scripts)],
        cwd=REPOSITORY,
        env={**os.environ, "PYTHONPATH": str(REPOSITORY)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.strip() == "PAUSED", child.communicate()[1]
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.communicate()
    assert child.returncode == -signal.SIGKILL


def test_upgrade_killed_mid_way_opens_normally_with_every_row(tmp_path: Path) -> None:
    # From 0004: the kill lands in 0006, after the real 0005 ran in the same transaction.
    scripts = scripts_with_0006(tmp_path, CHANGES + PAUSES)
    paths = profile_from_fixture("0004", tmp_path / "p")
    before = snapshot(paths.database)

    run_child_until_paused(paths, scripts)

    assert upgrade_marker_path(paths).exists()  # the child never finished
    with open_profile(paths.root, create=False) as profile:
        assert profile.upgrade_backup is not None  # upgraded again, after a new backup
        assert profile.providers.count() == len(before["rows"]["provider"])
        assert profile.log.check_ins.count() == len(before["rows"]["check_in"])
    assert current_revision(paths.database) == HEAD_REVISION
    assert checks_pass(paths.database)
    after = snapshot(paths.database)
    assert {t: len(after["rows"][t]) for t in before["rows"]} == {
        t: len(rows) for t, rows in before["rows"].items()
    }
    # What the killed 0006 changed is not there (0005 leaves these tables as they were).
    for table in ("provider", "check_in_dose", "check_in"):
        assert after["rows"][table] == before["rows"][table]
    assert "interrupted_test" not in after["rows"]
    assert not upgrade_marker_path(paths).exists()


def test_upgrade_killed_after_committing_part_way_is_put_back_at_the_next_open(
    tmp_path: Path,
) -> None:
    scripts = scripts_with_0006(tmp_path, COMMITS_PART_WAY + PAUSES)
    paths = profile_from_fixture("0005", tmp_path / "p")
    before = snapshot(paths.database)

    run_child_until_paused(paths, scripts)

    assert upgrade_marker_path(paths).exists()
    assert snapshot(paths.database) != before  # the committed half is on disk
    with open_profile(paths.root, create=False) as profile:
        assert profile.upgrade_backup is None  # put back at 0005: nothing to upgrade
        assert profile.log.treatments.count() == len(before["rows"]["treatment"])
    assert snapshot(paths.database) == before
    assert checks_pass(paths.database)
    assert not upgrade_marker_path(paths).exists()


def test_a_crash_between_commit_and_marker_removal_keeps_the_upgrade(tmp_path: Path) -> None:
    paths = profile_from_fixture("0004", tmp_path / "p")
    backup = upgrade_database(paths)
    assert backup is not None
    upgraded = sha256(paths.database)
    # What the marker said before the upgrade (the fingerprint no longer matches anything).
    marker = {"from_revision": "0004", "to_revision": HEAD_REVISION, "backup": backup.name}
    unmatched = {"size": 1, "sha256": "0" * 64, "encrypted": False}
    upgrade_marker_path(paths).write_text(json.dumps({**marker, **unmatched}))

    assert recover_interrupted_upgrade(paths) == "upgraded"

    assert sha256(paths.database) == upgraded
    assert current_revision(paths.database) == HEAD_REVISION
    assert not upgrade_marker_path(paths).exists()


# Half a marker, and one from before the profile was encrypted (its backup is plaintext, so it
# must never replace the database of what is now an encrypted profile).
UNUSABLE_MARKERS = [
    "{half a marker",
    json.dumps(
        {
            "from_revision": "0004",
            "to_revision": "0005",
            "backup": "before-upgrade-0004-20261127-050000.sqlite3",
            "size": 1,
            "sha256": "0" * 64,
            "encrypted": False,
        }
    ),
]


@pytest.mark.parametrize("marker", UNUSABLE_MARKERS, ids=["unreadable", "before-encryption"])
def test_an_unusable_marker_is_set_aside_and_the_database_left_alone(
    tmp_path: Path, marker: str
) -> None:
    key = None if marker.startswith("{half") else KEY
    paths = profile_from_fixture("0005", tmp_path / "p", key)
    before = sha256(paths.database)
    upgrade_marker_path(paths).write_text(marker)

    assert upgrade_database(paths, key=key) is None

    assert sha256(paths.database) == before
    assert not upgrade_marker_path(paths).exists()
    assert (paths.root / "backlog.sqlite3.upgrading.unusable").read_text() == marker


def test_no_safety_copy_means_no_upgrade(tmp_path: Path) -> None:
    scripts = scripts_with_0006(tmp_path, CHANGES)
    paths = profile_from_fixture("0005", tmp_path / "p")
    before = sha256(paths.database)
    paths.backups.rmdir()
    paths.backups.write_text("a file where the backups folder should be")

    with pytest.raises(DatabaseError, match="could not save a safety copy"):
        upgrade_database(paths, script_location=scripts)

    # No marker: nothing was started (the read-only looks leave SQLite's empty -wal and -shm).
    assert set(leftovers(paths)) <= {"backlog.sqlite3-wal", "backlog.sqlite3-shm"}
    assert sha256(paths.database) == before
    assert current_revision(paths.database) == "0005"
