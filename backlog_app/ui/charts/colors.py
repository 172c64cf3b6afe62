"""Chart colours chosen to read on light and dark palettes, and the pain colour scale."""

from __future__ import annotations

import itertools

from PySide6.QtGui import QColor, QPalette

PAIN_LINE = QColor("#2f7fc1")  # blue: pain
PEG_LINE = QColor("#d9730d")  # orange, drawn dashed: PEG
MEDICATION = QColor("#2a9d8f")  # teal bands: medication trials
COURSE = QColor("#8e6cc4")  # violet bands, hatched: therapy courses

# Pain 0-10: pale green through yellow and orange to dark red (a sequential scale that also
# differs in lightness, so it survives greyscale and most colour-vision differences).
_PAIN_STOPS = (
    (0.0, QColor("#cfe8c9")),
    (2.0, QColor("#f2f0a6")),
    (4.0, QColor("#fdc47d")),
    (6.0, QColor("#f4874f")),
    (8.0, QColor("#d0382a")),
    (10.0, QColor("#7a0d0d")),
)


def pain_color(value: float) -> QColor:
    """The heat colour for a pain value 0-10 (interpolated between the stops)."""
    value = min(max(value, 0.0), 10.0)
    for (low, low_color), (high, high_color) in itertools.pairwise(_PAIN_STOPS):
        if value <= high:
            t = (value - low) / (high - low)
            return QColor.fromRgbF(
                low_color.redF() + (high_color.redF() - low_color.redF()) * t,
                low_color.greenF() + (high_color.greenF() - low_color.greenF()) * t,
                low_color.blueF() + (high_color.blueF() - low_color.blueF()) * t,
            )
    return QColor(_PAIN_STOPS[-1][1])


def text_on(background: QColor) -> QColor:
    """Black or white, whichever reads better on ``background``."""
    luminance = 0.299 * background.redF() + 0.587 * background.greenF() + 0.114 * background.blueF()
    return QColor("#000000") if luminance > 0.55 else QColor("#ffffff")


def with_alpha(color: QColor, alpha: float) -> QColor:
    faded = QColor(color)
    faded.setAlphaF(alpha)
    return faded


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def grid_color(palette: QPalette) -> QColor:
    """Faint lines that show on both light and dark backgrounds."""
    return with_alpha(palette.color(QPalette.ColorRole.Text), 0.12)


def muted_text(palette: QPalette) -> QColor:
    return with_alpha(palette.color(QPalette.ColorRole.Text), 0.7)
