"""The encryption subcommands: `backlog encrypt` and `backlog passphrase`."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backlog_app.cli.profile_option import (
    NEW_PASSPHRASE_ENV,
    PASSPHRASE_ENV,
    chosen_profile,
    current_passphrase,
    new_passphrase,
)
from backlog_app.errors import UserError
from backlog_app.services.progress import Progress
from backlog_app.storage.profile import ProfilePaths

if TYPE_CHECKING:
    from backlog_app.storage.crypto import ProfileKey

log = logging.getLogger("backlog.cli")

WARNING = (
    "Protecting a profile encrypts its records, documents, page pictures and future backups. "
    "If the passphrase is lost, nobody can recover them: write it down and keep it safe."
)


def add_security_commands(subcommands: Any, common: argparse.ArgumentParser) -> None:
    """Register the encryption commands beside the other subcommands."""
    encrypt = subcommands.add_parser(
        "encrypt",
        parents=[common],
        help="protect an existing profile with a passphrase (encrypt it)",
        description="Encrypt a closed profile: its records, every document's file and page "
        "picture. A new, encrypted backup is made in its backups folder, then the unencrypted "
        "backups there are deleted (they are kept if no new backup could be made). The "
        f"passphrase is asked twice, or read from ${NEW_PASSPHRASE_ENV}. If it is interrupted, "
        f"run it again with the same passphrase (${PASSPHRASE_ENV}) to finish. A lost "
        "passphrase cannot be recovered (docs/encryption.md).",
    )
    encrypt.set_defaults(handler=run_encrypt)

    change = subcommands.add_parser(
        "passphrase",
        parents=[common],
        help="change the passphrase of a protected profile",
        description=f"Change the passphrase: the present one from ${PASSPHRASE_ENV} or asked, "
        f"the new one from ${NEW_PASSPHRASE_ENV} or asked twice. Quick: nothing is re-encrypted. "
        "Backups made before keep the passphrase they were made with.",
    )
    change.set_defaults(handler=run_change_passphrase)


class _PrintedProgress(Progress):
    """Prints each new step once (the CLI's progress: a line per stage, not per file)."""

    def __init__(self) -> None:
        super().__init__()
        self._last = ""

    def report(self, done: int, total: int, label: str = "") -> None:
        if label and label != self._last:
            self._last = label
            print(f"{label}…", flush=True)
        super().report(done, total, label)


def run_encrypt(args: argparse.Namespace) -> int:
    from backlog_app.storage.encryption import (
        encrypt_existing_profile,
        is_encrypted,
        needs_finishing,
    )

    root = chosen_profile(args)
    paths = ProfilePaths(root)
    if not paths.has_database():
        raise UserError(f"There is no BackLog profile in {root}.")
    if is_encrypted(paths):
        if not needs_finishing(paths):
            raise UserError(
                "This profile is protected with a passphrase already. "
                "To choose another one, use `backlog passphrase`."
            )
        print("Protecting this profile was interrupted; finishing it now.")
        passphrase = current_passphrase(root)
    else:
        if sys.stdin.isatty():
            print(WARNING)
        passphrase = new_passphrase()
    report = encrypt_existing_profile(paths, passphrase, _PrintedProgress())
    print(
        f"Protected the profile in {root}: {report.files_encrypted} document files and "
        f"{report.thumbnails_encrypted} page pictures encrypted in {report.seconds:.1f} s."
    )
    if _make_protected_backup(root, report.key):
        _remove_plain_backups(paths.backups)
    _warn_about_old_copies()
    return 0


def _make_protected_backup(root: Path, key: ProfileKey) -> bool:
    """Make a new, encrypted, checked backup in backups/; True when it was made.

    A failure here is printed on stderr but does not fail the command: the profile is
    encrypted and opens with its passphrase; only the fresh backup is missing, and the plain
    backups are kept until one is made.
    """
    from backlog_app.domain.sizes import file_size_text
    from backlog_app.services.backups import create_backup
    from backlog_app.services.context import open_profile

    try:
        with open_profile(root, create=False, key=key) as profile:
            result = create_backup(profile, profile.paths.backups, _PrintedProgress())
    except UserError as exc:
        _backup_failed(exc.message, root)
    except OSError as exc:
        _backup_failed(f"The disk said: {exc.strerror or exc.__class__.__name__}.", root)
    except Exception:  # the encryption is done: a bug here must not look like it failed
        log.exception("the backup after encrypting failed")
        _backup_failed("Something unexpected went wrong.", root)
    else:
        print(f"Made a new protected backup: {result.path} ({file_size_text(result.size_bytes)}).")
        return True
    return False


def _backup_failed(reason: str, root: Path) -> None:
    print(
        f"backlog: The profile is protected, but no new backup could be made. {reason} "
        f"Your old, unprotected backups in {ProfilePaths(root).backups} were kept because of "
        "that; make one with `backlog backup --out FOLDER`, then delete the old ones by hand.",
        file=sys.stderr,
    )


def _remove_plain_backups(folder: Path) -> None:
    """Delete the plain backups in backups/ now that an encrypted one exists."""
    from backlog_app.storage.encryption import remove_plain_backups

    try:
        removed = remove_plain_backups(folder)
    except OSError as exc:
        print(
            f"backlog: The unencrypted backups in {folder} could not all be deleted "
            f"({exc.strerror or exc.__class__.__name__}): delete them by hand.",
            file=sys.stderr,
        )
        return
    if removed:
        print(f"Deleted {removed} unencrypted backups from {folder}.")


def _warn_about_old_copies() -> None:
    """The second backup folder still holds backups made before: they are not encrypted."""
    from backlog_app.settings import SettingsStore

    folder_setting = SettingsStore().settings.backup_copy_folder
    folder = Path(folder_setting).expanduser() if folder_setting else None
    try:
        old = [p for p in folder.glob("backlog-backup-*") if p.is_file()] if folder else []
    except OSError:  # a USB drive not plugged in: nothing to say about it now
        old = []
    if old:
        print(
            f"The {len(old)} older backups in {folder} (your second backup folder) were made "
            "before the profile was protected and are NOT protected: delete them by hand."
        )
    elsewhere = "Other copies" if old else "Backups copied elsewhere"
    print(f"{elsewhere} made before now (a USB drive) are not protected: delete them by hand.")


def run_change_passphrase(args: argparse.Namespace) -> int:
    from backlog_app.storage.encryption import change_passphrase, is_encrypted, unlock

    root = chosen_profile(args)
    paths = ProfilePaths(root)
    if not paths.has_database():
        raise UserError(f"There is no BackLog profile in {root}.")
    if not is_encrypted(paths):
        raise UserError(
            "This profile is not protected with a passphrase. Protect it with `backlog encrypt`."
        )
    old = current_passphrase(root)
    unlock(paths, old)  # a wrong one is said now, before the new one is typed twice
    new = new_passphrase()
    change_passphrase(paths, old, new)
    print("Changed the passphrase. Backups made before now still open with the old passphrase.")
    return 0
