"""The passphrase file, unlocking, changing the passphrase, its strength, plain backups, and an
encrypted vault (mixed with plain files)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import stat
import zipfile
from pathlib import Path

import pytest

from backlog_app.domain.documents import FileType
from backlog_app.domain.passphrase import check_passphrase_strength
from backlog_app.errors import ProfileError, WrongPassphraseError
from backlog_app.storage import encryption
from backlog_app.storage.crypto import (
    MAGIC,
    FileDamagedError,
    KdfParams,
    ProfileKey,
    is_encrypted_file,
    new_master_key,
    new_salt,
)
from backlog_app.storage.encryption import (
    change_passphrase,
    is_encrypted,
    protect_new_profile,
    read_record,
    remove_plain_backups,
    unlock,
)
from backlog_app.storage.profile import ProfilePaths
from backlog_app.storage.vault import Vault, sha256_of
from tests.document_files import pdf_bytes

PASSPHRASE = "maple tractor quietly"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """New passphrases use cheap Argon2id parameters (tune_kdf itself is tested in test_crypto)."""
    monkeypatch.setattr(encryption, "tune_kdf", lambda: KdfParams(new_salt(), 1024, 1, 1))


@pytest.fixture
def paths(tmp_path: Path) -> ProfilePaths:
    return ProfilePaths(tmp_path / "profile")


def test_a_new_profile_is_protected_and_unlocks(paths: ProfilePaths) -> None:
    assert not is_encrypted(paths)
    key = protect_new_profile(paths, PASSPHRASE)
    assert is_encrypted(paths)
    data = json.loads(paths.encryption.read_text())
    assert data["format"] == "backlog-encryption" and data["version"] == 1
    assert set(data) == {"format", "version", "kdf", "wrapped_key"}
    assert data["kdf"]["algorithm"] == "argon2id"
    assert stat.S_IMODE(paths.encryption.stat().st_mode) == 0o600
    assert unlock(paths, PASSPHRASE).master == key.master
    assert key.master.hex() not in paths.encryption.read_text()


def test_a_wrong_passphrase_is_refused_in_plain_words(paths: ProfilePaths) -> None:
    protect_new_profile(paths, PASSPHRASE)
    with pytest.raises(WrongPassphraseError, match=r"not right\. Check Caps Lock"):
        unlock(paths, PASSPHRASE.upper())


def test_an_existing_profile_cannot_be_protected_as_new(paths: ProfilePaths) -> None:
    protect_new_profile(paths, PASSPHRASE)
    with pytest.raises(ProfileError):
        protect_new_profile(paths, PASSPHRASE)
    other = ProfilePaths(paths.root.parent / "other")
    other.root.mkdir()
    other.database.write_bytes(b"")
    with pytest.raises(ProfileError, match="already holds"):
        protect_new_profile(other, PASSPHRASE)


@pytest.mark.parametrize(
    "content",
    ["", "{", "[]", '{"format": "other"}', '{"format": "backlog-encryption", "version": 1}'],
)
def test_a_damaged_passphrase_file_says_so(paths: ProfilePaths, content: str) -> None:
    paths.root.mkdir()
    paths.encryption.write_text(content)
    with pytest.raises(ProfileError, match="missing or damaged"):
        unlock(paths, PASSPHRASE)


def test_a_newer_passphrase_file_is_refused(paths: ProfilePaths) -> None:
    protect_new_profile(paths, PASSPHRASE)
    data = json.loads(paths.encryption.read_text()) | {"version": 2}
    paths.encryption.write_text(json.dumps(data))
    with pytest.raises(ProfileError, match="newer BackLog"):
        unlock(paths, PASSPHRASE)


def test_changing_the_passphrase_keeps_the_master_key(paths: ProfilePaths) -> None:
    key = protect_new_profile(paths, PASSPHRASE)
    before = read_record(paths)
    with pytest.raises(WrongPassphraseError):
        change_passphrase(paths, "not it at all", "new words here")
    assert read_record(paths) == before  # nothing changed
    change_passphrase(paths, PASSPHRASE, "new words here")
    after = read_record(paths)
    assert after.kdf.salt != before.kdf.salt and after.wrapped_key != before.wrapped_key
    assert unlock(paths, "new words here").master == key.master
    with pytest.raises(WrongPassphraseError):
        unlock(paths, PASSPHRASE)


@pytest.mark.parametrize(
    ("passphrase", "problem"),
    [
        ("", "at least 8"),
        ("short", "at least 8"),
        ("       x", "at least 8"),  # spaces do not count
        ("aaaaaaaaaaaa", "repeats"),
        ("abababababab", "repeats"),
        ("password", "first ones people guess"),
        ("Password1", "first ones people guess"),
        ("abcdefghij", "first ones people guess"),
        ("98765432", "first ones people guess"),
        ("31415926", "only digits"),
        ("maple tractor quietly", None),
        ("Tr0ub4dor&3x", None),
        ("314159265358", None),
        ("größere Äpfel", None),
    ],
)
def test_passphrase_strength(passphrase: str, problem: str | None) -> None:
    reason = check_passphrase_strength(passphrase)
    if problem is None:
        assert reason is None
    else:
        assert reason is not None and problem in reason


def make_plain_sqlite(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()


def test_only_plain_backups_are_removed(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    plain_db = folder / "before-upgrade-0004-20261127-101010.sqlite3"
    make_plain_sqlite(plain_db)
    encrypted_db = folder / "before-upgrade-0005-20261128-101010.sqlite3"
    encrypted_db.write_bytes(b"\x8a\x13" * 2048)  # what an SQLCipher file looks like: noise
    # What migrations._keep_aside leaves: the database put aside, with its WAL.
    plain_aside = folder / "interrupted-upgrade-0004-20261127-111111.sqlite3"
    make_plain_sqlite(plain_aside)
    plain_aside_wal = folder / (plain_aside.name + "-wal")
    plain_aside_wal.write_bytes(b"\x37\x7f\x06\x82 a plain WAL")
    plain_aside_shm = folder / (plain_aside.name + "-shm")
    plain_aside_shm.write_bytes(b"\x00" * 64)
    encrypted_aside = folder / "interrupted-upgrade-0005-20261128-111111.sqlite3"
    encrypted_aside.write_bytes(b"\x8a\x13" * 2048)
    encrypted_aside_wal = folder / (encrypted_aside.name + "-wal")
    encrypted_aside_wal.write_bytes(b"\x37\x7f\x06\x82 an encrypted WAL")
    # What a killed create_backup leaves: its work folder with a plain database snapshot.
    snapshot = folder / ".snapshot-k3j9x"
    snapshot.mkdir()
    make_plain_sqlite(snapshot / "backlog.sqlite3")
    not_a_snapshot = folder / "letters"
    not_a_snapshot.mkdir()
    plain_zip = folder / "backlog-backup-20261127-101010.backlog-backup"
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("backlog.sqlite3", b"SQLite format 3\x00")
    encrypted_zip = folder / "backlog-backup-20261128-101010.backlog-backup"
    with zipfile.ZipFile(encrypted_zip, "w") as archive:
        archive.writestr("encryption.json", "{}")
    broken = folder / "backlog-backup-20261129-101010.backlog-backup.partial"
    broken.write_bytes(b"PK\x03\x04 cut short")
    mine = folder / "my own notes.txt"
    mine.write_text("not a backup")
    plain_db.chmod(0o444)

    # plain_db, plain_aside, plain_zip, broken and the snapshot; side files are not counted
    assert remove_plain_backups(folder) == 5
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [
            encrypted_db.name,
            encrypted_aside.name,
            encrypted_aside_wal.name,
            encrypted_zip.name,
            mine.name,
            not_a_snapshot.name,
        ]
    )
    assert remove_plain_backups(folder) == 0
    assert remove_plain_backups(tmp_path / "none") == 0


# -- the vault with a cipher ---------------------------------------------------------------------


@pytest.fixture
def key() -> ProfileKey:
    return ProfileKey(new_master_key())


def _source(tmp_path: Path, marker: str) -> tuple[Path, str]:
    path = tmp_path / f"{marker}.pdf"
    path.write_bytes(pdf_bytes(2, marker))
    return path, sha256_of(path)


def test_an_encrypted_vault_stores_ciphertext_named_by_the_original_hash(
    tmp_path: Path, key: ProfileKey
) -> None:
    vault = Vault(tmp_path / "vault", key.files)
    assert vault.encrypted and not Vault(tmp_path / "v2").encrypted
    source, sha = _source(tmp_path, "MRI-REPORT-MARKER")
    seen: list[int] = []
    stored = vault.store(source, sha, FileType.PDF, seen.append)
    assert stored.name == f"{sha}.pdf"
    raw = stored.read_bytes()
    assert raw.startswith(MAGIC) and b"MRI-REPORT-MARKER" not in raw
    assert seen[-1] == source.stat().st_size
    assert not stat.S_IMODE(stored.stat().st_mode) & 0o222
    assert vault.read_bytes(sha, FileType.PDF) == source.read_bytes()
    with vault.open_read(sha, FileType.PDF) as handle:
        handle.seek(5)
        assert handle.read(3) == source.read_bytes()[5:8]
    assert vault.verify(sha, FileType.PDF)
    assert vault.is_stored_encrypted(sha, FileType.PDF)


def test_a_mixed_vault_reads_plain_and_encrypted_files(tmp_path: Path, key: ProfileKey) -> None:
    root = tmp_path / "vault"
    plain_source, plain_sha = _source(tmp_path, "plain")
    Vault(root).store(plain_source, plain_sha, FileType.PDF)  # stored before encryption
    vault = Vault(root, key.files)
    secret_source, secret_sha = _source(tmp_path, "secret")
    vault.store(secret_source, secret_sha, FileType.PDF)
    assert not vault.is_stored_encrypted(plain_sha, FileType.PDF)
    assert vault.read_bytes(plain_sha, FileType.PDF) == plain_source.read_bytes()
    assert vault.read_bytes(secret_sha, FileType.PDF) == secret_source.read_bytes()
    assert vault.verify(plain_sha, FileType.PDF) and vault.verify(secret_sha, FileType.PDF)
    # Without the key the encrypted file cannot be read, and does not verify.
    keyless = Vault(root)
    with pytest.raises(FileDamagedError):
        keyless.read_bytes(secret_sha, FileType.PDF)
    assert not keyless.verify(secret_sha, FileType.PDF)


def test_a_damaged_encrypted_file_fails_to_read_and_verify(tmp_path: Path, key: ProfileKey) -> None:
    vault = Vault(tmp_path / "vault", key.files)
    source, sha = _source(tmp_path, "eob")
    stored = vault.store(source, sha, FileType.PDF)
    raw = bytearray(stored.read_bytes())
    raw[len(raw) // 2] ^= 1
    stored.chmod(0o644)
    stored.write_bytes(bytes(raw))
    assert not vault.verify(sha, FileType.PDF)
    with pytest.raises(FileDamagedError):
        vault.read_bytes(sha, FileType.PDF)
    assert not vault.verify("0" * 64, FileType.PDF)  # missing


def test_an_encrypted_store_still_refuses_a_changed_file(tmp_path: Path, key: ProfileKey) -> None:
    from backlog_app.storage.vault import VaultChangedError

    vault = Vault(tmp_path / "vault", key.files)
    source, _ = _source(tmp_path, "x")
    with pytest.raises(VaultChangedError):
        vault.store(source, hashlib.sha256(b"something else").hexdigest(), FileType.PDF)
    assert not any(p.is_file() for p in vault.root.rglob("*"))


def test_is_encrypted_file_on_stored_files(tmp_path: Path, key: ProfileKey) -> None:
    vault = Vault(tmp_path / "vault", key.files)
    source, sha = _source(tmp_path, "y")
    assert is_encrypted_file(vault.store(source, sha, FileType.PDF))
