"""The Deadlines tab: what is due on the case, and the rules (with sources) that made the dates.

Every default is visible beside the case's own figure, and "Change for this case…" overrides
one ("my letter says 60 days").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.deadline_rules import Party
from backlog_app.domain.deadlines import DueItem, DueStatus, EffectiveRule, due_status
from backlog_app.services.cases import CaseDetail
from backlog_app.services.context import ProfileSession
from backlog_app.ui.cases.override_dialog import ANCHOR_SHORT, ANCHOR_TEXT, change_rule
from backlog_app.ui.messages import Messages
from backlog_app.ui.models.case_model import OVERDUE_COLOR, SOON_COLOR, due_mark
from backlog_app.ui.widgets import heading

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
ITEM_ROLE = Qt.ItemDataRole.UserRole + 40  # the DueItem or EffectiveRule of the row

DUE_HEADERS = ("Due", "What", "Who acts", "Counted from", "Source")
RULE_HEADERS = ("What", "Default", "This case", "Source", "Note")


class _ListTableModel(QAbstractTableModel, Generic[T]):
    """A read-only table over a short list; subclasses say what each cell shows."""

    headers: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[T] = []

    def set_items(self, items: Sequence[T]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item(self, row: int) -> T:
        return self._items[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(item, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(item, index.column())
        if role == ITEM_ROLE:
            return item
        return self.extra(item, index.column(), role)

    def text(self, item: T, column: int) -> str:
        raise NotImplementedError

    def tooltip(self, item: T, column: int) -> str:
        return self.text(item, column)

    def extra(self, item: T, column: int, role: int) -> Any:
        return None


class DueTableModel(_ListTableModel[DueItem]):
    """The case's open due items, soonest first."""

    headers = DUE_HEADERS

    def __init__(self, today: Callable[[], dt.date], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._today = today

    def text(self, item: DueItem, column: int) -> str:
        if column == 0:
            mark = due_mark(item, self._today()).rstrip(": ")
            return f"{format_long_date(item.due)}\n{mark}" if mark else format_long_date(item.due)
        if column == 1:
            return item.title
        if column == 2:
            return "You" if item.party is Party.YOU else "The plan"
        if column == 3:
            return item.explanation + (" (your figure)" if item.overridden else "")
        return item.source

    def extra(self, item: DueItem, column: int, role: int) -> Any:
        status = due_status(item.due, self._today())
        if column in (0, 1) and status is not DueStatus.LATER:
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(OVERDUE_COLOR if status is DueStatus.OVERDUE else SOON_COLOR)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        return None


class RuleTableModel(_ListTableModel[EffectiveRule]):
    """The rules for the case's plan, default beside the case's own figure."""

    headers = RULE_HEADERS

    def text(self, item: EffectiveRule, column: int) -> str:
        rule = item.rule
        if column == 0:
            return rule.what
        if column == 1:
            if rule.amount is None:
                return "The date on the record"
            return f"{rule.period} {ANCHOR_SHORT[rule.anchor]}"
        if column == 2:
            if item.override is None:
                return "Default" if rule.amount is not None else "—"
            note = f" — {item.override.note}" if item.override.note else ""
            return f"{item.period}{note}"
        if column == 3:
            return rule.source
        return rule.note

    def tooltip(self, item: EffectiveRule, column: int) -> str:
        if column == 1 and item.rule.amount is not None:
            return f"{item.rule.period}, {ANCHOR_TEXT[item.rule.anchor]}"
        return self.text(item, column)

    def extra(self, item: EffectiveRule, column: int, role: int) -> Any:
        if column == 2 and item.override is not None and role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None


def _table(model: QAbstractTableModel, name: str, fitted: Sequence[int]) -> QTableView:
    """A read-only table; ``fitted`` columns take their text's width, the others share the rest."""
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.setWordWrap(True)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    for column in range(model.columnCount()):
        header.setSectionResizeMode(
            column,
            QHeaderView.ResizeMode.ResizeToContents
            if column in fitted
            else QHeaderView.ResizeMode.Stretch,
        )
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # The whole tab scrolls; each table is as tall as its rows, so nothing scrolls inside it.
    table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
    return table


class DeadlinesView(QWidget):
    """Due items on top, the rules below; overrides go through ``override_dialog``."""

    def __init__(
        self, profile: ProfileSession, messages: Messages, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._messages = messages
        self._case_id: int | None = None
        self.due_model = DueTableModel(profile.clock, self)
        self.due_table = _table(self.due_model, "What is due on this case", fitted=(0, 2))
        self.nothing_due = QLabel("Nothing is due on this case right now.")
        self.nothing_due.setObjectName("muted")
        self.nothing_due.setWordWrap(True)
        self.rules_model = RuleTableModel(self)
        self.rules_table = _table(self.rules_model, "Rules used for this case", fitted=(2,))
        self.rules_table.doubleClicked.connect(lambda _index: self.change_selected())
        self.rules_intro = QLabel()
        self.rules_intro.setObjectName("muted")
        self.rules_intro.setWordWrap(True)
        self.change_button = QPushButton("&Change for this case…")
        self.change_button.setAccessibleName("Change the selected rule for this case")
        self.change_button.setToolTip(
            "Use your own letter's figure for this case (“my letter says 60 days”)."
        )
        self.change_button.clicked.connect(self.change_selected)
        self.rules_table.selectionModel().selectionChanged.connect(self._update_button)

        due_box = QWidget()
        due_layout = QVBoxLayout(due_box)
        due_layout.setContentsMargins(0, 8, 0, 0)
        due_layout.addWidget(heading("What is due", 2))
        due_layout.addWidget(self.nothing_due)
        due_layout.addWidget(self.due_table)
        rules_box = QWidget()
        rules_layout = QVBoxLayout(rules_box)
        rules_layout.setContentsMargins(0, 8, 0, 0)
        title_row = QHBoxLayout()
        title_row.addWidget(heading("Rules used for this case", 2))
        title_row.addStretch(1)
        title_row.addWidget(self.change_button)
        rules_layout.addLayout(title_row)
        rules_layout.addWidget(self.rules_intro)
        rules_layout.addWidget(self.rules_table)
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 8, 8)
        content_layout.addWidget(due_box)
        content_layout.addWidget(rules_box)
        content_layout.addStretch(1)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)
        self._update_button()

    def show_detail(self, detail: CaseDetail | None) -> None:
        self._case_id = detail.id if detail else None
        selected = self.selected_rule()
        self.due_model.set_items(detail.due if detail else [])
        self.rules_model.set_items(detail.rules if detail else [])
        has_due = bool(detail and detail.due)
        self.due_table.setVisible(has_due)
        self.nothing_due.setVisible(not has_due)
        if detail is not None:
            self.nothing_due.setText(
                "Nothing is due on this case right now."
                if detail.events
                else "Nothing is due yet: add the first event (when the request was sent) and "
                "BackLog works out the dates."
            )
            plan = detail.plan.display_name if detail.plan else None
            self.rules_intro.setText(
                (
                    f"The defaults for {plan}, from the law and regulations cited. "
                    if plan
                    else "No plan is chosen for this case: the employer and ACA plan rules "
                    "are used. Choose the plan with Edit case… "
                )
                + "A date printed on a notice always wins over these."
            )
        if selected is not None:
            for row in range(self.rules_model.rowCount()):
                if self.rules_model.item(row).rule.key is selected.rule.key:
                    self.rules_table.selectRow(row)
        self._update_button()

    def selected_rule(self) -> EffectiveRule | None:
        rows = self.rules_table.selectionModel().selectedRows()
        return self.rules_model.item(rows[0].row()) if rows else None

    def select_rule_row(self, row: int) -> None:
        self.rules_table.selectRow(row)

    def change_selected(self) -> None:
        rule = self.selected_rule()
        if rule is None or self._case_id is None:
            return
        change_rule(self, self._profile, self._messages, self._case_id, rule)

    def _update_button(self) -> None:
        rule = self.selected_rule()
        self.change_button.setEnabled(rule is not None and rule.rule.amount is not None)
