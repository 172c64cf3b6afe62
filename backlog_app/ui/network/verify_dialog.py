"""Record a network check: is this provider in network for this plan, how we know, and when.

A check is never edited: each one is a new record, so the history stays. The plan defaults to
the main plan in force (supplemental policies have no networks worth checking); linking a call
from the call log makes it a check "by call" and copies the call's reference number and date.
Choosing another call replaces what the first one filled in, removing the link clears it; what
the user typed is never overwritten. Nothing is saved until ``verification_problems`` finds
nothing to fix; a problem is listed in the dialog, next to the fields.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.network import NetworkStatus, VerificationData, VerificationMethod
from backlog_app.errors import UserError
from backlog_app.services.context import ProfileSession
from backlog_app.ui.editors.log_dialog import LogRecordDialog
from backlog_app.ui.editors.log_widgets import IdCombo
from backlog_app.ui.messages import Messages
from backlog_app.ui.network.check_choices import CheckChoices, call_label, check_choices
from backlog_app.ui.widgets import NotesEdit, blank_to_none

TITLE = "Record a network check"
REFERENCE_TIP = "The reference number the representative gives for the call — it wins appeals"
STATUS_TIPS = {
    NetworkStatus.IN_NETWORK: (
        "The provider has a contract with this plan: you pay the plan's in-network share."
    ),
    NetworkStatus.OUT_OF_NETWORK: (
        "No contract with this plan: the plan pays less or nothing, and the provider may bill "
        "you the difference."
    ),
    NetworkStatus.UNKNOWN: "The insurer could not say, or you could not find out yet.",
}
METHOD_TIP = "A call to the insurer, with a reference number, is the best proof."
CALL_TIP = (
    "The call in your call log where you asked. Choosing one fills in the reference number "
    "and the date."
)
NO_RESULT = "Please choose what the check found: in network, out of network or not known."
NO_PROVIDERS = (
    "There are no providers yet. Add the doctor or facility on the Providers page first, "
    "then record the check."
)
NO_PLANS = (
    "There is no insurance plan yet. Add your plan on the Profile & Insurance page first: "
    "a network check is always for one plan."
)
_DATE_FORMAT = "d MMM yyyy"


class VerifyDialog(LogRecordDialog):
    """Collects one VerificationData; ``save`` is called with it when the user saves."""

    def __init__(
        self,
        save: Callable[[VerificationData], object],
        messages: Messages,
        choices: CheckChoices,
        *,
        provider_id: int | None = None,
        plan_id: int | None = None,
        call_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(TITLE, save, messages, parent)
        self._calls = {call.id: call.data for call in choices.calls}
        self._default_day = choices.today
        # What the linked call filled in (None: nothing), so that another call replaces it.
        self._filled_reference: str | None = None
        self._filled_day: QDate | None = None

        self.provider = QComboBox(self)
        self.provider.setAccessibleName("Provider")
        self.provider.setToolTip("The doctor, group or facility you asked about.")
        for record_id, name in choices.providers:
            self.provider.addItem(name, record_id)
        self.provider_name = QLabel(self)
        self.provider_name.setObjectName("fixedProvider")
        self.provider_name.setStyleSheet("font-weight: bold;")
        self.provider_name.setAccessibleName("Provider")
        self.provider_name.hide()
        self.plan = QComboBox(self)
        self.plan.setAccessibleName("Plan")
        self.plan.setToolTip(
            "The insurance plan you asked about: a provider can be in network for one plan "
            "and out of network for another."
        )
        for record_id, label in choices.plans:
            self.plan.addItem(label, record_id)
        self.result_group = QButtonGroup(self)
        self.results: dict[NetworkStatus, QRadioButton] = {}
        for status, text in (
            (NetworkStatus.IN_NETWORK, "&In network"),
            (NetworkStatus.OUT_OF_NETWORK, "&Out of network"),
            (NetworkStatus.UNKNOWN, "Not &known"),
        ):
            button = QRadioButton(text, self)
            button.setAccessibleName(f"Result: {status.label}")
            button.setToolTip(STATUS_TIPS[status])
            self.result_group.addButton(button)
            self.results[status] = button
        self.method = QComboBox(self)
        self.method.setAccessibleName("How it was checked")
        self.method.setToolTip(METHOD_TIP)
        for method in VerificationMethod:
            self.method.addItem(method.label, method.value)
        self.day = QDateEdit(self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat(_DATE_FORMAT)
        self.day.setMinimumDate(QDate(1990, 1, 1))
        self.day.setAccessibleName("Date of the check")
        self.day.setToolTip("The day you checked; not a day in the future.")
        self.reference = QLineEdit(self)
        self.reference.setAccessibleName("Reference number")
        self.reference.setAccessibleDescription(REFERENCE_TIP)
        self.reference.setToolTip(REFERENCE_TIP)
        self.reference.setPlaceholderText("The call's reference or ticket number")
        self.call = IdCombo(
            "Linked call from the call log",
            [(call.id, call_label(call.data)) for call in choices.calls],
            none_label="None",
        )
        self.call.setToolTip(CALL_TIP)
        self.notes = NotesEdit(lines=3)
        self.notes.setAccessibleName("Notes")
        self.notes.setPlaceholderText(
            "e.g. The group is in network; ask again about the doctor himself."
        )

        self._build_form()
        self._set_tab_order()
        self.set_preferred_width(560)

        self._select(self.provider, provider_id)
        if provider_id is not None and self.provider.currentData() == provider_id:
            # Recorded for this provider: shown as plain text (a greyed-out list is hard to read).
            self.provider.hide()
            self.provider_name.setText(self.provider.currentText())
            self.provider_name.show()
        self._select(self.plan, plan_id if plan_id is not None else choices.main_plan_id)
        self.day.setDate(_qdate(choices.today))
        self.call.set_value(call_id if call_id in self._calls else None)
        self._call_chosen()
        self.call.currentIndexChanged.connect(self._call_chosen)
        self.mark_clean()
        (self.results[NetworkStatus.IN_NETWORK]).setFocus()

    def _build_form(self) -> None:
        form = self.form
        provider = QHBoxLayout()
        provider.addWidget(self.provider, 1)
        provider.addWidget(self.provider_name, 1)
        provider_label = QLabel("&Provider", self)
        provider_label.setBuddy(self.provider)
        form.addRow(provider_label, provider)
        for combo in (self.provider, self.plan, self.method, self.call):
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        form.addRow("P&lan", self.plan)
        result = QHBoxLayout()
        for button in self.results.values():
            result.addWidget(button)
        result.addStretch(1)
        result_label = QLabel("Result", self)
        result_label.setStyleSheet("font-weight: bold;")
        form.addRow(result_label, result)
        form.addRow("&How checked", self.method)
        form.addRow("&Date", self.day)
        reference_label = QLabel("&Reference number", self)
        reference_label.setBuddy(self.reference)
        reference = QVBoxLayout()
        reference.setSpacing(2)
        reference.addWidget(self.reference)
        hint = QLabel("Reference numbers win appeals: ask for one before you hang up.", self)
        hint.setObjectName("fieldHint")
        hint.setWordWrap(True)
        reference.addWidget(hint)
        form.addRow(reference_label, reference)
        form.addRow("Linked &call", self.call)
        form.addRow("&Notes", self.notes)

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.provider,
            self.plan,
            *self.results.values(),
            self.method,
            self.day,
            self.reference,
            self.call,
            self.notes,
            self.save_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # The record --------------------------------------------------------------------------------

    def status(self) -> NetworkStatus | None:
        return next((s for s, button in self.results.items() if button.isChecked()), None)

    def set_status(self, status: NetworkStatus) -> None:
        self.results[status].setChecked(True)

    def set_method(self, method: VerificationMethod) -> None:
        self.method.setCurrentIndex(self.method.findData(method.value))

    def collect(self) -> VerificationData:
        status = self.status()
        if status is None:
            raise ValueError(NO_RESULT)
        day = self.day.date()
        return VerificationData(
            provider_id=int(self.provider.currentData()),
            plan_id=int(self.plan.currentData()),
            status=status,
            method=VerificationMethod(self.method.currentData()),
            verified_on=dt.date(day.year(), day.month(), day.day()),
            reference_number=blank_to_none(self.reference.text()),
            call_id=self.call.value(),
            notes=self.notes.value(),
        )

    def try_save(self) -> None:
        super().try_save()
        if self.isVisible():
            self._make_room()  # the problem list must not squeeze the fields' wrapped hints

    def _make_room(self) -> None:
        layout = self.layout()
        if layout is None:
            return
        width = self.width()
        needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else -1
        needed = max(needed, layout.totalMinimumSize().height())
        if needed > self.height():
            self.resize(width, needed)

    # Reactions ---------------------------------------------------------------------------------

    def _call_chosen(self, _index: int = -1) -> None:
        """A check made on a call is a check by call; take the call's reference and date.

        Only empty fields, or ones the previous call filled in, take the new call's values;
        without a call, what a call filled in is cleared (the date goes back to today).
        """
        call = self._calls.get(self.call.value() or -1)
        if call is not None:
            self.set_method(VerificationMethod.CALL)
        reference = (call.reference_number or "").strip() if call is not None else ""
        typed = self.reference.text().strip()
        if not typed or typed == self._filled_reference:
            self.reference.setText(reference)
            self._filled_reference = reference or None
        else:
            self._filled_reference = None  # the user's own: kept from now on
        day = _qdate(call.called_at.date()) if call is not None else None
        shown = self.day.date()
        if shown == self._filled_day or (
            self._filled_day is None and shown == _qdate(self._default_day)
        ):
            self.day.setDate(day if day is not None else _qdate(self._default_day))
            self._filled_day = day
        else:
            self._filled_day = None

    @staticmethod
    def _select(combo: QComboBox, record_id: int | None) -> None:
        index = combo.findData(record_id) if record_id is not None else -1
        combo.setCurrentIndex(max(index, 0) if combo.count() else -1)


# --- opening the dialog ---------------------------------------------------------------------------


def record_check(
    parent: QWidget | None,
    profile: ProfileSession,
    messages: Messages,
    *,
    provider_id: int | None = None,
    plan_id: int | None = None,
    call_id: int | None = None,
) -> int | None:
    """Open the dialog for a new network check; the new check's id, or None on Cancel.

    Args:
        provider_id: the provider checked (fixed in the dialog when given).
        plan_id: the plan checked; by default the main plan in force.
        call_id: a call from the call log the check was made on.
    """
    try:
        choices = check_choices(profile, call_id)
    except UserError as exc:
        messages.problem(TITLE, exc.message)
        return None
    if not choices.providers:
        messages.problem(TITLE, NO_PROVIDERS)
        return None
    if not choices.plans:
        messages.problem(TITLE, NO_PLANS)
        return None
    if provider_id is not None and provider_id not in dict(choices.providers):
        messages.problem(TITLE, "That provider no longer exists; it may have been deleted.")
        return None
    saved: list[int] = []

    def save(data: VerificationData) -> None:
        # ValidationError and UserError are listed once, in the dialog, next to the fields.
        saved.append(profile.network.add_verification(data))

    dialog = VerifyDialog(
        save,
        messages,
        choices,
        provider_id=provider_id,
        plan_id=plan_id,
        call_id=call_id,
        parent=parent,
    )
    dialog.exec()
    return saved[0] if saved else None


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)
