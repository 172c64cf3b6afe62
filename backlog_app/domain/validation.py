"""Rules every core record must satisfy before it is written; each broken rule is one plain sentence."""

from __future__ import annotations

import datetime as dt
import re

from backlog_app.domain.dates import EARLIEST_BIRTH_DATE, latest_plan_date
from backlog_app.domain.npi import npi_problem
from backlog_app.domain.records import PatientData, PlanData, ProviderData

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MAX_SHORT_TEXT = 200
_MAX_LONG_TEXT = 20_000


def patient_problems(patient: PatientData, today: dt.date) -> list[str]:
    """Why ``patient`` cannot be saved; empty when it can."""
    problems: list[str] = []
    if not patient.full_name.strip():
        problems.append("Please enter the patient's name.")
    problems += _length_problems("Name", patient.full_name, _MAX_SHORT_TEXT)
    if patient.date_of_birth is None:
        problems.append("Please enter the date of birth; insurers match records by it.")
    elif patient.date_of_birth > today:
        problems.append("The date of birth is in the future; please check the year.")
    elif patient.date_of_birth < EARLIEST_BIRTH_DATE:
        problems.append("The date of birth is before 1900; please check the year.")
    if patient.email and not _EMAIL.match(patient.email.strip()):
        problems.append(f"“{patient.email}” does not look like an e-mail address.")
    problems += _phone_problems("Phone", patient.phone)
    problems += _length_problems("Notes", patient.notes, _MAX_LONG_TEXT)
    return problems


def plan_problems(plan: PlanData, today: dt.date) -> list[str]:
    """Why ``plan`` cannot be saved; empty when it can."""
    problems: list[str] = []
    if not plan.insurer.strip():
        problems.append("Please enter the insurance company's name.")
    problems += _length_problems("Insurer", plan.insurer, _MAX_SHORT_TEXT)
    for label, text in (
        ("Plan name", plan.plan_name),
        ("Member ID", plan.member_id),
        ("Group number", plan.group_number),
    ):
        problems += _length_problems(label, text, _MAX_SHORT_TEXT)
    for label, phone in (
        ("Member services phone", plan.member_services_phone),
        ("Prior authorization phone", plan.prior_auth_phone),
        ("Appeals phone", plan.appeals_phone),
        ("Appeals fax", plan.appeals_fax),
    ):
        problems += _phone_problems(label, phone)
    latest = latest_plan_date(today)
    for label, day in (
        ("Coverage start", plan.coverage_start),
        ("Coverage end", plan.coverage_end),
        ("Plan year start", plan.plan_year_start),
    ):
        if day is not None and day > latest:
            problems.append(
                f"{label} ({day.isoformat()}) is too far in the future; please check the year."
            )
        if day is not None and day < EARLIEST_BIRTH_DATE:
            problems.append(f"{label} ({day.isoformat()}) is before 1900; please check the year.")
    if plan.coverage_start and plan.coverage_end and plan.coverage_end < plan.coverage_start:
        problems.append("Coverage ends before it starts; please check both dates.")
    for label, cents in (
        ("Deductible", plan.deductible_cents),
        ("Out-of-pocket maximum", plan.out_of_pocket_max_cents),
    ):
        if cents is not None and cents < 0:
            problems.append(f"{label} cannot be negative.")
        if cents is not None and cents > 100_000_000:
            problems.append(f"{label} is over $1,000,000; please check the amount.")
    if (
        plan.deductible_cents is not None
        and plan.out_of_pocket_max_cents is not None
        and plan.out_of_pocket_max_cents < plan.deductible_cents
    ):
        problems.append(
            "The out-of-pocket maximum is smaller than the deductible; please check both."
        )
    if not 1 <= plan.priority <= 9:
        problems.append("The plan order must be 1 (primary), 2 (secondary) or 3 (tertiary).")
    problems += _length_problems("Notes", plan.notes, _MAX_LONG_TEXT)
    return problems


def provider_problems(provider: ProviderData) -> list[str]:
    """Why ``provider`` cannot be saved; empty when it can."""
    problems: list[str] = []
    if not provider.name.strip():
        problems.append("Please enter the provider's name.")
    problems += _length_problems("Name", provider.name, _MAX_SHORT_TEXT)
    problems += _length_problems("Organization", provider.organization, _MAX_SHORT_TEXT)
    problems += _length_problems("Specialty", provider.specialty, _MAX_SHORT_TEXT)
    if provider.npi:
        problem = npi_problem(provider.npi)
        if problem:
            problems.append(problem)
    problems += _phone_problems("Phone", provider.phone)
    problems += _phone_problems("Fax", provider.fax)
    problems += _length_problems("Notes", provider.notes, _MAX_LONG_TEXT)
    return problems


def phone_problem(text: str) -> str | None:
    """Why ``text`` is not a phone number, or None. Extensions and letters (1-800-FLOWERS) pass."""
    digits = sum(ch.isdigit() for ch in text)
    # Letters of a vanity number (1-800-MEDICARE) are keys to dial, but not a number on their own.
    letters = sum(ch.isascii() and ch.isalpha() for ch in text) if digits else 0
    if digits + letters < 7:
        return "needs at least 7 digits"
    if digits > 20:
        return "has too many digits"
    return None


def _phone_problems(label: str, text: str | None) -> list[str]:
    if not text:
        return []
    problem = phone_problem(text)
    return [f"{label} “{text}” {problem}."] if problem else []


def _length_problems(label: str, text: str | None, limit: int) -> list[str]:
    if text is not None and len(text) > limit:
        return [f"{label} is longer than {limit:,} characters; please shorten it."]
    return []
