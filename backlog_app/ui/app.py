"""Assembles the GUI in order: settings → Qt application → main window → profile (in the background).

Only Qt and light modules load before the window shows; the database layer (SQLAlchemy, Alembic)
loads on a worker thread while the window already says "Opening your records…".
``AppController`` owns the open profile and switches between profiles. How a profile opens lives
in ``ui.security.opening``: a profile protected with a passphrase is unlocked first; a damaged
database leads to the offer to restore the latest good backup (``ui.backup.restore_offer``).
Closing or switching away from a profile makes the automatic backup first (``ui.backup.closing``).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from backlog_app import APP_NAME, __version__
from backlog_app.errors import Cancelled, UserError
from backlog_app.logging_setup import current_log_file
from backlog_app.services.progress import Progress
from backlog_app.settings import SettingsStore
from backlog_app.storage.profile import ProfilePaths, default_profile_dir
from backlog_app.ui.crash import install_excepthook, route_qt_messages
from backlog_app.ui.jobs import JobHandle, JobRunner
from backlog_app.ui.main_window import MainWindow
from backlog_app.ui.messages import Messages
from backlog_app.ui.resources import app_icon
from backlog_app.ui.security import opening
from backlog_app.ui.security.locking import SessionLock
from backlog_app.ui.security.opening import closing_backup, unlock_folder
from backlog_app.ui.style import apply_style

if TYPE_CHECKING:
    from backlog_app.services.context import ProfileSession
    from backlog_app.storage.crypto import ProfileKey
    from backlog_app.ui.welcome import WelcomeResult

log = logging.getLogger("backlog.ui")

# Shown only if closing (sealing the database) takes more than a moment.
CLOSING_TITLE = "Closing your records…"


def demo_profile_dir() -> Path:
    return default_profile_dir().parent / "demo"


class AppController:
    """Opens profiles and shows them in the one main window.

    Args:
        settings: the app settings (last profile, window geometry).
        messages_factory: makes the dialog service for each window (tests pass a recorder).
    """

    def __init__(
        self, settings: SettingsStore, messages_factory: Callable[[], Messages] = Messages
    ) -> None:
        self.settings = settings
        self.messages_factory = messages_factory
        self.messages = messages_factory()
        self.jobs = JobRunner(None, self._user_error, self._bug)
        self.session: ProfileSession | None = None
        self.window: MainWindow | None = None
        self.lock = SessionLock(self)
        self._backed_up_at_close = False  # the window's close made this profile's backup

    # Start-up --------------------------------------------------------------------------------

    def start(self, explicit_profile: Path | None) -> bool:
        """Show the window and start opening the chosen, last or default profile.

        Without any profile to open, the welcome dialog asks what to do.

        Returns:
            True when the main window is showing; False when the user gave up.
        """
        if explicit_profile is not None and not ProfilePaths(explicit_profile).has_database():
            return self.welcome(default_folder=explicit_profile)
        candidates = (
            [explicit_profile] if explicit_profile else opening.remembered_profiles(self.settings)
        )
        if not candidates:
            return self.welcome(default_folder=default_profile_dir())
        window = self._ensure_window()
        window.show()
        # Start loading once the event loop runs, so the window's first frame is not slowed by
        # the worker importing the database layer.
        QTimer.singleShot(0, lambda: opening.open_first(self, candidates))
        return True

    def welcome(self, default_folder: Path, *, new_profile: bool = False) -> bool:
        """Show the welcome dialog until a profile opens or the user closes it."""
        from backlog_app.ui.welcome import WelcomeDialog

        while True:
            dialog = WelcomeDialog(
                default_folder,
                demo_profile_dir(),
                self.window,
                title="New profile" if new_profile else "Welcome to BackLog",
                start_with_form=new_profile,
            )
            dialog.setWindowIcon(app_icon())
            if not dialog.exec() or dialog.result_value is None:
                return False
            if self._act_on(dialog.result_value):
                return True

    def _act_on(self, result: WelcomeResult) -> bool:
        from backlog_app.services.onboarding import create_profile, ensure_demo_profile
        from backlog_app.ui.welcome import WelcomeChoice

        key: ProfileKey | None = None
        try:
            if result.choice is WelcomeChoice.CREATE:
                assert result.patient is not None
                patient, plan, passphrase = result.patient, result.plan, result.passphrase

                def create(progress: Progress) -> ProfileKey | None:
                    create_profile(result.folder, patient, plan, progress, passphrase=passphrase)
                    return unlock_folder(result.folder, passphrase) if passphrase else None

                key = self.jobs.run_and_wait("Creating your profile…", create)
            elif result.choice is WelcomeChoice.DEMO:
                self.jobs.run_and_wait(
                    "Creating the demo profile…",
                    lambda progress: ensure_demo_profile(result.folder, progress),
                )
        except Cancelled:
            return False
        except UserError as exc:
            self._user_error(exc)
            return False
        return self.open_folder(result.folder, key)

    # Switching profiles ------------------------------------------------------------------------

    def open_folder(self, folder: Path, key: ProfileKey | None = None) -> bool:
        """Open the profile in ``folder`` and show it; on failure say why and keep what is open.

        A profile protected with a passphrase asks for it (unless ``key`` is given); a damaged
        database leads to the offer to restore the latest good backup.
        """
        return opening.open_folder(self, folder, key)

    def _ensure_window(self) -> MainWindow:
        if self.window is None:
            window = MainWindow(self.settings, self.messages_factory())
            window.setWindowIcon(app_icon())
            window.new_profile_requested.connect(self._new_profile)
            window.open_profile_requested.connect(self._open_requested)
            window.import_requested.connect(self._import_into_new_profile)
            window.lock_requested.connect(self.lock.lock_now)
            window.protect_requested.connect(self._protect)
            window.change_passphrase_requested.connect(self._change_passphrase)
            # The window is closing for good, with the profile still open: back it up now
            # (from aboutToQuit, Qt would refuse the backup's progress window its event loop).
            window.about_to_close.connect(self._backup_before_quitting)
            self.window = window
        return self.window

    def show_session(self, session: ProfileSession) -> None:
        """Show the freshly opened ``session`` (closing the profile open before, backed up)."""
        window = self._ensure_window()
        self.lock.stop_watching()
        window.detach_profile()
        self._close_session(backup=True)
        self.session = session
        window.attach_profile(session)
        self.lock.profile_shown(session)
        self.settings.remember_profile(session.paths.root)
        if session.upgrade_backup is not None:
            window.show_status(
                "Your records were updated for this version of BackLog; a copy from before "
                f"is kept in {session.upgrade_backup.parent}."
            )
        window.show()

    def _new_profile(self) -> None:
        suggested = default_profile_dir().parent / "new-profile"
        self.welcome(default_folder=suggested, new_profile=True)

    def _open_requested(self, folder: Path | None) -> None:
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self.window, "Open a BackLog profile folder")
            if not chosen:
                return
            folder = Path(chosen)
        self.open_folder(folder)

    def _import_into_new_profile(self) -> None:
        from backlog_app.services.interchange import data_files_for, import_data, read_data_file
        from backlog_app.services.onboarding import new_profile

        chosen, _ = QFileDialog.getOpenFileName(
            self.window,
            "Import a BackLog data file",
            str(Path.home()),
            "BackLog data (*.json *.zip)",
        )
        if not chosen:
            return
        folder = QFileDialog.getExistingDirectory(
            self.window, "Choose an empty folder for the imported profile"
        )
        if not folder:
            return
        source, target = Path(chosen), Path(folder)

        def job(progress: Progress) -> Path:
            document = read_data_file(source)
            # The documents' files: in the zip, or in the NAME.files folder beside NAME.json.
            with new_profile(target) as profile:
                import_data(profile, document, progress, files=data_files_for(source))
            return target

        try:
            self.jobs.run_and_wait("Importing your data…", job)
        except Cancelled:
            return
        except UserError as exc:
            self._user_error(exc)
            return
        self.open_folder(target)

    # Shutdown ----------------------------------------------------------------------------------

    def shutdown(self) -> None:
        self.jobs.wait_for_all()
        self.lock.stop_watching()
        if self.window is not None:
            self.window.jobs.wait_for_all()
        self._close_session(backup=True, quitting=True)

    def _backup_before_quitting(self) -> None:
        if self.session is not None and not self._backed_up_at_close:
            self._backed_up_at_close = True
            closing_backup(self.window, self.session, self.settings)

    def _close_session(self, *, backup: bool, quitting: bool = False) -> None:
        """Close the open profile (its pages are detached already), after the automatic
        backup when ``backup``.

        Closing seals the database (a hash of the whole file), so it runs on a worker thread.
        When ``quitting`` (from ``aboutToQuit`` Qt may refuse a new event loop, and the window
        is gone anyway) it runs here.
        """
        session, self.session = self.session, None
        if session is None:
            return
        _let_closed_windows_finish()
        if backup and not self._backed_up_at_close:
            closing_backup(self.window, session, self.settings)
        self._backed_up_at_close = False
        if quitting:
            session.close()
        else:
            self._close_in_background(session)

    def _close_in_background(self, session: ProfileSession) -> None:
        """Close ``session`` on a worker (not cancellable); return once it is closed.

        Raises:
            whatever closing raised, on the GUI thread.
        """
        errors: list[BaseException] = []
        handle = self.jobs.run(
            CLOSING_TITLE,
            lambda _progress: session.close(),
            cancellable=False,
            raise_errors=errors.append,
        )
        _wait_for(handle)
        if errors:
            raise errors[0]

    # Passphrases and the lock ---------------------------------------------------------------------

    def close_for_lock(self) -> None:
        """The lock's last step: the pages go, the profile closes, its key with it."""
        if self.window is not None:
            self.window.detach_profile()
        self._close_session(backup=False)

    def reopen_after_unlock(self, folder: Path, key: ProfileKey | None, page: str | None) -> bool:
        """Open ``folder`` (with ``key`` when protected) on ``page``: unlocking, or after
        protecting it."""
        return opening.reopen(self, folder, key, page)

    def _protect(self) -> None:
        from backlog_app.ui.security.flows import protect_open_profile

        protect_open_profile(self)

    def _change_passphrase(self) -> None:
        from backlog_app.ui.security.flows import change_passphrase_of_open_profile

        change_passphrase_of_open_profile(self)

    def current_messages(self) -> Messages:
        return self.window.messages if self.window is not None else self.messages

    def report_error(self, error: BaseException) -> None:
        """A plain message for a UserError; the apology (and the log) for anything else."""
        if isinstance(error, UserError):
            self._user_error(error)
        else:
            self._bug(error)

    def _user_error(self, error: UserError) -> None:
        self.current_messages().problem(APP_NAME, error.message)

    def _bug(self, error: BaseException) -> None:
        log.error("unexpected error", exc_info=error)
        log_file = current_log_file()
        self.current_messages().apology(str(log_file) if log_file else None)


