"""The request letter of an appeal or preauthorization packet, drafted from a case's facts.

Pure: facts in, plain text out (DOMAIN.md, "What an appeal / preauthorization packet contains",
item 2). The letter opens with a reference block — patient, date of birth, member ID, group number,
claim/authorization/reference numbers, dates of service, codes, the denial's date and quoted
reason, the appeal level, the outcome requested, the enclosures — and ends with a signature line.
A case without a denial gets a preauthorization request letter instead.

Paragraphs are single lines (the editor wraps them); reference-block lines are "Label:<TAB>value".
A fact nobody recorded becomes a placeholder in square brackets ("[member ID]"), never "None";
``missing_fields`` lists them so the user sees what to fill in before sending.
"""

from __future__ import annotations

import datetime as dt
import re

from backlog_app.domain.appeal_letter_facts import (
    MAX_LEVEL,
    DenialFacts,
    Enclosure,
    LetterFacts,
    appeal_level_after,
    latest_denial,
    level_name,
)
from backlog_app.domain.cases import DenialReason, ServiceType
from backlog_app.domain.dates import format_long_date
from backlog_app.domain.records import AppealRules, PlanType

__all__ = [
    "MAX_LEVEL",
    "PLACEHOLDERS",
    "DenialFacts",
    "Enclosure",
    "LetterFacts",
    "appeal_level_after",
    "draft_letter",
    "latest_denial",
    "level_name",
    "missing_fields",
    "placeholders_in",
]

# Plans bought through an employer: they have group numbers (unknown ones are asked for).
_EMPLOYER_PLANS = frozenset(
    {
        PlanType.EMPLOYER_PPO,
        PlanType.EMPLOYER_HMO,
        PlanType.EMPLOYER_EPO,
        PlanType.EMPLOYER_POS,
        PlanType.HDHP_HSA,
    }
)

# --- Placeholders ---------------------------------------------------------------------------

# Every blank the letter can leave, in reading order; the text shows each as "[name]".
PLACEHOLDERS = (
    "your name",
    "your address",
    "your phone number",
    "insurer",
    "appeals address",
    "appeals fax",
    "prior-authorization address or fax",
    "date of birth",
    "member ID",
    "Medicare number",
    "Medicaid ID",
    "group number",
    "claim or reference number",
    "date of service",
    "CPT code",
    "ICD-10 code",
    "treating doctor",
    "quoted denial reason",
    "conservative-care history",
    "why the service was not preauthorized",
    "why no in-network provider can do it",
    "supporting studies or guidelines",
    "plan provision covering it",
    "why the decision is wrong",
    "doctor's statement of urgency",
    "enclosures",
)
_PLACEHOLDER = re.compile(r"\[([^\[\]\n]{1,60})\]")


def placeholders_in(text: str) -> list[str]:
    """The blanks still left in ``text`` (known placeholder names only), in ``PLACEHOLDERS`` order.

    A bracket the user or the insurer wrote ("[sic]") is not a blank.
    """
    found = {match.group(1) for match in _PLACEHOLDER.finditer(text)}
    return [name for name in PLACEHOLDERS if name in found]


def missing_fields(facts: LetterFacts) -> list[str]:
    """What the user must fill in before sending the letter drafted from ``facts``."""
    return placeholders_in(draft_letter(facts, dt.date(2000, 1, 1)))


def _or_blank(value: str | None, name: str) -> str:
    assert name in PLACEHOLDERS, name
    value = (value or "").strip()
    return value or f"[{name}]"


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- The letter -------------------------------------------------------------------------------


def draft_letter(facts: LetterFacts, today: dt.date) -> str:
    """The request letter as plain text: polite, firm, and complete but for its placeholders."""
    parts = [
        _sender(facts),
        format_long_date(today),
        _recipient(facts),
        _subject(facts),
        _reference_block(facts),
        "Dear Appeals Reviewer," if facts.is_appeal else "Dear Utilization Review Team,",
        *_body(facts),
        _closing(facts),
        _signature(facts),
        _enclosure_list(facts),
    ]
    text = "\n\n".join(part for part in parts if part)
    return text + "\n"


