"""How backups are described to the user: when, how big, where; and the folder a restore suggests.

Pure Python (no Qt), so the wording is tested with plain tables of cases.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.sizes import file_size_text


def backup_when(created: dt.datetime) -> str:
    """ "27 Nov 2026, 18:40" — the local time the backup was made."""
    local = created.astimezone() if created.tzinfo is not None else created
    return f"{format_long_date(local.date())}, {local:%H:%M}"


def files_text(count: int) -> str:
    return "1 file" if count == 1 else f"{count:,} files"


def backup_summary(file_count: int, size_bytes: int) -> str:
    """ "212 files, 154.0 MB" """
    return f"{files_text(file_count)}, {file_size_text(size_bytes)}"


def suggest_restore_folder(profile_root: Path, today: dt.date) -> Path:
    """A new sibling of the profile, "<profile>-restored-2026-11-27" (then "-2", "-3", …)."""
    base = profile_root.parent / f"{profile_root.name}-restored-{today.isoformat()}"
    candidate, number = base, 2
    while candidate.exists():
        candidate = base.with_name(f"{base.name}-{number}")
        number += 1
    return candidate


def folder_reachable(folder: Path) -> bool:
    """The folder exists and BackLog may write in it (a USB drive that is unplugged is not)."""
    try:
        return folder.is_dir() and os.access(folder, os.W_OK)
    except OSError:
        return False


def folder_is_empty(folder: Path) -> bool:
    """True for a folder with nothing in it, and for a folder that does not exist yet."""
    try:
        return not any(folder.iterdir())
    except FileNotFoundError:
        return True
    except NotADirectoryError:
        return False
