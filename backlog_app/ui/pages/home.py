"""Home: who this profile is for, deadlines, open cases, their insurance, and what to do next."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.deadline_rules import Party
from backlog_app.domain.deadlines import DueItem
from backlog_app.domain.next_steps import Destination, NextStep, Urgency
from backlog_app.domain.records import priority_label
from backlog_app.services.home import HOME_DUE_DAYS, CaseStep, HomeDeadlines, HomeSummary
from backlog_app.services.trends import RecentPain
from backlog_app.ui.page_keys import PAGE_CASES
from backlog_app.ui.widgets import heading

_DESTINATION_LABELS = {
    Destination.PROFILE: "Open Profile && Insurance",
    Destination.PROVIDERS: "Open Providers",
}
_URGENCY_MARKS = {Urgency.NOW: "Do this first", Urgency.SOON: "Soon", Urgency.WHEN_YOU_CAN: ""}
NOTHING_DUE = "Nothing due. When you add a denial, its appeal deadline appears here."
NO_CASES = (
    "No coverage cases yet. When a procedure needs the insurer's approval, or a claim is "
    "denied, add it as a case: BackLog works out every deadline."
)
ALL_SETTLED = "Every case is settled: nothing is waiting on you or the insurer."
LOADING = "Loading…"
UNREADABLE = "BackLog could not work out your deadlines just now. The Cases page lists them."
# Home shows this many deadlines (and of those further off, this many); the Cases page has all.
MAX_DUE_ROWS = 8
MAX_LATER_ROWS = 3


class HomePage(QWidget):
    """Renders a HomeSummary; ``navigate`` asks the window to show another page."""

    navigate = Signal(str)
    check_in_requested = Signal()
    open_case = Signal(int)  # a case's id: show it on the Cases page
    open_cost = Signal(int)  # a cost entry's id (a bill to dispute): show it on the Costs page

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading("BackLog")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("muted")
        self.log_card, self._log_layout = _card("Daily log")
        self.check_in_button = QPushButton("Check in now")
        self.check_in_button.setObjectName("primaryButton")
        self.check_in_button.setAccessibleName("Check in now")
        self.check_in_button.setToolTip("Record today's pain, sleep and medications (Ctrl+L)")
        self.check_in_button.clicked.connect(self.check_in_requested)
        self.last_check_in = QLabel()
        self.last_check_in.setWordWrap(True)
        self.recent_average = QLabel()
        self.recent_average.setWordWrap(True)
        self._log_layout.addWidget(self.last_check_in)
        self._log_layout.addWidget(self.recent_average)
        log_buttons = QHBoxLayout()
        log_buttons.addWidget(self.check_in_button)
        log_buttons.addWidget(self._page_link("Open the log →", "log"))
        log_buttons.addStretch(1)
        self._log_layout.addLayout(log_buttons)
        self.plans_card, self._plans_layout = _card("Insurance")
        self.steps_card, self._steps_layout = _card("What's next")
        self.deadlines_card, self._deadlines_layout = _card("Deadlines")
        self.cases_card, self._cases_layout = _card("Your cases")
        # Until the first read in the background arrives (a moment).
        self._deadlines_layout.addWidget(_muted(LOADING))
        self._cases_layout.addWidget(_muted(LOADING))
        self.directory_card, self._directory_layout = _card("Your care team")

        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(24, 20, 24, 20)
        column.setSpacing(16)
        column.addWidget(self.title)
        column.addWidget(self.subtitle)
        row = QHBoxLayout()
        row.setSpacing(16)
        main = QVBoxLayout()
        main.setSpacing(16)
        main.addWidget(self.deadlines_card)
        main.addWidget(self.cases_card)
        main.addWidget(self.steps_card)
        main.addStretch(1)
        row.addLayout(main, 3)
        side = QVBoxLayout()
        side.setSpacing(16)
        side.addWidget(self.log_card)
        side.addWidget(self.plans_card)
        side.addWidget(self.directory_card)
        side.addStretch(1)
        row.addLayout(side, 2)
        column.addLayout(row)
        column.addStretch(1)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def show_summary(self, summary: HomeSummary) -> None:
        """Everything but the deadlines and cases (``show_deadlines``)."""
        patient = summary.patient
        if patient is None:
            self.title.setText("Welcome to BackLog")
            self.subtitle.setText("Start by telling BackLog who this profile is for.")
        else:
            self.title.setText(patient.full_name)
            born = format_long_date(patient.date_of_birth)
            self.subtitle.setText(f"Born {born} · {summary.age} years old")
        self._show_plans(summary)
        self._show_steps(summary.steps)
        self._show_directory(summary)

    def show_deadlines(self, deadlines: HomeDeadlines) -> None:
        """The Deadlines and Your cases cards, read in the background (replacing what was shown)."""
        self._show_deadlines(deadlines.due, deadlines.later, deadlines.today)
        self._show_cases(deadlines.case_steps, deadlines.case_count)

    def show_deadlines_unreadable(self) -> None:
        """The read failed: say so where the deadlines go (the details are in the log)."""
        _clear(self._deadlines_layout)
        _clear(self._cases_layout)
        self._deadlines_layout.addWidget(_muted(UNREADABLE))
        self._cases_layout.addWidget(self._page_link("Open Cases && Appeals", PAGE_CASES))

    def show_recent_pain(self, recent: RecentPain, today: dt.date) -> None:
        """The log card: when the last check-in was and the recent average pain."""
        if recent.last_check_in is None:
            self.last_check_in.setText("No check-ins yet. A daily check-in takes under a minute.")
        else:
            days = (today - recent.last_check_in).days
            when = {0: "today", 1: "yesterday"}.get(
                days, f"{format_long_date(recent.last_check_in)} ({days} days ago)"
            )
            self.last_check_in.setText(f"Last check-in: {when}")
        if recent.average is None:
            self.recent_average.setText(f"No pain scores in the last {recent.days} days.")
        else:
            count = recent.recorded_days
            self.recent_average.setText(
                f"Average pain, last {recent.days} days: <b>{recent.average:.1f}</b> out of 10 "
                f"(from {count} check-in{'s' if count != 1 else ''})"
            )

    def _show_plans(self, summary: HomeSummary) -> None:
        _clear(self._plans_layout)
        if not summary.current_plans:
            self._plans_layout.addWidget(_muted("No plan in force is recorded yet."))
        for stored in summary.current_plans:
            plan = stored.data
            lines = [
                f"<b>{_esc(priority_label(plan.priority))}:</b> {_esc(plan.display_name)}",
                _esc(plan.plan_type.label),
            ]
            if plan.member_id:
                lines.append(f"Member ID <b>{_esc(plan.member_id)}</b>")
            if plan.prior_auth_phone:
                lines.append(f"Prior authorization: {_esc(plan.prior_auth_phone)}")
            elif plan.member_services_phone:
                lines.append(f"Member services: {_esc(plan.member_services_phone)}")
            label = QLabel("<br>".join(lines))
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            self._plans_layout.addWidget(label)
        if summary.ended_plan_count:
            count = summary.ended_plan_count
            self._plans_layout.addWidget(
                _muted(f"{count} earlier plan{'s' if count > 1 else ''} kept for the record.")
            )
        self._plans_layout.addWidget(self._link("Open Profile && Insurance", Destination.PROFILE))

    def _show_steps(self, steps: list[NextStep]) -> None:
        _clear(self._steps_layout)
        if not steps:
            self._steps_layout.addWidget(
                _muted(
                    "Nothing needs doing right now. Your profile has what insurers ask for "
                    "first. New suggestions appear here as you add records."
                )
            )
            return
        for step in steps:
            self._steps_layout.addWidget(self._step_row(step))

    def _step_row(self, step: NextStep) -> QWidget:
        row = QFrame()
        row.setObjectName("stepUrgent" if step.urgency == Urgency.NOW else "step")
        layout = QVBoxLayout(row)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(4)
        mark = _URGENCY_MARKS[step.urgency]
        title = QLabel(f"<b>{_esc(step.title)}</b>" + (f" &nbsp;<i>{mark}</i>" if mark else ""))
        title.setWordWrap(True)
        why = QLabel(step.why)
        why.setObjectName("muted")
        why.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(why)
        button = self._link(_DESTINATION_LABELS[step.destination] + " →", step.destination)
        button.setAccessibleName(
            f"{step.title}: {_DESTINATION_LABELS[step.destination].replace('&&', '&')}"
        )
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        return row

    def _show_deadlines(self, due: list[DueItem], later: list[DueItem], today: dt.date) -> None:
        _clear(self._deadlines_layout)
        if not due and not later:
            self._deadlines_layout.addWidget(_muted(NOTHING_DUE))
            return
        overdue = [item for item in due if item.due < today]
        soon = [item for item in due if item.due >= today]
        if not due:
            self._deadlines_layout.addWidget(
                _muted(f"Nothing due in the next {HOME_DUE_DAYS} days.")
            )
        shown = 0
        for title, items, limit, urgent in (
            ("Overdue", overdue, MAX_DUE_ROWS, True),
            ("Due soon", soon, MAX_DUE_ROWS, False),
            ("Later", later, MAX_LATER_ROWS, False),
        ):
            room = min(limit, MAX_DUE_ROWS - shown) if title != "Later" else limit
            if not items or room <= 0:
                continue
            group = QLabel(f"<b>{title}</b>")
            if urgent:
                group.setStyleSheet("color: #b03a2e;")
            group.setAccessibleName(f"{title}: {len(items)}")
            self._deadlines_layout.addWidget(group)
            for item in items[:room]:
                self._deadlines_layout.addWidget(self._due_row(item, today, urgent))
                shown += 1
        hidden = len(due) + len(later) - shown
        if hidden > 0:
            self._deadlines_layout.addWidget(
                self._page_link(f"{hidden} more on the Cases page →", PAGE_CASES)
            )

    def _due_row(self, item: DueItem, today: dt.date, urgent: bool) -> QWidget:
        row = QFrame()
        row.setObjectName("stepUrgent" if urgent else "step")
        layout = QVBoxLayout(row)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        when = QLabel(f"<b>{_esc(format_long_date(item.due))}</b> · {_esc(_days(item.due, today))}")
        what = QLabel(item.title)
        what.setTextFormat(Qt.TextFormat.PlainText)
        what.setWordWrap(True)
        context = _muted(
            " · ".join(p for p in (item.case_title or _where(item), _who(item, today)) if p)
        )
        context.setTextFormat(Qt.TextFormat.PlainText)
        if item.cost_id is not None:
            cost_id = item.cost_id
            link = QPushButton("Show the bill →")
            link.clicked.connect(lambda: self.open_cost.emit(cost_id))
        elif item.case_id is not None:
            case_id = item.case_id
            link = QPushButton("Open the case →")
            link.clicked.connect(lambda: self.open_case.emit(case_id))
        else:
            link = QPushButton("Open the call log →")
            link.clicked.connect(lambda: self.navigate.emit(PAGE_CASES))
        link.setObjectName("linkButton")
        link.setCursor(Qt.CursorShape.PointingHandCursor)
        link.setAccessibleName(f"{item.title}: {link.text().rstrip(' →')}")
        footer = QHBoxLayout()
        footer.setSpacing(12)
        footer.addWidget(context, 1)
        footer.addWidget(link, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addWidget(when)
        layout.addWidget(what)
        layout.addLayout(footer)
        row.setAccessibleName(f"{item.title}, due {format_long_date(item.due)}")
        return row

    def _show_cases(self, steps: list[CaseStep], case_count: int) -> None:
        _clear(self._cases_layout)
        if not steps:
            self._cases_layout.addWidget(_muted(ALL_SETTLED if case_count else NO_CASES))
        for step in steps:
            self._cases_layout.addWidget(self._case_row(step))
        self._cases_layout.addWidget(self._page_link("Open Cases && Appeals", PAGE_CASES))

    def _case_row(self, step: CaseStep) -> QWidget:
        row = QFrame()
        row.setObjectName("step")
        layout = QVBoxLayout(row)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(4)
        title = QLabel(f"<b>{_esc(step.title)}</b> &nbsp;<i>{_esc(step.status_label)}</i>")
        title.setWordWrap(True)
        sentence = QLabel(step.next_step)
        sentence.setWordWrap(True)
        sentence.setTextFormat(Qt.TextFormat.PlainText)
        link = QPushButton("Open the case →")
        link.setObjectName("linkButton")
        link.setCursor(Qt.CursorShape.PointingHandCursor)
        link.setAccessibleName(f"Open the case {step.title}")
        case_id = step.case_id
        link.clicked.connect(lambda: self.open_case.emit(case_id))
        layout.addWidget(title)
        layout.addWidget(sentence)
        layout.addWidget(link, 0, Qt.AlignmentFlag.AlignLeft)
        return row

    def _show_directory(self, summary: HomeSummary) -> None:
        _clear(self._directory_layout)
        count = summary.provider_count
        if count:
            text = f"{count} provider{'s' if count != 1 else ''} in your directory."
        else:
            text = "No providers yet. Add your doctors, therapists and the places that bill you."
        self._directory_layout.addWidget(_muted(text))
        self._directory_layout.addWidget(self._link("Open Providers", Destination.PROVIDERS))

    def _link(self, text: str, destination: Destination) -> QPushButton:
        return self._page_link(text, destination.value)

    def _page_link(self, text: str, page: str) -> QPushButton:
        button = QPushButton(text)
        # Spoken as shown ("Open Cases & Appeals"); a caller may name it more precisely.
        button.setAccessibleName(text.replace("&&", "&").removesuffix(" →"))
        button.setObjectName("linkButton")
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(lambda: self.navigate.emit(page))
        return button


def _card(title: str) -> tuple[QFrame, QVBoxLayout]:
    card = QFrame()
    card.setObjectName("card")
    outer = QVBoxLayout(card)
    outer.setContentsMargins(16, 12, 16, 16)
    outer.setSpacing(8)
    outer.addWidget(heading(title, level=2))
    inner = QVBoxLayout()
    inner.setSpacing(8)
    outer.addLayout(inner)
    outer.addStretch(1)
    return card, inner


def _muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label


def _clear(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            # Out of the page at once (findChildren, screen readers); deleted when Qt is ready.
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()


def _days(due: dt.date, today: dt.date) -> str:
    """ "today", "tomorrow", "in 12 days", "3 days ago" """
    days = (due - today).days
    named = {0: "today", 1: "tomorrow", -1: "yesterday"}.get(days)
    return named or (f"in {days} days" if days > 0 else f"{-days} days ago")


def _where(item: DueItem) -> str:
    """Where an item without a case comes from."""
    return "Costs" if item.cost_id is not None else "Call log"


def _who(item: DueItem, today: dt.date) -> str:
    if item.party is Party.INSURER:
        return "The insurer is late: call them" if item.due < today else "The insurer must answer"
    return "You act"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
