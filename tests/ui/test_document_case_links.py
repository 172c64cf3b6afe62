"""Documents and coverage cases: the Case filter of the Documents page and cases as link targets."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from backlog_app.domain.cases import CaseData, CaseEventData, DenialReason, EventType, Procedure
from backlog_app.domain.documents import LinkTarget
from backlog_app.services.context import ProfileSession
from backlog_app.services.documents import DocumentFilter
from backlog_app.ui.documents.filter_bar import ANY_CASE, DocumentFilterBar
from backlog_app.ui.documents.link_picker import LinkPickerDialog, link_choices


def add_case(profile: ProfileSession) -> tuple[int, int, int]:
    """A microdiscectomy request and its denial of 3 Mar 2026: case, request and denial ids."""
    case_id = profile.cases.add(CaseData(Procedure.MICRODISCECTOMY))
    request = profile.cases.add_event(
        CaseEventData(case_id, EventType.REQUEST_SUBMITTED, dt.date(2026, 2, 20))
    )
    denial = profile.cases.add_event(
        CaseEventData(
            case_id, EventType.DENIED, dt.date(2026, 3, 3), reason=DenialReason.NOT_COVERED
        )
    )
    return case_id, request, denial


def test_the_case_filter_asks_for_the_documents_of_one_case(qtbot: QtBot) -> None:
    bar = DocumentFilterBar()
    qtbot.addWidget(bar)
    bar.show()
    assert bar.case.isHidden()  # no case yet: no filter to offer
    bar.set_cases([(4, "Lumbar MRI"), (9, "Microdiscectomy — L4-L5 left")])
    assert not bar.case.isHidden()
    assert bar.case.accessibleName() == "Coverage case"
    assert bar.case.itemText(0) == ANY_CASE
    with qtbot.waitSignal(bar.changed) as emitted:
        bar.case.setCurrentIndex(2)
    assert emitted.args[0] == DocumentFilter(link=(LinkTarget.CASE, 9))
    assert bar.has_filters() and bar.clear.isVisible()
    bar.clear_filters()
    assert bar.document_filter() == DocumentFilter()

    bar.show_case(4)
    assert bar.document_filter().link == (LinkTarget.CASE, 4)
    with qtbot.waitSignal(bar.changed) as emitted:  # the case was deleted: everything again
        bar.set_cases([(9, "Microdiscectomy — L4-L5 left")])
    assert emitted.args[0].link is None


def test_cases_and_their_events_are_link_targets(qtbot: QtBot, profile: ProfileSession) -> None:
    case_id, request, denial = add_case(profile)
    choices = link_choices(profile)[LinkTarget.CASE]
    assert [(choice.target, choice.target_id, choice.label) for choice in choices] == [
        (LinkTarget.CASE, case_id, "Microdiscectomy (the whole case)"),
        (LinkTarget.CASE_EVENT, denial, "3 Mar 2026 · Denied — Microdiscectomy"),
        (LinkTarget.CASE_EVENT, request, "20 Feb 2026 · Request submitted — Microdiscectomy"),
    ]

    dialog = LinkPickerDialog(profile, set(), dt.date(2026, 3, 3), None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    texts = [dialog.entries.item(row).text().strip() for row in range(dialog.entries.count())]
    assert texts[0] == "Coverage cases"
    # The denial letter's date picks the denial.
    assert dialog.entries.currentItem().text().strip() == "3 Mar 2026 · Denied — Microdiscectomy"
    qtbot.mouseClick(dialog.link_button, Qt.MouseButton.LeftButton)
    assert dialog.chosen == (LinkTarget.CASE_EVENT, denial)

    # Linked already: left out.
    again = LinkPickerDialog(profile, {(LinkTarget.CASE_EVENT, denial)}, None, None)
    qtbot.addWidget(again)
    labels = [again.entries.item(row).text().strip() for row in range(again.entries.count())]
    assert "3 Mar 2026 · Denied — Microdiscectomy" not in labels
    assert "Microdiscectomy (the whole case)" in labels
