"""Copying the documents' files of a data file, each copy checked against its SHA-256.

Import checks every file before anything is written (``verify_files``), then copies them into the
vault (``store_files``), undoing its copies if the records cannot be written. Export copies from
the vault into the files folder or the zip, under temporary names first.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
import zlib
from pathlib import Path
from typing import IO

from backlog_app.domain.documents import sniff_file_type
from backlog_app.errors import DataFileError, UserError
from backlog_app.services.interchange.files import (
    ZIP_DATA_NAME,
    ZIP_FILES_PREFIX,
    BytesDone,
    FileRef,
    FileSource,
    WrongSizeError,
)
from backlog_app.storage.backup import fsync_dir
from backlog_app.storage.vault import CHUNK_BYTES, Vault, VaultChangedError
from backlog_app.storage.write_errors import write_error

# Fixed zip entry times, so two exports of the same records are the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_OUR_NAME = re.compile(r"^[0-9a-f]{64}\.[a-z]+$")
_PARTIAL = ".partial"


# -- import: check everything first, then copy --------------------------------------------------


def verify_files(refs: list[FileRef], source: FileSource, done: BytesDone) -> None:
    """Check that every file is there, complete and unchanged. Reads only; writes nothing.

    Raises:
        DataFileError: naming the first file that is missing, damaged or of another type.
    """
    offset = 0
    for ref in refs:
        what = f"the file of “{ref.title}” ({ref.name})"
        try:
            with source.open(ref) as stream:
                digest, size, head = _read_through(stream, ref.size_bytes, _shifted(done, offset))
        except FileNotFoundError:
            raise DataFileError(
                f"{what[0].upper()}{what[1:]} is missing from {source.where}. Keep the files "
                "that came with the data file next to it, or export it again."
            ) from None
        except (WrongSizeError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise _damaged(what, source) from exc
        except OSError as exc:
            raise DataFileError(
                f"BackLog could not read {what} in {source.where}: {exc.strerror or exc}."
            ) from exc
        if size != ref.size_bytes or digest != ref.sha256:
            raise _damaged(what, source)
        if sniff_file_type(head) is not ref.file_type:
            raise DataFileError(
                f"{what[0].upper()}{what[1:]} in {source.where} is not the "
                f"{ref.file_type.label} the data file says it is. Export it again."
            )
        offset += ref.size_bytes


def store_files(
    refs: list[FileRef], source: FileSource, vault: Vault, scratch: Path, done: BytesDone
) -> list[FileRef]:
    """Copy the files into the vault. Returns those it added; on any error removes them again."""
    added: list[FileRef] = []
    offset = 0
    try:
        for ref in refs:
            if not vault.has(ref.sha256, ref.file_type):
                with source.local_path(ref, scratch) as path:
                    vault.store(path, ref.sha256, ref.file_type, _shifted(done, offset))
                added.append(ref)
            offset += ref.size_bytes
    except BaseException as exc:
        remove_files(vault, added)
        if isinstance(exc, VaultChangedError):
            raise DataFileError(
                f"A document's file in {source.where} changed while it was being imported; "
                "nothing was imported. Try again."
            ) from exc
        if isinstance(exc, OSError):
            raise write_error(exc, vault.root, what="the documents in your profile") from exc
        raise
    return added


def remove_files(vault: Vault, refs: list[FileRef]) -> None:
    """Undo ``store_files`` (the records were not written)."""
    for ref in refs:
        vault.remove(ref.sha256, ref.file_type)


# -- export: copy with a check, atomically ------------------------------------------------------


def write_files_folder(
    folder: Path, refs: list[FileRef], source: FileSource, done: BytesDone
) -> None:
    """Put every file in ``folder`` (kept ones are re-checked, not copied again)."""
    _refuse_missing(refs, source)
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder} is a file; BackLog needs that name for a folder of documents.")
    foreign = _foreign_entries(folder)
    if foreign:
        raise UserError(
            f"The folder {folder} already holds files BackLog did not put there "
            f"(such as “{foreign[0]}”). Choose another name for the export."
        )
    try:
        folder.mkdir(exist_ok=True)
        offset = 0
        for ref in refs:
            target = folder / ref.name
            if not (target.is_file() and _matches(target, ref)):
                partial = folder / f".{ref.name}{_PARTIAL}"
                try:
                    with source.open(ref) as stream, partial.open("wb") as out:
                        _copy_checked(stream, out, ref, source, _shifted(done, offset))
                        out.flush()
                        os.fsync(out.fileno())
                    partial.replace(target)
                finally:
                    partial.unlink(missing_ok=True)
            offset += ref.size_bytes
        fsync_dir(folder)
    except OSError as exc:
        raise write_error(exc, folder) from exc


def remove_stale_files(folder: Path, keep: set[str]) -> None:
    """After the data file is in place: drop files of an earlier export it no longer lists."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if _OUR_NAME.match(path.name) and path.name not in keep:
            path.unlink()
    if not any(folder.iterdir()):
        folder.rmdir()


