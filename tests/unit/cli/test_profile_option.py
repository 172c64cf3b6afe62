"""The command line opens a profile with the user's settings, as the window does: `backlog due`
judges care-team checks by the "Checks go out of date after N days" setting."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import pytest

from backlog_app.cli.cases import run_due
from backlog_app.cli.profile_option import open_for_cli
from backlog_app.domain.cases import CaseData, Procedure
from backlog_app.domain.network import NetworkStatus, VerificationData, VerificationMethod
from backlog_app.domain.records import PlanData, PlanType, ProviderData, ProviderRole
from backlog_app.services.context import open_profile
from backlog_app.settings import SettingsStore

CHECK_TITLE = "Check that the hospital or surgery center is in network"


@pytest.fixture
def profile_root(tmp_path: Path) -> Path:
    """A profile on the real clock (the commands use it): a surgery in 10 days at a center
    checked in network 40 days ago, in the plan year that contains both days."""
    root = tmp_path / "profile"
    today = dt.date.today()
    with open_profile(root, create=True) as profile:
        plan = profile.plans.add(
            PlanData(
                "Buckeye Mutual Health",
                PlanType.EMPLOYER_PPO,
                plan_year_start=today - dt.timedelta(days=45),  # began before the check
                coverage_start=today - dt.timedelta(days=400),
            )
        )
        center = profile.providers.add(
            ProviderData("Northside Surgery Center", ProviderRole.SURGERY_CENTER)
        )
        profile.cases.add(
            CaseData(
                Procedure.MICRODISCECTOMY,
                plan_id=plan,
                facility_id=center,
                scheduled_date=today + dt.timedelta(days=10),
            )
        )
        profile.network.add_verification(
            VerificationData(
                center,
                plan,
                NetworkStatus.IN_NETWORK,
                VerificationMethod.CALL,
                today - dt.timedelta(days=40),
                reference_number="BMH-1",
            )
        )
    return root


def due_titles(root: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    capsys.readouterr()
    assert run_due(argparse.Namespace(profile=str(root), all=True, json=True)) == 0
    return [item["title"] for item in json.loads(capsys.readouterr().out)]


def test_backlog_due_follows_the_network_days_setting(
    profile_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert CHECK_TITLE not in due_titles(profile_root, capsys)  # 40 days: current under 90
    SettingsStore().update(network_check_days=30)
    assert CHECK_TITLE in due_titles(profile_root, capsys)  # out of date under 30


def test_open_for_cli_applies_the_settings(profile_root: Path) -> None:
    SettingsStore().update(network_check_days=45, max_import_mb=3)
    with open_for_cli(argparse.Namespace(profile=str(profile_root))) as profile:
        assert profile.network.max_age_days == 45
        assert profile.importer.max_bytes == 3 * 1024 * 1024
