"""Document vault speed: importing scans, searching 2,000 documents, the GUI during an import.

Run it with the project's Python:  .venv/bin/python benchmarks/vault_bench.py [--quick] [--check]
See benchmarks/README.md for what it measures and how to read the result.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import os
import platform
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TODAY = dt.date(2026, 11, 27)
PAGE_SIZE = (2480, 3508)  # A4 at 300 dpi, as a scanner makes it
CHUNK = 1024 * 1024
SEARCH_DOCUMENTS = 2000
SEARCH_RUNS = 7

# Targets from issue #4.
TARGET_IMPORT_RATIO = 1.5
TARGET_SEARCH_MS = 50.0
TARGET_GAP_MS = 100.0

QUERIES = (
    "denied",
    "MRI lumbar",
    "explanation of benefits",
    "physical therapy discharge",
    "L4-L5 extrusion",
    "appeal deadline",
    "Okafor",
    "gabapentin",
    "back pain",
    "prior authorization epidural",
)


@dataclass
class Figures:
    """Everything measured, for the report."""

    pages: int = 0
    files: int = 0
    total_bytes: int = 0
    generate_s: float = 0.0
    baseline_s: list[float] = field(default_factory=list)
    import_s: float = 0.0
    import_added: int = 0
    search_ms: dict[str, list[float]] = field(default_factory=dict)
    bare_search_ms: list[float] = field(default_factory=list)
    search_setup_s: float = 0.0
    heartbeat_gaps_ms: list[float] = field(default_factory=list)
    heartbeat_import_s: float = 0.0
    thumbnails_s: float | None = None
    thumbnails_made: int = 0
    ocr_pages: int = 0
    ocr_s: float | None = None
    ocr_note: str = ""


# -- the scans ----------------------------------------------------------------------------------

_LINES = (
    "Patient: Maria Alvarez    DOB 07/27/1974    Member ID BMH-448210937",
    "Re: request for prior authorization, lumbar epidural steroid injection L4-L5",
    "The patient reports low back pain radiating to the left leg since the injury.",
    "Physical therapy twice a week for eight weeks did not relieve the leg pain.",
    "MRI of the lumbar spine shows a left paracentral disc extrusion at L4-L5.",
    "Gabapentin 300 mg three times a day gives partial relief of the nerve pain.",
    "This is not a bill. Amount billed, network savings, deductible, coinsurance.",
    "You have the right to appeal this decision within 180 days of this notice.",
    "Assessment: left L5 radiculopathy; plan to continue the home exercise program.",
)


def make_scans(folder: Path, pages: int, seed: int = 7) -> list[Path]:
    """About ``pages`` scanned A4 pages, ~0.75 MB each: 60% single JPEG pages, the rest in PDFs.

    Pages are drawn from a few text layouts plus paper noise cut from one large noise sheet at
    a different place for each page, so every page (and every file) is different.
    """
    from PIL import Image, ImageChops, ImageDraw, ImageFont

    rng = random.Random(seed)
    width, height = PAGE_SIZE
    font = ImageFont.load_default(size=38)
    layouts = []
    for layout in range(5):
        sheet = Image.new("L", PAGE_SIZE, 236)
        draw = ImageDraw.Draw(sheet)
        draw.text(
            (250, 220),
            f"Scanned document {layout + 1}",
            font=ImageFont.load_default(size=64),
            fill=30,
        )
        y = 420
        for line in range(30 + layout * 2):
            text = _LINES[(line + layout) % len(_LINES)]
            draw.text((250, y), text[: 40 + (line * 11) % 40], font=font, fill=45)
            y += 90
        layouts.append(sheet)
    # Paper grain: a noise sheet twice the page size, smoothed; each page takes another window.
    grain = Image.frombytes("L", (width, height), rng.randbytes(width * height))
    grain = grain.resize((width * 2, height * 2), Image.Resampling.BILINEAR)
    grain = grain.point(lambda v: 126 + v * 5 // 255)

    def page(number: int) -> Any:
        left, top = rng.randrange(width), rng.randrange(height)
        noise = grain.crop((left, top, left + width, top + height))
        return ImageChops.add(layouts[number % len(layouts)], noise, scale=1.0, offset=-128)

    paths: list[Path] = []
    number = 0
    jpeg_pages = pages * 6 // 10
    while number < jpeg_pages:
        image = page(number)
        if number % 4 == 3:  # a colour scanner's setting: the same page as yellowish RGB
            image = Image.merge("RGB", (image, image, image.point(lambda v: v * 94 // 100)))
        path = folder / f"scan-{number + 1:03d}.jpg"
        image.save(path, "JPEG", quality=85, dpi=(300, 300))
        paths.append(path)
        number += 1
    while number < pages:
        count = min(rng.choice((2, 3, 4, 5, 8)), pages - number)
        images = [page(number + n) for n in range(count)]
        path = folder / f"scan-{number + 1:03d}-{number + count:03d}.pdf"
        images[0].save(
            path, "PDF", save_all=True, append_images=images[1:], resolution=300, quality=85
        )
        paths.append(path)
        number += count
    return paths


# -- (a) the floor: copy and hash -----------------------------------------------------------------


def copy_and_hash(paths: list[Path], target: Path) -> float:
    """Seconds to copy each file into ``target`` while hashing it, flushed to disk, renamed."""
    target.mkdir()
    started = time.perf_counter()
    for path in paths:
        digest = hashlib.sha256()
        partial = target / f".{path.name}.partial"
        with path.open("rb") as reader, partial.open("xb") as writer:
            while chunk := reader.read(CHUNK):
                digest.update(chunk)
                writer.write(chunk)
            writer.flush()
            os.fsync(writer.fileno())
        partial.replace(target / f"{digest.hexdigest()}{path.suffix}")
    return time.perf_counter() - started


# -- (b) the import ------------------------------------------------------------------------------


def import_files(root: Path, paths: list[Path]) -> tuple[float, int]:
    from backlog_app.services.context import open_profile

    with open_profile(root, create=True, clock=lambda: TODAY) as profile:
        started = time.perf_counter()
        report = profile.importer.add_files(paths)
        elapsed = time.perf_counter() - started
        if report.problems:
            raise SystemExit("import refused files: " + "; ".join(report.problems[:3]))
        return elapsed, len(report.added)


# -- (c) search ----------------------------------------------------------------------------------

# What each kind of document talks about; the rest of its words are everyday filler.
_PHRASES = {
    "imaging_report": "MRI lumbar spine without contrast findings impression disc extrusion "
    "protrusion L4-L5 L5-S1 nerve root lateral recess stenosis facet arthropathy radiologist",
    "eob": "explanation of benefits this is not a bill amount billed allowed network savings "
    "deductible coinsurance copay plan paid claim number you may owe",
    "denial_letter": "adverse benefit determination denied not medically necessary clinical "
    "policy criteria appeal deadline within 180 days external review peer-to-peer",
    "pt_note": "physical therapy evaluation discharge goals met not met home exercise program "
    "walking tolerance core strength visits plan of care",
    "referral": "referral specialist consultation reason for referral spine surgeon evaluate "
    "conservative care failed",
    "clinical_note": "office visit history examination assessment plan back pain sciatica "
    "gabapentin naproxen follow-up weeks",
    "prior_auth_request": "prior authorization request epidural steroid injection "
    "transforaminal CPT 64483 ICD-10 M51.16 medical necessity",
    "bill": "statement balance due amount please pay account number patient responsibility",
}
_SHARED = "patient Maria Alvarez back pain left leg date of birth provider NPI insurance member"
_NAMES = ("Okafor", "Whitfield", "Raman", "Brooks", "Marsh", "Lindqvist", "Reyes")


def _filler(rng: random.Random, size: int = 20000) -> tuple[list[str], list[float]]:
    """A made-up vocabulary with English-like word frequencies (Zipf), and its weights."""
    syllables = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"]
    words = sorted({"".join(rng.choices(syllables, k=rng.randint(1, 4))) for _ in range(size)})
    rng.shuffle(words)
    weights = list(itertools.accumulate(1 / (rank + 1) ** 1.05 for rank in range(len(words))))
    return words, weights


def fill_search_profile(profile: Any, count: int, seed: int = 11) -> None:
    """``count`` documents with 300–1,200 words each, indexed by the service's own code.

    Each document is of one kind and uses that kind's terms and the shared ones (so "back pain"
    matches most documents, "denied" about one in eight) among everyday words with natural
    frequencies.
    """
    from backlog_app.services.documents import reindex
    from backlog_app.storage.models import Document, DocumentTag, DocumentText

    rng = random.Random(seed)
    words, weights = _filler(rng)
    kinds = list(_PHRASES)
    with profile.database.write() as session:
        for number in range(count):
            kind = rng.choice(kinds)
            own = (_PHRASES[kind] + " " + _SHARED + " " + rng.choice(_NAMES)).split()
            size = rng.randint(300, 1200)
            body = rng.choices(words, cum_weights=weights, k=size)
            for index in rng.sample(range(size), k=min(size, len(own) * 2)):
                body[index] = rng.choice(own)
            row = Document(
                sha256=secrets.token_hex(32),
                file_type="pdf",
                original_name=f"scan-{number}.pdf",
                size_bytes=rng.randint(50_000, 3_000_000),
                page_count=rng.randint(1, 6),
                kind=kind,
                title=f"{kind.replace('_', ' ').capitalize()} {rng.choice(_NAMES)} {number}",
                document_date=TODAY - dt.timedelta(days=rng.randrange(5 * 365)),
                notes=rng.choice((None, "call the plan", "send with the appeal", "copy to PCP")),
                text_status="embedded",
            )
            session.add(row)
            session.flush()
            tag = rng.choice(("lumbar", "2026", "appeal"))
            session.add(DocumentTag(document_id=row.id, tag=tag, position=0))
            session.add(DocumentText(document_id=row.id, body=" ".join(body)))
            reindex(session, row)


def measure_search(profile: Any, figures: Figures) -> None:
    from backlog_app.services.documents import DocumentFilter
    from backlog_app.storage import search_index

    for query in QUERIES:
        profile.documents.list(DocumentFilter(text=query))  # warm-up
        times = []
        for _ in range(SEARCH_RUNS):
            started = time.perf_counter()
            profile.documents.list(DocumentFilter(text=query))
            times.append((time.perf_counter() - started) * 1000)
        figures.search_ms[query] = times
        with profile.database.read() as session:
            started = time.perf_counter()
            search_index.search(session, query)
            figures.bare_search_ms.append((time.perf_counter() - started) * 1000)


# -- (d) the GUI thread during an import ---------------------------------------------------------


def heartbeat_during_import(root: Path, paths: list[Path], figures: Figures) -> None:
    """A 10 ms timer on the GUI thread while the import runs on the JobRunner's worker."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from backlog_app.services.context import open_profile
    from backlog_app.ui.jobs import JobRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = QWidget()
    window.resize(800, 600)
    window.show()
    failures: list[BaseException] = []
    runner = JobRunner(window, failures.append, failures.append)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    with open_profile(root, create=True, clock=lambda: TODAY) as profile:
        loop = QEventLoop()
        timer.start()
        started = time.perf_counter()
        handle = runner.run(
            "Adding documents…",
            lambda progress: profile.importer.add_files(paths, progress=progress),
        )
        handle.finished.connect(loop.quit)
        if not handle.done:
            loop.exec()
        figures.heartbeat_import_s = time.perf_counter() - started
        timer.stop()
    window.close()
    app.processEvents()
    if failures:
        raise SystemExit(f"the import failed: {failures[0]}")
    figures.heartbeat_gaps_ms = [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]


