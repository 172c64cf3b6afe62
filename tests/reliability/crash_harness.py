"""Kill a writing BackLog at random moments and check, after every restart, that nothing is lost.

One profile is used for all kills. Each round starts ``crash_child`` on it, reads its
``doing``/``ack`` lines, SIGKILLs it at a random (seeded) moment, and then opens the profile as
the app does (``open_profile``, whose start-up sweep tidies the vault) and checks:

- every acknowledged record is there with the acknowledged value (deleted ones stay deleted);
  only the one write that was in progress when the kill came may have gone either way;
- ``PRAGMA integrity_check`` and ``foreign_key_check`` are clean;
- every document row has its vault file (new ones hashed again), every vault file has a row
  (the sweep files strays into the trash as "Recovered file" documents: counted, allowed);
- no ``.partial`` file is left anywhere in the profile.

Used by ``test_crash_kills`` (50 kills in CI) and ``crash_run`` (the long run).
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, Protocol

from sqlalchemy import func, select, text

from backlog_app.domain.documents import FileType
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.storage.models import (
    CaseEvent,
    CheckIn,
    CostEntry,
    CoverageCase,
    Document,
    Medication,
    PhoneCall,
)
from tests.reliability import crash_child
from tests.reliability.crash_child import fixed_clock, record_value

REPO_ROOT = Path(__file__).resolve().parents[2]
DELETED = "<deleted>"
FIRST_ACK_TIMEOUT_S = 120.0


@dataclasses.dataclass
class Figures:
    """What a crash run found; ``ok`` when nothing was lost or broken."""

    kills: int = 0
    acks: int = 0
    records_lost: list[str] = dataclasses.field(default_factory=list)
    integrity_failures: list[str] = dataclasses.field(default_factory=list)
    rows_without_file: list[str] = dataclasses.field(default_factory=list)
    files_without_row: list[str] = dataclasses.field(default_factory=list)
    partials_left: list[str] = dataclasses.field(default_factory=list)
    strays_recovered: int = 0  # files the sweep put in the trash (a kill between copy and commit)
    in_doubt_committed: int = 0  # writes in progress at a kill that turned out committed
    records_checked: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not (
            self.records_lost
            or self.integrity_failures
            or self.rows_without_file
            or self.files_without_row
            or self.partials_left
        )

    def summary(self) -> str:
        return (
            f"kills {self.kills}, acks {self.acks}, records checked {self.records_checked}, "
            f"records lost {len(self.records_lost)}, integrity failures "
            f"{len(self.integrity_failures)}, rows without file {len(self.rows_without_file)}, "
            f"orphan files {len(self.files_without_row)}, partial files left "
            f"{len(self.partials_left)}, strays recovered by the sweep {self.strays_recovered}, "
            f"in-doubt writes committed {self.in_doubt_committed}, {self.seconds:.1f} s"
        )

    def problems(self) -> list[str]:
        return [
            *self.records_lost,
            *self.integrity_failures,
            *self.rows_without_file,
            *self.files_without_row,
            *self.partials_left,
        ]


@dataclasses.dataclass(frozen=True)
class Pending:
    """The write announced (``doing``) but not acknowledged when the child died."""

    kind: str
    record_id: int | None  # None: an add (its id was not known yet)
    value: str


class Child(Protocol):
    """A running crash child, however it was started."""

    pid: int

    @property
    def output(self) -> IO[bytes]: ...

    def poll(self) -> int | None: ...

    def wait(self) -> int: ...

    def errors(self) -> str: ...


Launcher = Callable[[Path, int, Path], Child]


class _SubprocessChild:
    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        self.pid = process.pid

    @property
    def output(self) -> IO[bytes]:
        assert self._process.stdout is not None
        return self._process.stdout

    def poll(self) -> int | None:
        return self._process.poll()

    def wait(self) -> int:
        return self._process.wait()

    def errors(self) -> str:
        assert self._process.stderr is not None
        with self._process.stderr as stream:
            return stream.read().decode(errors="replace")


def launch_subprocess(profile_dir: Path, seed: int, scratch: Path) -> Child:
    """``python -m tests.reliability.crash_child PROFILE SEED SCRATCH``, output piped.

    A fresh interpreter each time: the most faithful, and about 0.7 s of imports per kill.
    """
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), PYTHONUNBUFFERED="1")
    command = [sys.executable, "-m", "tests.reliability.crash_child"]
    process = subprocess.Popen(
        [*command, str(profile_dir), str(seed), str(scratch)],
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    return _SubprocessChild(process)


class _ForkedChild:
    def __init__(self, process: multiprocessing.process.BaseProcess, output: IO[bytes]) -> None:
        self._process = process
        self._output = output
        assert process.pid is not None
        self.pid = process.pid

    @property
    def output(self) -> IO[bytes]:
        return self._output

    def poll(self) -> int | None:
        return self._process.exitcode

    def wait(self) -> int:
        self._process.join()
        return self._process.exitcode or 0

    def errors(self) -> str:
        return "(its traceback, if any, is on this process's stderr)"


def launch_forked(profile_dir: Path, seed: int, scratch: Path) -> Child:
    """The same child forked from a server that has BackLog imported already (fast start).

    The fork server is single-threaded and has opened nothing of the profile, so each child
    starts as a fresh process would, without paying for the imports again.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests.reliability.crash_child"])
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(
        target=crash_child.run_on_connection, args=(profile_dir, seed, scratch, writer)
    )
    process.start()
    writer.close()
    output = os.fdopen(os.dup(reader.fileno()), "rb")
    reader.close()
    return _ForkedChild(process, output)


