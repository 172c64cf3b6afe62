"""Readiness criteria in plain words, worded from their current numbers.

"At least 6 weeks of conservative care in the last 3 months", "2 medial branch blocks with at
least 80% relief each": a label never goes stale when the user changes a number.
"""

from __future__ import annotations

from collections.abc import Sequence

from backlog_app.domain.log_records import TreatmentKind
from backlog_app.domain.readiness_criteria import Criterion, CriterionKind


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def _period(criterion: Criterion) -> str:
    if criterion.weeks is not None:
        return _plural(criterion.weeks, "week")
    if criterion.months is not None:
        return _plural(criterion.months, "month")
    return _plural(criterion.days or 0, "day")


def _kinds_words(kinds: Sequence[TreatmentKind], *, plural: bool) -> str:
    names = [_kind_noun(kind, plural=plural) for kind in kinds]
    if len(names) <= 1:
        return names[0] if names else "treatments"
    return ", ".join(names[:-1]) + " or " + names[-1]


def _kind_noun(kind: TreatmentKind, *, plural: bool) -> str:
    nouns = {
        TreatmentKind.EPIDURAL_STEROID_INJECTION: "epidural steroid injection",
        TreatmentKind.FACET_MEDIAL_BRANCH_BLOCK: "medial branch block",
        TreatmentKind.RADIOFREQUENCY_ABLATION: "radiofrequency ablation",
        TreatmentKind.SI_JOINT_INJECTION: "SI joint injection",
    }
    noun = nouns.get(kind, kind.label.lower())
    if not plural:
        return noun
    if kind.category.value == "therapy":
        return f"{noun} visits"
    return noun + "s"


def criterion_label(criterion: Criterion) -> str:
    """The criterion in plain words, from its current numbers."""
    text = _base_label(criterion)
    condition = criterion.condition
    if condition:
        text += f" ({condition})" if condition.startswith("for ") else f" (for {condition})"
    return text


def _within(months: int | None) -> str:
    return f" in the last {_plural(months, 'month')}" if months else ""


def _base_label(c: Criterion) -> str:
    kind = CriterionKind
    if c.kind is kind.CONSERVATIVE_CARE_WEEKS:
        kinds = f", with {c.count} different kinds of care" if c.count and c.count > 1 else ""
        return f"At least {_period(c)} of conservative care{_within(c.within_months)}{kinds}"
    if c.kind is kind.COMPLETED_PT_COURSE:
        what = _kinds_words(c.treatments, plural=False) if c.treatments else "physical therapy"
        return f"A completed {what} course{_within(c.within_months)}"
    if c.kind is kind.MEDICATION_TRIALS:
        count = c.count or 1
        trials = _plural(count, "medication trial")
        how = ", with how it went recorded" if c.with_outcome else ""
        if c.with_outcome and count > 1:
            how = ", each with how it went recorded"
        return f"At least {trials}{_within(c.within_months)}{how}"
    if c.kind is kind.IMAGING_WITHIN_MONTHS:
        what = "Imaging (MRI, CT or X-ray)"
        if c.treatments:
            what = "Imaging (" + _kinds_words(c.treatments, plural=False) + ")"
        if c.months:
            return f"{what} from the last {_plural(c.months, 'month')}"
        return f"{what} on record"
    if c.kind is kind.SPECIALIST_VISIT:
        who = "a doctor" if c.include_primary_care else "a spine specialist, surgeon or pain doctor"
        count = c.count or 1
        visits = "A visit" if count == 1 else f"{count} visits"
        if c.include_primary_care:
            return f"A follow-up exam by {who}{_within(c.within_months)}"
        return f"{visits} with {who}{_within(c.within_months)}"
    if c.kind is kind.SYMPTOM_DURATION:
        return f"Pain for at least {_period(c)}"
    if c.kind is kind.INJECTION_RELIEF:
        percent = f"at least {c.percent}% relief"
        if c.repeat_only:
            spacing = f", at least {_plural(c.months, 'month')} later" if c.months else ""
            what = _kinds_words(c.treatments, plural=False)
            return f"A repeat {what} needs {percent} from the last one{spacing}"
        count = c.count or 1
        what = _kinds_words(c.treatments, plural=count != 1)
        lasting = f" lasting {_plural(c.weeks, 'week')}" if c.weeks else ""
        each = " each" if count > 1 else ""
        return f"{count} {what} with {percent}{each}{lasting}"
    if c.kind is kind.PAIN_SCORE_MIN:
        if not c.score:
            return "Pain scores recorded (0–10)"
        return f"Average pain of {c.score} or more (0–10)"
    if c.kind is kind.ODI_MIN:
        if not c.score:
            return "A function score recorded (Oswestry Disability Index)"
        return f"Oswestry Disability Index (ODI) of {c.score}% or more"
    if c.kind is kind.PSYCH_EVALUATION:
        return f"A psychological evaluation or clearance{_within(c.within_months)}"
    if c.kind is kind.NICOTINE_TEST:
        recent = f" from the last {_plural(c.weeks, 'week')}" if c.weeks else ""
        return f"Nicotine-free, confirmed by a lab test (cotinine){recent}"
    if c.kind is kind.DOCUMENT_ON_FILE:
        return f"{c.label or 'A document'}{_within(c.within_months)}"
    if c.kind is kind.VISIT_CAP:
        what = _kinds_words(c.treatments, plural=True)
        if c.days or c.months:
            limit = c.count if c.count is not None else "the plan's limit of"
            return f"No more than {limit} {what} in {_period(c)}"
        if c.count is None:
            return f"{what[:1].upper()}{what[1:]} within the plan's yearly limit"
        return f"{what[:1].upper()}{what[1:]} within a limit of {c.count} a year"
    if c.kind is kind.AGE_RANGE:
        if c.min_age is not None and c.max_age is not None:
            return f"Age {c.min_age} to {c.max_age}"
        if c.min_age is not None:
            return f"Age {c.min_age} or older"
        return f"Age {c.max_age} or younger"
    raise AssertionError(c.kind)  # pragma: no cover - every kind is handled above
