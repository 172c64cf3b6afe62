"""Reading, checking and writing BackLog data files (format "backlog-data", version 1)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
from sqlalchemy import Date, DateTime, inspect, select

from backlog_app import __version__
from backlog_app.errors import DataFileError, UserError, ValidationError
from backlog_app.services.changes import ALL_CHANGES
from backlog_app.services.context import ProfileSession
from backlog_app.services.interchange.tables import TABLES, InterchangeTable
from backlog_app.services.progress import Progress
from backlog_app.storage.backup import fsync_dir
from backlog_app.storage.database import current_revision
from backlog_app.storage.models import Base

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


def dumps(document: dict[str, Any]) -> str:
    """The file's text: stable key order and indentation, so two exports can be compared."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_data_file(path: Path, document: dict[str, Any]) -> None:
    """Write atomically: a crash leaves the old file or the new one, never half of one."""
    path = path.expanduser()
    if path.is_dir():
        raise UserError(f"{path} is a folder; give a file name such as backlog-data.json.")
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("w", encoding="utf-8") as handle:
            handle.write(dumps(document))
            handle.flush()
            os.fsync(handle.fileno())
        partial.replace(path)
        fsync_dir(path.parent)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise UserError(f"BackLog could not write {path}: {exc.strerror or exc}.") from exc


def read_data_file(path: Path) -> dict[str, Any]:
    """Load and check a data file. Raises DataFileError with a plain message."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataFileError(f"{path} is too large ({size:,} bytes) to be a BackLog data file.")
        text = path.read_text(encoding="utf-8")
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
    profile: ProfileSession, document: dict[str, Any], progress: Progress | None = None
) -> dict[str, int]:
    """Write every record of ``document`` into the empty ``profile``, all or nothing.

    Ids and timestamps are kept, so exporting the imported profile gives the same file.

    Returns:
        How many records of each type were imported, by key.

    Raises:
        UserError: the profile already holds records, or a record breaks a rule.
    """
    progress = progress or Progress()
    check_document(document)
    if not profile.is_empty():
        raise UserError(
            "This profile already holds records; import only into a new, empty profile "
            "(for example `backlog --profile NEW_FOLDER data import FILE`)."
        )
    decoded = {table.key: _decode_rows(table, document[table.key]) for table in TABLES}
    _check_rules(decoded, profile.clock())
    counts: dict[str, int] = {}
    total = sum(len(rows) for rows in decoded.values())
    done = 0
    with profile.database.write() as session:
        for table in TABLES:
            for values in decoded[table.key]:
                session.add(table.model(**values))
                done += 1
                if done % 500 == 0:
                    progress.report(done, total, "Importing records")
            session.flush()
            counts[table.key] = len(decoded[table.key])
        # Last chance to cancel: leaving the block with an exception rolls everything back.
        progress.report(total, total, "Saving")
    profile.changes.announce(ALL_CHANGES)
    log.info("imported %s", counts)
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
    for table in TABLES:
        for position, values in enumerate(decoded[table.key]):
            problems += [f"{table.key}/{position}: {p}" for p in table.check(values, today)]
        (key,) = [column.name for column in inspect(table.model).primary_key]
        ids = [values[key] for values in decoded[table.key]]
        if len(ids) != len(set(ids)):
            problems.append(f"{table.key}: the same id is used twice.")
    if problems:
        raise ValidationError(["The data file was not imported:", *problems[:10]])
