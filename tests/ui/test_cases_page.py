"""The Cases page: the case list and its model, the case view's tabs, and the user's way through
a case — start it by typing and clicking, add a denial, see its deadline, change a rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from backlog_app.domain.cases import (
    CallData,
    CallDirection,
    CaseData,
    CaseEventData,
    CaseStatus,
    DenialReason,
    EventType,
    Outcome,
    Priority,
    Procedure,
)
from backlog_app.domain.deadline_rules import RuleKey
from backlog_app.domain.documents import LinkTarget
from backlog_app.domain.log_records import OdiScoreData
from backlog_app.domain.readiness import Evidence, EvidenceKind
from backlog_app.domain.records import PlanData, PlanType, ProviderData, ProviderRole
from backlog_app.services.context import ProfileSession
from backlog_app.ui.cases.case_dialog import CaseDialog
from backlog_app.ui.cases.case_view import TAB_DEADLINES, TAB_DOCUMENTS
from backlog_app.ui.cases.event_dialog import EventDialog
from backlog_app.ui.cases.override_dialog import OverrideDialog
from backlog_app.ui.cases.timeline_entries import EntryKind, TimelineEntry, timeline_entries
from backlog_app.ui.main_window import MainWindow
from backlog_app.ui.models.case_model import (
    CASE_ID_ROLE,
    CASE_ROW_ROLE,
    COLUMN_CASE,
    COLUMN_NEXT,
    COLUMN_STATUS,
    DUE_STATUS_ROLE,
    OPEN_ROLE,
    CaseTableModel,
)
from backlog_app.ui.page_keys import PAGE_CASES, PAGE_DOCUMENTS, PAGE_LOG
from backlog_app.ui.pages.cases_page import FILTER_ALL, TAB_CALL_LOG, CasesPage
from backlog_app.ui.pages.log_page import TAB_OUTCOMES
from backlog_app.ui.signals import DataChanges
from tests.ui.accessibility import unnamed_controls
from tests.ui.conftest import RecordingMessages, when_dialog_opens

DENIAL_DAY = dt.date(2026, 11, 3)
RECEIVED_DAY = dt.date(2026, 11, 7)


@pytest.fixture
def insured(profile: ProfileSession) -> ProfileSession:
    """The empty profile with an employer plan and two providers."""
    profile.plans.add(PlanData("Buckeye Mutual Health", PlanType.EMPLOYER_PPO, "Choice PPO"))
    profile.providers.add(ProviderData("Dr. Samuel Okafor", ProviderRole.SPINE_SURGEON))
    profile.providers.add(ProviderData("Northside Surgery Center", ProviderRole.SURGERY_CENTER))
    return profile


def _add_case(profile: ProfileSession, procedure: Procedure = Procedure.MICRODISCECTOMY) -> int:
    plan = profile.plans.list()[0].id
    return profile.cases.add(
        CaseData(procedure, "L5-S1 right", "63030", "M51.17", plan_id=plan, reference_number="R-1")
    )


def _event(
    profile: ProfileSession, case_id: int, kind: EventType, day: dt.date, **kw: object
) -> int:
    return profile.cases.add_event(CaseEventData(case_id, kind, day, **kw), confirmed=True)  # type: ignore[arg-type]


def _denied_case(profile: ProfileSession) -> int:
    case_id = _add_case(profile)
    _event(profile, case_id, EventType.REQUEST_SUBMITTED, dt.date(2026, 10, 20))
    _event(
        profile,
        case_id,
        EventType.DENIED,
        DENIAL_DAY,
        received_date=RECEIVED_DAY,
        reason=DenialReason.MISSING_DOCUMENTATION,
        quoted_reason="Six weeks of physical therapy are not documented.",
    )
    return case_id


@pytest.fixture
def page(qtbot: QtBot, insured: ProfileSession, messages: RecordingMessages) -> Iterator[CasesPage]:
    """The Cases page alone, told about the profile's changes as ProfileView tells it."""
    statuses: list[str] = []
    cases = CasesPage(insured, messages, statuses.append)
    cases.statuses = statuses  # type: ignore[attr-defined]
    changes = DataChanges(insured.changes, cases)
    changes.changed.connect(cases.on_data_changed)
    qtbot.addWidget(cases)
    cases.resize(1200, 800)
    cases.show()
    qtbot.waitExposed(cases)
    yield cases
    changes.detach()  # the profile's bus must not keep the page alive after the test
    cases.detach()


