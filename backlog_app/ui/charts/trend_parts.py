"""The trend chart's parts: the series it draws, the date and value scale, and the drawing steps.

Each step hands QPainter whole series at once (``drawPoints``, ``drawPolyline``, ``drawRects``),
so ten years take a few calls, not thousands.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen, QPolygonF

from backlog_app.domain.trends import (
    Average,
    Granularity,
    Period,
    averages,
    finer,
    granularity_for,
    pack_lanes,
)
from backlog_app.services.trends import TrendData
from backlog_app.ui.charts.colors import (
    COURSE,
    MEDICATION,
    PAIN_LINE,
    PEG_LINE,
    muted_text,
    with_alpha,
)

MEDICATION_LANES = 3
COURSE_LANES = 2
EMPTY_TEXT = (
    "No pain scores here yet.\n"
    "Check in each day (Ctrl+L or “Check in now”): your pain and PEG trend appears here,\n"
    "with medications and therapy courses shown as bands."
)
# Lines break where values are missing for longer than this (days), instead of bridging gaps.
_GAP_DAYS = {Granularity.DAY: 3, Granularity.WEEK: 15, Granularity.MONTH: 62}


@dataclass
class Series:
    """What the chart draws, computed once per data set (not per paint)."""

    since: dt.date
    until: dt.date
    today: dt.date
    granularity: Granularity
    dots: list[Average]  # the faint points: days, or weeks on long ranges
    pain: list[Average]  # the line
    peg: list[Average]
    months: list[Average]  # for the one-sentence description
    medications: list[Period]
    courses: list[Period]


def prepare_series(data: TrendData) -> Series:
    granularity = granularity_for(data.since, data.until)
    pain = [(d.day, d.pain) for d in data.days]
    peg = [(d.day, d.peg) for d in data.days]
    return Series(
        since=data.since,
        until=data.until,
        today=data.today,
        granularity=granularity,
        dots=averages(pain, finer(granularity)),
        pain=averages(pain, granularity),
        peg=averages(peg, granularity),
        months=averages(pain, Granularity.MONTH),
        medications=list(data.medications),
        courses=list(data.courses),
    )


class Scale:
    """Days to x and pain 0-10 to y inside the plot rectangle."""

    def __init__(self, since: dt.date, until: dt.date, plot: QRectF) -> None:
        self.since = since
        self.days = (until - since).days + 1
        self.plot = plot

    def x(self, day: dt.date, offset: float = 0.0) -> float:
        position = ((day - self.since).days + offset) / self.days
        return self.plot.left() + position * self.plot.width()

    def y(self, value: float) -> float:
        return self.plot.bottom() - value / 10 * self.plot.height()

    def day_at(self, x: float) -> dt.date:
        days = int((x - self.plot.left()) / self.plot.width() * self.days)
        return self.since + dt.timedelta(days=min(max(days, 0), self.days - 1))


def bucket_at(series: list[Average], day: dt.date) -> Average | None:
    index = bisect.bisect_right([a.start for a in series], day) - 1
    if index >= 0 and series[index].start <= day <= series[index].end:
        return series[index]
    return None


def span(scale: Scale, period: Period, today: dt.date, plot: QRectF) -> QRectF:
    start = max(period.start, scale.since)
    end = min(period.end_or(today), scale.since + dt.timedelta(days=scale.days - 1))
    left, right = scale.x(start), scale.x(end, 1.0)
    return QRectF(left, plot.top(), max(right - left, 1.0), plot.height())


def centre(scale: Scale, point: Average) -> QPointF:
    """Where a day's or a bucket's value goes: the middle of its days."""
    return QPointF(
        scale.x(point.start, ((point.end - point.start).days + 1) / 2), scale.y(point.mean)
    )


def _point_pen(color: QColor, diameter: float, round_cap: bool = True) -> QPen:
    """A pen that draws each point of ``drawPoints`` as a dot (round) or a square."""
    pen = QPen(color, diameter)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap if round_cap else Qt.PenCapStyle.SquareCap)
    return pen


# Points, lines and markers go to QPainter in one call per series (drawPoints, drawPolyline)
# rather than one call per value: ten years draw in a few calls, not thousands.


def draw_dots(painter: QPainter, series: Series, scale: Scale) -> None:
    daily = series.granularity is Granularity.DAY
    color = with_alpha(PAIN_LINE, 0.9 if daily else 0.35)
    painter.setPen(_point_pen(color, 6.0 if daily else 4.4))
    painter.drawPoints(QPolygonF([centre(scale, point) for point in series.dots]))


def _segments(points: list[Average], scale: Scale, granularity: Granularity) -> list[QPolygonF]:
    """The line's pieces: a gap longer than the granularity allows starts a new piece."""
    pieces: list[list[QPointF]] = []
    previous: Average | None = None
    for point in points:
        if previous is None or (point.start - previous.end).days > _GAP_DAYS[granularity]:
            pieces.append([])
        pieces[-1].append(centre(scale, point))
        previous = point
    return [QPolygonF(piece) for piece in pieces]