def _sender(facts: LetterFacts) -> str:
    lines = [_or_blank(facts.patient_name, "your name")]
    address = (facts.patient_address or "").strip()
    lines += [line.strip() for line in address.splitlines() if line.strip()] or ["[your address]"]
    lines.append(f"Phone: {_or_blank(facts.patient_phone, 'your phone number')}")
    return "\n".join(lines)


def _recipient(facts: LetterFacts) -> str:
    insurer = _or_blank(facts.insurer, "insurer")
    if not facts.is_appeal:
        return f"{insurer}, Utilization Management (prior authorization)\n[prior-authorization address or fax]"
    address = [line.strip() for line in (facts.appeals_address or "").splitlines() if line.strip()]
    lines = []
    if not address or (facts.insurer or "").casefold() not in address[0].casefold():
        lines.append(f"{insurer}, Appeals Department")
    lines += address or ["[appeals address]"]
    lines.append(f"Fax: {_or_blank(facts.appeals_fax, 'appeals fax')}")
    return "\n".join(lines)


def _request_name(facts: LetterFacts) -> str:
    if facts.is_appeal:
        return level_name(facts.family, facts.appeal_level)
    return "Request for prior authorization"


def _subject(facts: LetterFacts) -> str:
    subject = f"Re: {_request_name(facts)} — {facts.case_title}"
    if facts.urgent:
        subject = f"EXPEDITED (URGENT) REVIEW REQUESTED\n{subject}"
    return subject


def _outcome(facts: LetterFacts) -> str:
    title = facts.case_title
    if not facts.is_appeal:
        return f"Approve {title} as requested by my doctor."
    assert facts.denial is not None
    if facts.service_type is ServiceType.POST_SERVICE:
        outcome = f"Reverse the denial and pay the claim for {title}"
    else:
        outcome = f"Reverse the denial and approve {title}"
    if facts.denial.reason is DenialReason.OUT_OF_NETWORK:
        outcome += " at the in-network level of benefits"
    elif facts.denial.reason is DenialReason.NO_PREAUTHORIZATION:
        outcome += " with a retroactive authorization"
    return outcome + "."


def _reference_block(facts: LetterFacts) -> str:
    rows: list[tuple[str, str]] = [
        ("Patient", _or_blank(facts.patient_name, "your name")),
        ("Date of birth", format_long_date(facts.date_of_birth) or "[date of birth]"),
        (
            facts.member_id_label,
            _or_blank(facts.member_id, facts.member_id_blank),
        ),
    ]
    if facts.group_number or facts.plan_type in _EMPLOYER_PLANS:
        rows.append(("Group number", _or_blank(facts.group_number, "group number")))
    plan = " — ".join(part for part in (facts.insurer, facts.plan_name) if part)
    rows.append(("Plan", plan or "[insurer]"))
    numbers = facts.reference_numbers
    rows += numbers
    if facts.is_appeal and not any(label != "Denial notice reference" for label, _ in numbers):
        rows.append(("Claim or reference number", "[claim or reference number]"))
    rows.append(("Service requested", facts.case_title))
    if facts.service_type is ServiceType.POST_SERVICE:
        rows.append(
            ("Date of service", format_long_date(facts.date_of_service) or "[date of service]")
        )
    else:
        rows.append(
            (
                "Planned date of service",
                format_long_date(facts.date_of_service)
                or "not scheduled yet (waiting for approval)",
            )
        )
    rows.append(("CPT code(s)", _or_blank(facts.cpt_codes, "CPT code")))
    rows.append(("ICD-10 code(s)", _or_blank(facts.icd10_codes, "ICD-10 code")))
    rows.append(("Requesting provider", _or_blank(facts.requesting_provider, "treating doctor")))
    if facts.facility:
        rows.append(("Facility", facts.facility.strip()))
    denial = facts.denial
    if denial is not None:
        received = f" (received {format_long_date(denial.received)})" if denial.received else ""
        rows.append(("Denial date", format_long_date(denial.day) + received))
        if denial.reason is not None:
            rows.append(("Denial reason", denial.reason.label))
        rows.append(("Reason quoted", _quote(denial)))
        rows.append(("Appeal level", level_name(facts.family, facts.appeal_level)))
    else:
        rows.append(("Request", "Prior authorization"))
    if facts.urgent:
        rows.append(("Review requested", "Expedited (urgent)"))
    rows.append(("Outcome requested", _outcome(facts)))
    count = len(facts.enclosures)
    rows.append(
        (
            "Enclosures",
            f"{count} document{'s' if count != 1 else ''}, listed at the end"
            if count
            else "listed at the end",
        )
    )
    return "\n".join(f"{label}:\t{value}" for label, value in rows)


