"""What a passphrase protects and what it does not, as a block of text for the dialogs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from backlog_app.ui.security import wording


def explanation(parent: QWidget | None = None, *, side_by_side: bool = False) -> QWidget:
    """Short paragraphs under bold headings: "What this protects" and "What it does not"
    (one above the other, or in two columns where height is short)."""
    box = QWidget(parent)
    outer: QBoxLayout = QHBoxLayout(box) if side_by_side else QVBoxLayout(box)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.setSpacing(16 if side_by_side else 4)
    for title, paragraphs in (
        ("What this protects", (wording.PROTECTS,)),
        ("What it does not", (wording.DOES_NOT_PROTECT, wording.UNLOCKED_COMPUTER)),
    ):
        column = QVBoxLayout()
        column.setSpacing(4)
        outer.addLayout(column, 1)
        layout = column
        heading = QLabel(title, box)
        heading.setStyleSheet("font-weight: bold")  # inside a group box, too
        layout.addWidget(heading)
        for text in paragraphs:
            label = QLabel(text, box)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(label)
        layout.addStretch(1)
    return box