def draw_line(
    painter: QPainter,
    points: list[Average],
    scale: Scale,
    granularity: Granularity,
    color: QColor,
    style: Qt.PenStyle,
) -> None:
    if not points:
        return
    solid = style == Qt.PenStyle.SolidLine
    pen = QPen(color, 2.6 if solid else 2.2)
    pen.setStyle(style)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for piece in _segments(points, scale, granularity):
        painter.drawPolyline(piece)
    if granularity is not Granularity.DAY and len(points) <= 80:
        # Markers: round for pain, square for PEG (not only the colour tells them apart).
        painter.setPen(_point_pen(color, 6.4 if solid else 5.6, round_cap=solid))
        painter.drawPoints(QPolygonF([centre(scale, point) for point in points]))


def draw_bands(painter: QPainter, bands: list[QRectF], color: QColor, hatched: bool) -> None:
    """Tinted rectangles with a solid edge; therapy courses are hatched as well as tinted."""
    painter.setPen(QPen(color, 1))
    painter.setBrush(with_alpha(color, 0.30))
    painter.drawRects(bands)
    if hatched:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(with_alpha(color, 0.45), Qt.BrushStyle.BDiagPattern))
        painter.drawRects(bands)


def lanes_for(series: Series, budget: float) -> tuple[list[list[Period]], list[list[Period]]]:
    """Medication and course rows within ``budget`` rows; what does not fit piles up in the last."""
    rows = max(int(budget), 0)
    needed_meds = len(pack_lanes(series.medications, series.today, MEDICATION_LANES))
    needed_courses = len(pack_lanes(series.courses, series.today, COURSE_LANES))
    course_rows = min(1 if needed_courses else 0, rows)
    medication_rows = min(1 if needed_meds else 0, rows - course_rows)
    for _ in range(rows - course_rows - medication_rows):
        if medication_rows < needed_meds:
            medication_rows += 1
        elif course_rows < needed_courses:
            course_rows += 1
    return (
        pack_lanes(series.medications, series.today, medication_rows) if medication_rows else [],
        pack_lanes(series.courses, series.today, course_rows) if course_rows else [],
    )


def draw_legend(
    painter: QPainter,
    series: Series,
    row: QRectF,
    left: float,
    text_color: QColor,
    medications: bool,
    courses: bool,
) -> None:
    metrics = QFontMetricsF(painter.font())
    middle = row.center().y()
    x = left
    average = series.granularity.label.lower()
    dots = "each day" if finer(series.granularity) is Granularity.DAY else "each week"
    items: list[tuple[str, str]] = []
    if series.granularity is Granularity.DAY:
        items.append(("dots-line", "Pain (0–10), each day"))
        items.append(("dash", "PEG score, each day"))
    else:
        items.append(("dots", f"Pain, {dots}"))
        items.append(("line", f"Pain, {average}"))
        items.append(("dash", f"PEG, {average}"))
    if medications:
        items.append(("medication", "Medication"))
    if courses:
        items.append(("course", "Therapy course"))
    for glyph, text in items:
        if x + 24 + metrics.horizontalAdvance(text) > row.right():
            break
        _draw_glyph(painter, glyph, QRectF(x, middle - 6, 20, 12))
        painter.setPen(text_color)
        painter.drawText(QPointF(x + 24, middle + metrics.ascent() / 2 - 1), text)
        x += 24 + metrics.horizontalAdvance(text) + 16


def _draw_glyph(painter: QPainter, glyph: str, box: QRectF) -> None:
    middle = box.center()
    if glyph in ("line", "dots-line", "dash"):
        color = PEG_LINE if glyph == "dash" else PAIN_LINE
        pen = QPen(color, 2.4)
        pen.setStyle(Qt.PenStyle.DashLine if glyph == "dash" else Qt.PenStyle.SolidLine)
        painter.setPen(pen)
        painter.drawLine(QPointF(box.left(), middle.y()), QPointF(box.right(), middle.y()))
    if glyph in ("dots", "dots-line"):
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(with_alpha(PAIN_LINE, 0.9 if glyph == "dots-line" else 0.45))
        for dx in (3, 10, 17):
            painter.drawEllipse(QPointF(box.left() + dx, middle.y()), 2.6, 2.6)
    if glyph in ("medication", "course"):
        draw_bands(
            painter, [box], MEDICATION if glyph == "medication" else COURSE, glyph == "course"
        )


def draw_empty(painter: QPainter, rect: QRectF, palette: QPalette, font: QFont) -> None:
    box = rect.adjusted(8, 8, -8, -8)
    pen = QPen(palette.color(QPalette.ColorRole.Mid), 2)
    pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(box, 10, 10)
    painter.setFont(font)
    painter.setPen(muted_text(palette))
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, EMPTY_TEXT)
