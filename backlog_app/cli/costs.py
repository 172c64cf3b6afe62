"""`backlog costs`: one plan year's money and the bills to question before paying them.

Billed, allowed, paid by the plan and your share; deductible and out-of-pocket progress; HSA money
in and out; supplemental claims expected and received. Then each flagged bill of that year with
what to do about it (the same flags as the Costs page), and a dispute deadline where the law sets
one. Money is printed in dollars and written as integer cents in ``--json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from backlog_app.cli.profile_option import open_for_cli

if TYPE_CHECKING:
    from backlog_app.domain.cost_flags import CostFlag
    from backlog_app.domain.costs import Cost, PlanYearTotals, Progress
    from backlog_app.services.context import ProfileSession

EXIT_OK = 0
FIRST_YEAR, LAST_YEAR = 1990, 2200
_WIDTH = 100
_INDENT = " " * 12


def add_cost_commands(subcommands: Any, common: argparse.ArgumentParser) -> None:
    """Register `costs` beside the other subcommands."""
    costs = subcommands.add_parser(
        "costs",
        parents=[common],
        help="print a plan year's costs and the bills to question",
        description="Print what one plan year of care cost: billed, allowed and paid by the "
        "plan, your share, how far you are towards the deductible and the out-of-pocket "
        "maximum, HSA money in and out, and supplemental claims. Then the bills to question "
        "before paying them (over the Good Faith Estimate, denied on the EOB, out of network "
        "where the law protects you, billed without an authorization), with what to do.",
    )
    costs.add_argument(
        "--year",
        metavar="YYYY",
        type=_year,
        help="the plan year that begins in YYYY (default: the plan year you are in)",
    )
    costs.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object instead of sentences (amounts in integer cents)",
    )
    costs.set_defaults(handler=run_costs)


@dataclass(frozen=True, slots=True)
class FlaggedBill:
    """One flag on one bill, with the names the lines print."""

    flag: CostFlag
    bill: Cost
    provider: str | None


@dataclass(frozen=True, slots=True)
class YearReport:
    """What `backlog costs` prints for one plan year."""

    plan: str
    totals: PlanYearTotals
    entries: int  # cost entries dated in the plan year
    flagged: list[FlaggedBill]  # bills of the plan year
    flagged_elsewhere: dict[int, int]  # other plan years (by the year they begin) → flags
    any_costs: bool


def run_costs(args: argparse.Namespace) -> int:
    import json

    with open_for_cli(args) as profile:
        today = profile.clock()
        report = year_report(profile, args.year)
    if args.json:
        print(json.dumps(costs_record(report, today), indent=2, ensure_ascii=False))
        return EXIT_OK
    for line in costs_lines(report, today):
        print(line)
    return EXIT_OK


def year_report(profile: ProfileSession, year: int | None) -> YearReport:
    """The totals and flagged bills of the plan year beginning in ``year`` (None: today's).

    Each plan year is measured against the plan in force in it, as on the Costs page.
    """
    today = profile.clock()
    overview = profile.costs.overview()
    start_day = overview.plan_year_start
    if year is None:
        first, last = overview.year_of(today)
    else:
        month_day = min(start_day.day, 28) if start_day.month == 2 else start_day.day
        first, last = overview.year_of(dt.date(year, start_day.month, month_day))
    totals = overview.totals_of((first, last))
    flagged: list[FlaggedBill] = []
    elsewhere: dict[int, int] = {}
    by_id = {cost.id: cost for cost in overview.costs}
    for flag in overview.flags:
        bill = by_id[flag.cost_ids[0]]
        day = bill.data.day
        if day is not None and first <= day <= last:
            name = overview.provider_names.get(bill.data.provider_id or 0)
            flagged.append(FlaggedBill(flag, bill, name))
        elif day is not None:
            begins = overview.year_of(day)[0].year
            elsewhere[begins] = elsewhere.get(begins, 0) + 1
    return YearReport(
        plan=overview.plan_label_of(totals),
        totals=totals,
        entries=sum(
            1 for cost in overview.costs if cost.data.day and first <= cost.data.day <= last
        ),
        flagged=flagged,
        flagged_elsewhere=dict(sorted(elsewhere.items())),
        any_costs=bool(overview.costs),
    )


# --- what is printed ------------------------------------------------------------------------------


def costs_lines(report: YearReport, today: dt.date) -> list[str]:
    """The text of `backlog costs`."""
    from backlog_app.domain.dates import format_long_date
    from backlog_app.domain.money import format_cents

    totals = report.totals
    span = f"{format_long_date(totals.start)} to {format_long_date(totals.end)}"
    if not report.any_costs:
        return [
            "No costs recorded yet. Add bills, EOBs and estimates on the Costs page of the "
            "BackLog window."
        ]
    if not report.entries:
        return [f"No costs recorded for the plan year {span} ({report.plan})."]
    money = format_cents
    rows = [
        ("Billed", money(totals.billed_cents)),
        ("Allowed by the plan", money(totals.allowed_cents)),
        ("Paid by the plan", money(totals.plan_paid_cents)),
        ("Your share", money(totals.patient_cents)),
        ("Deductible", _progress(totals.deductible, "met")),
        ("Out-of-pocket maximum", _progress(totals.out_of_pocket, "reached")),
        (
            "HSA",
            f"{money(totals.hsa_contributions_cents)} put in, "
            f"{money(totals.hsa_payments_cents)} paid out",
        ),
        (
            "Supplemental claims",
            f"{money(totals.supplemental_expected_cents)} expected, "
            f"{money(totals.supplemental_received_cents)} received"
            + (
                f", {money(totals.supplemental_outstanding_cents)} still to come"
                if totals.supplemental_outstanding_cents
                else ""
            ),
        ),
    ]
    entries = f"{report.entries} entr{'y' if report.entries == 1 else 'ies'}"
    lines = [report.plan, f"Plan year {span} ({entries})", ""]
    width = max(len(label) for label, _ in rows)
    lines += [f"  {label.ljust(width)}  {value}" for label, value in rows]
    lines.append("")
    count = len(report.flagged)
    if not count:
        lines.append("No bill of this plan year needs questioning.")
    else:
        lines.append(f"{count} {'bill' if count == 1 else 'bills'} to question before paying:")
        for item in report.flagged:
            lines.append("")
            lines += _flag_lines(item, today)
    for begins, flags in report.flagged_elsewhere.items():
        lines.append("")
        lines.append(
            f"{flags}{' more' if count else ''} {'bill' if flags == 1 else 'bills'} to question "
            "in the plan year "
            f"beginning in {begins}: `backlog costs --year {begins}`."
        )
    return lines


def _flag_lines(item: FlaggedBill, today: dt.date) -> list[str]:
    from backlog_app.domain.money import format_cents

    data = item.bill.data
    what = ": ".join(part for part in (item.provider, data.description) if part) or "A bill"
    day = f"{data.day:%Y-%m-%d}" if data.day else "undated   "
    lines = [f"{day}  {format_cents(data.billed_cents)}  {what}"]
    text = f"{item.flag.kind.label}. {item.flag.message}"
    lines += textwrap.wrap(text, _WIDTH, initial_indent=_INDENT, subsequent_indent=_INDENT)
    due = item.flag.due
    if due is not None and due.due >= today:
        days = (due.due - today).days
        lines.append(f"{_INDENT}Last day: {due.due:%Y-%m-%d} (in {days} days).")
    return lines


def _progress(progress: Progress | None, done: str) -> str:
    from backlog_app.domain.money import format_cents

    if progress is None:
        return "not recorded for this plan"
    used = min(progress.used_cents, progress.limit_cents)
    text = f"{format_cents(used)} of {format_cents(progress.limit_cents)}"
    if progress.met:
        return f"{text}: {done}"
    return f"{text}: {format_cents(progress.left_cents)} to go"


def costs_record(report: YearReport, today: dt.date) -> dict[str, Any]:
    """The object `backlog costs --json` prints."""
    totals = report.totals
    return {
        "plan": report.plan,
        "plan_year": {"start": totals.start.isoformat(), "end": totals.end.isoformat()},
        "entries": report.entries,
        "billed_cents": totals.billed_cents,
        "allowed_cents": totals.allowed_cents,
        "plan_paid_cents": totals.plan_paid_cents,
        "patient_cents": totals.patient_cents,
        "deductible": _progress_record(totals.deductible),
        "out_of_pocket": _progress_record(totals.out_of_pocket),
        "hsa_contributions_cents": totals.hsa_contributions_cents,
        "hsa_payments_cents": totals.hsa_payments_cents,
        "supplemental_expected_cents": totals.supplemental_expected_cents,
        "supplemental_received_cents": totals.supplemental_received_cents,
        "flagged_bills": [_flag_record(item, today) for item in report.flagged],
        "flagged_elsewhere": {str(year): n for year, n in report.flagged_elsewhere.items()},
    }


def _progress_record(progress: Progress | None) -> dict[str, Any] | None:
    if progress is None:
        return None
    return {
        "used_cents": progress.used_cents,
        "limit_cents": progress.limit_cents,
        "left_cents": progress.left_cents,
        "met": progress.met,
    }


def _flag_record(item: FlaggedBill, today: dt.date) -> dict[str, Any]:
    data, due = item.bill.data, item.flag.due
    return {
        "kind": item.flag.kind.value,
        "label": item.flag.kind.label,
        "what_to_do": item.flag.message,
        "cost_id": item.bill.id,
        "cost_ids": list(item.flag.cost_ids),
        "service_date": data.service_date.isoformat() if data.service_date else None,
        "bill_date": data.bill_date.isoformat() if data.bill_date else None,
        "provider": item.provider,
        "description": data.description,
        "billed_cents": data.billed_cents,
        "patient_cents": data.patient_cents,
        "due": None if due is None else due.due.isoformat(),
        "due_status": None if due is None else due.status(today).value,
    }


def _year(text: str) -> int:
    """An argparse type: a plan year written as four digits."""
    if not (len(text) == 4 and text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR):
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a year written as YYYY between {FIRST_YEAR} and {LAST_YEAR}"
        )
    return int(text)
