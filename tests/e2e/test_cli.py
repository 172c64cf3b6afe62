"""The real ``backlog`` command, run as a separate process the way a user runs it.

Independent command lines start together (``run_all``) to keep the suite quick; no test looks at
how long anything took.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from backlog_app.services.context import open_profile
from backlog_app.services.demo import create_demo
from backlog_app.services.interchange import export_data, write_data_file
from backlog_app.storage.migrations import HEAD_REVISION

Arg = str | Path


@dataclass(frozen=True)
class Result:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    @property
    def error_lines(self) -> list[str]:
        return self.stderr.splitlines()


class Backlog:
    """Starts ``python -m backlog_app`` with every user folder pointed into the test's tmp dir."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.env = env
        self.cwd = cwd

    def __call__(self, *args: Arg) -> Result:
        return self.run_all([args])[0]

    def run_all(self, command_lines: Sequence[Sequence[Arg]]) -> list[Result]:
        """Run command lines that share no profile at the same time; results in the same order."""
        started = [
            (
                tuple(map(str, args)),
                subprocess.Popen(
                    [sys.executable, "-m", "backlog_app", *map(str, args)],
                    env=self.env,
                    cwd=self.cwd,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    encoding="utf-8",
                ),
            )
            for args in command_lines
        ]
        results = []
        for args, process in started:
            try:
                stdout, stderr = process.communicate(timeout=120)
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait()
            results.append(Result(args, process.returncode, stdout, stderr))
        return results


@pytest.fixture
def backlog(isolated_environment: Path, tmp_path: Path) -> Backlog:
    env = dict(os.environ)  # HOME, XDG_* and BACKLOG_CONFIG_DIR already point into tmp folders
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("BACKLOG_PROFILE", None)
    return Backlog(env, tmp_path)


@pytest.fixture
def closed_demo(tmp_path: Path, today: dt.date) -> Path:
    """A demo profile made in this process and closed again, so the CLI can open it."""
    root = tmp_path / "demo-source"
    with open_profile(root, create=True, clock=lambda: today) as profile:
        create_demo(profile)
    return root


def test_help_and_version(backlog: Backlog) -> None:
    command_lines = [
        ["--help"],
        ["demo", "--help"],
        ["info", "--help"],
        ["data", "--help"],
        ["data", "export", "--help"],
        ["data", "import", "--help"],
    ]
    for result in backlog.run_all([*command_lines, ["--version"]]):
        assert result.returncode == 0, result
        assert result.stderr == "", result
        if result.args == ("--version",):
            assert result.stdout.startswith("BackLog ")
        else:
            assert result.stdout.startswith("usage: backlog"), result


def test_usage_errors_exit_2(backlog: Backlog) -> None:
    command_lines = [
        ["frobnicate"],
        ["data"],
        ["data", "export"],  # --out is required
        ["data", "import"],  # FILE is required
        ["demo", "--no-such-option"],
        ["--profile"],
    ]
    for result in backlog.run_all(command_lines):
        assert result.returncode == 2, result
        assert "usage: backlog" in result.stderr, result
        assert "Traceback" not in result.stderr, result


def test_demo_then_info_then_demo_again(backlog: Backlog, tmp_path: Path) -> None:
    profile = tmp_path / "demo profile"  # a space, as in "My Documents"
    result = backlog("--profile", profile, "demo")
    assert result.returncode == 0, result
    assert f"Created the demo profile in {profile}" in result.stdout
    assert f'backlog --profile "{profile}"' in result.stdout
    assert (profile / "backlog.sqlite3").is_file()

    info = backlog("info", "--profile", profile)
    assert info.returncode == 0, info
    assert f"schema {HEAD_REVISION}" in info.stdout
    assert "Patient:   recorded" in info.stdout
    assert "Plans:     2" in info.stdout
    assert "Providers: 15" in info.stdout

    again = backlog("--profile", profile, "demo")
    assert again.returncode == 1, again
    assert len(again.error_lines) == 1, again
    assert again.error_lines[0].startswith("backlog: ")
    assert "already holds records" in again.stderr


def test_demo_with_the_option_after_the_subcommand(backlog: Backlog, tmp_path: Path) -> None:
    after, from_env = tmp_path / "after", tmp_path / "from-env"
    result = backlog("demo", "--profile", after)
    assert result.returncode == 0, result
    assert (after / "backlog.sqlite3").is_file()

    backlog.env["BACKLOG_PROFILE"] = str(from_env)
    result = backlog("demo")
    assert result.returncode == 0, result
    assert (from_env / "backlog.sqlite3").is_file()


