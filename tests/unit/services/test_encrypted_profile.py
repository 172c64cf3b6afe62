"""Encrypted profiles end to end in the services: creating, opening, thumbnails, the RAM scratch
folder, and encrypting an existing profile, including after a crash at every step."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from PIL import Image

from backlog_app.domain.records import PatientData, PlanData, PlanType
from backlog_app.errors import (
    Cancelled,
    PassphraseNeededError,
    ProfileError,
    ProfileLockedError,
    WrongPassphraseError,
)
from backlog_app.services import context
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.services.onboarding import create_profile
from backlog_app.services.progress import Progress
from backlog_app.services.thumbnails import ensure_thumbnail, read_thumbnail, thumbnail_path
from backlog_app.storage import encryption
from backlog_app.storage.crypto import MAGIC, KdfParams, is_encrypted_file, new_salt
from backlog_app.storage.database import is_plain_sqlite
from backlog_app.storage.encryption import (
    change_passphrase,
    encrypt_existing_profile,
    is_encrypted,
    needs_finishing,
    unlock,
)
from backlog_app.storage.profile import ProfilePaths
from tests.conftest import fixed_clock
from tests.document_files import write_image, write_pdf

PASSPHRASE = "maple tractor quietly"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """New passphrases use cheap Argon2id parameters (tune_kdf itself is tested in test_crypto)."""
    monkeypatch.setattr(encryption, "tune_kdf", lambda: KdfParams(new_salt(), 1024, 1, 1))


def patient() -> PatientData:
    return PatientData(full_name="Rosalind Marker-Quill", date_of_birth=dt.date(1974, 3, 9))


def open_encrypted(root: Path, passphrase: str = PASSPHRASE) -> ProfileSession:
    return open_profile(
        root, create=False, clock=fixed_clock, key=unlock(ProfilePaths(root), passphrase)
    )


def fill(profile: ProfileSession, tmp_path: Path) -> list[int]:
    """A plan, two documents with thumbnails; returns the documents' ids."""
    profile.plans.add(PlanData(insurer="Cascade Mutual", plan_type=PlanType.EMPLOYER_PPO))
    ids = [
        profile.importer.add(write_pdf(tmp_path / "denial.pdf", 2, "DENIAL-LETTER-7731")),
        profile.importer.add(write_image(tmp_path / "card.png", "PNG", (300, 200))),
    ]
    for document_id in ids:
        assert ensure_thumbnail(profile.documents, document_id) is not None
    return ids


def stored_files(paths: ProfilePaths) -> list[Path]:
    return [
        p for folder in (paths.vault, paths.thumbnails) for p in folder.rglob("*") if p.is_file()
    ]


# -- a profile encrypted from the start ----------------------------------------------------------


def test_create_an_encrypted_profile(tmp_path: Path) -> None:
    root = tmp_path / "profile"
    create_profile(root, patient(), None, passphrase=PASSPHRASE)
    paths = ProfilePaths(root)
    assert is_encrypted(paths)
    assert not is_plain_sqlite(paths.database)
    assert b"Marker-Quill" not in paths.database.read_bytes()
    with pytest.raises(PassphraseNeededError, match="protected with a passphrase"):
        open_profile(root, create=False)
    with pytest.raises(WrongPassphraseError):
        open_encrypted(root, "not the passphrase")
    with open_encrypted(root) as profile:
        assert profile.encrypted and profile.key is not None
        stored = profile.patient.get()
        assert stored is not None and stored.full_name == "Rosalind Marker-Quill"


def test_a_failed_creation_leaves_no_passphrase_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "profile"
    root.mkdir()

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("backlog_app.services.patient.PatientService.save", broken)
    with pytest.raises(OSError):
        create_profile(root, patient(), None, passphrase=PASSPHRASE)
    assert not ProfilePaths(root).encryption.exists()
    assert not ProfilePaths(root).has_database()


def test_a_plain_profile_takes_no_key(profile_dir: Path) -> None:
    open_profile(profile_dir, create=True).close()
    from backlog_app.storage.crypto import ProfileKey, new_master_key

    with pytest.raises(ValueError):
        open_profile(profile_dir, create=False, key=ProfileKey(new_master_key()))


def test_documents_and_thumbnails_are_encrypted_and_read_back(tmp_path: Path) -> None:
    root = tmp_path / "profile"
    create_profile(root, patient(), None, passphrase=PASSPHRASE)
    with open_encrypted(root) as profile:
        ids = fill(profile, tmp_path)
        for document_id in ids:
            info = profile.documents.get(document_id)
            original = tmp_path / ("denial.pdf" if document_id == ids[0] else "card.png")
            assert profile.documents.read_original(document_id) == original.read_bytes()
            png = read_thumbnail(profile.documents, info.file.sha256)
            assert png is not None
            with Image.open(io.BytesIO(png)) as picture:
                assert picture.format == "PNG"
            assert (
                thumbnail_path(profile.paths.thumbnails, info.file.sha256).read_bytes()[
                    : len(MAGIC)
                ]
                == MAGIC
            )
    files = stored_files(ProfilePaths(root))
    assert len(files) == 4 and all(is_encrypted_file(p) for p in files)


