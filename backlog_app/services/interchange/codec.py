"""Reading, checking and writing BackLog data files (format "backlog-data", version 1).

The records are JSON; the documents' files travel beside it in a folder or with it in a zip
(``files.py``). Import checks everything, files included, before it writes anything.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
from sqlalchemy import Date, DateTime, inspect, select
from sqlalchemy.exc import IntegrityError

from backlog_app import __version__
from backlog_app.errors import DataFileError, UserError, ValidationError
from backlog_app.services.changes import ALL_CHANGES
from backlog_app.services.context import ProfileSession
from backlog_app.services.documents import reindex
from backlog_app.services.interchange import files as bundle
from backlog_app.services.interchange import transfer
from backlog_app.services.interchange.files import FileSource, VaultFiles
from backlog_app.services.interchange.tables import TABLES, InterchangeTable
from backlog_app.services.progress import Progress
from backlog_app.storage.backup import fsync_dir
from backlog_app.storage.database import current_revision
from backlog_app.storage.models import Base, Document
from backlog_app.storage.write_errors import write_error

log = logging.getLogger("backlog.interchange")

FORMAT_NAME = "backlog-data"
FORMAT_VERSION = 1
SCHEMA_RESOURCE = "backlog-data-1.schema.json"
# A data file of ten years of records is a few MB; anything far larger is not ours.
MAX_FILE_BYTES = 512 * 1024 * 1024


def export_data(profile: ProfileSession, progress: Progress | None = None) -> dict[str, Any]:
    """Every record of ``profile`` as a JSON-ready dict, read in one consistent snapshot."""
    progress = progress or Progress()
    document: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_by": f"BackLog {__version__}",
        "schema_revision": current_revision(profile.paths.database) or "",
    }
    with profile.database.read() as session:
        for index, table in enumerate(TABLES):
            progress.report(index, len(TABLES), f"Reading {table.key.replace('_', ' ')}")
            key_columns = inspect(table.model).primary_key
            rows = session.scalars(select(table.model).order_by(*key_columns)).all()
            encoded = [_encode_row(table.model, row) for row in rows]
            document[table.key] = (encoded[0] if encoded else None) if table.single else encoded
    progress.report(len(TABLES), len(TABLES))
    return document


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote."""

    path: Path
    files_folder: Path | None  # None: no documents, or they are inside the zip
    file_count: int
    file_bytes: int

    def describe(self) -> str:
        """ "Wrote X" in words, for the CLI and the status bar."""
        if not self.file_count:
            return f"Wrote {self.path}"
        files = f"{self.file_count} document file{'s' if self.file_count != 1 else ''}"
        size = f"{self.file_bytes / (1024 * 1024):,.1f} MB"
        if self.files_folder is None:
            return f"Wrote {self.path} (the records and {files}, {size})"
        return f"Wrote {self.path} and {files} ({size}) in {self.files_folder}"


def export_to_file(
    profile: ProfileSession, path: Path, progress: Progress | None = None
) -> ExportResult:
    """Export every record and every document file of ``profile`` to ``path`` (.json or .zip)."""
    progress = progress or Progress()
    document = export_data(profile, progress)
    return write_data_file(path, document, VaultFiles(profile.documents.vault), progress)


def dumps(document: dict[str, Any]) -> str:
    """The file's text: stable key order and indentation, so two exports can be compared."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_data_file(
    path: Path,
    document: dict[str, Any],
    files: FileSource | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write atomically: a crash leaves the old file or the new one, never half of one.

    A path ending in ``.zip`` gets one zip (``data.json`` and ``files/``); any other path gets
    the JSON, and the documents' files go to the folder beside it (``NAME.files``), written
    before the JSON so that a data file never lists files that are not there yet. Without
    ``files`` only the records are written (the documents' files are left out).
    """
    path = path.expanduser()
    progress = progress or Progress()
    if path.is_dir():
        raise UserError(f"{path} is a folder; give a file name such as backlog-data.json.")
    refs = bundle.file_refs(document) if files is not None else []
    total = sum(ref.size_bytes for ref in refs)

    def copied(done: int) -> None:
        progress.report(done, total, "Copying document files")

    if bundle.is_zip_name(path):
        transfer.write_zip(path, dumps(document), refs, files, copied)
        return ExportResult(path, None, len(refs), total)
    folder = bundle.files_folder_for(path)
    if folder == path:
        raise UserError(f"Give the data file a name ending in .json or .zip, not {path.name}.")
    if refs and files is not None:
        transfer.write_files_folder(folder, refs, files, copied)
    _write_text(path, dumps(document))
    if files is not None:
        transfer.remove_stale_files(folder, {ref.name for ref in refs})
    return ExportResult(path, folder if refs else None, len(refs), total)


