"""Once a day, while the app runs: a reminder of deadlines that are overdue or due within 7 days.

The reminder goes to the system tray where there is one; elsewhere it is a status-bar message and
a small banner at the top of the window. It is never a dialog. The day of the last reminder is
kept in the settings for each profile (one profile's reminder does not silence another's), so a
restart the same day stays quiet. Due items are read off the GUI thread; the check runs when a
profile opens and then every hour (a new day starts a new check). Closing the profile takes the
tray icon away.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSystemTrayIcon, QWidget

from backlog_app import APP_NAME
from backlog_app.domain.dates import format_long_date
from backlog_app.domain.deadline_rules import Party
from backlog_app.domain.deadlines import DueItem, DueStatus
from backlog_app.services.due import everything_due
from backlog_app.settings import SettingsStore
from backlog_app.ui.documents.background import BackgroundReads
from backlog_app.ui.resources import app_icon

if TYPE_CHECKING:  # the window loads this before the database code: keep it light
    from backlog_app.services.context import ProfileSession

log = logging.getLogger("backlog.ui.cases")

CHECK_EVERY_MS = 60 * 60 * 1000
MAX_LINES = 3
_BANNER_STYLE = """
QFrame#reminderBanner { background: #fff4ce; border-bottom: 1px solid #e6c86e; }
QFrame#reminderBanner QLabel { color: #4a3b00; }
"""


class Notifier(Protocol):
    """Shows one reminder; ``clicked`` is called if the user clicks it."""

    def notify(self, title: str, text: str, clicked: Callable[[], None]) -> None: ...

    def close(self) -> None: ...


# --- what the reminder says ---------------------------------------------------------------------


def items_to_remind(items: Sequence[DueItem], today: dt.date) -> list[DueItem]:
    """The overdue items and those due within DUE_SOON_DAYS, soonest first."""
    wanted = (DueStatus.OVERDUE, DueStatus.DUE_SOON)
    return sorted(
        (item for item in items if item.status(today) in wanted),
        key=lambda item: (item.due, item.case_title, item.title),
    )


def reminder_title(items: Sequence[DueItem], today: dt.date) -> str:
    """ "BackLog: 3 deadlines: 1 overdue, 2 due within a week" style."""
    overdue = sum(item.status(today) is DueStatus.OVERDUE for item in items)
    soon = len(items) - overdue
    noun = "deadline" if len(items) == 1 else "deadlines"
    if overdue and soon:
        what = f"{len(items)} {noun}: {overdue} overdue, {soon} due within a week"
    else:
        what = f"{len(items)} {noun} {'overdue' if overdue else 'due within a week'}"
    return f"{APP_NAME}: {what}"


def reminder_line(item: DueItem, today: dt.date) -> str:
    """ "File your first appeal (Microdiscectomy) — by 30 Nov 2026" """
    what = f"{item.title} ({item.case_title})" if item.case_title else item.title
    if item.due < today:
        when = f"was due {format_long_date(item.due)}"
        if item.party is Party.INSURER:
            when += ": call them"
    elif item.due == today:
        when = "today"
    else:
        when = f"by {format_long_date(item.due)}"
    return f"{what} — {when}"


def reminder_text(items: Sequence[DueItem], today: dt.date) -> str:
    lines = [reminder_line(item, today) for item in items[:MAX_LINES]]
    if len(items) > MAX_LINES:
        lines.append(f"and {len(items) - MAX_LINES} more on the Cases page.")
    return "\n".join(lines)


# --- where it is shown --------------------------------------------------------------------------


class TrayNotifier(QObject):
    """A tray icon that appears for the reminder; clicking the message opens the Cases page."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tray: QSystemTrayIcon | None = None
        self._clicked: Callable[[], None] | None = None

    def notify(self, title: str, text: str, clicked: Callable[[], None]) -> None:
        if self._tray is None:
            self._tray = QSystemTrayIcon(app_icon(), self)
            self._tray.setToolTip(APP_NAME)
            self._tray.messageClicked.connect(self._message_clicked)
            self._tray.activated.connect(lambda _reason: self._message_clicked())
        self._clicked = clicked
        self._tray.show()
        self._tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 30_000)

    def close(self) -> None:
        if self._tray is not None:
            self._tray.hide()

    def _message_clicked(self) -> None:
        if self._clicked is not None:
            self._clicked()


