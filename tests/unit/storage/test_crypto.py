"""Passphrase → key, key wrapping and chunked file encryption: round trips and every tampering."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from backlog_app.errors import WrongPassphraseError
from backlog_app.storage import crypto
from backlog_app.storage.crypto import (
    CHUNK_BYTES,
    HEADER_BYTES,
    MAGIC,
    MIN_MEMORY_KIB,
    SEALED_CHUNK_BYTES,
    TAG_BYTES,
    FileCipher,
    FileDamagedError,
    KdfParams,
    ProfileKey,
    derive_key,
    is_encrypted_data,
    is_encrypted_file,
    new_master_key,
    tune_kdf,
    unwrap_key,
    wrap_key,
)

# Cheap Argon2id parameters: the 64 MiB floor is for real profiles (tune_kdf), not for tests.
FAST = KdfParams(salt=b"s" * 16, memory_kib=1024, time_cost=1, parallelism=1)


@pytest.fixture
def cipher() -> FileCipher:
    return FileCipher(new_master_key())


def test_derive_key_is_repeatable_and_depends_on_everything() -> None:
    key = derive_key("correct horse", FAST)
    assert len(key) == 32
    assert derive_key("correct horse", FAST) == key
    assert derive_key("correct horsE", FAST) != key
    assert derive_key("correct horse", KdfParams(b"t" * 16, 1024, 1, 1)) != key
    assert derive_key("correct horse", KdfParams(b"s" * 16, 1024, 2, 1)) != key


def test_composed_and_decomposed_accents_give_the_same_key() -> None:
    assert derive_key("caf\u00e9 au lait", FAST) == derive_key("cafe\u0301 au lait", FAST)


def test_kdf_params_round_trip_through_json() -> None:
    params = KdfParams(b"0123456789abcdef", 65536, 3, 4)
    assert KdfParams.from_json(params.to_json()) == params


@pytest.mark.parametrize(
    "change",
    [
        {"memory_kib": 10**9},
        {"time_cost": 0},
        {"parallelism": 0},
        {"salt": "c2hvcnQ="},  # 5 bytes
        {"algorithm": "scrypt"},
    ],
)
def test_absurd_kdf_params_are_refused(change: dict[str, object]) -> None:
    data = KdfParams(b"0123456789abcdef", 65536, 3, 4).to_json() | change
    with pytest.raises(ValueError):
        KdfParams.from_json(data)


def test_tune_kdf_keeps_the_floors(monkeypatch: pytest.MonkeyPatch) -> None:
    # A very fast machine: every derivation "takes" 1 ms; time_cost still stays within bounds.
    monkeypatch.setattr(crypto, "_timed_derivation", lambda params: 0.0005 * params.time_cost)
    params = tune_kdf()
    assert params.memory_kib >= MIN_MEMORY_KIB
    assert crypto.MIN_TIME_COST <= params.time_cost <= crypto.MAX_TIME_COST
    # A very slow machine: never below two passes.
    monkeypatch.setattr(crypto, "_timed_derivation", lambda params: 5.0 * params.time_cost)
    assert tune_kdf().time_cost == crypto.MIN_TIME_COST
    # Ordinary: 0.1 s a pass → about 7 passes for 0.7 s.
    monkeypatch.setattr(crypto, "_timed_derivation", lambda params: 0.1 * params.time_cost)
    assert tune_kdf().time_cost == 7
    with pytest.raises(ValueError):
        tune_kdf(memory_kib=MIN_MEMORY_KIB - 1)


def test_each_tuning_gets_a_fresh_salt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crypto, "_timed_derivation", lambda params: 0.1 * params.time_cost)
    assert tune_kdf().salt != tune_kdf().salt


def test_wrapped_key_unwraps_with_the_right_kek_only() -> None:
    master = new_master_key()
    kek = derive_key("right", FAST)
    wrapped = wrap_key(kek, master)
    assert master not in wrapped
    assert unwrap_key(kek, wrapped) == master
    with pytest.raises(WrongPassphraseError, match="Caps Lock"):
        unwrap_key(derive_key("wrong", FAST), wrapped)
    tampered = bytearray(wrapped)
    tampered[-1] ^= 1
    with pytest.raises(WrongPassphraseError):
        unwrap_key(kek, bytes(tampered))


def test_profile_key_subkeys_differ_and_are_stable() -> None:
    master = new_master_key()
    key = ProfileKey(master)
    assert key.database_key == ProfileKey(master).database_key
    assert key.database_key != master and len(key.database_key) == 32
    assert ProfileKey(new_master_key()).database_key != key.database_key
    assert "hidden" in repr(key) and master.hex() not in repr(key)
    with pytest.raises(ValueError):
        ProfileKey(b"short")


@pytest.mark.parametrize(
    "size",
    [
        0,
        1,
        1000,
        CHUNK_BYTES - 1,
        CHUNK_BYTES,
        CHUNK_BYTES + 1,
        2 * CHUNK_BYTES,
        2 * CHUNK_BYTES + 5,
    ],
)
def test_round_trip(cipher: FileCipher, size: int) -> None:
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    sealed = cipher.encrypt_bytes(data)
    assert sealed.startswith(MAGIC) and is_encrypted_data(sealed)
    chunks = max(1, -(-size // CHUNK_BYTES))
    assert len(sealed) == HEADER_BYTES + size + chunks * TAG_BYTES
    assert cipher.decrypt_bytes(sealed) == data


def test_exactly_one_chunk_is_one_last_chunk(cipher: FileCipher) -> None:
    sealed = cipher.encrypt_bytes(b"x" * CHUNK_BYTES)
    assert len(sealed) == HEADER_BYTES + SEALED_CHUNK_BYTES


def test_the_same_file_encrypts_differently_each_time(cipher: FileCipher) -> None:
    assert cipher.encrypt_bytes(b"same") != cipher.encrypt_bytes(b"same")


def test_wrong_key_fails(cipher: FileCipher) -> None:
    sealed = cipher.encrypt_bytes(b"denial letter")
    with pytest.raises(FileDamagedError):
        FileCipher(new_master_key()).decrypt_bytes(sealed)


def _three_chunks(cipher: FileCipher) -> tuple[bytes, bytes]:
    data = b"".join(bytes([n]) * CHUNK_BYTES for n in (1, 2)) + b"tail"
    return data, cipher.encrypt_bytes(data)


@pytest.mark.parametrize(
    "offset",
    [
        0,  # the magic
        len(MAGIC) + 3,  # the salt
        HEADER_BYTES + 10,  # inside the first chunk
        HEADER_BYTES + SEALED_CHUNK_BYTES - 1,  # the first chunk's tag
        HEADER_BYTES + SEALED_CHUNK_BYTES + 500,  # the middle chunk
        -1,  # the last chunk's tag
        -(TAG_BYTES + 2),  # the last chunk's data
    ],
)
def test_a_flipped_byte_anywhere_is_detected(cipher: FileCipher, offset: int) -> None:
    _, sealed = _three_chunks(cipher)
    damaged = bytearray(sealed)
    damaged[offset] ^= 0x20
    with pytest.raises(FileDamagedError):
        cipher.decrypt_bytes(bytes(damaged))


@pytest.mark.parametrize("chunks_kept", [1, 2])
def test_truncation_at_a_chunk_boundary_is_detected(cipher: FileCipher, chunks_kept: int) -> None:
    _, sealed = _three_chunks(cipher)
    with pytest.raises(FileDamagedError):
        cipher.decrypt_bytes(sealed[: HEADER_BYTES + chunks_kept * SEALED_CHUNK_BYTES])


@pytest.mark.parametrize("cut", [0, 5, HEADER_BYTES, HEADER_BYTES + TAG_BYTES - 1])
def test_a_file_cut_to_its_header_or_less_is_detected(cipher: FileCipher, cut: int) -> None:
    sealed = cipher.encrypt_bytes(b"")
    assert len(sealed) == HEADER_BYTES + TAG_BYTES  # even empty, it has a sealed last chunk
    with pytest.raises(FileDamagedError):
        cipher.decrypt_bytes(sealed[:cut])


def test_an_appended_chunk_is_detected(cipher: FileCipher) -> None:
    _, sealed = _three_chunks(cipher)
    first_chunk = sealed[HEADER_BYTES : HEADER_BYTES + SEALED_CHUNK_BYTES]
    with pytest.raises(FileDamagedError):
        cipher.decrypt_bytes(sealed + first_chunk)
    with pytest.raises(FileDamagedError):
        cipher.decrypt_bytes(sealed + b"\x00" * 40)


def test_swapped_chunks_are_detected(cipher: FileCipher) -> None:
    _, sealed = _three_chunks(cipher)
    header = sealed[:HEADER_BYTES]
    first = sealed[HEADER_BYTES : HEADER_BYTES + SEALED_CHUNK_BYTES]
    second = sealed[HEADER_BYTES + SEALED_CHUNK_BYTES : HEADER_BYTES + 2 * SEALED_CHUNK_BYTES]
    rest = sealed[HEADER_BYTES + 2 * SEALED_CHUNK_BYTES :]
    with pytest.raises(FileDamagedError):
        cipher.decrypt_bytes(header + second + first + rest)


def test_a_header_from_another_file_is_detected(cipher: FileCipher) -> None:
    one = cipher.encrypt_bytes(b"first file")
    two = cipher.encrypt_bytes(b"other file")
    with pytest.raises(FileDamagedError):
        cipher.decrypt_bytes(one[:HEADER_BYTES] + two[HEADER_BYTES:])


def test_plain_bytes_are_not_decrypted(cipher: FileCipher) -> None:
    with pytest.raises(FileDamagedError):
        cipher.decrypt_bytes(b"%PDF-1.7 plain file")


def test_streams_and_files(cipher: FileCipher, tmp_path: Path) -> None:
    data = b"\x89PNG" + bytes(range(256)) * 9000  # a little over 2 MiB
    seen: list[int] = []
    output = io.BytesIO()
    assert cipher.encrypt_stream(io.BytesIO(data), output, seen.append) == len(data)
    assert seen[-1] == len(data) and seen == sorted(seen)
    path = tmp_path / "stored.png"
    path.write_bytes(output.getvalue())
    assert is_encrypted_file(path)
    with cipher.open_decrypted(path) as handle:
        assert handle.read(4) == b"\x89PNG"
        handle.seek(0)
        assert handle.read() == data
    plain = tmp_path / "plain.png"
    plain.write_bytes(data)
    assert not is_encrypted_file(plain)
    assert not is_encrypted_file(tmp_path / "missing")
