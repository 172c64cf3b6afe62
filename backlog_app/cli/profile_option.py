"""Which profile folder a command works on (``--profile``, else ``BACKLOG_PROFILE``, else the
default), the passphrase of an encrypted one, and opening it with the user's settings applied, as
the window does."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from backlog_app.errors import UserError, WrongPassphraseError
from backlog_app.storage.profile import ProfilePaths, default_profile_dir, profile_dir_from

if TYPE_CHECKING:
    from backlog_app.services.context import ProfileSession
    from backlog_app.settings import Settings
    from backlog_app.storage.crypto import ProfileKey

PASSPHRASE_ENV = "BACKLOG_PASSPHRASE"
NEW_PASSPHRASE_ENV = "BACKLOG_NEW_PASSPHRASE"
PROMPT_ATTEMPTS = 3
NO_PASSPHRASE = (
    "This profile is protected with a passphrase: set BACKLOG_PASSPHRASE or run in a terminal."
)


def chosen_profile(args: argparse.Namespace) -> Path:
    return profile_dir_from(getattr(args, "profile", None)) or default_profile_dir()


def open_for_cli(args: argparse.Namespace) -> ProfileSession:
    """Open the chosen profile (it must exist) with the settings applied; use it in ``with``.
    An encrypted profile is unlocked first (``unlock_for_cli``).

    Raises what ``open_profile`` raises (no profile there, locked, damaged), and
    WrongPassphraseError / UserError when the passphrase is wrong or cannot be asked for.
    """
    # Imported here: they pull in SQLAlchemy and every service, which `backlog --help` and a
    # usage error do not need.
    from backlog_app.services.context import open_profile
    from backlog_app.settings import SettingsStore

    settings = SettingsStore().settings  # never raises: an unreadable file gives defaults
    root = chosen_profile(args)
    profile = open_profile(root, create=False, key=unlock_for_cli(root))
    apply_settings(profile, settings)
    return profile


def unlock_for_cli(root: Path) -> ProfileKey | None:
    """The key of the encrypted profile in ``root`` (None for a plain one, or no profile).

    The passphrase comes from ``BACKLOG_PASSPHRASE``, else from a prompt when the command runs
    in a terminal (three tries).
    """
    from backlog_app.storage.encryption import is_encrypted, unlock

    paths = ProfilePaths(root)
    if not paths.has_database() or not is_encrypted(paths):
        return None
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env is not None:
        return unlock(paths, from_env)
    if not sys.stdin.isatty():
        raise UserError(NO_PASSPHRASE)
    for attempt in range(1, PROMPT_ATTEMPTS + 1):
        try:
            return unlock(paths, getpass.getpass(f"Passphrase for {root}: "))
        except WrongPassphraseError as exc:
            if attempt == PROMPT_ATTEMPTS:
                raise
            print(exc.message, file=sys.stderr)
    raise AssertionError("unreachable")


def current_passphrase(root: Path) -> str:
    """The profile's present passphrase: ``BACKLOG_PASSPHRASE``, else asked once on a terminal."""
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env is not None:
        return from_env
    if not sys.stdin.isatty():
        raise UserError(NO_PASSPHRASE)
    return getpass.getpass(f"Passphrase for {root}: ")


def new_passphrase() -> str:
    """A new passphrase: ``BACKLOG_NEW_PASSPHRASE`` (for scripts), else typed twice on a
    terminal. Refused in plain words when too weak or when the two do not match."""
    from backlog_app.domain.passphrase import check_passphrase_strength

    passphrase = os.environ.get(NEW_PASSPHRASE_ENV)
    if passphrase is None:
        if not sys.stdin.isatty():
            raise UserError(
                "A new passphrase is needed: set BACKLOG_NEW_PASSPHRASE or run in a terminal."
            )
        passphrase = getpass.getpass("New passphrase: ")
        problem = check_passphrase_strength(passphrase)
        if problem is None and getpass.getpass("The same passphrase again: ") != passphrase:
            problem = "The two passphrases are not the same. Nothing was changed; try again."
    else:
        problem = check_passphrase_strength(passphrase)
    if problem is not None:
        raise UserError(problem)
    return passphrase


def apply_settings(profile: ProfileSession, settings: Settings) -> None:
    """Hand ``profile`` what the settings decide, as the window does: the largest file to
    import, and how many days a network check stays current (``backlog due`` and ``backlog
    costs`` then judge checks as the window does)."""
    profile.importer.max_bytes = max(1, settings.max_import_mb) * 1024 * 1024
    profile.network.max_age_days = max(1, settings.network_check_days)
