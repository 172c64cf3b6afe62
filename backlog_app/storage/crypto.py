"""The cryptography of an encrypted profile: passphrase → key, key wrapping, file encryption.

Pure functions and small classes with no knowledge of profiles (``storage.encryption`` has that):

- Argon2id turns the passphrase into a key-encryption key (KEK); the KEK wraps a random 32-byte
  master key with AES-256-GCM. Changing the passphrase re-wraps the master key, nothing else.
- ``ProfileKey`` derives independent subkeys from the master key with HKDF-SHA256: one for
  SQLCipher, one per vault file or thumbnail.
- ``FileCipher`` encrypts a file as ``MAGIC + salt`` followed by 1 MiB chunks sealed with
  AES-256-GCM. The nonce is the chunk's number plus a "last chunk" flag, and the header is
  authenticated with every chunk, so a changed byte, a truncated, reordered or appended chunk
  or a swapped header all fail to decrypt (``FileDamagedError``) instead of giving wrong bytes.
"""

from __future__ import annotations

import base64
import io
import secrets
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from backlog_app.errors import WrongPassphraseError

KEY_BYTES = 32
MIN_MEMORY_KIB = 64 * 1024  # the floor for a real profile: 64 MiB
# RFC 9106's second recommended setting (64 MiB, 3 passes): a floor that tuning on a busy
# machine never goes under.
MIN_TIME_COST = 3
MAX_TIME_COST = 64
DEFAULT_PARALLELISM = 4  # RFC 9106's second recommendation uses 4 lanes
# A profile file cannot make us allocate absurd memory or spin for hours (a damaged or hostile
# encryption.json); real parameters are far below these.
MAX_MEMORY_KIB = 4 * 1024 * 1024
_ABSURD_TIME_COST = 10_000

WRAP_AAD = b"backlog master key v1"
WRAP_NONCE_BYTES = 12
DATABASE_INFO = b"backlog sqlcipher v1"
FILE_INFO = b"backlog file v1"

MAGIC = b"BLENC\x00v1"
FILE_SALT_BYTES = 32
HEADER_BYTES = len(MAGIC) + FILE_SALT_BYTES
CHUNK_BYTES = 1024 * 1024
TAG_BYTES = 16
SEALED_CHUNK_BYTES = CHUNK_BYTES + TAG_BYTES
_COUNTER_BYTES = 11
_MAX_CHUNKS = 2 ** (8 * _COUNTER_BYTES)

WRONG_PASSPHRASE = "That passphrase is not right. Check Caps Lock and try again."

# Called with the plaintext bytes processed so far; raising (e.g. Cancelled) stops the work.
ByteProgress = Callable[[int], None]


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class Writable(Protocol):
    def write(self, data: bytes, /) -> int: ...


class FileDamagedError(Exception):
    """An encrypted file does not decrypt: it was changed, cut short or extended (or the key is
    not this profile's). No partial plaintext is returned."""


