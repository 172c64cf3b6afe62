"""File → Back Up Now…, Tools → Backup Settings…, the passphrase menu items, and the automatic
backup when a profile closes — driven through the real windows on the demo profile."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QFileDialog
from pytestqt.qtbot import QtBot

from backlog_app.errors import BackupError, Cancelled
from backlog_app.services.backups import inspect_backup, list_backups
from backlog_app.services.context import ProfileSession
from backlog_app.services.progress import Progress
from backlog_app.settings import SettingsStore
from backlog_app.ui.backup import host as host_module
from backlog_app.ui.backup.closing import ClosingBackupDialog, run_closing_backup
from backlog_app.ui.backup.notice import NoticeDialog
from backlog_app.ui.backup.settings_dialog import UNREACHABLE, BackupSettingsDialog
from backlog_app.ui.backup.words import backup_summary, backup_when, suggest_restore_folder
from backlog_app.ui.main_window import MainWindow
from tests.ui.backup_helpers import Act, DialogScript, menu_action
from tests.ui.conftest import RecordingMessages

CLOSING_TIME = dt.datetime(2026, 11, 27, 18, 30)


def press(key: str) -> Act:
    """A dialog step that presses the NoticeDialog button ``key``."""

    def step(dialog: QDialog) -> None:
        assert isinstance(dialog, NoticeDialog)
        dialog.button(key).click()

    return step


def test_back_up_now_saves_a_checked_backup_in_the_profile(
    qtbot: QtBot,
    window: MainWindow,
    demo_profile: ProfileSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown_folders: list[Path] = []
    monkeypatch.setattr(host_module, "open_folder", shown_folders.append)
    texts: list[str] = []

    def read_result_then_show_folder(dialog: QDialog) -> None:
        assert isinstance(dialog, NoticeDialog)
        texts.append(dialog.text.text())
        dialog.button("show").click()

    script = DialogScript(qtbot, [press("here"), read_result_then_show_folder])
    menu_action(window, "Back Up Now…").trigger()

    assert script.finished
    backups = list_backups([demo_profile.paths.backups])
    assert len(backups) == 1
    inspection = inspect_backup(backups[0].path, Progress())
    assert inspection.ok
    assert texts[0].startswith(f"Your backup is saved and checked: {inspection.file_count} files, ")
    assert str(demo_profile.paths.backups) in texts[0]
    assert shown_folders == [demo_profile.paths.backups]


def test_back_up_now_to_another_place(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    usb = tmp_path / "usb-drive"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(usb))
    script = DialogScript(qtbot, [press("elsewhere"), press("close")])
    menu_action(window, "Back Up Now…").trigger()
    assert script.finished
    saved = list(usb.glob("backlog-backup-*.backlog-backup"))
    assert len(saved) == 1
    assert inspect_backup(saved[0], Progress()).ok


def test_cancelling_back_up_now_writes_nothing(
    qtbot: QtBot, window: MainWindow, demo_profile: ProfileSession
) -> None:
    script = DialogScript(qtbot, [press("cancel")])
    menu_action(window, "Back Up Now…").trigger()
    assert script.finished
    assert list_backups([demo_profile.paths.backups]) == []


def test_backup_settings_are_saved(
    qtbot: QtBot,
    window: MainWindow,
    settings_store: SettingsStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(usb))
    seen: dict[str, object] = {}

    def change_everything(dialog: QDialog) -> None:
        assert isinstance(dialog, BackupSettingsDialog)
        seen["last"] = dialog.last_backup.text()
        dialog.automatic.click()  # off
        seen["keep enabled"] = dialog.keep_box.isEnabled()
        dialog.automatic.click()  # on again
        dialog.daily.setValue(3)
        dialog.weekly.setValue(2)
        qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
        seen["reachable problem shown"] = dialog.copy_problem.isVisible()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    script = DialogScript(qtbot, [change_everything])
    menu_action(window, "Backup Settings…").trigger()
    assert script.finished
    saved = settings_store.settings
    assert (saved.auto_backup, saved.backups_keep_daily, saved.backups_keep_weekly) == (True, 3, 2)
    assert saved.backup_copy_folder == str(usb)
    assert seen["keep enabled"] is False
    assert seen["reachable problem shown"] is False
    assert str(seen["last"]).startswith("Last backup: none yet")
    # Saved in the settings file, not only in memory.
    assert SettingsStore(settings_store.path).settings.backups_keep_daily == 3


def test_backup_settings_say_when_the_copy_folder_is_unreachable_and_clear_it(
    qtbot: QtBot, window: MainWindow, settings_store: SettingsStore, tmp_path: Path
) -> None:
    settings_store.update(backup_copy_folder=str(tmp_path / "unplugged"), auto_backup=False)
    seen: dict[str, object] = {}

    def look_then_clear(dialog: QDialog) -> None:
        assert isinstance(dialog, BackupSettingsDialog)
        seen["problem"] = dialog.copy_problem.isVisible() and dialog.copy_problem.text()
        seen["keep enabled"] = dialog.keep_box.isEnabled()
        qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
        seen["after clear"] = dialog.copy_problem.isVisible()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    script = DialogScript(qtbot, [look_then_clear])
    menu_action(window, "Backup Settings…").trigger()
    assert script.finished
    assert seen == {"problem": UNREACHABLE, "keep enabled": False, "after clear": False}
    assert settings_store.settings.backup_copy_folder is None
    assert settings_store.settings.auto_backup is False


def test_cancelling_backup_settings_changes_nothing(
    qtbot: QtBot, window: MainWindow, settings_store: SettingsStore
) -> None:
    def cancel(dialog: QDialog) -> None:
        assert isinstance(dialog, BackupSettingsDialog)
        dialog.daily.setValue(30)
        dialog.reject()

    script = DialogScript(qtbot, [cancel])
    menu_action(window, "Backup Settings…").trigger()
    assert script.finished
    assert settings_store.settings.backups_keep_daily == 7


# The passphrase items ------------------------------------------------------------------------


def test_passphrase_items_follow_whether_the_profile_is_encrypted(
    qtbot: QtBot,
    window: MainWindow,
    demo_profile: ProfileSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    protect = menu_action(window, "Protect with a Passphrase…")
    change = menu_action(window, "Change Passphrase…")
    lock = menu_action(window, "Lock Now")
    assert (protect.isVisible(), change.isVisible(), lock.isVisible()) == (True, False, False)
    with qtbot.waitSignal(window.protect_requested, timeout=1000):
        protect.trigger()

    monkeypatch.setattr(type(demo_profile), "encrypted", property(lambda _self: True))
    window.security_actions.show_for(demo_profile)
    assert (protect.isVisible(), change.isVisible(), lock.isVisible()) == (False, True, True)
    assert lock.shortcut().toString() == "Ctrl+Shift+K"
    with qtbot.waitSignal(window.lock_requested, timeout=1000):
        lock.trigger()
    with qtbot.waitSignal(window.change_passphrase_requested, timeout=1000):
        change.trigger()


# The automatic backup when a profile closes --------------------------------------------------


def test_closing_backup_runs_when_due_and_only_once_a_day(
    window: MainWindow,
    demo_profile: ProfileSession,
    settings_store: SettingsStore,
    messages: RecordingMessages,
) -> None:
    run_closing_backup(window, demo_profile, settings_store, messages=messages, now=CLOSING_TIME)
    made = list_backups([demo_profile.paths.backups])
    assert [backup.created for backup in made] == [CLOSING_TIME]
    assert inspect_backup(made[0].path, Progress()).ok
    # Closing again the same evening: not due.
    run_closing_backup(
        window,
        demo_profile,
        settings_store,
        messages=messages,
        now=CLOSING_TIME + dt.timedelta(hours=2),
    )
    assert len(list_backups([demo_profile.paths.backups])) == 1
    assert messages.shown == []


def test_closing_backup_does_nothing_when_automatic_backups_are_off(
    window: MainWindow,
    demo_profile: ProfileSession,
    settings_store: SettingsStore,
    messages: RecordingMessages,
) -> None:
    settings_store.update(auto_backup=False)
    run_closing_backup(window, demo_profile, settings_store, messages=messages, now=CLOSING_TIME)
    assert list_backups([demo_profile.paths.backups]) == []


def test_skip_stops_a_slow_closing_backup(
    qtbot: QtBot,
    window: MainWindow,
    demo_profile: ProfileSession,
    settings_store: SettingsStore,
    messages: RecordingMessages,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from backlog_app.services import backups

    steps: list[int] = []

    def slow_backup(
        _profile: object, _policy: object, progress: Progress, now: object = None
    ) -> None:
        # Works in small steps until Skip is pressed (or gives up after 20 s).
        for step in range(2000):
            steps.append(step)
            time.sleep(0.01)
            progress.report(step, 2000, "Backing up")

    monkeypatch.setattr(backups, "auto_backup", slow_backup)
    skipped: list[bool] = []

    def press_skip_once_shown() -> None:
        shown = [d for d in window.findChildren(ClosingBackupDialog) if d.isVisible()]
        if not shown:
            QTimer.singleShot(20, press_skip_once_shown)
            return
        skipped.append(True)
        qtbot.mouseClick(shown[0].skip_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(20, press_skip_once_shown)
    run_closing_backup(window, demo_profile, settings_store, messages=messages, now=CLOSING_TIME)
    assert skipped == [True]
    assert 0 < len(steps) < 2000  # it stopped on Skip, long before the end
    assert messages.shown == []  # skipping is not a problem to report
    assert not [d for d in window.findChildren(ClosingBackupDialog) if d.isVisible()]


def test_a_failed_closing_backup_is_said_plainly_and_returns(
    window: MainWindow,
    demo_profile: ProfileSession,
    settings_store: SettingsStore,
    messages: RecordingMessages,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from backlog_app.services import backups

    def full_disk(*_args: object, **_kwargs: object) -> None:
        raise BackupError("BackLog could not write to the backups folder (No space left).")

    monkeypatch.setattr(backups, "auto_backup", full_disk)
    run_closing_backup(window, demo_profile, settings_store, messages=messages, now=CLOSING_TIME)
    assert messages.kinds() == ["problem"]
    assert "No space left" in messages.shown[0][2]
    assert "Your records are safe" in messages.shown[0][2]


def test_a_closing_backup_not_copied_to_the_second_folder_is_said_and_returns(
    window: MainWindow,
    demo_profile: ProfileSession,
    settings_store: SettingsStore,
    messages: RecordingMessages,
    tmp_path: Path,
) -> None:
    unplugged = tmp_path / "usb-drive-not-plugged-in"
    settings_store.update(backup_copy_folder=str(unplugged))
    run_closing_backup(window, demo_profile, settings_store, messages=messages, now=CLOSING_TIME)
    made = list_backups([demo_profile.paths.backups])
    assert [backup.created for backup in made] == [CLOSING_TIME]  # the backup itself is made
    assert messages.kinds() == ["problem"]
    assert str(unplugged) in messages.shown[0][2]
    assert "the backup in the profile folder is fine" in messages.shown[0][2]
    assert not unplugged.exists()


def test_cancelled_is_not_a_problem(
    window: MainWindow,
    demo_profile: ProfileSession,
    settings_store: SettingsStore,
    messages: RecordingMessages,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from backlog_app.services import backups

    def cancelled(*_args: object, **_kwargs: object) -> None:
        raise Cancelled()

    monkeypatch.setattr(backups, "auto_backup", cancelled)
    run_closing_backup(window, demo_profile, settings_store, messages=messages, now=CLOSING_TIME)
    assert messages.shown == []


# The words ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "size", "expected"),
    [(1, 512, "1 file, 512 bytes"), (212, 161_480_704, "212 files, 154.0 MB")],
)
def test_backup_summary(files: int, size: int, expected: str) -> None:
    assert backup_summary(files, size) == expected


def test_backup_when_is_in_words_whatever_the_locale() -> None:
    assert backup_when(dt.datetime(2026, 11, 27, 18, 40)) == "27 Nov 2026, 18:40"


def test_the_suggested_restore_folder_is_new(tmp_path: Path) -> None:
    profile = tmp_path / "Maria"
    day = dt.date(2026, 11, 27)
    assert suggest_restore_folder(profile, day) == tmp_path / "Maria-restored-2026-11-27"
    (tmp_path / "Maria-restored-2026-11-27").mkdir()
    (tmp_path / "Maria-restored-2026-11-27-2").mkdir()
    assert suggest_restore_folder(profile, day) == tmp_path / "Maria-restored-2026-11-27-3"
