"""Which tables the data file carries, under which key, in which order (parents before children).

A later record type joins the format by adding its model here and its properties to the schema.
"""

from __future__ import annotations

from dataclasses import dataclass

from backlog_app.storage.models import Base, InsurancePlan, Patient, Provider


@dataclass(frozen=True, slots=True)
class InterchangeTable:
    """One record type in the data file.

    Args:
        key: the top-level key in the JSON file.
        model: the SQLAlchemy model whose columns are the record's fields.
        single: True for the one-per-profile patient (an object or null, not a list).
    """

    key: str
    model: type[Base]
    single: bool = False


TABLES: tuple[InterchangeTable, ...] = (
    InterchangeTable("patient", Patient, single=True),
    InterchangeTable("insurance_plans", InsurancePlan),
    InterchangeTable("providers", Provider),
)
