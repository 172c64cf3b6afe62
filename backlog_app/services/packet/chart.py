"""The pain and PEG trend: monthly averages drawn as vector lines on a 0–10 scale.

Vector graphics (ReportLab's ``graphics.shapes``), not a picture: sharp at any zoom, tiny in
the file, and legible on a fax. The two lines differ by more than colour (solid with dots,
dashed with squares), so they survive black-and-white printing. A month without data breaks
the line rather than bridging the gap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import (  # type: ignore[import-untyped]
    Circle,
    Drawing,
    Line,
    PolyLine,
    Rect,
    String,
)
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]

from backlog_app.domain.dates import month_name
from backlog_app.services.packet.styles import BOLD, FONT, INK, LIGHT_RULE, MUTED, WHITE

_LABEL_SIZE = 9.0
_LEFT, _RIGHT, _TOP, _BOTTOM = 30.0, 8.0, 28.0, 34.0
_MAX_MARKED = 40  # more months than this: lines without markers
_LABEL_STEPS = (1, 2, 3, 6, 12, 24)

_XOf = Callable[[int], float]
_YOf = Callable[[float], float]


@dataclass(frozen=True, slots=True)
class Series:
    """One line of the chart: a value (or None) per month, and how it is drawn."""

    label: str
    values: Sequence[tuple[dt.date, float | None]]  # (first day of the month, value)
    dashed: bool = False
    square_markers: bool = False


def month_index(first: dt.date, month: dt.date) -> int:
    return (month.year - first.year) * 12 + month.month - first.month


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every month from ``first`` to ``last`` (first days), both included."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def trend_chart(series: Sequence[Series], width: float, height: float = 230.0) -> Drawing:
    """The chart of ``series`` over the months they cover, ``width`` × ``height`` points."""
    drawing = Drawing(width, height)
    dated = [month for line in series for month, value in line.values if value is not None]
    if not dated:
        return drawing
    months = months_between(min(dated), max(dated))
    plot_x0, plot_x1 = _LEFT, width - _RIGHT
    plot_y0, plot_y1 = _BOTTOM, height - _TOP
    step = (plot_x1 - plot_x0) / len(months)

    def x_of(index: int) -> float:
        return plot_x0 + (index + 0.5) * step

    def y_of(value: float) -> float:
        return plot_y0 + (plot_y1 - plot_y0) * max(0.0, min(10.0, value)) / 10.0

    _grid(drawing, plot_x0, plot_x1, y_of)
    _month_axis(drawing, months, x_of, step, plot_y0)
    for line in series:
        _line(drawing, months[0], line, x_of, y_of, marked=len(months) <= _MAX_MARKED)
    _legend(drawing, series, plot_x0, height - 14, marked=len(months) <= _MAX_MARKED)
    return drawing


def _grid(drawing: Drawing, x0: float, x1: float, y_of: _YOf) -> None:
    for value in range(0, 11, 2):
        y = y_of(value)
        colour = INK if value == 0 else LIGHT_RULE
        drawing.add(Line(x0, y, x1, y, strokeColor=colour, strokeWidth=0.8 if value == 0 else 0.4))
        drawing.add(
            String(
                x0 - 5,
                y - 3,
                str(value),
                fontName=FONT,
                fontSize=_LABEL_SIZE,
                fillColor=MUTED,
                textAnchor="end",
            )
        )
    drawing.add(Line(x0, y_of(0), x0, y_of(10), strokeColor=INK, strokeWidth=0.8))


def _month_axis(
    drawing: Drawing, months: Sequence[dt.date], x_of: _XOf, step: float, y0: float
) -> None:
    """Ticks for every month; labels every few months (every January for long spans), and the
    year under the first label and under each January."""
    label_width = 26.0  # "Sep" and "2026" at 9 pt, with room between labels
    every = next((k for k in _LABEL_STEPS if step * k >= label_width), _LABEL_STEPS[-1])
    yearly = every >= 12
    for index in range(len(months)):
        x = x_of(index)
        drawing.add(Line(x, y0, x, y0 - 3, strokeColor=INK, strokeWidth=0.5))
    if yearly:
        shown = [i for i, m in enumerate(months) if m.month == 1 and m.year % (every // 12) == 0]
    else:
        shown = [i for i, m in enumerate(months) if (m.month - 1) % every == 0]
        # The first month is labelled too, unless the next label is too close to it.
        if not shown or (shown[0] != 0 and (shown[0] * step >= label_width)):
            shown.insert(0, 0)
    previous_year: int | None = None
    for index in shown:
        month, x = months[index], x_of(index)
        text = str(month.year) if yearly else month_name(month, short=True)
        drawing.add(_label(x, y0 - 13, text, FONT))
        if not yearly and month.year != previous_year:
            drawing.add(_label(x, y0 - 25, str(month.year), BOLD))
        previous_year = month.year


def _label(x: float, y: float, text: str, font: str) -> String:
    return String(
        x, y, text, fontName=font, fontSize=_LABEL_SIZE, fillColor=INK, textAnchor="middle"
    )


def _line(
    drawing: Drawing, first: dt.date, line: Series, x_of: _XOf, y_of: _YOf, *, marked: bool
) -> None:
    dash = [4, 2.5] if line.dashed else None
    runs: list[list[tuple[float, float]]] = []
    last_index: int | None = None
    for month, value in sorted(line.values):
        if value is None:
            continue
        index = month_index(first, month)
        point = (x_of(index), y_of(value))
        if last_index is not None and index == last_index + 1:
            runs[-1].append(point)
        else:
            runs.append([point])
        last_index = index
    for run in runs:
        if len(run) > 1:
            flat = [coordinate for point in run for coordinate in point]
            drawing.add(PolyLine(flat, strokeColor=INK, strokeWidth=1.4, strokeDashArray=dash))
        if marked or len(run) == 1:
            for x, y in run:
                drawing.add(_marker(x, y, square=line.square_markers))


def _marker(x: float, y: float, *, square: bool) -> Circle | Rect:
    if square:
        return Rect(x - 2.4, y - 2.4, 4.8, 4.8, fillColor=WHITE, strokeColor=INK, strokeWidth=1)
    return Circle(x, y, 2.3, fillColor=INK, strokeColor=INK, strokeWidth=0.5)


def _legend(
    drawing: Drawing, series: Sequence[Series], x: float, y: float, *, marked: bool
) -> None:
    for line in series:
        dash = [4, 2.5] if line.dashed else None
        drawing.add(
            Line(x, y + 3, x + 24, y + 3, strokeColor=INK, strokeWidth=1.4, strokeDashArray=dash)
        )
        if marked:
            drawing.add(_marker(x + 12, y + 3, square=line.square_markers))
        drawing.add(
            String(x + 30, y, line.label, fontName=FONT, fontSize=_LABEL_SIZE, fillColor=INK)
        )
        x += 30 + _text_width(line.label) + 22


def _text_width(text: str) -> float:
    return float(stringWidth(text, FONT, _LABEL_SIZE))
