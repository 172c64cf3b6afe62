"""Creating profiles: a new one from the welcome form, or the demo."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from backlog_app.domain.records import PatientData, PlanData
from backlog_app.errors import ProfileError
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.services.demo import create_demo
from backlog_app.services.progress import Progress
from backlog_app.storage.profile import ProfilePaths


@contextmanager
def new_profile(root: Path) -> Iterator[ProfileSession]:
    """Open ``root`` to fill it; if filling fails, remove what this call created.

    A failed import or demo must not leave behind a half-made profile that the app would later
    open as if it were real. Folders and files that were there before are never touched.
    """
    existed = root.exists()
    had_database = ProfilePaths(root).has_database()
    session = open_profile(root, create=True)
    try:
        yield session
    except BaseException:
        session.close()
        if not had_database:
            _remove_created(ProfilePaths(root), existed)
        raise
    session.close()


def _remove_created(paths: ProfilePaths, folder_existed: bool) -> None:
    if not folder_existed:
        shutil.rmtree(paths.root, ignore_errors=True)
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        paths.database.with_name(paths.database.name + suffix).unlink(missing_ok=True)
    paths.lock_file.unlink(missing_ok=True)
    for folder in (paths.vault, paths.thumbnails, paths.backups):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def create_profile(
    folder: Path, patient: PatientData, plan: PlanData | None, progress: Progress | None = None
) -> Path:
    """Create a profile in ``folder`` holding ``patient`` (and ``plan``). Refuses an existing one."""
    progress = progress or Progress()
    if ProfilePaths(folder).has_database():
        raise ProfileError(f"{folder} already holds a BackLog profile; open it instead.")
    progress.report(0, 2, "Creating the profile folder")
    with new_profile(folder) as profile:
        progress.report(1, 2, "Saving your details")
        profile.patient.save(patient)
        if plan is not None:
            profile.plans.add(plan)
    progress.report(2, 2)
    return folder


def ensure_demo_profile(folder: Path, progress: Progress | None = None) -> Path:
    """The demo profile in ``folder``, created on first use and reused afterwards."""
    if ProfilePaths(folder).has_database():
        return folder
    with new_profile(folder) as profile:
        create_demo(profile, progress)
    return folder
