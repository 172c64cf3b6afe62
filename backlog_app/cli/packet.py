"""`backlog export`: the packet for the insurer or the provider's office, as one PDF.

The same packet the Export dialog writes: cover sheet, the case's letter, reference block,
contents, the record's sections and the attached documents, every page carrying the patient's
identity line and "Page X of Y" (docs/packet.md). Everything the user typed is checked before
the profile is opened, so a typo changes nothing and costs no time; the file is written
atomically, so an interrupted export leaves no half-written packet behind.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backlog_app.cli.profile_option import open_for_cli
from backlog_app.domain.packet import CHOOSABLE_SECTIONS, PacketSection, PageSize
from backlog_app.domain.sizes import file_size_text
from backlog_app.errors import UserError

if TYPE_CHECKING:
    from backlog_app.services.context import ProfileSession
    from backlog_app.services.packet.assemble import PacketResult
    from backlog_app.services.packet.request import PacketRequest

EXIT_OK = 0
PAGE_SIZE_CHOICES = tuple(size.value for size in PageSize)


def add_packet_commands(subcommands: Any, common: argparse.ArgumentParser) -> None:
    """Register `export` beside the other subcommands."""
    export = subcommands.add_parser(
        "export",
        parents=[common],
        help="write the packet for the insurer or the provider's office as one PDF",
        description="Write one organized PDF of the whole record, or of one coverage case: "
        "cover sheet, the case's letter, reference information, contents, conservative care, "
        "outcome scores, medications, treatments, daily log, case timeline, calls, network "
        "checklist and costs, then the documents (those linked to the case, else all of "
        "them). Every page carries your name, date of birth, member ID, the case's reference "
        "number and its page number. A document that cannot be read is replaced by a page "
        "saying why. See docs/packet.md.",
        epilog="Exit status: 0 when the packet was written, 1 when it was not (the reason is "
        "printed), 2 when the command was typed wrong.",
    )
    export.add_argument(
        "--out",
        metavar="FILE.pdf",
        required=True,
        type=Path,
        help="the PDF to write (replaced if it exists; its folder must exist)",
    )
    export.add_argument(
        "--case",
        metavar="ID",
        type=_case_id,
        help="the coverage case the packet is for (its ID from `backlog cases`); "
        "default: the whole record",
    )
    export.add_argument(
        "--since",
        metavar="DATE",
        type=_date,
        help="first day of the log, treatments, calls, costs and documents to include, as "
        "YYYY-MM-DD (default: from the first record)",
    )
    export.add_argument(
        "--until",
        metavar="DATE",
        type=_date,
        help="last day to include, as YYYY-MM-DD (default: today)",
    )
    export.add_argument(
        "--no-documents",
        action="store_true",
        help="leave out the attached documents (only BackLog's own pages)",
    )
    export.add_argument(
        "--page-size",
        choices=PAGE_SIZE_CHOICES,
        type=str.lower,
        help="the paper: letter (US) or a4 (default: the one chosen in the Export dialog, "
        "else letter)",
    )
    export.set_defaults(handler=run_export)


def run_export(args: argparse.Namespace) -> int:
    destination = checked_destination(args.out)
    request = packet_request(args)
    request.check(dt.date.today())  # the CLI's profile runs on the real clock
    # Imported once the options are known to be usable: it pulls in SQLAlchemy, ReportLab and
    # pikepdf, which a mistyped date does not need to wait for.
    from backlog_app.services.packet.assemble import export_packet

    with open_for_cli(args) as profile:
        check_case(profile, request.case_id)
        result = export_packet(profile, request, destination)
    for line in result_lines(result):
        print(line)
    return EXIT_OK


def packet_request(args: argparse.Namespace) -> PacketRequest:
    """What the options ask for; the paper defaults to the one saved in the settings."""
    from backlog_app.services.packet.request import PacketRequest

    sections = frozenset(CHOOSABLE_SECTIONS)
    if args.no_documents:
        sections -= {PacketSection.DOCUMENTS}
    return PacketRequest(
        case_id=args.case,
        since=args.since,
        until=args.until,
        sections=sections,
        page_size=PageSize(args.page_size) if args.page_size else saved_page_size(),
    )


def saved_page_size() -> PageSize:
    """The paper last chosen in the Export dialog; Letter when none (or nonsense) is saved."""
    from backlog_app.settings import SettingsStore

    saved = SettingsStore().settings.packet_page_size  # never raises: bad files give defaults
    try:
        return PageSize(str(saved).lower())
    except ValueError:
        return PageSize.LETTER


def checked_destination(path: Path) -> Path:
    """``path`` made absolute, once it is known that a PDF can be written there.

    Raises:
        UserError: the path is a folder, its folder does not exist or cannot be written to, or
            the name does not end in .pdf.
    """
    path = path.expanduser()
    if path.is_dir():
        raise UserError(f"{path} is a folder; give a file name such as {path / 'packet.pdf'}.")
    if path.suffix.lower() != ".pdf":
        raise UserError(f"Give the packet a file name ending in .pdf, not “{path.name}”.")
    folder = path.absolute().parent
    if not folder.is_dir():
        raise UserError(
            f"The folder {folder} does not exist; create it first or choose another place."
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UserError(f"BackLog may not write in the folder {folder}; choose another place.")
    if path.exists() and not os.access(path, os.W_OK):
        raise UserError(f"{path} is read-only; choose another name or place.")
    return path.absolute()


def check_case(profile: ProfileSession, case_id: int | None) -> None:
    """Raises UserError when ``case_id`` names no case of the profile."""
    if case_id is None:
        return
    titles = profile.cases.titles()
    if case_id in titles:
        return
    if not titles:
        raise UserError(f"There is no case {case_id}: this profile has no coverage cases yet.")
    raise UserError(f"There is no case {case_id}; `backlog cases` lists the cases with their IDs.")


def result_lines(result: PacketResult) -> list[str]:
    """ "Wrote FILE.pdf: 37 pages, 1.2 MB", then one line per document that was replaced by a
    page saying why it could not be included."""
    pages = f"{result.page_count} page{'s' if result.page_count != 1 else ''}"
    lines = [f"Wrote {result.path}: {pages}, {file_size_text(result.size_bytes)}"]
    for replaced in result.replaced:
        lines.append(
            f"“{replaced.title}” (document {replaced.document_id}) is replaced by a page "
            f"saying why: {replaced.reason}"
        )
    return lines


# --- argparse types (a value typed wrong is a usage error: exit 2) ------------------------------


def _date(text: str) -> dt.date:
    from backlog_app.domain.dates import parse_iso_date

    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc).rstrip(".")) from exc


def _case_id(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a case ID (a whole number; `backlog cases` lists them)"
        )
    return int(text)
