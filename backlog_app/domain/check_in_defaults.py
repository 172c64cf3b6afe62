"""What a new daily check-in starts with, so a practised user only types what changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from backlog_app.domain.log_records import CheckInData, DoseTaken, MedicationData
from backlog_app.domain.records import Stored


def carried_doses(
    previous: CheckInData | None,
    medications: Sequence[Stored[MedicationData]],
    day: dt.date,
) -> tuple[DoseTaken, ...]:
    """The doses of the latest earlier check-in, for medications still taken regularly on ``day``.

    As-needed medications are left out (taking one yesterday says little about today), and so
    is relief: it is the day's own judgment, and a copied number would be recorded unseen.

    Args:
        previous: the most recent check-in before ``day``, if any.
        medications: every medication trial (or at least those on ``previous``).
        day: the new check-in's day.
    """
    if previous is None:
        return ()
    by_id = {stored.id: stored.data for stored in medications}
    carried = []
    for dose in previous.doses:
        medication = by_id.get(dose.medication_id)
        if medication is not None and not medication.as_needed and medication.is_active_on(day):
            carried.append(DoseTaken(dose.medication_id, dose.doses, None))
    return tuple(carried)


def medications_to_offer(
    active: Sequence[Stored[MedicationData]],
    everything: Sequence[Stored[MedicationData]],
    doses: Sequence[DoseTaken],
) -> list[Stored[MedicationData]]:
    """The check-in's medication list: those active that day, plus any already recorded on it.

    A medication whose dates were changed after the check-in stays listed, so editing an old
    check-in never drops a recorded dose.
    """
    shown = {stored.id for stored in active}
    recorded = {dose.medication_id for dose in doses}
    extra = [s for s in everything if s.id in recorded and s.id not in shown]
    return [*active, *extra]
