"""The vault folder: imported files stored under their SHA-256, copied atomically, never modified.

Layout: ``vault/ab/abcdef….pdf`` (two-letter fan-out keeps folders small). A stored name comes
only from the hash and the detected type, so a user's file name never becomes a path.

In an encrypted profile the vault has a ``FileCipher``: files are stored encrypted (still named by
the SHA-256 of their ORIGINAL bytes) and every read decrypts in memory. Each file says by its
header whether it is encrypted, so a vault half-way through being encrypted reads correctly.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from backlog_app.domain.documents import FileType
from backlog_app.storage.backup import fsync_dir, put_in_place
from backlog_app.storage.crypto import MAGIC, FileCipher, FileDamagedError, Readable, Writable

log = logging.getLogger("backlog.vault")

CHUNK_BYTES = 1024 * 1024
PARTIAL_SUFFIX = ".partial"
_STORED_NAME = re.compile(r"^(?P<sha>[0-9a-f]{64})(?P<ext>\.[a-z]+)$")
_EXTENSION_TYPES = {file_type.extension: file_type for file_type in FileType}

# Called with the bytes copied so far; raising (e.g. Cancelled) stops the copy and removes it.
CopyProgress = Callable[[int], None]


class VaultChangedError(Exception):
    """The file changed between checking and copying it (its hash differs); nothing was stored."""


class _HashingReader:
    """Hands out a file's bytes while hashing them (the hash must be of the original bytes,
    also when what is written is their encryption)."""

    def __init__(self, reader: Readable) -> None:
        self._reader = reader
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self._reader.read(size)
        self.digest.update(chunk)
        return chunk


class _HashingWriter:
    """A writer that only hashes what it is given (verifying without keeping the bytes)."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return len(data)


@dataclass(frozen=True, slots=True)
class VaultEntry:
    """A complete file found in the vault folder."""

    sha256: str
    file_type: FileType
    path: Path


def sha256_of(path: Path, progress: CopyProgress | None = None) -> str:
    """The SHA-256 of a file, read in 1 MB chunks."""
    digest = hashlib.sha256()
    done = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done)
    return digest.hexdigest()


