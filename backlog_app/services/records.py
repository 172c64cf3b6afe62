"""Create, read, update and delete for record types that map one dataclass onto one table."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import typing
from collections.abc import Callable
from enum import StrEnum
from typing import Any, Generic, TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from backlog_app.domain.records import Stored
from backlog_app.errors import UserError, ValidationError
from backlog_app.services.changes import Change, ChangeBus
from backlog_app.services.database import Database
from backlog_app.storage.models import Base

DataT = TypeVar("DataT")
ModelT = TypeVar("ModelT", bound=Base)

Clock = Callable[[], dt.date]


def to_model_values(data: Any) -> dict[str, Any]:
    """Column values for a record dataclass: enums become their stored strings, blanks None."""
    values: dict[str, Any] = {}
    for field in dataclasses.fields(data):
        value = getattr(data, field.name)
        if isinstance(value, StrEnum):
            value = value.value
        elif isinstance(value, str):
            value = value.strip() or None
        values[field.name] = value
    return values


def from_model(data_type: type[DataT], row: object) -> DataT:
    """The record dataclass for a row (any object with the fields as attributes)."""
    values: dict[str, Any] = {}
    for name, enum_type in _enum_fields(data_type).items():  # type: ignore[arg-type]
        value = getattr(row, name)
        values[name] = enum_type(value) if enum_type is not None and value is not None else value
    return data_type(**values)


@functools.cache
def _enum_fields(data_type: type[Any]) -> dict[str, type[StrEnum] | None]:
    """Each field of a record dataclass, with its enum type when it is an enum."""
    hints = typing.get_type_hints(data_type)
    result: dict[str, type[StrEnum] | None] = {}
    for field in dataclasses.fields(data_type):
        hint = hints[field.name]
        # "Route | None" is a union: look inside it for the enum.
        candidates = typing.get_args(hint) or (hint,)
        enums = [c for c in candidates if isinstance(c, type) and issubclass(c, StrEnum)]
        result[field.name] = enums[0] if enums else None
    return result


class RecordService(Generic[DataT, ModelT]):
    """The list, add, update and delete use-cases for one record type.

    Args:
        database: where records live.
        changes: told after every committed change.
        model: the SQLAlchemy model.
        data_type: the dataclass the UI edits.
        problems: the domain's validation rule for the dataclass.
        change: what to announce.
        order_by: column names for list().
        noun: "plan", "provider" — for messages.
        clash_message: what to say when a unique rule of the table refuses the record.
    """

    def __init__(
        self,
        database: Database,
        changes: ChangeBus,
        *,
        model: type[ModelT],
        data_type: type[DataT],
        problems: Callable[[DataT], list[str]],
        change: Change,
        order_by: tuple[str, ...],
        noun: str,
        clash_message: str | None = None,
    ) -> None:
        self._db = database
        self._changes = changes
        self._model = model
        self._data_type = data_type
        self._problems = problems
        self._change = change
        self._order_by = order_by
        self._noun = noun
        self._clash_message = clash_message or (
            f"This {noun} clashes with one that already exists; change that one instead."
        )

    def list(self) -> list[Stored[DataT]]:
        with self._db.read() as session:
            columns = [getattr(self._model, name) for name in self._order_by]
            rows = session.scalars(select(self._model).order_by(*columns)).all()
            return [self._stored(row) for row in rows]

    def get(self, record_id: int) -> Stored[DataT]:
        with self._db.read() as session:
            return self._stored(self._load(session, record_id))

    def add(self, data: DataT) -> int:
        """Validate and insert; returns the new id. Raises ValidationError and writes nothing."""
        self._validate(data)
        try:
            with self._db.write() as session:
                row = self._model(**self._values(data))
                session.add(row)
                session.flush()
                new_id: int = row.id  # type: ignore[attr-defined]
        except IntegrityError as exc:
            raise UserError(self._clash_message) from exc
        self._changes.announce(self._change)
        return new_id

    def update(self, record_id: int, data: DataT) -> None:
        self._validate(data)
        try:
            with self._db.write() as session:
                row = self._load(session, record_id)
                for name, value in self._values(data).items():
                    setattr(row, name, value)
        except IntegrityError as exc:
            raise UserError(self._clash_message) from exc
        self._changes.announce(self._change)

    def delete(self, record_id: int) -> Stored[DataT]:
        """Delete and return the record as it was, so that the UI can offer Undo (``restore``).

        Raises:
            UserError: other records still refer to it (the database refuses, nothing changes).
        """
        try:
            with self._db.write() as session:
                row = self._load(session, record_id)
                stored = self._stored(row)
                session.delete(row)
        except IntegrityError as exc:
            raise UserError(
                f"This {self._noun} is still used by other records; change those first."
            ) from exc
        self._changes.announce(self._change)
        return stored

    def restore(self, stored: Stored[DataT]) -> None:
        """Put a deleted record back with its old id and timestamps (Undo)."""
        with self._db.write() as session:
            row = self._model(
                id=stored.id,
                created_at=stored.created_at,
                updated_at=stored.updated_at,
                **self._values(stored.data),
            )
            session.add(row)
        self._changes.announce(self._change)

    def count(self) -> int:
        with self._db.read() as session:
            return session.scalar(select(func.count()).select_from(self._model)) or 0

    def _validate(self, data: DataT) -> None:
        problems = self._problems(data)
        if problems:
            raise ValidationError(problems)

    def _load(self, session: Any, record_id: int) -> ModelT:
        row = session.get(self._model, record_id)
        if row is None:
            raise UserError(f"That {self._noun} no longer exists; it may have been deleted.")
        return row  # type: ignore[no-any-return]

    def _values(self, data: DataT) -> dict[str, Any]:
        """Column values for ``data``; record types with special columns override this."""
        return to_model_values(data)

    def _data(self, row: Any) -> DataT:
        """The dataclass for ``row``; the counterpart of ``_values``."""
        return from_model(self._data_type, row)

    def _stored(self, row: Any) -> Stored[DataT]:
        return Stored(
            id=row.id,
            data=self._data(row),
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