def _ended(text: str) -> str:
    """``text`` as a sentence: a full stop added unless it ends (maybe inside a quote) with one."""
    return text if text.rstrip("”\"'").endswith((".", "!", "?")) else f"{text}."


def _quote(denial: DenialFacts) -> str:
    if not denial.quoted_reason:
        return "“[quoted denial reason]”"
    return f"“{_one_line(denial.quoted_reason)}”"


# --- Body paragraphs -------------------------------------------------------------------------


def _body(facts: LetterFacts) -> list[str]:
    paragraphs = [_opening(facts)]
    if facts.is_appeal:
        paragraphs += _reason_paragraphs(facts)
    else:
        paragraphs += _history(facts, "The records I enclose show the care I have already tried:")
    if facts.urgent:
        paragraphs += _urgency(facts)
    if facts.is_appeal and facts.family is AppealRules.ERISA_ACA:
        paragraphs.append(_claim_file_request(facts))
    return paragraphs


def _doctor(facts: LetterFacts) -> str:
    return _or_blank(facts.requesting_provider, "treating doctor")


def _codes_clause(facts: LetterFacts) -> str:
    return f" (CPT {_or_blank(facts.cpt_codes, 'CPT code')})"


def _opening(facts: LetterFacts) -> str:
    title = facts.case_title
    if not facts.is_appeal:
        return (
            f"I am writing in support of the request for prior authorization of {title}"
            f"{_codes_clause(facts)} that {_doctor(facts)} is submitting for me. "
            "I ask you to approve it so that my treatment is not delayed."
        )
    assert facts.denial is not None
    request = level_name(facts.family, facts.appeal_level)
    request = request[0].lower() + request[1:]
    if facts.service_type is ServiceType.POST_SERVICE:
        what = f"the claim for {title}{_codes_clause(facts)} that I received"
        if facts.date_of_service:
            what += f" on {format_long_date(facts.date_of_service)}"
        else:
            what += " on [date of service]"
    else:
        what = f"coverage of {title}{_codes_clause(facts)}, which {_doctor(facts)} requested for me"
    return (
        f"I am writing to request a {request} of your decision dated "
        f"{format_long_date(facts.denial.day)} to deny {what}. "
        f"Your notice gives this reason: {_ended(_quote(facts.denial))} "
        "I disagree with this decision and ask you to reverse it."
    )


def _reason_paragraphs(facts: LetterFacts) -> list[str]:
    assert facts.denial is not None
    reason = facts.denial.reason
    title = facts.case_title
    if reason is DenialReason.MISSING_DOCUMENTATION:
        return [
            "Your notice says that documentation was missing. The enclosed records supply it: "
            "they are listed at the end of this letter. Please add them to my file and review "
            "the request again on its merits. If you still need anything else, please tell me "
            "exactly which document, and I will send it promptly.",
            *_history(facts, "In short, the enclosed records document this care:"),
        ]
    if reason is DenialReason.NOT_MEDICALLY_NECESSARY:
        return [
            *_history(
                facts,
                f"{title} is medically necessary for me. I have tried conservative treatment "
                "first, and it has not given me lasting relief:",
            ),
            f"Despite this care, my pain and function have not improved enough, and "
            f"{_doctor(facts)} recommends {title}. The enclosed records document every item "
            "above. If you relied on clinical criteria to deny this request, please tell me "
            "which criterion you believe is not met.",
        ]
    if reason is DenialReason.EXPERIMENTAL:
        return [
            f"Your notice calls {title} experimental or investigational. Please send me the "
            "clinical policy or coverage criteria you applied, and the evidence it relies on.",
            f"{title} is an accepted treatment for my condition: "
            "[supporting studies or guidelines].",
            *_history(facts, "I have already tried the usual treatments first:"),
        ]
    if reason is DenialReason.OUT_OF_NETWORK:
        return [
            "Your notice says the provider is out of network. I ask you to grant a network "
            "exception and cover this care at the in-network level, because no in-network "
            "provider can give it to me within a reasonable distance and time: "
            "[why no in-network provider can do it].",
            "If you believe an in-network provider can provide this service, please give me "
            "their name and the earliest date they can treat me.",
        ]
    if reason is DenialReason.NO_PREAUTHORIZATION:
        return [
            "Your notice says the service was not authorized in advance. I ask you to grant a "
            "retroactive authorization and to review the service on its medical merits. "
            "It was not preauthorized because [why the service was not preauthorized].",
            *_history(facts, "The care was medically necessary; the enclosed records show:"),
        ]
    if reason is DenialReason.NOT_COVERED:
        return [
            "Your notice says this is not a covered benefit. Please tell me the exact plan "
            "provision you relied on. My plan documents cover this care: "
            "[plan provision covering it].",
        ]
    return ["I believe the decision is wrong because [why the decision is wrong]."]


