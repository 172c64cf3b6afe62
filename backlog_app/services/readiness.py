"""A case's readiness checklist, and the criteria it uses: shipped defaults plus the user's own.

The shipped criteria are ``backlog_app/data/readiness_criteria.json``. A user who changes a
procedure's numbers gets a ``readiness-criteria.json`` in the profile folder holding only the
procedures they changed; each replaces the shipped entry of the same name. The record is read in
one database session, then checked by ``domain/readiness.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import logging
import os
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backlog_app.domain.case_rules import (
    split_codes,
)
from backlog_app.domain.cases import (
    Procedure,
)
from backlog_app.domain.documents import DocumentKind
from backlog_app.domain.log_records import (
    MedicationData,
    Side,
    TherapyCourseData,
    TreatmentData,
    TreatmentKind,
)
from backlog_app.domain.readiness import Readiness, evaluate
from backlog_app.domain.readiness_criteria import (
    CriteriaError,
    CriteriaSet,
    Criterion,
    CriterionKind,
    ProcedureCriteria,
)
from backlog_app.domain.readiness_facts import NICOTINE_WORDS, DocumentFact, ReadinessFacts
from backlog_app.domain.readiness_format import criteria_document, parse_criteria
from backlog_app.domain.records import ProviderRole
from backlog_app.domain.summary import DayScores
from backlog_app.errors import UserError
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession
from backlog_app.services.log import odi_data
from backlog_app.services.records import from_model
from backlog_app.storage.backup import fsync_dir
from backlog_app.storage.models import (
    CheckIn,
    CoverageCase,
    Document,
    DocumentTag,
    DocumentText,
    InsurancePlan,
    Medication,
    OdiScore,
    Patient,
    Provider,
    TherapyCourse,
    Treatment,
    VisitLimit,
)

log = logging.getLogger("backlog.readiness")

USER_FILE_NAME = "readiness-criteria.json"
_USER_FILE_ABOUT = (
    "Your own readiness criteria: each procedure here replaces BackLog's defaults for it.",
    "BackLog writes this file when you change a procedure's criteria in the app; its format is "
    "described in BackLog's readiness_criteria.json. Delete an entry (or the file) to go back to "
    "the defaults.",
)


# --- criteria --------------------------------------------------------------------------------


@functools.cache
def shipped_criteria() -> CriteriaSet:
    """The criteria that ship with BackLog (read once)."""
    text = (
        resources.files("backlog_app")
        .joinpath("data/readiness_criteria.json")
        .read_text(encoding="utf-8")
    )
    return parse_criteria(json.loads(text))


def user_criteria_path(profile: ProfileSession) -> Path:
    return profile.paths.root / USER_FILE_NAME


def _read_user_file(path: Path) -> CriteriaSet | None:
    """The user's criteria, or None when there is no file.

    Raises:
        UserError: the file cannot be read or is not valid, naming the file and the problem.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise _file_error(path, f"it could not be read ({exc})") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _file_error(
            path, f"it is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    try:
        return parse_criteria(data)
    except CriteriaError as exc:
        listed = " ".join(exc.problems[:5])
        raise _file_error(path, f"it has problems: {listed}") from exc


def _file_error(path: Path, problem: str) -> UserError:
    return UserError(
        f"Your readiness criteria file {path} cannot be used: {problem} "
        "Fix the file, or delete it to use BackLog's default criteria."
    )


def load_criteria(profile: ProfileSession) -> CriteriaSet:
    """The shipped criteria with the user's own entries in their place.

    Raises:
        UserError: the user's file is broken (it is left as it is).
    """
    user = _read_user_file(user_criteria_path(profile))
    shipped = shipped_criteria()
    return shipped.overlaid(user) if user is not None else shipped


def save_procedure_criteria(
    profile: ProfileSession, procedure: Procedure, criteria: Sequence[Criterion] | None
) -> None:
    """Keep ``criteria`` as the user's own for ``procedure``; None goes back to the defaults.

    The user's file is written atomically (a temporary file, synced, then renamed over it).

    Raises:
        UserError: the user's file is broken (it is not overwritten), or cannot be written.
    """
    path = user_criteria_path(profile)
    current = _read_user_file(path)
    entries: dict[str, ProcedureCriteria] = dict(current.entries) if current else {}
    aliases: dict[str, str] = dict(current.aliases) if current else {}
    aliases.pop(procedure.value, None)
    if criteria is None:
        entries.pop(procedure.value, None)
    else:
        base = load_criteria(profile).for_procedure(procedure)
        entries[procedure.value] = ProcedureCriteria(tuple(criteria), base.source, base.note)
    document = criteria_document(entries, _USER_FILE_ABOUT)
    if aliases:
        document["procedures"].update({name: {"same_as": t} for name, t in aliases.items()})
    parse_criteria(document)  # what is written must read back; a bug here must not break the file
    if not entries and not aliases:
        _remove(path)
    else:
        _write_atomically(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    log.info("readiness criteria saved (%s)", "reset" if criteria is None else "changed")
    profile.changes.announce(Change.CASES)


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        partial.replace(path)  # os.replace: atomic on POSIX and Windows
        fsync_dir(path.parent)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise UserError(
            f"BackLog could not save your criteria to {path}: {exc.strerror or exc}."
        ) from exc


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise UserError(
            f"BackLog could not remove {path} to go back to the defaults: {exc.strerror or exc}."
        ) from exc


# --- the checklist ---------------------------------------------------------------------------


def case_readiness(profile: ProfileSession, case_id: int) -> Readiness:
    """The readiness checklist of case ``case_id``.

    Raises:
        UserError: the case no longer exists, or the user's criteria file is broken.
    """
    criteria = load_criteria(profile)
    today = profile.clock()
    with profile.database.read() as session:
        case = session.get(CoverageCase, case_id)
        if case is None:
            raise UserError("That case no longer exists; it may have been deleted.")
        procedure = Procedure(case.procedure)
        entry = criteria.for_procedure(procedure)
        facts = _read_facts(session, case, entry.criteria, today)
    return evaluate(procedure, criteria, facts, today)


def _text_search(criteria: Iterable[Criterion]) -> tuple[frozenset[str], frozenset[DocumentKind]]:
    """The words to look for in documents' text, and in which kinds of document (none: any)."""
    words: set[str] = set()
    kinds: set[DocumentKind] = set()
    for criterion in criteria:
        if criterion.kind is CriterionKind.NICOTINE_TEST:
            words.update(NICOTINE_WORDS)
            kinds.add(DocumentKind.LAB_RESULT)
        elif criterion.kind is CriterionKind.DOCUMENT_ON_FILE:
            words.update(word.casefold() for word in criterion.words)
            kinds.update(criterion.document_kinds or DocumentKind)
    return frozenset(words), frozenset(kinds)


def _read_facts(
    session: Session, case: CoverageCase, criteria: Sequence[Criterion], today: dt.date
) -> ReadinessFacts:
    """Every record the checklist reads, in one session."""
    plan = session.get(InsurancePlan, case.plan_id) if case.plan_id else None
    limits: dict[TreatmentKind, int] = {}
    if plan is not None:
        for kind, visits in session.execute(
            select(VisitLimit.kind, VisitLimit.visits_per_year).where(VisitLimit.plan_id == plan.id)
        ):
            limits[TreatmentKind(kind)] = visits
    birth = session.scalar(select(Patient.date_of_birth).order_by(Patient.id).limit(1))
    days = [
        DayScores(*row)
        for row in session.execute(
            select(
                CheckIn.day,
                CheckIn.pain_now,
                CheckIn.pain_average,
                CheckIn.peg_enjoyment,
                CheckIn.peg_activity,
            ).where(CheckIn.day <= today)
        )
    ]
    return ReadinessFacts.build(
        today=today,
        days=days,
        treatments=_treatments(session),
        courses={
            row.id: from_model(TherapyCourseData, row)
            for row in session.scalars(select(TherapyCourse))
        },
        medications={
            row.id: from_model(MedicationData, row) for row in session.scalars(select(Medication))
        },
        odi_scores={row.id: odi_data(row) for row in session.scalars(select(OdiScore))},
        documents=_documents(session, *_text_search(criteria)),
        provider_roles={
            provider_id: ProviderRole(role)
            for provider_id, role in session.execute(select(Provider.id, Provider.role))
        },
        visit_limits=limits,
        plan_year_start=plan.plan_year_start if plan is not None else None,
        plan_name=plan.insurer if plan is not None else None,
        birth_date=birth,
        diagnosis_codes=split_codes(case.icd10_codes),
    )


# In TreatmentData's field order, which _treatments relies on.
_TREATMENT_FIELDS = [field.name for field in dataclasses.fields(TreatmentData)]


def _treatments(session: Session) -> dict[int, TreatmentData]:
    # Plain columns rather than ORM objects: ten years are 2,000 treatments (as in the log).
    columns = [Treatment.id, *(getattr(Treatment, name) for name in _TREATMENT_FIELDS)]
    kinds = {member.value: member for member in TreatmentKind}
    sides = {member.value: member for member in Side}
    treatments = {}
    for row in session.execute(select(*columns)):
        record_id, kind, day, provider, course, level, side, *rest = row
        treatments[record_id] = TreatmentData(
            kinds[kind], day, provider, course, level, sides[side] if side else None, *rest
        )
    return treatments


def _documents(
    session: Session, words: frozenset[str], text_kinds: frozenset[DocumentKind]
) -> list[DocumentFact]:
    rows = session.execute(
        select(
            Document.id, Document.kind, Document.title, Document.document_date, Document.provider_id
        ).where(Document.trashed_at.is_(None))
    ).all()
    tags: dict[int, list[str]] = {}
    for document_id, tag in session.execute(
        select(DocumentTag.document_id, DocumentTag.tag).order_by(
            DocumentTag.document_id, DocumentTag.position
        )
    ):
        tags.setdefault(document_id, []).append(tag)
    mentions = _text_mentions(session, words, text_kinds)
    return [
        DocumentFact(
            id=document_id,
            kind=DocumentKind(kind),
            title=title,
            day=day,
            tags=tuple(tags.get(document_id, ())),
            text_mentions=mentions.get(document_id, frozenset()),
            provider_id=provider_id,
        )
        for document_id, kind, title, day, provider_id in rows
    ]


def _text_mentions(
    session: Session, words: frozenset[str], kinds: frozenset[DocumentKind]
) -> dict[int, frozenset[str]]:
    """Which of ``words`` the text of each document of ``kinds`` contains (SQLite searches)."""
    if not words or not kinds:
        return {}
    ordered = sorted(words)
    body = func.lower(DocumentText.body)
    tests: list[Any] = [func.instr(body, word) > 0 for word in ordered]
    query = (
        select(DocumentText.document_id, *tests)
        .join(Document, Document.id == DocumentText.document_id)
        .where(Document.trashed_at.is_(None), Document.kind.in_([k.value for k in kinds]))
    )
    found: dict[int, frozenset[str]] = {}
    for document_id, *hits in session.execute(query):
        present = frozenset(word for word, hit in zip(ordered, hits, strict=True) if hit)
        if present:
            found[document_id] = present
    return found
