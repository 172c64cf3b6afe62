"""Deadlines of coverage cases: which clocks a timeline opens and closes, and the dates they give.

Every expected date below was counted by hand from the figures in docs/deadlines.md.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import pytest

from backlog_app.domain.cases import (
    Call,
    CallData,
    CallDirection,
    CaseEvent,
    CaseEventData,
    CaseStatus,
    DenialReason,
    EventType,
    Outcome,
    Priority,
    ServiceType,
    derive_status,
)
from backlog_app.domain.deadline_rules import (
    RULES,
    Party,
    RuleKey,
    RuleOverride,
    Unit,
    add_period,
    rules_for,
)
from backlog_app.domain.deadlines import (
    DUE_SOON_DAYS,
    CaseFacts,
    DueItem,
    DueStatus,
    call_due_items,
    case_due_items,
    due_status,
    effective_rules,
    next_step,
)
from backlog_app.domain.records import AppealRules

TODAY = dt.date(2026, 11, 27)
CASE_ID = 4
TITLE = "Microdiscectomy — L4-L5 left"
E = EventType
K = RuleKey
ERISA = AppealRules.ERISA_ACA
MEDICARE = AppealRules.ORIGINAL_MEDICARE
MA = AppealRules.MEDICARE_ADVANTAGE
MEDICAID = AppealRules.MEDICAID
SUPPLEMENTAL = AppealRules.SUPPLEMENTAL
PRE, POST = ServiceType.PRE_SERVICE, ServiceType.POST_SERVICE
URGENT = Priority.URGENT
NO_PLAN = "no plan chosen on this case: using employer-plan rules"
DOCTOR = "Dr. Okafor"
DOCTORS_OFFICE = "Dr. Okafor's office"
DENIED, APPROVED, PARTLY = Outcome.DENIED, Outcome.APPROVED, Outcome.PARTLY_APPROVED
MISSING = DenialReason.MISSING_DOCUMENTATION


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def ev(event_id: int, kind: EventType, day: str, **fields: object) -> CaseEvent:
    return CaseEvent(event_id, CaseEventData(CASE_ID, kind, d(day), **fields))  # type: ignore[arg-type]


def facts(
    *events: CaseEvent,
    family: AppealRules | None = ERISA,
    priority: Priority = Priority.STANDARD,
    service: ServiceType = PRE,
    overrides: dict[RuleKey, RuleOverride] | None = None,
    scheduled: str | None = None,
    calls: Sequence[Call] = (),
    provider: str | None = DOCTOR,
) -> CaseFacts:
    return CaseFacts(
        case_id=CASE_ID,
        title=TITLE,
        family=family,
        priority=priority,
        service_type=service,
        events=events,
        calls=calls,
        overrides=overrides,
        scheduled_date=d(scheduled) if scheduled else None,
        requesting_provider=provider,
    )


def due(case: CaseFacts) -> list[tuple[RuleKey | None, dt.date]]:
    return [(item.rule, item.due) for item in case_due_items(case, TODAY)]


def only(case: CaseFacts) -> DueItem:
    items = case_due_items(case, TODAY)
    assert len(items) == 1, items
    return items[0]


# The events most tables start from.
REQUEST = ev(1, E.REQUEST_SUBMITTED, "2026-03-02")
DENIAL = ev(2, E.DENIED, "2026-03-03", received_date=d("2026-03-05"), reason=MISSING)
DENIAL_UNDATED = ev(2, E.DENIED, "2026-03-03", reason=MISSING)
CLAIM_DENIAL = ev(2, E.CLAIM_DENIED, "2026-03-03", received_date=d("2026-03-05"), reason=MISSING)
APPEAL = ev(3, E.APPEAL_FILED, "2026-04-01", level=1)


# -- the plan's first decision ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("family", "priority", "service", "expected"),
    [
        (ERISA, Priority.STANDARD, PRE, [(K.ERISA_DECISION_PRE_SERVICE, d("2026-03-17"))]),
        (ERISA, URGENT, PRE, [(K.ERISA_DECISION_URGENT, d("2026-03-05"))]),
        (ERISA, Priority.STANDARD, POST, [(K.ERISA_DECISION_POST_SERVICE, d("2026-04-01"))]),
        # Care already given is never urgent.
        (ERISA, URGENT, POST, [(K.ERISA_DECISION_POST_SERVICE, d("2026-04-01"))]),
        (MA, Priority.STANDARD, PRE, [(K.MA_DECISION_STANDARD, d("2026-03-09"))]),
        (MA, URGENT, PRE, [(K.MA_DECISION_EXPEDITED, d("2026-03-05"))]),
        (MA, Priority.STANDARD, POST, []),
        (MEDICAID, Priority.STANDARD, PRE, [(K.MEDICAID_DECISION_STANDARD, d("2026-03-09"))]),
        (MEDICAID, URGENT, PRE, [(K.MEDICAID_DECISION_EXPEDITED, d("2026-03-05"))]),
        (MEDICAID, URGENT, POST, []),
        (MEDICARE, Priority.STANDARD, PRE, []),
        (MEDICARE, URGENT, PRE, []),
        (SUPPLEMENTAL, Priority.STANDARD, PRE, []),
        (None, Priority.STANDARD, PRE, [(K.ERISA_DECISION_PRE_SERVICE, d("2026-03-17"))]),
        (None, URGENT, PRE, [(K.ERISA_DECISION_URGENT, d("2026-03-05"))]),
    ],
)
def test_initial_decision_per_family(
    family: AppealRules | None,
    priority: Priority,
    service: ServiceType,
    expected: list[tuple[RuleKey, dt.date]],
) -> None:
    assert due(facts(REQUEST, family=family, priority=priority, service=service)) == expected


def test_insurer_clock_wording() -> None:
    item = only(facts(REQUEST))
    assert item == DueItem(
        title="The plan decides the preauthorization",
        due=d("2026-03-17"),
        party=Party.INSURER,
        explanation="15 days after the request submitted on 2 Mar 2026",
        source="ERISA claims rule, 29 CFR 2560.503-1(f)(2)(iii)(A)",
        rule=K.ERISA_DECISION_PRE_SERVICE,
        case_id=CASE_ID,
        case_title=TITLE,
        event_id=1,
    )
    urgent = only(facts(REQUEST, priority=URGENT))
    assert urgent.explanation == "72 hours after the urgent request submitted on 2 Mar 2026"


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        # An expedited request before the request makes it urgent...
        (
            [ev(9, E.EXPEDITED_REQUESTED, "2026-03-01"), REQUEST],
            [(K.ERISA_DECISION_URGENT, d("2026-03-05"))],
        ),
        # ... after it, the urgent clock runs from the expedited request when that is sooner.
        (
            [REQUEST, ev(9, E.EXPEDITED_REQUESTED, "2026-03-05")],
            [(K.ERISA_DECISION_URGENT, d("2026-03-08"))],
        ),
        (
            [REQUEST, ev(9, E.EXPEDITED_REQUESTED, "2026-03-16")],
            [(K.ERISA_DECISION_PRE_SERVICE, d("2026-03-17"))],
        ),
    ],
)
def test_expedited_request_on_a_pending_request(
    events: list[CaseEvent], expected: list[tuple[RuleKey, dt.date]]
) -> None:
    assert due(facts(*events)) == expected


def test_expedited_request_never_lengthens_a_clock() -> None:
    # Medicare Advantage: 7 days from 2 Mar is 9 Mar; 72 hours from 8 Mar would be 11 Mar.
    case = facts(REQUEST, ev(9, E.EXPEDITED_REQUESTED, "2026-03-08"), family=MA)
    assert due(case) == [(K.MA_DECISION_STANDARD, d("2026-03-09"))]


@pytest.mark.parametrize(
    ("family", "expected"),
    [
        (ERISA, [(K.ERISA_DECISION_POST_SERVICE, d("2026-04-01"))]),
        (MA, []),
        (MEDICARE, []),
        (MEDICAID, []),
    ],
)
def test_claim_submitted(family: AppealRules, expected: list[tuple[RuleKey, dt.date]]) -> None:
    # A claim always uses post-service rules, even on a preauthorization case.
    claim = ev(1, E.CLAIM_SUBMITTED, "2026-03-02")
    assert due(facts(claim, family=family, service=PRE, priority=URGENT)) == expected


# -- your first appeal -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("family", "denial", "expected"),
    [
        # 180 days from the day received (5 Mar), or from the notice's date (3 Mar).
        (ERISA, DENIAL, [(K.ERISA_APPEAL_FILING, d("2026-09-01"))]),
        (ERISA, DENIAL_UNDATED, [(K.ERISA_APPEAL_FILING, d("2026-08-30"))]),
        (ERISA, CLAIM_DENIAL, [(K.ERISA_APPEAL_FILING, d("2026-09-01"))]),
        (None, DENIAL, [(K.ERISA_APPEAL_FILING, d("2026-09-01"))]),
        # 120 days from the presumed receipt (3 Mar + 5 = 8 Mar), or from an earlier day of
        # arrival the user noted (5 Mar: the safer date).
        (MEDICARE, DENIAL, [(K.MEDICARE_REDETERMINATION_FILING, d("2026-07-03"))]),
        (MEDICARE, DENIAL_UNDATED, [(K.MEDICARE_REDETERMINATION_FILING, d("2026-07-06"))]),
        (MEDICARE, CLAIM_DENIAL, [(K.MEDICARE_REDETERMINATION_FILING, d("2026-07-03"))]),
        # 65 and 60 days from the date on the notice.
        (MA, DENIAL, [(K.MA_RECONSIDERATION_FILING, d("2026-05-07"))]),
        (MEDICAID, DENIAL, [(K.MEDICAID_APPEAL_FILING, d("2026-05-02"))]),
        (SUPPLEMENTAL, DENIAL, []),
    ],
)
def test_first_appeal_per_family(
    family: AppealRules | None, denial: CaseEvent, expected: list[tuple[RuleKey, dt.date]]
) -> None:
    assert due(facts(REQUEST, denial, family=family)) == expected


@pytest.mark.parametrize(
    ("denial", "family", "explanation"),
    [
        (DENIAL, ERISA, "180 days after the denial you received on 5 Mar 2026"),
        (
            DENIAL_UNDATED,
            ERISA,
            "180 days after the denial dated 3 Mar 2026 (add the day it arrived to count from then)",
        ),
        (CLAIM_DENIAL, ERISA, "180 days after the claim denial you received on 5 Mar 2026"),
        (DENIAL, None, f"180 days after the denial you received on 5 Mar 2026; {NO_PLAN}"),
        (DENIAL, MA, "65 days after the denial dated 3 Mar 2026"),
        (DENIAL, MEDICAID, "60 days after the denial dated 3 Mar 2026"),
        (
            DENIAL_UNDATED,
            MEDICARE,
            "120 days after 8 Mar 2026: the denial dated 3 Mar 2026 is presumed received "
            "5 days after the notice date",
        ),
        (
            DENIAL,
            MEDICARE,
            "120 days after the denial you received on 5 Mar 2026 (dated 3 Mar 2026; Medicare "
            "would presume 8 Mar 2026, 5 days after the notice date, but BackLog counts from "
            "the earlier day you noted, to be safe)",
        ),
    ],
)
def test_first_appeal_explanations(
    denial: CaseEvent, family: AppealRules | None, explanation: str
) -> None:
    item = only(facts(REQUEST, denial, family=family))
    assert item.explanation == explanation
    assert item.party is Party.YOU
    assert item.event_id == 2
    assert item.source == RULES[item.rule].source if item.rule else False
    assert not item.overridden


@pytest.mark.parametrize(
    ("family", "title"),
    [
        (ERISA, "File your first appeal"),
        (MEDICARE, "Ask for a redetermination (level 1 appeal)"),
        (MA, "Ask the plan for a reconsideration (appeal)"),
        (MEDICAID, "File your appeal with the plan"),
    ],
)
def test_first_appeal_titles(family: AppealRules, title: str) -> None:
    assert only(facts(DENIAL, family=family)).title == title


# -- Medicare's presumed receipt, leap years and month ends ----------------------------------


@pytest.mark.parametrize(
    ("notice", "received", "expected", "said"),
    [
        # 28 Dec 2025 + 5 days = 2 Jan 2026, + 120 days = 2 May 2026.
        (
            "2025-12-28",
            None,
            "2026-05-02",
            "120 days after 2 Jan 2026: the claim denial dated 28 Dec 2025",
        ),
        # A later arrival is not used: Medicare asks for proof.
        (
            "2025-12-28",
            "2026-01-08",
            "2026-05-02",
            "(you noted it arrived on 8 Jan 2026, but Medicare counts from the presumed day "
            "unless you can prove the later one)",
        ),
        (
            "2025-12-28",
            "2026-01-02",
            "2026-05-02",
            "presumed received 5 days after the notice date",
        ),
        # 24 Feb 2028 + 5 days = 29 Feb 2028 (a leap year), + 120 days = 28 Jun 2028.
        ("2028-02-24", None, "2028-06-28", "120 days after 29 Feb 2028"),
        # 24 Feb 2027 + 5 days = 1 Mar 2027, + 120 days = 29 Jun 2027.
        ("2027-02-24", None, "2027-06-29", "120 days after 1 Mar 2027"),
    ],
)
def test_medicare_presumes_receipt_five_days_after_the_notice(
    notice: str, received: str | None, expected: str, said: str
) -> None:
    denial = ev(
        1,
        E.CLAIM_DENIED,
        notice,
        reason=DenialReason.NOT_MEDICALLY_NECESSARY,
        received_date=d(received) if received else None,
    )
    item = only(facts(denial, family=MEDICARE, service=POST))
    assert (item.rule, item.due) == (K.MEDICARE_REDETERMINATION_FILING, d(expected))
    assert said in item.explanation


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        ("2024-02-29", "2024-08-27"),  # 180 days from a leap day
        ("2023-02-28", "2023-08-27"),
        ("2024-03-01", "2024-08-28"),
        ("2026-12-31", "2027-06-29"),  # across the year
        ("2027-09-01", "2028-02-28"),  # ends in a leap year's February
    ],
)
def test_erisa_appeal_filing_counts_calendar_days(received: str, expected: str) -> None:
    denial = ev(1, E.DENIED, "2020-01-01", received_date=d(received), reason=MISSING)
    assert due(facts(denial)) == [(K.ERISA_APPEAL_FILING, d(expected))]


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        ("2026-10-31", "2027-02-28"),  # no 31 Feb: the month's last day
        ("2027-10-31", "2028-02-29"),  # a leap year
        ("2027-10-29", "2028-02-29"),
        ("2026-10-28", "2027-02-28"),
        ("2026-08-31", "2026-12-31"),
        ("2026-06-30", "2026-10-30"),
        ("2026-05-31", "2026-09-30"),
        ("2026-09-15", "2027-01-15"),  # across the year
    ],
)
def test_external_review_within_four_months(received: str, expected: str) -> None:
    events = [
        ev(1, E.DENIED, "2026-01-05", reason=MISSING),
        ev(2, E.APPEAL_FILED, "2026-02-01", level=1),
        ev(3, E.DECISION, "2026-03-01", outcome=DENIED, received_date=d(received)),
    ]
    assert due(facts(*events)) == [(K.EXTERNAL_REVIEW_FILING, d(expected))]


@pytest.mark.parametrize(
    ("start", "amount", "unit", "expected"),
    [
        ("2026-03-02", 72, Unit.HOURS, "2026-03-05"),
        ("2026-03-02", 48, Unit.HOURS, "2026-03-04"),
        ("2026-03-02", 25, Unit.HOURS, "2026-03-04"),  # hours round up to whole days
        ("2026-03-02", 1, Unit.HOURS, "2026-03-03"),
        ("2026-12-30", 72, Unit.HOURS, "2027-01-02"),
        ("2028-02-27", 72, Unit.HOURS, "2028-03-01"),
        ("2026-01-31", 1, Unit.MONTHS, "2026-02-28"),
        ("2028-01-31", 1, Unit.MONTHS, "2028-02-29"),
        ("2026-11-30", 3, Unit.MONTHS, "2027-02-28"),
        ("2026-12-15", 4, Unit.MONTHS, "2027-04-15"),
        ("2026-03-31", 6, Unit.MONTHS, "2026-09-30"),
        ("2026-01-01", 12, Unit.MONTHS, "2027-01-01"),
        ("2026-02-28", 14, Unit.DAYS, "2026-03-14"),
        ("2028-02-28", 1, Unit.DAYS, "2028-02-29"),
    ],
)
def test_add_period(start: str, amount: int, unit: Unit, expected: str) -> None:
    assert add_period(d(start), amount, unit) == d(expected)


# -- the plan's appeal decisions ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("family", "priority", "service", "level", "expected"),
    [
        (
            ERISA,
            Priority.STANDARD,
            PRE,
            1,
            [(K.ERISA_APPEAL_DECISION_PRE_SERVICE, d("2026-05-01"))],
        ),
        (ERISA, URGENT, PRE, 1, [(K.ERISA_APPEAL_DECISION_URGENT, d("2026-04-04"))]),
        (
            ERISA,
            Priority.STANDARD,
            POST,
            1,
            [(K.ERISA_APPEAL_DECISION_POST_SERVICE, d("2026-05-31"))],
        ),
        (ERISA, URGENT, POST, 1, [(K.ERISA_APPEAL_DECISION_POST_SERVICE, d("2026-05-31"))]),
        # Level 2 of a plan with two levels: half the time (15 and 30 days); urgent keeps 72 h.
        (
            ERISA,
            Priority.STANDARD,
            PRE,
            2,
            [(K.ERISA_APPEAL_DECISION_PRE_SERVICE_LEVEL_2, d("2026-04-16"))],
        ),
        (
            ERISA,
            Priority.STANDARD,
            POST,
            2,
            [(K.ERISA_APPEAL_DECISION_POST_SERVICE_LEVEL_2, d("2026-05-01"))],
        ),
        (ERISA, URGENT, PRE, 2, [(K.ERISA_APPEAL_DECISION_URGENT, d("2026-04-04"))]),
        (
            ERISA,
            Priority.STANDARD,
            PRE,
            3,
            [(K.ERISA_APPEAL_DECISION_PRE_SERVICE_LEVEL_2, d("2026-04-16"))],
        ),
        (
            MEDICARE,
            Priority.STANDARD,
            POST,
            1,
            [(K.MEDICARE_REDETERMINATION_DECISION, d("2026-05-31"))],
        ),
        (MEDICARE, URGENT, PRE, 2, [(K.MEDICARE_RECONSIDERATION_DECISION, d("2026-05-31"))]),
        (MEDICARE, Priority.STANDARD, POST, 3, []),
        (MEDICARE, Priority.STANDARD, POST, 5, []),
        (
            MA,
            Priority.STANDARD,
            PRE,
            1,
            [(K.MA_RECONSIDERATION_DECISION_PRE_SERVICE, d("2026-05-01"))],
        ),
        (MA, URGENT, PRE, 1, [(K.MA_RECONSIDERATION_DECISION_EXPEDITED, d("2026-04-04"))]),
        (
            MA,
            Priority.STANDARD,
            POST,
            1,
            [(K.MA_RECONSIDERATION_DECISION_PAYMENT, d("2026-05-31"))],
        ),
        (MA, URGENT, POST, 1, [(K.MA_RECONSIDERATION_DECISION_PAYMENT, d("2026-05-31"))]),
        (MA, Priority.STANDARD, PRE, 2, []),
        (
            MEDICAID,
            Priority.STANDARD,
            PRE,
            1,
            [(K.MEDICAID_APPEAL_DECISION_STANDARD, d("2026-05-01"))],
        ),
        (MEDICAID, URGENT, PRE, 1, [(K.MEDICAID_APPEAL_DECISION_EXPEDITED, d("2026-04-04"))]),
        (MEDICAID, Priority.STANDARD, PRE, 2, []),
        (SUPPLEMENTAL, Priority.STANDARD, PRE, 1, []),
        (None, Priority.STANDARD, PRE, 1, [(K.ERISA_APPEAL_DECISION_PRE_SERVICE, d("2026-05-01"))]),
    ],
)
def test_appeal_decision_per_family(
    family: AppealRules | None,
    priority: Priority,
    service: ServiceType,
    level: int,
    expected: list[tuple[RuleKey, dt.date]],
) -> None:
    appeal = ev(3, E.APPEAL_FILED, "2026-04-01", level=level)
    case = facts(DENIAL, appeal, family=family, priority=priority, service=service)
    assert due(case) == expected


def test_a_claim_denial_makes_the_appeal_post_service() -> None:
    case = facts(ev(1, E.CLAIM_SUBMITTED, "2026-02-01"), CLAIM_DENIAL, APPEAL, service=PRE)
    assert due(case) == [(K.ERISA_APPEAL_DECISION_POST_SERVICE, d("2026-05-31"))]


@pytest.mark.parametrize(
    ("level", "title"),
    [(1, "The plan decides the appeal"), (2, "The plan decides the appeal (level 2)")],
)
def test_appeal_decision_titles(level: int, title: str) -> None:
    appeal = ev(3, E.APPEAL_FILED, "2026-04-01", level=level)
    item = only(facts(DENIAL, appeal))
    assert item.title == title
    assert item.party is Party.INSURER
    explanation = "30 days after the appeal filed on 1 Apr 2026"
    if level == 2:
        explanation = (
            "15 days after the level 2 appeal filed on 1 Apr 2026; plans with two appeal levels "
            "get half the time for each level"
        )
    assert item.explanation == explanation


@pytest.mark.parametrize(
    ("priority", "expected"),
    [
        (Priority.STANDARD, [(K.EXTERNAL_REVIEW_DECISION, d("2026-07-16"))]),
        (URGENT, [(K.EXTERNAL_REVIEW_DECISION_EXPEDITED, d("2026-06-04"))]),
    ],
)
def test_external_review_decision(
    priority: Priority, expected: list[tuple[RuleKey, dt.date]]
) -> None:
    events = [
        DENIAL,
        APPEAL,
        ev(4, E.DECISION, "2026-05-01", outcome=DENIED),
        ev(5, E.EXTERNAL_REVIEW_REQUESTED, "2026-06-01"),
    ]
    assert due(facts(*events, priority=priority)) == expected


@pytest.mark.parametrize("family", [MA, MEDICAID, MEDICARE, SUPPLEMENTAL])
def test_external_review_has_no_clock_outside_employer_plans(family: AppealRules) -> None:
    events = [DENIAL, APPEAL, ev(5, E.EXTERNAL_REVIEW_REQUESTED, "2026-06-01")]
    assert due(facts(*events, family=family)) == []


# -- chains of appeals -----------------------------------------------------------------------

ERISA_CHAIN = [
    ev(1, E.DENIED, "2026-01-05", received_date=d("2026-01-09"), reason=MISSING),
    ev(2, E.APPEAL_FILED, "2026-02-01", level=1),
    ev(3, E.DECISION, "2026-03-02", outcome=DENIED, level=1, received_date=d("2026-03-06")),
    ev(4, E.APPEAL_FILED, "2026-03-20", level=2),
    ev(5, E.DECISION, "2026-04-10", outcome=DENIED, level=2),
    ev(6, E.EXTERNAL_REVIEW_REQUESTED, "2026-05-01"),
    ev(7, E.EXTERNAL_REVIEW_DECIDED, "2026-06-10", outcome=APPROVED),
]


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        (1, [(K.ERISA_APPEAL_FILING, d("2026-07-08"))]),
        (2, [(K.ERISA_APPEAL_DECISION_PRE_SERVICE, d("2026-03-03"))]),
        (3, [(K.EXTERNAL_REVIEW_FILING, d("2026-07-06"))]),
        # A second internal appeal stops the external-review clock; its denial starts it again.
        # It gets half the time (15 days, not 30: the old figure was wrong for level 2).
        (4, [(K.ERISA_APPEAL_DECISION_PRE_SERVICE_LEVEL_2, d("2026-04-04"))]),
        (5, [(K.EXTERNAL_REVIEW_FILING, d("2026-08-10"))]),
        (6, [(K.EXTERNAL_REVIEW_DECISION, d("2026-06-15"))]),
        (7, []),
    ],
)
def test_erisa_chain(steps: int, expected: list[tuple[RuleKey, dt.date]]) -> None:
    assert due(facts(*ERISA_CHAIN[:steps])) == expected


def test_the_second_level_note_follows_only_the_first_appeal() -> None:
    first = only(facts(*ERISA_CHAIN[:3]))
    assert first.explanation == (
        "4 months after the appeal decision you received on 6 Mar 2026; if your plan has a "
        "second internal appeal level, file that instead; its deadline is in the letter"
    )
    second = only(facts(*ERISA_CHAIN[:5]))
    assert second.explanation == (
        "4 months after the level 2 appeal decision dated 10 Apr 2026 "
        "(add the day it arrived to count from then)"
    )


MEDICARE_CHAIN = [
    ev(1, E.CLAIM_DENIED, "2026-01-10", reason=DenialReason.NOT_MEDICALLY_NECESSARY),
    ev(2, E.APPEAL_FILED, "2026-02-01", level=1),
    ev(3, E.DECISION, "2026-03-20", outcome=DENIED, level=1),
    ev(4, E.APPEAL_FILED, "2026-04-01", level=2),
    ev(5, E.DECISION, "2026-05-15", outcome=DENIED, level=2),
    ev(6, E.APPEAL_FILED, "2026-06-01", level=3),
    ev(7, E.DECISION, "2026-08-01", outcome=DENIED, level=3),
    ev(8, E.APPEAL_FILED, "2026-09-01", level=4),
    ev(9, E.DECISION, "2026-10-01", outcome=DENIED, level=4),
    ev(10, E.APPEAL_FILED, "2026-11-01", level=5),
    ev(11, E.DECISION, "2026-11-20", outcome=DENIED, level=5),
]


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        (1, [(K.MEDICARE_REDETERMINATION_FILING, d("2026-05-15"))]),  # 15 Jan + 120 days
        (2, [(K.MEDICARE_REDETERMINATION_DECISION, d("2026-04-02"))]),
        (3, [(K.MEDICARE_RECONSIDERATION_FILING, d("2026-09-21"))]),  # 25 Mar + 180 days
        (4, [(K.MEDICARE_RECONSIDERATION_DECISION, d("2026-05-31"))]),
        (5, [(K.MEDICARE_ALJ_FILING, d("2026-07-19"))]),  # 20 May + 60 days
        (6, []),  # no rule for the judge's decision
        (7, [(K.MEDICARE_COUNCIL_FILING, d("2026-10-05"))]),
        (8, []),
        (9, [(K.MEDICARE_COURT_FILING, d("2026-12-05"))]),
        (10, []),
        (11, []),  # nothing after court
    ],
)
def test_medicare_chain(steps: int, expected: list[tuple[RuleKey, dt.date]]) -> None:
    assert due(facts(*MEDICARE_CHAIN[:steps], family=MEDICARE, service=POST)) == expected


def test_medicare_level_2_titles() -> None:
    filing = only(facts(*MEDICARE_CHAIN[:3], family=MEDICARE))
    assert filing.title == "Ask for a reconsideration (level 2 appeal)"
    assert filing.source == "42 CFR 405.962(a)"
    decision = only(facts(*MEDICARE_CHAIN[:4], family=MEDICARE))
    assert decision.title == "The Qualified Independent Contractor decides the reconsideration"


@pytest.mark.parametrize(
    ("family", "steps", "expected"),
    [
        (MEDICAID, 1, [(K.MEDICAID_APPEAL_FILING, d("2026-05-02"))]),
        (MEDICAID, 2, [(K.MEDICAID_APPEAL_DECISION_STANDARD, d("2026-04-09"))]),
        (MEDICAID, 3, [(K.MEDICAID_FAIR_HEARING_FILING, d("2026-07-30"))]),  # 1 Apr + 120
        (MA, 1, [(K.MA_RECONSIDERATION_FILING, d("2026-05-07"))]),
        (MA, 2, [(K.MA_RECONSIDERATION_DECISION_PRE_SERVICE, d("2026-04-09"))]),
        # The plan sends an upheld denial to the Independent Review Entity itself.
        (MA, 3, []),
        (SUPPLEMENTAL, 3, []),
    ],
)
def test_medicaid_and_medicare_advantage_chains(
    family: AppealRules, steps: int, expected: list[tuple[RuleKey, dt.date]]
) -> None:
    chain = [
        DENIAL,
        ev(3, E.APPEAL_FILED, "2026-03-10", level=1),
        ev(4, E.DECISION, "2026-04-01", outcome=DENIED),
    ]
    assert due(facts(*chain[:steps], family=family)) == expected


def test_a_denial_during_an_appeal_is_the_appeals_decision() -> None:
    events = [DENIAL, APPEAL, ev(4, E.DENIED, "2026-05-01", reason=MISSING)]
    item = only(facts(*events))
    assert (item.rule, item.due) == (K.EXTERNAL_REVIEW_FILING, d("2026-09-01"))
    assert item.explanation.startswith("4 months after the appeal denial dated 1 May 2026")
    assert item.event_id == 4


@pytest.mark.parametrize(
    ("family", "expected"),
    [
        # After a first denial an expedited request is the appeal, filed urgently.
        (ERISA, [(K.ERISA_APPEAL_DECISION_URGENT, d("2026-04-04"))]),
        (MA, [(K.MA_RECONSIDERATION_DECISION_EXPEDITED, d("2026-04-04"))]),
        (MEDICAID, [(K.MEDICAID_APPEAL_DECISION_EXPEDITED, d("2026-04-04"))]),
        (MEDICARE, [(K.MEDICARE_REDETERMINATION_DECISION, d("2026-05-31"))]),
    ],
)
def test_an_expedited_request_after_a_denial_files_the_appeal(
    family: AppealRules, expected: list[tuple[RuleKey, dt.date]]
) -> None:
    events = [DENIAL, ev(3, E.EXPEDITED_REQUESTED, "2026-04-01")]
    assert due(facts(*events, family=family)) == expected


def test_an_expedited_request_when_external_review_is_due_asks_for_it() -> None:
    events = [*ERISA_CHAIN[:3], ev(4, E.EXPEDITED_REQUESTED, "2026-03-10")]
    assert due(facts(*events)) == [(K.EXTERNAL_REVIEW_DECISION_EXPEDITED, d("2026-03-13"))]


def test_an_expedited_request_during_an_appeal_shortens_it() -> None:
    events = [DENIAL, APPEAL, ev(4, E.EXPEDITED_REQUESTED, "2026-04-10")]
    assert due(facts(*events)) == [(K.ERISA_APPEAL_DECISION_URGENT, d("2026-04-13"))]


# -- what closes a clock ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        ([REQUEST, ev(2, E.APPROVED, "2026-03-10")], []),
        ([REQUEST, ev(2, E.DENIED, "2026-03-10", reason=MISSING)], [K.ERISA_APPEAL_FILING]),
        # An information request stops the plan's clock and starts yours.
        ([REQUEST, ev(2, E.INFO_REQUESTED, "2026-03-06")], [K.ERISA_INFO_RESPONSE]),
        # Sending it (a new "request submitted") closes yours and restarts the plan's.
        (
            [
                REQUEST,
                ev(2, E.INFO_REQUESTED, "2026-03-06"),
                ev(3, E.REQUEST_SUBMITTED, "2026-03-20"),
            ],
            [K.ERISA_DECISION_PRE_SERVICE],
        ),
        # A decision closes your information clock too.
        (
            [REQUEST, ev(2, E.INFO_REQUESTED, "2026-03-06"), ev(3, E.APPROVED, "2026-03-20")],
            [],
        ),
        ([DENIAL, APPEAL], [K.ERISA_APPEAL_DECISION_PRE_SERVICE]),
        ([DENIAL, ev(3, E.APPROVED, "2026-03-20")], []),
        ([DENIAL, ev(3, E.P2P_REQUESTED, "2026-03-10")], [K.ERISA_APPEAL_FILING]),
        ([DENIAL, ev(3, E.P2P_HELD, "2026-03-10")], [K.ERISA_APPEAL_FILING]),
        # A phone approval keeps the appeal clock open until the letter comes (it used to close
        # it), and adds "Get the approval in writing" (no rule) a week later.
        (
            [DENIAL, ev(3, E.P2P_HELD, "2026-03-10", outcome=APPROVED)],
            [None, K.ERISA_APPEAL_FILING],
        ),
        ([DENIAL, ev(3, E.P2P_HELD, "2026-03-10", outcome=DENIED)], [K.ERISA_APPEAL_FILING]),
        (
            [DENIAL, ev(3, E.P2P_OUTCOME, "2026-03-10", outcome=PARTLY)],
            [None, K.ERISA_APPEAL_FILING],
        ),
        ([DENIAL, ev(3, E.P2P_OUTCOME, "2026-03-10", outcome=DENIED)], [K.ERISA_APPEAL_FILING]),
        ([DENIAL, APPEAL, ev(4, E.DECISION, "2026-04-20", outcome=APPROVED)], []),
        # A partial approval keeps the next step open for the denied part (it used to close it).
        (
            [DENIAL, APPEAL, ev(4, E.DECISION, "2026-04-20", outcome=PARTLY)],
            [K.EXTERNAL_REVIEW_FILING],
        ),
        # A decision without its outcome only closes the plan's clock.
        ([DENIAL, APPEAL, ev(4, E.DECISION, "2026-04-20")], []),
        ([DENIAL, APPEAL, ev(4, E.APPROVED, "2026-04-20")], []),
        ([DENIAL, ev(9, E.REGULATOR_COMPLAINT, "2026-03-10")], [K.ERISA_APPEAL_FILING]),
        ([ev(1, E.CLAIM_SUBMITTED, "2026-03-02"), ev(2, E.CLAIM_PAID, "2026-03-20")], []),
        (
            [ev(1, E.CLAIM_SUBMITTED, "2026-03-02"), CLAIM_DENIAL],
            [K.ERISA_APPEAL_FILING],
        ),
        ([*ERISA_CHAIN[:3], ev(9, E.APPROVED, "2026-04-01")], []),
        (
            [*ERISA_CHAIN[:6], ev(9, E.EXTERNAL_REVIEW_DECIDED, "2026-06-10", outcome=DENIED)],
            [],
        ),
        # Going to external review ends an internal appeal still waiting for its decision.
        (
            [DENIAL, APPEAL, ev(4, E.EXTERNAL_REVIEW_REQUESTED, "2026-05-10")],
            [K.EXTERNAL_REVIEW_DECISION],
        ),
        # A new request after a denial keeps the appeal deadline running.
        (
            [REQUEST, DENIAL, ev(3, E.REQUEST_SUBMITTED, "2026-03-10")],
            [K.ERISA_DECISION_PRE_SERVICE, K.ERISA_APPEAL_FILING],
        ),
    ],
)
def test_what_closes_a_clock(events: list[CaseEvent], expected: list[RuleKey]) -> None:
    assert [rule for rule, _ in due(facts(*events))] == expected


def test_the_information_clock() -> None:
    info = ev(2, E.INFO_REQUESTED, "2026-03-06", received_date=d("2026-03-09"))
    item = only(facts(REQUEST, info))
    assert (item.due, item.party) == (d("2026-04-23"), Party.YOU)
    assert item.title == "Send the information the plan asked for"
    assert item.explanation == (
        "45 days after the request for more information you received on 9 Mar 2026"
    )
    urgent = only(facts(REQUEST, info, priority=URGENT))
    assert "as little as 48 hours" in urgent.explanation


def test_the_plans_clock_restarts_in_full_after_the_information() -> None:
    resent = ev(3, E.REQUEST_SUBMITTED, "2026-03-20")
    item = only(facts(REQUEST, ev(2, E.INFO_REQUESTED, "2026-03-06"), resent))
    assert (item.rule, item.due) == (K.ERISA_DECISION_PRE_SERVICE, d("2026-04-04"))
    assert item.explanation == "15 days after the information you sent on 20 Mar 2026"


def test_information_during_an_appeal_restarts_the_appeal_clock() -> None:
    events = [
        DENIAL,
        APPEAL,
        ev(4, E.INFO_REQUESTED, "2026-04-10"),
        ev(5, E.REQUEST_SUBMITTED, "2026-04-15"),
    ]
    assert due(facts(*events[:3])) == [(K.ERISA_INFO_RESPONSE, d("2026-05-25"))]
    assert due(facts(*events)) == [(K.ERISA_APPEAL_DECISION_PRE_SERVICE, d("2026-05-15"))]
    # The decision then answers the appeal.
    decided = [*events, ev(6, E.DECISION, "2026-05-01", outcome=DENIED)]
    assert due(facts(*decided)) == [(K.EXTERNAL_REVIEW_FILING, d("2026-09-01"))]


@pytest.mark.parametrize("family", [MA, MEDICAID, MEDICARE, SUPPLEMENTAL])
def test_information_requests_outside_employer_plans(family: AppealRules) -> None:
    info = ev(2, E.INFO_REQUESTED, "2026-03-06")
    assert due(facts(REQUEST, info, family=family)) == []
    printed = ev(2, E.INFO_REQUESTED, "2026-03-06", deadline=d("2026-03-20"))
    item = only(facts(REQUEST, printed, family=family))
    assert (item.rule, item.due, item.party) == (None, d("2026-03-20"), Party.YOU)
    assert item.title == "Send the information the plan asked for"
    assert item.source == "The date printed on your notice"
    assert item.overridden


# -- overrides and printed dates -------------------------------------------------------------


def test_the_cases_own_figure_replaces_the_default() -> None:
    override = RuleOverride(K.ERISA_APPEAL_FILING, 60, Unit.DAYS, "the letter says 60 days")
    item = only(facts(REQUEST, DENIAL, overrides={K.ERISA_APPEAL_FILING: override}))
    assert (item.due, item.overridden) == (d("2026-05-04"), True)
    assert item.explanation == (
        "your figure for this case: 60 days after the denial you received on 5 Mar 2026 "
        "(the letter says 60 days)"
    )
    assert item.source == RULES[K.ERISA_APPEAL_FILING].source


@pytest.mark.parametrize(
    ("override", "events", "expected"),
    [
        (
            RuleOverride(K.ERISA_DECISION_PRE_SERVICE, 30, Unit.DAYS),
            [REQUEST],
            d("2026-04-01"),
        ),
        (
            RuleOverride(K.EXTERNAL_REVIEW_FILING, 6, Unit.MONTHS),
            ERISA_CHAIN[:3],
            d("2026-09-06"),
        ),
        (
            RuleOverride(K.ERISA_APPEAL_DECISION_URGENT, 24, Unit.HOURS),
            [DENIAL, ev(3, E.EXPEDITED_REQUESTED, "2026-04-01")],
            d("2026-04-02"),
        ),
        (
            RuleOverride(K.MEDICARE_REDETERMINATION_FILING, 4, Unit.MONTHS),
            [DENIAL],
            d("2026-07-05"),  # from the day received, 5 Mar (earlier than the presumed 8 Mar)
        ),
    ],
)
def test_overrides_keep_the_anchor(
    override: RuleOverride, events: list[CaseEvent], expected: dt.date
) -> None:
    family = MEDICARE if override.rule.name.startswith("MEDICARE") else ERISA
    item = only(facts(*events, family=family, overrides={override.rule: override}))
    assert (item.rule, item.due, item.overridden) == (override.rule, expected, True)
    assert item.explanation.startswith(
        f"your figure for this case: {override.unit.label(override.amount)}"
    )


def test_an_override_of_another_rule_changes_nothing() -> None:
    override = RuleOverride(K.MA_RECONSIDERATION_FILING, 60, Unit.DAYS)
    item = only(facts(DENIAL, overrides={override.rule: override}))
    assert (item.due, item.overridden) == (d("2026-09-01"), False)


@pytest.mark.parametrize("family", [ERISA, MEDICARE, MA, MEDICAID, None])
def test_a_printed_date_wins_over_everything(family: AppealRules | None) -> None:
    printed = ev(
        2,
        E.DENIED,
        "2026-03-03",
        received_date=d("2026-03-05"),
        reason=MISSING,
        deadline=d("2026-04-30"),
    )
    overrides = {key: RuleOverride(key, 10, Unit.DAYS) for key in K}
    item = only(facts(printed, family=family, overrides=overrides))
    assert (item.due, item.overridden, item.party) == (d("2026-04-30"), True, Party.YOU)
    assert item.explanation == "the date printed on the notice dated 3 Mar 2026"
    assert item.rule is not None and item.source == RULES[item.rule].source


def test_a_printed_date_makes_an_item_where_no_rule_does() -> None:
    printed = ev(2, E.DENIED, "2026-03-03", reason=MISSING, deadline=d("2026-04-30"))
    item = only(facts(printed, family=SUPPLEMENTAL))
    assert (item.rule, item.title, item.due) == (None, "File your appeal", d("2026-04-30"))
    upheld = ev(4, E.DECISION, "2026-04-01", outcome=DENIED, deadline=d("2026-05-15"))
    item = only(facts(DENIAL, APPEAL, upheld, family=MA))
    assert (item.rule, item.title, item.due) == (
        None,
        "Take the next step the notice asks for",
        d("2026-05-15"),
    )


def test_a_printed_date_keeps_the_second_level_note() -> None:
    upheld = ev(4, E.DECISION, "2026-05-01", outcome=DENIED, deadline=d("2026-08-01"))
    item = only(facts(DENIAL, APPEAL, upheld))
    assert item.due == d("2026-08-01")
    assert "second internal appeal level" in item.explanation


def test_a_date_printed_on_a_filing_does_not_change_the_plans_clock() -> None:
    appeal = ev(3, E.APPEAL_FILED, "2026-04-01", level=1, deadline=d("2026-04-05"))
    assert due(facts(DENIAL, appeal)) == [(K.ERISA_APPEAL_DECISION_PRE_SERVICE, d("2026-05-01"))]


# -- approvals -------------------------------------------------------------------------------

APPROVAL = ev(
    2,
    E.APPROVED,
    "2026-03-10",
    authorization_number="12345",
    valid_from=d("2026-03-15"),
    valid_until=d("2026-06-30"),
)


@pytest.mark.parametrize(
    ("scheduled", "expected", "note"),
    [
        (None, [(K.AUTHORIZATION_EXPIRY, d("2026-06-30"))], None),
        ("2026-05-10", [], None),
        ("2026-06-30", [], None),
        ("2026-03-15", [], None),
        (
            "2026-07-15",
            [(K.AUTHORIZATION_EXPIRY, d("2026-06-30"))],
            "your date of service is after the approval ends: ask the office to request an "
            "extension",
        ),
        (
            "2026-03-12",
            [(K.AUTHORIZATION_EXPIRY, d("2026-06-30"))],
            "your date of service is before the approval starts",
        ),
    ],
)
def test_approval_expiry(
    scheduled: str | None, expected: list[tuple[RuleKey, dt.date]], note: str | None
) -> None:
    items = case_due_items(facts(REQUEST, APPROVAL, scheduled=scheduled), TODAY)
    assert [(i.rule, i.due) for i in items] == expected
    for item in items:
        assert item.title == "Have the care done before the approval runs out (auth 12345)"
        assert item.explanation.startswith("the end date on the approval dated 10 Mar 2026")
        assert item.source == "The end date on your approval letter"
        assert item.party is Party.YOU
        assert not item.overridden
        if note:
            assert note in item.explanation


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        (
            [REQUEST, APPROVAL, ev(3, E.CLAIM_SUBMITTED, "2026-05-01")],
            [K.ERISA_DECISION_POST_SERVICE],
        ),
        ([REQUEST, APPROVAL, ev(3, E.CLAIM_PAID, "2026-05-01")], []),
        # A later approval (an extension) replaces the first.
        (
            [
                REQUEST,
                APPROVAL,
                ev(3, E.APPROVED, "2026-06-20", valid_until=d("2026-09-30")),
            ],
            [K.AUTHORIZATION_EXPIRY],
        ),
        # An approval on appeal can carry an end date too.
        (
            [
                DENIAL,
                APPEAL,
                ev(4, E.DECISION, "2026-04-20", outcome=APPROVED, valid_until=d("2026-08-31")),
            ],
            [K.AUTHORIZATION_EXPIRY],
        ),
        ([REQUEST, ev(2, E.APPROVED, "2026-03-10")], []),
    ],
)
def test_what_follows_an_approval(events: list[CaseEvent], expected: list[RuleKey]) -> None:
    assert [rule for rule, _ in due(facts(*events))] == expected


@pytest.mark.parametrize("family", [SUPPLEMENTAL, MEDICARE, MA, MEDICAID, None])
def test_every_plan_has_approval_expiry(family: AppealRules | None) -> None:
    item = only(facts(APPROVAL, family=family))
    assert (item.rule, item.due) == (K.AUTHORIZATION_EXPIRY, d("2026-06-30"))
    assert NO_PLAN not in item.explanation


def test_a_later_approval_replaces_the_end_date() -> None:
    extension = ev(3, E.APPROVED, "2026-06-20", valid_until=d("2026-09-30"))
    item = only(facts(REQUEST, APPROVAL, extension))
    assert (item.due, item.event_id, item.title) == (
        d("2026-09-30"),
        3,
        "Have the care done before the approval runs out",
    )


# -- calls -----------------------------------------------------------------------------------


def call(
    call_id: int,
    follow_up_date: str | None,
    *,
    case_id: int | None = CASE_ID,
    follow_up: str | None = "Nurse reviewer calls back",
    done: bool = False,
    representative: str | None = "Tom",
    reference: str | None = "R-88",
) -> Call:
    return Call(
        call_id,
        CallData(
            dt.datetime(2026, 11, 20, 9, 30),
            CallDirection.OUTGOING,
            "Buckeye Mutual Health",
            case_id=case_id,
            representative=representative,
            reference_number=reference,
            follow_up=follow_up,
            follow_up_date=d(follow_up_date) if follow_up_date else None,
            follow_up_done=done,
        ),
    )


def test_call_follow_ups() -> None:
    calls = [
        call(1, "2026-12-04"),
        call(2, "2026-12-01", case_id=None, follow_up=None, representative=None, reference=None),
        call(3, "2026-11-30", done=True),
        call(4, None),
        call(5, "2026-12-04", case_id=99, follow_up="Ask for the claim file\nand the criteria"),
    ]
    items = call_due_items(calls, {CASE_ID: TITLE})
    assert items == [
        DueItem(
            title="Follow up: the call with Buckeye Mutual Health",
            due=d("2026-12-01"),
            party=Party.YOU,
            explanation="promised on the call with Buckeye Mutual Health on 20 Nov 2026",
            source="Your call log",
            rule=K.CALL_FOLLOW_UP,
            call_id=2,
        ),
        DueItem(
            title="Follow up: Ask for the claim file",
            due=d("2026-12-04"),
            party=Party.YOU,
            explanation=(
                "promised on the call with Buckeye Mutual Health (rep Tom, ref R-88) on 20 Nov 2026"
            ),
            source="Your call log",
            rule=K.CALL_FOLLOW_UP,
            case_id=99,
            case_title="",
            call_id=5,
        ),
        DueItem(
            title="Follow up: Nurse reviewer calls back",
            due=d("2026-12-04"),
            party=Party.YOU,
            explanation=(
                "promised on the call with Buckeye Mutual Health (rep Tom, ref R-88) on 20 Nov 2026"
            ),
            source="Your call log",
            rule=K.CALL_FOLLOW_UP,
            case_id=CASE_ID,
            case_title=TITLE,
            call_id=1,
        ),
    ]


def test_a_long_promise_is_shortened_in_the_title() -> None:
    (item,) = call_due_items([call(1, "2026-12-04", follow_up="x" * 300)], {})
    assert len(item.title) <= len("Follow up: ") + 80
    assert item.title.endswith("…")


def test_case_items_include_the_cases_follow_ups() -> None:
    case = facts(REQUEST, calls=[call(7, "2026-03-10"), call(8, "2026-03-20", done=True)])
    assert [(i.rule, i.due, i.call_id) for i in case_due_items(case, TODAY)] == [
        (K.CALL_FOLLOW_UP, d("2026-03-10"), 7),
        (K.ERISA_DECISION_PRE_SERVICE, d("2026-03-17"), None),
    ]
    assert all(i.case_id == CASE_ID and i.case_title == TITLE for i in case_due_items(case, TODAY))


def test_items_are_sorted_by_date_then_title() -> None:
    events = [
        REQUEST,
        ev(2, E.APPROVED, "2026-03-10", valid_until=d("2026-03-17")),
        ev(3, E.CLAIM_SUBMITTED, "2026-02-15"),
    ]
    case = facts(
        *events,
        calls=[call(7, "2026-03-17", follow_up="Zebra"), call(8, "2026-03-17", follow_up="Alpha")],
    )
    items = case_due_items(case, TODAY)
    assert [i.title for i in items] == [
        "Follow up: Alpha",
        "Follow up: Zebra",
        "Have the care done before the approval runs out",
    ]


@pytest.mark.parametrize(
    ("due_day", "status"),
    [
        ("2026-11-26", DueStatus.OVERDUE),
        ("2026-11-27", DueStatus.DUE_SOON),
        ("2026-12-04", DueStatus.DUE_SOON),
        ("2026-12-05", DueStatus.LATER),
    ],
)
def test_due_status(due_day: str, status: DueStatus) -> None:
    assert DUE_SOON_DAYS == 7
    assert due_status(d(due_day), TODAY) is status


# -- effective rules -------------------------------------------------------------------------


@pytest.mark.parametrize("family", [*AppealRules, None])
def test_effective_rules(family: AppealRules | None) -> None:
    rules = effective_rules(family)
    assert [r.rule for r in rules] == rules_for(family or ERISA)
    assert all(r.override is None and r.period == r.rule.period for r in rules)
    keys = {r.rule.key for r in rules}
    assert {K.AUTHORIZATION_EXPIRY, K.CALL_FOLLOW_UP} <= keys


def test_effective_rules_apply_overrides() -> None:
    override = RuleOverride(K.ERISA_APPEAL_FILING, 60, Unit.DAYS, "letter")
    rules = {r.rule.key: r for r in effective_rules(None, {override.rule: override})}
    assert rules[K.ERISA_APPEAL_FILING].override == override
    assert rules[K.ERISA_APPEAL_FILING].period == "60 days"
    assert rules[K.ERISA_INFO_RESPONSE].period == "45 days"
    assert rules[K.AUTHORIZATION_EXPIRY].period == ""


def test_supplemental_plans_have_only_the_any_plan_rules() -> None:
    assert {r.rule.key for r in effective_rules(SUPPLEMENTAL)} == {
        K.AUTHORIZATION_EXPIRY,
        K.CALL_FOLLOW_UP,
    }


@pytest.mark.parametrize("family", [ERISA, MEDICARE, MA, MEDICAID])
def test_each_family_sees_only_its_rules(family: AppealRules) -> None:
    for rule in effective_rules(family):
        assert not rule.rule.families or family in rule.rule.families


# -- review fixes: same-day order, Medicare Advantage levels, partial and phone approvals ------

WRITTEN = "Get the approval in writing"
PART = " for the part that was denied"
SAME = "2026-04-01"


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        # A denial entered before its same-day request still answers it: no decision clock.
        (
            [ev(1, E.DENIED, SAME, reason=MISSING), ev(2, E.REQUEST_SUBMITTED, SAME)],
            [(K.ERISA_APPEAL_FILING, d("2026-09-28"))],
        ),
        (
            [ev(1, E.APPROVED, SAME), ev(2, E.REQUEST_SUBMITTED, SAME)],
            [],
        ),
        (
            [ev(1, E.CLAIM_PAID, SAME), ev(2, E.CLAIM_SUBMITTED, SAME)],
            [],
        ),
        # An appeal filed the day of the first denial answers it, whichever was entered first.
        (
            [ev(1, E.APPEAL_FILED, SAME, level=1), ev(2, E.DENIED, SAME, reason=MISSING)],
            [(K.ERISA_APPEAL_DECISION_PRE_SERVICE, d("2026-05-01"))],
        ),
        (
            [ev(1, E.DENIED, SAME, reason=MISSING), ev(2, E.APPEAL_FILED, SAME, level=1)],
            [(K.ERISA_APPEAL_DECISION_PRE_SERVICE, d("2026-05-01"))],
        ),
        (
            [REQUEST, ev(2, E.APPEAL_FILED, SAME, level=1), ev(3, E.DENIED, SAME)],
            [(K.ERISA_APPEAL_DECISION_PRE_SERVICE, d("2026-05-01"))],
        ),
        # A claim denial the same day makes the appeal post-service.
        (
            [ev(1, E.APPEAL_FILED, SAME, level=1), ev(2, E.CLAIM_DENIED, SAME)],
            [(K.ERISA_APPEAL_DECISION_POST_SERVICE, d("2026-05-31"))],
        ),
        # After an earlier denial, a same-day denial is the appeal's.
        (
            [DENIAL, ev(3, E.APPEAL_FILED, SAME, level=1), ev(4, E.DENIED, SAME)],
            [(K.EXTERNAL_REVIEW_FILING, d("2026-08-01"))],
        ),
    ],
)
def test_same_day_filings_come_before_decisions(
    events: list[CaseEvent], expected: list[tuple[RuleKey, dt.date]]
) -> None:
    assert due(facts(*events)) == expected


@pytest.mark.parametrize(
    ("events", "service", "expected"),
    [
        # An appeal (confirmed with no denial on the timeline) ends the wait for the request.
        ([REQUEST, APPEAL], PRE, [(K.ERISA_APPEAL_DECISION_PRE_SERVICE, d("2026-05-01"))]),
        (
            [ev(1, E.CLAIM_SUBMITTED, "2026-03-02"), APPEAL],
            PRE,
            [(K.ERISA_APPEAL_DECISION_POST_SERVICE, d("2026-05-31"))],
        ),
        ([REQUEST, APPEAL], POST, [(K.ERISA_APPEAL_DECISION_POST_SERVICE, d("2026-05-31"))]),
        # A decision then answers the appeal, not the request.
        (
            [REQUEST, APPEAL, ev(4, E.DECISION, "2026-04-20", outcome=DENIED)],
            PRE,
            [(K.EXTERNAL_REVIEW_FILING, d("2026-08-20"))],
        ),
    ],
)
def test_an_appeal_closes_the_first_decision_clock(
    events: list[CaseEvent], service: ServiceType, expected: list[tuple[RuleKey, dt.date]]
) -> None:
    assert due(facts(*events, service=service)) == expected


MA_CHAIN = [
    DENIAL,
    ev(3, E.APPEAL_FILED, "2026-03-10", level=1),
    ev(4, E.DECISION, "2026-04-01", outcome=DENIED, level=1),
]


@pytest.mark.parametrize(
    ("later", "expected"),
    [
        # The plan forwards its upheld reconsideration to the Entity: nothing due from you.
        ([], []),
        # The Entity's denial (level 2), however entered: the judge within 60 days of the
        # presumed receipt (15 May + 5 = 20 May, + 60 = 19 Jul).
        (
            [ev(5, E.DECISION, "2026-05-15", outcome=DENIED, level=2)],
            [(K.MEDICARE_ALJ_FILING, d("2026-07-19"))],
        ),
        (
            [ev(5, E.DECISION, "2026-05-15", outcome=DENIED)],
            [(K.MEDICARE_ALJ_FILING, d("2026-07-19"))],
        ),
        (
            [ev(5, E.DENIED, "2026-05-15")],
            [(K.MEDICARE_ALJ_FILING, d("2026-07-19"))],
        ),
        (
            [ev(5, E.EXTERNAL_REVIEW_DECIDED, "2026-05-15", outcome=DENIED)],
            [(K.MEDICARE_ALJ_FILING, d("2026-07-19"))],
        ),
        (
            [
                ev(5, E.EXTERNAL_REVIEW_REQUESTED, "2026-04-10"),
                ev(6, E.EXTERNAL_REVIEW_DECIDED, "2026-05-15", outcome=DENIED),
            ],
            [(K.MEDICARE_ALJ_FILING, d("2026-07-19"))],
        ),
        # A notice noted as arriving before the presumed day counts from that day (18 May).
        (
            [ev(5, E.DECISION, "2026-05-15", outcome=DENIED, received_date=d("2026-05-18"))],
            [(K.MEDICARE_ALJ_FILING, d("2026-07-17"))],
        ),
        # Then the Council and the court, each within 60 days.
        (
            [
                ev(5, E.DECISION, "2026-05-15", outcome=DENIED, level=2),
                ev(6, E.APPEAL_FILED, "2026-06-01", level=3),
            ],
            [],
        ),
        (
            [
                ev(5, E.DECISION, "2026-05-15", outcome=DENIED, level=2),
                ev(6, E.APPEAL_FILED, "2026-06-01", level=3),
                ev(7, E.DECISION, "2026-08-01", outcome=DENIED),
            ],
            [(K.MEDICARE_COUNCIL_FILING, d("2026-10-05"))],
        ),
        (
            [
                ev(5, E.DECISION, "2026-05-15", outcome=DENIED, level=2),
                ev(6, E.APPEAL_FILED, "2026-06-01", level=3),
                ev(7, E.DECISION, "2026-08-01", outcome=DENIED),
                ev(8, E.APPEAL_FILED, "2026-09-01", level=4),
                ev(9, E.DECISION, "2026-10-01", outcome=DENIED),
            ],
            [(K.MEDICARE_COURT_FILING, d("2026-12-05"))],
        ),
        # The Entity's approval ends it.
        ([ev(5, E.DECISION, "2026-05-15", outcome=APPROVED)], []),
        # A new request after the Entity is waited on as usual.
        (
            [ev(5, E.REQUEST_SUBMITTED, "2026-05-15"), ev(6, E.DENIED, "2026-05-20")],
            [(K.MA_RECONSIDERATION_FILING, d("2026-07-24"))],
        ),
    ],
)
def test_medicare_advantage_after_the_independent_review_entity(
    later: list[CaseEvent], expected: list[tuple[RuleKey, dt.date]]
) -> None:
    assert due(facts(*MA_CHAIN, *later, family=MA)) == expected


def test_the_judge_rule_names_both_sources_and_the_entity() -> None:
    later = ev(5, E.DECISION, "2026-05-15", outcome=DENIED, level=2)
    item = only(facts(*MA_CHAIN, later, family=MA))
    assert item.title == "Ask for an Administrative Law Judge hearing (level 3)"
    assert "42 CFR 405.1002(a)" in item.source and "42 CFR 422.602(b)" in item.source
    assert item.explanation == (
        "60 days after 20 May 2026: the Independent Review Entity's decision dated 15 May 2026 "
        "is presumed received 5 days after the notice date"
    )
    for key in (K.MEDICARE_ALJ_FILING, K.MEDICARE_COUNCIL_FILING, K.MEDICARE_COURT_FILING):
        assert {MA, MEDICARE} <= RULES[key].families
    assert "422.608" in RULES[K.MEDICARE_COUNCIL_FILING].source
    assert "422.612" in RULES[K.MEDICARE_COURT_FILING].source


@pytest.mark.parametrize(
    ("family", "events", "expected"),
    [
        # The denied part of an appeal decision: the next step stays open for it.
        (
            ERISA,
            [DENIAL, APPEAL, ev(4, E.DECISION, "2026-04-20", outcome=PARTLY)],
            [("Ask for an external review" + PART, K.EXTERNAL_REVIEW_FILING, d("2026-08-20"))],
        ),
        (
            MEDICARE,
            [DENIAL, APPEAL, ev(4, E.DECISION, "2026-04-20", outcome=PARTLY)],
            [
                (
                    "Ask for a reconsideration (level 2 appeal)" + PART,
                    K.MEDICARE_RECONSIDERATION_FILING,
                    d("2026-10-22"),
                )
            ],
        ),
        (
            MEDICAID,
            [DENIAL, APPEAL, ev(4, E.DECISION, "2026-04-20", outcome=PARTLY)],
            [
                (
                    "Ask for a state fair hearing" + PART,
                    K.MEDICAID_FAIR_HEARING_FILING,
                    d("2026-08-18"),
                )
            ],
        ),
        # A partial first decision (no appeal yet): the first appeal, for the denied part.
        (
            ERISA,
            [REQUEST, ev(2, E.DECISION, "2026-03-10", outcome=PARTLY)],
            [("File your first appeal" + PART, K.ERISA_APPEAL_FILING, d("2026-09-06"))],
        ),
        # The approved part's end date still shows.
        (
            ERISA,
            [
                DENIAL,
                APPEAL,
                ev(4, E.DECISION, "2026-04-20", outcome=PARTLY, valid_until=d("2026-06-30")),
            ],
            [
                (
                    "Have the care done before the approval runs out",
                    K.AUTHORIZATION_EXPIRY,
                    d("2026-06-30"),
                ),
                ("Ask for an external review" + PART, K.EXTERNAL_REVIEW_FILING, d("2026-08-20")),
            ],
        ),
        # After an external review no rule follows; on Medicare Advantage the judge does.
        (
            ERISA,
            [
                *ERISA_CHAIN[:6],
                ev(9, E.EXTERNAL_REVIEW_DECIDED, "2026-06-10", outcome=PARTLY),
            ],
            [],
        ),
        (
            MA,
            [*MA_CHAIN, ev(5, E.EXTERNAL_REVIEW_DECIDED, "2026-05-15", outcome=PARTLY)],
            [
                (
                    "Ask for an Administrative Law Judge hearing (level 3)" + PART,
                    K.MEDICARE_ALJ_FILING,
                    d("2026-07-19"),
                )
            ],
        ),
        # Partly approved on the phone: the whole appeal clock stays, marked for the denied
        # part, until the letter.
        (
            ERISA,
            [DENIAL, ev(3, E.P2P_OUTCOME, "2026-03-10", outcome=PARTLY)],
            [
                (WRITTEN, None, d("2026-03-17")),
                ("File your first appeal" + PART, K.ERISA_APPEAL_FILING, d("2026-09-01")),
            ],
        ),
        # A written approval after it closes everything.
        (
            ERISA,
            [
                DENIAL,
                APPEAL,
                ev(4, E.DECISION, "2026-04-20", outcome=PARTLY),
                ev(5, E.APPROVED, "2026-05-01"),
            ],
            [],
        ),
    ],
)
def test_a_partial_approval_keeps_the_denied_parts_deadline(
    family: AppealRules,
    events: list[CaseEvent],
    expected: list[tuple[str, RuleKey | None, dt.date]],
) -> None:
    items = case_due_items(facts(*events, family=family), TODAY)
    assert [(i.title, i.rule, i.due) for i in items] == expected


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        # Approved on the phone: the appeal clock keeps running until the letter comes.
        (
            [DENIAL, ev(3, E.P2P_HELD, "2026-03-10", outcome=APPROVED)],
            [(None, d("2026-03-17")), (K.ERISA_APPEAL_FILING, d("2026-09-01"))],
        ),
        (
            [DENIAL, ev(3, E.P2P_OUTCOME, "2026-03-12", outcome=APPROVED)],
            [(None, d("2026-03-19")), (K.ERISA_APPEAL_FILING, d("2026-09-01"))],
        ),
        # The letter ("Approved", or an approving decision) closes both.
        (
            [
                DENIAL,
                ev(3, E.P2P_HELD, "2026-03-10", outcome=APPROVED),
                ev(4, E.APPROVED, "2026-03-14"),
            ],
            [],
        ),
        (
            [
                DENIAL,
                ev(3, E.P2P_HELD, "2026-03-10", outcome=APPROVED),
                ev(4, E.DECISION, "2026-03-14", outcome=APPROVED),
            ],
            [],
        ),
        # A denial in writing ends the wait for the letter; the appeal clock counts from it.
        (
            [
                DENIAL,
                ev(3, E.P2P_HELD, "2026-03-10", outcome=APPROVED),
                ev(4, E.DENIED, "2026-03-14"),
            ],
            [(K.ERISA_APPEAL_FILING, d("2026-09-10"))],
        ),
        # On a pending request, the plan still owes its decision.
        (
            [REQUEST, ev(3, E.P2P_HELD, "2026-03-05", outcome=APPROVED)],
            [(None, d("2026-03-12")), (K.ERISA_DECISION_PRE_SERVICE, d("2026-03-17"))],
        ),
        # A phone denial changes nothing.
        (
            [DENIAL, ev(3, E.P2P_HELD, "2026-03-10", outcome=DENIED)],
            [(K.ERISA_APPEAL_FILING, d("2026-09-01"))],
        ),
    ],
)
def test_a_phone_approval_needs_a_letter(
    events: list[CaseEvent], expected: list[tuple[RuleKey | None, dt.date]]
) -> None:
    assert due(facts(*events)) == expected


def test_the_get_it_in_writing_item() -> None:
    items = case_due_items(facts(DENIAL, ev(3, E.P2P_HELD, "2026-03-10", outcome=APPROVED)), TODAY)
    assert items[0] == DueItem(
        title=WRITTEN,
        due=d("2026-03-17"),
        party=Party.YOU,
        explanation=(
            "7 days after the peer-to-peer review dated 10 Mar 2026, where the plan approved by "
            "phone: ask the plan for the approval letter; until it comes, your appeal deadline "
            "still counts"
        ),
        source="Good practice: a phone approval is not an authorization until the plan sends it",
        rule=None,
        case_id=CASE_ID,
        case_title=TITLE,
        event_id=3,
    )


@pytest.mark.parametrize(
    ("submitted", "priority", "expected"),
    [
        # 14 days for requests before 2026 (CMS-0057-F's 7 days start on 1 Jan 2026).
        ("2025-12-20", Priority.STANDARD, [(K.MA_DECISION_STANDARD_BEFORE_2026, d("2026-01-03"))]),
        ("2025-12-31", Priority.STANDARD, [(K.MA_DECISION_STANDARD_BEFORE_2026, d("2026-01-14"))]),
        ("2026-01-01", Priority.STANDARD, [(K.MA_DECISION_STANDARD, d("2026-01-08"))]),
        ("2025-12-20", URGENT, [(K.MA_DECISION_EXPEDITED, d("2025-12-23"))]),
    ],
)
def test_medicare_advantage_standard_decision_before_2026(
    submitted: str, priority: Priority, expected: list[tuple[RuleKey, dt.date]]
) -> None:
    request = ev(1, E.REQUEST_SUBMITTED, submitted)
    assert due(facts(request, family=MA, priority=priority)) == expected


def test_the_pre_2026_rule_says_why() -> None:
    item = only(facts(ev(1, E.REQUEST_SUBMITTED, "2025-12-20"), family=MA))
    assert item.explanation == (
        "14 days after the request submitted on 20 Dec 2025; requests submitted before "
        "1 Jan 2026 use the 14-day rule"
    )
    # Information sent in 2026 restarts the clock of a 2025 request under its own rule.
    events = [
        ev(1, E.REQUEST_SUBMITTED, "2025-12-20"),
        ev(2, E.INFO_REQUESTED, "2025-12-22"),
        ev(3, E.REQUEST_SUBMITTED, "2026-01-05"),
    ]
    assert due(facts(*events, family=MA)) == [(K.MA_DECISION_STANDARD_BEFORE_2026, d("2026-01-19"))]


@pytest.mark.parametrize(
    ("notice", "received", "expected"),
    [
        # Received earlier than the presumed day (notice + 5): the earlier day is used.
        ("2026-03-03", "2026-03-03", "2026-07-01"),
        ("2026-03-03", "2026-03-07", "2026-07-05"),
        ("2026-03-03", "2026-03-08", "2026-07-06"),  # the presumed day itself
        ("2026-03-03", "2026-03-20", "2026-07-06"),  # later: not used without proof
        ("2026-03-03", None, "2026-07-06"),
    ],
)
def test_an_earlier_day_of_arrival_wins_over_medicares_presumption(
    notice: str, received: str | None, expected: str
) -> None:
    denial = ev(2, E.DENIED, notice, received_date=d(received) if received else None)
    item = only(facts(denial, family=MEDICARE))
    assert (item.rule, item.due) == (K.MEDICARE_REDETERMINATION_FILING, d(expected))
    if received and d(received) < d("2026-03-08"):
        assert "BackLog counts from the earlier day you noted, to be safe" in item.explanation


def test_level_2_rules_are_half_the_level_1_rules() -> None:
    pairs = [
        (K.ERISA_APPEAL_DECISION_PRE_SERVICE, K.ERISA_APPEAL_DECISION_PRE_SERVICE_LEVEL_2),
        (K.ERISA_APPEAL_DECISION_POST_SERVICE, K.ERISA_APPEAL_DECISION_POST_SERVICE_LEVEL_2),
    ]
    for full, half in pairs:
        assert RULES[full].amount == 2 * (RULES[half].amount or 0)
        assert RULES[full].unit is RULES[half].unit


# -- the next step ---------------------------------------------------------------------------

P2P = "a peer-to-peer review (your doctor talks with the plan's doctor)"
HINT = (
    f"If the pain is severe and cannot wait, ask {DOCTORS_OFFICE} to certify the {{}} as urgent: "
    "the plan must accept the doctor's word and decide within 72 hours."
)
NOV_DENIAL = ev(2, E.DENIED, "2026-11-03", reason=MISSING)


def denial_for(reason: DenialReason) -> CaseEvent:
    return ev(2, E.DENIED, "2026-11-03", reason=reason)


def appeal_denied(family: AppealRules, level: int = 1) -> list[CaseEvent]:
    return [
        ev(1, E.DENIED, "2026-06-01", reason=MISSING),
        ev(2, E.APPEAL_FILED, "2026-07-01", level=level),
        ev(3, E.DECISION, "2026-11-10", outcome=DENIED, level=level),
    ]


NEXT_STEPS: list[tuple[str, CaseFacts, str]] = [
    (
        "not submitted",
        facts(),
        f"Ask {DOCTORS_OFFICE} to submit the request, then add the date here. "
        + HINT.format("request"),
    ),
    (
        "not submitted, urgent",
        facts(priority=URGENT),
        f"Ask {DOCTORS_OFFICE} to submit the request, then add the date here. "
        "Ask them to mark it urgent: the plan must then decide within 72 hours.",
    ),
    (
        "not submitted, Medicare, no doctor",
        facts(family=MEDICARE, provider=None),
        "Ask your doctor's office to submit the request, then add the date here.",
    ),
    (
        "not submitted, no plan, a claim",
        facts(family=None, service=POST, provider="Columbus Spine Center"),
        "Ask Columbus Spine Center to submit the request, then add the date here. "
        "Choose this case's plan so its deadlines follow the plan's own rules.",
    ),
    (
        "pending",
        facts(ev(1, E.REQUEST_SUBMITTED, "2026-11-20")),
        "Waiting for the plan's decision on your request, due by 5 Dec. " + HINT.format("request"),
    ),
    (
        "pending, urgent",
        facts(ev(1, E.REQUEST_SUBMITTED, "2026-11-26"), priority=URGENT),
        "Waiting for the plan's decision on your request: urgent cases must be decided within "
        "72 hours, by 29 Nov.",
    ),
    (
        "pending, expedited by request",
        facts(ev(1, E.REQUEST_SUBMITTED, "2026-11-20"), ev(2, E.EXPEDITED_REQUESTED, "2026-11-25")),
        "Waiting for the plan's decision on your request: urgent cases must be decided within "
        "72 hours, by 28 Nov.",
    ),
    (
        "pending, a claim (never urgent)",
        facts(ev(1, E.REQUEST_SUBMITTED, "2026-11-20"), service=POST),
        "Waiting for the plan's decision on your request, due by 20 Dec.",
    ),
    (
        "pending, Original Medicare",
        facts(ev(1, E.REQUEST_SUBMITTED, "2026-11-20"), family=MEDICARE),
        "Waiting for Medicare's decision on your request. No fixed deadline applies here: call "
        "every couple of weeks and log each call.",
    ),
    (
        "the plan is late",
        facts(ev(1, E.REQUEST_SUBMITTED, "2026-11-01")),
        "The plan's decision was due 16 Nov: call them and ask for it, with your reference "
        "number. A plan that misses its deadline may let you go straight to an external review: "
        "ask about it on the call.",
    ),
    (
        "the Medicare contractor is late",
        facts(
            ev(1, E.DENIED, "2026-06-01", reason=MISSING),
            ev(2, E.APPEAL_FILED, "2026-07-01", level=1),
            family=MEDICARE,
        ),
        "The Medicare contractor's decision was due 30 Aug: call them and ask for it, with your "
        "reference number.",
    ),
    (
        "denied for missing documentation",
        facts(NOV_DENIAL),
        f"Denied 3 Nov for missing documentation. Ask {DOCTORS_OFFICE} to send the missing "
        f"records or request {P2P}. File your first appeal by 2 May 2027.",
    ),
    (
        "denied for missing documentation, after a peer-to-peer review",
        facts(NOV_DENIAL, ev(3, E.P2P_HELD, "2026-11-10", outcome=DENIED)),
        f"Denied 3 Nov for missing documentation. Ask {DOCTORS_OFFICE} to send the missing "
        "records. File your first appeal by 2 May 2027.",
    ),
    (
        "not medically necessary",
        facts(denial_for(DenialReason.NOT_MEDICALLY_NECESSARY)),
        f"Denied 3 Nov as not medically necessary. Ask {DOCTORS_OFFICE} for {P2P} and a letter "
        "of medical necessity. File your first appeal by 2 May 2027.",
    ),
    (
        "not medically necessary, after a peer-to-peer review",
        facts(
            denial_for(DenialReason.NOT_MEDICALLY_NECESSARY),
            ev(3, E.P2P_REQUESTED, "2026-11-05"),
        ),
        f"Denied 3 Nov as not medically necessary. Ask {DOCTORS_OFFICE} for a letter of medical "
        "necessity explaining why you need this care. File your first appeal by 2 May 2027.",
    ),
    (
        "experimental",
        facts(denial_for(DenialReason.EXPERIMENTAL)),
        "Denied 3 Nov as experimental. Ask the plan for the clinical policy it used, and ask "
        f"{DOCTORS_OFFICE} for the published studies that support this care. File your first "
        "appeal by 2 May 2027.",
    ),
    (
        "out of network",
        facts(denial_for(DenialReason.OUT_OF_NETWORK)),
        "Denied 3 Nov as out of network. Ask the plan for a network exception: coverage at "
        "in-network rates because no in-network provider can give this care. File your first "
        "appeal by 2 May 2027.",
    ),
    (
        "not covered",
        facts(denial_for(DenialReason.NOT_COVERED)),
        "Denied 3 Nov as not a covered benefit. Ask the plan which part of your coverage "
        f"documents excludes it, and ask {DOCTORS_OFFICE} whether a covered alternative exists. "
        "File your first appeal by 2 May 2027.",
    ),
    (
        "no preauthorization",
        facts(denial_for(DenialReason.NO_PREAUTHORIZATION)),
        f"Denied 3 Nov for lack of preauthorization. Ask {DOCTORS_OFFICE} to request a "
        "retro-authorization (an approval after the fact). File your first appeal by 2 May 2027.",
    ),
    (
        "other reason",
        facts(denial_for(DenialReason.OTHER)),
        f"Denied 3 Nov. Read the reason in the letter and ask {DOCTORS_OFFICE} how to answer it. "
        "File your first appeal by 2 May 2027.",
    ),
    (
        "claim denied",
        facts(ev(2, E.CLAIM_DENIED, "2026-11-03", reason=DenialReason.OTHER), service=POST),
        f"The claim was denied 3 Nov. Read the reason in the letter and ask {DOCTORS_OFFICE} how "
        "to answer it. File your first appeal by 2 May 2027.",
    ),
    (
        "denied, urgent",
        facts(NOV_DENIAL, priority=URGENT),
        f"Denied 3 Nov for missing documentation. Ask {DOCTORS_OFFICE} to send the missing "
        f"records or request {P2P}. File your first appeal by 2 May 2027, marked urgent: the "
        "plan must decide an urgent appeal within 72 hours.",
    ),
    (
        "denied, Medicare Advantage",
        facts(NOV_DENIAL, family=MA),
        f"Denied 3 Nov for missing documentation. Ask {DOCTORS_OFFICE} to send the missing "
        f"records or request {P2P}. Ask the plan for a reconsideration (appeal) by 7 Jan 2027.",
    ),
    (
        "denied, supplemental",
        facts(NOV_DENIAL, family=SUPPLEMENTAL),
        f"Denied 3 Nov for missing documentation. Ask {DOCTORS_OFFICE} to send the missing "
        f"records or request {P2P}. Ask the insurer how to appeal: the denial letter says how "
        "and by when.",
    ),
    (
        "denied, no plan",
        facts(NOV_DENIAL, family=None),
        f"Denied 3 Nov for missing documentation. Ask {DOCTORS_OFFICE} to send the missing "
        f"records or request {P2P}. File your first appeal by 2 May 2027.",
    ),
    (
        "appeal denied, employer plan",
        facts(*appeal_denied(ERISA)),
        "Your appeal was denied 10 Nov. Ask for an external review by 10 Mar 2027: an "
        "independent reviewer decides, and the plan must accept the result. If your plan has a "
        "second internal appeal level, file that instead (the letter gives its deadline).",
    ),
    (
        "second appeal denied, employer plan",
        facts(*appeal_denied(ERISA, level=2)),
        "Your level 2 appeal was denied 10 Nov. Ask for an external review by 10 Mar 2027: an "
        "independent reviewer decides, and the plan must accept the result.",
    ),
    (
        "redetermination denied",
        facts(*appeal_denied(MEDICARE), family=MEDICARE),
        "Your appeal was denied 10 Nov. Ask for a reconsideration (level 2 appeal) by 14 May 2027.",
    ),
    (
        "reconsideration denied",
        facts(*appeal_denied(MEDICARE, level=2), family=MEDICARE),
        "Your level 2 appeal was denied 10 Nov. Ask for an Administrative Law Judge hearing "
        "(level 3) by 14 Jan 2027. Only when the amount in dispute is at least $190 (2025 figure).",
    ),
    (
        "reconsideration denied, Medicare Advantage",
        facts(*appeal_denied(MA), family=MA),
        "Your appeal was denied 10 Nov. The plan must send your case to the Independent Review "
        "Entity by itself: call the plan to confirm it did, and log the call.",
    ),
    (
        "appeal denied, Medicaid",
        facts(*appeal_denied(MEDICAID), family=MEDICAID),
        "Your appeal was denied 10 Nov. Ask for a state fair hearing by 10 Mar 2027: a state "
        "hearing officer reviews the plan's decision.",
    ),
    (
        "external review upheld the denial",
        facts(
            *appeal_denied(ERISA),
            ev(4, E.EXTERNAL_REVIEW_REQUESTED, "2026-11-12"),
            ev(5, E.EXTERNAL_REVIEW_DECIDED, "2026-11-20", outcome=DENIED),
        ),
        "The external review upheld the denial on 20 Nov. The usual appeal steps are used up: a "
        "patient advocate, your state insurance department or a lawyer can tell you what options "
        "are left.",
    ),
    (
        "approved until a date",
        facts(
            ev(
                1,
                E.APPROVED,
                "2026-11-20",
                authorization_number="12345",
                valid_until=d("2026-12-20"),
            )
        ),
        "Approved (auth 12345) until 20 Dec. Schedule the care before then.",
    ),
    (
        "approved until next year",
        facts(
            ev(
                1,
                E.APPROVED,
                "2026-11-20",
                authorization_number="12345",
                valid_until=d("2027-06-30"),
            )
        ),
        "Approved (auth 12345) until 30 Jun 2027. Schedule the care before then.",
    ),
    (
        "approved and scheduled",
        facts(
            ev(
                1,
                E.APPROVED,
                "2026-11-20",
                authorization_number="12345",
                valid_until=d("2026-12-20"),
            ),
            scheduled="2026-12-10",
        ),
        "Approved (auth 12345) until 20 Dec. Your care is scheduled for 10 Dec.",
    ),
    (
        "approved, scheduled too late",
        facts(
            ev(
                1,
                E.APPROVED,
                "2026-11-20",
                authorization_number="12345",
                valid_until=d("2026-12-20"),
            ),
            scheduled="2027-01-05",
        ),
        f"Approved (auth 12345) until 20 Dec. Your date of service (5 Jan 2027) is after that: "
        f"ask {DOCTORS_OFFICE} to request an extension.",
    ),
    (
        "approved, scheduled too early",
        facts(
            ev(
                1,
                E.APPROVED,
                "2026-11-20",
                valid_from=d("2026-12-01"),
                valid_until=d("2026-12-20"),
            ),
            scheduled="2026-11-30",
        ),
        "Approved until 20 Dec. Your date of service (30 Nov) is before the approval starts "
        f"(1 Dec): ask {DOCTORS_OFFICE} to correct the dates.",
    ),
    (
        "approved without an end date",
        facts(ev(1, E.APPROVED, "2026-11-20", authorization_number="12345")),
        "Approved (auth 12345) on 20 Nov. Keep the approval letter, and check the bill against it "
        "after the care.",
    ),
    (
        "approved on appeal",
        facts(*appeal_denied(ERISA)[:2], ev(3, E.DECISION, "2026-11-10", outcome=APPROVED)),
        "Approved on 10 Nov. Keep the approval letter, and check the bill against it after the "
        "care.",
    ),
    (
        "partly approved",
        facts(
            *appeal_denied(ERISA)[:2],
            ev(
                3,
                E.DECISION,
                "2026-11-10",
                outcome=PARTLY,
                authorization_number="A-9",
                valid_until=d("2026-12-31"),
            ),
        ),
        # The denied part's deadline (it used to say only "read the letter").
        "Partly approved (auth A-9) until 31 Dec. Schedule the care before then. Ask for an "
        "external review for the part that was denied by 10 Mar 2027.",
    ),
    (
        "the approval ran out",
        facts(
            ev(
                1,
                E.APPROVED,
                "2026-08-01",
                authorization_number="12345",
                valid_until=d("2026-11-20"),
            )
        ),
        f"Overdue: the approval (auth 12345) ran out on 20 Nov. Ask {DOCTORS_OFFICE} to request "
        "an extension or a new approval before the care.",
    ),
    (
        "information requested",
        facts(
            ev(1, E.REQUEST_SUBMITTED, "2026-11-10"),
            ev(2, E.INFO_REQUESTED, "2026-11-20", received_date=d("2026-11-23")),
        ),
        f"The plan asked for more information on 20 Nov. Ask {DOCTORS_OFFICE} to send it by "
        "7 Jan 2027, then add the day it went as “Request submitted”. The plan's decision clock "
        "stops until the information arrives.",
    ),
    (
        "information requested, Medicare Advantage",
        facts(
            ev(1, E.REQUEST_SUBMITTED, "2026-11-10"),
            ev(2, E.INFO_REQUESTED, "2026-11-20"),
            family=MA,
        ),
        f"The plan asked for more information on 20 Nov. Ask {DOCTORS_OFFICE} to send it soon, "
        "then add the day it went as “Request submitted”.",
    ),
    (
        "appeal overdue",
        facts(ev(2, E.DENIED, "2026-03-03", reason=MISSING)),
        "Overdue: file your first appeal (was due 30 Aug). Send it now and explain the delay: "
        "late requests are sometimes accepted for a good reason, such as illness or a letter "
        "that came late.",
    ),
    (
        "information overdue",
        facts(ev(1, E.REQUEST_SUBMITTED, "2026-09-01"), ev(2, E.INFO_REQUESTED, "2026-09-10")),
        "Overdue: send the information the plan asked for (was due 25 Oct). Ask "
        f"{DOCTORS_OFFICE} to send it now: the plan may decide without it.",
    ),
    (
        "follow-up overdue",
        facts(ev(1, E.REQUEST_SUBMITTED, "2026-11-20"), calls=[call(7, "2026-11-25")]),
        "Overdue: follow up on “Nurse reviewer calls back” (was due 25 Nov). Call them back, and "
        "note the representative's name and the reference number.",
    ),
    (
        "follow-up overdue, nothing promised in words",
        facts(calls=[call(7, "2026-11-25", follow_up=None)]),
        "Overdue: follow up on the call with Buckeye Mutual Health (was due 25 Nov). Call them "
        "back, and note the representative's name and the reference number.",
    ),
    (
        "in appeal",
        facts(
            ev(1, E.DENIED, "2026-11-01", reason=MISSING),
            ev(2, E.APPEAL_FILED, "2026-11-20", level=1),
        ),
        "Waiting for the plan's decision on your appeal, due by 20 Dec. " + HINT.format("appeal"),
    ),
    (
        "in appeal, urgent",
        facts(
            ev(1, E.DENIED, "2026-11-01", reason=MISSING),
            ev(2, E.EXPEDITED_REQUESTED, "2026-11-26"),
        ),
        "Waiting for the plan's decision on your appeal: urgent cases must be decided within 72 "
        "hours, by 29 Nov.",
    ),
    (
        "in appeal, Medicare",
        facts(
            ev(1, E.DENIED, "2026-11-01", reason=MISSING),
            ev(2, E.APPEAL_FILED, "2026-11-20", level=1),
            family=MEDICARE,
        ),
        "Waiting for the Medicare contractor's decision on your appeal, due by 19 Jan 2027.",
    ),
    (
        "in appeal, Medicare judge",
        facts(*MEDICARE_CHAIN[:6], family=MEDICARE),
        "Waiting for Medicare's decision on your appeal. No fixed deadline applies here: call "
        "every couple of weeks and log each call.",
    ),
    (
        "external review",
        facts(*appeal_denied(ERISA), ev(4, E.EXTERNAL_REVIEW_REQUESTED, "2026-11-20")),
        "Waiting for the external reviewer's decision, due by 4 Jan 2027. The plan must accept "
        "the reviewer's decision.",
    ),
    (
        "claim pending",
        facts(ev(1, E.CLAIM_SUBMITTED, "2026-11-20")),
        "Waiting for the plan's decision on your claim, due by 20 Dec.",
    ),
    (
        "claim pending, Medicaid",
        facts(ev(1, E.CLAIM_SUBMITTED, "2026-11-20"), family=MEDICAID),
        "Waiting for the plan's decision on your claim. No fixed deadline applies here: call "
        "every couple of weeks and log each call.",
    ),
    (
        "paid",
        facts(ev(1, E.CLAIM_SUBMITTED, "2026-10-20"), ev(2, E.CLAIM_PAID, "2026-11-20")),
        "The claim was paid on 20 Nov. Compare the explanation of benefits (EOB) with the bill "
        "before you pay anything.",
    ),
    (
        "appeal filed the day of the denial, entered first",
        facts(
            ev(1, E.APPEAL_FILED, "2026-11-20", level=1),
            ev(2, E.DENIED, "2026-11-20", reason=MISSING),
        ),
        "Waiting for the plan's decision on your appeal, due by 20 Dec. " + HINT.format("appeal"),
    ),
    (
        "Medicare Advantage, the Independent Review Entity upheld it",
        facts(
            *appeal_denied(MA),
            ev(4, E.DECISION, "2026-11-20", outcome=DENIED, level=2),
            family=MA,
        ),
        "The Independent Review Entity upheld the denial on 20 Nov. Ask for an Administrative "
        "Law Judge hearing (level 3) by 24 Jan 2027. Only when the amount in dispute is at least "
        "$190 (2025 figure).",
    ),
    (
        "Medicare Advantage, the Entity's decision entered as an external review",
        facts(
            *appeal_denied(MA),
            ev(4, E.EXTERNAL_REVIEW_DECIDED, "2026-11-20", outcome=DENIED),
            family=MA,
        ),
        "The Independent Review Entity upheld the denial on 20 Nov. Ask for an Administrative "
        "Law Judge hearing (level 3) by 24 Jan 2027. Only when the amount in dispute is at least "
        "$190 (2025 figure).",
    ),
    (
        "approved by phone",
        facts(NOV_DENIAL, ev(3, E.P2P_HELD, "2026-11-25", outcome=APPROVED)),
        "Approved by phone in the peer-to-peer review on 25 Nov. Get the approval letter by "
        "2 Dec: ask the plan to send it, since a phone approval is not an authorization until it "
        "is in writing. Until it comes, still file your first appeal by 2 May 2027.",
    ),
    (
        "partly approved by phone",
        facts(NOV_DENIAL, ev(3, E.P2P_OUTCOME, "2026-11-25", outcome=PARTLY)),
        "Partly approved by phone in the peer-to-peer review on 25 Nov. Get the approval letter "
        "by 2 Dec: ask the plan to send it, since a phone approval is not an authorization until "
        "it is in writing. Until it comes, still file your first appeal for the part that was "
        "denied by 2 May 2027.",
    ),
    (
        "approved by phone, no letter yet",
        facts(NOV_DENIAL, ev(3, E.P2P_HELD, "2026-11-10", outcome=APPROVED)),
        "Overdue: the letter confirming the phone approval has not come (was due 17 Nov). Call "
        "the plan and ask them to send it; until it comes, keep your appeal deadline.",
    ),
    (
        "approved by phone, then in writing",
        facts(
            NOV_DENIAL,
            ev(3, E.P2P_HELD, "2026-11-10", outcome=APPROVED),
            ev(4, E.APPROVED, "2026-11-20", authorization_number="12345"),
        ),
        "Approved (auth 12345) on 20 Nov. Keep the approval letter, and check the bill against it "
        "after the care.",
    ),
    (
        "partly approved, first decision",
        facts(
            ev(1, E.REQUEST_SUBMITTED, "2026-11-10"),
            ev(2, E.DECISION, "2026-11-20", outcome=PARTLY),
        ),
        "Partly approved on 20 Nov. Keep the approval letter, and check the bill against it after "
        "the care. File your first appeal for the part that was denied by 19 May 2027.",
    ),
]


@pytest.mark.parametrize(
    ("case", "sentence"),
    [pytest.param(case, sentence, id=name) for name, case, sentence in NEXT_STEPS],
)
def test_next_step(case: CaseFacts, sentence: str) -> None:
    status = derive_status(case.events)
    assert next_step(case, status, case_due_items(case, TODAY), TODAY) == sentence


@pytest.mark.parametrize("case", [pytest.param(case, id=name) for name, case, _ in NEXT_STEPS])
def test_next_steps_are_short_and_plain(case: CaseFacts) -> None:
    text = next_step(case, derive_status(case.events), case_due_items(case, TODAY), TODAY)
    sentences = [s for s in text.replace("Dr. ", "Dr ").split(". ") if s]
    assert 1 <= len(sentences) <= 3, text
    assert len(text) <= 400, text
    for jargon in ("ERISA", "CFR", "QIC", "MAC ", "adverse benefit"):
        assert jargon not in text


@pytest.mark.parametrize("status", list(CaseStatus))
def test_next_step_for_any_status_without_events(status: CaseStatus) -> None:
    # A status that its events do not explain (a stale list) still gives a sentence.
    text = next_step(facts(), status, [], TODAY)
    assert text and text.endswith(".")


# -- the document ----------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[3]


def _doc_script() -> ModuleType:
    path = ROOT / "docs" / "deadline_rules_doc.py"
    spec = importlib.util.spec_from_file_location("deadline_rules_doc", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_document_lists_every_rule_with_its_source() -> None:
    text = (ROOT / "docs" / "deadlines.md").read_text(encoding="utf-8")
    for rule in RULES.values():
        row = next((line for line in text.splitlines() if f"`{rule.key.value}`" in line), None)
        assert row is not None, f"docs/deadlines.md does not list {rule.key.value}"
        assert rule.source in row
        assert (rule.period or "date on the record") in row
    assert set(RULES) == set(RuleKey)


def test_the_documents_table_is_current() -> None:
    text = (ROOT / "docs" / "deadlines.md").read_text(encoding="utf-8")
    assert _doc_script().with_table(text) == text, "run: python docs/deadline_rules_doc.py"
