"""Where a backup is restored: a new, empty folder (suggested beside the profile), or — after an
explicit confirmation — over an existing profile, which is moved aside and kept, never deleted.

``target_problem`` is the rule (pure, tested with a table); ``RestoreTargetDialog`` the window.
"""

from __future__ import annotations

import enum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backlog_app.storage.profile import ProfilePaths
from backlog_app.ui.backup.notice import keep_text_unsqueezed, make_button
from backlog_app.ui.backup.words import folder_is_empty

DIALOG_WIDTH = 560


class TargetKind(enum.Enum):
    """What the chosen folder is."""

    NEW = "new"  # absent or empty: restore straight into it
    PROFILE = "profile"  # holds a profile: replace it only after a confirmation
    PROBLEM = "problem"  # cannot be used; the reason is said


def check_target(target: Path, open_profile: Path | None) -> tuple[TargetKind, str]:
    """Whether ``target`` can take a restored profile, and if not, why (plain words)."""
    if not str(target).strip() or not target.is_absolute():
        return TargetKind.PROBLEM, "Type or choose the full path of a new folder."
    if open_profile is not None and _same(target, open_profile):
        return (
            TargetKind.PROBLEM,
            "That is the profile open now. Choose a new folder: you can open the restored "
            "profile afterwards.",
        )
    if target.exists() and not target.is_dir():
        return TargetKind.PROBLEM, "That is a file, not a folder. Choose a new folder."
    if folder_is_empty(target):
        return TargetKind.NEW, ""
    if ProfilePaths(target).has_database():
        return TargetKind.PROFILE, ""
    return (
        TargetKind.PROBLEM,
        "That folder already holds other files. Choose an empty folder, or type a new name.",
    )


def replace_warning(target: Path) -> str:
    """The confirmation before restoring over an existing profile."""
    return (
        f"{target} already holds a BackLog profile. Replace it with the backup?\n\n"
        "The profile there now is not deleted: BackLog moves it aside into a folder named "
        f"“{target.name}.before-restore-…” next to it, and keeps it."
    )


def _same(first: Path, second: Path) -> bool:
    try:
        return first.resolve() == second.resolve()
    except OSError:
        return first == second


class RestoreTargetDialog(QDialog):
    """Choose the folder to restore into; the suggestion is a new folder beside the profile.

    Args:
        suggested: the folder offered first ("<profile>-restored-2026-11-27").
        open_profile: the profile open now, which a restore must not replace under itself.
    """

    def __init__(
        self, suggested: Path, open_profile: Path | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore into a folder")
        self.setModal(True)
        self._suggested_name = suggested.name
        self._open_profile = open_profile
        self.kind = TargetKind.PROBLEM
        intro = QLabel(
            "BackLog restores the backup into a new, empty folder, so nothing you have now is "
            "changed. The folder below is new; you can keep it or choose another.",
            self,
        )
        intro.setWordWrap(True)
        self.folder = QLineEdit(str(suggested), self)
        self.folder.setAccessibleName("Folder to restore into")
        self.folder.setMinimumWidth(380)
        self.choose_button = QPushButton("&Choose…", self)
        self.choose_button.setAccessibleName("Choose a folder")
        self.choose_button.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.choose_button)
        self.problem = QLabel(self)
        self.problem.setObjectName("problems")
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.hide()
        self.folder.textChanged.connect(lambda _text: self.problem.hide())
        self.buttons = QDialogButtonBox(self)
        self.restore_button = make_button("&Restore", self, primary=True)
        self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setDefault(True)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        label = QLabel("&Folder:", self)
        label.setBuddy(self.folder)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addWidget(label)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        keep_text_unsqueezed(self, DIALOG_WIDTH)

    def target(self) -> Path:
        return Path(self.folder.text().strip()).expanduser()

    def try_accept(self) -> None:
        """Accept a usable folder; otherwise say what is wrong and stay open."""
        self.kind, problem = check_target(self.target(), self._open_profile)
        if self.kind is TargetKind.PROBLEM:
            self.problem.setText(problem)
            self.problem.show()
            keep_text_unsqueezed(self, DIALOG_WIDTH)
            return
        self.accept()

    def _choose(self) -> None:
        """A profile or an empty folder is taken as it is; any other folder gets the new
        folder's name inside it (a USB drive's top folder, say)."""
        start = self.target().parent if self.folder.text().strip() else Path.home()
        chosen = QFileDialog.getExistingDirectory(
            self, "Choose a folder to restore into", str(start)
        )
        if not chosen:
            return
        folder = Path(chosen)
        if not folder_is_empty(folder) and not ProfilePaths(folder).has_database():
            folder = folder / self._suggested_name
        self.folder.setText(str(folder))
