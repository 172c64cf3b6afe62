"""A case's care team checklist: each role's network status, the protection, what to do, by when.

Green only for a provider checked in network recently; unassigned, unknown and stale rows need a
check; out-of-network rows say which No Surprises Act protection applies. A check must still hold
on the day of the procedure: one made before the plan year that contains the procedure date
began is stale (a December check for a January surgery), while its age counts from today (see
``network.freshness``). Before a scheduled
procedure every row that is not settled becomes a due item, due 72 hours before the care (the
notice-and-consent window, 45 CFR 149.420).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from backlog_app.domain.dates import format_long_date, plan_year_containing
from backlog_app.domain.deadline_rules import Party
from backlog_app.domain.deadlines import DueItem
from backlog_app.domain.network import (
    STALE_AFTER_DAYS,
    Freshness,
    NetworkStatus,
    VerificationData,
    VerificationMethod,
    freshness,
    latest_verification,
)
from backlog_app.domain.network_rules import (
    CONSENT_NOTICE_HOURS,
    NSA_SOURCE,
    CareRole,
    CareTeamData,
    Protection,
    consent_deadline,
    protection,
)


class ChecklistState(StrEnum):
    """The colour of a checklist row (the UI adds a text mark: colour alone is not enough)."""

    VERIFIED_IN_NETWORK = "verified_in_network"  # green
    NEEDS_CHECK = "needs_check"  # amber: unassigned, unknown or stale
    OUT_OF_NETWORK = "out_of_network"  # red, even when the check is old

    @property
    def label(self) -> str:
        return {
            ChecklistState.VERIFIED_IN_NETWORK: "Verified in network",
            ChecklistState.NEEDS_CHECK: "Needs a check",
            ChecklistState.OUT_OF_NETWORK: "Out of network",
        }[self]


@dataclass(frozen=True, slots=True)
class CareTeamRow:
    """One role of the case's care team as the checklist shows it.

    Args:
        status: the latest check's finding for the case's plan (UNKNOWN: none, or no provider).
        verification: that latest check, or None.
        protection: from the latest statuses of the provider and the case's facility, whatever
            their age (the state says when they need checking again).
        advice: one or two plain sentences on what to do.
    """

    role: CareRole
    provider_id: int | None
    status: NetworkStatus
    verification: VerificationData | None
    freshness: Freshness
    state: ChecklistState
    protection: Protection
    advice: str


def care_team_checklist(
    members: Sequence[CareTeamData],
    verifications_by_provider: Mapping[int, Sequence[VerificationData]],
    plan_id: int | None,
    today: dt.date,
    max_age_days: int = STALE_AFTER_DAYS,
    plan_year_start: dt.date | None = None,
    facility_role: CareRole = CareRole.FACILITY,
    *,
    provider_names: Mapping[int, str] | None = None,
    insurer: str | None = None,
    scheduled_date: dt.date | None = None,
) -> list[CareTeamRow]:
    """The checklist rows of one case, in the order of ``members``.

    Args:
        verifications_by_provider: each provider's checks, any plan, in the order entered.
        plan_id: the case's plan; None when the case has none (every row then needs a check).
        plan_year_start: the plan's plan year start (see ``network.freshness``).
        facility_role: the role whose provider is the case's facility (the first such row
            with a provider; the first such row when none has one).
        scheduled_date: the procedure's date: a check must be in the plan year of that day
            (when it is after today) as well as recent; also used in the advice's wording.
        provider_names, insurer: only for the advice's wording ("Call Buckeye Mutual to check
            that Dr. Okafor is in network by 13 Dec 2026").
    """
    names = provider_names or {}

    def latest_for(provider_id: int | None) -> VerificationData | None:
        if provider_id is None or plan_id is None:
            return None
        history = verifications_by_provider.get(provider_id, ())
        return latest_verification([check for check in history if check.plan_id == plan_id])

    facility_status: NetworkStatus | None = None
    facilities = [m for m in members if m.role is facility_role]
    facility = next((m for m in facilities if m.provider_id is not None), None) or next(
        iter(facilities), None
    )
    if facility is not None:
        latest = latest_for(facility.provider_id)
        facility_status = latest.status if latest is not None else NetworkStatus.UNKNOWN

    # The plan year is judged on the procedure date when it is still to come; the age on today.
    needed_on = max(today, scheduled_date) if scheduled_date is not None else today
    wording = _Wording(
        insurer=insurer.strip() if insurer and insurer.strip() else "your insurer",
        by=_check_by(scheduled_date, today),
        today=today,
        needed_on=needed_on,
        max_age_days=max_age_days,
        plan_year_start=plan_year_start,
    )
    rows = []
    for member in members:
        latest = latest_for(member.provider_id)
        status = latest.status if latest is not None else NetworkStatus.UNKNOWN
        fresh = freshness(latest, today, max_age_days, plan_year_start, needed_on=needed_on)
        if status is NetworkStatus.OUT_OF_NETWORK:
            state = ChecklistState.OUT_OF_NETWORK
        elif status is NetworkStatus.IN_NETWORK and fresh.is_current:
            state = ChecklistState.VERIFIED_IN_NETWORK
        else:
            state = ChecklistState.NEEDS_CHECK
        kind = protection(member.role, status, facility_status)
        name = names.get(member.provider_id) if member.provider_id is not None else None
        who = name.strip() if name and name.strip() else f"the {member.role.noun}"
        advice = wording.advice(member, who, latest, fresh, kind, facility_status)
        rows.append(
            CareTeamRow(member.role, member.provider_id, status, latest, fresh, state, kind, advice)
        )
    return rows


def care_team_due_items(
    rows: Sequence[CareTeamRow],
    case_id: int,
    case_title: str,
    scheduled_date: dt.date | None,
    today: dt.date,
) -> list[DueItem]:
    """What must be settled before the procedure, due 72 hours (3 days) before it.

    None without a scheduled date or once it has passed. A row needing a check gives "Check
    that the anesthesiologist is in network"; an out-of-network row gives "Find an in-network
    …" unless the law already protects the bill.
    """
    if scheduled_date is None or scheduled_date < today:
        return []
    due = consent_deadline(scheduled_date)
    explanation = (
        f"{CONSENT_NOTICE_HOURS} hours before the procedure on {format_long_date(scheduled_date)}: "
        "an out-of-network provider must have given you any notice-and-consent form by then"
    )
    items = []
    for row in rows:
        title = _due_title(row)
        if title is None:
            continue
        items.append(
            DueItem(
                title=title,
                due=due,
                party=Party.YOU,
                explanation=explanation,
                source=NSA_SOURCE,
                rule=None,
                case_id=case_id,
                case_title=case_title,
            )
        )
    return items


def _due_title(row: CareTeamRow) -> str | None:
    noun = row.role.noun
    if row.state is ChecklistState.NEEDS_CHECK:
        return f"Check that the {noun} is in network"
    if row.state is ChecklistState.VERIFIED_IN_NETWORK:
        return None
    if row.protection is Protection.NO_BALANCE_BILLING:
        return None
    if row.protection is Protection.NOTICE_AND_CONSENT:
        return f"Find an in-network {noun}, or decide on the notice-and-consent form"
    return f"Find an in-network {noun}, or get the price in writing"


def _check_by(scheduled: dt.date | None, today: dt.date) -> str:
    if scheduled is None or scheduled < today:
        return ""
    deadline = consent_deadline(scheduled)
    if deadline < today:
        return " as soon as you can"
    return f" by {format_long_date(deadline)}"


_METHOD_WORDS = {
    VerificationMethod.CALL: "a call to {insurer}",
    VerificationMethod.INSURER_WEBSITE: "{insurer}'s website",
    VerificationMethod.PROVIDER_OFFICE: "the provider's office",
    VerificationMethod.OTHER: "you",
}


@dataclass(frozen=True, slots=True)
class _Wording:
    insurer: str
    by: str
    today: dt.date
    needed_on: dt.date  # the procedure date when still to come, else today
    max_age_days: int
    plan_year_start: dt.date | None

    def advice(
        self,
        member: CareTeamData,
        who: str,
        latest: VerificationData | None,
        fresh: Freshness,
        kind: Protection,
        facility_status: NetworkStatus | None,
    ) -> str:
        noun = member.role.noun
        call = (
            f"Call {self.insurer} to check that {who} is in network{self.by}; "
            "ask for a reference number."
        )
        if member.provider_id is None:
            return (
                f"Ask the office booking the procedure who the {noun} will be, then call "
                f"{self.insurer} to check that they are in network{self.by}."
            )
        if latest is None:
            return call
        checked = format_long_date(latest.verified_on)
        if latest.status is NetworkStatus.OUT_OF_NETWORK:
            text = self._out_of_network(member.role, who, kind, facility_status)
            if not fresh.is_current:
                text += f" This was checked on {checked}; networks change, so check again."
            return text
        if latest.status is NetworkStatus.UNKNOWN:
            return f"The check on {checked} did not settle it. {call}"
        if fresh is Freshness.STALE_PLAN_YEAR and self.plan_year_start is not None:
            year_start, _ = plan_year_containing(self.plan_year_start, self.needed_on)
            if year_start > self.today:
                # A check before the new plan year does not count: the call waits for it.
                return (
                    f"{_capital(who)} was in network on {checked}, but a new plan year begins "
                    f"on {format_long_date(year_start)}, before the procedure. Once it has "
                    f"begun, call {self.insurer} to check that {who} is still in network; ask "
                    "for a reference number."
                )
            why = f"a new plan year began on {format_long_date(year_start)}"
            return f"{_capital(who)} was in network on {checked}, but {why}. {call}"
        if fresh is Freshness.STALE_AGE:
            why = f"that check is more than {self.max_age_days} days old"
            return f"{_capital(who)} was in network on {checked}, but {why}. {call}"
        how = _METHOD_WORDS[latest.method].format(insurer=self.insurer)
        reference = (latest.reference_number or "").strip()
        text = f"In network: checked on {checked} by {how}"
        return text + (f" (reference {reference})." if reference else ".")

    def _out_of_network(
        self, role: CareRole, who: str, kind: Protection, facility_status: NetworkStatus | None
    ) -> str:
        noun = role.noun
        if kind is Protection.NO_BALANCE_BILLING:
            return (
                f"Out of network, but the law protects you here: at an in-network facility "
                f"{who} can bill you only your in-network share. Do not sign anything giving "
                "up this protection."
            )
        if kind is Protection.NOTICE_AND_CONSENT:
            return (
                f"Out of network: {who} may bill you more than your in-network share only if "
                f"you sign a notice-and-consent form at least {CONSENT_NOTICE_HOURS} hours "
                f"before. Ask for the notice-and-consent form; do not sign it if you want an "
                f"in-network {noun}."
            )
        if kind is Protection.UNKNOWN:
            return (
                "Out of network; whether the law limits this bill depends on the hospital or "
                f"surgery center, so check that it is in network{self.by}."
            )
        if role is CareRole.FACILITY:
            reason = "the No Surprises Act covers only in-network hospitals and surgery centers"
        elif role.at_facility and facility_status is NetworkStatus.OUT_OF_NETWORK:
            reason = "the hospital or surgery center is out of network too"
        else:
            reason = "this care is not part of a visit to an in-network hospital or surgery center"
        return (
            f"Out of network, and the law does not limit this bill ({reason}). Find an "
            f"in-network {noun}, or get the price in writing before the care."
        )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
