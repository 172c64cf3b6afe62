"""`backlog backup`, `backlog restore` and `backlog backups`, through the command's main()."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from backlog_app.cli import main
from backlog_app.services.context import open_profile
from backlog_app.services.demo import create_demo
from backlog_app.storage.backup_archive import read_manifest
from tests.conftest import fixed_clock
from tests.unit.storage.test_backup_archive import flip_member_byte


@pytest.fixture
def demo_root(tmp_path: Path, demo_database: Path) -> Path:
    """A closed copy of the demo profile."""
    root = tmp_path / "demo"
    root.mkdir()
    shutil.copyfile(demo_database, root / "backlog.sqlite3")
    shutil.copytree(demo_database.parent / "vault", root / "vault")
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def info_counts(capsys: pytest.CaptureFixture[str], root: Path) -> list[str]:
    code, out, _ = run(capsys, "info", "--profile", root)
    assert code == 0
    return [line for line in out.splitlines() if not line.startswith(("Profile:", "Database:"))]


def make_backup(capsys: pytest.CaptureFixture[str], root: Path, out: Path) -> Path:
    code, _, stderr = run(capsys, "backup", "--profile", root, "--out", out)
    assert (code, stderr) == (0, "")
    (made,) = out.glob("*.backlog-backup")
    return made


def test_round_trip_keeps_every_record_and_file(
    capsys: pytest.CaptureFixture[str], demo_root: Path, tmp_path: Path
) -> None:
    assert run(capsys, "check", "--repair", "--profile", demo_root)[0] == 0  # draws thumbnails
    code, out, err = run(capsys, "backup", "--profile", demo_root, "--out", tmp_path / "out")
    assert (code, err) == (0, "")
    (made,) = (tmp_path / "out").glob("backlog-backup-*.backlog-backup")
    files = len(read_manifest(made).files)
    assert out.startswith(f"Backed up {files} files (")
    assert out.rstrip().endswith(f"to {made}; checked.")

    restored = tmp_path / "restored"
    code, out, err = run(capsys, "restore", made, "--profile", restored)
    assert (code, err) == (0, "")
    assert out.splitlines() == [f"Restored {files} files into {restored}; every one checked."]
    assert info_counts(capsys, restored) == info_counts(capsys, demo_root)
    with (
        open_profile(demo_root, create=False, clock=fixed_clock) as original,
        open_profile(restored, create=False, clock=fixed_clock) as copy,
    ):
        assert copy.documents.count() == original.documents.count() > 0
        assert copy.log.check_ins.count() == original.log.check_ins.count()
        assert copy.cases.count() == original.cases.count()
        assert copy.costs.count() == original.costs.count()
    code, out, _ = run(capsys, "check", "--profile", restored)
    assert code == 0, out
    assert "The database is in order." in out


def test_backup_to_a_named_file(
    capsys: pytest.CaptureFixture[str], demo_root: Path, tmp_path: Path
) -> None:
    target = tmp_path / "mine.backlog-backup"
    code, out, _ = run(capsys, "backup", "--profile", demo_root, "--out", target)
    assert code == 0 and str(target) in out
    assert target.is_file()


def test_restore_refuses_an_existing_profile_unless_replace(
    capsys: pytest.CaptureFixture[str], demo_root: Path, tmp_path: Path
) -> None:
    made = make_backup(capsys, demo_root, tmp_path / "out")
    other = tmp_path / "other"
    open_profile(other, create=True).close()
    code, out, err = run(capsys, "restore", made, "--profile", other)
    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1 and "--replace" in err
    code, out, err = run(capsys, "restore", made, "--profile", other, "--replace")
    assert (code, err) == (0, "")
    (aside,) = tmp_path.glob("other.before-restore-*")
    assert f"kept in {aside}" in out
    assert info_counts(capsys, other) == info_counts(capsys, demo_root)


def test_a_damaged_backup_names_the_files_and_restores_only_when_asked(
    capsys: pytest.CaptureFixture[str], demo_root: Path, tmp_path: Path
) -> None:
    made = make_backup(capsys, demo_root, tmp_path / "out")
    member = next(e.name for e in read_manifest(made).files if e.name.startswith("vault/"))
    flip_member_byte(made, member)
    code, out, err = run(capsys, "restore", made, "--profile", tmp_path / "r1")
    assert (code, out) == (1, "")
    assert err.splitlines()[0].startswith("backlog: 1 of the ")
    assert err.splitlines()[1:] == [f"  damaged: {member}"]
    assert not (tmp_path / "r1").exists()

    code, out, err = run(capsys, "restore", made, "--profile", tmp_path / "r2", "--restore-damaged")
    assert (code, err) == (0, "")
    assert f"Left out 1 damaged file(s): {member}." in out
    code, out, _ = run(capsys, "check", "--profile", tmp_path / "r2")
    assert code == 1  # the document whose file was left out is reported missing


def test_restore_needs_a_profile_folder(
    capsys: pytest.CaptureFixture[str], demo_root: Path, tmp_path: Path
) -> None:
    made = make_backup(capsys, demo_root, tmp_path / "out")
    code, _, err = run(capsys, "restore", made)
    assert code == 2 and "--profile" in err


@pytest.mark.parametrize(
    "args",
    [["backup"], ["restore"], ["restore", "a", "b", "--profile", "x"], ["backups", "--bogus"]],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    assert run(capsys, *args)[0] == 2


def test_not_a_backup_is_one_plain_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    junk = tmp_path / "junk.backlog-backup"
    junk.write_text("hello")
    code, out, err = run(capsys, "restore", junk, "--profile", tmp_path / "r")
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and "not a BackLog backup" in err


def test_backups_lists_both_folders_newest_first(
    capsys: pytest.CaptureFixture[str],
    demo_root: Path,
    tmp_path: Path,
    isolated_environment: Path,
) -> None:
    code, out, _ = run(capsys, "backups", "--profile", demo_root)
    assert code == 0 and out.startswith("No backups in ")
    usb = tmp_path / "usb"
    usb.mkdir()
    (isolated_environment / "config-backlog" / "settings.json").write_text(
        json.dumps({"version": 2, "backup_copy_folder": str(usb)})
    )
    first = make_backup(capsys, demo_root, demo_root / "backups")
    second = usb / "backlog-backup-20300101-090000.backlog-backup"
    shutil.copyfile(first, second)
    code, out, _ = run(capsys, "backups", "--profile", demo_root)
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("2030-01-01 09:00") and lines[0].endswith(str(second))
    assert lines[1].endswith(str(first))


def test_backup_of_a_missing_profile(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "backup", "--profile", tmp_path / "none", "--out", tmp_path)
    assert (code, out) == (1, "")
    assert "no BackLog profile" in err


def test_demo_made_by_the_command_round_trips(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The whole path a user takes: `backlog demo`, `backlog backup`, `backlog restore`."""
    root = tmp_path / "fresh"
    with open_profile(root, create=True, clock=fixed_clock) as profile:
        create_demo(profile)
    made = make_backup(capsys, root, tmp_path / "out")
    code, _, err = run(capsys, "restore", made, "--profile", tmp_path / "back")
    assert (code, err) == (0, "")
    assert run(capsys, "check", "--profile", tmp_path / "back")[0] == 0
