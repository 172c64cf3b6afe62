"""The call log: every call, or one case's, with search, log / edit / follow-up done / delete + Undo.

The view listens to the profile's changes itself (calls and cases), so it stays current wherever
it is placed; while hidden it only notes that it is stale and reads again when shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.cases import Call
from backlog_app.errors import UserError
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession
from backlog_app.ui.cases.call_dialog import edit_call, log_call
from backlog_app.ui.messages import Messages
from backlog_app.ui.models.call_model import (
    CALL_ID_ROLE,
    COLUMN_CASE,
    SEARCH_ROLE,
    START_WIDTHS,
    STRETCHING,
    CallTableModel,
)
from backlog_app.ui.models.record_table import SORT_ROLE
from backlog_app.ui.signals import DataChanges

EMPTY_ALL = (
    "No calls logged yet. Log every call with your insurer or a doctor's office (Ctrl+Shift+C): "
    "the date, who you spoke with and the reference number are what win appeals."
)
EMPTY_CASE = (
    "No calls about this case yet. When you call the insurer or the office about it, log the "
    "call here with its reference number."
)
NO_MATCH = "No call matches the search."


class CallsView(QWidget):
    """Calls newest first; ``show_calls(None)`` lists every call, ``show_calls(id)`` one case's.

    Args:
        profile: the open profile.
        messages: problems (a call deleted meanwhile).
        show_status: a short note in the status bar ("Call logged.").

    ``undo_changed`` fires when what ``undo_delete`` would put back changes (Edit → Undo).
    """

    undo_changed = Signal()

    def __init__(
        self,
        profile: ProfileSession,
        messages: Messages,
        show_status: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._messages = messages
        self._show_status = show_status
        self._case_id: int | None = None
        self._shown = False  # show_calls was called
        self._stale = False
        self._deleted: list[Call] = []  # newest last, for Undo

        self.model = CallTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterRole(SEARCH_ROLE)
        self.proxy.setFilterKeyColumn(0)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search calls: a name, a reference number, a word…")
        self.search.setAccessibleName("Search calls")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        self.log_button = QPushButton("Log a call…", self)
        self.edit_button = QPushButton("Edit…", self)
        self.done_button = QPushButton("Mark follow-up done", self)
        self.delete_button = QPushButton("Delete", self)
        self.undo_button = QPushButton("Undo delete", self)
        for button, what in (
            (self.log_button, "Log a new call (Ctrl+Shift+C from anywhere)"),
            (self.edit_button, "Edit the selected call"),
            (self.done_button, "Mark the selected call's follow-up as done"),
            (self.delete_button, "Delete the selected call"),
            (self.undo_button, "Put back the call you deleted last"),
        ):
            button.setAccessibleName(what.split(" (")[0])
            button.setToolTip(what)
        self.log_button.clicked.connect(self.log_new_call)
        self.edit_button.clicked.connect(self.edit_selected)
        self.done_button.clicked.connect(self.toggle_follow_up_done)
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_button.clicked.connect(self.undo_delete)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("muted")

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Calls")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # newest first, as read
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setResizeContentsPrecision(100)
        for column in range(self.model.columnCount()):
            if column in STRETCHING:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            elif column in START_WIDTHS:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(column, START_WIDTHS[column])
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(self._edit_index)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self.edit_selected)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table, self.delete_selected)

        self.empty = QLabel(EMPTY_ALL, self)
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self.table)
        self._stack.addWidget(self.empty)

        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        for button in (
            self.log_button,
            self.edit_button,
            self.done_button,
            self.delete_button,
            self.undo_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self._stack, 1)

        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_state)
        self._changes = DataChanges(profile.changes)
        self._changes.changed.connect(self._on_data_changed)
        changes = self._changes
        self.destroyed.connect(lambda *_: changes.detach())
        self._update_state()

    # Showing -----------------------------------------------------------------------------------

    @property
    def case_id(self) -> int | None:
        return self._case_id

    def show_calls(self, case_id: int | None) -> None:
        """List every call (None) or the calls of one case; reads at once."""
        if case_id != self._case_id and self._deleted:
            self._deleted.clear()
            self.undo_changed.emit()
        self._case_id = case_id
        self._shown = True
        self.table.setColumnHidden(COLUMN_CASE, case_id is not None)
        self.empty.setText(EMPTY_ALL if case_id is None else EMPTY_CASE)
        self.reload()

    def reload(self) -> None:
        self._stale = False
        selected = self.selected_id()
        try:
            calls = self._profile.calls.list(self._case_id)
            titles = self._case_titles() if self._case_id is None else {}
        except UserError as exc:
            self._messages.problem("Calls", exc.message)
            return
        self.model.set_calls(calls, titles)
        if selected is not None:
            self.select_id(selected)

    def detach(self) -> None:
        """Stop listening to the profile (before it closes)."""
        self._changes.detach()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def _on_data_changed(self, changes: frozenset[Change]) -> None:
        if not self._shown or not changes & {Change.CALLS, Change.CASES}:
            return
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def _case_titles(self) -> dict[int, str]:
        # Titles only: CaseService.list() works out every case's deadlines.
        return self._profile.cases.titles()

    # Selection ---------------------------------------------------------------------------------

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().hasSelection():
            return None
        value = index.data(CALL_ID_ROLE)
        return int(value) if value is not None else None

    def selected_call(self) -> Call | None:
        call_id = self.selected_id()
        row = self.model.row_of(call_id) if call_id is not None else None
        return self.model.call(row) if row is not None else None

    def select_id(self, call_id: int) -> None:
        row = self.model.row_of(call_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)

    # Actions -----------------------------------------------------------------------------------

    def log_new_call(self) -> None:
        call_id = log_call(self, self._profile, self._messages, case_id=self._case_id)
        if call_id is not None:
            self._after_change()
            self.select_id(call_id)
            self._show_status("Call logged.")

    def edit_selected(self) -> None:
        call_id = self.selected_id()
        if call_id is not None and edit_call(self, self._profile, self._messages, call_id):
            self._after_change()
            self.select_id(call_id)
            self._show_status("Call saved.")

    def toggle_follow_up_done(self) -> None:
        call = self.selected_call()
        if call is None:
            return
        done = not call.data.follow_up_done
        try:
            self._profile.calls.set_follow_up_done(call.id, done)
        except UserError as exc:
            self._messages.problem("Follow-up", exc.message)
            return
        self._after_change()
        self.select_id(call.id)
        self._show_status(
            "Follow-up marked done: it is off your deadlines."
            if done
            else "Follow-up open again: it is back on your deadlines."
        )

    def delete_selected(self) -> None:
        call = self.selected_call()
        if call is None:
            return
        try:
            deleted = self._profile.calls.delete(call.id)
        except UserError as exc:
            self._messages.problem("Delete call", exc.message)
            return
        self._deleted.append(deleted)
        self.undo_changed.emit()
        self._after_change()
        self._show_status(
            f"Deleted the call with {deleted.data.organization} — “Undo delete” puts it back."
        )

    def undo_description(self) -> str | None:
        """What ``undo_delete`` would put back ("the call with Buckeye Mutual Health"), or None."""
        if not self._deleted:
            return None
        return f"the call with {self._deleted[-1].data.organization}"

    def undo_delete(self) -> None:
        if not self._deleted:
            return
        call = self._deleted.pop()
        self.undo_changed.emit()
        try:
            self._profile.calls.restore(call)
        except UserError as exc:
            self._messages.problem("Undo delete", exc.message)
            self._update_buttons()
            return
        self._after_change()
        self.select_id(call.id)
        self._show_status(f"Put back the call with {call.data.organization}.")

    # Helpers -----------------------------------------------------------------------------------

    def _after_change(self) -> None:
        # The change announcement reloads a visible view; a hidden one is read now.
        if self._stale or not self.isVisible():
            self.reload()
        self._update_buttons()

    def _edit_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.edit_selected()

    def _search_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._update_state()

    def _update_state(self, *_args: Any) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        searching = bool(self.search.text().strip())
        if total and not shown:
            self.empty.setText(NO_MATCH)
        else:
            self.empty.setText(EMPTY_ALL if self._case_id is None else EMPTY_CASE)
        self._stack.setCurrentWidget(self.table if shown else self.empty)
        self.search.setEnabled(bool(total) or searching)
        if searching and total:
            self.count_label.setText(f"{shown} of {total} calls")
        else:
            self.count_label.setText(f"{total} call{'s' if total != 1 else ''}" if total else "")
        self._update_buttons()

    def _update_buttons(self, *_args: Any) -> None:
        call = self.selected_call()
        self.edit_button.setEnabled(call is not None)
        self.delete_button.setEnabled(call is not None)
        has_follow_up = call is not None and bool(call.data.follow_up_date or call.data.follow_up)
        self.done_button.setEnabled(has_follow_up)
        done = call is not None and call.data.follow_up_done
        self.done_button.setText("Mark follow-up not done" if done else "Mark follow-up done")
        self.undo_button.setEnabled(bool(self._deleted))
