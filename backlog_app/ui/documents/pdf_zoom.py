"""Zoom steps for QPdfView that start from what is on screen, even in a "fit" mode."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView

ZOOM_STEP = 1.25
MIN_ZOOM = 0.1
MAX_ZOOM = 8.0


class PdfZoom:
    """Zooms a QPdfView in and out by steps and says how it is zoomed ("Fit width", "150%")."""

    def __init__(self, view: QPdfView, document: QPdfDocument) -> None:
        self._view = view
        self._document = document

    def effective(self) -> float:
        """The zoom factor on screen now (QPdfView reports it only in the custom mode)."""
        view = self._view
        mode = view.zoomMode()
        if mode == QPdfView.ZoomMode.Custom:
            return view.zoomFactor()
        page = max(view.pageNavigator().currentPage(), 0)
        points = self._document.pagePointSize(page)
        screen = QGuiApplication.primaryScreen()
        per_point = (screen.logicalDotsPerInch() if screen else 96.0) / 72.0
        if points.width() <= 0 or points.height() <= 0:
            return view.zoomFactor()
        margins = view.documentMargins()
        viewport = view.viewport().size()
        across = (viewport.width() - margins.left() - margins.right()) / (
            points.width() * per_point
        )
        if mode == QPdfView.ZoomMode.FitToWidth:
            return across
        down = (viewport.height() - margins.top() - margins.bottom()) / (
            points.height() * per_point
        )
        return min(across, down)

    def zoom_in(self) -> None:
        self._set(self.effective() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._set(self.effective() / ZOOM_STEP)

    def fit_width(self) -> None:
        self._view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def fit_page(self) -> None:
        self._view.setZoomMode(QPdfView.ZoomMode.FitInView)

    def describe(self) -> str:
        mode = self._view.zoomMode()
        if mode == QPdfView.ZoomMode.FitToWidth:
            return "Fit width"
        if mode == QPdfView.ZoomMode.FitInView:
            return "Whole page"
        return f"{self._view.zoomFactor():.0%}"

    def _set(self, factor: float) -> None:
        self._view.setZoomMode(QPdfView.ZoomMode.Custom)
        self._view.setZoomFactor(min(max(factor, MIN_ZOOM), MAX_ZOOM))