class GuiApp:
    """The running GUI: the QApplication, the controller and the main window."""

    def __init__(self, app: QApplication, controller: AppController) -> None:
        self.app = app
        self.controller = controller

    @property
    def main_window(self) -> MainWindow | None:
        return self.controller.window

    def is_ready(self) -> bool:
        """True once a profile's pages are showing."""
        return self.controller.session is not None

    def close(self) -> None:
        if self.controller.window is not None:
            self.controller.window.close()
        self.controller.shutdown()


def make_qapplication() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName("backlog")
    app.setWindowIcon(app_icon())
    apply_style(app)
    return app


def build_gui(profile_dir: Path | None, *, install_hooks: bool = True) -> GuiApp | None:
    """Create the application and show the main window for ``profile_dir`` (or the usual one).

    The window is shown when this returns; the profile finishes opening in the background
    (``GuiApp.is_ready()``, ``MainWindow.profile_attached``).

    Args:
        profile_dir: the folder from ``--profile``/``BACKLOG_PROFILE``; None means the last one.
        install_hooks: route Qt messages and uncaught exceptions to the log (off under pytest-qt).

    Returns:
        The running GUI, or None when the user closed the welcome dialog without a profile.
    """
    app = make_qapplication()
    settings = SettingsStore()
    controller = AppController(settings)
    if install_hooks:
        route_qt_messages()
        install_excepthook(controller.current_messages)
    app.aboutToQuit.connect(controller.shutdown)
    if not controller.start(profile_dir):
        controller.shutdown()
        return None
    return GuiApp(app, controller)


def run_gui(profile_dir: Path | None) -> int:
    """``backlog`` with no command: run the window until the user quits."""
    gui = build_gui(profile_dir)
    if gui is None:
        return 0
    return int(gui.app.exec())


def _wait_for(handle: JobHandle) -> None:
    """Wait for a job in a local event loop, so the window keeps painting.

    Should Qt refuse the loop (the application is quitting), the events are handled by hand
    until the job ends, as in ``ui.backup.closing``.
    """
    if handle.done:
        return
    loop = QEventLoop()
    handle.finished.connect(loop.quit)
    loop.exec()
    while not handle.done:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)


def _let_closed_windows_finish(timeout_seconds: float = 5.0) -> None:
    """A closed packet window's cancelled preview may still be reading the profile for a moment
    (it stops at its next step): let it end before the profile closes under it."""
    from backlog_app.ui.packet.lingering import lingering

    deadline = time.monotonic() + timeout_seconds
    while lingering() and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
