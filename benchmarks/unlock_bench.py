"""Encryption costs on this computer: unlocking, file encryption speed, encrypting a profile.

Run it with the project's Python:  .venv/bin/python benchmarks/unlock_bench.py [--no-profile]

- **tune**: the Argon2id parameters ``tune_kdf`` picks here (64 MiB, passes raised until one
  derivation takes about 0.7 s) and how long tuning took;
- **unlock**: ``unlock`` of a profile protected with those parameters (median of 3);
- **FileCipher**: encrypt and decrypt throughput in MB/s over a 32 MiB buffer in memory
  (1 MiB chunks, AES-256-GCM), and for a 1 MiB file;
- **encrypt_profile**: ``encrypt_existing_profile`` on a fresh demo profile (its database, vault
  files and thumbnails), with the tuned parameters.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from backlog_app.storage.crypto import FileCipher, new_master_key, tune_kdf
from backlog_app.storage.encryption import (
    encrypt_existing_profile,
    protect_new_profile,
    unlock,
)
from backlog_app.storage.profile import ProfilePaths

PASSPHRASE = "benchmark passphrase words"


def measure_tuning() -> None:
    started = time.perf_counter()
    params = tune_kdf()
    seconds = time.perf_counter() - started
    print(
        f"tune_kdf: memory {params.memory_kib // 1024} MiB, time_cost {params.time_cost}, "
        f"parallelism {params.parallelism} (tuning took {seconds:.2f} s)"
    )
    with tempfile.TemporaryDirectory() as folder:
        paths = ProfilePaths(Path(folder) / "profile")
        protect_new_profile(paths, PASSPHRASE, kdf=params)
        times = []
        for _ in range(3):
            started = time.perf_counter()
            unlock(paths, PASSPHRASE)
            times.append(time.perf_counter() - started)
    each = ", ".join(f"{t:.2f}" for t in times)
    print(f"unlock: {statistics.median(times):.2f} s (median of 3: {each})")


def measure_cipher() -> None:
    cipher = FileCipher(new_master_key())
    for label, size, rounds in (("32 MiB", 32 * 1024 * 1024, 3), ("1 MiB", 1024 * 1024, 30)):
        data = os.urandom(size)
        enc, dec = [], []
        for _ in range(rounds):
            started = time.perf_counter()
            sealed = io.BytesIO()
            cipher.encrypt_stream(io.BytesIO(data), sealed)
            enc.append(time.perf_counter() - started)
            started = time.perf_counter()
            plain = cipher.decrypt_bytes(sealed.getvalue())
            dec.append(time.perf_counter() - started)
            assert plain == data
        megabytes = size / 1_000_000
        print(
            f"FileCipher {label}: encrypt {megabytes / statistics.median(enc):.0f} MB/s, "
            f"decrypt {megabytes / statistics.median(dec):.0f} MB/s"
        )


def measure_profile() -> None:
    from backlog_app.services.demo import create_demo
    from backlog_app.services.onboarding import new_profile

    params = tune_kdf()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "demo"
        with new_profile(root) as profile:
            create_demo(profile)
        paths = ProfilePaths(root)
        size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
        report = encrypt_existing_profile(paths, PASSPHRASE, kdf=params)
        print(
            f"encrypt_profile (demo, {size / 1_000_000:.1f} MB): {report.seconds:.2f} s "
            f"including one key derivation; {report.files_encrypted} vault files, "
            f"{report.thumbnails_encrypted} thumbnails"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-profile", action="store_true", help="skip the demo profile run")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    measure_tuning()
    measure_cipher()
    if not args.no_profile:
        measure_profile()


if __name__ == "__main__":
    main()
