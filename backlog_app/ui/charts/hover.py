"""Tooltips for drawn widgets: each chart says what lies under the mouse, this shows it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QToolTip, QWidget


class ChartWidget(QWidget):
    """A QWidget whose tooltip text comes from ``tooltip_at(pos)`` (empty: no tooltip)."""

    def tooltip_at(self, pos: QPointF) -> str:
        return ""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)
