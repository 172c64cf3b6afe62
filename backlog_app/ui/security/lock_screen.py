"""The locked main window's only content: "BackLog is locked" and the passphrase field.

It names no patient and no profile folder, and nothing of the records is behind it: by the time
it takes input, the profile is closed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from backlog_app.ui.jobs import JobRunner
from backlog_app.ui.security import wording
from backlog_app.ui.security.unlock import Unlocker, UnlockPanel
from backlog_app.ui.widgets import heading


class LockScreen(QWidget):
    """A centred card with the unlock panel; ``panel.unlocked`` carries the key."""

    def __init__(self, unlocker: Unlocker, jobs: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        card = QFrame(self)
        card.setObjectName("card")
        card.setMaximumWidth(560)
        self.title = heading(wording.LOCKED_TITLE)
        self.text = QLabel(wording.LOCKED_TEXT, card)
        self.text.setWordWrap(True)
        self.waiting = QLabel(wording.LOCK_WAITING, card)
        self.waiting.setObjectName("muted")
        self.waiting.setWordWrap(True)
        self.panel = UnlockPanel(unlocker, jobs, card)
        self.panel.unlock_button.setDefault(True)
        button_row = QHBoxLayout()
        button_row.addStretch(1)
        button_row.addWidget(self.panel.unlock_button)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(28, 24, 28, 24)
        card_layout.setSpacing(12)
        card_layout.addWidget(self.title)
        card_layout.addWidget(self.text)
        card_layout.addWidget(self.waiting)
        card_layout.addWidget(self.panel)
        card_layout.addLayout(button_row)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        layout.setAlignment(row, Qt.AlignmentFlag.AlignHCenter)
        self.set_waiting(False)

    def set_waiting(self, waiting: bool) -> None:
        """While the work in progress finishes, the field waits (the profile is still open)."""
        self.waiting.setVisible(waiting)
        self.panel.set_enabled_for_input(not waiting)
