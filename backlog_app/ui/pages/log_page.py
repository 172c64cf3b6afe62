"""The Log page: the daily log with its charts, one tab per kind of record, and the care summary.

Deletes made here can be undone in the session: ``DeleteHistory`` keeps the last few deleted
records (as the services' ``delete()`` returned them) and puts them back on Ctrl+Z.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from backlog_app.domain.records import Stored
from backlog_app.errors import UserError
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession
from backlog_app.services.log_undo import (
    DeletedRecord,
    delete_record,
    describe_record,
    restore_deleted,
)
from backlog_app.services.log_view import LogEntry, describe
from backlog_app.ui.editors.log_editors import open_check_in
from backlog_app.ui.jobs import JobRunner
from backlog_app.ui.messages import Messages
from backlog_app.ui.pages.daily_log import DailyLogTab
from backlog_app.ui.pages.log_tabs import CoursesPanel, MedicationsPanel, OdiPanel, TreatmentsPanel
from backlog_app.ui.pages.summary_tab import SummaryTab

log = logging.getLogger("backlog.ui")

UNDO_LIMIT = 20
TAB_DAILY, TAB_MEDICATIONS, TAB_TREATMENTS, TAB_COURSES, TAB_OUTCOMES, TAB_SUMMARY = range(6)
SUMMARY_CHANGES = frozenset(
    {Change.CHECK_INS, Change.MEDICATIONS, Change.TREATMENTS, Change.COURSES, Change.ODI_SCORES}
)
# The record tabs: (title, panel class, the changes it shows).
PANELS: tuple[tuple[str, Any, frozenset[Change]], ...] = (
    ("Medications", MedicationsPanel, frozenset({Change.MEDICATIONS, Change.PROVIDERS})),
    (
        "Treatments && visits",
        TreatmentsPanel,
        frozenset({Change.TREATMENTS, Change.COURSES, Change.PROVIDERS, Change.VISIT_LIMITS}),
    ),
    ("Therapy courses", CoursesPanel, frozenset({Change.COURSES, Change.TREATMENTS})),
    ("Outcome scores", OdiPanel, frozenset({Change.ODI_SCORES, Change.CHECK_INS})),
)


class DeleteHistory(QObject):
    """The records deleted in this session, newest last, so that Ctrl+Z can put them back."""

    changed = Signal()

    def __init__(self, profile: ProfileSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._profile = profile
        self._deleted: list[DeletedRecord] = []

    def delete(self, kind: str, record_id: int, description: str) -> DeletedRecord:
        """Delete and remember. Raises UserError when the record cannot be deleted."""
        deleted = delete_record(self._profile, kind, record_id, description)
        self._deleted.append(deleted)
        del self._deleted[:-UNDO_LIMIT]
        self.changed.emit()
        return deleted

    def remember(self, kind: str, stored: Stored[Any]) -> None:
        """A record deleted elsewhere (the Medications tab…), so that Ctrl+Z brings it back too."""
        self._deleted.append(DeletedRecord(kind, stored, describe_record(stored.data)))
        del self._deleted[:-UNDO_LIMIT]
        self.changed.emit()

    def can_undo(self) -> bool:
        return bool(self._deleted)

    def last(self) -> DeletedRecord | None:
        return self._deleted[-1] if self._deleted else None

    def undo(self) -> DeletedRecord | None:
        """Put the last deleted record back. Raises UserError (and forgets it) when it cannot."""
        if not self._deleted:
            return None
        deleted = self._deleted.pop()
        try:
            restore_deleted(self._profile, deleted)
        finally:
            self.changed.emit()
        return deleted


class LogPage(QWidget):
    """Tabs: Daily log, Medications, Treatments & visits, Therapy courses, Outcome scores, Summary.

    Args:
        profile: the open profile.
        messages: confirmations and problems.
        show_status: a short note in the status bar.
        jobs: the window's job runner (the summary is computed on it); None: on the GUI thread.
    """

    def __init__(
        self,
        profile: ProfileSession,
        messages: Messages,
        show_status: Callable[[str], None],
        jobs: JobRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._messages = messages
        self._show_status = show_status
        self.history = DeleteHistory(profile, self)
        self.daily = DailyLogTab(profile, messages, show_status, self._delete_entry, self)
        self.daily.check_in_requested.connect(self.check_in_now)
        self.daily.undo_requested.connect(self.undo_delete)
        self.summary = SummaryTab(profile, jobs, show_status, self)
        # The record tabs are made when first shown: each loads its whole list.
        self._panels: dict[int, Any] = {}
        self._panel_hosts: list[QWidget] = []

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.daily, "&Daily log")
        for title, _panel_class, _changes in PANELS:
            host = QWidget(self)
            QVBoxLayout(host).setContentsMargins(12, 4, 12, 12)  # as the Daily log tab
            self._panel_hosts.append(host)
            self.tabs.addTab(host, title)
        self.tabs.addTab(self.summary, "&Summary")
        self.tabs.currentChanged.connect(self._tab_shown)
        self.history.changed.connect(self._history_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addWidget(self.tabs)

    # Actions -----------------------------------------------------------------------------------

    def check_in_now(self) -> None:
        """Open today's check-in (a new one, or today's if it exists)."""
        try:
            saved = open_check_in(self._profile, self._messages, self)
        except UserError as exc:
            self._messages.problem("Check-in", exc.message)
            return
        if saved:
            self._show_status("Check-in saved.")

    def undo_delete(self) -> None:
        """Put back the last record deleted in this session (Ctrl+Z)."""
        try:
            deleted = self.history.undo()
        except UserError as exc:
            self._messages.problem("Undo delete", exc.message)
            return
        if deleted is not None:
            self._show_status(f"Put back {deleted.description}.")

    def _delete_entry(self, entry: LogEntry) -> None:
        description = describe(entry)
        try:
            self.history.delete(entry.kind.editor, entry.record_id, description)
        except UserError as exc:
            self._messages.problem("Delete from the log", exc.message)
            return
        self._show_status(f"Deleted {description} — Undo with Ctrl+Z.")

    def _history_changed(self) -> None:
        last = self.history.last()
        self.daily.set_undo_available(last is not None, last.description if last else "")

    # Changes -----------------------------------------------------------------------------------

    def on_data_changed(self, changes: frozenset[Change]) -> None:
        """Reload only the tabs that show what changed (tabs not made yet load when shown)."""
        self.daily.on_data_changed(changes)
        for number, panel in self._panels.items():
            if changes & PANELS[number][2]:
                panel.reload()
        if changes & SUMMARY_CHANGES:
            self.summary.mark_stale()

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)

    def panel(self, index: int) -> Any:
        """The record tab at tab ``index`` (TAB_MEDICATIONS…), made now if it was not yet."""
        number = index - TAB_MEDICATIONS
        if number not in self._panels:
            _title, panel_class, _changes = PANELS[number]
            panel = panel_class(self._profile, self._messages, self._show_status)
            panel.deleted.connect(self.history.remember)
            host_layout = self._panel_hosts[number].layout()
            assert host_layout is not None
            host_layout.addWidget(panel)
            self._panels[number] = panel
        return self._panels[number]

    def _tab_shown(self, index: int) -> None:
        if TAB_MEDICATIONS <= index < TAB_MEDICATIONS + len(PANELS):
            self.panel(index)

    def detach(self) -> None:
        self.daily.stop()