def _type(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)


# The model ------------------------------------------------------------------------------------


def test_case_model_passes_the_model_tester(
    qtmodeltester: ModelTester, insured: ProfileSession, today: dt.date
) -> None:
    denied = _denied_case(insured)
    approved = _add_case(insured, Procedure.LUMBAR_MRI)
    _event(insured, approved, EventType.REQUEST_SUBMITTED, dt.date(2026, 9, 1))
    _event(insured, approved, EventType.APPROVED, dt.date(2026, 9, 5))
    model = CaseTableModel(insured.clock)
    model.set_rows(insured.cases.list())
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    row = model.row_of(denied)
    assert row is not None
    first = model.index(row, COLUMN_CASE)
    assert model.data(first, CASE_ID_ROLE) == denied
    assert model.data(first, CASE_ROW_ROLE).status is CaseStatus.DENIED
    assert model.data(first, OPEN_ROLE) is True
    assert model.data(model.index(row, COLUMN_STATUS)) == "Denied"
    next_text = model.data(model.index(row, COLUMN_NEXT))
    assert next_text.startswith("File your") and "—" in next_text
    assert model.data(first, DUE_STATUS_ROLE) == "later"
    assert model.headerData(COLUMN_NEXT, Qt.Orientation.Horizontal) == "Next deadline"
    model.set_compact(True)
    assert model.data(first) == "Microdiscectomy — L5-S1 right\nDenied"
    qtmodeltester.check(model)


def test_a_deadline_due_soon_is_marked_in_words_not_only_colour(
    insured: ProfileSession, today: dt.date
) -> None:
    case_id = _add_case(insured)
    # An urgent request: the plan decides within 72 hours, i.e. in 3 days.
    data = insured.cases.get(case_id).data
    from dataclasses import replace

    insured.cases.update(case_id, replace(data, priority=Priority.URGENT))
    _event(insured, case_id, EventType.REQUEST_SUBMITTED, today)
    model = CaseTableModel(insured.clock)
    model.set_rows(insured.cases.list())
    text = model.data(model.index(0, COLUMN_NEXT))
    assert text.startswith("Due in 3 days: "), text
    assert model.data(model.index(0, COLUMN_NEXT), Qt.ItemDataRole.ForegroundRole) is not None


# The page --------------------------------------------------------------------------------------


def test_no_cases_shows_a_friendly_start(page: CasesPage) -> None:
    assert page.stack.currentWidget() is page.empty
    assert "No cases yet" in page.empty_text.text()
    assert page.start_button.isVisible()
    assert page.current_case_id() is None


def test_a_user_starts_a_case_by_typing_and_clicking(
    qtbot: QtBot, page: CasesPage, insured: ProfileSession
) -> None:

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, CaseDialog)
        dialog.procedure.setFocus()
        dialog.procedure.setCurrentIndex(dialog.procedure.findText("Microdiscectomy"))
        _type(qtbot, dialog.detail, "L5-S1 right")
        _type(qtbot, dialog.cpt, "63030")
        _type(qtbot, dialog.icd10, "m5117")
        assert dialog.icd10_status.text().startswith("✓")
        dialog.requesting.setCurrentIndex(dialog.requesting.findText("Dr. Samuel Okafor"))
        _type(qtbot, dialog.reference, "REF-88213")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_dialog_opens(qtbot, fill)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)

    rows = insured.cases.list()
    assert len(rows) == 1
    case = rows[0]
    assert case.data.icd10_codes == "M51.17"  # typed without the dot, stored normalized
    assert case.plan_name == "Buckeye Mutual Health — Choice PPO"  # the first plan, chosen for it
    assert page.stack.currentWidget() is page.splitter
    assert page.current_case_id() == case.id
    assert page.view.title.text() == "Microdiscectomy — L5-S1 right"
    assert "Dr. Samuel Okafor" in page.view.facts.text()
    assert page.view.reference.value.text() == "REF-88213"
    assert not page.view.urgent.isVisible()
    assert page.view.timeline_empty.isVisible()
    assert page.statuses[-1].startswith("Case added")  # type: ignore[attr-defined]


