"""The patient: the one person a profile is about."""

from __future__ import annotations

from sqlalchemy import select

from backlog_app.domain.records import PatientData
from backlog_app.domain.validation import patient_problems
from backlog_app.errors import ValidationError
from backlog_app.services.changes import Change, ChangeBus
from backlog_app.services.database import Database
from backlog_app.services.records import Clock, from_model, to_model_values
from backlog_app.storage.models import Patient


class PatientService:
    """Reads and saves the profile's single patient record."""

    def __init__(self, database: Database, changes: ChangeBus, clock: Clock) -> None:
        self._db = database
        self._changes = changes
        self._clock = clock

    def get(self) -> PatientData | None:
        with self._db.read() as session:
            row = session.scalars(select(Patient).order_by(Patient.id).limit(1)).first()
            return from_model(PatientData, row) if row else None

    def save(self, data: PatientData) -> None:
        """Create or replace the patient. Raises ValidationError and writes nothing."""
        problems = patient_problems(data, self._clock())
        if problems:
            raise ValidationError(problems)
        with self._db.write() as session:
            row = session.scalars(select(Patient).order_by(Patient.id).limit(1)).first()
            if row is None:
                session.add(Patient(**to_model_values(data)))
            else:
                for name, value in to_model_values(data).items():
                    setattr(row, name, value)
        self._changes.announce(Change.PATIENT)
