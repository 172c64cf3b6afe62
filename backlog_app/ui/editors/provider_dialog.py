"""Add or edit a provider: name, role, organization, NPI (checked as you type), contact details."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from backlog_app.domain.npi import npi_problem
from backlog_app.domain.records import ProviderData, ProviderRole
from backlog_app.ui.editors.base import RecordDialog
from backlog_app.ui.widgets import NotesEdit, blank_to_none


class ProviderDialog(RecordDialog):
    """Edits one ProviderData; ``save`` is called with it when the user presses Save."""

    def __init__(
        self,
        save: Callable[[ProviderData], None],
        provider: ProviderData | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Edit provider" if provider else "Add provider", save, parent)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Dr. Jane Smith, or Northside Surgery Center")
        self.role = QComboBox()
        for role in ProviderRole:
            self.role.addItem(role.label, role.value)
        self.specialty = QLineEdit()
        self.organization = QLineEdit()
        self.organization.setPlaceholderText("Practice, hospital or group they work for")
        self.npi = QLineEdit()
        self.npi.setPlaceholderText("10 digits, on their letters and bills")
        self.npi.setMaxLength(14)
        self.npi_status = QLabel()
        self.npi_status.setObjectName("fieldHint")
        self.npi_status.setWordWrap(True)
        self.phone = QLineEdit()
        self.fax = QLineEdit()
        self.address = NotesEdit(lines=2)
        self.notes = NotesEdit(lines=2)
        for label, widget, accessible in (
            ("&Name", self.name, "Provider name"),
            ("&Role", self.role, "Provider role"),
            ("&Specialty", self.specialty, "Specialty"),
            ("&Organization", self.organization, "Organization"),
            ("N&PI", self.npi, "NPI number"),
            ("", self.npi_status, "NPI check"),
            ("P&hone", self.phone, "Phone"),
            ("&Fax", self.fax, "Fax"),
            ("&Address", self.address, "Address"),
            ("No&tes", self.notes, "Notes"),
        ):
            widget.setAccessibleName(accessible)
            self.form.addRow(label, widget)
        self.npi.setToolTip(
            "The National Provider Identifier. BackLog checks its last digit to catch typos."
        )
        self.npi.textChanged.connect(self._check_npi)
        self.set_provider(provider)
        self.setMinimumWidth(520)
        self.name.setFocus()

    def set_provider(self, provider: ProviderData | None) -> None:
        provider = provider or ProviderData(name="", role=ProviderRole.PRIMARY_CARE)
        self.name.setText(provider.name)
        self.role.setCurrentIndex(self.role.findData(provider.role.value))
        self.specialty.setText(provider.specialty or "")
        self.organization.setText(provider.organization or "")
        self.npi.setText(provider.npi or "")
        self.phone.setText(provider.phone or "")
        self.fax.setText(provider.fax or "")
        self.address.set_value(provider.address)
        self.notes.set_value(provider.notes)
        self._check_npi(self.npi.text())

    def collect(self) -> ProviderData:
        return ProviderData(
            name=self.name.text().strip(),
            role=ProviderRole(self.role.currentData()),
            specialty=blank_to_none(self.specialty.text()),
            organization=blank_to_none(self.organization.text()),
            npi=blank_to_none(self.npi.text()),
            phone=blank_to_none(self.phone.text()),
            fax=blank_to_none(self.fax.text()),
            address=self.address.value(),
            notes=self.notes.value(),
        )

    def _check_npi(self, text: str) -> None:
        if not text.strip():
            self.npi_status.setText("Optional, but insurers identify providers by it.")
            return
        problem = npi_problem(text)
        self.npi_status.setText(f"⚠ {problem}" if problem else "✓ This NPI is well-formed.")
