"""A stand-in for an encrypted vault: files on disk are scrambled, reads give the originals back.

Every byte of a stored file is XOR-ed and a header is put in front, so anything that reads a stored
original by its path (instead of through ``Vault.open_read``) gets bytes that are no PDF and no
picture, and fails. A header that is not there makes the read fail as a damaged encrypted file
does. It needs no key and no passphrase, so the readers are tested on their own.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import BinaryIO

from backlog_app.domain.documents import FileType
from backlog_app.services.context import ProfileSession
from backlog_app.storage.crypto import FileDamagedError
from backlog_app.storage.vault import CopyProgress, Vault, VaultChangedError

HEADER = b"SCRAMBLED\x00"
_FLIP = bytes(value ^ 0xA5 for value in range(256))


def scrambled(data: bytes) -> bytes:
    return HEADER + data.translate(_FLIP)


def unscrambled(data: bytes) -> bytes:
    if not data.startswith(HEADER):
        raise FileDamagedError("not a scrambled file")
    return data[len(HEADER) :].translate(_FLIP)


class ScramblingVault(Vault):
    """A vault whose files on disk are not the originals (as in an encrypted profile)."""

    @property
    def encrypted(self) -> bool:
        return True

    def store(
        self,
        source: Path,
        sha256: str,
        file_type: FileType,
        progress: CopyProgress | None = None,
        *,
        replace: bool = False,
    ) -> Path:
        final = self.path_for(sha256, file_type)
        if final.is_file() and not replace:
            return final
        data = source.read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise VaultChangedError(str(source))
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            final.chmod(0o644)
        final.write_bytes(scrambled(data))
        if progress is not None:
            progress(len(data))
        return final

    def open_read(self, sha256: str, file_type: FileType) -> BinaryIO:
        return io.BytesIO(unscrambled(self.path_for(sha256, file_type).read_bytes()))

    def verify(
        self, sha256: str, file_type: FileType, progress: CopyProgress | None = None
    ) -> bool:
        try:
            data = self.read_bytes(sha256, file_type)
        except (FileNotFoundError, FileDamagedError):
            return False
        return hashlib.sha256(data).hexdigest() == sha256


def scramble_vault(profile: ProfileSession) -> ScramblingVault:
    """Give ``profile`` (still without documents) a scrambling vault. Returns it."""
    vault = ScramblingVault(profile.paths.vault)
    profile.documents.vault = vault
    return vault