def test_export_import_export_gives_identical_files(
    backlog: Backlog, tmp_path: Path, closed_demo: Path
) -> None:
    copy = tmp_path / "copy"
    first, second = tmp_path / "a.json", tmp_path / "b.json"

    exported = backlog("--profile", closed_demo, "data", "export", "--out", first)
    assert exported.returncode == 0, exported
    assert json.loads(first.read_text(encoding="utf-8"))["format"] == "backlog-data"

    imported = backlog("--profile", copy, "data", "import", first)
    assert imported.returncode == 0, imported
    assert "Imported 1 patient, 2 insurance plans, 15 providers" in imported.stdout

    again = backlog("data", "export", "--profile", copy, "--out", second)
    assert again.returncode == 0, again
    assert first.read_bytes() == second.read_bytes()

    refused = backlog("--profile", copy, "data", "import", first)
    assert refused.returncode == 1, refused
    assert len(refused.error_lines) == 1, refused
    assert "already holds records" in refused.stderr


def test_missing_profile(backlog: Backlog, tmp_path: Path, isolated_environment: Path) -> None:
    nowhere = tmp_path / "nowhere"
    info, export = backlog.run_all(
        [
            ["--profile", nowhere, "info"],
            ["--profile", nowhere, "data", "export", "--out", tmp_path / "x.json"],
        ]
    )
    for result in (info, export):
        assert result.returncode == 1, result
        assert result.stdout == ""
    assert info.error_lines == [
        f"backlog: There is no BackLog profile in {nowhere}. "
        "Create one with `backlog demo` or by starting the app."
    ]
    assert len(export.error_lines) == 1
    assert not nowhere.exists()
    assert not (tmp_path / "x.json").exists()
    # Problems before a profile is open are logged beside the settings, not in the real home.
    assert (isolated_environment / "config-backlog" / "logs" / "backlog.log").is_file()


def test_import_of_a_bad_file(backlog: Backlog, tmp_path: Path) -> None:
    cases = {
        "broken.json": ("{not json", "not valid JSON"),
        "newer.json": ('{"format": "backlog-data", "version": 7}', "newer BackLog"),
        "partial.json": ('{"format": "backlog-data", "version": 1}', "damaged or incomplete"),
        "list.json": ("[]", "not a BackLog data file"),
        "missing.json": (None, "There is no file"),
    }
    command_lines: list[list[Arg]] = []
    for name, (content, _message) in cases.items():
        if content is not None:
            (tmp_path / name).write_text(content, encoding="utf-8")
        command_lines.append(["--profile", tmp_path / f"target-{name}", "data", "import", name])
    for result, (name, (_content, message)) in zip(
        backlog.run_all(command_lines), cases.items(), strict=True
    ):
        assert result.returncode == 1, result
        assert len(result.error_lines) == 1, result
        assert message in result.stderr, result
        assert not (tmp_path / f"target-{name}").exists()  # checked before any folder is made


def test_import_of_a_file_with_bad_records(
    backlog: Backlog, tmp_path: Path, closed_demo: Path
) -> None:
    target, data = tmp_path / "target", tmp_path / "data.json"
    with open_profile(closed_demo, create=False) as profile:
        document = export_data(profile)
    document["providers"][0]["npi"] = "1234567890"  # wrong check digit
    document["patient"]["date_of_birth"] = "2099-01-01"  # in the future
    write_data_file(data, document)

    result = backlog("--profile", target, "data", "import", data)
    assert result.returncode == 1, result
    assert len(result.error_lines) == 1, result
    assert "The data file was not imported:" in result.stderr
    assert "NPI" in result.stderr
    assert "date of birth" in result.stderr

    # The half-made profile is removed again, so nothing can later open it as if it were real.
    assert not target.exists()


def test_window_without_a_display_is_refused_in_one_line(
    backlog: Backlog, closed_demo: Path
) -> None:
    backlog.env.pop("QT_QPA_PLATFORM")
    backlog.env.pop("DISPLAY", None)
    backlog.env.pop("WAYLAND_DISPLAY", None)
    result = backlog("--profile", closed_demo)
    assert result.returncode == 1
    assert len(result.error_lines) == 1
    assert "no screen" in result.stderr


