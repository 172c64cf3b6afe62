"""Add or edit a timeline event: the type first, then only the fields that suit it.

A notice asks for the date printed on it and the day it arrived; a denial for the reason and
its exact words; an appeal for its level; an approval — or a review whose outcome approves —
for its number, units and dates; a decision for its outcome; a claim for its amount. Editing
never erases: a field the chosen type hides keeps the stored value. Saving follows the rules of
``CaseService.add_event``: a broken rule keeps the dialog open with the problem listed, a doubt
(an appeal dated before the denial) is asked about and saved once confirmed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from backlog_app.domain.cases import (
    CaseEvent,
    CaseEventData,
    DenialReason,
    EventType,
    Outcome,
    sorted_events,
)
from backlog_app.domain.documents import LinkTarget
from backlog_app.domain.records import AppealRules
from backlog_app.errors import ConfirmationNeeded, UserError, ValidationError
from backlog_app.services.cases import CaseDetail
from backlog_app.services.context import ProfileSession
from backlog_app.ui.cases.case_documents import pick_documents
from backlog_app.ui.editors.log_dialog import LogRecordDialog, form_group
from backlog_app.ui.editors.log_widgets import EnumCombo, OptionalNumberEdit
from backlog_app.ui.messages import Messages
from backlog_app.ui.widgets import MoneyEdit, NotesEdit, OptionalDateEdit, blank_to_none

log = logging.getLogger("backlog.ui.cases")

DENIALS = frozenset({EventType.DENIED, EventType.CLAIM_DENIED})
CLAIMS = frozenset({EventType.CLAIM_SUBMITTED, EventType.CLAIM_PAID, EventType.CLAIM_DENIED})
APPEALS = frozenset({EventType.APPEAL_FILED, EventType.EXPEDITED_REQUESTED})
# Reviews whose outcome may be an approval: an approval has a number, units and dates.
APPROVING_REVIEWS = frozenset(
    {
        EventType.DECISION,
        EventType.P2P_HELD,
        EventType.P2P_OUTCOME,
        EventType.EXTERNAL_REVIEW_DECIDED,
    }
)
APPROVING_OUTCOMES = frozenset({Outcome.APPROVED, Outcome.PARTLY_APPROVED})
# Notices that may print a date by which you must act.
PRINTED_DEADLINE = frozenset(
    {EventType.DENIED, EventType.CLAIM_DENIED, EventType.INFO_REQUESTED, EventType.DECISION}
)
CLAIM_FILE_TEXT = (
    "Your plan is an employer or ACA plan: you may ask it, free of charge, for your whole claim "
    "file — every document it used, the criteria or guideline behind the denial, and the "
    "recordings and notes of your calls (29 CFR 2560.503-1(h)(2)(iii)). They often show what "
    "the appeal must answer.\n\nCall the appeals number on the denial letter and ask for them; "
    "log the call so that its reference number is on record."
)
_LEVELS = {
    AppealRules.ORIGINAL_MEDICARE: (
        "1 — redetermination",
        "2 — reconsideration",
        "3 — Administrative Law Judge hearing",
        "4 — Medicare Appeals Council",
        "5 — federal court",
    ),
}
_DEFAULT_LEVELS = (
    "1 — first internal appeal",
    "2 — second internal appeal",
    "3",
    "4",
    "5",
)
# What usually comes next, to start the type combo somewhere sensible.
_LIKELY_NEXT = {
    EventType.REQUEST_SUBMITTED: EventType.DENIED,
    EventType.INFO_REQUESTED: EventType.REQUEST_SUBMITTED,
    EventType.DENIED: EventType.APPEAL_FILED,
    EventType.P2P_REQUESTED: EventType.P2P_HELD,
    EventType.P2P_HELD: EventType.P2P_OUTCOME,
    EventType.APPEAL_FILED: EventType.DECISION,
    EventType.EXPEDITED_REQUESTED: EventType.DECISION,
    EventType.EXTERNAL_REVIEW_REQUESTED: EventType.EXTERNAL_REVIEW_DECIDED,
    EventType.CLAIM_SUBMITTED: EventType.CLAIM_PAID,
    EventType.CLAIM_DENIED: EventType.APPEAL_FILED,
}


def likely_next(events: Sequence[CaseEvent]) -> EventType:
    """The event type a new event most likely has, after ``events``."""
    if not events:
        return EventType.REQUEST_SUBMITTED
    last = sorted_events(events)[-1].data.event_type
    return _LIKELY_NEXT.get(last, EventType.REQUEST_SUBMITTED)


class EventDialog(LogRecordDialog):
    """Edits one CaseEventData.

    Args:
        save: ``save(data, confirmed)`` writes it; raises ValidationError, UserError, or
            ConfirmationNeeded when ``confirmed`` is False and the user must confirm.
        case_id: the case the event belongs to.
        events: the case's stored events (for the default type and appeal level).
        family: the plan's appeal rules (names the appeal levels), None without a plan.
        today: the default date of a new event.
        event: the event being edited; None for a new one.
        pick: opens the document picker (excluding the given ids) and returns the chosen ids;
            None hides the "Link documents…" button.
    """

    def __init__(
        self,
        save: Callable[[CaseEventData, bool], object],
        messages: Messages,
        *,
        case_id: int,
        events: Sequence[CaseEvent],
        family: AppealRules | None,
        today: dt.date,
        event: CaseEventData | None = None,
        pick: Callable[[QWidget, list[int]], list[int]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "Edit event" if event else "Add event", lambda _record: None, messages, parent
        )
        self._save_event = save
        self._case_id = case_id
        # Editing: a field the current type hides keeps this event's stored value.
        self._original = event
        self._pick = pick
        self.documents_to_link: list[int] = []
        self.event_type: EnumCombo[EventType] = EnumCombo(
            "What happened", list(EventType), none_label=None
        )
        self.event_type.setMaxVisibleItems(len(EventType))
        self.day = OptionalDateEdit(allow_empty=False)
        self.received = OptionalDateEdit()
        self.reason: EnumCombo[DenialReason] = EnumCombo(
            "Reason for the denial", list(DenialReason), none_label="— choose —"
        )
        self.quoted_reason = NotesEdit(lines=3)
        self.quoted_reason.setPlaceholderText("Copy the reason exactly as the letter words it.")
        self.deadline = OptionalDateEdit()
        self.level = QComboBox()
        levels = _LEVELS.get(family, _DEFAULT_LEVELS) if family is not None else _DEFAULT_LEVELS
        for number, label in enumerate(levels, 1):
            self.level.addItem(label, number)
        self.outcome: EnumCombo[Outcome] = EnumCombo(
            "Outcome", list(Outcome), none_label="— not known yet —"
        )
        self.authorization = _line("e.g. PA-2026-0412-88")
        self.units = OptionalNumberEdit("Approved units", max_digits=5)
        self.valid_from = OptionalDateEdit()
        self.valid_until = OptionalDateEdit()
        self.amount = MoneyEdit()
        self.reference = _line("A number the insurer gave you for this step")
        self.notes = NotesEdit(lines=2)
        self.link_button = QPushButton("Link &documents…")
        self.link_button.setAccessibleName("Choose documents to link to this event")
        self.link_button.setToolTip(
            "The letter itself, the request you sent, the doctor's letter: they are linked to "
            "this event when you save."
        )
        self.link_button.clicked.connect(self._choose_documents)
        self.link_summary = QLabel("None chosen.")
        self.link_summary.setObjectName("fieldHint")
        self.link_summary.setWordWrap(True)
        links = QWidget()
        links.setAccessibleName("Documents to link")
        row = QHBoxLayout(links)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.link_button)
        row.addWidget(self.link_summary, 1)
        links.setVisible(pick is not None)

        box = form_group(
            "The event",
            [
                ("&What happened", self.event_type, None),
                ("&Date", self.day, None),
                (
                    "Date &received",
                    self.received,
                    "The day the letter arrived. Appeal deadlines count from it; leave “Not "
                    "set” if you do not know, and the date on the letter is used.",
                ),
                ("Rea&son", self.reason, "The kind of reason the letter gives."),
                (
                    "&Quoted reason",
                    self.quoted_reason,
                    "The reason in the letter's own words: the appeal answers exactly this.",
                ),
                (
                    "Deadline on the noti&ce",
                    self.deadline,
                    "A date printed on the letter (“you must appeal by …”). It wins over the "
                    "deadline BackLog computes.",
                ),
                (
                    "Appeal &level",
                    self.level,
                    "Employer and ACA plans have one or two internal levels; Original Medicare "
                    "has five.",
                ),
                ("&Outcome", self.outcome, None),
                ("&Authorization no.", self.authorization, "The number on the approval."),
                ("Approved &units", self.units, "Visits, sessions or units approved."),
                ("Valid &from", self.valid_from, None),
                (
                    "Valid un&til",
                    self.valid_until,
                    "The approval's end date: the care must happen before it.",
                ),
                ("A&mount", self.amount, "The amount billed, paid or denied, in dollars."),
                ("R&eference no.", self.reference, None),
                ("No&tes", self.notes, None),
                ("", links, None),
            ],
        )
        self._fields: QFormLayout = box.layout()  # type: ignore[assignment]
        self._day_label: QLabel = self._fields.labelForField(self.day)  # type: ignore[assignment]
        self.body.insertWidget(0, box)
        self.event_type.currentIndexChanged.connect(self._type_changed)
        self.outcome.currentIndexChanged.connect(self._type_changed)

        appeals = sum(1 for e in events if e.data.event_type is EventType.APPEAL_FILED)
        self.set_event(
            event or CaseEventData(case_id, likely_next(events), today, level=min(appeals + 1, 5))
        )
        self.set_preferred_width(600)
        self.mark_clean()
        self.event_type.setFocus()

    def set_event(self, event: CaseEventData) -> None:
        self.event_type.set_value(event.event_type)
        self.day.set_date(event.day)
        self.received.set_date(event.received_date)
        self.reason.set_value(event.reason)
        self.quoted_reason.set_value(event.quoted_reason)
        self.deadline.set_date(event.deadline)
        self.level.setCurrentIndex(max(self.level.findData(event.level or 1), 0))
        self.outcome.set_value(event.outcome)
        self.authorization.setText(event.authorization_number or "")
        self.units.set_number(event.approved_units)
        self.valid_from.set_date(event.valid_from)
        self.valid_until.set_date(event.valid_until)
        self.amount.set_cents(event.amount_cents)
        self.reference.setText(event.reference_number or "")
        self.notes.set_value(event.notes)
        self._type_changed()

    def collect(self) -> CaseEventData:
        kind = self.event_type.value() or EventType.REQUEST_SUBMITTED
        day = self.day.date_value()
        if day is None:
            raise ValueError("Please enter the date of the event.")
        original = self._original

        def kept(widget: QWidget, value: object, name: str) -> Any:
            # A hidden field is not saved for a new event, so a changed type leaves nothing
            # stale; an edited event keeps what it had, so nothing stored is silently erased.
            if self.field_visible(widget):
                return value
            return getattr(original, name) if original is not None else None

        return CaseEventData(
            case_id=self._case_id,
            event_type=kind,
            day=day,
            received_date=kept(self.received, self.received.date_value(), "received_date"),
            level=kept(self.level, int(self.level.currentData()), "level"),
            reason=kept(self.reason, self.reason.value(), "reason"),
            quoted_reason=kept(self.quoted_reason, self.quoted_reason.value(), "quoted_reason"),
            outcome=kept(self.outcome, self.outcome.value(), "outcome"),
            authorization_number=kept(
                self.authorization,
                blank_to_none(self.authorization.text()),
                "authorization_number",
            ),
            approved_units=kept(self.units, self.units.int_value(), "approved_units"),
            valid_from=kept(self.valid_from, self.valid_from.date_value(), "valid_from"),
            valid_until=kept(self.valid_until, self.valid_until.date_value(), "valid_until"),
            amount_cents=kept(self.amount, self.amount.cents(), "amount_cents"),
            deadline=kept(self.deadline, self.deadline.date_value(), "deadline"),
            reference_number=blank_to_none(self.reference.text()),
            notes=self.notes.value(),
        )

    def field_visible(self, widget: QWidget) -> bool:
        """Whether ``widget``'s row is shown for the current type."""
        return self._fields.isRowVisible(widget)

    def try_save(self) -> None:
        try:
            record = self.collect()
        except ValueError as exc:
            self.problems.show_problems([str(exc)])
            return
        if not self._attempt(record, confirmed=False):
            return
        self.problems.clear_problems()
        self.accept()

    def _attempt(self, record: CaseEventData, *, confirmed: bool) -> bool:
        try:
            self._save_event(record, confirmed)
        except ConfirmationNeeded as exc:
            if not self._messages.confirm(
                "Please check the event", "\n\n".join(exc.warnings), "Save anyway"
            ):
                self.problems.show_problems(exc.warnings)
                return False
            return self._attempt(record, confirmed=True)
        except ValidationError as exc:
            self.problems.show_problems(exc.problems)
            return False
        except UserError as exc:
            self.problems.show_problems([exc.message])
            return False
        return True

    def _type_changed(self) -> None:
        kind = self.event_type.value() or EventType.REQUEST_SUBMITTED
        approval = kind is EventType.APPROVED or (
            kind in APPROVING_REVIEWS and self.outcome.value() in APPROVING_OUTCOMES
        )
        for widget, shown in (
            (self.received, kind.is_notice),
            (self.reason, kind in DENIALS),
            (self.quoted_reason, kind in DENIALS),
            (self.deadline, kind in PRINTED_DEADLINE),
            (self.level, kind in APPEALS),
            (self.outcome, kind.has_outcome),
            (self.authorization, approval),
            (self.units, approval),
            (self.valid_from, approval),
            (self.valid_until, approval),
            (self.amount, kind in CLAIMS),
        ):
            self._fields.setRowVisible(widget, shown)
        if kind.is_notice:
            self._day_label.setText("Date on the &notice")
        elif kind is EventType.P2P_HELD:
            self._day_label.setText("Date &held")
        elif kind in APPEALS or kind in (
            EventType.REQUEST_SUBMITTED,
            EventType.EXTERNAL_REVIEW_REQUESTED,
            EventType.CLAIM_SUBMITTED,
            EventType.REGULATOR_COMPLAINT,
        ):
            self._day_label.setText("Date &sent")
        else:
            self._day_label.setText("&Date")
        self.day.setAccessibleName(self._day_label.text().replace("&", ""))
        self.outcome.setToolTip(
            "Leave “not known yet” if the call ended without an answer."
            if kind is EventType.P2P_HELD
            else "What the reviewer decided."
        )
        self.adjustSize()

    def _choose_documents(self) -> None:
        if self._pick is None:
            return
        chosen = self._pick(self, list(self.documents_to_link))
        if not chosen:
            return
        self.documents_to_link += [d for d in chosen if d not in self.documents_to_link]
        count = len(self.documents_to_link)
        self.link_summary.setText(
            f"{count} document{'s' if count != 1 else ''} will be linked when you save."
        )


