"""The rules a coverage case, its events and its calls must meet: codes, dates, order, lengths.

Each broken rule is one plain sentence; ``event_warnings`` lists what looks wrong but may be right
(the user confirms).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace

from backlog_app.domain.cases import (
    DECIDES,
    OUTCOME_REQUIRED,
    CallData,
    CaseData,
    CaseEvent,
    CaseEventData,
    EventType,
    Outcome,
    Procedure,
)
from backlog_app.domain.dates import format_long_date
from backlog_app.domain.validation import phone_problem

_MAX_SHORT_TEXT = 200
_MAX_LONG_TEXT = 20_000
# Events and calls may be planned a little ahead (a peer-to-peer booked for next week), not years.
_MAX_DAYS_AHEAD = 366


# --- codes ------------------------------------------------------------------------------------

# CPT: five digits, or four digits and F (category II) or T (category III); HCPCS level II: a
# letter and four digits (E0720 is a TENS unit).
_CPT = re.compile(r"(?:\d{5}|\d{4}[FT]|[A-V]\d{4})", re.ASCII)
# ICD-10-CM: a letter (not U, which is reserved), a digit, a digit or letter, then optionally a
# dot and one to four more characters: M51.16, M54.5, G89.29, M48.062.
_ICD10 = re.compile(r"[A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?", re.ASCII)


def split_codes(text: str | None) -> tuple[str, ...]:
    """The codes in "63030, 69990" (commas, semicolons or spaces between), upper-cased."""
    if not text:
        return ()
    return tuple(part.upper() for part in re.split(r"[\s,;]+", text.strip()) if part)


def join_codes(codes: Sequence[str]) -> str | None:
    return ", ".join(codes) or None


def normalize_icd10(code: str) -> str:
    """ "m5116" → "M51.16": people often leave out the dot."""
    code = code.strip().upper()
    if "." not in code and len(code) > 3:
        code = f"{code[:3]}.{code[3:]}"
    return code


def cpt_problems(text: str | None) -> list[str]:
    """One sentence per malformed CPT/HCPCS code in ``text``."""
    bad = [code for code in split_codes(text) if not _CPT.fullmatch(code)]
    if not bad:
        return []
    return [
        f"“{', '.join(bad)}” {'is not a CPT code' if len(bad) == 1 else 'are not CPT codes'}: "
        "a CPT code is five digits (63030), or four digits and F or T; "
        "an equipment code is a letter and four digits (E0720)."
    ]


def icd10_problems(text: str | None) -> list[str]:
    """One sentence per malformed ICD-10 code in ``text`` (before or after normalizing)."""
    bad = [code for code in split_codes(text) if not _ICD10.fullmatch(normalize_icd10(code))]
    if not bad:
        return []
    return [
        f"“{', '.join(bad)}” {'is not an ICD-10 code' if len(bad) == 1 else 'are not ICD-10 codes'}"
        ": an ICD-10 code is a letter, two characters, then a dot and up to four more (M51.16)."
    ]


def normalized_codes(data: CaseData) -> CaseData:
    """``data`` with its codes upper-cased, ICD-10 dots put in, and one ", " between codes."""
    return replace(
        data,
        cpt_codes=join_codes(split_codes(data.cpt_codes)),
        icd10_codes=join_codes([normalize_icd10(c) for c in split_codes(data.icd10_codes)]),
    )


# --- rules --------------------------------------------------------------------------------------


def case_problems(case: CaseData, today: dt.date) -> list[str]:
    """Why ``case`` cannot be saved; empty when it can."""
    problems: list[str] = []
    if case.procedure is Procedure.OTHER and not (case.procedure_detail or "").strip():
        problems.append("Please say which procedure this request is for.")
    problems += cpt_problems(case.cpt_codes)
    problems += icd10_problems(case.icd10_codes)
    for label, text in (
        ("Procedure details", case.procedure_detail),
        ("Authorization number", case.authorization_number),
        ("Claim number", case.claim_number),
        ("Reference number", case.reference_number),
        ("Reviewer's name", case.reviewer_name),
        ("CPT codes", case.cpt_codes),
        ("ICD-10 codes", case.icd10_codes),
    ):
        problems += _length(label, text, _MAX_SHORT_TEXT)
    if case.reviewer_phone:
        problem = phone_problem(case.reviewer_phone)
        if problem:
            problems.append(f"Reviewer's phone “{case.reviewer_phone}” {problem}.")
    if case.scheduled_date is not None:
        problems += _plausible("The date of service", case.scheduled_date, today, 3 * 366)
    problems += _length("Notes", case.notes, _MAX_LONG_TEXT)
    return problems


def event_problems(
    event: CaseEventData, others: Sequence[CaseEvent], today: dt.date, event_id: int | None = None
) -> list[str]:
    """Why ``event`` cannot be saved next to the case's ``others``; empty when it can.

    Args:
        event: the event being added or edited.
        others: the case's stored events (the one being edited, ``event_id``, is skipped).
        today: events may be dated up to a year ahead (a booked peer-to-peer), not more.
        event_id: the id of the event being edited, or None for a new one.
    """
    problems = _plausible("The event date", event.day, today, _MAX_DAYS_AHEAD)
    if event.received_date is not None:
        problems += _plausible("The date received", event.received_date, today, 0)
        if event.received_date < event.day:
            problems.append(
                "The letter arrived before the date printed on it; please check both dates."
            )
    if event.level is not None and not 1 <= event.level <= 5:
        problems.append("The appeal level must be between 1 and 5.")
    if event.event_type is EventType.APPEAL_FILED and event.level is None:
        problems.append("Please choose the appeal level (1 for a first appeal).")
    if event.event_type in (EventType.DENIED, EventType.CLAIM_DENIED) and event.reason is None:
        problems.append("Please choose why it was denied (the letter says; “Other” is fine).")
    if event.event_type in OUTCOME_REQUIRED and event.outcome is None:
        problems.append("Please choose the outcome: approved, partly approved or denied.")
    if event.approved_units is not None and not 0 < event.approved_units <= 10_000:
        problems.append("The approved units must be a number between 1 and 10,000.")
    if event.valid_from and event.valid_until and event.valid_until < event.valid_from:
        problems.append("The approval ends before it starts; please check both dates.")
    if event.amount_cents is not None and event.amount_cents < 0:
        problems.append("The amount cannot be negative.")
    if event.deadline is not None and event.deadline < event.day:
        problems.append("The deadline on the notice is before the notice's date; please check it.")
    for label, text in (
        ("Authorization number", event.authorization_number),
        ("Reference number", event.reference_number),
    ):
        problems += _length(label, text, _MAX_SHORT_TEXT)
    problems += _length("Quoted reason", event.quoted_reason, _MAX_LONG_TEXT)
    problems += _length("Notes", event.notes, _MAX_LONG_TEXT)
    problems += _order_problems(
        event, [o for o in others if o.id != event_id], editing=event_id is not None
    )
    return problems


def _order_problems(
    event: CaseEventData, others: Sequence[CaseEvent], *, editing: bool
) -> list[str]:
    """A decision dated before everything it could answer is refused — whether the decision is
    the event being saved, or a filing being moved after its decision. (A new filing after a
    decision is a new request: an approval's renewal, say.)"""
    problems: list[str] = []
    answered = DECIDES.get(event.event_type)
    if answered:
        filed = [o.data for o in others if o.data.event_type in answered]
        if filed and all(f.day > event.day for f in filed):
            first = min(filed, key=lambda f: f.day)
            problems.append(
                f"This {event.event_type.label.lower()} is dated {format_long_date(event.day)}, "
                f"before the {first.event_type.label.lower()} it answers "
                f"({format_long_date(first.day)}); a decision cannot come before its filing."
            )
    for decision in (
        o.data for o in others if event.event_type in DECIDES.get(o.data.event_type, ())
    ):
        filings = [o.data for o in others if o.data.event_type in DECIDES[decision.event_type]] + [
            event
        ]
        if all(f.day > decision.day for f in filings):
            problems.append(
                f"The {decision.event_type.label.lower()} of {format_long_date(decision.day)} "
                f"answers this {event.event_type.label.lower()}, so it cannot be dated "
                f"{format_long_date(event.day)}, after it; a decision cannot come before its "
                "filing."
            )
            break
    return problems


def event_warnings(
    event: CaseEventData, others: Sequence[CaseEvent], event_id: int | None = None
) -> list[str]:
    """Things that look wrong but may be right; the user confirms before saving."""
    warnings: list[str] = []
    others = [o for o in others if o.id != event_id]
    if event.event_type in (EventType.APPEAL_FILED, EventType.EXTERNAL_REVIEW_REQUESTED):
        denials = [
            o.data
            for o in others
            if o.data.event_type in (EventType.DENIED, EventType.CLAIM_DENIED)
            or (o.data.event_type is EventType.DECISION and o.data.outcome is Outcome.DENIED)
        ]
        if not denials:
            warnings.append(
                "There is no denial on this case's timeline yet. You can still save the appeal, "
                "but add the denial too: its date sets the appeal deadline."
            )
        elif all(d.day > event.day for d in denials):
            first = min(denials, key=lambda d: d.day)
            warnings.append(
                f"This appeal is dated {format_long_date(event.day)}, before the denial of "
                f"{format_long_date(first.day)}. Is the date right?"
            )
    return warnings


def call_problems(call: CallData, today: dt.date) -> list[str]:
    """Why ``call`` cannot be saved; empty when it can."""
    problems: list[str] = []
    if not call.organization.strip():
        problems.append("Please say who the call was with (the insurer or the office).")
    problems += _plausible("The call date", call.called_at.date(), today, 0)
    if call.follow_up_date is not None:
        problems += _plausible("The follow-up date", call.follow_up_date, today, _MAX_DAYS_AHEAD)
        if call.follow_up_date < call.called_at.date():
            problems.append("The follow-up date is before the call; please check it.")
    if call.phone:
        problem = phone_problem(call.phone)
        if problem:
            problems.append(f"Phone “{call.phone}” {problem}.")
    for label, text in (
        ("Organization", call.organization),
        ("Representative", call.representative),
        ("Reference number", call.reference_number),
    ):
        problems += _length(label, text, _MAX_SHORT_TEXT)
    problems += _length("Summary", call.summary, _MAX_LONG_TEXT)
    problems += _length("Follow-up", call.follow_up, _MAX_LONG_TEXT)
    return problems


def _plausible(label: str, day: dt.date, today: dt.date, days_ahead: int) -> list[str]:
    if day > today + dt.timedelta(days=days_ahead):
        if days_ahead == 0:
            return [f"{label} ({format_long_date(day)}) is in the future; please check the date."]
        return [
            f"{label} ({format_long_date(day)}) is too far in the future; please check the year."
        ]
    if day.year < 1990:
        return [f"{label} ({day.isoformat()}) is before 1990; please check the year."]
    return []


def _length(label: str, text: str | None, limit: int) -> list[str]:
    if text is not None and len(text) > limit:
        return [f"{label} is longer than {limit:,} characters; please shorten it."]
    return []
