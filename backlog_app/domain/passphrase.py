"""How strong a new passphrase must be to protect health records: a plain reason when it is not.

Pure rules (no Qt, no database), so the welcome dialog can check as the user types without
loading the storage layer.
"""

from __future__ import annotations

import itertools

MIN_PASSPHRASE_CHARACTERS = 8
_COMMON_WORDS = (
    "password password1 passw0rd 12345678 123456789 1234567890 87654321 qwertyui qwertyuiop "
    "iloveyou abcdefgh letmein1 backlog1 backpain sunshine football baseball princess welcome1 "
    "trustno1"
)
_COMMON_PASSPHRASES = frozenset(_COMMON_WORDS.split())


def check_passphrase_strength(passphrase: str) -> str | None:
    """A plain reason when ``passphrase`` is too weak to protect health records, else None."""
    text = passphrase.strip()
    if len(text) < MIN_PASSPHRASE_CHARACTERS:
        return (
            f"A passphrase needs at least {MIN_PASSPHRASE_CHARACTERS} characters. "
            "Three or four unrelated words are easy to remember and hard to guess."
        )
    if len(set(text)) <= 2:
        return "That passphrase repeats the same characters. Use a few unrelated words."
    if text.casefold() in _COMMON_PASSPHRASES or _is_sequence(text):
        return "That passphrase is one of the first ones people guess. Use a few unrelated words."
    if text.isdigit() and len(text) < 12:
        return "A passphrase of only digits needs at least 12. Words are easier to remember."
    return None


def _is_sequence(text: str) -> bool:
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(text)}
    return steps in ({1}, {-1})
