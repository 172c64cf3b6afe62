"""Fixtures for tests that drive real widgets: a recording dialog service and a demo window."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from backlog_app.services.context import ProfileSession
from backlog_app.settings import SettingsStore
from backlog_app.ui.main_window import MainWindow
from backlog_app.ui.messages import Messages, PasswordAnswer


class RecordingMessages(Messages):
    """Remembers what would have been shown; ``confirm`` answers ``confirm_answer``.

    ``ask_password`` answers the next of ``passwords`` (None: the user cancelled); what it
    records ends with the ``problem`` shown (a wrong password) on its own line.
    """

    def __init__(self) -> None:
        super().__init__(None)
        self.shown: list[tuple[str, str, str]] = []
        self.confirm_answer = True
        self.passwords: list[PasswordAnswer | None] = []

    def info(self, title: str, text: str) -> None:
        self.shown.append(("info", title, text))

    def problem(self, title: str, text: str, details: list[str] | None = None) -> None:
        self.shown.append(("problem", title, text))

    def confirm(self, title: str, text: str, action: str) -> bool:
        self.shown.append(("confirm", title, text))
        return self.confirm_answer

    def ask_password(
        self,
        title: str,
        text: str,
        *,
        offer_remember: bool = False,
        problem: str | None = None,
        accept: str = "OK",
        cancel: str = "Cancel",
    ) -> PasswordAnswer | None:
        self.shown.append(("password", title, f"{text}\n{problem}" if problem else text))
        return self.passwords.pop(0) if self.passwords else None

    def apology(self, log_file: str | None) -> None:
        self.shown.append(("apology", "", log_file or ""))

    def kinds(self) -> list[str]:
        return [kind for kind, _, _ in self.shown]


@pytest.fixture(autouse=True)
def collect_garbage_on_the_gui_thread() -> Iterator[None]:
    """Collect the Qt wrappers earlier tests left in reference cycles here, on the GUI thread.

    Left alone, Python's collector may run inside a background job's thread and delete a Qt
    object there, which crashes the process now and then (seen once in CI: a segfault while the
    due reminder read in the background).
    """
    gc.collect()
    yield
    gc.collect()


@pytest.fixture
def messages() -> RecordingMessages:
    return RecordingMessages()


@pytest.fixture
def settings_store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "settings.json")


@pytest.fixture
def window(
    qtbot: QtBot,
    demo_profile: ProfileSession,
    settings_store: SettingsStore,
    messages: RecordingMessages,
) -> Iterator[MainWindow]:
    """The main window on the demo profile, shown offscreen."""
    main = MainWindow(settings_store, messages)
    qtbot.addWidget(main)
    main.attach_profile(demo_profile)
    main.resize(1180, 760)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    qtbot.waitActive(main)
    yield main
    main.jobs.wait_for_all()


def when_dialog_opens(qtbot: QtBot, act: Callable[[QDialog], None]) -> None:
    """Run ``act`` on the next modal dialog once it is shown (``exec()`` blocks the test)."""

    def poll() -> None:
        widget: QWidget | None = QApplication.activeModalWidget()
        if isinstance(widget, QDialog) and widget.isVisible():
            act(widget)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
