"""Creating profiles: the welcome form's profile, the demo, and clean-up after a failed fill."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from backlog_app.domain.records import PatientData, PlanData, PlanType
from backlog_app.errors import ProfileError, UserError, ValidationError
from backlog_app.services.context import open_profile
from backlog_app.services.onboarding import create_profile, ensure_demo_profile, new_profile
from backlog_app.storage.profile import ProfilePaths

ANN = PatientData("Ann Example", dt.date(1960, 5, 4))


def test_create_profile_saves_patient_and_first_plan(tmp_path: Path) -> None:
    folder = tmp_path / "ann"
    create_profile(folder, ANN, PlanData("Acme Health", PlanType.ACA_MARKETPLACE, member_id="A1"))
    with open_profile(folder, create=False) as profile:
        assert profile.patient.get() == ANN
        assert [p.data.member_id for p in profile.plans.list()] == ["A1"]


def test_create_profile_refuses_a_folder_that_holds_a_profile(tmp_path: Path) -> None:
    folder = tmp_path / "ann"
    create_profile(folder, ANN, None)
    with pytest.raises(ProfileError, match="already holds a BackLog profile"):
        create_profile(folder, ANN, None)


def test_invalid_patient_leaves_no_half_made_profile(tmp_path: Path) -> None:
    folder = tmp_path / "never"
    with pytest.raises(ValidationError):
        create_profile(folder, PatientData("", dt.date(2099, 1, 1)), None)
    assert not folder.exists()


def test_failed_fill_of_an_existing_empty_folder_removes_only_what_it_made(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "my-notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(UserError), new_profile(folder):
        raise UserError("import failed")
    assert sorted(p.name for p in folder.iterdir()) == ["logs", "my-notes.txt"]
    assert not ProfilePaths(folder).has_database()


def test_failure_in_an_existing_profile_keeps_it(tmp_path: Path) -> None:
    folder = tmp_path / "kept"
    create_profile(folder, ANN, None)
    with pytest.raises(UserError), new_profile(folder):
        raise UserError("demo refused")
    with open_profile(folder, create=False) as profile:
        assert profile.patient.get() == ANN


def test_demo_profile_is_made_once_then_reused(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    ensure_demo_profile(folder)
    first = (folder / "backlog.sqlite3").stat().st_mtime_ns
    ensure_demo_profile(folder)
    assert (folder / "backlog.sqlite3").stat().st_mtime_ns == first
    with open_profile(folder, create=False) as profile:
        assert profile.providers.count() == 15
