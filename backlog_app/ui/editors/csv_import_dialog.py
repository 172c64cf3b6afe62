"""Import a pain diary from another app's CSV: choose the file, map its columns, preview, import.

Reading the file and writing the check-ins run on the window's job runner; the preview is
recomputed on the GUI thread when the mapping changes (pure and quick, even for ten years).
Nothing is written until the user presses Import, and then every day goes in one transaction.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from backlog_app.errors import UserError, ValidationError
from backlog_app.services.context import ProfileSession
from backlog_app.services.csv_import import (
    DiaryFile,
    ExistingDays,
    ImportPreview,
    ImportResult,
    days_to_import,
    import_check_ins,
    open_diary,
)
from backlog_app.services.csv_table import CsvField, CsvMapping, DateFormat
from backlog_app.services.progress import Progress
from backlog_app.ui.editors.log_widgets import EnumCombo
from backlog_app.ui.jobs import JobRunner
from backlog_app.ui.messages import Messages
from backlog_app.ui.models.csv_preview_model import CsvPreviewModel
from backlog_app.ui.widgets import ProblemList

_PROBLEMS_LISTED = 6
_NOT_IN_FILE = "— not in the file —"
_MNEMONICS = {
    CsvField.DATE: "&Date",
    CsvField.PAIN: "&Pain (0–10)",
    CsvField.PAIN_WORST: "&Worst pain (0–10)",
    CsvField.SLEEP_HOURS: "&Hours of sleep",
    CsvField.NOTES: "&Notes",
}


def open_csv_import(
    profile: ProfileSession, messages: Messages, parent: QWidget, jobs: JobRunner
) -> None:
    """Ask for a diary file, then show the import dialog for it (File → Import Pain Diary)."""
    chosen, _ = QFileDialog.getOpenFileName(
        parent,
        "Import a pain diary",
        str(Path.home()),
        "CSV files (*.csv *.txt *.tsv);;All files (*)",
    )
    if not chosen:
        return
    dialog = CsvImportDialog(profile, messages, jobs, parent)
    dialog.load_file(Path(chosen))
    if dialog.exec() and dialog.import_result is not None:
        messages.info("Pain diary imported", dialog.import_result.summary())


class CsvImportDialog(QDialog):
    """The steps of a diary import on one screen: file, column mapping, preview, Import."""

    def __init__(
        self,
        profile: ProfileSession,
        messages: Messages,
        jobs: JobRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import a pain diary (CSV)")
        self._profile = profile
        self._messages = messages
        self._jobs = jobs
        self.diary: DiaryFile | None = None
        self.preview: ImportPreview | None = None
        self.import_result: ImportResult | None = None
        self._busy = False

        self.file_label = QLabel("No file chosen yet.")
        self.file_label.setWordWrap(True)
        self.choose_button = QPushButton("&Choose another file…")
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self._choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.choose_button)

        self.columns: dict[CsvField, QComboBox] = {}
        for csv_field in CsvField:
            combo = QComboBox()
            combo.setAccessibleName(f"Column for {csv_field.label}")
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(18)
            combo.currentIndexChanged.connect(
                self._date_column_changed if csv_field is CsvField.DATE else self.refresh
            )
            self.columns[csv_field] = combo
        self.date_format = QComboBox()
        self.date_format.setAccessibleName("How the dates are written")
        self.date_format.addItem("— please choose —", None)
        for date_format in DateFormat:
            self.date_format.addItem(date_format.label, date_format.value)
        self.date_format.currentIndexChanged.connect(self.refresh)
        self.date_hint = QLabel()
        self.date_hint.setObjectName("problemLines")
        self.date_hint.setWordWrap(True)
        self.date_hint.hide()
        mapping_box = QGroupBox("Which column holds what")
        grid = QGridLayout(mapping_box)
        grid.setHorizontalSpacing(10)
        cells: list[tuple[str, QComboBox]] = [
            (_MNEMONICS[CsvField.DATE], self.columns[CsvField.DATE]),
            ("Dates &are written", self.date_format),
            (_MNEMONICS[CsvField.PAIN], self.columns[CsvField.PAIN]),
            (_MNEMONICS[CsvField.PAIN_WORST], self.columns[CsvField.PAIN_WORST]),
            (_MNEMONICS[CsvField.SLEEP_HOURS], self.columns[CsvField.SLEEP_HOURS]),
            (_MNEMONICS[CsvField.NOTES], self.columns[CsvField.NOTES]),
        ]
        for index, (text, combo) in enumerate(cells):
            label = QLabel(text)
            label.setBuddy(combo)
            row, column = index // 2, (index % 2) * 2
            grid.addWidget(label, row, column)
            grid.addWidget(combo, row, column + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.addWidget(self.date_hint, 3, 0, 1, 4)
        pain_note = QLabel("A diary's pain rating is saved as the day's average pain.")
        pain_note.setObjectName("fieldHint")
        grid.addWidget(pain_note, 4, 0, 1, 4)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Import summary")
        self.problem_lines = QLabel()
        self.problem_lines.setObjectName("problemLines")
        self.problem_lines.setWordWrap(True)
        self.problem_lines.setTextFormat(Qt.TextFormat.PlainText)
        self.problem_lines.setAccessibleName("Rows with problems")
        self.model = CsvPreviewModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Preview of the diary rows")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        preview_box = QGroupBox("Preview — nothing is saved until you press Import")
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.addWidget(self.summary)
        preview_layout.addWidget(self.problem_lines)
        preview_layout.addWidget(self.table, 1)

        self.on_existing: EnumCombo[ExistingDays] = EnumCombo(
            "Days that already have a check-in", list(ExistingDays), none_label=None
        )
        existing_label = QLabel("Days already checked &in")
        existing_label.setBuddy(self.on_existing)
        existing_row = QHBoxLayout()
        existing_row.addWidget(existing_label)
        existing_row.addWidget(self.on_existing)
        existing_row.addStretch(1)

        self.problems = ProblemList(self)
        self.import_button = QPushButton("&Import")
        self.import_button.setDefault(True)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.buttons = QDialogButtonBox(self)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAccessibleName("Cancel the import")
        self.import_button.setAccessibleName("Import the days that are ready")
        self.choose_button.setAccessibleName("Choose another diary file")
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(mapping_box)
        layout.addWidget(preview_box, 1)
        layout.addLayout(existing_row)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.setStyleSheet("QLabel#problemLines { color: #8b1e1e; }")
        self.resize(920, 720)

    # Reading the file ------------------------------------------------------------------------

    def load_file(self, path: Path) -> None:
        """Read ``path`` in the background; the preview appears when it has been read."""
        self.file_label.setText(f"Reading {path.name}…")
        self._set_busy(True)

        def job(progress: Progress) -> DiaryFile:
            return open_diary(self._profile, path, progress)

        self._jobs.run(
            "Reading the diary…",
            job,
            self._loaded,
            on_cancelled=lambda: self._set_busy(False),
            raise_errors=self._job_failed,
        )

    def _choose_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Import a pain diary", "", "CSV files (*.csv *.txt *.tsv);;All files (*)"
        )
        if chosen:
            self.load_file(Path(chosen))

    def _loaded(self, diary: DiaryFile) -> None:
        self._set_busy(False)
        self.diary = diary
        table = diary.table
        separator = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "bars"}.get(
            table.delimiter, repr(table.delimiter)
        )
        self.file_label.setText(
            f"<b>{diary.path.name}</b> — {len(table.rows)} rows, columns separated by "
            f"{separator}, text in {table.encoding.replace('-sig', '').upper()}."
        )
        guessed = diary.guessed
        for csv_field, combo in self.columns.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_NOT_IN_FILE, None)
            for column, header in enumerate(table.headers):
                sample = next((r.cell(column) for r in table.rows if r.cell(column)), "")
                shown = f"{header}  (e.g. {sample[:24]})" if sample else header
                combo.addItem(shown, column)
            combo.setCurrentIndex(max(combo.findData(guessed.column(csv_field)), 0))
            combo.blockSignals(False)
        self._date_column_changed()

    def _date_column_changed(self) -> None:
        if self.diary is None:
            return
        detection = self.diary.date_detection(self.columns[CsvField.DATE].currentData())
        self.date_format.blockSignals(True)
        chosen = detection.chosen.value if detection.chosen else None
        self.date_format.setCurrentIndex(max(self.date_format.findData(chosen), 0))
        self.date_format.blockSignals(False)
        if detection.ambiguous:
            self.date_hint.setText(
                "⚠ These dates could be month first or day first (3/4/2026 is 4 March in the "
                "US, 3 April elsewhere). Please choose how the diary writes them."
            )
        elif not detection.candidates:
            self.date_hint.setText("No dates were recognised in this column.")
        else:
            self.date_hint.setText("")
        self.date_hint.setVisible(bool(self.date_hint.text()))
        self.refresh()

    # The preview ---------------------------------------------------------------------------

    def mapping(self) -> CsvMapping:
        format_value = self.date_format.currentData()
        return CsvMapping(
            date=self.columns[CsvField.DATE].currentData(),
            pain=self.columns[CsvField.PAIN].currentData(),
            pain_worst=self.columns[CsvField.PAIN_WORST].currentData(),
            sleep_hours=self.columns[CsvField.SLEEP_HOURS].currentData(),
            notes=self.columns[CsvField.NOTES].currentData(),
            date_format=DateFormat(format_value) if format_value else None,
        )

    def refresh(self) -> None:
        """Redo the preview with the current mapping."""
        if self.diary is None:
            return
        mapping = self.mapping()
        self.preview = self.diary.preview(mapping)
        self.model.set_preview(self.diary.table, mapping, self.preview)
        self.summary.setText(self.preview.summary())
        lines = self.preview.problem_lines()
        shown = lines[:_PROBLEMS_LISTED]
        if len(lines) > len(shown):
            shown.append(f"… and {len(lines) - len(shown)} more, shown in red in the table.")
        self.problem_lines.setText("\n".join(shown))
        self.problem_lines.setVisible(bool(shown))
        self.problems.clear_problems()
        self._update_import_button()

    def _update_import_button(self) -> None:
        ready = self.preview.ready_count if self.preview else 0
        self.import_button.setText(f"&Import {ready} day{'s' if ready != 1 else ''}")
        self.import_button.setEnabled(ready > 0 and not self._busy)

    # Importing -----------------------------------------------------------------------------

    def start_import(self) -> None:
        preview = self.preview
        on_existing = self.on_existing.value() or ExistingDays.SKIP
        if preview is None or self._busy:
            return
        try:
            days = days_to_import(preview, on_existing)
        except UserError as exc:
            self.problems.show_problems([exc.message])
            return
        if preview.problem_count and not self._messages.confirm(
            "Leave out the rows with problems?",
            f"{preview.problem_count} row(s) of the diary have problems and will not be "
            f"imported (they are listed in red). Import the other {len(days)} day(s)?",
            f"Import {len(days)} days",
        ):
            return
        self._set_busy(True)

        def job(progress: Progress) -> ImportResult:
            return import_check_ins(
                preview, on_existing, self._profile.log.check_ins.add_many, progress
            )

        self._jobs.run(
            "Importing your pain diary…",
            job,
            self._imported,
            on_cancelled=lambda: self._set_busy(False),
            raise_errors=self._job_failed,
        )

    def _imported(self, result: ImportResult) -> None:
        self._set_busy(False)
        self.import_result = result
        self.accept()

    def _job_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, ValidationError):
            self.problems.show_problems(error.problems)
        elif isinstance(error, UserError):
            self.problems.show_problems([error.message])
            if self.diary is None:
                self.file_label.setText("Choose the diary's CSV file.")
        else:
            # A bug: the crash handler logs it and apologises.
            sys.excepthook(type(error), error, error.__traceback__)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.cancel_button.setEnabled(not busy)
        self.choose_button.setEnabled(not busy)
        self._update_import_button()

    def reject(self) -> None:
        if not self._busy:  # an import in progress finishes (or is cancelled) first
            super().reject()
