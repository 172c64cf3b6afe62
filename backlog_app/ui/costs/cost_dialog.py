"""Add or edit one cost entry: the kind first, then only the fields that suit it (``cost_fields``).

Nothing is saved until the cost service finds nothing to fix (``cost_problems``: a negative amount
that is no adjustment, allowed above billed, a date in the future …); the problems show above the
buttons in the domain's plain words.

Hidden fields: editing an entry never loses what it holds. A field the kind does not show keeps
its stored value while the kind stays the same; when the user changes the kind, the fields the
new kind does not show are cleared on purpose (an allowed amount on an HSA entry, "denied" on a
bill would be counted or refused). What was typed stays in the hidden widgets, so switching the
kind back and forth before saving loses nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.costs import CostCategory, CostData, CostKind, CostStatus
from backlog_app.errors import ValidationError
from backlog_app.ui.costs.cost_fields import (
    DESCRIPTION_EXAMPLES,
    KIND_HINTS,
    TOOLTIPS,
    Field,
    amount_name,
    default_status,
    field_label,
    shows,
)
from backlog_app.ui.editors.log_dialog import LogRecordDialog
from backlog_app.ui.editors.log_widgets import IdCombo
from backlog_app.ui.messages import Messages
from backlog_app.ui.money import AmountEdit
from backlog_app.ui.widgets import NotesEdit, OptionalDateEdit, blank_to_none

ADJUSTMENT_TEXT = "T&his is a credit or correction (may be negative)"
DENIED_TEXT = "The plan denied this ser&vice"


@dataclass(frozen=True, slots=True)
class CostChoices:
    """What the dialog offers, read once when it opens: (id, name) in display order."""

    providers: Sequence[tuple[int, str]]
    cases: Sequence[tuple[int, str]]
    plans: Sequence[tuple[int, str]]
    main_plan_id: int | None = None  # a new entry starts on the main plan in force
    supplemental_plan_ids: Sequence[int] = ()  # a supplemental claim starts on the first


class CostDialog(LogRecordDialog):
    """Edits one CostData; ``save`` is called with it when the user saves."""

    def __init__(
        self,
        save: Callable[[CostData], object],
        messages: Messages,
        choices: CostChoices,
        *,
        cost: CostData | None = None,
        kind: CostKind = CostKind.BILL,
        case_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "Edit cost entry" if cost else "Add a bill or cost", save, messages, parent
        )
        self._original = cost
        self._choices = choices
        self._kind = cost.kind if cost else kind

        self.kind = QComboBox(self)
        for each in CostKind:
            self.kind.addItem(each.label, each.value)
        self.kind.setAccessibleName("Kind of entry")
        self.kind.setMaxVisibleItems(len(CostKind))
        self.kind_hint = QLabel(self)
        self.kind_hint.setObjectName("fieldHint")
        self.kind_hint.setWordWrap(True)
        self.description = QLineEdit(self)
        self.description.setAccessibleName("Description")
        self.provider = IdCombo("Provider", choices.providers, none_label="— no provider —")
        self.case = IdCombo("Case", choices.cases, none_label="— not about a case —")
        self.plan = IdCombo("Plan", choices.plans, none_label="— no plan —")
        self.category = QComboBox(self)
        for category in CostCategory:
            self.category.addItem(category.label, category.value)
        self.category.setMaxVisibleItems(len(CostCategory))
        self.category.setAccessibleName("Category")
        self.service_date = OptionalDateEdit(self)
        self.bill_date = OptionalDateEdit(self)
        self.amounts: dict[Field, AmountEdit] = {
            field: AmountEdit(amount_name(self._kind, field), self)
            for field in (
                Field.BILLED,
                Field.ALLOWED,
                Field.PLAN_PAID,
                Field.PATIENT,
                Field.EXPECTED,
                Field.RECEIVED,
            )
        }
        self.status = QComboBox(self)
        for status in CostStatus:
            self.status.addItem(status.label, status.value)
        self.status.setAccessibleName("Status")
        self.adjustment = QCheckBox(ADJUSTMENT_TEXT, self)
        self.adjustment.setAccessibleName("This is a credit or correction (may be negative)")
        self.denied = QCheckBox(DENIED_TEXT, self)
        self.denied.setAccessibleName("The plan denied this service")
        self.notes = NotesEdit(self, lines=2)
        self.notes.setAccessibleName("Notes")

        self._widgets: dict[Field, QWidget] = {
            Field.PROVIDER: self.provider,
            Field.CASE: self.case,
            Field.PLAN: self.plan,
            Field.CATEGORY: self.category,
            Field.SERVICE_DATE: self.service_date,
            Field.BILL_DATE: self.bill_date,
            **self.amounts,
            Field.STATUS: self.status,
            Field.ADJUSTMENT: self.adjustment,
            Field.DENIED: self.denied,
        }
        for field, widget in self._widgets.items():
            if field in TOOLTIPS:
                widget.setToolTip(TOOLTIPS[field])
                widget.setAccessibleDescription(TOOLTIPS[field])
        self._forms: dict[Field, QFormLayout] = {}
        self._boxes: dict[QGroupBox, list[Field]] = {}
        self.body.insertWidget(0, self._layout_boxes())
        self.adjustment.toggled.connect(self._adjustment_changed)
        self.kind.currentIndexChanged.connect(self._kind_chosen)

        self.set_cost(cost or _new_entry(self._kind, case_id, self._usual_plan(self._kind)))
        self.set_preferred_width(820)
        self.mark_clean()
        self.kind.setFocus()

    # Layout ------------------------------------------------------------------------------------

    def _layout_boxes(self) -> QWidget:
        kind_box = QGroupBox("What it is", self)
        kind_form = QFormLayout(kind_box)
        kind_form.addRow("&Kind", self.kind)
        kind_form.addRow("", self.kind_hint)
        kind_form.addRow("Descr&iption", self.description)
        who = self._box(
            "Who and what for", [Field.PROVIDER, Field.CASE, Field.PLAN, Field.CATEGORY]
        )
        dates = self._box("Dates", [Field.SERVICE_DATE, Field.BILL_DATE])
        money = self._box(
            "Amounts",
            [
                Field.BILLED,
                Field.ALLOWED,
                Field.PLAN_PAID,
                Field.PATIENT,
                Field.EXPECTED,
                Field.RECEIVED,
                Field.ADJUSTMENT,
                Field.DENIED,
                Field.STATUS,
            ],
        )
        notes = QGroupBox("Notes", self)
        notes_layout = QVBoxLayout(notes)
        notes_layout.addWidget(self.notes)
        host = QWidget(self)
        grid = QGridLayout(host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(kind_box, 0, 0, 1, 2)
        grid.addWidget(who, 1, 0)
        grid.addWidget(dates, 2, 0)
        grid.addWidget(money, 1, 1, 2, 1)
        grid.addWidget(notes, 3, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        chain: list[QWidget] = [
            self.kind,
            self.description,
            self.provider,
            self.case,
            self.plan,
            self.category,
            self.service_date,
            self.bill_date,
            *self.amounts.values(),
            self.adjustment,
            self.denied,
            self.status,
            self.notes,
            self.save_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        return host

    def _box(self, title: str, fields: list[Field]) -> QGroupBox:
        box = QGroupBox(title, self)
        form = QFormLayout(box)
        for field in fields:
            widget = self._widgets[field]
            if isinstance(widget, QCheckBox):
                form.addRow(widget)
            else:
                form.addRow(field_label(self._kind, field), widget)
            self._forms[field] = form
        self._boxes[box] = fields
        return box

    # The record --------------------------------------------------------------------------------

    def set_cost(self, data: CostData) -> None:
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(self.kind.findData(data.kind.value))
        self.kind.blockSignals(False)
        self._kind = data.kind
        self.description.setText(data.description or "")
        self.provider.set_value(data.provider_id)
        self.case.set_value(data.case_id)
        self.plan.set_value(data.plan_id)
        self.category.setCurrentIndex(max(self.category.findData(data.category.value), 0))
        self.service_date.set_date(data.service_date)
        self.bill_date.set_date(data.bill_date)
        self.adjustment.setChecked(data.is_adjustment)  # before the amounts: may allow "-"
        for field, edit in self.amounts.items():
            edit.set_cents(getattr(data, field.value))
        self.status.setCurrentIndex(max(self.status.findData(data.status.value), 0))
        self.denied.setChecked(data.eob_denied)
        self.notes.set_value(data.notes)
        self._show_fields()

    def current_kind(self) -> CostKind:
        return CostKind(self.kind.currentData())

    def collect(self) -> CostData:
        """The entry from the visible fields; hidden ones as the module docstring says.

        Raises:
            ValidationError: amounts that are not amounts of dollars (all of them at once).
        """
        kind = self.current_kind()
        problems: list[str] = []
        amounts: dict[Field, int | None] = {}
        for field, edit in self.amounts.items():
            if not shows(kind, field):
                continue
            try:
                amounts[field] = edit.cents()
            except ValueError as exc:
                problems.append(str(exc))
        if problems:
            raise ValidationError(problems)
        visible: dict[Field, Any] = {
            Field.PROVIDER: self.provider.value(),
            Field.CASE: self.case.value(),
            Field.PLAN: self.plan.value(),
            Field.CATEGORY: CostCategory(self.category.currentData()),
            Field.SERVICE_DATE: self.service_date.date_value(),
            Field.BILL_DATE: self.bill_date.date_value(),
            **amounts,
            Field.STATUS: CostStatus(self.status.currentData()),
            Field.ADJUSTMENT: self.adjustment.isChecked(),
            Field.DENIED: self.denied.isChecked(),
        }
        original = self._original
        kept = original if original is not None and original.kind is kind else None
        blank = CostData(kind, status=default_status(kind))
        values = {
            field.value: visible[field]
            if shows(kind, field)
            else getattr(kept if kept is not None else blank, field.value)
            for field in Field
        }
        return replace(
            blank,
            description=blank_to_none(self.description.text()),
            notes=self.notes.value(),
            **values,
        )

    # Reactions ---------------------------------------------------------------------------------

    def _kind_chosen(self, _index: int) -> None:
        previous, kind = self._kind, self.current_kind()
        self._kind = kind
        # A status the user left at the old kind's usual one follows the new kind.
        if CostStatus(self.status.currentData()) is default_status(previous):
            self.status.setCurrentIndex(self.status.findData(default_status(kind).value))
        # A plan the user left at the usual one follows too: supplemental claims go to a policy.
        usual = {previous: self._usual_plan(previous), kind: self._usual_plan(kind)}
        if self.plan.value() == usual[previous]:
            self.plan.set_value(usual[kind])
        self._show_fields()

    def _show_fields(self) -> None:
        kind = self._kind
        self.kind_hint.setText(KIND_HINTS[kind])
        self.description.setPlaceholderText(DESCRIPTION_EXAMPLES[kind])
        for field, widget in self._widgets.items():
            form = self._forms[field]
            visible = shows(kind, field)
            form.setRowVisible(widget, visible)
            label = form.labelForField(widget)
            if isinstance(label, QLabel):
                label.setText(field_label(kind, field))
                if not isinstance(widget, QCheckBox) and not isinstance(widget, AmountEdit):
                    widget.setAccessibleName(label.text().replace("&", ""))
        for field, edit in self.amounts.items():
            edit.label = amount_name(kind, field)
            edit.setAccessibleName(field_label(kind, field).replace("&", ""))
        for box, fields in self._boxes.items():
            box.setVisible(any(shows(kind, field) for field in fields))
        self._adjustment_changed(self.adjustment.isChecked())

    def _usual_plan(self, kind: CostKind) -> int | None:
        if kind is CostKind.SUPPLEMENTAL_CLAIM:
            return next(iter(self._choices.supplemental_plan_ids), None)
        return self._choices.main_plan_id if shows(kind, Field.PLAN) else None

    def _adjustment_changed(self, checked: bool) -> None:
        allow = checked and shows(self._kind, Field.ADJUSTMENT)
        for edit in self.amounts.values():
            edit.allow_negative = allow
            edit.setPlaceholderText("e.g. -25.00" if allow else "e.g. 1,500")


def _new_entry(kind: CostKind, case_id: int | None, plan_id: int | None) -> CostData:
    return CostData(kind, case_id=case_id, plan_id=plan_id, status=default_status(kind))
