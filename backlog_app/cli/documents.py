"""The document subcommands: `backlog doc add`, `backlog doc list` and `backlog check`."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backlog_app.cli.profile_option import chosen_profile, open_for_cli
from backlog_app.domain.documents import ACCEPTED_TYPES_TEXT, DocumentKind
from backlog_app.errors import UserError

if TYPE_CHECKING:
    from backlog_app.domain.documents import DocumentData
    from backlog_app.services.context import ProfileSession
    from backlog_app.services.document_import import ImportDefaults

EXIT_OK = 0
EXIT_PROBLEMS = 1
PASSWORD_TRIES = 3
KIND_CHOICES = ", ".join(kind.value for kind in DocumentKind)


def add_document_commands(subcommands: Any, common: argparse.ArgumentParser) -> None:
    """Register `doc add`, `doc list` and `check` beside the other subcommands."""
    doc = subcommands.add_parser(
        "doc",
        parents=[common],
        help="add or list documents (scans, PDFs, phone photos)",
        description="Add files to the profile's documents, or list them.",
    )
    actions = doc.add_subparsers(dest="doc_command", metavar="ACTION", required=True)

    add = actions.add_parser(
        "add",
        parents=[common],
        help="add files to the documents",
        description=f"Add {ACCEPTED_TYPES_TEXT} files to the profile's documents. Each file is "
        "checked first (its real type, its size, whether it opens); a refused file is named "
        "with the reason and nothing of it is stored. The originals are copied, never changed. "
        "Exit status: 0 when every file was added, 1 when any was not.",
        epilog=f"Kinds: {KIND_CHOICES}.",
    )
    add.add_argument("files", metavar="FILE", nargs="+", type=Path, help="the files to add")
    add.add_argument(
        "--kind",
        metavar="KIND",
        type=parse_kind,
        default=DocumentKind.OTHER,
        help="what the files are, e.g. denial_letter or eob (default: other; all kinds below)",
    )
    add.add_argument(
        "--date", metavar="DATE", help="the date printed on the documents, as YYYY-MM-DD"
    )
    add.add_argument(
        "--title", metavar="TITLE", help="the title (default: made from each file's name)"
    )
    add.add_argument(
        "--tag",
        metavar="TAG",
        action="append",
        default=[],
        help="a tag for the files; repeat for more tags",
    )
    add.add_argument(
        "--password-prompt",
        action="store_true",
        help="ask for the password of a password-protected PDF (read from standard input "
        "when it is not a terminal); without it such PDFs are refused",
    )
    add.add_argument(
        "--remember-password",
        action="store_true",
        help="keep a typed password in the profile, so BackLog can read and print the PDF later",
    )
    add.set_defaults(handler=run_doc_add)

    listing = actions.add_parser(
        "list",
        parents=[common],
        help="list the documents",
        description="List the documents, newest document date first; with --search, the best "
        "matches first, each with the words that matched in [brackets].",
        epilog=f"Kinds: {KIND_CHOICES}.",
    )
    listing.add_argument(
        "--search", metavar="TEXT", help="only documents whose title, notes, tags or text match"
    )
    listing.add_argument(
        "--kind", metavar="KIND", type=parse_kind, help="only documents of this kind"
    )
    listing.add_argument(
        "--trash", action="store_true", help="list the documents in the trash instead"
    )
    listing.set_defaults(handler=run_doc_list)

    check = subcommands.add_parser(
        "check",
        parents=[common],
        help="check that every document's file is present and unchanged",
        description="Check every document: its file is in the vault and unchanged since it was "
        "added (same SHA-256), and its thumbnail exists; also look for files without a record "
        "and check the search index. Exit status: 0 when everything is in order, 1 otherwise.",
    )
    check.add_argument(
        "--repair",
        action="store_true",
        help="rebuild the search index, draw missing thumbnails and put files without a record "
        "in the trash; originals are never deleted or changed",
    )
    check.set_defaults(handler=run_check)


def parse_kind(text: str) -> DocumentKind:
    """A kind from its name ("denial_letter", "denial-letter", "Denial letter"); else exit 2."""
    wanted = text.strip().casefold().replace("-", "_").replace(" ", "_")
    for kind in DocumentKind:
        if wanted in (kind.value, kind.label.casefold().replace(" ", "_")):
            return kind
    raise argparse.ArgumentTypeError(f"unknown kind “{text}”; choose one of: {KIND_CHOICES}")


def run_doc_add(args: argparse.Namespace) -> int:
    from backlog_app.services.document_import import ImportDefaults

    # Check what was typed before opening anything, so a typo changes nothing.
    defaults = ImportDefaults(
        kind=args.kind,
        title=args.title,
        document_date=_date_option(args.date),
        tags=tuple(args.tag),
    )
    with open_for_cli(args) as profile:  # the Settings' import limit applies
        added, problems = 0, 0
        for path in args.files:
            if _add_one(profile, path, defaults, args):
                added += 1
            else:
                problems += 1
    if len(args.files) > 1:
        print(f"Added {added} of {len(args.files)} files.")
    return EXIT_OK if problems == 0 else EXIT_PROBLEMS


def run_doc_list(args: argparse.Namespace) -> int:
    from backlog_app.services.documents import DocumentFilter
    from backlog_app.storage.file_inspect import safe_text
    from backlog_app.storage.search_index import MARK_END, MARK_START

    filter = DocumentFilter(
        text=args.search or "",
        kinds=frozenset([args.kind]) if args.kind else frozenset(),
        in_trash=args.trash,
    )
    with open_for_cli(args) as profile:
        rows = profile.documents.list(filter)
    if not rows:
        print(_nothing_found(args))
        return EXIT_OK
    header = ("ID", "Date", "Kind", "Pages")
    cells = [
        (
            str(row.info.id),
            f"{row.info.data.document_date:%Y-%m-%d}" if row.info.data.document_date else "-",
            row.info.data.kind.label,
            "-" if row.info.file.page_count is None else str(row.info.file.page_count),
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in (header, *cells)) for i in range(len(header))]
    indent = " " * (sum(widths) + 2 * len(widths))

    def left(line: tuple[str, ...]) -> str:
        return "".join(cell.ljust(width + 2) for cell, width in zip(line, widths, strict=True))

    print(left(header) + "Title")
    for row, line in zip(rows, cells, strict=True):
        print(left(line) + safe_text(row.info.data.title))
        if row.snippet:
            marked = row.snippet.replace(MARK_START, "[").replace(MARK_END, "]")
            print(indent + safe_text(" ".join(marked.split())))
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    from backlog_app.services.backups import database_key
    from backlog_app.services.database_check import check_database
    from backlog_app.services.vault_check import check_vault
    from backlog_app.storage.profile import ProfilePaths

    paths = ProfilePaths(chosen_profile(args))
    # Read-only, before opening: opening writes to the database and removes its seal. An
    # encrypted profile gets only the seal check here; SQLite's checks need its key (below).
    before = check_database(paths) if paths.has_database() else None
    if before is not None and not before.ok:
        for line in before.lines():
            print(line)
        print("The documents' files were not checked: the database needs restoring first.")
        return EXIT_PROBLEMS
    with open_for_cli(args) as profile:
        key = database_key(profile)
        database = before if before is not None and key is None else None
        database = database or check_database(paths, key, seal=False)
        report = check_vault(profile.documents, repair=args.repair)
    for line in [*database.lines(), *report.lines(repair_hint="`backlog check --repair`")]:
        print(line)
    return EXIT_OK if database.ok and report.ok else EXIT_PROBLEMS


def _add_one(
    profile: ProfileSession, path: Path, defaults: ImportDefaults, args: argparse.Namespace
) -> bool:
    """Add one file and say what happened; True when it was added."""
    from backlog_app.services.document_import import REPAIRED_NOTE
    from backlog_app.storage.file_inspect import display_name

    report = profile.importer.add_files([path], defaults)
    for message in [error.message for error in (*report.refused, *report.duplicates)]:
        _problem(message)
    document_id = report.added[0] if report.added else None
    if report.need_password:
        if not args.password_prompt:
            _problem(
                f"“{display_name(path)}” was not added: it is protected with a password. "
                "Add it again with --password-prompt to type the password."
            )
            return False
        document_id = _add_locked(profile, path, profile.importer.data_for(path, defaults), args)
    if document_id is None:
        return False
    info = profile.documents.get(document_id)
    pages = info.file.page_count
    detail = f", {pages} page{'s' if pages != 1 else ''}" if pages is not None else ""
    print(f"Added “{display_name(path)}” as document {info.id}{detail}.")
    if info.file.repaired:
        print(f"  It was damaged. {REPAIRED_NOTE}")
    return True


def _add_locked(
    profile: ProfileSession, path: Path, data: DocumentData, args: argparse.Namespace
) -> int | None:
    """Ask for the password of a locked PDF (up to three tries) and add it; None if not added."""
    from backlog_app.storage.file_inspect import PasswordRequiredError, display_name

    for attempt in range(PASSWORD_TRIES):
        password = _ask_password(path, again=attempt > 0)
        if not password:
            _problem(f"“{display_name(path)}” was not added: no password was typed.")
            return None
        try:
            return profile.importer.add(
                path, data, password=password, remember_password=args.remember_password
            )
        except PasswordRequiredError:
            continue
        except UserError as exc:
            _problem(exc.message)
            return None
    _problem(
        f"“{display_name(path)}” was not added: the password did not open it "
        f"({PASSWORD_TRIES} tries). Check the letter or e-mail the PDF came with."
    )
    return None


def _ask_password(path: Path, *, again: bool) -> str:
    """A password from the terminal (not echoed), or one line of standard input in a script."""
    from backlog_app.storage.file_inspect import display_name

    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    name = display_name(path)
    return getpass.getpass(
        f"That password did not open “{name}”. Password: " if again else f"Password for “{name}”: "
    )


def _problem(message: str) -> None:
    print(f"backlog: {message}", file=sys.stderr)


def _nothing_found(args: argparse.Namespace) -> str:
    where = " in the trash" if args.trash else ""
    if args.search:
        return f"No documents{where} match “{args.search}”."
    if args.kind:
        return f"No documents{where} of the kind “{args.kind.label}”."
    return f"No documents{where}."


def _date_option(text: str | None) -> dt.date | None:
    from backlog_app.domain.dates import parse_iso_date

    if text is None:
        return None
    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
