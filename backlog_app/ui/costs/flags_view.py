"""Bills to question before paying: each flag in plain words, with "Show the bill" and
"Mark as disputed" (which records that the user acted, so the flag goes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.cost_flags import CostFlag
from backlog_app.domain.costs import Cost, CostStatus
from backlog_app.domain.dates import format_long_date
from backlog_app.errors import UserError
from backlog_app.services.context import ProfileSession
from backlog_app.ui.messages import Messages
from backlog_app.ui.models.cost_model import FLAG_MARK
from backlog_app.ui.money import format_money

# Beyond this many, the list says how many more there are ("Only flagged bills" shows them all).
MAX_SHOWN = 10
SHOW_TEXT = "Show the bill →"
DISPUTED_TEXT = "Mark as disputed"
DISPUTED_TIP = (
    "Record that you have disputed or questioned this bill: the warning goes, the bill stays. "
    "Change the status back with Edit… if needed."
)


def bill_title(cost: Cost | None, provider_names: Mapping[int, str]) -> str:
    """ "Bill from Summit Anesthesia · 12 Oct 2026 · $2,400.00" """
    if cost is None:
        return "Bill"
    data = cost.data
    who = provider_names.get(data.provider_id, "") if data.provider_id else ""
    parts = [
        f"Bill from {who}" if who else f"Bill: {data.description}" if data.description else "Bill"
    ]
    if data.bill_date or data.service_date:
        parts.append(format_long_date(data.bill_date or data.service_date))
    if data.billed_cents is not None:
        parts.append(format_money(data.billed_cents))
    return " · ".join(parts)


def ordered(flags: Sequence[CostFlag]) -> list[CostFlag]:
    """Flags with a deadline first (soonest first), then the others in their order."""
    dated = sorted((f for f in flags if f.due is not None), key=lambda f: _due_day(f))
    return dated + [f for f in flags if f.due is None]


def _due_day(flag: CostFlag) -> dt.date:
    return flag.due.due if flag.due is not None else dt.date.max


class FlagsView(QFrame):
    """The flags of every bill; ``show_bill`` asks the page to select a bill in its table."""

    show_bill = Signal(int)

    def __init__(
        self,
        profile: ProfileSession,
        messages: Messages,
        show_status: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._profile = profile
        self._messages = messages
        self._show_status = show_status
        self._flags: list[CostFlag] = []
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.more = QLabel(self)
        self.more.setObjectName("muted")
        self.rows_host = QWidget(self)
        self.rows = QVBoxLayout(self.rows_host)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setSpacing(6)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(self.rows_host)
        self.scroll_area.setMaximumHeight(140)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.scroll_area)
        layout.addWidget(self.more)

    def set_flags(
        self,
        flags: Sequence[CostFlag],
        bills: Mapping[int, Cost],
        provider_names: Mapping[int, str],
    ) -> None:
        """Show ``flags`` (``bills``: each flag's bill by id); hidden when there is none."""
        self._flags = ordered(flags)
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        count = len(self._flags)
        self.title.setText(
            f"{FLAG_MARK} {count} bill warning{'s' if count != 1 else ''}: "
            "question these before you pay"
        )
        for flag in self._flags[:MAX_SHOWN]:
            bill_id = flag.cost_ids[0]
            self.rows.addWidget(
                self._row(flag, bill_id, bill_title(bills.get(bill_id), provider_names))
            )
        hidden = count - MAX_SHOWN
        self.more.setText(
            f"{hidden} more: tick “Only flagged bills” to list them all." if hidden > 0 else ""
        )
        self.more.setVisible(hidden > 0)
        self.setVisible(bool(self._flags))

    def flags(self) -> list[CostFlag]:
        return list(self._flags)

    def _row(self, flag: CostFlag, bill_id: int, title: str) -> QFrame:
        row = QFrame(self.rows_host)
        row.setObjectName("stepUrgent" if flag.due is not None else "step")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(10, 4, 10, 4)
        # One paragraph (the bill, then the warning) beside two links: rows stay low.
        text = QLabel(f"<b>{_esc(title)}</b> — {FLAG_MARK} {_esc(flag.message)}", row)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text.setAccessibleName(f"{title}. Warning: {flag.message}")
        show = QPushButton(SHOW_TEXT, row)
        show.setAccessibleName(f"Show the bill: {title}")
        show.clicked.connect(lambda: self.show_bill.emit(bill_id))
        disputed = QPushButton(DISPUTED_TEXT, row)
        disputed.setAccessibleName(f"Mark as disputed: {title}")
        disputed.setToolTip(DISPUTED_TIP)
        disputed.clicked.connect(lambda: self.mark_disputed(bill_id))
        buttons = QVBoxLayout()
        buttons.setSpacing(0)
        for button in (show, disputed):
            button.setObjectName("linkButton")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addWidget(text, 1)
        layout.addLayout(buttons)
        return row

    def mark_disputed(self, bill_id: int) -> bool:
        """Set the bill's status to Disputed (through the cost service); True when saved."""
        try:
            stored = self._profile.costs.get(bill_id)
            self._profile.costs.update(bill_id, replace(stored.data, status=CostStatus.DISPUTED))
        except UserError as exc:
            self._messages.problem("Mark as disputed", exc.message)
            return False
        self._show_status("Marked as disputed: the warning is gone; the bill stays in the list.")
        return True


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
