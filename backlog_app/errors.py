"""Errors a user can fix (shown as one plain sentence), as opposed to bugs (logged with a traceback)."""

from __future__ import annotations

from collections.abc import Sequence


class UserError(Exception):
    """A problem the user can understand and fix; its message is shown as is.

    Args:
        message: one or two plain sentences: what happened and what to do.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(UserError):
    """Input that breaks a rule; nothing was written.

    Args:
        problems: one plain sentence per broken rule, in the order of the form's fields.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


class ConfirmationNeeded(UserError):  # noqa: N818 - it is a question, not an error
    """The record looks wrong but may be right: ask the user, then save again, confirmed.

    Args:
        warnings: one plain sentence per doubt; nothing was written.
    """

    def __init__(self, warnings: Sequence[str]) -> None:
        self.warnings = list(warnings)
        super().__init__(" ".join(self.warnings))


class ProfileError(UserError):
    """The profile folder cannot be used (not a folder, not writable, in use elsewhere)."""


class ProfileLockedError(ProfileError):
    """Another BackLog process has this profile open."""


class DatabaseError(UserError):
    """The database file cannot be opened safely (damaged, or made by a newer BackLog)."""


class NewerDatabaseError(DatabaseError):
    """The database was written by a newer BackLog; it is left untouched."""


class DamagedDatabaseError(DatabaseError):
    """SQLite reported damage (quick_check failed or the file is not a database)."""


class PassphraseNeededError(ProfileError):
    """The profile is encrypted: it opens only with its passphrase (``storage.encryption.unlock``)."""


class WrongPassphraseError(UserError):
    """The passphrase does not unlock this profile or backup; nothing was changed."""


class EncryptionUnavailableError(UserError):
    """This installation has no SQLCipher (``sqlcipher3``), so encrypted profiles cannot open."""


class BackupError(UserError):
    """A backup could not be written, read or restored; the message says which file and why."""


class BackupDamagedError(BackupError):
    """Some files in a backup do not match their recorded SHA-256.

    Args:
        message: the plain sentence to show.
        damaged: the archive names of the damaged or missing files, in manifest order.
    """

    def __init__(self, message: str, damaged: Sequence[str]) -> None:
        super().__init__(message)
        self.damaged = list(damaged)


class DataFileError(UserError):
    """A data file for ``backlog data import`` is not one we can read."""


class Cancelled(Exception):  # noqa: N818 - reads better at the call site than "CancelledError"
    """A background job stopped because the user pressed Cancel; nothing was written."""
