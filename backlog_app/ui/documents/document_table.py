"""The documents as a table (date, kind, title, provider, pages, tags; for a search, what matched)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFontMetrics,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from backlog_app.ui.models.document_model import (
    COLUMN_DATE,
    COLUMN_FOUND,
    COLUMN_KIND,
    COLUMN_PAGES,
    COLUMN_PROVIDER,
    COLUMN_TAGS,
    COLUMN_TITLE,
    SNIPPET_ROLE,
    snippet_html,
    trim_before_match,
)


class SnippetDelegate(QStyledItemDelegate):
    """Draws the search snippet with the matched words in bold (the rest is escaped text)."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else None
        snippet = index.data(SNIPPET_ROLE) or ""
        opt.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        if not snippet:
            return
        rect = opt.rect
        # The first match must be on screen: in a narrow cell, words before it give way.
        lead_room = (rect.width() - 8) // 3
        metrics = QFontMetrics(opt.font)
        html = snippet_html(
            trim_before_match(snippet, lambda lead: metrics.horizontalAdvance(lead) <= lead_room)
        )
        document = QTextDocument()
        document.setDefaultFont(opt.font)
        document.setDocumentMargin(0)
        # One line, like the other cells: a snippet that does not fit is cut at the right.
        document.setHtml(f"<span style='white-space: pre'>{html}</span>")
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        context.palette.setColor(
            QPalette.ColorRole.Text,
            opt.palette.color(
                QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
            ),
        )
        painter.save()
        left = rect.left() + 4
        top = rect.top() + (rect.height() - document.size().height()) / 2
        painter.translate(left, top)
        clip = QRectF(0, 0, rect.width() - 8, rect.height())
        painter.setClipRect(clip)
        context.clip = clip
        document.documentLayout().draw(painter, context)
        painter.restore()


# Columns in the order they give way when the table is narrow (the last ones hide first).
PRIORITY = (
    COLUMN_TITLE,
    COLUMN_FOUND,
    COLUMN_DATE,
    COLUMN_KIND,
    COLUMN_PROVIDER,
    COLUMN_TAGS,
    COLUMN_PAGES,
)
TITLE_MIN_CHARS = "MRI lumbar spine"
FOUND_MIN_CHARS = "…has been denied because…"


class DocumentTable(QTableView):
    """A read-only, one-row-at-a-time table over a DocumentTableModel.

    Columns that do not fit hide themselves, least useful first (pages, tags, provider…), so
    the title (and for a search, what was found) always has room; the tooltip and the details
    panel still show everything.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Documents")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().hide()
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.setItemDelegateForColumn(COLUMN_FOUND, SnippetDelegate(self))
        self._searching = False
        metrics = self.fontMetrics()
        self._widths = {
            COLUMN_DATE: metrics.horizontalAdvance("30 Sep 2026") + 24,
            COLUMN_KIND: metrics.horizontalAdvance("Imaging report") + 20,
            COLUMN_TITLE: metrics.horizontalAdvance(TITLE_MIN_CHARS) + 40,
            COLUMN_PROVIDER: metrics.horizontalAdvance("Dr. Lena Ortiz") + 20,
            COLUMN_PAGES: metrics.horizontalAdvance("Pages") + 24,
            COLUMN_TAGS: metrics.horizontalAdvance("lumbar, MRI") + 20,
            COLUMN_FOUND: metrics.horizontalAdvance(FOUND_MIN_CHARS) + 16,
        }
        self._search_title_width = self._widths[COLUMN_TITLE]
        # Extra room the title keeps before provider, tags and pages are shown.
        self._title_comfort = metrics.horizontalAdvance("lumbar spine report")

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(self.fontMetrics().horizontalAdvance("Pages") + 16)
        for column, width in self._widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        self._fit_columns()

    def set_searching(self, searching: bool) -> None:
        """The "Found" column (what matched) is there for a search only."""
        if searching != self._searching:
            self._searching = searching
            self._fit_columns()

    def visible_columns(self) -> list[int]:
        return [c for c in range(len(self._widths)) if not self.isColumnHidden(c)]

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Show the columns that fit, by priority; the title (or the snippet) takes the rest."""
        header = self.horizontalHeader()
        if self.model() is None:
            return
        widths = dict(self._widths)
        if self._searching:  # the snippet matters most: the title gives up some room
            widths[COLUMN_TITLE] = self._search_title_width
            required = [COLUMN_TITLE, COLUMN_FOUND]
        else:
            required = [COLUMN_TITLE]
        room = self.viewport().width()
        shown = list(required)
        used = sum(widths[column] for column in required)
        for column in PRIORITY:
            if column in required or column == COLUMN_FOUND:
                continue
            # Date and kind come first; the rest only while the title still has room to read.
            spare = 0 if column in (COLUMN_DATE, COLUMN_KIND) else self._title_comfort
            if used + widths[column] + spare > room:
                break
            shown.append(column)
            used += widths[column]
        stretch = COLUMN_FOUND if self._searching else COLUMN_TITLE
        for column in range(len(widths)):
            self.setColumnHidden(column, column not in shown)
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column == stretch
                else QHeaderView.ResizeMode.Interactive
            )
            header.setSectionResizeMode(column, mode)
        if self._searching:
            header.resizeSection(COLUMN_TITLE, widths[COLUMN_TITLE])
