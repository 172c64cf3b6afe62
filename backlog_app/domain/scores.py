"""Outcome scores: PEG (Krebs 2009) and the Oswestry Disability Index, computed from their items."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

PAIN_MIN, PAIN_MAX = 0, 10
ODI_SECTION_MAX = 5


def peg_score(
    average_pain: int | None, enjoyment: int | None, activity: int | None
) -> float | None:
    """Mean of the three PEG items (0-10), or None unless all three were recorded."""
    items = (average_pain, enjoyment, activity)
    if any(item is None for item in items):
        return None
    return round(sum(item for item in items if item is not None) / 3, 2)


def odi_percent(sections: Sequence[int | None]) -> float | None:
    """ODI % = sum ÷ (5 × sections answered) × 100; None when no section was answered."""
    answered = [score for score in sections if score is not None]
    if not answered:
        return None
    return round(sum(answered) / (ODI_SECTION_MAX * len(answered)) * 100, 1)


class OdiBand(StrEnum):
    """Fairbank's bands for the ODI percentage."""

    MINIMAL = "minimal"
    MODERATE = "moderate"
    SEVERE = "severe"
    CRIPPLED = "crippled"
    BED_BOUND = "bed_bound"

    @property
    def label(self) -> str:
        return {
            OdiBand.MINIMAL: "Minimal disability",
            OdiBand.MODERATE: "Moderate disability",
            OdiBand.SEVERE: "Severe disability",
            OdiBand.CRIPPLED: "Crippling back pain",
            OdiBand.BED_BOUND: "Bed-bound or exaggerating",
        }[self]


def odi_band(percent: float) -> OdiBand:
    """0-20 minimal, 21-40 moderate, 41-60 severe, 61-80 crippled, 81-100 bed-bound."""
    if percent <= 20:
        return OdiBand.MINIMAL
    if percent <= 40:
        return OdiBand.MODERATE
    if percent <= 60:
        return OdiBand.SEVERE
    if percent <= 80:
        return OdiBand.CRIPPLED
    return OdiBand.BED_BOUND
