"""The request letter: its reference block, level wording per plan family, reason paragraphs, blanks."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import replace

import pytest

from backlog_app.domain.appeal_letter import (
    PLACEHOLDERS,
    DenialFacts,
    Enclosure,
    LetterFacts,
    appeal_level_after,
    draft_letter,
    latest_denial,
    level_name,
    missing_fields,
    placeholders_in,
)
from backlog_app.domain.cases import (
    CaseEvent,
    CaseEventData,
    DenialReason,
    EventType,
    Outcome,
    ServiceType,
)
from backlog_app.domain.records import AppealRules, PlanType
from backlog_app.domain.summary_text import SummarySection

TODAY = dt.date(2026, 11, 27)

DENIAL = DenialFacts(
    day=dt.date(2026, 10, 29),
    received=dt.date(2026, 11, 1),
    reason=DenialReason.NOT_MEDICALLY_NECESSARY,
    quoted_reason="The records do not show 6 weeks of physical therapy.",
    reference_number="DN-4471",
)
CARE = (
    SummarySection(
        "Therapy and visits",
        ("Physical therapy: 16 visits over 8 weeks (16 Nov 2025 – 11 Jan 2026)",),
    ),
    SummarySection(
        "Injections", ("Epidural steroid injection, 22 Mar 2026: 40% relief for 3 weeks",)
    ),
    SummarySection(
        "Medications", ("Naproxen 500 mg twice a day: 6 weeks (30 Sep – 11 Nov 2025), no effect",)
    ),
)
FULL = LetterFacts(
    case_title="Microdiscectomy — left L4-L5",
    patient_name="Maria Alvarez",
    date_of_birth=dt.date(1974, 7, 27),
    patient_address="2217 Maple Hollow Dr\nColumbus, OH 43215",
    patient_phone="(614) 555-0142",
    insurer="Buckeye Mutual Health",
    plan_name="Choice PPO 1500",
    plan_type=PlanType.EMPLOYER_PPO,
    member_id="BMH-448210937",
    group_number="GRP-77120",
    appeals_address="Buckeye Mutual Health — Appeals Unit\nPO Box 18220\nColumbus, OH 43218",
    appeals_fax="1-614-555-0190",
    cpt_codes="63030",
    icd10_codes="M51.16",
    claim_number="CLM-0091",
    authorization_number="PA-261120-8840",
    reference_number="UM-261024-31862",
    date_of_service=dt.date(2026, 12, 13),
    requesting_provider="Dr. Samuel Okafor",
    facility="Northside Surgery Center",
    denial=DENIAL,
    care_sections=CARE,
    enclosures=(
        Enclosure("Denial letter", dt.date(2026, 10, 29)),
        Enclosure("Physical therapy discharge summary", dt.date(2026, 1, 11)),
    ),
)
EMPTY = LetterFacts(case_title="Lumbar MRI")
EMPTY_APPEAL = LetterFacts(case_title="Lumbar MRI", denial=DenialFacts(day=dt.date(2026, 11, 2)))


def reference_block(text: str) -> dict[str, str]:
    return dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)


# --- The reference block ---------------------------------------------------------------------


def test_the_reference_block_holds_every_number_and_fact() -> None:
    block = reference_block(draft_letter(FULL, TODAY))
    assert block["Patient"] == "Maria Alvarez"
    assert block["Date of birth"] == "27 Jul 1974"
    assert block["Member ID"] == "BMH-448210937"
    assert block["Group number"] == "GRP-77120"
    assert block["Claim number"] == "CLM-0091"
    assert block["Authorization number"] == "PA-261120-8840"
    assert block["Reference number"] == "UM-261024-31862"
    assert block["Denial notice reference"] == "DN-4471"
    assert block["Planned date of service"] == "13 Dec 2026"
    assert block["CPT code(s)"] == "63030"
    assert block["ICD-10 code(s)"] == "M51.16"
    assert block["Requesting provider"] == "Dr. Samuel Okafor"
    assert block["Denial date"] == "29 Oct 2026 (received 1 Nov 2026)"
    assert block["Denial reason"] == "Not medically necessary"
    assert block["Reason quoted"] == "“The records do not show 6 weeks of physical therapy.”"
    assert block["Appeal level"] == "First-level internal appeal"
    assert block["Outcome requested"].startswith("Reverse the denial and approve Microdiscectomy")
    assert block["Enclosures"] == "2 documents, listed at the end"


def test_the_letter_is_complete_and_has_no_blank_when_everything_is_known() -> None:
    text = draft_letter(FULL, TODAY)
    assert text.startswith("Maria Alvarez\n2217 Maple Hollow Dr\nColumbus, OH 43215\n")
    assert "27 Nov 2026" in text
    assert "Buckeye Mutual Health — Appeals Unit\nPO Box 18220" in text
    assert "Fax: 1-614-555-0190" in text
    assert "Re: First-level internal appeal — Microdiscectomy — left L4-L5" in text
    assert "Dear Appeals Reviewer," in text
    assert "Sincerely,\n\n______________________________\nMaria Alvarez\nDate:" in text
    assert text.rstrip().endswith(
        "Enclosures:\n1. Denial letter (29 Oct 2026)\n"
        "2. Physical therapy discharge summary (11 Jan 2026)"
    )
    assert missing_fields(FULL) == []
    assert "[" not in text


def test_the_quoted_reason_is_quoted_word_for_word_in_the_opening() -> None:
    text = draft_letter(FULL, TODAY)
    assert (
        "Your notice gives this reason: “The records do not show 6 weeks of physical therapy.” "
        "I disagree" in text
    )
    spread = replace(FULL, denial=replace(DENIAL, quoted_reason="Not\n  medically   necessary"))
    assert "“Not medically necessary”." in draft_letter(spread, TODAY)


def test_the_appeals_department_is_named_when_the_address_does_not_say_who() -> None:
    facts = replace(FULL, appeals_address="PO Box 18220\nColumbus, OH 43218")
    assert "Buckeye Mutual Health, Appeals Department\nPO Box 18220" in draft_letter(facts, TODAY)


def test_a_claim_asks_for_payment_and_gives_the_date_of_service() -> None:
    facts = replace(
        FULL, service_type=ServiceType.POST_SERVICE, date_of_service=dt.date(2026, 9, 2)
    )
    text = draft_letter(facts, TODAY)
    assert reference_block(text)["Date of service"] == "2 Sep 2026"
    assert "Reverse the denial and pay the claim for Microdiscectomy" in text
    assert "that I received on 2 Sep 2026" in text
    unknown = replace(facts, date_of_service=None)
    assert "date of service" in missing_fields(unknown)


# --- Plan families -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("family", "level", "wording"),
    [
        (AppealRules.ERISA_ACA, 1, "First-level internal appeal"),
        (AppealRules.ERISA_ACA, 2, "Second-level internal appeal"),
        (AppealRules.ERISA_ACA, 3, "External review by an independent review organization"),
        (AppealRules.ORIGINAL_MEDICARE, 1, "Redetermination (first level of appeal)"),
        (
            AppealRules.ORIGINAL_MEDICARE,
            2,
            "Reconsideration by the Qualified Independent Contractor (second level of appeal)",
        ),
        (
            AppealRules.ORIGINAL_MEDICARE,
            3,
            "Hearing before an Administrative Law Judge (third level of appeal)",
        ),
        (
            AppealRules.ORIGINAL_MEDICARE,
            4,
            "Review by the Medicare Appeals Council (fourth level of appeal)",
        ),
        (
            AppealRules.ORIGINAL_MEDICARE,
            5,
            "Judicial review in federal district court (fifth level of appeal)",
        ),
        (AppealRules.MEDICARE_ADVANTAGE, 1, "Reconsideration by the plan (first level of appeal)"),
        (
            AppealRules.MEDICARE_ADVANTAGE,
            2,
            "Review by the Independent Review Entity (second level of appeal)",
        ),
        (AppealRules.MEDICAID, 1, "Appeal to the health plan (first level of appeal)"),
        (AppealRules.MEDICAID, 2, "State fair hearing"),
        (AppealRules.MEDICAID, 4, "State fair hearing"),
        (AppealRules.SUPPLEMENTAL, 2, "Second-level appeal"),
        (None, 1, "First-level appeal"),
        (None, 9, "Fifth-level appeal"),
    ],
)
def test_level_wording_per_plan_family(
    family: AppealRules | None, level: int, wording: str
) -> None:
    assert level_name(family, level) == wording


@pytest.mark.parametrize(
    ("plan_type", "level", "subject"),
    [
        (PlanType.EMPLOYER_HMO, 1, "Re: First-level internal appeal — "),
        (PlanType.ACA_MARKETPLACE, 2, "Re: Second-level internal appeal — "),
        (PlanType.ORIGINAL_MEDICARE, 1, "Re: Redetermination (first level of appeal) — "),
        (
            PlanType.ORIGINAL_MEDICARE,
            2,
            "Re: Reconsideration by the Qualified Independent Contractor (second level of appeal) — ",
        ),
        (
            PlanType.MEDICARE_ADVANTAGE,
            1,
            "Re: Reconsideration by the plan (first level of appeal) — ",
        ),
        (PlanType.MEDICAID, 2, "Re: State fair hearing — "),
    ],
)
def test_the_letter_names_the_level_the_way_the_plan_does(
    plan_type: PlanType, level: int, subject: str
) -> None:
    text = draft_letter(replace(FULL, plan_type=plan_type, appeal_level=level), TODAY)
    assert subject in text
    wording = subject.removeprefix("Re: ").removesuffix(" — ")
    assert reference_block(text)["Appeal level"] == wording
    assert f"I am writing to request a {wording[0].lower()}{wording[1:]} of your decision" in text


@pytest.mark.parametrize(
    ("plan_type", "label"),
    [
        (PlanType.EMPLOYER_PPO, "Member ID"),
        (PlanType.ORIGINAL_MEDICARE, "Medicare number"),
        (PlanType.MEDICAID, "Medicaid ID"),
        (PlanType.MEDICARE_ADVANTAGE, "Member ID"),
    ],
)
def test_the_member_id_carries_the_name_on_the_card(plan_type: PlanType, label: str) -> None:
    facts = replace(EMPTY_APPEAL, plan_type=plan_type)
    block = reference_block(draft_letter(facts, TODAY))
    assert label in block
    assert label.replace("Member", "member") in missing_fields(facts)


@pytest.mark.parametrize(
    ("plan_type", "asks_for_group"),
    [
        (PlanType.EMPLOYER_PPO, True),
        (PlanType.HDHP_HSA, True),
        (PlanType.ACA_MARKETPLACE, False),
        (PlanType.ORIGINAL_MEDICARE, False),
        (PlanType.MEDICAID, False),
    ],
)
def test_a_group_number_is_asked_for_only_on_employer_plans(
    plan_type: PlanType, asks_for_group: bool
) -> None:
    facts = replace(EMPTY_APPEAL, plan_type=plan_type)
    assert ("group number" in missing_fields(facts)) is asks_for_group
    known = replace(facts, group_number="G-1")
    assert reference_block(draft_letter(known, TODAY))["Group number"] == "G-1"


@pytest.mark.parametrize(
    ("plan_type", "claim_file"),
    [
        (PlanType.EMPLOYER_PPO, "29 CFR 2560.503-1(h)(2)(iii) and (m)(8))"),
        (PlanType.ACA_MARKETPLACE, "through 45 CFR 147.136(b))"),
        (PlanType.ORIGINAL_MEDICARE, None),
        (PlanType.MEDICARE_ADVANTAGE, None),
        (PlanType.MEDICAID, None),
        (None, None),
    ],
)
def test_employer_and_aca_appeals_ask_for_the_whole_claim_file(
    plan_type: PlanType | None, claim_file: str | None
) -> None:
    text = draft_letter(replace(FULL, plan_type=plan_type), TODAY)
    asks = "complete claim file" in text and "recordings or notes of my phone calls" in text
    assert asks is (claim_file is not None)
    if claim_file:
        assert claim_file in text
    preauth = draft_letter(replace(FULL, plan_type=plan_type, denial=None), TODAY)
    assert "claim file" not in preauth


# --- Reasons -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "phrases", "blank"),
    [
        (
            DenialReason.MISSING_DOCUMENTATION,
            ["The enclosed records supply it", "• Physical therapy: 16 visits over 8 weeks"],
            None,
        ),
        (
            DenialReason.NOT_MEDICALLY_NECESSARY,
            [
                "is medically necessary for me",
                "• Physical therapy: 16 visits over 8 weeks",
                "• Epidural steroid injection, 22 Mar 2026: 40% relief for 3 weeks",
                "• Naproxen 500 mg twice a day: 6 weeks",
                "Dr. Samuel Okafor recommends Microdiscectomy",
            ],
            None,
        ),
        (
            DenialReason.EXPERIMENTAL,
            ["send me the clinical policy or coverage criteria you applied"],
            "supporting studies or guidelines",
        ),
        (
            DenialReason.OUT_OF_NETWORK,
            ["grant a network exception", "at the in-network level"],
            "why no in-network provider can do it",
        ),
        (
            DenialReason.NO_PREAUTHORIZATION,
            ["retroactive authorization", "on its medical merits"],
            "why the service was not preauthorized",
        ),
        (DenialReason.NOT_COVERED, ["the exact plan provision"], "plan provision covering it"),
        (DenialReason.OTHER, ["I believe the decision is wrong"], "why the decision is wrong"),
        (None, ["I believe the decision is wrong"], "why the decision is wrong"),
    ],
)
def test_each_denial_reason_gets_its_own_argument(
    reason: DenialReason | None, phrases: list[str], blank: str | None
) -> None:
    facts = replace(FULL, denial=replace(DENIAL, reason=reason))
    text = draft_letter(facts, TODAY)
    for phrase in phrases:
        assert phrase in text
    assert missing_fields(facts) == ([blank] if blank else [])


def test_without_a_care_summary_the_history_is_a_blank_to_fill_in() -> None:
    facts = replace(FULL, care_sections=())
    text = draft_letter(facts, TODAY)
    assert "lasting relief:\n• [conservative-care history]" in text
    assert missing_fields(facts) == ["conservative-care history"]


def test_an_out_of_network_denial_asks_for_in_network_benefits() -> None:
    facts = replace(FULL, denial=replace(DENIAL, reason=DenialReason.OUT_OF_NETWORK))
    outcome = reference_block(draft_letter(facts, TODAY))["Outcome requested"]
    assert outcome.endswith("at the in-network level of benefits.")


# --- Urgent ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("plan_type", "rule"),
    [
        (PlanType.EMPLOYER_PPO, "29 CFR 2560.503-1(m)(1)(ii)"),
        (PlanType.MEDICARE_ADVANTAGE, "42 CFR 422.584(c)(2)(ii)"),
        (PlanType.MEDICAID, "42 CFR 438.410(a)"),
        (PlanType.ORIGINAL_MEDICARE, None),
    ],
)
def test_an_urgent_request_asks_for_expedited_review_with_the_doctors_statement(
    plan_type: PlanType, rule: str | None
) -> None:
    facts = replace(FULL, plan_type=plan_type, urgent=True)
    text = draft_letter(facts, TODAY)
    assert "EXPEDITED (URGENT) REVIEW REQUESTED\nRe:" in text
    assert reference_block(text)["Review requested"] == "Expedited (urgent)"
    assert "Please decide this appeal on an expedited (urgent) basis" in text
    assert "My treating physician, Dr. Samuel Okafor, certifies that" in text
    assert (
        "Treating physician's statement of urgency (to be completed by the doctor):\n"
        "“[doctor's statement of urgency]”\n____"
    ) in text
    assert "Signature: ____" in text and "Name: Dr. Samuel Okafor\nDate: ____" in text
    assert missing_fields(facts) == ["doctor's statement of urgency"]
    assert (rule is not None and rule in text) or (rule is None and "CFR 4" not in text)


def test_a_standard_request_says_nothing_about_urgency() -> None:
    text = draft_letter(FULL, TODAY)
    assert "EXPEDITED" not in text
    assert "urgency" not in text


# --- Preauthorization ----------------------------------------------------------------------------


def test_without_a_denial_it_is_a_preauthorization_request() -> None:
    facts = replace(FULL, denial=None, claim_number=None)
    text = draft_letter(facts, TODAY)
    block = reference_block(text)
    assert "Re: Request for prior authorization — Microdiscectomy — left L4-L5" in text
    assert "Buckeye Mutual Health, Utilization Management (prior authorization)" in text
    assert block["Request"] == "Prior authorization"
    assert (
        block["Outcome requested"]
        == "Approve Microdiscectomy — left L4-L5 as requested by my doctor."
    )
    assert "Denial date" not in block and "Appeal level" not in block
    assert "appeal" not in text.lower()
    assert "I am writing in support of the request for prior authorization" in text
    assert "• Naproxen 500 mg twice a day" in text
    assert missing_fields(facts) == ["prior-authorization address or fax"]


def test_an_unscheduled_preauthorization_is_not_a_blank() -> None:
    facts = replace(FULL, denial=None, date_of_service=None)
    block = reference_block(draft_letter(facts, TODAY))
    assert block["Planned date of service"] == "not scheduled yet (waiting for approval)"


# --- Blanks ----------------------------------------------------------------------------------------


def test_unknown_facts_are_placeholders_listed_by_missing_fields() -> None:
    text = draft_letter(EMPTY_APPEAL, TODAY)
    block = reference_block(text)
    assert block["Patient"] == "[your name]"
    assert block["Date of birth"] == "[date of birth]"
    assert block["Member ID"] == "[member ID]"
    assert block["Claim or reference number"] == "[claim or reference number]"
    assert block["CPT code(s)"] == "[CPT code]"
    assert block["Reason quoted"] == "“[quoted denial reason]”"
    assert "Fax: [appeals fax]" in text
    assert missing_fields(EMPTY_APPEAL) == [
        "your name",
        "your address",
        "your phone number",
        "insurer",
        "appeals address",
        "appeals fax",
        "date of birth",
        "member ID",
        "claim or reference number",
        "CPT code",
        "ICD-10 code",
        "treating doctor",
        "quoted denial reason",
        "why the decision is wrong",
        "enclosures",
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"member_id": None}, "member ID"),
        ({"member_id": "   "}, "member ID"),
        ({"appeals_fax": None}, "appeals fax"),
        ({"appeals_address": None}, "appeals address"),
        ({"group_number": None}, "group number"),
        ({"patient_phone": None}, "your phone number"),
        ({"patient_address": ""}, "your address"),
        ({"date_of_birth": None}, "date of birth"),
        ({"cpt_codes": None}, "CPT code"),
        ({"icd10_codes": None}, "ICD-10 code"),
        ({"requesting_provider": None}, "treating doctor"),
        ({"enclosures": ()}, "enclosures"),
        (
            {"claim_number": None, "authorization_number": None, "reference_number": None},
            "claim or reference number",
        ),
    ],
)
def test_each_missing_fact_is_one_blank(change: dict[str, object], field: str) -> None:
    facts = replace(FULL, **change)  # type: ignore[arg-type]
    assert missing_fields(facts) == [field]
    assert f"[{field}]" in draft_letter(facts, TODAY)


def test_a_denial_reference_alone_is_not_the_case_number() -> None:
    facts = replace(FULL, claim_number=None, authorization_number=None, reference_number=None)
    block = reference_block(draft_letter(facts, TODAY))
    assert block["Denial notice reference"] == "DN-4471"
    assert block["Claim or reference number"] == "[claim or reference number]"


def test_the_same_number_is_listed_once() -> None:
    facts = replace(
        FULL,
        reference_number="PA-261120-8840",
        denial=replace(DENIAL, reference_number="PA-261120-8840"),
    )
    block = reference_block(draft_letter(facts, TODAY))
    assert "Reference number" not in block and "Denial notice reference" not in block


def test_placeholders_in_knows_only_the_letters_blanks() -> None:
    text = "He said [sic] it was fine. [member ID] and [appeals fax], again [member ID]."
    assert placeholders_in(text) == ["appeals fax", "member ID"]
    assert placeholders_in("all filled in") == []


LETTERS = [
    replace(base, plan_type=plan_type, urgent=urgent, service_type=service, denial=denial)
    for base, plan_type, urgent, service, denial in itertools.product(
        (FULL, EMPTY),
        (*PlanType, None),
        (False, True),
        tuple(ServiceType),
        (None, DENIAL, *(replace(DENIAL, reason=reason) for reason in (*DenialReason, None))),
    )
]


def test_no_letter_ever_says_none_or_leaves_an_unknown_bracket() -> None:
    for facts in LETTERS:
        text = draft_letter(facts, TODAY)
        assert not re.search(r"\bNone\b", text), facts
        assert "  " not in text.replace("   ", "")  # no doubled spaces from empty parts
        for name in re.findall(r"\[([^\]]+)\]", text):
            assert name in PLACEHOLDERS, name
        assert missing_fields(facts) == placeholders_in(text)
        assert text.endswith("\n") and not text.endswith("\n\n")


# --- The timeline ------------------------------------------------------------------------------------


def ev(number: int, kind: EventType, day: str, **fields: object) -> CaseEvent:
    return CaseEvent(number, CaseEventData(1, kind, dt.date.fromisoformat(day), **fields))  # type: ignore[arg-type]


REQUEST = ev(1, EventType.REQUEST_SUBMITTED, "2026-03-01")
DENIED = ev(
    2,
    EventType.DENIED,
    "2026-03-05",
    received_date=dt.date(2026, 3, 9),
    reason=DenialReason.MISSING_DOCUMENTATION,
    quoted_reason="  PT notes missing. ",
    reference_number="N-1",
)
APPEAL_1 = ev(3, EventType.APPEAL_FILED, "2026-04-01", level=1)
UPHELD_1 = ev(4, EventType.DECISION, "2026-04-20", outcome=Outcome.DENIED, level=1)
APPEAL_2 = ev(5, EventType.APPEAL_FILED, "2026-05-01", level=2)
UPHELD_2 = ev(6, EventType.DECISION, "2026-05-20", outcome=Outcome.DENIED)
APPROVED = ev(7, EventType.DECISION, "2026-05-20", outcome=Outcome.APPROVED)


@pytest.mark.parametrize(
    ("events", "level"),
    [
        ([], 1),
        ([REQUEST], 1),
        ([REQUEST, DENIED], 1),
        ([REQUEST, DENIED, APPEAL_1], 1),  # the letter of the appeal already filed
        ([REQUEST, DENIED, APPEAL_1, UPHELD_1], 2),
        ([APPEAL_1, UPHELD_1, DENIED, REQUEST], 2),  # any order in, timeline order used
        ([REQUEST, DENIED, APPEAL_1, UPHELD_1, APPEAL_2], 2),
        ([REQUEST, DENIED, APPEAL_1, UPHELD_1, APPEAL_2, UPHELD_2], 3),
        ([REQUEST, DENIED, APPEAL_1, APPROVED], 1),
        (
            [
                REQUEST,
                DENIED,
                ev(8, EventType.DECISION, "2026-04-20", outcome=Outcome.DENIED, level=4),
            ],
            5,
        ),
        (
            [
                REQUEST,
                ev(9, EventType.DENIED, "2026-03-05", reason=DenialReason.OTHER),
                ev(8, EventType.APPEAL_FILED, "2026-03-05", level=1),
            ],
            2,  # same day: entered after the appeal, so the denial answers it
        ),
    ],
)
def test_the_level_is_the_next_one_after_the_last_appeal(
    events: list[CaseEvent], level: int
) -> None:
    assert appeal_level_after(events) == level


def test_the_latest_denial_is_the_decision_being_appealed() -> None:
    assert latest_denial([REQUEST]) is None
    first = latest_denial([REQUEST, DENIED])
    assert first == DenialFacts(
        day=dt.date(2026, 3, 5),
        received=dt.date(2026, 3, 9),
        reason=DenialReason.MISSING_DOCUMENTATION,
        quoted_reason="PT notes missing.",
        reference_number="N-1",
    )
    upheld = latest_denial([REQUEST, DENIED, APPEAL_1, UPHELD_1])
    assert upheld is not None
    assert upheld.day == dt.date(2026, 4, 20)
    assert upheld.reason is DenialReason.MISSING_DOCUMENTATION  # the decision gave none
    assert upheld.quoted_reason == "PT notes missing."
    assert upheld.reference_number is None
    partly = ev(10, EventType.DECISION, "2026-06-01", outcome=Outcome.PARTLY_APPROVED)
    assert latest_denial([DENIED, partly]) is not None
    claim = ev(11, EventType.CLAIM_DENIED, "2026-07-01", reason=DenialReason.NOT_COVERED)
    result = latest_denial([DENIED, claim])
    assert result is not None and result.reason is DenialReason.NOT_COVERED
    p2p = ev(12, EventType.P2P_OUTCOME, "2026-03-20", outcome=Outcome.DENIED)
    assert latest_denial([REQUEST, p2p]) is None
