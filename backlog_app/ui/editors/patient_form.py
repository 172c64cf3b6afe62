"""The patient's details as a form, used on the Profile page and in the welcome dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget

from backlog_app.domain.records import PatientData
from backlog_app.ui.widgets import NotesEdit, OptionalDateEdit, blank_to_none


class PatientForm(QWidget):
    """Name, date of birth and contact details. ``data()`` builds a PatientData."""

    def __init__(self, parent: QWidget | None = None, *, compact: bool = False) -> None:
        super().__init__(parent)
        self.full_name = QLineEdit(self)
        self.full_name.setPlaceholderText("As it appears on the insurance card")
        self.date_of_birth = OptionalDateEdit(self)
        self.phone = QLineEdit(self)
        self.email = QLineEdit(self)
        self.address = NotesEdit(self, lines=2)
        self.notes = NotesEdit(self, lines=2)
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        rows: list[tuple[str, QWidget, str]] = [
            ("&Name", self.full_name, "Patient's full name"),
            ("Date of &birth", self.date_of_birth, "Patient's date of birth"),
        ]
        contact_rows: list[tuple[str, QWidget, str]] = [
            ("&Phone", self.phone, "Patient's phone number"),
            ("E-&mail", self.email, "Patient's e-mail address"),
            ("&Address", self.address, "Patient's mailing address"),
            ("N&otes", self.notes, "Notes about the patient"),
        ]
        if compact:
            for _, widget, _ in contact_rows:
                widget.hide()  # kept (empty) so data() stays the same shape
        else:
            rows += contact_rows
        for label, widget, accessible in rows:
            widget.setAccessibleName(accessible)
            layout.addRow(label, widget)

    def data(self) -> PatientData:
        return PatientData(
            full_name=self.full_name.text().strip(),
            date_of_birth=self.date_of_birth.date_value(),
            phone=blank_to_none(self.phone.text()),
            email=blank_to_none(self.email.text()),
            address=self.address.value(),
            notes=self.notes.value(),
        )

    def set_data(self, patient: PatientData | None) -> None:
        patient = patient or PatientData(full_name="", date_of_birth=None)
        self.full_name.setText(patient.full_name)
        self.date_of_birth.set_date(patient.date_of_birth)
        self.phone.setText(patient.phone or "")
        self.email.setText(patient.email or "")
        self.address.set_value(patient.address)
        self.notes.set_value(patient.notes)
