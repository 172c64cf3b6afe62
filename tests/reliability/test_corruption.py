"""Corruption: bytes flipped in copies of a closed profile's database and vault files.

For each flip, ``backlog check`` must exit 1 and say what is wrong, and opening the profile
through the services must either work or refuse with a plain message (a UserError), never fail
any other way. The counts (injected, detected, and by which check) are printed (``pytest -s``)
and, with ``BACKLOG_CORRUPTION_REPORT=FILE``, written to FILE as JSON for the release note.

CI runs 40 database and 40 vault flips from a fixed seed; ``BACKLOG_CORRUPTION_FLIPS=N`` and
``BACKLOG_CORRUPTION_SEED=S`` run more, or others.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from backlog_app.cli import main
from backlog_app.errors import UserError
from backlog_app.services.context import open_profile
from backlog_app.services.database_check import check_database
from backlog_app.storage.profile import ProfilePaths
from backlog_app.storage.seal import seal_database
from backlog_app.storage.vault import Vault
from tests.conftest import fixed_clock

FLIPS = int(os.environ.get("BACKLOG_CORRUPTION_FLIPS", "40"))
SEED = int(os.environ.get("BACKLOG_CORRUPTION_SEED", "20261127"))
REPORT_ENV = "BACKLOG_CORRUPTION_REPORT"

# The counts of the last run in this process, for a caller that imports this module.
COUNTS: dict[str, Counter[str]] = {}


@dataclass(frozen=True)
class Flip:
    """One byte to change: where, what it is (for the report), and the XOR mask."""

    path: str  # relative to the profile folder
    offset: int
    where: str
    mask: int


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, demo_database: Path) -> Path:
    """A closed, sealed demo profile with thumbnails and a few free pages; `backlog check` ok."""
    root = tmp_path_factory.mktemp("corruption") / "template"
    root.mkdir()
    shutil.copyfile(demo_database, root / "backlog.sqlite3")
    shutil.copytree(demo_database.parent / "vault", root / "vault")
    assert main(["check", "--repair", "--profile", str(root)]) == 0  # draws the thumbnails
    # Free pages, so that flips also land on the freelist (a table written and dropped).
    with sqlite3.connect(root / "backlog.sqlite3") as connection:
        connection.execute("CREATE TABLE scratch (blob BLOB)")
        connection.executemany("INSERT INTO scratch VALUES (?)", [(bytes(3000),)] * 12)
        connection.execute("DROP TABLE scratch")
    connection.close()
    assert freelist_pages(root / "backlog.sqlite3")
    assert seal_database(ProfilePaths(root))
    return root


def freelist_pages(database: Path) -> list[int]:
    """The page numbers (1-based) of the freelist's trunk and leaf pages."""
    data = database.read_bytes()
    page_size = int.from_bytes(data[16:18], "big")
    pages: list[int] = []
    trunk = int.from_bytes(data[32:36], "big")
    while trunk:
        start = (trunk - 1) * page_size
        pages.append(trunk)
        count = int.from_bytes(data[start + 4 : start + 8], "big")
        for leaf in range(count):
            at = start + 8 + 4 * leaf
            pages.append(int.from_bytes(data[at : at + 4], "big"))
        trunk = int.from_bytes(data[start : start + 4], "big")
    return pages


def database_flips(root: Path, rnd: random.Random, count: int) -> list[Flip]:
    """File header fields, page headers, free pages, then positions spread over the whole file."""
    database = root / "backlog.sqlite3"
    data = database.read_bytes()
    page_size = int.from_bytes(data[16:18], "big")
    pages = len(data) // page_size
    free = freelist_pages(database)
    chosen: list[tuple[int, str]] = [(offset, "file header") for offset in (18, 28, 40, 56, 97)]
    for page in rnd.sample(range(2, pages + 1), 5):
        chosen.append(((page - 1) * page_size + rnd.randrange(8), "page header"))
    for page in rnd.sample(free, min(5, len(free))):
        chosen.append(((page - 1) * page_size + rnd.randrange(page_size), "free page"))
    chosen = chosen[:count]
    rest = count - len(chosen)
    for slot in range(rest):  # one position in each of `rest` equal stretches of the file
        low, high = len(data) * slot // rest, len(data) * (slot + 1) // rest
        chosen.append((rnd.randrange(low, max(low + 1, high)), "anywhere"))
    return [
        Flip("backlog.sqlite3", offset, where, rnd.randrange(1, 256)) for offset, where in chosen
    ]