def write_zip(
    path: Path, text: str, refs: list[FileRef], source: FileSource | None, done: BytesDone
) -> None:
    """One zip: ``data.json`` then ``files/<sha256><ext>``, written to a temporary name first."""
    if source is not None:
        _refuse_missing(refs, source)
    partial = path.with_name(f".{path.name}{_PARTIAL}")
    try:
        with zipfile.ZipFile(partial, "w", allowZip64=True) as archive:
            archive.writestr(_zip_entry(ZIP_DATA_NAME, zipfile.ZIP_DEFLATED), text.encode("utf-8"))
            offset = 0
            for ref in refs:
                assert source is not None, "refs come with a source"
                entry = _zip_entry(ZIP_FILES_PREFIX + ref.name, zipfile.ZIP_STORED)
                large = ref.size_bytes > zipfile.ZIP64_LIMIT
                with source.open(ref) as stream, archive.open(entry, "w", force_zip64=large) as out:
                    _copy_checked(stream, out, ref, source, _shifted(done, offset))
                offset += ref.size_bytes
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        partial.replace(path)
        fsync_dir(path.parent)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise write_error(exc, path) from exc
        raise


def read_zip_data(path: Path, max_bytes: int) -> bytes:
    """The ``data.json`` of an exported zip. Raises DataFileError."""
    try:
        with zipfile.ZipFile(path) as archive:
            try:
                info = archive.getinfo(ZIP_DATA_NAME)
            except KeyError:
                raise DataFileError(
                    f"{path} is a zip file without {ZIP_DATA_NAME}; it was not made by "
                    "`backlog data export`."
                ) from None
            if info.file_size > max_bytes:
                raise DataFileError(f"{path} is too large to be a BackLog data file.")
            with archive.open(info) as stream:
                return stream.read(max_bytes + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise DataFileError(f"{path} is a damaged zip file. Export it again.") from exc
    except OSError as exc:
        raise DataFileError(f"BackLog could not read {path}: {exc.strerror or exc}.") from exc


# ----------------------------------------------------------------------------------------------


def _read_through(stream: IO[bytes], expected: int, done: BytesDone) -> tuple[str, int, bytes]:
    """Hash a stream, reading at most one byte more than ``expected``."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    while chunk := stream.read(min(CHUNK_BYTES, expected + 1 - size)):
        if not head:
            head = chunk[:1024]
        digest.update(chunk)
        size += len(chunk)
        done(size)
        if size > expected:
            break
    return digest.hexdigest(), size, head


def _copy_checked(
    stream: IO[bytes], out: IO[bytes], ref: FileRef, source: FileSource, done: BytesDone
) -> None:
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK_BYTES):
        digest.update(chunk)
        out.write(chunk)
        size += len(chunk)
        done(size)
    if size != ref.size_bytes or digest.hexdigest() != ref.sha256:
        raise UserError(
            f"The file of “{ref.title}” in {source.where} is damaged (its contents changed), so "
            "the export would be incomplete. Run Tools → Check documents (or `backlog check`)."
        )


def _shifted(done: BytesDone, offset: int) -> BytesDone:
    """Progress of one file as progress of the batch, which had ``offset`` bytes before it."""
    return lambda n: done(offset + n)


def _refuse_missing(refs: list[FileRef], source: FileSource) -> None:
    """Before anything is written: every file to export must be there."""
    for ref in refs:
        if not source.exists(ref):
            raise UserError(
                f"The file of “{ref.title}” is missing from {source.where}, so the export would "
                "be incomplete. Run Tools → Check documents (or `backlog check`), then export "
                "again."
            )


def _matches(path: Path, ref: FileRef) -> bool:
    if path.stat().st_size != ref.size_bytes:
        return False
    with path.open("rb") as stream:
        digest, _, _ = _read_through(stream, ref.size_bytes, lambda _n: None)
    return digest == ref.sha256


def _foreign_entries(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(
        path.name
        for path in folder.iterdir()
        if not (_OUR_NAME.match(path.name) or path.name.endswith(_PARTIAL))
    )


def _zip_entry(name: str, compression: int) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    entry.compress_type = compression
    entry.create_system = 3  # Unix, on every system: the same bytes everywhere
    entry.external_attr = 0o644 << 16
    return entry


def _damaged(what: str, source: FileSource) -> DataFileError:
    return DataFileError(
        f"{what[0].upper()}{what[1:]} in {source.where} is damaged: its contents do not match "
        "the data file. Export it again from the original profile."
    )
