"""Opening the original in the system viewer and saving a copy of it elsewhere.

Another program can only open a file on disk. For a plain profile that is the stored original
itself (read-only in the vault). An encrypted profile has no such file, and BackLog never writes
an unencrypted copy on its own: "Open in viewer" explains that and offers "Save a copy…", where
the user chooses the place.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget

from backlog_app.domain.documents import DocumentInfo
from backlog_app.errors import UserError
from backlog_app.services.documents import DocumentService, safe_file_name
from backlog_app.ui.jobs import JobRunner
from backlog_app.ui.messages import Messages

OPEN_TITLE = "Open in viewer"
ENCRYPTED_NO_VIEWER = (
    "This profile is protected with a passphrase, so its documents are kept encrypted. Another "
    "program could only open an unencrypted copy on the disk, which would stay there after you "
    "close it, so BackLog does not make one.\n\n"
    "Use “Save a copy…” to put a copy where you choose, and delete it when you are done."
)


def open_in_viewer(
    documents: DocumentService,
    info: DocumentInfo,
    messages: Messages,
    save_copy_instead: Callable[[], None] | None = None,
) -> bool:
    """Open the stored original (read-only in the vault) with the system's viewer.

    Args:
        save_copy_instead: starts "Save a copy…"; offered instead when the profile is
            encrypted (without it, the message only names that button).
    """
    # ``encrypted`` comes with encryption at rest; a vault without it is a plain one.
    if getattr(documents.vault, "encrypted", False):
        if save_copy_instead is None:
            messages.info(OPEN_TITLE, ENCRYPTED_NO_VIEWER)
        elif messages.confirm(OPEN_TITLE, ENCRYPTED_NO_VIEWER, "Save a copy…"):
            save_copy_instead()
        return False
    try:
        # Plain profiles only: there the file in the vault is the original itself.
        path = documents.file_path(info.id)
    except UserError as exc:
        messages.problem(OPEN_TITLE, exc.message)
        return False
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        messages.problem(
            OPEN_TITLE,
            f"No program on this computer opened “{info.data.title}”. Use “Save a copy…” and "
            "open the copy.",
        )
        return False
    return True


def save_copy(
    parent: QWidget,
    documents: DocumentService,
    info: DocumentInfo,
    jobs: JobRunner,
    show_status: Callable[[str], None],
) -> None:
    """Ask where, then copy the original there in the background (byte for byte; decrypted
    for an encrypted profile: the user chose to take a copy out of it)."""
    file_type = info.file.file_type
    suggested = Path.home() / safe_file_name(info.data.title, file_type)
    chosen, _ = QFileDialog.getSaveFileName(
        parent, "Save a copy", str(suggested), f"{file_type.label} (*{file_type.extension})"
    )
    if not chosen:
        return
    target = Path(chosen)
    if not target.suffix:
        target = target.with_suffix(file_type.extension)
    document_id = info.id
    jobs.run(
        "Saving a copy…",
        lambda _progress: documents.save_copy(document_id, target),
        lambda path: show_status(f"Saved a copy as {path}."),
    )


def confirm_removal(messages: Messages, info: DocumentInfo) -> bool:
    """Ask again before a document and its file are removed for good, naming it."""
    return messages.confirm(
        "Remove for good",
        f"Remove “{info.data.title}” for good?\n\nIts file is deleted from BackLog and cannot "
        "be brought back. Copies you keep elsewhere are not touched.",
        "Remove for good",
    )
