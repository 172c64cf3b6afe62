"""NetworkService: network checks (provider × plan), their freshness, and each case's care team."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from backlog_app.domain.cases import CallData, CallDirection, CaseData, Procedure
from backlog_app.domain.network import (
    Freshness,
    NetworkStatus,
    VerificationData,
    VerificationMethod,
)
from backlog_app.domain.network_checklist import ChecklistState
from backlog_app.domain.network_rules import DEFAULT_ROLES, CareRole, CareTeamData, Protection
from backlog_app.domain.records import PlanData, PlanType, ProviderData, ProviderRole
from backlog_app.errors import UserError, ValidationError
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession

TODAY = dt.date(2026, 11, 27)  # the clock of the conftest profiles
IN = NetworkStatus.IN_NETWORK
OUT = NetworkStatus.OUT_OF_NETWORK
CALL = VerificationMethod.CALL
WEBSITE = VerificationMethod.INSURER_WEBSITE


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


@pytest.fixture
def plan_id(profile: ProfileSession) -> int:
    return profile.plans.add(
        PlanData(
            "Buckeye Mutual Health",
            PlanType.EMPLOYER_PPO,
            "Choice PPO",
            plan_year_start=dt.date(2026, 1, 1),
            coverage_start=dt.date(2024, 1, 1),
        )
    )


@pytest.fixture
def providers(profile: ProfileSession) -> dict[str, int]:
    add = profile.providers.add
    return {
        "surgeon": add(ProviderData("Dr. Samuel Okafor", ProviderRole.SPINE_SURGEON)),
        "anesthesia": add(ProviderData("Capital Anesthesia", ProviderRole.ANESTHESIOLOGY)),
        "center": add(ProviderData("Northside Surgery Center", ProviderRole.SURGERY_CENTER)),
        "lab": add(ProviderData("Central Lab", ProviderRole.PATHOLOGY)),
    }


@pytest.fixture
def case_id(profile: ProfileSession, plan_id: int, providers: dict[str, int]) -> int:
    return profile.cases.add(
        CaseData(
            Procedure.MICRODISCECTOMY,
            "left L4-L5",
            plan_id=plan_id,
            requesting_provider_id=providers["surgeon"],
            facility_id=providers["center"],
            scheduled_date=day(20),
        )
    )


def check(
    provider_id: int,
    plan_id: int,
    status: NetworkStatus = IN,
    offset: int = -3,
    method: VerificationMethod = CALL,
    **fields: Any,
) -> VerificationData:
    return VerificationData(provider_id, plan_id, status, method, day(offset), **fields)


def heard_changes(profile: ProfileSession) -> list[frozenset[Change]]:
    heard: list[frozenset[Change]] = []
    profile.changes.subscribe(heard.append)
    return heard


# --- network checks -------------------------------------------------------------------------------


def test_add_delete_and_restore_a_check(
    profile: ProfileSession, plan_id: int, providers: dict[str, int]
) -> None:
    surgeon = providers["surgeon"]
    first = profile.network.add_verification(check(surgeon, plan_id, reference_number="R-1"))
    second = profile.network.add_verification(check(surgeon, plan_id, OUT, -1))
    assert profile.network.count() == 2
    assert profile.network.get_verification(first).data.reference_number == "R-1"
    removed = profile.network.delete_verification(second)
    assert removed.id == second and removed.data.status is OUT
    assert [v.id for v in profile.network.verifications()] == [first]
    assert profile.network.restore_verification(removed) == second  # Undo keeps the id
    assert profile.network.get_verification(second) == removed
    with pytest.raises(UserError, match="no longer exists"):
        profile.network.delete_verification(999)


def test_restoring_a_check_whose_call_was_deleted_drops_the_link(
    profile: ProfileSession, plan_id: int, providers: dict[str, int]
) -> None:
    call_id = profile.calls.add(
        CallData(dt.datetime(2026, 11, 24, 9, 0), CallDirection.OUTGOING, "Buckeye")
    )
    check_id = profile.network.add_verification(check(providers["lab"], plan_id, call_id=call_id))
    removed = profile.network.delete_verification(check_id)
    profile.calls.delete(call_id)
    restored = profile.network.restore_verification(removed)
    assert profile.network.get_verification(restored).data.call_id is None


def test_deleting_a_call_keeps_its_checks(
    profile: ProfileSession, plan_id: int, providers: dict[str, int]
) -> None:
    call_id = profile.calls.add(
        CallData(dt.datetime(2026, 11, 24, 9, 0), CallDirection.OUTGOING, "Buckeye")
    )
    check_id = profile.network.add_verification(check(providers["lab"], plan_id, call_id=call_id))
    profile.calls.delete(call_id)
    assert profile.network.get_verification(check_id).data.call_id is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"provider_id": 999}, "provider no longer exists"),
        ({"plan_id": 999}, "plan no longer exists"),
        ({"call_id": 999}, "call is no longer in the call log"),
    ],
)
def test_a_check_must_point_at_existing_records(
    profile: ProfileSession,
    plan_id: int,
    providers: dict[str, int],
    change: dict[str, Any],
    message: str,
) -> None:
    heard = heard_changes(profile)
    data = dataclasses.replace(check(providers["surgeon"], plan_id), **change)
    with pytest.raises(UserError, match=message):
        profile.network.add_verification(data)
    assert profile.network.count() == 0 and heard == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"verified_on": day(1)}, "in the future"),
        ({"verified_on": dt.date(1989, 12, 31)}, "before 1990"),
        ({"method": WEBSITE, "call_id": 1}, "linked to a call"),
        ({"reference_number": "x" * 201}, "Reference number is longer"),
    ],
)
def test_bad_checks_are_refused_with_nothing_written(
    profile: ProfileSession,
    plan_id: int,
    providers: dict[str, int],
    change: dict[str, Any],
    message: str,
) -> None:
    heard = heard_changes(profile)
    data = dataclasses.replace(check(providers["surgeon"], plan_id), **change)
    with pytest.raises(ValidationError) as caught:
        profile.network.add_verification(data)
    assert any(message in problem for problem in caught.value.problems)
    assert profile.network.count() == 0 and heard == []


def test_checks_are_listed_in_entry_order_and_filtered(
    profile: ProfileSession, plan_id: int, providers: dict[str, int]
) -> None:
    other_plan = profile.plans.add(PlanData("Guardian", PlanType.HOSPITAL_INDEMNITY, priority=2))
    surgeon, lab = providers["surgeon"], providers["lab"]
    ids = [
        profile.network.add_verification(check(surgeon, plan_id, offset=-1)),
        profile.network.add_verification(check(lab, plan_id, offset=-9)),
        profile.network.add_verification(check(surgeon, other_plan, offset=-5)),
    ]
    assert [v.id for v in profile.network.verifications()] == ids
    assert [v.id for v in profile.network.verifications(provider_id=surgeon)] == [ids[0], ids[2]]
    assert [v.id for v in profile.network.verifications(plan_id=plan_id)] == ids[:2]
    found = profile.network.verifications(provider_id=surgeon, plan_id=other_plan)
    assert [v.id for v in found] == [ids[2]]


def test_provider_network_lists_plans_in_force_first(
    profile: ProfileSession, plan_id: int, providers: dict[str, int]
) -> None:
    ended = profile.plans.add(
        PlanData("Old Insurer", PlanType.EMPLOYER_HMO, coverage_end=dt.date(2025, 12, 31))
    )
    secondary = profile.plans.add(
        PlanData("Guardian", PlanType.HOSPITAL_INDEMNITY, "Indemnity", priority=2)
    )
    surgeon = providers["surgeon"]
    profile.network.add_verification(check(surgeon, ended, OUT, -400))
    standing = profile.network.provider_network(surgeon)
    assert [p.plan_id for p in standing] == [plan_id, secondary, ended]
    assert [p.plan_is_current for p in standing] == [True, True, False]
    assert standing[0].plan_label == "Buckeye Mutual Health — Choice PPO"
    assert standing[1].plan_label == "Guardian — Indemnity"
    assert standing[0].latest is None and standing[0].status is NetworkStatus.UNKNOWN
    assert standing[0].freshness is Freshness.NEVER_CHECKED
    assert standing[2].status is OUT and standing[2].history[0].data.verified_on == day(-400)


def test_the_latest_check_counts_and_history_is_newest_first(
    profile: ProfileSession, plan_id: int, providers: dict[str, int]
) -> None:
    anesthesia = providers["anesthesia"]
    newest = profile.network.add_verification(check(anesthesia, plan_id, OUT, -2))
    older = profile.network.add_verification(check(anesthesia, plan_id, IN, -30))  # typed later
    correction = profile.network.add_verification(check(anesthesia, plan_id, IN, -2))
    (standing, *_) = profile.network.provider_network(anesthesia)
    # Of two checks on one day the one entered later wins (a same-day correction).
    assert standing.latest is not None and standing.latest.id == correction
    assert standing.status is IN
    assert [c.id for c in standing.history] == [correction, newest, older]
    summary = profile.network.network_summary()[anesthesia]
    assert summary.latest == standing.latest
    assert [c.id for c in summary.history] == [correction, newest, older]


@pytest.mark.parametrize(
    ("offset", "max_age", "expected"),
    [
        (-3, 90, Freshness.CURRENT),
        (-90, 90, Freshness.CURRENT),  # exactly the age limit is still current
        (-91, 90, Freshness.STALE_AGE),
        (-31, 30, Freshness.STALE_AGE),  # the setting changes the limit
        (-331, 400, Freshness.STALE_PLAN_YEAR),  # before this plan year began (1 Jan 2026)
    ],
)
def test_freshness_follows_the_setting_and_the_plan_year(
    profile: ProfileSession,
    plan_id: int,
    providers: dict[str, int],
    offset: int,
    max_age: int,
    expected: Freshness,
) -> None:
    lab = providers["lab"]
    profile.network.add_verification(check(lab, plan_id, IN, offset))
    profile.network.max_age_days = max_age
    assert profile.network.provider_network(lab)[0].freshness is expected
    assert profile.network.network_summary()[lab].freshness is expected


def test_a_plan_without_a_plan_year_start_runs_from_the_first_of_january(
    profile: ProfileSession, providers: dict[str, int]
) -> None:
    plan = profile.plans.add(
        PlanData("Calendar PPO", PlanType.EMPLOYER_PPO, coverage_start=dt.date(2024, 1, 1))
    )
    lab = providers["lab"]
    profile.network.add_verification(check(lab, plan, IN, -(TODAY - dt.date(2025, 12, 20)).days))
    profile.network.max_age_days = 400  # young enough: only the plan year can make it stale
    assert profile.network.provider_network(lab)[0].freshness is Freshness.STALE_PLAN_YEAR
    assert profile.network.network_summary()[lab].freshness is Freshness.STALE_PLAN_YEAR
    case_id = profile.cases.add(
        CaseData(Procedure.MICRODISCECTOMY, plan_id=plan, facility_id=lab, scheduled_date=day(9))
    )
    rows = {row.member.data.role: row.row for row in profile.network.checklist(case_id).rows}
    assert rows[CareRole.FACILITY].freshness is Freshness.STALE_PLAN_YEAR


def test_a_check_made_before_the_procedures_plan_year_needs_doing_again(
    profile: ProfileSession, plan_id: int, providers: dict[str, int]
) -> None:
    center = providers["center"]
    profile.network.add_verification(check(center, plan_id, IN, -3))  # 24 Nov 2026

    def facility_row(scheduled: dt.date) -> tuple[ChecklistState, list[str]]:
        case_id = profile.cases.add(
            CaseData(
                Procedure.BASIVERTEBRAL_NERVE_ABLATION,
                plan_id=plan_id,
                facility_id=center,
                scheduled_date=scheduled,
            )
        )
        checklist = profile.network.checklist(case_id)
        (row,) = (r for r in checklist.rows if r.member.data.role is CareRole.FACILITY)
        return row.row.state, [item.title for item in checklist.due]

    state, due = facility_row(dt.date(2027, 1, 6))  # surgery in the next plan year
    assert state is ChecklistState.NEEDS_CHECK
    assert "Check that the hospital or surgery center is in network" in due
    state, due = facility_row(dt.date(2026, 12, 27))  # still this plan year
    assert state is ChecklistState.VERIFIED_IN_NETWORK
    assert "Check that the hospital or surgery center is in network" not in due
    # The Providers page judges today's plan year: the check is current there.
    assert profile.network.provider_network(center)[0].freshness is Freshness.CURRENT


def test_network_summary_uses_the_main_plan_in_force(
    profile: ProfileSession, providers: dict[str, int]
) -> None:
    assert profile.network.network_summary() == {}  # no plan: nothing to measure against
    supplemental = profile.plans.add(PlanData("Guardian", PlanType.HOSPITAL_INDEMNITY))
    assert profile.network.network_summary() == {}  # a supplemental policy has no network
    secondary = profile.plans.add(PlanData("Second PPO", PlanType.EMPLOYER_PPO, priority=2))
    primary = profile.plans.add(PlanData("First PPO", PlanType.EMPLOYER_PPO, priority=1))
    profile.network.add_verification(check(providers["surgeon"], secondary, OUT))
    profile.network.add_verification(check(providers["surgeon"], supplemental, OUT))
    summary = profile.network.network_summary()
    assert set(summary) == set(providers.values())  # every provider, checked or not
    assert {standing.plan_id for standing in summary.values()} == {primary}
    assert summary[providers["surgeon"]].status is NetworkStatus.UNKNOWN
    profile.network.add_verification(check(providers["surgeon"], primary, IN))
    assert profile.network.network_summary()[providers["surgeon"]].status is IN


# --- care teams -----------------------------------------------------------------------------------


def test_a_new_case_starts_with_its_procedures_roles(
    profile: ProfileSession, case_id: int, providers: dict[str, int]
) -> None:
    team = profile.network.team(case_id)
    roles = [member.data.role for member in team]
    assert tuple(roles) == DEFAULT_ROLES[Procedure.MICRODISCECTOMY]
    filled = {m.data.role: m.data.provider_id for m in team if m.data.provider_id is not None}
    assert filled == {
        CareRole.SURGEON: providers["surgeon"],
        CareRole.FACILITY: providers["center"],
    }
    assert profile.network.team_count() == len(roles)
    heard = heard_changes(profile)
    assert profile.network.add_default_roles(case_id) == 0  # nothing missing
    assert heard == []
    profile.network.delete_member(team[1].id)
    assert profile.network.add_default_roles(case_id) == 1
    assert heard == [frozenset({Change.NETWORK})] * 2


def test_add_update_delete_and_restore_a_member(
    profile: ProfileSession, case_id: int, providers: dict[str, int]
) -> None:
    member_id = profile.network.add_member(
        CareTeamData(case_id, CareRole.DME, None, "  the brace  ")
    )
    added = profile.network.team(case_id)[-1]
    assert added.id == member_id and added.data.notes == "the brace"  # trimmed like any text
    profile.network.update_member(
        member_id, CareTeamData(case_id, CareRole.DME, providers["lab"], None)
    )
    assert profile.network.team(case_id)[-1].data.provider_id == providers["lab"]
    removed = profile.network.delete_member(member_id)
    assert member_id not in [m.id for m in profile.network.team(case_id)]
    assert profile.network.restore_member(removed) == member_id
    assert profile.network.team(case_id)[-1] == removed
    with pytest.raises(UserError, match="another case"):
        other = profile.cases.add(CaseData(Procedure.LUMBAR_MRI))
        profile.network.update_member(member_id, CareTeamData(other, CareRole.DME))


def test_one_provider_twice_in_one_role_is_refused(
    profile: ProfileSession, case_id: int, providers: dict[str, int]
) -> None:
    before = profile.network.team(case_id)
    heard = heard_changes(profile)
    with pytest.raises(ValidationError, match="already the surgeon"):
        profile.network.add_member(CareTeamData(case_id, CareRole.SURGEON, providers["surgeon"]))
    assistant = next(m for m in before if m.data.role is CareRole.ASSISTANT_SURGEON)
    profile.network.update_member(
        assistant.id, CareTeamData(case_id, CareRole.ASSISTANT_SURGEON, providers["surgeon"])
    )  # one provider in two roles is fine
    heard.clear()
    with pytest.raises(ValidationError):
        profile.network.update_member(
            assistant.id, CareTeamData(case_id, CareRole.SURGEON, providers["surgeon"])
        )
    # Several rows of one role without a provider yet are fine.
    profile.network.add_member(CareTeamData(case_id, CareRole.PATHOLOGY))
    assert [m.data.role for m in profile.network.team(case_id)].count(CareRole.PATHOLOGY) == 2
    assert heard == [frozenset({Change.NETWORK})]


def test_a_member_must_point_at_existing_records(
    profile: ProfileSession, case_id: int, providers: dict[str, int]
) -> None:
    count = profile.network.team_count()
    with pytest.raises(UserError, match="provider no longer exists"):
        profile.network.add_member(CareTeamData(case_id, CareRole.DME, 999))
    with pytest.raises(UserError, match="case no longer exists"):
        profile.network.add_member(CareTeamData(999, CareRole.DME))
    with pytest.raises(UserError, match="care-team row no longer exists"):
        profile.network.delete_member(999)
    assert profile.network.team_count() == count


def test_restoring_a_member_whose_provider_was_deleted_leaves_the_role_open(
    profile: ProfileSession, case_id: int
) -> None:
    dme = profile.providers.add(ProviderData("Brace Co", ProviderRole.DME_SUPPLIER))
    member_id = profile.network.add_member(CareTeamData(case_id, CareRole.DME, dme))
    removed = profile.network.delete_member(member_id)
    profile.providers.delete(dme)
    restored = profile.network.restore_member(removed)
    assert next(m for m in profile.network.team(case_id) if m.id == restored).data == (
        CareTeamData(case_id, CareRole.DME, None)
    )


def test_restoring_a_member_twice_over_is_refused(
    profile: ProfileSession, case_id: int, providers: dict[str, int]
) -> None:
    surgeon = next(m for m in profile.network.team(case_id) if m.data.role is CareRole.SURGEON)
    removed = profile.network.delete_member(surgeon.id)
    profile.network.add_member(removed.data)  # chosen again before Undo
    with pytest.raises(ValidationError):
        profile.network.restore_member(removed)


# --- the checklist --------------------------------------------------------------------------------


def team_member(profile: ProfileSession, case_id: int, role: CareRole) -> int:
    return next(m.id for m in profile.network.team(case_id) if m.data.role is role)


def test_the_checklist_colours_each_role_and_lists_what_is_due(
    profile: ProfileSession, case_id: int, plan_id: int, providers: dict[str, int]
) -> None:
    network = profile.network
    network.update_member(
        team_member(profile, case_id, CareRole.ANESTHESIOLOGIST),
        CareTeamData(case_id, CareRole.ANESTHESIOLOGIST, providers["anesthesia"]),
    )
    network.update_member(
        team_member(profile, case_id, CareRole.PATHOLOGY),
        CareTeamData(case_id, CareRole.PATHOLOGY, providers["lab"]),
    )
    network.add_verification(check(providers["surgeon"], plan_id, reference_number="MS-1"))
    network.add_verification(check(providers["center"], plan_id))
    network.add_verification(check(providers["anesthesia"], plan_id, OUT))
    network.add_verification(check(providers["lab"], plan_id, IN, -120))  # too old

    checklist = network.checklist(case_id)
    assert checklist.case_title == "Microdiscectomy — left L4-L5"
    assert (checklist.plan_id, checklist.insurer) == (plan_id, "Buckeye Mutual Health")
    assert checklist.scheduled_date == day(20)
    rows = {row.member.data.role: row for row in checklist.rows}
    assert rows[CareRole.SURGEON].row.state is ChecklistState.VERIFIED_IN_NETWORK
    assert "MS-1" in rows[CareRole.SURGEON].row.advice
    assert rows[CareRole.SURGEON].provider_name == "Dr. Samuel Okafor"
    assert rows[CareRole.ANESTHESIOLOGIST].row.state is ChecklistState.OUT_OF_NETWORK
    assert rows[CareRole.ANESTHESIOLOGIST].row.protection is Protection.NO_BALANCE_BILLING
    assert rows[CareRole.PATHOLOGY].row.state is ChecklistState.NEEDS_CHECK
    assert rows[CareRole.IMAGING].provider_name is None
    assert checklist.count(ChecklistState.VERIFIED_IN_NETWORK) == 2
    assert checklist.count(ChecklistState.OUT_OF_NETWORK) == 1

    # Due three days before the surgery: every row needing a check, no protected one.
    assert {item.due for item in checklist.due} == {day(17)}
    titles = [item.title for item in checklist.due]
    assert "Check that the pathology lab is in network" in titles
    assert not any("anesthesiologist" in title for title in titles)
    assert len(titles) == checklist.count(ChecklistState.NEEDS_CHECK)
    assert all(item.case_id == case_id for item in checklist.due)
    assert network.protected_out_of_network() == {providers["anesthesia"]}


def test_due_items_cover_every_case_soonest_first(
    profile: ProfileSession, plan_id: int, case_id: int
) -> None:
    sooner = profile.cases.add(
        CaseData(Procedure.LUMBAR_MRI, plan_id=plan_id, scheduled_date=day(5))
    )
    profile.cases.add(CaseData(Procedure.CT_SCAN, plan_id=plan_id, scheduled_date=day(-5)))
    profile.cases.add(CaseData(Procedure.CT_SCAN, plan_id=plan_id))  # not booked yet
    items = profile.network.due_items()
    assert items[0].case_id == sooner and items[0].due == day(2)
    assert {item.case_id for item in items} == {sooner, case_id}  # past and unbooked: nothing
    assert items == sorted(items, key=lambda item: (item.due, item.case_title, item.title))
    assert [c.case_id for c in profile.network.checklists()] == sorted(
        row.id for row in profile.cases.list()
    )


def test_a_case_without_a_plan_needs_every_check(
    profile: ProfileSession, providers: dict[str, int], plan_id: int
) -> None:
    case_id = profile.cases.add(
        CaseData(Procedure.LUMBAR_MRI, facility_id=providers["center"], scheduled_date=day(9))
    )
    profile.network.add_verification(check(providers["center"], plan_id))
    checklist = profile.network.checklist(case_id)
    assert checklist.plan_id is None and checklist.insurer is None
    assert [row.row.state for row in checklist.rows] == [ChecklistState.NEEDS_CHECK]
    with pytest.raises(UserError, match="case no longer exists"):
        profile.network.checklist(999)
    nobody = profile.cases.add(CaseData(Procedure.MEDICATION, "gabapentin"))
    assert profile.network.checklist(nobody).rows == []  # no usual roles for a medication


# --- change announcements -------------------------------------------------------------------------


def test_network_changes_are_announced_after_each_write(
    profile: ProfileSession, case_id: int, plan_id: int, providers: dict[str, int]
) -> None:
    heard = heard_changes(profile)
    network = profile.network
    writes: list[Callable[[], object]] = [
        lambda: network.add_verification(check(providers["lab"], plan_id)),
        lambda: network.add_member(CareTeamData(case_id, CareRole.DME)),
    ]
    for write in writes:
        write()
    member = network.team(case_id)[-1]
    network.update_member(member.id, CareTeamData(case_id, CareRole.DME, providers["lab"]))
    network.restore_member(network.delete_member(member.id))
    (verification,) = network.verifications()
    network.restore_verification(network.delete_verification(verification.id))
    assert heard == [frozenset({Change.NETWORK})] * 7

    heard.clear()
    failures: list[Callable[[], object]] = [
        lambda: network.add_verification(check(providers["lab"], plan_id, offset=3)),
        lambda: network.add_verification(check(999, plan_id)),
        lambda: network.add_member(CareTeamData(case_id, CareRole.SURGEON, providers["surgeon"])),
        lambda: network.update_member(999, CareTeamData(case_id, CareRole.DME)),
        lambda: network.delete_verification(999),
        lambda: network.delete_member(999),
    ]
    for failure in failures:
        with pytest.raises(UserError):  # ValidationError is a UserError
            failure()
    assert heard == []