# -- (e) text and thumbnails in the background ----------------------------------------------------


def background_work(root: Path, figures: Figures, ocr_pages: int) -> None:
    from backlog_app.services.context import open_profile

    try:
        from backlog_app.services.document_text import TextReader, ocr_available
        from backlog_app.services.thumbnails import ensure_thumbnail
    except ImportError as exc:
        figures.ocr_note = f"services.document_text / services.thumbnails not available ({exc})"
        return
    with open_profile(root, create=False, clock=lambda: TODAY) as profile:
        ids = [row.info.id for row in profile.documents.list()]
        started = time.perf_counter()
        figures.thumbnails_made = sum(
            ensure_thumbnail(profile.documents, document_id) is not None for document_id in ids
        )
        figures.thumbnails_s = time.perf_counter() - started
        if not ocr_available():
            figures.ocr_note = "Tesseract is not installed: no text recognition measured"
            return
        # Single-page JPEG scans, a few of them: Tesseract takes seconds per page.
        singles = [
            row.info.id
            for row in profile.documents.list()
            if row.info.file.file_type.value == "jpeg"
        ][:ocr_pages]
        reader = TextReader(profile.documents)
        started = time.perf_counter()
        for document_id in singles:
            reader.read_one(document_id)
        figures.ocr_s = time.perf_counter() - started
        figures.ocr_pages = len(singles)


