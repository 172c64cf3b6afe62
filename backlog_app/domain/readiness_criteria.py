"""Readiness criteria as data: what insurers typically want to see before approving a procedure.

The criteria ship with the app (``backlog_app/data/readiness_criteria.json``) and the user may
change their numbers per procedure (a ``readiness-criteria.json`` in the profile folder). This
module holds the criteria and the rules between their numbers, and lists the numbers a user may
edit (``editable_numbers``, ``with_numbers``). Files are read and written by
``readiness_format``; labels are worded by ``readiness_labels``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from backlog_app.domain.cases import Procedure
from backlog_app.domain.documents import DocumentKind
from backlog_app.domain.log_records import TreatmentKind

CRITERIA_FORMAT = "backlog-readiness-criteria"
CRITERIA_VERSION = 1
DEFAULT_ENTRY = "default"


class CriterionKind(StrEnum):
    """What a criterion checks; each kind reads its own parameters."""

    CONSERVATIVE_CARE_WEEKS = "conservative_care_weeks"
    COMPLETED_PT_COURSE = "completed_pt_course"
    MEDICATION_TRIALS = "medication_trials"
    IMAGING_WITHIN_MONTHS = "imaging_within_months"
    SPECIALIST_VISIT = "specialist_visit"
    SYMPTOM_DURATION = "symptom_duration"
    INJECTION_RELIEF = "injection_relief"
    PAIN_SCORE_MIN = "pain_score_min"
    ODI_MIN = "odi_min"
    PSYCH_EVALUATION = "psych_evaluation"
    NICOTINE_TEST = "nicotine_test"
    DOCUMENT_ON_FILE = "document_on_file"
    VISIT_CAP = "visit_cap"
    AGE_RANGE = "age_range"


class CriteriaError(ValueError):
    """Criteria data that cannot be used; ``problems`` says why, one plain sentence each."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


@dataclass(frozen=True, slots=True)
class Criterion:
    """One thing the insurer wants to see, with its numbers. Unused parameters are None."""

    key: str
    kind: CriterionKind
    source: str
    weeks: int | None = None
    months: int | None = None
    days: int | None = None
    within_months: int | None = None
    count: int | None = None
    percent: int | None = None
    score: int | None = None
    min_age: int | None = None
    max_age: int | None = None
    treatments: tuple[TreatmentKind, ...] = ()
    document_kinds: tuple[DocumentKind, ...] = ()
    words: tuple[str, ...] = ()
    with_outcome: bool = False
    repeat_only: bool = False
    include_primary_care: bool = False
    label: str | None = None  # only document_on_file has a written label; others are worded
    condition: str | None = None  # "spondylolisthesis": when the criterion applies, in words
    when_icd10: tuple[str, ...] = ()
    unless_icd10: tuple[str, ...] = ()
    note: str | None = None
    enabled: bool = True

    def applies_to(self, diagnosis_codes: Sequence[str]) -> bool:
        """Whether the criterion applies to a case with these ICD-10 codes (none: it does)."""
        if not self.enabled:
            return False
        if not diagnosis_codes:
            return True
        codes = [code.upper() for code in diagnosis_codes]

        def has(prefixes: tuple[str, ...]) -> bool:
            return any(code.startswith(prefix.upper()) for code in codes for prefix in prefixes)

        if self.when_icd10 and not has(self.when_icd10):
            return False
        return not (self.unless_icd10 and has(self.unless_icd10))


