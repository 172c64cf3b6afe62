"""`backlog due` and `backlog cases`, run as a user runs them.

The commands use the real clock, so the profiles here are made with it too (`backlog demo`, or
records dated from ``dt.date.today()``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from backlog_app.domain.cases import (
    CallData,
    CallDirection,
    CaseData,
    CaseEventData,
    DenialReason,
    EventType,
    Procedure,
)
from backlog_app.domain.records import PlanData, PlanType
from backlog_app.services.context import open_profile
from tests.e2e.test_cli import Backlog

DUE_FIELDS = {
    "due", "title", "party", "case_id", "case_title", "cost_id", "explanation", "source", "rule",
    "status",
}  # fmt: skip


@pytest.fixture
def backlog(isolated_environment: Path, tmp_path: Path) -> Backlog:
    env = dict(os.environ)  # HOME, XDG_* and BACKLOG_CONFIG_DIR already point into tmp folders
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("BACKLOG_PROFILE", None)
    return Backlog(env, tmp_path)


def days_from_today(count: int) -> dt.date:
    return dt.date.today() + dt.timedelta(days=count)


def test_due_and_cases_on_the_demo(backlog: Backlog, tmp_path: Path) -> None:
    profile = tmp_path / "demo"
    made = backlog("demo", "--profile", profile)
    assert made.returncode == 0, made
    # One after the other: two commands cannot hold the same profile at once.
    as_json = backlog("--profile", profile, "due", "--json")
    everything = backlog("--profile", profile, "due", "--all", "--json")
    text = backlog("due", "--profile", profile)
    listing = backlog("--profile", profile, "cases")
    listing_json = backlog("--profile", profile, "cases", "--json")
    for result in (as_json, everything, text, listing, listing_json):
        assert result.returncode == 0, result
        assert result.stderr == "", result

    today = dt.date.today()
    items = json.loads(as_json.stdout)
    all_items = json.loads(everything.stdout)
    assert items and all(set(item) == DUE_FIELDS for item in all_items)
    dues = [dt.date.fromisoformat(item["due"]) for item in all_items]
    assert dues == sorted(dues)  # soonest first
    assert items == all_items[: len(items)]  # the default is the first part of --all
    assert all(today <= dt.date.fromisoformat(i["due"]) <= days_from_today(60) for i in items)
    assert len(all_items) > len(items)  # the demo's ablation approval runs out later
    assert {item["status"] for item in all_items} <= {"due_soon", "later"}  # nothing overdue
    assert any(item["rule"] == "external_review_filing" for item in items)
    assert any(item["rule"] == "call_follow_up" and item["case_id"] for item in items)
    assert all(item["source"] and item["explanation"] for item in all_items)
    assert {item["party"] for item in all_items} <= {"you", "insurer"}

    lines = text.stdout.splitlines()
    assert lines[0].startswith(items[0]["due"])
    assert "Ask for an external review" in text.stdout
    assert "OVERDUE" not in text.stdout
    assert "`backlog due --all` lists it" in lines[-1]

    rows = listing.stdout.splitlines()
    assert rows[0].split() == ["ID", "Status", "Next", "deadline", "Case"]
    assert len(rows) == 5
    assert any("Microdiscectomy — left L4-L5" in row and "Approved" in row for row in rows)
    assert rows[-1].endswith("Lumbar MRI — without contrast")  # no deadline: last
    cases = json.loads(listing_json.stdout)
    assert [case["id"] for case in cases] == [int(row.split()[0]) for row in rows[1:]]
    mri = next(case for case in cases if case["procedure"] == "lumbar_mri")
    assert (mri["status"], mri["next_due"]) == ("paid", None)
    assert all(case["plan"] == "Buckeye Mutual Health — Choice PPO 1500" for case in cases)


def test_overdue_items_come_first_and_are_marked(backlog: Backlog, tmp_path: Path) -> None:
    root = tmp_path / "late"
    with open_profile(root, create=True) as profile:
        plan = profile.plans.add(PlanData("Buckeye Mutual Health", PlanType.EMPLOYER_PPO))
        case_id = profile.cases.add(CaseData(Procedure.MICRODISCECTOMY, plan_id=plan))
        profile.cases.add_event(
            CaseEventData(
                case_id,
                EventType.DENIED,
                days_from_today(-200),
                received_date=days_from_today(-196),
                reason=DenialReason.MISSING_DOCUMENTATION,
            )
        )
        profile.calls.add(
            CallData(
                dt.datetime.combine(days_from_today(-1), dt.time(9, 30)),
                CallDirection.OUTGOING,
                "Midwest Spine Institute",
                follow_up="Rosa calls back",
                follow_up_date=days_from_today(2),
            )
        )
    as_json = backlog("--profile", root, "due", "--json")
    text = backlog("--profile", root, "due")
    for result in (as_json, text):
        assert result.returncode == 0, result
    items = json.loads(as_json.stdout)
    assert [(item["status"], item["rule"]) for item in items] == [
        ("overdue", "erisa_appeal_filing"),
        ("due_soon", "call_follow_up"),
    ]
    assert items[0]["due"] == days_from_today(-16).isoformat()  # 180 days after receipt
    assert items[1]["case_id"] is None and items[1]["case_title"] is None
    lines = text.stdout.splitlines()
    assert (
        lines[0] == f"{days_from_today(-16):%Y-%m-%d}  OVERDUE by 16 days: File your first appeal"
    )
    assert f"{days_from_today(2):%Y-%m-%d}  in 2 days: Follow up: Rosa calls back" in lines
    assert "No case (a call) · who acts: you" in text.stdout


def test_a_profile_with_nothing_due(backlog: Backlog, tmp_path: Path) -> None:
    empty, later = tmp_path / "empty", tmp_path / "later"
    open_profile(empty, create=True).close()
    with open_profile(later, create=True) as profile:
        case_id = profile.cases.add(CaseData(Procedure.LUMBAR_MRI))
        profile.cases.add_event(
            CaseEventData(
                case_id,
                EventType.APPROVED,
                days_from_today(-2),
                valid_from=days_from_today(-2),
                valid_until=days_from_today(100),
            )
        )
    # One after the other: a profile is locked while a command has it open.
    results = [
        backlog("--profile", empty, "due"),
        backlog("--profile", empty, "due", "--json"),
        backlog("--profile", empty, "cases"),
        backlog("--profile", empty, "cases", "--json"),
        backlog("--profile", later, "due"),
    ]
    for result in results:
        assert result.returncode == 0, result
        assert result.stderr == "", result
    due, due_json, cases, cases_json, not_yet = (result.stdout for result in results)
    assert due == "Nothing is due: no open deadlines and no promised follow-ups.\n"
    assert json.loads(due_json) == [] and json.loads(cases_json) == []
    assert cases == "No coverage cases yet. Add one on the Cases page of the BackLog window.\n"
    horizon = days_from_today(60)
    assert not_yet == (
        f"Nothing is due before {horizon:%Y-%m-%d}; 1 later item: `backlog due --all`.\n"
    )
    everything = backlog("--profile", later, "due", "--all")
    assert everything.stdout.startswith(
        f"{days_from_today(100):%Y-%m-%d}  in 100 days: Have the care done before the approval "
        "runs out"
    )


def test_help_usage_errors_and_a_missing_profile(backlog: Backlog, tmp_path: Path) -> None:
    nowhere = tmp_path / "nowhere"
    helps: list[list[str | Path]] = [["due", "--help"], ["cases", "--help"]]
    usage_errors: list[list[str | Path]] = [
        ["due", "--soon"],
        ["cases", "--all"],
        ["due", "extra"],
        ["due", "--json=yes"],
    ]
    missing: list[list[str | Path]] = [
        ["--profile", nowhere, "due"],
        ["--profile", nowhere, "cases", "--json"],
    ]
    results = backlog.run_all([*helps, *usage_errors, *missing])

    due_help, cases_help = results[0], results[1]
    for result in (due_help, cases_help):
        assert (result.returncode, result.stderr) == (0, ""), result
    assert due_help.stdout.startswith(
        "usage: backlog due [-h] [--profile DIR] [-v] [--all] [--json]"
    )
    assert "soonest first" in " ".join(due_help.stdout.split())
    assert cases_help.stdout.startswith("usage: backlog cases")
    for result in results[2 : 2 + len(usage_errors)]:
        assert result.returncode == 2, result
        assert "usage: backlog" in result.stderr and "Traceback" not in result.stderr, result
    for result in results[2 + len(usage_errors) :]:
        assert result.returncode == 1, result
        assert result.stdout == ""
        assert result.error_lines == [
            f"backlog: There is no BackLog profile in {nowhere}. "
            "Create one with `backlog demo` or by starting the app."
        ]
    assert not nowhere.exists()


def test_a_reader_that_stops_early_is_not_an_error(backlog: Backlog, tmp_path: Path) -> None:
    """`backlog due --json | head -1`: the pipe closes before BackLog writes; exit 0, no apology."""
    profile = tmp_path / "profile"
    with open_profile(profile, create=True) as session:
        session.calls.add(
            CallData(
                dt.datetime.combine(dt.date.today(), dt.time(9, 0)),
                CallDirection.OUTGOING,
                "Buckeye Mutual Health",
                follow_up="They call back",
                follow_up_date=days_from_today(3),
            )
        )
    process = subprocess.Popen(
        [sys.executable, "-m", "backlog_app", "--profile", str(profile), "due", "--json"],
        env=backlog.env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # long before the command has started writing
    stderr = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=120) == 0
    assert "went wrong" not in stderr
