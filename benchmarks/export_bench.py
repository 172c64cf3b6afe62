"""Packet export speed and memory on ten years of records and 200 scanned pages, against the floor.

Run it with the project's Python:  .venv/bin/python benchmarks/export_bench.py [--quick] [--check]
See benchmarks/README.md for what it measures and how to read the result.

It makes a profile in a temporary folder (ten years of daily check-ins, treatments, medication
trials, costs and network checks, three coverage cases with their timelines and calls, and about
200 scanned pages imported through the document importer), then runs each measure in a child
process of its own so that each peak memory figure is that work's alone:

- **export**: ``export_packet`` of the whole record, every document attached;
- **bare merge**: pikepdf putting the same attachment pages into one PDF (PDF pages as they are,
  JPEGs passed through, PNGs deflated), nothing scaled, stamped or numbered;
- **bare ReportLab**: ``draw_body_sections``, the same tables and chart;
- **floor**: the same imports and an open profile, no work;
- **GUI heartbeat**: the export on the ``JobRunner``'s worker thread while a 10 ms ``QTimer``
  ticks on the GUI thread; the longest gap between ticks is the longest the window froze.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import itertools
import json
import os
import platform
import random
import resource
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

# The benchmarks folder is not a package: the generators of the other benchmarks are reused.
from costs_bench import generate as generate_costs
from log_bench import TODAY
from log_bench import generate as generate_log
from vault_bench import make_scans

SCANNED_PAGES = 200
CREATED = dt.datetime(2026, 11, 27, 12, 0)  # fixed, so two runs write the same bytes
PNG_EVERY = 5  # every fifth single-page scan is a PNG (half the resolution: a phone's scan app)

# Targets from issue #7.
TARGET_TIME_RATIO = 3.0
TARGET_MEMORY_RATIO = 2.0
TARGET_STALL_MS = 100.0

_KINDS = (
    "clinical_note", "imaging_report", "pt_note", "eob", "bill", "denial_letter",
    "correspondence", "referral", "lab_result", "prescription",
)  # fmt: skip


# -- the profile --------------------------------------------------------------------------------


def build_profile(root: Path, scans: Path, pages: int) -> dict[str, Any]:
    """Ten years of records and ``pages`` scanned pages; returns what was made, for the report."""
    from backlog_app.domain.documents import DocumentData, DocumentKind
    from backlog_app.domain.records import PatientData
    from backlog_app.services.context import open_profile

    paths = as_some_png(make_scans(scans, pages))
    rnd = random.Random(17)
    with open_profile(root, create=True, clock=lambda: TODAY) as profile:
        profile.patient.save(
            PatientData("Maria Alvarez", dt.date(1974, 7, 27), phone="614-555-0100")
        )
        generate_log(profile)  # 3,650 check-ins, 2,000 treatments, 50 trials, 10 PT courses
        generate_costs(profile, costs=600, providers=40, checks=150, cases=3)
        plan = profile.plans.list()[0]
        profile.plans.update(
            plan.id,
            _replace(
                plan.data,
                member_id="BMH-448210937",
                appeals_address="Appeals Department\nPO Box 1200\nColumbus, OH 43216",
                appeals_fax="614-555-0199",
            ),
        )
        add_timelines(profile, rnd)
        for number, path in enumerate(paths):
            kind = DocumentKind(_KINDS[number % len(_KINDS)])
            day = TODAY - dt.timedelta(days=rnd.randrange(3650))
            profile.importer.add(path, DocumentData(kind, f"Scan {number + 1:03d}", day))
        counts = {
            "check-ins": profile.log.check_ins.count(),
            "treatments": profile.log.treatments.count(),
            "medication trials": profile.log.medications.count(),
            "costs": profile.costs.count(),
            "cases": profile.cases.count(),
            "calls": profile.calls.count(),
            "documents": profile.documents.count(),
        }
    return {
        "counts": counts,
        "files": len(paths),
        "bytes": sum(path.stat().st_size for path in paths),
        "pngs": sum(path.suffix == ".png" for path in paths),
    }


def _replace(data: Any, **changes: Any) -> Any:
    import dataclasses

    return dataclasses.replace(data, **changes)


def as_some_png(paths: list[Path]) -> list[Path]:
    """Every ``PNG_EVERY``-th single-page JPEG scan re-saved as a PNG at half the resolution."""
    from PIL import Image

    result = []
    singles = itertools.count()
    for path in paths:
        if path.suffix == ".jpg" and next(singles) % PNG_EVERY == PNG_EVERY - 1:
            with Image.open(path) as image:
                half = image.resize((image.width // 2, image.height // 2))
            png = path.with_suffix(".png")
            half.save(png, "PNG", dpi=(150, 150))
            path.unlink()
            path = png
        result.append(path)
    return result


def add_timelines(profile: Any, rnd: random.Random) -> None:
    """A denial, a peer-to-peer and an appeal on each case, with calls about them."""
    from backlog_app.domain.cases import (
        CallData,
        CallDirection,
        CaseEventData,
        DenialReason,
        EventType,
        Outcome,
    )

    for row in profile.cases.list():
        start = TODAY - dt.timedelta(days=rnd.randint(40, 400))
        steps: list[tuple[EventType, int, dict[str, Any]]] = [
            (EventType.REQUEST_SUBMITTED, 0, {}),
            (EventType.DENIED, 6, {"reason": DenialReason.NOT_MEDICALLY_NECESSARY}),
            (EventType.P2P_REQUESTED, 8, {}),
            (EventType.P2P_HELD, 12, {"outcome": Outcome.DENIED}),
            (EventType.APPEAL_FILED, 20, {"level": 1}),
        ]
        for event_type, offset, fields in steps:
            day = start + dt.timedelta(days=offset)
            profile.cases.add_event(CaseEventData(row.id, event_type, day, **fields))
        for call in range(8):
            when = dt.datetime.combine(start + dt.timedelta(days=call * 4), dt.time(9, 30))
            profile.calls.add(
                CallData(
                    when,
                    CallDirection.OUTGOING,
                    "Buckeye Mutual Health",
                    case_id=row.id,
                    reference_number=f"REF-{row.id}-{call}",
                )
            )


# -- the children: each measure in a process of its own ---------------------------------------


def peak_mb() -> float:
    """This process's peak resident memory so far, in MiB.

    On Linux, ``VmHWM`` of this process's own memory: ``ru_maxrss`` would also count the parent's
    memory at the moment it started this child (the kernel keeps it across fork and exec).
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def child(mode: str, root: Path, out: Path) -> dict[str, Any]:
    """One measure; every child imports the same modules and opens the profile first."""
    if mode == "build":  # ``out`` is the folder for the scans
        out.mkdir()
        return build_profile(root, out, int(os.environ["EXPORT_BENCH_PAGES"]))
    import pikepdf  # noqa: F401 - part of the floor every child pays
    from PIL import Image  # noqa: F401

    from backlog_app.services.context import open_profile
    from backlog_app.services.packet.assemble import export_packet
    from backlog_app.services.packet.request import PacketRequest
    from backlog_app.services.packet.sections import draw_body_sections
    from backlog_app.services.progress import Progress

    request = PacketRequest(created=CREATED)
    with open_profile(root, create=False, clock=lambda: TODAY) as profile:
        figures: dict[str, Any] = {"floor_mb": peak_mb()}
        started = time.perf_counter()
        if mode == "export":
            result = export_packet(profile, request, out)
            figures.update(pages=result.page_count, bytes=result.size_bytes)
        elif mode == "merge":
            figures.update(bare_merge(profile, out))
        elif mode == "render":
            body = draw_body_sections(profile, request, Progress())
            figures["pages"] = sum(drawn.page_count for drawn in body.drawn)
            figures["bytes"] = sum(len(drawn.pdf) for drawn in body.drawn)
        elif mode == "heartbeat":
            figures.update(heartbeat(profile, request, out))
        elif mode != "floor":
            raise SystemExit(f"unknown mode {mode}")
        figures["seconds"] = time.perf_counter() - started
    figures["peak_mb"] = peak_mb()
    return figures


