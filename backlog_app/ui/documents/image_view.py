"""A picture shown whole (fit page), across the width (fit width) or zoomed, with scrolling."""

from __future__ import annotations

from enum import Enum
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QPalette, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QWidget

ZOOM_STEP = 1.25
MIN_ZOOM = 0.05
MAX_ZOOM = 8.0


class Fit(Enum):
    PAGE = "page"
    WIDTH = "width"
    CUSTOM = "custom"


class ImageView(QScrollArea):
    """Shows one QImage; ``zoom_changed`` fires when the scale changes."""

    zoom_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self._pixmap: QPixmap | None = None
        self._fit = Fit.PAGE
        self._zoom = 1.0
        self._label = QLabel(self)
        self._label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._label.setAccessibleName("Picture of the document")
        self.setWidget(self._label)
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundRole(QPalette.ColorRole.Mid)
        self.setAccessibleName("Document preview")

    # Content -----------------------------------------------------------------------------------

    def set_image(self, image: QImage | None) -> None:
        self._image = image
        self._pixmap = QPixmap.fromImage(image) if image is not None else None
        self._rescale()

    def image(self) -> QImage | None:
        return self._image

    # Zoom --------------------------------------------------------------------------------------

    @property
    def fit(self) -> Fit:
        return self._fit

    def zoom_factor(self) -> float:
        """The scale the picture is shown at now (1.0: one image pixel per screen pixel)."""
        return self._zoom

    def describe(self) -> str:
        """ "Fit width", "Whole page" or "150%"."""
        if self._fit is Fit.CUSTOM:
            return f"{self._zoom:.0%}"
        return "Fit width" if self._fit is Fit.WIDTH else "Whole page"

    def fit_page(self) -> None:
        self._fit = Fit.PAGE
        self._rescale()

    def fit_width(self) -> None:
        self._fit = Fit.WIDTH
        self._rescale()

    def zoom_in(self) -> None:
        self.set_zoom(self._zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self._zoom / ZOOM_STEP)

    def set_zoom(self, factor: float) -> None:
        self._fit = Fit.CUSTOM
        self._zoom = min(max(factor, MIN_ZOOM), MAX_ZOOM)
        self._rescale()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self._fit is not Fit.CUSTOM:
            self._rescale()

    def _rescale(self) -> None:
        if self._pixmap is None or self._pixmap.isNull():
            self._label.clear()
            return
        size = self._pixmap.size()
        frame = self.frameWidth() * 2
        room = QSize(self.width() - frame - 4, self.height() - frame - 4)
        if self._fit is Fit.PAGE:
            self._zoom = min(room.width() / size.width(), room.height() / size.height())
        elif self._fit is Fit.WIDTH:
            bar = self.verticalScrollBar().sizeHint().width()
            self._zoom = (room.width() - bar) / size.width()
        self._zoom = min(max(self._zoom, MIN_ZOOM), MAX_ZOOM)
        target = QSize(
            max(1, round(size.width() * self._zoom)), max(1, round(size.height() * self._zoom))
        )
        self._label.setPixmap(
            self._pixmap.scaled(
                target,
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.zoom_changed.emit()
