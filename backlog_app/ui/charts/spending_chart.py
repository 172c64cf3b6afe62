"""Spending by category: one horizontal bar per category, largest first, for one plan year.

Drawn with QPainter like the trend chart. Each bar carries its category and amount in text, so the
chart reads without colour; the bars' total is what the bills and EOBs say you owe.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from backlog_app.domain.costs import CostCategory
from backlog_app.ui.charts.colors import PAIN_LINE, grid_color, muted_text
from backlog_app.ui.charts.hover import ChartWidget
from backlog_app.ui.money import format_money

EMPTY_TEXT = "Nothing spent in this plan year yet"
BAR_COLOR = PAIN_LINE
_ROW_GAP = 4
_MIN_HEIGHT = 120
_PADDING = 8


@dataclass(frozen=True, slots=True)
class Bar:
    """One category's bar as drawn (for tooltips and tests)."""

    category: CostCategory
    cents: int
    rect: QRectF


class SpendingChart(ChartWidget):
    """Horizontal bars of ``{category: cents}``; ``set_data`` replaces them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Spending by category chart")
        self.setMinimumHeight(_MIN_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._rows: list[tuple[CostCategory, int]] = []
        self._year = ""
        self._bars: list[Bar] = []
        self.setAccessibleDescription(self.describe())

    def sizeHint(self) -> QSize:
        line = QFontMetricsF(self.font()).height()
        rows = max(len(self._rows), 3)
        return QSize(420, int(rows * (line + 6 + _ROW_GAP) + 2 * _PADDING))

    def _needed_height(self) -> int:
        """Every bar at the height of its text: the chart never drops a category."""
        line = QFontMetricsF(self.font()).height()
        return int(len(self._rows) * (line + _ROW_GAP) + 2 * _PADDING) + 1

    def set_data(self, spending: Mapping[CostCategory, int], year_label: str = "") -> None:
        """``spending``: the patient's share per category; categories with nothing are left out."""
        rows = [(category, cents) for category, cents in spending.items() if cents > 0]
        self._rows = sorted(rows, key=lambda row: (-row[1], list(CostCategory).index(row[0])))
        self._year = year_label
        self.setMinimumHeight(max(_MIN_HEIGHT, self._needed_height()))
        self.setAccessibleDescription(self.describe())
        self.updateGeometry()
        self.update()

    def is_empty(self) -> bool:
        return not self._rows

    def bars(self) -> list[Bar]:
        """The bars as last drawn (empty before the first paint)."""
        return list(self._bars)

    def describe(self) -> str:
        """The chart in one sentence, for screen readers and tests."""
        if not self._rows:
            return EMPTY_TEXT + "."
        total = sum(cents for _, cents in self._rows)
        year = f" in plan year {self._year}" if self._year else ""
        parts = "; ".join(
            f"{category.label} {format_money(cents)}" for category, cents in self._rows
        )
        return f"You owed {format_money(total)}{year}: {parts}."

    def tooltip_at(self, pos: QPointF) -> str:
        total = sum(cents for _, cents in self._rows) or 1
        for bar in self._bars:
            row = QRectF(0, bar.rect.top() - 2, self.width(), bar.rect.height() + 4)
            if row.contains(pos):
                share = round(100 * bar.cents / total)
                return (
                    f"{bar.category.label}: {format_money(bar.cents)} — {share}% of what you "
                    "owed in this plan year"
                )
        return ""

    # Painting ----------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self.paint(painter, QRectF(self.rect()))
        finally:
            painter.end()

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        """Draw the chart into ``rect`` (also used to render it into an image)."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        self._bars = []
        if not self._rows:
            _draw_empty(painter, rect, palette, self.font())
            return
        font = QFont(self.font())
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        line = metrics.height()
        box = rect.adjusted(_PADDING, _PADDING, -_PADDING, -_PADDING)
        amounts = [format_money(cents) for _, cents in self._rows]
        amount_width = max(metrics.horizontalAdvance(text) for text in amounts) + 10
        label_width = min(
            max(metrics.horizontalAdvance(category.label) for category, _ in self._rows) + 12,
            box.width() * 0.56,
        )
        bar_left = box.left() + label_width
        bar_room = max(box.right() - amount_width - bar_left, 10.0)
        row_height = min(line + 6, max((box.height() / len(self._rows)) - _ROW_GAP, line))
        largest = max(cents for _, cents in self._rows)
        painter.setPen(QPen(grid_color(palette), 1))
        painter.drawLine(QPointF(bar_left, box.top()), QPointF(bar_left, box.bottom()))
        text_color = palette.color(QPalette.ColorRole.Text)
        top = box.top()
        for (category, cents), amount in zip(self._rows, amounts, strict=True):
            width = max(bar_room * cents / largest, 2.0)
            bar = QRectF(bar_left, top, width, row_height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(BAR_COLOR)
            painter.drawRoundedRect(bar, 3, 3)
            painter.setPen(text_color)
            label_rect = QRectF(box.left(), top, label_width - 10, row_height)
            label = _fitting_label(category, metrics, label_rect.width())
            painter.drawText(
                label_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label
            )
            painter.drawText(
                QRectF(bar.right() + 6, top, amount_width, row_height),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                amount,
            )
            self._bars.append(Bar(category, cents, bar))
            top += row_height + _ROW_GAP
            if top > box.bottom():
                break


# Shorter names for a narrow chart; the bar's tooltip and the accessible text keep the full one.
_SHORT_LABELS = {
    CostCategory.FACILITY: "Hospital / center",
    CostCategory.IMAGING: "Imaging",
    CostCategory.PHYSICAL_THERAPY: "Therapy",
    CostCategory.EQUIPMENT: "Equipment",
}


def _fitting_label(category: CostCategory, metrics: QFontMetricsF, width: float) -> str:
    """The category's name, else its short name, else the short name cut with "…"."""
    if metrics.horizontalAdvance(category.label) <= width:
        return category.label
    short = _SHORT_LABELS.get(category, category.label)
    return metrics.elidedText(short, Qt.TextElideMode.ElideRight, width)


def _draw_empty(painter: QPainter, rect: QRectF, palette: QPalette, font: QFont) -> None:
    box = rect.adjusted(8, 8, -8, -8)
    pen = QPen(palette.color(QPalette.ColorRole.Mid), 2)
    pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(box, 10, 10)
    painter.setFont(font)
    painter.setPen(QColor(muted_text(palette)))
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, EMPTY_TEXT)
