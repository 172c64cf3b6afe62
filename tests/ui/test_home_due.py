"""Deadlines on Home and the daily reminder: a denial added through the service shows up on Home
by the window's own refresh, and the reminder comes once a day without a dialog."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from backlog_app.domain.cases import (
    CallData,
    CallDirection,
    CaseData,
    CaseEventData,
    DenialReason,
    EventType,
    Procedure,
)
from backlog_app.domain.records import PlanData, PlanType
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.services.home import HomeDeadlines
from backlog_app.settings import SettingsStore
from backlog_app.ui.cases.due_reminder import (
    CHECK_EVERY_MS,
    BannerNotifier,
    DueReminder,
    ReminderBanner,
    TrayNotifier,
)
from backlog_app.ui.main_window import MainWindow
from backlog_app.ui.page_keys import PAGE_CASES, PAGE_HOME
from backlog_app.ui.pages.home import ALL_SETTLED, NO_CASES, NOTHING_DUE, UNREADABLE
from tests.conftest import TODAY
from tests.ui.accessibility import unnamed_controls
from tests.ui.conftest import RecordingMessages


class FakeNotifier:
    """Records reminders instead of showing them (there is no tray offscreen)."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []
        self.clicked: Callable[[], None] | None = None

    def notify(self, title: str, text: str, clicked: Callable[[], None]) -> None:
        self.shown.append((title, text))
        self.clicked = clicked

    def close(self) -> None:
        pass


@pytest.fixture
def notifier() -> FakeNotifier:
    return FakeNotifier()


@pytest.fixture
def main(
    qtbot: QtBot,
    profile: ProfileSession,
    settings_store: SettingsStore,
    messages: RecordingMessages,
    notifier: FakeNotifier,
) -> Iterator[MainWindow]:
    """The window on an empty profile with one employer plan, on Home."""
    profile.plans.add(PlanData("Buckeye Mutual Health", PlanType.EMPLOYER_PPO))
    window = MainWindow(settings_store, messages, notifier=notifier)
    qtbot.addWidget(window)
    window.attach_profile(profile)
    window.show_page(PAGE_HOME)
    window.resize(1180, 760)
    window.show()
    qtbot.waitExposed(window)
    home_read(qtbot, window)
    yield window
    window.due_reminder.detach()
    window.jobs.wait_for_all()


def home_read(qtbot: QtBot, window: MainWindow) -> None:
    """Wait until Home's deadlines, read in the background, are on the page."""
    view = window.view
    assert view is not None
    qtbot.waitUntil(lambda: not view.home_is_loading())


def add_denied_case(profile: ProfileSession) -> int:
    """A microdiscectomy requested on 2 Nov 2026 and denied on 20 Nov (received 24 Nov)."""
    plan = profile.plans.list()[0]
    case_id = profile.cases.add(
        CaseData(Procedure.MICRODISCECTOMY, procedure_detail="L4-L5 left", plan_id=plan.id)
    )
    profile.cases.add_event(
        CaseEventData(case_id, EventType.REQUEST_SUBMITTED, dt.date(2026, 11, 2))
    )
    profile.cases.add_event(
        CaseEventData(
            case_id,
            EventType.DENIED,
            dt.date(2026, 11, 20),
            received_date=dt.date(2026, 11, 24),
            reason=DenialReason.MISSING_DOCUMENTATION,
        )
    )
    return case_id


def texts(widget: object) -> str:
    return "\n".join(label.text() for label in widget.findChildren(QLabel))  # type: ignore[attr-defined]


def test_adding_a_denial_makes_its_deadline_appear_on_home(
    qtbot: QtBot, main: MainWindow, profile: ProfileSession
) -> None:
    home = main.home_page
    assert NOTHING_DUE in texts(home.deadlines_card)
    assert NO_CASES in texts(home.cases_card)

    case_id = add_denied_case(profile)  # through the service: the window refreshes itself
    home_read(qtbot, main)

    due = [item for item in profile.cases.due_items() if item.case_id == case_id]
    assert due, "a denial on an employer plan has an appeal deadline"
    shown = texts(home.deadlines_card)
    assert NOTHING_DUE not in shown
    assert due[0].title in shown
    assert "Microdiscectomy — L4-L5 left" in shown
    cases = texts(home.cases_card)
    assert profile.cases.get(case_id).next_step in cases
    assert "Denied" in cases  # the status label

    link = next(
        button
        for button in home.cases_card.findChildren(QPushButton)
        if button.text().startswith("Open the case")
    )
    with qtbot.waitSignal(home.open_case) as opened:
        qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    assert opened.args == [case_id]


