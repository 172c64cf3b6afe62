"""Providers: the directory of everyone who treats or bills the patient."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from backlog_app.domain.records import ProviderData
from backlog_app.services.context import ProfileSession
from backlog_app.ui.editors.provider_dialog import ProviderDialog
from backlog_app.ui.messages import Messages
from backlog_app.ui.models.record_table import Column, RecordTableModel
from backlog_app.ui.record_list import RecordListPanel
from backlog_app.ui.widgets import heading

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


class ProvidersPage(QWidget):
    """A searchable table of providers with Add / Edit / Delete."""

    def __init__(
        self,
        profile: ProfileSession,
        messages: Messages,
        show_status: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._messages = messages
        self._show_status = show_status
        self.model: RecordTableModel[ProviderData] = RecordTableModel(PROVIDER_COLUMNS, self)
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
        intro = QLabel(
            "Everyone who treats you or may send a bill. Each one can be in or out of your "
            "plan's network on its own — even at an in-network hospital."
        )
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(heading("Providers"))
        layout.addWidget(intro)
        layout.addWidget(self.panel, 1)
        self.reload()

    def reload(self) -> None:
        selected = self.panel.selected_id()
        self.model.set_records(self._profile.providers.list())
        if selected is not None:
            self.panel.select_id(selected)

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
        if self._messages.confirm(
            "Delete provider", f"Delete {provider.name} from your directory?", "Delete provider"
        ):
            self._profile.providers.delete(provider_id)
            self._show_status("Provider deleted.")
