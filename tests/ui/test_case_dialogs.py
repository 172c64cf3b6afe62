"""The case, event and override dialogs: inline code checks, fields per event type, the date
rules (refused, or confirmed), the claim-file prompt, linking documents, per-case figures."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from backlog_app.domain.cases import (
    CaseData,
    CaseEventData,
    DenialReason,
    EventType,
    Outcome,
    Procedure,
)
from backlog_app.domain.deadline_rules import RuleKey, Unit
from backlog_app.domain.documents import LinkTarget
from backlog_app.domain.records import PlanData, PlanType
from backlog_app.services.context import ProfileSession
from backlog_app.ui.cases import event_dialog
from backlog_app.ui.cases.case_dialog import CaseDialog, case_choices
from backlog_app.ui.cases.event_dialog import EventDialog
from backlog_app.ui.cases.override_dialog import OverrideDialog, change_rule
from tests.ui.accessibility import unnamed_controls
from tests.ui.conftest import RecordingMessages, when_dialog_opens


def _plan(profile: ProfileSession, plan_type: PlanType = PlanType.EMPLOYER_PPO) -> int:
    return profile.plans.add(PlanData("Buckeye Mutual Health", plan_type, "Choice PPO"))


def _case(profile: ProfileSession, plan_type: PlanType = PlanType.EMPLOYER_PPO) -> int:
    return profile.cases.add(CaseData(Procedure.MICRODISCECTOMY, plan_id=_plan(profile, plan_type)))


def _add(profile: ProfileSession, case_id: int, kind: EventType, day: dt.date, **kw: Any) -> int:
    return profile.cases.add_event(CaseEventData(case_id, kind, day, **kw), confirmed=True)


def _case_dialog(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> tuple[CaseDialog, list[int]]:
    plans, providers = case_choices(profile)
    saved: list[int] = []
    dialog = CaseDialog(
        lambda data: saved.append(profile.cases.add(data)),
        messages,
        plans=plans,
        providers=providers,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog, saved


def _event_dialog(
    qtbot: QtBot,
    profile: ProfileSession,
    messages: RecordingMessages,
    case_id: int,
    **kw: Any,
) -> tuple[EventDialog, list[int]]:
    saved: list[int] = []
    detail = profile.cases.get(case_id)

    def save(data: CaseEventData, confirmed: bool) -> None:
        saved.append(profile.cases.add_event(data, confirmed=confirmed))

    dialog = EventDialog(
        save,
        messages,
        case_id=case_id,
        events=detail.events,
        family=detail.family,
        today=profile.clock(),
        **kw,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog, saved


def _choose(dialog: EventDialog, kind: EventType) -> None:
    dialog.event_type.setCurrentIndex(dialog.event_type.findData(kind.value))


# The case dialog -------------------------------------------------------------------------------


def test_a_malformed_cpt_code_shows_inline_and_save_does_nothing(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    _plan(profile)
    dialog, saved = _case_dialog(qtbot, profile, messages)
    dialog.procedure.setCurrentIndex(dialog.procedure.findText("Microdiscectomy"))
    assert unnamed_controls(dialog) == []
    assert dialog.cpt_status.text().startswith("Optional")
    dialog.cpt.setFocus()
    qtbot.keyClicks(dialog.cpt, "6303")
    assert dialog.cpt_status.text().startswith("⚠")
    assert "“6303” is not a CPT code" in dialog.cpt_status.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and saved == [] and profile.cases.count() == 0
    assert dialog.problems.isVisible() and "6303" in dialog.problems.text()
    qtbot.keyClicks(dialog.cpt, "0")
    assert dialog.cpt_status.text() == "✓ Well-formed."
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and len(saved) == 1
    assert profile.cases.get(saved[0]).data.cpt_codes == "63030"


def test_a_malformed_icd10_code_shows_inline(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    dialog, saved = _case_dialog(qtbot, profile, messages)
    dialog.procedure.setCurrentIndex(dialog.procedure.findText("Lumbar MRI"))
    dialog.icd10.setFocus()
    qtbot.keyClicks(dialog.icd10, "M51.16, 5116")
    assert "“5116” is not an ICD-10 code" in dialog.icd10_status.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved == [] and dialog.isVisible()


def test_a_case_needs_a_procedure_and_other_needs_its_name(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    dialog, saved = _case_dialog(qtbot, profile, messages)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved == [] and "choose the procedure" in dialog.problems.text()
    dialog.procedure.setCurrentIndex(dialog.procedure.findText("Other"))
    assert "required" in dialog.detail.placeholderText()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved == [] and "which procedure" in dialog.problems.text()
    dialog.detail.setFocus()
    qtbot.keyClicks(dialog.detail, "Lumbar discogram")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert profile.cases.get(saved[0]).title == "Lumbar discogram"


# The event dialog ------------------------------------------------------------------------------


def test_the_form_shows_only_the_fields_that_suit_the_event(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    case_id = _case(profile)
    dialog, _saved = _event_dialog(qtbot, profile, messages, case_id)
    assert dialog.event_type.value() is EventType.REQUEST_SUBMITTED  # a case's first step
    fields = {
        "received": dialog.received,
        "reason": dialog.reason,
        "quoted": dialog.quoted_reason,
        "deadline": dialog.deadline,
        "level": dialog.level,
        "outcome": dialog.outcome,
        "authorization": dialog.authorization,
        "units": dialog.units,
        "until": dialog.valid_until,
        "amount": dialog.amount,
    }

    def shown() -> set[str]:
        return {name for name, widget in fields.items() if dialog.field_visible(widget)}

    assert shown() == set()
    assert unnamed_controls(dialog) == []
    _choose(dialog, EventType.DENIED)
    assert shown() == {"received", "reason", "quoted", "deadline"}
    assert dialog.day.accessibleName() == "Date on the notice"
    _choose(dialog, EventType.APPEAL_FILED)
    assert shown() == {"level"}
    assert dialog.day.accessibleName() == "Date sent"
    _choose(dialog, EventType.APPROVED)
    assert shown() == {"received", "authorization", "units", "until"}
    _choose(dialog, EventType.DECISION)
    assert shown() == {"received", "outcome", "deadline"}
    _choose(dialog, EventType.P2P_HELD)
    assert shown() == {"outcome"}
    _choose(dialog, EventType.CLAIM_SUBMITTED)
    assert shown() == {"amount"}
    for kind in EventType:
        _choose(dialog, kind)
        assert unnamed_controls(dialog) == [], kind


def test_a_claim_amount_in_dollars_is_saved_in_cents_and_hidden_fields_are_not_saved(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    case_id = _case(profile)
    dialog, saved = _event_dialog(qtbot, profile, messages, case_id)
    _choose(dialog, EventType.APPROVED)
    dialog.authorization.setText("PA-1")  # typed, then the type changes: not saved
    _choose(dialog, EventType.CLAIM_SUBMITTED)
    dialog.amount.setFocus()
    qtbot.keyClicks(dialog.amount, "$12,480.50")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    event = profile.cases.event(saved[0]).data
    assert event.amount_cents == 1_248_050
    assert event.authorization_number is None


def _approved_decision(profile: ProfileSession) -> tuple[int, int]:
    """A case whose first appeal was approved, with the approval's number, units and dates."""
    case_id = _case(profile)
    _add(profile, case_id, EventType.REQUEST_SUBMITTED, dt.date(2026, 9, 1))
    _add(
        profile,
        case_id,
        EventType.DENIED,
        dt.date(2026, 9, 10),
        reason=DenialReason.NOT_MEDICALLY_NECESSARY,
    )
    _add(profile, case_id, EventType.APPEAL_FILED, dt.date(2026, 10, 1), level=1)
    decision = _add(
        profile,
        case_id,
        EventType.DECISION,
        dt.date(2026, 10, 20),
        received_date=dt.date(2026, 10, 23),
        outcome=Outcome.APPROVED,
        quoted_reason="The denial is overturned: conservative care is documented.",
        authorization_number="PA-2026-1020-77",
        approved_units=1,
        valid_from=dt.date(2026, 10, 20),
        valid_until=dt.date(2027, 1, 18),
        reference_number="APL-1",
    )
    return case_id, decision


