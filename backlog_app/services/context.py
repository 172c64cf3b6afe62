"""Opening a profile for use: folder → lock → log → checked and migrated database → services.

This is the one place the non-UI part of the app is assembled; the GUI and the CLI both use it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from backlog_app.errors import ProfileError
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
from backlog_app.storage.database import make_engine, preflight
from backlog_app.storage.migrations import upgrade_database
from backlog_app.storage.profile import ProfileLock, ProfilePaths, prepare_profile_dir
from backlog_app.storage.vault import Vault

log = logging.getLogger("backlog.services")


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
        self.database.close()
        self._lock.release()
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


def open_profile(root: Path, *, create: bool, clock: Clock = dt.date.today) -> ProfileSession:
    """Open (or with ``create``, create) the profile in ``root``.

    Raises:
        ProfileError: no profile there and ``create`` is False, or the folder is unusable.
        ProfileLockedError: another BackLog has it open.
        DatabaseError: the database is damaged or from a newer BackLog (left untouched).
    """
    if not create and not ProfilePaths(root).has_database():
        raise ProfileError(
            f"There is no BackLog profile in {root}. "
            "Create one with `backlog demo` or by starting the app."
        )
    paths = prepare_profile_dir(root)
    lock = ProfileLock(paths)
    lock.acquire()
    try:
        configure_logging(paths.logs)
        log.info("opening profile")
        preflight(paths)
        backup = upgrade_database(paths)
        database = Database(make_engine(paths.database))
    except BaseException:
        lock.release()
        raise
    log.info("profile open")
    changes = ChangeBus()
    patient = PatientService(database, changes, clock)
    documents = DocumentService(database, changes, Vault(paths.vault), paths.thumbnails, clock)
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