def bare_merge(profile: Any, out: Path) -> dict[str, Any]:
    """The floor for the attachments: the same pages in one PDF with nothing else done."""
    import pikepdf
    from PIL import Image

    from backlog_app.domain.documents import FileType
    from backlog_app.services.packet.documents import attachment_sources, chosen_document_ids

    sources = attachment_sources(profile, chosen_document_ids(profile, None, None, None, None))
    merged = pikepdf.new()
    opened = []
    for source in sources:
        if source.original is None:
            continue
        # Through the vault, as the export reads them (decrypted in an encrypted profile).
        stored = source.original.read_bytes()
        if source.file_type is FileType.PDF:
            original = pikepdf.open(io.BytesIO(stored), password=source.password or "")
            opened.append(original)  # its pages are read when the merged file is saved
            merged.pages.extend(original.pages)
            continue
        with Image.open(io.BytesIO(stored)) as image:
            dpi = float(image.info.get("dpi", (200, 200))[0]) or 200.0
            width, height, mode = image.width, image.height, image.mode
            parameters = None
            passed = png_pixels(stored) if image.format == "PNG" else None
            if image.format == "JPEG" and mode in ("L", "RGB"):
                data, codec = stored, pikepdf.Name.DCTDecode
            elif passed is not None:  # PNG's compressed rows as they are, as img2pdf does
                data, codec = passed, pikepdf.Name.FlateDecode
                parameters = pikepdf.Dictionary(
                    Predictor=15, Colors=1 if mode == "L" else 3, BitsPerComponent=8, Columns=width
                )
            else:
                pixels = image.convert("L" if mode in ("1", "L", "LA") else "RGB")
                data, codec, mode = (
                    zlib.compress(pixels.tobytes()),
                    pikepdf.Name.FlateDecode,
                    pixels.mode,
                )
        picture = pikepdf.Stream(merged, data)
        picture.Type, picture.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        picture.Width, picture.Height, picture.BitsPerComponent = width, height, 8
        picture.ColorSpace = pikepdf.Name.DeviceGray if mode == "L" else pikepdf.Name.DeviceRGB
        picture.Filter = codec
        if parameters is not None:
            picture.DecodeParms = parameters
        page_w, page_h = width / dpi * 72, height / dpi * 72
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, page_w, page_h],
            Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=picture)),
            Contents=merged.make_stream(
                f"q {page_w:.2f} 0 0 {page_h:.2f} 0 0 cm /Im0 Do Q".encode()
            ),
        )
        merged.pages.append(pikepdf.Page(merged.make_indirect(page)))
    merged.save(out, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    pages = len(merged.pages)
    for original in opened:
        original.close()
    merged.close()
    return {"pages": pages, "bytes": out.stat().st_size}


def png_pixels(data: bytes) -> bytes | None:
    """The compressed rows of an 8-bit, non-interlaced gray or RGB PNG (its IDAT chunks), which a
    PDF reads as they are with the PNG predictor; None for any other PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    position, chunks, header = 8, [], (0, 0, 0)
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">BBxxB", body[8:13])  # bit depth, colour type, interlace
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind == b"IEND":
            break
        position += 12 + length
    depth, colour, interlaced = header
    if depth != 8 or colour not in (0, 2) or interlaced:
        return None
    return b"".join(chunks)


def heartbeat(profile: Any, request: Any, out: Path) -> dict[str, Any]:
    """The export on the JobRunner's worker while a 10 ms timer ticks on the GUI thread."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from backlog_app.services.packet.assemble import export_packet
    from backlog_app.ui.jobs import JobRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = QWidget()
    window.resize(800, 600)
    window.show()
    failures: list[BaseException] = []
    runner = JobRunner(window, failures.append, failures.append)
    ticks: list[float] = []
    worker: list[int] = []  # the worker thread's id, once the job runs
    # Where the worker was at the tick before each long gap and at the tick that ended it: the
    # call that kept the GUI thread waiting (holding the GIL) is between the two.
    where: list[str] = ["", ""]
    stalls: list[tuple[float, str, str]] = []

    def tick() -> None:
        now = time.perf_counter()
        frame = sys._current_frames().get(worker[0]) if worker else None
        where[:] = [where[1], _stack(frame)]
        if ticks and (now - ticks[-1]) * 1000 > 50:
            stalls.append(((now - ticks[-1]) * 1000, where[0], where[1]))
        ticks.append(now)

    def job(progress: Any) -> Any:
        worker.append(threading.get_ident())
        return export_packet(profile, request, out, progress)

    collections: list[float] = []  # garbage collections, ms: they hold the GIL throughout
    started_gc: list[float] = [0.0]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started_gc[0] = time.perf_counter()
        else:
            collections.append((time.perf_counter() - started_gc[0]) * 1000)

    gc.callbacks.append(on_gc)
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    loop = QEventLoop()
    timer.start()
    handle = runner.run("Exporting the packet…", job)
    handle.finished.connect(loop.quit)
    if not handle.done:
        loop.exec()
    timer.stop()
    gc.callbacks.remove(on_gc)
    window.close()
    app.processEvents()
    if failures:
        raise SystemExit(f"the export failed: {failures[0]!r}")
    gaps = [(later - earlier) * 1000 for earlier, later in itertools.pairwise(ticks)]
    return {
        "longest_ms": max(gaps, default=float("nan")),
        "ticks": len(ticks),
        "over_50_ms": sum(gap > 50 for gap in gaps),
        "stalls": sorted(stalls, reverse=True)[:5],
        "gc_count": len(collections),
        "gc_longest_ms": max(collections, default=0.0),
    }


def _stack(frame: Any) -> str:
    """The innermost few frames of BackLog's code (and the library call it made), for a report."""
    names: list[str] = []
    while frame is not None and len(names) < 3:
        code = frame.f_code
        name = f"{Path(code.co_filename).stem}.{code.co_name}:{frame.f_lineno}"
        if "backlog_app" in code.co_filename or not names:
            names.append(name)
        frame = frame.f_back
    return " < ".join(names)


def run_child(mode: str, root: Path, out: Path, env: dict[str, str]) -> dict[str, Any]:
    print(f"  {mode}…", flush=True)
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(root), str(out)],
        env=env,
        capture_output=True,
        text=True,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"the {mode} child failed:\n{done.stdout}\n{done.stderr}")
    figures: dict[str, Any] = json.loads(lines[-1].removeprefix("RESULT "))
    return figures


