"""The ``backlog`` command: with no subcommand it opens the window; subcommands run headless.

Exit codes: 0 success, 1 a problem explained in one plain line on stderr, 2 a usage error.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from backlog_app import __version__
from backlog_app.cli.commands import add_commands, run_gui
from backlog_app.errors import Cancelled, UserError
from backlog_app.logging_setup import configure_logging, current_log_file
from backlog_app.settings import config_dir

log = logging.getLogger("backlog.cli")

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS lets `backlog --profile P demo` and `backlog demo --profile P` both work.
    common.add_argument(
        "--profile",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="the profile folder to use (default: $BACKLOG_PROFILE, else the standard one)",
    )
    common.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="write more detail to the log file",
    )
    parser = argparse.ArgumentParser(
        prog="backlog",
        description="BackLog keeps the records that get back-pain treatment covered. "
        "Without a command it opens the BackLog window.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"BackLog {__version__}")
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_commands(subcommands, common)
    parser.set_defaults(handler=run_gui)  # no command: open the window
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 for --help/--version
        return int(exc.code or 0)
    # Until a profile is open, problems are logged beside the settings.
    configure_logging(config_dir() / "logs", verbose=getattr(args, "verbose", False))
    try:
        return int(args.handler(args))
    except UserError as exc:
        print(f"backlog: {exc.message}", file=sys.stderr)
        return EXIT_USER_ERROR
    except Cancelled:
        print("backlog: cancelled; nothing was changed.", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("backlog: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`backlog due | head`): not an error. Point stdout at devnull so
        # that Python's flush at exit does not fail a second time.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception:
        log.exception("unexpected error in command %s", getattr(args, "command", None))
        where = current_log_file()
        print(
            "backlog: something went wrong inside BackLog (not your fault). "
            f"The details are in {where}.",
            file=sys.stderr,
        )
        return EXIT_USER_ERROR
