"""The Costs page in the main window: a bill over its Good Faith Estimate raises a due item,
totals and deductible progress in words, the spending chart, flags, filters, delete + Undo, and
the documents of an entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from backlog_app.domain.cost_flags import CostFlagKind
from backlog_app.domain.costs import CostCategory, CostData, CostKind, CostStatus
from backlog_app.domain.documents import DocumentData, DocumentKind, LinkTarget
from backlog_app.domain.records import PlanData, PlanType, ProviderData, ProviderRole
from backlog_app.services.context import ProfileSession
from backlog_app.services.documents import DocumentFilter
from backlog_app.services.due import everything_due
from backlog_app.settings import SettingsStore
from backlog_app.ui.charts.spending_chart import EMPTY_TEXT as CHART_EMPTY
from backlog_app.ui.costs.cost_dialog import CostDialog
from backlog_app.ui.costs.cost_fields import Field
from backlog_app.ui.costs.flags_view import DISPUTED_TEXT, SHOW_TEXT
from backlog_app.ui.documents.link_picker import LinkPickerDialog, link_choices
from backlog_app.ui.main_window import MainWindow
from backlog_app.ui.models.cost_model import COLUMN_FLAG
from backlog_app.ui.page_keys import PAGE_COSTS, PAGE_DOCUMENTS, PAGE_HOME
from backlog_app.ui.pages.costs_page import CostsPage
from tests.document_files import write_pdf
from tests.ui.accessibility import unnamed_controls
from tests.ui.conftest import RecordingMessages, when_dialog_opens

SERVICE_DAY = dt.date(2026, 9, 14)


@pytest.fixture
def ids(profile: ProfileSession) -> dict[str, int]:
    """A plan with a $2,000 deductible and a $6,000 out-of-pocket maximum, and two providers."""
    return {
        "plan": profile.plans.add(
            PlanData(
                "Buckeye Mutual Health",
                PlanType.HDHP_HSA,
                plan_name="Choice HSA",
                deductible_cents=2000_00,
                out_of_pocket_max_cents=6000_00,
            )
        ),
        "facility": profile.providers.add(
            ProviderData("Riverside Surgical Center", ProviderRole.SPINE_SURGEON)
        ),
        "therapy": profile.providers.add(
            ProviderData("Core Motion Physical Therapy", ProviderRole.PHYSICAL_THERAPY)
        ),
    }


@pytest.fixture
def main(
    qtbot: QtBot,
    profile: ProfileSession,
    ids: dict[str, int],
    settings_store: SettingsStore,
    messages: RecordingMessages,
) -> Iterator[MainWindow]:
    """The window on a profile with a plan and providers, on the Costs page (Ctrl+5)."""
    window = MainWindow(settings_store, messages)
    qtbot.addWidget(window)
    window.attach_profile(profile)
    window.resize(1280, 860)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() == PAGE_COSTS
    qtbot.waitUntil(window.costs_page.is_loaded)
    yield window
    window.jobs.wait_for_all()


def loaded(qtbot: QtBot, page: CostsPage) -> CostsPage:
    qtbot.waitUntil(page.is_loaded)
    return page


def type_into(qtbot: QtBot, widget: object, text: str) -> None:
    widget.setFocus()  # type: ignore[attr-defined]
    qtbot.keyClicks(widget, text)


def fill_and_save(qtbot: QtBot, **values: object) -> None:
    """When the cost dialog opens: choose the kind, fill the fields like a user, press Save."""

    def act(dialog: QDialog) -> None:
        assert isinstance(dialog, CostDialog)
        kind = values["kind"]
        assert isinstance(kind, CostKind)
        dialog.kind.setCurrentIndex(dialog.kind.findData(kind.value))
        dialog.provider.set_value(values.get("provider"))  # type: ignore[arg-type]
        dialog.service_date.set_date(values.get("service_date"))  # type: ignore[arg-type]
        dialog.bill_date.set_date(values.get("bill_date"))  # type: ignore[arg-type]
        type_into(qtbot, dialog.description, str(values.get("description", "")))
        for field in (Field.BILLED, Field.ALLOWED, Field.PLAN_PAID, Field.PATIENT):
            if field.value in values:
                type_into(qtbot, dialog.amounts[field], str(values[field.value]))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible(), dialog.problems.text()

    when_dialog_opens(qtbot, act)


def texts(widget: object) -> str:
    return "\n".join(label.text() for label in widget.findChildren(QLabel))  # type: ignore[attr-defined]


def test_a_bill_over_its_good_faith_estimate_raises_a_due_item(
    qtbot: QtBot, main: MainWindow, profile: ProfileSession, ids: dict[str, int]
) -> None:
    page = main.costs_page
    assert page.flags.isHidden()
    fill_and_save(
        qtbot,
        kind=CostKind.GOOD_FAITH_ESTIMATE,
        provider=ids["facility"],
        service_date=SERVICE_DAY,
        bill_date=dt.date(2026, 8, 20),
        description="Microdiscectomy, facility fee",
        billed_cents="18,500",
    )
    gfe_id = page.add_cost()
    assert gfe_id is not None
    # The second through Edit → Add a Bill or Cost… (Ctrl+Shift+B), from anywhere.
    main.show_page(PAGE_HOME)
    fill_and_save(
        qtbot,
        kind=CostKind.BILL,
        provider=ids["facility"],
        service_date=SERVICE_DAY,
        bill_date=dt.date(2026, 10, 12),
        description="Microdiscectomy, facility fee",
        billed_cents="19,150",
        patient_cents="1,500",
    )
    main.add_cost_action.trigger()
    assert main.current_page() == PAGE_COSTS
    loaded(qtbot, page)

    (bill,) = [c for c in profile.costs.costs() if c.data.kind is CostKind.BILL]
    flags = page.flags.flags()
    assert [flag.kind for flag in flags] == [CostFlagKind.OVER_GOOD_FAITH_ESTIMATE]
    assert flags[0].cost_ids == (bill.id, gfe_id)
    assert page.flags.isVisible()
    shown = texts(page.flags)
    assert "This bill is $650.00 over the Good Faith Estimate of $18,500.00" in shown
    assert "by 9 Feb 2027" in shown
    assert "Bill from Riverside Surgical Center · 12 Oct 2026 · $19,150.00" in shown
    assert page.selected_id() == bill.id  # the entry just added
    row = page.model.row_of(bill.id)
    assert row is not None
    flag_cell = page.model.index(row, COLUMN_FLAG)
    assert flag_cell.data() == "⚠ Over the Good Faith Estimate"
    assert "dispute it within 120 days" in flag_cell.data(Qt.ItemDataRole.ToolTipRole)
    assert "1 flagged" in page.count_label.text()

    (due,) = [item for item in everything_due(profile) if item.cost_id == bill.id]
    assert (
        due.title == "Dispute the bill over its Good Faith Estimate: Microdiscectomy, facility fee"
    )
    assert due.due == dt.date(2027, 2, 9)

    main.show_page(PAGE_HOME)
    home = main.home_page
    qtbot.waitUntil(lambda: due.title in texts(home.deadlines_card))  # read in the background
    link = next(
        button
        for button in home.deadlines_card.findChildren(QPushButton)
        if button.text() == "Show the bill →"
    )
    page.table.clearSelection()
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    assert main.current_page() == PAGE_COSTS
    qtbot.waitUntil(lambda: page.selected_id() == bill.id)


def add_year(profile: ProfileSession, ids: dict[str, int]) -> dict[str, int]:
    """EOB lines in three categories ($1,240 owed), HSA money and a supplemental claim."""
    plan, therapy, facility = ids["plan"], ids["therapy"], ids["facility"]
    added = {}
    for name, provider, day, owed, category in (
        ("facility", facility, SERVICE_DAY, 900_00, CostCategory.FACILITY),
        ("therapy", therapy, dt.date(2026, 3, 6), 240_00, CostCategory.PHYSICAL_THERAPY),
        ("visit", therapy, dt.date(2026, 2, 11), 100_00, CostCategory.OFFICE_VISIT),
    ):
        added[name] = profile.costs.add(
            CostData(
                CostKind.EOB_LINE,
                name,
                provider,
                plan_id=plan,
                service_date=day,
                billed_cents=owed * 3,
                allowed_cents=owed * 2,
                plan_paid_cents=owed,
                patient_cents=owed,
                category=category,
            )
        )
    profile.costs.add(
        CostData(CostKind.HSA_CONTRIBUTION, service_date=dt.date(2026, 6, 30), billed_cents=1800_00)
    )
    profile.costs.add(
        CostData(CostKind.HSA_PAYMENT, service_date=dt.date(2026, 10, 30), billed_cents=500_00)
    )
    profile.costs.add(
        CostData(
            CostKind.SUPPLEMENTAL_CLAIM,
            "Hospital indemnity",
            service_date=SERVICE_DAY,
            expected_cents=1000_00,
            received_cents=400_00,
        )
    )
    return added


def test_totals_say_how_far_the_deductible_and_out_of_pocket_maximum_are(
    qtbot: QtBot, main: MainWindow, profile: ProfileSession, ids: dict[str, int]
) -> None:
    page = main.costs_page
    assert page.chart.is_empty() and CHART_EMPTY in page.chart.describe()
    add_year(profile, ids)  # through the service: the window refreshes the page itself
    loaded(qtbot, page)
    assert page.totals.year.currentText() == "2026"
    lines = page.totals.texts()
    assert "You owe: $1,240.00" in lines
    assert "Billed: $3,720.00" in lines and "Plan paid: $1,240.00" in lines
    assert "$1,240.00 of $2,000.00 deductible met" in lines
    assert "$1,240.00 of $6,000.00 out-of-pocket maximum paid" in lines
    assert "Put into HSA: $1,800.00" in lines and "Paid from HSA: $500.00" in lines
    assert (
        "Supplemental claims: $1,000.00 expected, $400.00 received, $600.00 still to come" in lines
    )
    assert page.totals.deductible_bar.value() == 620  # of 1000 steps
    assert "deductible" in page.totals.deductible_bar.toolTip()

    page.chart.grab()  # paints it
    bars = page.chart.bars()
    assert [bar.category for bar in bars] == [
        CostCategory.FACILITY,
        CostCategory.PHYSICAL_THERAPY,
        CostCategory.OFFICE_VISIT,
    ]
    assert bars[0].rect.width() > bars[1].rect.width() > bars[2].rect.width()
    assert page.chart.describe().startswith("You owed $1,240.00 in plan year 2026:")
    assert "Hospital or surgery center $900.00" in page.chart.accessibleDescription()
    assert "$900.00" in page.chart.tooltip_at(bars[0].rect.center())


def test_the_model_passes_the_model_tester_and_every_control_is_named(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    main: MainWindow,
    profile: ProfileSession,
    ids: dict[str, int],
) -> None:
    add_year(profile, ids)
    page = loaded(qtbot, main.costs_page)
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 6
    # Newest first; money right-aligned.
    first = page.table.model().index(0, 0)
    assert first.data() == "30 Oct 2026"
    assert unnamed_controls(page) == []


def test_mark_as_disputed_takes_the_flag_away_and_show_the_bill_selects_it(
    qtbot: QtBot, main: MainWindow, profile: ProfileSession, ids: dict[str, int]
) -> None:
    facility = ids["facility"]
    profile.costs.add(
        CostData(
            CostKind.GOOD_FAITH_ESTIMATE,
            provider_id=facility,
            bill_date=dt.date(2026, 8, 1),
            billed_cents=1000_00,
        )
    )
    bill = profile.costs.add(
        CostData(
            CostKind.BILL,
            "Facility fee",
            facility,
            service_date=SERVICE_DAY,
            bill_date=dt.date(2026, 10, 1),
            billed_cents=1500_00,
        )
    )
    profile.costs.add(
        CostData(CostKind.HSA_CONTRIBUTION, service_date=dt.date(2026, 6, 30), billed_cents=1800_00)
    )
    page = loaded(qtbot, main.costs_page)
    page.table.select_first()
    show = next(b for b in page.flags.findChildren(QPushButton) if b.text() == SHOW_TEXT)
    qtbot.mouseClick(show, Qt.MouseButton.LeftButton)
    assert page.selected_id() == bill

    disputed = next(b for b in page.flags.findChildren(QPushButton) if b.text() == DISPUTED_TEXT)
    qtbot.mouseClick(disputed, Qt.MouseButton.LeftButton)
    loaded(qtbot, page)
    assert profile.costs.get(bill).data.status is CostStatus.DISPUTED
    assert page.flags.isHidden() and page.flags.flags() == []
    assert not [item for item in everything_due(profile) if item.cost_id == bill]


def test_filters_and_show_cost_clearing_a_filter_that_hides_it(
    qtbot: QtBot, main: MainWindow, profile: ProfileSession, ids: dict[str, int]
) -> None:
    added = add_year(profile, ids)
    old = profile.costs.add(
        CostData(
            CostKind.EOB_LINE,
            "Last year's visit",
            ids["therapy"],
            service_date=dt.date(2025, 5, 2),
            patient_cents=80_00,
        )
    )
    page = loaded(qtbot, main.costs_page)
    assert page.model.rowCount() == 7
    years = [page.filters.year.itemText(i) for i in range(page.filters.year.count())]
    assert years == ["All plan years", "2026", "2025"]

    page.filters.year.setCurrentIndex(2)  # 2025: the table, the totals and the chart follow
    loaded(qtbot, page)
    assert [page.model.cost(row).id for row in range(page.model.rowCount())] == [old]
    assert page.totals.year.currentText() == "2025"
    assert "You owe: $80.00" in page.totals.texts()
    assert page.chart.describe().startswith("You owed $80.00 in plan year 2025")

    page.show_cost(added["facility"])  # hidden by the filter: everything again
    loaded(qtbot, page)
    assert page.filters.year.currentIndex() == 0
    assert page.selected_id() == added["facility"]

    qtbot.mouseClick(page.filters.flagged, Qt.MouseButton.LeftButton)
    loaded(qtbot, page)
    assert page.model.rowCount() == 0 and page.empty.text() == "No entries match these filters."
    assert page.filters.clear.isVisible()


def test_delete_and_undo_puts_the_entry_back_with_its_documents(
    qtbot: QtBot, window: MainWindow, demo_profile: ProfileSession, messages: RecordingMessages
) -> None:
    document = demo_profile.documents.list()[0].info
    cost_id = demo_profile.costs.add(
        CostData(
            CostKind.BILL,
            "Our test bill",
            service_date=dt.date(2026, 11, 2),
            bill_date=dt.date(2026, 11, 20),
            billed_cents=321_00,
        )
    )
    demo_profile.documents.link(document.id, LinkTarget.COST, cost_id)
    window.show_page(PAGE_COSTS)
    page = loaded(qtbot, window.costs_page)
    page.show_cost(cost_id)
    loaded(qtbot, page)
    assert page.documents.document_ids() == [document.id]
    assert page.documents.list.item(0).text() == document.data.title

    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert messages.shown[-1][0] == "confirm"
    assert "the bill “Our test bill”" in messages.shown[-1][2]
    loaded(qtbot, page)
    assert page.model.row_of(cost_id) is None
    assert window.undo_delete_action.isEnabled()
    assert "the bill “Our test bill”" in window.undo_delete_action.text()

    window.undo_delete_action.trigger()  # Ctrl+Z
    loaded(qtbot, page)
    assert demo_profile.costs.get(cost_id).data.description == "Our test bill"
    assert page.selected_id() == cost_id
    assert page.documents.document_ids() == [document.id]
    assert not window.undo_delete_action.isEnabled()

    # Double-click a linked document: it opens on the Documents page.
    item = page.documents.list.item(0)
    page.documents.list.itemDoubleClicked.emit(item)
    assert window.current_page() == PAGE_DOCUMENTS


def test_undo_after_a_newer_entry_took_the_id_puts_the_entry_back_whole(
    qtbot: QtBot,
    main: MainWindow,
    profile: ProfileSession,
    ids: dict[str, int],
    messages: RecordingMessages,
    tmp_path: Path,
) -> None:
    def bill(description: str, day: dt.date) -> CostData:
        return CostData(
            CostKind.BILL,
            description,
            ids["facility"],
            service_date=day,
            bill_date=day + dt.timedelta(days=5),
            billed_cents=250_00,
        )

    profile.costs.add(bill("Older bill", dt.date(2026, 9, 1)))
    newest = profile.costs.add(bill("Our test bill", dt.date(2026, 10, 1)))
    document = profile.importer.add(
        write_pdf(tmp_path / "bill.pdf"), DocumentData(DocumentKind.BILL, "The bill")
    )
    profile.documents.link(document, LinkTarget.COST, newest)
    page = loaded(qtbot, main.costs_page)
    page.show_cost(newest)
    loaded(qtbot, page)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    loaded(qtbot, page)
    # SQLite gives the deleted newest entry's id to the next entry added.
    taken = profile.costs.add(bill("Added after the delete", dt.date(2026, 10, 20)))
    assert taken == newest

    main.undo_delete_action.trigger()  # Ctrl+Z
    loaded(qtbot, page)
    assert [kind for kind, *_ in messages.shown if kind != "confirm"] == []  # no problem shown
    restored = page.selected_id()
    assert restored is not None and restored != taken
    assert profile.costs.get(restored).data.description == "Our test bill"
    assert profile.costs.get(taken).data.description == "Added after the delete"
    assert page.documents.document_ids() == [document]
    links = profile.documents.list(DocumentFilter(link=(LinkTarget.COST, taken)))
    assert list(links) == []


def test_the_network_check_setting_reaches_the_profile(
    qtbot: QtBot, main: MainWindow, profile: ProfileSession, settings_store: SettingsStore
) -> None:
    assert profile.network.max_age_days == 90
    settings_store.update(network_check_days=30)
    assert profile.network.max_age_days == 30


def test_cost_entries_are_link_targets_for_documents(
    qtbot: QtBot, profile: ProfileSession, ids: dict[str, int]
) -> None:
    bill = profile.costs.add(
        CostData(
            CostKind.BILL,
            "Facility fee",
            ids["facility"],
            service_date=SERVICE_DAY,
            bill_date=dt.date(2026, 10, 1),
            billed_cents=1500_00,
        )
    )
    choices = link_choices(profile)[LinkTarget.COST]
    assert [(c.target_id, c.label) for c in choices] == [
        (bill, "14 Sep 2026 · Bill · Riverside Surgical Center · Facility fee")
    ]
    dialog = LinkPickerDialog(profile, set(), dt.date(2026, 9, 14), None)
    qtbot.addWidget(dialog)
    labels = [dialog.entries.item(row).text().strip() for row in range(dialog.entries.count())]
    assert labels == ["Costs and bills", choices[0].label]
    assert dialog.entries.currentItem().text().strip() == choices[0].label  # on its date
    qtbot.mouseClick(dialog.link_button, Qt.MouseButton.LeftButton)
    assert dialog.chosen == (LinkTarget.COST, bill)
