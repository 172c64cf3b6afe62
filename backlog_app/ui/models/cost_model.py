"""A table model over cost entries: date, kind, provider, the four claim figures, status and flags.

Rows come from ``CostsOverview`` (``set_overview``). The model sorts itself (``sort``), by the
same keys as ``SORT_ROLE``: dates and amounts as dates and numbers, not as text. A sort proxy
asks ``data()`` some 50,000 times for 3,000 entries (0.7 s on the GUI thread); sorting the keys
in Python takes milliseconds. Flagged bills are
tinted *and* carry "⚠ …" in the Flag column, so colour is never the only sign.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from backlog_app.domain.cost_flags import CostFlag
from backlog_app.domain.costs import Cost, CostData, CostKind
from backlog_app.domain.dates import format_long_date
from backlog_app.services.costs import CostsOverview
from backlog_app.ui.models.record_table import RECORD_ID_ROLE, SORT_ROLE
from backlog_app.ui.money import format_money

COST_ID_ROLE = RECORD_ID_ROLE  # the entry's id (int)
COST_ROLE = Qt.ItemDataRole.UserRole + 3  # the whole Cost
FLAGGED_ROLE = Qt.ItemDataRole.UserRole + 4  # True for a bill with a flag

(
    COLUMN_DATE,
    COLUMN_KIND,
    COLUMN_PROVIDER,
    COLUMN_DESCRIPTION,
    COLUMN_BILLED,
    COLUMN_ALLOWED,
    COLUMN_PLAN_PAID,
    COLUMN_YOU_OWE,
    COLUMN_STATUS,
    COLUMN_FLAG,
) = range(10)
HEADERS = (
    "Date",
    "Kind",
    "Provider",
    "Description",
    "Billed",
    "Allowed",
    "Plan paid",
    "You owe",
    "Status",
    "Flag",
)
MONEY_COLUMNS = (COLUMN_BILLED, COLUMN_ALLOWED, COLUMN_PLAN_PAID, COLUMN_YOU_OWE)
HEADER_TIPS = {
    COLUMN_DATE: "The date of service (for an estimate the planned date), else the bill date.",
    COLUMN_BILLED: "What the provider charged; for an estimate, its estimated total.",
    COLUMN_ALLOWED: (
        "The allowed amount: the price your plan agreed to pay for the service. An in-network "
        "provider cannot bill you for more than this."
    ),
    COLUMN_PLAN_PAID: "What your plan paid the provider (from the EOB).",
    COLUMN_YOU_OWE: (
        "Your share: deductible, copay and coinsurance, as the bill or the EOB (Explanation "
        "of Benefits) states it."
    ),
    COLUMN_FLAG: "Why BackLog thinks this bill needs a question before you pay it.",
}
FLAG_MARK = "⚠"
FLAGGED_BACKGROUND = QColor("#fff4d6")  # a pale amber that reads on light and dark themes
FLAGGED_TEXT = QColor("#1f1f1f")

# Short words for the table; the tooltip has the full label.
_SHORT_KINDS = {
    CostKind.GOOD_FAITH_ESTIMATE: "Good Faith Estimate",
    CostKind.INSURER_ESTIMATE: "Insurer's estimate",
    CostKind.BILL: "Bill",
    CostKind.EOB_LINE: "EOB line",
    CostKind.HSA_CONTRIBUTION: "HSA contribution",
    CostKind.HSA_PAYMENT: "HSA payment",
    CostKind.SUPPLEMENTAL_CLAIM: "Supplemental claim",
}

Index = QModelIndex | QPersistentModelIndex


def kind_text(data: CostData) -> str:
    """ "Bill", "EOB line (credit)" …"""
    text = _SHORT_KINDS[data.kind]
    return f"{text} (credit)" if data.is_adjustment else text


def amount_detail(data: CostData) -> str:
    """The amounts that have no column: an HSA amount, a supplemental claim's money."""
    if data.kind.is_hsa:
        return f"Amount {format_money(data.billed_cents)}" if data.billed_cents is not None else ""
    if data.kind is CostKind.SUPPLEMENTAL_CLAIM:
        parts = []
        if data.expected_cents is not None:
            parts.append(f"expected {format_money(data.expected_cents)}")
        if data.received_cents is not None:
            parts.append(f"received {format_money(data.received_cents)}")
        return ", ".join(parts).capitalize()
    return ""


def flag_text(flags: list[CostFlag]) -> str:
    """ "⚠ Over the Good Faith Estimate · Denied on the EOB", or "" without flags."""
    if not flags:
        return ""
    return f"{FLAG_MARK} " + " · ".join(flag.kind.label for flag in flags)


