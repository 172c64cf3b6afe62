"""The long crash run: ``python -m tests.reliability.crash_run --kills 1000``.

Prints a line every so often and the figures at the end: kills, acknowledged writes, records
lost, integrity failures, rows without a file, orphan files, partial files left. Exit status 0
only when nothing was lost or broken. The profile and scratch folders are kept when asked
(``--keep``), to look at after a failure.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from backlog_app.logging_setup import configure_logging
from tests.reliability.crash_harness import (
    CrashHarness,
    Figures,
    launch_forked,
    launch_subprocess,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--min-alive", type=float, default=0.3, help="seconds after first ack")
    parser.add_argument("--max-alive", type=float, default=1.5, help="seconds after first ack")
    parser.add_argument("--folder", type=Path, help="where the profile goes (default: a temp one)")
    parser.add_argument("--keep", action="store_true", help="keep the profile afterwards")
    parser.add_argument(
        "--start",
        choices=("python", "fork"),
        default="python",
        help="python: a new interpreter per child (faithful); fork: from a fork server (fast)",
    )
    parser.add_argument("--every", type=int, default=25, help="print progress every N kills")
    args = parser.parse_args(argv)
    base = args.folder or Path(tempfile.mkdtemp(prefix="backlog-crash-run-"))
    base.mkdir(parents=True, exist_ok=True)
    harness = CrashHarness(
        base / "profile",
        base / "scratch",
        args.seed,
        alive_after_first_ack=(args.min_alive, args.max_alive),
        launcher=launch_subprocess if args.start == "python" else launch_forked,
    )

    def progress(number: int, figures: Figures) -> None:
        if number % args.every == 0 or not figures.ok:
            print(figures.summary(), flush=True)

    try:
        figures = harness.run(args.kills, progress)
    finally:
        configure_logging(None)
    print("final: " + figures.summary())
    for problem in figures.problems()[:50]:
        print("  " + problem)
    if args.keep or not figures.ok:
        print(f"profile kept in {base}")
    else:
        shutil.rmtree(base, ignore_errors=True)
    return 0 if figures.ok else 1


if __name__ == "__main__":
    sys.exit(main())
