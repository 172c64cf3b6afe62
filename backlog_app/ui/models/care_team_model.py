"""A table model over a case's care team checklist, and the summary sentences above it.

One row per role: its state (a mark and words, on a green, amber or red tint: colour is never
the only signal), the role, the provider, the last check, the No Surprises Act protection and
what to do. The text comes from ``domain.network_checklist``; this module only words and colours
it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.network import Freshness, NetworkStatus
from backlog_app.domain.network_checklist import ChecklistState
from backlog_app.domain.network_rules import CONSENT_NOTICE_HOURS, consent_deadline
from backlog_app.services.network import CareTeamChecklist, ChecklistRow
from backlog_app.ui.models.record_table import RECORD_ID_ROLE

MEMBER_ID_ROLE = RECORD_ID_ROLE  # the care-team row's id (int)
ROW_ROLE = Qt.ItemDataRole.UserRole + 20  # the whole ChecklistRow
STATE_ROLE = Qt.ItemDataRole.UserRole + 21  # the row's ChecklistState value (a str)

COLUMN_STATE, COLUMN_ROLE, COLUMN_PROVIDER, COLUMN_CHECKED, COLUMN_PROTECTION, COLUMN_TODO = range(
    6
)
HEADERS = ("State", "Role", "Provider", "Last checked", "Protection", "What to do")
# Narrow, the table hides these: the role's cell names the provider too, and the state's cell
# the date of the last check; the state's tooltip holds the rest.
WIDE_ONLY_COLUMNS = (COLUMN_PROVIDER, COLUMN_CHECKED, COLUMN_PROTECTION)
COMPACT_ROLE_HEADER = "Role and provider"
NOT_KNOWN = "Not known yet"
NOT_CHECKED = "—"

# Pale tints that keep dark text readable on light and dark palettes alike; the state column's
# words carry the darker colour of the same hue.
BACKGROUNDS = {
    ChecklistState.VERIFIED_IN_NETWORK: QColor("#e3f4e6"),
    ChecklistState.NEEDS_CHECK: QColor("#fff4d6"),
    ChecklistState.OUT_OF_NETWORK: QColor("#fdecea"),
}
STATE_COLORS = {
    ChecklistState.VERIFIED_IN_NETWORK: QColor("#1e6b30"),
    ChecklistState.NEEDS_CHECK: QColor("#7a4a00"),
    ChecklistState.OUT_OF_NETWORK: QColor("#a3221b"),
}
TEXT_COLOR = QColor("#1f1f1f")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

Index = QModelIndex | QPersistentModelIndex


def state_text(row: ChecklistRow) -> str:
    """ "✓ In network", "? Not checked", "? Check again", "? Check needed", "✗ Out of network"."""
    state = row.row.state
    if state is ChecklistState.VERIFIED_IN_NETWORK:
        return "✓ In network"
    if state is ChecklistState.OUT_OF_NETWORK:
        return "✗ Out of network"
    if row.row.freshness is Freshness.NEVER_CHECKED:
        return "? Not checked"
    if not row.row.freshness.is_current:
        return "? Check again"
    return "? Check needed"


def state_tooltip(row: ChecklistRow) -> str:
    data = row.row
    if data.provider_id is None:
        return "No provider chosen for this role yet, so nobody has been checked."
    if data.verification is None:
        return "Never checked with this case's plan."
    lines = [f"{data.state.label}. Latest check: {data.status.label}."]
    if data.freshness is Freshness.STALE_AGE:
        lines.append("That check is old: networks change, so check again.")
    elif data.freshness is Freshness.STALE_PLAN_YEAR:
        lines.append(
            "A new plan year starts between that check and the procedure: networks change, "
            "so check again."
        )
    elif data.status is NetworkStatus.UNKNOWN:
        lines.append("The check did not settle it.")
    return "\n".join(lines)


def checked_text(row: ChecklistRow) -> str:
    """ "20 Nov 2026\nCall to the insurer", or "—" when never checked."""
    check = row.row.verification
    if check is None:
        return NOT_CHECKED
    return f"{format_long_date(check.verified_on)}\n{check.method.label}"


def checked_tooltip(row: ChecklistRow) -> str | None:
    check = row.row.verification
    if check is None:
        return None
    lines = [
        f"Checked on {format_long_date(check.verified_on)}: {check.status.label.lower()}.",
        f"How: {check.method.label}.",
        f"Reference number: {check.reference_number or 'none given'}.",
    ]
    if not row.row.freshness.is_current:
        lines.append(f"{row.row.freshness.label}.")
    if check.notes:
        lines.append(check.notes)
    return "\n".join(lines)


def protection_tooltip(row: ChecklistRow) -> str:
    kind = row.row.protection
    source = f"\nSource: {kind.source}" if kind.source else ""
    return f"{kind.label}: {kind.explanation}{source}"


def weekday_date(day: dt.date) -> str:
    """ "Mon 7 Dec 2026" (English day names, like the rest of the app's dates)."""
    return f"{_WEEKDAYS[day.weekday()]} {format_long_date(day)}"


def summary_text(checklist: CareTeamChecklist, today: dt.date) -> str:
    """ "3 of 8 roles verified in network · 1 out of network · check the rest by Mon 7 Dec 2026
    (72 hours before the procedure on 10 Dec)"; "" without roles."""
    total = len(checklist.rows)
    if not total:
        return ""
    verified = checklist.count(ChecklistState.VERIFIED_IN_NETWORK)
    out = checklist.count(ChecklistState.OUT_OF_NETWORK)
    to_check = checklist.count(ChecklistState.NEEDS_CHECK)
    roles = "role" if total == 1 else "roles"
    if verified == total:
        return f"All {total} {roles} verified in network."
    parts = [f"{verified} of {total} {roles} verified in network"]
    if out:
        parts.append(f"{out} out of network")
    if to_check:
        them = "the rest" if verified or out else ("it" if to_check == 1 else "them")
        parts.append(f"check {them}{_by_when(checklist.scheduled_date, today)}")
    return " · ".join(parts)


def _by_when(scheduled: dt.date | None, today: dt.date) -> str:
    if scheduled is None:
        return " before the procedure"
    if scheduled < today:  # done: the bills are still to come
        return " before you pay their bills"
    deadline = consent_deadline(scheduled)
    when = f"{scheduled.day} {scheduled:%b}"
    if scheduled.year != deadline.year or scheduled.year != today.year:
        when += f" {scheduled.year}"
    if deadline < today:
        return f" as soon as you can (the procedure is on {when})"
    return (
        f" by {weekday_date(deadline)} ({CONSENT_NOTICE_HOURS} hours before the procedure "
        f"on {when})"
    )


def plan_note(checklist: CareTeamChecklist) -> str:
    """A warning when the case has no plan: checks are per plan, so none can count yet."""
    if checklist.plan_id is not None:
        return ""
    return (
        "This case has no insurance plan yet, so no check counts for it. Choose the plan with "
        "Edit case…, then record the checks."
    )


def due_text(checklist: CareTeamChecklist) -> str:
    """The due items as rich text on one wrapped line: "To do by Fri 4 Dec 2026: … · …"."""
    if not checklist.due:
        return ""
    due = min(item.due for item in checklist.due)
    items = " · ".join(_escape(item.title) for item in checklist.due)
    return f"<b>To do by {weekday_date(due)}:</b> {items}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class CareTeamModel(QAbstractTableModel):
    """Rows are ``ChecklistRow``s in the care team's order; ``set_rows`` replaces them."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ChecklistRow] = []
        self._compact = False
        self._today: dt.date | None = None

    def set_rows(self, rows: Sequence[ChecklistRow], today: dt.date | None = None) -> None:
        """``today`` lets the narrow table leave out this year in dates."""
        self.beginResetModel()
        self._rows = list(rows)
        self._today = today
        self.endResetModel()

    def set_compact(self, compact: bool) -> None:
        """Narrow: fold the provider into the role's cell and the check's date into the state's."""
        if compact == self._compact:
            return
        # A layout change, not a reset: the selection stays, and the rows are measured again.
        self.layoutAboutToBeChanged.emit()
        self._compact = compact
        self.layoutChanged.emit()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)

    @property
    def compact(self) -> bool:
        return self._compact

    def checklist_row(self, row: int) -> ChecklistRow:
        return self._rows[row]

    def row_of(self, member_id: int) -> int | None:
        for number, row in enumerate(self._rows):
            if row.member.id == member_id:
                return number
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return (
                COMPACT_ROLE_HEADER
                if self._compact and section == COLUMN_ROLE
                else HEADERS[section]
            )
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        state = row.row.state
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._text(row, column).replace("\n", ", ")
            return text[2:] if column == COLUMN_STATE else text  # the words, not the mark
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(BACKGROUNDS[state])
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(STATE_COLORS[state] if column == COLUMN_STATE else TEXT_COLOR)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        if role == MEMBER_ID_ROLE:
            return row.member.id
        if role == ROW_ROLE:
            return row
        if role == STATE_ROLE:
            return state.value
        return None

    def _text(self, row: ChecklistRow, column: int) -> str:
        if column == COLUMN_STATE:
            check = row.row.verification
            if self._compact and check is not None:
                return f"{state_text(row)}\nchecked {self._short_date(check.verified_on)}"
            return state_text(row)
        if column == COLUMN_ROLE:
            if self._compact:
                return f"{row.row.role.label}\n{row.provider_name or NOT_KNOWN}"
            return row.row.role.label
        if column == COLUMN_PROVIDER:
            return row.provider_name or NOT_KNOWN
        if column == COLUMN_CHECKED:
            return checked_text(row)
        if column == COLUMN_PROTECTION:
            return row.row.protection.label
        if column == COLUMN_TODO:
            return row.row.advice
        return ""

    def _short_date(self, day: dt.date) -> str:
        """ "22 Nov" this year, "30 Dec 2025" before."""
        if self._today is not None and day.year == self._today.year:
            return f"{day.day} {day:%b}"
        return format_long_date(day)

    def _tooltip(self, row: ChecklistRow, column: int) -> str | None:
        if column == COLUMN_STATE:
            if not self._compact:
                return state_tooltip(row)
            parts = [state_tooltip(row), checked_tooltip(row), protection_tooltip(row)]
            return "\n\n".join(part for part in parts if part)
        if column == COLUMN_PROVIDER or (column == COLUMN_ROLE and self._compact):
            notes = row.member.data.notes
            text = row.provider_name or "No provider chosen yet: use Choose provider…"
            return f"{text}\n{notes}" if notes else text
        if column == COLUMN_CHECKED:
            return checked_tooltip(row)
        if column == COLUMN_PROTECTION:
            return protection_tooltip(row)
        if column == COLUMN_TODO:
            return row.row.advice
        return self._text(row, column) or None
