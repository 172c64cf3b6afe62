"""Which tables the data file carries, under which key, in which order (parents before children).

A later record type joins the format by adding its model and its check here, and its properties to
the JSON Schema.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from backlog_app.domain.case_rules import (
    call_problems,
    case_problems,
    event_problems,
    normalized_codes,
)
from backlog_app.domain.cases import (
    CallData,
    CaseData,
    CaseEventData,
)
from backlog_app.domain.costs import CostData
from backlog_app.domain.costs_rules import cost_problems
from backlog_app.domain.deadline_rules import RuleKey, RuleOverride, Unit
from backlog_app.domain.documents import (
    DocumentData,
    DocumentKind,
    document_problems,
    normalize_tags,
)
from backlog_app.domain.log_records import (
    MedicationData,
    TherapyCourseData,
    TreatmentData,
    VisitLimitData,
)
from backlog_app.domain.log_validation import (
    check_in_problems,
    course_problems,
    medication_problems,
    odi_problems,
    treatment_problems,
    visit_limit_problems,
)
from backlog_app.domain.network import VerificationData, verification_problems
from backlog_app.domain.network_rules import CareTeamData, care_team_problems
from backlog_app.domain.records import PatientData, PlanData, ProviderData
from backlog_app.domain.validation import patient_problems, plan_problems, provider_problems
from backlog_app.services.cases import override_problems
from backlog_app.services.log import check_in_data, odi_data
from backlog_app.services.records import from_model
from backlog_app.storage.models import (
    Base,
    CareTeamMember,
    CaseRuleOverride,
    CheckIn,
    CheckInDose,
    CostEntry,
    CoverageCase,
    Document,
    DocumentLink,
    DocumentTag,
    DocumentText,
    InsurancePlan,
    Medication,
    NetworkVerification,
    OdiScore,
    Patient,
    PhoneCall,
    Provider,
    TherapyCourse,
    Treatment,
    VisitLimit,
)
from backlog_app.storage.models import CaseEvent as CaseEventRow

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
        optional: the key may be missing from files written before this record type joined
            the format; a missing key means no records.
        unique: groups of fields no two records may share (besides the id).
        later_columns: columns added after the table joined the format; older files lack them
            and they read as null.
    """

    key: str
    model: type[Base]
    check: RecordCheck
    single: bool = False
    optional: bool = False
    unique: tuple[tuple[str, ...], ...] = ()
    later_columns: frozenset[str] = frozenset()


def check_as(data_type: type[DataT], rule: Callable[[DataT, dt.date], list[str]]) -> RecordCheck:
    """A RecordCheck that builds the record's dataclass and applies a domain rule to it."""

    def check(values: dict[str, Any], today: dt.date) -> list[str]:
        return rule(from_model(data_type, _Values(values)), today)

    return check