def _line(placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    return edit


def _picker(profile: ProfileSession, linked: set[int]) -> Callable[[QWidget, list[int]], list[int]]:
    def pick(parent: QWidget, chosen: list[int]) -> list[int]:
        return pick_documents(
            parent,
            profile,
            linked | set(chosen),
            "Choose the documents that belong to this event, such as the letter itself.",
        )

    return pick


def add_event(
    parent: QWidget,
    profile: ProfileSession,
    messages: Messages,
    detail: CaseDetail,
    *,
    linked_documents: set[int] | None = None,
) -> int | None:
    """Open the dialog for a new event on ``detail``'s case; the new id, or None if cancelled.

    After a denial on an employer or ACA plan, offers to log the call that asks for the claim
    file (D2's ``log_call``).
    """
    added: list[int] = []

    def save(data: CaseEventData, confirmed: bool) -> None:
        added.append(profile.cases.add_event(data, confirmed=confirmed))

    dialog = EventDialog(
        save,
        messages,
        case_id=detail.id,
        events=detail.events,
        family=detail.family,
        today=profile.clock(),
        pick=_picker(profile, linked_documents or set()),
        parent=parent,
    )
    if not dialog.exec() or not added:
        return None
    event_id = added[-1]
    _link(profile, messages, dialog.documents_to_link, event_id)
    kind = dialog.event_type.value()
    if kind in DENIALS and detail.family is AppealRules.ERISA_ACA:
        offer_claim_file_call(parent, profile, messages, detail.id, event_id)
    return event_id


def edit_event(
    parent: QWidget,
    profile: ProfileSession,
    messages: Messages,
    detail: CaseDetail,
    event_id: int,
    *,
    linked_documents: set[int] | None = None,
) -> bool:
    """Open the dialog on one of ``detail``'s events; True when it was saved."""
    event = next((e for e in detail.events if e.id == event_id), None)
    if event is None:
        messages.problem("Edit event", "That event no longer exists; it may have been deleted.")
        return False

    def save(data: CaseEventData, confirmed: bool) -> None:
        profile.cases.update_event(event_id, data, confirmed=confirmed)

    dialog = EventDialog(
        save,
        messages,
        case_id=detail.id,
        events=detail.events,
        family=detail.family,
        today=profile.clock(),
        event=event.data,
        pick=_picker(profile, linked_documents or set()),
        parent=parent,
    )
    if not dialog.exec():
        return False
    _link(profile, messages, dialog.documents_to_link, event_id)
    return True


def link_documents_to_event(
    parent: QWidget,
    profile: ProfileSession,
    messages: Messages,
    event_id: int,
    linked: set[int],
) -> int:
    """Choose documents and link them to one event; how many were linked."""
    chosen = _picker(profile, linked)(parent, [])
    _link(profile, messages, chosen, event_id)
    return len(chosen)


def _link(
    profile: ProfileSession, messages: Messages, document_ids: Sequence[int], event_id: int
) -> None:
    try:
        for document_id in document_ids:
            profile.documents.link(document_id, LinkTarget.CASE_EVENT, event_id)
    except UserError as exc:
        messages.problem("Link documents", exc.message)


def offer_claim_file_call(
    parent: QWidget, profile: ProfileSession, messages: Messages, case_id: int, event_id: int
) -> None:
    """Tell the user they may ask for the claim file and recordings; offer to log that call."""
    if messages.confirm("Ask for your claim file", CLAIM_FILE_TEXT, "Log a call…"):
        log_call_about(parent, profile, messages, case_id=case_id, event_id=event_id)


def log_call_about(
    parent: QWidget,
    profile: ProfileSession,
    messages: Messages,
    *,
    case_id: int | None,
    event_id: int | None = None,
) -> int | None:
    """Open D2's call dialog for the case (and event); the new call's id, or None."""
    from backlog_app.ui.cases.call_dialog import log_call

    return log_call(parent, profile, messages, case_id=case_id, event_id=event_id)
