"""The backup subcommands: `backlog backup`, `backlog restore` and `backlog backups`."""

from __future__ import annotations

import argparse
from typing import Any


def add_backup_commands(subcommands: Any, common: argparse.ArgumentParser) -> None:
    """Register the backup commands beside the other subcommands."""
