"""Providers: the directory of everyone who treats or bills the patient, and their network status.

The table shows each provider's standing with the main plan in force (the Network column); the
panel below it shows the selected provider's standing with every plan and the history of checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from backlog_app.domain.records import ProviderData
from backlog_app.errors import UserError
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession
from backlog_app.services.deletion_impact import provider_impact, provider_warning
from backlog_app.services.network import PlanNetwork
from backlog_app.settings import SettingsStore
from backlog_app.ui.editors.provider_dialog import ProviderDialog
from backlog_app.ui.messages import Messages
from backlog_app.ui.models.record_table import SORT_ROLE, Column, Index, RecordTableModel
from backlog_app.ui.network.network_panel import NetworkPanel
from backlog_app.ui.network.standing import STALE_REASON, standing, standing_tooltip
from backlog_app.ui.record_list import RecordListPanel
from backlog_app.ui.signals import DataChanges
from backlog_app.ui.widgets import heading

NO_PLAN_MARK = "—"
NO_PLAN_TIP = (
    "No insurance plan in force: add your plan on the Profile & Insurance page to check "
    "which providers are in its network."
)
COLUMN_NETWORK = 1

PROVIDER_COLUMNS: list[Column[ProviderData]] = [
    Column("Name", lambda p: p.name),
    Column("Role", lambda p: p.role.label),
    Column("Organization", lambda p: p.organization or ""),
    Column(
        "NPI", lambda p: p.npi or "—", tooltip=lambda p: p.npi or "NPI not recorded", stretch=False
    ),
    Column("Phone", lambda p: p.phone or "", stretch=False),
    Column("Specialty", lambda p: p.specialty or ""),
]
# Filled by ProviderTableModel from the network summary (the column needs the provider's id).
NETWORK_COLUMN: Column[ProviderData] = Column("Network", lambda p: "", stretch=False)
# The page's columns: the Network column next to the name, where it is seen first.
PAGE_COLUMNS = [PROVIDER_COLUMNS[0], NETWORK_COLUMN, *PROVIDER_COLUMNS[1:]]
# The network column's changes: checks and plans (a new plan year, a plan that ended).
_NETWORK_CHANGES = frozenset({Change.NETWORK, Change.PLANS})


class ProviderTableModel(RecordTableModel[ProviderData]):
    """The providers, with the Network column worked out from ``network_summary``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(PAGE_COLUMNS, parent)
        self._network: Mapping[int, PlanNetwork] = {}
        self._today = dt.date.today()
        self._max_age_days = 90

    def set_network(
        self, summary: Mapping[int, PlanNetwork], today: dt.date, max_age_days: int
    ) -> None:
        """Show a new summary without resetting the rows (the selection stays)."""
        self._network = summary
        self._today = today
        self._max_age_days = max_age_days
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, COLUMN_NETWORK), self.index(self.rowCount() - 1, COLUMN_NETWORK)
            )

    def network_text(self, row: int) -> str:
        network = self._network.get(self.record(row).id)
        return standing(network).mark if network is not None else NO_PLAN_MARK

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() != COLUMN_NETWORK:
            return super().data(index, role)
        if not 0 <= index.row() < self.rowCount():
            return None
        network = self._network.get(self.record(index.row()).id)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.network_text(index.row())
        if role == Qt.ItemDataRole.ToolTipRole:
            if network is None:
                return NO_PLAN_TIP
            return standing_tooltip(network, self._today, self._max_age_days)
        if role == SORT_ROLE:
            return standing(network).sort_order if network is not None else 99
        if network is not None and role == Qt.ItemDataRole.ForegroundRole:
            return standing(network).foreground
        if network is not None and role == Qt.ItemDataRole.BackgroundRole:
            return standing(network).background
        return super().data(index, role)


