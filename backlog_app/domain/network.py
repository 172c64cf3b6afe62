"""Network checks as plain data: is a provider in network for a plan, how we know, and how fresh.

"In network" is per plan and per date (shared DOMAIN.md, "Providers and network"). Each check is
its own record and is never updated in place, so the history of checks is kept; the latest one
counts. A check goes stale after a number of days (a setting, 90 by default) or when a new plan
year begins, because networks change with the insurer's contracts. A plan that does not say when
its plan year begins is taken to run on the calendar year, from 1 January, as the cost totals
do (``assumed_plan_year_start``).

Which day a check must still hold on: its age is judged on today (the setting reads "checks go
out of date after N days", and a check made today for a procedure months away must not look
out of date at once); the plan year is judged on the day of the care when that is later (a
check in December says nothing about a January procedure in a new plan year). The care-team
checklist passes the procedure date as ``needed_on``.

The care team of a case and the No Surprises Act rules are in ``network_rules``; the checklist
built from both is in ``network_checklist``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from backlog_app.domain.dates import format_long_date, plan_year_containing

# A check older than this many days is stale (the default of the setting).
STALE_AFTER_DAYS = 90
# The plan year of a plan that does not say: the calendar year (only month and day count).
CALENDAR_PLAN_YEAR_START = dt.date(2000, 1, 1)
_EARLIEST_CHECK_YEAR = 1990
_MAX_SHORT_TEXT = 200
_MAX_LONG_TEXT = 20_000


class NetworkStatus(StrEnum):
    """What a check found for one provider and one plan."""

    IN_NETWORK = "in_network"
    OUT_OF_NETWORK = "out_of_network"
    UNKNOWN = "unknown"  # never checked, or the insurer could not say

    @property
    def label(self) -> str:
        return {
            NetworkStatus.IN_NETWORK: "In network",
            NetworkStatus.OUT_OF_NETWORK: "Out of network",
            NetworkStatus.UNKNOWN: "Not known",
        }[self]


class VerificationMethod(StrEnum):
    """How the check was made; a call to the insurer with a reference number is the best proof."""

    CALL = "call"
    INSURER_WEBSITE = "insurer_website"
    PROVIDER_OFFICE = "provider_office"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            VerificationMethod.CALL: "Call to the insurer",
            VerificationMethod.INSURER_WEBSITE: "Insurer's website or directory",
            VerificationMethod.PROVIDER_OFFICE: "Provider's office",
            VerificationMethod.OTHER: "Other",
        }[self]


@dataclass(frozen=True, slots=True)
class VerificationData:
    """One network check, as the user records it.

    Args:
        provider_id, plan_id: who was checked, for which plan.
        status: what the check found.
        method: how it was checked.
        verified_on: the day of the check.
        reference_number: the call's reference number ("reference numbers win appeals").
        call_id: the call in the case's call log this check was made on, if any.
        notes: anything else ("rep said the group is in network, the person may not be").
    """

    provider_id: int
    plan_id: int
    status: NetworkStatus
    method: VerificationMethod
    verified_on: dt.date
    reference_number: str | None = None
    call_id: int | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class Verification:
    """A stored network check: its id beside its data."""

    id: int
    data: VerificationData


class Freshness(StrEnum):
    """Whether the latest check can still be trusted today."""

    CURRENT = "current"
    STALE_AGE = "stale_age"  # older than the setting's number of days
    STALE_PLAN_YEAR = "stale_plan_year"  # made before the current plan year began
    NEVER_CHECKED = "never_checked"

    @property
    def label(self) -> str:
        return {
            Freshness.CURRENT: "Current",
            Freshness.STALE_AGE: "Out of date (old check)",
            Freshness.STALE_PLAN_YEAR: "Out of date (new plan year)",
            Freshness.NEVER_CHECKED: "Never checked",
        }[self]

    @property
    def is_current(self) -> bool:
        return self is Freshness.CURRENT


def verification_problems(data: VerificationData, today: dt.date) -> list[str]:
    """Why ``data`` cannot be saved; empty when it can.

    A call without a reference number is allowed (not every representative gives one); the
    checklist's advice asks for one next time.
    """
    problems: list[str] = []
    day = data.verified_on
    if day > today:
        problems.append(
            f"The date of the check ({format_long_date(day)}) is in the future; "
            "please check the date."
        )
    elif day.year < _EARLIEST_CHECK_YEAR:
        problems.append(
            f"The date of the check ({day.isoformat()}) is before 1990; please check the year."
        )
    if data.call_id is not None and data.method is not VerificationMethod.CALL:
        problems.append(
            "This check is linked to a call; please choose “Call to the insurer” as how it "
            "was checked, or remove the link."
        )
    problems += _length("Reference number", data.reference_number, _MAX_SHORT_TEXT)
    problems += _length("Notes", data.notes, _MAX_LONG_TEXT)
    return problems


def latest_verification(history: Sequence[VerificationData]) -> VerificationData | None:
    """The check with the latest date; of several on one day, the later in ``history``.

    Storage hands the history in the order the checks were entered, so a same-day correction
    ("the rep called back: out of network after all") wins.
    """
    latest: VerificationData | None = None
    for check in history:
        if latest is None or check.verified_on >= latest.verified_on:
            latest = check
    return latest


def assumed_plan_year_start(plan_year_start: dt.date | None) -> dt.date:
    """The plan's plan year start, or 1 January when the plan does not say (the calendar year,
    as most plans and the cost totals use)."""
    return plan_year_start if plan_year_start is not None else CALENDAR_PLAN_YEAR_START


def freshness(
    latest: VerificationData | None,
    today: dt.date,
    max_age_days: int = STALE_AFTER_DAYS,
    plan_year_start: dt.date | None = None,
    *,
    needed_on: dt.date | None = None,
) -> Freshness:
    """Whether ``latest`` is still good on ``today`` (and, for the plan year, on ``needed_on``).

    Args:
        latest: the latest check for the provider and plan (see ``latest_verification``).
        max_age_days: a check exactly this many days old on ``today`` is still current; one
            day more is not.
        plan_year_start: any day a plan year of the plan began (only month and day count);
            None: only the age counts (the services pass ``assumed_plan_year_start`` so that a
            plan without one runs from 1 January). A check made before the start of the plan
            year that contains ``today`` — or ``needed_on`` when later — is stale, however
            recent.
        needed_on: the day the check must still hold, such as a scheduled procedure; a day
            before ``today`` (or None) means today. Only the plan year is judged on it: the
            age always counts on ``today``.

    When both apply, the new plan year is named: it is the better reason to check again.

    Raises:
        ValueError: when ``max_age_days`` is negative (a settings bug, not user input).
    """
    if max_age_days < 0:
        raise ValueError(f"max_age_days must not be negative, not {max_age_days}")
    if latest is None:
        return Freshness.NEVER_CHECKED
    if plan_year_start is not None:
        year_start, _ = plan_year_containing(plan_year_start, max(today, needed_on or today))
        if latest.verified_on < year_start:
            return Freshness.STALE_PLAN_YEAR
    if (today - latest.verified_on).days > max_age_days:
        return Freshness.STALE_AGE
    return Freshness.CURRENT


def _length(label: str, text: str | None, limit: int) -> list[str]:
    if text is not None and len(text) > limit:
        return [f"{label} is longer than {limit:,} characters; please shorten it."]
    return []
