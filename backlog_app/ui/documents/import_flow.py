"""Adding documents from the GUI: choose or drop files, add them in the background, ask for passwords.

``add_documents`` is the one entry point (File → Add Documents…, the Documents page's button, files
dropped on the window). The files are checked and copied on the window's job runner with progress
and Cancel; locked PDFs are then asked for one at a time; one plain summary ends the import, and
text reading starts in the background.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QWidget

from backlog_app.errors import Cancelled, UserError
from backlog_app.services.context import ProfileSession
from backlog_app.services.document_import import DuplicateDocumentError, ImportReport
from backlog_app.services.progress import Progress
from backlog_app.storage.file_inspect import DocumentFileError, PasswordRequiredError, display_name
from backlog_app.ui.documents.text_status import start_reading_text
from backlog_app.ui.jobs import JobRunner
from backlog_app.ui.messages import Messages, PasswordAnswer

log = logging.getLogger("backlog.ui.documents")

FILE_FILTER = (
    "Documents (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.heic *.heif *.webp);;All files (*)"
)
SUMMARY_TITLE = "Adding documents"
PASSWORD_TITLE = "Password needed"
WRONG_PASSWORD = (
    "That password did not open it. Check the letter or e-mail the PDF came with; "
    "capital letters matter."
)

# Where the file dialog opens next time (this run of the app only).
_last_folder: Path | None = None


@dataclass
class ImportOutcome:
    """Everything one call of ``add_documents`` did, for the summary."""

    report: ImportReport = field(default_factory=ImportReport)
    skipped: list[Path] = field(default_factory=list)  # locked PDFs whose password was not given
    other_problems: list[str] = field(default_factory=list)
    not_reached: int = 0  # files not looked at because the user pressed Cancel
    files: int = 0


def add_documents(
    parent: QWidget,
    session: ProfileSession,
    jobs: JobRunner,
    messages: Messages,
    paths: list[Path] | None = None,
) -> None:
    """Add files to the profile's documents: from ``paths``, or chosen in a file dialog.

    Returns at once; the files are added in the background, then locked PDFs are asked for, and
    one summary says what happened. Nothing is asked when the user cancels the file dialog.
    """
    if paths is None:
        paths = choose_files(parent)
    if not paths:
        return
    chosen = [Path(path) for path in paths]

    def job(progress: Progress) -> ImportOutcome:
        return _add_each(session, chosen, progress)

    def added(outcome: ImportOutcome) -> None:
        _ask_passwords(parent, session, jobs, messages, outcome)
        _finish(parent, messages, outcome)

    jobs.run(_job_title(chosen), job, added)


def choose_files(parent: QWidget) -> list[Path]:
    """The file dialog: several files at once, documents and pictures first."""
    global _last_folder
    start = _last_folder if _last_folder is not None and _last_folder.is_dir() else Path.home()
    names, _ = QFileDialog.getOpenFileNames(parent, "Add documents", str(start), FILE_FILTER)
    paths = [Path(name) for name in names]
    if paths:
        _last_folder = paths[0].parent
    return paths


def _job_title(paths: Sequence[Path]) -> str:
    if len(paths) == 1:
        return f"Adding “{display_name(paths[0])}”…"
    return f"Adding {len(paths)} documents…"


def _add_each(session: ProfileSession, paths: Sequence[Path], progress: Progress) -> ImportOutcome:
    """Add the files; Cancel keeps the ones already added and says how many were not looked at."""
    report = session.importer.add_files(paths, progress=progress)
    outcome = ImportOutcome(report=report, files=len(paths))
    if report.cancelled:
        looked_at = (
            len(report.added)
            + len(report.duplicates)
            + len(report.refused)
            + len(report.need_password)
        )
        outcome.not_reached = len(paths) - looked_at
    return outcome


def _ask_passwords(
    parent: QWidget,
    session: ProfileSession,
    jobs: JobRunner,
    messages: Messages,
    outcome: ImportOutcome,
) -> None:
    """Ask for each locked PDF's password in turn; a wrong one is asked again with the reason."""
    waiting = list(outcome.report.need_password)
    outcome.report.need_password.clear()
    if outcome.report.cancelled:  # the user wants to stop: no questions now
        outcome.skipped.extend(waiting)
        return
    for number, path in enumerate(waiting, start=1):
        problem: str | None = None
        name = display_name(path)
        which = f" ({number} of {len(waiting)})" if len(waiting) > 1 else ""
        while True:
            answer = messages.ask_password(
                PASSWORD_TITLE,
                f"“{name}” is protected with a password{which}.\n"
                "Type the password to add it. It is often in the letter or e-mail the PDF "
                "came with.",
                offer_remember=True,
                problem=problem,
                accept="&Add",
                cancel="&Skip this file",
            )
            if answer is None:
                outcome.skipped.append(path)
                break

            job = _add_locked(session, path, answer)
            try:
                document_id = jobs.run_and_wait(f"Adding “{name}”…", job)
            except PasswordRequiredError:
                problem = WRONG_PASSWORD
                continue
            except DuplicateDocumentError as exc:
                outcome.report.duplicates.append(exc)
            except DocumentFileError as exc:
                outcome.report.refused.append(exc)
            except Cancelled:
                outcome.skipped.append(path)
            except UserError as exc:
                outcome.other_problems.append(exc.message)
            else:
                outcome.report.added.append(document_id)
                outcome.report.added_files.append(path)
            break


