"""Readiness checks about clinical findings: imaging, specialist visits, injection relief, pain
and function scores.

The rules:

- **Imaging within N months** counts an MRI, CT or X-ray in the log, or an imaging report in
  Documents, dated on or after the same day N calendar months ago (imaging exactly 6 months old
  today is within 6 months).
- **Injection relief** counts injections whose recorded relief is at least the percentage
  (80% meets "at least 80%", 79% does not). An injection without a recorded relief makes the
  criterion unknown rather than not met, when it could make the difference.
- **Pain** is the latest calendar month's average (from the care summary), rounded to one
  decimal as shown; **ODI** the latest result. No score at all is unknown, never 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.deadline_rules import Unit, add_period
from backlog_app.domain.documents import DocumentKind
from backlog_app.domain.durations import month_words
from backlog_app.domain.log_records import TreatmentCategory, TreatmentData, TreatmentKind
from backlog_app.domain.readiness_criteria import Criterion
from backlog_app.domain.readiness_evidence import (
    MAX_EVIDENCE,
    Outcome,
    document_evidence,
    in_last,
    met,
    months_before,
    not_met,
    plural,
    treatment_evidence,
    unknown,
    window_start,
)
from backlog_app.domain.readiness_facts import (
    Evidence,
    EvidenceKind,
    ReadinessFacts,
)
from backlog_app.domain.records import ProviderRole

_IMAGING = (TreatmentKind.MRI, TreatmentKind.CT, TreatmentKind.XRAY)
_SPECIALIST_VISITS = frozenset(
    {
        TreatmentKind.SPINE_SPECIALIST_VISIT,
        TreatmentKind.PAIN_MANAGEMENT_VISIT,
        TreatmentKind.SURGEON_VISIT,
    }
)
_SPECIALIST_ROLES = frozenset(
    {
        ProviderRole.SPINE_SURGEON,
        ProviderRole.NEUROSURGEON,
        ProviderRole.ORTHOPEDIC_SURGEON,
        ProviderRole.PAIN_MANAGEMENT,
        ProviderRole.PHYSIATRIST,
    }
)
_NOTE_KINDS = frozenset({DocumentKind.CLINICAL_NOTE, DocumentKind.OTHER})


def _kinds_words(kinds: Sequence[TreatmentKind]) -> str:
    names = [k.label for k in kinds]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


# --- imaging -----------------------------------------------------------------------------------


def imaging(c: Criterion, facts: ReadinessFacts, today: dt.date) -> Outcome:
    kinds = c.treatments or _IMAGING
    what = _kinds_words(kinds)
    found: list[tuple[dt.date, Evidence]] = []
    for record_id, t in facts.treatments.items():
        if t.kind in kinds and t.day <= today:
            place = f" at {t.facility}" if t.facility else ""
            found.append((t.day, treatment_evidence(record_id, t, place)))
    reports = [d for d in facts.documents if d.kind is DocumentKind.IMAGING_REPORT]
    found += [(d.day, document_evidence(d)) for d in reports if d.day is not None]
    undated = [d for d in reports if d.day is None]
    if not found:
        if undated:
            return unknown(
                f"An imaging report without a date is in Documents: “{undated[0].title}”.",
                "Add the date printed on the report in Documents, so BackLog can tell how recent "
                "it is.",
                [document_evidence(d) for d in undated],
            )
        return not_met(
            f"No {what} recorded.",
            "Add your imaging (kind, date, facility) on the Log page and its report to Documents.",
        )
    found.sort(key=lambda item: item[0], reverse=True)
    latest_day, latest = found[0]
    cutoff = months_before(today, c.months) if c.months else None
    if cutoff is not None and latest_day < cutoff:
        return not_met(
            f"The latest imaging, {latest.label}, is more than {plural(c.months or 0, 'month')} "
            f"old (the insurer wants it from {format_long_date(cutoff)} or later).",
            "Ask your doctor whether new imaging is needed for this request; the insurer may not "
            f"accept imaging from {format_long_date(latest_day)}.",
            [latest],
        )
    evidence = [e for day, e in found if cutoff is None or day >= cutoff]
    # The log entry first, then its report, then older ones.
    evidence.sort(
        key=lambda e: (e.day or dt.date.min, e.kind is EvidenceKind.TREATMENT), reverse=True
    )
    finding = f"{latest.label}."
    if not reports:
        finding += " Its report is not in Documents yet."
    return met(finding, evidence)


# --- specialist visits ------------------------------------------------------------------------


def specialist_visit(c: Criterion, facts: ReadinessFacts, today: dt.date) -> Outcome:
    since = window_start(today, c.within_months)
    any_doctor = c.include_primary_care
    roles = facts.provider_roles

    def counts(t: TreatmentData) -> bool:
        if any_doctor:
            return t.kind.category is TreatmentCategory.VISIT
        role = roles.get(t.provider_id) if t.provider_id is not None else None
        return t.kind in _SPECIALIST_VISITS or (
            t.kind.category is TreatmentCategory.VISIT and role in _SPECIALIST_ROLES
        )

    visits = sorted(
        ((i, t) for i, t in facts.treatments.items() if counts(t) and t.day <= today),
        key=lambda item: (item[1].day, item[0]),
    )
    notes = [
        d
        for d in facts.documents
        if d.kind is DocumentKind.CLINICAL_NOTE
        and d.day is not None
        and d.provider_id is not None
        and (any_doctor or roles.get(d.provider_id) in _SPECIALIST_ROLES)
    ]
    recent = [(i, t) for i, t in visits if since is None or t.day >= since]
    recent_notes = [d for d in notes if since is None or (d.day and d.day >= since)]
    days = {t.day for _, t in recent} | {d.day for d in recent_notes if d.day}
    wanted = c.count or 1
    who = "a doctor" if any_doctor else "a spine specialist, surgeon or pain doctor"
    evidence = [treatment_evidence(i, t) for i, t in recent[::-1][:MAX_EVIDENCE]]
    evidence += [document_evidence(d) for d in recent_notes[:MAX_EVIDENCE]]
    if len(days) >= wanted and days:
        if recent:
            latest = recent[-1][1]
            finding = f"{latest.kind.label} on {format_long_date(latest.day)}"
        else:
            finding = f"Clinical note {document_evidence(recent_notes[0]).label}"
        if len(days) > 1:
            finding += f" ({plural(len(days), 'visit')} recorded{in_last(c.within_months)})"
        return met(finding + ".", evidence)
    if any_doctor:
        todo = (
            "Book a follow-up visit with your doctor and log it on the Log page; the insurer wants "
            "a recent exam after the conservative care."
        )
    else:
        todo = (
            "Ask your primary care doctor for a referral to a spine specialist or pain doctor; "
            "insurers want a specialist's notes, not only primary care."
        )
    if days:
        finding = f"{len(days)} of {wanted} visits with {who}{in_last(c.within_months)}."
    elif visits:
        _, older = visits[-1]
        finding = (
            f"No visit with {who}{in_last(c.within_months)}; the latest was a "
            f"{older.kind.label.lower()} on {format_long_date(older.day)}."
        )
        evidence = [treatment_evidence(*visits[-1])]
    else:
        finding = f"No visit with {who} recorded{in_last(c.within_months)}."
    return not_met(finding, todo, evidence)


# --- injection relief -------------------------------------------------------------------------


def injection_relief(c: Criterion, facts: ReadinessFacts, today: dt.date) -> Outcome:
    kinds = c.treatments
    noun = _injection_noun(kinds, plural=False)
    nouns = _injection_noun(kinds, plural=True)
    percent = c.percent or 0
    injections = sorted(
        ((i, t) for i, t in facts.treatments.items() if t.kind in kinds and t.day <= today),
        key=lambda item: (item[1].day, item[0]),
    )
    if c.repeat_only:
        return _repeat(c, injections, noun, today)

    def lasted(t: TreatmentData) -> bool | None:
        if not c.weeks:
            return True
        return None if t.relief_days is None else t.relief_days >= 7 * c.weeks

    good = [
        (i, t)
        for i, t in injections
        if t.relief_percent is not None and t.relief_percent >= percent and lasted(t)
    ]
    open_ = [
        (i, t)
        for i, t in injections
        if t.relief_percent is None or (t.relief_percent >= percent and lasted(t) is None)
    ]
    wanted = c.count or 1
    evidence = [treatment_evidence(i, t, _relief_words(t)) for i, t in reversed(injections)]
    lasting = f" lasting {plural(c.weeks, 'week')}" if c.weeks else ""
    if len(good) >= wanted:
        listed = ", ".join(f"{t.relief_percent}% ({format_long_date(t.day)})" for _, t in good)
        return met(
            f"{plural(len(good), noun, nouns)} with at least {percent}% relief{lasting}: {listed}.",
            evidence,
        )
    if len(good) + len(open_) >= wanted:
        return unknown(
            f"{plural(len(injections), noun, nouns)} recorded; the relief"
            f"{' or how long it lasted' if c.weeks else ''} is not recorded for {len(open_)}.",
            f"Record the % relief{' and how long it lasted' if c.weeks else ''} of each {noun} on "
            "the Log page (the pain clinic's pain diary after the procedure has it).",
            evidence,
        )
    if not injections:
        return not_met(
            f"No {noun} recorded.",
            f"Record each {noun} with its % relief on the Log page; the insurer usually wants "
            f"{wanted} with at least {percent}% relief.",
        )
    recorded = ", ".join(
        f"{t.relief_percent}% on {format_long_date(t.day)}"
        for _, t in injections
        if t.relief_percent is not None
    )
    return not_met(
        f"{len(good)} of {wanted} {nouns} gave at least {percent}% relief{lasting} "
        f"(recorded: {recorded}).",
        f"Ask your pain doctor what the insurer needs next; it usually wants {wanted} "
        f"{nouns if wanted != 1 else noun} with at least {percent}% relief.",
        evidence,
    )


def _repeat(
    c: Criterion, injections: list[tuple[int, TreatmentData]], noun: str, today: dt.date
) -> Outcome:
    if not injections:
        return met(f"No earlier {noun} recorded; this applies only to a repeat.")
    record_id, last = injections[-1]
    evidence = [treatment_evidence(record_id, last, _relief_words(last))]
    when = format_long_date(last.day)
    percent = c.percent or 0
    if last.relief_percent is None or (c.weeks and last.relief_days is None):
        return unknown(
            f"The last {noun}, {when}: the relief{' or how long it lasted' if c.weeks else ''} "
            "is not recorded.",
            f"Record the % relief and how long it lasted for the {noun} of {when} on the Log page.",
            evidence,
        )
    if last.relief_percent < percent or (
        c.weeks and last.relief_days is not None and last.relief_days < 7 * c.weeks
    ):
        return not_met(
            f"The last {noun}, {when}, gave {last.relief_percent}% relief{_lasted(last)}; a repeat "
            f"needs at least {percent}%{_for_weeks(c.weeks)}.",
            "Ask your pain doctor what else may help; the insurer is unlikely to approve a repeat "
            "after less relief.",
            evidence,
        )
    if c.months:
        allowed = add_period(last.day, c.months, Unit.MONTHS)
        if allowed > today:
            return not_met(
                f"The last {noun} was on {when}; a repeat can be requested from "
                f"{format_long_date(allowed)} ({plural(c.months, 'month')} later).",
                f"Wait until {format_long_date(allowed)} to request the repeat, or ask your doctor "
                "whether the insurer allows an exception.",
                evidence,
            )
    return met(
        f"The last {noun}, {when}, gave {last.relief_percent}% relief{_lasted(last)}.", evidence
    )


def _for_weeks(weeks: int | None) -> str:
    return f" for {plural(weeks, 'week')}" if weeks else ""


def _lasted(t: TreatmentData) -> str:
    return f" for {plural(t.relief_days, 'day')}" if t.relief_days else ""


def _relief_words(t: TreatmentData) -> str:
    if t.relief_percent is None:
        return ", relief not recorded"
    return f", {t.relief_percent}% relief"


def _injection_noun(kinds: Sequence[TreatmentKind], *, plural: bool) -> str:
    names = {
        TreatmentKind.EPIDURAL_STEROID_INJECTION: ("epidural injection", "epidural injections"),
        TreatmentKind.FACET_MEDIAL_BRANCH_BLOCK: ("medial branch block", "medial branch blocks"),
        TreatmentKind.RADIOFREQUENCY_ABLATION: (
            "radiofrequency ablation",
            "radiofrequency ablations",
        ),
        TreatmentKind.SI_JOINT_INJECTION: ("SI joint injection", "SI joint injections"),
    }
    if len(kinds) != 1:
        return "injections" if plural else "injection"
    one, many = names.get(kinds[0], (kinds[0].label.lower(), kinds[0].label.lower() + "s"))
    return many if plural else one


# --- scores -----------------------------------------------------------------------------------


def pain_score(c: Criterion, facts: ReadinessFacts, today: dt.date) -> Outcome:
    months = [m for m in facts.summary.months if m.pain is not None]
    if not months:
        return unknown(
            "No pain scores recorded.",
            "Record your pain (0–10) in daily check-ins, and ask your doctor to note your pain "
            "score at each visit.",
        )
    latest = months[-1]
    value = round(latest.pain or 0.0, 1)
    evidence = [
        Evidence(
            EvidenceKind.CHECK_INS,
            None,
            f"Check-ins, {month_words(latest.month)} (average pain {value:.1f})",
            latest.month,
        )
    ]
    days = sum(m.pain_days for m in months)
    if not c.score:
        return met(
            f"Pain recorded on {plural(days, 'day')}; the latest monthly average is {value:.1f} "
            f"({month_words(latest.month)}).",
            evidence,
        )
    finding = (
        f"Average pain {value:.1f} in {month_words(latest.month)} "
        f"({plural(latest.pain_days, 'day')} recorded)"
    )
    if value >= c.score:
        return met(finding + ".", evidence)
    return not_met(
        f"{finding}; the insurer typically looks for {c.score} or more.",
        "Keep recording your pain honestly in daily check-ins, and ask your doctor to note your "
        "pain scores at each visit: the insurer reads the doctor's notes.",
        evidence,
    )


def odi(c: Criterion, facts: ReadinessFacts, today: dt.date) -> Outcome:
    latest = facts.summary.latest_odi
    if latest is None:
        return unknown(
            "No Oswestry Disability Index (ODI) recorded.",
            "Ask your clinic for your latest ODI score (a function questionnaire) and add it on "
            "the Log page.",
        )
    ids = [i for i, score in sorted(facts.odi_scores.items()) if score.day == latest.day]
    percent = f"{latest.percent:g}%"
    label = f"ODI {percent} on {format_long_date(latest.day)}"
    evidence = [Evidence(EvidenceKind.ODI, ids[-1] if ids else None, label, latest.day)]
    finding = f"Latest {label} ({latest.band.label.lower()})"
    if latest.percent >= (c.score or 0):
        return met(finding + ".", evidence)
    return not_met(
        f"{finding}; the insurer looks for {c.score}% or more.",
        "If your daily function has changed, ask your clinic to repeat the ODI questionnaire; "
        "insurers read the latest score.",
        evidence,
    )
