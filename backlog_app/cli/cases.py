"""The coverage-case subcommands: `backlog due` (what is due, soonest first) and `backlog cases`."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from backlog_app.cli.profile_option import open_for_cli

if TYPE_CHECKING:
    from backlog_app.domain.deadlines import DueItem
    from backlog_app.services.cases import CaseRow

EXIT_OK = 0
# `backlog due` without --all: what is overdue and what falls due within this many days.
DUE_WINDOW_DAYS = 60


def add_case_commands(subcommands: Any, common: argparse.ArgumentParser) -> None:
    """Register `due` and `cases` beside the other subcommands."""
    due = subcommands.add_parser(
        "due",
        parents=[common],
        help="print what is due for your coverage cases, soonest first",
        description="Print every open deadline of the coverage cases (appeals to file, "
        "decisions the insurer owes, approvals running out), the follow-ups promised on "
        "calls, the network checks of a care team before its procedure and the last days to "
        "dispute a bill, soonest first. Without --all: what is overdue and what falls due in "
        f"the next {DUE_WINDOW_DAYS} days. Each date says how it was found and where the rule comes from.",
    )
    due.add_argument(
        "--all", action="store_true", help="list everything still open, however far ahead"
    )
    due.add_argument(
        "--json",
        action="store_true",
        help="print a JSON list instead of sentences (one object per item: due, title, party, "
        "case_id, case_title, cost_id, explanation, source, rule, status)",
    )
    due.set_defaults(handler=run_due)

    cases = subcommands.add_parser(
        "cases",
        parents=[common],
        help="list the coverage cases with their status and next deadline",
        description="List the coverage cases (preauthorizations, denials and appeals), the one "
        "with the soonest deadline first, with where each stands and what is due next.",
    )
    cases.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    cases.set_defaults(handler=run_cases)


def run_due(args: argparse.Namespace) -> int:
    import json

    from backlog_app.services.due import everything_due

    # With the settings: a care-team check goes out of date after the user's number of days.
    with open_for_cli(args) as profile:
        today = profile.clock()
        items = everything_due(profile)
    horizon = today + dt.timedelta(days=DUE_WINDOW_DAYS)
    shown = items if args.all else [item for item in items if item.due <= horizon]
    if args.json:
        print(json.dumps([due_record(item, today) for item in shown], indent=2, ensure_ascii=False))
        return EXIT_OK
    later = len(items) - len(shown)
    if not shown:
        print(_nothing_due(args.all, horizon, later))
        return EXIT_OK
    for item in shown:
        for line in due_lines(item, today):
            print(line)
    if later:
        print()
        print(
            f"{later} more {'item falls' if later == 1 else 'items fall'} due after "
            f"{horizon:%Y-%m-%d}; `backlog due --all` lists {'it' if later == 1 else 'them'}."
        )
    return EXIT_OK


def run_cases(args: argparse.Namespace) -> int:
    import json

    with open_for_cli(args) as profile:
        today = profile.clock()
        rows = profile.cases.list()
    if args.json:
        print(json.dumps([case_record(row, today) for row in rows], indent=2, ensure_ascii=False))
        return EXIT_OK
    if not rows:
        print("No coverage cases yet. Add one on the Cases page of the BackLog window.")
        return EXIT_OK
    header = ("ID", "Status", "Next deadline")
    cells = [(str(row.id), row.status.label, _next_due_cell(row, today)) for row in rows]
    widths = [max(len(line[i]) for line in (header, *cells)) for i in range(len(header))]

    def left(line: tuple[str, ...]) -> str:
        return "".join(cell.ljust(width + 2) for cell, width in zip(line, widths, strict=True))

    print(left(header) + "Case")
    for row, line in zip(rows, cells, strict=True):
        print(left(line) + row.title)
    return EXIT_OK


# --- what is printed ------------------------------------------------------------------------------


def due_record(item: DueItem, today: dt.date) -> dict[str, Any]:
    """One item of `backlog due --json`."""
    return {
        "due": item.due.isoformat(),
        "title": item.title,
        "party": item.party.value,
        "case_id": item.case_id,
        "case_title": item.case_title or None,
        "cost_id": item.cost_id,
        "explanation": item.explanation,
        "source": item.source,
        "rule": item.rule.value if item.rule is not None else None,
        "status": item.status(today).value,
    }


def due_lines(item: DueItem, today: dt.date) -> list[str]:
    """ "2026-12-02  in 5 days  File your appeal" and, indented, for which case and why."""
    from backlog_app.domain.deadline_rules import Party

    indent = " " * 12
    who = "you" if item.party is Party.YOU else "the insurer"
    where = item.case_title or (
        "No case (a bill)" if item.cost_id is not None else "No case (a call)"
    )
    lines = [
        f"{item.due:%Y-%m-%d}  {_when(item.due, today)}: {item.title}",
        f"{indent}{where} · who acts: {who}",
    ]
    if item.explanation:
        lines.append(f"{indent}{item.explanation} (source: {item.source})")
    return lines


def case_record(row: CaseRow, today: dt.date) -> dict[str, Any]:
    """One case of `backlog cases --json`."""
    due = row.next_due
    return {
        "id": row.id,
        "title": row.title,
        "procedure": row.data.procedure.value,
        "status": row.status.value,
        "status_label": row.status.label,
        "plan": row.plan_name,
        "last_event_day": row.last_event_day.isoformat() if row.last_event_day else None,
        "next_due": None if due is None else due_record(due, today),
    }


def _when(due: dt.date, today: dt.date) -> str:
    days = (due - today).days
    if days < 0:
        return f"OVERDUE by {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "due today"
    if days == 1:
        return "due tomorrow"
    return f"in {days} days"


def _next_due_cell(row: CaseRow, today: dt.date) -> str:
    due = row.next_due
    if due is None:
        return "-"
    overdue = " (OVERDUE)" if due.due < today else ""
    return f"{due.due:%Y-%m-%d}{overdue} {due.title}"


def _nothing_due(show_all: bool, horizon: dt.date, later: int) -> str:
    if show_all or not later:
        return "Nothing is due: no open deadlines and no promised follow-ups."
    return (
        f"Nothing is due before {horizon:%Y-%m-%d}; {later} later "
        f"{'item' if later == 1 else 'items'}: `backlog due --all`."
    )
