"""The heat strip: pain by day as coloured squares, calendar-style; days without a check-in stay hollow.

Up to about a year and a half it is a calendar (a column per week, a row per weekday); longer
ranges show one row per year with a square per week (its average), so ten years still fit.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QWidget

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.trends import mean_or_none
from backlog_app.services.trends import TrendData
from backlog_app.ui.charts.colors import muted_text, pain_color, text_on
from backlog_app.ui.charts.hover import ChartWidget

EMPTY_TEXT = (
    "No check-ins in this range yet. Each day you check in gets a square here, "
    "from pale green (pain 0) to dark red (pain 10)."
)
MAX_CELL = 14.0
MIN_CALENDAR_CELL = 9.0
_WEEKDAY_LABELS = {0: "Mon", 2: "Wed", 4: "Fri"}


@dataclass(frozen=True, slots=True)
class _Cell:
    """One square: the days it covers and their mean pain (None: no check-in)."""

    rect: QRectF
    first: dt.date
    last: dt.date
    pain: float | None
    recorded: int


class HeatStrip(ChartWidget):
    """Pain per day (or per week on long ranges) as colours, with a legend in numbers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Pain by day")
        self.setMinimumHeight(100)
        self._data: TrendData | None = None
        self._pain: dict[dt.date, float] = {}
        self._cells: list[_Cell] = []
        self._origin = QPointF()
        self._cell_size = 0.0
        self._years: list[int] = []
        self._week_width = 0.0

    def sizeHint(self) -> QSize:
        # Seven rows of squares, the month labels above and the legend below.
        line = self.fontMetrics().height()
        return QSize(720, int(7 * 13 + 2 * line + 16))

    def set_data(self, data: TrendData | None) -> None:
        self._data = data
        self._pain = {d.day: d.pain for d in data.days if d.pain is not None} if data else {}
        recorded = len(self._pain)
        self.setAccessibleDescription(
            f"{recorded} days with a pain score in this range." if recorded else EMPTY_TEXT
        )
        self.update()

    def is_empty(self) -> bool:
        return not self._pain

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self.paint(painter, QRectF(self.rect()))
        finally:
            painter.end()

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        self._cells = []
        data = self._data
        if data is None or not self._pain:
            painter.setPen(muted_text(palette))
            painter.drawText(
                rect.adjusted(12, 8, -12, -8),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                EMPTY_TEXT,
            )
            return
        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() * 0.85, 7.0))
        painter.setFont(small)
        metrics = QFontMetricsF(small)
        legend_height = metrics.height() + 8
        body = rect.adjusted(0, 0, 0, -legend_height)
        until = min(data.until, data.today)
        weekly = not self._layout_calendar(data.since, until, body, metrics)
        if weekly:
            self._layout_years(data.since, until, body, metrics)
        self._draw_cells(painter, palette)
        self._draw_labels(painter, palette, metrics, body, weekly)
        self._draw_legend(painter, palette, metrics, rect, legend_height, weekly)

    # Layouts -----------------------------------------------------------------------------------

    def _layout_calendar(
        self, since: dt.date, until: dt.date, body: QRectF, metrics: QFontMetricsF
    ) -> bool:
        """A column per week (Monday first), a row per weekday; False when it would not fit."""
        first_monday = since - dt.timedelta(days=since.weekday())
        weeks = (until - first_monday).days // 7 + 1
        left = body.left() + metrics.horizontalAdvance("Wed") + 10
        top = body.top() + metrics.height() + 4
        cell = min(MAX_CELL, (body.right() - 8 - left) / weeks, (body.bottom() - top) / 7)
        if cell < MIN_CALENDAR_CELL:
            return False
        self._origin = QPointF(left, top)
        self._cell_size = cell
        day = since
        while day <= until:
            week = (day - first_monday).days // 7
            square = QRectF(left + week * cell, top + day.weekday() * cell, cell - 2, cell - 2)
            pain = self._pain.get(day)
            self._cells.append(_Cell(square, day, day, pain, 1 if pain is not None else 0))
            day += dt.timedelta(days=1)
        return True

    def _layout_years(
        self, since: dt.date, until: dt.date, body: QRectF, metrics: QFontMetricsF
    ) -> None:
        """A row per year, a square per week of the year (its average)."""
        left = body.left() + metrics.horizontalAdvance("2026") + 12
        top = body.top() + metrics.height() + 4
        width = (body.right() - 8 - left) / 53
        years = list(range(since.year, until.year + 1))
        row_height = min(MAX_CELL, (body.bottom() - top) / max(len(years), 1))
        if row_height < 5:  # keep the latest years that fit at a readable size
            keep = max(int((body.bottom() - top) // 5), 1)
            years = years[-keep:]
            row_height = (body.bottom() - top) / len(years)
        self._origin = QPointF(left, top)
        self._cell_size = row_height
        self._years = years
        self._week_width = width
        for row, year in enumerate(years):
            for week in range(53):
                first = dt.date(year, 1, 1) + dt.timedelta(days=week * 7)
                last = min(first + dt.timedelta(days=6), dt.date(year, 12, 31))
                if first.year != year or last < since or first > until:
                    continue
                first, last = max(first, since), min(last, until)
                values = [
                    self._pain.get(first + dt.timedelta(days=n))
                    for n in range((last - first).days + 1)
                ]
                recorded = [v for v in values if v is not None]
                square = QRectF(
                    left + week * width,
                    top + row * row_height,
                    max(width - 1.5, 1.0),
                    max(row_height - 2, 2.0),
                )
                self._cells.append(
                    _Cell(square, first, last, mean_or_none(recorded), len(recorded))
                )

    # Drawing -----------------------------------------------------------------------------------

    def _draw_cells(self, painter: QPainter, palette: QPalette) -> None:
        # One drawRects call per colour (pain in half steps) instead of one call per square.
        hollow: list[QRectF] = []
        filled: dict[int, list[QRectF]] = {}
        for cell in self._cells:
            if cell.pain is None:
                hollow.append(cell.rect.adjusted(0.5, 0.5, -0.5, -0.5))
            else:
                filled.setdefault(round(cell.pain * 2), []).append(cell.rect)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if hollow:
            painter.drawRects(hollow)
        painter.setPen(Qt.PenStyle.NoPen)
        for half_steps, rects in filled.items():
            painter.setBrush(pain_color(half_steps / 2))
            painter.drawRects(rects)

    def _draw_labels(
        self,
        painter: QPainter,
        palette: QPalette,
        metrics: QFontMetricsF,
        body: QRectF,
        weekly: bool,
    ) -> None:
        painter.setPen(muted_text(palette))
        origin, size = self._origin, self._cell_size
        if not weekly:
            for weekday, label in _WEEKDAY_LABELS.items():
                y = origin.y() + weekday * size
                painter.drawText(
                    QRectF(body.left(), y - 2, origin.x() - body.left() - 6, size + 2),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    label,
                )
            last_right = -1e9
            for cell in self._cells:
                if cell.first.day == 1 or cell is self._cells[0]:
                    x = cell.rect.left()
                    text = (
                        f"{cell.first:%b %Y}"
                        if cell.first.month == 1 or cell is self._cells[0]
                        else f"{cell.first:%b}"
                    )
                    if x > last_right:
                        painter.drawText(QPointF(x, origin.y() - 5), text)
                        last_right = x + metrics.horizontalAdvance(text) + 8
            return
        # Rows thinner than a line of text: label every few years (the last one always).
        every = max(1, math.ceil(metrics.height() / max(size, 1.0)))
        last = len(self._years) - 1
        for row, year in enumerate(self._years):
            if (last - row) % every:
                continue
            y = origin.y() + row * size
            painter.drawText(
                QRectF(body.left(), y - 2, origin.x() - body.left() - 6, size + 2),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(year),
            )
        step = 1 if self._week_width * 4.3 > metrics.horizontalAdvance("Mmm") + 6 else 3
        for month in range(1, 13, step):
            week = (dt.date(2001, month, 1) - dt.date(2001, 1, 1)).days // 7
            painter.drawText(
                QPointF(origin.x() + week * self._week_width, origin.y() - 5),
                f"{dt.date(2001, month, 1):%b}",
            )

    def _draw_legend(
        self,
        painter: QPainter,
        palette: QPalette,
        metrics: QFontMetricsF,
        rect: QRectF,
        height: float,
        weekly: bool,
    ) -> None:
        y = rect.bottom() - height + 4
        box_h = height - 6
        x = self._origin.x()
        painter.setPen(muted_text(palette))
        label = "Pain:"
        painter.drawText(QRectF(x, y, 60, box_h), Qt.AlignmentFlag.AlignVCenter, label)
        x += metrics.horizontalAdvance(label) + 8
        for value in range(0, 11, 2):
            color = pain_color(value)
            box = QRectF(x, y, metrics.horizontalAdvance("10") + 10, box_h)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawRoundedRect(box, 2, 2)
            painter.setPen(text_on(color))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, str(value))
            x += box.width() + 2
        x += 14
        hollow = QRectF(x, y + 1, box_h - 2, box_h - 2)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(hollow, 2, 2)
        painter.setPen(muted_text(palette))
        note = "no check-in"
        note += (
            "  ·  each square is one week's average" if weekly else "  ·  each square is one day"
        )
        painter.drawText(
            QPointF(hollow.right() + 6, y + box_h / 2 + metrics.ascent() / 2 - 1), note
        )

    # Hover -------------------------------------------------------------------------------------

    def tooltip_at(self, pos: QPointF) -> str:
        for cell in self._cells:
            if cell.rect.adjusted(-1, -1, 1, 1).contains(pos):
                when = format_long_date(cell.first)
                if cell.last != cell.first:
                    when += f" to {format_long_date(cell.last)}"
                if cell.pain is None:
                    return f"{when}: no check-in"
                if cell.first == cell.last:
                    return f"{when}: pain {cell.pain:g}"
                return f"{when}: average pain {cell.pain:.1f} ({cell.recorded} check-ins)"
        return ""
