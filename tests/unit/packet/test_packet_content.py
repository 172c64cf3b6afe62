"""What the packet's front pages say (``front_facts``), and the text every page is drawn in."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from backlog_app.domain.cases import (
    CaseData,
    CaseEventData,
    DenialReason,
    EventType,
    Priority,
    Procedure,
)
from backlog_app.domain.packet import PacketSection
from backlog_app.errors import UserError
from backlog_app.services.context import ProfileSession
from backlog_app.services.packet.content import FrontFacts, front_facts, main_plan, period_words
from backlog_app.services.packet.request import PacketRequest
from backlog_app.services.packet.styles import printable

TODAY = dt.date(2026, 11, 27)


def case_named(profile: ProfileSession, start: str) -> int:
    """The id of the demo case whose title starts with ``start``."""
    return next(i for i, title in profile.cases.titles().items() if title.startswith(start))


def rows_of(facts: FrontFacts) -> dict[str, str]:
    """The reference block's rows by label (subheadings left out)."""
    return {label: value for label, value in facts.reference_rows if value}


def test_a_denied_case_is_an_appeal_with_every_reference_field(
    demo_profile: ProfileSession,
) -> None:
    case_id = case_named(demo_profile, "Epidural")
    facts = front_facts(demo_profile, PacketRequest(case_id=case_id))

    assert facts.title.startswith("Coverage packet — Epidural steroid injection")
    assert facts.subject.startswith("Appeal of denied coverage: Epidural steroid injection")
    assert facts.identity.header_line() == (
        "Maria Alvarez · DOB 27 Jul 1974 · Member ID BMH-448210937 · Case ref. UM-260419-20417"
    )
    assert facts.to_lines == (
        "Buckeye Mutual Health — Appeals Unit",
        "PO Box 18220",
        "Columbus, OH 43218",
    )
    assert facts.to_fax == "1-614-555-0190"
    assert facts.from_lines[0] == "Maria Alvarez"
    assert facts.from_lines[-1] == "Phone: (614) 555-0142"
    assert facts.prepared_on == TODAY
    assert facts.period is None
    assert facts.urgent is False
    assert facts.letter_text is not None  # the demo keeps Maria's draft on this case
    assert facts.letter_text.startswith("Maria Alvarez\n")
    rows = rows_of(facts)
    # DOMAIN.md's reference fields, each with the value recorded.
    expected = {
        "Patient": "Maria Alvarez",
        "Date of birth": "27 Jul 1974",
        "Member ID": "BMH-448210937",
        "Group number": "GRP-77120",
        "Reference number": "UM-260419-20417",
        "CPT code(s)": "64483",
        "ICD-10 code(s)": "M51.16",
        "Denial date": "20 Aug 2026 (received 23 Aug 2026)",
        "Appeal level requested": "Second-level internal appeal",
        "Requesting provider": "Dr. Priya Raman",
        "Facility": "Northside Surgery Center",
        "Planned date of service": "Not scheduled yet",
    }
    assert {label: rows.get(label) for label in expected} == expected
    assert rows["Reason quoted"].startswith("“The denial is upheld")
    headings = [label for label, value in facts.reference_rows if not value]
    assert headings == ["Patient and plan", "This request", "The decision being appealed"]


@pytest.mark.parametrize(
    ("title", "subject", "department", "denial_row"),
    [
        # Approved after a denial: no longer an appeal, the old denial is named as such.
        ("Microdiscectomy", "Request for prior authorization: ", "Utilization", "Earlier denial"),
        ("Lumbar MRI", "Request for prior authorization: ", "Utilization", None),
    ],
)
def test_settled_cases_are_not_appeals(
    demo_profile: ProfileSession,
    title: str,
    subject: str,
    department: str,
    denial_row: str | None,
) -> None:
    facts = front_facts(demo_profile, PacketRequest(case_id=case_named(demo_profile, title)))
    assert facts.subject.startswith(subject + title)
    assert facts.to_lines[0] == "Buckeye Mutual Health"
    assert facts.to_lines[1].startswith(department)
    assert facts.to_fax is None  # the appeals fax is for appeals only
    assert facts.letter_text is None
    rows = rows_of(facts)
    assert "Appeal level requested" not in rows
    assert (denial_row in rows) if denial_row else ("Denial date" not in rows)


def test_a_past_date_of_service_is_not_called_planned(demo_profile: ProfileSession) -> None:
    rows = rows_of(
        front_facts(demo_profile, PacketRequest(case_id=case_named(demo_profile, "Lumbar")))
    )
    assert rows["Date of service"] == "31 Jan 2026"
    assert rows["Claim number"] == "EC2601317731"
    assert rows["Authorization number"] == "PA-260124-5521"