def vault_flips(root: Path, rnd: random.Random, count: int) -> list[Flip]:
    """Each vault file in turn: its first byte, its last byte, then anywhere in it."""
    files = [entry.path for entry in Vault(root / "vault").entries()]
    assert files
    flips = []
    for number in range(count):
        path = files[number % len(files)]
        size = path.stat().st_size
        rounds = number // len(files)
        offset, where = (
            (0, "first byte")
            if rounds == 0
            else (size - 1, "last byte")
            if rounds == 1
            else (rnd.randrange(size), "anywhere")
        )
        relative = path.relative_to(root).as_posix()
        flips.append(Flip(relative, offset, where, rnd.randrange(1, 256)))
    return flips


def damaged_copy(template: Path, folder: Path, flip: Flip) -> Path:
    copy = folder / "copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(template, copy)
    target = copy / flip.path
    target.chmod(0o644)  # vault files are stored read-only
    data = bytearray(target.read_bytes())
    data[flip.offset] ^= flip.mask
    target.write_bytes(bytes(data))
    return copy


def open_outcome(root: Path) -> str:
    """'opened' or 'refused'; anything else than a UserError is a failure, returned by name."""
    try:
        open_profile(root, create=False, clock=fixed_clock).close()
    except UserError:
        return "refused"
    except Exception as exc:
        return f"crashed: {exc.__class__.__name__}: {exc}"
    return "opened"


def run_flips(
    template: Path, folder: Path, flips: list[Flip], capsys: pytest.CaptureFixture[str], kind: str
) -> tuple[Counter[str], list[str]]:
    counts: Counter[str] = Counter()
    failures: list[str] = []
    for flip in flips:
        copy = damaged_copy(template, folder, flip)
        counts["injected"] += 1
        if kind == "database":  # which check would have caught it without the seal
            sqlite_report = check_database(ProfilePaths(copy), seal=False)
            counts["sqlite checks"] += not sqlite_report.ok
        capsys.readouterr()
        code = main(["check", "--profile", str(copy)])
        out, err = capsys.readouterr()
        said = out + err
        named = (
            "database" in said
            if kind == "database"
            else "Damaged: the file of" in said or "Missing: the file of" in said
        )
        if code == 1 and named:
            counts["detected"] += 1
            counts["by the seal"] += "changed since BackLog last closed it" in said
        else:
            failures.append(f"{flip} not detected (exit {code}): {said.strip()!r}")
        outcome = open_outcome(copy)
        counts[outcome if not outcome.startswith("crashed") else "crashed"] += 1
        if outcome.startswith("crashed"):
            failures.append(f"{flip}: opening {outcome}")
    shutil.rmtree(folder / "copy", ignore_errors=True)
    return counts, failures


def report(kind: str, counts: Counter[str]) -> None:
    COUNTS[kind] = counts
    line = (
        f"corruption ({kind}): {counts['injected']} byte flips injected, "
        f"{counts['detected']} detected by `backlog check`"
    )
    if kind == "database":
        line += (
            f" ({counts['by the seal']} reported by the seal; SQLite's own checks alone would "
            f"find {counts['sqlite checks']})"
        )
    line += f"; opening: {counts['opened']} opened, {counts['refused']} refused with a message"
    line += f", {counts['crashed']} failed otherwise"
    print(line)
    target = os.environ.get(REPORT_ENV)
    if target:
        path = Path(target)
        existing = json.loads(path.read_text()) if path.exists() else {}
        existing[kind] = dict(counts) | {"seed": SEED}
        path.write_text(json.dumps(existing, indent=2))


def test_the_template_is_in_order(template: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(template, copy)
    assert main(["check", "--profile", str(copy)]) == 0


def test_every_flipped_database_byte_is_detected(
    template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flips = database_flips(template, random.Random(SEED), FLIPS)
    counts, failures = run_flips(template, tmp_path, flips, capsys, "database")
    with capsys.disabled():
        report("database", counts)
    assert failures == []
    assert counts["detected"] == counts["injected"] == FLIPS


def test_every_flipped_vault_byte_is_detected(
    template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flips = vault_flips(template, random.Random(SEED + 1), FLIPS)
    counts, failures = run_flips(template, tmp_path, flips, capsys, "vault")
    with capsys.disabled():
        report("vault", counts)
    assert failures == []
    assert counts["detected"] == counts["injected"] == FLIPS