def test_adding_a_denial_shows_its_deadline_on_the_timeline_and_the_deadlines_tab(
    qtbot: QtBot, page: CasesPage, insured: ProfileSession, messages: RecordingMessages
) -> None:
    case_id = _add_case(insured)
    _event(insured, case_id, EventType.REQUEST_SUBMITTED, dt.date(2026, 10, 20))
    page.reload()
    page.show_case(case_id)
    messages.confirm_answer = False  # "Ask for your claim file": not now

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, EventDialog)
        dialog.event_type.setCurrentIndex(dialog.event_type.findText("Denied"))
        assert dialog.field_visible(dialog.reason) and dialog.field_visible(dialog.received)
        assert not dialog.field_visible(dialog.level)
        dialog.day.set_date(DENIAL_DAY)
        dialog.received.set_date(RECEIVED_DAY)
        dialog.reason.setCurrentIndex(dialog.reason.findText("Missing documentation"))
        dialog.quoted_reason.setFocus()
        qtbot.keyClicks(dialog.quoted_reason, "Six weeks of PT are not documented.")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_dialog_opens(qtbot, fill)
    qtbot.mouseClick(page.view.add_event_button, Qt.MouseButton.LeftButton)

    detail = insured.cases.get(case_id)
    assert detail.status is CaseStatus.DENIED
    appeal = next(item for item in detail.due if item.rule is RuleKey.ERISA_APPEAL_FILING)
    assert appeal.due == RECEIVED_DAY + dt.timedelta(days=180)
    # The employer plan: the user hears about the claim file and the call recordings.
    kind, title, text = messages.shown[-1]
    assert (kind, title) == ("confirm", "Ask for your claim file")
    assert "recordings" in text and "2560.503-1(h)(2)(iii)" in text
    # The view followed: status, next step, timeline, deadlines.
    view = page.view
    assert view.status.text() == "Denied"
    assert view.next_step.text() == detail.next_step
    entries = view.timeline.timeline.entries()
    due = [e for e in entries if e.kind is EntryKind.DUE]
    assert any(e.title.startswith(appeal.title) and e.day == appeal.due for e in due)
    denial = next(e for e in entries if e.kind is EntryKind.EVENT and e.title.startswith("Denied"))
    assert "“Six weeks of PT are not documented.”" in denial.details
    kinds = [e.kind for e in entries]
    assert kinds.index(EntryKind.TODAY) < kinds.index(EntryKind.DUE)
    view.tabs.setCurrentIndex(TAB_DEADLINES)
    due_model = view.deadlines.due_model
    titles = [due_model.item(row).title for row in range(due_model.rowCount())]
    assert appeal.title in titles
    row = titles.index(appeal.title)
    assert due_model.data(due_model.index(row, 2)) == "You"
    assert "29 CFR 2560.503-1" in due_model.data(due_model.index(row, 4))
    # The case list shows the new next deadline.
    list_text = page.model.data(page.model.index(0, COLUMN_NEXT))
    assert detail.due[0].title in list_text


