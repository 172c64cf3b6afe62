"""The subcommands: each parses its options and calls services; none prints a traceback."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backlog_app.cli.backups import add_backup_commands
from backlog_app.cli.cases import add_case_commands
from backlog_app.cli.costs import add_cost_commands
from backlog_app.cli.documents import add_document_commands
from backlog_app.cli.packet import add_packet_commands
from backlog_app.cli.profile_option import chosen_profile, new_passphrase, open_for_cli
from backlog_app.cli.security import add_security_commands
from backlog_app.errors import UserError
from backlog_app.storage.profile import profile_dir_from

if TYPE_CHECKING:
    from backlog_app.services.context import ProfileSession

# open_for_cli and new_profile import the services inside the commands that use them: they pull in
# SQLAlchemy and every service (~0.6 s), which `backlog --help` and a usage error do not need.


def add_commands(subcommands: Any, common: argparse.ArgumentParser) -> None:
    parser = subcommands.add_parser(
        "gui",
        parents=[common],
        help="open the BackLog window (the default)",
        description="Open the BackLog window.",
    )
    parser.set_defaults(handler=run_gui)

    parser = subcommands.add_parser(
        "demo",
        parents=[common],
        help="create a demo profile to explore BackLog",
        description="Fill a new, empty profile folder with a realistic demo patient "
        "(a 52-year-old with an L4-L5 disc herniation on an employer PPO).",
    )
    _add_encrypt_option(parser)
    parser.set_defaults(handler=run_demo)

    parser = subcommands.add_parser(
        "info",
        parents=[common],
        help="show where a profile is and what it holds",
        description="Show the profile folder, its database version and how many records it holds.",
    )
    parser.set_defaults(handler=run_info)

    data = subcommands.add_parser(
        "data",
        parents=[common],
        help="export or import all records and documents",
        description="Move every record in or out of a profile as one JSON file, with the "
        "documents' files in a folder beside it or everything in one zip "
        "(format documented in docs/data-format.md).",
    )
    data_commands = data.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    export = data_commands.add_parser(
        "export",
        parents=[common],
        help="write every record and document to a JSON file (or a zip)",
        description="Write every record of the profile to FILE. With FILE ending in .json, the "
        "documents' files go to the folder FILE.files beside it (NAME.json → NAME.files/); with "
        "FILE ending in .zip, the records and the files go into that one zip.",
    )
    export.add_argument(
        "--out",
        metavar="FILE",
        required=True,
        type=Path,
        help="the file to write, NAME.json or NAME.zip (replaced if it exists)",
    )
    export.set_defaults(handler=run_data_export)
    imp = data_commands.add_parser(
        "import",
        parents=[common],
        help="read a JSON file into a new, empty profile",
        description="Read a BackLog data file (NAME.json with its NAME.files folder beside it, "
        "or NAME.zip) into a new, empty profile. Nothing is written unless every record is "
        "valid and every document's file is present and unchanged.",
    )
    imp.add_argument(
        "file", metavar="FILE", type=Path, help="a .json or .zip made by `backlog data export`"
    )
    _add_encrypt_option(imp)
    imp.set_defaults(handler=run_data_import)

    summary = subcommands.add_parser(
        "summary",
        parents=[common],
        help="print the conservative-care summary",
        description="Print what was tried and how it went: treatments and visits with their "
        "dates and counts, medication trials, injections with relief, monthly pain and PEG, "
        "ODI scores, and visits used against plan limits. Dates are written as YYYY-MM-DD.",
    )
    summary.add_argument(
        "--since", metavar="DATE", help="first day to include (default: the first record)"
    )
    summary.add_argument("--until", metavar="DATE", help="last day to include (default: today)")
    summary.add_argument(
        "--json",
        action="store_true",
        help="print JSON instead of sentences (format: docs/summary-format.md)",
    )
    summary.set_defaults(handler=run_summary)

    add_document_commands(subcommands, common)
    add_case_commands(subcommands, common)
    add_cost_commands(subcommands, common)
    add_packet_commands(subcommands, common)
    add_backup_commands(subcommands, common)
    add_security_commands(subcommands, common)


def _add_encrypt_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--encrypt",
        action="store_true",
        help="protect the new profile with a passphrase (asked twice, or "
        "$BACKLOG_NEW_PASSPHRASE); a lost passphrase cannot be recovered",
    )


def _new_profile_passphrase(args: argparse.Namespace) -> str | None:
    return new_passphrase() if getattr(args, "encrypt", False) else None


def run_gui(args: argparse.Namespace) -> int:
    if not _display_available():
        raise UserError(
            "there is no screen to show the BackLog window on (no DISPLAY). Run BackLog from "
            "your desktop, or use a command such as `backlog data export` (see `backlog --help`)."
        )
    from backlog_app.ui.app import run_gui as start  # Qt loads only when a window is wanted

    return start(profile_dir_from(getattr(args, "profile", None)))


def run_demo(args: argparse.Namespace) -> int:
    from backlog_app.services.demo import create_demo
    from backlog_app.services.onboarding import new_profile

    root = chosen_profile(args)
    with new_profile(root, passphrase=_new_profile_passphrase(args)) as profile:
        create_demo(profile)
        print(f"Created the demo profile in {root}")
        print(f"Open it with: backlog --profile {_quote(root)}")
    return 0


def run_info(args: argparse.Namespace) -> int:
    from backlog_app.storage.database import current_revision

    with open_for_cli(args) as profile:
        key = profile.key.database_key if profile.key is not None else None
        print(f"Profile:   {profile.paths.root}")
        print(
            f"Database:  {profile.paths.database} "
            f"(schema {current_revision(profile.paths.database, key)})"
        )
        print(f"Protected: {'yes, with a passphrase' if profile.encrypted else 'no'}")
        print(f"Patient:   {'recorded' if profile.patient.get() else 'not recorded yet'}")
        for label, count in _counts(profile).items():
            print(f"{label + ':':<10} {count}")
    return 0


def run_data_export(args: argparse.Namespace) -> int:
    from backlog_app.services.interchange import export_to_file

    with open_for_cli(args) as profile:
        result = export_to_file(profile, args.out)
    print(result.describe())
    return 0


def run_data_import(args: argparse.Namespace) -> int:
    from backlog_app.services.interchange import data_files_for, import_data, read_data_file
    from backlog_app.services.onboarding import new_profile

    document = read_data_file(args.file)  # check the file before creating any profile folder
    root = chosen_profile(args)
    passphrase = _new_profile_passphrase(args)
    # A document file that is missing or damaged stops the import before anything is written;
    # new_profile then removes the folder it made.
    with new_profile(root, passphrase=passphrase) as profile:
        counts = import_data(profile, document, files=data_files_for(args.file))
    summary = ", ".join(f"{count} {key.replace('_', ' ')}" for key, count in counts.items())
    print(f"Imported {summary} into {root}")
    return 0


def run_summary(args: argparse.Namespace) -> int:
    import json

    from backlog_app.domain.summary import summary_lines, summary_sections
    from backlog_app.domain.visit_usage import visit_usage_words
    from backlog_app.services.summary import (
        care_summary,
        check_range,
        plan_visit_usages,
        summary_document,
    )

    # Check the dates before opening anything, so a typo changes nothing.
    since, until = _date_option(args.since), _date_option(args.until)
    check_range(since, until)
    with open_for_cli(args) as profile:
        summary = care_summary(profile, since, until)
        usages = plan_visit_usages(profile)
    if args.json:
        document = summary_document(summary, usages)
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return 0
    print(summary_lines(summary)[0])
    sections = [(s.title, list(s.lines)) for s in summary_sections(summary)]
    if usages:
        sections.append(
            (
                "Plan visit limits",
                [f"{visit_usage_words(u.usage)} ({u.plan_name})" for u in usages],
            )
        )
    for title, lines in sections:
        print()
        print(title)
        for line in lines:
            print(f"  {line}")
    return 0


def _date_option(text: str | None) -> dt.date | None:
    from backlog_app.domain.dates import parse_iso_date

    if text is None:
        return None
    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise UserError(str(exc)) from exc


def _display_available() -> bool:
    """False on Linux/BSD without X11 or Wayland, where Qt would abort the whole process."""
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _counts(profile: ProfileSession) -> dict[str, int]:
    return {"Plans": profile.plans.count(), "Providers": profile.providers.count()}


def _quote(path: Path) -> str:
    text = str(path)
    return f'"{text}"' if " " in text else text
