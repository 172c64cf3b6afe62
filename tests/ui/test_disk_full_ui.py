"""A full disk while saving, in the window: a plain message, the typed answers kept, work goes on."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from backlog_app.domain.log_records import CheckInData
from backlog_app.services.context import ProfileSession
from backlog_app.services.progress import Progress
from backlog_app.ui.editors.check_in_dialog import CheckInDialog
from backlog_app.ui.main_window import MainWindow
from tests.reliability.test_disk_full import DISK_FULL, FILLER_CHECK_INS, database_refuses
from tests.ui.conftest import RecordingMessages

A_FREE_DAY = dt.date(2016, 3, 1)  # the demo has no check-in that day


def test_a_check_in_saved_on_a_full_disk_says_so_and_keeps_what_was_typed(
    qtbot: QtBot,
    window: MainWindow,
    demo_profile: ProfileSession,
    messages: RecordingMessages,
) -> None:
    count = demo_profile.log.check_ins.count()
    dialog = CheckInDialog(demo_profile, messages, None, day=A_FREE_DAY, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.pain_now.setFocus()
    qtbot.keyClick(dialog.pain_now, "7")
    notes = ("Could not sit through the drive. " * 50).strip()
    dialog.notes.setPlainText(notes)

    with database_refuses(demo_profile.database, "full-now"):
        dialog.try_save()

    assert dialog.isVisible() and dialog.result() == 0  # still open, not accepted
    assert dialog.problems.isVisible()
    assert DISK_FULL in dialog.problems.text()
    assert "apology" not in messages.kinds()
    assert demo_profile.log.check_ins.count() == count
    assert dialog.collect().pain_now == 7 and dialog.collect().notes == notes

    qtbot.keyClick(dialog.pain_now, Qt.Key.Key_Return)  # space again: Enter saves
    assert not dialog.isVisible() and dialog.saved_id is not None
    saved = demo_profile.log.check_ins.get(dialog.saved_id).data
    assert (saved.day, saved.pain_now) == (A_FREE_DAY, 7)


def test_a_background_save_on_a_full_disk_shows_the_message_and_the_window_goes_on(
    qtbot: QtBot,
    window: MainWindow,
    demo_profile: ProfileSession,
    messages: RecordingMessages,
) -> None:
    """Work run by the window's jobs (imports, exports) reports through the Messages service."""
    count = demo_profile.log.check_ins.count()

    def save(_progress: Progress) -> int:
        return demo_profile.log.check_ins.add_many(_filler())[0]

    with database_refuses(demo_profile.database, "full"):
        handle = window.jobs.run("Saving…", save)
        qtbot.waitUntil(lambda: handle.done, timeout=20_000)

    assert [kind for kind in messages.kinds()] == ["problem"]
    assert messages.shown[0][2].startswith(DISK_FULL)
    assert demo_profile.log.check_ins.count() == count

    done: list[int] = []
    window.jobs.run("Saving…", save, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    assert demo_profile.log.check_ins.count() == count + FILLER_CHECK_INS
    window.show_page("log")
    assert window.isEnabled() and window.isVisible()


def _filler() -> list[CheckInData]:
    first = dt.date(2017, 1, 1)
    return [
        CheckInData(first + dt.timedelta(days=n), pain_now=4, notes=f"{n} " + "y" * 1900)
        for n in range(FILLER_CHECK_INS)
    ]
