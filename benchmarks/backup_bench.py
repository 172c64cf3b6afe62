"""Backup and restore of ten years of records with 200 scanned pages: time and size.

Run it with the project's Python:  .venv/bin/python benchmarks/backup_bench.py [--quick]
[--reuse DIR] [--plain-only]

It makes (or with ``--reuse``, reuses) the profile of benchmarks/export_bench.py, then measures
on a copy of it, plain and then encrypted (the copy protected with a passphrase, Argon2id tuned
as for a user):

- **backup**: ``create_backup`` (database snapshot, every vault file and thumbnail, the manifest,
  and the check that reads the whole file back), and the file's size;
- **verify**: ``inspect_backup`` (every member re-read and hashed);
- **restore**: ``restore_backup`` into a new folder (every hash checked while writing);
- **open + close**: opening the restored profile and closing it (the seal check at open and the
  new seal at close are part of it);
- encrypted only: **encrypt** (converting the plain copy) and **unlock** (the passphrase's Argon2id).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

from export_bench import SCANNED_PAGES, profile_in  # the ten-year profile's builder

PASSPHRASE = "benchmark passphrase, not a real one"
T = TypeVar("T")


def timed(work: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def measure(root: Path, work: Path, *, passphrase: str | None) -> dict[str, Any]:
    """Back up the profile in ``root``, verify, restore and open the copy; seconds and bytes."""
    from backlog_app.services.backups import create_backup, inspect_backup, restore_backup
    from backlog_app.services.context import open_profile
    from backlog_app.services.progress import Progress
    from backlog_app.storage.encryption import unlock
    from backlog_app.storage.profile import ProfilePaths

    figures: dict[str, Any] = {}
    key = None
    if passphrase is not None:
        key, figures["unlock_s"] = timed(lambda: unlock(ProfilePaths(root), passphrase))
    with open_profile(root, create=False, key=key) as profile:
        figures["documents"] = profile.documents.count()
        figures["database_bytes"] = profile.paths.database.stat().st_size
        result, figures["backup_s"] = timed(
            lambda: create_backup(profile, work / "out", Progress())
        )
    figures["backup_bytes"] = result.size_bytes
    figures["files"] = result.file_count
    inspection, figures["verify_s"] = timed(lambda: inspect_backup(result.path, Progress()))
    assert inspection.ok, inspection.damaged
    target = work / "restored"
    restored, figures["restore_s"] = timed(lambda: restore_backup(result.path, target, Progress()))
    assert not restored.skipped
    if passphrase is not None:
        key = unlock(ProfilePaths(target), passphrase)
    _, figures["open_close_s"] = timed(lambda: open_profile(target, create=False, key=key).close())
    return figures


def encrypted_copy(source: Path, target: Path) -> dict[str, Any]:
    from backlog_app.storage.encryption import encrypt_profile
    from backlog_app.storage.profile import ProfilePaths

    shutil.copytree(source, target)
    _, seconds = timed(lambda: encrypt_profile(ProfilePaths(target), PASSPHRASE))
    return {"encrypt_s": seconds}


def print_report(made: dict[str, Any], runs: dict[str, dict[str, Any]]) -> None:
    counts = ", ".join(f"{value:,} {name}" for name, value in made["counts"].items())
    print(f"\nProfile: {counts}; {made['pages']} scanned pages ({made['bytes'] / 2**20:.1f} MiB).")
    for name, figures in runs.items():
        print(f"\n{name}:")
        if "unlock_s" in figures:
            print(f"  unlock (Argon2id)  {figures['unlock_s']:7.2f} s")
        if "encrypt_s" in figures:
            print(f"  encrypt the copy   {figures['encrypt_s']:7.2f} s")
        print(
            f"  backup             {figures['backup_s']:7.2f} s   "
            f"{figures['backup_bytes'] / 2**20:.1f} MiB, {figures['files']} files "
            f"(database {figures['database_bytes'] / 2**20:.1f} MiB)"
        )
        print(f"  verify             {figures['verify_s']:7.2f} s")
        print(f"  restore            {figures['restore_s']:7.2f} s")
        print(f"  open + close       {figures['open_close_s']:7.2f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 scanned pages instead of 200")
    parser.add_argument(
        "--reuse",
        type=Path,
        metavar="DIR",
        help="make the profile in DIR once and reuse it on later runs (export_bench's --reuse)",
    )
    parser.add_argument("--plain-only", action="store_true", help="skip the encrypted run")
    args = parser.parse_args(argv)
    pages = 40 if args.quick else SCANNED_PAGES
    with tempfile.TemporaryDirectory(prefix="backlog-backup-bench-") as folder:
        base = Path(folder)
        env = dict(os.environ, BACKLOG_CONFIG_DIR=str(base / "config"))
        os.environ["BACKLOG_CONFIG_DIR"] = env["BACKLOG_CONFIG_DIR"]  # never the user's own
        home = args.reuse or base
        made = profile_in(home, pages, env)
        runs: dict[str, dict[str, Any]] = {}
        # A copy, so the reused profile never gets a backups folder or a seal from us.
        plain = base / "plain" / "profile"
        shutil.copytree(home / "profile", plain)
        print("  plain…", flush=True)
        runs["Plain profile"] = measure(plain, base / "plain", passphrase=None)
        if not args.plain_only:
            print("  encrypting a copy…", flush=True)
            secret = base / "encrypted" / "profile"
            converted = encrypted_copy(home / "profile", secret)
            print("  encrypted…", flush=True)
            runs["Encrypted profile"] = converted | measure(
                secret, base / "encrypted", passphrase=PASSPHRASE
            )
        print_report(made, runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
