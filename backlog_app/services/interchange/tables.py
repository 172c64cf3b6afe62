"""Which tables the data file carries, under which key, in which order (parents before children).

A later record type joins the format by adding its model and its check here, and its properties to
the JSON Schema.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from backlog_app.domain.records import PatientData, PlanData, ProviderData
from backlog_app.domain.validation import patient_problems, plan_problems, provider_problems
from backlog_app.services.records import from_model
from backlog_app.storage.models import Base, InsurancePlan, Patient, Provider

RecordCheck = Callable[[dict[str, Any], dt.date], list[str]]
DataT = TypeVar("DataT")


@dataclass(frozen=True, slots=True)
class InterchangeTable:
    """One record type in the data file.

    Args:
        key: the top-level key in the JSON file.
        model: the SQLAlchemy model whose columns are the record's fields.
        check: the same rules the forms apply, on one decoded record; returns problems.
        single: True for the one-per-profile patient (an object or null, not a list).
    """

    key: str
    model: type[Base]
    check: RecordCheck
    single: bool = False


def check_as(data_type: type[DataT], rule: Callable[[DataT, dt.date], list[str]]) -> RecordCheck:
    """A RecordCheck that builds the record's dataclass and applies a domain rule to it."""

    def check(values: dict[str, Any], today: dt.date) -> list[str]:
        return rule(from_model(data_type, _Values(values)), today)

    return check


class _Values:
    """Lets ``from_model`` read a dict of decoded values as if it were a row."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


TABLES: tuple[InterchangeTable, ...] = (
    InterchangeTable("patient", Patient, check_as(PatientData, patient_problems), single=True),
    InterchangeTable("insurance_plans", InsurancePlan, check_as(PlanData, plan_problems)),
    InterchangeTable(
        "providers", Provider, check_as(ProviderData, lambda data, _today: provider_problems(data))
    ),
)
