"""One visual style: readable type, generous spacing, colours taken from the system palette."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

# Many of our users are older and in pain: start from a comfortable reading size.
BASE_POINT_SIZE = 11

STYLESHEET = """
QListWidget#navigation {
    background: palette(window);
    border: none;
    border-right: 1px solid palette(mid);
    padding-top: 8px;
    outline: 0;
}
QListWidget#navigation::item { padding: 6px 12px; border-radius: 6px; margin: 2px 8px; }
QListWidget#navigation::item:selected { background: palette(highlight); color: palette(highlighted-text); }
QFrame#card {
    background: palette(base);
    border: 1px solid palette(mid);
    border-radius: 10px;
}
QFrame#step {
    border-left: 4px solid palette(mid);
    background: palette(alternate-base);
    border-radius: 6px;
}
QFrame#stepUrgent {
    border-left: 4px solid #c0392b;
    background: palette(alternate-base);
    border-radius: 6px;
}
QLabel#muted { color: palette(placeholder-text); }
QLabel#fieldHint { color: palette(placeholder-text); }
QLabel#emptyState {
    color: palette(placeholder-text);
    border: 2px dashed palette(mid);
    border-radius: 10px;
    padding: 32px;
}
QLabel#problems {
    color: #8b1e1e;
    background: #fdecea;
    border: 1px solid #f5c2c0;
    border-radius: 6px;
    padding: 8px;
}
QPushButton { padding: 5px 14px; }
QPushButton#primaryButton { font-weight: bold; }
QPushButton#linkButton {
    border: none; background: transparent; color: palette(link); text-align: left; padding: 2px 0;
}
QPushButton#linkButton:hover { text-decoration: underline; }
QGroupBox {
    font-weight: bold;
    margin-top: 12px;
    padding: 14px 8px 8px 8px;
    border: 1px solid palette(mid);
    border-radius: 8px;
}
QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; }
QGroupBox QLabel, QGroupBox QLineEdit, QGroupBox QComboBox, QGroupBox QPlainTextEdit,
QGroupBox QDateEdit, QGroupBox QTableView, QGroupBox QPushButton { font-weight: normal; }
"""


def apply_style(app: QApplication) -> None:
    font = QFont(app.font())
    if font.pointSizeF() < BASE_POINT_SIZE:
        font.setPointSizeF(BASE_POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)
