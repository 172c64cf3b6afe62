"""The Checklist tab: is the record ready for the insurer? One row per criterion of the case's
procedure — met, not met or unknown, what BackLog found, the records that show it (links) and
what to do — under "Ready to submit? 5 of 8 criteria met" and the caveat.

The checklist reads the whole log, so it is worked out on the job runner (about 20–40 ms on the
demo profile, 150–300 ms on ten years of records), again after any change to what it reads.
Links open the record they name (``open_evidence`` carries the ``Evidence``); Enter on a row
does the same from the keyboard. The rows are drawn by ``checklist_items``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from backlog_app.domain.cases import Procedure
from backlog_app.domain.readiness import Readiness
from backlog_app.domain.readiness_criteria import Criterion, ProcedureCriteria
from backlog_app.errors import UserError
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession
from backlog_app.ui.cases.checklist_items import (
    RESULT_ROLE,
    STATUS_COLORS,
    ChecklistList,
    ChecklistModel,
    result_text,
    status_text,
)
from backlog_app.ui.cases.criteria_dialog import edit_criteria
from backlog_app.ui.jobs import JobRunner
from backlog_app.ui.messages import Messages
from backlog_app.ui.signals import DataChanges
from backlog_app.ui.widgets import heading

__all__ = [
    "RESULT_ROLE",
    "STATUS_COLORS",
    "ChecklistView",
    "result_text",
    "status_text",
]

# Everything the checklist reads: a change to any of these checks the record again.
READ_CHANGES = frozenset(
    {
        Change.PATIENT,
        Change.PLANS,
        Change.PROVIDERS,
        Change.CHECK_INS,
        Change.MEDICATIONS,
        Change.TREATMENTS,
        Change.COURSES,
        Change.ODI_SCORES,
        Change.VISIT_LIMITS,
        Change.DOCUMENTS,
        Change.CASES,
    }
)
REFRESH_PAUSE_MS = 300  # a burst of changes (an import) checks the record once


@dataclass(frozen=True, slots=True)
class _Loaded:
    """What a refresh read: the checklist, and the criteria behind it (for "Edit criteria")."""

    readiness: Readiness
    current: ProcedureCriteria
    defaults: ProcedureCriteria


def _load(profile: ProfileSession, case_id: int) -> _Loaded:
    """Qt-free: runs on the job runner's worker."""
    from backlog_app.services.readiness import case_readiness, load_criteria, shipped_criteria

    readiness = case_readiness(profile, case_id)
    procedure = readiness.procedure
    return _Loaded(
        readiness,
        load_criteria(profile).for_procedure(procedure),
        shipped_criteria().for_procedure(procedure),
    )


