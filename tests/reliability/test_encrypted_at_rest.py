"""Nothing readable at rest: ten marker strings put into an encrypted profile through the
services (records, a document's title, inside an imported PDF, thumbnails, a backup) are found
0 times in any file of the profile folder, while the same search finds every one of them in a
plain profile made the same way (so the search itself works and the test can fail).

Run with ``-s`` to see the hit counts.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import zipfile
from pathlib import Path

import pytest

from backlog_app.domain.cases import CallData, CallDirection, CaseData, Procedure
from backlog_app.domain.costs import CostData, CostKind
from backlog_app.domain.documents import DocumentData, DocumentKind
from backlog_app.domain.log_records import CheckInData, MedicationData
from backlog_app.domain.records import (
    PatientData,
    PlanData,
    PlanType,
    ProviderData,
    ProviderRole,
)
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.services.onboarding import new_profile
from backlog_app.services.progress import Progress
from backlog_app.services.thumbnails import ensure_thumbnail
from backlog_app.storage import encryption
from backlog_app.storage.crypto import KdfParams, new_salt
from backlog_app.storage.encryption import unlock
from backlog_app.storage.profile import ProfilePaths
from tests.conftest import fixed_clock
from tests.document_files import pdf_bytes, write_image

PASSPHRASE = "lantern orchard velvet"

MARKERS = {
    "patient name": "Quennell Marrowby",
    "plan": "Featherstonhaugh Mutual",
    "provider": "Ottoline Brackwater",
    "check-in note": "zygomorphic ache behind knee",
    "medication": "Xylofenadrine",
    "case title": "Quokkaplasty L4-L5 left",
    "call note": "reference QJ-88412 promised callback",
    "cost": "Whistlecombe Imaging invoice",
    "document title": "Grimsditch denial letter",
    "inside the PDF": "PDFMARKER Tamarisk 5521",
}


def variants(marker: str) -> list[bytes]:
    """The marker as a program might have written it: UTF-8 or UTF-16, as is or lowercase."""
    forms = {marker, marker.lower(), marker.upper()}
    return [form.encode(codec) for form in forms for codec in ("utf-8", "utf-16-le", "utf-16-be")]


def contents(path: Path) -> list[bytes]:
    """A file's bytes and, for a ZIP (a backup), each member's bytes unpacked as well."""
    data = path.read_bytes()
    found = [data]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            found += [archive.read(name) for name in archive.namelist()]
    return found


def hits_in(folders: list[Path]) -> dict[str, int]:
    """How many times each marker occurs, in any variant, in every file under ``folders``."""
    counts = dict.fromkeys(MARKERS, 0)
    for folder in folders:
        for path in folder.rglob("*"):
            if not path.is_file():
                continue
            for data in contents(path):
                for label, marker in MARKERS.items():
                    counts[label] += sum(data.count(form) for form in variants(marker))
    return counts


def fill(profile: ProfileSession, tmp_path: Path) -> None:
    """Every marker into its record, through the same services the window uses."""
    profile.patient.save(PatientData(MARKERS["patient name"], dt.date(1971, 5, 2)))
    plan_id = profile.plans.add(PlanData(MARKERS["plan"], PlanType.EMPLOYER_PPO))
    provider_id = profile.providers.add(
        ProviderData(MARKERS["provider"], ProviderRole.SPINE_SURGEON)
    )
    profile.log.check_ins.save(
        CheckInData(dt.date(2026, 11, 20), pain_now=6, notes=MARKERS["check-in note"])
    )
    profile.log.medications.add(MedicationData(MARKERS["medication"], dt.date(2026, 10, 1)))
    case_id = profile.cases.add(
        CaseData(Procedure.OTHER, procedure_detail=MARKERS["case title"], plan_id=plan_id)
    )
    profile.calls.add(
        CallData(
            dt.datetime(2026, 11, 21, 10, 30),
            CallDirection.OUTGOING,
            "Featherstonhaugh member services",
            case_id=case_id,
            summary=MARKERS["call note"],
        )
    )
    profile.costs.add(
        CostData(
            CostKind.BILL,
            description=MARKERS["cost"],
            provider_id=provider_id,
            service_date=dt.date(2026, 11, 2),
            bill_date=dt.date(2026, 11, 9),
            billed_cents=125_000,
        )
    )
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(pdf_bytes(2, MARKERS["inside the PDF"]))
    ids = [
        profile.importer.add(
            letter, DocumentData(DocumentKind.DENIAL_LETTER, MARKERS["document title"])
        ),
        profile.importer.add(write_image(tmp_path / "card.png", "PNG", (400, 250))),
    ]
    for document_id in ids:
        assert ensure_thumbnail(profile.documents, document_id) is not None
    _back_up(profile)


def _back_up(profile: ProfileSession) -> bool:
    """A backup into the profile's backups folder, when this BackLog can make one."""
    try:
        from backlog_app.services.backups import create_backup
    except ImportError:
        return False
    try:
        create_backup(profile, profile.paths.backups, Progress())
    except NotImplementedError:
        return False
    return True


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap Argon2id: the cost of guessing does not change what is on disk."""
    monkeypatch.setattr(encryption, "tune_kdf", lambda: KdfParams(new_salt(), 1024, 1, 1))


def make_profile(root: Path, tmp_path: Path, passphrase: str | None) -> Path | None:
    """A filled, closed profile; returns the RAM scratch folder it used, if any."""
    with new_profile(root, passphrase=passphrase):
        pass
    key = unlock(ProfilePaths(root), passphrase) if passphrase else None
    with open_profile(root, create=False, clock=fixed_clock, key=key) as profile:
        fill(profile, tmp_path)
        scratch = profile.scratch.folder if profile.scratch else None
        assert scratch is None or Path(tempfile.gettempdir()) == scratch
    return scratch


def test_no_marker_is_readable_anywhere_in_an_encrypted_profile(tmp_path: Path) -> None:
    plain_root = tmp_path / "plain"
    (tmp_path / "plain-files").mkdir()
    make_profile(plain_root, tmp_path / "plain-files", None)
    control = hits_in([plain_root])

    encrypted_root = tmp_path / "encrypted"
    (tmp_path / "encrypted-files").mkdir()
    scratch = make_profile(encrypted_root, tmp_path / "encrypted-files", PASSPHRASE)
    looked_at = [encrypted_root] + ([scratch] if scratch is not None and scratch.exists() else [])
    found = hits_in(looked_at)

    files = sorted(p.relative_to(encrypted_root) for p in encrypted_root.rglob("*") if p.is_file())
    print(f"\nencrypted profile: {len(files)} files searched ({[str(f) for f in files]})")
    print(f"hits per marker: {found}")
    print(f"plain control profile: hits per marker: {control}")
    assert all(count > 0 for count in control.values()), control
    assert found == dict.fromkeys(MARKERS, 0)
    # What was searched: the database, the passphrase file, vault files and thumbnails.
    names = {path.parts[0] for path in files}
    assert {"backlog.sqlite3", "encryption.json", "vault", "thumbnails"} <= names
    assert scratch is None or not scratch.exists()  # the RAM scratch folder is gone