def test_a_damaged_encrypted_thumbnail_is_dropped_and_drawn_again(tmp_path: Path) -> None:
    root = tmp_path / "profile"
    create_profile(root, patient(), None, passphrase=PASSPHRASE)
    with open_encrypted(root) as profile:
        document_id = fill(profile, tmp_path)[0]
        sha = profile.documents.get(document_id).file.sha256
        path = thumbnail_path(profile.paths.thumbnails, sha)
        path.write_bytes(path.read_bytes()[:-1])
        assert read_thumbnail(profile.documents, sha) is None
        assert not path.exists()
        assert ensure_thumbnail(profile.documents, document_id) == path
        assert read_thumbnail(profile.documents, sha) is not None


def test_temporary_files_go_to_a_private_ram_folder_while_open(tmp_path: Path) -> None:
    if not context.RAM_FOLDER.is_dir():
        pytest.skip("this system has no RAM folder")
    root = tmp_path / "profile"
    create_profile(root, patient(), None, passphrase=PASSPHRASE)
    before = tempfile.gettempdir()
    profile = open_encrypted(root)
    try:
        scratch = Path(tempfile.gettempdir())
        assert scratch.parent == context.RAM_FOLDER and scratch.name.startswith("backlog-")
        assert (scratch.stat().st_mode & 0o777) == 0o700
        with tempfile.NamedTemporaryFile() as handle:
            assert Path(handle.name).parent == scratch
    finally:
        profile.close()
    assert tempfile.gettempdir() == before
    assert not scratch.exists()


def test_a_plain_profile_keeps_the_system_temporary_folder(profile: ProfileSession) -> None:
    assert profile.scratch is None and not profile.encrypted


def test_the_passphrase_can_change_while_the_profile_is_open(tmp_path: Path) -> None:
    root = tmp_path / "profile"
    create_profile(root, patient(), None, passphrase=PASSPHRASE)
    with open_encrypted(root):
        change_passphrase(ProfilePaths(root), PASSPHRASE, "new words entirely")
    with open_encrypted(root, "new words entirely") as profile:
        assert profile.patient.get() is not None


# -- encrypting an existing profile --------------------------------------------------------------


PLAIN_DB = "before-upgrade-0004-20261101-101010.sqlite3"
PLAIN_ZIP = "backlog-backup-20261101-101010.backlog-backup"


@pytest.fixture
def plain_root(tmp_path: Path) -> Path:
    """A closed plain profile: documents, thumbnails, plain backups, and a change that is still
    only in the WAL (copied while the profile was open, as after a crash)."""
    work = tmp_path / "work"
    root = tmp_path / "plain"
    profile = open_profile(work, create=True, clock=fixed_clock)
    try:
        fill(profile, tmp_path)
        profile.patient.save(patient())  # lands in the WAL
        assert (work / "backlog.sqlite3-wal").stat().st_size > 0
        shutil.copytree(work, root, ignore=shutil.ignore_patterns(".backlog.lock"))
    finally:
        profile.close()
    backups = root / "backups"
    plain_backup = backups / PLAIN_DB
    connection = sqlite3.connect(plain_backup)
    connection.execute("CREATE TABLE notes (body TEXT)")
    connection.execute("INSERT INTO notes VALUES ('Marker-Quill')")
    connection.commit()
    connection.close()
    (backups / PLAIN_ZIP).write_bytes(b"PK plain")
    return root


def assert_fully_encrypted(root: Path) -> None:
    paths = ProfilePaths(root)
    assert not needs_finishing(paths)
    assert not is_plain_sqlite(paths.database)
    for suffix in ("-wal", "-shm", "-journal"):
        assert not paths.database.with_name(paths.database.name + suffix).exists()
    assert not list(root.glob("*.encrypting*"))
    files = stored_files(paths)
    assert len(files) == 4 and all(is_encrypted_file(p) for p in files)
    # Plain backups are kept: only a caller that made a new, encrypted backup deletes them.
    assert sorted(p.name for p in paths.backups.iterdir()) == [PLAIN_ZIP, PLAIN_DB]


def assert_records_intact(root: Path, tmp_path: Path) -> None:
    with open_encrypted(root) as profile:
        stored = profile.patient.get()
        assert stored is not None and stored.full_name == "Rosalind Marker-Quill"
        assert profile.plans.count() == 1
        rows = profile.documents.list()
        assert len(rows) == 2
        originals = {(tmp_path / "denial.pdf").read_bytes(), (tmp_path / "card.png").read_bytes()}
        assert {profile.documents.read_original(r.info.id) for r in rows} == originals
        for row in rows:
            assert read_thumbnail(profile.documents, row.info.file.sha256) is not None