@dataclass(frozen=True, slots=True)
class ProcedureCriteria:
    """The criteria of one procedure (or of the default entry)."""

    criteria: tuple[Criterion, ...]
    source: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class CriteriaSet:
    """Criteria per procedure. ``aliases`` maps a procedure to the one whose criteria it shares.

    ``customized`` names the entries that came from the user's own file.
    """

    entries: Mapping[str, ProcedureCriteria]
    aliases: Mapping[str, str] = field(default_factory=dict)
    customized: frozenset[str] = frozenset()

    def entry_key(self, procedure: Procedure) -> str:
        """Which entry holds the criteria of ``procedure`` (following "same_as")."""
        key = procedure.value
        seen = {key}
        while key in self.aliases:
            key = self.aliases[key]
            if key in seen:  # parse_criteria refuses cycles; this is a guard only
                break
            seen.add(key)
        return key if key in self.entries else DEFAULT_ENTRY

    def for_procedure(self, procedure: Procedure) -> ProcedureCriteria:
        return self.entries[self.entry_key(procedure)]

    def is_customized(self, procedure: Procedure) -> bool:
        return procedure.value in self.customized or self.entry_key(procedure) in self.customized

    def overlaid(self, user: CriteriaSet) -> CriteriaSet:
        """These criteria with each entry of ``user`` replacing the entry of the same name."""
        entries = dict(self.entries)
        aliases = dict(self.aliases)
        for key, entry in user.entries.items():
            entries[key] = entry
            aliases.pop(key, None)
        for key, target in user.aliases.items():
            aliases[key] = target
            entries.pop(key, None)
        check_aliases(entries, aliases, [])
        names = set(user.entries) | set(user.aliases)
        return CriteriaSet(entries, aliases, frozenset(names))


# --- parameters -------------------------------------------------------------------------------

NUMBER_NAMES = (
    "weeks",
    "months",
    "days",
    "within_months",
    "count",
    "percent",
    "score",
    "min_age",
    "max_age",
)
SWITCH_NAMES = ("with_outcome", "repeat_only", "include_primary_care")
LIST_NAMES = ("treatments", "document_kinds", "words", "when_icd10", "unless_icd10")
TEXT_NAMES = ("label", "condition", "note")
COMMON_NAMES = {
    "key",
    "kind",
    "source",
    "condition",
    "when_icd10",
    "unless_icd10",
    "note",
    "enabled",
}


@dataclass(frozen=True, slots=True)
class _Shape:
    """The parameters of one kind: required ones, optional ones, and "one of" pairs."""

    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    one_of: tuple[str, ...] = ()  # exactly one of these (weeks or months)


def _shape(required: str = "", optional: str = "", one_of: str = "") -> _Shape:
    return _Shape(frozenset(required.split()), frozenset(optional.split()), tuple(one_of.split()))


KIND_SHAPES: dict[CriterionKind, _Shape] = {
    CriterionKind.CONSERVATIVE_CARE_WEEKS: _shape(
        optional="within_months count", one_of="weeks months"
    ),
    CriterionKind.COMPLETED_PT_COURSE: _shape(optional="within_months treatments"),
    CriterionKind.MEDICATION_TRIALS: _shape("count", "with_outcome within_months"),
    CriterionKind.IMAGING_WITHIN_MONTHS: _shape(optional="months treatments"),
    CriterionKind.SPECIALIST_VISIT: _shape(optional="within_months count include_primary_care"),
    CriterionKind.SYMPTOM_DURATION: _shape(one_of="weeks months"),
    CriterionKind.INJECTION_RELIEF: _shape("treatments percent", "count weeks repeat_only months"),
    CriterionKind.PAIN_SCORE_MIN: _shape("score"),
    CriterionKind.ODI_MIN: _shape("score"),
    CriterionKind.PSYCH_EVALUATION: _shape(optional="within_months"),
    CriterionKind.NICOTINE_TEST: _shape(optional="weeks"),
    CriterionKind.DOCUMENT_ON_FILE: _shape("label words", "document_kinds within_months"),
    CriterionKind.VISIT_CAP: _shape("treatments", "count days months"),
    CriterionKind.AGE_RANGE: _shape(optional="min_age max_age"),
}


