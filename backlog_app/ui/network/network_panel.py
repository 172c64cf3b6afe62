"""The selected provider's network standing: each plan's status and freshness, every check.

Shown beside the providers list. "Record a check…" opens the check dialog; "Delete this check"
removes a mistaken entry (with Undo); the "Checks go out of date after N days" box is the
``network_check_days`` setting, applied at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.network import Verification
from backlog_app.errors import UserError
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession
from backlog_app.services.network import PlanNetwork
from backlog_app.settings import FIELD_RANGES, SettingsStore
from backlog_app.ui.messages import Messages
from backlog_app.ui.network.history_model import CheckHistoryTable
from backlog_app.ui.network.plan_card import PlanCard
from backlog_app.ui.network.standing import STALE_REASON
from backlog_app.ui.network.verify_dialog import record_check
from backlog_app.ui.signals import DataChanges
from backlog_app.ui.widgets import heading

_WATCHED = frozenset({Change.NETWORK, Change.PLANS, Change.CALLS})

NO_PROVIDER = "Choose a provider in the list to see whether they are in your plan's network."
NO_PLANS = (
    "Add your insurance plan on the Profile & Insurance page: a provider is in or out of "
    "network for one plan at a time."
)
NO_CHECKS = "No checks recorded yet. Call your insurer and ask: “Is this provider in network?”"


class NetworkPanel(QWidget):
    """One provider's standing with each plan, the latest check and the history of checks.

    Args:
        profile: the open profile.
        messages: confirmations and problems.
        show_status: a short note in the status bar ("Network check recorded.").
        settings: where the "out of date after N days" setting is saved (the window applies
            it to the profile and announces ``Change.NETWORK``); None: not saved, and the
            panel applies and announces it itself.

    The panel listens to the profile's changes itself (checks, plans, calls). ``days_changed``
    fires when the number of days changes; ``undo_changed`` when what ``undo_delete`` would put
    back changes.
    """

    days_changed = Signal(int)
    undo_changed = Signal()

    def __init__(
        self,
        profile: ProfileSession,
        messages: Messages,
        show_status: Callable[[str], None],
        settings: SettingsStore | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._messages = messages
        self._show_status = show_status
        self._settings = settings
        self._provider_id: int | None = None
        self._provider_name = ""
        self._networks: list[PlanNetwork] = []
        self._deleted: list[tuple[Verification, str]] = []  # newest last, for Undo
        self._stale = False

        self.title = heading("Network status", level=2)
        self.title.setWordWrap(True)
        self.empty = QLabel(NO_PROVIDER, self)
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.plans_box = QVBoxLayout()
        self.plans_box.setSpacing(8)

        self.record_button = QPushButton("&Record a check…", self)
        self.delete_button = QPushButton("Delete this check", self)
        self.undo_button = QPushButton("Undo delete", self)
        for button, what in (
            (self.record_button, "Record a network check for this provider"),
            (self.delete_button, "Delete the check selected in the history (a mistaken entry)"),
            (self.undo_button, "Put back the check you deleted last"),
        ):
            button.setAccessibleName(what.split(" (")[0])
            button.setToolTip(what)
        self.record_button.setObjectName("primaryButton")
        self.record_button.clicked.connect(self.record_new_check)
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_button.clicked.connect(self.undo_delete)

        self.table = CheckHistoryTable(self)
        self.model = self.table.history
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.no_checks = QLabel(NO_CHECKS, self)
        self.no_checks.setObjectName("muted")
        self.no_checks.setWordWrap(True)

        self.days = QSpinBox(self)
        low, high = FIELD_RANGES["network_check_days"]
        self.days.setRange(low, high)
        self.days.setSuffix(" days")
        self.days.setKeyboardTracking(False)  # typing "120" is one change, not three
        self.days.setAccessibleName("Checks go out of date after this many days")
        self.days.setToolTip(
            "A check older than this needs doing again before your next visit. " + STALE_REASON
        )
        self.days.setValue(
            settings.settings.network_check_days if settings else profile.network.max_age_days
        )
        if profile.network.max_age_days != self.days.value():
            # Only without a window, which applies the setting before building its pages.
            profile.network.max_age_days = self.days.value()
        self.days.valueChanged.connect(self._days_changed)

        self._content = QWidget(self)
        self._build_content()
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self._content)
        self._stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack, 1)
        layout.addLayout(self._days_row())
        self._changes = DataChanges(profile.changes)
        self._changes.changed.connect(self._on_data_changed)
        changes = self._changes
        self.destroyed.connect(lambda *_: changes.detach())
        self.show_provider(None)

    def _days_row(self) -> QHBoxLayout:
        """The setting, shown whether or not a provider is chosen: it applies to all of them."""
        label = QLabel("Checks go out of &date after", self)
        label.setBuddy(self.days)
        why = QLabel(STALE_REASON, self)
        why.setObjectName("muted")
        why.setWordWrap(True)
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(label)
        row.addWidget(self.days)
        row.addWidget(why, 1)
        return row

    def _build_content(self) -> None:
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        history = QLabel("History of checks, newest first", self._content)
        history.setStyleSheet("font-weight: bold;")
        layout = QVBoxLayout(self._content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addLayout(self.plans_box)
        layout.addLayout(buttons)
        layout.addWidget(history)
        self.no_checks.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._history_stack = QStackedWidget(self._content)
        self._history_stack.addWidget(self.table)
        self._history_stack.addWidget(self.no_checks)
        layout.addWidget(self._history_stack, 1)

    # Showing -----------------------------------------------------------------------------------

    @property
    def provider_id(self) -> int | None:
        return self._provider_id

    def show_provider(self, provider_id: int | None, name: str = "") -> None:
        """Show one provider's standing (None: ask to choose one); reads at once."""
        if provider_id != self._provider_id and self._deleted:
            self._deleted.clear()
            self.undo_changed.emit()
        self._provider_id = provider_id
        self._provider_name = name
        self.refresh()

    def detach(self) -> None:
        """Stop listening to the profile (before it closes)."""
        self._changes.detach()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _on_data_changed(self, changes: frozenset[Change]) -> None:
        if self._provider_id is None or not changes & _WATCHED:
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def refresh(self) -> None:
        """Read the shown provider's checks again (a few small reads)."""
        self._stale = False
        if self._provider_id is None:
            self._stack.setCurrentWidget(self.empty)
            self.empty.setText(NO_PROVIDER)
            self._update_buttons()
            return
        selected = self.selected_check()
        try:
            networks = self._profile.network.provider_network(self._provider_id)
            checks = [check for network in networks for check in network.history]
            call_labels = self._call_labels(checks)
            self._supplemental = {
                plan.id
                for plan in self._profile.plans.list()
                if plan.data.plan_type.is_supplemental
            }
        except UserError as exc:
            self._messages.problem("Network status", exc.message)
            return
        self._networks = networks
        self.title.setText(f"Network status: {self._provider_name}".rstrip(": "))
        self.title.setAccessibleName(self.title.text())
        self._stack.setCurrentWidget(self._content)
        self._show_plans(networks, call_labels)
        self.model.set_history(checks, {n.plan_id: n.plan_label for n in networks}, call_labels)
        self._history_stack.setCurrentWidget(self.table if checks else self.no_checks)
        if selected is not None:
            self.select_check(selected.id)
        self._update_buttons()

    def _show_plans(self, networks: list[PlanNetwork], call_labels: dict[int, str]) -> None:
        while (item := self.plans_box.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.hide()  # at once: the deletion waits for the event loop
                widget.deleteLater()
        if not networks:
            note = QLabel(NO_PLANS, self._content)
            note.setObjectName("muted")
            note.setWordWrap(True)
            self.plans_box.addWidget(note)
            return
        today = self._profile.clock()
        days = self._profile.network.max_age_days
        for network in networks:
            # Ended plans and supplemental policies (no network to be in) only in the history.
            if network.plan_is_current and network.plan_id not in self._supplemental:
                call_id = network.latest.data.call_id if network.latest else None
                call = call_labels.get(call_id) if call_id is not None else None
                self.plans_box.addWidget(PlanCard(network, call, today, days, self._content))

    def plan_cards(self) -> list[PlanCard]:
        """The cards shown, one per plan."""
        cards = []
        for i in range(self.plans_box.count()):
            item = self.plans_box.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, PlanCard):
                cards.append(widget)
        return cards

    def _call_labels(self, checks: list[Verification]) -> dict[int, str]:
        labels: dict[int, str] = {}
        for call_id in {c.data.call_id for c in checks if c.data.call_id is not None}:
            try:
                call = self._profile.calls.get(call_id).data
                labels[call_id] = f"{call.organization}, {format_long_date(call.called_at.date())}"
            except UserError:
                continue  # deleted since: the check keeps its own date and reference
        return labels

    # Selection ---------------------------------------------------------------------------------

    def selected_check(self) -> Verification | None:
        return self.table.selected_check()

    def select_check(self, check_id: int) -> None:
        self.table.select_check(check_id)

    # Actions -----------------------------------------------------------------------------------

    def record_new_check(self) -> None:
        if self._provider_id is None:
            return
        check_id = record_check(self, self._profile, self._messages, provider_id=self._provider_id)
        if check_id is None:
            return
        self._after_change()
        self.select_check(check_id)
        self._show_status("Network check recorded.")

    def delete_selected(self) -> None:
        check = self.selected_check()
        if check is None:
            return
        described = self._describe(check)
        if not self._messages.confirm(
            "Delete this check",
            f"Delete the check of {described}?\n\nOnly delete a check entered by mistake: the "
            "history of checks is your proof of what the insurer said. Undo puts it back.",
            "Delete check",
        ):
            return
        try:
            deleted = self._profile.network.delete_verification(check.id)
        except UserError as exc:
            self._messages.problem("Delete this check", exc.message)
            return
        self._deleted.append((deleted, described))
        self.undo_changed.emit()
        self._after_change()
        self._show_status(f"Deleted the check of {described} — “Undo delete” puts it back.")

    def undo_description(self) -> str | None:
        """What ``undo_delete`` would put back ("the check of 3 Nov 2026"), or None."""
        return f"the check of {self._deleted[-1][1]}" if self._deleted else None

    def undo_delete(self) -> None:
        if not self._deleted:
            return
        check, described = self._deleted.pop()
        self.undo_changed.emit()
        try:
            restored = self._profile.network.restore_verification(check)
        except UserError as exc:
            self._messages.problem("Undo delete", exc.message)
            self._update_buttons()
            return
        self._after_change()
        self.select_check(restored)
        self._show_status(f"Put back the check of {described}.")

    def _days_changed(self, days: int) -> None:
        if self._settings is not None:
            # The window applies the setting to the profile and announces Change.NETWORK, so
            # that every view of network status (this one too) reads again.
            self._settings.update(network_check_days=days)
        if self._profile.network.max_age_days != days:
            # No window applied it (no settings store, or this panel on its own): do it here.
            self._profile.network.max_age_days = days
            self._profile.changes.announce(Change.NETWORK)
        self.days_changed.emit(days)
        self._show_status(f"Network checks now go out of date after {days} days.")

    # Helpers -----------------------------------------------------------------------------------

    def _after_change(self) -> None:
        # The change announcement refreshes a visible panel; a hidden one is read now.
        if self._stale or not self.isVisible():
            self.refresh()
        self._update_buttons()

    def _describe(self, check: Verification) -> str:
        plan = next((n.plan_label for n in self._networks if n.plan_id == check.data.plan_id), "")
        day = format_long_date(check.data.verified_on)
        return f"{day} ({check.data.status.label.lower()}{', ' + plan if plan else ''})"

    def _update_buttons(self, *_args: Any) -> None:
        shown = self._provider_id is not None
        self.record_button.setEnabled(shown)
        self.delete_button.setEnabled(shown and self.selected_check() is not None)
        self.undo_button.setEnabled(bool(self._deleted))
        self.undo_button.setVisible(bool(self._deleted))
