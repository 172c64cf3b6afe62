"""What the packet's front pages say: who it is from and to, what it is about, the reference
block (DOMAIN.md's reference fields), the period it covers and the case's saved letter.

``front_facts`` reads them from the record once; the front pages (``front_pages``) only draw
them, so the assembler can draw the cover again with the final page count without a database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from backlog_app.domain.appeal_letter import LetterFacts, level_name
from backlog_app.domain.cases import CaseStatus, Priority, ServiceType
from backlog_app.domain.dates import format_long_date
from backlog_app.domain.packet import PacketIdentity, case_reference, packet_title
from backlog_app.domain.records import (
    PatientData,
    PlanData,
    main_plan_in_force,
    priority_label,
)
from backlog_app.services.case_letters import letter_facts
from backlog_app.services.cases import CaseDetail
from backlog_app.services.context import ProfileSession
from backlog_app.services.packet.request import PacketRequest

NOT_RECORDED = "Not recorded"


@dataclass(frozen=True, slots=True)
class FrontFacts:
    """What the cover, the letter and the reference block say.

    Args:
        title: the packet's title (``domain.packet.packet_title``).
        identity: the line every page carries; its reference number is the case's.
        urgent: the case asks for an expedited review: the cover says so in large type.
        to_lines, to_fax: where the packet goes (the plan's appeals address and fax).
        from_lines: the patient's name, address and phone.
        subject: "Appeal of denied coverage: Microdiscectomy — L4-L5 left".
        prepared_on: the cover's date: the day of the request's ``created``, else today.
        period: the date range of the log, calls and costs, in words; None for everything.
        reference_rows: the reference block as (label, value); a row whose value is "" is a
            subheading (each case's title in a whole-record packet).
        letter_text: the case's saved letter draft; None when there is none.
    """

    title: str
    identity: PacketIdentity
    case_title: str | None
    urgent: bool
    to_lines: tuple[str, ...]
    to_fax: str | None
    from_lines: tuple[str, ...]
    subject: str
    prepared_on: dt.date
    period: str | None
    reference_rows: tuple[tuple[str, str], ...]
    letter_text: str | None


def front_facts(profile: ProfileSession, request: PacketRequest) -> FrontFacts:
    """The front pages' facts for ``request``, read from the record now.

    Raises:
        UserError: the case no longer exists.
    """
    today = profile.clock()
    patient = profile.patient.get()
    period = Period.of(request.since, request.until, today).words()
    # The cover's date is the day the packet says it was made (its footer and metadata).
    prepared_on = request.created.date() if request.created is not None else today
    if request.case_id is not None:
        return _case_facts(profile, request.case_id, patient, today, prepared_on, period)
    plan = main_plan([stored.data for stored in profile.plans.list()], today)
    rows = [("Patient and plans", ""), *_patient_rows(patient)]
    for stored in sorted(profile.plans.list(), key=lambda s: (s.data.priority, s.id)):
        rows += _plan_rows(stored.data)
    for case_id in sorted(profile.cases.titles()):  # oldest case first
        detail = profile.cases.get(case_id)
        rows.append((detail.title, ""))
        rows += _case_rows(detail, letter_facts(profile, case_id, with_summary=False), today)
    return FrontFacts(
        title=packet_title(None),
        identity=PacketIdentity(
            patient.full_name if patient else None,
            patient.date_of_birth if patient else None,
            plan.member_id if plan else None,
        ),
        case_title=None,
        urgent=False,
        to_lines=_to_lines(plan, None),
        to_fax=plan.appeals_fax if plan else None,
        from_lines=_from_lines(patient),
        subject="Medical record summary",
        prepared_on=prepared_on,
        period=period,
        reference_rows=tuple(rows),
        letter_text=None,
    )


def _case_facts(
    profile: ProfileSession,
    case_id: int,
    patient: PatientData | None,
    today: dt.date,
    prepared_on: dt.date,
    period: str | None,
) -> FrontFacts:
    detail = profile.cases.get(case_id)
    facts = letter_facts(profile, case_id, with_summary=False)
    case = detail.data
    plan = detail.plan
    department: str | None = None
    if _appealing(detail, facts):
        subject = f"Appeal of denied coverage: {detail.title}"
    elif case.service_type is ServiceType.POST_SERVICE:
        subject = f"Claim for payment: {detail.title}"
        department = "Claims department"
    else:
        subject = f"Request for prior authorization: {detail.title}"
        department = "Utilization management (prior authorization)"
    rows = [("Patient and plan", ""), *_patient_rows(patient)]
    if plan is not None:
        rows += _plan_rows(plan, member_label=facts.member_id_label)
    rows += [("This request", ""), *_case_rows(detail, facts, today, grouped=True)]
    return FrontFacts(
        title=packet_title(detail.title),
        identity=PacketIdentity(
            patient.full_name if patient else None,
            patient.date_of_birth if patient else None,
            plan.member_id if plan else None,
            case_reference(case.reference_number, case.claim_number, case.authorization_number),
        ),
        case_title=detail.title,
        urgent=case.priority is Priority.URGENT,
        to_lines=_to_lines(plan, department),
        # The appeals fax only for an appeal: a request or claim faxed there would be misfiled.
        to_fax=plan.appeals_fax if plan and department is None else None,
        from_lines=_from_lines(patient),
        subject=subject,
        prepared_on=prepared_on,
        period=period,
        reference_rows=tuple(rows),
        letter_text=(detail.letter_draft or "").strip() or None,
    )


# --- Helpers --------------------------------------------------------------------------------

_SETTLED = frozenset({CaseStatus.APPROVED, CaseStatus.PAID})


def _appealing(detail: CaseDetail, facts: LetterFacts) -> bool:
    """Whether the case's latest denial still stands (an approved or paid case is past it)."""
    return facts.is_appeal and detail.status not in _SETTLED


@dataclass(frozen=True, slots=True)
class Period:
    """A request's date range as the packet words it, everywhere: on the cover, in a section's
    intro, in the reason a section was left out.

    Args:
        since: the first day, or None (from the first record).
        end: the last day counted: the range's end, never after today.
        whole_record: no range was given: everything recorded up to today.
    """

    since: dt.date | None
    end: dt.date
    whole_record: bool

    @classmethod
    def of(cls, since: dt.date | None, until: dt.date | None, today: dt.date) -> Period:
        end = min(until, today) if until is not None else today
        return cls(since, end, since is None and until is None)

    def words(self) -> str | None:
        """ "1 Jan 2025 to 27 Nov 2026", "Everything up to 3 Mar 2026"; None for everything."""
        if self.whole_record:
            return None
        if self.since is None:
            return f"Everything up to {format_long_date(self.end)}"
        return f"{format_long_date(self.since)} to {format_long_date(self.end)}"

    def within(self) -> str:
        """For a reason: " between 1 Jan 2025 and 27 Nov 2026", " up to 3 Mar 2026", or ""."""
        if self.whole_record:
            return ""
        if self.since is None:
            return f" up to {format_long_date(self.end)}"
        return f" between {format_long_date(self.since)} and {format_long_date(self.end)}"

    def intro(self, what: str) -> str:
        """ "Calls from 1 Jan 2025 to 27 Nov 2026.", "Calls recorded up to 3 Mar 2026.", or
        "All calls recorded, up to 27 Nov 2026." for ``what`` = "calls"."""
        end = format_long_date(self.end)
        if self.whole_record:
            return f"All {what} recorded, up to {end}."
        what = what[:1].upper() + what[1:]
        if self.since is None:
            return f"{what} recorded up to {end}."
        return f"{what} from {format_long_date(self.since)} to {end}."


def main_plan(plans: list[PlanData], today: dt.date) -> PlanData | None:
    """The plan the packet is addressed to: the main plan in force today
    (``records.main_plan_in_force``); else the best of any main (not supplemental) plan; None
    without one."""
    current = main_plan_in_force(plans, today)
    if current is not None:
        return current
    main = [plan for plan in plans if not plan.plan_type.is_supplemental]
    return min(main, key=lambda plan: plan.priority) if main else None


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _to_lines(plan: PlanData | None, department: str | None) -> tuple[str, ...]:
    """The insurer and its appeals address; for a request or a claim (``department`` names
    where it goes) the insurer and that department, since only the appeals address is kept."""
    if plan is None:
        return ("Insurer not recorded",)
    if department is not None:
        return (plan.insurer, department)
    address = _lines(plan.appeals_address)
    lines = [] if address and plan.insurer.casefold() in address[0].casefold() else [plan.insurer]
    if not any("appeal" in line.casefold() for line in address):
        lines.append("Appeals department")
    return tuple(lines + address)


def _from_lines(patient: PatientData | None) -> tuple[str, ...]:
    if patient is None:
        return ("Name not entered",)
    lines = [patient.full_name, *_lines(patient.address)]
    if patient.phone:
        lines.append(f"Phone: {patient.phone.strip()}")
    return tuple(lines)


def _known(value: str | None) -> str:
    return (value or "").strip() or NOT_RECORDED


def _patient_rows(patient: PatientData | None) -> list[tuple[str, str]]:
    return [
        ("Patient", _known(patient.full_name if patient else None)),
        (
            "Date of birth",
            format_long_date(patient.date_of_birth if patient else None) or NOT_RECORDED,
        ),
    ]


def _plan_rows(plan: PlanData, *, member_label: str = "Member ID") -> list[tuple[str, str]]:
    which = "Plan" if plan.priority == 1 else f"{priority_label(plan.priority)} plan"
    rows = [
        (which, f"{plan.display_name} ({plan.plan_type.label})"),
        (member_label, _known(plan.member_id)),
    ]
    if plan.group_number or not plan.plan_type.is_supplemental:
        rows.append(("Group number", _known(plan.group_number)))
    return rows


def _case_rows(
    detail: CaseDetail, facts: LetterFacts, today: dt.date, *, grouped: bool = False
) -> list[tuple[str, str]]:
    """The case's reference rows; ``grouped`` puts the denial under its own subheading."""
    case = detail.data
    rows = [("Service requested", detail.title), ("Status", detail.status.label)]
    rows += facts.reference_numbers
    if not facts.reference_numbers:
        rows.append(("Claim or reference number", NOT_RECORDED))
    when = format_long_date(case.scheduled_date)
    done = case.scheduled_date is not None and case.scheduled_date < today
    if case.service_type is ServiceType.POST_SERVICE or done:
        rows.append(("Date of service", when or NOT_RECORDED))
    else:
        rows.append(("Planned date of service", when or "Not scheduled yet"))
    rows += [
        ("CPT code(s)", _known(case.cpt_codes)),
        ("ICD-10 code(s)", _known(case.icd10_codes)),
    ]
    if case.priority is Priority.URGENT:
        rows.append(("Review requested", "Expedited (urgent)"))
    rows += [
        ("Requesting provider", _known(facts.requesting_provider)),
        ("Facility", _known(facts.facility)),
    ]
    denial = facts.denial
    if denial is not None and not _appealing(detail, facts):
        rows.append(("Earlier denial", f"{format_long_date(denial.day)}; since approved"))
    elif denial is not None:
        if grouped:
            rows.append(("The decision being appealed", ""))
        received = f" (received {format_long_date(denial.received)})" if denial.received else ""
        rows.append(("Denial date", format_long_date(denial.day) + received))
        if denial.reason is not None:
            rows.append(("Denial reason", denial.reason.label))
        if denial.quoted_reason:
            rows.append(("Reason quoted", f"“{' '.join(denial.quoted_reason.split())}”"))
        rows.append(("Appeal level requested", level_name(facts.family, facts.appeal_level)))
    return rows