@dataclass(frozen=True, slots=True)
class NumberField:
    """One number of a criterion that the user may change.

    ``none_text`` is set when the number may be left out, and says what that means ("any
    date"); an editor shows it for the value 0 (``minimum`` is then 1).
    """

    name: str
    label: str
    value: int | None
    minimum: int
    maximum: int
    suffix: str = ""
    none_text: str | None = None


# name: (label, minimum, maximum, suffix)
_NUMBER_SPECS: dict[str, tuple[str, int, int, str]] = {
    "weeks": ("Weeks", 1, 520, " weeks"),
    "months": ("Months", 1, 120, " months"),
    "days": ("Days", 1, 3650, " days"),
    "within_months": ("In the last", 1, 120, " months"),
    "count": ("How many", 1, 100, ""),
    "percent": ("Relief at least", 1, 100, "%"),
    "score": ("At least", 0, 100, ""),
    "min_age": ("Youngest age", 0, 120, " years"),
    "max_age": ("Oldest age", 0, 120, " years"),
}
# What leaving an optional number out means, per kind and number.
_NONE_TEXTS: dict[tuple[CriterionKind, str], str] = {
    (CriterionKind.CONSERVATIVE_CARE_WEEKS, "within_months"): "any time",
    (CriterionKind.CONSERVATIVE_CARE_WEEKS, "count"): "one is enough",
    (CriterionKind.COMPLETED_PT_COURSE, "within_months"): "any time",
    (CriterionKind.MEDICATION_TRIALS, "within_months"): "any time",
    (CriterionKind.IMAGING_WITHIN_MONTHS, "months"): "any date",
    (CriterionKind.SPECIALIST_VISIT, "within_months"): "any time",
    (CriterionKind.SPECIALIST_VISIT, "count"): "one",
    (CriterionKind.INJECTION_RELIEF, "count"): "one",
    (CriterionKind.INJECTION_RELIEF, "weeks"): "not asked",
    (CriterionKind.INJECTION_RELIEF, "months"): "not asked",
    (CriterionKind.PSYCH_EVALUATION, "within_months"): "any time",
    (CriterionKind.NICOTINE_TEST, "weeks"): "any date",
    (CriterionKind.DOCUMENT_ON_FILE, "within_months"): "any time",
    (CriterionKind.VISIT_CAP, "count"): "the plan's limit",
    (CriterionKind.AGE_RANGE, "min_age"): "no limit",
    (CriterionKind.AGE_RANGE, "max_age"): "no limit",
}
_LABEL_OVERRIDES: dict[tuple[CriterionKind, str], str] = {
    (CriterionKind.CONSERVATIVE_CARE_WEEKS, "count"): "Kinds of care",
    (CriterionKind.MEDICATION_TRIALS, "count"): "Medication trials",
    (CriterionKind.SPECIALIST_VISIT, "count"): "Visits",
    (CriterionKind.INJECTION_RELIEF, "count"): "Injections",
    (CriterionKind.INJECTION_RELIEF, "weeks"): "Relief lasting",
    (CriterionKind.INJECTION_RELIEF, "months"): "Months since the last",
    (CriterionKind.IMAGING_WITHIN_MONTHS, "months"): "At most (months old)",
    (CriterionKind.NICOTINE_TEST, "weeks"): "At most (weeks old)",
    (CriterionKind.VISIT_CAP, "count"): "Visits allowed",
    (CriterionKind.VISIT_CAP, "days"): "Within (days)",
    (CriterionKind.VISIT_CAP, "months"): "Within (months)",
    (CriterionKind.PAIN_SCORE_MIN, "score"): "Average pain at least (0–10)",
    (CriterionKind.ODI_MIN, "score"): "ODI at least (%)",
}


def number_range(kind: CriterionKind, name: str) -> tuple[int, int]:
    _, low, high, _ = _NUMBER_SPECS[name]
    if kind is CriterionKind.PAIN_SCORE_MIN:
        return 0, 10
    return low, high


