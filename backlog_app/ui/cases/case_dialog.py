"""Add or edit a coverage case: the procedure and its codes, plan, providers, numbers, reviewer.

CPT and ICD-10 codes are checked as they are typed (a hint under each field); the service
checks everything again on Save and nothing is written until every rule is met.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from backlog_app.domain.case_rules import (
    cpt_problems,
    icd10_problems,
)
from backlog_app.domain.cases import (
    CaseData,
    Priority,
    Procedure,
    ServiceType,
)
from backlog_app.services.context import ProfileSession
from backlog_app.ui.editors.log_dialog import LogRecordDialog, form_group
from backlog_app.ui.editors.log_widgets import EnumCombo, IdCombo
from backlog_app.ui.messages import Messages
from backlog_app.ui.widgets import NotesEdit, OptionalDateEdit, blank_to_none

CPT_HINT = "Optional. On the doctor's order or request, e.g. 63030 (five digits)."
ICD10_HINT = "Optional. The diagnosis codes on the order, e.g. M51.16."
URGENT_HELP = (
    "Urgent (expedited): your treating doctor says waiting the standard time could seriously "
    "harm your health, or leaves you in severe pain that cannot be managed without the care. "
    "The insurer must then decide within 72 hours, and must accept the doctor's word."
)


class CaseDialog(LogRecordDialog):
    """Edits one CaseData; ``save`` is called with it when the user presses Save.

    Args:
        plans: (id, name) of the profile's insurance plans.
        providers: (id, name) of the provider directory.
        case: the case being edited; None for a new one (the first plan is chosen for it).
    """

    def __init__(
        self,
        save: Callable[[CaseData], object],
        messages: Messages,
        *,
        plans: Sequence[tuple[int, str]],
        providers: Sequence[tuple[int, str]],
        case: CaseData | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Edit case" if case else "New case", save, messages, parent)
        self.procedure: EnumCombo[Procedure] = EnumCombo(
            "Procedure", list(Procedure), none_label="— choose the procedure —"
        )
        self.procedure.setMaxVisibleItems(22)
        self.detail = QLineEdit()
        self.detail.setPlaceholderText("e.g. L4-L5 left")
        self.cpt = QLineEdit()
        self.cpt.setPlaceholderText("e.g. 63030, 69990")
        self.cpt.setAccessibleName("CPT codes")
        self.cpt_status = _hint("CPT code check")
        self.icd10 = QLineEdit()
        self.icd10.setPlaceholderText("e.g. M51.16, M54.16")
        self.icd10.setAccessibleName("ICD-10 codes")
        self.icd10_status = _hint("ICD-10 code check")
        self.priority: EnumCombo[Priority] = EnumCombo("Priority", list(Priority), none_label=None)
        self.service_type: EnumCombo[ServiceType] = EnumCombo(
            "Before or after the care", list(ServiceType), none_label=None
        )
        self.scheduled = OptionalDateEdit()
        self.plan = IdCombo("Insurance plan", plans, none_label="— not chosen —")
        self.requesting = IdCombo("Requesting provider", providers, none_label="— not recorded —")
        self.facility = IdCombo("Facility", providers, none_label="— not recorded —")
        self.authorization = QLineEdit()
        self.claim = QLineEdit()
        self.reference = QLineEdit()
        self.reviewer = QLineEdit()
        self.reviewer.setPlaceholderText("e.g. nurse reviewer Dana Cole")
        self.reviewer_phone = QLineEdit()
        self.reviewer_phone.setPlaceholderText("e.g. 800-555-0142 ext. 4471")
        self.notes = NotesEdit(lines=2)

        request = form_group(
            "What is requested",
            [
                (
                    "&Procedure",
                    self.procedure,
                    "Choose “Other” and describe it if it is not listed.",
                ),
                (
                    "&Details",
                    self.detail,
                    "Level and side, or the name of the procedure for Other.",
                ),
                (
                    "&CPT codes",
                    self.cpt,
                    "CPT codes name the procedure on the request and the bill.",
                ),
                ("", self.cpt_status, None),
                ("&ICD-10 codes", self.icd10, "ICD-10 codes name the diagnosis that justifies it."),
                ("", self.icd10_status, None),
                ("P&riority", self.priority, URGENT_HELP),
                (
                    "&Type",
                    self.service_type,
                    "A preauthorization asks before the care; a claim asks for payment after it. "
                    "The insurer's deadlines differ.",
                ),
                ("Date of ser&vice", self.scheduled, "The planned (or actual) date of the care."),
            ],
        )
        who = form_group(
            "Plan and providers",
            [
                ("Pla&n", self.plan, "The plan asked to pay; its type sets the deadlines."),
                ("Re&questing provider", self.requesting, "The doctor who asked for the care."),
                ("&Facility", self.facility, "Where the care happens (hospital, surgery center)."),
            ],
        )
        numbers = form_group(
            "Numbers and reviewer",
            [
                (
                    "&Authorization no.",
                    self.authorization,
                    "The number the insurer gives a preauthorization request or approval.",
                ),
                (
                    "C&laim no.",
                    self.claim,
                    "The number on the claim or the Explanation of Benefits.",
                ),
                (
                    "R&eference no.",
                    self.reference,
                    "A case or call reference the insurer gave you: quote it every time.",
                ),
                (
                    "Revie&wer",
                    self.reviewer,
                    "The insurer's case manager or nurse reviewer, when one is assigned.",
                ),
                ("Reviewer's p&hone", self.reviewer_phone, None),
            ],
        )
        notes = form_group("Notes", [("No&tes", self.notes, None)])
        left = QVBoxLayout()
        left.addWidget(request)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(who)
        right.addWidget(numbers)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        self.body.insertLayout(0, columns)
        self.body.insertWidget(1, notes)

        self.procedure.currentIndexChanged.connect(self._procedure_changed)
        self.cpt.textChanged.connect(self._check_cpt)
        self.icd10.textChanged.connect(self._check_icd10)
        self.set_case(case)
        if case is None and plans:
            self.plan.set_value(plans[0][0])
        self.set_preferred_width(900)
        self.mark_clean()
        self.procedure.setFocus()

    def set_case(self, case: CaseData | None) -> None:
        """Show ``case``; None empties the form (no procedure chosen yet)."""
        self.procedure.set_value(case.procedure if case else None)
        case = case or CaseData(Procedure.OTHER)
        self.detail.setText(case.procedure_detail or "")
        self.cpt.setText(case.cpt_codes or "")
        self.icd10.setText(case.icd10_codes or "")
        self.priority.set_value(case.priority)
        self.service_type.set_value(case.service_type)
        self.scheduled.set_date(case.scheduled_date)
        self.plan.set_value(case.plan_id)
        self.requesting.set_value(case.requesting_provider_id)
        self.facility.set_value(case.facility_id)
        self.authorization.setText(case.authorization_number or "")
        self.claim.setText(case.claim_number or "")
        self.reference.setText(case.reference_number or "")
        self.reviewer.setText(case.reviewer_name or "")
        self.reviewer_phone.setText(case.reviewer_phone or "")
        self.notes.set_value(case.notes)
        self._procedure_changed()
        self._check_cpt(self.cpt.text())
        self._check_icd10(self.icd10.text())

    def collect(self) -> CaseData:
        procedure = self.procedure.value()
        if procedure is None:
            raise ValueError("Please choose the procedure (or “Other” and describe it).")
        return CaseData(
            procedure=procedure,
            procedure_detail=blank_to_none(self.detail.text()),
            cpt_codes=blank_to_none(self.cpt.text()),
            icd10_codes=blank_to_none(self.icd10.text()),
            plan_id=self.plan.value(),
            requesting_provider_id=self.requesting.value(),
            facility_id=self.facility.value(),
            priority=self.priority.value() or Priority.STANDARD,
            service_type=self.service_type.value() or ServiceType.PRE_SERVICE,
            scheduled_date=self.scheduled.date_value(),
            authorization_number=blank_to_none(self.authorization.text()),
            claim_number=blank_to_none(self.claim.text()),
            reference_number=blank_to_none(self.reference.text()),
            reviewer_name=blank_to_none(self.reviewer.text()),
            reviewer_phone=blank_to_none(self.reviewer_phone.text()),
            notes=self.notes.value(),
        )

    def try_save(self) -> None:
        # Malformed codes are shown where they were typed; Save does nothing until they are fixed.
        self._check_cpt(self.cpt.text())
        self._check_icd10(self.icd10.text())
        bad = cpt_problems(self.cpt.text()) + icd10_problems(self.icd10.text())
        if bad:
            self.problems.show_problems(bad)
            (self.cpt if cpt_problems(self.cpt.text()) else self.icd10).setFocus()
            return
        super().try_save()

    def _procedure_changed(self) -> None:
        other = self.procedure.value() is Procedure.OTHER
        self.detail.setPlaceholderText(
            "Which procedure? (required)" if other else "e.g. L4-L5 left"
        )

    def _check_cpt(self, text: str) -> None:
        _show_check(self.cpt_status, cpt_problems(text), text, CPT_HINT)

    def _check_icd10(self, text: str) -> None:
        _show_check(self.icd10_status, icd10_problems(text), text, ICD10_HINT)


def _hint(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName("fieldHint")
    label.setWordWrap(True)
    label.setAccessibleName(name)
    return label


def _show_check(label: QLabel, problems: list[str], text: str, hint: str) -> None:
    if problems:
        label.setText("⚠ " + " ".join(problems))
        label.setStyleSheet("color: #8b1e1e;")
    else:
        label.setText("✓ Well-formed." if text.strip() else hint)
        label.setStyleSheet("")
    label.setAccessibleDescription(label.text())


def case_choices(profile: ProfileSession) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(plans, providers) as (id, name) choices for the dialog."""
    plans = [(stored.id, stored.data.display_name) for stored in profile.plans.list()]
    providers = [(stored.id, stored.data.name) for stored in profile.providers.list()]
    return plans, providers


def add_case(parent: QWidget, profile: ProfileSession, messages: Messages) -> int | None:
    """Open the dialog for a new case; the new case's id, or None when cancelled."""
    plans, providers = case_choices(profile)
    added: list[int] = []
    dialog = CaseDialog(
        lambda data: added.append(profile.cases.add(data)),
        messages,
        plans=plans,
        providers=providers,
        parent=parent,
    )
    if dialog.exec() and added:
        return added[0]
    return None


def edit_case(
    parent: QWidget, profile: ProfileSession, messages: Messages, case_id: int, case: CaseData
) -> bool:
    """Open the dialog on an existing case (as shown: ``case``); True when it was saved."""
    plans, providers = case_choices(profile)
    dialog = CaseDialog(
        lambda data: profile.cases.update(case_id, data),
        messages,
        plans=plans,
        providers=providers,
        case=case,
        parent=parent,
    )
    return bool(dialog.exec())