class Vault:
    """The files of one profile's vault.

    Args:
        root: the vault folder.
        cipher: the profile's file cipher when the profile is encrypted (new files are then
            stored encrypted); None for a plain profile.
    """

    def __init__(self, root: Path, cipher: FileCipher | None = None) -> None:
        self.root = root
        self.cipher = cipher
        # Held from "is this file still wanted?" to the copy or the removal, so that an import
        # and a removal for good of the same file cannot interleave (a row without its file).
        self.lock = threading.RLock()

    @property
    def encrypted(self) -> bool:
        """True when new files are stored encrypted."""
        return self.cipher is not None

    def path_for(self, sha256: str, file_type: FileType) -> Path:
        return self.root / sha256[:2] / f"{sha256}{file_type.extension}"

    def has(self, sha256: str, file_type: FileType) -> bool:
        return self.path_for(sha256, file_type).is_file()

    def store(
        self,
        source: Path,
        sha256: str,
        file_type: FileType,
        progress: CopyProgress | None = None,
        *,
        replace: bool = False,
    ) -> Path:
        """Copy ``source`` into the vault as ``sha256`` and return the stored path.

        The copy goes to a temporary name in the same folder, is hashed while it is written,
        flushed to disk, and only then renamed; a crash leaves at most a ``.partial`` file, which
        ``sweep_partials`` removes. If a file with that hash is already stored it is kept as is,
        unless ``replace`` (putting back a copy that was found damaged). With a cipher the
        copy is encrypted while it is written; the hash is still that of ``source``'s bytes.

        Raises:
            VaultChangedError: the bytes read now do not hash to ``sha256`` (the file changed).
            OSError: the disk is full or the vault cannot be written (nothing is left behind).
        """
        final = self.path_for(sha256, file_type)
        if final.is_file() and not replace:
            return final
        final.parent.mkdir(parents=True, exist_ok=True)
        partial = final.with_name(f".{secrets.token_hex(8)}{PARTIAL_SUFFIX}")
        try:
            with source.open("rb") as reader, partial.open("xb") as writer:
                hashing = _HashingReader(reader)
                if self.cipher is not None:
                    self.cipher.encrypt_stream(hashing, writer, progress)
                else:
                    _copy(hashing, writer, progress)
                writer.flush()
                os.fsync(writer.fileno())
            if hashing.digest.hexdigest() != sha256:
                raise VaultChangedError(str(source))
            # Stored files are read-only: nothing in BackLog ever writes to them again.
            put_in_place(partial, final, mode=0o444)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return final

    def open_read(self, sha256: str, file_type: FileType) -> BinaryIO:
        """The stored file's original bytes as a seekable binary stream; close it after use.

        Every reader of a stored original goes through here (never ``path_for`` + ``open``), so
        an encrypted vault can hand out decrypted bytes without a plaintext file on disk: an
        encrypted file is decrypted into memory, a plain one (in a plain vault, or left by an
        unfinished conversion) is opened as it is.

        Raises:
            FileNotFoundError: the file is missing from the vault.
            FileDamagedError: an encrypted file that does not decrypt (changed or cut short).
        """
        handle = self.path_for(sha256, file_type).open("rb")
        try:
            if handle.read(len(MAGIC)) != MAGIC:
                handle.seek(0)
                return handle
            if self.cipher is None:
                raise FileDamagedError("an encrypted file in a vault opened without its key")
            handle.seek(0)
            output = io.BytesIO()
            self.cipher.decrypt_stream(handle, output)
        except BaseException:
            handle.close()
            raise
        handle.close()
        output.seek(0)
        return output

    def read_bytes(self, sha256: str, file_type: FileType) -> bytes:
        """The stored file's original bytes (whole; files are at most the import limit)."""
        with self.open_read(sha256, file_type) as handle:
            return handle.read()

    def verify(
        self, sha256: str, file_type: FileType, progress: CopyProgress | None = None
    ) -> bool:
        """True when the stored file is present, decrypts (if encrypted) and its original bytes
        hash to ``sha256``. Streams: an encrypted file is not held in memory whole."""
        hashing = _HashingWriter()
        try:
            with self.path_for(sha256, file_type).open("rb") as handle:
                encrypted = handle.read(len(MAGIC)) == MAGIC
                handle.seek(0)
                if not encrypted:
                    _copy(handle, hashing, progress)
                elif self.cipher is None:
                    return False
                else:
                    self.cipher.decrypt_stream(handle, hashing, progress)
        except (FileNotFoundError, FileDamagedError):
            return False
        return hashing.digest.hexdigest() == sha256

    def is_stored_encrypted(self, sha256: str, file_type: FileType) -> bool:
        """True when the stored file is encrypted (False when plain or missing)."""
        try:
            with self.path_for(sha256, file_type).open("rb") as handle:
                return handle.read(len(MAGIC)) == MAGIC
        except OSError:
            return False

    def remove(self, sha256: str, file_type: FileType) -> None:
        """Delete a stored file (only after its record is gone: permanent removal)."""
        path = self.path_for(sha256, file_type)
        if path.exists():
            path.chmod(0o644)
            path.unlink()
            fsync_dir(path.parent)

    def entries(self) -> Iterator[VaultEntry]:
        """Every complete stored file (``.partial`` leftovers and foreign files are skipped)."""
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if not folder.is_dir() or len(folder.name) != 2:
                continue
            for path in sorted(folder.iterdir()):
                match = _STORED_NAME.match(path.name)
                if match and path.is_file() and match["ext"] in _EXTENSION_TYPES:
                    yield VaultEntry(match["sha"], _EXTENSION_TYPES[match["ext"]], path)

    def sweep_partials(self) -> int:
        """Remove copies a crash interrupted. Returns how many were removed."""
        removed = 0
        if not self.root.is_dir():
            return 0
        for path in self.root.glob(f"*/.*{PARTIAL_SUFFIX}"):
            path.unlink(missing_ok=True)
            removed += 1
        if removed:
            log.info("removed %d interrupted vault copies", removed)
        return removed


def _copy(reader: Readable, writer: Writable, progress: CopyProgress | None) -> None:
    done = 0
    while chunk := reader.read(CHUNK_BYTES):
        writer.write(chunk)
        done += len(chunk)
        if progress is not None:
            progress(done)
