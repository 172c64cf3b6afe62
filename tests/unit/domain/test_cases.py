"""Coverage cases as plain data: codes, event and call checks, warnings, the derived status."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from backlog_app.domain.case_rules import (
    call_problems,
    case_problems,
    cpt_problems,
    event_problems,
    event_warnings,
    icd10_problems,
    normalize_icd10,
    normalized_codes,
    split_codes,
)
from backlog_app.domain.cases import (
    CallData,
    CallDirection,
    CaseData,
    CaseEvent,
    CaseEventData,
    CaseStatus,
    DenialReason,
    EventType,
    Outcome,
    Priority,
    Procedure,
    ServiceType,
    derive_status,
    sorted_events,
)

TODAY = dt.date(2026, 11, 27)
CASE_ID = 1
E = EventType


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def ev(event_id: int, kind: EventType, day: str, **fields: object) -> CaseEvent:
    return CaseEvent(event_id, CaseEventData(CASE_ID, kind, d(day), **fields))  # type: ignore[arg-type]


def data(kind: EventType, day: str, **fields: object) -> CaseEventData:
    return CaseEventData(CASE_ID, kind, d(day), **fields)  # type: ignore[arg-type]


# -- labels ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "enum",
    [Procedure, Priority, ServiceType, EventType, DenialReason, Outcome, CallDirection, CaseStatus],
)
def test_every_member_has_a_plain_label(enum: Any) -> None:
    for member in enum:
        assert member.label and member.label[0].isupper(), member


def test_notices_and_outcomes() -> None:
    assert {k for k in EventType if k.is_notice} == {
        E.INFO_REQUESTED,
        E.APPROVED,
        E.DENIED,
        E.DECISION,
        E.EXTERNAL_REVIEW_DECIDED,
        E.CLAIM_PAID,
        E.CLAIM_DENIED,
        E.P2P_OUTCOME,
    }
    assert {k for k in EventType if k.has_outcome} == {
        E.P2P_HELD,
        E.P2P_OUTCOME,
        E.DECISION,
        E.EXTERNAL_REVIEW_DECIDED,
    }


@pytest.mark.parametrize(
    ("case", "title"),
    [
        (CaseData(Procedure.MICRODISCECTOMY), "Microdiscectomy"),
        (
            CaseData(Procedure.MICRODISCECTOMY, procedure_detail=" L4-L5 left "),
            "Microdiscectomy — L4-L5 left",
        ),
        (CaseData(Procedure.OTHER, procedure_detail="Intracept"), "Intracept"),
        (CaseData(Procedure.OTHER), "Other"),
    ],
)
def test_case_title(case: CaseData, title: str) -> None:
    assert case.title == title


# -- codes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        (None, ()),
        ("", ()),
        ("   ", ()),
        ("63030", ("63030",)),
        ("63030, 69990", ("63030", "69990")),
        ("63030;69990", ("63030", "69990")),
        ("m51.16  m54.16,\ng89.29", ("M51.16", "M54.16", "G89.29")),
        (",63030,,", ("63030",)),
    ],
)
def test_split_codes(text: str | None, codes: tuple[str, ...]) -> None:
    assert split_codes(text) == codes


@pytest.mark.parametrize(
    ("code", "normal"),
    [
        ("m5116", "M51.16"),
        ("M51.16", "M51.16"),
        ("M545", "M54.5"),
        ("m54.5", "M54.5"),
        ("M48062", "M48.062"),
        ("G89", "G89"),
        (" s32009a ", "S32.009A"),
    ],
)
def test_normalize_icd10(code: str, normal: str) -> None:
    assert normalize_icd10(code) == normal


@pytest.mark.parametrize(
    "text", [None, "", "63030", "0275T", "3008F", "E0720", "63030, 69990", "l8680", "64483 64484"]
)
def test_valid_cpt_codes(text: str | None) -> None:
    assert cpt_problems(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6303", "“6303” is not a CPT code"),
        ("630300", "“630300” is not a CPT code"),
        ("ABCDE", "“ABCDE” is not a CPT code"),
        ("W1234", "“W1234” is not a CPT code"),
        ("0275X", "“0275X” is not a CPT code"),
        ("63030, 123, 69990, x", "“123, X” are not CPT codes"),
    ],
)
def test_invalid_cpt_codes(text: str, expected: str) -> None:
    problems = cpt_problems(text)
    assert len(problems) == 1
    assert problems[0].startswith(expected)
    assert "five digits (63030)" in problems[0]


@pytest.mark.parametrize(
    "text", [None, "M51.16", "m5116", "M54.5", "G89.29", "M48.062", "S32.009A", "M51.16, M54.16"]
)
def test_valid_icd10_codes(text: str | None) -> None:
    assert icd10_problems(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("U07.1", "“U07.1” is not an ICD-10 code"),  # U is reserved
        ("M5", "“M5” is not an ICD-10 code"),
        ("1234", "“1234” is not an ICD-10 code"),
        ("M51.12345", "“M51.12345” is not an ICD-10 code"),
        ("MM1.1", "“MM1.1” is not an ICD-10 code"),
        ("M51.16, 7, Q", "“7, Q” are not ICD-10 codes"),
    ],
)
def test_invalid_icd10_codes(text: str, expected: str) -> None:
    problems = icd10_problems(text)
    assert len(problems) == 1
    assert problems[0].startswith(expected)


@pytest.mark.parametrize(
    ("cpt", "icd10", "normal_cpt", "normal_icd10"),
    [
        ("63030 69990", "m5116,m5416", "63030, 69990", "M51.16, M54.16"),
        ("e0720", "M54.5", "E0720", "M54.5"),
        (None, None, None, None),
        ("  ", "", None, None),
    ],
)
def test_normalized_codes(
    cpt: str | None, icd10: str | None, normal_cpt: str | None, normal_icd10: str | None
) -> None:
    case = normalized_codes(CaseData(Procedure.LUMBAR_FUSION, cpt_codes=cpt, icd10_codes=icd10))
    assert (case.cpt_codes, case.icd10_codes) == (normal_cpt, normal_icd10)
    assert case.procedure is Procedure.LUMBAR_FUSION


# -- cases and calls -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"procedure": Procedure.OTHER}, ["Please say which procedure this request is for."]),
        ({"cpt_codes": "6303"}, ["“6303” is not a CPT code"]),
        ({"icd10_codes": "M5"}, ["“M5” is not an ICD-10 code"]),
        ({"reviewer_phone": "555-01"}, ["Reviewer's phone “555-01” needs at least 7 digits."]),
        ({"authorization_number": "A" * 201}, ["Authorization number is longer than 200"]),
        ({"notes": "x" * 20_001}, ["Notes is longer than 20,000"]),
        ({"scheduled_date": d("2030-01-01")}, ["The date of service (1 Jan 2030) is too far"]),
        ({"scheduled_date": d("1989-12-31")}, ["The date of service (1989-12-31) is before 1990"]),
        ({"scheduled_date": d("2029-11-27")}, []),
    ],
)
def test_case_problems(changes: dict[str, object], expected: list[str]) -> None:
    case = replace(CaseData(Procedure.MICRODISCECTOMY, cpt_codes="63030"), **changes)  # type: ignore[arg-type]
    problems = case_problems(case, TODAY)
    assert len(problems) == len(expected)
    for problem, start in zip(problems, expected, strict=True):
        assert problem.startswith(start)


CALL = CallData(dt.datetime(2026, 11, 20, 9, 30), CallDirection.OUTGOING, "Buckeye Mutual Health")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"organization": "  "}, ["Please say who the call was with"]),
        ({"called_at": dt.datetime(2026, 11, 28, 8, 0)}, ["The call date (28 Nov 2026) is in"]),
        ({"follow_up_date": d("2026-11-19")}, ["The follow-up date is before the call"]),
        ({"follow_up_date": d("2027-11-29")}, ["The follow-up date (29 Nov 2027) is too far"]),
        ({"follow_up_date": d("2026-12-04")}, []),
        ({"phone": "12"}, ["Phone “12” needs at least 7 digits."]),
        ({"representative": "R" * 201}, ["Representative is longer than 200"]),
        ({"follow_up": "F" * 20_001}, ["Follow-up is longer than 20,000"]),
    ],
)
def test_call_problems(changes: dict[str, object], expected: list[str]) -> None:
    problems = call_problems(replace(CALL, **changes), TODAY)  # type: ignore[arg-type]
    assert len(problems) == len(expected)
    for problem, start in zip(problems, expected, strict=True):
        assert problem.startswith(start)


@pytest.mark.parametrize(
    ("follow_up_date", "done", "open_"),
    [(None, False, False), (d("2026-12-01"), False, True), (d("2026-12-01"), True, False)],
)
def test_open_follow_up(follow_up_date: dt.date | None, done: bool, open_: bool) -> None:
    call = replace(CALL, follow_up_date=follow_up_date, follow_up_done=done)
    assert call.has_open_follow_up is open_


# -- events ----------------------------------------------------------------------------------

DENIAL = data(E.DENIED, "2026-10-01", reason=DenialReason.NOT_MEDICALLY_NECESSARY)


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (DENIAL, []),
        (replace(DENIAL, received_date=d("2026-10-04")), []),
        (replace(DENIAL, day=d("2027-11-29")), ["The event date (29 Nov 2027) is too far"]),
        (replace(DENIAL, day=d("2027-11-28")), []),  # 366 days ahead is allowed (a booked call)
        (replace(DENIAL, day=d("1989-06-01")), ["The event date (1989-06-01) is before 1990"]),
        (
            replace(DENIAL, received_date=d("2026-11-28")),
            ["The date received (28 Nov 2026) is in the future"],
        ),
        (
            replace(DENIAL, received_date=d("2026-09-30")),
            ["The letter arrived before the date printed on it"],
        ),
        (replace(DENIAL, level=0), ["The appeal level must be between 1 and 5."]),
        (replace(DENIAL, level=6), ["The appeal level must be between 1 and 5."]),
        (data(E.APPEAL_FILED, "2026-10-05"), ["Please choose the appeal level"]),
        (data(E.APPEAL_FILED, "2026-10-05", level=5), []),
        (data(E.DENIED, "2026-10-01"), ["Please choose why it was denied"]),
        (data(E.CLAIM_DENIED, "2026-10-01"), ["Please choose why it was denied"]),
        (data(E.DECISION, "2026-10-01"), ["Please choose the outcome"]),
        (data(E.P2P_OUTCOME, "2026-10-01"), ["Please choose the outcome"]),
        (data(E.EXTERNAL_REVIEW_DECIDED, "2026-10-01"), ["Please choose the outcome"]),
        (data(E.P2P_HELD, "2026-10-01"), []),  # the outcome may come later
        (data(E.APPROVED, "2026-10-01", approved_units=0), ["The approved units must be"]),
        (data(E.APPROVED, "2026-10-01", approved_units=10_001), ["The approved units must be"]),
        (data(E.APPROVED, "2026-10-01", approved_units=12), []),
        (
            data(E.APPROVED, "2026-10-01", valid_from=d("2026-10-10"), valid_until=d("2026-10-09")),
            ["The approval ends before it starts"],
        ),
        (
            data(E.APPROVED, "2026-10-01", valid_from=d("2026-10-10"), valid_until=d("2026-10-10")),
            [],
        ),
        (data(E.CLAIM_PAID, "2026-10-01", amount_cents=-1), ["The amount cannot be negative."]),
        (data(E.CLAIM_PAID, "2026-10-01", amount_cents=0), []),
        (
            replace(DENIAL, deadline=d("2026-09-30")),
            ["The deadline on the notice is before the notice's date"],
        ),
        (replace(DENIAL, deadline=d("2026-10-01")), []),
        (replace(DENIAL, reference_number="R" * 201), ["Reference number is longer than 200"]),
        (replace(DENIAL, quoted_reason="Q" * 20_001), ["Quoted reason is longer than 20,000"]),
        (
            replace(DENIAL, level=7, received_date=d("2026-09-01")),
            ["The letter arrived before", "The appeal level must be"],
        ),
    ],
)
def test_event_problems(event: CaseEventData, expected: list[str]) -> None:
    problems = event_problems(event, [], TODAY)
    assert len(problems) == len(expected), problems
    for problem, start in zip(problems, expected, strict=True):
        assert problem.startswith(start)


ORDER = "a decision cannot come before its filing."


@pytest.mark.parametrize(
    ("event", "others", "refused"),
    [
        # A decision dated before everything it could answer is refused.
        (
            data(E.DECISION, "2026-10-01", outcome=Outcome.DENIED),
            [ev(1, E.APPEAL_FILED, "2026-10-05", level=1)],
            True,
        ),
        (
            data(E.DECISION, "2026-10-10", outcome=Outcome.DENIED),
            [ev(1, E.APPEAL_FILED, "2026-10-05", level=1)],
            False,
        ),
        # The same day is fine.
        (
            data(E.DECISION, "2026-10-05", outcome=Outcome.DENIED),
            [ev(1, E.APPEAL_FILED, "2026-10-05", level=1)],
            False,
        ),
        # One filing before it is enough (a second appeal later is another story).
        (
            data(E.DECISION, "2026-10-10", outcome=Outcome.DENIED),
            [ev(1, E.APPEAL_FILED, "2026-10-05", level=1), ev(2, E.APPEAL_FILED, "2026-11-01")],
            False,
        ),
        # An expedited request counts as the filing a decision answers.
        (
            data(E.DECISION, "2026-10-01", outcome=Outcome.APPROVED),
            [ev(1, E.EXPEDITED_REQUESTED, "2026-10-02")],
            True,
        ),
        (
            data(E.APPROVED, "2026-10-01"),
            [ev(1, E.REQUEST_SUBMITTED, "2026-10-02")],
            True,
        ),
        (
            data(E.DENIED, "2026-10-01", reason=DenialReason.OTHER),
            [ev(1, E.REQUEST_SUBMITTED, "2026-10-02")],
            True,
        ),
        # Nothing to answer on the timeline: the decision may be entered alone.
        (data(E.APPROVED, "2026-10-01"), [], False),
        (data(E.APPROVED, "2026-10-01"), [ev(1, E.APPEAL_FILED, "2026-10-05", level=1)], False),
        (
            data(E.EXTERNAL_REVIEW_DECIDED, "2026-10-01", outcome=Outcome.APPROVED),
            [ev(1, E.EXTERNAL_REVIEW_REQUESTED, "2026-10-03")],
            True,
        ),
        (
            data(E.CLAIM_PAID, "2026-10-01"),
            [ev(1, E.CLAIM_SUBMITTED, "2026-10-03")],
            True,
        ),
        (
            data(E.CLAIM_DENIED, "2026-10-01", reason=DenialReason.OTHER),
            [ev(1, E.CLAIM_SUBMITTED, "2026-10-03")],
            True,
        ),
        (
            data(E.P2P_OUTCOME, "2026-10-01", outcome=Outcome.DENIED),
            [ev(1, E.P2P_HELD, "2026-10-03")],
            True,
        ),
        # Filings are never refused for their order (the warning handles appeals).
        (data(E.APPEAL_FILED, "2026-10-01", level=1), [ev(1, E.DENIED, "2026-10-03")], False),
    ],
)
def test_a_decision_cannot_come_before_its_filing(
    event: CaseEventData, others: list[CaseEvent], refused: bool
) -> None:
    problems = event_problems(event, others, TODAY)
    assert any(p.endswith(ORDER) for p in problems) is refused, problems


def test_the_order_message_names_both_dates() -> None:
    problems = event_problems(
        data(E.DECISION, "2026-10-01", outcome=Outcome.DENIED),
        [ev(1, E.APPEAL_FILED, "2026-10-08", level=1), ev(2, E.APPEAL_FILED, "2026-10-05")],
        TODAY,
    )
    assert problems == [
        "This appeal decision is dated 1 Oct 2026, before the appeal filed it answers "
        f"(5 Oct 2026); {ORDER}"
    ]


def test_editing_an_event_skips_its_stored_self() -> None:
    stored = [ev(7, E.APPEAL_FILED, "2026-10-05", level=1)]
    # Moving the only appeal after its decision: the stored copy does not count against it.
    moved = data(E.DECISION, "2026-10-01", outcome=Outcome.DENIED)
    assert any(p.endswith(ORDER) for p in event_problems(moved, stored, TODAY))
    assert not any(p.endswith(ORDER) for p in event_problems(moved, stored, TODAY, event_id=7))


NO_DENIAL = "There is no denial on this case's timeline yet."


@pytest.mark.parametrize(
    ("event", "others", "expected"),
    [
        (data(E.APPEAL_FILED, "2026-10-05", level=1), [], [NO_DENIAL]),
        (
            data(E.APPEAL_FILED, "2026-10-05", level=1),
            [ev(1, E.REQUEST_SUBMITTED, "2026-09-01"), ev(2, E.APPROVED, "2026-09-10")],
            [NO_DENIAL],
        ),
        (
            data(E.APPEAL_FILED, "2026-10-05", level=1),
            [ev(1, E.DENIED, "2026-10-01", reason=DenialReason.OTHER)],
            [],
        ),
        (
            data(E.APPEAL_FILED, "2026-10-01", level=1),
            [ev(1, E.DENIED, "2026-10-01", reason=DenialReason.OTHER)],
            [],
        ),
        (
            data(E.APPEAL_FILED, "2026-09-20", level=1),
            [ev(1, E.DENIED, "2026-10-01", reason=DenialReason.OTHER)],
            ["This appeal is dated 20 Sep 2026, before the denial of 1 Oct 2026."],
        ),
        (
            data(E.APPEAL_FILED, "2026-09-20", level=1),
            [ev(1, E.CLAIM_DENIED, "2026-10-03"), ev(2, E.CLAIM_DENIED, "2026-10-01")],
            ["This appeal is dated 20 Sep 2026, before the denial of 1 Oct 2026."],
        ),
        (
            data(E.EXTERNAL_REVIEW_REQUESTED, "2026-11-01"),
            [ev(1, E.DECISION, "2026-10-20", outcome=Outcome.DENIED)],
            [],
        ),
        (
            data(E.EXTERNAL_REVIEW_REQUESTED, "2026-11-01"),
            [ev(1, E.DECISION, "2026-10-20", outcome=Outcome.APPROVED)],
            [NO_DENIAL],
        ),
        (data(E.DENIED, "2026-10-01", reason=DenialReason.OTHER), [], []),
        (data(E.REQUEST_SUBMITTED, "2026-10-01"), [], []),
        (data(E.EXPEDITED_REQUESTED, "2026-10-01"), [], []),
    ],
)
def test_event_warnings(event: CaseEventData, others: list[CaseEvent], expected: list[str]) -> None:
    warnings = event_warnings(event, others)
    assert len(warnings) == len(expected), warnings
    for warning, start in zip(warnings, expected, strict=True):
        assert warning.startswith(start)


def test_warnings_skip_the_event_being_edited() -> None:
    denial = ev(3, E.DENIED, "2026-10-01", reason=DenialReason.OTHER)
    appeal = data(E.APPEAL_FILED, "2026-10-05", level=1)
    assert event_warnings(appeal, [denial]) == []
    assert event_warnings(appeal, [denial], event_id=3)[0].startswith(NO_DENIAL)


# -- the derived status ----------------------------------------------------------------------

REQ = ev(1, E.REQUEST_SUBMITTED, "2026-09-01")
INFO = ev(2, E.INFO_REQUESTED, "2026-09-05")
RESUBMIT = ev(3, E.REQUEST_SUBMITTED, "2026-09-10")
OK = ev(4, E.APPROVED, "2026-09-20")
NO = ev(5, E.DENIED, "2026-09-20", reason=DenialReason.MISSING_DOCUMENTATION)
P2P_ASKED = ev(6, E.P2P_REQUESTED, "2026-09-22")
APPEAL = ev(7, E.APPEAL_FILED, "2026-10-01", level=1)
FAST = ev(8, E.EXPEDITED_REQUESTED, "2026-10-01")
EXTERNAL = ev(9, E.EXTERNAL_REVIEW_REQUESTED, "2026-11-01")
CLAIM = ev(10, E.CLAIM_SUBMITTED, "2026-10-01")
COMPLAINT = ev(11, E.REGULATOR_COMPLAINT, "2026-11-10")


def decision(event_id: int, kind: EventType, day: str, outcome: Outcome | None) -> CaseEvent:
    return ev(event_id, kind, day, outcome=outcome)


@pytest.mark.parametrize(
    ("events", "status"),
    [
        ([], CaseStatus.NOT_SUBMITTED),
        ([REQ], CaseStatus.PENDING),
        ([REQ, INFO], CaseStatus.INFO_REQUESTED),
        ([REQ, INFO, RESUBMIT], CaseStatus.PENDING),
        ([REQ, OK], CaseStatus.APPROVED),
        ([REQ, NO], CaseStatus.DENIED),
        ([REQ, NO, P2P_ASKED], CaseStatus.DENIED),
        ([NO, decision(12, E.P2P_HELD, "2026-09-25", None)], CaseStatus.DENIED),
        ([NO, decision(12, E.P2P_HELD, "2026-09-25", Outcome.APPROVED)], CaseStatus.APPROVED),
        ([NO, decision(12, E.P2P_HELD, "2026-09-25", Outcome.DENIED)], CaseStatus.DENIED),
        (
            [NO, decision(12, E.P2P_OUTCOME, "2026-09-26", Outcome.PARTLY_APPROVED)],
            CaseStatus.PARTLY_APPROVED,
        ),
        ([REQ, NO, APPEAL], CaseStatus.IN_APPEAL),
        ([REQ, NO, APPEAL, decision(12, E.DECISION, "2026-10-20", None)], CaseStatus.IN_APPEAL),
        (
            [REQ, NO, APPEAL, decision(12, E.DECISION, "2026-10-20", Outcome.DENIED)],
            CaseStatus.DENIED,
        ),
        (
            [REQ, NO, APPEAL, decision(12, E.DECISION, "2026-10-20", Outcome.APPROVED)],
            CaseStatus.APPROVED,
        ),
        (
            [REQ, NO, APPEAL, decision(12, E.DECISION, "2026-10-20", Outcome.PARTLY_APPROVED)],
            CaseStatus.PARTLY_APPROVED,
        ),
        # An expedited request after a denial is an (urgent) appeal...
        ([REQ, NO, FAST], CaseStatus.IN_APPEAL),
        ([REQ, NO, APPEAL, FAST], CaseStatus.IN_APPEAL),
        # ... but on a pending request it only speeds the decision up.
        ([REQ, ev(8, E.EXPEDITED_REQUESTED, "2026-09-02")], CaseStatus.PENDING),
        ([ev(8, E.EXPEDITED_REQUESTED, "2026-08-30")], CaseStatus.NOT_SUBMITTED),
        ([ev(8, E.EXPEDITED_REQUESTED, "2026-08-30"), REQ], CaseStatus.PENDING),
        ([REQ, OK, ev(8, E.EXPEDITED_REQUESTED, "2026-09-21")], CaseStatus.APPROVED),
        (
            [REQ, NO, APPEAL, decision(12, E.DECISION, "2026-10-20", Outcome.DENIED), EXTERNAL],
            CaseStatus.EXTERNAL_REVIEW,
        ),
        (
            [EXTERNAL, decision(12, E.EXTERNAL_REVIEW_DECIDED, "2026-11-20", Outcome.APPROVED)],
            CaseStatus.APPROVED,
        ),
        (
            [EXTERNAL, decision(12, E.EXTERNAL_REVIEW_DECIDED, "2026-11-20", Outcome.DENIED)],
            CaseStatus.DENIED,
        ),
        ([CLAIM], CaseStatus.CLAIM_PENDING),
        ([CLAIM, ev(12, E.CLAIM_PAID, "2026-10-20")], CaseStatus.PAID),
        ([CLAIM, ev(12, E.CLAIM_DENIED, "2026-10-20")], CaseStatus.DENIED),
        ([REQ, OK, CLAIM], CaseStatus.CLAIM_PENDING),
        ([REQ, NO, COMPLAINT], CaseStatus.DENIED),
        ([COMPLAINT], CaseStatus.NOT_SUBMITTED),
        # Order is the timeline's, not the list's.
        ([OK, REQ], CaseStatus.APPROVED),
        ([APPEAL, NO, REQ], CaseStatus.IN_APPEAL),
    ],
)
def test_derive_status(events: list[CaseEvent], status: CaseStatus) -> None:
    assert derive_status(events) is status


def test_same_day_events_keep_the_order_they_were_entered() -> None:
    # Among filings (or among decisions) the same day, the order they were entered.
    request = ev(2, E.REQUEST_SUBMITTED, "2026-09-01")
    resent = ev(1, E.REQUEST_SUBMITTED, "2026-09-01")
    assert sorted_events([request, resent]) == [resent, request]
    approval = ev(3, E.APPROVED, "2026-09-01")
    denial = ev(4, E.DENIED, "2026-09-01")
    assert sorted_events([denial, approval]) == [approval, denial]


SAME_DAY = "2026-09-01"


@pytest.mark.parametrize(
    ("events", "order", "status"),
    [
        # A decision entered before its same-day filing still answers it. (Until this fix the
        # order entered won: a "Denied" entered first left the request pending.)
        (
            [ev(1, E.APPROVED, SAME_DAY), ev(2, E.REQUEST_SUBMITTED, SAME_DAY)],
            [2, 1],
            CaseStatus.APPROVED,
        ),
        (
            [ev(1, E.DENIED, SAME_DAY), ev(2, E.REQUEST_SUBMITTED, SAME_DAY)],
            [2, 1],
            CaseStatus.DENIED,
        ),
        (
            [ev(1, E.CLAIM_PAID, SAME_DAY), ev(2, E.CLAIM_SUBMITTED, SAME_DAY)],
            [2, 1],
            CaseStatus.PAID,
        ),
        (
            [
                ev(1, E.DECISION, SAME_DAY, outcome=Outcome.DENIED),
                ev(2, E.APPEAL_FILED, SAME_DAY, level=1),
            ],
            [2, 1],
            CaseStatus.DENIED,
        ),
        (
            [
                ev(1, E.EXTERNAL_REVIEW_DECIDED, SAME_DAY, outcome=Outcome.APPROVED),
                ev(2, E.EXTERNAL_REVIEW_REQUESTED, SAME_DAY),
            ],
            [2, 1],
            CaseStatus.APPROVED,
        ),
        (
            [
                ev(1, E.P2P_OUTCOME, SAME_DAY, outcome=Outcome.APPROVED),
                ev(2, E.P2P_REQUESTED, SAME_DAY),
            ],
            [2, 1],
            CaseStatus.APPROVED,
        ),
        # An appeal filed the day of the first denial answers it, whichever was entered first.
        (
            [ev(1, E.APPEAL_FILED, SAME_DAY, level=1), ev(2, E.DENIED, SAME_DAY)],
            [1, 2],
            CaseStatus.IN_APPEAL,
        ),
        (
            [ev(1, E.DENIED, SAME_DAY), ev(2, E.APPEAL_FILED, SAME_DAY, level=1)],
            [2, 1],
            CaseStatus.IN_APPEAL,
        ),
        (
            [ev(1, E.CLAIM_DENIED, SAME_DAY), ev(2, E.APPEAL_FILED, SAME_DAY, level=1)],
            [2, 1],
            CaseStatus.IN_APPEAL,
        ),
        # ... but after an earlier denial, a same-day denial answers the appeal.
        (
            [
                ev(1, E.DENIED, "2026-08-01"),
                ev(2, E.APPEAL_FILED, SAME_DAY, level=1),
                ev(3, E.DENIED, SAME_DAY),
            ],
            [1, 2, 3],
            CaseStatus.DENIED,
        ),
        # Events on different days keep the timeline's order.
        (
            [ev(1, E.DENIED, "2026-09-02"), ev(2, E.REQUEST_SUBMITTED, SAME_DAY)],
            [2, 1],
            CaseStatus.DENIED,
        ),
    ],
)
def test_same_day_filings_come_before_decisions(
    events: list[CaseEvent], order: list[int], status: CaseStatus
) -> None:
    assert [e.id for e in sorted_events(events)] == order
    assert derive_status(events) is status