def test_changing_a_rule_for_the_case_moves_the_due_date(
    qtbot: QtBot, page: CasesPage, insured: ProfileSession
) -> None:
    case_id = _denied_case(insured)
    page.reload()
    page.show_case(case_id)
    view = page.view
    view.tabs.setCurrentIndex(TAB_DEADLINES)
    rules = view.deadlines.rules_model
    row = next(
        r for r in range(rules.rowCount()) if rules.item(r).rule.key is RuleKey.ERISA_APPEAL_FILING
    )
    view.deadlines.select_rule_row(row)
    assert view.deadlines.change_button.isEnabled()

    def set_sixty_days(dialog: QDialog) -> None:
        assert isinstance(dialog, OverrideDialog)
        assert not dialog.reset_button.isVisible()
        dialog.amount.setValue(60)
        _type(qtbot, dialog.note, "my letter says 60 days")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_dialog_opens(qtbot, set_sixty_days)
    qtbot.mouseClick(view.deadlines.change_button, Qt.MouseButton.LeftButton)

    def due_date() -> dt.date:
        detail = insured.cases.get(case_id)
        return next(i.due for i in detail.due if i.rule is RuleKey.ERISA_APPEAL_FILING)

    assert due_date() == RECEIVED_DAY + dt.timedelta(days=60)
    rule = view.deadlines.rules_model.item(row)
    assert rule.override is not None and rule.override.amount == 60
    shown = view.deadlines.rules_model.data(view.deadlines.rules_model.index(row, 2))
    assert shown == "60 days — my letter says 60 days"
    due_model = view.deadlines.due_model
    assert any(
        due_model.item(r).due == RECEIVED_DAY + dt.timedelta(days=60)
        for r in range(due_model.rowCount())
    )

    def reset(dialog: QDialog) -> None:
        assert isinstance(dialog, OverrideDialog)
        qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)

    view.deadlines.select_rule_row(row)
    when_dialog_opens(qtbot, reset)
    view.deadlines.change_selected()
    assert due_date() == RECEIVED_DAY + dt.timedelta(days=180)


def test_enter_edits_an_event_and_delete_can_be_undone(
    qtbot: QtBot, page: CasesPage, insured: ProfileSession
) -> None:
    case_id = _denied_case(insured)
    denial = next(e.id for e in insured.cases.get(case_id).events if e.data.day == DENIAL_DAY)
    page.reload()
    view = page.view
    assert view.current_case_id() == case_id
    assert view.timeline.select_event(denial)
    view.timeline.setFocus()
    opened: list[str] = []

    def cancel(dialog: QDialog) -> None:
        assert isinstance(dialog, EventDialog)
        opened.append(dialog.windowTitle())
        assert dialog.event_type.value() is EventType.DENIED
        dialog.reject()

    when_dialog_opens(qtbot, cancel)
    qtbot.keyClick(view.timeline, Qt.Key.Key_Return)
    assert opened == ["Edit event"]

    view.timeline.event_menu(denial).actions()[1].trigger()  # Delete event…
    assert len(insured.cases.get(case_id).events) == 1
    assert view.undo_bar.isVisible() and "Denied" in view.undo_label.text()
    qtbot.mouseClick(view.undo_button, Qt.MouseButton.LeftButton)
    assert denial in {e.id for e in insured.cases.get(case_id).events}
    assert not view.undo_bar.isVisible()
    assert view.timeline.timeline.row_of_event(denial) is not None


def test_the_status_filter_hides_settled_cases(
    qtbot: QtBot, page: CasesPage, insured: ProfileSession
) -> None:
    settled = _add_case(insured, Procedure.LUMBAR_MRI)
    _event(insured, settled, EventType.REQUEST_SUBMITTED, dt.date(2026, 9, 1))
    _event(insured, settled, EventType.APPROVED, dt.date(2026, 9, 5))
    open_case = _denied_case(insured)
    page.reload()
    shown = {page.proxy.index(r, 0).data(CASE_ID_ROLE) for r in range(page.proxy.rowCount())}
    assert shown == {open_case}
    assert page.count_label.text() == "1 open · 2 in all"
    page.show_case(settled)  # from Home: the filter opens up to show it
    assert page.status_filter.currentIndex() == FILTER_ALL
    assert page.current_case_id() == settled
    assert page.view.status.text() == "Approved"


