"""The scan inbox: a folder a scanner or phone-sync app drops files into, imported on request.

Each file is added like any other; added files (and files already in the vault) are then moved to
``imported/`` inside the inbox, never over a file of the same name. Refused files stay where they
are, so the user can see them, and are reported.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Collection
from pathlib import Path

from backlog_app.domain.documents import UNFINISHED_FILE_SUFFIXES
from backlog_app.errors import UserError
from backlog_app.services.document_import import DocumentImporter, ImportDefaults, ImportReport
from backlog_app.services.progress import Progress

log = logging.getLogger("backlog.documents")

IMPORTED_FOLDER = "imported"


def inbox_files(folder: Path) -> list[Path]:
    """The files waiting in the inbox, by name: hidden, unfinished and sub-folders are skipped.

    Symbolic links are listed (and then refused by the importer, with a reason), so the user
    learns why they stay.
    """
    try:
        children = list(folder.iterdir())
    except FileNotFoundError as exc:
        raise UserError(
            f"The scan inbox folder {folder} does not exist. Choose it again in Settings."
        ) from exc
    except NotADirectoryError as exc:
        raise UserError(
            f"The scan inbox {folder} is a file, not a folder. Choose a folder in Settings."
        ) from exc
    except OSError as exc:
        raise UserError(
            f"BackLog cannot read the scan inbox folder {folder} ({exc.strerror or exc})."
        ) from exc
    files = []
    for path in children:
        name = path.name
        if name.startswith(".") or name.startswith("~$") or name.endswith("~"):
            continue
        if name.lower().endswith(UNFINISHED_FILE_SUFFIXES):
            continue
        if path.is_dir() and not path.is_symlink():
            continue  # imported/ and whatever folders a sync app makes
        files.append(path)
    return sorted(files, key=lambda p: p.name.casefold())


def import_inbox(
    importer: DocumentImporter,
    folder: Path,
    progress: Progress | None = None,
    *,
    defaults: ImportDefaults | None = None,
    only: Collection[str] | None = None,
) -> ImportReport:
    """Import every file waiting in ``folder``; move added and duplicate ones to ``imported/``.

    Args:
        defaults: metadata for every file (kind "other", title from the file name by default).
        only: take just these file names (the watcher's "settled" files); files that arrived
            since, and may still be being written, wait for the next round.

    Raises:
        UserError: the inbox folder is missing or cannot be read.
    """
    files = inbox_files(folder)
    if only is not None:
        files = [path for path in files if path.name in only]
    report = importer.add_files(files, defaults, progress)
    done = [*report.added_files, *(error.path for error in report.duplicates)]
    moved = 0
    for path in done:
        try:
            move_without_overwrite(path, folder / IMPORTED_FOLDER)
            moved += 1
        except OSError as exc:
            # The document is safely in the vault; the file stays and shows as a duplicate
            # next time, when moving it is tried again.
            log.warning("inbox: could not move an imported file (%s)", exc.__class__.__name__)
    log.info(
        "inbox: %d files, %d added, %d duplicates, %d refused, %d need a password, %d moved",
        len(files),
        len(report.added),
        len(report.duplicates),
        len(report.refused),
        len(report.need_password),
        moved,
    )
    return report


def move_without_overwrite(path: Path, folder: Path) -> Path:
    """Move ``path`` into ``folder`` (created when needed) under its name, or "name (2).ext"…

    Never replaces an existing file: a hard link claims the new name atomically (it fails if the
    name is taken); where the file system has no hard links (FAT, some network drives) the name
    is checked first and then renamed.
    """
    folder.mkdir(exist_ok=True)
    number = 1
    while True:
        target = folder / (path.name if number == 1 else _numbered(path.name, number))
        number += 1
        try:
            os.link(path, target)
        except FileExistsError:
            continue
        except OSError:  # no hard links here
            if target.exists() or target.is_symlink():
                continue
            path.rename(target)  # Windows refuses to rename over an existing file, too
            return target
        path.unlink()
        return target


def _numbered(name: str, number: int) -> str:
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        return f"{name} ({number})"
    return f"{stem} ({number}).{suffix}"
