"""The checklist's rows: a list model over the results, and a delegate that draws each as a card
of rich text whose evidence labels are links (``ChecklistList.evidence_chosen``).

Each status has a colour and always its word and mark beside it ("✓ Met", "✗ Not met",
"? Unknown"), never colour alone; screen readers get the whole row as text.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QTextDocument,
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

from backlog_app.domain.readiness import CheckResult, CheckStatus

Index = QModelIndex | QPersistentModelIndex
RESULT_ROLE = Qt.ItemDataRole.UserRole + 60  # the row's CheckResult

# Each status has a colour and always its word and mark beside it (never colour alone).
STATUS_COLORS = {
    CheckStatus.MET: QColor("#1e7b34"),
    CheckStatus.NOT_MET: QColor("#b3261e"),
    CheckStatus.UNKNOWN: QColor("#8a5300"),
}
_PADDING = 10
# Where a row's text starts, from the row's top left: after the card's edge and status stripe.
_TEXT_LEFT, _TEXT_TOP = _PADDING + 8, _PADDING
_STATUS_WIDTH_TEXT = "? Unknown"


def status_text(status: CheckStatus) -> str:
    """ "✓ Met", "✗ Not met", "? Unknown"."""
    return f"{status.mark} {status.label}"


def result_text(result: CheckResult) -> str:
    """The row in plain text, for screen readers and the clipboard."""
    parts = [f"{status_text(result.status)}: {result.label}.", result.finding]
    if result.evidence:
        parts.append("Evidence: " + "; ".join(e.label for e in result.evidence) + ".")
    if result.todo:
        parts.append(f"To do: {result.todo}")
    return " ".join(parts)


class ChecklistModel(QAbstractListModel):
    """The checklist's rows: one CheckResult each."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._results: list[CheckResult] = []

    def set_results(self, results: Sequence[CheckResult]) -> None:
        self.beginResetModel()
        self._results = list(results)
        self.endResetModel()

    def result(self, row: int) -> CheckResult:
        return self._results[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._results)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._results):
            return None
        result = self._results[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{status_text(result.status)}: {result.label}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return result_text(result)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"Source: {result.source}" if result.source else ""
            return f"{tip}\n{result.note}".strip() if result.note else tip or None
        if role == Qt.ItemDataRole.ForegroundRole:
            return STATUS_COLORS[result.status]
        if role == RESULT_ROLE:
            return result
        return None


def result_html(result: CheckResult, muted: QColor) -> str:
    """One row as rich text: status, criterion, finding, evidence links, to-do, source."""
    color = STATUS_COLORS[result.status].name()
    esc = html.escape
    rows = [
        f"<b>{esc(result.label)}</b>",
        esc(result.finding),
    ]
    if result.evidence:
        links = " · ".join(
            f'<a href="evidence:{n}">{esc(e.label)}</a>' for n, e in enumerate(result.evidence)
        )
        rows.append(f"Evidence: {links}")
    if result.todo:
        rows.append(f"<span style='color:{color}'><b>To do:</b></span> {esc(result.todo)}")
    source = f"Source: {esc(result.source)}" if result.source else ""
    if result.note:
        source = f"{source}. {esc(result.note)}" if source else esc(result.note)
    if source:
        rows.append(f"<span style='color:{muted.name()}'>{source}</span>")
    status = (
        f"<span style='color:{color}; font-weight:bold'>{esc(status_text(result.status))}</span>"
    )
    body = "<br>".join(rows)
    return (
        "<table width='100%' cellspacing='0' cellpadding='0'><tr>"
        f"<td width='STATUS' valign='top'>{status}</td>"
        f"<td valign='top'>{body}</td></tr></table>"
    )


def _muted_color(palette: QPalette) -> QColor:
    """Text halfway to the background: rich text has no "placeholder text" colour with alpha."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    return QColor(
        (text.red() + base.red()) // 2,
        (text.green() + base.green()) // 2,
        (text.blue() + base.blue()) // 2,
    )


class ChecklistDelegate(QStyledItemDelegate):
    """Draws a row as a card of rich text; its evidence labels are links."""

    evidence_clicked = Signal(object)  # Evidence

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view
        self._cache: dict[tuple[int, int], QTextDocument] = {}

    def clear_cache(self) -> None:
        self._cache.clear()

    def _document(self, index: Index, width: int) -> QTextDocument | None:
        result = index.data(RESULT_ROLE)
        if not isinstance(result, CheckResult):
            return None
        key = (index.row(), width)
        document = self._cache.get(key)
        if document is None:
            document = QTextDocument(self)
            document.setDefaultFont(self._view.font())
            document.setDocumentMargin(0)
            muted = _muted_color(self._view.palette())
            status_width = self._view.fontMetrics().horizontalAdvance(_STATUS_WIDTH_TEXT) + 14
            document.setHtml(result_html(result, muted).replace("STATUS", str(status_width)))
            document.setTextWidth(max(width - _TEXT_LEFT - _PADDING, 100))
            self._cache[key] = document
        return document

    def _width(self) -> int:
        return self._view.viewport().width() - 4

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        document = self._document(index, self._width())
        if document is None:
            return super().sizeHint(option, index)
        return QSize(self._width(), int(document.size().height()) + 2 * _PADDING + 6)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        rect: QRect = option.rect
        document = self._document(index, self._width())
        if document is None:
            return
        palette = self._view.palette()
        painter.save()
        card = rect.adjusted(2, 3, -2, -3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        border = palette.color(QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Mid)
        painter.setPen(QPen(border, 2 if selected else 1))
        painter.drawRoundedRect(card, 8, 8)
        # A status stripe on the left; the word beside it says the same.
        result = index.data(RESULT_ROLE)
        stripe = QRect(card.left() + 1, card.top() + 6, 4, card.height() - 12)
        painter.fillRect(stripe, STATUS_COLORS[result.status])
        painter.translate(rect.left() + _TEXT_LEFT, rect.top() + _TEXT_TOP)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, palette.color(QPalette.ColorRole.Text))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def anchor_at(self, index: Index, point: QPoint) -> str:
        """The link under ``point`` (viewport coordinates) in the row of ``index``, or ""."""
        document = self._document(index, self._width())
        if document is None:
            return ""
        rect = self._view.visualRect(self._view.model().index(index.row(), 0))
        local = QPointF(point - rect.topLeft() - QPoint(_TEXT_LEFT, _TEXT_TOP))
        return document.documentLayout().anchorAt(local)

    def editorEvent(
        self, event: QEvent, model: Any, option: QStyleOptionViewItem, index: Index
    ) -> bool:
        if isinstance(event, QMouseEvent):
            anchor = self.anchor_at(index, event.position().toPoint())
            if event.type() == QEvent.Type.MouseMove:
                shape = Qt.CursorShape.PointingHandCursor if anchor else Qt.CursorShape.ArrowCursor
                self._view.viewport().setCursor(shape)
            elif (
                event.type() == QEvent.Type.MouseButtonRelease
                and event.button() == Qt.MouseButton.LeftButton
                and anchor.startswith("evidence:")
            ):
                result: CheckResult = index.data(RESULT_ROLE)
                self.evidence_clicked.emit(result.evidence[int(anchor.split(":", 1)[1])])
                return True
        return super().editorEvent(event, model, option, index)


class ChecklistList(QListView):
    """The rows; Enter opens the evidence of the current row (a menu when there are several)."""

    evidence_chosen = Signal(object)  # Evidence

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Readiness criteria")
        self.setAccessibleDescription(
            "Each criterion, whether it is met, what BackLog found and what to do. "
            "Press Enter to open the records it names."
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        self.setWordWrap(True)
        self.setMouseTracking(True)
        self.setSpacing(0)
        self.checklist_delegate = ChecklistDelegate(self)
        self.setItemDelegate(self.checklist_delegate)
        self.checklist_delegate.evidence_clicked.connect(self.evidence_chosen)

    def resizeEvent(self, event: Any) -> None:
        self.checklist_delegate.clear_cache()
        super().resizeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_current()
            return
        super().keyPressEvent(event)

    def open_current(self) -> None:
        result = self.currentIndex().data(RESULT_ROLE)
        if not isinstance(result, CheckResult) or not result.evidence:
            return
        if len(result.evidence) == 1:
            self.evidence_chosen.emit(result.evidence[0])
            return
        menu = QMenu(self)
        menu.setAccessibleName("Open a record")
        for evidence in result.evidence:
            action = menu.addAction(evidence.label)
            action.triggered.connect(lambda _=False, e=evidence: self.evidence_chosen.emit(e))
        rect = self.visualRect(self.currentIndex())
        menu.popup(self.viewport().mapToGlobal(rect.bottomLeft()))
