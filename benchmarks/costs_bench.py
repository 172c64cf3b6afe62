"""Network checks, care teams and costs speed: the Costs page, its flags, the checklists and Home.

Run it with the project's Python:  .venv/bin/python benchmarks/costs_bench.py [--quick]
It makes a profile in a temporary folder with ten years of made-up money and network records —
3,000 cost entries (bills, EOB lines matching many of them, Good Faith Estimates, HSA money,
supplemental claims), 300 providers, 2,000 network checks over two plans, and 50 cases whose
care teams are filled in — inserted in bulk (set-up, not what is measured; the cases go through
CaseService so that they get their default care teams). Then it times the reads the GUI and the
CLI make. Every figure is the median of several runs after one warm-up, in milliseconds.
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

TODAY = dt.date(2026, 11, 27)
YEARS = 10
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


def _day(rnd: random.Random, latest: dt.date = TODAY) -> dt.date:
    return latest - dt.timedelta(days=rnd.randrange(365 * YEARS))


def generate(profile: Any, costs: int, providers: int, checks: int, cases: int) -> None:
    """The records to measure, mostly inserted in bulk."""
    from sqlalchemy import insert, select

    from backlog_app.domain.cases import CaseData, Procedure
    from backlog_app.domain.records import PlanData, PlanType
    from backlog_app.storage.models import (
        CareTeamMember,
        CostEntry,
        NetworkVerification,
        Provider,
    )

    rnd = random.Random(6)
    plan = profile.plans.add(
        PlanData(
            "Buckeye Mutual Health",
            PlanType.EMPLOYER_PPO,
            "Choice PPO 1500",
            plan_year_start=dt.date(TODAY.year, 1, 1),
            deductible_cents=150_000,
            out_of_pocket_max_cents=600_000,
            coverage_start=TODAY - dt.timedelta(days=365 * YEARS),
        )
    )
    supplemental = profile.plans.add(
        PlanData("Guardian Shield", PlanType.HOSPITAL_INDEMNITY, priority=2)
    )
    roles = ("spine_surgeon", "anesthesiology", "radiology", "pathology", "surgery_center")
    with profile.database.write() as session:
        session.execute(
            insert(Provider),
            [{"name": f"Provider {n:03}", "role": roles[n % len(roles)]} for n in range(providers)],
        )
    with profile.database.read() as session:
        provider_ids = list(session.scalars(select(Provider.id)))

    procedures = (
        Procedure.MICRODISCECTOMY,
        Procedure.LUMBAR_FUSION,
        Procedure.EPIDURAL_STEROID_INJECTION,
    )
    case_ids = [
        profile.cases.add(
            CaseData(
                procedures[n % len(procedures)],
                plan_id=plan,
                requesting_provider_id=rnd.choice(provider_ids),
                facility_id=rnd.choice(provider_ids),
                # a third are booked ahead: their checklists give due items
                scheduled_date=TODAY + dt.timedelta(days=rnd.randint(3, 60))
                if n % 3 == 0
                else None,
            )
        )
        for n in range(cases)
    ]
    with profile.database.write() as session:
        for row in session.scalars(select(CareTeamMember)):
            if row.provider_id is None and rnd.random() < 0.8:
                row.provider_id = rnd.choice(provider_ids)

    statuses = ("in_network", "in_network", "in_network", "out_of_network", "unknown")
    methods = ("call", "insurer_website", "provider_office")
    with profile.database.write() as session:
        session.execute(
            insert(NetworkVerification),
            [
                {
                    "provider_id": rnd.choice(provider_ids),
                    "plan_id": plan if rnd.random() < 0.9 else supplemental,
                    "status": rnd.choice(statuses),
                    "method": (method := rnd.choice(methods)),
                    "verified_on": _day(rnd),
                    "reference_number": f"MS-{n:05}" if method == "call" else None,
                }
                for n in range(checks)
            ],
        )
        session.execute(
            insert(CostEntry), _cost_rows(rnd, costs, provider_ids, case_ids, plan, supplemental)
        )


def _cost_rows(
    rnd: random.Random,
    count: int,
    provider_ids: list[int],
    case_ids: list[int],
    plan: int,
    supplemental: int,
) -> list[dict[str, Any]]:
    categories = ("surgery", "facility", "anesthesia", "imaging", "physical_therapy",
                  "medication", "office_visit", "injection", "equipment", "other")  # fmt: skip
    rows: list[dict[str, Any]] = []
    while len(rows) < count:
        provider, day = rnd.choice(provider_ids), _day(rnd, TODAY - dt.timedelta(days=30))
        billed = rnd.randint(50, 5_000) * 100
        allowed = billed * rnd.randint(30, 80) // 100
        patient = allowed * rnd.randint(0, 30) // 100
        common = {
            "provider_id": provider,
            "case_id": rnd.choice(case_ids) if rnd.random() < 0.2 else None,
            "plan_id": plan,
            "service_date": day,
            "category": rnd.choice(categories),
            "status": rnd.choice(("billed", "paid", "paid")),
            "is_adjustment": False,
        }
        roll = rnd.random()
        if roll < 0.05:  # a Good Faith Estimate, and the bill for it (a fifth of them $400+ over)
            over = 50_000 if rnd.random() < 0.2 else 0
            rows.append({**common, "kind": "good_faith_estimate", "plan_id": None,
                         "bill_date": day - dt.timedelta(days=7), "billed_cents": billed,
                         "eob_denied": False})  # fmt: skip
            rows.append({**common, "kind": "bill", "plan_id": None,
                         "bill_date": day + dt.timedelta(days=20), "billed_cents": billed + over,
                         "patient_cents": billed + over, "eob_denied": False})  # fmt: skip
        elif roll < 0.12:
            kind = rnd.choice(("hsa_contribution", "hsa_payment"))
            rows.append({**common, "kind": kind, "provider_id": None, "plan_id": None,
                         "billed_cents": billed // 10, "eob_denied": False})  # fmt: skip
        elif roll < 0.15:
            rows.append({**common, "kind": "supplemental_claim", "plan_id": supplemental,
                         "expected_cents": 20_000, "received_cents": rnd.choice((0, 20_000)),
                         "eob_denied": False})  # fmt: skip
        else:  # an EOB line, and most of the time the provider's bill for the same service
            denied = rnd.random() < 0.03
            rows.append({**common, "kind": "eob_line", "bill_date": day + dt.timedelta(days=14),
                         "billed_cents": billed, "allowed_cents": None if denied else allowed,
                         "plan_paid_cents": 0 if denied else allowed - patient,
                         "patient_cents": billed if denied else patient,
                         "eob_denied": denied})  # fmt: skip
            if rnd.random() < 0.6:
                rows.append({**common, "kind": "bill", "bill_date": day + dt.timedelta(days=21),
                             "billed_cents": billed, "patient_cents": patient,
                             "eob_denied": False})  # fmt: skip
    return rows[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the records (a smoke run)")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    sizes = {"costs": 3_000 // scale, "providers": 300 // scale, "checks": 2_000 // scale,
             "cases": max(5, 50 // scale)}  # fmt: skip

    from backlog_app.services.context import open_profile
    from backlog_app.services.due import everything_due

    with tempfile.TemporaryDirectory(prefix="backlog-costs-bench-") as folder:
        profile = open_profile(Path(folder) / "profile", create=True, clock=lambda: TODAY)
        try:
            started = time.perf_counter()
            generate(profile, **sizes)
            made = time.perf_counter() - started
            case_id = profile.cases.list()[0].id
            provider_id = profile.providers.list()[0].id
            print(f"Python {sys.version.split()[0]}; medians of {RUNS} runs after a warm-up, in ms")
            print(
                f"{profile.costs.count():,} cost entries, {profile.providers.count():,} providers, "
                f"{profile.network.count():,} checks, {profile.cases.count()} cases with "
                f"{profile.network.team_count()} care-team rows (made in {made:.1f} s); "
                f"{len(profile.costs.flags())} flags, {len(everything_due(profile))} due items"
            )
            measures: list[tuple[str, Callable[[], Any]]] = [
                ("CostService.overview()", profile.costs.overview),
                ("CostService.flags()", profile.costs.flags),
                ("CostService.costs() (the table alone)", profile.costs.costs),
                ("NetworkService.checklists()", profile.network.checklists),
                ("NetworkService.checklist(one case)", lambda: profile.network.checklist(case_id)),
                ("NetworkService.due_items()", profile.network.due_items),
                ("NetworkService.network_summary()", profile.network.network_summary),
                ("NetworkService.provider_network(one)",
                 lambda: profile.network.provider_network(provider_id)),
                ("everything_due(profile)", lambda: everything_due(profile)),
            ]  # fmt: skip
            width = max(len(name) for name, _ in measures)
            for name, function in measures:
                print(f"  {name.ljust(width)}  {_timed(function):8.1f}")
        finally:
            profile.close()


if __name__ == "__main__":
    main()
