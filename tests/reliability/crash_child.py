"""The process the crash test kills: writes random records through the services, forever.

Run as ``python -m tests.reliability.crash_child PROFILE SEED [SCRATCH]``. It opens the profile
the way the app does (``open_profile``: lock, migrations, start-up sweep) and loops over random
writes: check-ins (new and changed), medications, cases and their events, calls, cost entries,
document imports of generated PDFs and JPEGs of varied sizes, and deletions.

Every write is announced on stdout before it starts and acknowledged after its service call
returned (so after its commit), one flushed line each:

    doing <kind> <id or -> <value>     the write about to happen (in doubt if the process dies)
    ack <kind> <id> <value>            the write is committed; it must survive any crash

``<value>`` is what the harness checks later (``record_value``); a deletion acknowledges
``ack delete-<kind> <id> -``. Files to import are made in SCRATCH (outside the profile), and
removed once imported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import random
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import select

from backlog_app.domain.cases import (
    CallData,
    CallDirection,
    CaseData,
    CaseEventData,
    EventType,
    Procedure,
)
from backlog_app.domain.costs import CostData, CostKind
from backlog_app.domain.documents import DocumentData, DocumentKind
from backlog_app.domain.log_records import CheckInData, MedicationData
from backlog_app.errors import UserError
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.services.document_import import DocumentImporter
from backlog_app.storage.file_inspect import inspect_pdf
from backlog_app.storage.models import (
    CheckIn,
    CostEntry,
    CoverageCase,
    Document,
    Medication,
)

# The profile's clock: fixed, so that every day the child picks is in the past.
TODAY = dt.date(2026, 11, 27)
FIRST_DAY = dt.date(2016, 1, 1)
KINDS = ("checkin", "medication", "case", "event", "call", "cost", "doc")


def fixed_clock() -> dt.date:
    return TODAY


def record_value(kind: str, data: Any) -> str:
    """The token the harness compares: what was written, as one word without spaces."""
    if kind == "checkin":
        # The service stores notes stripped, so the token is made from stripped notes.
        notes = hashlib.sha256((data.notes or "").strip().encode()).hexdigest()[:12]
        return f"{data.day.isoformat()}|{data.pain_now}|{notes}"
    if kind == "medication":
        return str(data.name).replace(" ", "_")
    if kind in ("case", "event", "call"):
        return str(data.reference_number)
    if kind == "cost":
        return str(data.billed_cents)
    raise ValueError(kind)


class Writer:
    """The random writes of one child run, over one open profile."""

    def __init__(self, profile: ProfileSession, rng: random.Random, scratch: Path, out: TextIO):
        self.profile = profile
        self.rng = rng
        self.scratch = scratch
        self.out = out
        # In-process PDF checks: the shared probe process would outlive a SIGKILL'd child.
        self.importer = DocumentImporter(profile.documents, pdf_inspector=inspect_pdf)
        with profile.database.read() as session:
            self.ids: dict[str, list[int]] = {
                "checkin": list(session.scalars(select(CheckIn.id))),
                "medication": list(session.scalars(select(Medication.id))),
                "case": list(session.scalars(select(CoverageCase.id))),
                "cost": list(session.scalars(select(CostEntry.id))),
                "doc": list(session.scalars(select(Document.id))),
            }
            self.used_days = set(session.scalars(select(CheckIn.day)))

    # -- the protocol ---------------------------------------------------------------------

    def say(self, *words: object) -> None:
        self.out.write(" ".join(str(word) for word in words) + "\n")
        self.out.flush()

    def token(self) -> str:
        return f"{self.rng.getrandbits(48):012x}"

    # -- one random step -------------------------------------------------------------------

    def step(self) -> None:
        actions: list[tuple[int, Callable[[], None]]] = [
            (30, self.add_check_in),
            (8, self.change_check_in),
            (6, self.add_medication),
            (4, self.add_case),
            (8, self.add_event),
            (8, self.add_call),
            (10, self.add_cost),
            (14, self.import_document),
            (4, self.delete_record),
            (3, self.delete_document),
        ]
        weights = [weight for weight, _ in actions]
        self.rng.choices([action for _, action in actions], weights)[0]()

    def add_check_in(self) -> None:
        day = self.free_day()
        if day is None:
            return
        data = CheckInData(day, pain_now=self.rng.randint(0, 10), notes=self.notes())
        self.say("doing checkin -", record_value("checkin", data))
        new_id = self.profile.log.check_ins.save(data)
        self.used_days.add(day)
        self.ids["checkin"].append(new_id)
        self.say("ack checkin", new_id, record_value("checkin", data))

    def change_check_in(self) -> None:
        if not self.ids["checkin"]:
            return
        check_in_id = self.rng.choice(self.ids["checkin"])
        old = self.profile.log.check_ins.get(check_in_id).data
        data = CheckInData(old.day, pain_now=self.rng.randint(0, 10), notes=self.notes())
        self.say("doing checkin", check_in_id, record_value("checkin", data))
        self.profile.log.check_ins.save(data, check_in_id)
        self.say("ack checkin", check_in_id, record_value("checkin", data))

    def add_medication(self) -> None:
        data = MedicationData(f"Medication {self.token()}", self.some_day(), "10 mg")
        self.say("doing medication -", record_value("medication", data))
        new_id = self.profile.log.medications.add(data)
        self.ids["medication"].append(new_id)
        self.say("ack medication", new_id, record_value("medication", data))

    def add_case(self) -> None:
        data = CaseData(Procedure.LUMBAR_MRI, reference_number=f"R{self.token()}")
        self.say("doing case -", record_value("case", data))
        new_id = self.profile.cases.add(data)
        self.ids["case"].append(new_id)
        self.say("ack case", new_id, record_value("case", data))

    def add_event(self) -> None:
        if not self.ids["case"]:
            return self.add_case()
        case_id = self.rng.choice(self.ids["case"])
        data = CaseEventData(
            case_id, EventType.REQUEST_SUBMITTED, self.some_day(), reference_number=self.token()
        )
        self.say("doing event -", record_value("event", data))
        new_id = self.profile.cases.add_event(data, confirmed=True)
        self.say("ack event", new_id, record_value("event", data))

    def add_call(self) -> None:
        called_at = dt.datetime.combine(self.some_day(), dt.time(self.rng.randint(8, 17), 30))
        data = CallData(
            called_at, CallDirection.OUTGOING, "Insurer", reference_number=f"C{self.token()}"
        )
        self.say("doing call -", record_value("call", data))
        new_id = self.profile.calls.add(data)
        self.say("ack call", new_id, record_value("call", data))

    def add_cost(self) -> None:
        data = CostData(
            CostKind.HSA_PAYMENT,
            service_date=self.some_day(),
            billed_cents=self.rng.randint(1, 10_000_000),
        )
        self.say("doing cost -", record_value("cost", data))
        new_id = self.profile.costs.add(data)
        self.ids["cost"].append(new_id)
        self.say("ack cost", new_id, record_value("cost", data))

    def import_document(self) -> None:
        path = self.make_file()
        data = DocumentData(DocumentKind.OTHER, title=f"Scan {self.token()}")
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        self.say("doing doc -", sha256)
        new_id = self.importer.add(path, data)
        self.ids["doc"].append(new_id)
        self.say("ack doc", new_id, sha256)
        path.unlink()

    def delete_record(self) -> None:
        kind = self.rng.choice(("checkin", "medication", "cost"))
        if not self.ids[kind]:
            return
        record_id = self.rng.choice(self.ids[kind])
        self.say(f"doing delete-{kind}", record_id, "-")
        if kind == "checkin":
            day = self.profile.log.check_ins.delete(record_id).data.day
            self.used_days.discard(day)
        elif kind == "medication":
            self.profile.log.medications.delete(record_id)
        else:
            self.profile.costs.delete(record_id)
        self.ids[kind].remove(record_id)
        self.say(f"ack delete-{kind}", record_id, "-")

    def delete_document(self) -> None:
        """Trash and remove for good: the record goes, then its file (a crash between: a stray)."""
        if not self.ids["doc"]:
            return
        document_id = self.rng.choice(self.ids["doc"])
        self.say("doing delete-doc", document_id, "-")
        self.profile.documents.trash(document_id)
        self.profile.documents.delete_forever(document_id)
        self.ids["doc"].remove(document_id)
        self.say("ack delete-doc", document_id, "-")

    # -- made-up data ----------------------------------------------------------------------

    def some_day(self) -> dt.date:
        return FIRST_DAY + dt.timedelta(days=self.rng.randint(0, (TODAY - FIRST_DAY).days))

    def free_day(self) -> dt.date | None:
        for _ in range(20):
            day = self.some_day()
            if day not in self.used_days:
                return day
        return None

    def notes(self) -> str:
        return f"note {self.token()} " * self.rng.randint(0, 40)

    def make_file(self) -> Path:
        """A PDF or JPEG of 1 KB to about 1 MB, unique (random bytes), made in the scratch folder."""
        size = int(2 ** self.rng.uniform(10, 20))
        if self.rng.random() < 0.5:
            return make_pdf(self.scratch / f"{self.token()}.pdf", size, self.rng)
        return make_jpeg(self.scratch / f"{self.token()}.jpg", size, self.rng)


def make_pdf(path: Path, size: int, rng: random.Random) -> Path:
    """A one-page PDF carrying ``size`` random bytes in an unused stream."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    pdf.Root.Filler = pikepdf.Stream(pdf, rng.randbytes(size))
    pdf.save(path)
    return path


