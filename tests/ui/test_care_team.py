"""The Care Team tab: default roles, choosing providers, network checks turning rows green or red,
the No Surprises Act protection, refusals in plain words, removing a role (with Undo), the checks
due before a scheduled procedure, and the tab's place in the case view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from backlog_app.domain.cases import CaseData, Procedure
from backlog_app.domain.network import NetworkStatus, VerificationData, VerificationMethod
from backlog_app.domain.network_checklist import ChecklistState
from backlog_app.domain.network_rules import DEFAULT_ROLES, CareRole
from backlog_app.domain.records import PlanData, PlanType, ProviderData, ProviderRole
from backlog_app.services.context import ProfileSession
from backlog_app.ui.cases.care_team_view import COMPACT_WIDTH, CareTeamView
from backlog_app.ui.cases.case_view import TAB_CARE_TEAM, TAB_CHECKLIST, TAB_TITLES, CaseView
from backlog_app.ui.cases.team_member_dialog import NOT_KNOWN_LABEL, TeamMemberDialog
from backlog_app.ui.jobs import JobRunner
from backlog_app.ui.models.care_team_model import (
    BACKGROUNDS,
    COLUMN_PROTECTION,
    COLUMN_PROVIDER,
    COLUMN_ROLE,
    COLUMN_STATE,
    STATE_ROLE,
    CareTeamModel,
    summary_text,
)
from tests.ui.accessibility import unnamed_controls
from tests.ui.conftest import RecordingMessages, when_dialog_opens

SURGERY = Procedure.MICRODISCECTOMY


@dataclass(frozen=True)
class Team:
    """The plan and providers the tests build a case from."""

    plan: int
    surgeon: int
    facility: int
    anesthesiologist: int
    other_anesthesiologist: int
    lab: int


@pytest.fixture
def team(profile: ProfileSession) -> Team:
    plan = profile.plans.add(PlanData("Buckeye Mutual Health", PlanType.EMPLOYER_PPO, "Choice PPO"))

    def add(name: str, role: ProviderRole, organization: str | None = None) -> int:
        return profile.providers.add(ProviderData(name, role, organization=organization))

    return Team(
        plan=plan,
        surgeon=add("Dr. Samuel Okafor", ProviderRole.SPINE_SURGEON, "Buckeye Spine"),
        facility=add("Northside Surgery Center", ProviderRole.SURGERY_CENTER),
        anesthesiologist=add("Dr. Priya Raman", ProviderRole.ANESTHESIOLOGY, "Summit Anesthesia"),
        other_anesthesiologist=add("Dr. Lee Chen", ProviderRole.ANESTHESIOLOGY),
        lab=add("Central Ohio Pathology", ProviderRole.PATHOLOGY),
    )


def _case(profile: ProfileSession, team: Team, scheduled: dt.date | None = None) -> int:
    return profile.cases.add(
        CaseData(
            SURGERY,
            "L4-L5 left",
            plan_id=team.plan,
            requesting_provider_id=team.surgeon,
            facility_id=team.facility,
            scheduled_date=scheduled,
        )
    )


def _member(profile: ProfileSession, case_id: int, role: CareRole) -> int:
    return next(m.id for m in profile.network.team(case_id) if m.data.role is role)


def _assign(profile: ProfileSession, case_id: int, role: CareRole, provider_id: int) -> int:
    member_id = _member(profile, case_id, role)
    member = next(m for m in profile.network.team(case_id) if m.id == member_id)
    profile.network.update_member(member_id, replace(member.data, provider_id=provider_id))
    return member_id


def _check(
    profile: ProfileSession, team: Team, provider_id: int, status: NetworkStatus, day: dt.date
) -> int:
    return profile.network.add_verification(
        VerificationData(provider_id, team.plan, status, VerificationMethod.CALL, day, "REF-1")
    )


@pytest.fixture
def view(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> Iterator[CareTeamView]:
    statuses: list[str] = []
    team_view = CareTeamView(profile, messages, show_status=statuses.append)
    team_view.statuses = statuses  # type: ignore[attr-defined]
    qtbot.addWidget(team_view)
    team_view.resize(900, 700)
    team_view.show()
    qtbot.waitExposed(team_view)
    yield team_view
    team_view.detach()


def _row(view: CareTeamView, role: CareRole) -> int:
    for number in range(view.model.rowCount()):
        if view.model.checklist_row(number).row.role is role:
            return number
    raise AssertionError(f"no {role} row")


def _cell(view: CareTeamView, role: CareRole, column: int, data_role: int = 0) -> object:
    return view.model.index(_row(view, role), column).data(data_role)


def _state(view: CareTeamView, role: CareRole) -> str:
    return str(_cell(view, role, COLUMN_STATE)).splitlines()[0]


def _background(view: CareTeamView, role: CareRole) -> object:
    brush = _cell(view, role, COLUMN_STATE, Qt.ItemDataRole.BackgroundRole)
    assert isinstance(brush, QBrush)
    return brush.color()


def _select(view: CareTeamView, role: CareRole) -> None:
    view.table.setCurrentIndex(view.model.index(_row(view, role), COLUMN_STATE))


# The model ------------------------------------------------------------------------------------


def test_the_model_passes_the_model_tester(
    qtmodeltester: ModelTester, profile: ProfileSession, team: Team, today: dt.date
) -> None:
    case_id = _case(profile, team)
    _check(profile, team, team.surgeon, NetworkStatus.IN_NETWORK, today)
    model = CareTeamModel()
    model.set_rows(profile.network.checklist(case_id).rows, today)
    qtmodeltester.check(model)
    assert model.data(model.index(0, COLUMN_STATE)) == "✓ In network"
    assert model.data(model.index(0, COLUMN_STATE), Qt.ItemDataRole.AccessibleTextRole) == (
        "In network"
    )
    model.set_compact(True)
    assert model.data(model.index(0, COLUMN_STATE)) == "✓ In network\nchecked 27 Nov"
    assert model.data(model.index(0, COLUMN_ROLE)) == "Surgeon\nDr. Samuel Okafor"
    assert model.headerData(COLUMN_ROLE, Qt.Orientation.Horizontal) == "Role and provider"
    qtmodeltester.check(model)


# Showing a case -------------------------------------------------------------------------------


def test_a_new_microdiscectomy_case_shows_its_default_roles_all_not_checked(
    view: CareTeamView, profile: ProfileSession, team: Team
) -> None:
    view.show_case(_case(profile, team))
    roles = [view.model.checklist_row(n).row.role for n in range(view.model.rowCount())]
    assert roles == list(DEFAULT_ROLES[SURGERY])
    for role in roles:
        assert _state(view, role) == "? Not checked"
        assert _background(view, role) == BACKGROUNDS[ChecklistState.NEEDS_CHECK]
    assert _cell(view, CareRole.SURGEON, COLUMN_PROVIDER) == "Dr. Samuel Okafor"
    assert _cell(view, CareRole.FACILITY, COLUMN_PROVIDER) == "Northside Surgery Center"
    assert _cell(view, CareRole.ANESTHESIOLOGIST, COLUMN_PROVIDER) == "Not known yet"
    assert view.summary.text() == (
        "0 of 8 roles verified in network · check them before the procedure"
    )
    assert view.why.isVisible() and "bills on its own" in view.why.text()
    assert not view.due.isVisible()  # no date for the procedure yet


def test_the_due_items_appear_once_the_procedure_has_a_date(
    view: CareTeamView, profile: ProfileSession, team: Team, today: dt.date
) -> None:
    case_id = _case(profile, team, scheduled=today + dt.timedelta(days=10))  # Mon 7 Dec 2026
    _check(profile, team, team.surgeon, NetworkStatus.IN_NETWORK, today)
    view.show_case(case_id)
    assert view.summary.text() == (
        "1 of 8 roles verified in network · check the rest by Fri 4 Dec 2026 "
        "(72 hours before the procedure on 7 Dec)"
    )
    assert view.due.isVisible()
    text = view.due.text()
    assert "To do by Fri 4 Dec 2026" in text
    assert "Check that the anesthesiologist is in network" in text
    assert "Check that the surgeon is in network" not in text  # verified: nothing to do
    assert "45 CFR 149.420" in view.due.toolTip()


def test_verifying_a_provider_in_network_today_turns_its_row_green(
    view: CareTeamView, profile: ProfileSession, team: Team, today: dt.date
) -> None:
    case_id = _case(profile, team)
    view.show_case(case_id)
    assert _state(view, CareRole.SURGEON) == "? Not checked"
    _check(profile, team, team.surgeon, NetworkStatus.IN_NETWORK, today)  # the view listens
    assert _state(view, CareRole.SURGEON) == "✓ In network"
    assert _background(view, CareRole.SURGEON) == BACKGROUNDS[ChecklistState.VERIFIED_IN_NETWORK]
    state = _cell(view, CareRole.SURGEON, COLUMN_STATE, STATE_ROLE)
    assert state == ChecklistState.VERIFIED_IN_NETWORK.value
    assert view.summary.text().startswith("1 of 8 roles verified in network")


def test_an_old_check_asks_to_check_again(
    view: CareTeamView, profile: ProfileSession, team: Team, today: dt.date
) -> None:
    case_id = _case(profile, team)
    _check(profile, team, team.surgeon, NetworkStatus.IN_NETWORK, today - dt.timedelta(days=120))
    view.show_case(case_id)
    assert _state(view, CareRole.SURGEON) == "? Check again"
    assert _background(view, CareRole.SURGEON) == BACKGROUNDS[ChecklistState.NEEDS_CHECK]


def test_an_out_of_network_anesthesiologist_at_an_in_network_facility_cannot_balance_bill(
    view: CareTeamView, profile: ProfileSession, team: Team, today: dt.date
) -> None:
    case_id = _case(profile, team)
    _assign(profile, case_id, CareRole.ANESTHESIOLOGIST, team.anesthesiologist)
    _check(profile, team, team.facility, NetworkStatus.IN_NETWORK, today)
    _check(profile, team, team.anesthesiologist, NetworkStatus.OUT_OF_NETWORK, today)
    view.show_case(case_id)
    role = CareRole.ANESTHESIOLOGIST
    assert _state(view, role) == "✗ Out of network"
    assert _background(view, role) == BACKGROUNDS[ChecklistState.OUT_OF_NETWORK]
    assert _cell(view, role, COLUMN_PROTECTION) == "Protected: no balance bill"
    tooltip = str(_cell(view, role, COLUMN_PROTECTION, Qt.ItemDataRole.ToolTipRole))
    assert "only what you would pay in network" in tooltip and "149.420(b)" in tooltip
    assert view.summary.text().startswith("1 of 8 roles verified in network · 1 out of network")


# Changing the team ----------------------------------------------------------------------------


def test_choosing_a_provider_through_the_dialog_stores_it(
    qtbot: QtBot, view: CareTeamView, profile: ProfileSession, team: Team
) -> None:
    case_id = _case(profile, team)
    view.show_case(case_id)
    _select(view, CareRole.ANESTHESIOLOGIST)
    assert not view.check_button.isEnabled()  # nobody to check yet
    seen: list[str] = []

    def choose(dialog: QDialog) -> None:
        assert isinstance(dialog, TeamMemberDialog)
        seen.append(dialog.provider.currentText())
        # The anesthesiologists come first, right after "Not known yet".
        seen.append(dialog.provider.itemText(1))
        dialog.select_provider(team.anesthesiologist)
        dialog.notes.setPlainText("Summit group; the office confirmed the name")
        dialog.try_save()

    when_dialog_opens(qtbot, choose)
    qtbot.mouseClick(view.choose_button, Qt.MouseButton.LeftButton)
    assert seen == [NOT_KNOWN_LABEL, "Dr. Lee Chen — Anesthesiology"]
    member = next(
        m for m in profile.network.team(case_id) if m.data.role is CareRole.ANESTHESIOLOGIST
    )
    assert member.data.provider_id == team.anesthesiologist
    assert member.data.notes == "Summit group; the office confirmed the name"
    assert _cell(view, CareRole.ANESTHESIOLOGIST, COLUMN_PROVIDER) == "Dr. Priya Raman"
    assert view.selected_id() == member.id
    assert view.check_button.isEnabled()


def test_the_same_provider_twice_in_one_role_is_refused_and_nothing_is_saved(
    qtbot: QtBot,
    view: CareTeamView,
    profile: ProfileSession,
    team: Team,
    messages: RecordingMessages,
) -> None:
    case_id = _case(profile, team)
    _assign(profile, case_id, CareRole.ANESTHESIOLOGIST, team.anesthesiologist)
    view.show_case(case_id)
    before = profile.network.team(case_id)
    problems: list[str] = []

    def add_again(dialog: QDialog) -> None:
        assert isinstance(dialog, TeamMemberDialog)
        dialog.role.setCurrentIndex(dialog.role.findData(CareRole.ANESTHESIOLOGIST.value))
        dialog.select_provider(team.anesthesiologist)
        dialog.try_save()
        problems.append(dialog.problems.text() if dialog.problems.isVisible() else "")
        dialog.reject()  # asks before discarding; the recorder says yes

    when_dialog_opens(qtbot, add_again)
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    assert (
        problems
        and "Dr. Priya Raman is already the anesthesiologist on this case." in (problems[0])
    )
    assert "Traceback" not in problems[0]
    assert profile.network.team(case_id) == before
    assert messages.kinds() == ["confirm"]  # "Discard changes?"


def test_adding_a_role_through_the_dialog(
    qtbot: QtBot, view: CareTeamView, profile: ProfileSession, team: Team
) -> None:
    case_id = _case(profile, team)
    view.show_case(case_id)

    def add(dialog: QDialog) -> None:
        assert isinstance(dialog, TeamMemberDialog)
        dialog.role.setCurrentIndex(dialog.role.findData(CareRole.DME.value))
        dialog.try_save()

    when_dialog_opens(qtbot, add)
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    assert [m.data.role for m in profile.network.team(case_id)][-1] is CareRole.DME
    assert view.model.rowCount() == len(DEFAULT_ROLES[SURGERY]) + 1
    assert view.selected_row() is not None
    assert view.selected_row().row.role is CareRole.DME  # type: ignore[union-attr]


def test_removing_a_role_asks_first_and_undo_puts_it_back(
    qtbot: QtBot,
    view: CareTeamView,
    profile: ProfileSession,
    team: Team,
    messages: RecordingMessages,
) -> None:
    case_id = _case(profile, team)
    pathology = _assign(profile, case_id, CareRole.PATHOLOGY, team.lab)
    view.show_case(case_id)
    _select(view, CareRole.PATHOLOGY)
    qtbot.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
    assert messages.kinds() == ["confirm"]
    assert "Pathology / laboratory" in messages.shown[0][2]
    assert CareRole.PATHOLOGY not in {m.data.role for m in profile.network.team(case_id)}
    assert view.model.row_of(pathology) is None
    assert view.undo_bar.isVisible() and "Central Ohio Pathology" in view.undo_label.text()
    assert view.undo_description() == "the role “Pathology / laboratory” (Central Ohio Pathology)"

    qtbot.mouseClick(view.undo_button, Qt.MouseButton.LeftButton)
    restored = next(m for m in profile.network.team(case_id) if m.data.role is CareRole.PATHOLOGY)
    assert restored.data.provider_id == team.lab
    assert not view.undo_bar.isVisible() and view.undo_description() is None


def test_declining_the_confirmation_removes_nothing(
    qtbot: QtBot,
    view: CareTeamView,
    profile: ProfileSession,
    team: Team,
    messages: RecordingMessages,
) -> None:
    case_id = _case(profile, team)
    view.show_case(case_id)
    messages.confirm_answer = False
    _select(view, CareRole.SURGEON)
    qtbot.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
    assert len(profile.network.team(case_id)) == len(DEFAULT_ROLES[SURGERY])


def test_an_empty_team_offers_the_usual_roles(
    qtbot: QtBot, view: CareTeamView, profile: ProfileSession, team: Team
) -> None:
    case_id = _case(profile, team)
    for member in profile.network.team(case_id):
        profile.network.delete_member(member.id)
    view.show_case(case_id)
    assert view.stack.currentWidget() is view.empty
    assert view.usual_button.isVisible() and not view.summary_box.isVisible()
    qtbot.mouseClick(view.usual_button, Qt.MouseButton.LeftButton)
    assert view.stack.currentWidget() is view.table
    assert view.model.rowCount() == len(DEFAULT_ROLES[SURGERY])


def test_enter_on_a_row_with_a_provider_records_a_check_for_the_case_plan(
    qtbot: QtBot,
    view: CareTeamView,
    profile: ProfileSession,
    team: Team,
    today: dt.date,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case_id = _case(profile, team)
    view.show_case(case_id)
    calls: list[dict[str, int | None]] = []

    def record_check(
        parent: QWidget | None, profile_: ProfileSession, messages_: object, **kw: int | None
    ) -> int:
        calls.append(kw)
        assert kw["provider_id"] is not None and kw["plan_id"] is not None
        return _check(profile_, team, kw["provider_id"], NetworkStatus.IN_NETWORK, today)

    monkeypatch.setattr("backlog_app.ui.network.verify_dialog.record_check", record_check)
    _select(view, CareRole.FACILITY)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert calls == [{"provider_id": team.facility, "plan_id": team.plan}]
    assert _state(view, CareRole.FACILITY) == "✓ In network"
    assert view.statuses[-1] == "Check of Northside Surgery Center recorded."  # type: ignore[attr-defined]


def test_a_narrow_table_folds_provider_and_check_into_other_cells(
    qtbot: QtBot, view: CareTeamView, profile: ProfileSession, team: Team
) -> None:
    view.show_case(_case(profile, team))
    view.resize(COMPACT_WIDTH + 200, 700)
    qtbot.waitUntil(lambda: not view.model.compact)
    assert not view.table.isColumnHidden(COLUMN_PROVIDER)
    view.resize(700, 700)
    qtbot.waitUntil(lambda: view.model.compact)
    assert view.table.isColumnHidden(COLUMN_PROVIDER)
    assert _cell(view, CareRole.SURGEON, COLUMN_ROLE) == "Surgeon\nDr. Samuel Okafor"


def test_every_control_has_a_name(
    qtbot: QtBot, view: CareTeamView, profile: ProfileSession, team: Team
) -> None:
    case_id = _case(profile, team)
    view.show_case(case_id)
    assert unnamed_controls(view) == []
    named: list[list[QWidget]] = []

    def check(dialog: QDialog) -> None:
        named.append(unnamed_controls(dialog))
        dialog.reject()

    when_dialog_opens(qtbot, check)
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    assert named == [[]]


def test_summary_without_a_plan_says_no_check_counts(
    view: CareTeamView, profile: ProfileSession, team: Team, today: dt.date
) -> None:
    case_id = profile.cases.add(CaseData(SURGERY, facility_id=team.facility))
    view.show_case(case_id)
    assert view.plan_note.isVisible() and "no insurance plan" in view.plan_note.text()
    checklist = profile.network.checklist(case_id)
    assert summary_text(checklist, today) == (
        "0 of 8 roles verified in network · check them before the procedure"
    )
    done = replace(checklist, scheduled_date=today - dt.timedelta(days=3))
    assert summary_text(done, today).endswith("check them before you pay their bills")
    soon = replace(checklist, scheduled_date=today + dt.timedelta(days=1))
    assert summary_text(soon, today).endswith(
        "check them as soon as you can (the procedure is on 28 Nov)"
    )


# In the case view -----------------------------------------------------------------------------


def test_the_case_view_shows_the_care_team_tab_after_the_checklist(
    qtbot: QtBot,
    profile: ProfileSession,
    team: Team,
    messages: RecordingMessages,
    today: dt.date,
) -> None:
    case_id = _case(profile, team)
    holder = QWidget()
    qtbot.addWidget(holder)
    jobs = JobRunner(holder, lambda error: None, lambda error: None)
    statuses: list[str] = []
    case_view = CaseView(profile, messages, statuses.append, jobs, holder)
    holder.resize(1100, 800)
    case_view.resize(1100, 800)
    holder.show()
    case_view.show_case(case_id)
    assert TAB_CARE_TEAM == TAB_CHECKLIST + 1
    assert case_view.tabs.tabText(TAB_CARE_TEAM) == TAB_TITLES[TAB_CARE_TEAM] == "Care Tea&m"
    case_view.tabs.setCurrentIndex(TAB_CARE_TEAM)
    care_team = case_view.tab_widget(TAB_CARE_TEAM)
    assert isinstance(care_team, CareTeamView)
    qtbot.waitUntil(care_team.isVisible)  # a widget added to a shown layout shows on the next pass
    assert care_team.case_id == case_id
    assert care_team.model.rowCount() == len(DEFAULT_ROLES[SURGERY])

    # A role removed on the tab is what Edit → Undo puts back while the tab is shown.
    care_team.table.setCurrentIndex(care_team.model.index(0, 0))
    care_team.remove_selected()
    assert case_view.undo_description() == "the role “Surgeon” (Dr. Samuel Okafor)"
    case_view.undo()
    assert care_team.model.rowCount() == len(DEFAULT_ROLES[SURGERY])
    assert case_view.undo_description() is None

    _check(profile, team, team.surgeon, NetworkStatus.IN_NETWORK, today)
    assert care_team.summary.text().startswith("1 of 8 roles verified in network")
    case_view.detach()
    jobs.wait_for_all()