class CostTableModel(QAbstractTableModel):
    """Rows are the overview's entries (newest first as read); ``set_overview`` replaces them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._costs: list[Cost] = []
        self._providers: dict[int, str] = {}
        self._flags: dict[int, list[CostFlag]] = {}
        self._sort: tuple[int, Qt.SortOrder] = (COLUMN_DATE, Qt.SortOrder.DescendingOrder)

    def set_overview(self, overview: CostsOverview) -> None:
        """Show the overview's entries, in the order last sorted by (newest first at first)."""
        self.beginResetModel()
        self._costs = list(overview.costs)
        self._providers = dict(overview.provider_names)
        # A flag belongs to its bill (the first id); the estimate or EOB line behind it is context.
        self._flags = {}
        for flag in overview.flags:
            self._flags.setdefault(flag.cost_ids[0], []).append(flag)
        self._costs = self._sorted(self._costs)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows by ``column`` (the view's header calls this); selections follow."""
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = list(self._costs)
        self._costs = self._sorted(before)
        after = {cost.id: row for row, cost in enumerate(self._costs)}
        moved_from = self.persistentIndexList()
        moved_to = [
            self.index(after[before[index.row()].id], index.column())
            if 0 <= index.row() < len(before)
            else QModelIndex()
            for index in moved_from
        ]
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()

    def _sorted(self, costs: list[Cost]) -> list[Cost]:
        column, order = self._sort
        keyed = sorted(costs, key=lambda cost: self._sort_key(cost, column))
        return keyed[::-1] if order == Qt.SortOrder.DescendingOrder else keyed

    def cost(self, row: int) -> Cost:
        return self._costs[row]

    def row_of(self, cost_id: int) -> int | None:
        for row, cost in enumerate(self._costs):
            if cost.id == cost_id:
                return row
        return None

    def flags_of(self, cost_id: int) -> list[CostFlag]:
        return list(self._flags.get(cost_id, ()))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._costs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._costs):
            return None
        cost = self._costs[index.row()]
        column = index.column()
        flags = self._flags.get(cost.id)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(cost, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == COLUMN_FLAG and flags:
                return "Warning: " + "; ".join(flag.kind.label for flag in flags)
            return self._text(cost, column)
        if role == COST_ID_ROLE:
            return cost.id
        if role == COST_ROLE:
            return cost
        if role == FLAGGED_ROLE:
            return bool(flags)
        if role == SORT_ROLE:
            return self._sort_key(cost, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(cost, column, flags or [])
        if role == Qt.ItemDataRole.TextAlignmentRole and column in MONEY_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and flags:
            return QBrush(FLAGGED_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and flags:
            return QBrush(FLAGGED_TEXT)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(section)
        if role == Qt.ItemDataRole.TextAlignmentRole and section in MONEY_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # Cells -------------------------------------------------------------------------------------

    def _text(self, cost: Cost, column: int) -> str:
        data = cost.data
        if column == COLUMN_DATE:
            return format_long_date(data.day)
        if column == COLUMN_KIND:
            return kind_text(data)
        if column == COLUMN_PROVIDER:
            return self._providers.get(data.provider_id, "") if data.provider_id else ""
        if column == COLUMN_DESCRIPTION:
            return " — ".join(part for part in (data.description, amount_detail(data)) if part)
        if column in MONEY_COLUMNS:
            return format_money(self._cents(data, column))
        if column == COLUMN_STATUS:
            return "" if data.kind.is_hsa else data.status.label
        if column == COLUMN_FLAG:
            return flag_text(self._flags.get(cost.id, []))
        return ""

    def _cents(self, data: CostData, column: int) -> int | None:
        if data.kind.is_hsa or data.kind is CostKind.SUPPLEMENTAL_CLAIM:
            return None  # their amounts are in the description: these columns are claim figures
        return {
            COLUMN_BILLED: data.billed_cents,
            COLUMN_ALLOWED: data.allowed_cents,
            COLUMN_PLAN_PAID: data.plan_paid_cents,
            COLUMN_YOU_OWE: data.patient_cents,
        }[column]

    def _sort_key(self, cost: Cost, column: int) -> Any:
        data = cost.data
        if column == COLUMN_DATE:
            # Undated entries sort as the oldest; equal dates keep the newest entry first.
            return (data.day.toordinal() if data.day else 0) * 1_000_000 + cost.id
        if column in MONEY_COLUMNS:
            cents = self._cents(data, column)
            return float("-inf") if cents is None else float(cents)
        return self._text(cost, column).casefold()

    def _tooltip(self, cost: Cost, column: int, flags: list[CostFlag]) -> str | None:
        data = cost.data
        if column == COLUMN_FLAG or (flags and column == COLUMN_DESCRIPTION):
            return "\n\n".join(f"{FLAG_MARK} {flag.message}" for flag in flags) or None
        if column == COLUMN_KIND:
            return data.kind.label + (" — a credit or correction" if data.is_adjustment else "")
        if column in MONEY_COLUMNS:
            return self._figures(data)
        if column == COLUMN_DESCRIPTION and data.notes:
            return "\n".join(part for part in (self._text(cost, column), data.notes) if part)
        return self._text(cost, column) or None

    def _figures(self, data: CostData) -> str | None:
        """Every figure of the entry, one per line (the narrow table leaves some columns out)."""
        if data.kind.is_hsa or data.kind is CostKind.SUPPLEMENTAL_CLAIM:
            return amount_detail(data) or None
        names = (
            ("Estimated total",) if data.kind.is_estimate else HEADERS[COLUMN_BILLED:COLUMN_STATUS]
        )
        lines = [
            f"{name}: {format_money(self._cents(data, column))}"
            for name, column in zip(names, MONEY_COLUMNS, strict=False)
            if self._cents(data, column) is not None
        ]
        if not data.kind.is_estimate:
            lines.append(f"Status: {data.status.label}")
        if data.eob_denied:
            lines.append("The plan denied this service on the EOB.")
        return "\n".join(lines)