# -- passphrase → key ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KdfParams:
    """Argon2id parameters, stored beside the wrapped key so the same key can be derived again."""

    salt: bytes
    memory_kib: int
    time_cost: int
    parallelism: int

    def to_json(self) -> dict[str, Any]:
        return {
            "algorithm": "argon2id",
            "salt": base64.b64encode(self.salt).decode("ascii"),
            "memory_kib": self.memory_kib,
            "time_cost": self.time_cost,
            "parallelism": self.parallelism,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KdfParams:
        """Raises ValueError for anything that is not sane Argon2id parameters."""
        if data.get("algorithm", "argon2id") != "argon2id":
            raise ValueError(f"unknown key derivation {data.get('algorithm')!r}")
        params = cls(
            salt=base64.b64decode(data["salt"], validate=True),
            memory_kib=int(data["memory_kib"]),
            time_cost=int(data["time_cost"]),
            parallelism=int(data["parallelism"]),
        )
        if not (
            len(params.salt) >= 16
            and 1 <= params.parallelism <= 64
            and 8 * params.parallelism <= params.memory_kib <= MAX_MEMORY_KIB
            and 1 <= params.time_cost <= _ABSURD_TIME_COST
        ):
            raise ValueError("key derivation parameters out of range")
        return params


def new_salt() -> bytes:
    return secrets.token_bytes(16)


def derive_key(passphrase: str, params: KdfParams) -> bytes:
    """The 32-byte key Argon2id derives from ``passphrase`` (slow on purpose: ~0.5–1 s).

    The passphrase is NFC-normalised first, so the same words typed on another keyboard or
    system (composed or decomposed accents) give the same key.
    """
    from argon2.low_level import Type, hash_secret_raw

    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    return hash_secret_raw(
        secret=secret,
        salt=params.salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def tune_kdf(target_seconds: float = 0.7, memory_kib: int = MIN_MEMORY_KIB) -> KdfParams:
    """Argon2id parameters for a new passphrase, tuned so one derivation takes about
    ``target_seconds`` (0.5–1 s) on this computer, never below 64 MiB and two passes.

    Raises:
        ValueError: ``memory_kib`` below the 64 MiB floor.
    """
    if memory_kib < MIN_MEMORY_KIB:
        raise ValueError(f"Argon2id needs at least {MIN_MEMORY_KIB} KiB for a profile")
    parallelism = DEFAULT_PARALLELISM
    probe = KdfParams(new_salt(), memory_kib, MIN_TIME_COST, parallelism)
    # The fastest of three: a busy moment must not make the key cheaper to guess for good.
    seconds = min(_timed_derivation(probe) for _ in range(3))
    time_cost = MIN_TIME_COST
    # Each pass costs about the same, so scale from the measured time, then check once more
    # (the first run also pays for page faults, so the estimate errs on the short side).
    for _ in range(3):
        per_pass = seconds / time_cost
        wanted = max(MIN_TIME_COST, min(MAX_TIME_COST, round(target_seconds / per_pass)))
        if wanted == time_cost or 0.5 <= seconds <= 1.0:
            break
        time_cost = wanted
        seconds = _timed_derivation(KdfParams(probe.salt, memory_kib, time_cost, parallelism))
    return KdfParams(new_salt(), memory_kib, time_cost, parallelism)


def _timed_derivation(params: KdfParams) -> float:
    started = time.perf_counter()
    derive_key("tuning run, not a passphrase", params)
    return time.perf_counter() - started


# -- wrapping the master key ---------------------------------------------------------------------


def new_master_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def wrap_key(kek: bytes, master: bytes) -> bytes:
    """``master`` sealed under ``kek``: 12-byte nonce + ciphertext + tag."""
    nonce = secrets.token_bytes(WRAP_NONCE_BYTES)
    return nonce + AESGCM(kek).encrypt(nonce, master, WRAP_AAD)


def unwrap_key(kek: bytes, wrapped: bytes) -> bytes:
    """The master key sealed by ``wrap_key``.

    Raises:
        WrongPassphraseError: ``kek`` is not the one that wrapped it (a wrong passphrase), or
            the wrapped key was changed.
    """
    nonce, sealed = wrapped[:WRAP_NONCE_BYTES], wrapped[WRAP_NONCE_BYTES:]
    try:
        master = AESGCM(kek).decrypt(nonce, sealed, WRAP_AAD)
    except (InvalidTag, ValueError) as exc:
        raise WrongPassphraseError(WRONG_PASSPHRASE) from exc
    if len(master) != KEY_BYTES:
        raise WrongPassphraseError(WRONG_PASSPHRASE)
    return master


def _hkdf(master: bytes, info: bytes, salt: bytes | None = None) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=info).derive(master)


class ProfileKey:
    """An unlocked profile's master key and the subkeys derived from it."""

    def __init__(self, master: bytes) -> None:
        if len(master) != KEY_BYTES:
            raise ValueError("a master key is 32 bytes")
        self._master = master
        self._files = FileCipher(master)

    @property
    def master(self) -> bytes:
        return self._master

    @property
    def database_key(self) -> bytes:
        """SQLCipher's raw key for the profile database."""
        return _hkdf(self._master, DATABASE_INFO)

    @property
    def files(self) -> FileCipher:
        """Encrypts and decrypts vault files, thumbnails and other stored files."""
        return self._files

    def __repr__(self) -> str:  # never print key material into a log or a traceback
        return "ProfileKey(<hidden>)"


# -- files ---------------------------------------------------------------------------------------


class FileCipher:
    """Streamed AES-256-GCM for whole files, with a fresh key per file (HKDF of the master key
    and a random salt kept in the file's header)."""

    def __init__(self, master: bytes) -> None:
        self._master = master

    def __repr__(self) -> str:
        return "FileCipher(<hidden>)"

    def _aead(self, salt: bytes) -> AESGCM:
        return AESGCM(_hkdf(self._master, FILE_INFO, salt))

    def encrypt_stream(
        self, reader: Readable, writer: Writable, progress: ByteProgress | None = None
    ) -> int:
        """Encrypt everything ``reader`` gives into ``writer``. Returns the plaintext size.

        An empty input still gets one (empty) last chunk, so cutting a file back to its
        header is detected like any other truncation.
        """
        header = MAGIC + secrets.token_bytes(FILE_SALT_BYTES)
        aead = self._aead(header[len(MAGIC) :])
        writer.write(header)
        index = 0
        done = 0
        chunk = _read_full(reader, CHUNK_BYTES)
        while True:
            following = _read_full(reader, CHUNK_BYTES) if len(chunk) == CHUNK_BYTES else b""
            last = not following
            writer.write(aead.encrypt(_nonce(index, last=last), chunk, header))
            done += len(chunk)
            if progress is not None:
                progress(done)
            if last:
                return done
            chunk = following
            index += 1

    def decrypt_stream(
        self, reader: Readable, writer: Writable, progress: ByteProgress | None = None
    ) -> int:
        """Decrypt a file written by ``encrypt_stream`` into ``writer``. Returns its size.

        Raises:
            FileDamagedError: not an encrypted file, or any chunk fails its check. What was
                written to ``writer`` before the failure must be thrown away.
        """
        header = _read_full(reader, HEADER_BYTES)
        if len(header) != HEADER_BYTES or not header.startswith(MAGIC):
            raise FileDamagedError("the file has no BackLog encryption header")
        aead = self._aead(header[len(MAGIC) :])
        index = 0
        done = 0
        sealed = _read_full(reader, SEALED_CHUNK_BYTES)
        while True:
            following = _read_full(reader, SEALED_CHUNK_BYTES) if sealed else b""
            last = not following
            if len(sealed) < TAG_BYTES or index >= _MAX_CHUNKS:
                raise FileDamagedError("the encrypted file is cut short")
            try:
                chunk = aead.decrypt(_nonce(index, last=last), sealed, header)
            except InvalidTag as exc:
                raise FileDamagedError(f"chunk {index} of the encrypted file is damaged") from exc
            writer.write(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done)
            if last:
                return done
            sealed = following
            index += 1

    def encrypt_bytes(self, data: bytes) -> bytes:
        output = io.BytesIO()
        self.encrypt_stream(io.BytesIO(data), output)
        return output.getvalue()

    def decrypt_bytes(self, data: bytes) -> bytes:
        """Raises FileDamagedError like ``decrypt_stream``."""
        output = io.BytesIO()
        self.decrypt_stream(io.BytesIO(data), output)
        return output.getvalue()

    def open_decrypted(self, path: Path) -> BinaryIO:
        """The original bytes of the encrypted file ``path`` as a seekable in-memory stream.

        Decrypted wholly into memory (stored files are at most the import limit), so no
        plaintext copy ever reaches a disk.

        Raises:
            FileNotFoundError: no such file.
            FileDamagedError: it does not decrypt.
        """
        output = io.BytesIO()
        with path.open("rb") as reader:
            self.decrypt_stream(reader, output)
        output.seek(0)
        return output


def is_encrypted_data(data: bytes) -> bool:
    """True when ``data`` starts with BackLog's encryption header."""
    return data[: len(MAGIC)] == MAGIC


def is_encrypted_file(path: Path) -> bool:
    """True when the file starts with BackLog's encryption header (False if it cannot be read)."""
    try:
        with path.open("rb") as handle:
            return is_encrypted_data(handle.read(len(MAGIC)))
    except OSError:
        return False


def _nonce(index: int, *, last: bool) -> bytes:
    return index.to_bytes(_COUNTER_BYTES, "big") + (b"\x01" if last else b"\x00")


def _read_full(reader: Readable, size: int) -> bytes:
    """Exactly ``size`` bytes unless the stream ends first (raw streams may return fewer)."""
    parts: list[bytes] = []
    wanted = size
    while wanted > 0:
        part = reader.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)