def _add_locked(
    session: ProfileSession, path: Path, answer: PasswordAnswer
) -> Callable[[Progress], int]:
    def job(progress: Progress) -> int:
        return session.importer.add(
            path, password=answer.password, remember_password=answer.remember, progress=progress
        )

    return job


def _finish(parent: QWidget, messages: Messages, outcome: ImportOutcome) -> None:
    if outcome.report.added:
        start_reading_text(parent)
    text = import_summary(outcome)
    log.info(
        "documents added: %d of %d (%d duplicates, %d refused, %d skipped)",
        len(outcome.report.added),
        outcome.files,
        len(outcome.report.duplicates),
        len(outcome.report.refused) + len(outcome.other_problems),
        len(outcome.skipped),
    )
    if len(outcome.report.added) == outcome.files and not outcome.report.notes:
        reading = " BackLog reads their text in the background." if outcome.files > 1 else ""
        show_status(parent, text + reading, messages)
    elif outcome.report.refused or outcome.skipped or outcome.other_problems:
        messages.problem(SUMMARY_TITLE, text)
    else:
        messages.info(SUMMARY_TITLE, text)


def import_summary(outcome: ImportOutcome) -> str:
    """One plain summary: how many were added, then each file that was not, and why."""
    report = outcome.report
    refused = [f"“{display_name(error.path)}”: {error.reason}" for error in report.refused]
    refused += outcome.other_problems
    if outcome.files == 1 and not report.added and not outcome.not_reached:
        # One file: its own sentence says it all.
        if report.duplicates:
            return report.duplicates[0].message
        if report.refused:
            return report.refused[0].message
        if outcome.skipped:
            return f"“{display_name(outcome.skipped[0])}” was not added: it needs its password."
        if outcome.other_problems:
            return outcome.other_problems[0]
    added = len(report.added)
    if added == 1:
        lines = ["1 document added."]
    elif added:
        lines = [f"{added} documents added."]
    else:
        lines = ["No documents were added."]
    if report.notes:
        lines += ["", *report.notes]
    if report.duplicates:
        lines += ["", f"{_were(len(report.duplicates))} already in your documents:"]
        lines += [f"• {error.message}" for error in report.duplicates]
    if refused:
        lines += ["", f"{_were(len(refused))} not added:"]
        lines += [f"• {line}" for line in refused]
    if outcome.skipped:
        lines += ["", f"{_were(len(outcome.skipped))} skipped because the password was not given:"]
        lines += [f"• “{display_name(path)}”" for path in outcome.skipped]
        lines.append(
            f"Add {'it' if len(outcome.skipped) == 1 else 'them'} again when you have the password."
        )
    if outcome.not_reached:
        files = "file was" if outcome.not_reached == 1 else "files were"
        lines += [
            "",
            f"You pressed Cancel, so {outcome.not_reached} {files} not looked at. "
            "Add them again to continue.",
        ]
    return "\n".join(lines)


def _were(count: int) -> str:
    return f"{count} was" if count == 1 else f"{count} were"


def show_status(widget: QWidget, text: str, messages: Messages) -> None:
    """A quiet note in the main window's status bar (a dialog when there is no main window)."""
    top: QWidget | None = widget.window()
    while top is not None and not isinstance(top, QMainWindow):
        parent = top.parentWidget()
        top = parent.window() if parent is not None else None
    if isinstance(top, QMainWindow):
        top.statusBar().showMessage(text, 10_000)
    else:
        messages.info(SUMMARY_TITLE, text)


# Drag and drop --------------------------------------------------------------------------------


def dropped_paths(mime: QMimeData) -> list[Path]:
    """The local files and folders in a drag (web links and text are not documents)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class FileDropTarget(QObject):
    """Takes files dropped anywhere on ``window``, even over a text field or a list.

    Watches drag events application-wide (a child such as a line edit would otherwise take the
    drop as text) and hands the dropped paths to ``on_files`` once the drop is over, so the
    file manager is not kept waiting while BackLog asks questions.

    Args:
        window: the main window whose widgets accept dropped files.
        on_files: called with the dropped paths.
        accepting: whether drops are welcome now (a profile is open).
    """

    def __init__(
        self,
        window: QWidget,
        on_files: Callable[[list[Path]], None],
        accepting: Callable[[], bool],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._on_files = on_files
        self._accepting = accepting
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def remove(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in _DRAG_EVENTS or not isinstance(watched, QWidget):
            return False
        if watched.window() is not self._window or not self._accepting():
            return False
        assert isinstance(event, QDragEnterEvent | QDragMoveEvent | QDropEvent)
        paths = dropped_paths(event.mimeData())
        if not paths:
            return False
        event.acceptProposedAction()
        if kind == QEvent.Type.Drop:
            QTimer.singleShot(0, lambda: self._on_files(paths))
        return True


_DRAG_EVENTS = (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)
