"""Backups of a profile: made and checked, automatic ones kept and pruned, restored safely."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from backlog_app.errors import BackupDamagedError, BackupError, Cancelled, ProfileLockedError
from backlog_app.services.backups import (
    BackupPolicy,
    auto_backup,
    create_backup,
    inspect_backup,
    latest_good_backup,
    list_backups,
    restore_backup,
)
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.services.progress import Progress
from backlog_app.services.thumbnails import ensure_thumbnail
from backlog_app.settings import Settings
from backlog_app.storage.backup_archive import MANIFEST_NAME, backup_file_name, read_manifest
from backlog_app.storage.profile import ProfilePaths
from tests.conftest import fixed_clock
from tests.unit.storage.test_backup_archive import flip_member_byte

NOW = dt.datetime(2026, 11, 27, 18, 0)


class Counting(Progress):
    """Counts the progress reports of a job (to cancel a later run at the last one)."""

    def __init__(self) -> None:
        super().__init__()
        self.reports = 0

    def report(self, done: int, total: int, label: str = "") -> None:
        self.reports += 1
        super().report(done, total, label)


class CancelAfter(Progress):
    """Presses Cancel after ``reports`` progress reports."""

    def __init__(self, reports: int) -> None:
        super().__init__()
        self.left = reports

    def report(self, done: int, total: int, label: str = "") -> None:
        self.left -= 1
        if self.left < 0:
            self.cancel()
        super().report(done, total, label)


@pytest.fixture
def backup(demo_profile: ProfileSession, tmp_path: Path) -> Path:
    return create_backup(demo_profile, tmp_path / "out", Progress()).path


def vault_member(path: Path) -> str:
    return next(e.name for e in read_manifest(path).files if e.name.startswith("vault/"))


def test_a_backup_holds_the_database_every_vault_file_and_thumbnail(
    demo_profile: ProfileSession, tmp_path: Path
) -> None:
    result = create_backup(demo_profile, tmp_path / "out", Progress())
    assert result.path.parent == tmp_path / "out"
    assert result.path.name.startswith("backlog-backup-")
    assert result.size_bytes == result.path.stat().st_size
    names = [entry.name for entry in read_manifest(result.path).files]
    vault = sorted(
        f"vault/{e.sha256[:2]}/{e.path.name}" for e in demo_profile.documents.vault.entries()
    )
    assert names[0] == "backlog.sqlite3"
    assert sorted(n for n in names if n.startswith("vault/")) == vault
    assert len(vault) == demo_profile.documents.count() > 0
    assert result.file_count == len(names)
    manifest = read_manifest(result.path)
    assert manifest.encrypted is False
    assert manifest.schema_revision is not None
    assert list((tmp_path / "out").iterdir()) == [result.path]
    assert [p.name for p in demo_profile.paths.backups.iterdir()] == []  # snapshot removed


def test_a_backup_to_a_file_path(demo_profile: ProfileSession, tmp_path: Path) -> None:
    target = tmp_path / "mine.backlog-backup"
    assert create_backup(demo_profile, target, Progress()).path == target
    assert inspect_backup(target, Progress()).ok


def test_a_backup_into_a_missing_folder_is_refused(
    demo_profile: ProfileSession, tmp_path: Path
) -> None:
    with pytest.raises(BackupError, match="does not exist"):
        create_backup(demo_profile, tmp_path / "nowhere" / "x.backlog-backup", Progress())


@pytest.mark.parametrize("when", [0.0, 0.1, 0.5, 1.0])
def test_a_cancelled_backup_leaves_nothing(
    demo_profile: ProfileSession, tmp_path: Path, when: float
) -> None:
    counting = Counting()
    create_backup(demo_profile, tmp_path / "first.backlog-backup", counting)
    (tmp_path / "first.backlog-backup").unlink()
    with pytest.raises(Cancelled):  # 1.0: at the very last report, while it is checked
        create_backup(
            demo_profile, tmp_path / "out", CancelAfter(int(when * (counting.reports - 1)))
        )
    assert list((tmp_path / "out").iterdir()) == []
    assert list(demo_profile.paths.backups.iterdir()) == []


def test_inspect_names_exactly_the_damaged_files(backup: Path) -> None:
    member = vault_member(backup)
    flip_member_byte(backup, member)
    inspection = inspect_backup(backup, Progress())
    assert inspection.damaged == [member]
    assert inspection.database_ok
    assert not inspection.ok
    flip_member_byte(backup, "backlog.sqlite3")
    assert inspect_backup(backup, Progress()).damaged == ["backlog.sqlite3", member]
    assert not inspect_backup(backup, Progress()).database_ok


def test_restore_into_a_new_folder_gives_the_same_profile(
    demo_profile: ProfileSession, backup: Path, tmp_path: Path
) -> None:
    target = tmp_path / "restored"
    result = restore_backup(backup, target, Progress())
    assert result.target == target
    assert result.skipped == [] and result.moved_aside is None
    assert result.restored_files == len(read_manifest(backup).files)
    assert not [p for p in tmp_path.iterdir() if ".restoring-" in p.name]
    with open_profile(target, create=False, clock=fixed_clock) as restored:
        assert restored.documents.count() == demo_profile.documents.count()
        assert restored.log.check_ins.count() == demo_profile.log.check_ins.count()
        assert restored.cases.count() == demo_profile.cases.count()
        for entry in restored.documents.vault.entries():
            assert restored.documents.vault.verify(entry.sha256, entry.file_type)


def test_restore_into_an_empty_existing_folder(backup: Path, tmp_path: Path) -> None:
    target = tmp_path / "empty"
    target.mkdir()
    restore_backup(backup, target, Progress())
    assert ProfilePaths(target).has_database()


def test_restore_never_writes_over_a_profile_without_consent(backup: Path, tmp_path: Path) -> None:
    target = tmp_path / "existing"
    open_profile(target, create=True).close()
    before = sorted(p.name for p in target.rglob("*"))
    with pytest.raises(BackupError, match="already holds a BackLog profile"):
        restore_backup(backup, target, Progress())
    assert sorted(p.name for p in target.rglob("*")) == before


def test_restore_refuses_a_folder_of_other_files_even_with_replace(
    backup: Path, tmp_path: Path
) -> None:
    target = tmp_path / "documents"
    target.mkdir()
    (target / "letter.txt").write_text("mine")
    with pytest.raises(BackupError, match="other files"):
        restore_backup(backup, target, Progress(), replace_existing=True)
    assert (target / "letter.txt").read_text() == "mine"


def test_replace_moves_the_old_profile_aside(backup: Path, tmp_path: Path) -> None:
    target = tmp_path / "existing"
    open_profile(target, create=True).close()
    (target / "marker").write_text("old")
    result = restore_backup(backup, target, Progress(), replace_existing=True)
    assert result.moved_aside is not None
    assert result.moved_aside.name.startswith("existing.before-restore-")
    assert (result.moved_aside / "marker").read_text() == "old"
    assert not (target / "marker").exists()
    assert ProfilePaths(target).has_database()


def test_replace_refuses_a_profile_that_is_open(backup: Path, profile: ProfileSession) -> None:
    with pytest.raises(ProfileLockedError):
        restore_backup(backup, profile.paths.root, Progress(), replace_existing=True)


def test_a_damaged_backup_restores_nothing_and_lists_the_files(
    backup: Path, tmp_path: Path
) -> None:
    member = vault_member(backup)
    flip_member_byte(backup, member)
    with pytest.raises(BackupDamagedError) as raised:
        restore_backup(backup, tmp_path / "restored", Progress())
    assert raised.value.damaged == [member]
    assert member in raised.value.message
    assert not (tmp_path / "restored").exists()
    assert not [p for p in tmp_path.iterdir() if ".restoring-" in p.name]


def test_restore_damaged_restores_the_rest(backup: Path, tmp_path: Path) -> None:
    member = vault_member(backup)
    flip_member_byte(backup, member)
    result = restore_backup(backup, tmp_path / "restored", Progress(), restore_damaged=True)
    assert result.skipped == [member]
    assert not (tmp_path / "restored" / member).exists()
    assert result.restored_files == len(read_manifest(backup).files) - 1


def test_a_damaged_database_is_never_restored(backup: Path, tmp_path: Path) -> None:
    flip_member_byte(backup, "backlog.sqlite3")
    with pytest.raises(BackupDamagedError, match="database inside") as raised:
        restore_backup(backup, tmp_path / "restored", Progress(), restore_damaged=True)
    assert raised.value.damaged == ["backlog.sqlite3"]
    assert not (tmp_path / "restored").exists()


def test_a_damaged_thumbnail_is_left_out_quietly(
    demo_profile: ProfileSession, tmp_path: Path
) -> None:
    first = demo_profile.documents.list()[0]
    assert ensure_thumbnail(demo_profile.documents, first.info.id) is not None
    backup = create_backup(demo_profile, tmp_path / "out", Progress()).path
    thumbnail = next(
        e.name for e in read_manifest(backup).files if e.name.startswith("thumbnails/")
    )
    flip_member_byte(backup, thumbnail)
    result = restore_backup(backup, tmp_path / "restored", Progress())
    assert result.skipped == [thumbnail]


@pytest.mark.parametrize("when", [0.0, 0.5, 1.0])
def test_a_cancelled_restore_leaves_nothing(backup: Path, tmp_path: Path, when: float) -> None:
    counting = Counting()
    restore_backup(backup, tmp_path / "first", counting)
    with pytest.raises(Cancelled):
        restore_backup(
            backup, tmp_path / "restored", CancelAfter(int(when * (counting.reports - 1)))
        )
    assert not (tmp_path / "restored").exists()
    assert not [p for p in tmp_path.iterdir() if ".restoring-" in p.name]


def test_restore_of_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    junk = tmp_path / "junk.backlog-backup"
    junk.write_bytes(b"nothing")
    with pytest.raises(BackupError, match="not a BackLog backup"):
        restore_backup(junk, tmp_path / "restored", Progress())
    assert not (tmp_path / "restored").exists()


def test_a_backup_without_its_manifest_is_refused(backup: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.backlog-backup"
    with zipfile.ZipFile(backup) as source, zipfile.ZipFile(cut, "w") as target:
        for info in source.infolist():
            if info.filename != MANIFEST_NAME:
                target.writestr(info, source.read(info.filename))
    with pytest.raises(BackupError, match="not a complete BackLog backup"):
        restore_backup(cut, tmp_path / "restored", Progress())


# -- automatic backups ------------------------------------------------------------------------


def test_auto_backup_at_most_once_a_day(demo_profile: ProfileSession) -> None:
    policy = BackupPolicy()
    first = auto_backup(demo_profile, policy, Progress(), now=NOW)
    assert first is not None
    assert first.path == demo_profile.paths.backups / backup_file_name(NOW)
    assert auto_backup(demo_profile, policy, Progress(), now=NOW.replace(hour=23)) is None
    assert auto_backup(demo_profile, policy, Progress(), now=NOW + dt.timedelta(days=1))


def test_auto_backup_off(demo_profile: ProfileSession) -> None:
    assert auto_backup(demo_profile, BackupPolicy(enabled=False), Progress(), now=NOW) is None
    assert list_backups([demo_profile.paths.backups]) == []


def test_auto_backup_prunes_old_ones_but_never_other_files(demo_profile: ProfileSession) -> None:
    backups = demo_profile.paths.backups
    for days in range(1, 15):  # two weeks of older automatic backups (tiny stand-ins)
        (backups / backup_file_name(NOW - dt.timedelta(days=days))).write_bytes(b"old")
    upgrade = backups / "before-upgrade-0004-20260101-101010.sqlite3"
    upgrade.write_bytes(b"keep")
    mine = backups / "my own.backlog-backup"
    mine.write_bytes(b"keep")
    result = auto_backup(
        demo_profile, BackupPolicy(keep_daily=3, keep_weekly=1), Progress(), now=NOW
    )
    assert result is not None
    kept = {item.created for item in list_backups([backups]) if item.path != mine}
    # Today, Nov 26 and 25 daily (weeks 48); week 47's newest (Nov 22); nothing older.
    assert kept == {
        NOW,
        NOW - dt.timedelta(days=1),
        NOW - dt.timedelta(days=2),
        NOW - dt.timedelta(days=5),
    }
    assert result.pruned == 11
    assert upgrade.exists() and mine.exists()


def test_auto_backup_copies_to_the_second_folder(
    demo_profile: ProfileSession, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    (usb / backup_file_name(NOW - dt.timedelta(days=30))).write_bytes(b"old")
    result = auto_backup(
        demo_profile,
        BackupPolicy(copy_folder=usb, keep_daily=1, keep_weekly=0),
        Progress(),
        now=NOW,
    )
    assert result is not None and result.copy_problem is None
    assert result.copy_path == usb / result.path.name
    assert result.copy_path.read_bytes() == result.path.read_bytes()
    assert [p.name for p in usb.iterdir()] == [result.path.name]  # the old one pruned
    assert inspect_backup(result.copy_path, Progress()).ok


def test_a_missing_copy_folder_never_fails_the_backup(
    demo_profile: ProfileSession, tmp_path: Path
) -> None:
    usb = tmp_path / "unplugged"
    result = auto_backup(demo_profile, BackupPolicy(copy_folder=usb), Progress(), now=NOW)
    assert result is not None
    assert result.path.is_file()
    assert result.copy_path is None
    assert result.copy_problem is not None and str(usb) in result.copy_problem
    assert not usb.exists()  # never created on the computer's own disk


def test_policy_from_settings() -> None:
    settings = Settings(
        auto_backup=False,
        backup_copy_folder="/media/usb",
        backups_keep_daily=3,
        backups_keep_weekly=2,
    )
    assert BackupPolicy.from_settings(settings) == BackupPolicy(False, Path("/media/usb"), 3, 2)
    assert BackupPolicy.from_settings(Settings()) == BackupPolicy(True, None, 7, 4)


# -- finding backups --------------------------------------------------------------------------


def test_list_backups_newest_first_from_both_folders(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    (one / backup_file_name(NOW)).write_bytes(b"a")
    (two / backup_file_name(NOW - dt.timedelta(days=2))).write_bytes(b"bb")
    (two / "notes.txt").write_text("not a backup")
    (two / (backup_file_name(NOW) + ".partial")).write_bytes(b"half")
    found = list_backups([one, None, two, tmp_path / "missing"])
    assert [(item.created, item.size) for item in found] == [
        (NOW, 1),
        (NOW - dt.timedelta(days=2), 2),
    ]


def test_latest_good_backup_skips_damaged_ones(
    demo_profile: ProfileSession, tmp_path: Path
) -> None:
    backups = demo_profile.paths.backups
    assert latest_good_backup(demo_profile.paths, None, Progress()) is None
    older = create_backup(
        demo_profile, backups / backup_file_name(NOW - dt.timedelta(days=1)), Progress()
    ).path
    newer = create_backup(demo_profile, backups / backup_file_name(NOW), Progress()).path
    assert latest_good_backup(demo_profile.paths, None, Progress()) == newer
    flip_member_byte(newer, vault_member(newer))
    (backups / backup_file_name(NOW + dt.timedelta(hours=1))).write_bytes(b"cut short")
    assert latest_good_backup(demo_profile.paths, tmp_path / "missing", Progress()) == older


# -- encrypted profiles -----------------------------------------------------------------------


def test_an_encrypted_profile_backs_up_encrypted_and_restores_with_its_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backlog_app.domain.records import PlanData, PlanType
    from backlog_app.errors import WrongPassphraseError
    from backlog_app.services.onboarding import new_profile
    from backlog_app.storage import encryption
    from backlog_app.storage.crypto import MAGIC, KdfParams, new_salt
    from tests.document_files import write_image, write_pdf

    monkeypatch.setattr(encryption, "tune_kdf", lambda: KdfParams(new_salt(), 1024, 1, 1))
    root = tmp_path / "secret"
    with new_profile(root, passphrase="maple tractor quietly") as profile:
        profile.plans.add(PlanData(insurer="Cascade Mutual", plan_type=PlanType.EMPLOYER_PPO))
        first = profile.importer.add(write_pdf(tmp_path / "denial.pdf", 2, "DENIAL-7731"))
        profile.importer.add(write_image(tmp_path / "card.png", "PNG", (300, 200)))
        assert ensure_thumbnail(profile.documents, first) is not None
        made = create_backup(profile, tmp_path / "out", Progress()).path
    manifest = read_manifest(made)
    assert manifest.encrypted
    names = [entry.name for entry in manifest.files]
    assert "encryption.json" in names
    with zipfile.ZipFile(made) as archive:
        assert not archive.read("backlog.sqlite3").startswith(b"SQLite format 3")
        stored = [n for n in names if n.startswith(("vault/", "thumbnails/"))]
        assert len(stored) == 3
        for name in stored:
            assert archive.read(name).startswith(MAGIC), name
        assert b"DENIAL-7731" not in b"".join(archive.read(n) for n in names)

    assert inspect_backup(made, Progress()).ok  # no passphrase needed to check the hashes
    with pytest.raises(WrongPassphraseError):
        inspect_backup(made, Progress(), passphrase="not the one")
    assert inspect_backup(made, Progress(), passphrase="maple tractor quietly").ok

    restored = tmp_path / "restored"
    restore_backup(made, restored, Progress())
    key = encryption.unlock(ProfilePaths(restored), "maple tractor quietly")
    with open_profile(restored, create=False, clock=fixed_clock, key=key) as copy:
        assert copy.documents.count() == 2
        assert copy.plans.count() == 1
        for entry in copy.documents.vault.entries():
            assert copy.documents.vault.verify(entry.sha256, entry.file_type)


def encrypted_copy(backup: Path, destination: Path, *, key_file: bool = True) -> Path:
    """``backup`` rewritten as an encrypted one (marked so, with a key file unless told not)."""
    from backlog_app.storage.backup_archive import ArchiveSource, write_archive

    members = destination.parent / f"{destination.name}-members"
    members.mkdir(parents=True)
    with zipfile.ZipFile(backup) as archive:
        names = [e.name for e in read_manifest(backup).files]
        archive.extractall(members, names)
    if key_file:
        (members / "encryption.json").write_text('{"kdf": "a stand-in key file for the test"}')
        names.insert(1, "encryption.json")
    write_archive(
        destination,
        [ArchiveSource(name, members / name) for name in names],
        created=NOW,
        app_version="test",
        schema_revision=None,
        encrypted=True,
    )
    return destination


def test_an_encrypted_backup_with_a_damaged_key_file_is_never_restored(
    backup: Path, tmp_path: Path
) -> None:
    made = encrypted_copy(backup, tmp_path / "secret.backlog-backup")
    assert inspect_backup(made, Progress()).ok
    flip_member_byte(made, "encryption.json")
    inspection = inspect_backup(made, Progress())
    assert inspection.damaged == ["encryption.json"]
    assert not inspection.database_ok and not inspection.ok
    with pytest.raises(BackupDamagedError, match="key file") as raised:
        restore_backup(made, tmp_path / "restored", Progress(), restore_damaged=True)
    assert raised.value.damaged == ["encryption.json"]
    assert not (tmp_path / "restored").exists()
    assert not [p for p in tmp_path.iterdir() if ".restoring-" in p.name]


def test_an_encrypted_backup_without_its_key_file_is_never_restored(
    backup: Path, tmp_path: Path
) -> None:
    made = encrypted_copy(backup, tmp_path / "secret.backlog-backup", key_file=False)
    inspection = inspect_backup(made, Progress())
    assert inspection.damaged == []
    assert not inspection.database_ok and not inspection.ok
    with pytest.raises(BackupError, match="lost its key file"):
        restore_backup(made, tmp_path / "restored", Progress(), restore_damaged=True)
    assert not (tmp_path / "restored").exists()


def test_latest_good_backup_skips_an_encrypted_one_whose_key_file_is_damaged(
    backup: Path, tmp_path: Path
) -> None:
    paths = ProfilePaths(tmp_path / "profile")
    paths.backups.mkdir(parents=True)
    older = encrypted_copy(backup, paths.backups / backup_file_name(NOW - dt.timedelta(days=1)))
    newer = encrypted_copy(backup, paths.backups / backup_file_name(NOW))
    missing = encrypted_copy(
        backup, tmp_path / "copies" / backup_file_name(NOW + dt.timedelta(hours=1)), key_file=False
    )
    assert latest_good_backup(paths, missing.parent, Progress()) == newer
    flip_member_byte(newer, "encryption.json")
    assert latest_good_backup(paths, missing.parent, Progress()) == older


def test_a_failed_rename_into_place_puts_the_old_profile_back(
    backup: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "existing"
    open_profile(target, create=True).close()
    (target / "marker").write_text("old")
    before = {p.relative_to(target): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    real_rename = Path.rename

    def rename(self: Path, destination: Path) -> Path:
        if ".restoring-" in self.name:
            raise OSError(13, "Permission denied")
        return real_rename(self, destination)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError, match="Permission denied"):
        restore_backup(backup, target, Progress(), replace_existing=True)
    after = {p.relative_to(target): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert after == before
    assert not [
        p for p in tmp_path.iterdir() if ".before-restore-" in p.name or ".restoring-" in p.name
    ]


def test_a_profile_opened_during_the_restore_is_not_moved(
    backup: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backlog_app.services import backup_restore
    from backlog_app.storage.profile import ProfileLock

    target = tmp_path / "existing"
    open_profile(target, create=True).close()
    (target / "marker").write_text("old")
    opened = ProfileLock(ProfilePaths(target))
    real_extract = backup_restore._extract

    def extract_then_open(*args: object) -> tuple[int, list[str], list[str]]:
        result = real_extract(*args)  # type: ignore[arg-type]
        opened.acquire()  # another BackLog opens the profile while the backup is extracted
        return result

    monkeypatch.setattr(backup_restore, "_extract", extract_then_open)
    try:
        with pytest.raises(ProfileLockedError):
            restore_backup(backup, target, Progress(), replace_existing=True)
    finally:
        opened.release()
    assert (target / "marker").read_text() == "old"
    assert not [
        p for p in tmp_path.iterdir() if ".before-restore-" in p.name or ".restoring-" in p.name
    ]
