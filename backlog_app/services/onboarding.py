"""Creating profiles: a new one from the welcome form, or the demo; either one optionally
protected with a passphrase from the start."""

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
from backlog_app.storage.crypto import KdfParams
from backlog_app.storage.encryption import protect_new_profile
from backlog_app.storage.profile import ProfilePaths


@contextmanager
def new_profile(
    root: Path, *, passphrase: str | None = None, kdf: KdfParams | None = None
) -> Iterator[ProfileSession]:
    """Open ``root`` to fill it; if filling fails, remove what this call created.

    A failed import or demo must not leave behind a half-made profile that the app would later
    open as if it were real. Folders and files that were there before are never touched.

    Args:
        passphrase: protect the new profile with it (encrypted from the first record on).
        kdf: Argon2id parameters for the passphrase (tests pass cheap ones); default: tuned.
    """
    existed = root.exists()
    had_database = ProfilePaths(root).has_database()
    key = None
    if passphrase is not None:
        if had_database:
            raise ProfileError(f"{root} already holds a BackLog profile; open it instead.")
        key = protect_new_profile(ProfilePaths(root), passphrase, kdf=kdf)
    try:
        session = open_profile(root, create=True, key=key)
    except BaseException:
        if key is not None:
            _remove_created(ProfilePaths(root), existed)
        raise
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
    for suffix in ("", "-wal", "-shm", "-journal", ".seal"):
        paths.database.with_name(paths.database.name + suffix).unlink(missing_ok=True)
    paths.lock_file.unlink(missing_ok=True)
    paths.encryption.unlink(missing_ok=True)
    for folder in (paths.vault, paths.thumbnails, paths.backups):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def create_profile(
    folder: Path,
    patient: PatientData,
    plan: PlanData | None,
    progress: Progress | None = None,
    *,
    passphrase: str | None = None,
    kdf: KdfParams | None = None,
) -> Path:
    """Create a profile in ``folder`` holding ``patient`` (and ``plan``). Refuses an existing one.

    Args:
        passphrase: protect the profile with it (about a second more: the key is derived
            slowly on purpose). Check it first with ``check_passphrase_strength``.
    """
    progress = progress or Progress()
    if ProfilePaths(folder).has_database():
        raise ProfileError(f"{folder} already holds a BackLog profile; open it instead.")
    progress.report(0, 2, "Protecting the profile" if passphrase else "Creating the profile folder")
    with new_profile(folder, passphrase=passphrase, kdf=kdf) as profile:
        progress.report(1, 2, "Saving your details")
        profile.patient.save(patient)
        if plan is not None:
            profile.plans.add(plan)
    progress.report(2, 2)
    return folder


def ensure_demo_profile(
    folder: Path, progress: Progress | None = None, *, passphrase: str | None = None
) -> Path:
    """The demo profile in ``folder``, created on first use and reused afterwards."""
    if ProfilePaths(folder).has_database():
        return folder
    with new_profile(folder, passphrase=passphrase) as profile:
        create_demo(profile, progress)
    return folder
