"""Opening a profile for use: folder → lock → log → checked and migrated database → services.

This is the one place the non-UI part of the app is assembled; the GUI and the CLI both use it.
An encrypted profile opens only with its ``ProfileKey`` (``storage.encryption.unlock``); while it
is open, temporary files go to a private folder in RAM where the system has one.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from backlog_app.errors import PassphraseNeededError, ProfileError
from backlog_app.logging_setup import configure_logging
from backlog_app.services.calls import CallService
from backlog_app.services.cases import CaseService
from backlog_app.services.changes import ChangeBus
from backlog_app.services.costs import CostService
from backlog_app.services.database import Database
from backlog_app.services.directory import (
    PlanService,
    ProviderService,
    make_plan_service,
    make_provider_service,
)
from backlog_app.services.document_import import DocumentImporter
from backlog_app.services.documents import DocumentService
from backlog_app.services.log import LogServices, make_log_services
from backlog_app.services.network import NetworkService
from backlog_app.services.patient import PatientService
from backlog_app.services.records import Clock
from backlog_app.storage.crypto import ProfileKey
from backlog_app.storage.database import make_engine, preflight
from backlog_app.storage.encryption import finish_encryption, is_encrypted, needs_finishing
from backlog_app.storage.migrations import recover_interrupted_upgrade, upgrade_database
from backlog_app.storage.profile import ProfileLock, ProfilePaths, prepare_profile_dir
from backlog_app.storage.seal import break_seal, check_seal, seal_database
from backlog_app.storage.vault import Vault

log = logging.getLogger("backlog.services")

# Linux keeps this in RAM (tmpfs); macOS and Windows have no such folder (docs/encryption.md).
RAM_FOLDER = Path("/dev/shm")


class RamScratch:
    """A private folder in RAM (mode 0700) used as Python's temporary folder while an
    encrypted profile is open, so packet scratch, OCR pictures and previews never reach the
    disk unencrypted. Without a RAM folder the system's temporary folder stays in use."""

    def __init__(self, folder: Path | None, previous: str | None) -> None:
        self.folder = folder
        self._previous = previous

    @classmethod
    def start(cls) -> RamScratch:
        previous = tempfile.tempdir
        if not (RAM_FOLDER.is_dir() and os.access(RAM_FOLDER, os.W_OK | os.X_OK)):
            log.info("no RAM folder for temporary files; the system temporary folder is used")
            return cls(None, previous)
        try:
            folder = Path(tempfile.mkdtemp(prefix="backlog-", dir=RAM_FOLDER))  # mkdtemp: 0700
        except OSError as exc:
            log.warning("no private RAM folder for temporary files (%s)", exc.__class__.__name__)
            return cls(None, previous)
        tempfile.tempdir = str(folder)
        return cls(folder, previous)

    def stop(self) -> None:
        if self.folder is None:
            return
        if tempfile.tempdir == str(self.folder):
            tempfile.tempdir = self._previous
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None


