"""Opening the original in the system viewer and saving a copy of it elsewhere."""

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


def open_in_viewer(documents: DocumentService, info: DocumentInfo, messages: Messages) -> bool:
    """Open the stored original (read-only in the vault) with the system's viewer."""
    try:
        path = documents.file_path(info.id)
    except UserError as exc:
        messages.problem("Open in viewer", exc.message)
        return False
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        messages.problem(
            "Open in viewer",
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
    """Ask where, then copy the original there in the background (byte for byte)."""
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
