"""When a network check goes out of date: the plan year of the procedure date, the age on today,
a plan without a plan year start, and which facility row decides the protection."""

from __future__ import annotations

import datetime as dt

import pytest

from backlog_app.domain.network import (
    CALENDAR_PLAN_YEAR_START,
    Freshness,
    NetworkStatus,
    VerificationData,
    VerificationMethod,
    assumed_plan_year_start,
    freshness,
)
from backlog_app.domain.network_checklist import (
    ChecklistState,
    care_team_checklist,
    care_team_due_items,
)
from backlog_app.domain.network_rules import CareRole, CareTeamData, Protection

PLAN = 7
CASE = 3
SURGEON, ANESTH, HOSPITAL = 1, 2, 3
IN = NetworkStatus.IN_NETWORK
OUT = NetworkStatus.OUT_OF_NETWORK
CURRENT = Freshness.CURRENT
STALE_AGE = Freshness.STALE_AGE
STALE_YEAR = Freshness.STALE_PLAN_YEAR
JANUARY = "2020-01-01"
JULY = "2019-07-01"


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def check(day: str, status: NetworkStatus = IN, provider: int = SURGEON) -> VerificationData:
    return VerificationData(provider, PLAN, status, VerificationMethod.CALL, d(day), "REF-1")


@pytest.mark.parametrize(
    ("checked", "today", "needed_on", "year_start", "max_age", "expected"),
    [
        # a December check for a January procedure: the new plan year makes it stale
        ("2026-12-10", "2026-12-10", "2027-01-06", JANUARY, 90, STALE_YEAR),
        ("2026-12-31", "2026-12-31", "2027-01-01", JANUARY, 90, STALE_YEAR),
        # ... but not for a procedure still in this plan year
        ("2026-12-10", "2026-12-10", "2026-12-31", JANUARY, 90, CURRENT),
        # a check made in the new plan year counts
        ("2027-01-02", "2027-01-02", "2027-01-06", JANUARY, 90, CURRENT),
        # no procedure date, or one already past: judged on today
        ("2026-12-10", "2026-12-10", None, JANUARY, 90, CURRENT),
        ("2026-12-10", "2027-01-02", "2026-12-20", JANUARY, 90, STALE_YEAR),
        ("2026-12-10", "2026-12-20", "2026-12-15", JANUARY, 90, CURRENT),
        # a July plan year
        ("2026-06-20", "2026-06-25", "2026-07-02", JULY, 90, STALE_YEAR),
        ("2026-06-20", "2026-06-25", "2026-06-30", JULY, 90, CURRENT),
        # no plan year start given to the domain: only the age counts
        ("2026-12-10", "2026-12-10", "2027-01-06", None, 90, CURRENT),
        # the age counts on today, not on the procedure date
        ("2026-11-01", "2026-11-27", "2027-03-01", JULY, 90, CURRENT),  # 118 days by then
        ("2026-08-28", "2026-11-27", "2026-12-16", JULY, 90, STALE_AGE),  # 91 days today
        ("2026-08-29", "2026-11-27", "2026-12-16", JULY, 90, CURRENT),  # 90 days today
        # both: the plan year is named
        ("2026-08-01", "2026-11-27", "2027-01-06", JANUARY, 90, STALE_YEAR),
    ],
)
def test_the_plan_year_is_judged_on_the_day_the_check_is_needed(
    checked: str,
    today: str,
    needed_on: str | None,
    year_start: str | None,
    max_age: int,
    expected: Freshness,
) -> None:
    start = d(year_start) if year_start else None
    needed = d(needed_on) if needed_on else None
    assert freshness(check(checked), d(today), max_age, start, needed_on=needed) is expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [(None, CALENDAR_PLAN_YEAR_START), (d("2019-07-01"), d("2019-07-01"))],
)
def test_a_plan_without_a_plan_year_start_runs_from_the_first_of_january(
    given: dt.date | None, expected: dt.date
) -> None:
    assert assumed_plan_year_start(given) == expected
    assert (expected.month, expected.day) == ((1, 1) if given is None else (7, 1))


