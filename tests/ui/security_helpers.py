"""Shared by the passphrase GUI tests (test_security_ui.py, test_idle_lock.py): the app
controller with recorded messages, small plain and protected profiles (cheap Argon2 parameters,
so each unlock takes milliseconds instead of a second), and a reader of every text on screen.

The test modules use the ``fast_kdf`` fixture (tests/conftest.py) so passphrases set through the
GUI get cheap parameters too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtWidgets import QApplication

from backlog_app.domain.records import PatientData
from backlog_app.services.onboarding import new_profile
from backlog_app.settings import SettingsStore
from backlog_app.storage.crypto import KdfParams, new_salt
from backlog_app.ui.app import AppController
from backlog_app.ui.main_window import MainWindow
from tests.ui.conftest import RecordingMessages

PASSPHRASE = "purple anchor thirty lamps"
PATIENT = "Winifred Lockhart"
WRONG = "That passphrase is not right. Check Caps Lock and try again."


def cheap_kdf() -> KdfParams:
    """Argon2id at 1 MiB and one pass: the same code path, a thousandth of the time."""
    return KdfParams(new_salt(), 1024, 1, 1)


def controller_for_tests(
    settings_store: SettingsStore, messages: RecordingMessages
) -> Iterator[AppController]:
    """The app controller with recorded messages; closed (window and profile) afterwards."""
    settings_store.update(auto_backup=False)  # no closing backup: not what these tests are about
    app_controller = AppController(settings_store, lambda: messages)
    yield app_controller
    if app_controller.window is not None:
        app_controller.window.close()
    app_controller.shutdown()


def make_protected_profile(folder: Path, passphrase: str = PASSPHRASE) -> Path:
    with new_profile(folder, passphrase=passphrase, kdf=cheap_kdf()) as profile:
        profile.patient.save(PatientData(PATIENT, dt.date(1951, 3, 9)))
    return folder


def make_plain_profile(folder: Path) -> Path:
    with new_profile(folder) as profile:
        profile.patient.save(PatientData(PATIENT, dt.date(1951, 3, 9)))
    return folder


def all_text_on_screen(window: MainWindow) -> str:
    """Every text, title, tooltip and accessible name of every widget that is showing, and of
    every widget inside ``window``, showing or not (pages hidden behind the lock screen would
    count)."""
    parts: list[str] = []
    for widget in QApplication.allWidgets():
        if not (widget.isVisible() or widget.window() is window):
            continue
        parts += [widget.windowTitle(), widget.toolTip(), widget.accessibleName()]
        for getter in ("text", "title", "placeholderText", "toPlainText", "currentText"):
            method = getattr(widget, getter, None)
            if callable(method):
                try:
                    value = method()
                except TypeError:
                    continue
                if isinstance(value, str):
                    parts.append(value)
    return "\n".join(parts)
