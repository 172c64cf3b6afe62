"""Tools → Check Documents…: check every stored file in the background, show what was found, repair.

The check reads every file (hash, presence, thumbnail), so it runs on the window's job runner with
progress and Cancel. Repair rebuilds the search index and the thumbnails; it never deletes or
changes an original file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from backlog_app.services.context import ProfileSession
from backlog_app.services.progress import Progress
from backlog_app.ui.jobs import JobRunner

if TYPE_CHECKING:
    from backlog_app.services.vault_check import VaultReport

REPAIR_EXPLAINED = (
    "Repair rebuilds the search index and the small preview pictures. "
    "It never deletes or changes your original files."
)
CANNOT_REPAIR = "Repair cannot bring back a missing or damaged file."


def check_documents(parent: QWidget, session: ProfileSession, jobs: JobRunner) -> None:
    """Run the check in the background, then show its report (and offer Repair)."""
    from backlog_app.services.vault_check import check_vault

    def job(progress: Progress) -> VaultReport:
        return check_vault(session.documents, progress=progress)

    jobs.run(
        "Checking your documents…",
        job,
        lambda report: show_report(parent, session, jobs, report),
    )


def show_report(
    parent: QWidget,
    session: ProfileSession,
    jobs: JobRunner,
    report: VaultReport,
    *,
    repaired: bool = False,
) -> None:
    """Show ``report``; when the user presses Repair, repair in the background and show again."""
    from backlog_app.services.vault_check import check_vault

    dialog = CheckDialog(report, parent, repaired=repaired)
    if dialog.exec() != CheckDialog.REPAIR:
        return

    def job(progress: Progress) -> VaultReport:
        return check_vault(session.documents, repair=True, progress=progress)

    jobs.run(
        "Repairing your documents…",
        job,
        lambda fixed: show_report(parent, session, jobs, fixed, repaired=True),
    )


def can_repair(report: VaultReport) -> bool:
    """Whether Repair would help: thumbnails to draw, an index to rebuild, stray files to file."""
    return report.thumbnails_missing > 0 or report.index_stale or bool(report.orphans)


class CheckDialog(QDialog):
    """The check's findings in plain lines, with Repair when it can help and Close."""

    REPAIR = 2  # the dialog's result when the user pressed Repair

    def __init__(
        self, report: VaultReport, parent: QWidget | None = None, *, repaired: bool = False
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Check documents")
        self.setModal(True)
        self.report = report
        if repaired:
            headline = (
                "Repair finished; some problems remain."
                if _still_wrong(report)
                else "Repair finished."
            )
        else:
            headline = (
                "All your documents are safe." if report.ok else "Some documents need attention."
            )
        self.headline = QLabel(headline, self)
        font = QFont(self.headline.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.headline.setFont(font)
        self.headline.setWordWrap(True)
        self.lines = QListWidget(self)
        self.lines.setAccessibleName("What the check found")
        self.lines.setWordWrap(True)
        self.lines.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.lines.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lines.addItems(report.lines())
        self.lines.setMinimumSize(520, 180)
        self.advice = QLabel(self)
        self.advice.setWordWrap(True)
        self.advice.setObjectName("fieldHint")
        advice = []
        repairable = can_repair(report) and not repaired
        if repairable:
            advice.append(REPAIR_EXPLAINED)
        if repairable and (report.missing or report.damaged):
            advice.append(CANNOT_REPAIR)
        self.advice.setText("\n\n".join(advice))
        self.advice.setVisible(bool(advice))
        self.buttons = QDialogButtonBox(self)
        self.repair_button = self.buttons.addButton(
            "&Repair", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.repair_button.setAccessibleName("Repair")
        self.repair_button.setVisible(repairable)
        self.repair_button.clicked.connect(lambda: self.done(self.REPAIR))
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        close.setDefault(not repairable)
        self.repair_button.setDefault(repairable)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.headline)
        layout.addWidget(self.lines, 1)
        layout.addWidget(self.advice)
        layout.addWidget(self.buttons)


def _still_wrong(report: VaultReport) -> bool:
    """What a repair leaves for the user (a rebuilt index counts as fixed, as its line says)."""
    return bool(
        report.missing
        or report.damaged
        or report.orphans
        or report.thumbnails_missing
        or (report.index_stale and not report.index_rebuilt)
    )
