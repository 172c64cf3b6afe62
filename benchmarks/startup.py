"""Startup time: process start to first shown main window, BackLog beside a bare PySide6 window.

Run it with the project's Python:  .venv/bin/python benchmarks/startup.py [--runs N] [--check]
See benchmarks/README.md for what it measures and how to read the result.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

TARGET_RATIO = 1.5
RUN_TIMEOUT_S = 120.0

# Modules that are slow to import and that a first window should not need. The BackLog child
# reports which of them were loaded when its window was shown.
WATCHED_MODULES = (
    "reportlab",
    "jsonschema",
    "alembic",
    "mako",
    "sqlalchemy",
    "PIL",
    "numpy",
    "pypdf",
    "fitz",
    "PySide6.QtSvg",
    "PySide6.QtPrintSupport",
    "PySide6.QtPdf",
)

BARE_CHILD = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1100, 720)
window.show()
QTimer.singleShot(0, lambda: (print("SHOWN", flush=True), app.quit()))
app.exec()
"""

# SHOWN: the main window is on screen and the event loop runs. READY: the profile's records are in
# it (BackLog opens the profile in the background after showing the window, and says so with
# MainWindow.profile_attached; without that signal READY is the same moment as SHOWN).
BACKLOG_CHILD = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from backlog_app.ui.app import build_gui

watched = sys.argv[2].split(",")
gui = build_gui(Path(sys.argv[1]))
if gui is None or gui.main_window is None:
    print("NO WINDOW", flush=True)
    raise SystemExit(3)
marks = set()

def mark(name):
    if name in marks:
        return
    marks.add(name)
    print(name, flush=True)
    loaded = [module for module in watched if module in sys.modules]
    print(f"MODULES_{name} " + " ".join(loaded), flush=True)
    if {"SHOWN", "READY"} <= marks:
        gui.app.quit()

attached = getattr(gui.main_window, "profile_attached", None)
if attached is not None:
    attached.connect(lambda: QTimer.singleShot(0, lambda: mark("READY")))
QTimer.singleShot(0, lambda: mark("SHOWN"))
if attached is None:
    QTimer.singleShot(0, lambda: mark("READY"))
gui.app.exec()
gui.close()
"""


@dataclass
class Run:
    """One child process: seconds from Popen to each marker line, and the modules it had loaded.

    Args:
        marks: seconds from just before Popen to each line ("SHOWN", "READY") the child printed.
        modules: for each marker, the watched modules loaded at that moment.
    """

    marks: dict[str, float]
    modules: dict[str, list[str]]


def child_env(config_dir: Path) -> dict[str, str]:
    """The environment for every child: private settings, offscreen Qt without a display."""
    env = dict(os.environ)
    env["BACKLOG_CONFIG_DIR"] = str(config_dir)
    env.pop("BACKLOG_PROFILE", None)
    # A user's Python writes .pyc files once and reuses them; measure that, not recompiling.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def make_demo_profile(folder: Path, env: dict[str, str]) -> None:
    """Create the demo profile with the real command line, as a user would."""
    result = subprocess.run(
        [sys.executable, "-m", "backlog_app", "--profile", str(folder), "demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"Could not create the demo profile:\n{result.stdout}{result.stderr}")


def time_child(args: list[str], env: dict[str, str], label: str, last_mark: str) -> Run:
    """Start one child and note when it prints each marker; stop timing at ``last_mark``."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # A child stuck in a dialog would block the read below forever: kill it after a while.
    watchdog = threading.Timer(RUN_TIMEOUT_S, process.kill)
    watchdog.start()
    assert process.stdout is not None
    marks: dict[str, float] = {}
    modules: dict[str, list[str]] = {}
    try:
        for line in process.stdout:
            word, _, rest = line.strip().partition(" ")
            if word.startswith("MODULES_"):
                modules[word.removeprefix("MODULES_")] = rest.split()
            elif word in ("SHOWN", "READY"):
                marks[word] = time.perf_counter() - start
        # Read to the end rather than stopping at last_mark: communicate() reads the pipe
        # directly and would miss lines already buffered here (the MODULES_ line after READY).
        output, errors = process.communicate()
    finally:
        watchdog.cancel()
    if last_mark not in marks or process.returncode != 0:
        sys.exit(
            f"The {label} child failed (exit {process.returncode}) before or after showing "
            f"its window.\n{output}{errors}"
        )
    for line in output.splitlines():
        word, _, rest = line.partition(" ")
        if word.startswith("MODULES_"):
            modules[word.removeprefix("MODULES_")] = rest.split()
    return Run(marks, modules)


