"""The provider network checklist and the costs summary of the packet.

The checklist names each row's state in words (colour alone does not survive a fax) and the
check behind it with its reference number. Costs: the totals of each plan year in the range,
the bills to question (the surprise-bill flags), and for one case its own entries.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.platypus import Paragraph  # type: ignore[import-untyped]

from backlog_app.domain.costs import Cost, PlanYearTotals, Progress
from backlog_app.domain.dates import format_long_date
from backlog_app.domain.durations import date_range_words
from backlog_app.domain.money import format_cents
from backlog_app.domain.network import NetworkStatus, Verification
from backlog_app.domain.network_checklist import ChecklistState
from backlog_app.services.network import CareTeamChecklist, ChecklistRow
from backlog_app.services.packet.source import SectionSource, SectionStory
from backlog_app.services.packet.styles import STYLES, one_line, para, subheading
from backlog_app.services.packet.tables import Column, by_year_tables, data_table

# --- Provider network checklist -----------------------------------------------------------------

_TEAM_COLUMNS = (
    Column("Role", 0.2),
    Column("Provider", 0.22),
    Column("Standing", 0.18),
    Column("Latest check", 0.4),
)
_CHECK_COLUMNS = (
    Column("Date", 0.13, wrap=False),
    Column("Provider", 0.2),
    Column("Plan", 0.22),
    Column("Finding", 0.12),
    Column("How checked", 0.15),
    Column("Reference number", 0.18),
)
_STATE_WORDS = {
    ChecklistState.VERIFIED_IN_NETWORK: "IN NETWORK (verified)",
    ChecklistState.NEEDS_CHECK: "NEEDS A CHECK",
    ChecklistState.OUT_OF_NETWORK: "OUT OF NETWORK",
}


def draw_network(source: SectionSource) -> SectionStory | str:
    network = source.profile.network
    case_id = source.request.case_id
    if case_id is not None:
        checklists = [network.checklist(case_id)]
    else:
        checklists = [checklist for checklist in network.checklists() if checklist.rows]
    checks = network.verifications()
    if case_id is not None:
        team = {
            row.member.data.provider_id for row in checklists[0].rows if row.member.data.provider_id
        }
        plan_id = checklists[0].plan_id
        checks = [c for c in checks if c.data.provider_id in team and c.data.plan_id == plan_id]
    if not any(checklist.rows for checklist in checklists) and not checks:
        where = "for this case" if source.case_scope else ""
        return f"No care team or network checks were recorded {where}".rstrip() + "."
    story: list[Any] = []
    for checklist in checklists:
        story += _checklist(checklist, source, titled=not source.case_scope)
    if checks:
        ordered = sorted(checks, key=lambda c: (c.data.verified_on, c.id), reverse=True)
        title = "Network checks of this care team" if source.case_scope else "Every network check"
        story += [
            *subheading(title),
            data_table(_CHECK_COLUMNS, [_check_row(c, source) for c in ordered], source.width),
        ]
    intro = (
        "Whether each provider taking part is in the plan's network, as checked with the "
        f"insurer, as of {format_long_date(source.today)}. Newest checks first."
    )
    return SectionStory(story, intro)


def _checklist(checklist: CareTeamChecklist, source: SectionSource, *, titled: bool) -> list[Any]:
    story: list[Any] = subheading(checklist.case_title if titled else "Care team")
    if not checklist.rows:
        return [*story, para("No care team recorded.", STYLES.note)]
    counts = ", ".join(
        f"{checklist.count(state)} {words.lower()}"
        for state, words in (
            (ChecklistState.VERIFIED_IN_NETWORK, "verified in network"),
            (ChecklistState.NEEDS_CHECK, "need a check"),
            (ChecklistState.OUT_OF_NETWORK, "out of network"),
        )
    )
    when = format_long_date(checklist.scheduled_date)
    lead = f"Procedure date: {when}. " if when else ""
    story.append(para(f"{lead}{counts}.", STYLES.body))
    rows = [_team_row(row, source) for row in checklist.rows]
    story.append(data_table(_TEAM_COLUMNS, rows, source.width))
    return story


def _team_row(row: ChecklistRow, source: SectionSource) -> tuple[Any, ...]:
    member, state = row.member.data, row.row
    provider = row.provider_name or "Not named yet"
    standing = Paragraph(f"<b>{_STATE_WORDS[state.state]}</b>", STYLES.cell)
    check = state.verification
    if member.provider_id is None:
        latest = "No provider named yet, so not checked."
    elif check is None:
        latest = "Never checked for this plan."
    else:
        latest = (
            f"{check.status.label} on {format_long_date(check.verified_on)}, "
            f"{check.method.label.lower()}"
        )
        reference = (check.reference_number or "").strip()
        latest += f"; reference {reference}." if reference else "; no reference number."
        if not state.freshness.is_current:
            latest += f" {state.freshness.label}."
    if state.state is ChecklistState.OUT_OF_NETWORK or state.status is NetworkStatus.OUT_OF_NETWORK:
        latest += f" No Surprises Act: {state.protection.label.lower()}."
    if member.notes:
        latest += f"\nNote: {one_line(member.notes)}"
    return (member.role.label, provider, standing, latest)


def _check_row(check: Verification, source: SectionSource) -> tuple[str, ...]:
    data = check.data
    return (
        format_long_date(data.verified_on),
        source.provider_names.get(data.provider_id, "Provider deleted"),
        source.plan_names.get(data.plan_id, "Plan deleted"),
        data.status.label,
        data.method.label,
        (data.reference_number or "").strip() or "None given",
    )


# --- Costs summary ------------------------------------------------------------------------------

_TOTAL_COLUMNS = (
    Column("Plan year", 0.15),
    Column("Plan", 0.2),
    Column("Billed", 0.12, align="RIGHT"),
    Column("Plan paid", 0.11, align="RIGHT"),
    Column("Patient's share", 0.12, align="RIGHT"),
    Column("Deductible", 0.15, align="RIGHT"),
    Column("Out-of-pocket limit", 0.15, align="RIGHT"),
)
_FLAG_COLUMNS = (
    Column("Bill", 0.26),
    Column("Flag", 0.18),
    Column("Why", 0.4),
    Column("Act by", 0.16),
)
_ENTRY_COLUMNS = (
    Column("Date", 0.13, wrap=False),
    Column("Entry", 0.25),
    Column("Provider", 0.17),
    Column("Billed", 0.115, align="RIGHT"),
    Column("Plan paid", 0.115, align="RIGHT"),
    Column("Patient's share", 0.115, align="RIGHT"),
    Column("Status", 0.095),
)


def draw_costs(source: SectionSource) -> SectionStory | str:
    overview = source.profile.costs.overview()
    case_id = source.request.case_id
    years = sorted(
        (t for t in overview.totals if _counts(t) and _overlaps(t, source)),
        key=lambda t: t.start,
    )
    by_id = {cost.id: cost for cost in overview.costs}
    flags = [
        flag
        for flag in overview.flags
        if flag.cost_ids
        and flag.cost_ids[0] in by_id
        and source.in_range(by_id[flag.cost_ids[0]].data.day)
        and (case_id is None or by_id[flag.cost_ids[0]].data.case_id == case_id)
    ]
    entries: list[Cost] = []
    if case_id is not None:
        entries = sorted(
            (
                c
                for c in overview.costs
                if c.data.case_id == case_id and source.in_range(c.data.day)
            ),
            key=lambda c: (c.data.day or dt.date.min, c.id),
        )
    if not (years or flags or entries):
        return f"No costs were recorded{source.within()}."
    names = overview.provider_names
    story: list[Any] = []
    if years:
        rows = [
            (
                date_range_words(t.start, t.end),
                overview.plan_label_of(t),
                format_cents(t.billed_cents),
                format_cents(t.plan_paid_cents),
                format_cents(t.patient_cents),
                _progress(t.deductible),
                _progress(t.out_of_pocket),
            )
            for t in years
        ]
        story += [
            *subheading("Totals by plan year"),
            data_table(_TOTAL_COLUMNS, rows, source.width),
        ]
    if flags:
        flag_rows = []
        for flag in flags:
            bill = by_id[flag.cost_ids[0]].data
            what = [format_long_date(bill.day) or "Undated", names.get(bill.provider_id or 0, "")]
            what += [one_line(bill.description), format_cents(bill.billed_cents)]
            due = format_long_date(flag.due.due) if flag.due is not None else "—"
            flag_rows.append(("\n".join(p for p in what if p), flag.kind.label, flag.message, due))
        story += [
            *subheading("Bills to question"),
            data_table(_FLAG_COLUMNS, flag_rows, source.width),
        ]
    if entries:

        def entry_row(cost: Cost) -> tuple[str, ...]:
            data = cost.data
            entry = data.kind.label + (
                f": {one_line(data.description)}" if data.description else ""
            )
            return (
                format_long_date(data.day) or "Undated",
                entry,
                names.get(data.provider_id or 0, ""),
                format_cents(data.billed_cents),
                format_cents(data.plan_paid_cents),
                format_cents(data.patient_cents),
                data.status.label,
            )

        story += [
            *subheading("Entries of this case"),
            *by_year_tables(
                _ENTRY_COLUMNS,
                entries,
                lambda c: c.data.day.year if c.data.day else "Undated",
                entry_row,
                source.width,
            ),
        ]
    intro = (
        f"{source.period_intro('costs')} Amounts from bills and Explanations of Benefits; a "
        "service on both is counted once."
    )
    return SectionStory(story, intro)


def _counts(totals: PlanYearTotals) -> bool:
    return any(
        (
            totals.billed_cents,
            totals.allowed_cents,
            totals.plan_paid_cents,
            totals.patient_cents,
            totals.hsa_contributions_cents,
            totals.hsa_payments_cents,
            totals.supplemental_expected_cents,
        )
    )


def _overlaps(totals: PlanYearTotals, source: SectionSource) -> bool:
    return (source.since is None or totals.end >= source.since) and totals.start <= source.until


def _progress(progress: Progress | None) -> str:
    if progress is None:
        return "—"
    if progress.met:
        return f"Met ({format_cents(progress.limit_cents)})"
    return f"{format_cents(progress.used_cents)} of {format_cents(progress.limit_cents)}"