def make_jpeg(path: Path, size: int, rng: random.Random) -> Path:
    """A noise JPEG of roughly ``size`` bytes (noise hardly compresses: ~1 byte a pixel)."""
    from PIL import Image

    side = max(16, int(size**0.5))
    picture = Image.frombytes("L", (side, side), rng.randbytes(side * side))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90)
    path.write_bytes(buffer.getvalue())
    return path


def run(profile_dir: Path, seed: int, scratch: Path, out: TextIO) -> None:
    """Open the profile and write until killed."""
    rng = random.Random(seed)
    scratch.mkdir(parents=True, exist_ok=True)
    profile = open_profile(profile_dir, create=True, clock=fixed_clock)
    out.write("open\n")
    out.flush()
    writer = Writer(profile, rng, scratch, out)
    while True:
        try:
            writer.step()
        except UserError as exc:  # a clash the random choice made (a day taken): not a crash
            writer.say("refused", type(exc).__name__)


def run_on_connection(profile_dir: Path, seed: int, scratch: Path, connection: Any) -> None:
    """``run`` in a process forked by the harness's fork server; lines go to ``connection``.

    The lines are written raw to the pipe (no message framing), exactly as on stdout.
    """
    out = os.fdopen(os.dup(connection.fileno()), "w", buffering=1)
    connection.close()
    run(profile_dir, seed, scratch, out)


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print("usage: python -m tests.reliability.crash_child PROFILE SEED [SCRATCH]")
        return 2
    scratch = Path(argv[2]) if len(argv) == 3 else Path(tempfile.mkdtemp(prefix="crash-files-"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    run(Path(argv[0]), int(argv[1]), scratch, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
