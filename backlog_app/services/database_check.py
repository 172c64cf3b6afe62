"""The database part of `backlog check`: SQLite's integrity and foreign-key checks, and the seal.

Everything here reads only: a read-only connection, and the seal compared with the file. It runs
on a closed profile (before it is opened, so the seal is still there) or beside an open one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from backlog_app.storage.database import connect_sqlite, sqlite_module
from backlog_app.storage.profile import ProfilePaths
from backlog_app.storage.seal import seal_problem

# integrity_check stops after this many problems; more would not help the user.
MAX_PROBLEMS = 20


@dataclass
class DatabaseReport:
    """What the database checks found; ``ok`` when nothing."""

    integrity: list[str] = field(default_factory=list)  # SQLite's own words, as it says them
    foreign_keys: int = 0  # rows that point at a row that is not there
    seal: str | None = None  # a plain sentence when the file changed since its last clean close
    unreadable: str | None = None  # SQLite could not read the file at all
    checked: bool = False  # the SQLite checks ran (False for an encrypted profile without key)

    @property
    def ok(self) -> bool:
        return not (self.integrity or self.foreign_keys or self.seal or self.unreadable)

    def lines(self) -> list[str]:
        """Plain sentences for the user; one line when all is well."""
        if self.ok:
            return ["The database is in order."] if self.checked else []
        lines: list[str] = []
        if self.seal:
            lines.append(self.seal)
        if self.unreadable:
            lines.append(f"SQLite cannot read the database: {self.unreadable}.")
        if self.integrity:
            lines.append(
                f"SQLite found {len(self.integrity)} problem(s) in the database, "
                f"the first: {self.integrity[0]}."
            )
        if self.foreign_keys:
            lines.append(
                f"{self.foreign_keys} record(s) in the database point at records that are missing."
            )
        lines.append("Restore the latest good backup (`backlog backups` lists them).")
        return lines


def check_database(
    paths: ProfilePaths, key: bytes | None = None, *, seal: bool = True
) -> DatabaseReport:
    """Run ``PRAGMA integrity_check`` and ``foreign_key_check`` read-only, and compare the seal.

    Args:
        key: the SQLCipher key of an encrypted database. An encrypted database without a key
            gets only the seal check (``checked`` stays False).
        seal: False beside an open profile: opening removed the seal, so there is none to compare.
    """
    report = DatabaseReport(seal=seal_problem(paths) if seal else None)
    if key is None and _looks_encrypted(paths):
        return report
    report.checked = True
    module = sqlite_module(encrypted=key is not None)
    try:
        connection = connect_sqlite(paths.database, key=key, read_only=True)
        try:
            rows = connection.execute(f"PRAGMA integrity_check({MAX_PROBLEMS})").fetchall()
            report.integrity = [str(row[0]) for row in rows if row[0] != "ok"]
            report.foreign_keys = len(connection.execute("PRAGMA foreign_key_check").fetchall())
        finally:
            connection.close()
    except module.DatabaseError as exc:
        report.unreadable = str(exc)
    return report


def _looks_encrypted(paths: ProfilePaths) -> bool:
    # encryption.json (ENC's ENCRYPTION_FILE) beside the database marks an encrypted profile.
    return (paths.root / "encryption.json").is_file()
