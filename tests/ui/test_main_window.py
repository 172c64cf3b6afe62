"""The main window on the demo profile: navigation, Home, editing plans and providers, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel
from pytestqt.qtbot import QtBot

from backlog_app.domain.records import PlanType
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession
from backlog_app.settings import SettingsStore
from backlog_app.ui.editors.plan_dialog import PlanDialog
from backlog_app.ui.editors.provider_dialog import ProviderDialog
from backlog_app.ui.main_window import MainWindow
from backlog_app.ui.page_keys import (
    PAGE_CASES,
    PAGE_COSTS,
    PAGE_DOCUMENTS,
    PAGE_HOME,
    PAGE_LOG,
    PAGE_PROFILE,
    PAGE_PROVIDERS,
)
from tests.ui.conftest import RecordingMessages, when_dialog_opens


def test_keyboard_shortcuts_switch_pages(qtbot: QtBot, window: MainWindow) -> None:
    for key, page in (
        (Qt.Key.Key_2, PAGE_LOG),
        (Qt.Key.Key_3, PAGE_DOCUMENTS),
        (Qt.Key.Key_4, PAGE_CASES),
        (Qt.Key.Key_5, PAGE_COSTS),
        (Qt.Key.Key_6, PAGE_PROFILE),
        (Qt.Key.Key_7, PAGE_PROVIDERS),
        (Qt.Key.Key_1, PAGE_HOME),
    ):
        qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
        assert window.current_page() == page


def test_home_shows_patient_plans_and_next_steps(window: MainWindow) -> None:
    home = window.home_page
    assert home.title.text() == "Maria Alvarez"
    assert "52 years old" in home.subtitle.text()
    texts = " ".join(label.text() for label in home.findChildren(QLabel))
    assert "BMH-448210937" in texts
    assert "Add the NPI number for 1 provider" in texts  # the demo's psychologist has none


def test_home_step_link_opens_its_page(qtbot: QtBot, window: MainWindow) -> None:
    link = next(
        button
        for button in window.home_page.steps_card.findChildren(
            type(window.profile_page.revert_button)
        )
        if "Providers" in button.text()
    )
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    assert window.current_page() == PAGE_PROVIDERS


def test_editing_a_plan_in_the_dialog_writes_the_database(
    qtbot: QtBot, window: MainWindow, demo_profile: ProfileSession
) -> None:
    window.show_page(PAGE_PROFILE)
    panel = window.profile_page.plans
    primary = demo_profile.plans.list()[0]
    panel.select_id(primary.id)

    def change_member_id(dialog: QDialog) -> None:
        assert isinstance(dialog, PlanDialog)
        dialog.member_id.selectAll()
        qtbot.keyClicks(dialog.member_id, "NEW-12345")
        dialog.deductible.setText("2,000")
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)

    when_dialog_opens(qtbot, change_member_id)
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)

    saved = demo_profile.plans.get(primary.id).data
    assert saved.member_id == "NEW-12345"
    assert saved.deductible_cents == 200_000
    # The table and Home follow the change without a manual refresh (Home, hidden, when shown).
    assert window.profile_page.plans_model.record(0).data.member_id == "NEW-12345"
    window.show_page(PAGE_HOME)
    assert "NEW-12345" in " ".join(lb.text() for lb in window.home_page.findChildren(QLabel))


def test_plan_with_coverage_ending_before_it_starts_is_refused(
    qtbot: QtBot, window: MainWindow, demo_profile: ProfileSession
) -> None:
    before = demo_profile.plans.list()
    outcome: dict[str, object] = {}

    def enter_bad_plan(dialog: QDialog) -> None:
        assert isinstance(dialog, PlanDialog)
        qtbot.keyClicks(dialog.insurer, "Acme Health")
        dialog.plan_type.setCurrentIndex(dialog.plan_type.findData(PlanType.ACA_MARKETPLACE.value))
        import datetime as dt

        dialog.coverage_start.set_date(dt.date(2026, 6, 1))
        dialog.coverage_end.set_date(dt.date(2026, 1, 1))
        dialog.try_save()
        outcome["visible"] = dialog.problems.isVisible()
        outcome["text"] = dialog.problems.text()
        dialog.reject()

    when_dialog_opens(qtbot, enter_bad_plan)
    window.profile_page.add_plan()
    assert outcome["visible"] is True
    assert "Coverage ends before it starts" in str(outcome["text"])
    assert demo_profile.plans.list() == before


def test_bad_money_is_explained_not_saved(qtbot: QtBot, window: MainWindow) -> None:
    seen: dict[str, str] = {}

    def type_bad_deductible(dialog: QDialog) -> None:
        assert isinstance(dialog, PlanDialog)
        qtbot.keyClicks(dialog.insurer, "Acme Health")
        dialog.deductible.setText("lots")
        dialog.try_save()
        seen["problems"] = dialog.problems.text()
        dialog.reject()

    when_dialog_opens(qtbot, type_bad_deductible)
    window.profile_page.add_plan()
    assert "is not an amount in dollars" in seen["problems"]


def test_provider_with_invalid_npi_is_refused_then_saved_when_fixed(
    qtbot: QtBot, window: MainWindow, demo_profile: ProfileSession
) -> None:
    count = demo_profile.providers.count()
    seen: dict[str, str] = {}

    def enter_provider(dialog: QDialog) -> None:
        assert isinstance(dialog, ProviderDialog)
        qtbot.keyClicks(dialog.name, "Dr. Test Typo")
        qtbot.keyClicks(dialog.npi, "1234567890")
        seen["hint"] = dialog.npi_status.text()
        dialog.try_save()
        seen["problems"] = dialog.problems.text()
        seen["count_while_open"] = str(demo_profile.providers.count())
        dialog.npi.clear()
        qtbot.keyClicks(dialog.npi, "1234-567-893")
        dialog.try_save()

    when_dialog_opens(qtbot, enter_provider)
    window.providers_page.add_provider()
    assert "does not match" in seen["hint"]
    assert "does not match" in seen["problems"]
    assert seen["count_while_open"] == str(count)
    added = [p for p in demo_profile.providers.list() if p.data.name == "Dr. Test Typo"]
    assert len(added) == 1
    assert added[0].data.npi == "1234567893"
    assert window.providers_page.panel.selected_id() == added[0].id


def test_provider_search_filters_the_table(
    qtbot: QtBot, window: MainWindow, demo_profile: ProfileSession
) -> None:
    window.show_page(PAGE_PROVIDERS)
    panel = window.providers_page.panel
    assert panel.proxy.rowCount() == demo_profile.providers.count()
    institute = [
        p for p in demo_profile.providers.list() if p.data.organization == "Midwest Spine Institute"
    ]
    assert len(institute) >= 2
    qtbot.keyClicks(panel.search, "spine")
    assert panel.proxy.rowCount() == len(institute)  # the people of the Midwest Spine Institute


def test_delete_asks_first_and_keeps_the_record_on_cancel(
    qtbot: QtBot, window: MainWindow, demo_profile: ProfileSession, messages: RecordingMessages
) -> None:
    panel = window.providers_page.panel
    target = demo_profile.providers.list()[0]
    providers = demo_profile.providers.count()
    panel.select_id(target.id)
    messages.confirm_answer = False
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert demo_profile.providers.count() == providers
    messages.confirm_answer = True
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert demo_profile.providers.count() == providers - 1
    assert messages.kinds() == ["confirm", "confirm"]


def test_patient_with_future_birth_date_is_refused(
    qtbot: QtBot, window: MainWindow, demo_profile: ProfileSession
) -> None:
    import datetime as dt

    window.show_page(PAGE_PROFILE)
    page = window.profile_page
    page.patient_form.date_of_birth.set_date(dt.date(2099, 1, 1))
    qtbot.mouseClick(page.save_patient_button, Qt.MouseButton.LeftButton)
    assert page.patient_problems.isVisible()
    assert "in the future" in page.patient_problems.text()
    saved = demo_profile.patient.get()
    assert saved is not None and saved.date_of_birth is not None
    assert saved.date_of_birth.year == 1974


def test_patient_details_are_saved_from_the_form(
    qtbot: QtBot, window: MainWindow, demo_profile: ProfileSession
) -> None:
    window.show_page(PAGE_PROFILE)
    page = window.profile_page
    page.patient_form.phone.clear()
    qtbot.keyClicks(page.patient_form.phone, "(614) 555-9999")
    assert page.patient_is_modified()
    qtbot.mouseClick(page.save_patient_button, Qt.MouseButton.LeftButton)
    saved = demo_profile.patient.get()
    assert saved is not None and saved.phone == "(614) 555-9999"
    assert not page.patient_is_modified()


def test_export_runs_in_the_background_and_writes_the_file(
    qtbot: QtBot,
    window: MainWindow,
    demo_profile: ProfileSession,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "export.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    window.export_data()
    qtbot.waitUntil(lambda: not window.jobs.is_busy(), timeout=10_000)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["format"] == "backlog-data"
    assert len(document["providers"]) == demo_profile.providers.count()


def test_window_geometry_and_page_are_remembered(
    qtbot: QtBot,
    demo_profile: ProfileSession,
    settings_store: SettingsStore,
    messages: RecordingMessages,
) -> None:
    first = MainWindow(settings_store, messages)
    qtbot.addWidget(first)
    first.attach_profile(demo_profile)
    first.resize(1000, 700)
    first.show()
    first.show_page(PAGE_PROVIDERS)
    first.close()
    assert settings_store.settings.window_geometry
    second = MainWindow(SettingsStore(settings_store.path), messages)
    qtbot.addWidget(second)
    second.attach_profile(demo_profile)
    assert second.current_page() == PAGE_PROVIDERS
    # The offscreen screen is small and clamps the width; the height shows the restore worked
    # (a window without saved geometry opens at 1180 × 760).
    assert second.size().height() == 700


def test_the_network_days_setting_is_applied_and_every_view_told(
    window: MainWindow, demo_profile: ProfileSession, settings_store: SettingsStore
) -> None:
    heard: list[frozenset[Change]] = []
    demo_profile.changes.subscribe(heard.append)
    window.show_page(PAGE_PROVIDERS)
    window.providers_page.network_panel.days.setValue(30)
    assert settings_store.settings.network_check_days == 30
    assert demo_profile.network.max_age_days == 30
    # Told once, by the window: Home's due list and the Care Team tabs read again.
    assert heard == [frozenset({Change.NETWORK})]


def test_a_profile_opens_with_the_saved_network_days(
    qtbot: QtBot, demo_profile: ProfileSession, messages: RecordingMessages, tmp_path: Path
) -> None:
    settings = SettingsStore(tmp_path / "days.json")
    settings.update(network_check_days=45, last_page=PAGE_PROVIDERS)
    main = MainWindow(settings, messages)
    qtbot.addWidget(main)
    main.attach_profile(demo_profile)
    assert demo_profile.network.max_age_days == 45
    assert main.providers_page.network_panel.days.value() == 45
    main.detach_profile()
