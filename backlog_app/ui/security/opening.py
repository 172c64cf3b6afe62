"""Opening profiles for the app controller (``ui.app.AppController``, the ``OpeningHost``):

- at start-up, the remembered profiles in turn until one opens (else the welcome dialog);
- a folder the user chose (File → Open…, a new profile, a restored one);
- reopening after an unlock or after protecting the profile, on the page the user was on.

Each asks for the passphrase when the profile has one (or when opening says it needs one),
opens in the background with the key, and offers the latest good backup when the database is
damaged. Also the automatic backup at close, which must never keep a profile from closing.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QWidget

from backlog_app.errors import (
    Cancelled,
    DamagedDatabaseError,
    PassphraseNeededError,
    UserError,
)
from backlog_app.settings import SettingsStore
from backlog_app.storage.profile import ProfilePaths, default_profile_dir
from backlog_app.ui.jobs import JobRunner
from backlog_app.ui.messages import Messages
from backlog_app.ui.security.unlock import ask_for_key, is_protected

if TYPE_CHECKING:
    from backlog_app.services.context import ProfileSession
    from backlog_app.storage.crypto import ProfileKey
    from backlog_app.ui.main_window import MainWindow

log = logging.getLogger("backlog.ui")


class OpeningHost(Protocol):
    """What opening needs from the app (``AppController``)."""

    settings: SettingsStore
    window: MainWindow | None
    jobs: JobRunner
    session: ProfileSession | None

    def current_messages(self) -> Messages: ...

    def show_session(self, session: ProfileSession) -> None: ...

    def welcome(self, default_folder: Path, *, new_profile: bool = False) -> bool: ...

    def report_error(self, error: BaseException) -> None: ...


def remembered_profiles(settings: SettingsStore) -> list[Path]:
    """The last profile and the default one, those that exist, to try at start-up."""
    candidates = []
    last = settings.settings.last_profile
    if last and ProfilePaths(Path(last)).has_database():
        candidates.append(Path(last))
    default = default_profile_dir()
    if ProfilePaths(default).has_database() and default not in candidates:
        candidates.append(default)
    return candidates


def open_first(host: OpeningHost, candidates: list[Path], key: ProfileKey | None = None) -> None:
    """Start-up: try each folder in turn; when none opens, say why and show the welcome dialog
    (closing the window when the user closes that too).

    A folder protected with a passphrase asks for it first (Cancel moves on to the next).
    """
    folder, rest = candidates[0], candidates[1:]

    def give_up() -> None:
        if rest:
            open_first(host, rest)
        elif host.session is None and not host.welcome(default_profile_dir()):
            assert host.window is not None
            host.window.close()

    if key is None and is_protected(folder):
        key = ask_for_key(host.window, folder, host.jobs)
        if key is None:
            give_up()
            return

    def failed(error: BaseException) -> None:
        if isinstance(error, PassphraseNeededError) and key is None:
            asked = ask_for_key(host.window, folder, host.jobs)
            if asked is not None:
                open_first(host, [folder, *rest], asked)
                return
        elif isinstance(error, DamagedDatabaseError):
            restored = offer_restore(host.window, folder, host.settings, host.current_messages())
            if restored is not None:
                open_first(host, [restored, *rest])
                return
        else:
            host.report_error(error)
        give_up()

    host.jobs.run(
        "Opening your records…",
        lambda _progress: open_existing(folder, key),
        host.show_session,
        cancellable=False,
        raise_errors=failed,
    )


def open_folder(host: OpeningHost, folder: Path, key: ProfileKey | None = None) -> bool:
    """Open the profile in ``folder`` and show it; on failure say why and keep what is open.

    A profile protected with a passphrase asks for it (unless ``key`` is given); a damaged
    database leads to the offer to restore the latest good backup.
    """
    if host.session is not None and host.session.paths.root == folder.absolute():
        if host.window is not None:
            host.window.raise_()
        return True
    if host.window is not None and not host.window.may_leave_profile():
        return False
    try:
        session = open_with_passphrase(host.window, host.jobs, folder, key)
    except Cancelled:
        return False
    except DamagedDatabaseError:
        restored = offer_restore(host.window, folder, host.settings, host.current_messages())
        return restored is not None and open_folder(host, restored)
    except UserError as exc:
        host.report_error(exc)
        return False
    host.show_session(session)
    return True


def reopen(host: OpeningHost, folder: Path, key: ProfileKey | None, page: str | None) -> bool:
    """Open ``folder`` (with ``key`` when protected) on ``page``: unlocking, or after
    protecting it."""
    try:
        session = host.jobs.run_and_wait(
            "Opening your records…", lambda _progress: open_existing(folder, key)
        )
    except Cancelled:
        return False
    except UserError as exc:
        host.report_error(exc)
        return False
    host.show_session(session)
    if page is not None and host.window is not None:
        host.window.show_page(page)
    return True


def open_existing(folder: Path, key: ProfileKey | None = None) -> ProfileSession:
    """Open the profile in ``folder`` (slow: run it as a job)."""
    from backlog_app.services.context import open_profile

    return open_profile(folder, create=False, key=key)


def unlock_folder(folder: Path, passphrase: str) -> ProfileKey:
    """The key of the protected profile in ``folder`` (slow: Argon2; run it as a job)."""
    from backlog_app.storage.encryption import unlock

    return unlock(ProfilePaths(folder), passphrase)


def open_with_passphrase(
    parent: QWidget | None, jobs: JobRunner, folder: Path, key: ProfileKey | None
) -> ProfileSession:
    """Open ``folder`` in the background, first asking for its passphrase when it has one.

    Raises:
        Cancelled: the user cancelled the passphrase (or the opening).
        UserError: it cannot be opened (said in the message).
    """
    if key is None and is_protected(folder):
        key = ask_for_key(parent, folder, jobs)
        if key is None:
            raise Cancelled()
    try:
        session: ProfileSession = jobs.run_and_wait(
            "Opening the profile…", lambda _progress: open_existing(folder, key)
        )
    except PassphraseNeededError:
        # Protected after all (the passphrase file appeared meanwhile): ask once.
        if key is not None:
            raise
        key = ask_for_key(parent, folder, jobs)
        if key is None:
            raise Cancelled() from None
        session = jobs.run_and_wait(
            "Opening the profile…", lambda _progress: open_existing(folder, key)
        )
    return session


def offer_restore(
    parent: QWidget | None, folder: Path, settings: SettingsStore, messages: Messages
) -> Path | None:
    """The database in ``folder`` is damaged: offer the latest good backup (``ui.backup``).

    Returns the restored profile's folder to open, or None (it said why, or the user declined).
    """
    from backlog_app.ui.backup.restore_offer import offer_restore_after_damage

    return offer_restore_after_damage(parent, ProfilePaths(folder), settings, messages)


def closing_backup(
    parent: QWidget | None, session: ProfileSession, settings: SettingsStore
) -> None:
    """The automatic backup as a profile closes; a failure here never keeps it from closing."""
    try:
        from backlog_app.ui.backup.closing import run_closing_backup

        run_closing_backup(parent, session, settings)
    except Exception:
        log.error("the automatic backup at close failed", exc_info=True)
