"""One case: its header and next step, the actions, and the tabs (timeline, deadlines, checklist,
care team, calls, documents, letter).

The case is read in one snapshot (``CaseService.get`` plus the documents linked to it); the
checklist, care team, calls and letter tabs are made the first time they are shown and told
about the case only while they are visible, since each reads more of the record.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.cases import CaseEvent
from backlog_app.domain.dates import format_long_date
from backlog_app.domain.documents import LinkTarget
from backlog_app.domain.readiness import Evidence, EvidenceKind
from backlog_app.errors import UserError
from backlog_app.services.cases import CaseDetail
from backlog_app.services.context import ProfileSession
from backlog_app.services.deletion_impact import case_impact, case_warning
from backlog_app.services.documents import DocumentFilter, DocumentRow
from backlog_app.ui.cases import event_dialog
from backlog_app.ui.cases.case_dialog import edit_case
from backlog_app.ui.cases.case_documents import CaseDocuments
from backlog_app.ui.cases.case_header import CaseHeader
from backlog_app.ui.cases.deadlines_view import DeadlinesView
from backlog_app.ui.cases.timeline import TimelineView
from backlog_app.ui.cases.timeline_entries import timeline_entries
from backlog_app.ui.jobs import JobRunner
from backlog_app.ui.messages import Messages

log = logging.getLogger("backlog.ui.cases")

TAB_TIMELINE, TAB_DEADLINES, TAB_CHECKLIST, TAB_CARE_TEAM = range(4)
TAB_CALLS, TAB_DOCUMENTS, TAB_LETTER = range(4, 7)
TAB_TITLES = (
    "&Timeline",
    "D&eadlines",
    "C&hecklist",
    "Care Tea&m",
    "Ca&lls",
    "Doc&uments",
    "Lette&r",
)
# Lazy tabs with their own Undo (a deleted call, a removed care-team role).
_UNDO_TABS = (TAB_CARE_TEAM, TAB_CALLS)


@dataclass(frozen=True, slots=True)
class CaseSnapshot:
    """What the view shows of one case, read together."""

    detail: CaseDetail
    documents: list[DocumentRow]

    def event_document_counts(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for row in self.documents:
            for link in row.info.links:
                if link.target is LinkTarget.CASE_EVENT:
                    counts[link.target_id] = counts.get(link.target_id, 0) + 1
        return counts

    def event_documents(self, event_id: int) -> list[int]:
        return [
            row.info.id
            for row in self.documents
            if any(
                link.target is LinkTarget.CASE_EVENT and link.target_id == event_id
                for link in row.info.links
            )
        ]


def read_case(profile: ProfileSession, case_id: int) -> CaseSnapshot:
    """The case and its documents (a few milliseconds on a realistic profile)."""
    detail = profile.cases.get(case_id)
    documents = list(profile.documents.list(DocumentFilter(link=(LinkTarget.CASE, case_id))))
    return CaseSnapshot(detail, documents)


@dataclass(frozen=True, slots=True)
class _DeletedEvent:
    """An event deleted from the view, for its Undo bar."""

    event: CaseEvent
    description: str


class CaseView(QWidget):
    """Shows one case (``show_case``); ``open_document`` / ``open_log_record`` ask the window to
    show a document or a log record the case refers to. ``undo_changed`` fires when what
    ``undo`` would put back (a deleted event, a call deleted on the Calls tab or a role removed
    on the Care Team tab) changes."""

    open_document = Signal(int)
    open_log_record = Signal(object)  # a readiness Evidence
    case_deleted = Signal(int)
    undo_changed = Signal()

    def __init__(
        self,
        profile: ProfileSession,
        messages: Messages,
        show_status: Callable[[str], None],
        jobs: JobRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._messages = messages
        self._show_status = show_status
        self._jobs = jobs
        self._snapshot: CaseSnapshot | None = None
        self._deleted: _DeletedEvent | None = None
        self._lazy: dict[int, Any] = {}
        self._lazy_case: dict[int, int | None] = {}

        self.header = CaseHeader(show_status)
        # The header's parts, by the names the page and the tests use.
        self.title = self.header.title
        self.status = self.header.status
        self.urgent = self.header.urgent
        self.facts = self.header.facts
        self.next_step = self.header.next_step
        self.reference = self.header.reference

        self.edit_button = _button("&Edit case…", "Edit the case's procedure, plan and numbers")
        self.add_event_button = _button("&Add event…", "Add a step to the timeline")
        self.add_event_button.setObjectName("primaryButton")
        self.call_button = _button("Log a &call…", "Note a call about this case")
        self.delete_button = _button("&Delete case…", "Delete this case")
        self.edit_button.clicked.connect(self.edit_case)
        self.add_event_button.clicked.connect(self.add_event)
        self.call_button.clicked.connect(self.log_call)
        self.delete_button.clicked.connect(self.delete_case)

        self.undo_label = QLabel()
        self.undo_button = _button("&Undo", "Put the deleted event back")
        self.undo_button.clicked.connect(self.undo_delete_event)
        self.undo_bar = QFrame()
        self.undo_bar.setObjectName("step")
        undo_layout = QHBoxLayout(self.undo_bar)
        undo_layout.setContentsMargins(12, 4, 12, 4)
        undo_layout.addWidget(self.undo_label, 1)
        undo_layout.addWidget(self.undo_button)
        self.undo_bar.hide()

        self.timeline = TimelineView()
        self.timeline.edit_requested.connect(self.edit_event)
        self.timeline.delete_requested.connect(self.delete_event)
        self.timeline.link_requested.connect(self.link_event_documents)
        self.timeline.call_requested.connect(self.call_about_event)
        self.timeline_empty = QLabel(
            "No events yet. Add the first one: the day the request was sent, or the letter "
            "you received. BackLog then works out every deadline."
        )
        self.timeline_empty.setObjectName("muted")
        self.timeline_empty.setWordWrap(True)
        timeline_tab = QWidget()
        timeline_layout = QVBoxLayout(timeline_tab)
        timeline_layout.setContentsMargins(0, 8, 0, 0)
        timeline_layout.addWidget(self.timeline_empty)
        timeline_layout.addWidget(self.timeline, 1)
        self.deadlines = DeadlinesView(profile, messages)
        self.documents = CaseDocuments(profile, messages)
        self.documents.open_document.connect(self.open_document)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self._hosts: dict[int, QWidget] = {}
        for number, title in enumerate(TAB_TITLES):
            if number == TAB_TIMELINE:
                page = timeline_tab
            elif number == TAB_DEADLINES:
                page = self.deadlines
            elif number == TAB_DOCUMENTS:
                page = self.documents
            else:
                page = QWidget()
                QVBoxLayout(page).setContentsMargins(0, 8, 0, 0)
                self._hosts[number] = page
            self.tabs.addTab(page, title)
        self.tabs.currentChanged.connect(self._tab_shown)

        buttons = QHBoxLayout()
        for button in (self.add_event_button, self.call_button, self.edit_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        self.content = QWidget()
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.header)
        layout.addLayout(buttons)
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.tabs, 1)
        self.placeholder = QLabel("Choose a case in the list to see its timeline and deadlines.")
        self.placeholder.setObjectName("emptyState")
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.content)
        self.stack.addWidget(self.placeholder)
        self.stack.setCurrentWidget(self.placeholder)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

    # Showing a case ----------------------------------------------------------------------------

    def current_case_id(self) -> int | None:
        return self._snapshot.detail.id if self._snapshot else None

    def detail(self) -> CaseDetail | None:
        return self._snapshot.detail if self._snapshot else None

    def show_case(self, case_id: int | None) -> None:
        """Read and show the case (None: show nothing)."""
        if case_id != self.current_case_id():
            self._forget_deleted()
        if case_id is None:
            self._snapshot = None
            self.stack.setCurrentWidget(self.placeholder)
            self._refresh_lazy_tabs()
            return
        try:
            snapshot = read_case(self._profile, case_id)
        except UserError as exc:  # deleted meanwhile
            log.info("case %s could not be read: %s", case_id, exc.message)
            self._snapshot = None
            self.stack.setCurrentWidget(self.placeholder)
            return
        self._show(snapshot)

    def reload(self) -> None:
        """Read the current case again (after a data change)."""
        self.show_case(self.current_case_id())

    def _show(self, snapshot: CaseSnapshot) -> None:
        new_case = self.current_case_id() != snapshot.detail.id
        self._snapshot = snapshot
        self.stack.setCurrentWidget(self.content)
        detail = snapshot.detail
        today = self._profile.clock()
        self.header.show_detail(detail, today)
        entries = timeline_entries(detail, snapshot.event_document_counts(), today)
        self.timeline.set_entries(entries, new_case=new_case)
        has_events = bool(detail.events)
        self.timeline_empty.setVisible(not has_events)
        self.deadlines.show_detail(detail)
        self.documents.show_documents(detail.id, [e.id for e in detail.events], snapshot.documents)
        self._refresh_lazy_tabs()

    # Lazy tabs (other helpers' widgets) --------------------------------------------------------

    def tab_widget(self, number: int) -> Any:
        """The widget of a lazy tab (checklist, care team, calls, letter), made now if needed."""
        if number not in self._lazy:
            widget = self._make_tab(number)
            layout = self._hosts[number].layout()
            assert layout is not None
            layout.addWidget(widget)
            self._lazy[number] = widget
        return self._lazy[number]

    def _make_tab(self, number: int) -> Any:
        # Imported here: each reads more of the record, and most visits never open them.
        if number == TAB_CHECKLIST:
            from backlog_app.ui.cases.checklist_view import ChecklistView

            checklist = ChecklistView(self._profile, self._messages, self._jobs)
            checklist.open_evidence.connect(self._open_evidence)
            return checklist
        if number == TAB_CARE_TEAM:
            from backlog_app.ui.cases.care_team_view import CareTeamView

            team = CareTeamView(self._profile, self._messages, show_status=self._show_status)
            team.undo_changed.connect(self.undo_changed)
            return team
        if number == TAB_CALLS:
            from backlog_app.ui.cases.calls_view import CallsView

            calls = CallsView(self._profile, self._messages, self._show_status)
            calls.undo_changed.connect(self.undo_changed)
            return calls
        from backlog_app.ui.cases.letter_tab import LetterTab

        return LetterTab(self._profile, self._messages, self._jobs, self._show_status)

    def _tab_shown(self, number: int) -> None:
        if number in self._hosts:
            self._refresh_lazy_tabs()
        self.undo_changed.emit()  # the Calls and Care Team tabs have their own Undo

    def _refresh_lazy_tabs(self) -> None:
        number = self.tabs.currentIndex()
        if number not in self._hosts:
            return
        widget = self.tab_widget(number)
        case_id = self.current_case_id()
        if self._lazy_case.get(number, -1) == case_id:
            return
        self._lazy_case[number] = case_id
        if number == TAB_CALLS:
            if case_id is not None:
                widget.show_calls(case_id)
        elif case_id is not None:
            widget.show_case(case_id)

    def data_changed(self) -> None:
        """The lazy tabs read again the next time they are shown (now, for the visible one)."""
        self._lazy_case.clear()
        self._refresh_lazy_tabs()

    def _open_evidence(self, evidence: Evidence) -> None:
        if evidence.kind is EvidenceKind.DOCUMENT and evidence.record_id is not None:
            self.open_document.emit(evidence.record_id)
        else:
            self.open_log_record.emit(evidence)

    # Case actions ------------------------------------------------------------------------------

    def edit_case(self) -> None:
        detail = self.detail()
        if detail is None:
            return
        if edit_case(self, self._profile, self._messages, detail.id, detail.data):
            self._show_status("Case saved.")

    def add_event(self) -> None:
        snapshot = self._snapshot
        if snapshot is None:
            return
        event_id = event_dialog.add_event(self, self._profile, self._messages, snapshot.detail)
        if event_id is not None:
            self._show_status("Event added.")
            self.timeline.select_event(event_id)

    def log_call(self) -> None:
        case_id = self.current_case_id()
        if case_id is None:
            return
        if event_dialog.log_call_about(self, self._profile, self._messages, case_id=case_id):
            self._show_status("Call saved.")

    def delete_case(self) -> None:
        detail = self.detail()
        if detail is None:
            return
        events = len(detail.events)
        calls = len(detail.calls)
        impact = case_warning(case_impact(self._profile.database, detail.id))
        text = "\n\n".join(
            part
            for part in (
                f"Delete the case “{detail.title}”?",
                f"Its {events} event{'s' if events != 1 else ''} and any deadline changes go "
                "with it.",
                impact,
                f"Its {calls} call{' stays' if calls == 1 else 's stay'} in the call log, and "
                "linked documents stay in your vault. This cannot be undone.",
            )
            if part
        )
        if not self._messages.confirm("Delete case", text, "Delete case"):
            return
        try:
            self._profile.cases.delete(detail.id)
        except UserError as exc:
            self._messages.problem("Delete case", exc.message)
            return
        self._show_status(f"Deleted the case “{detail.title}”.")
        self.case_deleted.emit(detail.id)

    # Event actions -----------------------------------------------------------------------------

    def edit_event(self, event_id: int) -> None:
        snapshot = self._snapshot
        if snapshot is None:
            return
        if event_dialog.edit_event(
            self,
            self._profile,
            self._messages,
            snapshot.detail,
            event_id,
            linked_documents=set(snapshot.event_documents(event_id)),
        ):
            self._show_status("Event saved.")

    def delete_event(self, event_id: int) -> None:
        snapshot = self._snapshot
        if snapshot is None:
            return
        event = next((e for e in snapshot.detail.events if e.id == event_id), None)
        if event is None:
            return
        description = (
            f"the event “{event.data.event_type.label}” of {format_long_date(event.data.day)}"
        )
        try:
            deleted = self._profile.cases.delete_event(event_id)
        except UserError as exc:
            self._messages.problem("Delete event", exc.message)
            return
        self._deleted = _DeletedEvent(deleted, description)
        self.undo_label.setText(f"Deleted {description}.")
        self.undo_bar.show()
        self.undo_changed.emit()
        self._show_status(f"Deleted {description} — Undo (Ctrl+Z) puts it back.")

    def undo_description(self) -> str | None:
        """What ``undo`` would put back: a call deleted on the Calls tab or a role removed on the
        Care Team tab while it is shown, else the event deleted last; None when nothing."""
        tab = self._shown_undo_tab()
        shown = tab.undo_description() if tab is not None else None
        if shown is not None:
            return str(shown)
        return self._deleted.description if self._deleted is not None else None

    def undo(self) -> None:
        """Edit → Undo on this view: what ``undo_description`` names."""
        tab = self._shown_undo_tab()
        if tab is not None and tab.undo_description() is not None:
            tab.undo_delete()
        else:
            self.undo_delete_event()

    def _shown_undo_tab(self) -> Any:
        """The Calls or Care Team view when its tab is shown, else None."""
        number = self.tabs.currentIndex()
        return self._lazy.get(number) if number in _UNDO_TABS else None

    def undo_delete_event(self) -> None:
        """Put the last deleted event back (the service links its calls and documents again)."""
        deleted = self._deleted
        self._forget_deleted()
        if deleted is None:
            return
        try:
            self._profile.cases.restore_event(deleted.event)
        except UserError as exc:
            self._messages.problem("Undo", exc.message)
            return
        self._show_status(f"Put back {deleted.description}.")

    def _forget_deleted(self) -> None:
        had = self._deleted is not None
        self._deleted = None
        self.undo_bar.hide()
        if had:
            self.undo_changed.emit()

    def link_event_documents(self, event_id: int) -> None:
        snapshot = self._snapshot
        if snapshot is None:
            return
        count = event_dialog.link_documents_to_event(
            self,
            self._profile,
            self._messages,
            event_id,
            set(snapshot.event_documents(event_id)),
        )
        if count:
            self._show_status(f"Linked {count} document{'s' if count != 1 else ''}.")

    def call_about_event(self, event_id: int) -> None:
        case_id = self.current_case_id()
        if case_id is None:
            return
        if event_dialog.log_call_about(
            self, self._profile, self._messages, case_id=case_id, event_id=event_id
        ):
            self._show_status("Call saved.")

    def detach(self) -> None:
        """Let the lazy tabs keep unsaved edits and stop their background work."""
        for widget in self._lazy.values():
            widget.detach()


def _button(text: str, what: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(what)
    button.setToolTip(what)
    return button
