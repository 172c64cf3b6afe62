"""Log a phone call, or edit one: who, when, the reference number, what was said and promised.

Built to be filled while still on the phone: the date and time default to now, the organization
list holds the insurers and offices of the profile (choosing one fills its phone number), and
Ctrl+Enter saves from any field. Nothing is saved until ``call_problems`` finds nothing to fix.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.cases import CallData, CallDirection, CaseEvent
from backlog_app.domain.dates import format_long_date
from backlog_app.errors import UserError
from backlog_app.services.context import ProfileSession
from backlog_app.ui.editors.log_dialog import LogRecordDialog
from backlog_app.ui.editors.log_widgets import IdCombo
from backlog_app.ui.messages import Messages
from backlog_app.ui.widgets import NotesEdit, OptionalDateEdit, blank_to_none

REFERENCE_HINT = "Reference numbers win appeals: ask for one before you hang up."
SAVE_KEYS = ("Ctrl+Return", "Ctrl+Enter")
_DATE_TIME_FORMAT = "d MMM yyyy, h:mm AP"


@dataclass(frozen=True, slots=True)
class CallChoices:
    """What the dialog offers, read once when it opens.

    Args:
        organizations: (name, phone) of the insurers and offices, in display order.
        cases: (id, title) of every case.
        case_insurers: the insurer of each case's plan, by case id (to fill "With" for a case).
        events: the events of a case, (id, label) newest first.
        now: the date and time a new call defaults to.
        today: the profile's today (calls cannot be later).
    """

    organizations: Sequence[tuple[str, str | None]]
    cases: Sequence[tuple[int, str]]
    case_insurers: dict[int, str]
    events: Callable[[int], Sequence[tuple[int, str]]]
    now: dt.datetime
    today: dt.date


class CallDialog(LogRecordDialog):
    """Edits one CallData; ``save`` is called with it when the user saves."""

    def __init__(
        self,
        save: Callable[[CallData], object],
        messages: Messages,
        choices: CallChoices,
        *,
        call: CallData | None = None,
        case_id: int | None = None,
        event_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Edit call" if call else "Log a call", save, messages, parent)
        self._choices = choices
        self._phones = {name.casefold(): phone for name, phone in choices.organizations if phone}

        self.called_at = QDateTimeEdit(self)
        self.called_at.setCalendarPopup(True)
        self.called_at.setDisplayFormat(_DATE_TIME_FORMAT)
        self.called_at.setAccessibleName("Date and time of the call")
        self.outgoing = QRadioButton(CallDirection.OUTGOING.label, self)
        self.incoming = QRadioButton(CallDirection.INCOMING.label, self)
        self.direction = QButtonGroup(self)
        self.direction.addButton(self.outgoing)
        self.direction.addButton(self.incoming)
        self.outgoing.setAccessibleName("I called them")
        self.incoming.setAccessibleName("They called me")
        self.organization = QComboBox(self)
        self.organization.setEditable(True)
        self.organization.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.organization.setAccessibleName("With (insurer or office)")
        self.organization.setToolTip(
            "The insurer or the office you spoke with. Choose from your plans and providers, "
            "or type a name."
        )
        line = self.organization.lineEdit()
        assert line is not None
        line.setPlaceholderText("e.g. Buckeye Mutual Health")
        for name, _phone in choices.organizations:
            self.organization.addItem(name)
        self.phone = QLineEdit(self)
        self.phone.setPlaceholderText("The number you called or that called you")
        self.phone.setAccessibleName("Phone number")
        self.representative = QLineEdit(self)
        self.representative.setPlaceholderText("e.g. Dana, nurse reviewer")
        self.representative.setAccessibleName("Representative (who you spoke with)")
        self.reference = QLineEdit(self)
        self.reference.setPlaceholderText("The call's reference or ticket number")
        self.reference.setAccessibleName("Reference number")
        self.reference.setAccessibleDescription(REFERENCE_HINT)
        self.reference.setToolTip(REFERENCE_HINT)
        self.case = IdCombo("Case", choices.cases, none_label="— not about a case —")
        self.case_event = IdCombo("Event on the case's timeline", [], none_label="— no event —")
        self.case_event.setToolTip("The denial, appeal or decision the call was about (optional).")
        self.summary = NotesEdit(lines=4)
        self.summary.setAccessibleName("Summary: what was said")
        self.summary.setPlaceholderText("What you asked, what they said, what happens next.")
        self.follow_up = QLineEdit(self)
        self.follow_up.setAccessibleName("Follow-up promised")
        self.follow_up.setPlaceholderText("e.g. The nurse reviewer calls back")
        self.follow_up.setToolTip(
            "What you or they promised to do. With a date, it joins your deadlines."
        )
        self.follow_up_date = OptionalDateEdit(self)
        self.follow_up_date.setAccessibleName("Follow-up by")
        self.follow_up_date.setToolTip("When it is due; it appears on Home until it is done.")
        self.follow_up_done = QCheckBox("D&one", self)
        self.follow_up_done.setAccessibleName("Follow-up done")

        self.body.insertWidget(0, self._call_box())
        self.body.insertWidget(1, self._follow_up_box())
        self.case.currentIndexChanged.connect(self._case_changed)
        self.organization.activated.connect(self._organization_chosen)
        for keys in SAVE_KEYS:
            QShortcut(QKeySequence(keys), self, self.try_save)
        self.save_button.setToolTip("Save the call (Ctrl+Enter)")
        self._set_tab_order()

        self.set_call(call or CallData(choices.now, CallDirection.OUTGOING, "", case_id, event_id))
        if call is None and case_id is not None:
            self._fill_from_case(case_id)
        self.set_preferred_width(600)
        self.mark_clean()
        self.organization.setFocus()

    # Fields ------------------------------------------------------------------------------------

    def _call_box(self) -> QGroupBox:
        box = QGroupBox("The call", self)
        form = QFormLayout(box)
        direction = QHBoxLayout()
        direction.addWidget(self.outgoing)
        direction.addWidget(self.incoming)
        direction.addStretch(1)
        form.addRow("W&hen", self.called_at)
        form.addRow("", direction)
        form.addRow("&With", self.organization)
        form.addRow("&Phone", self.phone)
        form.addRow("Spoke &to", self.representative)
        reference_label = QLabel("&Reference number", box)
        # Bold over the group box's "normal weight" rule: the one field that wins appeals.
        reference_label.setStyleSheet("font-weight: bold;")
        reference_label.setBuddy(self.reference)
        reference = QVBoxLayout()
        reference.setSpacing(2)
        reference.addWidget(self.reference)
        hint = QLabel(REFERENCE_HINT, box)
        hint.setObjectName("fieldHint")
        hint.setWordWrap(True)
        reference.addWidget(hint)
        form.addRow(reference_label, reference)
        form.addRow("C&ase", self.case)
        form.addRow("&Event", self.case_event)
        form.addRow("S&ummary", self.summary)
        return box

    def _follow_up_box(self) -> QGroupBox:
        box = QGroupBox("Follow-up", self)
        form = QFormLayout(box)
        form.addRow("Pro&mised", self.follow_up)
        when = QHBoxLayout()
        when.addWidget(self.follow_up_date)
        when.addWidget(self.follow_up_done)
        when.addStretch(1)
        by = QLabel("&By", box)
        by.setBuddy(self.follow_up_date)
        form.addRow(by, when)
        return box

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.called_at,
            self.outgoing,
            self.organization,
            self.phone,
            self.representative,
            self.reference,
            self.case,
            self.case_event,
            self.summary,
            self.follow_up,
            self.follow_up_date,
            self.follow_up_done,
            self.save_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # The record --------------------------------------------------------------------------------

    def set_call(self, call: CallData) -> None:
        at = call.called_at
        self.called_at.setDateTime(
            QDateTime(QDate(at.year, at.month, at.day), QTime(at.hour, at.minute))
        )
        (self.incoming if call.direction is CallDirection.INCOMING else self.outgoing).setChecked(
            True
        )
        self.organization.setEditText(call.organization)
        self.phone.setText(call.phone or "")
        self.representative.setText(call.representative or "")
        self.reference.setText(call.reference_number or "")
        self.case.set_value(call.case_id)
        self._case_changed()
        self.case_event.set_value(call.event_id)
        self.summary.set_value(call.summary)
        self.follow_up.setText(call.follow_up or "")
        self.follow_up_date.set_date(call.follow_up_date)
        self.follow_up_done.setChecked(call.follow_up_done)

    def collect(self) -> CallData:
        value = self.called_at.dateTime()
        day, time = value.date(), value.time()
        case_id = self.case.value()
        return CallData(
            called_at=dt.datetime(day.year(), day.month(), day.day(), time.hour(), time.minute()),
            direction=CallDirection.INCOMING
            if self.incoming.isChecked()
            else CallDirection.OUTGOING,
            organization=self.organization.currentText().strip(),
            case_id=case_id,
            event_id=self.case_event.value() if case_id is not None else None,
            phone=blank_to_none(self.phone.text()),
            representative=blank_to_none(self.representative.text()),
            reference_number=blank_to_none(self.reference.text()),
            summary=self.summary.value(),
            follow_up=blank_to_none(self.follow_up.text()),
            follow_up_date=self.follow_up_date.date_value(),
            follow_up_done=self.follow_up_done.isChecked(),
        )

    # Reactions ---------------------------------------------------------------------------------

    def _case_changed(self) -> None:
        case_id = self.case.value()
        self.case_event.set_choices(self._choices.events(case_id) if case_id is not None else [])
        if case_id is None:
            self.case_event.set_value(None)
        self.case_event.setEnabled(case_id is not None)
        if case_id is not None and not self.organization.currentText().strip():
            self._fill_from_case(case_id)

    def _fill_from_case(self, case_id: int) -> None:
        """A call about a case is most often with its insurer: offer that."""
        insurer = self._choices.case_insurers.get(case_id)
        if insurer and not self.organization.currentText().strip():
            self.organization.setEditText(insurer)
            self._organization_chosen()

    def _organization_chosen(self, _index: int = -1) -> None:
        phone = self._phones.get(self.organization.currentText().strip().casefold())
        if phone and not self.phone.text().strip():
            self.phone.setText(phone)


# --- opening the dialog ---------------------------------------------------------------------------


def log_call(
    parent: QWidget | None,
    profile: ProfileSession,
    messages: Messages,
    *,
    case_id: int | None = None,
    event_id: int | None = None,
) -> int | None:
    """Open the dialog for a new call (about ``case_id``/``event_id`` if given); its id, or None."""
    try:
        choices = call_choices(profile)
    except UserError as exc:
        messages.problem("Log a call", exc.message)
        return None
    saved: list[int] = []
    dialog = CallDialog(
        lambda data: saved.append(profile.calls.add(data)),
        messages,
        choices,
        case_id=case_id if case_id in dict(choices.cases) else None,
        event_id=event_id,
        parent=parent,
    )
    dialog.exec()
    return saved[0] if saved else None


def edit_call(
    parent: QWidget | None, profile: ProfileSession, messages: Messages, call_id: int
) -> bool:
    """Open the dialog on a stored call; True when it was saved."""
    try:
        call = profile.calls.get(call_id)
        choices = call_choices(profile)
    except UserError as exc:
        messages.problem("Edit call", exc.message)
        return False
    dialog = CallDialog(
        lambda data: profile.calls.update(call_id, data),
        messages,
        choices,
        call=call.data,
        parent=parent,
    )
    return bool(dialog.exec())


def call_choices(profile: ProfileSession) -> CallChoices:
    """The insurers, offices and cases the dialog offers (a few small reads)."""
    plans = profile.plans.list()
    organizations: list[tuple[str, str | None]] = []
    seen: set[str] = set()

    def offer(name: str | None, phone: str | None) -> None:
        name = (name or "").strip()
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            organizations.append((name, phone))

    for plan in plans:
        data = plan.data
        offer(
            data.insurer,
            data.prior_auth_phone or data.member_services_phone or data.appeals_phone,
        )
    for provider in sorted(profile.providers.list(), key=lambda p: p.data.name.casefold()):
        offer(provider.data.organization or provider.data.name, provider.data.phone)
    insurers = {plan.id: plan.data.insurer for plan in plans}
    rows = profile.cases.list()
    cases = sorted(((row.id, row.title) for row in rows), key=lambda item: -item[0])
    case_insurers = {
        row.id: insurers[row.data.plan_id] for row in rows if row.data.plan_id in insurers
    }
    today = profile.clock()
    now = dt.datetime.now()
    moment = dt.datetime.combine(today, now.time().replace(second=0, microsecond=0))

    def events(case_id: int) -> list[tuple[int, str]]:
        try:
            found = profile.cases.facts(case_id).events
        except UserError:
            return []
        return [(event.id, event_label(event)) for event in _newest_first(found)]

    return CallChoices(organizations, cases, case_insurers, events, moment, today)


def event_label(event: CaseEvent) -> str:
    """ "3 Mar 2026 · Denied" — how a timeline event is named in pickers."""
    return f"{format_long_date(event.data.day)} · {event.data.event_type.label}"


def _newest_first(events: Sequence[CaseEvent]) -> list[CaseEvent]:
    return sorted(events, key=lambda e: (e.data.day, e.id), reverse=True)
