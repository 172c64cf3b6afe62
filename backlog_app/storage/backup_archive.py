"""The backup file format: write, read and verify a ``.backlog-backup`` archive.

One ZIP file. Its members are the database snapshot ``backlog.sqlite3`` (deflated), the vault's
files as ``vault/ab/<sha256><ext>`` and the thumbnails as ``thumbnails/<sha256>.png`` (stored:
scans are already compressed), ``encryption.json`` for an encrypted profile, and last
``manifest.json``, which lists every other member with its size and SHA-256. Because the
manifest comes last, a file cut short has none and is never taken for a whole backup.
The format is described for people in docs/backups.md.

This module knows the format only; which files go in, and where they come from, is
``services.backups``'s business.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from backlog_app.errors import BackupError
from backlog_app.storage.backup import fsync_dir

FORMAT = "backlog-backup"
VERSION = 1
EXTENSION = ".backlog-backup"
NAME_PREFIX = "backlog-backup-"
MANIFEST_NAME = "manifest.json"
DATABASE_MEMBER = "backlog.sqlite3"
ENCRYPTION_MEMBER = "encryption.json"
PARTIAL_SUFFIX = ".partial"
CHUNK_BYTES = 1024 * 1024
# A member larger than this needs ZIP64 headers; zipfile must be told before it streams one.
_ZIP64_FROM = 2**31
_NAME_STAMP = re.compile(r"^backlog-backup-(\d{8}-\d{6})\.backlog-backup$")
_VAULT_MEMBER = re.compile(r"^vault/[0-9a-f]{2}/[0-9a-f]{64}\.[a-z]+$")
_THUMBNAIL_MEMBER = re.compile(r"^thumbnails/[0-9a-f]{64}\.png$")

# Called with (bytes done, bytes in all); raising (Cancelled) stops the job.
ByteProgress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """One member of the archive as the manifest records it."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """What ``manifest.json`` says about the backup."""

    created: dt.datetime
    app_version: str
    schema_revision: str | None
    encrypted: bool
    files: tuple[ManifestEntry, ...]

    @property
    def total_bytes(self) -> int:
        return sum(entry.size for entry in self.files)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "created": self.created.isoformat(timespec="seconds"),
            "app_version": self.app_version,
            "schema_revision": self.schema_revision,
            "encrypted": self.encrypted,
            "files": [
                {"name": entry.name, "size": entry.size, "sha256": entry.sha256}
                for entry in self.files
            ],
        }

    @classmethod
    def from_json(cls, raw: Any) -> Manifest:
        """Raises ValueError (KeyError, TypeError) when ``raw`` is not a manifest."""
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise ValueError("not a BackLog backup manifest")
        files = tuple(
            ManifestEntry(str(item["name"]), int(item["size"]), str(item["sha256"]))
            for item in raw["files"]
        )
        revision = raw.get("schema_revision")
        return cls(
            created=dt.datetime.fromisoformat(str(raw["created"])),
            app_version=str(raw.get("app_version", "")),
            schema_revision=None if revision is None else str(revision),
            encrypted=bool(raw.get("encrypted", False)),
            files=files,
        )


@dataclass(frozen=True, slots=True)
class ArchiveSource:
    """A file to put into the archive under ``name``."""

    name: str
    path: Path
    compress: bool = False


def backup_file_name(created: dt.datetime) -> str:
    """ "backlog-backup-20261127-052539.backlog-backup" — sorts by time, safe everywhere."""
    return f"{NAME_PREFIX}{created:%Y%m%d-%H%M%S}{EXTENSION}"


def created_from_name(name: str) -> dt.datetime | None:
    """The moment in a name made by ``backup_file_name``; None for any other name."""
    match = _NAME_STAMP.match(name)
    if not match:
        return None
    try:
        return dt.datetime.strptime(match[1], "%Y%m%d-%H%M%S")
    except ValueError:
        return None


def is_known_member(name: str) -> bool:
    """Whether ``name`` is a member this version writes (and so may be extracted safely)."""
    return (
        name in (DATABASE_MEMBER, ENCRYPTION_MEMBER)
        or bool(_VAULT_MEMBER.match(name))
        or bool(_THUMBNAIL_MEMBER.match(name))
    )


def is_cache_member(name: str) -> bool:
    """Thumbnails: drawn again from the documents when missing, so their damage is harmless."""
    return bool(_THUMBNAIL_MEMBER.match(name))


def write_archive(
    destination: Path,
    sources: Sequence[ArchiveSource],
    *,
    created: dt.datetime,
    app_version: str,
    schema_revision: str | None,
    encrypted: bool,
    progress: ByteProgress | None = None,
) -> Manifest:
    """Write the archive to ``destination`` atomically and return its manifest.

    The archive is written to ``<destination>.partial``, flushed to disk and only then renamed,
    so a crash, a full disk or Cancel never leaves a half-written file under the final name
    (the ``.partial`` file is removed on any failure).

    Raises:
        OSError: the destination cannot be written (disk full, no permission, a file vanished).
        Whatever ``progress`` raises (Cancelled).
    """
    partial = destination.with_name(destination.name + PARTIAL_SUFFIX)
    total = sum(source.path.stat().st_size for source in sources)
    done = 0
    entries: list[ManifestEntry] = []
    stamp = _zip_time(created)
    try:
        with partial.open("wb") as raw, zipfile.ZipFile(raw, "w", allowZip64=True) as archive:
            for source in sources:
                info = zipfile.ZipInfo(source.name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED if source.compress else zipfile.ZIP_STORED
                digest = hashlib.sha256()
                size = 0
                large = source.path.stat().st_size >= _ZIP64_FROM
                with (
                    source.path.open("rb") as reader,
                    archive.open(info, "w", force_zip64=large) as writer,
                ):
                    while chunk := reader.read(CHUNK_BYTES):
                        digest.update(chunk)
                        writer.write(chunk)
                        size += len(chunk)
                        done += len(chunk)
                        if progress is not None:
                            progress(done, total)
                entries.append(ManifestEntry(source.name, size, digest.hexdigest()))
            manifest = Manifest(created, app_version, schema_revision, encrypted, tuple(entries))
            info = zipfile.ZipInfo(MANIFEST_NAME, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, json.dumps(manifest.to_json(), indent=1))
        with partial.open("r+b") as handle:  # Windows refuses fsync on a read-only handle
            os.fsync(handle.fileno())
        partial.replace(destination)
        fsync_dir(destination.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


@contextmanager
def open_archive(path: Path) -> Iterator[tuple[zipfile.ZipFile, Manifest]]:
    """The open archive and its manifest.

    Raises:
        BackupError: not there, not a BackLog backup, cut short, or its manifest is unreadable.
    """
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise BackupError(f"There is no backup file at {path}.") from exc
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BackupError(
            f"{path.name} is not a BackLog backup, or it is damaged or cut short. "
            "Choose another backup file."
        ) from exc
    try:
        yield archive, _read_manifest(archive, path)
    finally:
        archive.close()


def read_manifest(path: Path) -> Manifest:
    """The manifest of the backup at ``path`` (raises as ``open_archive``)."""
    with open_archive(path) as (_archive, manifest):
        return manifest


def verify_archive(
    archive: zipfile.ZipFile, manifest: Manifest, progress: ByteProgress | None = None
) -> list[str]:
    """Re-read every member listed in the manifest; the names of those missing or damaged."""
    damaged: list[str] = []
    done, total = 0, manifest.total_bytes
    for entry in manifest.files:

        def count(length: int, start: int = done) -> None:
            if progress is not None:
                progress(start + length, total)

        if not copy_member(archive, entry, None, count):
            damaged.append(entry.name)
        done += entry.size
    return damaged


def copy_member(
    archive: zipfile.ZipFile,
    entry: ManifestEntry,
    writer: BinaryIO | None,
    progress: Callable[[int], None] | None = None,
) -> bool:
    """Read one member, hashing it (and writing it to ``writer``, if given).

    Returns:
        True when the member is there and matches the manifest's size and SHA-256.
    """
    digest = hashlib.sha256()
    size = 0
    try:
        with archive.open(entry.name) as reader:
            while chunk := reader.read(CHUNK_BYTES):
                digest.update(chunk)
                size += len(chunk)
                if writer is not None:
                    writer.write(chunk)
                if progress is not None:
                    progress(size)
    except (KeyError, zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError):
        # Missing member, damaged header or data (zipfile checks each member's CRC at its end).
        return False
    return size == entry.size and digest.hexdigest() == entry.sha256


def _read_manifest(archive: zipfile.ZipFile, path: Path) -> Manifest:
    try:
        raw = json.loads(archive.read(MANIFEST_NAME).decode("utf-8"))
    except KeyError as exc:
        raise BackupError(
            f"{path.name} is not a complete BackLog backup (it has no list of its files; it may "
            "have been cut short while it was written). Choose another backup file."
        ) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, UnicodeDecodeError, ValueError) as exc:
        raise BackupError(
            f"The list of files inside {path.name} is damaged, so nothing in it can be checked. "
            "Choose another backup file."
        ) from exc
    version = raw.get("version") if isinstance(raw, dict) else None
    if isinstance(version, int) and version > VERSION:
        raise BackupError(f"{path.name} was made by a newer BackLog. Update BackLog to restore it.")
    try:
        return Manifest.from_json(raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise BackupError(
            f"{path.name} is not a BackLog backup (its list of files is not one BackLog "
            "writes). Choose another backup file."
        ) from exc


def _zip_time(moment: dt.datetime) -> tuple[int, int, int, int, int, int]:
    # ZIP cannot store dates before 1980.
    moment = max(moment, dt.datetime(1980, 1, 1))
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
