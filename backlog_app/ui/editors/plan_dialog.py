"""Add or edit an insurance plan: what is on the card, the phone numbers, appeals, money and dates."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QFormLayout, QGridLayout, QGroupBox, QLineEdit, QWidget

from backlog_app.domain.records import PRIORITY_LABELS, PlanData, PlanType
from backlog_app.ui.editors.base import RecordDialog
from backlog_app.ui.widgets import MoneyEdit, NotesEdit, OptionalDateEdit, blank_to_none


class PlanDialog(RecordDialog):
    """Edits one PlanData; ``save`` is called with it when the user presses Save."""

    def __init__(
        self,
        save: Callable[[PlanData], None],
        plan: PlanData | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Edit insurance plan" if plan else "Add insurance plan", save, parent)
        self.insurer = QLineEdit()
        self.insurer.setPlaceholderText("e.g. Aetna, Blue Cross, Medicare")
        self.plan_name = QLineEdit()
        self.plan_name.setPlaceholderText("e.g. Choice PPO 1500")
        self.plan_type = QComboBox()
        for plan_type in PlanType:
            self.plan_type.addItem(plan_type.label, plan_type.value)
        self.priority = QComboBox()
        for number, label in PRIORITY_LABELS.items():
            self.priority.addItem(label, number)
        self.member_id = QLineEdit()
        self.group_number = QLineEdit()
        self.member_services_phone = QLineEdit()
        self.prior_auth_phone = QLineEdit()
        self.appeals_phone = QLineEdit()
        self.appeals_address = NotesEdit(lines=3)
        self.appeals_fax = QLineEdit()
        self.plan_year_start = OptionalDateEdit()
        self.deductible = MoneyEdit()
        self.out_of_pocket_max = MoneyEdit()
        self.coverage_start = OptionalDateEdit()
        self.coverage_end = OptionalDateEdit()
        self.notes = NotesEdit(lines=2)

        plan_box = _group(
            "The plan",
            [
                ("&Insurance company", self.insurer, None),
                ("Plan &name", self.plan_name, None),
                ("Plan &type", self.plan_type, "Decides which appeal deadlines apply."),
                ("&Order", self.priority, "Primary pays first; secondary pays after it."),
            ],
        )
        card_box = _group(
            "On the insurance card",
            [
                ("&Member ID", self.member_id, "On the front of the card."),
                ("&Group number", self.group_number, None),
                ("Member &services phone", self.member_services_phone, "On the back of the card."),
                (
                    "&Prior authorization phone",
                    self.prior_auth_phone,
                    "The number your doctor's office calls to get approval before care.",
                ),
            ],
        )
        appeals_box = _group(
            "Appeals",
            [
                (
                    "Appeals &address",
                    self.appeals_address,
                    "Where written appeals go. It is printed on every denial letter.",
                ),
                ("Appeals &fax", self.appeals_fax, None),
                ("Appeals p&hone", self.appeals_phone, None),
            ],
        )
        money_box = _group(
            "Dates and money",
            [
                ("Coverage &starts", self.coverage_start, None),
                ("Coverage &ends", self.coverage_end, "Leave “Not set” if it has no end date."),
                (
                    "Plan &year starts",
                    self.plan_year_start,
                    "Deductibles reset on this day each year (often 1 January).",
                ),
                (
                    "&Deductible",
                    self.deductible,
                    "What you pay each plan year before the plan pays.",
                ),
                (
                    "Out-of-pocket ma&ximum",
                    self.out_of_pocket_max,
                    "The most you pay in a plan year for covered, in-network care.",
                ),
            ],
        )
        notes_box = _group("Notes", [("No&tes", self.notes, None)])
        grid = QGridLayout()
        grid.addWidget(plan_box, 0, 0)
        grid.addWidget(card_box, 1, 0)
        grid.addWidget(appeals_box, 0, 1)
        grid.addWidget(money_box, 1, 1)
        grid.addWidget(notes_box, 2, 0, 1, 2)
        self.body.addLayout(grid)
        self.set_plan(plan)
        self.insurer.setFocus()

    def set_plan(self, plan: PlanData | None) -> None:
        plan = plan or PlanData(insurer="", plan_type=PlanType.EMPLOYER_PPO)
        self.insurer.setText(plan.insurer)
        self.plan_name.setText(plan.plan_name or "")
        self.plan_type.setCurrentIndex(self.plan_type.findData(plan.plan_type.value))
        self.priority.setCurrentIndex(max(self.priority.findData(plan.priority), 0))
        self.member_id.setText(plan.member_id or "")
        self.group_number.setText(plan.group_number or "")
        self.member_services_phone.setText(plan.member_services_phone or "")
        self.prior_auth_phone.setText(plan.prior_auth_phone or "")
        self.appeals_phone.setText(plan.appeals_phone or "")
        self.appeals_address.set_value(plan.appeals_address)
        self.appeals_fax.setText(plan.appeals_fax or "")
        self.plan_year_start.set_date(plan.plan_year_start)
        self.deductible.set_cents(plan.deductible_cents)
        self.out_of_pocket_max.set_cents(plan.out_of_pocket_max_cents)
        self.coverage_start.set_date(plan.coverage_start)
        self.coverage_end.set_date(plan.coverage_end)
        self.notes.set_value(plan.notes)

    def collect(self) -> PlanData:
        problems = []
        deductible = out_of_pocket = None
        try:
            deductible = self.deductible.cents()
        except ValueError as exc:
            problems.append(f"Deductible: {exc}")
        try:
            out_of_pocket = self.out_of_pocket_max.cents()
        except ValueError as exc:
            problems.append(f"Out-of-pocket maximum: {exc}")
        if problems:
            raise ValueError(" ".join(problems))
        return PlanData(
            insurer=self.insurer.text().strip(),
            plan_type=PlanType(self.plan_type.currentData()),
            plan_name=blank_to_none(self.plan_name.text()),
            member_id=blank_to_none(self.member_id.text()),
            group_number=blank_to_none(self.group_number.text()),
            member_services_phone=blank_to_none(self.member_services_phone.text()),
            prior_auth_phone=blank_to_none(self.prior_auth_phone.text()),
            appeals_phone=blank_to_none(self.appeals_phone.text()),
            appeals_address=self.appeals_address.value(),
            appeals_fax=blank_to_none(self.appeals_fax.text()),
            plan_year_start=self.plan_year_start.date_value(),
            deductible_cents=deductible,
            out_of_pocket_max_cents=out_of_pocket,
            coverage_start=self.coverage_start.date_value(),
            coverage_end=self.coverage_end.date_value(),
            priority=int(self.priority.currentData()),
            notes=self.notes.value(),
        )


def _group(title: str, rows: list[tuple[str, QWidget, str | None]]) -> QGroupBox:
    box = QGroupBox(title)
    form = QFormLayout(box)
    for label, widget, help_text in rows:
        widget.setAccessibleName(label.replace("&", ""))
        if help_text:
            widget.setToolTip(help_text)
            widget.setAccessibleDescription(help_text)
        form.addRow(label, widget)
    return box
