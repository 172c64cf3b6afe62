"""Network checks, the care team and the No Surprises Act: validation, staleness, protection,
the checklist's states and its due items, as tables counted by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from backlog_app.domain.cases import Procedure
from backlog_app.domain.deadline_rules import Party
from backlog_app.domain.network import (
    STALE_AFTER_DAYS,
    Freshness,
    NetworkStatus,
    VerificationData,
    VerificationMethod,
    freshness,
    latest_verification,
    verification_problems,
)
from backlog_app.domain.network_checklist import (
    CareTeamRow,
    ChecklistState,
    care_team_checklist,
    care_team_due_items,
)
from backlog_app.domain.network_rules import (
    DEFAULT_ROLES,
    NSA_SOURCE,
    CareRole,
    CareTeamData,
    Protection,
    care_team_problems,
    consent_deadline,
    protection,
)
from backlog_app.domain.records import ProviderRole

TODAY = dt.date(2026, 11, 27)
PLAN = 7
OTHER_PLAN = 8
CASE = 3
IN = NetworkStatus.IN_NETWORK
OUT = NetworkStatus.OUT_OF_NETWORK
UNK = NetworkStatus.UNKNOWN
R = CareRole
P = Protection
CALL = VerificationMethod.CALL


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def check(
    day: str,
    status: NetworkStatus = IN,
    provider: int = 1,
    plan: int = PLAN,
    method: VerificationMethod = CALL,
    reference: str | None = "REF-1",
    **fields: Any,
) -> VerificationData:
    return VerificationData(provider, plan, status, method, d(day), reference, **fields)


# -- labels ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "enum", [NetworkStatus, VerificationMethod, Freshness, CareRole, Protection, ChecklistState]
)
def test_every_member_has_a_plain_label(enum: Any) -> None:
    for member in enum:
        assert member.label and member.label[0].isupper(), member


def test_every_role_has_a_lower_case_noun_and_provider_kinds() -> None:
    for role in CareRole:
        assert role.noun and role.noun == role.noun.lower(), role
        assert role.provider_roles, role
    assert CareRole.FACILITY.provider_roles == {ProviderRole.HOSPITAL, ProviderRole.SURGERY_CENTER}
    assert CareRole.OTHER.provider_roles == frozenset(ProviderRole)


def test_every_protection_explains_itself_with_a_source() -> None:
    for kind in Protection:
        assert kind.explanation.endswith("."), kind
        assert kind.source or kind is Protection.UNKNOWN, kind
    assert "149.410" in P.NO_BALANCE_BILLING.source
    assert "149.420(b)" in P.NO_BALANCE_BILLING.source
    assert "149.420(c)" in P.NOTICE_AND_CONSENT.source
    assert "72 hours" in P.NOTICE_AND_CONSENT.explanation


# -- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"verified_on": TODAY}, []),
        ({"reference_number": None}, []),  # a call without a reference is allowed
        (
            {"verified_on": d("2026-11-28")},
            ["The date of the check (28 Nov 2026) is in the future"],
        ),
        ({"verified_on": d("1989-12-31")}, ["The date of the check (1989-12-31) is before 1990"]),
        ({"verified_on": d("1990-01-01")}, []),
        ({"call_id": 5}, []),
        (
            {"call_id": 5, "method": VerificationMethod.INSURER_WEBSITE},
            ["This check is linked to a call"],
        ),
        ({"reference_number": "x" * 200}, []),
        ({"reference_number": "x" * 201}, ["Reference number is longer than 200 characters"]),
        ({"notes": "x" * 20_001}, ["Notes is longer than 20,000 characters"]),
        (
            {"verified_on": d("2027-01-01"), "notes": "x" * 20_001},
            ["The date of the check (1 Jan 2027) is in the future", "Notes is longer"],
        ),
    ],
)
def test_verification_problems(changes: dict[str, Any], expected: list[str]) -> None:
    problems = verification_problems(replace(check("2026-11-01"), **changes), TODAY)
    assert len(problems) == len(expected), problems
    for problem, start in zip(problems, expected, strict=True):
        assert problem.startswith(start), problem
        assert problem.endswith("."), problem


# -- latest and freshness ----------------------------------------------------------------------


def test_latest_verification_takes_the_latest_date_and_the_later_entry_on_a_tie() -> None:
    a = check("2026-10-01", IN)
    b = check("2026-11-01", IN)
    c = check("2026-11-01", OUT)
    assert latest_verification([]) is None
    assert latest_verification([a]) is a
    assert latest_verification([b, a]) is b
    assert latest_verification([a, b, c]) is c
    assert latest_verification([a, c, b]) is b


@pytest.mark.parametrize(
    ("checked", "today", "max_age", "year_start", "expected"),
    [
        # age only
        ("2026-08-29", "2026-11-27", 90, None, Freshness.CURRENT),  # exactly 90 days
        ("2026-08-28", "2026-11-27", 90, None, Freshness.STALE_AGE),  # 91 days
        ("2026-11-27", "2026-11-27", 90, None, Freshness.CURRENT),
        ("2026-11-28", "2026-11-27", 90, None, Freshness.CURRENT),  # future: refused on save
        ("2026-11-27", "2026-11-27", 0, None, Freshness.CURRENT),
        ("2026-11-26", "2026-11-27", 0, None, Freshness.STALE_AGE),
        ("2026-10-28", "2026-11-27", 30, None, Freshness.CURRENT),
        ("2026-10-27", "2026-11-27", 30, None, Freshness.STALE_AGE),
        # no plan year start: a check from last December is still current in January
        ("2026-12-31", "2027-01-01", 90, None, Freshness.CURRENT),
        # calendar plan year: the day before the new year is stale on the first day
        ("2026-12-31", "2027-01-01", 90, "2020-01-01", Freshness.STALE_PLAN_YEAR),
        ("2027-01-01", "2027-01-01", 90, "2020-01-01", Freshness.CURRENT),
        ("2026-12-31", "2026-12-31", 90, "2020-01-01", Freshness.CURRENT),
        # both reasons: the new plan year is named
        ("2026-06-01", "2027-01-02", 90, "2020-01-01", Freshness.STALE_PLAN_YEAR),
        # old but inside the plan year: age
        ("2026-02-01", "2026-11-27", 90, "2020-01-01", Freshness.STALE_AGE),
        # a July plan year
        ("2026-06-30", "2026-07-01", 90, "2019-07-01", Freshness.STALE_PLAN_YEAR),
        ("2026-06-30", "2026-06-30", 90, "2019-07-01", Freshness.CURRENT),
        ("2026-07-01", "2026-09-29", 90, "2019-07-01", Freshness.CURRENT),
        # a plan year that began on 29 Feb starts on 28 Feb in common years
        ("2025-02-27", "2025-02-28", 90, "2024-02-29", Freshness.STALE_PLAN_YEAR),
        ("2025-02-28", "2025-02-28", 90, "2024-02-29", Freshness.CURRENT),
        ("2025-02-27", "2025-02-27", 90, "2024-02-29", Freshness.CURRENT),
        # ... and on 29 Feb in leap years: 28 Feb 2028 is still in the old plan year
        ("2028-02-27", "2028-02-28", 90, "2024-02-29", Freshness.CURRENT),
        ("2028-02-28", "2028-02-29", 90, "2024-02-29", Freshness.STALE_PLAN_YEAR),
        ("2028-02-29", "2028-02-29", 90, "2024-02-29", Freshness.CURRENT),
        # a 1 March plan year across a leap day
        ("2028-02-29", "2028-03-01", 90, "2026-03-01", Freshness.STALE_PLAN_YEAR),
        ("2028-02-29", "2028-02-29", 90, "2026-03-01", Freshness.CURRENT),
    ],
)
def test_freshness(
    checked: str, today: str, max_age: int, year_start: str | None, expected: Freshness
) -> None:
    start = d(year_start) if year_start else None
    assert freshness(check(checked), d(today), max_age, start) is expected


def test_freshness_defaults_and_never_checked() -> None:
    assert STALE_AFTER_DAYS == 90
    assert freshness(None, TODAY) is Freshness.NEVER_CHECKED
    assert freshness(None, TODAY, 90, d("2020-01-01")) is Freshness.NEVER_CHECKED
    assert freshness(check("2026-08-29"), TODAY) is Freshness.CURRENT
    assert freshness(check("2026-08-28"), TODAY) is Freshness.STALE_AGE
    assert Freshness.CURRENT.is_current
    assert not any(f.is_current for f in Freshness if f is not Freshness.CURRENT)
    with pytest.raises(ValueError, match="negative"):
        freshness(check("2026-11-01"), TODAY, -1)


# -- roles -----------------------------------------------------------------------------------


def test_ancillary_roles_are_the_ones_the_law_names() -> None:
    assert {r for r in CareRole if r.is_ancillary} == {
        R.ASSISTANT_SURGEON,
        R.ANESTHESIOLOGIST,
        R.IMAGING,
        R.PATHOLOGY,
    }
    assert {r for r in CareRole if not r.at_facility} == {
        R.DME,
        R.POST_OP_PT,
        R.FOLLOW_UP_IMAGING,
        R.OTHER,
    }
    assert all(r.at_facility for r in CareRole if r.is_ancillary)


def test_every_procedure_has_default_roles_without_repeats() -> None:
    assert set(DEFAULT_ROLES) == set(Procedure)
    for procedure, roles in DEFAULT_ROLES.items():
        assert len(set(roles)) == len(roles), procedure
        assert CareRole.OTHER not in roles, procedure


@pytest.mark.parametrize(
    ("procedure", "expected"),
    [
        (Procedure.LUMBAR_MRI, (R.IMAGING,)),
        (Procedure.MEDICATION, ()),
        (Procedure.PHYSICAL_THERAPY, (R.POST_OP_PT,)),
        (Procedure.MEDICAL_EQUIPMENT, (R.DME,)),
        (
            Procedure.EPIDURAL_STEROID_INJECTION,
            (R.PROCEDURALIST, R.FACILITY, R.ANESTHESIOLOGIST, R.IMAGING),
        ),
        (
            Procedure.RADIOFREQUENCY_ABLATION,
            (R.PROCEDURALIST, R.FACILITY, R.ANESTHESIOLOGIST, R.IMAGING),
        ),
        (
            Procedure.MICRODISCECTOMY,
            (
                R.SURGEON,
                R.ASSISTANT_SURGEON,
                R.ANESTHESIOLOGIST,
                R.FACILITY,
                R.PATHOLOGY,
                R.IMAGING,
                R.POST_OP_PT,
                R.FOLLOW_UP_IMAGING,
            ),
        ),
    ],
)
def test_default_roles(procedure: Procedure, expected: tuple[CareRole, ...]) -> None:
    assert DEFAULT_ROLES[procedure] == expected


def test_a_fusion_adds_the_brace() -> None:
    assert set(DEFAULT_ROLES[Procedure.LUMBAR_FUSION]) == (
        set(DEFAULT_ROLES[Procedure.MICRODISCECTOMY]) | {R.DME}
    )


@pytest.mark.parametrize(
    ("member", "others", "name", "expected"),
    [
        (CareTeamData(CASE, R.ANESTHESIOLOGIST, 5), [], None, []),
        (
            CareTeamData(CASE, R.ANESTHESIOLOGIST, 5),
            [CareTeamData(CASE, R.ANESTHESIOLOGIST, 5)],
            "Dr. Okafor",
            ["Dr. Okafor is already the anesthesiologist on this case."],
        ),
        (
            CareTeamData(CASE, R.FACILITY, 5),
            [CareTeamData(CASE, R.FACILITY, 5)],
            "  ",
            ["This provider is already the hospital or surgery center on this case."],
        ),
        # another role, another case, another provider, or nobody yet: fine
        (CareTeamData(CASE, R.SURGEON, 5), [CareTeamData(CASE, R.FACILITY, 5)], None, []),
        (CareTeamData(CASE, R.SURGEON, 5), [CareTeamData(CASE + 1, R.SURGEON, 5)], None, []),
        (CareTeamData(CASE, R.SURGEON, 5), [CareTeamData(CASE, R.SURGEON, 6)], None, []),
        (CareTeamData(CASE, R.SURGEON), [CareTeamData(CASE, R.SURGEON)], None, []),
        (
            CareTeamData(CASE, R.SURGEON, notes="x" * 20_001),
            [],
            None,
            ["Notes is longer than 20,000 characters; please shorten it."],
        ),
    ],
)
def test_care_team_problems(
    member: CareTeamData, others: list[CareTeamData], name: str | None, expected: list[str]
) -> None:
    assert care_team_problems(member, others, name) == expected


# -- protection --------------------------------------------------------------------------------

ANCILLARY = [R.ASSISTANT_SURGEON, R.ANESTHESIOLOGIST, R.IMAGING, R.PATHOLOGY]
AT_FACILITY_OTHER = [R.SURGEON, R.PROCEDURALIST]
AWAY = [R.DME, R.POST_OP_PT, R.FOLLOW_UP_IMAGING, R.OTHER]
FACILITY_STATUSES: list[NetworkStatus | None] = [IN, OUT, UNK, None]


def expected_protection(
    role: CareRole, provider: NetworkStatus, facility: NetworkStatus | None, emergency: bool
) -> Protection:
    """The table of the No Surprises Act, written out row by row."""
    if provider is IN:
        return P.NOT_NEEDED
    if emergency:
        return P.NO_BALANCE_BILLING  # 45 CFR 149.410
    if provider is UNK:
        return P.UNKNOWN
    if role is R.FACILITY or role in AWAY:
        return P.NONE
    return {
        IN: P.NO_BALANCE_BILLING if role in ANCILLARY else P.NOTICE_AND_CONSENT,
        OUT: P.NONE,
        UNK: P.UNKNOWN,
        None: P.NONE,
    }[facility]


@pytest.mark.parametrize("emergency", [False, True])
@pytest.mark.parametrize("facility", FACILITY_STATUSES)
@pytest.mark.parametrize("provider", list(NetworkStatus))
@pytest.mark.parametrize("role", list(CareRole))
def test_protection_for_every_combination(
    role: CareRole, provider: NetworkStatus, facility: NetworkStatus | None, emergency: bool
) -> None:
    assert protection(role, provider, facility, emergency) is expected_protection(
        role, provider, facility, emergency
    )


@pytest.mark.parametrize(
    ("role", "provider", "facility", "expected"),
    [
        (R.ANESTHESIOLOGIST, OUT, IN, P.NO_BALANCE_BILLING),
        (R.IMAGING, OUT, IN, P.NO_BALANCE_BILLING),
        (R.PATHOLOGY, OUT, IN, P.NO_BALANCE_BILLING),
        (R.ASSISTANT_SURGEON, OUT, IN, P.NO_BALANCE_BILLING),
        (R.SURGEON, OUT, IN, P.NOTICE_AND_CONSENT),
        (R.PROCEDURALIST, OUT, IN, P.NOTICE_AND_CONSENT),
        (R.ANESTHESIOLOGIST, OUT, OUT, P.NONE),
        (R.FACILITY, OUT, OUT, P.NONE),
        (R.FACILITY, IN, IN, P.NOT_NEEDED),
        (R.FACILITY, UNK, UNK, P.UNKNOWN),
        (R.FOLLOW_UP_IMAGING, OUT, IN, P.NONE),  # the $650 post-op MRI elsewhere
        (R.DME, OUT, IN, P.NONE),
        (R.POST_OP_PT, OUT, IN, P.NONE),
        (R.IMAGING, OUT, None, P.NONE),  # an MRI at a freestanding center
        (R.ANESTHESIOLOGIST, UNK, IN, P.UNKNOWN),
        (R.ANESTHESIOLOGIST, OUT, UNK, P.UNKNOWN),
        (R.SURGEON, IN, OUT, P.NOT_NEEDED),
    ],
)
def test_protection_examples(
    role: CareRole, provider: NetworkStatus, facility: NetworkStatus | None, expected: Protection
) -> None:
    assert protection(role, provider, facility) is expected


def test_emergency_care_is_protected_whoever_is_out_of_network() -> None:
    assert protection(R.FACILITY, OUT, OUT, emergency=True) is P.NO_BALANCE_BILLING
    assert protection(R.SURGEON, OUT, OUT, emergency=True) is P.NO_BALANCE_BILLING
    assert protection(R.SURGEON, UNK, None, emergency=True) is P.NO_BALANCE_BILLING
    assert protection(R.SURGEON, IN, OUT, emergency=True) is P.NOT_NEEDED


# -- checklist ---------------------------------------------------------------------------------

SURGEON, ANESTH, HOSPITAL, PATHOLOGIST, PT, MRI_CENTER = 1, 2, 3, 4, 5, 6
NAMES = {SURGEON: "Dr. Patel", ANESTH: "Dr. Okafor", HOSPITAL: "Riverside Surgery Center"}
SCHEDULED = d("2026-12-16")


def rows_for(
    members: list[CareTeamData],
    checks: list[VerificationData],
    *,
    today: dt.date = TODAY,
    plan_year_start: dt.date | None = None,
    plan_id: int | None = PLAN,
    scheduled: dt.date | None = SCHEDULED,
) -> list[CareTeamRow]:
    by_provider: dict[int, list[VerificationData]] = {}
    for item in checks:
        by_provider.setdefault(item.provider_id, []).append(item)
    return care_team_checklist(
        members,
        by_provider,
        plan_id,
        today,
        plan_year_start=plan_year_start,
        provider_names=NAMES,
        insurer="Buckeye Mutual",
        scheduled_date=scheduled,
    )


def member(role: CareRole, provider: int | None) -> CareTeamData:
    return CareTeamData(CASE, role, provider)


HOSPITAL_IN = check("2026-11-20", IN, HOSPITAL)


@pytest.mark.parametrize(
    ("role", "provider", "checks", "state", "status", "fresh", "kind"),
    [
        # verified in network and recent: green
        (R.SURGEON, SURGEON, [check("2026-11-01", IN, SURGEON)], "verified_in_network", IN, "current", "not_needed"),
        # unassigned, never checked, unknown, stale: amber
        (R.ANESTHESIOLOGIST, None, [], "needs_check", UNK, "never_checked", "unknown"),
        (R.ANESTHESIOLOGIST, ANESTH, [], "needs_check", UNK, "never_checked", "unknown"),
        (R.ANESTHESIOLOGIST, ANESTH, [check("2026-11-01", UNK, ANESTH)], "needs_check", UNK, "current", "unknown"),
        (R.SURGEON, SURGEON, [check("2026-08-28", IN, SURGEON)], "needs_check", IN, "stale_age", "not_needed"),
        # a check for another plan does not count
        (R.SURGEON, SURGEON, [check("2026-11-01", IN, SURGEON, OTHER_PLAN)], "needs_check", UNK, "never_checked", "unknown"),
        # the latest check wins, whatever it found
        (R.SURGEON, SURGEON, [check("2026-11-01", IN, SURGEON), check("2026-11-10", OUT, SURGEON)], "out_of_network", OUT, "current", "notice_and_consent"),
        (R.SURGEON, SURGEON, [check("2026-11-10", OUT, SURGEON), check("2026-11-01", IN, SURGEON)], "out_of_network", OUT, "current", "notice_and_consent"),
        # out of network: red, even when old; protection from the facility's status
        (R.ANESTHESIOLOGIST, ANESTH, [check("2026-11-01", OUT, ANESTH)], "out_of_network", OUT, "current", "no_balance_billing"),
        (R.ANESTHESIOLOGIST, ANESTH, [check("2026-01-01", OUT, ANESTH)], "out_of_network", OUT, "stale_age", "no_balance_billing"),
        (R.POST_OP_PT, PT, [check("2026-11-01", OUT, PT)], "out_of_network", OUT, "current", "none"),
    ],
)  # fmt: skip
def test_checklist_states(
    role: CareRole,
    provider: int | None,
    checks: list[VerificationData],
    state: str,
    status: NetworkStatus,
    fresh: str,
    kind: str,
) -> None:
    members = [member(R.FACILITY, HOSPITAL), member(role, provider)]
    facility_row, row = rows_for(members, [HOSPITAL_IN, *checks])
    assert facility_row.state is ChecklistState.VERIFIED_IN_NETWORK
    assert (row.role, row.provider_id) == (role, provider)
    assert (row.state, row.status, row.freshness, row.protection) == (state, status, fresh, kind)
    assert row.advice.endswith("."), row.advice


def test_a_new_plan_year_turns_a_green_row_amber() -> None:
    members = [member(R.SURGEON, SURGEON)]
    checks = [check("2026-12-31", IN, SURGEON)]
    (before,) = rows_for(members, checks, today=d("2026-12-31"), plan_year_start=d("2020-01-01"))
    (after,) = rows_for(members, checks, today=d("2027-01-01"), plan_year_start=d("2020-01-01"))
    assert before.state is ChecklistState.VERIFIED_IN_NETWORK
    assert after.state is ChecklistState.NEEDS_CHECK
    assert after.freshness is Freshness.STALE_PLAN_YEAR
    assert "a new plan year began on 1 Jan 2027" in after.advice


def test_protection_follows_the_facility_row() -> None:
    anesthesiologist = member(R.ANESTHESIOLOGIST, ANESTH)
    out = check("2026-11-01", OUT, ANESTH)
    cases: list[tuple[list[CareTeamData], list[VerificationData], Protection]] = [
        ([member(R.FACILITY, HOSPITAL), anesthesiologist], [HOSPITAL_IN, out], P.NO_BALANCE_BILLING),
        ([member(R.FACILITY, HOSPITAL), anesthesiologist], [check("2026-11-01", OUT, HOSPITAL), out], P.NONE),
        ([member(R.FACILITY, HOSPITAL), anesthesiologist], [out], P.UNKNOWN),  # facility unchecked
        ([member(R.FACILITY, None), anesthesiologist], [out], P.UNKNOWN),  # facility unassigned
        ([anesthesiologist], [out], P.NONE),  # no facility on the case
        # a stale facility check still says which law applies
        ([member(R.FACILITY, HOSPITAL), anesthesiologist], [check("2026-01-01", IN, HOSPITAL), out], P.NO_BALANCE_BILLING),
    ]  # fmt: skip
    for members, checks, expected in cases:
        assert rows_for(members, checks)[-1].protection is expected, (members, checks)


def test_a_case_without_a_plan_needs_every_check() -> None:
    rows = rows_for([member(R.SURGEON, SURGEON)], [check("2026-11-01", IN, SURGEON)], plan_id=None)
    assert [(r.state, r.status, r.freshness) for r in rows] == [
        (ChecklistState.NEEDS_CHECK, UNK, Freshness.NEVER_CHECKED)
    ]


@pytest.mark.parametrize(
    ("role", "provider", "checks", "today", "expected"),
    [
        (R.SURGEON, SURGEON, [], TODAY, "Call Buckeye Mutual to check that Dr. Patel is in network by 13 Dec 2026; ask for a reference number."),
        (R.ANESTHESIOLOGIST, None, [], TODAY, "Ask the office booking the procedure who the anesthesiologist will be, then call Buckeye Mutual to check that they are in network by 13 Dec 2026."),
        (R.PATHOLOGY, PATHOLOGIST, [], TODAY, "Call Buckeye Mutual to check that the pathology lab is in network by 13 Dec 2026; ask for a reference number."),
        (R.SURGEON, SURGEON, [], d("2026-12-14"), "Call Buckeye Mutual to check that Dr. Patel is in network as soon as you can; ask for a reference number."),
        (R.SURGEON, SURGEON, [check("2026-11-01", IN, SURGEON, reference="A-77")], TODAY, "In network: checked on 1 Nov 2026 by a call to Buckeye Mutual (reference A-77)."),
        (R.SURGEON, SURGEON, [check("2026-11-01", IN, SURGEON, method=VerificationMethod.INSURER_WEBSITE, reference=None)], TODAY, "In network: checked on 1 Nov 2026 by Buckeye Mutual's website."),
        (R.SURGEON, SURGEON, [check("2026-08-01", IN, SURGEON)], TODAY, "Dr. Patel was in network on 1 Aug 2026, but that check is more than 90 days old. Call Buckeye Mutual to check that Dr. Patel is in network by 13 Dec 2026; ask for a reference number."),
        (R.SURGEON, SURGEON, [check("2026-11-01", UNK, SURGEON)], TODAY, "The check on 1 Nov 2026 did not settle it. Call Buckeye Mutual to check that Dr. Patel is in network by 13 Dec 2026; ask for a reference number."),
        (R.ANESTHESIOLOGIST, ANESTH, [check("2026-11-01", OUT, ANESTH)], TODAY, "Out of network, but the law protects you here: at an in-network facility Dr. Okafor can bill you only your in-network share. Do not sign anything giving up this protection."),
        (R.SURGEON, SURGEON, [check("2026-11-01", OUT, SURGEON)], TODAY, "Out of network: Dr. Patel may bill you more than your in-network share only if you sign a notice-and-consent form at least 72 hours before. Ask for the notice-and-consent form; do not sign it if you want an in-network surgeon."),
        (R.FOLLOW_UP_IMAGING, MRI_CENTER, [check("2026-11-01", OUT, MRI_CENTER)], TODAY, "Out of network, and the law does not limit this bill (this care is not part of a visit to an in-network hospital or surgery center). Find an in-network follow-up imaging center, or get the price in writing before the care."),
        (R.ANESTHESIOLOGIST, ANESTH, [check("2026-01-05", OUT, ANESTH)], TODAY, "Out of network, but the law protects you here: at an in-network facility Dr. Okafor can bill you only your in-network share. Do not sign anything giving up this protection. This was checked on 5 Jan 2026; networks change, so check again."),
    ],
)  # fmt: skip
def test_advice(
    role: CareRole,
    provider: int | None,
    checks: list[VerificationData],
    today: dt.date,
    expected: str,
) -> None:
    members = [member(R.FACILITY, HOSPITAL), member(role, provider)]
    assert rows_for(members, [HOSPITAL_IN, *checks], today=today)[-1].advice == expected


def test_advice_about_the_facility_itself() -> None:
    out = check("2026-11-01", OUT, HOSPITAL)
    (row,) = rows_for([member(R.FACILITY, HOSPITAL)], [out])
    assert row.protection is P.NONE
    assert "covers only in-network hospitals and surgery centers" in row.advice
    rows = rows_for(
        [member(R.FACILITY, HOSPITAL), member(R.ANESTHESIOLOGIST, ANESTH)],
        [out, check("2026-11-01", OUT, ANESTH)],
    )
    assert "the hospital or surgery center is out of network too" in rows[1].advice
    rows = rows_for(
        [member(R.FACILITY, HOSPITAL), member(R.ANESTHESIOLOGIST, ANESTH)],
        [check("2026-11-01", OUT, ANESTH)],
    )
    assert rows[1].advice.startswith("Out of network; whether the law limits this bill depends")


def test_advice_without_names_or_insurer() -> None:
    (row,) = care_team_checklist([member(R.ANESTHESIOLOGIST, ANESTH)], {}, PLAN, TODAY)
    assert row.advice == (
        "Call your insurer to check that the anesthesiologist is in network; "
        "ask for a reference number."
    )


# -- due items ---------------------------------------------------------------------------------


def test_consent_deadline_is_three_days_before() -> None:
    assert consent_deadline(d("2026-12-16")) == d("2026-12-13")
    assert consent_deadline(d("2027-03-02")) == d("2027-02-27")
    assert consent_deadline(d("2028-03-02")) == d("2028-02-28")


def due_titles(
    rows: list[CareTeamRow], scheduled: dt.date | None, today: dt.date = TODAY
) -> list[str]:
    return [
        item.title for item in care_team_due_items(rows, CASE, "Microdiscectomy", scheduled, today)
    ]


def test_due_items_for_every_row_that_is_not_settled() -> None:
    members = [
        member(R.FACILITY, HOSPITAL),
        member(R.SURGEON, SURGEON),
        member(R.ANESTHESIOLOGIST, ANESTH),
        member(R.ASSISTANT_SURGEON, None),
        member(R.PATHOLOGY, PATHOLOGIST),
        member(R.PROCEDURALIST, 9),
        member(R.FOLLOW_UP_IMAGING, MRI_CENTER),
        member(R.POST_OP_PT, PT),
    ]
    checks = [
        HOSPITAL_IN,
        check("2026-11-01", IN, SURGEON),  # green: nothing to do
        check("2026-08-01", IN, ANESTH),  # stale
        check("2026-11-01", OUT, PATHOLOGIST),  # protected: nothing to do
        check("2026-11-01", OUT, 9),  # notice-and-consent
        check("2026-11-01", OUT, MRI_CENTER),  # not protected
        check("2026-11-01", UNK, PT),  # unknown
    ]
    rows = rows_for(members, checks)
    items = care_team_due_items(rows, CASE, "Microdiscectomy", SCHEDULED, TODAY)
    assert [item.title for item in items] == [
        "Check that the anesthesiologist is in network",
        "Check that the assistant surgeon is in network",
        "Find an in-network doctor doing the procedure, or decide on the notice-and-consent form",
        "Find an in-network follow-up imaging center, or get the price in writing",
        "Check that the physical therapist is in network",
    ]
    for item in items:
        assert item.due == d("2026-12-13")
        assert item.party is Party.YOU
        assert item.rule is None
        assert item.source == NSA_SOURCE == "No Surprises Act — 45 CFR 149.420"
        assert (item.case_id, item.case_title) == (CASE, "Microdiscectomy")
        assert item.explanation.startswith("72 hours before the procedure on 16 Dec 2026")


@pytest.mark.parametrize(
    ("scheduled", "today", "count"),
    [
        (None, TODAY, 0),
        (d("2026-11-26"), TODAY, 0),  # the procedure is over
        (TODAY, TODAY, 1),  # today: still worth a call this morning (overdue)
        (d("2026-11-30"), TODAY, 1),  # inside the 72 hours: overdue, still listed
        (SCHEDULED, TODAY, 1),
    ],
)
def test_due_items_need_a_date_still_to_come(
    scheduled: dt.date | None, today: dt.date, count: int
) -> None:
    rows = rows_for([member(R.ANESTHESIOLOGIST, ANESTH)], [], scheduled=scheduled)
    assert len(due_titles(rows, scheduled, today)) == count


def test_verifying_turns_the_row_green_and_drops_the_due_item() -> None:
    members = [member(R.FACILITY, HOSPITAL), member(R.ANESTHESIOLOGIST, ANESTH)]
    before = rows_for(members, [HOSPITAL_IN])
    after = rows_for(members, [HOSPITAL_IN, check("2026-11-27", IN, ANESTH)])
    assert before[1].state is ChecklistState.NEEDS_CHECK
    assert after[1].state is ChecklistState.VERIFIED_IN_NETWORK
    assert due_titles(before, SCHEDULED) == ["Check that the anesthesiologist is in network"]
    assert due_titles(after, SCHEDULED) == []
