"""Record an Oswestry Disability Index result: the clinic's total, or the ten section scores.

The questionnaire's wording is licensed (Mapi Research Trust), so sections are only numbered;
the user copies the numbers from the form their clinic scored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QRadioButton,
    QWidget,
)

from backlog_app.domain.log_records import ODI_SECTIONS, OdiScoreData
from backlog_app.domain.scores import ODI_SECTION_MAX, odi_band, odi_percent
from backlog_app.ui.editors.log_dialog import LogRecordDialog
from backlog_app.ui.editors.log_widgets import OptionalNumberEdit, ScorePicker
from backlog_app.ui.messages import Messages
from backlog_app.ui.widgets import NotesEdit, OptionalDateEdit


class OdiDialog(LogRecordDialog):
    """Edits one OdiScoreData; ``save`` is called with it when the user presses Save."""

    def __init__(
        self,
        save: Callable[[OdiScoreData], object],
        messages: Messages,
        *,
        today: dt.date,
        odi: OdiScoreData | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Edit ODI score" if odi else "Add ODI score", save, messages, parent)
        self.day = OptionalDateEdit()
        self.day.setAccessibleName("Date of the ODI")
        self.day.setMaximumWidth(220)
        self.use_total = QRadioButton("The &total my clinic gave me")
        self.use_sections = QRadioButton("The ten &section scores (0–5 each)")
        self.use_total.setAccessibleName("I have the total my clinic gave me")
        self.use_sections.setAccessibleName("I have the ten section scores")
        mode = QButtonGroup(self)
        mode.addButton(self.use_total)
        mode.addButton(self.use_sections)
        self.total = OptionalNumberEdit("ODI total (%)", decimals=True, max_digits=3)
        self.sections = [
            ScorePicker(f"Section {number}", maximum=ODI_SECTION_MAX)
            for number in range(1, ODI_SECTIONS + 1)
        ]
        self.score = QLabel()
        self.score.setAccessibleName("ODI score and band")
        self.score.setWordWrap(True)
        self.notes = NotesEdit(lines=2)
        self.notes.setAccessibleName("Notes")

        top = QFormLayout()
        top.addRow("&Date", self.day)
        top.addRow("I have", self.use_total)
        top.addRow("", self.use_sections)
        self.body.insertLayout(0, top)

        total_box = QGroupBox("Total score")
        total_form = QFormLayout(total_box)
        total_form.addRow("ODI total (&%)", self.total)
        self.sections_box = QGroupBox("Section scores — as scored on your clinic's form")
        grid = QGridLayout(self.sections_box)
        half = (ODI_SECTIONS + 1) // 2
        for index, picker in enumerate(self.sections):
            row, column = index % half, (index // half) * 2
            label = QLabel(f"Section &{index + 1}" if index < 9 else "Section 1&0")
            label.setBuddy(picker)
            grid.addWidget(label, row, column)
            grid.addWidget(picker, row, column + 1)
            picker.value_changed.connect(self._show_result)
        self.body.insertWidget(1, total_box)
        self.body.insertWidget(2, self.sections_box)
        result_form = QFormLayout()
        result_form.addRow("Score", self.score)
        result_form.addRow("No&tes", self.notes)
        self.body.insertLayout(3, result_form)
        self._total_box = total_box

        self.use_total.toggled.connect(self._mode_changed)
        self.total.textChanged.connect(self._show_result)
        odi = odi or OdiScoreData(today)
        self.day.set_date(odi.day)
        answered = any(score is not None for score in odi.sections)
        (self.use_sections if answered else self.use_total).setChecked(True)
        for picker, score in zip(self.sections, odi.sections, strict=True):
            picker.set_value(score)
        if not answered:
            self.total.set_number(odi.total_percent)
        self.notes.set_value(odi.notes)
        self._mode_changed()
        self.mark_clean()
        (self.sections[0] if answered else self.total).setFocus()

    def collect(self) -> OdiScoreData:
        day = self.day.date_value()
        if day is None:
            raise ValueError("Please enter the date of the ODI.")
        if self.use_total.isChecked():
            return OdiScoreData(
                day, self.total.number(), (None,) * ODI_SECTIONS, self.notes.value()
            )
        # The service computes the total from the sections.
        return OdiScoreData(day, None, tuple(p.value() for p in self.sections), self.notes.value())

    def _mode_changed(self) -> None:
        by_total = self.use_total.isChecked()
        self._total_box.setEnabled(by_total)
        self.sections_box.setEnabled(not by_total)
        self._show_result()

    def _show_result(self) -> None:
        if self.use_total.isChecked():
            try:
                percent = self.total.number()
            except ValueError:
                percent = None
            answered = None
        else:
            scores = [picker.value() for picker in self.sections]
            percent = odi_percent(scores)
            answered = sum(score is not None for score in scores)
        if percent is None:
            self.score.setText("—")
            return
        band = odi_band(percent).label if 0 <= percent <= 100 else "outside 0–100 %"
        text = f"<b>{percent:g} %</b> — {band}"
        if answered is not None:
            text += f" ({answered} of {ODI_SECTIONS} sections answered)"
        self.score.setText(text)
