"""Deleting a plan, a provider or a case: the confirmation says, with counts, what goes with it
(network checks, a care team) and what stays without it (bills, estimates, EOB lines, cases)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from backlog_app.services.context import ProfileSession
from backlog_app.ui.pages.cases_page import CasesPage
from backlog_app.ui.pages.profile_page import ProfilePage
from backlog_app.ui.pages.providers_page import ProvidersPage
from tests.ui.conftest import RecordingMessages
from tests.unit.services.test_deletion_impact import add_records


def _confirmation(messages: RecordingMessages, title: str) -> str:
    kind, shown_title, text = messages.shown[-1]
    assert (kind, shown_title) == ("confirm", title)
    return text


def test_deleting_a_plan_says_its_network_checks_go_and_what_stays(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    records = add_records(profile)
    page = ProfilePage(profile, messages, lambda _text: None)
    qtbot.addWidget(page)
    page.plans.select_id(records.plan)
    messages.confirm_answer = False
    qtbot.mouseClick(page.plans.delete_button, Qt.MouseButton.LeftButton)
    text = _confirmation(messages, "Delete plan")
    assert "3 network checks made for this plan" in text
    assert "deleted with it" in text
    assert "1 bill and 1 EOB line under this plan stay on the Costs page" in text
    assert "1 case with this plan stays on the Cases page" in text
    assert "set its coverage end date instead" in text
    assert profile.network.count() == 4  # Cancel: nothing deleted
    messages.confirm_answer = True
    page.delete_plan(records.plan)
    assert profile.network.count() == 1


def test_deleting_a_provider_counts_its_bills_and_care_team_roles(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    records = add_records(profile)
    page = ProvidersPage(profile, messages, lambda _text: None)
    qtbot.addWidget(page)
    page.panel.select_id(records.surgeon)
    messages.confirm_answer = False
    qtbot.mouseClick(page.panel.delete_button, Qt.MouseButton.LeftButton)
    text = _confirmation(messages, "Delete provider")
    assert text.startswith("Delete Dr. Samuel Okafor from your directory?")
    assert "3 network checks made for this provider are deleted with it." in text
    assert "1 bill, 1 estimate and 1 EOB line from this provider stay" in text
    assert "Good Faith Estimate" in text and "denied" in text
    assert "1 care-team role this provider fills on your cases becomes unassigned." in text
    assert profile.providers.count() == 2


def test_deleting_a_case_says_its_care_team_goes_and_its_bills_stay(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    records = add_records(profile)
    team = len(profile.network.team(records.case))
    page = CasesPage(profile, messages, lambda _text: None)
    qtbot.addWidget(page)
    page.show_case(records.case)
    view = page.view
    assert view.current_case_id() == records.case
    messages.confirm_answer = False
    view.delete_case()
    text = _confirmation(messages, "Delete case")
    assert f"Its care team ({team} roles) is deleted with it." in text
    assert (
        "1 bill, 1 estimate and 1 EOB line for this case stay on the Costs page, "
        "no longer tied to a case." in text
    )
    assert "Its 0 calls stay in the call log" in text
    assert profile.cases.count() == 1
    page.detach()
