"""The trend chart: pain and PEG over a date range, with medication trials and courses as bands.

Drawn with QPainter (vector, no QtCharts). Values are averaged per week or month before drawing
when the range is long, so ten years draw as fast as one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from PySide6.QtCore import QLineF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QWidget

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.trends import Granularity, Period, month_ticks
from backlog_app.services.trends import TrendData
from backlog_app.ui.charts.colors import (
    COURSE,
    MEDICATION,
    PAIN_LINE,
    PEG_LINE,
    grid_color,
    muted_text,
    with_alpha,
)
from backlog_app.ui.charts.hover import ChartWidget
from backlog_app.ui.charts.trend_parts import (
    EMPTY_TEXT,
    Scale,
    Series,
    bucket_at,
    draw_bands,
    draw_dots,
    draw_empty,
    draw_legend,
    draw_line,
    lanes_for,
    prepare_series,
    span,
)


@dataclass
class _Geometry:
    plot: QRectF
    lanes_top: float
    lane_height: float
    lane_hits: list[tuple[QRectF, Period]] = field(default_factory=list)


class TrendChart(ChartWidget):
    """Pain (dots and an average line) and PEG (dashed) on 0-10, bands for meds and courses."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Pain and PEG trend chart")
        self.setMinimumHeight(220)
        self._data: TrendData | None = None
        self._series: Series | None = None
        self._geometry: _Geometry | None = None

    def sizeHint(self) -> QSize:
        return QSize(720, 300)

    def set_data(self, data: TrendData | None) -> None:
        self._data = data
        self._series = prepare_series(data) if data is not None and not data.is_empty else None
        self.setAccessibleDescription(self.describe())
        self.update()

    def is_empty(self) -> bool:
        return self._series is None

    def describe(self) -> str:
        """The chart in one sentence, for screen readers and tests."""
        series = self._series
        if series is None:
            return EMPTY_TEXT.replace("\n", " ")
        months = series.months
        text = f"{format_long_date(series.since)} to {format_long_date(series.until)}."
        if months:
            first, last = months[0], months[-1]
            text += (
                f" Average pain {first.mean:.1f} in {first.start:%B %Y}"
                f" and {last.mean:.1f} in {last.start:%B %Y}."
            )
        meds, courses = len(series.medications), len(series.courses)
        return text + f" {meds} medication trials and {courses} therapy courses shown."

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
        series = self._series
        if series is None:
            self._geometry = None
            draw_empty(painter, rect, palette, self.font())
            return
        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() * 0.85, 7.0))
        painter.setFont(small)
        metrics = QFontMetricsF(small)
        line = metrics.height()
        lane_height = line + 4
        medication_lanes, course_lanes = lanes_for(series, rect.height() * 0.3 // lane_height)
        lane_count = len(medication_lanes) + len(course_lanes)
        left = rect.left() + max(metrics.horizontalAdvance("Medications"), 24) + 14
        right = rect.right() - 12
        legend_bottom = rect.top() + line + 8
        axis_height = line + 6
        lanes_height = lane_count * lane_height + (6 if lane_count else 0)
        plot = QRectF(
            QPointF(left, legend_bottom + 8),
            QPointF(right, rect.bottom() - axis_height - lanes_height - 4),
        )
        if plot.height() < 40:  # too small to be useful: keep the plot, drop the lanes
            lanes_height = 0
            plot.setBottom(rect.bottom() - axis_height - 4)
        geometry = _Geometry(plot, plot.bottom() + 6, lane_height)
        self._geometry = geometry
        scale = Scale(series.since, series.until, plot)

        painter.fillRect(plot, palette.color(QPalette.ColorRole.Base))
        if series.courses:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(with_alpha(COURSE, 0.10))
            painter.drawRects([span(scale, c, series.today, plot) for c in series.courses])
        self._draw_grid(painter, series, scale, plot, rect, metrics, palette)
        draw_dots(painter, series, scale)
        draw_line(painter, series.pain, scale, series.granularity, PAIN_LINE, Qt.PenStyle.SolidLine)
        draw_line(painter, series.peg, scale, series.granularity, PEG_LINE, Qt.PenStyle.DashLine)
        if not series.pain:
            painter.setPen(muted_text(palette))
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "No check-ins in this range.")
        if lanes_height:
            lanes = [(lane, MEDICATION, False) for lane in medication_lanes]
            lanes += [(lane, COURSE, True) for lane in course_lanes]
            self._draw_lanes(
                painter,
                lanes,
                len(medication_lanes),
                series.today,
                scale,
                geometry,
                metrics,
                palette,
            )
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(plot)
        legend = QRectF(rect.left(), rect.top(), rect.width(), line + 8)
        draw_legend(
            painter,
            series,
            legend,
            left,
            palette.color(QPalette.ColorRole.Text),
            bool(medication_lanes),
            bool(course_lanes),
        )

    def _draw_grid(
        self,
        painter: QPainter,
        series: Series,
        scale: Scale,
        plot: QRectF,
        rect: QRectF,
        metrics: QFontMetricsF,
        palette: QPalette,
    ) -> None:
        text_color = muted_text(palette)
        painter.setPen(QPen(grid_color(palette), 1))
        painter.drawLines(
            [
                QLineF(plot.left(), scale.y(value), plot.right(), scale.y(value))
                for value in range(0, 11, 2)
            ]
        )
        painter.setPen(text_color)
        for value in range(0, 11, 2):
            y = scale.y(value)
            label = QRectF(plot.left() - 30, y - metrics.height() / 2, 24, metrics.height())
            painter.drawText(
                label, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(value)
            )
        widest = metrics.horizontalAdvance("Sep 2026") + 14
        ticks = month_ticks(series.since, series.until, int(plot.width() // widest))
        yearly = len(ticks) > 1 and all(t.month == ticks[0].month for t in ticks)
        bottom = rect.bottom() - metrics.height() - 4
        painter.setPen(QPen(grid_color(palette), 1))
        painter.drawLines([QLineF(scale.x(t), plot.top(), scale.x(t), bottom) for t in ticks])
        painter.setPen(text_color)
        last_right = -1e9
        for index, tick in enumerate(ticks):
            x = scale.x(tick)
            if yearly:
                text = f"{tick.year}"
            elif tick.month == 1 or index == 0:
                text = f"{tick:%b %Y}"
            else:
                text = f"{tick:%b}"
            width = metrics.horizontalAdvance(text)
            if x - 2 < last_right or x + width > rect.right():
                continue
            painter.drawText(QPointF(x + 3, rect.bottom() - 3), text)
            last_right = x + width + 6

    def _draw_lanes(
        self,
        painter: QPainter,
        lanes: list[tuple[list[Period], QColor, bool]],
        medication_lanes: int,
        today: dt.date,
        scale: Scale,
        geometry: _Geometry,
        metrics: QFontMetricsF,
        palette: QPalette,
    ) -> None:
        text_color = palette.color(QPalette.ColorRole.Text)
        captions = {0: "Medications", medication_lanes: "Therapy"}
        for index, (lane, color, hatched) in enumerate(lanes):
            y = geometry.lanes_top + index * geometry.lane_height
            if index in captions and lane:
                painter.setPen(muted_text(palette))
                caption = QRectF(0, y, geometry.plot.left() - 8, geometry.lane_height - 2)
                painter.drawText(
                    caption,
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    captions[index],
                )
            bands = []
            for period in lane:
                band = span(scale, period, today, geometry.plot)
                band = QRectF(band.left(), y, max(band.width(), 3.0), geometry.lane_height - 2)
                geometry.lane_hits.append((band, period))
                bands.append((band, period))
            draw_bands(painter, [band for band, _ in bands], color, hatched)
            # Labels after all bands, so that none is painted over; the last lane may stack
            # bands that did not fit elsewhere: label only where the text has room.
            painter.setPen(text_color)
            text_right = -1e9
            for band, period in bands:
                if band.width() <= 30 or band.left() < text_right:
                    continue
                inner = band.adjusted(4, 0, -3, 0)
                text = metrics.elidedText(period.label, Qt.TextElideMode.ElideRight, inner.width())
                painter.drawText(
                    inner, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text
                )
                text_right = band.right()

    # Hover -------------------------------------------------------------------------------------

    def tooltip_at(self, pos: QPointF) -> str:
        """What the chart shows under ``pos``: a period, or the values of that day or week."""
        series, geometry = self._series, self._geometry
        if series is None or geometry is None:
            return ""
        for band, period in geometry.lane_hits:
            if band.contains(pos):
                end = format_long_date(period.end) if period.end else "ongoing"
                detail = f" — {period.detail}" if period.detail else ""
                return f"{period.label}: {format_long_date(period.start)} to {end}{detail}"
        plot = geometry.plot
        if not plot.contains(pos) or not series.pain:
            return ""
        day = Scale(series.since, series.until, plot).day_at(pos.x())
        pain = bucket_at(series.pain, day)
        if pain is None:
            return f"{format_long_date(day)}: no check-in"
        peg = bucket_at(series.peg, day)
        peg_text = f", PEG {peg.mean:.1f}" if peg is not None else ""
        if series.granularity is Granularity.DAY:
            return f"{format_long_date(pain.start)}: pain {pain.mean:g}{peg_text}"
        what = "Week of" if series.granularity is Granularity.WEEK else "Month of"
        when = format_long_date(pain.start) if what == "Week of" else f"{pain.start:%B %Y}"
        days = f"{pain.count} check-in{'s' if pain.count != 1 else ''}"
        return f"{what} {when}: average pain {pain.mean:.1f}{peg_text} ({days})"
