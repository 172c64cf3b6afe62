"""The main window: menus, status bar, and the open profile's pages (or a note while it opens).

The window itself imports no database code, so it can appear at once while the profile (and
SQLAlchemy with it) loads in the background; ``attach_profile`` then fills it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from backlog_app import APP_NAME, __version__
from backlog_app.errors import UserError
from backlog_app.logging_setup import current_log_file
from backlog_app.services.changes import Change
from backlog_app.services.progress import Progress
from backlog_app.settings import Settings, SettingsStore
from backlog_app.ui.cases.due_reminder import (
    DueReminder,
    Notifier,
    ReminderBanner,
    default_notifier,
)
from backlog_app.ui.documents.text_status import TextReadingStatus
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

if TYPE_CHECKING:
    from backlog_app.services.context import ProfileSession
    from backlog_app.ui.documents.import_flow import FileDropTarget
    from backlog_app.ui.documents.inbox import InboxWatcher
    from backlog_app.ui.pages.cases_page import CasesPage
    from backlog_app.ui.pages.costs_page import CostsPage
    from backlog_app.ui.pages.documents_page import DocumentsPage
    from backlog_app.ui.pages.home import HomePage
    from backlog_app.ui.pages.log_page import LogPage
    from backlog_app.ui.pages.profile_page import ProfilePage
    from backlog_app.ui.pages.providers_page import ProvidersPage
    from backlog_app.ui.profile_view import ProfileView

log = logging.getLogger("backlog.ui")


class MainWindow(QMainWindow):
    """The app's one window. Asks the app (via signals) to switch profiles; never opens one."""

    new_profile_requested = Signal()
    open_profile_requested = Signal(object)  # a Path, or None to ask for a folder
    import_requested = Signal()
    profile_attached = Signal()
    # File → Protect with a Passphrase… / Change Passphrase… / Lock Now: the app answers them.
    protect_requested = Signal()
    change_passphrase_requested = Signal()
    lock_requested = Signal()
    # The window is about to close (the close was accepted): the profile is still open, so the
    # app can make the automatic backup (ui.backup.closing) before it closes the profile.
    about_to_close = Signal()

    def __init__(
        self,
        settings: SettingsStore,
        messages: Messages | None = None,
        *,
        notifier: Notifier | None = None,
    ) -> None:
        """``notifier`` shows the daily deadline reminder (default: the tray, else a banner)."""
        super().__init__()
        self.settings = settings
        self.messages = messages or Messages(self)
        if self.messages.parent is None:
            self.messages.parent = self
        self.jobs = JobRunner(self, self._show_user_error, self._show_bug)
        self.view: ProfileView | None = None
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(QSize(900, 600))

        self.loading = QLabel("Opening your records…")
        self.loading.setObjectName("muted")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.central = QStackedWidget()
        self.central.addWidget(self.loading)
        # The deadline reminder's banner (where there is no system tray) sits above the pages.
        self.reminder_banner = ReminderBanner()
        frame = QWidget()
        frame_layout = QVBoxLayout(frame)
        frame_layout.setContentsMargins(0, 0, 0, 0)
        frame_layout.setSpacing(0)
        frame_layout.addWidget(self.reminder_banner)
        frame_layout.addWidget(self.central, 1)
        self.setCentralWidget(frame)
        self.profile_label = QLabel()
        self.profile_label.setObjectName("muted")
        # Reading documents' text in the background shows here, beside the profile's folder.
        self.text_reading = TextReadingStatus(self.messages, self.show_status, self)
        self.statusBar().addPermanentWidget(self.text_reading)
        self.statusBar().addPermanentWidget(self.profile_label)
        self.inbox: InboxWatcher | None = None
        self._drops: FileDropTarget | None = None
        self.setAcceptDrops(True)  # files dropped anywhere on the window are added as documents
        self._profile_actions: list[QAction] = []
        self.due_reminder = DueReminder(
            settings,
            notifier or default_notifier(self.reminder_banner, self._show_status_if_quiet),
            self._open_cases_from_reminder,
            self,
        )
        self._build_menus()
        self._set_profile_actions_enabled(False)
        self._restore_geometry()
        settings.subscribe(self._settings_changed)

    # The open profile ------------------------------------------------------------------------

    @property
    def profile(self) -> ProfileSession:
        assert self.view is not None, "no profile is open"
        return self.view.profile

    @property
    def home_page(self) -> HomePage:
        assert self.view is not None
        return self.view.home_page

    @property
    def log_page(self) -> LogPage:
        assert self.view is not None
        return self.view.log_page

    @property
    def documents_page(self) -> DocumentsPage:
        assert self.view is not None
        return self.view.documents_page

    @property
    def cases_page(self) -> CasesPage:
        assert self.view is not None
        return self.view.cases_page

    @property
    def costs_page(self) -> CostsPage:
        assert self.view is not None
        return self.view.costs_page

    @property
    def profile_page(self) -> ProfilePage:
        assert self.view is not None
        return self.view.profile_page

    @property
    def providers_page(self) -> ProvidersPage:
        assert self.view is not None
        return self.view.providers_page

    def attach_profile(self, profile: ProfileSession) -> None:
        """Show ``profile``'s pages (replacing any profile shown before)."""
        from backlog_app.ui.profile_view import ProfileView

        self.detach_profile()
        # Before the pages are built, so that their first reads already follow the settings.
        self._apply_settings(self.settings.settings, profile)
        self.view = ProfileView(
            profile, self.messages, self.show_status, jobs=self.jobs, settings=self.settings
        )
        self.view.undo_changed.connect(self._update_undo_action)
        self.view.cases_page.export_packet.connect(self.export_packet)
        self.central.addWidget(self.view)
        self.central.setCurrentWidget(self.view)
        self.setWindowTitle(f"{APP_NAME} — {profile.paths.root.name}")
        self.profile_label.setText(f"Profile: {profile.paths.root}")
        self._set_profile_actions_enabled(True)
        self.security_actions.show_for(profile)
        self._update_undo_action()
        self.view.show_page(self.settings.settings.last_page or PAGE_HOME)
        self._attach_documents(profile)
        self.due_reminder.attach(profile)
        self.profile_attached.emit()

    def detach_profile(self) -> None:
        if self.view is None:
            return
        self.due_reminder.detach()
        self.reminder_banner.hide()
        self._detach_documents()
        self.jobs.wait_for_all()
        self.view.detach()
        self.central.removeWidget(self.view)
        self.view.deleteLater()
        self.view = None
        self.central.setCurrentWidget(self.loading)
        self._set_profile_actions_enabled(False)
        self.security_actions.show_for(None)
        self._update_undo_action()

    def may_leave_profile(self) -> bool:
        """False when the user chose to stay to keep unsaved edits."""
        if self.view is None or not self.view.has_unsaved_changes():
            return True
        if self.messages.confirm(
            "Unsaved patient details",
            "You changed the patient details but did not save them. Discard the changes?",
            "Discard changes",
        ):
            return True
        self.show_page(PAGE_PROFILE)
        return False

    # Pages ---------------------------------------------------------------------------------

    def show_page(self, key: str) -> None:
        if self.view is not None:
            self.view.show_page(key)

    def current_page(self) -> str | None:
        return self.view.current_page() if self.view is not None else None

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    def _show_status_if_quiet(self, text: str) -> None:
        """A note nobody waited for (the reminder) never hides the answer to what the user did."""
        if not self.statusBar().currentMessage():
            self.show_status(text)

    # Menus ---------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        from backlog_app.ui.backup.menus import add_file_menu_items, add_tools_menu_items

        file_menu = self.menuBar().addMenu("&File")
        self._action(
            file_menu,
            "&New Profile…",
            self.new_profile_requested.emit,
            QKeySequence.StandardKey.New,
        )
        self._action(
            file_menu,
            "&Open Profile…",
            lambda: self.open_profile_requested.emit(None),
            QKeySequence.StandardKey.Open,
        )
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        self._action(
            file_menu,
            "Export &Packet…",
            lambda: self.export_packet(),
            "Ctrl+E",
            needs_profile=True,
        ).setStatusTip("One PDF of your records for your insurer or your doctor's office")
        self._action(file_menu, "&Export All Data…", self.export_data, needs_profile=True)
        self._action(file_menu, "&Import Data into a New Profile…", self.import_requested.emit)
        self._action(
            file_menu, "Import Pain &Diary (CSV)…", self._import_pain_diary, needs_profile=True
        )
        self._action(
            file_menu,
            "Add Do&cuments…",
            lambda: self.add_documents(),
            "Ctrl+Shift+D",
            needs_profile=True,
        )
        self.security_actions = add_file_menu_items(self, file_menu)
        file_menu.addSeparator()
        self._action(
            file_menu,
            "Show Profile &Folder",
            lambda: _open_folder(self.profile.paths.root),
            needs_profile=True,
        )
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_delete_action = self._action(
            edit_menu, "&Undo Delete", self._undo_delete, QKeySequence.StandardKey.Undo
        )
        self.undo_delete_action.setEnabled(False)
        edit_menu.addSeparator()
        self._action(edit_menu, "&Check In Now…", self._check_in_now, "Ctrl+L", needs_profile=True)
        self.log_call_action = self._action(
            edit_menu, "Log a &Call…", self.log_call, "Ctrl+Shift+C", needs_profile=True
        )
        self.add_cost_action = self._action(
            edit_menu, "Add a &Bill or Cost…", self._add_cost, "Ctrl+Shift+B", needs_profile=True
        )
        edit_menu.addSeparator()
        self._action(
            edit_menu,
            "Edit &Patient Details",
            self._edit_patient,
            "Ctrl+Shift+E",
            needs_profile=True,
        )
        self._action(
            edit_menu, "Add Insurance P&lan…", self._add_plan, "Ctrl+Shift+L", needs_profile=True
        )
        self._action(
            edit_menu, "Add Pro&vider…", self._add_provider, "Ctrl+Shift+V", needs_profile=True
        )

        view_menu = self.menuBar().addMenu("&View")
        for number, (key, title) in enumerate(
            (
                (PAGE_HOME, "&Home"),
                (PAGE_LOG, "&Log"),
                (PAGE_DOCUMENTS, "&Documents"),
                (PAGE_CASES, "&Cases && Appeals"),
                (PAGE_COSTS, "C&osts"),
                (PAGE_PROFILE, "Profile && &Insurance"),
                (PAGE_PROVIDERS, "P&roviders"),
            ),
            start=1,
        ):
            self._action(
                view_menu,
                title,
                lambda _checked=False, k=key: self.show_page(k),
                f"Ctrl+{number}",
                needs_profile=True,
            )

        tools_menu = self.menuBar().addMenu("&Tools")
        self._action(tools_menu, "&Check Documents…", self._check_documents, needs_profile=True)
        self._action(tools_menu, "&Scan Inbox…", self._scan_inbox_settings, needs_profile=True)
        add_tools_menu_items(self, tools_menu)

        help_menu = self.menuBar().addMenu("&Help")
        self._action(
            help_menu,
            "Open &Log Folder",
            lambda: _open_folder(self.profile.paths.logs),
            needs_profile=True,
        )
        self._action(help_menu, f"&About {APP_NAME}", self._about)

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: object,
        shortcut: str | QKeySequence.StandardKey | None = None,
        *,
        needs_profile: bool = False,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        if needs_profile:
            self._profile_actions.append(action)
        return action

    def _set_profile_actions_enabled(self, enabled: bool) -> None:
        for action in self._profile_actions:
            action.setEnabled(enabled)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        current = str(self.profile.paths.root) if self.view is not None else None
        recent = [p for p in self.settings.settings.recent_profiles if p != current]
        if not recent:
            none = self.recent_menu.addAction("No other profiles yet")
            none.setEnabled(False)
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(
                lambda _=False, p=path: self.open_profile_requested.emit(Path(p))
            )

    def _check_in_now(self) -> None:
        if self.view is not None:
            self.view.check_in_now()

    def log_call(self) -> None:
        """Edit → Log a Call… (Ctrl+Shift+C): about the case on the Cases page, if one is shown."""
        from backlog_app.ui.cases.call_dialog import log_call

        if self.view is None:
            return
        case_id: int | None = None
        cases_page = getattr(self.view, "cases_page", None)
        if cases_page is not None and self.current_page() == PAGE_CASES:
            case_id = cases_page.current_case_id()
        if log_call(self, self.profile, self.messages, case_id=case_id) is not None:
            self.show_status("Call logged.")

    def _open_cases_from_reminder(self) -> None:
        """The deadline reminder was clicked: bring the window forward on the Cases page."""
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()
        self.show_page(PAGE_CASES)

    def _import_pain_diary(self) -> None:
        from backlog_app.ui.editors.csv_import_dialog import open_csv_import

        open_csv_import(self.profile, self.messages, self, self.jobs)

    def _undo_delete(self) -> None:
        if self.view is not None:
            self.view.undo()

    def _update_undo_action(self) -> None:
        what = self.view.undo_description() if self.view is not None else None
        self.undo_delete_action.setEnabled(what is not None)
        self.undo_delete_action.setText(f"&Undo Delete ({what})" if what else "&Undo Delete")

    def _edit_patient(self) -> None:
        self.show_page(PAGE_PROFILE)
        self.profile_page.focus_patient()

    def _add_plan(self) -> None:
        self.show_page(PAGE_PROFILE)
        self.profile_page.add_plan()

    def _add_cost(self) -> None:
        """Edit → Add a Bill or Cost… (Ctrl+Shift+B): the dialog over the Costs page."""
        self.show_page(PAGE_COSTS)
        self.costs_page.add_cost()

    def _add_provider(self) -> None:
        self.show_page(PAGE_PROVIDERS)
        self.providers_page.add_provider()

    def _about(self) -> None:
        where = f"\n\nProfile folder: {self.profile.paths.root}" if self.view is not None else ""
        self.messages.info(
            f"About {APP_NAME}",
            f"{APP_NAME} {__version__}\n\nKeeps the records that get back-pain treatment covered "
            "by your insurer, on this computer only. BackLog makes no network connections."
            f"{where}",
        )

    # Documents -------------------------------------------------------------------------------

    def add_documents(self, paths: list[Path] | None = None) -> None:
        """File → Add Documents… (``paths`` None asks for files) and files dropped on the window."""
        from backlog_app.ui.documents.import_flow import add_documents

        if self.view is not None:
            add_documents(self, self.profile, self.jobs, self.messages, paths)

    def _attach_documents(self, profile: ProfileSession) -> None:
        from backlog_app.ui.documents.import_flow import FileDropTarget
        from backlog_app.ui.documents.inbox import InboxWatcher

        if self._drops is None:
            self._drops = FileDropTarget(self, self.add_documents, lambda: self.view is not None)
        self.text_reading.attach(profile)
        self.inbox = InboxWatcher(
            self, profile, self.jobs, self.settings, self.messages, self.show_status
        )
        self.inbox.start()

    def _settings_changed(self, settings: Settings) -> None:
        if self.view is not None:
            self._apply_settings(settings)

    def _apply_settings(self, settings: Settings, profile: ProfileSession | None = None) -> None:
        """Hand the open profile (or ``profile``, being opened) what the settings decide: the
        largest file to import, and how many days a network check stays current.

        The only place the number of days reaches the profile in the window (the Providers
        page's spin box just saves the setting): when it changes, every view of network status
        is told, through ``Change.NETWORK``.
        """
        profile = profile if profile is not None else self.profile
        profile.importer.max_bytes = max(1, settings.max_import_mb) * 1024 * 1024
        days = max(1, settings.network_check_days)
        if profile.network.max_age_days != days:
            profile.network.max_age_days = days
            # Which checks are current changed: every view of network status reads again.
            profile.changes.announce(Change.NETWORK)

    def _detach_documents(self) -> None:
        """Stop watching the scan inbox and reading text before the profile closes."""
        if self.inbox is not None:
            self.inbox.stop()
            self.inbox.deleteLater()
            self.inbox = None
        self.text_reading.detach()

    def _check_documents(self) -> None:
        from backlog_app.ui.documents.check_dialog import check_documents

        check_documents(self, self.profile, self.jobs)

    def _scan_inbox_settings(self) -> None:
        from backlog_app.ui.documents.inbox import open_scan_inbox_settings

        changed = open_scan_inbox_settings(
            self, self.settings, self.profile.paths.root, self.messages
        )
        if changed and self.inbox is not None:
            self.inbox.start()

    # The packet and data export ---------------------------------------------------------------

    def export_packet(self, case_id: int | None = None) -> None:
        """File → Export Packet… (Ctrl+E): the packet window (``ui.packet.opening``)."""
        from backlog_app.ui.packet.opening import open_from_window

        open_from_window(self, case_id)

    def export_data(self) -> None:
        """Export records and documents: NAME.json with a NAME.files folder, or one NAME.zip."""
        from backlog_app.services.interchange import ExportResult, export_to_file

        profile = self.profile
        suggested = str(Path.home() / f"backlog-data-{profile.clock().isoformat()}.json")
        json_filter = "BackLog data, documents in a folder beside it (*.json)"
        zip_filter = "BackLog data and documents in one zip file (*.zip)"
        chosen, selected = QFileDialog.getSaveFileName(
            self, "Export all data", suggested, f"{json_filter};;{zip_filter}"
        )
        if not chosen:
            return
        target = Path(chosen)
        if target.suffix.lower() not in (".json", ".zip"):
            target = target.with_name(target.name + (".zip" if selected == zip_filter else ".json"))

        def job(progress: Progress) -> ExportResult:
            return export_to_file(profile, target, progress)

        self.jobs.run(
            "Exporting your data…", job, lambda result: self.show_status(f"{result.describe()}.")
        )

    # Errors ----------------------------------------------------------------------------------

    def _show_user_error(self, error: UserError) -> None:
        self.messages.problem(APP_NAME, error.message)

    def _show_bug(self, error: BaseException) -> None:
        log.error("unexpected error in a background job", exc_info=error)
        log_file = current_log_file()
        self.messages.apology(str(log_file) if log_file else None)

    # Window state ----------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = self.settings.settings.window_geometry
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode()))
        else:
            self.resize(1180, 760)

    def save_window_state(self) -> None:
        changes: dict[str, object] = {
            "window_geometry": bytes(self.saveGeometry().toBase64().data()).decode()
        }
        if self.view is not None:
            changes["last_page"] = self.view.current_page()
        self.settings.update(**changes)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.may_leave_profile():
            event.ignore()
            return
        self.due_reminder.detach()
        self._detach_documents()
        self.jobs.wait_for_all()
        self.about_to_close.emit()
        self.save_window_state()
        if self.view is not None:
            self.view.detach()
        super().closeEvent(event)


def _open_folder(folder: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
