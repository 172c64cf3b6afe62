"""Readiness checks answered by documents and the patient record: psychological evaluation,
nicotine test, other documents, age.

A psychological evaluation, a nicotine test or another document is met when found, and otherwise
unknown, never "not met": BackLog may simply not have been told.
"""

from __future__ import annotations

import datetime as dt

from backlog_app.domain.dates import age_on
from backlog_app.domain.documents import DocumentKind
from backlog_app.domain.readiness_criteria import Criterion
from backlog_app.domain.readiness_evidence import (
    Outcome,
    document_evidence,
    in_last,
    met,
    not_met,
    plural,
    treatment_evidence,
    unknown,
    window_start,
)
from backlog_app.domain.readiness_facts import NICOTINE_WORDS, PSYCH_WORD, ReadinessFacts
from backlog_app.domain.records import ProviderRole

_NOTE_KINDS = frozenset({DocumentKind.CLINICAL_NOTE, DocumentKind.OTHER})


def _dated_within(day: dt.date | None, since: dt.date | None) -> bool:
    return since is None or day is None or day >= since


def psych_evaluation(c: Criterion, facts: ReadinessFacts, today: dt.date) -> Outcome:
    since = window_start(today, c.within_months)
    roles = facts.provider_roles
    documents = [
        d
        for d in facts.documents
        if _dated_within(d.day, since)
        and (
            (d.kind in _NOTE_KINDS and d.names(PSYCH_WORD))
            or (d.provider_id is not None and roles.get(d.provider_id) is ProviderRole.PSYCHOLOGIST)
        )
    ]
    visits = sorted(
        (
            (i, t)
            for i, t in facts.treatments.items()
            if _dated_within(t.day, since)
            and t.day <= today
            and (
                (
                    t.provider_id is not None
                    and roles.get(t.provider_id) is ProviderRole.PSYCHOLOGIST
                )
                or PSYCH_WORD in f"{t.result or ''} {t.notes or ''}".casefold()
            )
        ),
        key=lambda item: (item[1].day, item[0]),
    )
    evidence = [document_evidence(d) for d in documents] + [
        treatment_evidence(i, t) for i, t in reversed(visits)
    ]
    if evidence:
        return met(f"Found: {evidence[0].label}.", evidence)
    return unknown(
        f"BackLog found no psychological evaluation{in_last(c.within_months)} in your records.",
        "Ask your doctor's office whether the psychological evaluation was done; add the "
        "psychologist's report or clearance letter to Documents (kind Clinical note, tag "
        "“psych”).",
    )


def nicotine_test(c: Criterion, facts: ReadinessFacts, today: dt.date) -> Outcome:
    tests = sorted(
        (
            d
            for d in facts.documents
            if d.kind is DocumentKind.LAB_RESULT and any(d.mentions(w) for w in NICOTINE_WORDS)
        ),
        key=lambda d: d.day or dt.date.min,
        reverse=True,
    )
    todo = (
        "Ask your surgeon's office for the cotinine (nicotine) lab test they need before surgery, "
        "and add the result to Documents (kind Lab result)."
    )
    if not tests:
        return unknown("No nicotine (cotinine) test found in Documents.", todo)
    latest = tests[0]
    evidence = [document_evidence(d) for d in tests]
    cutoff = today - dt.timedelta(weeks=c.weeks) if c.weeks else None
    if cutoff is not None and latest.day is not None and latest.day < cutoff:
        return unknown(
            f"The latest nicotine test, {evidence[0].label}, is more than "
            f"{plural(c.weeks or 0, 'week')} old.",
            "Ask your surgeon's office for a new cotinine test, and add the result to Documents.",
            evidence,
        )
    return met(f"{evidence[0].label}; check that it shows no nicotine.", evidence)


def document_on_file(c: Criterion, facts: ReadinessFacts, today: dt.date) -> Outcome:
    since = window_start(today, c.within_months)
    found = [
        d
        for d in facts.documents
        if (not c.document_kinds or d.kind in c.document_kinds)
        and any(d.mentions(word) for word in c.words)
        and _dated_within(d.day, since)
    ]
    found.sort(key=lambda d: d.day or dt.date.min, reverse=True)
    if found:
        return met(
            f"Found: {document_evidence(found[0]).label}.", [document_evidence(d) for d in found]
        )
    kinds = ", ".join(k.label for k in c.document_kinds) or "any kind"
    words = ", ".join(f"“{w}”" for w in c.words)
    return unknown(
        f"No document mentioning {words} found in Documents{in_last(c.within_months)}.",
        f"When you have it, add it to Documents ({kinds}) with {words} in its title or tags.",
    )


def age_range(c: Criterion, facts: ReadinessFacts, today: dt.date) -> Outcome:
    if facts.birth_date is None:
        return unknown(
            "Your date of birth is not recorded.",
            "Add your date of birth on the Profile & Insurance page.",
        )
    age = age_on(facts.birth_date, today)
    low = c.min_age if c.min_age is not None else 0
    high = c.max_age if c.max_age is not None else 200
    if low <= age <= high:
        return met(f"You are {age}.")
    return not_met(
        f"You are {age}; the policy covers ages {_age_words(c)}.",
        "Ask your surgeon whether the insurer makes exceptions, and what reasons an appeal "
        "would need.",
    )


def _age_words(c: Criterion) -> str:
    if c.min_age is not None and c.max_age is not None:
        return f"{c.min_age} to {c.max_age}"
    if c.min_age is not None:
        return f"{c.min_age} and over"
    return f"up to {c.max_age}"