class ChecklistView(QWidget):
    """The readiness checklist of one case.

    Args:
        profile: the open profile.
        messages: shows problems (a broken criteria file, a failed save).
        jobs: the window's job runner; None works on the GUI thread (tests of this view).
    """

    open_evidence = Signal(object)  # Evidence

    def __init__(
        self,
        profile: ProfileSession,
        messages: Messages,
        jobs: JobRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._messages = messages
        self._jobs = jobs
        self._case_id: int | None = None
        self._loaded: _Loaded | None = None
        self._generation = 0
        self._stale = False
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_PAUSE_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._data_changes = DataChanges(profile.changes, self)
        self._data_changes.changed.connect(self._data_changed)

        self.headline = heading("Ready to submit?", 2)
        self.headline.setWordWrap(True)
        self.headline.setMinimumWidth(self.headline.fontMetrics().horizontalAdvance("Ready to sub"))
        self.caveat = QLabel(self)
        self.caveat.setObjectName("muted")
        self.caveat.setWordWrap(True)
        self.source = QLabel(self)
        self.source.setObjectName("muted")
        self.source.setWordWrap(True)
        self.state = QLabel(self)
        self.state.setObjectName("muted")
        self.state.setAccessibleName("Checklist status")
        self.edit_button = QPushButton("Edit criteria…", self)
        self.edit_button.setAccessibleName("Edit criteria")
        self.edit_button.setToolTip(
            "Change the numbers to match your plan's own policy, for every case of this procedure"
        )
        self.copy_button = QPushButton("Copy to-do list", self)
        self.copy_button.setAccessibleName("Copy to-do list")
        self.copy_button.setToolTip("Copy what is still missing, to paste into a note or an email")
        self.model = ChecklistModel(self)
        self.list = ChecklistList(self)
        self.list.setModel(self.model)
        self.empty = QLabel("Choose a case to see what the insurer will look for.", self)
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.headline, 1)
        top.addWidget(self.state)
        top.addWidget(self.copy_button)
        top.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.caveat)
        layout.addWidget(self.source)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)

        self.list.evidence_chosen.connect(self.open_evidence)
        self.edit_button.clicked.connect(self.edit_criteria)
        self.copy_button.clicked.connect(self.copy_todos)
        self._show_nothing()

    # What is shown -----------------------------------------------------------------------------

    def show_case(self, case_id: int | None) -> None:
        """Check the record for case ``case_id`` (None: no case) and show the checklist.

        Another case's rows are cleared at once; the same case's stay until the new check is in.
        """
        another_case = case_id != self._case_id
        self._case_id = case_id
        self._generation += 1
        self._stale = False
        self._refresh_timer.stop()
        if case_id is None:
            self._show_nothing()
            return
        if another_case:
            self._show_nothing(waiting=True)
        generation = self._generation
        self.state.setText("Checking the record…")
        profile = self._profile
        if self._jobs is None:
            try:
                loaded = _load(profile, case_id)
            except UserError as exc:
                self._failed(generation, exc)
                return
            self._show(generation, loaded)
            return
        self._jobs.run(
            "Checking the record…",
            lambda _progress: _load(profile, case_id),
            lambda loaded: self._show_if_alive(generation, loaded),
            raise_errors=lambda exc: self._error_if_alive(generation, exc),
            show_progress=False,
        )

    def refresh(self) -> None:
        """Check again (after a change to the record or the criteria)."""
        self.show_case(self._case_id)

    def detach(self) -> None:
        """Forget the case before the profile closes; a check still running is ignored."""
        self._data_changes.detach()
        self._refresh_timer.stop()
        self._case_id = None
        self._generation += 1
        self._show_nothing()

    def readiness(self) -> Readiness | None:
        return self._loaded.readiness if self._loaded is not None else None

    def copy_todos(self) -> None:
        readiness = self.readiness()
        if readiness is None:
            return
        lines = [f"{readiness.procedure.label}: {readiness.headline}"]
        lines += [f"• {todo}" for todo in readiness.todos] or ["Nothing missing."]
        lines.append(readiness.caveat)
        QGuiApplication.clipboard().setText("\n".join(lines))
        self.state.setText("To-do list copied.")

    # Criteria ----------------------------------------------------------------------------------

    def edit_criteria(self) -> None:
        loaded = self._loaded
        if loaded is None:
            return
        procedure = loaded.readiness.procedure
        chosen = edit_criteria(self, procedure, loaded.current, loaded.defaults)
        if chosen is None:
            return
        same_as_defaults = tuple(chosen) == loaded.defaults.criteria
        self.save_criteria(procedure, None if same_as_defaults else chosen)

    def save_criteria(self, procedure: Procedure, criteria: Sequence[Criterion] | None) -> None:
        """Keep the criteria (None: back to the defaults), then check the record again."""
        from backlog_app.services.readiness import save_procedure_criteria

        profile = self._profile
        if self._jobs is None:
            try:
                save_procedure_criteria(profile, procedure, criteria)
            except UserError as exc:
                self._messages.problem("Criteria not saved", exc.message)
                return
            self.refresh()
            return
        self._jobs.run(
            "Saving the criteria…",
            lambda _progress: save_procedure_criteria(profile, procedure, criteria),
            lambda _result: self.refresh() if shiboken6.isValid(self) else None,
            cancellable=False,
        )

    # Reactions ---------------------------------------------------------------------------------

    def _data_changed(self, changes: frozenset[Change]) -> None:
        if self._case_id is None or not changes & READ_CHANGES:
            return
        self._stale = True
        if self.isVisible():
            self._refresh_timer.start()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _show_if_alive(self, generation: int, loaded: _Loaded) -> None:
        if shiboken6.isValid(self):  # the profile may have closed while the job ran
            self._show(generation, loaded)

    def _error_if_alive(self, generation: int, exc: BaseException) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return  # an answer nobody waits for (another case, or the profile is closing)
        if not isinstance(exc, UserError):
            raise exc  # a bug: the crash handler logs it and apologizes
        self._failed(generation, exc)

    def _failed(self, generation: int, exc: UserError) -> None:
        if generation != self._generation:
            return
        self._loaded = None
        self.model.set_results([])
        self.headline.setText("The checklist cannot be shown")
        self.headline.setAccessibleName("The checklist cannot be shown")
        self.caveat.setText(exc.message)
        self.source.clear()
        self.state.clear()
        self.edit_button.setEnabled(False)
        self.copy_button.setEnabled(False)
        self.list.hide()
        self.empty.hide()

    def _show(self, generation: int, loaded: _Loaded) -> None:
        if generation != self._generation:  # a newer request is on its way
            return
        self._loaded = loaded
        readiness = loaded.readiness
        self.headline.setText(readiness.headline)
        self.headline.setAccessibleName(readiness.headline)
        self.caveat.setText(readiness.caveat)
        self.source.setText(_source_words(readiness))
        self.state.clear()
        self.list.checklist_delegate.clear_cache()
        self.model.set_results(readiness.results)
        self.edit_button.setEnabled(True)
        self.copy_button.setEnabled(True)
        self.empty.setVisible(not readiness.results)
        self.list.setVisible(bool(readiness.results))
        if not readiness.results:
            self.empty.setText(
                "No criteria apply to this case. Use “Edit criteria…” to switch some back on."
            )

    def _show_nothing(self, *, waiting: bool = False) -> None:
        self._loaded = None
        self.model.set_results([])
        self.headline.setText("Ready to submit?")
        self.headline.setAccessibleName("Ready to submit?")
        self.caveat.clear()
        self.source.clear()
        self.state.clear()
        self.edit_button.setEnabled(False)
        self.copy_button.setEnabled(False)
        self.list.hide()
        self.empty.setText(
            "Checking the record…"
            if waiting
            else "Choose a case to see what the insurer will look for."
        )
        self.empty.show()


def _source_words(readiness: Readiness) -> str:
    procedure = readiness.procedure.label.lower()
    general = readiness.source == "(general)"
    origin = "general, not from a named payer policy" if general else f"from {readiness.source}"
    if readiness.customized:
        text = f"Your own criteria for {procedure}."
    elif readiness.general:
        text = f"BackLog has no typical criteria for {procedure}; these are general ones."
    else:
        text = f"Typical criteria for {procedure} ({origin})."
    if readiness.note:
        text += f" {readiness.note}"
    return text
