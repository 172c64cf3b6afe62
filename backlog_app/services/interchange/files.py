"""Where the documents' files of a data file are: in a folder beside it, or with it in a zip.

``backlog data export --out NAME.json`` writes the records to ``NAME.json`` and each document's
file to ``NAME.files/<sha256><extension>``; ``--out NAME.zip`` writes one zip holding
``data.json`` and ``files/<sha256><extension>``. A stored name comes only from the hash (checked
against the schema's pattern) and the file type, so nothing in a data file can name a path.
Copying and checking the files is in ``transfer.py``. See docs/data-format.md.
"""

from __future__ import annotations

import zipfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from backlog_app.domain.documents import FileType
from backlog_app.storage.vault import CHUNK_BYTES, Vault

FILES_FOLDER_SUFFIX = ".files"
ZIP_DATA_NAME = "data.json"
ZIP_FILES_PREFIX = "files/"

BytesDone = Callable[[int], None]  # told how many bytes of the whole batch are done


@dataclass(frozen=True, slots=True)
class FileRef:
    """One file a data file refers to, as its ``documents`` record describes it."""

    document_id: int
    title: str
    sha256: str
    file_type: FileType
    size_bytes: int

    @property
    def name(self) -> str:
        """The file's name in the files folder or zip: ``<sha256><extension>``."""
        return f"{self.sha256}{self.file_type.extension}"


def file_refs(document: dict[str, Any]) -> list[FileRef]:
    """The files a (schema-checked) data file refers to, in the order of its documents."""
    return [
        FileRef(
            row["id"], row["title"], row["sha256"], FileType(row["file_type"]), row["size_bytes"]
        )
        for row in document.get("documents") or ()
    ]


def is_zip_name(path: Path) -> bool:
    return path.suffix.lower() == ".zip"


def files_folder_for(path: Path) -> Path:
    """The folder beside a JSON data file: ``backlog-data.json`` → ``backlog-data.files``."""
    return path.with_name(path.stem + FILES_FOLDER_SUFFIX)


class FileSource(ABC):
    """Where the files of a data file are read from: a folder, a zip, or a profile's vault."""

    where: str  # for messages: "the folder “backlog-data.files”"

    @abstractmethod
    def open(self, ref: FileRef) -> Any:
        """A context manager giving the file's bytes. Raises FileNotFoundError when it is absent."""

    @abstractmethod
    def exists(self, ref: FileRef) -> bool: ...

    @contextmanager
    def local_path(self, ref: FileRef, scratch: Path) -> Iterator[Path]:
        """The file as a path on disk (copied into ``scratch`` when it is not one already).

        ``scratch`` is in the system's temporary folder, which BackLog points at a private
        folder in memory while an encrypted profile is open."""
        copy = scratch / ref.name
        try:
            with self.open(ref) as stream, copy.open("wb") as out:
                while chunk := stream.read(CHUNK_BYTES):
                    out.write(chunk)
            yield copy
        finally:
            copy.unlink(missing_ok=True)


class _PathFiles(FileSource):
    @abstractmethod
    def path_for(self, ref: FileRef) -> Path: ...

    def exists(self, ref: FileRef) -> bool:
        return self.path_for(ref).is_file()

    @contextmanager
    def open(self, ref: FileRef) -> Iterator[IO[bytes]]:
        path = self.path_for(ref)
        if not path.is_file():
            raise FileNotFoundError(path)
        with path.open("rb") as stream:
            yield stream

    @contextmanager
    def local_path(self, ref: FileRef, scratch: Path) -> Iterator[Path]:
        yield self.path_for(ref)


class FolderFiles(_PathFiles):
    """A files folder made by an export: ``<sha256><extension>`` side by side."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.where = f"the folder “{folder}”"

    def path_for(self, ref: FileRef) -> Path:
        return self.folder / ref.name


class VaultFiles(FileSource):
    """The files of an open profile (what an export copies from): read through the vault, so
    an encrypted profile's originals are decrypted in memory, never copied to disk on the way
    (only to where the user chose to export them)."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.where = "this profile's documents"

    def exists(self, ref: FileRef) -> bool:
        return self.vault.has(ref.sha256, ref.file_type)

    @contextmanager
    def open(self, ref: FileRef) -> Iterator[IO[bytes]]:
        # FileNotFoundError when missing, as FileSource.open promises.
        with self.vault.open_read(ref.sha256, ref.file_type) as stream:
            yield stream


class ZipFiles(FileSource):
    """The ``files/`` entries of a zip made by an export."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = f"the zip file “{path.name}”"

    def exists(self, ref: FileRef) -> bool:
        with zipfile.ZipFile(self.path) as archive:
            try:
                archive.getinfo(ZIP_FILES_PREFIX + ref.name)
            except KeyError:
                return False
            return True

    @contextmanager
    def open(self, ref: FileRef) -> Iterator[IO[bytes]]:
        with zipfile.ZipFile(self.path) as archive:
            try:
                info = archive.getinfo(ZIP_FILES_PREFIX + ref.name)
            except KeyError:
                raise FileNotFoundError(ref.name) from None
            if info.file_size != ref.size_bytes:
                raise WrongSizeError()
            with archive.open(info) as stream:
                yield stream


class WrongSizeError(Exception):
    """A zip entry's recorded size is not the document's size (read nothing)."""


def is_zip_file(path: Path) -> bool:
    """True for a zip (judged by its first bytes, whatever its name says)."""
    with path.open("rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


def data_files_for(path: Path) -> FileSource:
    """Where the documents' files of the data file ``path`` are: inside it or beside it."""
    try:
        inside = is_zip_file(path)
    except OSError:
        inside = False  # reading the data file itself says what is wrong
    return ZipFiles(path) if inside else FolderFiles(files_folder_for(path))
