"""The thumbnail grid: page-1 pictures loaded in the background for the items on screen.

``ThumbnailCache`` keeps pictures in memory (a few hundred, least recently used dropped) and asks
``services.thumbnails.ensure_thumbnail`` for missing ones on a background thread, most recently
requested first, so scrolling fast through thousands of documents loads what is on screen now.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from functools import partial
from pathlib import Path

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.documents import DocumentInfo
from backlog_app.services.documents import DocumentService
from backlog_app.ui.documents.background import BackgroundReads
from backlog_app.ui.models.document_model import (
    COLUMN_TITLE,
    DOCUMENT_ROLE,
    THUMBNAIL_ROLE,
    file_icon,
)

log = logging.getLogger("backlog.ui.documents")

MEMORY_LIMIT = 400  # pictures kept in memory (256 px PNGs: about 200 KB each decoded)
QUEUE_LIMIT = 200  # requests waiting; older ones are dropped (scrolled past)
IN_FLIGHT = 2

THUMB_SIZE = 150  # the picture area of a grid item
CARD_WIDTH = 184
PADDING = 8


def _render_thumbnail(documents: DocumentService, info: DocumentInfo) -> QImage | None:
    """Runs on a worker thread: make (if needed) and read the thumbnail file (decrypted in an
    encrypted profile: the picture is only ever in memory)."""
    from backlog_app.services.thumbnails import ensure_thumbnail, read_thumbnail

    password = documents.saved_password(info.id) if info.file.needs_password else None
    path: Path | None = ensure_thumbnail(documents, info.id, password=password)
    if path is None:
        return None
    data = read_thumbnail(documents, info.file.sha256)
    if data is None:
        return None
    image = QImage.fromData(data)
    return None if image.isNull() else image


class ThumbnailCache(QObject):
    """Page-1 pictures by document, loaded on request. ``ready`` carries the document id."""

    ready = Signal(int)

    def __init__(
        self, documents: DocumentService, reads: BackgroundReads, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._documents = documents
        self._reads = reads
        self._pixmaps: OrderedDict[str, QPixmap] = OrderedDict()
        self._unavailable: set[str] = set()  # no picture can be drawn (locked, damaged)
        self._queue: OrderedDict[str, DocumentInfo] = OrderedDict()
        self._loading: set[str] = set()

    def pixmap(self, info: DocumentInfo) -> QPixmap | None:
        """The picture, or None for now (loading starts) or for good (it cannot be drawn)."""
        key = info.file.sha256
        cached = self._pixmaps.get(key)
        if cached is not None:
            self._pixmaps.move_to_end(key)
            return cached
        if key not in self._unavailable and key not in self._loading:
            self._queue[key] = info
            self._queue.move_to_end(key)
            while len(self._queue) > QUEUE_LIMIT:
                self._queue.popitem(last=False)
            self._dispatch()
        return None

    def is_loading(self) -> bool:
        return bool(self._queue or self._loading)

    def retry_unavailable(self) -> None:
        """Documents changed (a password was saved, a file repaired): try those again when shown."""
        self._unavailable.clear()

    def _dispatch(self) -> None:
        while self._queue and len(self._loading) < IN_FLIGHT:
            key, info = self._queue.popitem(last=True)  # newest request first
            self._loading.add(key)
            self._reads.submit(
                partial(_render_thumbnail, self._documents, info),
                partial(self._loaded, key, info),
                partial(self._failed, key, info),
            )

    def _loaded(self, key: str, info: DocumentInfo, image: QImage | None) -> None:
        self._loading.discard(key)
        if image is None:
            self._unavailable.add(key)
        else:
            self._pixmaps[key] = QPixmap.fromImage(image)
            while len(self._pixmaps) > MEMORY_LIMIT:
                self._pixmaps.popitem(last=False)
            self.ready.emit(info.id)
        self._dispatch()

    def _failed(self, key: str, info: DocumentInfo, exc: BaseException) -> None:
        log.info("no thumbnail for a document: %s", exc.__class__.__name__)
        self._loaded(key, info, None)


class ThumbnailDelegate(QStyledItemDelegate):
    """Paints a grid item: the picture (or a file-type icon), two lines of title, date and kind."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        line = QFontMetrics(option.font).lineSpacing()
        return QSize(CARD_WIDTH, PADDING * 2 + THUMB_SIZE + 6 + line * 3 + 4)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        info = index.data(DOCUMENT_ROLE)
        if not isinstance(info, DocumentInfo):
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        rect: QRect = opt.rect
        palette: QPalette = opt.palette
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        widget = opt.widget
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = rect.adjusted(2, 2, -2, -2)
        hovered = bool(opt.state & QStyle.StateFlag.State_MouseOver)
        if selected or hovered:
            fill = palette.color(QPalette.ColorRole.Highlight)
            if not selected:
                fill.setAlpha(40)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(card, 8, 8)
        if opt.state & QStyle.StateFlag.State_HasFocus and widget is not None and widget.hasFocus():
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight).darker(130), 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(card, 8, 8)

        area = QRect(
            rect.left() + (rect.width() - THUMB_SIZE) // 2,
            rect.top() + PADDING,
            THUMB_SIZE,
            THUMB_SIZE,
        )
        pixmap = index.data(THUMBNAIL_ROLE)
        if isinstance(pixmap, QPixmap) and not pixmap.isNull():
            scaled = pixmap.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, scaled.width(), scaled.height())
            target.moveCenter(area.center())
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawPixmap(target, pixmap)
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(target.adjusted(0, 0, -1, -1))
        else:
            painter.fillRect(area, palette.color(QPalette.ColorRole.AlternateBase))
            glyph = QRect(0, 0, 72, 72)
            glyph.moveCenter(area.center())
            file_icon(info.file.file_type).paint(painter, glyph)

        text_color = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = QColor(text_color)
        if not selected:
            muted = palette.color(QPalette.ColorRole.PlaceholderText)
        metrics = QFontMetrics(opt.font)
        line = metrics.lineSpacing()
        text_left = rect.left() + PADDING
        text_width = rect.width() - 2 * PADDING
        top = area.bottom() + 6
        bold = opt.font
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text_color)
        bold_metrics = QFontMetrics(bold)
        for number, text in enumerate(_two_lines(info.data.title, bold_metrics, text_width)):
            painter.drawText(
                QRect(text_left, top + number * line, text_width, line),
                int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter),
                text,
            )
        bold.setBold(False)
        painter.setFont(bold)
        painter.setPen(muted)
        meta = " · ".join(
            part
            for part in (format_long_date(info.data.document_date), info.data.kind.label)
            if part
        )
        painter.drawText(
            QRect(text_left, top + 2 * line, text_width, line),
            int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter),
            metrics.elidedText(meta, Qt.TextElideMode.ElideRight, text_width),
        )
        painter.restore()


def _two_lines(text: str, metrics: QFontMetrics, width: int) -> list[str]:
    """``text`` broken at a space to fit two lines of ``width``; the second elided if needed."""
    if metrics.horizontalAdvance(text) <= width:
        return [text]
    words = text.split(" ")
    first = ""
    for count in range(len(words), 0, -1):
        candidate = " ".join(words[:count])
        if metrics.horizontalAdvance(candidate) <= width:
            first = candidate
            rest = " ".join(words[count:])
            break
    else:  # one long word: cut it
        first = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        return [first]
    return [first, metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)]


class DocumentGrid(QListView):
    """The documents as cards in rows; the same model (and selection) as the list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setWrapping(True)
        self.setUniformItemSizes(True)
        self.setSpacing(6)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(200)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setDragEnabled(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setItemDelegate(ThumbnailDelegate(self))
        self.setAccessibleName("Documents as pictures")

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        self.setModelColumn(COLUMN_TITLE)