@dataclass
class ProfileSession:
    """An open profile and the services over it. Close it to release the lock."""

    paths: ProfilePaths
    database: Database
    changes: ChangeBus
    patient: PatientService
    plans: PlanService
    providers: ProviderService
    log: LogServices
    documents: DocumentService
    importer: DocumentImporter
    cases: CaseService
    calls: CallService
    network: NetworkService
    costs: CostService
    clock: Clock
    upgrade_backup: Path | None
    _lock: ProfileLock = field(repr=False)
    key: ProfileKey | None = field(default=None, repr=False)
    scratch: RamScratch | None = field(default=None, repr=False)

    @property
    def encrypted(self) -> bool:
        """True for a profile protected with a passphrase."""
        return self.key is not None

    def is_empty(self) -> bool:
        """True when the profile holds no records at all (data import needs this)."""
        return (
            self.patient.get() is None
            and not self.plans.count()
            and not self.providers.count()
            and not self.log.check_ins.count()
            and not self.log.medications.count()
            and not self.log.treatments.count()
            and not self.log.courses.count()
            and not self.log.odi_scores.count()
            and not self.documents.count()
            and not self.cases.count()
            and not self.calls.count()
            and not self.network.count()
            and not self.network.team_count()
            and not self.costs.count()
        )

    def close(self) -> None:
        """Close the database, seal it, release the lock and remove the RAM folder.

        Hashes the whole database file (the seal): the GUI calls this off its own thread.
        The lock is released and the RAM folder removed even when closing or sealing fails;
        a failed seal is only logged (the records are safe, only that extra check is missing).
        """
        try:
            self.database.close()
            # Under the lock, after the last connection closed: nothing can change the file now.
            try:
                seal_database(self.paths)
            except Exception:
                log.warning("the database could not be sealed", exc_info=True)
        finally:
            try:
                self._lock.release()
            finally:
                if self.scratch is not None:
                    self.scratch.stop()
        log.info("profile closed")

    def __enter__(self) -> ProfileSession:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_profile(
    root: Path, *, create: bool, clock: Clock = dt.date.today, key: ProfileKey | None = None
) -> ProfileSession:
    """Open (or with ``create``, create) the profile in ``root``.

    Args:
        key: the key of an encrypted profile (``storage.encryption.unlock``); for a new
            encrypted profile, the one ``protect_new_profile`` returned.

    Raises:
        ProfileError: no profile there and ``create`` is False, or the folder is unusable.
        PassphraseNeededError: the profile is encrypted and no ``key`` was given.
        ProfileLockedError: another BackLog has it open.
        DatabaseError: the database is damaged or from a newer BackLog (left untouched).
    """
    if not create and not ProfilePaths(root).has_database():
        raise ProfileError(
            f"There is no BackLog profile in {root}. "
            "Create one with `backlog demo` or by starting the app."
        )
    encrypted = is_encrypted(ProfilePaths(root))
    if encrypted and key is None:
        raise PassphraseNeededError("This profile is protected with a passphrase.")
    if key is not None and not encrypted:
        raise ValueError("a key was given for a profile that is not encrypted")
    paths = prepare_profile_dir(root)
    lock = ProfileLock(paths)
    lock.acquire()
    scratch = None
    try:
        configure_logging(paths.logs)
        log.info("opening profile")
        if key is not None and needs_finishing(paths):
            log.info("finishing an interrupted encryption of this profile")
            finish_encryption(paths, key)
        database_key = key.database_key if key is not None else None
        # An upgrade a crash interrupted is settled first: a file it left not provably intact
        # is put back from its pre-upgrade backup rather than reported as damaged.
        recover_interrupted_upgrade(paths, key=database_key)
        preflight(paths, database_key)
        check_seal(paths)
        break_seal(paths)  # before anything writes: the file is about to change
        backup = upgrade_database(paths, key=database_key)
        database = Database(make_engine(paths.database, key=database_key))
    except BaseException:
        lock.release()
        raise
    # From here on a failure must also let go of the engine and the RAM folder.
    try:
        if key is not None:
            scratch = RamScratch.start()
        log.info("profile open")
        return _build_session(paths, database, clock, backup, lock, key, scratch)
    except BaseException:
        try:
            database.close()
        finally:
            try:
                if scratch is not None:
                    scratch.stop()
            finally:
                lock.release()
        raise


def _build_session(
    paths: ProfilePaths,
    database: Database,
    clock: Clock,
    backup: Path | None,
    lock: ProfileLock,
    key: ProfileKey | None,
    scratch: RamScratch | None,
) -> ProfileSession:
    """The services over an open database, in one session."""
    changes = ChangeBus()
    patient = PatientService(database, changes, clock)
    vault = Vault(paths.vault, key.files if key is not None else None)
    documents = DocumentService(database, changes, vault, paths.thumbnails, clock)
    _sweep_vault(documents)
    network = NetworkService(database, changes, clock)
    return ProfileSession(
        paths=paths,
        database=database,
        changes=changes,
        patient=patient,
        plans=make_plan_service(database, changes, clock),
        providers=make_provider_service(database, changes),
        log=make_log_services(database, changes, clock, patient),
        documents=documents,
        importer=DocumentImporter(documents),
        cases=CaseService(database, changes, clock),
        calls=CallService(database, changes, clock),
        network=network,
        costs=CostService(database, changes, clock, network),
        clock=clock,
        upgrade_backup=backup,
        _lock=lock,
        key=key,
        scratch=scratch,
    )


def _sweep_vault(documents: DocumentService) -> None:
    """Tidy what a crash may have left in the vault (counts are logged, never names).

    A failure here must not keep the user from their records: it is logged, and
    ``backlog check`` reports the same problems later.
    """
    from backlog_app.services.vault_check import sweep

    try:
        sweep(documents)
    except Exception as exc:
        log.warning("vault sweep failed: %s", exc.__class__.__name__, exc_info=True)
