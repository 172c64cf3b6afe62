"""Which profile folder a command works on: ``--profile``, else ``BACKLOG_PROFILE``, else the default."""

from __future__ import annotations

import argparse
from pathlib import Path

from backlog_app.storage.profile import default_profile_dir, profile_dir_from


def chosen_profile(args: argparse.Namespace) -> Path:
    return profile_dir_from(getattr(args, "profile", None)) or default_profile_dir()