class ReminderBanner(QFrame):
    """A one-line strip at the top of the window: the reminder, "Show deadlines" and "Dismiss"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reminderBanner")
        self.setStyleSheet(_BANNER_STYLE)
        self.setAccessibleName("Deadline reminder")
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.show_button = QPushButton("Show deadlines", self)
        self.show_button.setAccessibleName("Show the deadlines on the Cases page")
        self.dismiss_button = QPushButton("Dismiss", self)
        self.dismiss_button.setAccessibleName("Dismiss the reminder")
        self.dismiss_button.clicked.connect(self.hide)
        self._clicked: Callable[[], None] | None = None
        self.show_button.clicked.connect(self._show_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 6, 12, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.show_button)
        layout.addWidget(self.dismiss_button)
        self.hide()

    def show_reminder(self, title: str, text: str, clicked: Callable[[], None]) -> None:
        self._clicked = clicked
        first = text.splitlines()[0] if text else ""
        self.text.setText(f"{title.removeprefix(f'{APP_NAME}: ')}. {first}".strip())
        self.setToolTip(text)
        self.show()

    def _show_clicked(self) -> None:
        self.hide()
        if self._clicked is not None:
            self._clicked()


class BannerNotifier:
    """Where there is no system tray: the banner plus a status-bar message."""

    def __init__(self, banner: ReminderBanner, show_status: Callable[[str], None]) -> None:
        self.banner = banner
        self._show_status = show_status

    def notify(self, title: str, text: str, clicked: Callable[[], None]) -> None:
        self.banner.show_reminder(title, text, clicked)
        self._show_status(f"{title.removeprefix(f'{APP_NAME}: ')}.")

    def close(self) -> None:
        self.banner.hide()


def default_notifier(banner: ReminderBanner, show_status: Callable[[str], None]) -> Notifier:
    """The tray where the desktop has one, else the banner."""
    if QSystemTrayIcon.isSystemTrayAvailable():
        return TrayNotifier(banner)
    return BannerNotifier(banner, show_status)


# --- the daily check ----------------------------------------------------------------------------


def profile_key(profile: ProfileSession) -> str:
    """The profile's folder, which names it in the settings' ``due_reminders``."""
    return str(profile.paths.root)


class DueReminder(QObject):
    """Checks at ``attach`` and every hour; reminds at most once a day per profile.

    Args:
        settings: where the day of each profile's last reminder is kept (``due_reminders``,
            by the profile's folder).
        notifier: shows the reminder (the tray, the banner, or a test's fake).
        open_cases: what clicking the reminder does (show the Cases page).
        interval_ms: how often to check while the app runs.
    """

    reminded = Signal(object)  # the list of DueItems just announced

    def __init__(
        self,
        settings: SettingsStore,
        notifier: Notifier,
        open_cases: Callable[[], None],
        parent: QObject | None = None,
        *,
        interval_ms: int = CHECK_EVERY_MS,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._notifier = notifier
        self._open_cases = open_cases
        self._profile: ProfileSession | None = None
        self._generation = 0  # a read for a profile closed since is dropped
        self._reads: BackgroundReads | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)

    def attach(self, profile: ProfileSession) -> None:
        self.detach()
        self._profile = profile
        self._reads = BackgroundReads(self, threads=1)
        self._timer.start()
        self.check()

    def detach(self) -> None:
        """Stop checking and take the reminder away (no tray icon outlives the profile)."""
        self._timer.stop()
        self._generation += 1
        had_profile = self._profile is not None
        self._profile = None
        if had_profile:
            self._notifier.close()
        if self._reads is not None:
            self._reads.stop()
            self._reads.deleteLater()
            self._reads = None

    def is_busy(self) -> bool:
        return self._reads is not None and self._reads.is_busy()

    def check(self) -> None:
        """Read what is due (in the background) unless today's reminder was given already."""
        profile, reads = self._profile, self._reads
        if profile is None or reads is None:
            return
        today = profile.clock()
        key = profile_key(profile)
        if self._reminded_on(key) == today.isoformat():
            return
        generation = self._generation
        reads.submit(
            lambda: everything_due(profile),
            lambda items: self._remind(items, today, key, generation),
            key="due",
        )

    def _reminded_on(self, key: str) -> str | None:
        return self._settings.settings.due_reminders.get(key)

    def _remind(self, items: list[DueItem], today: dt.date, key: str, generation: int) -> None:
        if generation != self._generation:
            return
        day = today.isoformat()
        if self._reminded_on(key) == day:
            return
        due = items_to_remind(items, today)
        if not due:
            return  # nothing to say; a deadline that comes near later today is found next hour
        # Only today's entries matter: older days are dropped so the setting stays small.
        kept = {k: v for k, v in self._settings.settings.due_reminders.items() if v == day}
        self._settings.update(due_reminders={**kept, key: day})
        log.info("due reminder: %d item(s)", len(due))
        self._notifier.notify(reminder_title(due, today), reminder_text(due, today), self._clicked)
        self.reminded.emit(due)

    def _clicked(self) -> None:
        self._open_cases()
