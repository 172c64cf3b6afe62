"""The Log page on the demo profile: lazy table, filters, delete with Undo, editors, summary, Home."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from backlog_app.domain.log_records import OdiScoreData, TreatmentData, TreatmentKind
from backlog_app.services.context import ProfileSession
from backlog_app.services.log_view import (
    EntryKind,
    LogEntry,
    LogFilter,
    LogSort,
    count_entries,
    entries,
)
from backlog_app.storage.models import CheckIn
from backlog_app.ui.main_window import MainWindow
from backlog_app.ui.models.log_model import (
    COLUMN_PAIN,
    DAY_ROLE,
    ENTRY_KIND_ROLE,
    LogTableModel,
)
from backlog_app.ui.models.record_table import RECORD_ID_ROLE
from backlog_app.ui.page_keys import PAGE_LOG
from backlog_app.ui.pages.daily_log import DailyLogTab
from backlog_app.ui.pages.log_page import TAB_OUTCOMES, TAB_SUMMARY
from tests.ui.conftest import RecordingMessages


def _model(profile: ProfileSession, page_size: int = 200) -> tuple[LogTableModel, list[int]]:
    """A log model over ``profile`` that records the offset of every page it asks for."""
    offsets: list[int] = []

    def page(log_filter: LogFilter, offset: int, limit: int, sort: LogSort) -> list[LogEntry]:
        offsets.append(offset)
        return entries(profile, log_filter, offset, limit, sort)

    return LogTableModel(lambda f: count_entries(profile, f), page, page_size), offsets


def _daily(window: MainWindow) -> DailyLogTab:
    window.show_page(PAGE_LOG)
    daily = window.log_page.daily
    daily.ensure_loaded()
    return daily


def test_log_model_passes_the_model_tester(
    qtmodeltester: ModelTester, demo_profile: ProfileSession
) -> None:
    model, _ = _model(demo_profile, page_size=40)
    model.set_filter(LogFilter())
    assert model.rowCount() == 40 and model.canFetchMore()
    qtmodeltester.check(model)
    first = model.index(0, 0)
    entry = model.entry(0)
    assert model.data(first, RECORD_ID_ROLE) == entry.record_id
    assert model.data(first, ENTRY_KIND_ROLE) == entry.kind.value
    assert model.data(first, DAY_ROLE) == entry.day.isoformat()
    assert model.headerData(COLUMN_PAIN, Qt.Orientation.Horizontal) == "Pain"


def test_rows_are_fetched_a_page_at_a_time(qtbot: QtBot, profile: ProfileSession) -> None:
    first = dt.date(2026, 10, 1)
    days = [first + dt.timedelta(days=n) for n in range(25)]
    with profile.database.write() as session:
        session.execute(
            insert(CheckIn), [{"day": day, "pain_now": n % 11} for n, day in enumerate(days)]
        )
    model, offsets = _model(profile, page_size=10)
    model.set_filter(LogFilter())
    assert (model.total, model.rowCount(), offsets) == (25, 10, [0])
    model.fetchMore()
    assert (model.rowCount(), offsets) == (20, [0, 10])
    model.fetchMore()
    assert model.rowCount() == 25 and not model.canFetchMore()
    assert [model.entry(r).day for r in range(25)] == sorted(days, reverse=True)
    # Sorting asks the database again, from the first page.
    model.sort(COLUMN_PAIN, Qt.SortOrder.DescendingOrder)
    assert offsets[-1] == 0 and model.entry(0).pain == 10


def test_the_table_fetches_more_when_scrolled_down(
    qtbot: QtBot, window: MainWindow, demo_profile: ProfileSession
) -> None:
    daily = _daily(window)
    model = daily.model
    assert model.total == count_entries(demo_profile, model.log_filter) > model.rowCount() > 0
    loaded = model.rowCount()
    daily.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > loaded)


def test_log_page_opens_on_the_demo(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() == PAGE_LOG
    page = window.log_page
    titles = [page.tabs.tabText(i).replace("&", "") for i in range(page.tabs.count())]
    assert titles == [
        "Daily log",
        "Medications",
        "Treatments  visits",  # "&&" shows as one "&"
        "Therapy courses",
        "Outcome scores",
        "Summary",
    ]
    daily = page.daily
    assert daily.model.rowCount() > 0
    assert not daily.chart.is_empty() and not daily.heat_strip.is_empty()
    assert daily.count_label.text() == f"{daily.model.total:,} entries"


def test_text_search_waits_for_a_pause_in_typing(qtbot: QtBot, window: MainWindow) -> None:
    daily = _daily(window)
    before = daily.model.total
    qtbot.keyClicks(daily.filters.search, "epidural")
    assert daily.model.total == before  # not yet: the search waits for typing to pause
    qtbot.waitUntil(lambda: daily.model.log_filter.text == "epidural")
    found = [daily.model.entry(row) for row in range(daily.model.rowCount())]
    assert EntryKind.INJECTION in {e.kind for e in found}
    assert all("epidural" in f"{e.title} {e.detail}".lower() for e in found)
    daily.filters.search.clear()
    daily.filters.flush()
    assert daily.model.total == before


def test_kind_and_date_filters(qtbot: QtBot, window: MainWindow, today: dt.date) -> None:
    daily = _daily(window)
    daily.filters.kind.setCurrentText("Check-ins")
    kinds = {daily.model.entry(row).kind for row in range(daily.model.rowCount())}
    assert kinds == {EntryKind.CHECK_IN}
    daily.filters.set_preset("Last 30 days")
    days = [daily.model.entry(row).day for row in range(daily.model.rowCount())]
    assert days and min(days) >= today - dt.timedelta(days=29)
    assert daily.model.total <= 30
    daily.filters.kind.setCurrentText("ODI scores")
    daily.filters.set_preset("All time")
    assert {daily.model.entry(r).kind for r in range(daily.model.rowCount())} <= {EntryKind.ODI}


def test_delete_asks_first_and_ctrl_z_puts_the_record_back(
    qtbot: QtBot,
    window: MainWindow,
    demo_profile: ProfileSession,
    messages: RecordingMessages,
) -> None:
    daily = _daily(window)
    daily.filters.kind.setCurrentText("Check-ins")
    daily.table.selectRow(0)
    target = daily.model.entry(0)
    count = demo_profile.log.check_ins.count()
    daily.table.setFocus()

    messages.confirm_answer = False
    qtbot.keyClick(daily.table, Qt.Key.Key_Delete)
    assert messages.kinds() == ["confirm"]
    assert demo_profile.log.check_ins.count() == count

    messages.confirm_answer = True
    qtbot.mouseClick(daily.delete_button, Qt.MouseButton.LeftButton)
    assert demo_profile.log.check_ins.count() == count - 1
    assert daily.model.entry(0) != target  # the table followed the change
    assert daily.undo_button.isEnabled()
    assert window.undo_delete_action.isEnabled()
    assert "Undo with Ctrl+Z" in window.statusBar().currentMessage()

    qtbot.keyClick(daily.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    restored = demo_profile.log.check_ins.get(target.record_id)
    assert restored.data.day == target.day
    assert daily.model.entry(0) == target
    assert not daily.undo_button.isEnabled()
    assert "Put back" in window.statusBar().currentMessage()


def test_a_delete_on_a_record_tab_can_be_undone_too(
    qtbot: QtBot, window: MainWindow, demo_profile: ProfileSession
) -> None:
    window.show_page(PAGE_LOG)
    window.log_page.show_tab(TAB_OUTCOMES)
    odi_id = demo_profile.log.odi_scores.add(OdiScoreData(dt.date(2026, 11, 1), 30.0))
    panel = window.log_page.panel(TAB_OUTCOMES)
    panel.delete_record(odi_id)
    assert demo_profile.log.odi_scores.count() == len(demo_profile.log.odi_scores.list())
    assert odi_id not in {s.id for s in demo_profile.log.odi_scores.list()}
    window.undo_delete_action.trigger()
    assert demo_profile.log.odi_scores.get(odi_id).data.total_percent == 30.0


def test_enter_and_double_click_open_the_right_editor(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[tuple[str, object]] = []

    def fake_editor(kind: str, record_id: int | None, *args: Any) -> bool:
        opened.append((kind, record_id))
        return False

    monkeypatch.setattr("backlog_app.ui.pages.daily_log.open_log_editor", fake_editor)
    daily = _daily(window)
    daily.filters.kind.setCurrentText("Medications")
    daily.table.selectRow(0)
    daily.table.setFocus()
    qtbot.keyClick(daily.table, Qt.Key.Key_Return)
    entry = daily.model.entry(0)
    assert opened == [("medication", entry.record_id)]
    daily.filters.kind.setCurrentText("Injections")
    centre = daily.table.visualRect(daily.model.index(0, 2)).center()
    qtbot.mouseClick(daily.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(daily.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert opened[-1] == ("treatment", daily.model.entry(0).record_id)
    daily.add_menu.actions()[3].trigger()
    assert opened.pop() == ("odi", None)


def test_check_in_now_from_the_keyboard_home_and_the_log_page(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def fake_check_in(*args: Any) -> bool:
        calls.append(window.current_page() or "")
        return True

    monkeypatch.setattr("backlog_app.ui.pages.log_page.open_check_in", fake_check_in)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(window.home_page.check_in_button, Qt.MouseButton.LeftButton)
    daily = _daily(window)
    qtbot.mouseClick(daily.check_in_button, Qt.MouseButton.LeftButton)
    assert calls == ["home", "home", "log"]
    assert window.statusBar().currentMessage() == "Check-in saved."


def test_new_records_show_up_without_a_manual_refresh(
    qtbot: QtBot, window: MainWindow, demo_profile: ProfileSession
) -> None:
    daily = _daily(window)
    before = daily.model.total
    demo_profile.log.treatments.add(
        TreatmentData(TreatmentKind.MASSAGE, dt.date(2026, 11, 27), notes="zzz unique note")
    )
    assert daily.model.total == before + 1
    newest = [daily.model.entry(row) for row in range(3)]
    assert any(e.title == "Massage" and e.detail == "zzz unique note" for e in newest)


def test_summary_tab_is_worked_out_in_the_background(qtbot: QtBot, window: MainWindow) -> None:
    window.show_page(PAGE_LOG)
    window.log_page.show_tab(TAB_SUMMARY)
    summary = window.log_page.summary
    qtbot.waitUntil(lambda: bool(summary.plain_text()), timeout=10_000)
    text = summary.plain_text()
    assert text.startswith("Care recorded")
    assert "Medications" in text and "Physical therapy" in text
    assert "Care recorded" in summary.view.toPlainText()
    summary.range.setCurrentText("Last 12 months")
    qtbot.waitUntil(lambda: summary.plain_text() != text, timeout=10_000)


def test_home_shows_the_last_check_in_and_recent_pain(window: MainWindow) -> None:
    home = window.home_page
    assert home.check_in_button.isVisibleTo(window)
    assert home.last_check_in.text().startswith("Last check-in:")
    assert "Average pain, last 30 days" in home.recent_average.text()
    assert any("Daily log" in label.text() for label in home.log_card.findChildren(QLabel))