def pyside_version() -> str:
    try:
        from importlib.metadata import version

        return version("PySide6-Essentials")
    except Exception:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time BackLog's startup beside a bare PySide6 window."
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each kind (default 5)")
    parser.add_argument(
        "--check",
        action="store_true",
        help=f"exit 1 when the ratio of medians is above {TARGET_RATIO}",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    with tempfile.TemporaryDirectory(prefix="backlog-bench-") as temp:
        env = child_env(Path(temp) / "config")
        profile = Path(temp) / "demo-profile"
        print("Creating a demo profile…", flush=True)
        make_demo_profile(profile, env)

        bare_args = ["-c", BARE_CHILD]
        backlog_args = ["-c", BACKLOG_CHILD, str(profile), ",".join(WATCHED_MODULES)]
        # One untimed run of each first, so that both start with warm disk caches and .pyc files.
        time_child(bare_args, env, "bare PySide6", "SHOWN")
        time_child(backlog_args, env, "BackLog", "READY")

        bare: list[float] = []
        shown: list[float] = []
        ready: list[float] = []
        modules: dict[str, list[str]] = {}
        for index in range(args.runs):
            # Alternate which goes first, so that drift on the machine hits both alike.
            order = ("bare", "backlog") if index % 2 == 0 else ("backlog", "bare")
            for kind in order:
                if kind == "bare":
                    bare.append(time_child(bare_args, env, "bare PySide6", "SHOWN").marks["SHOWN"])
                else:
                    run = time_child(backlog_args, env, "BackLog", "READY")
                    shown.append(run.marks["SHOWN"])
                    ready.append(run.marks["READY"])
                    modules = run.modules
            print(
                f"  run {index + 1}/{args.runs}: bare {bare[-1]:.3f} s, BackLog window "
                f"{shown[-1]:.3f} s, records {ready[-1]:.3f} s",
                flush=True,
            )

    ratio = statistics.median(shown) / statistics.median(bare)
    ready_ratio = statistics.median(ready) / statistics.median(bare)
    print()
    print(
        f"Startup, {args.runs} runs each (Python {platform.python_version()}, "
        f"PySide6 {pyside_version()}, Qt platform {env.get('QT_QPA_PLATFORM', 'default')}):"
    )
    print(f"  {'':34}{'median':>9}{'min':>9}")
    for label, times in (
        ("bare PySide6 window shown", bare),
        ("BackLog main window shown", shown),
        ("BackLog records shown", ready),
    ):
        print(f"  {label:34}{statistics.median(times):8.3f}s{min(times):8.3f}s")
    verdict = "within target" if ratio <= TARGET_RATIO else "OVER TARGET"
    print(f"  ratio of medians, window shown:   {ratio:.2f}× (target ≤ {TARGET_RATIO}×: {verdict})")
    print(f"  ratio of medians, records shown:  {ready_ratio:.2f}×")
    for mark in ("SHOWN", "READY"):
        loaded = ", ".join(modules.get(mark, [])) or "none"
        print(f"  watched modules loaded in BackLog at {mark}: {loaded}")
    print(f"  (watched: {', '.join(WATCHED_MODULES)})")
    return 1 if args.check and ratio > TARGET_RATIO else 0


if __name__ == "__main__":
    sys.exit(main())
