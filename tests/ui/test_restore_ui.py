"""File → Restore from a Backup… and the offer to restore a damaged database, through the real
windows: choose, check, (restore the rest), choose a folder, restore, open."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog
from pytestqt.qtbot import QtBot

from backlog_app.services.backups import create_backup
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.services.progress import Progress
from backlog_app.settings import SettingsStore
from backlog_app.storage.profile import ProfilePaths
from backlog_app.ui.backup.backup_list import ChooseBackupDialog
from backlog_app.ui.backup.notice import NoticeDialog
from backlog_app.ui.backup.restore_offer import offer_restore_after_damage
from backlog_app.ui.backup.restore_target import RestoreTargetDialog, TargetKind, check_target
from backlog_app.ui.main_window import MainWindow
from tests.conftest import fixed_clock
from tests.ui.backup_helpers import Act, DialogScript, damage_member, menu_action
from tests.ui.conftest import RecordingMessages


def counts(profile: ProfileSession) -> dict[str, int]:
    return {
        "plans": profile.plans.count(),
        "providers": profile.providers.count(),
        "check-ins": profile.log.check_ins.count(),
        "documents": profile.documents.count(),
        "cases": profile.cases.count(),
        "calls": profile.calls.count(),
        "costs": profile.costs.count(),
    }


def press(key: str) -> Act:
    def step(dialog: QDialog) -> None:
        assert isinstance(dialog, NoticeDialog), type(dialog)
        dialog.button(key).click()

    return step


def pick_first_backup(dialog: QDialog) -> None:
    assert isinstance(dialog, ChooseBackupDialog), type(dialog)
    assert dialog.model.rowCount() >= 1
    dialog.restore_button.click()


def restore_into(folder: Path, seen: dict[str, object] | None = None) -> Act:
    def step(dialog: QDialog) -> None:
        assert isinstance(dialog, RestoreTargetDialog), type(dialog)
        if seen is not None:
            seen["suggested"] = dialog.folder.text()
        dialog.folder.setText(str(folder))
        dialog.restore_button.click()

    return step


@pytest.fixture
def backup(demo_profile: ProfileSession) -> Path:
    """A checked backup of the demo profile in its backups folder."""
    return create_backup(demo_profile, demo_profile.paths.backups, Progress()).path


def test_restore_into_a_new_folder_has_the_same_records(
    qtbot: QtBot,
    window: MainWindow,
    demo_profile: ProfileSession,
    backup: Path,
    tmp_path: Path,
) -> None:
    target = tmp_path / "restored"
    seen: dict[str, object] = {}
    opened: list[Path] = []
    window.open_profile_requested.connect(opened.append)
    script = DialogScript(qtbot, [pick_first_backup, restore_into(target, seen), press("open")])
    menu_action(window, "Restore from a Backup…").trigger()

    assert script.finished, script.seen
    assert seen["suggested"] == str(tmp_path / "demo-profile-restored-2026-11-27")
    assert opened == [target]
    with open_profile(target, create=False, clock=fixed_clock) as restored:
        assert counts(restored) == counts(demo_profile)
        assert counts(restored)["documents"] > 0


def test_a_damaged_backup_lists_the_file_and_restores_the_rest(
    qtbot: QtBot,
    window: MainWindow,
    demo_profile: ProfileSession,
    backup: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    copy = tmp_path / "usb" / backup.name
    copy.parent.mkdir()
    shutil.copyfile(backup, copy)
    damaged = damage_member(copy)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(copy), ""))
    listed: list[str] = []
    result_text: list[str] = []

    def choose_other_file(dialog: QDialog) -> None:
        assert isinstance(dialog, ChooseBackupDialog)
        dialog.other_button.click()

    def read_damage_then_restore_the_rest(dialog: QDialog) -> None:
        assert isinstance(dialog, NoticeDialog)
        listed.extend(dialog.details.item(i).text() for i in range(dialog.details.count()))
        dialog.button("rest").click()

    def read_result(dialog: QDialog) -> None:
        assert isinstance(dialog, NoticeDialog)
        result_text.append(dialog.text.text())
        result_text.extend(dialog.details.item(i).text() for i in range(dialog.details.count()))
        dialog.button("close").click()

    target = tmp_path / "restored"
    script = DialogScript(
        qtbot,
        [choose_other_file, read_damage_then_restore_the_rest, restore_into(target), read_result],
    )
    menu_action(window, "Restore from a Backup…").trigger()

    assert script.finished, script.seen
    assert listed == [f"A document's file: {damaged}"]
    assert f"A document's file: {damaged}" in result_text
    assert not (target / damaged).exists()
    with open_profile(target, create=False, clock=fixed_clock) as restored:
        assert counts(restored) == counts(demo_profile)
    vault_files = [p for p in (target / "vault").rglob("*") if p.is_file()]
    original = [p for p in demo_profile.paths.vault.rglob("*") if p.is_file()]
    assert len(vault_files) == len(original) - 1


def test_cancel_on_a_damaged_backup_restores_nothing(
    qtbot: QtBot, window: MainWindow, backup: Path, tmp_path: Path
) -> None:
    damage_member(backup)
    script = DialogScript(qtbot, [pick_first_backup, press("cancel")])
    menu_action(window, "Restore from a Backup…").trigger()
    assert script.finished, script.seen
    assert not (tmp_path / "demo-profile-restored-2026-11-27").exists()


def test_a_damaged_database_cannot_be_restored(
    qtbot: QtBot, window: MainWindow, backup: Path, tmp_path: Path
) -> None:
    damage_member(backup, prefix="backlog.sqlite3")
    headline: list[str] = []

    def read_and_close(dialog: QDialog) -> None:
        assert isinstance(dialog, NoticeDialog)
        headline.append(dialog.headline.text())
        dialog.button("close").click()

    script = DialogScript(qtbot, [pick_first_backup, read_and_close])
    menu_action(window, "Restore from a Backup…").trigger()
    assert script.finished, script.seen
    assert headline == ["This backup cannot be restored"]


def test_replacing_an_existing_profile_needs_the_confirmation_and_keeps_it(
    qtbot: QtBot,
    window: MainWindow,
    demo_profile: ProfileSession,
    backup: Path,
    tmp_path: Path,
    messages: RecordingMessages,
) -> None:
    other = tmp_path / "other-profile"
    open_profile(other, create=True, clock=fixed_clock).close()
    messages.confirm_answer = False
    problems: list[str] = []

    def try_open_profile_then_other(dialog: QDialog) -> None:
        # The profile open now is refused in the dialog itself.
        assert isinstance(dialog, RestoreTargetDialog)
        dialog.folder.setText(str(demo_profile.paths.root))
        dialog.restore_button.click()
        problems.append(dialog.problem.text() if dialog.problem.isVisible() else "")
        restore_into(other)(dialog)

    def answer_yes_this_time(dialog: QDialog) -> None:
        messages.confirm_answer = True
        restore_into(other)(dialog)

    script = DialogScript(
        qtbot,
        [pick_first_backup, try_open_profile_then_other, answer_yes_this_time, press("close")],
    )
    menu_action(window, "Restore from a Backup…").trigger()

    assert script.finished, script.seen
    assert problems and problems[0].startswith("That is the profile open now.")
    confirms = [text for kind, _title, text in messages.shown if kind == "confirm"]
    assert len(confirms) == 2  # declined once (back to the folder), then agreed
    assert "is not deleted" in confirms[0]
    kept = list(tmp_path.glob("other-profile.before-restore-*"))
    assert len(kept) == 1 and ProfilePaths(kept[0]).has_database()
    with open_profile(other, create=False, clock=fixed_clock) as restored:
        assert counts(restored) == counts(demo_profile)


@pytest.mark.parametrize(
    ("make", "kind", "problem_start"),
    [
        (lambda root: root / "new", TargetKind.NEW, ""),
        (lambda root: (root / "empty").mkdir() or root / "empty", TargetKind.NEW, ""),
        (lambda root: root / "profile", TargetKind.PROFILE, ""),
        (lambda root: root / "open", TargetKind.PROBLEM, "That is the profile open now."),
        (lambda root: root / "full", TargetKind.PROBLEM, "That folder already holds other"),
        (lambda root: root / "file.txt", TargetKind.PROBLEM, "That is a file"),
        (lambda _root: Path("relative"), TargetKind.PROBLEM, "Type or choose the full path"),
    ],
)
def test_which_folders_a_restore_can_use(
    tmp_path: Path, make: object, kind: TargetKind, problem_start: str
) -> None:
    (tmp_path / "profile").mkdir()
    (tmp_path / "profile" / "backlog.sqlite3").write_bytes(b"x")
    (tmp_path / "open").mkdir()
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "holiday.jpg").write_bytes(b"x")
    (tmp_path / "file.txt").write_text("x")
    target = make(tmp_path)  # type: ignore[operator]
    found, problem = check_target(target, tmp_path / "open")
    assert found is kind
    assert problem.startswith(problem_start)


# The offer at open, when the database is damaged ------------------------------------------------


@pytest.fixture
def damaged_profile(tmp_path: Path, backup: Path) -> ProfilePaths:
    """A profile folder whose database is garbage, with a good backup in its backups folder."""
    paths = ProfilePaths(tmp_path / "broken")
    paths.backups.mkdir(parents=True)
    paths.database.write_bytes(b"not a database" * 100)
    shutil.copyfile(backup, paths.backups / backup.name)
    return paths


def test_offer_after_damage_restores_the_latest_good_backup(
    qtbot: QtBot,
    demo_profile: ProfileSession,
    damaged_profile: ProfilePaths,
    settings_store: SettingsStore,
    messages: RecordingMessages,
    tmp_path: Path,
) -> None:
    # A newer backup that is damaged is passed over for the older good one.
    newer = damaged_profile.backups / "backlog-backup-20991231-235959.backlog-backup"
    shutil.copyfile(next(damaged_profile.backups.iterdir()), newer)
    damage_member(newer)
    texts: list[str] = []

    def read_then_restore(dialog: QDialog) -> None:
        assert isinstance(dialog, NoticeDialog)
        texts.append(dialog.text.text())
        qtbot.mouseClick(dialog.button("restore"), Qt.MouseButton.LeftButton)

    script = DialogScript(qtbot, [read_then_restore])
    restored = offer_restore_after_damage(
        None, damaged_profile, settings_store, messages, today=dt.date(2026, 11, 27)
    )
    assert script.finished, script.seen
    assert restored == tmp_path / "broken-restored-2026-11-27"
    assert "2099" not in texts[0]
    assert damaged_profile.database.read_bytes().startswith(b"not a database")  # left as it was
    with open_profile(restored, create=False, clock=fixed_clock) as session:
        assert counts(session) == counts(demo_profile)


def test_offer_after_damage_not_now_and_no_backup(
    qtbot: QtBot,
    damaged_profile: ProfilePaths,
    settings_store: SettingsStore,
    messages: RecordingMessages,
    tmp_path: Path,
) -> None:
    script = DialogScript(qtbot, [press("not-now")])
    assert offer_restore_after_damage(None, damaged_profile, settings_store, messages) is None
    assert script.finished
    assert not list(tmp_path.glob("broken-restored-*"))

    for backup in damaged_profile.backups.iterdir():
        backup.unlink()
    assert offer_restore_after_damage(None, damaged_profile, settings_store, messages) is None
    assert messages.kinds() == ["problem"]
    assert "found no good backup" in messages.shown[0][2]
