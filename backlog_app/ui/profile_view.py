"""The pages of one open profile with their navigation; the main window swaps it per profile."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QStackedWidget, QWidget

from backlog_app.domain.readiness import Evidence, EvidenceKind
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession
from backlog_app.services.home import home_deadlines, home_summary
from backlog_app.services.trends import recent_pain
from backlog_app.settings import SettingsStore
from backlog_app.ui.documents.background import BackgroundReads
from backlog_app.ui.jobs import JobRunner
from backlog_app.ui.messages import Messages
from backlog_app.ui.page_keys import (
    PAGE_CASES,
    PAGE_COSTS,
    PAGE_DOCUMENTS,
    PAGE_HOME,
    PAGE_LOG,
    PAGE_PROFILE,
    PAGE_PROVIDERS,
)
from backlog_app.ui.pages.cases_page import CasesPage
from backlog_app.ui.pages.costs_page import CostsPage
from backlog_app.ui.pages.documents_page import DocumentsPage
from backlog_app.ui.pages.home import HomePage
from backlog_app.ui.pages.log_page import (
    TAB_COURSES,
    TAB_DAILY,
    TAB_MEDICATIONS,
    TAB_OUTCOMES,
    TAB_TREATMENTS,
    LogPage,
)
from backlog_app.ui.pages.profile_page import ProfilePage
from backlog_app.ui.pages.providers_page import ProvidersPage
from backlog_app.ui.resources import icon
from backlog_app.ui.signals import DataChanges

log = logging.getLogger("backlog.ui")

# Where each kind of readiness evidence is shown on the Log page.
_EVIDENCE_TABS = {
    EvidenceKind.TREATMENT: TAB_TREATMENTS,
    EvidenceKind.COURSE: TAB_COURSES,
    EvidenceKind.MEDICATION: TAB_MEDICATIONS,
    EvidenceKind.ODI: TAB_OUTCOMES,
    EvidenceKind.CHECK_INS: TAB_DAILY,
}

PAGE_TITLES = {
    PAGE_HOME: "Home",
    PAGE_LOG: "Log",
    PAGE_DOCUMENTS: "Documents",
    PAGE_CASES: "Cases & Appeals",
    PAGE_COSTS: "Costs",
    PAGE_PROFILE: "Profile & Insurance",
    PAGE_PROVIDERS: "Providers",
}


class ProfileView(QWidget):
    """Navigation on the left, the current page on the right, all over one ProfileSession.

    ``undo_changed`` fires when what Edit → Undo would do changes: on the Documents page it takes
    the last document out of the trash, on the Cases and Costs pages it puts back what was deleted
    there (and nothing else), elsewhere it puts back the last deleted log record.

    Args:
        settings: the app's settings (the Providers page keeps the network check age there).
    """

    undo_changed = Signal()

    def __init__(
        self,
        profile: ProfileSession,
        messages: Messages,
        show_status: Callable[[str], None],
        parent: QWidget | None = None,
        *,
        jobs: JobRunner | None = None,
        settings: SettingsStore | None = None,
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self.changes = DataChanges(profile.changes, self)
        self.home_page = HomePage()
        self.log_page = LogPage(profile, messages, show_status, jobs)
        self.documents_page = DocumentsPage(profile, messages, show_status, jobs)
        self.cases_page = CasesPage(profile, messages, show_status, jobs)
        self.costs_page = CostsPage(profile, messages, show_status)
        self.profile_page = ProfilePage(profile, messages, show_status)
        self.providers_page = ProvidersPage(profile, messages, show_status, settings=settings)
        self.pages: dict[str, QWidget] = {
            PAGE_HOME: self.home_page,
            PAGE_LOG: self.log_page,
            PAGE_DOCUMENTS: self.documents_page,
            PAGE_CASES: self.cases_page,
            PAGE_COSTS: self.costs_page,
            PAGE_PROFILE: self.profile_page,
            PAGE_PROVIDERS: self.providers_page,
        }
        self.stack = QStackedWidget()
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName("Sections")
        self.navigation.setIconSize(QSize(22, 22))
        self.navigation.setFixedWidth(250)
        for key, page in self.pages.items():
            item = QListWidgetItem(icon(key), PAGE_TITLES[key])
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(0, 40))
            self.navigation.addItem(item)
            self.stack.addWidget(page)
        self.navigation.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.navigation.currentRowChanged.connect(self.undo_changed)
        self.log_page.history.changed.connect(self.undo_changed)
        self.documents_page.history.changed.connect(self.undo_changed)
        self.cases_page.undo_changed.connect(self.undo_changed)
        self.costs_page.undo_changed.connect(self.undo_changed)
        self.providers_page.undo_changed.connect(self.undo_changed)
        self.home_page.navigate.connect(self.show_page)
        self.home_page.check_in_requested.connect(self.check_in_now)
        self.home_page.open_case.connect(self.show_case)
        self.home_page.open_cost.connect(self.show_cost)
        self.cases_page.open_document.connect(self.open_document)
        self.cases_page.open_log_record.connect(self.open_log_record)
        self.costs_page.open_document.connect(self.open_document)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.changes.changed.connect(self._on_data_changed)
        # Home is read when it is shown, and again on a change only while it is shown: hidden,
        # it is marked stale. Its deadlines are read in the background (every case's deadlines,
        # care-team checks and bills: up to ~200 ms with thousands of bills).
        self._home_stale = True
        self._home_reads = BackgroundReads(self, threads=1)
        self.home_page.installEventFilter(self)

    def show_page(self, key: str) -> None:
        keys = list(self.pages)
        if key in keys:
            self.navigation.setCurrentRow(keys.index(key))

    def current_page(self) -> str:
        return list(self.pages)[self.stack.currentIndex()]

    def show_case(self, case_id: int) -> None:
        """Show one case on the Cases page (from Home's deadlines and cases)."""
        self.show_page(PAGE_CASES)
        self.cases_page.show_case(case_id)

    def show_cost(self, cost_id: int) -> None:
        """Show one cost entry on the Costs page (from Home's due list: a bill to dispute)."""
        self.show_page(PAGE_COSTS)
        self.costs_page.show_cost(cost_id)

    def open_document(self, document_id: int) -> None:
        """Show one document on the Documents page (clearing filters that hide it)."""
        page = self.documents_page
        self.show_page(PAGE_DOCUMENTS)
        if page.select_document(document_id):
            return

        # Not in the list on screen: it is still loading, or filtered out. Show everything, then
        # select it once the new list is in.
        def select_when_listed() -> None:
            page.listed.disconnect(select_when_listed)
            page.select_document(document_id)

        page.listed.connect(select_when_listed)
        if page.filters.trash.isChecked():
            page.filters.trash.setChecked(False)
        if page.filters.has_filters():
            page.filters.clear_filters()
        else:
            page.reload()

    def open_log_record(self, evidence: Evidence) -> None:
        """Show a record a readiness check found on the Log page's tab for it (a document on
        the Documents page)."""
        if evidence.kind is EvidenceKind.DOCUMENT:
            if evidence.record_id is not None:
                self.open_document(evidence.record_id)
            return
        tab = _EVIDENCE_TABS.get(evidence.kind, TAB_DAILY)
        self.show_page(PAGE_LOG)
        self.log_page.show_tab(tab)
        if tab != TAB_DAILY and evidence.record_id is not None:
            self.log_page.panel(tab).panel.select_id(evidence.record_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.home_page and event.type() == QEvent.Type.Show and self._home_stale:
            self.refresh_home()
        return super().eventFilter(watched, event)

    def refresh_home(self) -> None:
        """Read Home: its quick part now, its deadlines and cases in the background (the cards
        keep what they show until the new read arrives; an older read still running is dropped).
        """
        self._home_stale = False
        profile = self.profile
        self.home_page.show_summary(home_summary(profile))
        self.home_page.show_recent_pain(recent_pain(profile), profile.clock())
        self._home_reads.submit(
            lambda: home_deadlines(profile),
            self.home_page.show_deadlines,
            self._home_unreadable,
            key="home",
        )

    def home_is_loading(self) -> bool:
        """A read of Home's deadlines is still under way (tests wait for it)."""
        return self._home_reads.is_busy()

    def _home_unreadable(self, exc: BaseException) -> None:
        log.error("reading Home's deadlines failed", exc_info=exc)
        self.home_page.show_deadlines_unreadable()

    def check_in_now(self) -> None:
        """Open today's check-in (Ctrl+L, or the button on Home or the Log page)."""
        self.log_page.check_in_now()

    def undo_description(self) -> str | None:
        """What Undo would put back ("“MRI report”", "the check-in of 3 Mar 2026"), or None."""
        if self.current_page() == PAGE_CASES:
            # Only what was deleted on this page: a log record deleted elsewhere stays deleted.
            return self.cases_page.undo_description()
        if self.current_page() == PAGE_COSTS:
            return self.costs_page.undo_description()
        if self.current_page() == PAGE_PROVIDERS:
            return self.providers_page.undo_description()
        if self.current_page() == PAGE_DOCUMENTS:
            trashed = self.documents_page.history.last()
            if trashed is not None:
                return trashed.description
        last = self.log_page.history.last()
        return last.description if last is not None else None

    def undo(self) -> None:
        """Ctrl+Z: the last trash on the Documents page, the Cases, Costs and Providers pages'
        own deletes there, else the last log delete."""
        if self.current_page() == PAGE_CASES:
            self.cases_page.undo()
        elif self.current_page() == PAGE_COSTS:
            self.costs_page.undo()
        elif self.current_page() == PAGE_PROVIDERS:
            self.providers_page.undo()
        elif self.current_page() == PAGE_DOCUMENTS and self.documents_page.history.last():
            self.documents_page.undo_trash()
        else:
            self.log_page.undo_delete()

    def has_unsaved_changes(self) -> bool:
        return self.profile_page.patient_is_modified()

    def detach(self) -> None:
        """Stop listening to the profile, and reading it, before it is closed."""
        self.changes.detach()
        self._home_reads.stop()
        self.log_page.detach()
        self.documents_page.detach()
        self.cases_page.detach()
        self.costs_page.detach()
        self.providers_page.detach()

    def _on_data_changed(self, changes: frozenset[Change]) -> None:
        if Change.PLANS in changes:
            self.profile_page.reload_plans()
        if Change.PROVIDERS in changes:
            self.providers_page.reload()
        if Change.PATIENT in changes and not self.profile_page.patient_is_modified():
            self.profile_page.reload_patient()
        self.log_page.on_data_changed(changes)
        self.documents_page.on_data_changed(changes)
        self.cases_page.on_data_changed(changes)
        self.costs_page.on_data_changed(changes)
        if changes - {Change.DOCUMENTS}:
            # Home shows nothing about documents; background text reading announces a change per
            # document, and rebuilding Home each time stalled the window (up to ~0.8 s).
            if self.home_page.isVisible():
                self.refresh_home()
            else:
                self._home_stale = True