def _write_text(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        partial.replace(path)
        fsync_dir(path.parent)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise write_error(exc, path) from exc


def read_data_file(path: Path) -> dict[str, Any]:
    """Load and check a data file (the JSON, or the zip holding it). Raises DataFileError."""
    try:
        if bundle.is_zip_file(path):
            raw = transfer.read_zip_data(path, MAX_FILE_BYTES)
        else:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise DataFileError(
                    f"{path} is too large ({size:,} bytes) to be a BackLog data file."
                )
            raw = path.read_bytes()
        text = raw.decode("utf-8")
    except FileNotFoundError as exc:
        raise DataFileError(f"There is no file {path}.") from exc
    except IsADirectoryError as exc:
        raise DataFileError(f"{path} is a folder, not a data file.") from exc
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{path} is not a BackLog data file (it is not text).") from exc
    except OSError as exc:
        raise DataFileError(f"BackLog could not read {path}: {exc.strerror or exc}.") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(
            f"{path} is not a BackLog data file (not valid JSON: line {exc.lineno})."
        ) from exc
    check_document(document, source=str(path))
    return document  # type: ignore[no-any-return]


def check_document(document: Any, *, source: str = "The data file") -> None:
    """Format, version and JSON Schema checks. Raises DataFileError."""
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise DataFileError(f'{source} is not a BackLog data file (no "format": "{FORMAT_NAME}").')
    version = document.get("version")
    if not isinstance(version, int):
        raise DataFileError(f"{source} has no format version.")
    if version > FORMAT_VERSION:
        raise DataFileError(
            f"{source} was written by a newer BackLog (format version {version}); "
            "install the newest BackLog to import it."
        )
    error = jsonschema.exceptions.best_match(_validator().iter_errors(document))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "the top level"
        raise DataFileError(f"{source} is damaged or incomplete at {where}: {error.message}.")


def import_data(
    profile: ProfileSession,
    document: dict[str, Any],
    progress: Progress | None = None,
    files: FileSource | None = None,
) -> dict[str, int]:
    """Write every record of ``document`` and its documents' files into the empty ``profile``.

    All or nothing: every record and every file (present, same size, same SHA-256, the type it
    claims) is checked before anything is written; then the files are copied into the vault and
    the records written in one transaction. If that fails, the copied files are removed again.
    Ids and timestamps are kept, so exporting the imported profile gives the same file.

    Args:
        files: where the documents' files are (``data_files_for(path)``); needed when the data
            file lists documents.

    Returns:
        How many records of each type were imported, by key.

    Raises:
        UserError: the profile already holds records, or a record breaks a rule.
        DataFileError: the file is damaged, or a document's file is missing or damaged.
    """
    progress = progress or Progress()
    check_document(document)
    if not profile.is_empty():
        raise UserError(
            "This profile already holds records; import only into a new, empty profile "
            "(for example `backlog --profile NEW_FOLDER data import FILE`)."
        )
    decoded = {table.key: _decode_rows(table, document.get(table.key)) for table in TABLES}
    _check_rules(decoded, profile.clock())
    refs = bundle.file_refs(document)
    if refs and files is None:
        raise DataFileError(
            f"The data file lists {len(refs)} documents, but not where their files are."
        )
    total_bytes = sum(ref.size_bytes for ref in refs)
    if files is not None and refs:
        transfer.verify_files(
            refs, files, lambda n: progress.report(n, total_bytes, "Checking document files")
        )
    vault = profile.documents.vault
    added: list[bundle.FileRef] = []
    try:
        if files is not None and refs:
            # The default temporary folder: zip entries are unpacked there to be stored (and
            # encrypted, in an encrypted profile); never as plain copies in the profile folder.
            with tempfile.TemporaryDirectory(prefix="backlog-import-") as scratch:
                added = transfer.store_files(
                    refs,
                    files,
                    vault,
                    Path(scratch),
                    lambda n: progress.report(n, total_bytes, "Copying document files"),
                )
        counts = _write_records(profile, decoded, progress)
    except BaseException:
        transfer.remove_files(vault, added)
        raise
    profile.changes.announce(ALL_CHANGES)
    log.info("imported %s", counts)
    return counts


def _write_records(
    profile: ProfileSession, decoded: dict[str, list[dict[str, Any]]], progress: Progress
) -> dict[str, int]:
    counts: dict[str, int] = {}
    total = sum(len(rows) for rows in decoded.values())
    done = 0
    try:
        with profile.database.write() as session:
            for table in TABLES:
                for values in decoded[table.key]:
                    session.add(table.model(**values))
                    done += 1
                    if done % 500 == 0:
                        progress.report(done, total, "Importing records")
                session.flush()
                counts[table.key] = len(decoded[table.key])
            for row in session.scalars(select(Document)):
                reindex(session, row)  # the search index is not in the file: rebuild it
            # Last chance to cancel: leaving the block with an exception rolls everything back.
            progress.report(total, total, "Saving")
    except IntegrityError as exc:
        log.info("import refused by the database: %s", exc.orig)
        raise DataFileError(
            "The data file's records do not fit together (the database refused them: "
            f"{exc.orig}); nothing was imported."
        ) from exc
    return counts


# ----------------------------------------------------------------------------------------------


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    schema_text = resources.files(__package__).joinpath(SCHEMA_RESOURCE).read_text("utf-8")
    schema = json.loads(schema_text)
    return jsonschema.Draft202012Validator(schema)


def schema_path() -> Path:
    """The shipped JSON Schema file (for docs and tests)."""
    return Path(str(resources.files(__package__).joinpath(SCHEMA_RESOURCE)))


def _encode_row(model: type[Base], row: Base) -> dict[str, Any]:
    encoded: dict[str, Any] = {}
    for column in model.__table__.columns:
        value = getattr(row, column.key)
        if isinstance(value, dt.date | dt.datetime):
            value = value.isoformat()
        encoded[column.key] = value
    return encoded


def _decode_rows(table: InterchangeTable, records: Any) -> list[dict[str, Any]]:
    if records is None:
        return []
    rows = [records] if table.single else records
    decoded = []
    for position, record in enumerate(rows):
        values: dict[str, Any] = {}
        for column in table.model.__table__.columns:
            if column.key in table.later_columns:
                value = record.get(column.key)
            else:
                value = record[column.key]
            if isinstance(value, str) and column.nullable and not value.strip():
                value = None  # as the forms do: a blank optional field is unknown, not ""
            elif value is not None and isinstance(column.type, DateTime):
                value = _parse(dt.datetime.fromisoformat, value, table, position, column.key)
            elif value is not None and isinstance(column.type, Date):
                value = _parse(dt.date.fromisoformat, value, table, position, column.key)
            values[column.key] = value
        decoded.append(values)
    return decoded


def _parse(parser: Any, value: str, table: InterchangeTable, position: int, key: str) -> Any:
    try:
        return parser(value)
    except ValueError as exc:
        raise DataFileError(
            f"The data file has an impossible date “{value}” in {table.key}/{position}/{key}."
        ) from exc


def _check_rules(decoded: dict[str, list[dict[str, Any]]], today: dt.date) -> None:
    """The same rules the forms apply, so an edited file cannot sneak in bad records."""
    problems: list[str] = []
    ids: dict[str, set[Any]] = {}
    for table in TABLES:
        for position, values in enumerate(decoded[table.key]):
            problems += [f"{table.key}/{position}: {p}" for p in table.check(values, today)]
        (key,) = [column.name for column in inspect(table.model).primary_key]
        table_ids = [values[key] for values in decoded[table.key]]
        if len(table_ids) != len(set(table_ids)):
            problems.append(f"{table.key}: the same id is used twice.")
        ids[table.model.__tablename__] = set(table_ids)
        for columns in table.unique:
            # As in SQL, a key with an empty part never clashes (two unassigned care-team rows).
            keys = [tuple(values[c] for c in columns) for values in decoded[table.key]]
            seen = [key for key in keys if None not in key]
            if len(seen) != len(set(seen)):
                problems.append(f"{table.key}: the same {' and '.join(columns)} is used twice.")
    problems += _dangling_references(decoded, ids)
    problems += _calls_on_other_cases(decoded)
    if problems:
        raise ValidationError(["The data file was not imported:", *problems[:10]])


def _calls_on_other_cases(decoded: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Calls about an event of one case filed under another (the forms never allow it)."""
    case_of_event = {event["id"]: event["case_id"] for event in decoded["case_events"]}
    return [
        f"phone_calls/{position}: event_id {call['event_id']} is an event of another case."
        for position, call in enumerate(decoded["phone_calls"])
        if call["event_id"] in case_of_event
        and call["case_id"] is not None
        and case_of_event[call["event_id"]] != call["case_id"]
    ]


def _dangling_references(
    decoded: dict[str, list[dict[str, Any]]], ids: dict[str, set[Any]]
) -> list[str]:
    """Records pointing at an id that the file does not hold ("treatments/3: provider_id 99")."""
    problems = []
    for table in TABLES:
        for foreign_key in table.model.__table__.foreign_keys:
            column, parent = foreign_key.parent.name, foreign_key.column.table.name
            for position, values in enumerate(decoded[table.key]):
                value = values[column]
                if value is not None and value not in ids[parent]:
                    problems.append(
                        f"{table.key}/{position}: {column} {value} points at a record "
                        "that is not in the file."
                    )
    return problems
