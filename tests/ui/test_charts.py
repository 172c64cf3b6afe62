"""The trend chart and the heat strip draw empty, demo and ten-year data, light and dark."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QPalette
from pytestqt.qtbot import QtBot

from backlog_app.domain.trends import DayScore, Period, PeriodKind
from backlog_app.services.context import ProfileSession
from backlog_app.services.trends import TrendData, trend_data
from backlog_app.ui.charts.colors import pain_color
from backlog_app.ui.charts.heat_strip import HeatStrip
from backlog_app.ui.charts.trend_chart import TrendChart

D = dt.date
TODAY = D(2026, 11, 27)


def _empty() -> TrendData:
    return TrendData(TODAY - dt.timedelta(days=90), TODAY, TODAY, [], [], [])


def _ten_years() -> TrendData:
    first = TODAY - dt.timedelta(days=3649)
    days = [
        DayScore(first + dt.timedelta(days=n), float(n % 11), None if n % 3 else 5.0)
        for n in range(3650)
        if n % 7  # some days missing
    ]
    meds = [
        Period(PeriodKind.MEDICATION, f"Med {n}", first + dt.timedelta(days=70 * n), None)
        for n in range(50)
    ]
    return TrendData(first, TODAY, TODAY, days, meds, [])


@pytest.mark.parametrize("data", [None, _empty()])
def test_empty_charts_say_what_to_do(qtbot: QtBot, data: TrendData | None) -> None:
    chart, strip = TrendChart(), HeatStrip()
    for widget in (chart, strip):
        qtbot.addWidget(widget)
        widget.resize(800, 260)
        widget.set_data(data)
        assert not widget.grab().isNull()
        assert widget.is_empty()
    assert "Check in" in chart.accessibleDescription()
    assert "check in" in strip.accessibleDescription()
    assert chart.tooltip_at(QPointF(400, 130)) == ""


def test_charts_draw_the_demo(qtbot: QtBot, demo_profile: ProfileSession) -> None:
    data = trend_data(demo_profile)
    chart, strip = TrendChart(), HeatStrip()
    for widget in (chart, strip):
        qtbot.addWidget(widget)
        widget.resize(900, 300)
        widget.set_data(data)
        assert not widget.grab().isNull()  # grab() paints: the geometry for tooltips is set
        assert not widget.is_empty()
    assert "Average pain" in chart.accessibleDescription()
    tips = {chart.tooltip_at(QPointF(x, 120)) for x in range(120, 880, 40)}
    assert any("average pain" in tip for tip in tips)
    strip_tips = {strip.tooltip_at(QPointF(x, y)) for x in range(60, 880, 7) for y in (30, 60)}
    assert any(": pain " in tip for tip in strip_tips)


def test_ten_years_draw_as_averages_in_year_rows(qtbot: QtBot) -> None:
    data = _ten_years()
    chart, strip = TrendChart(), HeatStrip()
    for widget in (chart, strip):
        qtbot.addWidget(widget)
        widget.resize(900, 300)
        widget.set_data(data)
        assert not widget.grab().isNull()
    assert "Month of" in " ".join(chart.tooltip_at(QPointF(x, 100)) for x in range(200, 800, 50))
    tips = " ".join(strip.tooltip_at(QPointF(x, y)) for x in range(80, 880, 9) for y in (40, 90))
    assert "average pain" in tips and " to " in tips  # each square is a week


def test_charts_draw_on_a_dark_palette(qtbot: QtBot, demo_profile: ProfileSession) -> None:
    dark = QPalette()
    for role, color in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.Base, "#2b2c2f"),
        (QPalette.ColorRole.Text, "#e8eaed"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Mid, "#5f6368"),
    ):
        dark.setColor(role, QColor(color))
    data = trend_data(demo_profile)
    for widget in (TrendChart(), HeatStrip()):
        qtbot.addWidget(widget)
        widget.setPalette(dark)
        widget.resize(900, 300)
        widget.set_data(data)
        assert not widget.grab().isNull()


def test_pain_colours_darken_as_pain_rises() -> None:
    lightness = [pain_color(value).lightnessF() for value in range(11)]
    assert lightness == sorted(lightness, reverse=True)
    assert pain_color(-3) == pain_color(0) and pain_color(12) == pain_color(10)
