"""A provider's standing with a plan in words, a text mark and a colour (never colour alone).

One rule for the providers list and the network panel, the same as the care-team checklist's:
green only for a recent "in network" check; out of network stays red however old the check;
anything else needs a check.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from PySide6.QtGui import QColor

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.network import Freshness, NetworkStatus, Verification
from backlog_app.services.network import PlanNetwork


class Standing(StrEnum):
    """What the Network column and the panel say about one provider and one plan."""

    IN_NETWORK = "in_network"
    OUT_OF_NETWORK = "out_of_network"
    CHECK_AGAIN = "check_again"  # an old check, or the insurer could not say
    NEVER_CHECKED = "never_checked"

    @property
    def mark(self) -> str:
        """The text shown in the cell: a symbol and plain words."""
        return {
            Standing.IN_NETWORK: "✓ In network",
            Standing.OUT_OF_NETWORK: "✗ Out of network",
            Standing.CHECK_AGAIN: "? Check again",
            Standing.NEVER_CHECKED: "? Never checked",
        }[self]

    @property
    def foreground(self) -> QColor:
        return QColor(_COLOURS[self][0])

    @property
    def background(self) -> QColor:
        return QColor(_COLOURS[self][1])

    @property
    def sort_order(self) -> int:
        """Out of network first, then what needs a check, then what is fine."""
        return list(_COLOURS).index(self)


# foreground, background: dark text on a light tint, readable in light and dark palettes.
_COLOURS: dict[Standing, tuple[str, str]] = {
    Standing.OUT_OF_NETWORK: ("#b3261e", "#fdecea"),
    Standing.CHECK_AGAIN: ("#8a5300", "#fff4d6"),
    Standing.NEVER_CHECKED: ("#4d5156", "#eceff1"),
    Standing.IN_NETWORK: ("#1e7b34", "#e6f4ea"),
}

STATUS_MARKS = {
    NetworkStatus.IN_NETWORK: "✓ In network",
    NetworkStatus.OUT_OF_NETWORK: "✗ Out of network",
    NetworkStatus.UNKNOWN: "? Not known",
}
STATUS_STANDING = {
    NetworkStatus.IN_NETWORK: Standing.IN_NETWORK,
    NetworkStatus.OUT_OF_NETWORK: Standing.OUT_OF_NETWORK,
    NetworkStatus.UNKNOWN: Standing.CHECK_AGAIN,
}
STALE_REASON = "Networks change with contracts and at each new plan year."


def standing(network: PlanNetwork) -> Standing:
    if network.latest is None:
        return Standing.NEVER_CHECKED
    status = network.latest.data.status
    if status is NetworkStatus.OUT_OF_NETWORK:
        return Standing.OUT_OF_NETWORK
    if status is NetworkStatus.IN_NETWORK and network.freshness.is_current:
        return Standing.IN_NETWORK
    return Standing.CHECK_AGAIN


def freshness_words(network: PlanNetwork, today: dt.date, max_age_days: int) -> str:
    """ "Checked 12 days ago: still current." — how fresh the latest check is, in a sentence."""
    latest = network.latest
    if latest is None:
        return "Never checked with this plan. Call the insurer before your next visit."
    ago = _days_ago(latest.data.verified_on, today)
    if network.freshness is Freshness.STALE_PLAN_YEAR:
        return f"Checked {ago}, before this plan year began: check again."
    if network.freshness is Freshness.STALE_AGE:
        return f"Checked {ago}: older than {max_age_days} days, check again."
    if latest.data.status is NetworkStatus.UNKNOWN:
        return f"Checked {ago}, but the answer was not known: check again."
    return f"Checked {ago}: still current."


def check_summary(check: Verification, call_label: str | None = None) -> str:
    """ "3 Nov 2026 · Call to the insurer · ref A-123 · call with Buckeye Mutual, 3 Nov 2026" """
    data = check.data
    parts = [format_long_date(data.verified_on), data.method.label]
    if data.reference_number:
        parts.append(f"ref {data.reference_number}")
    if call_label:
        parts.append(f"call with {call_label}")
    return " · ".join(parts)


def standing_tooltip(network: PlanNetwork, today: dt.date, max_age_days: int) -> str:
    """The Network cell's tooltip: which plan, the last check and whether it is still good."""
    lines = [f"Plan: {network.plan_label}"]
    latest = network.latest
    if latest is None:
        lines.append("Never checked with this plan.")
    else:
        lines.append(
            f"Last check: {format_long_date(latest.data.verified_on)} — "
            f"{latest.data.status.label.lower()} ({latest.data.method.label.lower()})"
        )
        if not network.freshness.is_current:
            lines.append(freshness_words(network, today, max_age_days))
    lines.append(STALE_REASON)
    return "\n".join(lines)


def _days_ago(day: dt.date, today: dt.date) -> str:
    days = (today - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago ({format_long_date(day)})"
