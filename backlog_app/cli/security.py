"""The encryption subcommands: `backlog encrypt` and `backlog passphrase`."""

from __future__ import annotations

import argparse
from typing import Any


def add_security_commands(subcommands: Any, common: argparse.ArgumentParser) -> None:
    """Register the encryption commands beside the other subcommands."""
