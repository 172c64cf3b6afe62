"""Treatment-log speed on ten years of data: first rows, text filter, trend chart and summary.

Run it with the project's Python:  .venv/bin/python benchmarks/log_bench.py [--runs N] [--check]
See benchmarks/README.md for what it measures and how to read the result.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TODAY = dt.date(2026, 11, 27)
YEARS = 10
CHECK_INS = 3650
TREATMENTS = 2000
MEDICATIONS = 50
CHART_SIZE = (900, 300)
TABLE_SIZE = (900, 420)

# Targets from issue #3, in milliseconds.
TARGETS_MS = {
    "first_rows": 100.0,
    "text_filter": 50.0,
    "chart": 200.0,
    "summary": 100.0,
}

_NOTES = (
    "walked the dog",
    "bad night, woke up twice",
    "long drive to work",
    "gardening, stiff afterwards",
    "stretches in the morning",
    "sat through a long meeting",
)
_TREATMENT_KINDS = (
    "physical_therapy",
    "chiropractic",
    "acupuncture",
    "massage",
    "primary_care_visit",
    "spine_specialist_visit",
    "pain_management_visit",
    "mri",
    "xray",
    "epidural_steroid_injection",
)
_MEDICATION_NAMES = (
    "Naproxen",
    "Ibuprofen",
    "Cyclobenzaprine",
    "Gabapentin",
    "Pregabalin",
    "Duloxetine",
    "Meloxicam",
    "Tizanidine",
    "Tramadol",
    "Celecoxib",
)


@dataclass
class Measure:
    name: str
    ours: list[float]
    baseline: list[float] | None
    target_ms: float | None
    note: str = ""


def generate(profile: Any, seed: int = 3) -> None:
    """Ten years of made-up log data, inserted in bulk (test set-up, not the code measured)."""
    from sqlalchemy import insert

    from backlog_app.storage.models import CheckIn, Medication, TherapyCourse, Treatment

    rnd = random.Random(seed)
    first = TODAY - dt.timedelta(days=CHECK_INS - 1)
    check_ins = []
    for n in range(CHECK_INS):
        day = first + dt.timedelta(days=n)
        wave = 5.5 + 2.5 * math.sin(n / 180) + rnd.gauss(0, 1.1)
        pain = max(0, min(10, round(wave)))
        check_ins.append(
            {
                "day": day,
                "pain_now": pain,
                "pain_average": pain,
                "pain_worst": min(10, pain + rnd.randint(0, 3)),
                "peg_enjoyment": max(0, min(10, pain + rnd.randint(-2, 2))),
                "peg_activity": max(0, min(10, pain + rnd.randint(-2, 2))),
                "sleep_hours": round(rnd.uniform(4, 8), 1),
                "work_status": "working",
                "notes": rnd.choice(_NOTES) if rnd.random() < 0.4 else None,
            }
        )
    treatments = [
        {
            "kind": rnd.choice(_TREATMENT_KINDS),
            "day": first + dt.timedelta(days=rnd.randrange(CHECK_INS)),
            "result": rnd.choice(("improving", "no change", "some relief", None)),
            "notes": rnd.choice(("core exercises", "manual therapy", "heat and TENS", None)),
        }
        for _ in range(TREATMENTS)
    ]
    medications = []
    for n in range(MEDICATIONS):
        start = first + dt.timedelta(days=rnd.randrange(CHECK_INS - 30))
        stop = start + dt.timedelta(days=rnd.randint(14, 200))
        medications.append(
            {
                "name": _MEDICATION_NAMES[n % len(_MEDICATION_NAMES)],
                "strength": rnd.choice(("10 mg", "300 mg", "500 mg")),
                "frequency": "twice a day",
                "as_needed": False,
                "start_date": start,
                "stop_date": stop if stop < TODAY else None,
                "outcome": "no_effect" if stop < TODAY else None,
                "reason_stopped": "did not help" if stop < TODAY else None,
            }
        )
    courses = [
        {
            "kind": "physical_therapy",
            "start_date": first + dt.timedelta(days=365 * year + 30),
            "end_date": first + dt.timedelta(days=365 * year + 86),
            "planned_visits": 16,
        }
        for year in range(YEARS)
    ]
    with profile.database.write() as session:
        session.execute(insert(CheckIn), check_ins)
        session.execute(insert(Treatment), treatments)
        session.execute(insert(Medication), medications)
        session.execute(insert(TherapyCourse), courses)


def timed(action: Callable[[], Any], runs: int) -> list[float]:
    """Milliseconds per run, after one untimed warm-up run."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def measure_all(profile: Any, database: Path, runs: int) -> list[Measure]:
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QImage, QPainter, QPen, QPolygonF, QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView

    from backlog_app.services.log_view import LogFilter, count_entries, entries
    from backlog_app.services.trends import trend_data
    from backlog_app.ui.charts.trend_chart import TrendChart
    from backlog_app.ui.models.log_model import LogTableModel

    app = QApplication.instance()
    assert app is not None
    raw = sqlite3.connect(database)
    results: list[Measure] = []

    def show_table(model: Any) -> None:
        view = QTableView()
        view.setModel(model)
        view.resize(*TABLE_SIZE)
        view.show()
        view.grab()  # paints the visible rows
        view.close()
        view.deleteLater()
        app.processEvents()

    def first_rows() -> None:
        model = LogTableModel(
            lambda f: count_entries(profile, f),
            lambda f, offset, limit, sort: entries(profile, f, offset, limit, sort),
        )
        model.set_filter(LogFilter(until=TODAY))
        show_table(model)

    def bare_first_rows() -> None:
        rows = raw.execute(
            "SELECT day, pain_average, notes FROM check_in ORDER BY day DESC LIMIT 200"
        ).fetchall()
        model = QStandardItemModel(len(rows), 3)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                model.setItem(r, c, QStandardItem("" if value is None else str(value)))
        show_table(model)

    results.append(
        Measure(
            "Log table: first rows shown",
            timed(first_rows, runs),
            timed(bare_first_rows, runs),
            TARGETS_MS["first_rows"],
            "count + first 200 of 5,700 entries (UNION ALL), QTableView painted; "
            "bare: 200 check-ins by raw sqlite3 into a QStandardItemModel",
        )
    )

    model = LogTableModel(
        lambda f: count_entries(profile, f),
        lambda f, offset, limit, sort: entries(profile, f, offset, limit, sort),
    )
    model.set_filter(LogFilter(until=TODAY))
    words = iter(("walk", "drive", "garden", "stretch", "meeting", "night") * (runs + 2))

    def text_filter() -> None:
        model.set_filter(LogFilter(until=TODAY, text=next(words)))

    def bare_text_filter() -> None:
        pattern = f"%{next(words)}%"
        raw.execute("SELECT count(*) FROM check_in WHERE notes LIKE ?", (pattern,)).fetchone()
        raw.execute(
            "SELECT day, notes FROM check_in WHERE notes LIKE ? ORDER BY day DESC LIMIT 200",
            (pattern,),
        ).fetchall()

    results.append(
        Measure(
            "Text filter (count + first page)",
            timed(text_filter, runs),
            timed(bare_text_filter, runs),
            TARGETS_MS["text_filter"],
            "LIKE over notes, results, names and kinds of all four tables; "
            "bare: LIKE over check-in notes only",
        )
    )

    image = QImage(*CHART_SIZE, QImage.Format.Format_ARGB32_Premultiplied)

    def chart() -> None:
        widget = TrendChart()
        widget.resize(*CHART_SIZE)
        widget.set_data(trend_data(profile, None, TODAY))
        image.fill(Qt.GlobalColor.white)
        widget.render(image)
        widget.deleteLater()

    def bare_chart() -> None:
        pains = raw.execute("SELECT pain_average FROM check_in ORDER BY day").fetchall()
        width, height = CHART_SIZE
        step = width / max(len(pains), 1)
        polygon = QPolygonF(
            [QPointF(i * step, height - (p or 0) / 10 * height) for i, (p,) in enumerate(pains)]
        )
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        painter.setPen(QPen(Qt.GlobalColor.blue, 1))
        painter.drawPolyline(polygon)
        painter.end()

    results.append(
        Measure(
            "Ten-year trend chart drawn",
            timed(chart, runs),
            timed(bare_chart, runs),
            TARGETS_MS["chart"],
            "load scores, meds and courses, average by month, render into a QImage; "
            "bare: one polyline of 3,650 raw points",
        )
    )

    try:
        from backlog_app.services.summary import care_summary
    except ImportError:
        results.append(Measure("Ten-year care summary", [], None, None, "care_summary missing"))
    else:

        def bare_summary() -> None:
            raw.execute(
                "SELECT strftime('%Y-%m', day), avg(pain_average) FROM check_in GROUP BY 1"
            ).fetchall()
            raw.execute("SELECT kind, count(*), min(day), max(day) FROM treatment GROUP BY kind")
            raw.execute("SELECT * FROM medication").fetchall()

        results.append(
            Measure(
                "Ten-year care summary",
                timed(lambda: care_summary(profile, None, TODAY), runs),
                timed(bare_summary, runs),
                TARGETS_MS["summary"],
                "care_summary(): services load the log, the domain summarises it; "
                "bare: three aggregate SQL queries",
            )
        )
    raw.close()
    return results


