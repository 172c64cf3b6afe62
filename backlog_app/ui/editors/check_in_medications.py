"""The check-in's medication rows: taken today or not, how many doses, how much it helped."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QSpinBox, QWidget

from backlog_app.domain.log_records import DoseTaken, MedicationData
from backlog_app.domain.records import Stored
from backlog_app.ui.editors.log_widgets import OptionalNumberEdit


class TakenMedications(QWidget):
    """One row per medication: taken today?, how many doses, how much it helped."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[int, QCheckBox, QSpinBox, OptionalNumberEdit]] = []
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(10)
        self._grid.setVerticalSpacing(4)
        self._grid.setColumnStretch(0, 1)
        self.empty = QLabel(
            "No medication is being taken on this day. Add your medications on the Log "
            "page (Medications) with the dates you take them."
        )
        self.empty.setObjectName("muted")
        self.empty.setWordWrap(True)

    def set_rows(
        self, medications: Sequence[Stored[MedicationData]], doses: Sequence[DoseTaken]
    ) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.empty:
                # Hide and detach at once: deleteLater() alone leaves it painted until the
                # event loop runs.
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self._rows.clear()
        taken = {dose.medication_id: dose for dose in doses}
        if not medications:
            self._grid.addWidget(self.empty, 0, 0, 1, 4)
            self.empty.show()
            return
        self.empty.hide()
        for row, stored in enumerate(medications):
            self._add_row(row, stored, taken.get(stored.id))

    def _add_row(self, row: int, stored: Stored[MedicationData], dose: DoseTaken | None) -> None:
        medication = stored.data
        label = " ".join(p for p in (medication.name, medication.strength) if p)
        if medication.as_needed:
            label += " (as needed)"
        taken = QCheckBox(label, self)
        taken.setAccessibleName(f"Took {label} today")
        details = ", ".join(p for p in (medication.dose, medication.frequency) if p)
        if details:
            taken.setToolTip(details)
        count = QSpinBox(self)
        count.setRange(1, 50)
        count.setAccessibleName(f"Doses of {medication.name} taken")
        count.setSuffix(" dose(s)")
        relief = OptionalNumberEdit(f"Relief from {medication.name} (%)", max_digits=3)
        percent = QLabel("% relief", self)
        taken.setChecked(dose is not None)
        count.setValue(dose.doses if dose else 1)
        relief.set_number(dose.relief_percent if dose else None)

        def follow(checked: bool) -> None:
            # Doses and relief only mean something for a medication that was taken.
            count.setEnabled(checked)
            relief.setEnabled(checked)

        taken.toggled.connect(follow)
        follow(taken.isChecked())
        self._grid.addWidget(taken, row, 0)
        self._grid.addWidget(count, row, 1)
        self._grid.addWidget(relief, row, 2)
        self._grid.addWidget(percent, row, 3)
        self._rows.append((stored.id, taken, count, relief))

    def doses(self) -> tuple[DoseTaken, ...]:
        """The doses ticked. Raises ValueError when a relief is not a whole number."""
        return tuple(
            DoseTaken(medication_id, count.value(), relief.int_value())
            for medication_id, taken, count, relief in self._rows
            if taken.isChecked()
        )

    def focus_chain(self) -> list[QWidget]:
        chain: list[QWidget] = []
        for _, taken, count, relief in self._rows:
            chain += [taken, count, relief]
        return chain

    def checkbox(self, medication_id: int) -> QCheckBox:
        return next(taken for mid, taken, _, _ in self._rows if mid == medication_id)
