"""What a new check-in starts with: regular medications carried over, nothing else."""

from __future__ import annotations

import datetime as dt

import pytest

from backlog_app.domain.check_in_defaults import carried_doses, medications_to_offer
from backlog_app.domain.log_records import CheckInData, DoseTaken, MedicationData
from backlog_app.domain.records import Stored

DAY = dt.date(2026, 11, 27)
STAMP = dt.datetime(2026, 11, 1, 8, 0)


def stored(record_id: int, medication: MedicationData) -> Stored[MedicationData]:
    return Stored(record_id, medication, STAMP, STAMP)


REGULAR = stored(1, MedicationData("Naproxen", dt.date(2026, 11, 1)))
AS_NEEDED = stored(2, MedicationData("Tramadol", dt.date(2026, 11, 1), as_needed=True))
STOPPED = stored(
    3, MedicationData("Baclofen", dt.date(2026, 10, 1), stop_date=dt.date(2026, 11, 26))
)
NOT_YET = stored(4, MedicationData("Duloxetine", dt.date(2026, 11, 28)))
EVERYTHING = [REGULAR, AS_NEEDED, STOPPED, NOT_YET]


@pytest.mark.parametrize(
    ("previous_doses", "expected"),
    [
        ((), ()),
        # Relief is the day's own judgment: never copied.
        ((DoseTaken(1, 2, 40),), (DoseTaken(1, 2, None),)),
        ((DoseTaken(2, 1, 50),), ()),  # as needed: start unticked
        ((DoseTaken(3, 1),), ()),  # stopped the day before
        ((DoseTaken(4, 1),), ()),  # not started yet
        ((DoseTaken(99, 1),), ()),  # deleted since
        ((DoseTaken(2, 1), DoseTaken(1, 3)), (DoseTaken(1, 3, None),)),
    ],
)
def test_carried_doses(
    previous_doses: tuple[DoseTaken, ...], expected: tuple[DoseTaken, ...]
) -> None:
    previous = CheckInData(DAY - dt.timedelta(days=1), doses=previous_doses)
    assert carried_doses(previous, EVERYTHING, DAY) == expected


def test_nothing_is_carried_without_an_earlier_check_in() -> None:
    assert carried_doses(None, EVERYTHING, DAY) == ()


def test_a_recorded_medication_stays_offered_after_its_dates_changed() -> None:
    offered = medications_to_offer([REGULAR, AS_NEEDED], EVERYTHING, [DoseTaken(3, 1)])
    assert [s.id for s in offered] == [1, 2, 3]
    assert medications_to_offer([REGULAR], EVERYTHING, [DoseTaken(1, 1)]) == [REGULAR]
