"""A dialog that edits one record: Save keeps it open with plain problems until the record is valid."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from backlog_app.errors import UserError, ValidationError
from backlog_app.ui.widgets import ProblemList


class RecordDialog(QDialog):
    """Subclasses fill ``self.form`` (or ``self.body``) and implement ``collect()``; ``save`` writes the record.

    Args:
        title: window title.
        save: called with the collected record; raises ValidationError/UserError to refuse it.
    """

    def __init__(self, title: str, save: Callable[[Any], None], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self._save = save
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.problems = ProblemList(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.body = QVBoxLayout()
        self.body.addLayout(self.form)
        layout.addLayout(self.body, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

    def collect(self) -> Any:
        """The record built from the fields. Raise ValueError with a plain message for bad input."""
        raise NotImplementedError

    def try_save(self) -> None:
        try:
            record = self.collect()
            self._save(record)
        except ValidationError as exc:
            self.problems.show_problems(exc.problems)
            return
        except (UserError, ValueError) as exc:
            message = exc.message if isinstance(exc, UserError) else str(exc)
            self.problems.show_problems([message])
            return
        self.problems.clear_problems()
        self.accept()
