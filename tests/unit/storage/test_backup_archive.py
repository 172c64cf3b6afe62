"""The .backlog-backup format: written atomically with its manifest last, read and verified."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from backlog_app.errors import BackupError, Cancelled
from backlog_app.storage.backup_archive import (
    MANIFEST_NAME,
    ArchiveSource,
    backup_file_name,
    created_from_name,
    is_known_member,
    open_archive,
    read_manifest,
    verify_archive,
    write_archive,
)

CREATED = dt.datetime(2026, 11, 27, 5, 25, 39)
SHA = "ab" + "0" * 62


def sources(tmp_path: Path) -> list[ArchiveSource]:
    database = tmp_path / "backlog.sqlite3"
    database.write_bytes(b"SQLite format 3\x00" + bytes(5000))
    scan = tmp_path / f"{SHA}.pdf"
    scan.write_bytes(b"%PDF-1.7 " + bytes(range(256)) * 40)
    return [
        ArchiveSource("backlog.sqlite3", database, compress=True),
        ArchiveSource(f"vault/ab/{SHA}.pdf", scan),
    ]


def write(tmp_path: Path, **options: object) -> Path:
    target = tmp_path / "out.backlog-backup"
    write_archive(
        target,
        sources(tmp_path),
        created=CREATED,
        app_version="0.1.0",
        schema_revision="0005",
        encrypted=False,
        **options,  # type: ignore[arg-type]
    )
    return target


def flip_member_byte(archive_path: Path, name: str, offset: int = 10) -> None:
    """Flip one byte of ``name``'s data inside the ZIP file (its header left intact)."""
    with zipfile.ZipFile(archive_path) as archive:
        info = archive.getinfo(name)
    data = bytearray(archive_path.read_bytes())
    header = info.header_offset
    name_length = int.from_bytes(data[header + 26 : header + 28], "little")
    extra_length = int.from_bytes(data[header + 28 : header + 30], "little")
    data[header + 30 + name_length + extra_length + offset] ^= 0xFF
    archive_path.write_bytes(bytes(data))


def test_the_archive_holds_every_file_and_the_manifest_last(tmp_path: Path) -> None:
    target = write(tmp_path)
    with zipfile.ZipFile(target) as archive:
        infos = archive.infolist()
        manifest = json.loads(archive.read(MANIFEST_NAME))
    assert [info.filename for info in infos] == [
        "backlog.sqlite3",
        f"vault/ab/{SHA}.pdf",
        MANIFEST_NAME,
    ]
    assert infos[0].compress_type == zipfile.ZIP_DEFLATED
    assert infos[1].compress_type == zipfile.ZIP_STORED
    assert manifest["format"] == "backlog-backup"
    assert manifest["version"] == 1
    assert manifest["created"] == "2026-11-27T05:25:39"
    assert manifest["schema_revision"] == "0005"
    assert manifest["encrypted"] is False
    scan = tmp_path / f"{SHA}.pdf"
    assert manifest["files"][1] == {
        "name": f"vault/ab/{SHA}.pdf",
        "size": scan.stat().st_size,
        "sha256": hashlib.sha256(scan.read_bytes()).hexdigest(),
    }
    assert not (tmp_path / "out.backlog-backup.partial").exists()


def test_a_whole_archive_verifies(tmp_path: Path) -> None:
    target = write(tmp_path)
    seen: list[tuple[int, int]] = []
    with open_archive(target) as (archive, manifest):
        damaged = verify_archive(archive, manifest, lambda done, total: seen.append((done, total)))
    assert damaged == []
    assert seen[-1][0] == seen[-1][1] == manifest.total_bytes


@pytest.mark.parametrize("member", ["backlog.sqlite3", f"vault/ab/{SHA}.pdf"])
def test_a_flipped_byte_names_the_damaged_member(tmp_path: Path, member: str) -> None:
    target = write(tmp_path)
    flip_member_byte(target, member)
    with open_archive(target) as (archive, manifest):
        assert verify_archive(archive, manifest) == [member]


def test_a_cut_short_archive_is_not_a_backup(tmp_path: Path) -> None:
    target = write(tmp_path)
    target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
    with pytest.raises(BackupError, match="not a BackLog backup"):
        read_manifest(target)


@pytest.mark.parametrize(
    ("contents", "message"),
    [
        (b"not a zip at all", "not a BackLog backup"),
        (None, "no backup file"),
    ],
)
def test_files_that_are_not_backups(tmp_path: Path, contents: bytes | None, message: str) -> None:
    target = tmp_path / "x.backlog-backup"
    if contents is not None:
        target.write_bytes(contents)
    with pytest.raises(BackupError, match=message):
        read_manifest(target)


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (None, "not a complete BackLog backup"),
        ({"format": "something-else"}, "not a BackLog backup"),
        ({"format": "backlog-backup", "version": 9, "files": []}, "newer BackLog"),
    ],
)
def test_a_missing_or_foreign_manifest_is_refused(
    tmp_path: Path, manifest: dict[str, object] | None, message: str
) -> None:
    target = tmp_path / "x.backlog-backup"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("backlog.sqlite3", b"data")
        if manifest is not None:
            archive.writestr(MANIFEST_NAME, json.dumps(manifest))
    with pytest.raises(BackupError, match=message):
        read_manifest(target)


def test_a_damaged_manifest_is_reported(tmp_path: Path) -> None:
    target = write(tmp_path)
    flip_member_byte(target, MANIFEST_NAME, offset=3)
    with pytest.raises(BackupError, match="list of files inside"):
        read_manifest(target)


def test_cancel_leaves_no_file(tmp_path: Path) -> None:
    def cancel(done: int, total: int) -> None:
        raise Cancelled()

    with pytest.raises(Cancelled):
        write(tmp_path, progress=cancel)
    assert sorted(path.name for path in tmp_path.iterdir() if "backup" in path.name) == []


def test_a_vanished_source_leaves_no_file(tmp_path: Path) -> None:
    missing = ArchiveSource("vault/ab/" + SHA + ".pdf", tmp_path / "gone.pdf")
    with pytest.raises(FileNotFoundError):
        write_archive(
            tmp_path / "out.backlog-backup",
            [missing],
            created=CREATED,
            app_version="0.1.0",
            schema_revision=None,
            encrypted=False,
        )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "created"),
    [
        (backup_file_name(CREATED), CREATED),
        ("backlog-backup-20261127-052539.backlog-backup", CREATED),
        ("backlog-backup-20261399-052539.backlog-backup", None),
        ("before-upgrade-0004-20261127-052539.sqlite3", None),
        ("my copy.backlog-backup", None),
        ("backlog-backup-20261127-052539.backlog-backup.partial", None),
    ],
)
def test_created_from_name(name: str, created: dt.datetime | None) -> None:
    assert created_from_name(name) == created


@pytest.mark.parametrize(
    ("name", "known"),
    [
        ("backlog.sqlite3", True),
        ("encryption.json", True),
        (f"vault/ab/{SHA}.pdf", True),
        (f"thumbnails/{SHA}.png", True),
        (f"vault/ab/../../{SHA}.pdf", False),
        ("/etc/passwd", False),
        ("vault/ab/evil.pdf", False),
        (f"thumbnails/{SHA}.png/../x", False),
    ],
)
def test_only_known_names_are_extracted(name: str, known: bool) -> None:
    assert is_known_member(name) is known