def test_encrypt_an_existing_profile(plain_root: Path, tmp_path: Path) -> None:
    progress = Progress()
    report = encrypt_existing_profile(ProfilePaths(plain_root), PASSPHRASE, progress)
    assert report.database_encrypted
    assert (report.files_encrypted, report.thumbnails_encrypted) == (2, 2)
    done, total, _ = progress.snapshot()
    assert done == total > 0
    assert_fully_encrypted(plain_root)
    assert_records_intact(plain_root, tmp_path)
    with pytest.raises(ProfileError, match="already"):
        encrypt_existing_profile(ProfilePaths(plain_root), PASSPHRASE)


def test_an_open_profile_is_not_encrypted_under_it(plain_root: Path) -> None:
    with open_profile(plain_root, create=False), pytest.raises(ProfileLockedError):
        encrypt_existing_profile(ProfilePaths(plain_root), PASSPHRASE)
    assert not is_encrypted(ProfilePaths(plain_root))


def test_cancel_before_the_start_changes_nothing(plain_root: Path) -> None:
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        encrypt_existing_profile(ProfilePaths(plain_root), PASSPHRASE, progress)
    assert not is_encrypted(ProfilePaths(plain_root))
    assert is_plain_sqlite(ProfilePaths(plain_root).database)


class Crash(BaseException):
    """Stands for the power going out (BaseException: nothing may catch it)."""


def crash_on_call(monkeypatch: pytest.MonkeyPatch, name: str, call: int) -> None:
    """Make ``encryption.<name>`` crash on its ``call``-th call (1-based)."""
    original = getattr(encryption, name)
    calls = 0

    def crashing(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls == call:
            raise Crash()
        return original(*args, **kwargs)

    monkeypatch.setattr(encryption, name, crashing)


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("fold_wal", 1),  # passphrase file written, database untouched
        ("export_encrypted", 1),
        ("encrypt_file_in_place", 1),  # database done, no file yet
        ("encrypt_file_in_place", 2),  # one vault file done
        ("encrypt_file_in_place", 3),  # vault done, thumbnails not
        ("encrypt_file_in_place", 4),  # one thumbnail left
        ("_write_record", 2),  # all done but the flag
    ],
)
def test_a_crash_at_any_step_leaves_a_profile_that_opens_and_finishes(
    plain_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, call: int
) -> None:
    paths = ProfilePaths(plain_root)
    with monkeypatch.context() as patch:
        crash_on_call(patch, name, call)
        with pytest.raises(Crash):
            encrypt_existing_profile(paths, PASSPHRASE)
    assert is_encrypted(paths) and needs_finishing(paths)
    with pytest.raises(PassphraseNeededError):
        open_profile(plain_root, create=False)
    assert_records_intact(plain_root, tmp_path)  # opening finishes the job
    assert_fully_encrypted(plain_root)


def test_running_encrypt_again_finishes_an_interrupted_job(
    plain_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = ProfilePaths(plain_root)
    with monkeypatch.context() as patch:
        crash_on_call(patch, "encrypt_file_in_place", 2)
        with pytest.raises(Crash):
            encrypt_existing_profile(paths, PASSPHRASE)
    with pytest.raises(WrongPassphraseError):
        encrypt_existing_profile(paths, "another passphrase")
    report = encrypt_existing_profile(paths, PASSPHRASE)
    assert not report.database_encrypted and report.files_encrypted == 1
    assert_fully_encrypted(plain_root)
    assert_records_intact(plain_root, tmp_path)


def test_a_half_encrypted_vault_still_reads(plain_root: Path, tmp_path: Path) -> None:
    """The documents of an interrupted conversion read, whichever are encrypted yet."""
    paths = ProfilePaths(plain_root)
    report = encrypt_existing_profile(paths, PASSPHRASE)
    # Put one file back in plain, as an interrupted run leaves it.
    with open_encrypted(plain_root) as profile:
        row = profile.documents.list()[0]
        stored = profile.documents.file_path(row.info.id)
        original = profile.documents.read_original(row.info.id)
    stored.chmod(0o644)
    stored.write_bytes(original)
    with open_encrypted(plain_root) as profile:
        assert profile.documents.read_original(row.info.id) == original
        assert profile.documents.vault.verify(row.info.file.sha256, row.info.file.file_type)
    assert report.key.master == unlock(paths, PASSPHRASE).master


def test_a_failed_open_removes_the_ram_folder_and_releases_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "profile"
    create_profile(root, patient(), None, passphrase=PASSPHRASE)
    before = tempfile.gettempdir()
    started: list[Path | None] = []
    start = context.RamScratch.start

    def recorded_start() -> context.RamScratch:
        scratch = start()
        started.append(scratch.folder)
        return scratch

    def broken_service(*_args: object) -> None:
        raise RuntimeError("a service could not be built")

    monkeypatch.setattr(context.RamScratch, "start", staticmethod(recorded_start))
    monkeypatch.setattr(context, "NetworkService", broken_service)
    with pytest.raises(RuntimeError):
        open_encrypted(root)
    assert len(started) == 1
    assert tempfile.gettempdir() == before
    assert started[0] is None or not started[0].exists()
    monkeypatch.undo()
    open_encrypted(root).close()  # the lock was released
