"""The plain words the passphrase dialogs use, in one place so every dialog says the same thing.

Patients read these when tired and in pain: short sentences, no jargon, the risk said plainly.
"""

from __future__ import annotations

PROTECTS = (
    "Someone who gets your computer, its drive, or one of your backup files cannot read your "
    "records or documents without the passphrase."
)
DOES_NOT_PROTECT = (
    "If you forget the passphrase, nobody — not even the people who make BackLog — can get your "
    "records back. Write it down and keep it somewhere safe."
)
UNLOCKED_COMPUTER = (
    "It does not protect you from someone using your computer while BackLog is open and "
    "unlocked. Also turn on your computer's own disk encryption (BitLocker, FileVault, or your "
    "Linux system's disk encryption)."
)
UNDERSTAND = "I understand that a lost passphrase means lost records"
OLD_BACKUPS = (
    "Backups made before the change still open with the old passphrase only; backups made from "
    "now on use the new one."
)
PASSPHRASE_HINT = "A few words you will remember, at least 8 characters."
CAPS_LOCK_ON = "Caps Lock seems to be on."
MISMATCH = "The two passphrases are not the same. Type the new one again in both boxes."
NEED_UNDERSTAND = (
    "Please tick the box to show you understand that a lost passphrase means lost records."
)
LOCKED_TITLE = "BackLog is locked"
LOCKED_TEXT = (
    "Your records are hidden to keep them private. Enter your passphrase to see them again."
)
LOCK_WAITING = "Finishing the work in progress, then locking…"
