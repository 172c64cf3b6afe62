"""The command line's parser: which handler each command line reaches (nothing is run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from backlog_app.cli import EXIT_USAGE, build_parser, commands, main


@pytest.mark.parametrize(
    ("argv", "handler", "profile"),
    [
        ([], commands.run_gui, None),  # no command opens the window
        (["--profile", "P"], commands.run_gui, "P"),
        (["gui"], commands.run_gui, None),
        (["demo"], commands.run_demo, None),
        (["--profile", "P", "demo"], commands.run_demo, "P"),
        (["demo", "--profile", "P"], commands.run_demo, "P"),
        (["info", "--profile", "P"], commands.run_info, "P"),
        (["data", "export", "--out", "a.json"], commands.run_data_export, None),
        (["--profile", "P", "data", "export", "--out", "a.json"], commands.run_data_export, "P"),
        (["data", "import", "a.json", "--profile", "P"], commands.run_data_import, "P"),
    ],
)
def test_each_command_line_reaches_its_handler(
    argv: list[str], handler: object, profile: str | None
) -> None:
    args = build_parser().parse_args(argv)
    assert args.handler is handler
    assert getattr(args, "profile", None) == profile


def test_export_takes_a_path() -> None:
    args = build_parser().parse_args(["data", "export", "--out", "a.json"])
    assert args.out == Path("a.json")


@pytest.mark.parametrize(
    "argv",
    [["frobnicate"], ["data"], ["data", "export"], ["data", "import"], ["demo", "--nope"]],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == EXIT_USAGE
    assert "usage: backlog" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "since", "until", "as_json", "profile"),
    [
        (["summary"], None, None, False, None),
        (["--profile", "P", "summary", "--json"], None, None, True, "P"),
        (["summary", "--since", "2026-01-01", "--profile", "P"], "2026-01-01", None, False, "P"),
        (["summary", "--until", "2026-06-30", "--since", "x"], "x", "2026-06-30", False, None),
    ],
)
def test_summary_options(
    argv: list[str], since: str | None, until: str | None, as_json: bool, profile: str | None
) -> None:
    args = build_parser().parse_args(argv)
    assert args.handler is commands.run_summary
    assert (args.since, args.until, args.json) == (since, until, as_json)
    assert getattr(args, "profile", None) == profile


def test_summary_checks_its_dates_before_any_profile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nowhere = tmp_path / "nowhere"
    assert main(["--profile", str(nowhere), "summary", "--until", "2026-02-30"]) == 1
    assert capsys.readouterr().err == (
        "backlog: “2026-02-30” is not a date written as YYYY-MM-DD (e.g. 2026-03-14).\n"
    )
    assert not nowhere.exists()
