"""The vault folder: content-addressed, atomic copies that are never modified afterwards."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from backlog_app.domain.documents import FileType
from backlog_app.errors import Cancelled
from backlog_app.storage.vault import Vault, VaultChangedError, VaultEntry, sha256_of
from tests.document_files import pdf_bytes, vault_files


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return Vault(tmp_path / "vault")


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "My Scan (1).pdf"
    path.write_bytes(pdf_bytes(2, "source"))
    return path


def test_a_stored_file_is_named_by_its_hash_only(vault: Vault, source: Path) -> None:
    sha = sha256_of(source)
    assert sha == hashlib.sha256(source.read_bytes()).hexdigest()
    stored = vault.store(source, sha, FileType.PDF)
    assert stored == vault.root / sha[:2] / f"{sha}.pdf"
    assert stored.read_bytes() == source.read_bytes()
    assert not stat.S_IMODE(stored.stat().st_mode) & 0o222  # read-only
    assert vault.has(sha, FileType.PDF) and not vault.has(sha, FileType.JPEG)
    assert vault_files(vault.root) == [stored]
    assert list(vault.entries()) == [VaultEntry(sha, FileType.PDF, stored)]


def test_storing_the_same_hash_again_keeps_the_first_copy(vault: Vault, source: Path) -> None:
    sha = sha256_of(source)
    first = vault.store(source, sha, FileType.PDF)
    before = first.stat().st_mtime_ns
    assert vault.store(source, sha, FileType.PDF) == first
    assert first.stat().st_mtime_ns == before


def test_copy_progress_counts_bytes(vault: Vault, source: Path) -> None:
    seen: list[int] = []
    vault.store(source, sha256_of(source), FileType.PDF, seen.append)
    assert seen[-1] == source.stat().st_size


def test_a_file_that_changed_since_it_was_hashed_is_not_stored(vault: Vault, source: Path) -> None:
    sha = sha256_of(source)
    source.write_bytes(source.read_bytes() + b"% appended later\n")
    with pytest.raises(VaultChangedError):
        vault.store(source, sha, FileType.PDF)
    assert vault_files(vault.root) == []


def test_a_full_disk_mid_copy_leaves_nothing(
    vault: Vault, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        vault.store(source, sha256_of(source), FileType.PDF)
    assert vault_files(vault.root) == []


def test_cancel_during_the_copy_leaves_nothing(vault: Vault, source: Path) -> None:
    def cancel(done: int) -> None:
        raise Cancelled()

    with pytest.raises(Cancelled):
        vault.store(source, sha256_of(source), FileType.PDF, cancel)
    assert vault_files(vault.root) == []


def test_remove_deletes_a_read_only_stored_file(vault: Vault, source: Path) -> None:
    sha = sha256_of(source)
    vault.store(source, sha, FileType.PDF)
    vault.remove(sha, FileType.PDF)
    assert vault_files(vault.root) == []
    vault.remove(sha, FileType.PDF)  # already gone: nothing to do


def test_entries_skip_leftovers_and_foreign_files(vault: Vault, source: Path) -> None:
    sha = sha256_of(source)
    stored = vault.store(source, sha, FileType.PDF)
    (stored.parent / ".0123abcd.partial").write_bytes(b"half")
    (stored.parent / "notes.txt").write_text("mine", encoding="utf-8")
    (stored.parent / f"{sha}.exe").write_bytes(b"MZ")
    (vault.root / "loose.pdf").write_bytes(b"%PDF-")
    (vault.root / "abc").mkdir()
    assert [entry.path for entry in vault.entries()] == [stored]


def test_sweep_partials_removes_interrupted_copies_only(vault: Vault, source: Path) -> None:
    sha = sha256_of(source)
    stored = vault.store(source, sha, FileType.PDF)
    for name in (".1111.partial", ".2222.partial"):
        (stored.parent / name).write_bytes(b"half")
    assert vault.sweep_partials() == 2
    assert vault_files(vault.root) == [stored]
    assert vault.sweep_partials() == 0


def test_an_absent_vault_folder_is_empty(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "nowhere")
    assert list(vault.entries()) == []
    assert vault.sweep_partials() == 0
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_copy_into_an_unwritable_vault_fails_cleanly(
    vault: Vault, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = Path.open

    def refuse_partials(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if self.name.endswith(".partial"):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse_partials)
    with pytest.raises(PermissionError):
        vault.store(source, sha256_of(source), FileType.PDF)
    assert vault_files(vault.root) == []
