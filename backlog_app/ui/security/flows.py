"""The two passphrase actions on an open profile, run for the app controller:

- File → Protect with a Passphrase…: the dialog, then the profile closes (its workers finish as
  on a switch), ``encrypt_profile`` converts it in the background with progress, and it opens
  again with the new key on the same page. Cancel works while the records are being checked;
  once the first file is rewritten the conversion always runs to the end (``encrypt_profile``
  ignores Cancel from there: a half-protected profile would surprise its owner), though a
  crash midway is finished at the next open. Once it reopens, a new, checked, protected backup
  is made in the profile's backups folder straight away, and only then are the plain backups
  there deleted (they would still show the records); when no new backup could be made they are
  kept. The final message says which, and warns about plain copies in the second backup folder,
  which BackLog leaves alone.
- File → Change Passphrase…: the dialog changes it in the background; the profile stays open.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from backlog_app import APP_NAME
from backlog_app.errors import Cancelled, UserError
from backlog_app.services.progress import Progress
from backlog_app.settings import SettingsStore
from backlog_app.storage.profile import ProfilePaths
from backlog_app.ui.jobs import JobRunner
from backlog_app.ui.messages import Messages
from backlog_app.ui.security import wording
from backlog_app.ui.security.change_dialog import ChangePassphraseDialog, changer_for
from backlog_app.ui.security.locking import SessionLock, is_encrypted_session
from backlog_app.ui.security.protect_dialog import ProtectDialog
from backlog_app.ui.security.unlock import is_protected

if TYPE_CHECKING:
    from backlog_app.services.context import ProfileSession
    from backlog_app.storage.crypto import ProfileKey
    from backlog_app.ui.main_window import MainWindow

log = logging.getLogger("backlog.ui.security")

PROTECTED = (
    "Your records are now protected with your passphrase. BackLog will ask for it each time "
    "it opens them. Keep the passphrase written down somewhere safe."
)
NEW_BACKUP = "A new protected backup was made and checked in {folder}."
PLAIN_REMOVED = "The old, unprotected backups there ({count}) were deleted."
PLAIN_NOT_REMOVED = (
    "The old, unprotected backups there could not all be deleted: please delete them by hand."
)
KEPT_UNTIL_BACKUP = (
    "Your old, unprotected backups in {folder} were kept because no new backup could be made; "
    "make one with File → Back Up Now…, then delete the older backups there by hand."
)
NO_NEW_BACKUP = "BackLog could not make a protected backup just now: {reason} " + KEPT_UNTIL_BACKUP
BACKUP_SKIPPED = "No protected backup was made. " + KEPT_UNTIL_BACKUP
PLAIN_COPIES = (
    "Backups copied earlier to {folder} are not protected: anyone who gets them can read your "
    "records. Delete them by hand once you no longer need them."
)
CHANGED = "Your passphrase is changed. " + wording.OLD_BACKUPS


class FlowHost(Protocol):
    """What these flows need from the app (``AppController``)."""

    window: MainWindow | None
    session: ProfileSession | None
    jobs: JobRunner
    lock: SessionLock
    settings: SettingsStore

    def current_messages(self) -> Messages: ...

    def close_for_lock(self) -> None: ...

    def reopen_after_unlock(
        self, folder: Path, key: ProfileKey | None, page: str | None
    ) -> bool: ...


def protect_open_profile(host: FlowHost) -> None:
    """Protect the open (plain) profile with a new passphrase; it reopens when done."""
    window, session = host.window, host.session
    if window is None or session is None or is_encrypted_session(session):
        return
    dialog = ProtectDialog(window)
    accepted = dialog.exec()
    passphrase = dialog.passphrase()
    dialog.deleteLater()
    if not accepted or not window.may_leave_profile():
        return
    folder, page = session.paths.root, window.current_page()
    host.lock.stop_watching()
    host.close_for_lock()  # detach, let the workers end, close: the same as for a lock

    def encrypt(progress: Progress) -> ProfileKey:
        from backlog_app.storage.encryption import encrypt_profile

        return encrypt_profile(ProfilePaths(folder), passphrase, progress)

    key: ProfileKey | None = None
    started = dt.datetime.now()  # backups copied elsewhere before this hold plain records
    try:
        key = host.jobs.run_and_wait("Protecting your records with your passphrase…", encrypt)
    except Cancelled:
        log.info("protecting the profile was cancelled before it started")
    except UserError as exc:
        host.current_messages().problem(APP_NAME, exc.message)
    except Exception:
        log.error("protecting the profile failed", exc_info=True)
        host.current_messages().problem(
            APP_NAME,
            "BackLog could not finish protecting your records because of a problem it did not "
            "expect. Nothing is lost; it will finish the next time you open the profile.",
        )
    reopened = _reopen(host, folder, passphrase, key, page)
    if reopened and key is not None:
        backups = ProfilePaths(folder).backups
        news = [PROTECTED, _make_protected_backup(host, backups), _plain_copies_note(host, started)]
        host.current_messages().info("Records protected", "\n\n".join(filter(None, news)))


def _make_protected_backup(host: FlowHost, folder: Path) -> str:
    """Back up the reopened (now protected) profile into its backups ``folder``, in the
    background with progress, then delete the plain backups there (only then: until a new
    backup exists they are the only ones); what happened, in sentences for the final message."""
    from backlog_app.services.backups import create_backup
    from backlog_app.storage.encryption import remove_plain_backups

    session = host.session
    if session is None:
        return BACKUP_SKIPPED.format(folder=folder)
    try:
        host.jobs.run_and_wait(
            "Making a protected backup…",
            lambda progress: create_backup(session, folder, progress),
        )
    except Cancelled:
        return BACKUP_SKIPPED.format(folder=folder)
    except UserError as exc:
        return NO_NEW_BACKUP.format(reason=exc.message, folder=folder)
    except Exception:
        log.error("the backup after protecting the profile failed", exc_info=True)
        return NO_NEW_BACKUP.format(reason="it met a problem it did not expect.", folder=folder)
    made = NEW_BACKUP.format(folder=folder)
    try:
        removed = remove_plain_backups(folder)  # a few files: quick enough for the GUI thread
    except OSError:
        log.error("deleting the plain backups after protecting failed", exc_info=True)
        return f"{made} {PLAIN_NOT_REMOVED}"
    return f"{made} {PLAIN_REMOVED.format(count=removed)}" if removed else made


def _plain_copies_note(host: FlowHost, protected_at: dt.datetime) -> str | None:
    """The warning about backups copied to the second backup folder before the profile was
    protected (BackLog does not delete files outside the profile)."""
    from backlog_app.services.backups import list_backups

    copy_folder = host.settings.settings.backup_copy_folder
    if not copy_folder:
        return None
    folder = Path(copy_folder).expanduser()
    older = [item for item in list_backups([folder]) if item.created < protected_at]
    return PLAIN_COPIES.format(folder=folder) if older else None


def _reopen(
    host: FlowHost, folder: Path, passphrase: str, key: ProfileKey | None, page: str | None
) -> bool:
    """Open the profile again: with ``key``, or, when the conversion stopped after writing the
    passphrase file, with the key from the passphrase (the rest finishes as it opens)."""
    if key is None and is_protected(folder):

        def unlock(_progress: Progress) -> ProfileKey:
            from backlog_app.storage.encryption import unlock

            return unlock(ProfilePaths(folder), passphrase)

        try:
            key = host.jobs.run_and_wait("Opening your records…", unlock)
        except (Cancelled, UserError) as exc:
            log.info("reopening after protecting failed: %s", exc.__class__.__name__)
            return False
    return host.reopen_after_unlock(folder, key, page)


def change_passphrase_of_open_profile(host: FlowHost) -> None:
    """Ask for the old and the new passphrase and change it; the profile stays open."""
    window, session = host.window, host.session
    if window is None or session is None or not is_encrypted_session(session):
        return
    dialog = ChangePassphraseDialog(changer_for(session.paths.root), host.jobs, window)
    accepted = dialog.exec()
    dialog.deleteLater()
    if accepted:
        host.current_messages().info("Passphrase changed", CHANGED)
