"""Coverage cases speed: the case list, one case, what is due, Home and the readiness checklist.

Run it with the project's Python:  .venv/bin/python benchmarks/cases_bench.py [--quick]
It builds a profile with ten years of daily log entries (the log benchmark's generator), then
adds many cases — far more than a patient has, to see how the reads grow — each with a realistic
timeline (request, denial, peer-to-peer, appeal, decision) and calls. Every figure is the median
of several runs after one warm-up; the GUI reads these on its own thread only while they stay
well under 100 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from log_bench import TODAY, generate  # the benchmarks folder is not a package

RUNS = 7


def _timed(function: Callable[[], Any], runs: int = RUNS) -> float:
    """Median milliseconds of ``runs`` calls after a warm-up call."""
    function()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def add_cases(profile: Any, count: int, calls_per_case: int, seed: int = 5) -> list[int]:
    """``count`` cases with a denial-appeal-decision timeline and calls, through the services."""
    from backlog_app.domain.cases import (
        CallData,
        CallDirection,
        CaseData,
        CaseEventData,
        DenialReason,
        EventType,
        Outcome,
        Procedure,
    )
    from backlog_app.domain.records import PlanData, PlanType

    rnd = random.Random(seed)
    plan_id = profile.plans.add(PlanData("Buckeye Mutual Health", PlanType.EMPLOYER_PPO))
    procedures = [p for p in Procedure if p is not Procedure.OTHER]
    case_ids = []
    for number in range(count):
        case_id = profile.cases.add(
            CaseData(rnd.choice(procedures), cpt_codes="63030", plan_id=plan_id)
        )
        start = TODAY - dt.timedelta(days=rnd.randint(20, 900))
        steps: list[tuple[EventType, int, dict[str, Any]]] = [
            (EventType.REQUEST_SUBMITTED, 0, {}),
            (EventType.DENIED, 6, {"reason": DenialReason.MISSING_DOCUMENTATION}),
            (EventType.P2P_REQUESTED, 8, {}),
            (EventType.P2P_HELD, 12, {"outcome": Outcome.DENIED}),
            (EventType.APPEAL_FILED, 20, {"level": 1}),
        ]
        if number % 2:
            steps.append((EventType.DECISION, 40, {"outcome": Outcome.APPROVED}))
        for event_type, offset, fields in steps:
            day = min(start + dt.timedelta(days=offset), TODAY)
            profile.cases.add_event(CaseEventData(case_id, event_type, day, **fields))
        for call in range(calls_per_case):
            when = dt.datetime.combine(
                min(start + dt.timedelta(days=call * 3), TODAY), dt.time(9, 30)
            )
            follow_up = when.date() + dt.timedelta(days=7) if call == calls_per_case - 1 else None
            profile.calls.add(
                CallData(
                    when,
                    CallDirection.OUTGOING,
                    "Buckeye Mutual Health",
                    case_id=case_id,
                    reference_number=f"REF-{number}-{call}",
                    follow_up="call back" if follow_up else None,
                    follow_up_date=follow_up,
                )
            )
        case_ids.append(case_id)
    return case_ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer cases (a smoke run)")
    args = parser.parse_args()
    sizes = (5, 50) if args.quick else (5, 50, 200)

    from backlog_app.services.context import open_profile
    from backlog_app.services.home import home_deadlines, home_summary
    from backlog_app.services.readiness import case_readiness

    print(f"Python {sys.version.split()[0]}; each figure is the median of {RUNS} runs, in ms")
    print(f"{'cases':>6} {'calls':>6} {'list':>8} {'get':>8} {'due':>8} {'home':>8} "
          f"{'checklist':>10}")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="backlog-cases-bench-") as folder:
        profile = open_profile(Path(folder) / "profile", create=True, clock=lambda: TODAY)
        try:
            generate(profile)  # ten years of daily check-ins, medications and treatments
            made: list[int] = []
            for size in sizes:
                made += add_cases(profile, size - len(made), calls_per_case=6, seed=size)
                middle = made[len(made) // 2]
                print(
                    f"{len(made):>6} {profile.calls.count():>6} "
                    f"{_timed(profile.cases.list):>8.1f} "
                    f"{_timed(lambda c=middle: profile.cases.get(c)):>8.1f} "  # type: ignore[misc]
                    f"{_timed(profile.cases.due_items):>8.1f} "
                    f"{_timed(lambda: (home_summary(profile), home_deadlines(profile))):>8.1f} "
                    f"{_timed(lambda c=middle: case_readiness(profile, c), 3):>10.1f}"  # type: ignore[misc]
                )
        finally:
            profile.close()


if __name__ == "__main__":
    main()
