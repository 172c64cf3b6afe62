"""Edit a procedure's readiness criteria: the numbers of each, whether to check it, or reset.

The dialog only edits; the checklist saves what it returns through the readiness service, for
every case of the procedure. Each criterion's label is worded again from its numbers as they
change, so the user sees what they are asking for ("At least 8 weeks of conservative care").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.cases import Procedure
from backlog_app.domain.readiness_criteria import (
    CriteriaError,
    Criterion,
    NumberField,
    ProcedureCriteria,
    editable_numbers,
    with_numbers,
)
from backlog_app.domain.readiness_labels import criterion_label
from backlog_app.ui.widgets import ProblemList, heading


class CriterionEditor(QFrame):
    """One criterion: a "check this" box worded from the numbers, its source, its numbers."""

    def __init__(self, criterion: Criterion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._criterion = criterion
        self.check = QCheckBox(self)
        self.check.setChecked(criterion.enabled)
        self.check.setToolTip("Untick to leave this criterion out of the checklist.")
        source = QLabel(f"Source: {criterion.source}", self)
        source.setObjectName("muted")
        source.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.check)
        form = QFormLayout()
        form.setContentsMargins(24, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.spins: dict[str, QSpinBox] = {}
        for field in editable_numbers(criterion):
            spin = _number_spin(field, self)
            spin.valueChanged.connect(self._reword)
            self.spins[field.name] = spin
            form.addRow(field.label, spin)
        layout.addLayout(form)
        if criterion.note:
            source.setText(f"{source.text()}. {criterion.note}")
        layout.addWidget(source)
        self._reword()

    def numbers(self) -> dict[str, int | None]:
        """The numbers as set; None where an optional number is left out."""
        return {
            name: None
            if spin.value() == spin.minimum() and spin.specialValueText()
            else spin.value()
            for name, spin in self.spins.items()
        }

    def criterion(self) -> Criterion:
        """The criterion with the numbers and the box as set.

        Raises:
            CriteriaError: a number breaks a rule (the oldest age below the youngest…).
        """
        changed = with_numbers(self._criterion, self.numbers())
        return dataclasses.replace(changed, enabled=self.check.isChecked())

    def _reword(self) -> None:
        try:
            label = criterion_label(with_numbers(self._criterion, self.numbers()))
        except CriteriaError:
            label = criterion_label(self._criterion)
        self.check.setText(label)
        self.check.setAccessibleName(f"Check: {label}")
        for name, spin in self.spins.items():
            field_label = next(f.label for f in editable_numbers(self._criterion) if f.name == name)
            spin.setAccessibleName(f"{field_label} — {label}")


def _number_spin(field: NumberField, parent: QWidget) -> QSpinBox:
    spin = QSpinBox(parent)
    if field.none_text is not None:
        # One below the lowest value stands for "left out", shown in words.
        spin.setRange(field.minimum - 1, field.maximum)
        spin.setSpecialValueText(field.none_text)
    else:
        spin.setRange(field.minimum, field.maximum)
    spin.setSuffix(field.suffix)
    spin.setValue(field.value if field.value is not None else spin.minimum())
    spin.setMinimumWidth(spin.fontMetrics().horizontalAdvance("the plan's limit") + 40)
    return spin


class CriteriaDialog(QDialog):
    """Edits the criteria of ``procedure``; ``chosen()`` is what to save after Save.

    Args:
        procedure: whose criteria these are (every case of it uses them).
        current: the criteria in use now (the user's own, or the defaults).
        defaults: the criteria BackLog ships, for "Reset to BackLog's defaults".
    """

    def __init__(
        self,
        procedure: Procedure,
        current: ProcedureCriteria,
        defaults: ProcedureCriteria,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Readiness criteria — {procedure.label}")
        self.setAccessibleName(f"Readiness criteria for {procedure.label}")
        self.resize(680, 620)
        self._defaults = defaults
        self._chosen: list[Criterion] | None = None
        intro = QLabel(
            "Change the numbers to match your plan's own policy (the denial letter or the plan's "
            f"website names it). Your changes apply to every {procedure.label.lower()} case in "
            "this profile.",
            self,
        )
        intro.setWordWrap(True)
        self.editors_box = QWidget(self)
        self._editors_layout = QVBoxLayout(self.editors_box)
        self._editors_layout.setContentsMargins(0, 0, 0, 0)
        self._editors_layout.setSpacing(8)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.editors_box)
        self.problems = ProblemList(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.reset_button = QPushButton("Reset to BackLog's defaults", self)
        self.reset_button.setToolTip(
            "Put back the typical criteria BackLog ships with (your changes are forgotten when "
            "you save)."
        )
        self.buttons.addButton(self.reset_button, QDialogButtonBox.ButtonRole.ResetRole)
        for button in self.buttons.buttons():
            button.setAccessibleName(button.text().replace("&", ""))
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        self.reset_button.clicked.connect(self.reset_to_defaults)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(procedure.label, 2))
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.editors: list[CriterionEditor] = []
        self._fill(current.criteria)

    def _fill(self, criteria: Sequence[Criterion]) -> None:
        for editor in self.editors:
            editor.setParent(None)
            editor.deleteLater()
        self.editors = [CriterionEditor(criterion, self.editors_box) for criterion in criteria]
        for editor in self.editors:
            self._editors_layout.addWidget(editor)
        self._editors_layout.addStretch(1)
        if self.editors:
            self.editors[0].check.setFocus()

    def reset_to_defaults(self) -> None:
        """Show BackLog's own criteria again (saved only with Save)."""
        while self._editors_layout.count():
            self._editors_layout.takeAt(0)
        self._fill(self._defaults.criteria)
        self.problems.clear_problems()

    def chosen(self) -> list[Criterion] | None:
        """The criteria to save, after Save; None after Cancel."""
        return self._chosen

    def _save(self) -> None:
        problems: list[str] = []
        criteria = []
        for editor in self.editors:
            try:
                criteria.append(editor.criterion())
            except CriteriaError as exc:
                label = editor.check.text()
                problems += [f"{label}: {problem}" for problem in exc.problems]
        if problems:
            self.problems.show_problems(problems)
            return
        self._chosen = criteria
        self.accept()


def edit_criteria(
    parent: QWidget | None,
    procedure: Procedure,
    current: ProcedureCriteria,
    defaults: ProcedureCriteria,
) -> list[Criterion] | None:
    """Open the dialog; the criteria to save, or None when the user cancelled."""
    dialog = CriteriaDialog(procedure, current, defaults, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen()
    finally:
        dialog.deleteLater()


__all__ = ["CriteriaDialog", "CriterionEditor", "edit_criteria"]
