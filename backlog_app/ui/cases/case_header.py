"""The top of the case view: title, status, URGENT badge, plan and providers, the insurer's
numbers with Copy buttons, and the next step in a highlighted box."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.cases import Priority
from backlog_app.domain.dates import format_long_date
from backlog_app.domain.deadlines import DueStatus
from backlog_app.services.cases import CaseDetail
from backlog_app.ui.widgets import heading

_NUMBER_GAP = 18
_BADGE_STYLE = (
    "QLabel { background: #b3261e; color: white; font-weight: bold; border-radius: 4px; "
    "padding: 1px 8px; }"
)
_STATUS_STYLE = (
    "QLabel { border: 1px solid palette(mid); border-radius: 9px; padding: 1px 10px; "
    "background: palette(alternate-base); }"
)


class CopyField(QWidget):
    """ "Authorization no. PA-1234 [Copy]": a selectable number with a copy button."""

    def __init__(
        self, label: str, show_status: Callable[[str], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._label = label
        self._show_status = show_status
        self.value = QLabel(self)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.value.setAccessibleName(label)
        self.copy_button = QToolButton(self)
        self.copy_button.setText("Copy")
        self.copy_button.setAccessibleName(f"Copy the {label.lower()}")
        self.copy_button.setToolTip(f"Copy the {label.lower()} to paste it into a form or email")
        self.copy_button.clicked.connect(self.copy)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        caption = QLabel(f"{label}:", self)
        caption.setObjectName("muted")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        layout.addWidget(caption)
        layout.addWidget(self.value)
        layout.addWidget(self.copy_button)

    def set_value(self, text: str | None) -> None:
        self.value.setText(text or "")
        self.setVisible(bool(text))

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.value.text())
        self._show_status(f"Copied the {self._label.lower()} {self.value.text()}.")


class CaseHeader(QWidget):
    """Shows the facts of one CaseDetail (``show_detail``)."""

    def __init__(self, show_status: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading("", 2)
        self.title.setWordWrap(True)
        self.status = QLabel()
        self.status.setStyleSheet(_STATUS_STYLE)
        self.status.setAccessibleName("Status")
        self.urgent = QLabel("URGENT")
        self.urgent.setStyleSheet(_BADGE_STYLE)
        self.urgent.setAccessibleName("Urgent (expedited) request")
        self.urgent.setToolTip("An urgent request: the insurer must decide within 72 hours.")
        self.facts = QLabel()
        self.facts.setObjectName("muted")
        self.facts.setWordWrap(True)
        self.facts.setAccessibleName("Plan, providers and codes")
        self.authorization = CopyField("Authorization no.", show_status)
        self.claim = CopyField("Claim no.", show_status)
        self.reference = CopyField("Reference no.", show_status)
        self.next_step = QLabel()
        self.next_step.setWordWrap(True)
        self.next_step.setTextFormat(Qt.TextFormat.PlainText)
        self.next_step.setAccessibleName("Next step")
        self.step_box = QFrame()
        self.step_box.setObjectName("step")
        step_layout = QHBoxLayout(self.step_box)
        step_layout.setContentsMargins(12, 8, 12, 8)
        step_layout.setSpacing(10)
        step_layout.addWidget(QLabel("<b>Next step</b>"), 0, Qt.AlignmentFlag.AlignTop)
        step_layout.addWidget(self.next_step, 1)

        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.urgent, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addWidget(self.status, 0, Qt.AlignmentFlag.AlignVCenter)
        # The numbers sit side by side, or one under the other when the view is narrow.
        self.numbers = QWidget()
        self._numbers = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.numbers)
        self._numbers.setContentsMargins(0, 0, 0, 0)
        self._numbers.setSpacing(_NUMBER_GAP)
        for widget in self._fields():
            self._numbers.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft)
        numbers = QHBoxLayout()
        numbers.addWidget(self.numbers)
        numbers.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(title_row)
        layout.addWidget(self.facts)
        layout.addLayout(numbers)
        layout.addWidget(self.step_box)

    def _fields(self) -> tuple[CopyField, ...]:
        return (self.authorization, self.claim, self.reference)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange_numbers()

    def _arrange_numbers(self) -> None:
        shown = [field for field in self._fields() if not field.isHidden()]
        needed = sum(field.sizeHint().width() for field in shown)
        needed += _NUMBER_GAP * max(len(shown) - 1, 0)
        direction = (
            QBoxLayout.Direction.LeftToRight
            if needed <= self.width()
            else QBoxLayout.Direction.TopToBottom
        )
        if self._numbers.direction() != direction:
            self._numbers.setDirection(direction)
            across = direction is QBoxLayout.Direction.LeftToRight
            self._numbers.setSpacing(_NUMBER_GAP if across else 2)

    def show_detail(self, detail: CaseDetail, today: dt.date) -> None:
        data = detail.data
        self.title.setText(detail.title)
        self.title.setAccessibleName(f"Case: {detail.title}")
        self.status.setText(detail.status.label)
        self.urgent.setVisible(data.priority is Priority.URGENT)
        self.facts.setText(facts_text(detail))
        self.authorization.set_value(data.authorization_number)
        self.claim.set_value(data.claim_number)
        self.reference.set_value(data.reference_number)
        self._arrange_numbers()
        self.next_step.setText(detail.next_step or "Nothing to do right now.")
        # A red edge when something is overdue or due within a week.
        pressing = any(item.status(today) is not DueStatus.LATER for item in detail.due)
        self.step_box.setObjectName("stepUrgent" if pressing else "step")
        self.step_box.style().unpolish(self.step_box)
        self.step_box.style().polish(self.step_box)


def facts_text(detail: CaseDetail) -> str:
    """ "Buckeye Mutual — Choice PPO · Requested by Dr. Okafor at Northside · CPT 63030 …"."""
    data = detail.data
    parts = [detail.plan.display_name if detail.plan else "No plan chosen"]
    if detail.requesting_provider:
        at = f" at {detail.facility.name}" if detail.facility else ""
        parts.append(f"Requested by {detail.requesting_provider.name}{at}")
    elif detail.facility:
        parts.append(f"At {detail.facility.name}")
    if data.scheduled_date:
        parts.append(f"Date of service {format_long_date(data.scheduled_date)}")
    if data.cpt_codes:
        parts.append(f"CPT {data.cpt_codes}")
    if data.icd10_codes:
        parts.append(f"ICD-10 {data.icd10_codes}")
    reviewer = ", ".join(part for part in (data.reviewer_name, data.reviewer_phone) if part)
    if reviewer:
        parts.append(f"Reviewer {reviewer}")
    return " · ".join(parts)