def _history(facts: LetterFacts, lead: str) -> list[str]:
    """The conservative-care summary as a paragraph of bullet lines under ``lead``."""
    if not facts.care_sections:
        return [f"{lead}\n• [conservative-care history]"]
    lines = [lead]
    for section in facts.care_sections:
        lines += [f"• {line}" for line in section.lines]
    return ["\n".join(lines)]


_URGENCY_RULES = {
    AppealRules.ERISA_ACA: "29 CFR 2560.503-1(m)(1)(ii)",
    AppealRules.MEDICARE_ADVANTAGE: "42 CFR 422.584(c)(2)(ii)",
    AppealRules.MEDICAID: "42 CFR 438.410(a)",
}


def _urgency(facts: LetterFacts) -> list[str]:
    what = "this appeal" if facts.is_appeal else "this request"
    paragraph = (
        f"Please decide {what} on an expedited (urgent) basis. My treating physician, "
        f"{_doctor(facts)}, certifies that waiting for a decision in the standard time frame "
        "could seriously jeopardize my life, my health or my ability to regain maximum "
        "function, or would subject me to severe pain that cannot be adequately managed "
        "without this care."
    )
    rule = _URGENCY_RULES.get(facts.family) if facts.family is not None else None
    if rule:
        paragraph += (
            " When a treating physician says that a request is urgent, it must be handled as "
            f"urgent ({rule})."
        )
    statement = "\n".join(
        [
            "Treating physician's statement of urgency (to be completed by the doctor):",
            "“[doctor's statement of urgency]”",
            "_" * 64,
            "_" * 64,
            "Signature: ______________________________",
            f"Name: {_doctor(facts)}",
            "Date: ______________",
        ]
    )
    return [paragraph, statement]


def _claim_file_request(facts: LetterFacts) -> str:
    rule = "29 CFR 2560.503-1(h)(2)(iii) and (m)(8)"
    if facts.plan_type is PlanType.ACA_MARKETPLACE:
        rule += ", which apply to my plan through 45 CFR 147.136(b)"
    return (
        "Please also send me, free of charge, copies of all documents, records and other "
        "information relevant to my claim: the complete claim file, the clinical criteria, "
        "guidelines or policies you relied on, the names of any medical experts you consulted, "
        f"and any recordings or notes of my phone calls with you ({rule})."
    )


def _closing(facts: LetterFacts) -> str:
    phone = _or_blank(facts.patient_phone, "your phone number")
    decision = "your decision" if facts.is_appeal else "your decision on this request"
    return (
        f"Please send {decision} to me in writing at the address above, with a copy to "
        f"{_doctor(facts)}. If you need more information, please call me at {phone}. "
        "Thank you for your prompt attention."
    )


def _signature(facts: LetterFacts) -> str:
    return "\n".join(
        [
            "Sincerely,",
            "",
            "______________________________",
            _or_blank(facts.patient_name, "your name"),
            "Date: ____________",
        ]
    )


def _enclosure_list(facts: LetterFacts) -> str:
    if not facts.enclosures:
        return "Enclosures:\n1. [enclosures]"
    lines = ["Enclosures:"]
    lines += [f"{number}. {item.line}" for number, item in enumerate(facts.enclosures, start=1)]
    return "\n".join(lines)
