"""Which profile folder a command works on (``--profile``, else ``BACKLOG_PROFILE``, else the
default), and opening it with the user's settings applied, as the window does."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from backlog_app.storage.profile import default_profile_dir, profile_dir_from

if TYPE_CHECKING:
    from backlog_app.services.context import ProfileSession
    from backlog_app.settings import Settings


def chosen_profile(args: argparse.Namespace) -> Path:
    return profile_dir_from(getattr(args, "profile", None)) or default_profile_dir()


def open_for_cli(args: argparse.Namespace) -> ProfileSession:
    """Open the chosen profile (it must exist) with the settings applied; use it in ``with``.

    Raises what ``open_profile`` raises (no profile there, locked, damaged).
    """
    # Imported here: they pull in SQLAlchemy and every service, which `backlog --help` and a
    # usage error do not need.
    from backlog_app.services.context import open_profile
    from backlog_app.settings import SettingsStore

    settings = SettingsStore().settings  # never raises: an unreadable file gives defaults
    profile = open_profile(chosen_profile(args), create=False)
    apply_settings(profile, settings)
    return profile


def apply_settings(profile: ProfileSession, settings: Settings) -> None:
    """Hand ``profile`` what the settings decide, as the window does: the largest file to
    import, and how many days a network check stays current (``backlog due`` and ``backlog
    costs`` then judge checks as the window does)."""
    profile.importer.max_bytes = max(1, settings.max_import_mb) * 1024 * 1024
    profile.network.max_age_days = max(1, settings.network_check_days)
