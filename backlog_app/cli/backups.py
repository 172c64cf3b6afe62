"""The backup subcommands: `backlog backup`, `backlog restore` and `backlog backups`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from backlog_app.cli.profile_option import chosen_profile, open_for_cli

EXIT_OK = 0
EXIT_PROBLEMS = 1


def add_backup_commands(subcommands: Any, common: argparse.ArgumentParser) -> None:
    """Register the backup commands beside the other subcommands."""
    backup = subcommands.add_parser(
        "backup",
        parents=[common],
        help="back up the whole profile into one file, and check it",
        description="Write one .backlog-backup file holding a snapshot of the database, every "
        "document's file and a list of their SHA-256 hashes; then read it back to check it. "
        "The profile may be open in the BackLog window meanwhile. An encrypted profile's "
        "backup stays encrypted (format: docs/backups.md).",
    )
    backup.add_argument(
        "--out",
        metavar="FILE|FOLDER",
        required=True,
        type=Path,
        help="the backup file to write, or a folder to write backlog-backup-DATE-TIME."
        "backlog-backup into",
    )
    backup.set_defaults(handler=run_backup)

    restore = subcommands.add_parser(
        "restore",
        parents=[common],
        help="restore a backup as a profile in a new folder",
        description="Check every file in a backup against its SHA-256 and restore it as the "
        "profile in --profile DIR, which must be new or empty. Nothing is written when any file "
        "is damaged, unless --restore-damaged.",
    )
    restore.add_argument("file", metavar="FILE", type=Path, help="the .backlog-backup file")
    restore.add_argument(
        "--replace",
        action="store_true",
        help="DIR may hold a profile: it is moved aside to DIR.before-restore-DATE-TIME, "
        "never deleted",
    )
    restore.add_argument(
        "--restore-damaged",
        action="store_true",
        help="restore the files that are intact and list the damaged ones (a damaged database "
        "is never restored)",
    )
    restore.set_defaults(handler=run_restore)

    listing = subcommands.add_parser(
        "backups",
        parents=[common],
        help="list the profile's backups",
        description="List the backups in the profile's backups folder and in the second backup "
        "folder of the settings, newest first.",
    )
    listing.set_defaults(handler=run_backups)


def run_backup(args: argparse.Namespace) -> int:
    from backlog_app.services.backups import create_backup
    from backlog_app.services.progress import Progress

    with open_for_cli(args) as profile:
        result = create_backup(profile, args.out, Progress())
    print(result.describe())
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    from backlog_app.errors import BackupDamagedError
    from backlog_app.services.backups import restore_backup
    from backlog_app.services.progress import Progress
    from backlog_app.storage.profile import ProfilePaths, profile_dir_from

    target = profile_dir_from(getattr(args, "profile", None))
    if target is None:
        # Restoring into the default profile by accident would be hard to notice.
        print("backlog: say where to restore to, with --profile DIR.", file=sys.stderr)
        return 2
    if ProfilePaths(target).has_database() and not args.replace:
        print(
            f"backlog: {target} already holds a BackLog profile. Choose a new, empty folder, "
            "or add --replace to move that profile aside (it is kept, not deleted).",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    try:
        result = restore_backup(
            args.file,
            target,
            Progress(),
            replace_existing=args.replace,
            restore_damaged=args.restore_damaged,
        )
    except BackupDamagedError as exc:
        print(f"backlog: {exc.message}", file=sys.stderr)
        for name in exc.damaged:
            print(f"  damaged: {name}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Restored {result.restored_files} files into {result.target}; every one checked.")
    if result.moved_aside is not None:
        print(f"The profile that was there is kept in {result.moved_aside}.")
    if result.skipped:
        print(f"Left out {len(result.skipped)} damaged file(s): {', '.join(result.skipped)}.")
        print("Run `backlog check` in the restored profile to see which documents lack a file.")
    return EXIT_OK


def run_backups(args: argparse.Namespace) -> int:
    from backlog_app.domain.sizes import file_size_text
    from backlog_app.services.backups import BackupPolicy, list_backups
    from backlog_app.settings import SettingsStore
    from backlog_app.storage.profile import ProfilePaths

    paths = ProfilePaths(chosen_profile(args))
    policy = BackupPolicy.from_settings(SettingsStore().settings)
    backups = list_backups([paths.backups, policy.copy_folder])
    if not backups:
        print(f"No backups in {paths.backups}" + _also(policy.copy_folder) + ".")
        return EXIT_OK
    for item in backups:
        print(f"{item.created:%Y-%m-%d %H:%M}  {file_size_text(item.size):>10}  {item.path}")
    return EXIT_OK


def _also(folder: Path | None) -> str:
    return f" or {folder}" if folder is not None else ""
