"""A table model over a pain-diary import preview: one row per diary row, problems highlighted."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from backlog_app.domain.dates import format_long_date
from backlog_app.services.csv_import import ImportPreview, PreviewRow, RowStatus
from backlog_app.services.csv_table import CsvField, CsvMapping, CsvTable

STATUS_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's RowStatus
LINE_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's line number in the file (int)

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("Line", "Date", "Pain", "Worst pain", "Sleep (h)", "Notes", "Status")
_FIELDS = (
    None,
    CsvField.DATE,
    CsvField.PAIN,
    CsvField.PAIN_WORST,
    CsvField.SLEEP_HOURS,
    CsvField.NOTES,
    None,
)
# Pale backgrounds that keep dark text readable; the Status column says the same in words.
_BACKGROUNDS = {
    RowStatus.PROBLEM: QColor("#fdecea"),
    RowStatus.EXISTING: QColor("#fff4d6"),
}
_TEXT = QColor("#1f1f1f")


class CsvPreviewModel(QAbstractTableModel):
    """What each diary row will become: its values as read, and Ready / Problem / Already there."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._table: CsvTable | None = None
        self._mapping: CsvMapping | None = None
        self._rows: tuple[PreviewRow, ...] = ()

    def set_preview(self, table: CsvTable, mapping: CsvMapping, preview: ImportPreview) -> None:
        self.beginResetModel()
        self._table, self._mapping, self._rows = table, mapping, preview.rows
        self.endResetModel()

    def preview_row(self, row: int) -> PreviewRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(index.row(), row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(row.problems) if row.problems else self._text(index.row(), row, column)
        if role == Qt.ItemDataRole.BackgroundRole and row.status in _BACKGROUNDS:
            return QBrush(_BACKGROUNDS[row.status])
        if role == Qt.ItemDataRole.ForegroundRole and row.status in _BACKGROUNDS:
            return QBrush(_TEXT)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 2, 3, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == STATUS_ROLE:
            return row.status
        if role == LINE_ROLE:
            return row.line
        return None

    def _text(self, number: int, row: PreviewRow, column: int) -> str:
        if column == 0:
            return str(row.line)
        if column == len(COLUMNS) - 1:
            if row.problems:
                return "⚠ " + " ".join(row.problems)
            return row.status.label
        csv_field = _FIELDS[column]
        check_in = row.check_in
        if check_in is None or csv_field is None:
            # A row with problems shows what the file says, so the user can find and fix it.
            return self._raw(number, csv_field)
        values = {
            CsvField.DATE: format_long_date(check_in.day),
            CsvField.PAIN: _number(check_in.pain_average),
            CsvField.PAIN_WORST: _number(check_in.pain_worst),
            CsvField.SLEEP_HOURS: _number(check_in.sleep_hours),
            CsvField.NOTES: " ".join((check_in.notes or "").split()),
        }
        return values[csv_field]

    def _raw(self, number: int, csv_field: CsvField | None) -> str:
        if self._table is None or self._mapping is None or csv_field is None:
            return ""
        return self._table.rows[number].cell(self._mapping.column(csv_field))


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}"
