"""Guards against a broken Qt binding: PySide6 6.12.0 leaked references to None.

Every Qt call that returns nothing took one reference away from Python's None. On Python 3.11
the count is finite, so a long session aborted with "deallocating None". pyproject.toml excludes
that release; this test catches the next release with the same fault.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_void_qt_calls_keep_none_alive(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        before = sys.getrefcount(None)
        for _ in range(1000):
            label.setText("x")
            painter.drawLine(0, 0, 1, 1)
            painter.save()
            painter.restore()
        after = sys.getrefcount(None)
    finally:
        painter.end()
    # A few references may come and go elsewhere; thousands lost means the binding leaks.
    assert after - before > -100
