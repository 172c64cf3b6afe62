"""A case's vertical timeline: a line with a dot per event, and hollow markers for what is due.

The entries come from ``timeline_entries``; the model lists them; the delegate paints the line,
the markers, the date column and the wrapped details; ``TimelineView`` adds Enter /
double-click to edit and a context menu.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.deadlines import DueStatus
from backlog_app.ui.cases.timeline_entries import EntryKind, TimelineEntry, Tone
from backlog_app.ui.models.case_model import OVERDUE_COLOR, SOON_COLOR

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 30  # the TimelineEntry
EVENT_ID_ROLE = Qt.ItemDataRole.UserRole + 31  # the event's id (int), None for other entries

GOOD_COLOR = QColor("#2e7d32")
ACCENT_COLOR = QColor("#1f6f8b")

Index = QModelIndex | QPersistentModelIndex


class TimelineModel(QAbstractListModel):
    """The timeline's entries, in order."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[TimelineEntry] = []

    def set_entries(self, entries: Sequence[TimelineEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> TimelineEntry:
        return self._entries[row]

    def entries(self) -> list[TimelineEntry]:
        return list(self._entries)

    def row_of_event(self, event_id: int) -> int | None:
        for row, entry in enumerate(self._entries):
            if entry.event_id == event_id:
                return row
        return None

    def has_events(self) -> bool:
        return any(entry.kind is EntryKind.EVENT for entry in self._entries)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            if entry.kind is EntryKind.TODAY:
                return f"Today, {format_long_date(entry.day)}"
            return entry.text
        if role == ENTRY_ROLE:
            return entry
        if role == EVENT_ID_ROLE:
            return entry.event_id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._entries[index.row()].kind is EntryKind.TODAY:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


# Geometry of a row, in pixels.
_GUTTER = 40  # the line runs down its middle
_MARKER = 7  # marker radius
_PAD_Y = 8
_GAP = 12


class TimelineDelegate(QStyledItemDelegate):
    """Paints one entry: the line, its marker, the date and the wrapped text."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        bold = QFont(option.font)
        bold.setBold(True)
        return option.font, bold

    def _date_width(self, option: QStyleOptionViewItem) -> int:
        return option.fontMetrics.horizontalAdvance("30 Sep 2026") + _GAP

    def _text_width(self, option: QStyleOptionViewItem) -> int:
        width = self._view.viewport().width()
        return max(width - _GUTTER - self._date_width(option) - _GAP, 120)

    def _blocks(
        self, option: QStyleOptionViewItem, entry: TimelineEntry
    ) -> list[tuple[QFont, str, int]]:
        """(font, text, height) of the title and each detail line, wrapped to the width."""
        normal, bold = self._fonts(option)
        width = self._text_width(option)
        blocks = []
        for font, text in [(bold, entry.title)] + [(normal, line) for line in entry.details]:
            rect = QFontMetrics(font).boundingRect(
                QRect(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), text
            )
            blocks.append((font, text, rect.height()))
        return blocks

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        entry = index.data(ENTRY_ROLE)
        if not isinstance(entry, TimelineEntry):
            return super().sizeHint(option, index)
        if entry.kind is EntryKind.TODAY:
            return QSize(self._view.viewport().width(), option.fontMetrics.height() + 2 * _PAD_Y)
        height = sum(block[2] for block in self._blocks(option, entry)) + 2 * _PAD_Y + 2
        return QSize(self._view.viewport().width(), max(height, 2 * _MARKER + 2 * _PAD_Y))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        entry = index.data(ENTRY_ROLE)
        if not isinstance(entry, TimelineEntry):
            super().paint(painter, option, index)
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        style = self._view.style()
        style.drawPrimitive(
            QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, self._view
        )
        rect = option.rect
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_color = palette.highlightedText().color() if selected else palette.text().color()
        muted = palette.highlightedText().color() if selected else palette.placeholderText().color()
        line_x = rect.left() + _GUTTER // 2
        marker_y = rect.top() + _PAD_Y + option.fontMetrics.height() // 2
        rows = self._view.model().rowCount()
        future = entry.kind is EntryKind.DUE or (
            entry.kind is EntryKind.TODAY and index.row() < rows - 1
        )

        # The line: from the row above to the row below, dashed in the future part.
        line_pen = QPen(palette.mid().color(), 2)
        if future:
            line_pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(line_pen)
        top = rect.top() if index.row() > 0 else marker_y
        bottom = rect.bottom() if index.row() < rows - 1 else marker_y
        if entry.kind is EntryKind.TODAY:
            top_pen = QPen(palette.mid().color(), 2)
            painter.setPen(top_pen)
            painter.drawLine(line_x, top, line_x, marker_y)
            painter.setPen(line_pen)
            painter.drawLine(line_x, marker_y, line_x, bottom)
        else:
            painter.drawLine(line_x, top, line_x, bottom)

        if entry.kind is EntryKind.TODAY:
            self._paint_today(painter, option, entry, line_x, marker_y, muted)
            painter.restore()
            return

        color = _marker_color(entry)
        if entry.kind is EntryKind.EVENT:
            painter.setPen(QPen(palette.base().color(), 2))
            painter.setBrush(QBrush(color))
        else:
            painter.setPen(QPen(color, 2.5))
            painter.setBrush(QBrush(palette.base().color()))
        painter.drawEllipse(QPoint(line_x, marker_y), _MARKER, _MARKER)

        normal, _bold = self._fonts(option)
        date_x = rect.left() + _GUTTER
        text_x = date_x + self._date_width(option)
        y = rect.top() + _PAD_Y
        painter.setFont(normal)
        painter.setPen(muted)
        painter.drawText(
            QRect(date_x, y, self._date_width(option), option.fontMetrics.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
            format_long_date(entry.day),
        )
        width = self._text_width(option)
        for number, (font, text, height) in enumerate(self._blocks(option, entry)):
            painter.setFont(font)
            if number == 0:
                painter.setPen(
                    color if entry.kind is EntryKind.DUE and not selected else text_color
                )
            elif number == 1 and entry.kind is EntryKind.DUE and entry.due is not DueStatus.LATER:
                painter.setPen(color if not selected else text_color)
            else:
                painter.setPen(text_color if entry.kind is EntryKind.EVENT else muted)
            painter.drawText(QRect(text_x, y, width, height), int(Qt.TextFlag.TextWordWrap), text)
            y += height
        painter.restore()

    def _paint_today(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        entry: TimelineEntry,
        line_x: int,
        marker_y: int,
        muted: QColor,
    ) -> None:
        rect = option.rect
        painter.setPen(QPen(ACCENT_COLOR, 2))
        painter.drawLine(line_x - _MARKER, marker_y, line_x + _MARKER, marker_y)
        _normal, bold = self._fonts(option)
        painter.setFont(bold)
        painter.setPen(ACCENT_COLOR)
        text = f"Today, {format_long_date(entry.day)}"
        text_x = rect.left() + _GUTTER
        painter.drawText(
            QRect(text_x, rect.top() + _PAD_Y, rect.width() - _GUTTER, option.fontMetrics.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
            text,
        )
        advance = option.fontMetrics.horizontalAdvance(text) + _GAP
        painter.setPen(QPen(ACCENT_COLOR, 1, Qt.PenStyle.DotLine))
        painter.drawLine(text_x + advance, marker_y, rect.right() - _GAP, marker_y)


def _marker_color(entry: TimelineEntry) -> QColor:
    if entry.kind is EntryKind.DUE:
        if entry.due is DueStatus.OVERDUE:
            return OVERDUE_COLOR
        if entry.due is DueStatus.DUE_SOON:
            return SOON_COLOR
        return QColor("#7a8a96")
    if entry.tone is Tone.BAD:
        return OVERDUE_COLOR
    if entry.tone is Tone.GOOD:
        return GOOD_COLOR
    return ACCENT_COLOR


class TimelineView(QListView):
    """The painted timeline; Enter or a double-click on an event asks to edit it.

    Signals carry the event's id.
    """

    edit_requested = Signal(int)
    delete_requested = Signal(int)
    link_requested = Signal(int)
    call_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today_pending = False  # scroll to "Today" once the view has its size
        self.timeline = TimelineModel(self)
        self.setModel(self.timeline)
        self.setItemDelegate(TimelineDelegate(self))
        self.setAccessibleName("Timeline")
        self.setAccessibleDescription(
            "The case's events in date order, then what is due. Enter edits the selected event; "
            "the context menu deletes it, links a document or logs a call about it."
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setResizeMode(QListView.ResizeMode.Adjust)  # rows re-wrap when the width changes
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setUniformItemSizes(False)
        self.setWordWrap(True)
        self.setMouseTracking(True)
        self.doubleClicked.connect(self._activated)

    def set_entries(self, entries: Sequence[TimelineEntry], *, new_case: bool = False) -> None:
        """Show ``entries``; the selected event stays selected. A ``new_case`` opens at "Today",
        with the latest events above it and what is due below."""
        selected = None if new_case else self.selected_event_id()
        scroll = self.verticalScrollBar().value()
        self.timeline.set_entries(entries)
        if selected is not None and self.select_event(selected):
            return
        if new_case:
            self._today_pending = True
            QTimer.singleShot(0, self.scroll_to_today)
        else:
            QTimer.singleShot(0, lambda: self.verticalScrollBar().setValue(scroll))

    def scroll_to_today(self) -> None:
        """Put the "Today" marker in the middle (once the view has its size)."""
        if not self.isVisible() or self.viewport().height() < 50:
            return  # tried again when the view is shown or resized
        self._today_pending = False
        for row, entry in enumerate(self.timeline.entries()):
            if entry.kind is EntryKind.TODAY:
                self.scrollTo(self.timeline.index(row, 0), self.ScrollHint.PositionAtCenter)
                return

    def selected_event_id(self) -> int | None:
        index = self.currentIndex()
        if not index.isValid() or not self.selectionModel().isSelected(index):
            return None
        value = index.data(EVENT_ID_ROLE)
        return int(value) if value is not None else None

    def select_event(self, event_id: int) -> bool:
        row = self.timeline.row_of_event(event_id)
        if row is None:
            return False
        index = self.timeline.index(row, 0)
        self.setCurrentIndex(index)
        self.scrollTo(index)
        return True

    def _activated(self, index: QModelIndex) -> None:
        value = index.data(EVENT_ID_ROLE)
        if value is not None:
            self.edit_requested.emit(int(value))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event_id = self.selected_event_id()
            if event_id is not None:
                self.edit_requested.emit(event_id)
                return
        if event.key() == Qt.Key.Key_Delete:
            event_id = self.selected_event_id()
            if event_id is not None:
                self.delete_requested.emit(event_id)
                return
        super().keyPressEvent(event)

    def event_menu(self, event_id: int) -> QMenu:
        """The context menu of one event (made public so tests can trigger its actions)."""
        menu = QMenu(self)
        for text, signal in (
            ("&Edit event…", self.edit_requested),
            ("&Delete event…", self.delete_requested),
            ("&Link a document…", self.link_requested),
            ("Log a &call about this event…", self.call_requested),
        ):
            action = menu.addAction(text)
            action.triggered.connect(lambda _checked=False, s=signal: s.emit(event_id))
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        index = self.indexAt(event.pos())
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            index = self.currentIndex()
        value = index.data(EVENT_ID_ROLE) if index.isValid() else None
        if value is None:
            return
        self.setCurrentIndex(index)
        self.event_menu(int(value)).exec(event.globalPos())

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.scheduleDelayedItemsLayout()  # heights depend on the width
            if self._today_pending:
                QTimer.singleShot(0, self.scroll_to_today)
        return super().viewportEvent(event)
