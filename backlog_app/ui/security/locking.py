"""Locking an open encrypted profile: after idle minutes or File → Lock Now, until the passphrase.

What locking does, in order:

1. At once: the main window shows the lock screen instead of the pages, its title loses the
   profile's name, the status bar forgets the folder, the scan inbox stops watching, and every
   other window of the profile (editors, the packet window, message boxes) is closed as if
   cancelled. Unsaved typing in those windows, and unsaved patient details, are dropped: a lock
   cannot wait for an answer.
2. Work the user started that shows a progress window (an import, an export, a backup) is NOT
   cancelled: the profile stays open behind the lock screen until the last such job ends, and
   the passphrase field waits ("Finishing the work in progress, then locking…"). Cancelling a
   long import because the user walked away would lose their work; the records stay hidden.
3. Then the profile closes like a switch to another profile (pages detached, workers stopped,
   session closed, its key dropped with it). No automatic backup runs: locking is not closing.

Unlocking derives the key again (Argon2, off the GUI thread) and the app reopens the profile on
the page that was showing.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QProgressDialog, QWidget

from backlog_app import APP_NAME
from backlog_app.settings import Settings, SettingsStore
from backlog_app.ui.jobs import JobRunner
from backlog_app.ui.security.idle import IdleWatcher
from backlog_app.ui.security.lock_screen import LockScreen
from backlog_app.ui.security.unlock import unlocker_for

if TYPE_CHECKING:
    from backlog_app.services.context import ProfileSession
    from backlog_app.storage.crypto import ProfileKey
    from backlog_app.ui.main_window import MainWindow

log = logging.getLogger("backlog.ui.security")

_POLL_MS = 100  # how often a pending lock checks whether the work in progress has ended


class LockHost(Protocol):
    """What the lock needs from the app (``AppController``)."""

    window: MainWindow | None
    session: ProfileSession | None
    jobs: JobRunner
    settings: SettingsStore

    def close_for_lock(self) -> None:
        """Detach the window's pages and close the session (no backup)."""

    def reopen_after_unlock(self, folder: Path, key: ProfileKey | None, page: str | None) -> bool:
        """Open ``folder`` with ``key`` and show ``page``; False (after saying why) on failure."""
        ...


def is_encrypted_session(session: ProfileSession | None) -> bool:
    return session is not None and bool(getattr(session, "encrypted", False))