@pytest.mark.parametrize(
    ("checked", "today", "scheduled", "state", "fresh", "due"),
    [
        # 10 Dec check, surgery on 6 Jan, plan year from 1 Jan: check again in the new year
        ("2026-12-10", "2026-12-10", "2027-01-06", "needs_check", STALE_YEAR, 1),
        # the same check for a surgery on 30 Dec holds
        ("2026-12-10", "2026-12-10", "2026-12-30", "verified_in_network", CURRENT, 0),
        # checked again on 2 Jan: green
        ("2027-01-02", "2027-01-02", "2027-01-06", "verified_in_network", CURRENT, 0),
        # checked today for a surgery 120 days away, same plan year: green (age counts today)
        ("2027-02-01", "2027-02-01", "2027-06-01", "verified_in_network", CURRENT, 0),
        # a check more than 90 days old today is stale whatever the procedure date
        ("2026-08-01", "2026-11-27", "2026-12-16", "needs_check", STALE_AGE, 1),
        # no date: today's plan year
        ("2026-12-10", "2026-12-10", None, "verified_in_network", CURRENT, 0),
    ],
)
def test_a_care_team_check_must_hold_on_the_procedure_date(
    checked: str, today: str, scheduled: str | None, state: str, fresh: Freshness, due: int
) -> None:
    day = d(today)
    procedure = d(scheduled) if scheduled else None
    (row,) = care_team_checklist(
        [CareTeamData(CASE, CareRole.SURGEON, SURGEON)],
        {SURGEON: [check(checked)]},
        PLAN,
        day,
        plan_year_start=d(JANUARY),
        scheduled_date=procedure,
    )
    assert (row.state, row.freshness) == (state, fresh)
    items = care_team_due_items([row], CASE, "Fusion", procedure, day)
    assert [item.title for item in items] == ["Check that the surgeon is in network"] * due


def test_the_advice_says_the_new_plan_year_begins_before_the_procedure() -> None:
    (row,) = care_team_checklist(
        [CareTeamData(CASE, CareRole.SURGEON, SURGEON)],
        {SURGEON: [check("2026-12-10")]},
        PLAN,
        d("2026-12-10"),
        plan_year_start=d(JANUARY),
        provider_names={SURGEON: "Dr. Patel"},
        insurer="Buckeye Mutual",
        scheduled_date=d("2027-01-06"),
    )
    assert row.advice == (
        "Dr. Patel was in network on 10 Dec 2026, but a new plan year begins on 1 Jan 2027, "
        "before the procedure. Once it has begun, call Buckeye Mutual to check that Dr. Patel "
        "is still in network; ask for a reference number."
    )


@pytest.mark.parametrize(
    ("facilities", "expected"),
    [
        # the first facility row has no provider yet: the one that has decides
        ([None, HOSPITAL], Protection.NO_BALANCE_BILLING),
        ([HOSPITAL, None], Protection.NO_BALANCE_BILLING),
        # of two filled rows, the first
        ([HOSPITAL, 9], Protection.NO_BALANCE_BILLING),
        ([9, HOSPITAL], Protection.NONE),
        # no facility row has a provider: not known
        ([None, None], Protection.UNKNOWN),
    ],
)
def test_protection_comes_from_the_first_facility_row_with_a_provider(
    facilities: list[int | None], expected: Protection
) -> None:
    members = [CareTeamData(CASE, CareRole.FACILITY, p) for p in facilities]
    members.append(CareTeamData(CASE, CareRole.ANESTHESIOLOGIST, ANESTH))
    checks = {
        HOSPITAL: [check("2026-11-20", IN, HOSPITAL)],
        9: [check("2026-11-20", OUT, 9)],
        ANESTH: [check("2026-11-20", OUT, ANESTH)],
    }
    rows = care_team_checklist(members, checks, PLAN, d("2026-11-27"))
    assert rows[-1].state is ChecklistState.OUT_OF_NETWORK
    assert rows[-1].protection is expected
