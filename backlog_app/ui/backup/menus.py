"""The main window's backup and security menu items, built here to keep ``main_window`` small.

File → Back Up Now… / Restore from a Backup… / Protect with a Passphrase… / Change
Passphrase… / Lock Now; Tools → Backup Settings…. The backup items run the flows of this
package; the security items only emit the window's signals (the app answers them, ``ui.app``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from backlog_app.ui.backup import host as host_module
from backlog_app.ui.backup.host import BackupHost

if TYPE_CHECKING:
    from backlog_app.services.context import ProfileSession
    from backlog_app.ui.main_window import MainWindow

LOCK_SHORTCUT = "Ctrl+Shift+K"


def host_for(window: MainWindow) -> BackupHost:
    """What the backup flows need from ``window`` (its profile, if one is open)."""
    return BackupHost(
        parent=window,
        jobs=window.jobs,
        messages=window.messages,
        settings=window.settings,
        profile=window.profile if window.view is not None else None,
        open_profile=window.open_profile_requested.emit,
        show_status=window.show_status,
        show_folder=host_module.open_folder,  # read now, so tests can replace it
    )


def back_up_now(window: MainWindow) -> None:
    from backlog_app.ui.backup.back_up_now import back_up_now as run

    run(host_for(window))


def restore_from_backup(window: MainWindow) -> None:
    from backlog_app.ui.backup.restore_flow import restore_from_backup as run

    run(host_for(window))


def backup_settings(window: MainWindow) -> None:
    from backlog_app.ui.backup.settings_dialog import open_backup_settings

    open_backup_settings(host_for(window))


@dataclass
class SecurityActions:
    """Protect (plain profiles) or Change Passphrase and Lock Now (encrypted ones)."""

    protect: QAction
    change_passphrase: QAction
    lock: QAction

    def show_for(self, profile: ProfileSession | None) -> None:
        """Show the items that fit ``profile`` (None: no profile open)."""
        encrypted = bool(getattr(profile, "encrypted", False)) if profile is not None else False
        self.protect.setVisible(not encrypted)
        self.change_passphrase.setVisible(encrypted)
        self.lock.setVisible(encrypted)


def add_file_menu_items(window: MainWindow, file_menu: QMenu) -> SecurityActions:
    """The backup and passphrase items of the File menu, each group after a separator."""
    file_menu.addSeparator()
    window._action(
        file_menu, "&Back Up Now…", lambda: back_up_now(window), needs_profile=True
    ).setStatusTip("Save a checked copy of all your records and documents in one file")
    window._action(
        file_menu, "Res&tore from a Backup…", lambda: restore_from_backup(window)
    ).setStatusTip("Bring back your records from a backup file, into a new folder")
    file_menu.addSeparator()
    protect = window._action(
        file_menu,
        "Protect &with a Passphrase…",
        window.protect_requested.emit,
        needs_profile=True,
    )
    protect.setStatusTip("Encrypt this profile so that it opens only with your passphrase")
    change = window._action(
        file_menu,
        "C&hange Passphrase…",
        window.change_passphrase_requested.emit,
        needs_profile=True,
    )
    lock = window._action(
        file_menu, "Loc&k Now", window.lock_requested.emit, LOCK_SHORTCUT, needs_profile=True
    )
    lock.setStatusTip("Hide your records until the passphrase is typed again")
    actions = SecurityActions(protect, change, lock)
    actions.show_for(None)
    return actions


def add_tools_menu_items(window: MainWindow, tools_menu: QMenu) -> None:
    window._action(
        tools_menu, "&Backup Settings…", lambda: backup_settings(window), needs_profile=True
    )