# -- report --------------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(figures: Figures) -> bool:
    ok = True
    megabytes = figures.total_bytes / (1024 * 1024)
    print(
        f"\nScans: {figures.pages} pages in {figures.files} files "
        f"({megabytes:,.1f} MB), made in {figures.generate_s:.1f} s.\n"
    )

    def line(name: str, value: str, target: str, over: bool) -> None:
        nonlocal ok
        ok = ok and not over
        print(f"{name:44} {value:>26} {target:>10}{'  OVER' if over else ''}")

    line("measure", "result", "target", False)
    print("-" * 82)
    baseline = min(figures.baseline_s)
    ratio = figures.import_s / baseline
    line(
        "(a) copy + SHA-256 + fsync (floor)",
        " / ".join(f"{s:.2f} s" for s in figures.baseline_s),
        "",
        False,
    )
    line("(b) DocumentImporter.add_files", f"{figures.import_s:.2f} s", "", False)
    line(
        "    ratio b / a (faster a)",
        f"{ratio:.2f}×",
        f"≤ {TARGET_IMPORT_RATIO}×",
        ratio > TARGET_IMPORT_RATIO,
    )
    line(
        "    throughput b",
        f"{megabytes / figures.import_s:,.0f} MB/s, {figures.import_added / figures.import_s:.0f} files/s",
        "",
        False,
    )
    every = [t for times in figures.search_ms.values() for t in times]
    median, p95 = statistics.median(every), percentile(every, 0.95)
    line(f"(c) search {SEARCH_DOCUMENTS:,} documents, median", f"{median:.1f} ms", "", False)
    line(
        "    p95 of all runs", f"{p95:.1f} ms", f"≤ {TARGET_SEARCH_MS:g} ms", p95 > TARGET_SEARCH_MS
    )
    line(
        "    bare FTS5 query, median",
        f"{statistics.median(figures.bare_search_ms):.1f} ms",
        "",
        False,
    )
    gaps = figures.heartbeat_gaps_ms
    longest = max(gaps) if gaps else float("nan")
    line(
        "(d) GUI heartbeat: longest gap",
        f"{longest:.0f} ms",
        f"≤ {TARGET_GAP_MS:g} ms",
        longest > TARGET_GAP_MS,
    )
    if gaps:
        line(
            "    ticks / gaps > 50 ms",
            f"{len(gaps) + 1} / {sum(g > 50 for g in gaps)}",
            "",
            False,
        )
    line("    import on the JobRunner", f"{figures.heartbeat_import_s:.2f} s", "", False)
    if figures.thumbnails_s is not None:
        per = figures.thumbnails_s / max(figures.thumbnails_made, 1) * 1000
        line(
            "(e) thumbnails, all files",
            f"{figures.thumbnails_s:.1f} s ({per:.0f} ms each)",
            "",
            False,
        )
    if figures.ocr_s is not None and figures.ocr_pages:
        per_page = figures.ocr_s / figures.ocr_pages
        line(
            f"    OCR of {figures.ocr_pages} scanned pages",
            f"{figures.ocr_s:.1f} s ({per_page:.1f} s/page)",
            "",
            False,
        )
        line(
            f"    so all {figures.pages} pages, about",
            f"{per_page * figures.pages / 60:.0f} min",
            "",
            False,
        )
    if figures.ocr_note:
        print(f"    {figures.ocr_note}")
    print("\nSearch per query (median of runs, ms): ")
    for query, times in figures.search_ms.items():
        print(f"  {query!r:34} {statistics.median(times):6.1f}")
    import PIL
    import PySide6
    import sqlalchemy

    print(
        f"\nPython {platform.python_version()}, PySide6 {PySide6.__version__}, "
        f"SQLAlchemy {sqlalchemy.__version__}, Pillow {PIL.__version__}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}, "
        f"QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM', '(default)')}"
    )
    return ok