class ProvidersPage(QWidget):
    """A searchable table of providers with Add / Edit / Delete, and the selected provider's
    network status below it.

    Args:
        settings: where the "checks go out of date after N days" setting is saved.

    ``reload`` (called on a providers change) reads the list, the Network column and the panel;
    the page listens to network and plan changes itself. ``undo_changed`` fires when what
    ``undo`` would put back (a deleted network check) changes.
    """

    undo_changed = Signal()

    def __init__(
        self,
        profile: ProfileSession,
        messages: Messages,
        show_status: Callable[[str], None],
        parent: QWidget | None = None,
        *,
        settings: SettingsStore | None = None,
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._messages = messages
        self._show_status = show_status
        self._network_stale = False
        self.model = ProviderTableModel(self)
        self.panel = RecordListPanel(
            self.model,
            noun="provider",
            empty_text="No providers yet.\nAdd your doctors, therapists, imaging centers and "
            "the facilities that bill you: every request and appeal names them.",
            searchable=True,
        )
        self.panel.add_requested.connect(self.add_provider)
        self.panel.edit_requested.connect(self.edit_provider)
        self.panel.delete_requested.connect(self.delete_provider)
        self.network_panel = NetworkPanel(profile, messages, show_status, settings)
        self.network_panel.days_changed.connect(lambda _days: self.refresh_network())
        self.network_panel.undo_changed.connect(self.undo_changed)
        intro = QLabel(
            "Everyone who treats you or may send a bill. Each one can be in or out of your "
            "plan's network on its own — even at an in-network hospital. The Network column "
            f"shows your main plan; choose a provider to see every check. {STALE_REASON}"
        )
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.panel)
        self.splitter.addWidget(self.network_panel)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([320, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(heading("Providers"))
        layout.addWidget(intro)
        layout.addWidget(self.splitter, 1)
        self.panel.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._changes = DataChanges(profile.changes)
        self._changes.changed.connect(self.on_data_changed)
        changes = self._changes
        self.destroyed.connect(lambda *_: changes.detach())
        self._reloading = False
        self.reload()

    def reload(self) -> None:
        """Read the providers, their network column and the selected provider's panel."""
        selected = self.panel.selected_id()
        self._reloading = True
        try:
            self.model.set_records(self._profile.providers.list())
            self._read_network()
            if selected is not None:
                self.panel.select_id(selected)
        finally:
            self._reloading = False
        self._selection_changed()

    def refresh_network(self) -> None:
        """Read the Network column again (after a check, or a new number of days)."""
        self._network_stale = False
        self._read_network()

    def on_data_changed(self, changes: frozenset[Change]) -> None:
        if not changes & _NETWORK_CHANGES:
            return
        if self.isVisible():
            self.refresh_network()
        else:
            self._network_stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._network_stale:
            self.refresh_network()

    def detach(self) -> None:
        """Stop listening to the profile (before it closes)."""
        self._changes.detach()
        self.network_panel.detach()

    def undo_description(self) -> str | None:
        """What ``undo`` would put back ("the check of 3 Nov 2026 (in network)"), or None."""
        return self.network_panel.undo_description()

    def undo(self) -> None:
        self.network_panel.undo_delete()

    def _read_network(self) -> None:
        try:
            summary = self._profile.network.network_summary()
        except UserError as exc:
            self._messages.problem("Network status", exc.message)
            return
        self.model.set_network(summary, self._profile.clock(), self._profile.network.max_age_days)

    def _selection_changed(self, *_args: Any) -> None:
        if self._reloading:
            return
        provider_id = self.panel.selected_id()
        row = self.model.row_of(provider_id) if provider_id is not None else None
        name = self.model.record(row).data.name if row is not None else ""
        self.network_panel.show_provider(provider_id, name)

    def add_provider(self) -> None:
        added: list[int] = []
        dialog = ProviderDialog(
            lambda provider: added.append(self._profile.providers.add(provider)), parent=self
        )
        if dialog.exec() and added:
            self.panel.select_id(added[0])
            self._show_status("Provider added.")

    def edit_provider(self, provider_id: int) -> None:
        stored = self._profile.providers.get(provider_id)
        dialog = ProviderDialog(
            lambda provider: self._profile.providers.update(provider_id, provider),
            stored.data,
            parent=self,
        )
        if dialog.exec():
            self._show_status("Provider saved.")

    def delete_provider(self, provider_id: int) -> None:
        provider = self._profile.providers.get(provider_id).data
        impact = provider_warning(provider_impact(self._profile.database, provider_id))
        text = f"Delete {provider.name} from your directory?"
        if impact:
            text += f"\n\n{impact}"
        if self._messages.confirm(
            "Delete provider", f"{text}\n\nThis cannot be undone.", "Delete provider"
        ):
            self._profile.providers.delete(provider_id)
            self._show_status("Provider deleted.")
