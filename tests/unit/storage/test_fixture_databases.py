"""Real database files from earlier versions open with every record intact (guards migrations)."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sqlite3
from pathlib import Path

from backlog_app.domain.records import PlanType, ProviderRole
from backlog_app.domain.validation import provider_problems
from backlog_app.services.context import open_profile
from backlog_app.storage.database import current_revision
from backlog_app.storage.migrations import head_revision

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "db"
V0001_DEMO = FIXTURES / "v0001-demo.sqlite3"
MADE_ON = dt.date(2026, 11, 27)  # the clock date tests/fixtures/make_v0001_fixture.py used


def test_v0001_fixture_is_a_single_file_at_0001() -> None:
    assert V0001_DEMO.is_file()
    assert not V0001_DEMO.with_name(V0001_DEMO.name + "-wal").exists()
    connection = sqlite3.connect(f"{V0001_DEMO.as_uri()}?mode=ro", uri=True)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            ("0001",)
        ]
    finally:
        connection.close()


def test_v0001_demo_opens_with_every_record(tmp_path: Path) -> None:
    fixture_hash = hashlib.sha256(V0001_DEMO.read_bytes()).hexdigest()
    root = tmp_path / "old-profile"
    root.mkdir()
    shutil.copyfile(V0001_DEMO, root / "backlog.sqlite3")

    with open_profile(root, create=False, clock=lambda: MADE_ON) as profile:
        assert current_revision(profile.paths.database) == head_revision()
        if head_revision() == "0001":
            assert profile.upgrade_backup is None
        else:
            assert profile.upgrade_backup is not None
            assert profile.upgrade_backup.name.startswith("before-upgrade-0001-")

        patient = profile.patient.get()
        assert patient is not None
        assert patient.full_name == "Maria Alvarez"
        assert patient.date_of_birth == dt.date(1974, 7, 27)
        assert patient.email == "maria.alvarez@example.com"

        plans = profile.plans.list()
        assert [(p.data.insurer, p.data.plan_type, p.data.priority) for p in plans] == [
            ("Buckeye Mutual Health", PlanType.EMPLOYER_PPO, 1),
            ("Guardian Shield Supplemental", PlanType.HOSPITAL_INDEMNITY, 2),
        ]
        assert plans[0].data.deductible_cents == 150_000
        assert plans[0].data.out_of_pocket_max_cents == 600_000
        assert plans[0].data.plan_year_start == dt.date(2026, 1, 1)
        assert plans[0].data.coverage_start == dt.date(2023, 1, 1)
        assert all(isinstance(p.created_at, dt.datetime) for p in plans)

        providers = profile.providers.list()
        assert len(providers) == 12
        assert all(provider_problems(p.data) == [] for p in providers)
        by_name = {p.data.name: p.data for p in providers}
        assert by_name["Dr. Samuel Okafor"].role is ProviderRole.SPINE_SURGEON
        assert by_name["Dr. Nadia Farouk"].npi is None
        assert sum(1 for p in providers if p.data.npi) == 11

        # The old file stays usable for new records.
        profile.providers.add(by_name["Dr. Samuel Okafor"])
        assert profile.providers.count() == 13

    assert hashlib.sha256(V0001_DEMO.read_bytes()).hexdigest() == fixture_hash