def test_overdue_items_come_first_in_their_own_group(
    qtbot: QtBot, main: MainWindow, profile: ProfileSession
) -> None:
    profile.calls.add(
        CallData(
            dt.datetime(2026, 11, 2, 9, 30),
            CallDirection.OUTGOING,
            "Midwest Spine Institute",
            follow_up="Office faxes the PT notes",
            follow_up_date=dt.date(2026, 11, 10),
        )
    )
    profile.calls.add(
        CallData(
            dt.datetime(2026, 11, 25, 9, 30),
            CallDirection.OUTGOING,
            "Buckeye Mutual Health",
            follow_up="Nurse reviewer calls back",
            follow_up_date=dt.date(2026, 12, 3),
        )
    )
    home_read(qtbot, main)
    shown = texts(main.home_page.deadlines_card)
    order = [shown.index(text) for text in ("Overdue", "10 Nov 2026", "Due soon", "3 Dec 2026")]
    assert order == sorted(order)
    assert "17 days ago" in shown and "in 6 days" in shown


def test_home_summary_leaves_settled_cases_out(
    qtbot: QtBot, main: MainWindow, profile: ProfileSession
) -> None:
    plan = profile.plans.list()[0]
    case_id = profile.cases.add(CaseData(Procedure.LUMBAR_MRI, plan_id=plan.id))
    profile.cases.add_event(
        CaseEventData(case_id, EventType.REQUEST_SUBMITTED, dt.date(2026, 11, 2))
    )
    profile.cases.add_event(CaseEventData(case_id, EventType.APPROVED, dt.date(2026, 11, 5)))
    if any(item.case_id == case_id for item in profile.cases.due_items()):
        pytest.skip("the approval has an open item (its expiry): the case stays open")
    home_read(qtbot, main)
    assert ALL_SETTLED in texts(main.home_page.cases_card)


# --- the daily reminder ---------------------------------------------------------------------------


def test_the_reminder_comes_once_a_day_and_opens_the_cases_page(
    qtbot: QtBot,
    profile: ProfileSession,
    settings_store: SettingsStore,
    messages: RecordingMessages,
    notifier: FakeNotifier,
) -> None:
    profile.calls.add(
        CallData(
            dt.datetime(2026, 11, 20, 9, 30),
            CallDirection.OUTGOING,
            "Buckeye Mutual Health",
            follow_up="Nurse reviewer calls back",
            follow_up_date=dt.date(2026, 11, 30),
        )
    )
    window = MainWindow(settings_store, messages, notifier=notifier)
    qtbot.addWidget(window)
    window.attach_profile(profile)
    window.show_page(PAGE_HOME)
    assert window.due_reminder._timer.isActive()
    assert window.due_reminder._timer.interval() == CHECK_EVERY_MS
    qtbot.waitUntil(lambda: bool(notifier.shown))
    title, text = notifier.shown[0]
    assert title == "BackLog: 1 deadline due within a week"
    assert "Nurse reviewer" in text or "Follow" in text or "call" in text.casefold()
    assert "by 30 Nov 2026" in text
    key = str(profile.paths.root)
    assert settings_store.settings.due_reminders == {key: "2026-11-27"}
    assert SettingsStore(settings_store.path).settings.due_reminders == {key: "2026-11-27"}
    assert messages.shown == []  # never a dialog

    # The same day: a new window (or the hourly check) stays quiet.
    window.due_reminder.check()
    window.attach_profile(profile)
    qtbot.wait(100)
    assert not window.due_reminder.is_busy()
    assert len(notifier.shown) == 1

    assert notifier.clicked is not None
    notifier.clicked()
    assert window.current_page() == PAGE_CASES
    window.due_reminder.detach()