def test_editing_an_approving_decision_keeps_its_authorization(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    case_id, decision = _approved_decision(profile)
    before = profile.cases.event(decision).data
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[bool] = []

    def change_reference(dialog: QDialog) -> None:
        assert isinstance(dialog, EventDialog)
        # An approving decision shows the approval's fields, filled in.
        seen.append(dialog.field_visible(dialog.authorization))
        assert dialog.authorization.text() == "PA-2026-1020-77"
        dialog.reference.setText("APL-2")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_dialog_opens(qtbot, change_reference)
    detail = profile.cases.get(case_id)
    assert event_dialog.edit_event(parent, profile, messages, detail, decision)
    assert seen == [True]
    after = profile.cases.event(decision).data
    assert after.reference_number == "APL-2"
    assert after.authorization_number == "PA-2026-1020-77"
    assert after.approved_units == 1
    assert after.valid_from == dt.date(2026, 10, 20)
    assert after.valid_until == dt.date(2027, 1, 18)
    # A field this type does not show (the quoted reason of a decision) is kept too.
    assert after.quoted_reason == before.quoted_reason
    assert after == dataclasses.replace(before, reference_number="APL-2")


def test_approval_fields_follow_the_outcome_of_a_review(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    case_id = _case(profile)
    dialog, _saved = _event_dialog(qtbot, profile, messages, case_id)
    approval = (dialog.authorization, dialog.units, dialog.valid_from, dialog.valid_until)
    for kind in (
        EventType.DECISION,
        EventType.P2P_HELD,
        EventType.P2P_OUTCOME,
        EventType.EXTERNAL_REVIEW_DECIDED,
    ):
        _choose(dialog, kind)
        dialog.outcome.set_value(None)
        assert not any(dialog.field_visible(w) for w in approval), kind
        for outcome in (Outcome.APPROVED, Outcome.PARTLY_APPROVED):
            dialog.outcome.set_value(outcome)
            assert all(dialog.field_visible(w) for w in approval), (kind, outcome)
        dialog.outcome.set_value(Outcome.DENIED)
        assert not any(dialog.field_visible(w) for w in approval), kind
        assert unnamed_controls(dialog) == []


def test_editing_a_denied_decision_does_not_erase_hidden_values(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    case_id, decision = _approved_decision(profile)
    parent = QWidget()
    qtbot.addWidget(parent)

    def deny(dialog: QDialog) -> None:
        assert isinstance(dialog, EventDialog)
        dialog.outcome.set_value(Outcome.DENIED)  # the approval's fields are hidden now
        assert not dialog.field_visible(dialog.authorization)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_dialog_opens(qtbot, deny)
    detail = profile.cases.get(case_id)
    assert event_dialog.edit_event(parent, profile, messages, detail, decision)
    after = profile.cases.event(decision).data
    assert after.outcome is Outcome.DENIED
    assert after.authorization_number == "PA-2026-1020-77"  # stored data is never dropped
    assert after.valid_until == dt.date(2027, 1, 18)


def test_a_bad_amount_is_explained(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    case_id = _case(profile)
    dialog, saved = _event_dialog(qtbot, profile, messages, case_id)
    _choose(dialog, EventType.CLAIM_PAID)
    dialog.amount.setText("twelve")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved == [] and "not an amount in dollars" in dialog.problems.text()


def test_a_decision_dated_before_its_appeal_is_refused(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    case_id = _case(profile)
    _add(profile, case_id, EventType.REQUEST_SUBMITTED, dt.date(2026, 9, 1))
    _add(
        profile,
        case_id,
        EventType.DENIED,
        dt.date(2026, 9, 10),
        reason=DenialReason.NOT_MEDICALLY_NECESSARY,
    )
    _add(profile, case_id, EventType.APPEAL_FILED, dt.date(2026, 10, 1), level=1)
    dialog, saved = _event_dialog(qtbot, profile, messages, case_id)
    assert dialog.event_type.value() is EventType.DECISION  # what usually follows an appeal
    dialog.day.set_date(dt.date(2026, 9, 20))
    dialog.outcome.set_value(Outcome.APPROVED)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved == [] and dialog.isVisible()
    assert "a decision cannot come before its filing" in dialog.problems.text()
    assert messages.shown == []  # refused outright, not asked about
    assert len(profile.cases.get(case_id).events) == 3


def test_an_appeal_dated_before_the_denial_is_saved_after_the_user_confirms(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    case_id = _case(profile)
    _add(profile, case_id, EventType.REQUEST_SUBMITTED, dt.date(2026, 9, 1))
    _add(profile, case_id, EventType.DENIED, dt.date(2026, 9, 10), reason=DenialReason.OTHER)
    dialog, saved = _event_dialog(qtbot, profile, messages, case_id)
    assert dialog.event_type.value() is EventType.APPEAL_FILED
    assert dialog.level.currentData() == 1
    dialog.day.set_date(dt.date(2026, 9, 5))
    messages.confirm_answer = False
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved == [] and dialog.isVisible()
    assert messages.kinds() == ["confirm"]
    assert "before the denial" in messages.shown[0][2]
    assert "before the denial" in dialog.problems.text()
    messages.confirm_answer = True
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and len(saved) == 1
    assert profile.cases.event(saved[0]).data.level == 1


def test_after_a_denial_on_an_employer_plan_the_user_may_log_the_claim_file_call(
    qtbot: QtBot,
    profile: ProfileSession,
    messages: RecordingMessages,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case_id = _case(profile)
    _add(profile, case_id, EventType.REQUEST_SUBMITTED, dt.date(2026, 11, 1))
    calls: list[tuple[int | None, int | None]] = []

    def fake_log_call(*_args: Any, case_id: int | None = None, event_id: int | None = None) -> int:
        calls.append((case_id, event_id))
        return 1

    monkeypatch.setattr("backlog_app.ui.cases.call_dialog.log_call", fake_log_call)
    parent = QWidget()
    qtbot.addWidget(parent)

    def deny(dialog: QDialog) -> None:
        assert isinstance(dialog, EventDialog)
        _choose(dialog, EventType.DENIED)
        dialog.day.set_date(dt.date(2026, 11, 10))
        dialog.reason.set_value(DenialReason.NOT_MEDICALLY_NECESSARY)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_dialog_opens(qtbot, deny)
    event_id = event_dialog.add_event(parent, profile, messages, profile.cases.get(case_id))
    assert event_id is not None
    assert messages.shown[-1][1] == "Ask for your claim file"
    assert calls == [(case_id, event_id)]


def test_no_claim_file_prompt_on_original_medicare(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    case_id = _case(profile, PlanType.ORIGINAL_MEDICARE)
    _add(profile, case_id, EventType.REQUEST_SUBMITTED, dt.date(2026, 11, 1))
    parent = QWidget()
    qtbot.addWidget(parent)

    def deny(dialog: QDialog) -> None:
        assert isinstance(dialog, EventDialog)
        assert dialog.level.itemText(0) == "1 — redetermination"
        _choose(dialog, EventType.DENIED)
        dialog.reason.set_value(DenialReason.NOT_COVERED)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_dialog_opens(qtbot, deny)
    assert event_dialog.add_event(parent, profile, messages, profile.cases.get(case_id))
    assert messages.shown == []


def test_documents_chosen_in_the_dialog_are_linked_to_the_event(
    qtbot: QtBot, demo_profile: ProfileSession, messages: RecordingMessages
) -> None:
    case_id = _case(demo_profile)
    document = demo_profile.documents.list()[0].info.id
    offered: list[list[int]] = []

    def pick(_parent: QWidget, chosen: list[int]) -> list[int]:
        offered.append(chosen)
        return [document]

    dialog, saved = _event_dialog(qtbot, demo_profile, messages, case_id, pick=pick)
    qtbot.mouseClick(dialog.link_button, Qt.MouseButton.LeftButton)
    assert "1 document will be linked" in dialog.link_summary.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    # The dialog hands the choice back; add_event links it once the event exists.
    assert dialog.documents_to_link == [document] and len(saved) == 1
    event_dialog._link(demo_profile, messages, dialog.documents_to_link, saved[0])
    links = {(link.target, link.target_id) for link in demo_profile.documents.get(document).links}
    assert (LinkTarget.CASE_EVENT, saved[0]) in links


# Per-case figures ------------------------------------------------------------------------------


def test_the_override_dialog_sets_and_resets_a_rule(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    case_id = _case(profile)
    rule = next(
        r for r in profile.cases.get(case_id).rules if r.rule.key is RuleKey.ERISA_APPEAL_FILING
    )

    def sixty(dialog: QDialog) -> None:
        assert isinstance(dialog, OverrideDialog)
        assert "180 days" in dialog.intro.text() and "2560.503-1" in dialog.intro.text()
        assert dialog.amount.value() == 180
        assert unnamed_controls(dialog) == []
        dialog.amount.setValue(60)
        dialog.note.setText("my letter says 60 days")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    parent = QWidget()
    qtbot.addWidget(parent)
    when_dialog_opens(qtbot, sixty)
    assert change_rule(parent, profile, messages, case_id, rule)
    override = profile.cases.get(case_id).overrides[RuleKey.ERISA_APPEAL_FILING]
    assert (override.amount, override.unit, override.note) == (
        60,
        Unit.DAYS,
        "my letter says 60 days",
    )

    rule = next(
        r for r in profile.cases.get(case_id).rules if r.rule.key is RuleKey.ERISA_APPEAL_FILING
    )

    def reset(dialog: QDialog) -> None:
        assert isinstance(dialog, OverrideDialog)
        assert dialog.reset_button.isVisible() and dialog.amount.value() == 60
        qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)

    when_dialog_opens(qtbot, reset)
    assert change_rule(parent, profile, messages, case_id, rule)
    assert profile.cases.get(case_id).overrides == {}


def test_a_date_taken_from_a_record_cannot_be_overridden(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    case_id = _case(profile)
    rule = next(r for r in profile.cases.get(case_id).rules if r.rule.key is RuleKey.CALL_FOLLOW_UP)
    parent = QWidget()
    qtbot.addWidget(parent)
    assert not change_rule(parent, profile, messages, case_id, rule)
    assert messages.kinds() == ["info"]