def test_delete_case_says_calls_stay_and_selects_the_next(
    qtbot: QtBot, page: CasesPage, insured: ProfileSession, messages: RecordingMessages
) -> None:
    first = _denied_case(insured)
    second = _denied_case(insured)
    page.reload()
    page.show_case(first)
    messages.confirm_answer = False
    qtbot.mouseClick(page.view.delete_button, Qt.MouseButton.LeftButton)
    assert insured.cases.count() == 2
    kind, _title, text = messages.shown[-1]
    assert kind == "confirm" and "stay in the call log" in text and "2 events" in text
    messages.confirm_answer = True
    page.view.delete_case()
    assert insured.cases.count() == 1
    assert page.current_case_id() == second


def test_case_documents_link_and_open_on_the_documents_page(
    qtbot: QtBot,
    window: MainWindow,
    demo_profile: ProfileSession,
    messages: RecordingMessages,
) -> None:
    case_id = _add_case(demo_profile)
    document = demo_profile.documents.list()[0].info
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() == PAGE_CASES
    cases = window.cases_page
    cases.show_case(case_id)
    view = cases.view
    view.tabs.setCurrentIndex(TAB_DOCUMENTS)
    assert view.documents.stack.currentWidget() is view.documents.empty

    def choose(dialog: QDialog) -> None:
        picker = dialog
        qtbot.waitUntil(lambda: picker.loaded() and picker.model.rowCount() > 0)  # type: ignore[attr-defined]
        assert unnamed_controls(picker) == []
        picker.select_documents({document.id})  # type: ignore[attr-defined]
        qtbot.mouseClick(picker.link_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]

    when_dialog_opens(qtbot, choose)
    qtbot.mouseClick(view.documents.link_button, Qt.MouseButton.LeftButton)
    # Documents change in bursts: the case reads them again after a short pause.
    qtbot.waitUntil(lambda: view.documents.document_ids() == [document.id])
    linked = demo_profile.documents.get(document.id).links
    assert (LinkTarget.CASE, case_id) in {(link.target, link.target_id) for link in linked}

    table = view.documents.table
    index = table.model().index(0, 0)
    centre = table.visualRect(index).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    with qtbot.waitSignal(cases.open_document) as opened:
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert opened.args == [document.id]
    assert window.current_page() == PAGE_DOCUMENTS
    qtbot.waitUntil(
        lambda: (
            (selected := window.documents_page.selected_document()) is not None
            and selected.id == document.id
        )
    )

    # Back on the case: Unlink keeps the document in the vault.
    window.show_page(PAGE_CASES)
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.mouseClick(view.documents.unlink_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.documents.document_ids() == [])
    left = demo_profile.documents.get(document.id).links
    assert (LinkTarget.CASE, case_id) not in {(link.target, link.target_id) for link in left}


