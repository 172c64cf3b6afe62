"""Plain words for a write that failed: a full disk, a read-only folder, a failing drive.

Every layer that writes (the vault, the database, exports, backups) turns the operating system's
or SQLite's error into one of these, so the user reads the same sentence whatever was being
saved, and never an errno or an SQLite message. Nothing here decides what is kept or removed:
callers clean up their partial files first, then raise what ``write_error`` gives them.
"""

from __future__ import annotations

import enum
import errno
import sqlite3
from pathlib import Path

from backlog_app.errors import UserError


class WriteTrouble(enum.Enum):
    """Why a write failed, as far as the user needs to know."""

    DISK_FULL = "disk full"
    READ_ONLY = "read-only"
    DISK_FAILING = "disk failing"
    OTHER = "other"


_TROUBLE_OF_ERRNO = {
    errno.ENOSPC: WriteTrouble.DISK_FULL,
    errno.EDQUOT: WriteTrouble.DISK_FULL,
    errno.EFBIG: WriteTrouble.DISK_FULL,
    errno.EROFS: WriteTrouble.READ_ONLY,
    errno.EACCES: WriteTrouble.READ_ONLY,
    errno.EPERM: WriteTrouble.READ_ONLY,
    errno.EIO: WriteTrouble.DISK_FAILING,
}

# SQLite's primary result codes (the low byte of an extended code).
_TROUBLE_OF_SQLITE_CODE = {
    sqlite3.SQLITE_FULL: WriteTrouble.DISK_FULL,
    sqlite3.SQLITE_READONLY: WriteTrouble.READ_ONLY,
    sqlite3.SQLITE_PERM: WriteTrouble.READ_ONLY,
    sqlite3.SQLITE_IOERR: WriteTrouble.DISK_FAILING,
}

# SQLCipher's module and older drivers give no result code: their messages are SQLite's own.
_TROUBLE_OF_SQLITE_MESSAGE = (
    ("database or disk is full", WriteTrouble.DISK_FULL),
    ("readonly database", WriteTrouble.READ_ONLY),
    ("disk i/o error", WriteTrouble.DISK_FAILING),
)


class WriteFailedError(UserError):
    """Something could not be saved; nothing already saved was changed.

    Args:
        message: the plain sentences to show.
        trouble: why, for callers that react differently (an import refuses just that file).
    """

    def __init__(self, message: str, trouble: WriteTrouble) -> None:
        super().__init__(message)
        self.trouble = trouble


def trouble_of(exc: OSError) -> WriteTrouble:
    """What an operating-system error means for a write."""
    return _TROUBLE_OF_ERRNO.get(exc.errno or 0, WriteTrouble.OTHER)


def sqlite_trouble(exc: BaseException) -> WriteTrouble | None:
    """What an SQLite error means for a write, or None when it is not about the disk.

    ``exc`` is the DB-API exception (``sqlite3`` or ``sqlcipher3``), e.g. SQLAlchemy's ``.orig``.
    """
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _TROUBLE_OF_SQLITE_CODE:
        return _TROUBLE_OF_SQLITE_CODE[code & 0xFF]
    text = str(exc).casefold()
    for words, trouble in _TROUBLE_OF_SQLITE_MESSAGE:
        if words in text:
            return trouble
    return None


def write_error(exc: OSError, target: Path, *, what: str | None = None) -> WriteFailedError:
    """The error to raise when writing ``target`` (a file or folder) failed with ``exc``.

    Args:
        exc: what the operating system said.
        target: the file or folder being written, named in the message.
        what: what was being saved in words ("your changes"), when naming ``target`` is not clear.
    """
    return trouble_error(trouble_of(exc), target, what=what, detail=exc.strerror or str(exc))


def trouble_error(
    trouble: WriteTrouble, target: Path, *, what: str | None = None, detail: str = ""
) -> WriteFailedError:
    """The plain message for ``trouble`` while writing ``target``.

    Args:
        trouble: why the write failed.
        target: the file or folder being written, named in the message.
        what: what was being saved in words; by default ``target`` itself.
        detail: the system's own words, shown only when the reason is none of the known ones.
    """
    place = f"“{target}”"
    saved = what or place
    if trouble is WriteTrouble.DISK_FULL:
        message = (
            f"There is not enough free space on the disk to save {saved}. "
            "Nothing already saved was lost; free some space and try again."
        )
    elif trouble is WriteTrouble.READ_ONLY:
        message = (
            f"BackLog cannot write to {place}: the disk or folder is read-only, or your account "
            "may not change it. Nothing already saved was lost; make it writable or choose "
            "another place, and try again."
        )
    elif trouble is WriteTrouble.DISK_FAILING:
        message = (
            f"The disk reported an error while BackLog was saving {saved}. Nothing already "
            "saved was lost; check that the drive is connected and working, then try again."
        )
    else:
        reason = f" ({detail.rstrip('.')})" if detail else ""
        message = (
            f"BackLog could not save {saved}{reason}. Nothing already saved was lost; "
            "try again, or choose another place."
        )
    return WriteFailedError(message, trouble)
