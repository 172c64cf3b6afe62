"""Tools → Backup Settings…: automatic backups on or off, how many to keep, a second copy folder.

Saved through ``SettingsStore.update`` when the user presses Save. The dialog says when the copy
folder cannot be reached (an unplugged USB drive) and when the last backup was made.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from backlog_app.services.progress import Progress
from backlog_app.settings import FIELD_RANGES, SettingsStore
from backlog_app.ui.backup.host import BackupHost, Stopped, run_step
from backlog_app.ui.backup.notice import keep_text_unsqueezed, make_button
from backlog_app.ui.backup.words import backup_when, folder_reachable

if TYPE_CHECKING:
    from backlog_app.services.backups import BackupFile

DIALOG_WIDTH = 560
NO_COPY = "No second copy."
UNREACHABLE = (
    "This folder cannot be reached now (is the drive plugged in?). Backups still go into your "
    "profile; the copy is made again once the folder is back."
)


def open_backup_settings(host: BackupHost) -> bool:
    """Show the dialog; True when the user saved."""
    from backlog_app.services.backups import list_backups

    if host.profile is None or host.settings is None:
        return False
    settings = host.settings
    backups = host.profile.paths.backups
    copy = host.copy_folder()
    folders = [backups, *([Path(copy)] if copy and folder_reachable(Path(copy)) else [])]

    def job(_progress: Progress) -> BackupFile | None:
        found = list_backups([folder for folder in folders if folder.is_dir()])
        return found[0] if found else None

    try:
        last = run_step(host, "Looking for backups…", job)
    except Stopped:
        return False
    dialog = BackupSettingsDialog(settings, last, host.parent)
    saved = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    if saved:
        host.show_status("Backup settings saved.")
    return saved


def last_backup_text(last: BackupFile | None) -> str:
    if last is None:
        return "Last backup: none yet. BackLog makes one when it closes, or use File → Back Up Now."
    return f"Last backup: {backup_when(last.created)}, in {last.path.parent}."


class BackupSettingsDialog(QDialog):
    """The backup settings, saved on Save; Cancel changes nothing."""

    def __init__(
        self, settings: SettingsStore, last: BackupFile | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Backup settings")
        self.setModal(True)
        self._settings = settings
        current = settings.settings
        self.copy_folder: str | None = current.backup_copy_folder

        self.automatic = QCheckBox(
            "&Back up automatically when BackLog closes (at most once a day)", self
        )
        self.automatic.setAccessibleName("Back up automatically")
        self.automatic.setChecked(current.auto_backup)
        self.daily = _spin(self, "backups_keep_daily", current.backups_keep_daily)
        self.daily.setAccessibleName("Daily backups to keep")
        self.weekly = _spin(self, "backups_keep_weekly", current.backups_keep_weekly)
        self.weekly.setAccessibleName("Weekly backups to keep")
        keep = QGroupBox("Backups to keep", self)
        grid = QGridLayout(keep)
        grid.setHorizontalSpacing(8)
        grid.addWidget(_label("Keep the newest backup of each of the last", self.daily), 0, 0)
        grid.addWidget(self.daily, 0, 1)
        grid.addWidget(QLabel("days", keep), 0, 2)
        grid.addWidget(_label("and one backup a week for", self.weekly), 1, 0)
        grid.addWidget(self.weekly, 1, 1)
        grid.addWidget(QLabel("more weeks", keep), 1, 2)
        grid.setColumnStretch(3, 1)
        self.keep_box = keep
        self.automatic.toggled.connect(keep.setEnabled)
        keep.setEnabled(current.auto_backup)

        copy_box = QGroupBox("A second copy", self)
        explain = QLabel(
            "BackLog can also copy each automatic backup into a second folder, such as a USB "
            "drive or another disk, in case something happens to this computer.",
            copy_box,
        )
        explain.setWordWrap(True)
        self.copy_label = QLabel(copy_box)
        self.copy_label.setWordWrap(True)
        self.copy_label.setTextFormat(Qt.TextFormat.PlainText)
        self.copy_label.setAccessibleName("Second copy folder")
        self.copy_problem = QLabel(UNREACHABLE, copy_box)
        self.copy_problem.setObjectName("problems")
        self.copy_problem.setWordWrap(True)
        self.choose_button = QPushButton("&Choose Folder…", copy_box)
        self.choose_button.setAccessibleName("Choose a folder for the second copy")
        self.choose_button.clicked.connect(self._choose_copy_folder)
        self.clear_button = QPushButton("&Don't Copy", copy_box)
        self.clear_button.setAccessibleName("Do not make a second copy")
        self.clear_button.clicked.connect(lambda: self._set_copy_folder(None))
        copy_buttons = QHBoxLayout()
        copy_buttons.addWidget(self.choose_button)
        copy_buttons.addWidget(self.clear_button)
        copy_buttons.addStretch(1)
        copy_layout = QVBoxLayout(copy_box)
        copy_layout.setSpacing(8)
        copy_layout.addWidget(explain)
        copy_layout.addWidget(self.copy_label)
        copy_layout.addWidget(self.copy_problem)
        copy_layout.addLayout(copy_buttons)

        self.last_backup = QLabel(last_backup_text(last), self)
        self.last_backup.setObjectName("fieldHint")
        self.last_backup.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.save_button = make_button("&Save", self, primary=True)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(self.automatic)
        layout.addWidget(keep)
        layout.addWidget(copy_box)
        layout.addWidget(self.last_backup)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        # Check boxes in a group read in the normal weight (titles are bold).
        self.setStyleSheet("QGroupBox QCheckBox, QGroupBox QSpinBox { font-weight: normal; }")
        self._set_copy_folder(self.copy_folder)

    def save(self) -> None:
        self._settings.update(
            auto_backup=self.automatic.isChecked(),
            backups_keep_daily=self.daily.value(),
            backups_keep_weekly=self.weekly.value(),
            backup_copy_folder=self.copy_folder,
        )
        self.accept()

    def _choose_copy_folder(self) -> None:
        start = self.copy_folder or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(
            self, "Choose a folder for the second copy (a USB drive, for example)", start
        )
        if chosen:
            self._set_copy_folder(chosen)

    def _set_copy_folder(self, folder: str | None) -> None:
        self.copy_folder = folder
        self.copy_label.setText(f"Copies go to: {folder}" if folder else NO_COPY)
        self.copy_problem.setVisible(bool(folder) and not folder_reachable(Path(folder or "")))
        self.clear_button.setEnabled(folder is not None)
        keep_text_unsqueezed(self, DIALOG_WIDTH)


def _spin(parent: QWidget, name: str, value: int) -> QSpinBox:
    low, high = FIELD_RANGES[name]
    spin = QSpinBox(parent)
    spin.setRange(low, high)
    spin.setValue(value)
    return spin


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text, buddy.parentWidget())
    label.setBuddy(buddy)
    return label
