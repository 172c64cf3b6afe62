"""Consistent copies of a live SQLite database, and other files, written atomically."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path


def backup_database(source: Path, destination: Path, *, key: bytes | None = None) -> Path:
    """Copy ``source`` to ``destination`` with SQLite's online backup API.

    With ``key`` (an encrypted profile) both files are SQLCipher databases under that key: the
    copy is as encrypted as the original.

    The copy is written to a temporary name, flushed to disk and then renamed, so a crash never
    leaves a half-written backup under the final name.

    Returns:
        ``destination``.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    from backlog_app.storage.database import connect_sqlite  # it imports this module

    src = connect_sqlite(source, key=key, read_only=True)
    try:
        dst = connect_sqlite(partial, key=key)
        try:
            src.backup(dst)
            # The copy must not depend on a -wal file that is not part of the backup.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    with partial.open("r+b") as handle:  # Windows refuses fsync on a read-only handle
        os.fsync(handle.fileno())
    partial.replace(destination)
    fsync_dir(destination.parent)
    return destination


def timestamped_name(prefix: str, now: dt.datetime | None = None) -> str:
    """ "prefix-20261127-052539.sqlite3" — sorts by time, safe on every file system."""
    moment = now or dt.datetime.now()
    return f"{prefix}-{moment:%Y%m%d-%H%M%S}.sqlite3"


def write_atomically(target: Path, data: bytes, *, mode: int | None = None) -> Path:
    """Write ``data`` to ``target`` through a temporary name in the same folder, flushed to
    disk before the rename: a crash leaves the old file or the new one, never half of one.

    Args:
        mode: permission bits for the new file (e.g. 0o444 for a file never written again).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    try:
        with partial.open("xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        put_in_place(partial, target, mode=mode)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def put_in_place(partial: Path, target: Path, *, mode: int | None = None) -> None:
    """Rename a complete, flushed ``partial`` file over ``target`` and make the rename durable.

    Args:
        mode: permission bits to give the file first (0o444: never written again).
    """
    if mode is not None:
        partial.chmod(mode)
    if target.exists():
        target.chmod(0o644)  # Windows will not replace a read-only file
    partial.replace(target)
    fsync_dir(target.parent)


def fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable on POSIX; Windows cannot open folders this way.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
