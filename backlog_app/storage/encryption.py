"""Encrypted profiles: the passphrase file, unlocking, protecting a new or an existing profile.

``encryption.json`` in the profile folder holds the Argon2id parameters and the master key
wrapped under the passphrase's key; its presence means the profile is encrypted. The database is
an SQLCipher file under ``ProfileKey.database_key``; vault files and thumbnails are encrypted with
``ProfileKey.files``.

Encrypting an existing profile is resumable: ``encryption.json`` is written first with
``"converting": true``, then the database, every vault file and every thumbnail are rewritten
encrypted (each atomically), and the flag is cleared last. A crash at any point leaves a profile
that opens with the passphrase (plain and encrypted files both read) and ``finish_encryption``
completes the job at the next open.

The plain backups in ``backups/`` are not touched here: until a new, encrypted backup exists they
are the only ones. The caller makes that backup, then calls ``remove_plain_backups``.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import shutil
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from backlog_app.errors import Cancelled, ProfileError
from backlog_app.storage.backup import fsync_dir, write_atomically
from backlog_app.storage.crypto import (
    FileCipher,
    KdfParams,
    ProfileKey,
    derive_key,
    is_encrypted_file,
    new_master_key,
    tune_kdf,
    unwrap_key,
    wrap_key,
)
from backlog_app.storage.database import export_encrypted, fold_wal, is_plain_sqlite, preflight
from backlog_app.storage.migrations import recover_interrupted_upgrade
from backlog_app.storage.profile import ENCRYPTION_FILE, ProfileLock, ProfilePaths
from backlog_app.storage.seal import break_seal, check_seal, seal_database
from backlog_app.storage.vault import PARTIAL_SUFFIX, Vault

__all__ = [
    "ENCRYPTION_FILE",
    "EncryptionReport",
    "change_passphrase",
    "encrypt_existing_profile",
    "encrypt_profile",
    "finish_encryption",
    "is_encrypted",
    "needs_finishing",
    "protect_new_profile",
    "remove_plain_backups",
    "unlock",
]

log = logging.getLogger("backlog.storage")

FORMAT = "backlog-encryption"
VERSION = 1
# Backups a plain profile made; they hold the records unencrypted.
PLAIN_BACKUP_PREFIXES = ("before-upgrade-", "interrupted-upgrade-", "backlog-backup-")
# SQLite's files beside a database copy (``migrations._keep_aside`` keeps the WAL too).
SIDE_FILE_SUFFIXES = ("-wal", "-shm")
# The work folder of ``services.backups.create_backup``; a killed backup leaves its plain
# database snapshot in it.
SNAPSHOT_PREFIX = ".snapshot-"


class ReportsProgress(Protocol):
    """What ``services.progress.Progress`` offers (storage does not import services)."""

    def report(self, done: int, total: int, label: str = "") -> None: ...


@dataclass(frozen=True, slots=True)
class EncryptionRecord:
    """The content of ``encryption.json``."""

    kdf: KdfParams
    wrapped_key: bytes
    converting: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "kdf": self.kdf.to_json(),
            "wrapped_key": base64.b64encode(self.wrapped_key).decode("ascii"),
        }
        if self.converting:
            data["converting"] = True
        return data


@dataclass(frozen=True, slots=True)
class EncryptionReport:
    """What encrypting an existing profile did (counts only: never names)."""

    key: ProfileKey
    database_encrypted: bool
    files_encrypted: int
    thumbnails_encrypted: int
    seconds: float


# -- the passphrase file -------------------------------------------------------------------------


def is_encrypted(paths: ProfilePaths) -> bool:
    """True when the profile is protected with a passphrase (``encryption.json`` exists)."""
    return paths.encryption.is_file()


def read_record(paths: ProfilePaths) -> EncryptionRecord:
    """Raises ProfileError when ``encryption.json`` is missing or unreadable."""
    try:
        data = json.loads(paths.encryption.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError("not a BackLog encryption file")
        if data.get("version") != VERSION:
            raise ProfileError(
                f"The profile in {paths.root} was protected by a newer BackLog. "
                "Install the newest BackLog to open it; nothing was changed."
            )
        return EncryptionRecord(
            kdf=KdfParams.from_json(data["kdf"]),
            wrapped_key=base64.b64decode(data["wrapped_key"], validate=True),
            converting=bool(data.get("converting", False)),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ProfileError(
            f"The passphrase file of the profile in {paths.root} ({ENCRYPTION_FILE}) is missing "
            "or damaged, so the profile cannot be unlocked. Restore it from a backup."
        ) from exc


def _write_record(paths: ProfilePaths, record: EncryptionRecord) -> None:
    text = json.dumps(record.to_json(), indent=2) + "\n"
    write_atomically(paths.encryption, text.encode("utf-8"), mode=0o600)


def _new_record(
    master: bytes, passphrase: str, kdf: KdfParams | None, *, converting: bool = False
) -> EncryptionRecord:
    params = kdf or tune_kdf()
    return EncryptionRecord(params, wrap_key(derive_key(passphrase, params), master), converting)


def unlock(paths: ProfilePaths, passphrase: str) -> ProfileKey:
    """The profile's key from its passphrase (slow on purpose: about a second; not on the GUI
    thread).

    Raises:
        WrongPassphraseError: the passphrase is not this profile's.
        ProfileError: the passphrase file is missing or damaged.
    """
    record = read_record(paths)
    return ProfileKey(unwrap_key(derive_key(passphrase, record.kdf), record.wrapped_key))


def needs_finishing(paths: ProfilePaths) -> bool:
    """True when encrypting this profile was interrupted (``finish_encryption`` completes it)."""
    return is_encrypted(paths) and read_record(paths).converting


def protect_new_profile(
    paths: ProfilePaths, passphrase: str, *, kdf: KdfParams | None = None
) -> ProfileKey:
    """Make a profile that does not exist yet an encrypted one; open it with the returned key.

    Args:
        kdf: Argon2id parameters (tests pass cheap ones); default: tuned for this computer.

    Raises:
        ProfileError: the folder already holds a profile or a passphrase file.
    """
    if paths.has_database() or is_encrypted(paths):
        raise ProfileError(f"{paths.root} already holds a BackLog profile; open it instead.")
    paths.root.mkdir(parents=True, exist_ok=True)
    master = new_master_key()
    _write_record(paths, _new_record(master, passphrase, kdf))
    log.info("new profile protected with a passphrase")
    return ProfileKey(master)


def change_passphrase(
    paths: ProfilePaths, old: str, new: str, *, kdf: KdfParams | None = None
) -> ProfileKey:
    """Protect the profile with ``new`` instead of ``old``; fast (the master key is re-wrapped,
    no file is re-encrypted), so it also works while the profile is open.

    Backups made before keep the passphrase they were made with (each holds its own copy of
    the passphrase file): the old passphrase still opens them.

    Raises:
        WrongPassphraseError: ``old`` is not this profile's passphrase.
    """
    record = read_record(paths)
    master = unwrap_key(derive_key(old, record.kdf), record.wrapped_key)
    _write_record(paths, _new_record(master, new, kdf, converting=record.converting))
    log.info("passphrase changed")
    return ProfileKey(master)


# -- encrypting an existing profile --------------------------------------------------------------


def encrypt_profile(
    paths: ProfilePaths,
    passphrase: str,
    progress: ReportsProgress | None = None,
    *,
    kdf: KdfParams | None = None,
) -> ProfileKey:
    """Protect an existing, closed profile with ``passphrase`` (see ``encrypt_existing_profile``)."""
    return encrypt_existing_profile(paths, passphrase, progress, kdf=kdf).key


def encrypt_existing_profile(
    paths: ProfilePaths,
    passphrase: str,
    progress: ReportsProgress | None = None,
    *,
    kdf: KdfParams | None = None,
) -> EncryptionReport:
    """Encrypt an existing, closed profile: the database, every vault file and thumbnail. Run
    again after an interruption, with the same passphrase, to finish.

    The plain backups in ``backups/`` are kept: make a new (encrypted) backup, then delete them
    with ``remove_plain_backups`` (they would still hold the records readable).

    Cancel works until the first file is written; after that the job runs to the end (a
    half-done profile is encrypted already and would surprise its owner).

    Raises:
        ProfileLockedError: the profile is open (in a window, or another command).
        ProfileError: there is no profile there, or it is encrypted already.
        DamagedDatabaseError: the database is damaged; nothing was changed.
        WrongPassphraseError: finishing an interrupted job with another passphrase.
    """
    started = time.perf_counter()
    if not paths.has_database():
        raise ProfileError(f"There is no BackLog profile in {paths.root}.")
    with ProfileLock(paths):
        if is_encrypted(paths):
            record = read_record(paths)
            if not record.converting:
                raise ProfileError(
                    "This profile is protected with a passphrase already. "
                    "To choose another one, change the passphrase instead."
                )
            key = unlock(paths, passphrase)  # resuming: it must be the same passphrase
        else:
            if progress is not None:
                progress.report(0, 1, "Checking the records before protecting them")
            # An upgrade a crash interrupted is settled while the profile is still plain.
            recover_interrupted_upgrade(paths)
            check_seal(paths)
            preflight(paths)
            master = new_master_key()
            record = _new_record(master, passphrase, kdf, converting=True)  # Argon2 runs once
            key = ProfileKey(master)
            if progress is not None:
                progress.report(0, 1, "Protecting the records")  # the last chance to cancel
            _write_record(paths, record)  # from here on the job finishes, whatever happens
            log.info("encrypting an existing profile")
        report = finish_encryption(paths, key, _Uncancellable(progress))
        seal_database(paths)
    seconds = time.perf_counter() - started
    log.info(
        "profile encrypted: database %s, %d files, %d thumbnails, %.1f s",
        "converted" if report.database_encrypted else "already done",
        report.files_encrypted,
        report.thumbnails_encrypted,
        seconds,
    )
    return EncryptionReport(
        key, report.database_encrypted, report.files_encrypted, report.thumbnails_encrypted, seconds
    )


def finish_encryption(
    paths: ProfilePaths, key: ProfileKey, progress: ReportsProgress | None = None
) -> EncryptionReport:
    """Do whatever is left of encrypting a profile; the caller holds its lock, nothing has it
    open. Every step skips what is done already, so running it twice is harmless.

    Plain backups in ``backups/`` are kept, also when this finishes an interrupted job as the
    profile opens: they may be the only backups until a new, encrypted one is made (the
    caller deletes them with ``remove_plain_backups`` once it has one)."""
    started = time.perf_counter()
    vault = Vault(paths.vault, key.files)
    plain_files = [entry.path for entry in vault.entries() if not is_encrypted_file(entry.path)]
    plain_thumbnails = _plain_thumbnails(paths.thumbnails)
    total = 2 + len(plain_files) + len(plain_thumbnails)
    done = 0

    def step(label: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress.report(done, total, label)

    database_encrypted = False
    if paths.has_database() and is_plain_sqlite(paths.database):
        # Any seal describes the plain file; the encrypted one is sealed at the next clean close.
        break_seal(paths)
        fold_wal(paths.database)
        export_encrypted(paths.database, paths.database, key.database_key)
        database_encrypted = True
    _remove_plain_sidecars(paths, database_encrypted=database_encrypted)
    step("Protecting the records")
    for path in plain_files:
        encrypt_file_in_place(path, key.files, mode=0o444)
        step("Protecting the documents")
    for path in plain_thumbnails:
        encrypt_file_in_place(path, key.files)
        step("Protecting the page pictures")
    record = read_record(paths)
    if record.converting:
        _write_record(paths, EncryptionRecord(record.kdf, record.wrapped_key, converting=False))
    step("Done")
    return EncryptionReport(
        key,
        database_encrypted,
        len(plain_files),
        len(plain_thumbnails),
        time.perf_counter() - started,
    )


def encrypt_file_in_place(path: Path, cipher: FileCipher, *, mode: int = 0o644) -> None:
    """Replace a plain file by its encryption, atomically; the result is decrypted and compared
    before it replaces the original, so a faulty write never costs the file."""
    original = path.read_bytes()
    sealed = cipher.encrypt_bytes(original)
    if cipher.decrypt_bytes(sealed) != original:
        raise OSError(f"encrypting {path.name} did not give back the same bytes")
    write_atomically(path, sealed, mode=mode)


def remove_plain_backups(folder: Path) -> int:
    """Delete the backups in ``folder`` that hold records unencrypted (with their SQLite side
    files) and any snapshot folder a killed backup left. Returns how many backups and snapshots
    (side files are not counted).

    Call it only once a new, encrypted backup exists: until then these are the only backups.
    """
    if not folder.is_dir():
        return 0
    # Judged before any is deleted: a side file is judged by its database copy.
    entries = sorted(folder.iterdir())
    snapshots = [p for p in entries if p.name.startswith(SNAPSHOT_PREFIX) and p.is_dir()]
    plain = [
        p
        for p in entries
        if p.is_file() and p.name.startswith(PLAIN_BACKUP_PREFIXES) and _holds_plain(p)
    ]
    for snapshot in snapshots:
        shutil.rmtree(snapshot)
    for path in plain:
        path.chmod(0o644)
        path.unlink()
    removed = len(snapshots) + sum(1 for p in plain if _side_file_of(p) is None)
    if snapshots or plain:
        fsync_dir(folder)
        log.info("removed %d unencrypted backups and snapshots", removed)
    return removed


def _side_file_of(path: Path) -> Path | None:
    """The database copy whose ``-wal``/``-shm`` file ``path`` is; None for anything else."""
    for suffix in SIDE_FILE_SUFFIXES:
        if path.name.endswith(".sqlite3" + suffix):
            return path.with_name(path.name.removesuffix(suffix))
    return None


def _holds_plain(path: Path) -> bool:
    """False only for a backup that is recognisably encrypted; unreadable ones count as plain.
    A side file goes with its database copy (plain when that is gone)."""
    database = _side_file_of(path)
    if database is not None:
        return not database.is_file() or _holds_plain(database)
    if ".sqlite3" in path.name and not path.name.endswith(PARTIAL_SUFFIX):
        return is_plain_sqlite(path) or path.stat().st_size == 0
    try:
        with zipfile.ZipFile(path) as archive:
            return ENCRYPTION_FILE not in archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return True


def _plain_thumbnails(folder: Path) -> list[Path]:
    """Thumbnails not yet encrypted; leftovers of interrupted writes are removed (plain)."""
    if not folder.is_dir():
        return []
    plain = []
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        if path.name.startswith("."):
            path.unlink(missing_ok=True)
        elif not is_encrypted_file(path):
            plain.append(path)
    return plain


def _remove_plain_sidecars(paths: ProfilePaths, *, database_encrypted: bool) -> None:
    """Plain leftovers of the old database: scratch of an interrupted export and, right after
    the conversion, any WAL, shared-memory or journal file (``fold_wal`` folded them in; a
    live encrypted WAL cannot exist yet, as nothing has opened the encrypted file)."""
    database = paths.database
    if database_encrypted:
        for suffix in ("-wal", "-shm", "-journal"):
            database.with_name(database.name + suffix).unlink(missing_ok=True)
    for leftover in paths.root.glob(f"{database.name}.encrypting*"):
        leftover.unlink(missing_ok=True)


class _Uncancellable:
    """Passes progress on but ignores Cancel: once the first file is rewritten, stopping would
    leave a half-protected profile, so the job always finishes."""

    def __init__(self, progress: ReportsProgress | None) -> None:
        self._progress = progress

    def report(self, done: int, total: int, label: str = "") -> None:
        if self._progress is None:
            return
        with contextlib.suppress(Cancelled):
            self._progress.report(done, total, label)
