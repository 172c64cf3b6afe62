"""Network checks on the Providers page: the check dialog, the Network column and the panel."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from backlog_app.domain.cases import CallData, CallDirection
from backlog_app.domain.network import (
    NetworkStatus,
    Verification,
    VerificationData,
    VerificationMethod,
)
from backlog_app.domain.records import PlanData, PlanType, ProviderData, ProviderRole
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession
from backlog_app.settings import SettingsStore
from backlog_app.ui.network.check_choices import check_choices
from backlog_app.ui.network.history_model import COLUMN_RESULT, CheckHistoryModel
from backlog_app.ui.network.verify_dialog import (
    NO_PLANS,
    NO_RESULT,
    REFERENCE_TIP,
    VerifyDialog,
    record_check,
)
from backlog_app.ui.pages.providers_page import COLUMN_NETWORK, ProvidersPage
from tests.conftest import TODAY
from tests.ui.accessibility import unnamed_controls
from tests.ui.conftest import RecordingMessages, when_dialog_opens

DialogAct = Callable[[QDialog], None]


@pytest.fixture
def when_open(qtbot: QtBot) -> Iterator[Callable[[DialogAct], None]]:
    """Run ``act`` on the next dialog; a failed check or a dialog left open fails the test."""
    failures: list[BaseException] = []

    def arm(act: DialogAct) -> None:
        def run(dialog: QDialog) -> None:
            try:
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
def plans(profile: ProfileSession) -> dict[str, int]:
    """A hospital-cash policy listed first, the main employer plan, and one that ended."""
    return {
        "cash": profile.plans.add(PlanData("Sunrise Hospital Cash", PlanType.HOSPITAL_INDEMNITY)),
        "main": profile.plans.add(
            PlanData(
                "Buckeye Mutual Health",
                PlanType.EMPLOYER_PPO,
                plan_name="Choice PPO",
                coverage_start=dt.date(2024, 1, 1),
            )
        ),
        "old": profile.plans.add(
            PlanData(
                "Heartland Health",
                PlanType.EMPLOYER_HMO,
                coverage_start=dt.date(2021, 1, 1),
                coverage_end=dt.date(2023, 12, 31),
            )
        ),
    }


@pytest.fixture
def providers(profile: ProfileSession, plans: dict[str, int]) -> dict[str, int]:
    return {
        "surgeon": profile.providers.add(
            ProviderData("Dr. Maya Okafor", ProviderRole.SPINE_SURGEON)
        ),
        "anesthesia": profile.providers.add(
            ProviderData("Dr. Paul Reyes", ProviderRole.ANESTHESIOLOGY)
        ),
    }


@pytest.fixture
def page(
    qtbot: QtBot,
    profile: ProfileSession,
    providers: dict[str, int],
    messages: RecordingMessages,
    settings_store: SettingsStore,
) -> Iterator[ProvidersPage]:
    statuses: list[str] = []
    providers_page = ProvidersPage(profile, messages, statuses.append, settings=settings_store)
    providers_page.statuses = statuses  # type: ignore[attr-defined]
    qtbot.addWidget(providers_page)
    providers_page.resize(1100, 800)
    providers_page.show()
    qtbot.waitExposed(providers_page)
    yield providers_page
    providers_page.detach()


def network_cell(page: ProvidersPage, provider_id: int) -> str:
    row = page.model.row_of(provider_id)
    assert row is not None
    return str(page.model.index(row, COLUMN_NETWORK).data())


def a_check(
    provider_id: int, plan_id: int, day: dt.date, status: NetworkStatus = NetworkStatus.IN_NETWORK
) -> VerificationData:
    return VerificationData(provider_id, plan_id, status, VerificationMethod.INSURER_WEBSITE, day)


def choose_result(qtbot: QtBot, dialog: VerifyDialog, status: NetworkStatus) -> None:
    qtbot.mouseClick(dialog.results[status], Qt.MouseButton.LeftButton)


# --- the dialog ------------------------------------------------------------------------------


def test_a_check_linked_to_a_call_takes_its_method_reference_and_date(
    when_open: Callable[[DialogAct], None],
    qtbot: QtBot,
    profile: ProfileSession,
    plans: dict[str, int],
    providers: dict[str, int],
    messages: RecordingMessages,
) -> None:
    call_id = profile.calls.add(
        CallData(
            dt.datetime(2026, 11, 20, 14, 5),
            CallDirection.OUTGOING,
            "Buckeye Mutual Health",
            reference_number="BMH-118842",
        )
    )
    seen: dict[str, object] = {}

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, VerifyDialog)
        seen["plan"] = dialog.plan.currentData()
        seen["provider_fixed"] = dialog.provider.isHidden() and dialog.provider_name.isVisible()
        seen["date"] = dialog.day.date()
        seen["tip"] = dialog.reference.toolTip()
        seen["unnamed"] = unnamed_controls(dialog)
        dialog.set_method(VerificationMethod.INSURER_WEBSITE)
        dialog.call.setCurrentIndex(dialog.call.findData(call_id))
        seen["method"] = dialog.method.currentData()
        choose_result(qtbot, dialog, NetworkStatus.IN_NETWORK)
        qtbot.keyClicks(dialog.notes, "Rep confirmed the doctor himself.")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_open(fill)
    check_id = record_check(None, profile, messages, provider_id=providers["surgeon"])
    assert seen["plan"] == plans["main"]  # the main plan in force, not the hospital-cash policy
    assert seen["provider_fixed"] is True
    assert seen["date"] == QDate(2026, 11, 27)  # the profile's today
    assert seen["tip"] == REFERENCE_TIP
    assert seen["unnamed"] == []
    assert seen["method"] == VerificationMethod.CALL.value
    assert check_id is not None
    check = profile.network.get_verification(check_id)
    assert check.data == VerificationData(
        providers["surgeon"],
        plans["main"],
        NetworkStatus.IN_NETWORK,
        VerificationMethod.CALL,
        dt.date(2026, 11, 20),
        reference_number="BMH-118842",
        call_id=call_id,
        notes="Rep confirmed the doctor himself.",
    )
    assert messages.shown == []


def test_a_future_date_is_refused_with_a_plain_message_and_nothing_is_saved(
    when_open: Callable[[DialogAct], None],
    qtbot: QtBot,
    profile: ProfileSession,
    providers: dict[str, int],
    messages: RecordingMessages,
) -> None:
    seen: dict[str, object] = {}

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, VerifyDialog)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # no result chosen
        seen["no_result"] = dialog.problems.text()
        choose_result(qtbot, dialog, NetworkStatus.OUT_OF_NETWORK)
        dialog.day.setDate(QDate(2026, 12, 25))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        seen["future"] = dialog.problems.text()
        seen["open"] = dialog.isVisible()
        seen["count"] = profile.network.count()
        dialog.reject()  # asks before discarding: RecordingMessages says yes

    when_open(fill)
    assert record_check(None, profile, messages, provider_id=providers["anesthesia"]) is None
    assert NO_RESULT in str(seen["no_result"])
    assert "is in the future; please check the date" in str(seen["future"])
    assert "25 Dec 2026" in str(seen["future"])
    assert seen["open"] is True
    assert seen["count"] == 0
    assert profile.network.count() == 0
    assert messages.kinds() == ["confirm"]


def test_a_check_opened_from_a_call_starts_from_that_plan_and_call(
    when_open: Callable[[DialogAct], None],
    qtbot: QtBot,
    profile: ProfileSession,
    plans: dict[str, int],
    providers: dict[str, int],
    messages: RecordingMessages,
) -> None:
    call_id = profile.calls.add(
        CallData(dt.datetime(2026, 11, 2, 9, 30), CallDirection.OUTGOING, "Heartland Health")
    )
    seen: dict[str, object] = {}

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, VerifyDialog)
        seen["provider"] = dialog.provider.currentData()
        seen["provider_fixed"] = dialog.provider.isHidden()
        seen["plan"] = dialog.plan.currentText()
        seen["call"] = dialog.call.value()
        seen["date"] = dialog.day.date()
        seen["reference"] = dialog.reference.text()
        dialog.reject()  # nothing typed: closes without asking

    when_open(look)
    assert record_check(None, profile, messages, plan_id=plans["old"], call_id=call_id) is None
    assert seen["provider"] == providers["surgeon"]  # the first by name, and it can be changed
    assert seen["provider_fixed"] is False
    assert seen["plan"] == "Heartland Health (ended)"
    assert seen["call"] == call_id
    assert seen["date"] == QDate(2026, 11, 2)
    assert seen["reference"] == ""
    assert messages.shown == []


def a_call(profile: ProfileSession, day: int, reference: str | None) -> int:
    return profile.calls.add(
        CallData(
            dt.datetime(2026, 11, day, 9, 30),
            CallDirection.OUTGOING,
            "Buckeye Mutual Health",
            reference_number=reference,
        )
    )


def open_dialog(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages, provider_id: int
) -> VerifyDialog:
    saved: list[VerificationData] = []
    dialog = VerifyDialog(saved.append, messages, check_choices(profile), provider_id=provider_id)
    qtbot.addWidget(dialog)
    dialog.set_status(NetworkStatus.IN_NETWORK)
    return dialog


def shown(dialog: VerifyDialog) -> tuple[str, QDate, int | None]:
    return dialog.reference.text(), dialog.day.date(), dialog.collect().call_id


def test_choosing_another_call_replaces_what_the_first_call_filled_in(
    qtbot: QtBot, profile: ProfileSession, providers: dict[str, int], messages: RecordingMessages
) -> None:
    first = a_call(profile, 20, "BMH-1")
    second = a_call(profile, 24, "BMH-2")
    no_reference = a_call(profile, 25, None)
    dialog = open_dialog(qtbot, profile, messages, providers["surgeon"])
    dialog.call.set_value(first)
    assert shown(dialog) == ("BMH-1", QDate(2026, 11, 20), first)
    dialog.call.set_value(second)
    assert shown(dialog) == ("BMH-2", QDate(2026, 11, 24), second)
    dialog.call.set_value(no_reference)
    assert shown(dialog) == ("", QDate(2026, 11, 25), no_reference)
    dialog.call.set_value(first)
    dialog.call.set_value(None)  # no call: what a call filled in goes, the date back to today
    assert shown(dialog) == ("", QDate(2026, 11, 27), None)


def test_what_the_user_typed_is_kept_when_the_call_changes(
    qtbot: QtBot, profile: ProfileSession, providers: dict[str, int], messages: RecordingMessages
) -> None:
    first = a_call(profile, 20, "BMH-1")
    second = a_call(profile, 24, "BMH-2")
    dialog = open_dialog(qtbot, profile, messages, providers["surgeon"])
    dialog.call.set_value(first)
    dialog.reference.clear()
    qtbot.keyClicks(dialog.reference, "MY-NOTE-7")  # typed over the call's number
    dialog.day.setDate(QDate(2026, 11, 21))  # and a date of their own
    dialog.call.set_value(second)
    assert shown(dialog) == ("MY-NOTE-7", QDate(2026, 11, 21), second)
    dialog.call.set_value(None)
    assert shown(dialog) == ("MY-NOTE-7", QDate(2026, 11, 21), None)
    # Typed before any call was chosen: kept too, while the untouched date follows the call.
    other = open_dialog(qtbot, profile, messages, providers["surgeon"])
    qtbot.keyClicks(other.reference, "OWN-1")
    other.call.set_value(second)
    assert shown(other) == ("OWN-1", QDate(2026, 11, 24), second)


def test_a_problem_on_saving_is_shown_once_in_the_dialog(
    when_open: Callable[[DialogAct], None],
    qtbot: QtBot,
    profile: ProfileSession,
    providers: dict[str, int],
    messages: RecordingMessages,
) -> None:
    seen: dict[str, object] = {}

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, VerifyDialog)
        choose_result(qtbot, dialog, NetworkStatus.IN_NETWORK)
        profile.providers.delete(providers["anesthesia"])  # deleted meanwhile, elsewhere
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        seen["problems"] = dialog.problems.text()
        seen["open"] = dialog.isVisible()
        seen["shown"] = list(messages.shown)
        dialog.reject()

    when_open(fill)
    assert record_check(None, profile, messages, provider_id=providers["anesthesia"]) is None
    assert "That provider no longer exists" in str(seen["problems"])
    assert seen["open"] is True
    assert seen["shown"] == []  # not also in a message box
    assert profile.network.count() == 0


def test_without_a_plan_the_dialog_says_what_to_do_first(
    profile: ProfileSession, messages: RecordingMessages
) -> None:
    provider_id = profile.providers.add(ProviderData("Dr. Maya Okafor", ProviderRole.SPINE_SURGEON))
    assert record_check(None, profile, messages, provider_id=provider_id) is None
    assert messages.shown == [("problem", "Record a network check", NO_PLANS)]


# --- the Providers page ----------------------------------------------------------------------


def test_recording_a_check_turns_never_checked_into_in_network(
    when_open: Callable[[DialogAct], None],
    qtbot: QtBot,
    page: ProvidersPage,
    profile: ProfileSession,
    providers: dict[str, int],
) -> None:
    surgeon = providers["surgeon"]
    assert network_cell(page, surgeon) == "? Never checked"
    page.panel.select_id(surgeon)
    panel = page.network_panel
    assert panel.provider_id == surgeon
    assert panel.title.text() == "Network status: Dr. Maya Okafor"
    # Only the main plan gets a card: the hospital-cash policy has no network, the HMO ended.
    assert [card.mark.text() for card in panel.plan_cards()] == ["? Never checked"]

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, VerifyDialog)
        choose_result(qtbot, dialog, NetworkStatus.IN_NETWORK)
        qtbot.keyClicks(dialog.reference, "BMH-2026-1")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_open(fill)
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    assert profile.network.count() == 1
    assert network_cell(page, surgeon) == "✓ In network"
    assert network_cell(page, providers["anesthesia"]) == "? Never checked"
    row = page.model.row_of(surgeon)
    assert row is not None
    cell = page.model.index(row, COLUMN_NETWORK)
    assert cell.data(Qt.ItemDataRole.ForegroundRole).name() == "#1e7b34"
    assert "Buckeye Mutual Health — Choice PPO" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert "27 Nov 2026" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert page.panel.selected_id() == surgeon  # the selection stays
    card = panel.plan_cards()[0]
    assert card.mark.text() == "✓ In network"
    assert card.latest is not None and "ref BMH-2026-1" in card.latest.text()
    assert panel.model.rowCount() == 1
    assert panel.selected_check() is not None  # the new check is selected in the history
    assert page.statuses[-1] == "Network check recorded."  # type: ignore[attr-defined]


def test_a_stale_check_says_check_again_and_out_of_network_stays_red(
    qtbot: QtBot, profile: ProfileSession, plans: dict[str, int], providers: dict[str, int]
) -> None:
    surgeon, anesthesia = providers["surgeon"], providers["anesthesia"]
    profile.network.add_verification(a_check(surgeon, plans["main"], TODAY - dt.timedelta(120)))
    profile.network.add_verification(
        a_check(anesthesia, plans["main"], dt.date(2025, 3, 1), NetworkStatus.OUT_OF_NETWORK)
    )
    page = ProvidersPage(profile, RecordingMessages(), lambda _text: None)
    qtbot.addWidget(page)
    assert network_cell(page, surgeon) == "? Check again"
    assert network_cell(page, anesthesia) == "✗ Out of network"
    row = page.model.row_of(surgeon)
    assert row is not None
    tooltip = page.model.index(row, COLUMN_NETWORK).data(Qt.ItemDataRole.ToolTipRole)
    assert "older than 90 days" in tooltip
    page.panel.select_id(surgeon)
    (card,) = page.network_panel.plan_cards()
    assert card.mark.text() == "? Check again"
    assert "Checked 120 days ago" in card.words.text()


def test_the_search_finds_providers_by_network_status(
    qtbot: QtBot,
    page: ProvidersPage,
    profile: ProfileSession,
    plans: dict[str, int],
    providers: dict[str, int],
) -> None:
    profile.network.add_verification(
        a_check(providers["anesthesia"], plans["main"], TODAY, NetworkStatus.OUT_OF_NETWORK)
    )
    qtbot.keyClicks(page.panel.search, "out of network")
    assert page.panel.proxy.rowCount() == 1


def test_a_mistaken_check_is_deleted_and_undo_puts_it_back(
    qtbot: QtBot,
    page: ProvidersPage,
    profile: ProfileSession,
    plans: dict[str, int],
    providers: dict[str, int],
    messages: RecordingMessages,
) -> None:
    surgeon = providers["surgeon"]
    kept = profile.network.add_verification(a_check(surgeon, plans["main"], dt.date(2026, 10, 1)))
    wrong = profile.network.add_verification(
        a_check(surgeon, plans["main"], dt.date(2026, 11, 20), NetworkStatus.OUT_OF_NETWORK)
    )
    assert network_cell(page, surgeon) == "✗ Out of network"
    page.panel.select_id(surgeon)
    panel = page.network_panel
    assert not panel.delete_button.isEnabled()  # nothing chosen in the history yet
    panel.select_check(wrong)
    messages.confirm_answer = False
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert profile.network.count() == 2
    messages.confirm_answer = True
    undo_signals: list[bool] = []
    page.undo_changed.connect(lambda: undo_signals.append(True))
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert [c.id for c in profile.network.verifications()] == [kept]
    assert network_cell(page, surgeon) == "✓ In network"
    assert page.undo_description() == (
        "the check of 20 Nov 2026 (out of network, Buckeye Mutual Health — Choice PPO)"
    )
    assert panel.undo_button.isVisible() and undo_signals

    page.undo()
    assert sorted(c.id for c in profile.network.verifications()) == [kept, wrong]
    assert network_cell(page, surgeon) == "✗ Out of network"
    assert page.undo_description() is None
    assert not panel.undo_button.isVisible()
    assert [kind for kind, _, _ in messages.shown] == ["confirm", "confirm"]
    assert "Only delete a check entered by mistake" in messages.shown[-1][2]


def test_the_days_setting_changes_freshness_and_is_saved(
    qtbot: QtBot,
    page: ProvidersPage,
    profile: ProfileSession,
    plans: dict[str, int],
    providers: dict[str, int],
    settings_store: SettingsStore,
) -> None:
    surgeon = providers["surgeon"]
    profile.network.add_verification(a_check(surgeon, plans["main"], TODAY - dt.timedelta(60)))
    page.panel.select_id(surgeon)
    panel = page.network_panel
    assert panel.days.value() == 90
    assert network_cell(page, surgeon) == "✓ In network"
    panel.days.setValue(30)
    assert profile.network.max_age_days == 30
    assert settings_store.settings.network_check_days == 30
    saved = json.loads(Path(settings_store.path).read_text(encoding="utf-8"))
    assert saved["network_check_days"] == 30
    assert network_cell(page, surgeon) == "? Check again"
    assert "older than 30 days" in panel.plan_cards()[0].words.text()
    panel.days.setValue(61)
    assert network_cell(page, surgeon) == "✓ In network"


def test_the_days_setting_on_its_own_is_applied_and_announced(
    qtbot: QtBot, profile: ProfileSession, providers: dict[str, int]
) -> None:
    page = ProvidersPage(profile, RecordingMessages(), lambda _text: None)  # no settings store
    qtbot.addWidget(page)
    heard: list[frozenset[Change]] = []
    profile.changes.subscribe(heard.append)
    page.network_panel.days.setValue(40)
    assert profile.network.max_age_days == 40
    assert heard == [frozenset({Change.NETWORK})]
    page.detach()


def test_the_page_starts_from_the_saved_number_of_days(
    qtbot: QtBot,
    profile: ProfileSession,
    providers: dict[str, int],
    settings_store: SettingsStore,
) -> None:
    settings_store.update(network_check_days=45)
    page = ProvidersPage(profile, RecordingMessages(), lambda _text: None, settings=settings_store)
    qtbot.addWidget(page)
    assert page.network_panel.days.value() == 45
    assert profile.network.max_age_days == 45


def test_a_hand_edited_number_of_days_out_of_range_falls_back_to_90(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 2, "network_check_days": -5}), encoding="utf-8")
    assert SettingsStore(path).settings.network_check_days == 90


def test_network_changes_made_elsewhere_refresh_the_column_and_panel(
    qtbot: QtBot,
    page: ProvidersPage,
    profile: ProfileSession,
    plans: dict[str, int],
    providers: dict[str, int],
) -> None:
    anesthesia = providers["anesthesia"]
    page.panel.select_id(anesthesia)
    profile.network.add_verification(
        a_check(anesthesia, plans["main"], TODAY, NetworkStatus.OUT_OF_NETWORK)
    )
    assert network_cell(page, anesthesia) == "✗ Out of network"
    assert page.network_panel.plan_cards()[0].mark.text() == "✗ Out of network"
    assert page.network_panel.model.rowCount() == 1


def test_the_page_has_no_unnamed_controls(page: ProvidersPage, providers: dict[str, int]) -> None:
    page.panel.select_id(providers["surgeon"])
    assert unnamed_controls(page) == []


def test_the_history_model_passes_the_model_tester(
    qtmodeltester: ModelTester, page: ProvidersPage
) -> None:
    model = CheckHistoryModel()
    checks = [
        Verification(1, a_check(1, 2, dt.date(2026, 1, 5))),
        Verification(2, a_check(1, 2, dt.date(2026, 6, 5), NetworkStatus.UNKNOWN)),
    ]
    model.set_history(checks, {2: "Buckeye Mutual Health"}, {})
    qtmodeltester.check(model)
    assert model.check(0).id == 2  # newest first
    assert model.index(0, COLUMN_RESULT).data() == "? Not known"
    qtmodeltester.check(page.model)
