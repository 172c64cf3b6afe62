"""The Log page's Summary tab: the conservative-care summary for a date range, in plain words.

The summary is computed on the job runner's worker (it reads the whole log), then shown here.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QDate
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from backlog_app.services.context import ProfileSession
from backlog_app.services.trends import data_range
from backlog_app.ui.jobs import JobRunner

SUMMARY_RANGES: dict[str, int | None] = {
    "Last 12 months": 365,
    "Last 2 years": 730,
    "Everything recorded": None,
    "Custom dates": -1,
}
DEFAULT_RANGE = "Everything recorded"


def compute_summary_html(
    profile: ProfileSession, since: dt.date | None, until: dt.date
) -> tuple[str, str]:
    """The summary as (HTML for the view, plain text for the clipboard). Qt-free: runs on a worker."""
    from backlog_app.domain.summary_text import summary_lines, summary_sections
    from backlog_app.services.summary import care_summary

    summary = care_summary(profile, since, until)
    lines = summary_lines(summary)
    sections = summary_sections(summary) if not summary.is_empty else []
    parts = [f"<p><b>{html.escape(lines[0])}</b></p>"] if lines else []
    text = [lines[0]] if lines else []
    if sections:
        for section in sections:
            parts.append(f"<h3>{html.escape(section.title)}</h3><ul>")
            parts += [f"<li>{html.escape(line)}</li>" for line in section.lines]
            parts.append("</ul>")
            text += ["", section.title, *(f"• {line}" for line in section.lines)]
    else:
        parts += [f"<p>{html.escape(line)}</p>" for line in lines[1:]]
        text += lines[1:]
    if len(lines) <= 1:
        parts.append(
            "<p>Nothing to summarise yet. Log your daily check-ins, medications, therapy and "
            "visits on the <i>Daily log</i> tab, and this summary writes itself.</p>"
        )
    return "\n".join(parts), "\n".join(text)


class SummaryTab(QWidget):
    """A date range and the summary in plain words, recomputed in the background when needed.

    Args:
        profile: the open profile.
        jobs: the window's job runner; None computes on the GUI thread (tests of this tab alone).
    """

    def __init__(
        self,
        profile: ProfileSession,
        jobs: JobRunner | None,
        show_status: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._jobs = jobs
        self._show_status = show_status
        self._stale = True
        self._generation = 0
        self._plain_text = ""
        today = profile.clock()

        self.range = QComboBox(self)
        self.range.addItems(list(SUMMARY_RANGES))
        self.range.setAccessibleName("Summary period")
        self.since = QDateEdit(self)
        self.until = QDateEdit(self)
        for edit, name in ((self.since, "From"), (self.until, "To")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(name)
            edit.setMaximumDate(QDate(today.year, today.month, today.day))
        self.until.setDate(QDate(today.year, today.month, today.day))
        self.copy_button = QPushButton("Copy text", self)
        self.copy_button.setToolTip("Copy the summary to paste it into a letter or an email")
        self.status = QLabel(self)
        self.status.setObjectName("muted")
        self.view = QTextBrowser(self)
        self.view.setOpenLinks(False)
        self.view.setAccessibleName("Care summary")
        self.view.document().setDocumentMargin(12)
        intro = QLabel(
            "What you tried, for how long and how it went — the conservative-care history "
            "insurers ask for before they approve a procedure."
        )
        intro.setObjectName("muted")
        intro.setWordWrap(True)

        bar = QHBoxLayout()
        bar.addWidget(self.range)
        bar.addWidget(self.since)
        bar.addWidget(QLabel("–"))
        bar.addWidget(self.until)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(intro)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

        self.range.setCurrentText(DEFAULT_RANGE)
        self._apply_range()
        self.range.currentTextChanged.connect(self._range_chosen)
        self.since.dateChanged.connect(self._dates_edited)
        self.until.dateChanged.connect(self._dates_edited)
        self.copy_button.clicked.connect(self.copy_text)

    # What is shown -----------------------------------------------------------------------------

    def period(self) -> tuple[dt.date | None, dt.date]:
        until = self.until.date()
        end = dt.date(until.year(), until.month(), until.day())
        if self.range.currentText() == "Everything recorded":
            return None, end
        since = self.since.date()
        return dt.date(since.year(), since.month(), since.day()), end

    def mark_stale(self) -> None:
        """The log changed: recompute now if the tab shows, else when it is next shown."""
        self._stale = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Compute the summary for the chosen period (in the background when possible)."""
        self._stale = False
        self._generation += 1
        generation = self._generation
        since, until = self.period()
        profile = self._profile
        if since is None:  # show where "everything recorded" starts
            extent = data_range(profile)
            first = extent[0] if extent else profile.clock()
            self.since.blockSignals(True)
            self.since.setDate(QDate(first.year, first.month, first.day))
            self.since.blockSignals(False)
        self.status.setText("Working out the summary…")
        if self._jobs is None:
            self._show(generation, compute_summary_html(profile, since, until))
            return
        handle = self._jobs.run(
            "Working out the summary…",
            lambda _progress: compute_summary_html(profile, since, until),
            lambda result: self._show_if_alive(generation, result),
        )
        handle.finished.connect(lambda: self._finished_if_alive(generation))

    def plain_text(self) -> str:
        return self._plain_text

    def copy_text(self) -> None:
        QGuiApplication.clipboard().setText(self._plain_text)
        self._show_status("Summary copied; paste it where you need it.")

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # Reactions ---------------------------------------------------------------------------------

    def _show_if_alive(self, generation: int, result: tuple[str, str]) -> None:
        if shiboken6.isValid(self):  # the profile may have closed while the job ran
            self._show(generation, result)

    def _finished_if_alive(self, generation: int) -> None:
        # After a failure (shown by the runner) nothing else would clear "Working…".
        if shiboken6.isValid(self) and generation == self._generation:
            self.status.setText("")

    def _show(self, generation: int, result: tuple[str, str]) -> None:
        if generation != self._generation:  # a newer request is on its way
            return
        body, text = result
        self._plain_text = text
        self.view.setHtml(body)
        self.status.setText("")

    def _range_chosen(self) -> None:
        if self.range.currentText() != "Custom dates":
            self._apply_range()
            self.refresh()

    def _apply_range(self) -> None:
        days = SUMMARY_RANGES[self.range.currentText()]
        custom = self.range.currentText() == "Custom dates"
        self.since.setEnabled(days is not None)
        if custom or days is None:  # "everything" shows its start when it is worked out
            return
        start = self._profile.clock() - dt.timedelta(days=days - 1)
        self.since.blockSignals(True)
        self.since.setDate(QDate(start.year, start.month, start.day))
        self.since.blockSignals(False)

    def _dates_edited(self) -> None:
        self.range.blockSignals(True)
        self.range.setCurrentText("Custom dates")
        self.range.blockSignals(False)
        self.since.setEnabled(True)
        self.refresh()
