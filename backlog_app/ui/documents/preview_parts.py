"""Parts of the preview: the toolbar (pages, zoom) and the note shown instead of a document."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from backlog_app.ui.resources import icon


class PreviewToolbar(QWidget):
    """Previous/next page with "Page 2 of 5", zoom out/in, fit width, whole page.

    Buttons only; the preview connects them and calls ``show_state``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.previous_button = self._tool("‹", "Previous page (Page Up)")
        self.next_button = self._tool("›", "Next page (Page Down)")
        self.page_label = QLabel(self)
        self.page_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("Page 88 of 88") + 8)
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_out_button = self._tool("−", "Zoom out (Ctrl+-)")
        self.zoom_in_button = self._tool("+", "Zoom in (Ctrl++)")
        self.fit_width_button = self._tool("Fit width", "Fit the page to the width", "fit-width")
        self.fit_page_button = self._tool("Whole page", "Show the whole page", "fit-page")
        self.zoom_label = QLabel(self)
        self.zoom_label.setObjectName("muted")
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The first thing to give way when the pane is narrow (the buttons stay).
        self.zoom_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.zoom_label.setMinimumWidth(0)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for widget in (self.previous_button, self.page_label, self.next_button):
            layout.addWidget(widget)
        layout.addStretch(1)
        for widget in (
            self.zoom_out_button,
            self.zoom_label,
            self.zoom_in_button,
            self.fit_width_button,
            self.fit_page_button,
        ):
            layout.addWidget(widget)

    def _tool(self, text: str, name: str, icon_name: str | None = None) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(name)
        button.setAccessibleName(name)
        button.setAutoRaise(True)
        if icon_name is not None:
            button.setIcon(icon(icon_name))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        else:
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            font = button.font()
            font.setPointSizeF(font.pointSizeF() * 1.3)
            button.setFont(font)
        button.setMinimumWidth(self.fontMetrics().horizontalAdvance("MM") + 8)
        return button

    def show_state(self, *, showing: bool, page: int, count: int, zoom: str) -> None:
        """``page`` counts from 0; ``showing`` is False while nothing (or a note) is shown."""
        self.setEnabled(showing)
        self.page_label.setText(f"Page {page + 1} of {count}" if showing and count else "")
        self.previous_button.setEnabled(showing and page > 0)
        self.next_button.setEnabled(showing and page < count - 1)
        self.zoom_label.setText(zoom if showing else "")


class PreviewNote(QWidget):
    """A sentence instead of a document (nothing selected, a problem), or a locked PDF's button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setObjectName("muted")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.password_button = QPushButton("Type the password…", self)
        self.password_button.setAccessibleName("Type the password of this PDF")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.label)
        layout.addWidget(self.password_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    def show_text(self, text: str, *, ask_password: bool = False) -> None:
        self.label.setText(text)
        self.password_button.setVisible(ask_password)
