"""Validation rules: each broken rule is one plain sentence; a good record has none."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from backlog_app.domain.records import PatientData, PlanData, PlanType, ProviderData, ProviderRole
from backlog_app.domain.validation import (
    patient_problems,
    phone_problem,
    plan_problems,
    provider_problems,
)

TODAY = dt.date(2026, 11, 27)

GOOD_PATIENT = PatientData(
    full_name="Maria Alvarez",
    date_of_birth=dt.date(1974, 7, 27),
    phone="(614) 555-0142",
    email="maria.alvarez@example.com",
    address="2217 Maple Hollow Dr\nColumbus, OH 43215",
    notes="Some notes.",
)

GOOD_PLAN = PlanData(
    insurer="Buckeye Mutual Health",
    plan_type=PlanType.EMPLOYER_PPO,
    plan_name="Choice PPO 1500",
    member_id="BMH-448210937",
    group_number="GRP-77120",
    member_services_phone="1-800-555-0110",
    prior_auth_phone="1-800-555-0125",
    appeals_phone="1-800-555-0133",
    appeals_address="PO Box 18220\nColumbus, OH 43218",
    appeals_fax="1-614-555-0190",
    plan_year_start=dt.date(2026, 1, 1),
    deductible_cents=150_000,
    out_of_pocket_max_cents=600_000,
    coverage_start=dt.date(2023, 1, 1),
    coverage_end=dt.date(2026, 12, 31),
    priority=1,
)

GOOD_PROVIDER = ProviderData(
    name="Dr. Samuel Okafor",
    role=ProviderRole.SPINE_SURGEON,
    specialty="Orthopedic spine surgery",
    organization="Midwest Spine Institute",
    npi="1234567893",
    phone="(614) 555-0310",
    fax="(614) 555-0311",
)


def test_good_records_have_no_problems() -> None:
    assert patient_problems(GOOD_PATIENT, TODAY) == []
    assert plan_problems(GOOD_PLAN, TODAY) == []
    assert provider_problems(GOOD_PROVIDER) == []


def test_minimal_records_have_no_problems() -> None:
    assert patient_problems(PatientData("A", dt.date(1980, 1, 1)), TODAY) == []
    assert plan_problems(PlanData("Acme", PlanType.MEDICAID), TODAY) == []
    assert provider_problems(ProviderData("Dr. A", ProviderRole.OTHER)) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"full_name": ""}, "Please enter the patient's name."),
        ({"full_name": "   "}, "Please enter the patient's name."),
        ({"full_name": "x" * 201}, "Name is longer than 200 characters"),
        ({"date_of_birth": None}, "Please enter the date of birth"),
        ({"date_of_birth": dt.date(2026, 11, 28)}, "The date of birth is in the future"),
        ({"date_of_birth": dt.date(2099, 1, 1)}, "The date of birth is in the future"),
        ({"date_of_birth": dt.date(1899, 12, 31)}, "The date of birth is before 1900"),
        ({"date_of_birth": dt.date(1196, 5, 1)}, "The date of birth is before 1900"),
        ({"email": "maria"}, "“maria” does not look like an e-mail address."),
        ({"email": "maria@example"}, "does not look like an e-mail address"),
        ({"email": "maria @example.com"}, "does not look like an e-mail address"),
        ({"email": "a@b@c.com"}, "does not look like an e-mail address"),
        ({"phone": "555-012"}, "Phone “555-012” needs at least 7 digits."),
        ({"phone": "call me"}, "needs at least 7 digits"),
        ({"phone": "1" * 21}, "has too many digits"),
        ({"notes": "x" * 20_001}, "Notes is longer than 20,000 characters"),
    ],
)
def test_patient_problem(changes: dict[str, Any], expected: str) -> None:
    problems = patient_problems(dataclasses.replace(GOOD_PATIENT, **changes), TODAY)
    assert len(problems) == 1
    assert expected in problems[0]


@pytest.mark.parametrize(
    "changes",
    [
        {"date_of_birth": TODAY},  # born today
        {"date_of_birth": dt.date(1900, 1, 1)},
        {"email": None},
        {"email": ""},
        {"email": " maria@example.com "},
        {"phone": "555-0142"},  # 7 digits
        {"phone": "1-800-FLOWERS ext 1234"},
        {"full_name": "x" * 200},
        {"notes": "x" * 20_000},
    ],
)
def test_patient_allowed(changes: dict[str, Any]) -> None:
    assert patient_problems(dataclasses.replace(GOOD_PATIENT, **changes), TODAY) == []


def test_patient_problems_are_listed_in_form_order() -> None:
    patient = PatientData(full_name="", date_of_birth=None, phone="12", email="nope")
    problems = patient_problems(patient, TODAY)
    assert len(problems) == 4
    assert "name" in problems[0]
    assert "date of birth" in problems[1]
    assert "e-mail" in problems[2]
    assert "Phone" in problems[3]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"insurer": ""}, "Please enter the insurance company's name."),
        ({"insurer": " "}, "Please enter the insurance company's name."),
        ({"insurer": "x" * 201}, "Insurer is longer than 200 characters"),
        ({"member_id": "x" * 201}, "Member ID is longer than 200 characters"),
        (
            {"coverage_start": dt.date(2026, 6, 1), "coverage_end": dt.date(2026, 5, 31)},
            "Coverage ends before it starts",
        ),
        ({"coverage_end": dt.date(2099, 12, 31)}, "Coverage end (2099-12-31) is too far in the"),
        ({"coverage_start": dt.date(2099, 1, 1), "coverage_end": None}, "Coverage start (2099"),
        ({"plan_year_start": dt.date(2099, 1, 1)}, "Plan year start (2099-01-01) is too far"),
        ({"coverage_start": dt.date(1899, 1, 1)}, "Coverage start (1899-01-01) is before 1900"),
        ({"deductible_cents": -1}, "Deductible cannot be negative."),
        (
            {"out_of_pocket_max_cents": -1, "deductible_cents": None},
            "Out-of-pocket maximum cannot be negative.",
        ),
        ({"deductible_cents": 100_000_001, "out_of_pocket_max_cents": None}, "over $1,000,000"),
        (
            {"deductible_cents": 600_000, "out_of_pocket_max_cents": 150_000},
            "The out-of-pocket maximum is smaller than the deductible",
        ),
        ({"priority": 0}, "The plan order must be 1"),
        ({"priority": 10}, "The plan order must be 1"),
        ({"member_services_phone": "555"}, "Member services phone “555” needs at least 7"),
        ({"prior_auth_phone": "12345"}, "Prior authorization phone"),
        ({"appeals_phone": "x"}, "Appeals phone"),
        ({"appeals_fax": "1" * 21}, "Appeals fax “111111111111111111111” has too many digits."),
        ({"notes": "x" * 20_001}, "Notes is longer than 20,000 characters"),
    ],
)
def test_plan_problem(changes: dict[str, Any], expected: str) -> None:
    problems = plan_problems(dataclasses.replace(GOOD_PLAN, **changes), TODAY)
    assert len(problems) == 1, problems
    assert expected in problems[0]


@pytest.mark.parametrize(
    "changes",
    [
        {"coverage_start": dt.date(2026, 6, 1), "coverage_end": dt.date(2026, 6, 1)},  # one day
        {"coverage_end": dt.date(2029, 11, 27)},  # exactly three years ahead
        {"plan_year_start": dt.date(2029, 11, 27)},
        {"deductible_cents": 0, "out_of_pocket_max_cents": 0},
        {"deductible_cents": 600_000, "out_of_pocket_max_cents": 600_000},
        {"deductible_cents": None, "out_of_pocket_max_cents": 600_000},
        {"deductible_cents": 100_000_000, "out_of_pocket_max_cents": None},
        {"priority": 9},
        {"coverage_start": None},
    ],
)
def test_plan_allowed(changes: dict[str, Any]) -> None:
    assert plan_problems(dataclasses.replace(GOOD_PLAN, **changes), TODAY) == []


def test_plan_date_limit_moves_with_today() -> None:
    plan = dataclasses.replace(GOOD_PLAN, coverage_end=dt.date(2029, 11, 28))
    assert plan_problems(plan, TODAY)
    assert plan_problems(plan, dt.date(2026, 11, 28)) == []


def test_plan_validation_on_a_leap_day() -> None:
    # The "too far ahead" limit is 3 years on; 29 Feb 2031 does not exist.
    plan = dataclasses.replace(GOOD_PLAN, coverage_end=dt.date(2031, 3, 1))
    assert plan_problems(GOOD_PLAN, dt.date(2028, 2, 29)) == []
    assert "too far in the future" in plan_problems(plan, dt.date(2028, 2, 29))[0]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"name": ""}, "Please enter the provider's name."),
        ({"name": "x" * 201}, "Name is longer than 200 characters"),
        ({"organization": "x" * 201}, "Organization is longer than 200 characters"),
        ({"specialty": "x" * 201}, "Specialty is longer than 200 characters"),
        ({"npi": "1234567890"}, "This NPI's last digit does not match"),
        ({"npi": "123456789"}, "An NPI has exactly 10 digits; this one has 9."),
        ({"npi": "3234567893"}, "An NPI starts with 1"),
        ({"npi": "12345678AB"}, "An NPI has only digits"),
        ({"phone": "555-01"}, "Phone “555-01” needs at least 7 digits."),
        ({"fax": "555"}, "Fax “555” needs at least 7 digits."),
        ({"notes": "x" * 20_001}, "Notes is longer than 20,000 characters"),
    ],
)
def test_provider_problem(changes: dict[str, Any], expected: str) -> None:
    problems = provider_problems(dataclasses.replace(GOOD_PROVIDER, **changes))
    assert len(problems) == 1, problems
    assert expected in problems[0]


@pytest.mark.parametrize("npi", [None, "", "1234-567-893", "1234 567 893"])
def test_provider_npi_allowed(npi: str | None) -> None:
    assert provider_problems(dataclasses.replace(GOOD_PROVIDER, npi=npi)) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("555-0142", None),
        ("(614) 555-0142", None),
        ("+1 614 555 0142 ext. 12", None),
        ("1-800-FLOWERS", None),  # the docstring promises vanity numbers pass
        ("1-800-MEDICARE", None),  # Original Medicare's own number
        ("1-800-FLOWERS ext 1234", None),
        ("call me later", "needs at least 7 digits"),  # letters alone are not a number
        ("555-01", "needs at least 7 digits"),
        ("123456", "needs at least 7 digits"),
        ("", "needs at least 7 digits"),
        ("1" * 20, None),
        ("1" * 21, "has too many digits"),
    ],
)
def test_phone_problem(text: str, problem: str | None) -> None:
    assert phone_problem(text) == problem
