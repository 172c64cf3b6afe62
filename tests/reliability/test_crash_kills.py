"""Crash test for CI: 50 SIGKILLs of a writing BackLog, nothing acknowledged may be lost.

The first kills start the child as a new interpreter (``python -m
tests.reliability.crash_child``), as the long run does; the rest fork it from a fork server that
has BackLog imported already, so that 50 kills fit in well under a minute.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from backlog_app.services.context import open_profile
from tests.reliability.crash_child import fixed_clock
from tests.reliability.crash_harness import (
    DELETED,
    CrashHarness,
    launch_forked,
    launch_subprocess,
)

CI_KILLS = 50
FRESH_INTERPRETER_KILLS = 3


@pytest.fixture
def harness(tmp_path: Path) -> CrashHarness:
    return CrashHarness(
        tmp_path / "profile",
        tmp_path / "scratch",
        seed=20261127,
        alive_after_first_ack=(0.15, 0.7),
        launcher=launch_subprocess,
    )


def test_fifty_kills_lose_no_acknowledged_record(harness: CrashHarness) -> None:
    harness.run(FRESH_INTERPRETER_KILLS)
    harness.launcher = launch_forked
    figures = harness.run(CI_KILLS - FRESH_INTERPRETER_KILLS)

    print(figures.summary())
    assert figures.kills == CI_KILLS
    assert figures.acks > CI_KILLS, "the children wrote almost nothing before being killed"
    assert figures.problems() == []
    assert figures.ok


def test_the_checks_find_a_lost_record_a_lost_file_and_a_partial(harness: CrashHarness) -> None:
    """The harness can fail: damage done behind its back after a kill is reported."""
    harness.launcher = launch_forked
    while not (check_ins := _acknowledged(harness, "checkin")):
        harness.run(1)
    assert harness.figures.ok
    check_in = check_ins[0]
    # Through the services (not a raw file edit, which the database seal would refuse).
    profile = open_profile(harness.profile_dir, create=False, clock=fixed_clock)
    try:
        profile.log.check_ins.delete(check_in)
    finally:
        profile.close()
    (harness.profile_dir / ".stray.partial").write_bytes(b"half a file")

    harness.check(None)

    assert [line for line in harness.figures.records_lost if f"checkin {check_in} " in line]
    assert harness.figures.partials_left
    assert not harness.figures.ok


def test_a_vault_file_removed_behind_the_records_back_is_reported(harness: CrashHarness) -> None:
    harness.launcher = launch_forked
    while not _acknowledged(harness, "doc"):
        harness.run(1)
    vault_files = [path for path in (harness.profile_dir / "vault").rglob("*") if path.is_file()]
    vault_files[0].chmod(0o644)
    vault_files[0].unlink()

    harness.check(None)

    assert harness.figures.rows_without_file


def _acknowledged(harness: CrashHarness, wanted: str) -> list[int]:
    """Ids of records of kind ``wanted`` that are acknowledged and not deleted."""
    return [
        record_id
        for (kind, record_id), value in harness.expected.items()
        if kind == wanted and value != DELETED
    ]
