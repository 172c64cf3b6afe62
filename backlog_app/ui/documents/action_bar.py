"""The Documents page's buttons: add, open, save a copy, trash (or restore and remove), list/grid."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QWidget


class DocumentActionBar(QWidget):
    """Buttons only; the page decides what they do. ``view_changed`` carries True for the grid."""

    view_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.add_button = self._button("Add documents…", "Add scans, PDFs or photos")
        self.add_button.setObjectName("primaryButton")
        self.open_button = self._button(
            "Open in viewer", "Open the original in your PDF or picture viewer"
        )
        self.save_button = self._button("Save a copy…", "Save a copy of the original file")
        self.trash_button = self._button(
            "Move to trash", "Move the selected document to the trash (Delete)"
        )
        self.restore_button = self._button("Restore", "Take the selected document out of the trash")
        self.remove_button = self._button(
            "Remove for good…", "Delete the selected document and its file for good"
        )
        self.list_button = self._button("List", "Show the documents as a list")
        self.grid_button = self._button(
            "Pictures", "Show the documents as pictures of their first page"
        )
        switch = QButtonGroup(self)
        for button in (self.list_button, self.grid_button):
            button.setCheckable(True)
            switch.addButton(button)
        self.list_button.setChecked(True)
        self.grid_button.toggled.connect(self.view_changed)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for button in (
            self.add_button,
            self.open_button,
            self.save_button,
            self.trash_button,
            self.restore_button,
            self.remove_button,
        ):
            layout.addWidget(button)
        layout.addStretch(1)
        layout.addWidget(self.list_button)
        layout.addWidget(self.grid_button)

    def _button(self, text: str, name: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.setToolTip(name)
        return button

    def showing_grid(self) -> bool:
        return self.grid_button.isChecked()

    def set_state(self, *, trash_view: bool, selected: bool, first_time: bool) -> None:
        """Show the buttons that fit: the trash has Restore and Remove; a new profile, Add only."""
        self.add_button.setVisible(not trash_view)
        self.trash_button.setVisible(not trash_view and not first_time)
        self.restore_button.setVisible(trash_view)
        self.remove_button.setVisible(trash_view)
        for button in (self.open_button, self.save_button, self.list_button, self.grid_button):
            button.setVisible(not first_time)
        for button in (
            self.open_button,
            self.save_button,
            self.trash_button,
            self.restore_button,
            self.remove_button,
        ):
            button.setEnabled(selected)