def test_the_window_lists_cases_fourth_and_routes_evidence_to_the_log(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.view is not None
    navigation = window.view.navigation
    titles = [navigation.item(row).text() for row in range(navigation.count())]
    assert titles[3] == "Cases & Appeals"
    assert titles == [
        "Home",
        "Log",
        "Documents",
        "Cases & Appeals",
        "Costs",
        "Profile & Insurance",
        "Providers",
    ]

    medication = window.profile.log.medications.list()[0]
    evidence = Evidence(EvidenceKind.MEDICATION, medication.id, "a medication", None)
    window.view.open_log_record(evidence)
    assert window.current_page() == "log"
    panel = window.log_page.panel(window.log_page.tabs.currentIndex())
    assert panel.panel.selected_id() == medication.id


# Timeline entries ------------------------------------------------------------------------------


def test_timeline_entries_read_like_the_letters(insured: ProfileSession, today: dt.date) -> None:
    case_id = _denied_case(insured)
    _event(insured, case_id, EventType.P2P_HELD, dt.date(2026, 11, 14), outcome=Outcome.DENIED)
    _event(insured, case_id, EventType.APPEAL_FILED, dt.date(2026, 11, 20), level=1)
    detail = insured.cases.get(case_id)
    entries = timeline_entries(detail, {}, today)
    events = [e for e in entries if e.kind is EntryKind.EVENT]
    assert [e.title for e in events] == [
        "Request submitted",
        "Denied — missing documentation",
        "Peer-to-peer review held",
        "Appeal filed (level 1)",
    ]
    assert events[1].details[1] == "Received 7 Nov 2026"
    assert "Outcome: Denied (denial upheld)" in events[2].details
    assert [e.day for e in entries] == sorted(e.day for e in entries)
    today_entry = next(e for e in entries if e.kind is EntryKind.TODAY)
    assert today_entry.day == today
    for entry in entries:
        assert isinstance(entry, TimelineEntry) and entry.text


def test_every_control_of_the_page_has_a_name(
    qtbot: QtBot, page: CasesPage, insured: ProfileSession
) -> None:
    _denied_case(insured)
    page.reload()
    for number in range(page.view.tabs.count()):
        page.view.tabs.setCurrentIndex(number)
        assert unnamed_controls(page) == [], page.view.tabs.tabText(number)
    page.tabs.setCurrentIndex(TAB_CALL_LOG)
    assert unnamed_controls(page) == []


# Edit → Undo on the Cases page --------------------------------------------------------------


def test_ctrl_z_on_the_cases_page_puts_back_the_event_not_a_log_record(
    qtbot: QtBot, window: MainWindow, demo_profile: ProfileSession
) -> None:
    # A log record deleted earlier, on the Log page.
    window.show_page(PAGE_LOG)
    window.log_page.show_tab(TAB_OUTCOMES)
    odi_id = demo_profile.log.odi_scores.add(OdiScoreData(dt.date(2026, 11, 1), 30.0))
    window.log_page.panel(TAB_OUTCOMES).delete_record(odi_id)
    assert window.undo_delete_action.isEnabled()

    window.show_page(PAGE_CASES)
    case = next(row for row in demo_profile.cases.list() if demo_profile.cases.get(row.id).events)
    window.cases_page.show_case(case.id)
    view = window.cases_page.view
    event = demo_profile.cases.get(case.id).events[-1]
    assert not window.undo_delete_action.isEnabled()  # nothing deleted on this page yet
    view.timeline.event_menu(event.id).actions()[1].trigger()  # Delete event…
    assert event.id not in {e.id for e in demo_profile.cases.get(case.id).events}
    assert window.undo_delete_action.isEnabled()
    assert event.data.event_type.label in window.undo_delete_action.text()

    window.undo_delete_action.trigger()  # Ctrl+Z
    assert event.id in {e.id for e in demo_profile.cases.get(case.id).events}
    assert odi_id not in {s.id for s in demo_profile.log.odi_scores.list()}  # still deleted
    assert not view.undo_bar.isVisible()
    assert not window.undo_delete_action.isEnabled()
    window.undo_delete_action.trigger()  # nothing left to undo here: the log record stays away
    assert odi_id not in {s.id for s in demo_profile.log.odi_scores.list()}

    window.show_page(PAGE_LOG)  # on the Log page, Undo is about the log again
    assert window.undo_delete_action.isEnabled()


def test_undo_on_the_call_log_tab_puts_back_the_deleted_call(
    qtbot: QtBot, page: CasesPage, insured: ProfileSession
) -> None:
    call_id = insured.calls.add(
        CallData(dt.datetime(2026, 11, 20, 9, 30), CallDirection.OUTGOING, "Buckeye Mutual Health")
    )
    changed: list[bool] = []
    page.undo_changed.connect(lambda: changed.append(True))
    page.tabs.setCurrentIndex(TAB_CALL_LOG)
    calls = page.calls_view()
    assert page.undo_description() is None
    calls.select_id(call_id)
    calls.delete_selected()
    assert insured.calls.count() == 0 and changed
    assert page.undo_description() == "the call with Buckeye Mutual Health"
    page.undo()
    assert insured.calls.get(call_id).data.organization == "Buckeye Mutual Health"
    assert page.undo_description() is None
