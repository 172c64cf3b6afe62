"""First run and profile switching: the welcome dialog, the app controller, plain refusals."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from backlog_app.domain.records import PlanType
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.settings import SettingsStore
from backlog_app.storage.profile import ProfilePaths
from backlog_app.storage.seal import seal_database
from backlog_app.ui.app import AppController
from backlog_app.ui.welcome import WelcomeChoice, WelcomeDialog
from tests.ui.conftest import RecordingMessages


@pytest.fixture
def controller(
    qtbot: QtBot, settings_store: SettingsStore, messages: RecordingMessages
) -> Iterator[AppController]:
    app_controller = AppController(settings_store, lambda: messages)
    yield app_controller
    if app_controller.window is not None:
        app_controller.window.close()
    app_controller.shutdown()


def fill_welcome_form(qtbot: QtBot, dialog: WelcomeDialog, name: str, birth: dt.date) -> None:
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.patient_form.full_name, name)
    dialog.patient_form.date_of_birth.set_date(birth)
    qtbot.keyClicks(dialog.insurer, "Buckeye Mutual Health")
    dialog.plan_type.setCurrentIndex(dialog.plan_type.findData(PlanType.EMPLOYER_PPO.value))
    qtbot.keyClicks(dialog.member_id, "BMH-1")


def test_welcome_dialog_creates_a_profile_with_patient_and_plan(
    qtbot: QtBot, tmp_path: Path, controller: AppController
) -> None:
    folder = tmp_path / "new-profile"
    dialog = WelcomeDialog(folder, tmp_path / "demo")
    qtbot.addWidget(dialog)
    fill_welcome_form(qtbot, dialog, "Ann Example", dt.date(1960, 5, 4))
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    result = dialog.result_value
    assert result is not None and result.choice is WelcomeChoice.CREATE
    assert not ProfilePaths(folder).has_database()  # the dialog itself writes nothing

    assert controller._act_on(result)
    assert controller.window is not None
    assert controller.window.home_page.title.text() == "Ann Example"
    with sqlite3.connect(folder / "backlog.sqlite3") as db:
        assert db.execute("SELECT full_name, date_of_birth FROM patient").fetchall() == [
            ("Ann Example", "1960-05-04")
        ]
        assert db.execute(
            "SELECT insurer, member_id, plan_type FROM insurance_plan"
        ).fetchall() == [("Buckeye Mutual Health", "BMH-1", "employer_ppo")]
    assert controller.settings.settings.last_profile == str(folder)


def test_welcome_form_refuses_missing_name_and_future_birth_date(
    qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = WelcomeDialog(tmp_path / "p", tmp_path / "demo")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    dialog.patient_form.date_of_birth.set_date(dt.date(2099, 1, 1))
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.result_value is None
    assert dialog.problems.isVisible()
    assert "Please enter the patient's name." in dialog.problems.text()
    assert "in the future" in dialog.problems.text()
    assert not (tmp_path / "p").exists()


def test_demo_choice_creates_and_opens_the_demo(
    qtbot: QtBot, tmp_path: Path, controller: AppController
) -> None:
    dialog = WelcomeDialog(tmp_path / "p", tmp_path / "demo")
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert dialog.result_value is not None
    assert controller._act_on(dialog.result_value)
    assert controller.window is not None
    assert controller.window.providers_page.model.rowCount() == 15


def test_a_profile_open_elsewhere_is_refused_in_plain_words(
    tmp_path: Path, controller: AppController, messages: RecordingMessages
) -> None:
    folder = tmp_path / "busy"
    with open_profile(folder, create=True):
        assert not controller.open_folder(folder)
    assert controller.window is None
    kind, _, text = messages.shown[-1]
    assert kind == "problem"
    assert "already open in another BackLog window" in text


def test_a_database_from_a_newer_backlog_is_refused_and_left_alone(
    tmp_path: Path, controller: AppController, messages: RecordingMessages
) -> None:
    folder = tmp_path / "future"
    with open_profile(folder, create=True):
        pass
    database = folder / "backlog.sqlite3"
    with sqlite3.connect(database) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    db.close()
    seal_database(ProfilePaths(folder))  # as the newer BackLog would have, closing it
    before = database.read_bytes()
    assert not controller.open_folder(folder)
    assert database.read_bytes() == before
    assert "newer version of BackLog" in messages.shown[-1][2]


def test_switching_profiles_closes_the_first_one(
    qtbot: QtBot, tmp_path: Path, controller: AppController
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        with open_profile(folder, create=True):
            pass
    assert controller.open_folder(first)
    assert controller.open_folder(second)
    assert controller.session is not None and controller.session.paths.root == second
    # The first profile's lock is released: it can be opened again right away.
    with open_profile(first, create=False):
        pass
    assert controller.settings.settings.recent_profiles[:2] == [str(second), str(first)]


def test_a_profile_closes_on_a_worker_and_at_quit_on_the_spot(
    qtbot: QtBot, tmp_path: Path, controller: AppController, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        with open_profile(folder, create=True):
            pass
    closed_on: list[tuple[Path, bool]] = []
    close = ProfileSession.close

    def recorded_close(session: ProfileSession) -> None:
        on_gui_thread = threading.current_thread() is threading.main_thread()
        closed_on.append((session.paths.root, on_gui_thread))
        close(session)

    monkeypatch.setattr(ProfileSession, "close", recorded_close)
    assert controller.open_folder(first)
    assert controller.open_folder(second)
    assert closed_on == [(first, False)]  # switching: sealed off the GUI thread
    with open_profile(first, create=False):  # and closed before open_folder returned
        pass
    closed_on.clear()
    controller.shutdown()
    # Quitting: from aboutToQuit Qt may refuse an event loop, so it closes right there.
    assert closed_on == [(second, True)]
    with open_profile(second, create=False):
        pass


def test_start_shows_the_window_first_and_opens_the_profile_in_the_background(
    qtbot: QtBot, tmp_path: Path, controller: AppController
) -> None:
    folder = tmp_path / "demo"
    from backlog_app.services.onboarding import ensure_demo_profile

    ensure_demo_profile(folder)
    assert controller.start(folder)
    assert controller.window is not None and controller.window.isVisible()
    qtbot.waitUntil(lambda: controller.session is not None, timeout=10_000)
    assert controller.window.home_page.title.text() == "Maria Alvarez"


def test_start_skips_a_damaged_profile_with_a_plain_message(
    qtbot: QtBot,
    tmp_path: Path,
    controller: AppController,
    messages: RecordingMessages,
) -> None:
    from backlog_app.services.onboarding import ensure_demo_profile
    from backlog_app.storage.profile import default_profile_dir

    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "backlog.sqlite3").write_bytes(b"this is not a database" * 100)
    ensure_demo_profile(default_profile_dir())
    controller.settings.update(last_profile=str(damaged))
    assert controller.start(None)
    qtbot.waitUntil(lambda: controller.session is not None, timeout=10_000)
    assert controller.session is not None
    assert controller.session.paths.root == default_profile_dir()
    assert messages.kinds() == ["problem"]
    assert "is damaged" in messages.shown[0][2]
    assert (damaged / "backlog.sqlite3").read_bytes() == b"this is not a database" * 100