class CrashHarness:
    """Kills children writing to ``profile_dir`` and checks the profile after each kill.

    Args:
        profile_dir: the one profile all children write to (created by the first child).
        scratch: where children make the files they import (outside the profile).
        seed: makes the children's writes and the kill moments repeatable.
        alive_after_first_ack: the range, in seconds, a child lives after its first ack.
        early_kill_share: the share of kills aimed before the first ack (start-up, sweep).
        launcher: starts one child (tests may start it differently).
    """

    def __init__(
        self,
        profile_dir: Path,
        scratch: Path,
        seed: int = 0,
        *,
        alive_after_first_ack: tuple[float, float] = (0.3, 1.5),
        early_kill_share: float = 0.1,
        launcher: Launcher = launch_subprocess,
    ) -> None:
        self.profile_dir = profile_dir
        self.scratch = scratch
        self.rng = random.Random(seed)
        self.alive = alive_after_first_ack
        self.early_kill_share = early_kill_share
        self.launcher = launcher
        self.expected: dict[tuple[str, int], str] = {}
        self.hashed_documents: set[int] = set()  # documents whose file was hashed already
        self.figures = Figures()
        self._startup_seconds = 1.0  # start → first ack, measured; aims the early kills

    # -- one round -------------------------------------------------------------------------

    def run(self, kills: int, report: Callable[[int, Figures], None] | None = None) -> Figures:
        started = time.monotonic()
        for number in range(1, kills + 1):
            self.kill_once()
            self.figures.seconds = time.monotonic() - started
            if report is not None:
                report(number, self.figures)
        return self.figures

    def kill_once(self) -> None:
        child = self.launcher(self.profile_dir, self.rng.getrandbits(32), self.scratch)
        lines: list[str] = []
        first_ack = threading.Event()
        reader = threading.Thread(target=_read_lines, args=(child, lines, first_ack), daemon=True)
        launched = time.monotonic()
        reader.start()
        if self.rng.random() < self.early_kill_share:
            time.sleep(self.rng.uniform(0.0, self._startup_seconds))
        else:
            first_ack.wait(FIRST_ACK_TIMEOUT_S)
            self._startup_seconds = time.monotonic() - launched
            time.sleep(self.rng.uniform(*self.alive))
        died_by_itself = child.poll() is not None
        if not died_by_itself:
            os.kill(child.pid, signal.SIGKILL)
        child.wait()
        reader.join()
        if died_by_itself:
            raise AssertionError(f"the crash child stopped on its own:\n{child.errors()[-4000:]}")
        self.figures.kills += 1
        pending = self._apply(lines)
        self.check(pending)

    def _apply(self, lines: list[str]) -> Pending | None:
        """Take in the acknowledged writes; return the write in progress at the kill, if any."""
        pending: Pending | None = None
        for line in lines:
            words = line.split()
            if words[0] == "doing":
                announced = None if words[2] == "-" else int(words[2])
                pending = Pending(words[1], announced, words[3])
            elif words[0] == "ack":
                kind, acknowledged = words[1], int(words[2])
                if kind.startswith("delete-"):
                    self.expected[(kind.removeprefix("delete-"), acknowledged)] = DELETED
                else:
                    self.expected[(kind, acknowledged)] = words[3]
                self.figures.acks += 1
                pending = None
            elif words[0] == "refused":
                pending = None
        return pending

    # -- the checks after a kill -----------------------------------------------------------

    def check(self, pending: Pending | None) -> None:
        profile = open_profile(self.profile_dir, create=False, clock=fixed_clock)
        try:
            self._check_records(profile, pending)
            self._check_database(profile)
            self._check_vault(profile)
        finally:
            profile.close()
        self.figures.partials_left += [
            f"after kill {self.figures.kills}: {path.relative_to(self.profile_dir)} left"
            for path in self.profile_dir.rglob("*.partial")
        ]

    def _check_records(self, profile: ProfileSession, pending: Pending | None) -> None:
        stored = stored_values(profile)
        kill = self.figures.kills
        for (kind, record_id), want in self.expected.items():
            have = stored.get(kind, {}).get(record_id, DELETED)
            self.figures.records_checked += 1
            if have == want:
                continue
            if pending is not None and _explained_by(pending, kind, record_id, have):
                self.figures.in_doubt_committed += 1
                continue
            what = "came back after its deletion" if want == DELETED else f"is {have!r}"
            self.figures.records_lost.append(
                f"after kill {kill}: {kind} {record_id} {what}, acknowledged {want!r}"
            )
        # A committed in-doubt write becomes what the next check expects.
        if pending is not None and pending.record_id is not None:
            kind = pending.kind.removeprefix("delete-")
            self.expected[(kind, pending.record_id)] = stored.get(kind, {}).get(
                pending.record_id, DELETED
            )
        elif pending is not None:
            self.expected.update(
                ((pending.kind, record_id), value)
                for record_id, value in stored.get(pending.kind, {}).items()
                if value == pending.value
                and self.expected.get((pending.kind, record_id)) in (None, DELETED)
            )

    def _check_database(self, profile: ProfileSession) -> None:
        with profile.database.read() as session:
            integrity = [row[0] for row in session.execute(text("PRAGMA integrity_check"))]
            foreign = session.execute(text("PRAGMA foreign_key_check")).all()
        if integrity != ["ok"]:
            self.figures.integrity_failures.append(
                f"after kill {self.figures.kills}: integrity_check {integrity[:5]}"
            )
        if foreign:
            self.figures.integrity_failures.append(
                f"after kill {self.figures.kills}: foreign_key_check {len(foreign)} rows"
            )

    def _check_vault(self, profile: ProfileSession) -> None:
        vault = profile.documents.vault
        kill = self.figures.kills
        with profile.database.read() as session:
            rows = session.execute(select(Document.id, Document.sha256, Document.file_type)).all()
            self.figures.strays_recovered = (
                session.scalar(
                    select(func.count())
                    .select_from(Document)
                    .where(Document.title.like("Recovered file %"))
                )
                or 0
            )
        files = {(entry.sha256, entry.file_type) for entry in vault.entries()}
        known = {(sha, FileType(file_type)) for _, sha, file_type in rows}
        for document_id, sha, file_type in rows:
            kind = FileType(file_type)
            if (sha, kind) not in files:
                self.figures.rows_without_file.append(
                    f"after kill {kill}: document {document_id} has no file in the vault"
                )
            elif document_id not in self.hashed_documents:
                if not vault.verify(sha, kind):
                    self.figures.rows_without_file.append(
                        f"after kill {kill}: document {document_id}'s file is damaged"
                    )
                self.hashed_documents.add(document_id)
        self.figures.files_without_row += [
            f"after kill {kill}: vault file {sha}{kind.extension} has no record"
            for sha, kind in sorted(files - known)
        ]


