"""The pieces of the Care Team tab: the summary box, the care team table and the empty card.

The table folds three columns into the others when it is narrow (the case view beside the case
list is often only 650 pixels wide): the role's cell names the provider, the state's cell the
date of the last check, and the state's tooltip holds the rest.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from backlog_app.services.network import CareTeamChecklist
from backlog_app.ui.models.care_team_model import (
    COLUMN_CHECKED,
    COLUMN_PROTECTION,
    COLUMN_PROVIDER,
    COLUMN_ROLE,
    COLUMN_STATE,
    COLUMN_TODO,
    WIDE_ONLY_COLUMNS,
    CareTeamModel,
    due_text,
    plan_note,
    summary_text,
)

WHY = (
    "Each provider bills on its own: an in-network surgeon does not make the anesthesiologist "
    "in network."
)
EMPTY_TEXT = (
    "No roles on this case's care team yet.\n\nA procedure brings separate bills — surgeon, "
    "anesthesiologist, hospital, lab — and each must be in network on its own. Start with the "
    "usual roles for this procedure, or add a role yourself."
)
DOUBLE_CLICK_HELP = (
    "Double-click a row (or press Enter): choose its provider, or, once the provider is known, "
    "record a network check."
)
URGENT_DAYS = 7  # the summary box turns red this close to the deadline
# Narrower than this, the table folds provider, last check and protection into other cells.
COMPACT_WIDTH = 1100
START_WIDTHS = {COLUMN_ROLE: 160, COLUMN_PROVIDER: 170, COLUMN_CHECKED: 150, COLUMN_PROTECTION: 150}
_MAX_COMPACT_ROLE_WIDTH = 260


def button(text: str, what: str) -> QPushButton:
    """A push button named and explained for screen readers and tooltips."""
    widget = QPushButton(text)
    widget.setAccessibleName(what)
    widget.setToolTip(what)
    return widget


class CareTeamSummary(QWidget):
    """The summary line and the checks due before the procedure (one box), the plan warning and
    why each provider counts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold;")
        self.summary.setAccessibleName("Care team summary")
        self.due = QLabel(self)
        self.due.setTextFormat(Qt.TextFormat.RichText)
        self.due.setWordWrap(True)
        self.due.setAccessibleName("Due before the procedure")
        self.box = QFrame(self)
        self.box.setObjectName("step")
        box_layout = QVBoxLayout(self.box)
        box_layout.setContentsMargins(12, 6, 12, 6)
        box_layout.setSpacing(4)
        box_layout.addWidget(self.summary)
        box_layout.addWidget(self.due)
        self.plan_note = QLabel(self)
        self.plan_note.setObjectName("problems")
        self.plan_note.setWordWrap(True)
        self.why = QLabel(WHY, self)
        self.why.setObjectName("muted")
        self.why.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.box)
        layout.addWidget(self.plan_note)
        layout.addWidget(self.why)

    def show_checklist(self, checklist: CareTeamChecklist, today: dt.date) -> None:
        has_rows = bool(checklist.rows)
        self.summary.setText(summary_text(checklist, today))
        self.due.setText(due_text(checklist))
        self.due.setVisible(bool(checklist.due))
        if checklist.due:
            first = checklist.due[0]
            self.due.setToolTip(f"{first.explanation}.\nSource: {first.source}")
        soonest = min((item.due for item in checklist.due), default=None)
        urgent = soonest is not None and soonest - today <= dt.timedelta(days=URGENT_DAYS)
        self._set_box_style("stepUrgent" if urgent else "step")
        note = plan_note(checklist)
        self.plan_note.setText(note)
        self.plan_note.setVisible(bool(note))
        # Empty, the card below explains instead.
        self.box.setVisible(has_rows)
        self.why.setVisible(has_rows)

    def clear(self) -> None:
        for widget in (self.box, self.plan_note, self.why):
            widget.hide()

    def _set_box_style(self, name: str) -> None:
        if self.box.objectName() != name:
            self.box.setObjectName(name)
            self.box.style().unpolish(self.box)
            self.box.style().polish(self.box)


class CareTeamTable(QTableView):
    """The care team, rows word-wrapped; ``compact_changed`` fires when it folds or unfolds."""

    compact_changed = Signal(bool)

    def __init__(self, model: CareTeamModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._compact: bool | None = None
        self.setModel(model)
        self.setAccessibleName("Care team")
        self.setAccessibleDescription(DOUBLE_CLICK_HELP)
        self.setToolTip(DOUBLE_CLICK_HELP)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(True)
        # Air above and below the text only: side padding would wrap lines the row height
        # did not count, and Qt would cut them off.
        self.setStyleSheet("QTableView::item { padding: 3px 0; }")
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(COLUMN_STATE, QHeaderView.ResizeMode.ResizeToContents)
        for column, width in START_WIDTHS.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(COLUMN_TODO, QHeaderView.ResizeMode.Stretch)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        width = self.width()
        self._set_compact(width < COMPACT_WIDTH)
        if self._compact:  # the role's cell names the provider too: give it about a quarter
            role_width = max(START_WIDTHS[COLUMN_ROLE], min(_MAX_COMPACT_ROLE_WIDTH, width // 4))
            self.horizontalHeader().resizeSection(COLUMN_ROLE, role_width)

    def _set_compact(self, compact: bool) -> None:
        if compact == self._compact:
            return
        self._compact = compact
        self._model.set_compact(compact)
        for column in WIDE_ONLY_COLUMNS:
            self.setColumnHidden(column, compact)
        if not compact:
            self.horizontalHeader().resizeSection(COLUMN_ROLE, START_WIDTHS[COLUMN_ROLE])
        self.compact_changed.emit(compact)


class EmptyTeam(QFrame):
    """Said when the case has no roles: why they matter, and two ways to start."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.text = QLabel(EMPTY_TEXT, self)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setMaximumWidth(560)
        self.usual_button = button("Add the usual r&oles", "Add the usual roles of the procedure")
        self.usual_button.setObjectName("primaryButton")
        self.add_button = button("Add a role…", "Add a role to this case's care team")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.usual_button)
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addStretch(1)
        layout.addWidget(self.text, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch(2)
