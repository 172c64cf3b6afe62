"""The idle lock of a protected profile: it hides every record, closes the profile's windows,
waits for work in progress, and unlocking returns to the same page. The idle timer runs with a
timeout of a few milliseconds instead of minutes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from backlog_app import APP_NAME
from backlog_app.services.progress import Progress
from backlog_app.settings import SettingsStore
from backlog_app.storage.encryption import unlock
from backlog_app.storage.profile import ProfilePaths
from backlog_app.ui.app import AppController
from backlog_app.ui.main_window import MainWindow
from backlog_app.ui.page_keys import PAGE_COSTS
from backlog_app.ui.profile_view import ProfileView
from backlog_app.ui.security import wording
from backlog_app.ui.security.idle import IdleWatcher
from tests.ui.conftest import RecordingMessages
from tests.ui.security_helpers import (
    PASSPHRASE,
    PATIENT,
    WRONG,
    all_text_on_screen,
    controller_for_tests,
    make_plain_profile,
    make_protected_profile,
)

pytestmark = pytest.mark.usefixtures("fast_kdf")  # passphrases set in the GUI: cheap Argon2


@pytest.fixture
def controller(
    qtbot: QtBot, settings_store: SettingsStore, messages: RecordingMessages
) -> Iterator[AppController]:
    yield from controller_for_tests(settings_store, messages)


def open_protected(controller: AppController, folder: Path) -> MainWindow:
    assert controller.open_folder(folder, unlock(ProfilePaths(folder), PASSPHRASE))
    assert controller.window is not None
    controller.window.show()
    return controller.window


def settle(qtbot: QtBot, window: MainWindow) -> None:
    """Wait for the closed profile's pages to be deleted (``deleteLater``), not just hidden."""
    qtbot.waitUntil(lambda: not window.findChildren(ProfileView), timeout=5_000)


