"""What the readiness checklist reads (the record's facts) and what it says (results, evidence).

Plain data only: the service fills ``ReadinessFacts`` from the database in one read, tests build
it from constructed records, and ``domain/readiness.py`` turns it into a checklist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from backlog_app.domain.documents import DocumentKind
from backlog_app.domain.log_records import (
    MedicationData,
    OdiScoreData,
    TherapyCourseData,
    TreatmentData,
    TreatmentKind,
)
from backlog_app.domain.records import ProviderRole
from backlog_app.domain.summary import CareSummary, ScoredDay, summarize_care

# Words whose presence in a document's text the service looks for (lower case); criteria of kind
# document_on_file add their own words.
NICOTINE_WORDS = ("nicotine", "cotinine")
PSYCH_WORD = "psych"


class CheckStatus(StrEnum):
    """Where one criterion stands against the record."""

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {
            CheckStatus.MET: "Met",
            CheckStatus.NOT_MET: "Not met",
            CheckStatus.UNKNOWN: "Unknown",
        }[self]

    @property
    def mark(self) -> str:
        """A sign to show beside the label (never instead of it): ✓, ✗ or ?."""
        return {CheckStatus.MET: "✓", CheckStatus.NOT_MET: "✗", CheckStatus.UNKNOWN: "?"}[self]


class EvidenceKind(StrEnum):
    """Which kind of record a piece of evidence is (the UI opens the right page for it)."""

    TREATMENT = "treatment"
    COURSE = "course"
    MEDICATION = "medication"
    DOCUMENT = "document"
    ODI = "odi"
    CHECK_INS = "check_ins"  # daily check-ins around ``day``; no single record id


@dataclass(frozen=True, slots=True)
class Evidence:
    """A record that supports (or shows the gap in) a criterion: "MRI, 31 Jan 2026"."""

    kind: EvidenceKind
    record_id: int | None
    label: str
    day: dt.date | None


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One criterion checked against the record.

    ``finding`` says what BackLog found, in plain words; ``todo`` what to do when the criterion
    is not met or unknown (None when met).
    """

    key: str
    label: str
    status: CheckStatus
    finding: str
    evidence: tuple[Evidence, ...]
    todo: str | None
    source: str = ""
    note: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentFact:
    """What the checklist reads of one document in the vault (not in the trash).

    ``text_mentions`` holds the words (lower case) that its searchable text contains, of those
    the service was asked to look for.
    """

    id: int
    kind: DocumentKind
    title: str
    day: dt.date | None
    tags: tuple[str, ...] = ()
    text_mentions: frozenset[str] = frozenset()
    provider_id: int | None = None

    def names(self, word: str) -> bool:
        """Whether the title or a tag contains ``word`` (any case)."""
        word = word.casefold()
        return word in self.title.casefold() or any(word in tag.casefold() for tag in self.tags)

    def mentions(self, word: str) -> bool:
        """Whether the title, a tag or the text contains ``word``."""
        return self.names(word) or word.casefold() in self.text_mentions


@dataclass(frozen=True, slots=True)
class ReadinessFacts:
    """Everything the checklist needs about one patient and one case.

    Records come with their ids (so results can link to them); ``summary`` is the care summary
    of all of them (``build`` makes it). ``visit_limits``, ``plan_year_start`` and ``plan_name``
    are the case's plan's (None: the case has no plan); ``diagnosis_codes`` the case's ICD-10
    codes.
    """

    summary: CareSummary
    treatments: Mapping[int, TreatmentData] = field(default_factory=dict)
    courses: Mapping[int, TherapyCourseData] = field(default_factory=dict)
    medications: Mapping[int, MedicationData] = field(default_factory=dict)
    odi_scores: Mapping[int, OdiScoreData] = field(default_factory=dict)
    documents: Sequence[DocumentFact] = ()
    provider_roles: Mapping[int, ProviderRole] = field(default_factory=dict)
    visit_limits: Mapping[TreatmentKind, int] = field(default_factory=dict)
    plan_year_start: dt.date | None = None
    plan_name: str | None = None
    birth_date: dt.date | None = None
    diagnosis_codes: tuple[str, ...] = ()

    @classmethod
    def build(
        cls,
        *,
        today: dt.date,
        days: Iterable[ScoredDay] = (),
        treatments: Mapping[int, TreatmentData] | None = None,
        courses: Mapping[int, TherapyCourseData] | None = None,
        medications: Mapping[int, MedicationData] | None = None,
        odi_scores: Mapping[int, OdiScoreData] | None = None,
        documents: Sequence[DocumentFact] = (),
        provider_roles: Mapping[int, ProviderRole] | None = None,
        visit_limits: Mapping[TreatmentKind, int] | None = None,
        plan_year_start: dt.date | None = None,
        plan_name: str | None = None,
        birth_date: dt.date | None = None,
        diagnosis_codes: Sequence[str] = (),
    ) -> ReadinessFacts:
        """The facts, with the care summary of everything recorded up to ``today``."""
        treatments = dict(treatments or {})
        courses = dict(courses or {})
        medications = dict(medications or {})
        odi_scores = dict(odi_scores or {})
        summary = summarize_care(
            days=days,
            medications=medications.values(),
            treatments=treatments.values(),
            courses=courses,
            odi_scores=odi_scores.values(),
            since=None,
            until=None,
            today=today,
        )
        return cls(
            summary=summary,
            treatments=treatments,
            courses=courses,
            medications=medications,
            odi_scores=odi_scores,
            documents=tuple(documents),
            provider_roles=dict(provider_roles or {}),
            visit_limits=dict(visit_limits or {}),
            plan_year_start=plan_year_start,
            plan_name=plan_name,
            birth_date=birth_date,
            diagnosis_codes=tuple(diagnosis_codes),
        )
