"""One plan's card in the network panel: the plan, a coloured text mark, freshness, last check."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from backlog_app.services.network import PlanNetwork
from backlog_app.ui.network.standing import check_summary, freshness_words, standing


class PlanCard(QFrame):
    """A provider's standing with one plan.

    Args:
        network: the standing, from ``NetworkService.provider_network``.
        call_label: how the latest check's linked call is named, if it has one.
        today, max_age_days: for the freshness sentence.
    """

    def __init__(
        self,
        network: PlanNetwork,
        call_label: str | None,
        today: dt.date,
        max_age_days: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.network = network
        self.standing = standing(network)
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 8, 12, 8)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        ended = "" if network.plan_is_current else " (plan ended)"
        self.plan = QLabel(network.plan_label + ended, self)
        self.plan.setStyleSheet("font-weight: bold;")
        self.plan.setWordWrap(True)
        shown = self.standing
        self.mark = QLabel(shown.mark, self)
        self.mark.setObjectName("networkMark")
        self.mark.setStyleSheet(
            f"QLabel {{ color: {shown.foreground.name()}; background: {shown.background.name()};"
            " font-weight: bold; border-radius: 4px; padding: 2px 8px; }"
        )
        self.mark.setAccessibleName(f"{network.plan_label}: {shown.mark[2:]}")
        self.words = QLabel(freshness_words(network, today, max_age_days), self)
        self.words.setWordWrap(True)
        grid.addWidget(self.plan, 0, 0)
        grid.addWidget(self.mark, 0, 1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.words, 1, 0, 1, 2)
        self.latest: QLabel | None = None
        if network.latest is not None:
            self.latest = QLabel("Last check: " + check_summary(network.latest, call_label), self)
            self.latest.setObjectName("muted")
            self.latest.setWordWrap(True)
            self.latest.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(self.latest, 2, 0, 1, 2)
        grid.setColumnStretch(0, 1)