class _Values:
    """Lets ``from_model`` read a dict of decoded values as if it were a row."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def _check_check_in(values: dict[str, Any], today: dt.date) -> list[str]:
    return check_in_problems(check_in_data(_Values(values), []), today, None)


def _check_odi(values: dict[str, Any], today: dt.date) -> list[str]:
    return odi_problems(odi_data(_Values(values)), today, None)


def _check_document(values: dict[str, Any], today: dt.date) -> list[str]:
    data = DocumentData(
        kind=DocumentKind(values["kind"]),
        title=values["title"],
        document_date=values["document_date"],
        provider_id=values["provider_id"],
        notes=values["notes"],
    )
    return document_problems(data, today)


def _check_tag(values: dict[str, Any], _today: dt.date) -> list[str]:
    tag = values["tag"]
    if normalize_tags((tag,)) != (tag,) or "," in tag:
        return [f"The tag “{tag}” has extra spaces or a comma; commas separate tags."]
    return []


_LINK_TARGETS = (
    "treatment_id",
    "course_id",
    "medication_id",
    "case_id",
    "case_event_id",
    "cost_id",
)


def _check_link(values: dict[str, Any], _today: dt.date) -> list[str]:
    targets = [values[key] for key in _LINK_TARGETS]
    if sum(target is not None for target in targets) != 1:
        return ["A document link must point at exactly one record."]
    return []


def _check_case(values: dict[str, Any], today: dt.date) -> list[str]:
    data = from_model(CaseData, _Values(values))
    problems = case_problems(data, today)
    if not problems and normalized_codes(data) != data:
        problems.append("The codes are not written as BackLog writes them (“63030, 69990”).")
    return problems


def _check_event(values: dict[str, Any], today: dt.date) -> list[str]:
    # Rules between events (a decision before its filing) need the whole timeline; the forms
    # apply them, and a file written by BackLog passed them when it was made.
    return event_problems(from_model(CaseEventData, _Values(values)), (), today)


def _check_override(values: dict[str, Any], _today: dt.date) -> list[str]:
    return override_problems(
        RuleOverride(
            RuleKey(values["rule"]), values["amount"], Unit(values["unit"]), values["note"]
        )
    )


def _no_rules(_values: dict[str, Any], _today: dt.date) -> list[str]:
    return []  # doses: the schema checks the ranges, the database the references


def _undated(
    rule: Callable[[Any, dt.date, dt.date | None], list[str]],
) -> Callable[[Any, dt.date], list[str]]:
    return lambda data, today: rule(data, today, None)


TABLES: tuple[InterchangeTable, ...] = (
    InterchangeTable("patient", Patient, check_as(PatientData, patient_problems), single=True),
    InterchangeTable("insurance_plans", InsurancePlan, check_as(PlanData, plan_problems)),
    InterchangeTable(
        "providers", Provider, check_as(ProviderData, lambda data, _today: provider_problems(data))
    ),
    InterchangeTable(
        "visit_limits",
        VisitLimit,
        check_as(VisitLimitData, lambda data, _today: visit_limit_problems(data)),
    ),
    InterchangeTable(
        "medications", Medication, check_as(MedicationData, _undated(medication_problems))
    ),
    InterchangeTable(
        "therapy_courses", TherapyCourse, check_as(TherapyCourseData, _undated(course_problems))
    ),
    InterchangeTable(
        "treatments", Treatment, check_as(TreatmentData, _undated(treatment_problems))
    ),
    InterchangeTable("check_ins", CheckIn, _check_check_in),
    InterchangeTable("check_in_doses", CheckInDose, _no_rules),
    InterchangeTable("odi_scores", OdiScore, _check_odi),
    # Cases and calls joined the format after the document vault; older files lack these keys.
    InterchangeTable("coverage_cases", CoverageCase, _check_case, optional=True),
    InterchangeTable("case_events", CaseEventRow, _check_event, optional=True),
    InterchangeTable(
        "case_rule_overrides",
        CaseRuleOverride,
        _check_override,
        optional=True,
        unique=(("case_id", "rule"),),
    ),
    InterchangeTable("phone_calls", PhoneCall, check_as(CallData, call_problems), optional=True),
    # Network checks, care teams and costs joined the format after the cases.
    InterchangeTable(
        "network_verifications",
        NetworkVerification,
        check_as(VerificationData, verification_problems),
        optional=True,
    ),
    InterchangeTable(
        "care_team_members",
        CareTeamMember,
        check_as(CareTeamData, lambda data, _today: care_team_problems(data, ())),
        optional=True,
        unique=(("case_id", "role", "provider_id"),),
    ),
    InterchangeTable("cost_entries", CostEntry, check_as(CostData, cost_problems), optional=True),
    # Documents joined the format after the treatment log; older files have none of these keys.
    InterchangeTable("documents", Document, _check_document, optional=True, unique=(("sha256",),)),
    InterchangeTable(
        "document_tags", DocumentTag, _check_tag, optional=True, unique=(("document_id", "tag"),)
    ),
    InterchangeTable(
        "document_links",
        DocumentLink,
        _check_link,
        optional=True,
        later_columns=frozenset({"case_id", "case_event_id", "cost_id"}),
    ),
    InterchangeTable("document_texts", DocumentText, _no_rules, optional=True),
)
