"""The patient: the one person a profile is about."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select

from backlog_app.domain.records import PatientData
from backlog_app.errors import ValidationError
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession
from backlog_app.storage.models import Patient

MARIA = PatientData(
    full_name="Maria Alvarez",
    date_of_birth=dt.date(1974, 7, 27),
    phone="(614) 555-0142",
    email="maria.alvarez@example.com",
    address="2217 Maple Hollow Dr\nColumbus, OH 43215",
    notes="L4-L5 disc herniation.",
)


def patient_rows(profile: ProfileSession) -> int:
    with profile.database.read() as session:
        return session.scalar(select(func.count()).select_from(Patient)) or 0


def test_no_patient_yet(profile: ProfileSession) -> None:
    assert profile.patient.get() is None
    assert profile.is_empty()


def test_save_and_get(profile: ProfileSession) -> None:
    heard: list[frozenset[Change]] = []
    profile.changes.subscribe(heard.append)
    profile.patient.save(MARIA)
    assert profile.patient.get() == MARIA
    assert heard == [frozenset({Change.PATIENT})]
    assert not profile.is_empty()


def test_save_replaces_the_one_patient(profile: ProfileSession) -> None:
    profile.patient.save(MARIA)
    changed = dataclasses.replace(MARIA, full_name="Maria L. Alvarez", phone=None, notes="")
    profile.patient.save(changed)
    assert profile.patient.get() == dataclasses.replace(changed, notes=None)
    assert patient_rows(profile) == 1


def test_text_is_trimmed(profile: ProfileSession) -> None:
    profile.patient.save(dataclasses.replace(MARIA, full_name="  Maria Alvarez \n", email=""))
    saved = profile.patient.get()
    assert saved is not None
    assert saved.full_name == "Maria Alvarez"
    assert saved.email is None


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"full_name": ""}, "Please enter the patient's name."),
        ({"date_of_birth": None}, "Please enter the date of birth"),
        ({"date_of_birth": dt.date(2026, 11, 28)}, "in the future"),  # the clock says 11-27
        ({"date_of_birth": dt.date(1850, 1, 1)}, "before 1900"),
        ({"email": "maria@"}, "does not look like an e-mail address"),
    ],
)
def test_invalid_patient_writes_nothing(
    profile: ProfileSession, changes: dict[str, object], expected: str
) -> None:
    profile.patient.save(MARIA)
    heard: list[frozenset[Change]] = []
    profile.changes.subscribe(heard.append)
    with pytest.raises(ValidationError, match=expected):
        profile.patient.save(dataclasses.replace(MARIA, **changes))  # type: ignore[arg-type]
    assert profile.patient.get() == MARIA
    assert heard == []


def test_invalid_first_patient_writes_nothing(profile: ProfileSession) -> None:
    with pytest.raises(ValidationError) as info:
        profile.patient.save(PatientData(full_name="", date_of_birth=None))
    assert len(info.value.problems) == 2
    assert info.value.message == " ".join(info.value.problems)
    assert patient_rows(profile) == 0
