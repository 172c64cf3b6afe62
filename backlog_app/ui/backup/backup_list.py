"""The backups BackLog knows about, newest first, in a table: when each was made, its size, where.

``BackupListModel`` shows ``services.backups.BackupFile`` rows; ``ChooseBackupDialog`` is the
first step of a restore: pick one of them, or any other backup file ("Choose Another File…").
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.sizes import file_size_text
from backlog_app.ui.backup.notice import make_button
from backlog_app.ui.backup.words import backup_when

if TYPE_CHECKING:
    from backlog_app.services.backups import BackupFile

BACKUP_FILTER = "BackLog backups (*.backlog-backup)"
COLUMNS = ("Made on", "Size", "Folder")
_Index = QModelIndex | QPersistentModelIndex


class BackupListModel(QAbstractTableModel):
    """Backup files, one per row, newest first (as ``list_backups`` returns them).

    Args:
        places: a plain name for known folders ("This profile's backups"); other folders show
            their path.
    """

    def __init__(
        self,
        backups: Sequence[BackupFile] = (),
        places: dict[Path, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._backups = list(backups)
        self._places = dict(places or {})

    def set_backups(self, backups: Sequence[BackupFile]) -> None:
        self.beginResetModel()
        self._backups = list(backups)
        self.endResetModel()

    def backup(self, row: int) -> BackupFile:
        return self._backups[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._backups)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        backup = self._backups[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(backup, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(backup.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _cell(self, backup: BackupFile, column: int) -> str:
        if column == 0:
            return backup_when(backup.created)
        if column == 1:
            return file_size_text(backup.size)
        folder = backup.path.parent
        return self._places.get(folder, str(folder))


class ChooseBackupDialog(QDialog):
    """Pick the backup to restore: from the list, or any file with "Choose Another File…".

    Args:
        backups: what ``list_backups`` found, newest first.
        places: plain names of the folders searched ({folder: "This profile's backups"}).
        start_folder: where "Choose Another File…" starts.
    """

    def __init__(
        self,
        backups: Sequence[BackupFile],
        places: dict[Path, str],
        start_folder: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from a backup")
        self.setModal(True)
        self.chosen: Path | None = None
        self._start_folder = start_folder
        searched = ", ".join(str(folder) for folder in places)
        intro = QLabel(
            "Choose the backup to restore. BackLog checks every file in it first, then restores "
            "it into a new folder: the records you have now are not changed.",
            self,
        )
        intro.setWordWrap(True)
        self.model = BackupListModel(backups, places, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Backups found")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(90)
        self.table.doubleClicked.connect(lambda _index: self._restore_selected())
        self.empty = QLabel(
            f"No backups were found in {searched or 'the backups folder'}.\n"
            "If your backup is somewhere else, such as a USB drive, press Choose Another File.",
            self,
        )
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.setVisible(bool(backups))
        self.empty.setVisible(not backups)
        self.buttons = QDialogButtonBox(self)
        self.restore_button = make_button("&Restore…", self, primary=True)
        self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setDefault(True)
        self.other_button = self.buttons.addButton(
            "Choose Another &File…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.other_button.setAccessibleName("Choose another file")
        self.other_button.setToolTip("A backup file from another place, such as a USB drive")
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        self.restore_button.clicked.connect(self._restore_selected)
        self.other_button.clicked.connect(self._choose_other_file)
        self.buttons.rejected.connect(self.reject)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        if backups:
            self.table.selectRow(0)
        self._update_buttons()
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.buttons)
        self.setMinimumSize(560, 340)
        self.resize(680, 420)

    def select_backup(self, path: Path) -> None:
        """Select the row of ``path`` (tests, and reopening on the same file)."""
        for row in range(self.model.rowCount()):
            if self.model.backup(row).path == path:
                self.table.selectRow(row)
                return

    def _selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self._selected_row() is not None)

    def _restore_selected(self) -> None:
        row = self._selected_row()
        if row is not None:
            self.chosen = self.model.backup(row).path
            self.accept()

    def _choose_other_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Choose a BackLog backup file", str(self._start_folder), BACKUP_FILTER
        )
        if chosen:
            self.chosen = Path(chosen)
            self.accept()
