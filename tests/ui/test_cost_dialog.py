"""The cost entry dialog, typed into like a user: the right cents saved, bad input refused with
the domain's plain words and nothing saved, only the fields that suit the kind shown, and hidden
fields kept when editing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from backlog_app.domain.costs import CostCategory, CostData, CostKind, CostStatus
from backlog_app.domain.records import PlanData, PlanType, ProviderData, ProviderRole
from backlog_app.services.context import ProfileSession
from backlog_app.ui.costs.cost_actions import cost_choices
from backlog_app.ui.costs.cost_dialog import ADJUSTMENT_TEXT, CostDialog
from backlog_app.ui.costs.cost_fields import Field
from backlog_app.ui.money import AmountEdit, format_money
from tests.conftest import TODAY
from tests.ui.accessibility import unnamed_controls
from tests.ui.conftest import RecordingMessages


@pytest.fixture
def ids(profile: ProfileSession) -> dict[str, int]:
    """A plan and a provider to choose."""
    return {
        "plan": profile.plans.add(
            PlanData("Buckeye Mutual Health", PlanType.EMPLOYER_PPO, plan_name="Choice PPO")
        ),
        "provider": profile.providers.add(
            ProviderData("Lakeview Open MRI", ProviderRole.RADIOLOGY)
        ),
    }


@pytest.fixture
def dialog(
    qtbot: QtBot, profile: ProfileSession, ids: dict[str, int], messages: RecordingMessages
) -> Iterator[CostDialog]:
    """A new-entry dialog that saves through the cost service, shown offscreen."""
    window = CostDialog(
        profile.costs.add, messages, cost_choices(profile, main_plan_id=ids["plan"])
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window


def type_into(qtbot: QtBot, edit: QWidget, text: str) -> None:
    edit.setFocus()
    qtbot.keyClicks(edit, text)


def choose_kind(dialog: CostDialog, kind: CostKind) -> None:
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind.value))


def fill_bill(qtbot: QtBot, dialog: CostDialog, provider_id: int) -> None:
    """A bill for the post-op MRI: provider, dates, description."""
    dialog.provider.set_value(provider_id)
    dialog.service_date.set_date(dt.date(2026, 10, 20))
    dialog.bill_date.set_date(dt.date(2026, 11, 3))
    type_into(qtbot, dialog.description, "Post-op MRI")


def save(qtbot: QtBot, dialog: CostDialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def shown(dialog: CostDialog, field: Field) -> bool:
    return dialog._widgets[field].isVisibleTo(dialog)


def test_a_bill_typed_in_saves_the_right_cents(
    qtbot: QtBot, dialog: CostDialog, profile: ProfileSession, ids: dict[str, int]
) -> None:
    assert dialog.current_kind() is CostKind.BILL  # a bill is what people add most
    fill_bill(qtbot, dialog, ids["provider"])
    type_into(qtbot, dialog.amounts[Field.BILLED], "$1,250.50")
    type_into(qtbot, dialog.amounts[Field.ALLOWED], "980")
    type_into(qtbot, dialog.amounts[Field.PLAN_PAID], "784.10")
    type_into(qtbot, dialog.amounts[Field.PATIENT], "195.9")
    dialog.category.setCurrentIndex(dialog.category.findData(CostCategory.IMAGING.value))
    save(qtbot, dialog)

    assert dialog.result() == dialog.DialogCode.Accepted
    (stored,) = profile.costs.list()
    data = stored.data
    assert (data.billed_cents, data.allowed_cents, data.plan_paid_cents, data.patient_cents) == (
        125050,
        98000,
        78410,
        19590,
    )
    assert data.kind is CostKind.BILL and data.status is CostStatus.BILLED
    assert data.plan_id == ids["plan"]  # a new entry starts on the main plan
    assert (data.provider_id, data.category, data.description) == (
        ids["provider"],
        CostCategory.IMAGING,
        "Post-op MRI",
    )


def test_a_negative_amount_is_refused_unless_it_is_an_adjustment(
    qtbot: QtBot, dialog: CostDialog, profile: ProfileSession, ids: dict[str, int]
) -> None:
    fill_bill(qtbot, dialog, ids["provider"])
    type_into(qtbot, dialog.amounts[Field.BILLED], "-25")
    save(qtbot, dialog)
    assert dialog.isVisible() and not dialog.problems.isHidden()
    assert "The billed amount is negative" in dialog.problems.text()
    assert "adjustment" in dialog.problems.text()
    assert profile.costs.count() == 0

    assert dialog.adjustment.text() == ADJUSTMENT_TEXT
    qtbot.mouseClick(dialog.adjustment, Qt.MouseButton.LeftButton)
    assert dialog.adjustment.isChecked()
    save(qtbot, dialog)
    assert not dialog.isVisible()
    (stored,) = profile.costs.list()
    assert stored.data.billed_cents == -2500 and stored.data.is_adjustment


def test_allowed_above_billed_and_future_dates_are_refused_and_nothing_is_saved(
    qtbot: QtBot, dialog: CostDialog, profile: ProfileSession, ids: dict[str, int]
) -> None:
    fill_bill(qtbot, dialog, ids["provider"])
    dialog.bill_date.set_date(TODAY + dt.timedelta(days=3))
    type_into(qtbot, dialog.amounts[Field.BILLED], "500")
    type_into(qtbot, dialog.amounts[Field.ALLOWED], "650")
    save(qtbot, dialog)
    problems = dialog.problems.text()
    assert "The allowed amount is more than the billed amount" in problems
    assert "The bill date (30 Nov 2026) is in the future" in problems
    assert profile.costs.count() == 0


def test_text_that_is_no_amount_names_its_field(
    qtbot: QtBot, dialog: CostDialog, profile: ProfileSession, ids: dict[str, int]
) -> None:
    fill_bill(qtbot, dialog, ids["provider"])
    type_into(qtbot, dialog.amounts[Field.BILLED], "12 dollars")
    type_into(qtbot, dialog.amounts[Field.PATIENT], "abc")
    save(qtbot, dialog)
    problems = dialog.problems.text()
    assert "The billed amount: “12 dollars” is not an amount in dollars" in problems
    assert "Your share: “abc” is not an amount in dollars" in problems
    assert profile.costs.count() == 0


def test_each_kind_shows_only_its_fields(qtbot: QtBot, dialog: CostDialog) -> None:
    def label(field: Field) -> str:
        form = dialog._forms[field]
        widget = form.labelForField(dialog._widgets[field])
        assert isinstance(widget, QLabel)
        return widget.text().replace("&", "")

    assert all(
        shown(dialog, f) for f in (Field.ALLOWED, Field.PLAN_PAID, Field.PATIENT, Field.STATUS)
    )
    assert not shown(dialog, Field.DENIED) and not shown(dialog, Field.EXPECTED)

    choose_kind(dialog, CostKind.GOOD_FAITH_ESTIMATE)
    assert label(Field.BILLED) == "Estimated total"
    assert label(Field.BILL_DATE) == "Date of the estimate"
    assert dialog.amounts[Field.BILLED].accessibleName() == "Estimated total"
    assert not shown(dialog, Field.ALLOWED) and not shown(dialog, Field.ADJUSTMENT)
    assert "dispute" in dialog.kind_hint.text()

    choose_kind(dialog, CostKind.EOB_LINE)
    assert shown(dialog, Field.DENIED) and label(Field.BILL_DATE) == "Date on the EOB"

    choose_kind(dialog, CostKind.HSA_CONTRIBUTION)
    assert label(Field.BILLED) == "Amount" and label(Field.SERVICE_DATE) == "Date"
    assert not shown(dialog, Field.PROVIDER) and not shown(dialog, Field.BILL_DATE)
    assert not shown(dialog, Field.STATUS) and not shown(dialog, Field.CATEGORY)

    choose_kind(dialog, CostKind.SUPPLEMENTAL_CLAIM)
    assert shown(dialog, Field.EXPECTED) and shown(dialog, Field.RECEIVED)
    assert not shown(dialog, Field.BILLED) and label(Field.PLAN) == "Policy"
    assert dialog.status.currentData() == CostStatus.EXPECTED.value  # follows the kind
    assert unnamed_controls(dialog) == []


def test_an_hsa_contribution_saves_its_amount_and_date(
    qtbot: QtBot, dialog: CostDialog, profile: ProfileSession
) -> None:
    choose_kind(dialog, CostKind.HSA_CONTRIBUTION)
    dialog.service_date.set_date(dt.date(2026, 6, 30))
    type_into(qtbot, dialog.amounts[Field.BILLED], "1,800")
    save(qtbot, dialog)
    (stored,) = profile.costs.list()
    assert stored.data.kind is CostKind.HSA_CONTRIBUTION
    assert stored.data.billed_cents == 180000 and stored.data.plan_id is None
    assert stored.data.status is CostStatus.PAID


def test_editing_keeps_hidden_fields_and_a_new_kind_clears_them(
    qtbot: QtBot, profile: ProfileSession, ids: dict[str, int], messages: RecordingMessages
) -> None:
    eob = CostData(
        CostKind.EOB_LINE,
        "Post-op MRI",
        ids["provider"],
        service_date=dt.date(2026, 10, 20),
        billed_cents=650_00,
        allowed_cents=0,
        patient_cents=0,
        eob_denied=True,
        status=CostStatus.APPEALED,
        notes="Called on 5 Nov",
    )
    cost_id = profile.costs.add(eob)

    def edit(change: CostKind | None) -> None:
        stored = profile.costs.get(cost_id).data
        window = CostDialog(
            lambda data: profile.costs.update(cost_id, data),
            messages,
            cost_choices(profile),
            cost=stored,
        )
        qtbot.addWidget(window)
        window.show()
        type_into(qtbot, window.description, ", lumbar")
        if change is not None:
            choose_kind(window, change)
        save(qtbot, window)
        assert not window.isVisible(), window.problems.text()

    edit(None)
    data = profile.costs.get(cost_id).data
    assert data.description == "Post-op MRI, lumbar"
    assert data == replace(eob, description="Post-op MRI, lumbar")

    edit(CostKind.HSA_PAYMENT)  # "denied", allowed and the plan do not suit an HSA payment
    data = profile.costs.get(cost_id).data
    assert data.kind is CostKind.HSA_PAYMENT
    assert not data.eob_denied and data.allowed_cents is None and data.patient_cents is None
    assert data.billed_cents == 650_00 and data.notes == "Called on 5 Nov"
    assert data.status is CostStatus.PAID  # an HSA payment has no status to choose


def test_amounts_show_in_the_currency_format() -> None:
    # CI runs in the C locale, which has no currency symbol: the domain's format then.
    assert format_money(124000) == "$1,240.00"
    assert format_money(-2500) == "-$25.00"
    assert format_money(None, empty="—") == "—"


def test_an_amount_field_reads_back_what_it_shows(qtbot: QtBot) -> None:
    edit = AmountEdit("The billed amount")
    qtbot.addWidget(edit)
    edit.set_cents(123456)
    assert edit.cents() == 123456
    edit.setText("-5")
    with pytest.raises(ValueError, match="negative"):
        edit.cents()
    edit.allow_negative = True
    assert edit.cents() == -500


def test_a_supplemental_claim_starts_on_the_supplemental_policy(
    qtbot: QtBot, profile: ProfileSession, ids: dict[str, int], messages: RecordingMessages
) -> None:
    policy = profile.plans.add(PlanData("Aflac", PlanType.HOSPITAL_INDEMNITY, priority=2))
    window = CostDialog(
        profile.costs.add, messages, cost_choices(profile, main_plan_id=ids["plan"])
    )
    qtbot.addWidget(window)
    assert window.plan.value() == ids["plan"]
    choose_kind(window, CostKind.SUPPLEMENTAL_CLAIM)
    assert window.plan.value() == policy
    choose_kind(window, CostKind.EOB_LINE)
    assert window.plan.value() == ids["plan"]
    window.plan.set_value(None)  # the user's own choice stays
    choose_kind(window, CostKind.BILL)
    assert window.plan.value() is None