# -- report --------------------------------------------------------------------------------------


def report(made: dict[str, Any], runs: dict[str, list[dict[str, Any]]]) -> bool:
    ok = True

    def seconds(mode: str) -> float:
        return float(statistics.median(run["seconds"] for run in runs[mode]))

    def peak(mode: str) -> float:
        return float(max(run["peak_mb"] for run in runs[mode]))

    def line(name: str, value: str, target: str = "", over: bool = False) -> None:
        nonlocal ok
        ok = ok and not over
        print(f"{name:46} {value:>28} {target:>9}{'  OVER' if over else ''}")

    counts = ", ".join(f"{count:,} {name}" for name, count in made["counts"].items())
    print(f"\nProfile: {counts}.")
    print(
        f"Scans: {made['files']} files ({made['pngs']} PNG), "
        f"{made['bytes'] / 2**20:,.1f} MB; profile made in {made['build_s']:.0f} s.\n"
    )
    export, merge, render = runs["export"][0], runs["merge"][0], runs["render"][0]
    line("measure", "result", "target")
    print("-" * 86)
    line(
        "packet pages: all / ours / attached",
        f"{export['pages']} / {export['pages'] - merge['pages']} / {merge['pages']}",
    )
    line("packet size", f"{export['bytes'] / 2**20:,.1f} MB")
    line("bare merge size", f"{merge['bytes'] / 2**20:,.1f} MB")
    line("export_packet", f"{seconds('export'):.1f} s")
    line("bare merge (pikepdf)", f"{seconds('merge'):.1f} s")
    line(f"bare ReportLab ({render['pages']} pages of tables)", f"{seconds('render'):.1f} s")
    ratio = seconds("export") / (seconds("merge") + seconds("render"))
    line("export / (merge + ReportLab)", f"{ratio:.2f}×", f"≤ {TARGET_TIME_RATIO:g}×",
         ratio > TARGET_TIME_RATIO)  # fmt: skip
    floor = statistics.median(run["peak_mb"] for run in runs["floor"])
    for mode, name in (("export", "export"), ("merge", "bare merge"), ("render", "ReportLab")):
        line(f"peak memory: {name}", f"{peak(mode):,.0f} MB (+{peak(mode) - floor:,.0f})")
    line("peak memory: floor (imports, open profile)", f"{floor:,.0f} MB")
    memory = peak("export") / peak("merge")
    line("export / bare merge peak", f"{memory:.2f}×", f"≤ {TARGET_MEMORY_RATIO:g}×",
         memory > TARGET_MEMORY_RATIO)  # fmt: skip
    above = (peak("export") - floor) / max(peak("merge") - floor, 1)
    line("    the same above the floor", f"{above:.2f}×")
    beat = runs["heartbeat"]
    longest = max(run["longest_ms"] for run in beat)
    line("longest GUI stall during the export", f"{longest:.0f} ms", f"≤ {TARGET_STALL_MS:g} ms",
         longest > TARGET_STALL_MS)  # fmt: skip
    line("    ticks / gaps over 50 ms",
         f"{beat[0]['ticks']} / {sum(run['over_50_ms'] for run in beat)}")  # fmt: skip
    line("    export on the JobRunner", f"{statistics.median(r['seconds'] for r in beat):.1f} s")
    line(
        "    garbage collections / longest",
        f"{beat[0]['gc_count']} / {beat[0]['gc_longest_ms']:.0f} ms",
    )
    for gap, before, after in beat[0]["stalls"][:3]:
        print(f"    {gap:.0f} ms: worker at {before or '?'}\n{'':>16}then at {after or '?'}")
    import pikepdf
    import reportlab  # type: ignore[import-untyped]

    print(
        f"\nPython {platform.python_version()}, pikepdf {pikepdf.__version__} "
        f"(qpdf {pikepdf.__libqpdf_version__}), ReportLab {reportlab.Version}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 scanned pages instead of 200")
    parser.add_argument("--pages", type=int, help="how many scanned pages (default 200)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each measure (default 1)")
    parser.add_argument("--keep", type=Path, metavar="FILE.pdf", help="keep the packet here")
    parser.add_argument(
        "--reuse",
        type=Path,
        metavar="DIR",
        help="make the profile in DIR once and reuse it on later runs (saves ~2 minutes)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--child", nargs=3, metavar=("MODE", "PROFILE", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.child:
        mode, root, out = args.child
        print("RESULT " + json.dumps(child(mode, Path(root), Path(out))), flush=True)
        return 0
    pages = args.pages or (40 if args.quick else SCANNED_PAGES)

    with tempfile.TemporaryDirectory(prefix="backlog-export-bench-") as folder:
        base = Path(folder)
        # Never touch the user's own settings or profiles; run without a display if there is none.
        env = dict(os.environ, BACKLOG_CONFIG_DIR=str(base / "config"))
        if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
            env["QT_QPA_PLATFORM"] = "offscreen"
        home = args.reuse or base
        made = profile_in(home, pages, env)
        runs: dict[str, list[dict[str, Any]]] = {}
        for _ in range(args.runs):  # each run: every measure once, in the same order
            for mode in ("floor", "merge", "render", "export", "heartbeat"):
                out = base / f"{mode}.pdf"
                runs.setdefault(mode, []).append(run_child(mode, home / "profile", out, env))
        if args.keep:
            shutil.copyfile(base / "export.pdf", args.keep)
        ok = report(made, runs)
    return 0 if ok or not args.check else 1


def profile_in(home: Path, pages: int, env: dict[str, str]) -> dict[str, Any]:
    """The profile in ``home``: made now, or the one a run with ``--reuse`` made before."""
    facts = home / "made.json"
    if facts.exists():
        made: dict[str, Any] = json.loads(facts.read_text())
        if made["pages"] != pages:
            raise SystemExit(f"{home} holds a profile with {made['pages']} scanned pages")
        print(f"Reusing the profile in {home}.", flush=True)
        return made
    home.mkdir(parents=True, exist_ok=True)
    env["EXPORT_BENCH_PAGES"] = str(pages)
    print(f"Making the profile: ten years of records, {pages} scanned pages…", flush=True)
    started = time.perf_counter()
    # In a child too, so that this process stays small while it starts the others.
    made = run_child("build", home / "profile", home / "scans", env)
    shutil.rmtree(home / "scans")  # the vault keeps its own copies
    made.update(pages=pages, build_s=time.perf_counter() - started)
    facts.write_text(json.dumps(made))
    return made


if __name__ == "__main__":
    raise SystemExit(main())
