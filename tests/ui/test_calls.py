"""The call log: the call dialog typed like a user would, the calls view, and Ctrl+Shift+C."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from backlog_app.domain.cases import (
    Call,
    CallData,
    CallDirection,
    CaseData,
    CaseEventData,
    EventType,
    Procedure,
)
from backlog_app.domain.records import PlanData, PlanType
from backlog_app.services.context import ProfileSession
from backlog_app.ui.cases.call_dialog import CallDialog, edit_call, log_call
from backlog_app.ui.cases.calls_view import EMPTY_ALL, NO_MATCH, CallsView
from backlog_app.ui.main_window import MainWindow
from backlog_app.ui.models.call_model import (
    CALL_ID_ROLE,
    COLUMN_FOLLOW_UP,
    COLUMN_SUMMARY,
    COLUMN_WITH,
    DONE_MARK,
    SEARCH_ROLE,
    CallTableModel,
)
from backlog_app.ui.page_keys import PAGE_CASES, PAGE_HOME
from tests.ui.accessibility import unnamed_controls
from tests.ui.conftest import RecordingMessages, when_dialog_opens

CTRL = Qt.KeyboardModifier.ControlModifier


DialogAct = Callable[[QDialog], None]


@pytest.fixture
def when_open(qtbot: QtBot) -> Iterator[Callable[[DialogAct], None]]:
    """when_dialog_opens, made safe: a failed check closes the dialog (instead of hanging the
    test in exec()) and fails the test; a dialog left open fails it too."""
    failures: list[BaseException] = []

    def arm(act: DialogAct) -> None:
        def run(dialog: QDialog) -> None:
            try:
                # Tab and the Ctrl+Enter shortcut need the dialog to be the active window.
                dialog.activateWindow()
                qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=2000)
                act(dialog)
            except BaseException as exc:
                failures.append(exc)
            if dialog.isVisible():
                failures.append(AssertionError(f"the dialog stayed open: {dialog.windowTitle()}"))
                dialog.done(0)

        when_dialog_opens(qtbot, run)

    yield arm
    if failures:
        raise failures[0]


@pytest.fixture
def case_id(profile: ProfileSession) -> int:
    """A microdiscectomy request on an employer plan, submitted on 2 Nov 2026."""
    plan_id = profile.plans.add(
        PlanData(
            "Buckeye Mutual Health",
            PlanType.EMPLOYER_PPO,
            plan_name="Choice PPO",
            prior_auth_phone="(800) 555-0142",
        )
    )
    case = profile.cases.add(
        CaseData(Procedure.MICRODISCECTOMY, procedure_detail="L4-L5 left", plan_id=plan_id)
    )
    profile.cases.add_event(CaseEventData(case, EventType.REQUEST_SUBMITTED, dt.date(2026, 11, 2)))
    return case


@pytest.fixture
def view(qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages) -> Iterator[CallsView]:
    statuses: list[str] = []
    calls_view = CallsView(profile, messages, statuses.append)
    calls_view.statuses = statuses  # type: ignore[attr-defined]
    qtbot.addWidget(calls_view)
    calls_view.resize(900, 400)
    calls_view.show()
    qtbot.waitExposed(calls_view)
    calls_view.activateWindow()
    qtbot.waitActive(calls_view)
    yield calls_view
    calls_view.detach()


def a_call(organization: str = "Buckeye Mutual Health", **changes: object) -> CallData:
    values: dict[str, object] = {
        "called_at": dt.datetime(2026, 11, 20, 14, 5),
        "direction": CallDirection.OUTGOING,
        "organization": organization,
    }
    values.update(changes)
    return CallData(**values)  # type: ignore[arg-type]


def test_the_call_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = CallTableModel()
    calls = [
        Call(1, a_call(summary="Asked for the claim file.\nThey will mail it.")),
        Call(
            2,
            a_call(
                "Midwest Spine Institute",
                direction=CallDirection.INCOMING,
                case_id=7,
                follow_up="Fax the PT notes",
                follow_up_date=dt.date(2026, 11, 30),
                follow_up_done=True,
                reference_number="REF-889",
            ),
        ),
    ]
    model.set_calls(calls, {7: "Microdiscectomy — L4-L5 left"})
    qtmodeltester.check(model)
    assert model.data(model.index(0, COLUMN_SUMMARY)) == "Asked for the claim file."
    assert model.data(model.index(1, COLUMN_WITH)) == "← Midwest Spine Institute"
    assert model.data(model.index(1, COLUMN_FOLLOW_UP)) == f"30 Nov 2026 {DONE_MARK}"
    assert model.data(model.index(1, 0), CALL_ID_ROLE) == 2
    assert "REF-889" in model.data(model.index(1, 0), SEARCH_ROLE)
    assert "Microdiscectomy" in model.data(model.index(1, 0), SEARCH_ROLE)
    model.set_calls([])
    qtmodeltester.check(model)


def test_a_call_typed_with_a_follow_up_joins_the_due_list_until_it_is_done(
    when_open: Callable[[DialogAct], None],
    qtbot: QtBot,
    view: CallsView,
    profile: ProfileSession,
    messages: RecordingMessages,
    case_id: int,
) -> None:
    view.show_calls(None)
    assert view.empty.isVisible() and view.empty.text() == EMPTY_ALL
    seen: dict[str, object] = {}

    def type_call(dialog: QDialog) -> None:
        assert isinstance(dialog, CallDialog)
        seen["unnamed"] = unnamed_controls(dialog)
        focus = QApplication.focusWidget()
        seen["focus"] = focus in (dialog.organization, dialog.organization.lineEdit())
        # Tab order: With → Phone → Spoke to → Reference (typed as a user would).
        qtbot.keyClicks(dialog.organization.lineEdit(), "Buckeye Mutual Health")
        qtbot.keyClick(dialog.organization.lineEdit(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is dialog.phone
        qtbot.keyClicks(dialog.phone, "(800) 555-0142")
        qtbot.keyClick(dialog.phone, Qt.Key.Key_Tab)
        qtbot.keyClicks(dialog.representative, "Dana")
        qtbot.keyClick(dialog.representative, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is dialog.reference
        qtbot.keyClicks(dialog.reference, "CALL-2026-1120-77")
        dialog.case.setCurrentIndex(dialog.case.findData(case_id))
        seen["events"] = [dialog.case_event.itemText(i) for i in range(dialog.case_event.count())]
        qtbot.keyClicks(dialog.summary, "Asked why the request is still pending.")
        qtbot.keyClicks(dialog.follow_up, "Nurse reviewer calls back")
        dialog.follow_up_date.set_date(dt.date(2026, 12, 1))
        qtbot.keyClick(dialog.summary, Qt.Key.Key_Return, CTRL)  # Ctrl+Enter saves

    when_open(type_call)
    qtbot.mouseClick(view.log_button, Qt.MouseButton.LeftButton)

    assert seen["unnamed"] == []
    assert seen["focus"] is True  # "With" comes first: the date and time are now
    assert seen["events"] == ["— no event —", "2 Nov 2026 · Request submitted"]
    (call,) = profile.calls.list()
    assert call.data.organization == "Buckeye Mutual Health"
    assert call.data.reference_number == "CALL-2026-1120-77"
    assert call.data.case_id == case_id
    assert call.data.called_at.date() == profile.clock()
    assert call.data.follow_up_date == dt.date(2026, 12, 1)
    due = [item for item in profile.cases.due_items() if item.call_id == call.id]
    assert len(due) == 1 and due[0].due == dt.date(2026, 12, 1)

    assert view.model.rowCount() == 1 and view.selected_id() == call.id
    assert view.statuses == ["Call logged."]  # type: ignore[attr-defined]
    assert view.done_button.isEnabled()
    qtbot.mouseClick(view.done_button, Qt.MouseButton.LeftButton)
    assert profile.calls.get(call.id).data.follow_up_done
    assert [item for item in profile.cases.due_items() if item.call_id == call.id] == []
    assert DONE_MARK in view.model.data(view.model.index(0, COLUMN_FOLLOW_UP))
    assert "not" in view.done_button.text()  # it can be opened again


def test_bad_input_is_explained_in_the_dialog_and_nothing_is_saved(
    when_open: Callable[[DialogAct], None],
    qtbot: QtBot,
    profile: ProfileSession,
    messages: RecordingMessages,
) -> None:
    seen: dict[str, object] = {}

    def type_bad_call(dialog: QDialog) -> None:
        assert isinstance(dialog, CallDialog)
        dialog.try_save()  # nobody to talk to yet
        seen["empty"] = dialog.problems.text()
        qtbot.keyClicks(dialog.organization.lineEdit(), "Buckeye Mutual Health")
        qtbot.keyClicks(dialog.phone, "555")
        dialog.follow_up_date.set_date(dt.date(2026, 1, 5))  # before the call
        dialog.try_save()
        seen["bad"] = dialog.problems.text()
        seen["count"] = profile.calls.count()
        dialog.phone.clear()
        dialog.follow_up_date.set_date(None)
        dialog.try_save()

    when_open(type_bad_call)
    call_id = log_call(None, profile, messages)
    assert "Please say who the call was with" in str(seen["empty"])
    assert "Phone “555”" in str(seen["bad"])
    assert "follow-up date is before the call" in str(seen["bad"])
    assert seen["count"] == 0
    assert call_id is not None and profile.calls.count() == 1
    assert messages.shown == []


def test_a_call_about_a_case_starts_with_its_insurer_and_phone(
    when_open: Callable[[DialogAct], None],
    qtbot: QtBot,
    profile: ProfileSession,
    messages: RecordingMessages,
    case_id: int,
) -> None:
    seen: dict[str, str] = {}

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, CallDialog)
        seen["with"] = dialog.organization.currentText()
        seen["phone"] = dialog.phone.text()
        seen["case"] = dialog.case.currentText()
        dialog.try_save()

    when_open(look)
    call_id = log_call(None, profile, messages, case_id=case_id)
    assert seen == {
        "with": "Buckeye Mutual Health",
        "phone": "(800) 555-0142",
        "case": "Microdiscectomy — L4-L5 left",
    }
    assert call_id is not None and profile.calls.get(call_id).data.case_id == case_id


def test_editing_keeps_what_was_not_changed(
    when_open: Callable[[DialogAct], None],
    qtbot: QtBot,
    profile: ProfileSession,
    messages: RecordingMessages,
) -> None:
    call_id = profile.calls.add(
        a_call(representative="Dana", summary="First line\nSecond line", reference_number="R-1")
    )

    def change(dialog: QDialog) -> None:
        assert isinstance(dialog, CallDialog)
        assert not dialog.is_modified()
        dialog.incoming.setChecked(True)
        dialog.reference.setText("R-2")
        dialog.try_save()

    when_open(change)
    assert edit_call(None, profile, messages, call_id)
    saved = profile.calls.get(call_id).data
    assert saved == a_call(
        direction=CallDirection.INCOMING,
        representative="Dana",
        summary="First line\nSecond line",
        reference_number="R-2",
    )


def test_delete_search_and_undo_in_the_calls_view(
    qtbot: QtBot, view: CallsView, profile: ProfileSession, case_id: int
) -> None:
    first = profile.calls.add(a_call(reference_number="REF-1", case_id=case_id))
    profile.calls.add(a_call("Midwest Spine Institute", summary="Asked for the office notes"))
    view.show_calls(None)
    assert view.model.rowCount() == 2
    assert not view.table.isColumnHidden(2)  # the Case column, for every call
    qtbot.keyClicks(view.search, "office notes")
    assert view.proxy.rowCount() == 1 and view.count_label.text() == "1 of 2 calls"
    view.search.clear()
    qtbot.keyClicks(view.search, "no such words")
    assert view.proxy.rowCount() == 0 and view.empty.text() == NO_MATCH
    view.search.clear()

    view.select_id(first)
    qtbot.mouseClick(view.delete_button, Qt.MouseButton.LeftButton)
    assert profile.calls.count() == 1 and view.model.rowCount() == 1
    assert view.undo_button.isEnabled()
    qtbot.mouseClick(view.undo_button, Qt.MouseButton.LeftButton)
    assert profile.calls.get(first).data.reference_number == "REF-1"
    assert view.model.rowCount() == 2 and view.selected_id() == first
    assert not view.undo_button.isEnabled()

    view.show_calls(case_id)
    assert view.model.rowCount() == 1 and view.table.isColumnHidden(2)


def test_a_hidden_view_reads_again_when_shown(
    qtbot: QtBot, view: CallsView, profile: ProfileSession
) -> None:
    view.show_calls(None)
    view.hide()
    profile.calls.add(a_call())
    assert view.model.rowCount() == 0  # nothing read while hidden
    view.show()
    qtbot.waitExposed(view)
    assert view.model.rowCount() == 1


def test_ctrl_shift_c_opens_the_call_dialog_from_home(
    when_open: Callable[[DialogAct], None],
    qtbot: QtBot,
    window: MainWindow,
    demo_profile: ProfileSession,
) -> None:
    window.show_page(PAGE_HOME)
    before = demo_profile.calls.count()
    seen: dict[str, object] = {}

    def look(dialog: QDialog) -> None:
        seen["dialog"] = dialog
        assert isinstance(dialog, CallDialog)
        seen["case"] = dialog.case.value()
        qtbot.keyClicks(dialog.organization.lineEdit(), "Midwest Spine Institute")
        qtbot.keyClick(dialog.organization.lineEdit(), Qt.Key.Key_Return, CTRL)

    when_open(look)
    qtbot.keyClick(window, Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert isinstance(seen.get("dialog"), CallDialog)
    assert seen["case"] is None  # not on the Cases page: no case chosen for the user
    assert demo_profile.calls.count() == before + 1
    assert window.statusBar().currentMessage() == "Call logged."


def test_ctrl_shift_c_on_the_cases_page_is_about_the_case_shown(
    when_open: Callable[[DialogAct], None],
    qtbot: QtBot,
    window: MainWindow,
    demo_profile: ProfileSession,
) -> None:
    case = demo_profile.cases.list()[-1]
    window.show_page(PAGE_CASES)
    window.cases_page.show_case(case.id)
    assert window.cases_page.current_case_id() == case.id
    seen: dict[str, object] = {}

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, CallDialog)
        seen["case"] = dialog.case.value()
        dialog.reject()

    when_open(look)
    qtbot.keyClick(window, Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert seen["case"] == case.id


def test_the_call_log_reads_case_titles_without_working_out_deadlines(
    qtbot: QtBot,
    view: CallsView,
    profile: ProfileSession,
    case_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    profile.calls.add(a_call(case_id=case_id))

    def no_deadlines() -> object:
        raise AssertionError("the call log asked for every case's deadlines")

    monkeypatch.setattr(profile.cases, "list", no_deadlines)
    view.show_calls(None)
    assert view.model.rowCount() == 1
    shown = view.proxy.index(0, 2).data()
    assert shown == profile.cases.titles()[case_id] == "Microdiscectomy — L4-L5 left"


def test_the_calls_view_says_what_undo_puts_back(
    qtbot: QtBot, view: CallsView, profile: ProfileSession
) -> None:
    call_id = profile.calls.add(a_call("Midwest Spine Institute"))
    view.show_calls(None)
    assert view.undo_description() is None
    with qtbot.waitSignal(view.undo_changed):
        view.select_id(call_id)
        view.delete_selected()
    assert view.undo_description() == "the call with Midwest Spine Institute"
    with qtbot.waitSignal(view.undo_changed):
        view.undo_delete()
    assert view.undo_description() is None and profile.calls.count() == 1