def test_an_urgent_case_with_a_saved_letter(demo_profile: ProfileSession) -> None:
    plan_id = next(s.id for s in demo_profile.plans.list() if s.data.priority == 1)
    case_id = demo_profile.cases.add(
        CaseData(
            Procedure.LUMBAR_FUSION,
            "L4-L5",
            plan_id=plan_id,
            priority=Priority.URGENT,
            claim_number="CLM-1",
        )
    )
    demo_profile.cases.add_event(
        CaseEventData(
            case_id, EventType.DENIED, dt.date(2026, 11, 2), reason=DenialReason.EXPERIMENTAL
        )
    )
    demo_profile.cases.set_letter_draft(case_id, "Dear reviewer,\n\nPlease look again.")

    facts = front_facts(demo_profile, PacketRequest(case_id=case_id))

    assert facts.urgent is True
    assert facts.letter_text == "Dear reviewer,\n\nPlease look again."
    assert facts.identity.reference_number == "CLM-1"  # no reference number: the claim's
    rows = rows_of(facts)
    assert rows["Review requested"] == "Expedited (urgent)"
    assert rows["CPT code(s)"] == "Not recorded"
    assert rows["Appeal level requested"] == "First-level internal appeal"
    assert rows["Denial reason"] == "Experimental / investigational"


def test_the_whole_record_names_the_plans_and_every_case(demo_profile: ProfileSession) -> None:
    request = PacketRequest(since=dt.date(2026, 1, 1), until=dt.date(2026, 6, 30))
    facts = front_facts(demo_profile, request)

    assert facts.title == "Coverage packet — complete record"
    assert facts.case_title is None
    assert facts.subject == "Medical record summary"
    assert facts.identity.reference_number is None
    assert facts.identity.member_id == "BMH-448210937"  # the main plan, not the supplemental
    assert facts.period == "1 Jan 2026 to 30 Jun 2026"
    labels = [label for label, _ in facts.reference_rows]
    assert labels.count("Service requested") == 4
    assert "Secondary plan" in labels  # the hospital-indemnity policy
    headings = [label for label, value in facts.reference_rows if not value]
    assert headings[0] == "Patient and plans"
    assert set(headings[1:]) == set(demo_profile.cases.titles().values())
    numbers = {value for label, value in facts.reference_rows if label == "Reference number"}
    assert {"UM-260419-20417", "UM-261024-31862", "UM-261026-32107"} <= numbers


def test_an_empty_profile_names_what_is_missing(profile: ProfileSession) -> None:
    facts = front_facts(profile, PacketRequest())
    assert facts.identity.header_line() == (
        "Name not entered · DOB not entered · Member ID not entered"
    )
    assert facts.to_lines == ("Insurer not recorded",)
    assert facts.from_lines == ("Name not entered",)
    assert rows_of(facts)["Patient"] == "Not recorded"


def test_a_deleted_case_is_a_plain_error(profile: ProfileSession) -> None:
    with pytest.raises(UserError):
        front_facts(profile, PacketRequest(case_id=404))


@pytest.mark.parametrize(
    ("since", "until", "words"),
    [
        (None, None, None),
        (dt.date(2025, 1, 1), None, "1 Jan 2025 to 27 Nov 2026"),
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31), "1 Jan 2025 to 31 Dec 2025"),
        (None, dt.date(2026, 3, 3), "Everything up to 3 Mar 2026"),
        (None, dt.date(2027, 1, 1), "Everything up to 27 Nov 2026"),  # never past today
    ],
)
def test_period_words(since: dt.date | None, until: dt.date | None, words: str | None) -> None:
    assert period_words(since, until, TODAY) == words


def test_main_plan_prefers_the_plan_in_force(demo_profile: ProfileSession) -> None:
    plans = [stored.data for stored in demo_profile.plans.list()]
    assert main_plan(plans, TODAY) is not None
    ended = [dataclasses.replace(plans[0], coverage_end=dt.date(2025, 12, 31), priority=1)]
    current = dataclasses.replace(plans[0], insurer="Next Year Health", priority=2)
    assert main_plan([*ended, current], TODAY) == current
    assert main_plan([p for p in plans if p.plan_type.is_supplemental], TODAY) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Maria Alvarez", "Maria Alvarez"),
        ("Café — “quoted” € 5 · 10%", "Café — “quoted” € 5 · 10%"),  # all in Windows-1252
        ("Łódź Żółć", "Lódz Zólc"),  # ó is in Windows-1252; ł, ź, ż are not
        ("pain → better, ≥ 50%", "pain -> better, >= 50%"),
        ("漢字", "??"),
    ],
)
def test_printable_keeps_what_the_pdf_fonts_have(text: str, expected: str) -> None:
    assert printable(text) == expected


def test_letter_is_a_choosable_section() -> None:
    # The contract the assembler relies on: the letter is drawn only when chosen.
    assert PacketRequest(case_id=1).includes(PacketSection.LETTER)
    request = PacketRequest(case_id=1, sections=frozenset())
    assert not request.includes(PacketSection.LETTER)
    assert request.includes(PacketSection.REFERENCE)