def test_the_window_holds_its_profile_against_a_second_process(
    backlog: Backlog, closed_demo: Path
) -> None:
    """The real app, started as a user would; a headless command must wait its turn."""
    log_file = closed_demo / "logs" / "backlog.log"
    lines_before = log_file.read_text(encoding="utf-8").count("profile open\n")
    window = subprocess.Popen(
        [sys.executable, "-m", "backlog_app", "--profile", str(closed_demo)],
        env=backlog.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(600):  # up to 60 s on a slow machine; normally about one second
            if log_file.read_text(encoding="utf-8").count("profile open\n") > lines_before:
                break
            if window.poll() is not None:
                pytest.fail(f"the window exited early: {window.communicate()}")
            time.sleep(0.1)
        else:
            pytest.fail("the window never opened its profile")
        result = backlog("--profile", closed_demo, "data", "export", "--out", "x.json")
        assert result.returncode == 1
        assert len(result.error_lines) == 1
        assert "already open in another BackLog window" in result.stderr
    finally:
        window.terminate()
        _, errors = window.communicate(timeout=30)
    assert "Traceback" not in errors


# -- backlog summary ----------------------------------------------------------------------------
# The demo was made on 2026-11-27; --until pins the range, so the output does not depend on the
# day the tests run (the command's own clock is the real one).


def test_summary_of_the_demo(backlog: Backlog, closed_demo: Path) -> None:
    # One after the other: two commands cannot hold the same profile at once.
    text = backlog(
        "--profile", closed_demo, "summary", "--since", "2025-01-01", "--until", "2026-11-27"
    )
    after = backlog("summary", "--until", "2026-11-27", "--profile", closed_demo)
    help_text = backlog("summary", "--help")
    for result in (text, after, help_text):
        assert result.returncode == 0, result
        assert result.stderr == "", result
    lines = text.stdout.splitlines()
    assert lines[0] == "Care recorded from 1 Jan 2025 to 27 Nov 2026."
    for heading in ("Therapy and visits", "Imaging", "Injections", "Medications"):
        assert heading in lines
    assert "  Physical therapy: 16 visits over 8 weeks (16 Nov 2025 – 11 Jan 2026)" in lines
    assert "  Epidural steroid injection, L4-L5 left, 22 Mar 2026: 40% relief for 3 weeks" in lines
    assert "  ODI over time: 44% (15 Feb 2026), 38% (23 Oct 2026)" in lines
    assert "Plan visit limits" in lines
    assert any(
        line.startswith("  Chiropractic: ") for line in lines[lines.index("Plan visit limits") :]
    )
    # --profile after the subcommand reads the same profile; only the first line differs.
    assert after.stdout.splitlines()[0] == "Care recorded up to 27 Nov 2026."
    assert after.stdout.splitlines()[1:] == lines[1:]
    assert help_text.stdout.startswith("usage: backlog summary")
    assert "--since DATE" in help_text.stdout and "--json" in help_text.stdout


def test_summary_as_json(backlog: Backlog, closed_demo: Path) -> None:
    result = backlog("--profile", closed_demo, "summary", "--json", "--until", "2026-11-27")
    assert result.returncode == 0, result
    document = json.loads(result.stdout)
    assert (document["format"], document["version"]) == ("backlog-care-summary", 1)
    assert (document["since"], document["until"]) == (None, "2026-11-27")
    therapy = document["treatments"][0]
    assert (therapy["kind"], therapy["visits"], therapy["span_weeks"]) == (
        "physical_therapy",
        16,
        8.0,
    )
    # The epidural, then the ablation case's two medial branch blocks.
    assert [i["relief_percent"] for i in document["injections"]] == [40, 85, 80]
    naproxen = next(m for m in document["medications"] if m["name"] == "Naproxen")
    assert (naproxen["weeks"], naproxen["outcome"]) == (6.0, "no_effect")
    assert [o["percent"] for o in document["odi"]] == [44.0, 38.0]
    assert document["visit_limits"][0]["kind"] == "chiropractic"


def test_summary_refuses_bad_dates_in_one_line(
    backlog: Backlog, closed_demo: Path, tmp_path: Path
) -> None:
    nowhere = tmp_path / "nowhere"
    cases: list[tuple[list[Arg], str]] = [
        (["--profile", closed_demo, "summary", "--since", "2026-13-01"], "backlog: “2026-13-01” is not a date written as YYYY-MM-DD (e.g. 2026-03-14)."),
        (["--profile", closed_demo, "summary", "--until", "27/11/2026"], "backlog: “27/11/2026” is not a date written as YYYY-MM-DD (e.g. 2026-03-14)."),
        (["--profile", closed_demo, "summary", "--since", "2026-03-02", "--until", "2026-03-01"], "backlog: The start date (2 Mar 2026) is after the end date (1 Mar 2026); please swap them."),
        # The dates are checked before any profile is looked for.
        (["--profile", nowhere, "summary", "--since", "yesterday"], "backlog: “yesterday” is not a date written as YYYY-MM-DD (e.g. 2026-03-14)."),
        (["--profile", nowhere, "summary"], f"backlog: There is no BackLog profile in {nowhere}. Create one with `backlog demo` or by starting the app."),
    ]  # fmt: skip
    # At the same time is fine: none of them gets as far as opening a profile.
    results = backlog.run_all([args for args, _ in cases])
    for result, (_, message) in zip(results, cases, strict=True):
        assert result.returncode == 1, result
        assert result.stdout == "", result
        assert result.error_lines == [message], result
    assert not nowhere.exists()


def test_summary_of_an_empty_profile(backlog: Backlog, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    open_profile(empty, create=True).close()
    text = backlog("--profile", empty, "summary")
    as_json = backlog("--profile", empty, "summary", "--json")
    assert text.returncode == 0, text
    assert text.stdout.startswith("Nothing was recorded up to ")
    assert len(text.stdout.splitlines()) == 1
    assert as_json.returncode == 0, as_json
    document = json.loads(as_json.stdout)
    assert document["treatments"] == document["medications"] == document["odi"] == []
    assert document["scores"]["pain_change"] is None