def test_nothing_due_means_no_reminder(
    qtbot: QtBot,
    profile: ProfileSession,
    settings_store: SettingsStore,
    notifier: FakeNotifier,
) -> None:
    profile.calls.add(
        CallData(
            dt.datetime(2026, 11, 20, 9, 30),
            CallDirection.OUTGOING,
            "Buckeye Mutual Health",
            follow_up="Call back in January",
            follow_up_date=dt.date(2027, 1, 15),  # weeks away: Home lists nothing, no reminder
        )
    )
    opened: list[bool] = []
    reminder = DueReminder(settings_store, notifier, lambda: opened.append(True))
    reminder.attach(profile)
    qtbot.waitUntil(lambda: not reminder.is_busy())
    qtbot.wait(20)
    assert notifier.shown == []
    assert settings_store.settings.due_reminders == {}
    reminder.detach()


def test_without_a_tray_the_banner_and_the_status_bar_remind(qtbot: QtBot) -> None:
    banner = ReminderBanner()
    qtbot.addWidget(banner)
    statuses: list[str] = []
    opened: list[bool] = []
    notifier = BannerNotifier(banner, statuses.append)
    notifier.notify(
        "BackLog: 2 deadlines: 1 overdue, 1 due within a week",
        "File your first appeal (Microdiscectomy) — by 30 Nov 2026\nSecond line",
        lambda: opened.append(True),
    )
    banner.show()
    assert banner.isVisibleTo(banner.parentWidget() or banner)
    assert banner.text.text() == (
        "2 deadlines: 1 overdue, 1 due within a week. "
        "File your first appeal (Microdiscectomy) — by 30 Nov 2026"
    )
    assert statuses == ["2 deadlines: 1 overdue, 1 due within a week."]
    qtbot.mouseClick(banner.show_button, Qt.MouseButton.LeftButton)
    assert opened == [True] and banner.isHidden()


