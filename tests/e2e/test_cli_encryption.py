"""Encrypted profiles from the command line: the passphrase from the environment (never a
prompt without a terminal), `backlog encrypt`, `backlog passphrase`, and the other commands
working on an encrypted profile."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from backlog_app.domain.records import PatientData, PlanData, PlanType
from backlog_app.services.backups import create_backup
from backlog_app.services.context import open_profile
from backlog_app.services.onboarding import new_profile
from backlog_app.services.progress import Progress
from backlog_app.settings import SettingsStore
from backlog_app.storage.backup_archive import ENCRYPTION_MEMBER, open_archive
from backlog_app.storage.crypto import KdfParams, is_encrypted_file, new_salt
from backlog_app.storage.database import is_plain_sqlite
from backlog_app.storage.encryption import is_encrypted
from backlog_app.storage.profile import ProfilePaths
from tests.document_files import write_pdf

PASSPHRASE = "lantern orchard velvet"
FAST = KdfParams(new_salt(), 1024, 1, 1)  # the parameters live in the profile's file


class Run:
    """``python -m backlog_app`` with stdin not a terminal (as in a script or a cron job)."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self.env = dict(os.environ)  # HOME, XDG_* and BACKLOG_CONFIG_DIR point into tmp folders
        self.env["QT_QPA_PLATFORM"] = "offscreen"
        self.env["PYTHONIOENCODING"] = "utf-8"
        for name in ("BACKLOG_PROFILE", "BACKLOG_PASSPHRASE", "BACKLOG_NEW_PASSPHRASE"):
            self.env.pop(name, None)

    def __call__(self, *args: str | Path, **env: str) -> subprocess.CompletedProcess[str]:
        return self.all([(args, env)])[0]

    def all(
        self, runs: Sequence[tuple[Sequence[str | Path], dict[str, str]]]
    ) -> list[subprocess.CompletedProcess[str]]:
        """Command lines that share no writes, started together (keeps the suite quick)."""
        started = [
            (
                [sys.executable, "-m", "backlog_app", *map(str, args)],
                subprocess.Popen(
                    [sys.executable, "-m", "backlog_app", *map(str, args)],
                    env=self.env | env,
                    cwd=self.cwd,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    encoding="utf-8",
                ),
            )
            for args, env in runs
        ]
        results = []
        for command, process in started:
            stdout, stderr = process.communicate(timeout=120)
            results.append(subprocess.CompletedProcess(command, process.returncode, stdout, stderr))
        return results


@pytest.fixture
def run(isolated_environment: Path, tmp_path: Path) -> Run:
    return Run(tmp_path)


def make_profile(root: Path, tmp_path: Path, passphrase: str | None) -> Path:
    with new_profile(root, passphrase=passphrase, kdf=FAST) as profile:
        profile.patient.save(PatientData("Rosalind Quill", dt.date(1974, 3, 9)))
        profile.plans.add(PlanData("Cascade Mutual", PlanType.EMPLOYER_PPO))
        profile.importer.add(write_pdf(tmp_path / "denial.pdf", 1, "denial"))
    return root


def test_an_encrypted_profile_needs_its_passphrase(run: Run, tmp_path: Path) -> None:
    root = make_profile(tmp_path / "profile", tmp_path, PASSPHRASE)
    # Only one of these opens the profile (it is locked while open); the others stop before.
    no_env, wrong, right = run.all(
        [
            (["info", "--profile", root], {}),
            (["info", "--profile", root], {"BACKLOG_PASSPHRASE": "not it"}),
            (["info", "--profile", root], {"BACKLOG_PASSPHRASE": PASSPHRASE}),
        ]
    )
    assert no_env.returncode == 1 and no_env.stdout == ""
    assert no_env.stderr.splitlines() == [
        "backlog: This profile is protected with a passphrase: set BACKLOG_PASSPHRASE or run "
        "in a terminal."
    ]
    assert wrong.returncode == 1
    assert wrong.stderr.splitlines() == [
        "backlog: That passphrase is not right. Check Caps Lock and try again."
    ]
    assert right.returncode == 0, right.stderr
    assert "Protected: yes, with a passphrase" in right.stdout
    assert "Plans:     1" in right.stdout
    # `costs`, `cases`, `due`, `packet` and `backup` open profiles through the same function.
    for command in (["doc", "list"], ["summary"]):
        result = run(*command, "--profile", root, BACKLOG_PASSPHRASE=PASSPHRASE)
        assert result.returncode == 0, (command, result.stderr)
        if command[0] == "doc":
            assert "denial" in result.stdout