def test_idle_time_locks_hides_every_record_and_unlocking_returns_to_the_same_page(
    qtbot: QtBot, tmp_path: Path, controller: AppController
) -> None:
    folder = make_protected_profile(tmp_path / "protected")
    window = open_protected(controller, folder)
    window.show_page(PAGE_COSTS)
    assert PATIENT in all_text_on_screen(window)  # the check below can see the name when it shows

    controller.lock.timeout_ms_override = 30
    controller.lock.watch(controller.session)
    qtbot.waitUntil(lambda: controller.session is None, timeout=10_000)
    settle(qtbot, window)

    assert controller.lock.is_locked()
    assert window.view is None  # the pages are gone, not just hidden
    assert window.windowTitle() == APP_NAME
    assert folder.name not in window.windowTitle()
    shown = all_text_on_screen(window)
    assert PATIENT not in shown
    assert str(folder) not in shown
    screen = controller.lock.screen
    assert screen is not None and screen.isVisible()
    assert screen.title.text() == wording.LOCKED_TITLE
    assert not controller.lock.idle.is_watching()  # nothing more to lock

    panel = screen.panel
    qtbot.keyClicks(panel.field.edit, "the wrong words")
    qtbot.mouseClick(panel.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(panel.problem.isVisible, timeout=10_000)
    assert panel.problem.text() == WRONG
    assert controller.session is None
    panel.field.edit.setText(PASSPHRASE)
    qtbot.mouseClick(panel.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.session is not None, timeout=10_000)

    assert not controller.lock.is_locked()
    assert window.current_page() == PAGE_COSTS
    assert window.home_page.title.text() == PATIENT
    assert folder.name in window.windowTitle()
    assert controller.lock.idle.is_watching()  # and it locks again after the next idle time


def test_lock_now_from_the_menu_locks_at_once_and_a_plain_profile_never_locks(
    qtbot: QtBot, tmp_path: Path, controller: AppController
) -> None:
    plain = make_plain_profile(tmp_path / "plain")
    assert controller.open_folder(plain)
    window = controller.window
    assert window is not None
    assert not controller.lock.idle.is_watching()
    window.lock_requested.emit()
    assert not controller.lock.is_locked()
    assert controller.session is not None

    protected = make_protected_profile(tmp_path / "protected")
    assert controller.open_folder(protected, unlock(ProfilePaths(protected), PASSPHRASE))
    assert controller.lock.idle.is_watching()  # 10 minutes by default
    window.lock_requested.emit()
    qtbot.waitUntil(lambda: controller.session is None, timeout=10_000)
    assert controller.lock.is_locked()


def test_no_idle_lock_when_the_setting_is_zero(
    qtbot: QtBot, tmp_path: Path, controller: AppController
) -> None:
    controller.settings.update(lock_after_minutes=0)
    open_protected(controller, make_protected_profile(tmp_path / "protected"))
    assert not controller.lock.idle.is_watching()
    controller.settings.update(lock_after_minutes=5)
    assert controller.lock.idle.is_watching()
    assert controller.lock.idle.timeout_ms() == 5 * 60_000


def test_locking_closes_the_profiles_dialogs_without_asking_about_unsaved_typing(
    qtbot: QtBot, tmp_path: Path, controller: AppController
) -> None:
    window = open_protected(controller, make_protected_profile(tmp_path / "protected"))

    class Editor(QDialog):
        """Like the log editors: Cancel asks before dropping typed changes."""

        asked = 0

        def reject(self) -> None:
            Editor.asked += 1

    modeless = QDialog(window)
    modeless.setWindowTitle(PATIENT)
    modeless.show()
    editor = Editor(window)
    editor.setWindowTitle(f"Edit {PATIENT}")
    QTimer.singleShot(50, controller.lock.lock_now)
    answer = editor.exec()  # returns when the lock closes it

    assert answer == QDialog.DialogCode.Rejected
    assert Editor.asked == 0
    assert not modeless.isVisible()
    qtbot.waitUntil(lambda: controller.session is None, timeout=10_000)
    settle(qtbot, window)
    assert PATIENT not in all_text_on_screen(window)


def test_a_running_job_finishes_before_the_profile_closes_and_the_records_stay_hidden(
    qtbot: QtBot, tmp_path: Path, controller: AppController
) -> None:
    window = open_protected(controller, make_protected_profile(tmp_path / "protected"))
    release = threading.Event()
    finished: list[str] = []
    session = controller.session
    assert session is not None

    def slow_import(progress: Progress) -> str:
        release.wait(10)
        return session.patient.get().full_name  # type: ignore[union-attr]

    window.jobs.run("Importing your documents…", slow_import, finished.append)
    controller.lock.lock_now()

    assert controller.lock.is_locked() and controller.lock.is_pending()
    screen = controller.lock.screen
    assert screen is not None
    assert window.central.currentWidget() is screen  # the records are hidden at once
    assert window.windowTitle() == APP_NAME
    assert screen.waiting.isVisible() and not screen.panel.field.isEnabled()
    qtbot.wait(300)
    assert controller.session is session  # the job still needs the profile: not cancelled

    release.set()
    qtbot.waitUntil(lambda: controller.session is None, timeout=10_000)
    assert finished == [PATIENT]  # it ran to the end with the profile open
    assert not controller.lock.is_pending()
    assert not screen.waiting.isVisible() and screen.panel.field.isEnabled()
    settle(qtbot, window)
    assert PATIENT not in all_text_on_screen(window)


def test_keys_and_mouse_moves_restart_the_idle_clock(qtbot: QtBot) -> None:
    target = QLabel("anything")
    qtbot.addWidget(target)
    target.show()
    watcher = IdleWatcher()
    fired: list[bool] = []
    watcher.idle.connect(lambda: fired.append(True))
    watcher.start(1_500)
    # Three seconds of someone typing and moving the mouse every 0.1 s: never idle.
    for step in range(30):
        qtbot.wait(100)
        if step % 2:
            QApplication.sendEvent(
                target,
                QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a"),
            )
        else:
            qtbot.mouseMove(target, QPoint(5 + step % 7, 5))
    assert fired == []
    qtbot.waitUntil(lambda: fired == [True], timeout=10_000)  # hands off: idle
    watcher.stop()
    assert not watcher.is_watching()


@pytest.mark.parametrize("kind", ["idle", "menu"])
def test_nothing_of_the_profile_is_left_in_any_widget_after_locking(
    qtbot: QtBot, tmp_path: Path, controller: AppController, kind: str
) -> None:
    window = open_protected(controller, make_protected_profile(tmp_path / "protected"))
    for page in ("log", "documents", "cases", "costs", "profile", "providers", "home"):
        window.show_page(page)
    if kind == "idle":
        controller.lock.timeout_ms_override = 20
        controller.lock.watch(controller.session)
    else:
        window.lock_requested.emit()
    qtbot.waitUntil(lambda: controller.session is None, timeout=10_000)
    settle(qtbot, window)
    leftovers = [
        widget
        for widget in QApplication.allWidgets()
        if isinstance(widget, QWidget) and widget.window() is window and widget.isVisible()
    ]
    assert leftovers  # the lock screen, the menus, the status bar
    assert PATIENT not in all_text_on_screen(window)
