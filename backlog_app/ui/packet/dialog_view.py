"""The Export Packet window's widgets and their layout; ``dialog.PacketDialog`` adds what they do.

The choices (case and dates, sections, paper) sit in a column on the left that scrolls when the
window is low; the documents and the contents preview take the rest; the date problems and the
buttons run along the bottom.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.packet import PageSize
from backlog_app.ui.packet.choices import PaperBox, ScopeBox, SectionsBox
from backlog_app.ui.packet.contents_preview import ContentsPreview
from backlog_app.ui.packet.documents_box import DocumentsBox

# The choices keep to a readable width; in a window narrower than TWO_COLUMNS_FROM their section
# boxes stand in one column, so that the documents and the contents keep enough room.
CHOICES_MAXIMUM_WIDTH = 540
TWO_COLUMNS_FROM = 1060
# Fits a 1366 × 768 screen at 125 % (1093 × 614 less the panels and the title bar); lower, the
# choices scroll.
MINIMUM_SIZE = QSize(900, 560)
USUAL_SIZE = QSize(1180, 720)
TABLE_MINIMUM_HEIGHT = 88  # the header and two rows

INTRO = (
    "One PDF for your insurer or your doctor's office: a cover sheet, your records and your "
    "documents, with your name and a page number on every page. The usual choices are already "
    "made — press Export PDF… to save it."
)


class PacketDialogView(QDialog):
    """The window's parts: ``scope``, ``sections``, ``paper`` (in ``choices_area``),
    ``documents``, ``preview``, ``problems`` and the Export, Print and Close buttons."""

    def __init__(self, today: dt.date, page_size: PageSize, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export a packet for your insurer")
        self.scope = ScopeBox(today, self)
        self.sections = SectionsBox(self)
        self.paper = PaperBox(page_size, self)
        self.documents = DocumentsBox(self)
        self.preview = ContentsPreview(self)
        self.problems = QLabel(self)
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setAccessibleName("Problems with the dates")
        self.problems.hide()

        self.buttons = QDialogButtonBox(self)
        self.export_button = self._button("&Export PDF…", "Save the packet as a PDF file")
        self.export_button.setObjectName("primaryButton")
        self.export_button.setDefault(True)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button = self._button("&Print…", "Print the packet on paper")
        self.buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self._button("Close", "Close without saving a packet")
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)

        self.choices_area = self._choices_column()
        self._fit_choices(USUAL_SIZE.width())
        # The documents and the contents share the height left evenly, however long each list
        # is; in a low window each still shows a few rows.
        for table in (self.documents.table, self.preview.table):
            policy = table.sizePolicy()
            policy.setVerticalPolicy(QSizePolicy.Policy.Ignored)
            table.setSizePolicy(policy)
            table.setMinimumHeight(TABLE_MINIMUM_HEIGHT)
        right = QVBoxLayout()
        right.setSpacing(10)
        right.addWidget(self.documents, 1)
        right.addWidget(self.preview, 1)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addWidget(self.choices_area, 0)
        columns.addLayout(right, 1)
        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addLayout(columns, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        # Check boxes and radio buttons in a group read in the normal weight (titles are bold).
        self.setStyleSheet("QGroupBox QCheckBox, QGroupBox QRadioButton { font-weight: normal; }")
        self.setMinimumSize(MINIMUM_SIZE)
        self.resize(USUAL_SIZE)

    def _choices_column(self) -> QScrollArea:
        column = QWidget()
        left = QVBoxLayout(column)
        left.setContentsMargins(0, 0, 0, 0)
        left.setSpacing(10)
        left.addWidget(self.scope)
        left.addWidget(self.sections)
        left.addWidget(self.paper)
        left.addStretch(1)
        area = QScrollArea(self)
        area.setWidget(column)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Tab goes to the choices themselves, each scrolled into view.
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        area.setAccessibleName("Choices for the packet")
        area.setMaximumWidth(CHOICES_MAXIMUM_WIDTH)
        return area

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit_choices(event.size().width())
        super().resizeEvent(event)

    def _fit_choices(self, width: int) -> None:
        self.sections.set_columns(2 if width >= TWO_COLUMNS_FROM else 1)
        # As wide as the choices need, with room for the scroll bar: never cut off at the side.
        needed = max(
            box.minimumSizeHint().width() for box in (self.scope, self.sections, self.paper)
        )
        needed += self.choices_area.verticalScrollBar().sizeHint().width()
        self.choices_area.setMinimumWidth(needed)
        # Narrow, they take no more than they need: the documents' titles need the room.
        wide = width >= TWO_COLUMNS_FROM
        self.choices_area.setMaximumWidth(CHOICES_MAXIMUM_WIDTH if wide else needed)

    def _button(self, text: str, what: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.setToolTip(what)
        return button