def test_encrypt_an_existing_profile_then_change_its_passphrase(run: Run, tmp_path: Path) -> None:
    root = make_profile(tmp_path / "profile", tmp_path, None)
    paths = ProfilePaths(root)
    missing, weak = run.all(
        [
            (["encrypt", "--profile", root], {}),
            (["encrypt", "--profile", root], {"BACKLOG_NEW_PASSPHRASE": "short"}),
        ]
    )
    assert missing.returncode == 1
    assert "BACKLOG_NEW_PASSPHRASE" in missing.stderr and len(missing.stderr.splitlines()) == 1
    assert weak.returncode == 1 and "at least 8 characters" in weak.stderr
    assert not is_encrypted(paths)

    # A plain backup in the profile (deleted by encrypt) and one in the second backup folder
    # (the command cannot reach it, so it says to delete it by hand).
    with open_profile(root, create=False) as profile:
        plain = create_backup(profile, paths.backups, Progress()).path
    # Plain leftovers of an interrupted upgrade and of a killed backup go too.
    aside = paths.backups / "interrupted-upgrade-0004-20261127-101010.sqlite3"
    aside.write_bytes(paths.database.read_bytes())
    (paths.backups / (aside.name + "-wal")).write_bytes(b"\x37\x7f\x06\x82 plain WAL")
    snapshot = paths.backups / ".snapshot-k3j9x"
    snapshot.mkdir()
    (snapshot / "backlog.sqlite3").write_bytes(aside.read_bytes())
    copies = tmp_path / "usb"
    copies.mkdir()
    (copies / plain.name).write_bytes(plain.read_bytes())
    SettingsStore().update(backup_copy_folder=str(copies))

    done = run("encrypt", "--profile", root, BACKLOG_NEW_PASSPHRASE=PASSPHRASE)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "Protected the profile" in done.stdout and "1 document files" in done.stdout
    assert f"Deleted 3 unencrypted backups from {paths.backups}." in done.stdout
    # ... and only after the new backup was made
    assert done.stdout.index("Made a new protected backup") < done.stdout.index("Deleted 3")
    assert is_encrypted(paths) and not is_plain_sqlite(paths.database)
    assert all(is_encrypted_file(p) for p in paths.vault.rglob("*") if p.is_file())
    # The deleted plain backup is replaced by one new, encrypted, checked backup.
    (backup,) = paths.backups.iterdir()
    assert f"Made a new protected backup: {backup} (" in done.stdout
    with open_archive(backup) as (archive, manifest):
        assert manifest.encrypted
        assert ENCRYPTION_MEMBER in archive.namelist()
        assert ENCRYPTION_MEMBER in {entry.name for entry in manifest.files}
    assert f"The 1 older backups in {copies} (your second backup folder)" in done.stdout
    assert "NOT protected" in done.stdout
    again, wrong_old = run.all(
        [
            (["encrypt", "--profile", root], {"BACKLOG_NEW_PASSPHRASE": PASSPHRASE}),
            (
                ["passphrase", "--profile", root],
                {"BACKLOG_PASSPHRASE": "nope", "BACKLOG_NEW_PASSPHRASE": "x" * 9},
            ),
        ]
    )
    assert again.returncode == 1 and "already" in again.stderr
    assert wrong_old.returncode == 1 and "not right" in wrong_old.stderr
    changed = run(
        "passphrase",
        "--profile",
        root,
        BACKLOG_PASSPHRASE=PASSPHRASE,
        BACKLOG_NEW_PASSPHRASE="harbour cobalt finch",
    )
    assert changed.returncode == 0, changed.stderr
    assert "old passphrase" in changed.stdout
    old, new = run.all(  # the old passphrase is refused before the profile is opened
        [
            (["info", "--profile", root], {"BACKLOG_PASSPHRASE": PASSPHRASE}),
            (["info", "--profile", root], {"BACKLOG_PASSPHRASE": "harbour cobalt finch"}),
        ]
    )
    assert old.returncode == 1 and new.returncode == 0, new.stderr


def test_a_plain_profile_has_no_passphrase_to_change(run: Run, tmp_path: Path) -> None:
    root = make_profile(tmp_path / "profile", tmp_path, None)
    result = run("passphrase", "--profile", root, BACKLOG_PASSPHRASE=PASSPHRASE)
    assert result.returncode == 1 and "backlog encrypt" in result.stderr
    with open_profile(root, create=False) as profile:
        assert not profile.encrypted


@pytest.mark.usefixtures("fast_kdf")  # in this process, so the cheap Argon2 reaches it
def test_encrypt_succeeds_even_when_the_new_backup_cannot_be_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from backlog_app.cli import main
    from backlog_app.errors import BackupError
    from backlog_app.services import backups

    root = make_profile(tmp_path / "profile", tmp_path, None)
    paths = ProfilePaths(root)
    with open_profile(root, create=False) as profile:
        plain = create_backup(profile, paths.backups, Progress()).path
    aside = paths.backups / "interrupted-upgrade-0004-20261127-101010.sqlite3"
    aside.write_bytes(paths.database.read_bytes())

    def full_disk(*_args: object, **_kwargs: object) -> None:
        raise BackupError("The disk is full.")

    monkeypatch.setattr(backups, "create_backup", full_disk)
    monkeypatch.setenv("BACKLOG_NEW_PASSPHRASE", PASSPHRASE)
    assert main(["encrypt", "--profile", str(root)]) == 0
    out, err = capsys.readouterr()
    assert "Protected the profile" in out and "Made a new protected backup" not in out
    assert "Deleted" not in out
    assert err.splitlines() == [
        "backlog: The profile is protected, but no new backup could be made. The disk is full. "
        f"Your old, unprotected backups in {paths.backups} were kept because of that; make one "
        "with `backlog backup --out FOLDER`, then delete the old ones by hand."
    ]
    assert is_encrypted(paths)
    # Until a new backup exists, the plain ones are the only backups: they stay.
    assert sorted(paths.backups.iterdir()) == sorted([plain, aside])