def editable_numbers(criterion: Criterion) -> list[NumberField]:
    """The numbers of ``criterion`` a user may change, in a sensible order.

    Of a "weeks or months" pair only the one in use is offered.
    """
    shape = KIND_SHAPES[criterion.kind]
    names = [n for n in NUMBER_NAMES if n in shape.required or n in shape.optional]
    chosen = [n for n in shape.one_of if getattr(criterion, n) is not None][:1]
    names = chosen + names
    fields = []
    for name in names:
        label, _, _, suffix = _NUMBER_SPECS[name]
        low, high = number_range(criterion.kind, name)
        none_text = _NONE_TEXTS.get((criterion.kind, name))
        # A visit cap's rolling window replaces the plan year; only the one in use is offered.
        rolling = criterion.kind is CriterionKind.VISIT_CAP and name in ("days", "months")
        if rolling and getattr(criterion, name) is None:
            continue
        if name in ("score",) and criterion.kind is CriterionKind.ODI_MIN:
            suffix = "%"
        fields.append(
            NumberField(
                name=name,
                label=_LABEL_OVERRIDES.get((criterion.kind, name), label),
                value=getattr(criterion, name),
                minimum=low,
                maximum=high,
                suffix=suffix,
                none_text=none_text if name not in shape.required else None,
            )
        )
    return fields


def with_numbers(criterion: Criterion, numbers: Mapping[str, int | None]) -> Criterion:
    """``criterion`` with some numbers changed.

    Raises:
        CriteriaError: a number is out of range, or a needed number is left out.
    """
    allowed = {f.name: f for f in editable_numbers(criterion)}
    problems = []
    changes: dict[str, int | None] = {}
    for name, value in numbers.items():
        spec = allowed.get(name)
        if spec is None:
            problems.append(f"“{name}” is not a number of this criterion.")
            continue
        if value is None:
            if spec.none_text is None:
                problems.append(f"{spec.label}: please give a number.")
                continue
        elif not spec.minimum <= value <= spec.maximum:
            problems.append(f"{spec.label}: use a number from {spec.minimum} to {spec.maximum}.")
            continue
        changes[name] = value
    updated = dataclasses.replace(criterion, **changes)  # type: ignore[arg-type]
    problems += cross_problems(updated, "")
    if problems:
        raise CriteriaError(problems)
    return updated


def check_aliases(
    entries: Mapping[str, ProcedureCriteria], aliases: Mapping[str, str], problems: list[str]
) -> None:
    for name in aliases:
        seen = [name]
        key = name
        while key in aliases:
            key = aliases[key]
            if key in seen:
                problems.append(f"“{name}”: “same_as” goes round in a circle ({' → '.join(seen)}).")
                break
            seen.append(key)


def cross_problems(c: Criterion, where: str) -> list[str]:
    """Rules between parameters: "weeks or months", ages in order, windows that make sense."""
    problems = []
    shape = KIND_SHAPES[c.kind]
    if shape.one_of:
        given = [n for n in shape.one_of if getattr(c, n) is not None]
        if len(given) != 1:
            problems.append(f"{where}give either “weeks” or “months” (one of them).")
    if c.kind is CriterionKind.VISIT_CAP and c.days is not None and c.months is not None:
        problems.append(f"{where}give either “days” or “months” for the window, not both.")
    if c.kind is CriterionKind.VISIT_CAP and (c.days or c.months) and c.count is None:
        problems.append(f"{where}a limit within a window of days or months needs “count”.")
    if c.kind is CriterionKind.AGE_RANGE:
        if c.min_age is None and c.max_age is None:
            problems.append(f"{where}give “min_age”, “max_age” or both.")
        elif c.min_age is not None and c.max_age is not None and c.min_age > c.max_age:
            problems.append(f"{where}the youngest age is above the oldest.")
    if c.kind is CriterionKind.INJECTION_RELIEF and c.months is not None and not c.repeat_only:
        problems.append(f"{where}“months” (time since the last) needs “repeat_only”: true.")
    return problems