def stored_values(profile: ProfileSession) -> dict[str, dict[int, str]]:
    """Every record the crash child writes, as ``record_value`` tokens, read in one pass."""
    values: dict[str, dict[int, str]] = {}
    with profile.database.read() as session:
        values["checkin"] = {
            row.id: record_value("checkin", row) for row in session.scalars(select(CheckIn))
        }
        models: tuple[tuple[str, Any], ...] = (
            ("medication", Medication),
            ("case", CoverageCase),
            ("event", CaseEvent),
            ("call", PhoneCall),
            ("cost", CostEntry),
        )
        for kind, model in models:
            values[kind] = {
                row.id: record_value(kind, row) for row in session.scalars(select(model))
            }
        values["doc"] = {
            document_id: sha256
            for document_id, sha256 in session.execute(select(Document.id, Document.sha256))
        }
    return values


def _explained_by(pending: Pending, kind: str, record_id: int, have: str) -> bool:
    """Whether the write in progress at the kill accounts for this difference."""
    if pending.kind == f"delete-{kind}" and pending.record_id == record_id:
        return have == DELETED
    if pending.kind != kind:
        return False
    if pending.record_id is None:  # an add that committed, on an id freed by a deletion
        return have == pending.value
    return pending.record_id == record_id and have == pending.value


def _read_lines(child: Child, lines: list[str], first_ack: threading.Event) -> None:
    """Collect complete lines until the child's output closes (a torn last line is dropped)."""
    for raw in child.output:
        if not raw.endswith(b"\n"):
            break
        line = raw.decode().strip()
        if line and line != "open":
            lines.append(line)
            if line.startswith("ack "):
                first_ack.set()
    child.output.close()
    first_ack.set()
