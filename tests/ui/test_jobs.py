"""The background job runner: results on the GUI thread, Cancel, plain errors, apologies."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from backlog_app.errors import Cancelled, UserError
from backlog_app.services.progress import Progress
from backlog_app.ui.jobs import JobRunner


class Outcomes:
    def __init__(self) -> None:
        self.user_errors: list[UserError] = []
        self.bugs: list[BaseException] = []


@pytest.fixture
def runner(qtbot: QtBot) -> tuple[JobRunner, Outcomes, QWidget]:
    parent = QWidget()
    qtbot.addWidget(parent)
    outcomes = Outcomes()
    job_runner = JobRunner(parent, outcomes.user_errors.append, outcomes.bugs.append)
    return job_runner, outcomes, parent


def test_result_arrives_on_the_gui_thread(qtbot: QtBot, runner) -> None:  # type: ignore[no-untyped-def]
    jobs, _, _ = runner
    seen: dict[str, object] = {}

    def job(progress: Progress) -> int:
        seen["worker"] = threading.get_ident()
        return 42

    def done(result: int) -> None:
        seen["result"] = result
        seen["gui"] = QThread.currentThread() is QApplication.instance().thread()  # type: ignore[union-attr]

    jobs.run("Adding", job, done)
    qtbot.waitUntil(lambda: "result" in seen)
    assert seen["result"] == 42
    assert seen["gui"] is True
    assert seen["worker"] != threading.get_ident()


def test_user_errors_and_bugs_go_to_their_handlers(qtbot: QtBot, runner) -> None:  # type: ignore[no-untyped-def]
    jobs, outcomes, _ = runner

    def plain(progress: Progress) -> None:
        raise UserError("The file is not a PDF.")

    def bug(progress: Progress) -> None:
        raise ZeroDivisionError

    jobs.run("Plain", plain)
    jobs.run("Bug", bug)
    qtbot.waitUntil(lambda: not jobs.is_busy())
    assert [e.message for e in outcomes.user_errors] == ["The file is not a PDF."]
    assert [type(e) for e in outcomes.bugs] == [ZeroDivisionError]


def test_slow_job_shows_progress_and_cancel_stops_it(qtbot: QtBot, runner) -> None:  # type: ignore[no-untyped-def]
    jobs, outcomes, parent = runner
    steps_done: list[int] = []
    cancelled: list[bool] = []

    def slow(progress: Progress) -> None:
        for step in range(200):
            progress.report(step, 200, "Working")
            steps_done.append(step)
            time.sleep(0.02)

    parent.show()
    jobs.run("Slow job", slow, on_cancelled=lambda: cancelled.append(True))
    qtbot.waitUntil(lambda: parent.findChild(QProgressDialog) is not None, timeout=5000)
    dialog = parent.findChild(QProgressDialog)
    assert dialog is not None and dialog.isVisible()
    cancel_button = dialog.findChild(QPushButton)
    assert cancel_button is not None and cancel_button.text() == "Cancel"
    qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cancelled == [True], timeout=5000)
    assert len(steps_done) < 200
    assert not outcomes.user_errors and not outcomes.bugs


def test_fast_job_shows_no_dialog(qtbot: QtBot, runner) -> None:  # type: ignore[no-untyped-def]
    jobs, _, parent = runner
    jobs.run("Quick", lambda progress: None)
    qtbot.waitUntil(lambda: not jobs.is_busy())
    assert parent.findChild(QProgressDialog) is None


def test_run_and_wait_returns_the_result_and_raises_errors(qtbot: QtBot, runner) -> None:  # type: ignore[no-untyped-def]
    jobs, outcomes, _ = runner
    assert jobs.run_and_wait("Sum", lambda progress: 1 + 1) == 2
    with pytest.raises(UserError, match="plain"):
        jobs.run_and_wait("Fail", lambda progress: (_ for _ in ()).throw(UserError("plain")))

    def cancel_self(progress: Progress) -> None:
        progress.cancel()
        progress.check_cancelled()

    with pytest.raises(Cancelled):
        jobs.run_and_wait("Cancel", cancel_self)
    assert not outcomes.user_errors  # run_and_wait raises instead of showing
