"""`backlog costs` (and the bills and care-team checks in `backlog due`), run as a user runs them.

The commands use the real clock, so the profiles here are made with it too.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from backlog_app.domain.costs import CostData, CostKind
from backlog_app.domain.records import PlanData, PlanType
from backlog_app.services.context import open_profile
from tests.e2e.test_cli import Backlog

TOTAL_FIELDS = {
    "plan", "plan_year", "entries", "billed_cents", "allowed_cents", "plan_paid_cents",
    "patient_cents", "deductible", "out_of_pocket", "hsa_contributions_cents",
    "hsa_payments_cents", "supplemental_expected_cents", "supplemental_received_cents",
    "flagged_bills", "flagged_elsewhere",
}  # fmt: skip


@pytest.fixture
def backlog(isolated_environment: Path, tmp_path: Path) -> Backlog:
    env = dict(os.environ)  # HOME, XDG_* and BACKLOG_CONFIG_DIR already point into tmp folders
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("BACKLOG_PROFILE", None)
    return Backlog(env, tmp_path)


def test_costs_and_due_on_the_demo(backlog: Backlog, tmp_path: Path) -> None:
    profile = tmp_path / "demo"
    made = backlog("demo", "--profile", profile)
    assert made.returncode == 0, made
    this_year = dt.date.today().year  # the demo's plan years begin on 1 January
    # One after the other: two commands cannot hold the same profile at once.
    text = backlog("--profile", profile, "costs")
    as_json = backlog("costs", "--json", "--profile", profile)
    last_year = backlog("--profile", profile, "costs", "--year", str(this_year - 1))
    long_ago = backlog("--profile", profile, "costs", "--year", "1995")
    due = backlog("--profile", profile, "due", "--all")
    for result in (text, as_json, last_year, long_ago, due):
        assert result.returncode == 0, result
        assert result.stderr == "", result

    lines = text.stdout.splitlines()
    assert lines[0] == "Buckeye Mutual Health — Choice PPO 1500"
    assert lines[1].startswith(f"Plan year 1 Jan {this_year} to 31 Dec {this_year} (")
    for label in ("Billed", "Your share", "Deductible", "Out-of-pocket maximum", "HSA"):
        assert any(line.strip().startswith(label) for line in lines), label
    # The anesthesia group's balance bill names no case, so it has no out-of-network flag: the
    # flag needs the case where the group is out of network in a protected role.
    assert "2 bills to question before paying:" in lines
    words = " ".join(text.stdout.split())
    assert "Over the Good Faith Estimate." in words and "Last day: " in words
    assert "Denied on the EOB." in words and "Westgate Imaging Center" in words

    record = json.loads(as_json.stdout)
    assert set(record) == TOTAL_FIELDS
    assert record["plan_year"]["start"] == f"{this_year}-01-01"
    assert record["patient_cents"] > 0 and record["billed_cents"] > record["allowed_cents"]
    assert record["deductible"]["limit_cents"] == 150_000
    kinds = {bill["kind"]: bill for bill in record["flagged_bills"]}
    assert set(kinds) == {"over_good_faith_estimate", "denied_by_eob"}
    dispute = kinds["over_good_faith_estimate"]
    assert dispute["due_status"] in {"due_soon", "later"} and dispute["due"] is not None
    assert kinds["denied_by_eob"]["billed_cents"] == 65_000

    assert last_year.stdout.startswith("Buckeye Mutual Health — Choice PPO 1500\nPlan year ")
    assert "No bill of this plan year needs questioning." in last_year.stdout
    assert f"`backlog costs --year {this_year}`" in last_year.stdout
    assert long_ago.stdout == (  # the plan began three years ago
        "No costs recorded for the plan year 1 Jan 1995 to 31 Dec 1995 (No plan in force).\n"
    )

    assert "Dispute the bill over its Good Faith Estimate" in due.stdout
    assert "Check that the pathology lab is in network" in due.stdout
    assert "Find an in-network follow-up imaging center" in due.stdout


def test_a_profile_without_costs(backlog: Backlog, tmp_path: Path) -> None:
    empty, hsa_only = tmp_path / "empty", tmp_path / "hsa"
    open_profile(empty, create=True).close()
    with open_profile(hsa_only, create=True) as profile:
        profile.costs.add(
            CostData(CostKind.HSA_CONTRIBUTION, service_date=dt.date.today(), billed_cents=5_000)
        )
    results = [
        backlog("--profile", empty, "costs"),
        backlog("--profile", empty, "costs", "--json"),
        backlog("--profile", hsa_only, "costs"),
    ]
    for result in results:
        assert (result.returncode, result.stderr) == (0, ""), result
    text, as_json, hsa = (result.stdout for result in results)
    assert text == (
        "No costs recorded yet. Add bills, EOBs and estimates on the Costs page of the "
        "BackLog window.\n"
    )
    record = json.loads(as_json)
    assert record["plan"] == "No plan in force" and record["entries"] == 0
    assert record["deductible"] is None and record["flagged_bills"] == []
    assert "$50.00 put in, $0.00 paid out" in hsa
    assert "No bill of this plan year needs questioning." in hsa
    assert "not recorded for this plan" in hsa  # no plan: no deductible to measure


def test_an_earlier_plan_year_shows_its_costs_against_the_plan_of_that_year(
    backlog: Backlog, tmp_path: Path
) -> None:
    folder = tmp_path / "two-plans"
    last_year = dt.date.today().year - 1
    with open_profile(folder, create=True) as profile:
        old = profile.plans.add(
            PlanData(
                "Old Mutual",
                PlanType.EMPLOYER_PPO,
                deductible_cents=100_000,
                coverage_start=dt.date(last_year - 2, 1, 1),
                coverage_end=dt.date(last_year, 12, 31),
            )
        )
        profile.plans.add(
            PlanData(
                "Buckeye Mutual Health",
                PlanType.EMPLOYER_PPO,
                deductible_cents=150_000,
                coverage_start=dt.date(last_year + 1, 1, 1),
            )
        )
        profile.costs.add(
            CostData(
                CostKind.BILL,
                "Office visit",
                plan_id=old,
                service_date=dt.date(last_year, 5, 4),
                bill_date=dt.date(last_year, 5, 20),
                billed_cents=50_000,
                patient_cents=30_000,
            )
        )
    text = backlog("--profile", folder, "costs", "--year", str(last_year))
    as_json = backlog("--profile", folder, "costs", "--year", str(last_year), "--json")
    for result in (text, as_json):
        assert (result.returncode, result.stderr) == (0, ""), result
    lines = text.stdout.splitlines()
    assert lines[:2] == [
        "Old Mutual",
        f"Plan year 1 Jan {last_year} to 31 Dec {last_year} (1 entry)",
    ]
    assert "  Your share             $300.00" in lines
    assert "  Deductible             $300.00 of $1,000.00: $700.00 to go" in lines
    record = json.loads(as_json.stdout)
    assert (record["plan"], record["patient_cents"], record["billed_cents"]) == (
        "Old Mutual",
        30_000,
        50_000,
    )
    assert record["deductible"]["limit_cents"] == 100_000


def test_help_usage_errors_and_a_missing_profile(backlog: Backlog, tmp_path: Path) -> None:
    nowhere = tmp_path / "nowhere"
    results = backlog.run_all(
        [
            ["costs", "--help"],
            ["costs", "--year", "20x"],
            ["costs", "--year", "1800"],
            ["costs", "--year"],
            ["costs", "--json=yes"],
            ["costs", "extra"],
            ["--profile", nowhere, "costs"],
            ["--profile", nowhere, "costs", "--json"],
        ]
    )
    helped, *usage, missing, missing_json = results
    assert (helped.returncode, helped.stderr) == (0, "")
    assert helped.stdout.startswith("usage: backlog costs [-h] [--profile DIR] [-v] [--year YYYY]")
    assert "Good Faith Estimate" in " ".join(helped.stdout.split())
    for result in usage:
        assert result.returncode == 2, result
        assert result.stdout == ""
        assert result.error_lines[0].startswith("usage: backlog")
        assert "Traceback" not in result.stderr
    assert "“20x” is not a year written as YYYY" in usage[0].stderr
    for result in (missing, missing_json):
        assert result.returncode == 1, result
        assert result.stdout == ""
        assert result.error_lines == [
            f"backlog: There is no BackLog profile in {nowhere}. "
            "Create one with `backlog demo` or by starting the app."
        ]
