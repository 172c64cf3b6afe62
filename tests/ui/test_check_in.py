"""The daily check-in driven by the keyboard only: values land in the database, nothing is lost."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QWidget,
)
from pytestqt.qtbot import QtBot

from backlog_app.domain.log_records import (
    BodySite,
    CheckInData,
    DoseTaken,
    LegSymptom,
    MedicationData,
    SleepQuality,
    WorkStatus,
)
from backlog_app.errors import ValidationError
from backlog_app.services.context import ProfileSession
from backlog_app.ui.editors.check_in_dialog import CheckInDialog
from backlog_app.ui.editors.log_editors import open_check_in
from backlog_app.ui.editors.log_widgets import ScorePicker
from tests.ui.accessibility import unnamed_controls
from tests.ui.conftest import RecordingMessages, when_dialog_opens

TODAY = dt.date(2026, 11, 27)
YESTERDAY = TODAY - dt.timedelta(days=1)
Key = Qt.Key


class Keyboard:
    """Presses keys on whatever has the focus, as a person would, and counts them."""

    def __init__(self, qtbot: QtBot) -> None:
        self._qtbot = qtbot
        self.count = 0

    def press(
        self, key: Qt.Key | str, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        focused = QApplication.focusWidget()
        assert focused is not None, "nothing has the keyboard focus"
        self._qtbot.keyClick(focused, key, modifier)
        self.count += 1

    def type(self, text: str) -> None:
        for character in text:
            self.press(character)

    def tab(self, times: int = 1) -> None:
        for _ in range(times):
            self.press(Key.Key_Tab)


@pytest.fixture
def medications(profile: ProfileSession) -> dict[str, int]:
    """Naproxen (regular), tramadol (as needed), and cyclobenzaprine, stopped last month."""
    meds = profile.log.medications
    return {
        "naproxen": meds.add(
            MedicationData("Naproxen", dt.date(2026, 11, 1), "500 mg", frequency="twice a day")
        ),
        "tramadol": meds.add(
            MedicationData("Tramadol", dt.date(2026, 11, 2), "50 mg", as_needed=True)
        ),
        "cyclobenzaprine": meds.add(
            MedicationData("Cyclobenzaprine", dt.date(2026, 9, 1), stop_date=dt.date(2026, 10, 30))
        ),
    }


@pytest.fixture
def open_dialog(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> Iterator[Callable[..., CheckInDialog]]:
    """Shows a check-in dialog (not modal, so the test keeps control) with the keyboard focus."""

    def make(check_in_id: int | None = None, day: dt.date | None = None) -> CheckInDialog:
        dialog = CheckInDialog(profile, messages, check_in_id, day=day)
        qtbot.addWidget(dialog)
        with qtbot.waitActive(dialog):
            dialog.show()
            dialog.activateWindow()
        return dialog

    yield make


def test_a_complete_check_in_typed_with_the_keyboard_lands_in_the_database(
    qtbot: QtBot,
    profile: ProfileSession,
    medications: dict[str, int],
    open_dialog: Callable[..., CheckInDialog],
) -> None:
    profile.log.check_ins.save(
        CheckInData(YESTERDAY, pain_now=5, doses=(DoseTaken(medications["naproxen"], 2, 30),))
    )
    dialog = open_dialog()
    assert QApplication.focusWidget() is dialog.pain_now
    keys = Keyboard(qtbot)

    keys.type("6")  # pain now
    keys.tab()
    keys.type("5")  # average pain
    keys.tab()
    keys.type("8")  # worst pain
    keys.tab()
    keys.type("4")  # got in the way of enjoying life
    keys.tab()
    keys.type("10")  # got in the way of general activity: "1" then "0" is 10
    keys.tab()
    keys.press(Key.Key_Space)  # where it hurts: lower back
    keys.press(Key.Key_Down)  # left buttock
    keys.press(Key.Key_Down)  # left thigh
    keys.press(Key.Key_Space)
    keys.tab()
    keys.press(Key.Key_Right)  # leg symptoms: numbness → tingling
    keys.press(Key.Key_Space)
    keys.tab()
    keys.type("6.5")  # hours of sleep
    keys.tab()
    keys.type("p")  # sleep quality: Poor
    keys.tab()
    keys.type("m")  # work: Modified duty
    keys.tab()
    keys.type("20")  # minutes of walking
    keys.tab()
    keys.type("30")  # sitting
    keys.tab()
    keys.type("15")  # standing
    keys.tab()
    assert QApplication.focusWidget() is dialog.medications.checkbox(medications["naproxen"])
    keys.tab(2)  # naproxen is ticked from yesterday, 2 doses: on to its relief
    keys.type("40")
    keys.tab()
    keys.press(Key.Key_Space)  # tramadol, as needed: taken today
    keys.tab(3)  # its doses (1), its relief (not recorded), the notes
    keys.type("ok")
    keys.press(Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = profile.log.check_ins.for_day(TODAY)
    assert saved is not None
    assert saved.data == CheckInData(
        day=TODAY,
        pain_now=6,
        pain_average=5,
        pain_worst=8,
        pain_sites=frozenset({BodySite.LOWER_BACK, BodySite.THIGH_LEFT}),
        leg_symptoms=frozenset({LegSymptom.TINGLING}),
        peg_enjoyment=4,
        peg_activity=10,
        sleep_hours=6.5,
        sleep_quality=SleepQuality.POOR,
        walk_minutes=20,
        sit_minutes=30,
        stand_minutes=15,
        work_status=WorkStatus.MODIFIED_DUTY,
        notes="ok",
        doses=(DoseTaken(medications["naproxen"], 2, 40), DoseTaken(medications["tramadol"], 1)),
    )
    # Every question of the check-in, answered, in this many key presses (Tab included).
    assert keys.count == 48


def test_the_shortest_check_in_is_five_scores_and_enter(
    qtbot: QtBot, profile: ProfileSession, open_dialog: Callable[..., CheckInDialog]
) -> None:
    dialog = open_dialog()  # keep a reference: the dialog has no parent
    keys = Keyboard(qtbot)
    for score in "65845":
        keys.type(score)
        keys.tab()
    keys.press(Key.Key_Return)
    saved = profile.log.check_ins.for_day(TODAY)
    assert saved is not None
    assert (saved.data.pain_now, saved.data.peg_activity) == (6, 5)
    assert keys.count == 11
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_not_recorded_stays_none_and_delete_clears_a_score(
    qtbot: QtBot, profile: ProfileSession, open_dialog: Callable[..., CheckInDialog]
) -> None:
    dialog = open_dialog()
    keys = Keyboard(qtbot)
    keys.type("0")  # pain now: 0 is a score, not "not recorded"
    keys.tab()
    keys.type("3")
    keys.press(Key.Key_Delete)  # average pain: changed my mind, not recorded
    assert dialog.pain_average.value() is None
    keys.press(Key.Key_Return)
    saved = profile.log.check_ins.for_day(TODAY)
    assert saved is not None
    assert saved.data == CheckInData(day=TODAY, pain_now=0)
    assert dialog.peg_result.text().startswith("—")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("11", 1), ("10", 10), ("7", 7), ("100", 0), ("1", 1), ("9", 9)],
)
def test_a_score_above_ten_cannot_be_typed(qtbot: QtBot, typed: str, expected: int) -> None:
    picker = ScorePicker("Pain now")
    qtbot.addWidget(picker)
    for character in typed:
        qtbot.keyClick(picker, character)
    assert picker.value() == expected


def test_an_odi_section_takes_only_zero_to_five(qtbot: QtBot) -> None:
    picker = ScorePicker("Section 1", maximum=5)
    qtbot.addWidget(picker)
    qtbot.keyClick(picker, "7")
    assert picker.value() is None
    qtbot.keyClick(picker, "5")
    qtbot.keyClick(picker, Key.Key_Right)
    assert picker.value() == 5
    qtbot.keyClick(picker, Key.Key_Home)
    assert picker.value() == 0
    qtbot.keyClick(picker, Key.Key_Left)
    assert picker.value() is None


def test_pain_eleven_is_refused_by_the_picker_and_the_service(profile: ProfileSession) -> None:
    with pytest.raises(ValueError, match="from 0 to 10"):
        ScorePicker("Pain now").set_value(11)
    with pytest.raises(ValidationError, match="Pain now must be between 0 and 10"):
        profile.log.check_ins.save(CheckInData(TODAY, pain_now=11))
    assert profile.log.check_ins.count() == 0


@pytest.mark.parametrize(
    "start_in",
    ["pain_worst", "sleep_hours", "sleep_quality", "sites", "notes_via_ctrl"],
)
def test_enter_saves_from_within_the_fields(
    qtbot: QtBot, profile: ProfileSession, open_dialog: Callable[..., CheckInDialog], start_in: str
) -> None:
    dialog = open_dialog()
    qtbot.keyClick(dialog.pain_now, "4")
    field = {
        "pain_worst": dialog.pain_worst,
        "sleep_hours": dialog.sleep_hours,
        "sleep_quality": dialog.sleep_quality,
        "sites": dialog.sites.box(BodySite.LOWER_BACK),
        "notes_via_ctrl": dialog.notes,
    }[start_in]
    field.setFocus()
    modifier = (
        Qt.KeyboardModifier.ControlModifier
        if start_in == "notes_via_ctrl"
        else Qt.KeyboardModifier.NoModifier
    )
    qtbot.keyClick(field, Key.Key_Return, modifier)
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = profile.log.check_ins.for_day(TODAY)
    assert saved is not None and saved.data.pain_now == 4


def test_plain_enter_in_the_notes_starts_a_new_line(
    qtbot: QtBot, profile: ProfileSession, open_dialog: Callable[..., CheckInDialog]
) -> None:
    dialog = open_dialog()
    dialog.notes.setFocus()
    qtbot.keyClicks(dialog.notes, "first")
    qtbot.keyClick(dialog.notes, Key.Key_Return)
    qtbot.keyClicks(dialog.notes, "second")
    assert dialog.isVisible()
    assert dialog.notes.toPlainText() == "first\nsecond"
    assert profile.log.check_ins.count() == 0


def test_escape_asks_before_discarding_typed_changes(
    qtbot: QtBot,
    profile: ProfileSession,
    messages: RecordingMessages,
    open_dialog: Callable[..., CheckInDialog],
) -> None:
    dialog = open_dialog()
    keys = Keyboard(qtbot)
    keys.type("7")
    messages.confirm_answer = False  # "keep editing"
    keys.press(Key.Key_Escape)
    assert messages.shown[-1][:2] == ("confirm", "Discard changes?")
    assert dialog.isVisible()
    assert dialog.pain_now.value() == 7
    messages.confirm_answer = True
    keys.press(Key.Key_Escape)
    assert not dialog.isVisible()
    assert profile.log.check_ins.count() == 0


def test_escape_on_an_untouched_check_in_closes_without_asking(
    qtbot: QtBot, messages: RecordingMessages, open_dialog: Callable[..., CheckInDialog]
) -> None:
    dialog = open_dialog()
    Keyboard(qtbot).press(Key.Key_Escape)
    assert not dialog.isVisible()
    assert messages.shown == []


def test_problems_show_inline_and_nothing_is_saved(
    qtbot: QtBot, profile: ProfileSession, open_dialog: Callable[..., CheckInDialog]
) -> None:
    dialog = open_dialog()
    dialog.pain_now.set_value(5)
    dialog.day.set_date(dt.date(2099, 1, 1))
    assert "future" in dialog.day_notice.text()
    qtbot.keyClick(dialog.pain_now, Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.problems.isVisible()
    assert "is in the future" in dialog.problems.text()
    dialog.walk_minutes.setText("2000")
    dialog.try_save()
    assert "Minutes of walking must be between 0 and 1440" in dialog.problems.text()
    assert profile.log.check_ins.count() == 0


def test_regular_medications_are_carried_over_from_the_latest_check_in(
    profile: ProfileSession,
    medications: dict[str, int],
    open_dialog: Callable[..., CheckInDialog],
) -> None:
    profile.log.check_ins.save(
        CheckInData(
            TODAY - dt.timedelta(days=3),  # the latest, even if not yesterday
            doses=(
                DoseTaken(medications["naproxen"], 2, 30),
                DoseTaken(medications["tramadol"], 1, 50),
            ),
        )
    )
    dialog = open_dialog()
    assert dialog.collect().doses == (DoseTaken(medications["naproxen"], 2, None),)
    shown = {taken.text() for taken in dialog.medications.findChildren(QAbstractButton)}
    assert "Naproxen 500 mg" in shown
    assert "Tramadol 50 mg (as needed)" in shown
    assert not any("Cyclobenzaprine" in text for text in shown)  # stopped before today
    assert "ticked as on 24 Nov 2026" in dialog.carried_note.text()


def test_a_second_check_in_for_a_day_offers_the_existing_one_and_keeps_the_typing(
    qtbot: QtBot,
    profile: ProfileSession,
    messages: RecordingMessages,
    open_dialog: Callable[..., CheckInDialog],
) -> None:
    existing_id = profile.log.check_ins.save(
        CheckInData(TODAY, pain_now=3, pain_worst=6, notes="morning")
    )
    dialog = open_dialog(day=YESTERDAY)
    assert not dialog.open_existing_button.isVisible()
    keys = Keyboard(qtbot)
    keys.type("7")
    dialog.day.set_date(TODAY)
    assert dialog.open_existing_button.isVisible()
    assert "already has a check-in" in dialog.day_notice.text()

    messages.confirm_answer = False
    keys.press(Key.Key_Return)
    assert messages.shown[-1][:2] == ("confirm", "Check-in already exists")
    assert "already a check-in" in dialog.problems.text()
    assert profile.log.check_ins.count() == 1

    messages.confirm_answer = True
    keys.press(Key.Key_Return)  # offered again: open it
    assert dialog.isVisible()
    assert dialog.pain_now.value() == 7  # what was typed stays
    assert dialog.pain_worst.value() == 6  # the rest comes from the saved check-in
    keys.press(Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert profile.log.check_ins.count() == 1
    saved = profile.log.check_ins.get(existing_id).data
    assert (saved.pain_now, saved.pain_worst, saved.notes) == (7, 6, "morning")


def test_the_open_button_switches_to_the_existing_check_in(
    qtbot: QtBot, profile: ProfileSession, open_dialog: Callable[..., CheckInDialog]
) -> None:
    existing_id = profile.log.check_ins.save(CheckInData(TODAY, pain_now=3))
    dialog = open_dialog(day=YESTERDAY)
    dialog.day.set_date(TODAY)
    qtbot.mouseClick(dialog.open_existing_button, Qt.MouseButton.LeftButton)
    assert dialog.windowTitle().startswith("Edit check-in")
    assert dialog.pain_now.value() == 3
    dialog.pain_now.set_value(4)
    dialog.try_save()
    assert dialog.saved_id == existing_id
    assert profile.log.check_ins.get(existing_id).data.pain_now == 4


def test_check_in_now_opens_todays_saved_check_in(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    profile.log.check_ins.save(CheckInData(TODAY, pain_now=3))
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[str] = []

    def check(dialog: QDialog) -> None:
        assert isinstance(dialog, CheckInDialog)
        seen.append(dialog.windowTitle())
        qtbot.keyClick(dialog.pain_now, "5")
        qtbot.keyClick(dialog.pain_now, Key.Key_Return)

    when_dialog_opens(qtbot, check)
    assert open_check_in(profile, messages, parent) is True
    assert seen == ["Edit check-in — Friday 27 Nov 2026"]
    saved = profile.log.check_ins.for_day(TODAY)
    assert saved is not None and saved.data.pain_now == 5
    assert profile.log.check_ins.count() == 1


def test_every_control_has_an_accessible_name(open_dialog: Callable[..., CheckInDialog]) -> None:
    assert unnamed_controls(open_dialog()) == []
