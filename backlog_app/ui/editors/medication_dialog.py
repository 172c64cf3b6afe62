"""Add or edit a medication trial: what, how much, who prescribed it, when, and how it went."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QCheckBox, QGridLayout, QLineEdit, QWidget

from backlog_app.domain.log_records import MedicationData, MedicationOutcome, Route
from backlog_app.ui.editors.log_dialog import LogRecordDialog, form_group
from backlog_app.ui.editors.log_widgets import EnumCombo, IdCombo
from backlog_app.ui.messages import Messages
from backlog_app.ui.widgets import NotesEdit, OptionalDateEdit, blank_to_none


class MedicationDialog(LogRecordDialog):
    """Edits one MedicationData; ``save`` is called with it when the user presses Save.

    Args:
        providers: (id, name) of the directory's providers, for the prescriber.
    """

    def __init__(
        self,
        save: Callable[[MedicationData], object],
        messages: Messages,
        providers: Sequence[tuple[int, str]],
        medication: MedicationData | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "Edit medication" if medication else "Add medication", save, messages, parent
        )
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Naproxen, Gabapentin")
        self.strength = QLineEdit()
        self.strength.setPlaceholderText("e.g. 500 mg")
        self.dose = QLineEdit()
        self.dose.setPlaceholderText("e.g. 1 tablet")
        self.frequency = QLineEdit()
        self.frequency.setPlaceholderText("e.g. twice a day")
        self.route: EnumCombo[Route] = EnumCombo("Route", list(Route))
        self.as_needed = QCheckBox("Taken only when needed (as needed, “PRN”)")
        self.prescriber = IdCombo("Prescriber", providers, none_label="— not recorded —")
        self.purpose = QLineEdit()
        self.purpose.setPlaceholderText("e.g. nerve pain, muscle spasm")
        self.start_date = OptionalDateEdit()
        self.stop_date = OptionalDateEdit()
        self.outcome: EnumCombo[MedicationOutcome] = EnumCombo(
            "Outcome", list(MedicationOutcome), none_label="— still deciding —"
        )
        self.side_effects = NotesEdit(lines=2)
        self.reason_stopped = NotesEdit(lines=2)
        self.notes = NotesEdit(lines=2)

        what = form_group(
            "The medication",
            [
                ("&Name", self.name, None),
                ("&Strength", self.strength, None),
                ("D&ose", self.dose, None),
                ("How &often", self.frequency, None),
                ("Rou&te", self.route, None),
                ("", self.as_needed, None),
                ("&Prescribed by", self.prescriber, "From your provider directory."),
                ("P&urpose", self.purpose, None),
            ],
        )
        trial = form_group(
            "The trial",
            [
                ("St&arted", self.start_date, "An estimate is fine: insurers ask for durations."),
                ("Stopp&ed", self.stop_date, "Leave “Not set” while you still take it."),
                ("Out&come", self.outcome, "How it went: insurers ask what was tried and failed."),
                ("Side e&ffects", self.side_effects, None),
                ("&Reason stopped", self.reason_stopped, None),
            ],
        )
        self.notes.setAccessibleName("Notes")
        self.form.addRow("Not&es", self.notes)
        grid = QGridLayout()
        grid.addWidget(what, 0, 0)
        grid.addWidget(trial, 0, 1)
        self.body.insertLayout(0, grid)
        self.set_medication(medication)
        self.set_preferred_width(760)
        self.mark_clean()
        self.name.setFocus()

    def set_medication(self, medication: MedicationData | None) -> None:
        medication = medication or MedicationData(name="", start_date=None)
        self.name.setText(medication.name)
        self.strength.setText(medication.strength or "")
        self.dose.setText(medication.dose or "")
        self.frequency.setText(medication.frequency or "")
        self.route.set_value(medication.route)
        self.as_needed.setChecked(medication.as_needed)
        self.prescriber.set_value(medication.prescriber_id)
        self.purpose.setText(medication.purpose or "")
        self.start_date.set_date(medication.start_date)
        self.stop_date.set_date(medication.stop_date)
        self.outcome.set_value(medication.outcome)
        self.side_effects.set_value(medication.side_effects)
        self.reason_stopped.set_value(medication.reason_stopped)
        self.notes.set_value(medication.notes)

    def collect(self) -> MedicationData:
        return MedicationData(
            name=self.name.text().strip(),
            start_date=self.start_date.date_value(),
            strength=blank_to_none(self.strength.text()),
            dose=blank_to_none(self.dose.text()),
            frequency=blank_to_none(self.frequency.text()),
            route=self.route.value(),
            as_needed=self.as_needed.isChecked(),
            prescriber_id=self.prescriber.value(),
            purpose=blank_to_none(self.purpose.text()),
            stop_date=self.stop_date.date_value(),
            outcome=self.outcome.value(),
            side_effects=self.side_effects.value(),
            reason_stopped=self.reason_stopped.value(),
            notes=self.notes.value(),
        )
