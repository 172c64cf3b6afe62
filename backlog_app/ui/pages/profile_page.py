"""Profile & Insurance: the patient's details and every insurance plan."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.money import format_cents
from backlog_app.domain.records import PlanData, priority_label
from backlog_app.errors import UserError, ValidationError
from backlog_app.services.context import ProfileSession
from backlog_app.services.deletion_impact import plan_impact, plan_warning
from backlog_app.ui.editors.patient_form import PatientForm
from backlog_app.ui.editors.plan_dialog import PlanDialog
from backlog_app.ui.editors.visit_limits_dialog import VisitLimitsDialog
from backlog_app.ui.messages import Messages
from backlog_app.ui.models.record_table import Column, RecordTableModel
from backlog_app.ui.record_list import RecordListPanel
from backlog_app.ui.widgets import ProblemList, heading

PLAN_COLUMNS: list[Column[PlanData]] = [
    Column(
        "Order", lambda p: priority_label(p.priority), sort_key=lambda p: p.priority, stretch=False
    ),
    Column("Plan", lambda p: p.display_name),
    Column("Type", lambda p: p.plan_type.label),
    Column("Member ID", lambda p: p.member_id or "", stretch=False),
    Column(
        "Deductible",
        lambda p: format_cents(p.deductible_cents),
        sort_key=lambda p: p.deductible_cents or 0,
        align_right=True,
        stretch=False,
    ),
    Column(
        "Coverage",
        lambda p: _coverage_text(p),
        stretch=False,
        sort_key=lambda p: p.coverage_start.isoformat() if p.coverage_start else "",
    ),
]


def _coverage_text(plan: PlanData) -> str:
    if plan.coverage_start and plan.coverage_end:
        return f"{format_long_date(plan.coverage_start)} – {format_long_date(plan.coverage_end)}"
    if plan.coverage_start:
        return f"since {format_long_date(plan.coverage_start)}"
    if plan.coverage_end:
        return f"until {format_long_date(plan.coverage_end)}"
    return ""


class ProfilePage(QWidget):
    """Edits the patient in place (Save / Undo changes) and plans through a dialog."""

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

        self.patient_form = PatientForm()
        self.patient_problems = ProblemList()
        self.save_patient_button = QPushButton("&Save patient details")
        self.save_patient_button.setDefault(True)
        self.revert_button = QPushButton("&Undo changes")
        self.save_patient_button.clicked.connect(self.save_patient)
        self.revert_button.clicked.connect(self.reload_patient)
        patient_box = QGroupBox("Patient")
        patient_layout = QVBoxLayout(patient_box)
        patient_layout.addWidget(self.patient_form)
        patient_layout.addWidget(self.patient_problems)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_patient_button)
        patient_layout.addLayout(buttons)

        self.plans_model: RecordTableModel[PlanData] = RecordTableModel(PLAN_COLUMNS, self)
        self.plans = RecordListPanel(
            self.plans_model,
            noun="plan",
            empty_text="No insurance plan yet.\nPress “Add plan…” and copy the details from "
            "your insurance card.",
        )
        self.plans.add_requested.connect(self.add_plan)
        self.plans.edit_requested.connect(self.edit_plan)
        self.plans.delete_requested.connect(self.delete_plan)
        self.visit_limits_button = QPushButton("&Visit limits…")
        self.visit_limits_button.setAccessibleName("Visit limits of the selected plan")
        self.visit_limits_button.setToolTip(
            "Visits a year the selected plan allows for chiropractic, acupuncture, therapy…"
        )
        self.visit_limits_button.clicked.connect(self.edit_visit_limits)
        self.plans.table.selectionModel().selectionChanged.connect(self._update_plan_buttons)
        self.plans_model.modelReset.connect(self._update_plan_buttons)
        limits_row = QHBoxLayout()
        limits_row.addStretch(1)
        limits_row.addWidget(self.visit_limits_button)
        plans_box = QGroupBox("Insurance plans")
        plans_layout = QVBoxLayout(plans_box)
        plans_layout.addWidget(self.plans)
        plans_layout.addLayout(limits_row)
        plans_box.setMinimumHeight(260)

        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(24, 20, 24, 20)
        column.setSpacing(16)
        column.addWidget(heading("Profile & Insurance"))
        column.addWidget(patient_box)
        column.addWidget(plans_box, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        self.reload_patient()
        self.reload_plans()
        self._update_plan_buttons()

    # Patient -------------------------------------------------------------------------------

    def patient_is_modified(self) -> bool:
        saved = self._profile.patient.get()
        current = self.patient_form.data()
        if saved is None:
            return bool(current.full_name or current.date_of_birth)
        return current != saved

    def reload_patient(self) -> None:
        self.patient_form.set_data(self._profile.patient.get())
        self.patient_problems.clear_problems()

    def save_patient(self) -> bool:
        try:
            self._profile.patient.save(self.patient_form.data())
        except ValidationError as exc:
            self.patient_problems.show_problems(exc.problems)
            return False
        except UserError as exc:
            self.patient_problems.show_problems([exc.message])
            return False
        self.patient_problems.clear_problems()
        self._show_status("Patient details saved.")
        return True

    def focus_patient(self) -> None:
        self.patient_form.full_name.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # Plans ---------------------------------------------------------------------------------

    def reload_plans(self) -> None:
        selected = self.plans.selected_id()
        self.plans_model.set_records(self._profile.plans.list())
        if selected is not None:
            self.plans.select_id(selected)

    def add_plan(self) -> None:
        added: list[int] = []
        dialog = PlanDialog(lambda plan: added.append(self._profile.plans.add(plan)), parent=self)
        if dialog.exec() and added:
            self.plans.select_id(added[0])
            self._show_status("Plan added.")

    def edit_plan(self, plan_id: int) -> None:
        stored = self._profile.plans.get(plan_id)
        dialog = PlanDialog(
            lambda plan: self._profile.plans.update(plan_id, plan), stored.data, parent=self
        )
        if dialog.exec():
            self._show_status("Plan saved.")

    def edit_visit_limits(self) -> None:
        plan_id = self.plans.selected_id()
        if plan_id is None:
            return
        plan = self._profile.plans.get(plan_id).data
        VisitLimitsDialog(self._profile, self._messages, plan_id, plan.display_name, self).exec()

    def _update_plan_buttons(self) -> None:
        self.visit_limits_button.setEnabled(self.plans.selected_id() is not None)

    def delete_plan(self, plan_id: int) -> None:
        plan = self._profile.plans.get(plan_id).data
        impact = plan_warning(plan_impact(self._profile.database, plan_id))
        text = "\n\n".join(
            part
            for part in (
                f"Delete {plan.display_name}?",
                impact,
                "If the plan has ended, set its coverage end date instead: the plan and its "
                "network checks are kept for the record. Deleting cannot be undone.",
            )
            if part
        )
        if self._messages.confirm("Delete plan", text, "Delete plan"):
            self._profile.plans.delete(plan_id)
            self._show_status("Plan deleted.")
