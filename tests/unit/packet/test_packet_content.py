"""What the packet's front pages say (``front_facts``), and the text every page is drawn in."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from backlog_app.domain.cases import (
    CaseData,
    CaseEventData,
    DenialReason,
    EventType,
    Priority,
    Procedure,
)
from backlog_app.domain.dates import (
    format_day_and_weekday,
    format_long_date,
    format_month_year,
    month_name,
    weekday_name,
)
from backlog_app.domain.packet import PacketSection
from backlog_app.domain.records import PlanData, PlanType, main_plan_in_force
from backlog_app.errors import UserError
from backlog_app.services.context import ProfileSession
from backlog_app.services.packet.content import FrontFacts, Period, front_facts, main_plan
from backlog_app.services.packet.request import PacketRequest
from backlog_app.services.packet.styles import printable
from tests.unit.packet.conftest import case_named

TODAY = dt.date(2026, 11, 27)


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
    ("since", "until", "words", "within", "intro"),
    [
        (None, None, None, "", "All calls recorded, up to 27 Nov 2026."),
        (
            dt.date(2025, 1, 1),
            None,
            "1 Jan 2025 to 27 Nov 2026",
            " between 1 Jan 2025 and 27 Nov 2026",
            "Calls from 1 Jan 2025 to 27 Nov 2026.",
        ),
        (
            dt.date(2025, 1, 1),
            dt.date(2025, 12, 31),
            "1 Jan 2025 to 31 Dec 2025",
            " between 1 Jan 2025 and 31 Dec 2025",
            "Calls from 1 Jan 2025 to 31 Dec 2025.",
        ),
        (
            None,
            dt.date(2026, 3, 3),
            "Everything up to 3 Mar 2026",
            " up to 3 Mar 2026",
            "Calls recorded up to 3 Mar 2026.",
        ),
        (  # never past today
            None,
            dt.date(2027, 1, 1),
            "Everything up to 27 Nov 2026",
            " up to 27 Nov 2026",
            "Calls recorded up to 27 Nov 2026.",
        ),
    ],
)
def test_the_period_is_worded_alike_everywhere(
    since: dt.date | None, until: dt.date | None, words: str | None, within: str, intro: str
) -> None:
    period = Period.of(since, until, TODAY)
    assert (period.words(), period.within(), period.intro("calls")) == (words, within, intro)


def test_the_cover_is_dated_the_day_the_packet_was_created(demo_profile: ProfileSession) -> None:
    # The footer and metadata carry the request's ``created``: the cover says the same day.
    created = dt.datetime(2026, 11, 20, 23, 59)
    assert front_facts(demo_profile, PacketRequest(created=created)).prepared_on == created.date()
    case_id = case_named(demo_profile, "Epidural")
    request = PacketRequest(case_id=case_id, created=created)
    assert front_facts(demo_profile, request).prepared_on == created.date()
    assert front_facts(demo_profile, PacketRequest()).prepared_on == TODAY  # the clock's


def plan(priority: int, **fields: Any) -> PlanData:
    return dataclasses.replace(
        PlanData(f"Insurer {priority}", PlanType.EMPLOYER_PPO, priority=priority), **fields
    )


@pytest.mark.parametrize(
    ("plans", "expected"),
    [
        ([], None),
        ([plan(2), plan(1)], 1),
        ([plan(1, coverage_end=dt.date(2026, 11, 26)), plan(2)], 2),  # ended yesterday
        ([plan(1, coverage_end=TODAY), plan(2)], 1),  # ends today: still in force
        ([plan(1, coverage_start=dt.date(2026, 11, 28)), plan(2)], 2),  # starts tomorrow
        ([plan(1, plan_type=PlanType.HOSPITAL_INDEMNITY), plan(2)], 2),  # supplemental
        ([plan(1, coverage_end=dt.date(2025, 12, 31))], None),  # nothing in force
        ([plan(1, insurer="First"), plan(1, insurer="Second")], 1),  # a tie: the first
    ],
)
def test_main_plan_in_force(plans: list[PlanData], expected: int | None) -> None:
    found = main_plan_in_force(plans, TODAY)
    assert (found.priority if found else None) == expected
    if len(plans) == 2 and plans[0].priority == plans[1].priority:
        assert found is plans[0]


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


# --- Dates in words -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "words"),
    [
        # month, short month, weekday, short weekday, month and year, short, log row, long date
        (
            dt.date(2026, 3, 1),
            ("March", "Mar", "Sunday", "Sun", "March 2026", "Mar 2026", "Sun 1 Mar", "1 Mar 2026"),
        ),
        (
            dt.date(2025, 9, 29),
            (
                "September",
                "Sep",
                "Monday",
                "Mon",
                "September 2025",
                "Sep 2025",
                "Mon 29 Sep",
                "29 Sep 2025",
            ),
        ),
        (
            dt.date(2024, 2, 29),
            (
                "February",
                "Feb",
                "Thursday",
                "Thu",
                "February 2024",
                "Feb 2024",
                "Thu 29 Feb",
                "29 Feb 2024",
            ),
        ),
        (
            dt.date(2026, 12, 31),
            (
                "December",
                "Dec",
                "Thursday",
                "Thu",
                "December 2026",
                "Dec 2026",
                "Thu 31 Dec",
                "31 Dec 2026",
            ),
        ),
    ],
)
def test_dates_in_english_words(day: dt.date, words: tuple[str, ...]) -> None:
    assert (
        month_name(day),
        month_name(day, short=True),
        weekday_name(day),
        weekday_name(day, short=True),
        format_month_year(day),
        format_month_year(day, short=True),
        format_day_and_weekday(day),
        format_long_date(day),
    ) == words


def test_dates_stay_english_in_a_foreign_locale(foreign_time_locale: str) -> None:
    day = dt.date(2026, 3, 1)
    assert f"{day:%B}" != "March"  # the locale is in force: strftime would say "März"
    assert format_long_date(day) == "1 Mar 2026"
    assert format_month_year(day) == "March 2026"
    assert format_day_and_weekday(day) == "Sun 1 Mar"
