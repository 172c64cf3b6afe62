"""Creating profiles: a new one from the welcome form, or the demo."""

from __future__ import annotations

from pathlib import Path

from backlog_app.domain.records import PatientData, PlanData
from backlog_app.errors import ProfileError
from backlog_app.services.context import open_profile
from backlog_app.services.demo import create_demo
from backlog_app.services.progress import Progress
from backlog_app.storage.profile import ProfilePaths


def create_profile(
    folder: Path, patient: PatientData, plan: PlanData | None, progress: Progress | None = None
) -> Path:
    """Create a profile in ``folder`` holding ``patient`` (and ``plan``). Refuses an existing one."""
    progress = progress or Progress()
    if ProfilePaths(folder).has_database():
        raise ProfileError(f"{folder} already holds a BackLog profile; open it instead.")
    progress.report(0, 2, "Creating the profile folder")
    with open_profile(folder, create=True) as profile:
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
    with open_profile(folder, create=True) as profile:
        create_demo(profile, progress)
    return folder