class SessionLock(QObject):
    """The idle timer and the lock screen for the app's one window.

    ``timeout_ms_override`` replaces ``Settings.lock_after_minutes`` (tests use a few ms).
    """

    def __init__(self, host: LockHost) -> None:
        super().__init__()
        self._host = host
        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self.lock_now)
        self.timeout_ms_override: int | None = None
        self.screen: LockScreen | None = None
        self._folder: Path | None = None
        self._page: str | None = None
        self._pending = False  # locked on screen, waiting for the work in progress to end
        host.settings.subscribe(self._settings_changed)

    # Watching ---------------------------------------------------------------------------------

    def profile_shown(self, session: ProfileSession) -> None:
        """A profile is showing (opened, switched to, or unlocked): drop any lock screen; watch."""
        self._remove_screen()
        self.watch(session)

    def watch(self, session: ProfileSession | None) -> None:
        timeout = self._timeout_ms(self._host.settings.settings)
        if is_encrypted_session(session) and timeout > 0 and not self.is_locked():
            self.idle.start(timeout)
        else:
            self.idle.stop()

    def stop_watching(self) -> None:
        self.idle.stop()

    def is_locked(self) -> bool:
        return self.screen is not None

    def is_pending(self) -> bool:
        """Locked on screen, but the profile is still open until the work in progress ends."""
        return self._pending

    def _timeout_ms(self, settings: Settings) -> int:
        if self.timeout_ms_override is not None:
            return self.timeout_ms_override
        return max(0, settings.lock_after_minutes) * 60_000

    def _settings_changed(self, _settings: Settings) -> None:
        if not self.is_locked():
            self.watch(self._host.session)

    # Locking ----------------------------------------------------------------------------------

    def lock_now(self) -> None:
        """Hide everything now; close the profile as soon as the work in progress has ended."""
        window, session = self._host.window, self._host.session
        if self.is_locked() or window is None or not is_encrypted_session(session):
            return
        assert session is not None
        log.info("locking the profile")
        self.idle.stop()
        self._folder = session.paths.root
        self._page = window.current_page()
        self.screen = LockScreen(unlocker_for(self._folder), self._host.jobs)
        self.screen.panel.unlocked.connect(self._unlocked)
        window.central.addWidget(self.screen)
        self._cover(window)
        if window.inbox is not None:
            window.inbox.stop()  # no new import starts behind the lock screen
        self._pending = True
        self.screen.set_waiting(True)
        self._finish_when_quiet()

    def _cover(self, window: MainWindow) -> None:
        assert self.screen is not None
        window.central.setCurrentWidget(self.screen)
        window.setWindowTitle(APP_NAME)
        window.profile_label.clear()
        window.statusBar().clearMessage()
        window.reminder_banner.hide()

    def _finish_when_quiet(self) -> None:
        window = self._host.window
        if not self._pending or window is None:
            return
        windows_open = _close_profile_windows(window)
        if windows_open or window.jobs.is_busy() or self._host.jobs.is_busy():
            # A closed dialog's exec() returns on the next turn of the event loop; a job with
            # a progress window is left to finish. Look again shortly.
            QTimer.singleShot(_POLL_MS, self._finish_when_quiet)
            return
        self._pending = False
        self._host.close_for_lock()
        if self.screen is not None:
            self._cover(window)
            self.screen.set_waiting(False)
        log.info("profile locked")

    # Unlocking --------------------------------------------------------------------------------

    def _unlocked(self, key: ProfileKey) -> None:
        if self._folder is None:
            return
        if self._host.reopen_after_unlock(self._folder, key, self._page):
            log.info("profile unlocked")
        elif self.screen is not None:
            self.screen.panel.set_enabled_for_input(True)

    def _remove_screen(self) -> None:
        self._pending = False
        screen, self.screen = self.screen, None
        if screen is None:
            return
        window = self._host.window
        if window is not None:
            window.central.removeWidget(screen)
        screen.hide()
        screen.deleteLater()


def _close_profile_windows(window: MainWindow) -> bool:
    """Close every window but the main one; True while any was still open.

    Dialogs are closed as cancelled through ``done()``, which skips an editor's "Discard your
    changes?" question (a lock cannot wait for an answer). A dialog busy writing (it refuses to
    close until its work ends) and progress windows stay: their work finishes first (see the
    module's notes), and they show only what is being done, not the records.
    """
    open_still = False
    popup = QApplication.activePopupWidget()
    for _ in range(10):  # menus nest; each close reveals the one below
        if popup is None:
            break
        popup.close()
        popup = QApplication.activePopupWidget()
    for widget in QApplication.topLevelWidgets():
        if widget is window or not widget.isVisible() or isinstance(widget, QProgressDialog):
            continue
        open_still = True
        if isinstance(widget, QDialog):
            if not _is_busy(widget):
                widget.done(QDialog.DialogCode.Rejected)
        elif _is_own_window(widget):
            widget.close()
    return open_still


def _is_busy(dialog: QDialog) -> bool:
    """A dialog writing something (our dialogs' ``busy``/``_busy`` flag, or its own progress)."""
    if getattr(dialog, "busy", False) is True or getattr(dialog, "_busy", False) is True:
        return True
    return any(child.isVisible() for child in dialog.findChildren(QProgressDialog))


def _is_own_window(widget: QWidget) -> bool:
    kind = widget.windowType()
    return kind in (Qt.WindowType.Window, Qt.WindowType.Dialog, Qt.WindowType.Tool)
