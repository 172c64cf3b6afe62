"""The readiness checklist: is the record ready for the insurer to approve this procedure?

``evaluate`` checks each criterion of the procedure (``domain/readiness_criteria.py``) against
the record's facts (``domain/readiness_facts.py``) and says, per criterion, met / not met /
unknown, what it found, the records that show it and what to do next. The rules of each check
are in ``readiness_care.py`` (care over time), ``readiness_clinical.py`` (imaging, injections,
scores) and ``readiness_documents.py`` (evaluations, lab tests, age). Criteria are typical payer criteria, never a plan's own policy: every
checklist carries ``CAVEAT``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from backlog_app.domain import readiness_care as care
from backlog_app.domain import readiness_clinical as clinical
from backlog_app.domain import readiness_documents as documents
from backlog_app.domain.cases import Procedure
from backlog_app.domain.readiness_criteria import (
    DEFAULT_ENTRY,
    CriteriaError,
    CriteriaSet,
    Criterion,
    CriterionKind,
    ProcedureCriteria,
)
from backlog_app.domain.readiness_evidence import Outcome
from backlog_app.domain.readiness_facts import (
    CheckResult,
    CheckStatus,
    DocumentFact,
    Evidence,
    EvidenceKind,
    ReadinessFacts,
)
from backlog_app.domain.readiness_format import parse_criteria
from backlog_app.domain.readiness_labels import criterion_label

__all__ = [
    "CAVEAT",
    "CheckResult",
    "CheckStatus",
    "CriteriaError",
    "CriteriaSet",
    "Criterion",
    "CriterionKind",
    "DocumentFact",
    "Evidence",
    "EvidenceKind",
    "ProcedureCriteria",
    "Readiness",
    "ReadinessFacts",
    "check",
    "evaluate",
    "parse_criteria",
]

CAVEAT = (
    "Criteria vary by insurer and change often; check your plan's own policy "
    "(the denial letter names it)."
)

_Check = Callable[[Criterion, ReadinessFacts, dt.date], Outcome]

_CHECKS: dict[CriterionKind, _Check] = {
    CriterionKind.CONSERVATIVE_CARE_WEEKS: care.conservative_care,
    CriterionKind.COMPLETED_PT_COURSE: care.completed_course,
    CriterionKind.MEDICATION_TRIALS: care.medication_trials,
    CriterionKind.SYMPTOM_DURATION: care.symptom_duration,
    CriterionKind.VISIT_CAP: care.visit_cap,
    CriterionKind.IMAGING_WITHIN_MONTHS: clinical.imaging,
    CriterionKind.SPECIALIST_VISIT: clinical.specialist_visit,
    CriterionKind.INJECTION_RELIEF: clinical.injection_relief,
    CriterionKind.PAIN_SCORE_MIN: clinical.pain_score,
    CriterionKind.ODI_MIN: clinical.odi,
    CriterionKind.PSYCH_EVALUATION: documents.psych_evaluation,
    CriterionKind.NICOTINE_TEST: documents.nicotine_test,
    CriterionKind.DOCUMENT_ON_FILE: documents.document_on_file,
    CriterionKind.AGE_RANGE: documents.age_range,
}


@dataclass(frozen=True, slots=True)
class Readiness:
    """The checklist of one case.

    Args:
        procedure: what the case asks for.
        results: one per criterion that applies, in the order of the criteria.
        source: where the criteria come from ("Aetna CPB 0194", "(general)").
        caveat: shown with every checklist.
        note: the criteria's own remark ("a red flag replaces the waiting period").
        customized: the user changed this procedure's criteria.
        general: BackLog has no criteria for this procedure and used the general ones.
    """

    procedure: Procedure
    results: tuple[CheckResult, ...]
    source: str
    caveat: str = CAVEAT
    note: str | None = None
    customized: bool = False
    general: bool = False

    @property
    def met(self) -> int:
        return sum(1 for r in self.results if r.status is CheckStatus.MET)

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def todos(self) -> list[str]:
        """What to do, in the criteria's order, for every criterion not met or unknown."""
        return [r.todo for r in self.results if r.status is not CheckStatus.MET and r.todo]

    @property
    def headline(self) -> str:
        """ "Ready to submit? 5 of 8 criteria met"."""
        return f"Ready to submit? {self.met} of {self.total} criteria met"


def check(criterion: Criterion, facts: ReadinessFacts, today: dt.date) -> CheckResult:
    """One criterion checked against the record."""
    outcome = _CHECKS[criterion.kind](criterion, facts, today)
    return CheckResult(
        key=criterion.key,
        label=criterion_label(criterion),
        status=outcome.status,
        finding=outcome.finding,
        evidence=outcome.evidence,
        todo=outcome.todo if outcome.status is not CheckStatus.MET else None,
        source=criterion.source,
        note=criterion.note,
    )


def evaluate(
    procedure: Procedure,
    criteria: CriteriaSet | ProcedureCriteria,
    facts: ReadinessFacts,
    today: dt.date,
) -> Readiness:
    """The checklist for ``procedure``: each criterion that applies, checked against ``facts``.

    Args:
        procedure: the case's procedure.
        criteria: every procedure's criteria (the procedure's entry is used, else the default
            entry), or the procedure's own entry.
        facts: the record, with ids.
        today: the day "within 6 months" and "in the last 3 months" count back from.

    A criterion that does not apply to the case's diagnosis codes, or that the user switched
    off, is left out.
    """
    customized = general = False
    if isinstance(criteria, CriteriaSet):
        general = criteria.entry_key(procedure) == DEFAULT_ENTRY
        customized = criteria.is_customized(procedure)
        entry = criteria.for_procedure(procedure)
    else:
        entry = criteria
    results = tuple(
        check(criterion, facts, today)
        for criterion in entry.criteria
        if criterion.applies_to(facts.diagnosis_codes)
    )
    return Readiness(
        procedure=procedure,
        results=results,
        source=entry.source,
        note=entry.note,
        customized=customized,
        general=general,
    )