def test_the_window_without_a_tray_shows_the_banner(
    qtbot: QtBot,
    profile: ProfileSession,
    settings_store: SettingsStore,
    messages: RecordingMessages,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Offscreen there is no tray; on a developer's desktop there may be one.
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    profile.calls.add(
        CallData(
            dt.datetime(2026, 11, 20, 9, 30),
            CallDirection.OUTGOING,
            "Buckeye Mutual Health",
            follow_up_date=dt.date(2026, 11, 25),
        )
    )
    window = MainWindow(settings_store, messages)  # offscreen: no system tray
    qtbot.addWidget(window)
    window.attach_profile(profile)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(window.reminder_banner.isVisible)
    assert "overdue" in window.reminder_banner.text.text()
    assert messages.shown == []
    qtbot.mouseClick(window.reminder_banner.dismiss_button, Qt.MouseButton.LeftButton)
    assert not window.reminder_banner.isVisible()
    window.due_reminder.detach()


def test_hidden_home_is_read_when_shown_not_on_every_change(
    qtbot: QtBot, main: MainWindow, profile: ProfileSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    import backlog_app.ui.profile_view as profile_view
    from backlog_app.services.home import home_deadlines as real

    reads: list[bool] = []

    def counting(session: ProfileSession) -> object:
        reads.append(True)
        return real(session)

    monkeypatch.setattr(profile_view, "home_deadlines", counting)
    main.show_page(PAGE_CASES)  # Home is hidden
    case_id = add_denied_case(profile)
    profile.cases.add_event(CaseEventData(case_id, EventType.P2P_REQUESTED, dt.date(2026, 11, 25)))
    assert reads == []  # no rebuild of a page nobody sees

    main.show_page(PAGE_HOME)
    home_read(qtbot, main)
    assert reads == [True]  # read once, when shown
    due = [item for item in profile.cases.due_items() if item.case_id == case_id]
    assert due and due[0].title in texts(main.home_page.deadlines_card)

    profile.calls.add(  # shown: a change reads Home again at once
        CallData(
            dt.datetime(2026, 11, 26, 9, 30),
            CallDirection.OUTGOING,
            "Buckeye Mutual Health",
            follow_up="Nurse reviewer calls back",
            follow_up_date=dt.date(2026, 11, 30),
        )
    )
    home_read(qtbot, main)
    assert len(reads) == 2
    assert "Nurse reviewer" in texts(main.home_page.deadlines_card) or "30 Nov 2026" in texts(
        main.home_page.deadlines_card
    )


def test_home_reads_its_deadlines_off_the_gui_thread_and_keeps_what_it_shows(
    qtbot: QtBot, main: MainWindow, profile: ProfileSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Working out everything due takes 150-210 ms with thousands of bills: not on the GUI thread.
    import backlog_app.services.home as home_service
    from backlog_app.services.due import everything_due as real

    on_gui_thread: list[bool] = []
    gate = threading.Event()

    def slow(*args: Any, **kwargs: Any) -> object:
        on_gui_thread.append(threading.current_thread() is threading.main_thread())
        if not on_gui_thread[-1]:
            gate.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(home_service, "everything_due", slow)
    home = main.home_page
    case_id = add_denied_case(profile)  # the window reads Home again, in the background
    qtbot.waitUntil(lambda: bool(on_gui_thread))
    assert not any(on_gui_thread)
    assert NOTHING_DUE in texts(home.deadlines_card)  # what it showed, until the read is in
    assert home.title.text() == "Welcome to BackLog"  # the quick part is shown at once
    gate.set()
    home_read(qtbot, main)
    assert profile.cases.get(case_id).next_step in texts(home.cases_card)
    assert NOTHING_DUE not in texts(home.deadlines_card)


def test_an_older_home_read_is_dropped_for_a_newer_one(
    qtbot: QtBot, main: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    import backlog_app.ui.profile_view as profile_view
    from backlog_app.services.home import home_deadlines as real

    gate = threading.Event()
    reads = iter(range(1, 10))

    def numbered(session: ProfileSession) -> object:
        number = next(reads)
        gate.wait(10)
        return dataclasses.replace(real(session), case_count=number)

    monkeypatch.setattr(profile_view, "home_deadlines", numbered)
    shown: list[HomeDeadlines] = []
    monkeypatch.setattr(main.home_page, "show_deadlines", shown.append)
    view = main.view
    assert view is not None
    view.refresh_home()
    view.refresh_home()  # a change came in while the first read was under way
    gate.set()
    home_read(qtbot, main)
    assert [deadlines.case_count for deadlines in shown] == [2]


def test_home_says_loading_until_its_first_read_is_in(
    qtbot: QtBot,
    profile: ProfileSession,
    settings_store: SettingsStore,
    messages: RecordingMessages,
    notifier: FakeNotifier,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import backlog_app.ui.profile_view as profile_view
    from backlog_app.services.home import home_deadlines as real

    gate = threading.Event()

    def gated(session: ProfileSession) -> object:
        gate.wait(10)
        return real(session)

    monkeypatch.setattr(profile_view, "home_deadlines", gated)
    window = MainWindow(settings_store, messages, notifier=notifier)
    qtbot.addWidget(window)
    window.attach_profile(profile)
    window.show_page(PAGE_HOME)
    window.show()
    qtbot.waitExposed(window)
    home = window.home_page
    assert "Loading…" in texts(home.deadlines_card) and "Loading…" in texts(home.cases_card)
    assert home.title.text() == "Welcome to BackLog"
    gate.set()
    home_read(qtbot, window)
    assert "Loading…" not in texts(home.deadlines_card)
    assert NOTHING_DUE in texts(home.deadlines_card) and NO_CASES in texts(home.cases_card)
    window.due_reminder.detach()


def test_a_failed_home_read_says_so_in_plain_words(
    qtbot: QtBot, main: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    import backlog_app.ui.profile_view as profile_view

    def broken(session: ProfileSession) -> object:
        raise RuntimeError("a bug")

    monkeypatch.setattr(profile_view, "home_deadlines", broken)
    view = main.view
    assert view is not None
    view.refresh_home()
    home_read(qtbot, main)
    assert UNREADABLE in texts(main.home_page.deadlines_card)
    assert "a bug" not in texts(main.home_page)


def _follow_up_due_soon(profile: ProfileSession) -> None:
    profile.calls.add(
        CallData(
            dt.datetime(2026, 11, 20, 9, 30),
            CallDirection.OUTGOING,
            "Buckeye Mutual Health",
            follow_up="Nurse reviewer calls back",
            follow_up_date=dt.date(2026, 11, 30),
        )
    )


def test_one_profiles_reminder_does_not_silence_anothers(
    qtbot: QtBot,
    profile: ProfileSession,
    tmp_path: Path,
    settings_store: SettingsStore,
    notifier: FakeNotifier,
) -> None:
    _follow_up_due_soon(profile)
    reminder = DueReminder(settings_store, notifier, lambda: None)
    reminder.attach(profile)
    qtbot.waitUntil(lambda: len(notifier.shown) == 1)

    other = open_profile(tmp_path / "other-profile", create=True, clock=lambda: TODAY)
    try:
        _follow_up_due_soon(other)
        reminder.attach(other)  # the same day, another profile: its own reminder
        qtbot.waitUntil(lambda: len(notifier.shown) == 2)
        assert settings_store.settings.due_reminders == {
            str(profile.paths.root): "2026-11-27",
            str(other.paths.root): "2026-11-27",
        }
        reminder.attach(profile)  # back to the first: already reminded today
        qtbot.wait(50)
        qtbot.waitUntil(lambda: not reminder.is_busy())
        assert len(notifier.shown) == 2
    finally:
        reminder.detach()
        other.close()


def test_an_old_reminder_day_is_dropped_when_a_new_one_is_kept(
    qtbot: QtBot, profile: ProfileSession, settings_store: SettingsStore, notifier: FakeNotifier
) -> None:
    settings_store.update(due_reminders={"/gone/profile": "2026-11-20", "/other": "2026-11-27"})
    _follow_up_due_soon(profile)
    reminder = DueReminder(settings_store, notifier, lambda: None)
    reminder.attach(profile)
    qtbot.waitUntil(lambda: bool(notifier.shown))
    assert settings_store.settings.due_reminders == {
        "/other": "2026-11-27",
        str(profile.paths.root): "2026-11-27",
    }
    reminder.detach()


def test_closing_the_profile_takes_the_reminder_away(
    qtbot: QtBot, profile: ProfileSession, settings_store: SettingsStore
) -> None:
    closed: list[bool] = []

    class ClosingNotifier(FakeNotifier):
        def close(self) -> None:
            closed.append(True)

    notifier = ClosingNotifier()
    reminder = DueReminder(settings_store, notifier, lambda: None)
    reminder.detach()  # no profile yet: nothing to take away
    assert closed == []
    reminder.attach(profile)
    qtbot.waitUntil(lambda: not reminder.is_busy())
    reminder.detach()
    assert closed == [True]


def test_the_tray_icon_is_hidden_when_closed(qtbot: QtBot) -> None:
    class Icon:  # offscreen there is no tray: stands in for the QSystemTrayIcon
        visible = True

        def hide(self) -> None:
            self.visible = False

    tray = TrayNotifier()
    tray.close()  # never shown: nothing to hide
    icon = Icon()
    tray._tray = icon  # type: ignore[assignment]
    tray.close()
    assert not icon.visible


def test_settings_of_version_1_keep_the_last_reminder_for_the_last_profile(
    settings_store: SettingsStore,
) -> None:
    settings_store.path.parent.mkdir(parents=True, exist_ok=True)
    settings_store.path.write_text(
        json.dumps(
            {"version": 1, "last_profile": "/data/maria", "last_due_reminder": "2026-11-27"}
        ),
        encoding="utf-8",
    )
    settings = SettingsStore(settings_store.path).settings
    assert settings.due_reminders == {"/data/maria": "2026-11-27"}
    assert settings.last_profile == "/data/maria"
    settings_store.path.write_text(json.dumps({"version": 1, "last_due_reminder": 5}))
    assert SettingsStore(settings_store.path).settings.due_reminders == {}
    settings_store.path.write_text(json.dumps({"version": 2, "due_reminders": {"/p": 3}}))
    assert SettingsStore(settings_store.path).settings.due_reminders == {}  # wrong type: default


def test_every_control_on_home_has_a_name(
    qtbot: QtBot, main: MainWindow, profile: ProfileSession
) -> None:
    add_denied_case(profile)
    home_read(qtbot, main)
    home = main.home_page
    assert unnamed_controls(home) == []
    names = {button.accessibleName() for button in home.cases_card.findChildren(QPushButton)}
    assert "Open Cases & Appeals" in names
