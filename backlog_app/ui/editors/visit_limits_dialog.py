"""A plan's yearly visit limits (chiropractic, acupuncture…): a small list with Add / Edit / Delete."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QSpinBox, QVBoxLayout, QWidget

from backlog_app.domain.log_records import TreatmentCategory, TreatmentKind, VisitLimitData
from backlog_app.errors import UserError
from backlog_app.services.context import ProfileSession
from backlog_app.ui.editors.log_dialog import LogRecordDialog, form_group
from backlog_app.ui.editors.log_widgets import EnumCombo
from backlog_app.ui.messages import Messages
from backlog_app.ui.models.record_table import Column, RecordTableModel
from backlog_app.ui.record_list import RecordListPanel

# Plans cap therapy and office visits; injections and imaging need prior authorization instead.
LIMITED_KINDS = [
    kind
    for kind in TreatmentKind
    if kind.category in (TreatmentCategory.THERAPY, TreatmentCategory.VISIT)
]

VISIT_LIMIT_COLUMNS: list[Column[VisitLimitData]] = [
    Column("Kind", lambda limit: limit.kind.label),
    Column(
        "Visits per plan year",
        lambda limit: str(limit.visits_per_year),
        sort_key=lambda limit: limit.visits_per_year,
        align_right=True,
        stretch=False,
    ),
]


class VisitLimitDialog(LogRecordDialog):
    """Edits one VisitLimitData of plan ``plan_id``."""

    def __init__(
        self,
        save: Callable[[VisitLimitData], object],
        messages: Messages,
        plan_id: int,
        limit: VisitLimitData | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Edit visit limit" if limit else "Add visit limit", save, messages, parent)
        self._plan_id = plan_id
        self.kind: EnumCombo[TreatmentKind] = EnumCombo(
            "Kind of visit", LIMITED_KINDS, none_label=None
        )
        self.visits = QSpinBox()
        self.visits.setRange(0, 366)
        self.visits.setValue(limit.visits_per_year if limit else 20)
        self.body.insertWidget(
            0,
            form_group(
                "The limit",
                [
                    ("&Kind", self.kind, None),
                    (
                        "&Visits per plan year",
                        self.visits,
                        "As printed in your plan's summary of benefits (SBC).",
                    ),
                ],
            ),
        )
        if limit is not None:
            self.kind.set_value(limit.kind)
        self.mark_clean()
        self.kind.setFocus()

    def collect(self) -> VisitLimitData:
        kind = self.kind.value()
        if kind is None:
            raise ValueError("Please choose the kind of visit.")
        return VisitLimitData(self._plan_id, kind, self.visits.value())


class VisitLimitsDialog(QDialog):
    """Lists and edits the visit limits of one plan; changes are saved one by one."""

    def __init__(
        self,
        profile: ProfileSession,
        messages: Messages,
        plan_id: int,
        plan_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Visit limits — {plan_name}")
        self._profile = profile
        self._messages = messages
        self._plan_id = plan_id
        intro = QLabel(
            "Many plans allow only so many chiropractic, acupuncture or therapy visits a year. "
            "Enter the limits from your plan's summary of benefits; BackLog then shows the "
            "visits used and left when you log one."
        )
        intro.setWordWrap(True)
        intro.setObjectName("muted")
        self.model: RecordTableModel[VisitLimitData] = RecordTableModel(VISIT_LIMIT_COLUMNS, self)
        self.panel = RecordListPanel(
            self.model,
            noun="visit limit",
            empty_text="No visit limits for this plan.\nPress “Add visit limit…” if your plan "
            "caps visits of some kind.",
        )
        self.panel.add_requested.connect(self.add_limit)
        self.panel.edit_requested.connect(self.edit_limit)
        self.panel.delete_requested.connect(self.delete_limit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.panel, 1)
        layout.addWidget(buttons)
        self.resize(560, 360)
        self.reload()

    def reload(self) -> None:
        limits = [
            s for s in self._profile.log.visit_limits.list() if s.data.plan_id == self._plan_id
        ]
        self.model.set_records(limits)

    def add_limit(self) -> None:
        dialog = VisitLimitDialog(self._saver(None), self._messages, self._plan_id, parent=self)
        if dialog.exec():
            self.reload()

    def edit_limit(self, limit_id: int) -> None:
        stored = self._profile.log.visit_limits.get(limit_id)
        dialog = VisitLimitDialog(
            self._saver(limit_id), self._messages, self._plan_id, stored.data, parent=self
        )
        if dialog.exec():
            self.reload()

    def _saver(self, limit_id: int | None) -> Callable[[VisitLimitData], None]:
        limits = self._profile.log.visit_limits

        def save(limit: VisitLimitData) -> None:
            # One limit per kind and plan (the database insists): say so instead of failing.
            if any(
                s.data.plan_id == limit.plan_id and s.data.kind is limit.kind and s.id != limit_id
                for s in limits.list()
            ):
                raise UserError(
                    f"This plan already has a limit for {limit.kind.label.lower()} visits; "
                    "change that one instead."
                )
            if limit_id is None:
                limits.add(limit)
            else:
                limits.update(limit_id, limit)

        return save

    def delete_limit(self, limit_id: int) -> None:
        limit = self._profile.log.visit_limits.get(limit_id).data
        if not self._messages.confirm(
            "Delete visit limit",
            f"Delete the limit of {limit.visits_per_year} {limit.kind.label.lower()} visits a year?",
            "Delete limit",
        ):
            return
        try:
            self._profile.log.visit_limits.delete(limit_id)
        except UserError as exc:
            self._messages.problem("Delete visit limit", exc.message)
        self.reload()
