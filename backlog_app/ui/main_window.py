"""The main window: navigation on the left, one page at a time, menus, status bar."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from backlog_app import APP_NAME, __version__
from backlog_app.errors import UserError
from backlog_app.logging_setup import current_log_file
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession
from backlog_app.services.home import home_summary
from backlog_app.services.interchange import export_data, write_data_file
from backlog_app.services.progress import Progress
from backlog_app.settings import SettingsStore
from backlog_app.ui.jobs import JobRunner
from backlog_app.ui.messages import Messages
from backlog_app.ui.pages.home import HomePage
from backlog_app.ui.pages.profile_page import ProfilePage
from backlog_app.ui.pages.providers_page import ProvidersPage
from backlog_app.ui.resources import icon
from backlog_app.ui.signals import DataChanges

log = logging.getLogger("backlog.ui")

PAGE_HOME = "home"
PAGE_PROFILE = "profile"
PAGE_PROVIDERS = "providers"


class MainWindow(QMainWindow):
    """One open profile. Asks the app (via signals) to switch profiles; never opens one itself."""

    new_profile_requested = Signal()
    open_profile_requested = Signal(object)  # a Path, or None to ask for a folder
    import_requested = Signal()

    def __init__(
        self,
        profile: ProfileSession,
        settings: SettingsStore,
        messages: Messages | None = None,
    ) -> None:
        super().__init__()
        self.profile = profile
        self.settings = settings
        self.messages = messages or Messages(self)
        if self.messages.parent is None:
            self.messages.parent = self
        self.jobs = JobRunner(self, self._show_user_error, self._show_bug)
        self.changes = DataChanges(profile.changes, self)
        self.setWindowTitle(f"{APP_NAME} — {profile.paths.root.name}")
        self.setMinimumSize(QSize(900, 600))

        self.home_page = HomePage()
        self.profile_page = ProfilePage(profile, self.messages, self.show_status)
        self.providers_page = ProvidersPage(profile, self.messages, self.show_status)
        self.pages: dict[str, QWidget] = {
            PAGE_HOME: self.home_page,
            PAGE_PROFILE: self.profile_page,
            PAGE_PROVIDERS: self.providers_page,
        }
        self.stack = QStackedWidget()
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName("Sections")
        self.navigation.setIconSize(QSize(22, 22))
        self.navigation.setFixedWidth(250)
        titles = {PAGE_HOME: "Home", PAGE_PROFILE: "Profile & Insurance",
                  PAGE_PROVIDERS: "Providers"}
        for key, page in self.pages.items():
            item = QListWidgetItem(icon(key), titles[key])
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(0, 40))
            self.navigation.addItem(item)
            self.stack.addWidget(page)
        self.navigation.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.home_page.navigate.connect(self.show_page)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.profile_label = QLabel(f"Profile: {profile.paths.root}")
        self.profile_label.setObjectName("muted")
        self.statusBar().addPermanentWidget(self.profile_label)
        self._build_menus()

        self.changes.changed.connect(self._on_data_changed)
        self.refresh_home()
        self._restore_window_state()

    # Pages ---------------------------------------------------------------------------------

    def show_page(self, key: str) -> None:
        keys = list(self.pages)
        if key in keys:
            self.navigation.setCurrentRow(keys.index(key))

    def current_page(self) -> str:
        return list(self.pages)[self.stack.currentIndex()]

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    def refresh_home(self) -> None:
        self.home_page.show_summary(home_summary(self.profile))

    def _on_data_changed(self, changes: frozenset[Change]) -> None:
        if Change.PLANS in changes:
            self.profile_page.reload_plans()
        if Change.PROVIDERS in changes:
            self.providers_page.reload()
        if Change.PATIENT in changes and not self.profile_page.patient_is_modified():
            self.profile_page.reload_patient()
        self.refresh_home()

    # Menus ---------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&New Profile…", self.new_profile_requested.emit,
                     QKeySequence.StandardKey.New)
        self._action(file_menu, "&Open Profile…", lambda: self.open_profile_requested.emit(None),
                     QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        self._action(file_menu, "&Export All Data…", self.export_data, "Ctrl+E")
        self._action(file_menu, "&Import Data into a New Profile…", self.import_requested.emit)
        file_menu.addSeparator()
        self._action(file_menu, "Show Profile &Folder", lambda: _open_folder(self.profile.paths.root))
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        edit_menu = self.menuBar().addMenu("&Edit")
        self._action(edit_menu, "Edit &Patient Details", self._edit_patient, "Ctrl+Shift+E")
        self._action(edit_menu, "Add Insurance P&lan…", self._add_plan, "Ctrl+Shift+L")
        self._action(edit_menu, "Add Pro&vider…", self._add_provider, "Ctrl+Shift+V")

        view_menu = self.menuBar().addMenu("&View")
        for number, (key, title) in enumerate(
            ((PAGE_HOME, "&Home"), (PAGE_PROFILE, "Profile && &Insurance"),
             (PAGE_PROVIDERS, "P&roviders")), start=1
        ):
            self._action(
                view_menu, title, lambda _checked=False, k=key: self.show_page(k), f"Ctrl+{number}"
            )

        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "Open &Log Folder", lambda: _open_folder(self.profile.paths.logs))
        self._action(help_menu, f"&About {APP_NAME}", self._about)

    def _action(self, menu, text, slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        current = str(self.profile.paths.root)
        recent = [p for p in self.settings.settings.recent_profiles if p != current]
        if not recent:
            none = self.recent_menu.addAction("No other profiles yet")
            none.setEnabled(False)
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.open_profile_requested.emit(Path(p)))

    def _edit_patient(self) -> None:
        self.show_page(PAGE_PROFILE)
        self.profile_page.focus_patient()

    def _add_plan(self) -> None:
        self.show_page(PAGE_PROFILE)
        self.profile_page.add_plan()

    def _add_provider(self) -> None:
        self.show_page(PAGE_PROVIDERS)
        self.providers_page.add_provider()

    def _about(self) -> None:
        self.messages.info(
            f"About {APP_NAME}",
            f"{APP_NAME} {__version__}\n\nKeeps the records that get back-pain treatment covered "
            "by your insurer, on this computer only. BackLog makes no network connections.\n\n"
            f"Profile folder: {self.profile.paths.root}",
        )

    # Data export -----------------------------------------------------------------------------

    def export_data(self) -> None:
        suggested = str(Path.home() / f"backlog-data-{self.profile.clock().isoformat()}.json")
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export all data", suggested, "BackLog data (*.json)"
        )
        if not chosen:
            return
        target = Path(chosen)

        def job(progress: Progress) -> Path:
            write_data_file(target, export_data(self.profile, progress))
            return target

        self.jobs.run(
            "Exporting your data…", job, lambda path: self.show_status(f"Saved {path}.")
        )

    # Errors ----------------------------------------------------------------------------------

    def _show_user_error(self, error: UserError) -> None:
        self.messages.problem(APP_NAME, error.message)

    def _show_bug(self, error: BaseException) -> None:
        log.error("unexpected error in a background job", exc_info=error)
        log_file = current_log_file()
        self.messages.apology(str(log_file) if log_file else None)

    # Window state ----------------------------------------------------------------------------

    def _restore_window_state(self) -> None:
        settings = self.settings.settings
        if settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(settings.window_geometry.encode()))
        else:
            self.resize(1180, 760)
        self.show_page(settings.last_page or PAGE_HOME)

    def save_window_state(self) -> None:
        self.settings.update(
            window_geometry=bytes(self.saveGeometry().toBase64().data()).decode(),
            last_page=self.current_page(),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.profile_page.patient_is_modified() and not self._keep_patient_changes():
            event.ignore()
            return
        self.jobs.wait_for_all()
        self.save_window_state()
        self.changes.detach()
        super().closeEvent(event)

    def _keep_patient_changes(self) -> bool:
        """True when it is fine to close: changes saved or knowingly dropped."""
        if self.messages.confirm(
            "Unsaved patient details",
            "You changed the patient details but did not save them. Discard the changes?",
            "Discard changes",
        ):
            return True
        self.show_page(PAGE_PROFILE)
        return False


def _open_folder(folder: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