def timed(label: str, action: Callable[[], Any]) -> Any:
    print(f"{label}…", flush=True)
    return action()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="40 pages instead of 200 (~30 s)")
    parser.add_argument("--pages", type=int, help="how many scanned pages (default 200)")
    parser.add_argument("--ocr-pages", type=int, default=3, help="pages to OCR (default 3)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    pages = args.pages or (40 if args.quick else 200)

    with tempfile.TemporaryDirectory(prefix="backlog-vault-bench-") as folder:
        base = Path(folder)
        # Never touch the user's own settings or profiles; run without a display if there is none.
        os.environ["BACKLOG_CONFIG_DIR"] = str(base / "config")
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        figures = Figures(pages=pages)
        scans = base / "scans"
        scans.mkdir()
        started = time.perf_counter()
        paths = timed(f"Making {pages} scanned pages", lambda: make_scans(scans, pages))
        figures.generate_s = time.perf_counter() - started
        figures.files = len(paths)
        figures.total_bytes = sum(path.stat().st_size for path in paths)

        figures.baseline_s.append(
            timed("(a) copy + hash", lambda: copy_and_hash(paths, base / "copy-1"))
        )
        figures.import_s, figures.import_added = timed(
            "(b) import", lambda: import_files(base / "profile-b", paths)
        )
        figures.baseline_s.append(
            timed("(a) copy + hash again", lambda: copy_and_hash(paths, base / "copy-2"))
        )
        timed("(d) heartbeat", lambda: heartbeat_during_import(base / "profile-d", paths, figures))

        from backlog_app.services.context import open_profile

        with open_profile(base / "profile-c", create=True, clock=lambda: TODAY) as profile:
            started = time.perf_counter()
            timed(
                f"(c) {SEARCH_DOCUMENTS:,} documents",
                lambda: fill_search_profile(profile, SEARCH_DOCUMENTS),
            )
            figures.search_setup_s = time.perf_counter() - started
            timed("(c) search", lambda: measure_search(profile, figures))
        timed(
            "(e) thumbnails and text",
            lambda: background_work(base / "profile-b", figures, args.ocr_pages),
        )
        ok = report(figures)
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    raise SystemExit(main())
