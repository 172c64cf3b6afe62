"""The Care Team tab: who bills for the case's procedure, and is each of them in network?

One row per role (surgeon, anesthesiologist, facility, lab…) with its state, the last check, the
No Surprises Act protection and what to do, under a summary and the checks due before the
procedure. The checklist is one small read (``NetworkService.checklist``, a few milliseconds);
the view listens to the profile's changes itself and, while hidden, reads again when shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.network_rules import DEFAULT_ROLES, TeamMember
from backlog_app.errors import UserError
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession
from backlog_app.services.network import CareTeamChecklist, ChecklistRow
from backlog_app.ui.cases.care_team_parts import (
    COMPACT_WIDTH,
    CareTeamSummary,
    CareTeamTable,
    EmptyTeam,
    button,
)
from backlog_app.ui.cases.team_member_dialog import add_role, choose_provider
from backlog_app.ui.messages import Messages
from backlog_app.ui.models.care_team_model import MEMBER_ID_ROLE, CareTeamModel
from backlog_app.ui.signals import DataChanges

__all__ = ["COMPACT_WIDTH", "READ_CHANGES", "CareTeamView"]

# Everything the checklist reads: a change to any of these reads it again.
READ_CHANGES = frozenset({Change.NETWORK, Change.PROVIDERS, Change.PLANS, Change.CASES})


class CareTeamView(QWidget):
    """The care team checklist of one case (``show_case``).

    Args:
        profile: the open profile.
        messages: confirmations and problems.
        show_status: a short note in the status bar ("Check recorded."); optional.

    ``undo_changed`` fires when what ``undo_delete`` would put back (a removed role) changes.
    """

    undo_changed = Signal()

    def __init__(
        self,
        profile: ProfileSession,
        messages: Messages,
        parent: QWidget | None = None,
        *,
        show_status: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._messages = messages
        self._show_status = show_status or (lambda _text: None)
        self._case_id: int | None = None
        self._checklist: CareTeamChecklist | None = None
        self._stale = False
        self._removed: list[tuple[TeamMember, str]] = []  # newest last, for Undo

        self.header = CareTeamSummary(self)
        # The header's parts, by the names the tests use.
        self.summary = self.header.summary
        self.due = self.header.due
        self.summary_box = self.header.box
        self.plan_note = self.header.plan_note
        self.why = self.header.why

        self.choose_button = button("Choose &provider…", "Choose who fills the selected role")
        self.check_button = button(
            "Record a chec&k…", "Note a network check of the selected role's provider"
        )
        self.check_button.setObjectName("primaryButton")
        self.add_button = button("Add a r&ole…", "Add a role to this case's care team")
        self.remove_button = button("Remo&ve role", "Remove the selected role from the care team")
        self.undo_button = button("Undo", "Put back the role you removed last")
        self.undo_label = QLabel(self)
        self.undo_bar = QFrame(self)
        self.undo_bar.setObjectName("step")
        undo_layout = QHBoxLayout(self.undo_bar)
        undo_layout.setContentsMargins(12, 4, 12, 4)
        undo_layout.addWidget(self.undo_label, 1)
        undo_layout.addWidget(self.undo_button)
        self.undo_bar.hide()
        self.choose_button.clicked.connect(self.choose_selected)
        self.check_button.clicked.connect(self.record_check_selected)
        self.add_button.clicked.connect(self.add_role)
        self.remove_button.clicked.connect(self.remove_selected)
        self.undo_button.clicked.connect(self.undo_delete)

        self.model = CareTeamModel(self)
        self.table = CareTeamTable(self.model, self)
        self.table.doubleClicked.connect(self._activated)
        for keys, slot in (
            (QKeySequence(Qt.Key.Key_Return), self.activate_selected),
            (QKeySequence(Qt.Key.Key_Enter), self.activate_selected),
            (QKeySequence(QKeySequence.StandardKey.Delete), self.remove_selected),
        ):
            shortcut = QShortcut(keys, self.table, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)  # the table only
        self.empty = EmptyTeam(self)
        self.usual_button = self.empty.usual_button
        self.usual_button.clicked.connect(self.add_usual_roles)
        self.empty.add_button.clicked.connect(self.add_role)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        for widget in (self.check_button, self.choose_button, self.add_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(6)
        layout.addWidget(self.header)
        layout.addLayout(buttons)
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.stack, 1)

        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._changes = DataChanges(profile.changes, self)
        self._changes.changed.connect(self._on_data_changed)
        self._show_nothing()

    # Showing -----------------------------------------------------------------------------------

    @property
    def case_id(self) -> int | None:
        return self._case_id

    @property
    def checklist(self) -> CareTeamChecklist | None:
        return self._checklist

    def show_case(self, case_id: int | None) -> None:
        """Show the care team of ``case_id`` (None: nothing); reads at once."""
        if case_id != self._case_id and self._removed:
            self._removed.clear()
            self.undo_bar.hide()
            self.undo_changed.emit()
        self._case_id = case_id
        self.reload()

    def reload(self) -> None:
        self._stale = False
        if self._case_id is None:
            self._show_nothing()
            return
        selected = self.selected_id()
        try:
            checklist = self._profile.network.checklist(self._case_id)
            usual = bool(checklist.rows) or self._has_usual_roles(self._case_id)
        except UserError:  # the case was deleted meanwhile: the case view moves on
            self._show_nothing()
            return
        self._show(checklist, usual)
        if selected is not None:
            self.select_id(selected)

    def detach(self) -> None:
        """Stop listening to the profile (before it closes)."""
        self._changes.detach()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def _on_data_changed(self, changes: frozenset[Change]) -> None:
        if self._case_id is None or not changes & READ_CHANGES:
            return
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def _has_usual_roles(self, case_id: int) -> bool:
        return bool(DEFAULT_ROLES.get(self._profile.cases.get(case_id).data.procedure))

    def _show(self, checklist: CareTeamChecklist, usual: bool) -> None:
        self._checklist = checklist
        today = self._profile.clock()
        self.model.set_rows(checklist.rows, today)
        self.header.show_checklist(checklist, today)
        has_rows = bool(checklist.rows)
        for widget in self._row_buttons():  # empty, the card offers the same
            widget.setVisible(has_rows)
        self.usual_button.setVisible(usual)
        self.stack.setCurrentWidget(self.table if has_rows else self.empty)
        self.add_button.setEnabled(True)
        self._update_buttons()

    def _row_buttons(self) -> tuple[QPushButton, ...]:
        return (self.check_button, self.choose_button, self.add_button, self.remove_button)

    def _show_nothing(self) -> None:
        self._checklist = None
        self.model.set_rows([])
        self.header.clear()
        self.stack.setCurrentWidget(self.table)
        self.add_button.setEnabled(False)
        self._update_buttons()

    # Selection ---------------------------------------------------------------------------------

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().hasSelection():
            return None
        value = index.data(MEMBER_ID_ROLE)
        return int(value) if value is not None else None

    def selected_row(self) -> ChecklistRow | None:
        member_id = self.selected_id()
        row = self.model.row_of(member_id) if member_id is not None else None
        return self.model.checklist_row(row) if row is not None else None

    def select_id(self, member_id: int) -> None:
        row = self.model.row_of(member_id)
        if row is None:
            return
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    # Actions -----------------------------------------------------------------------------------

    def activate_selected(self) -> None:
        """Enter or a double-click: choose the provider, or record a check once there is one."""
        row = self.selected_row()
        if row is None:
            return
        if row.member.data.provider_id is None:
            self.choose_selected()
        else:
            self.record_check_selected()

    def choose_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        if choose_provider(self, self._profile, self._messages, row.member):
            self._after_change(row.member.id)
            self._show_status(f"{row.row.role.label}: saved.")

    def record_check_selected(self) -> None:
        row = self.selected_row()
        checklist = self._checklist
        if row is None or checklist is None or row.member.data.provider_id is None:
            return
        # Imported here: the dialog belongs to the Providers page's network panel.
        from backlog_app.ui.network.verify_dialog import record_check

        check_id = record_check(
            self,
            self._profile,
            self._messages,
            provider_id=row.member.data.provider_id,
            plan_id=checklist.plan_id,
        )
        if check_id is not None:
            self._after_change(row.member.id)
            self._show_status(f"Check of {row.provider_name or 'the provider'} recorded.")

    def add_role(self) -> None:
        if self._case_id is None:
            return
        member_id = add_role(self, self._profile, self._messages, self._case_id)
        if member_id is not None:
            self._after_change(member_id)
            self._show_status("Role added to the care team.")

    def add_usual_roles(self) -> None:
        if self._case_id is None:
            return
        try:
            added = self._profile.network.add_default_roles(self._case_id)
        except UserError as exc:
            self._messages.problem("Add the usual roles", exc.message)
            return
        self._after_change(None)
        self._show_status(f"Added {added} role{'s' if added != 1 else ''} to the care team.")

    def remove_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        who = row.provider_name or "no provider chosen yet"
        description = f"the role “{row.row.role.label}” ({who})"
        if not self._messages.confirm(
            "Remove role",
            f"Remove {description} from this case's care team?\n\n"
            "Network checks of the provider stay; Undo puts the role back.",
            "Remove role",
        ):
            return
        try:
            removed = self._profile.network.delete_member(row.member.id)
        except UserError as exc:
            self._messages.problem("Remove role", exc.message)
            return
        self._removed.append((removed, description))
        self.undo_label.setText(f"Removed {description}.")
        self.undo_bar.show()
        self.undo_changed.emit()
        self._after_change(None)
        self._show_status(f"Removed {description} — Undo (Ctrl+Z) puts it back.")

    def undo_description(self) -> str | None:
        """What ``undo_delete`` would put back ("the role “Anesthesiologist” (Dr. Lee)")."""
        return self._removed[-1][1] if self._removed else None

    def undo_delete(self) -> None:
        if not self._removed:
            return
        member, description = self._removed.pop()
        if self._removed:
            self.undo_label.setText(f"Removed {self._removed[-1][1]}.")
        self.undo_bar.setVisible(bool(self._removed))
        self.undo_changed.emit()
        try:
            member_id = self._profile.network.restore_member(member)
        except UserError as exc:
            self._messages.problem("Undo remove", exc.message)
            self._update_buttons()
            return
        self._after_change(member_id)
        self._show_status(f"Put back {description}.")

    # Helpers -----------------------------------------------------------------------------------

    def _after_change(self, member_id: int | None) -> None:
        # The change announcement has reloaded a visible view; a hidden one is read now.
        if self._stale or not self.isVisible():
            self.reload()
        if member_id is not None:
            self.select_id(member_id)
        self._update_buttons()

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.activate_selected()

    def _update_buttons(self, *_args: Any) -> None:
        row = self.selected_row()
        self.choose_button.setEnabled(row is not None)
        self.remove_button.setEnabled(row is not None)
        assigned = row is not None and row.member.data.provider_id is not None
        self.check_button.setEnabled(assigned)
        if row is None:
            check_tip = "Select a role in the table first"
        elif assigned:
            check_tip = "Note a network check of the selected role's provider"
        else:
            check_tip = "Choose the provider first: a check is about a provider"
        self.check_button.setToolTip(check_tip)
        self.undo_button.setEnabled(bool(self._removed))