def report(results: list[Measure], runs: int) -> bool:
    print(
        f"\nTen years: {CHECK_INS:,} check-ins, {TREATMENTS:,} treatments, "
        f"{MEDICATIONS} medications. Median of {runs} runs (min in brackets), milliseconds.\n"
    )
    header = f"{'measure':36} {'BackLog':>16} {'bare':>16} {'ratio':>7} {'target':>8}"
    print(header)
    print("-" * len(header))
    ok = True
    for m in results:
        if not m.ours:
            print(f"{m.name:36} {'skipped':>16}   ({m.note})")
            continue
        ours = statistics.median(m.ours)
        bare = statistics.median(m.baseline) if m.baseline else None
        ours_text = f"{ours:.1f} ({min(m.ours):.1f})"
        bare_text = f"{bare:.1f} ({min(m.baseline or [0]):.1f})" if bare is not None else "—"
        ratio = f"{ours / bare:.1f}×" if bare else "—"
        target = f"≤ {m.target_ms:g}" if m.target_ms else "—"
        over = m.target_ms is not None and ours > m.target_ms
        ok = ok and not over
        print(
            f"{m.name:36} {ours_text:>16} {bare_text:>16} {ratio:>7} {target:>8}"
            f"{'  OVER' if over else ''}"
        )
    print()
    for m in results:
        print(f"- {m.name}: {m.note}")
    import PySide6
    import sqlalchemy

    print(
        f"\nPython {platform.python_version()}, PySide6 {PySide6.__version__}, "
        f"SQLAlchemy {sqlalchemy.__version__}, SQLite {sqlite3.sqlite_version}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM', '(default)')}"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="timed runs per measure (default 7)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="backlog-log-bench-") as folder:
        base = Path(folder)
        # Never touch the user's own settings or profiles; run without a display if there is none.
        os.environ["BACKLOG_CONFIG_DIR"] = str(base / "config")
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QApplication

        from backlog_app.services.context import open_profile
        from backlog_app.ui.style import apply_style

        app = QApplication(sys.argv[:1])
        apply_style(app)
        profile = open_profile(base / "profile", create=True, clock=lambda: TODAY)
        try:
            started = time.perf_counter()
            generate(profile)
            print(f"Generated ten years of data in {time.perf_counter() - started:.2f} s.")
            results = measure_all(profile, profile.paths.database, args.runs)
        finally:
            profile.close()
        ok = report(results, args.runs)
        del app
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    raise SystemExit(main())
