"""The case's Checklist tab: met and not-met rows, evidence links, editing the criteria."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMenu, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from backlog_app.domain.cases import CaseData, Procedure
from backlog_app.domain.log_records import (
    MedicationData,
    OdiScoreData,
    TherapyCourseData,
    TreatmentData,
    TreatmentKind,
)
from backlog_app.domain.readiness import CheckStatus, Evidence, EvidenceKind
from backlog_app.domain.records import ProviderData, ProviderRole
from backlog_app.services.context import ProfileSession
from backlog_app.services.readiness import USER_FILE_NAME
from backlog_app.ui.cases.checklist_view import RESULT_ROLE, ChecklistView, result_text
from backlog_app.ui.cases.criteria_dialog import CriteriaDialog, CriterionEditor
from backlog_app.ui.jobs import JobRunner
from tests.ui.accessibility import unnamed_controls
from tests.ui.conftest import RecordingMessages, when_dialog_opens

D = dt.date


@pytest.fixture
def stimulator_case(profile: ProfileSession) -> int:
    """A spinal cord stimulator case: 7 months of PT, a medication trial, an MRI, one ODI."""
    log = profile.log
    course = log.courses.add(
        TherapyCourseData(TreatmentKind.PHYSICAL_THERAPY, D(2026, 3, 2), D(2026, 10, 12))
    )
    day = D(2026, 3, 2)
    while day <= D(2026, 10, 12):
        log.treatments.add(TreatmentData(TreatmentKind.PHYSICAL_THERAPY, day, course_id=course))
        day += dt.timedelta(days=14)
    log.treatments.add(TreatmentData(TreatmentKind.MRI, D(2026, 9, 1), facility="Open MRI"))
    log.odi_scores.add(OdiScoreData(D(2026, 10, 23), 38.0))
    log.medications.add(MedicationData("Naproxen", D(2026, 3, 1), stop_date=D(2026, 4, 12)))
    return profile.cases.add(CaseData(procedure=Procedure.SPINAL_CORD_STIMULATOR))


@pytest.fixture
def view(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> Iterator[ChecklistView]:
    widget = ChecklistView(profile, messages)  # no job runner: the checks run on this thread
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.detach()


def statuses(view: ChecklistView) -> dict[str, CheckStatus]:
    model = view.model
    return {model.result(row).key: model.result(row).status for row in range(model.rowCount())}


def row_of(view: ChecklistView, key: str) -> int:
    return next(row for row in range(view.model.rowCount()) if view.model.result(row).key == key)


def test_the_checklist_shows_met_unknown_and_its_caveat(
    qtbot: QtBot, view: ChecklistView, stimulator_case: int, qtmodeltester: ModelTester
) -> None:
    view.show_case(stimulator_case)
    assert view.headline.text() == "Ready to submit? 2 of 4 criteria met"
    assert "Criteria vary by insurer" in view.caveat.text()
    assert "Aetna CPB 0194" in view.source.text()
    assert statuses(view) == {
        "conservative_care": CheckStatus.MET,
        "psych_clearance": CheckStatus.UNKNOWN,
        "odi": CheckStatus.MET,
        "trial": CheckStatus.UNKNOWN,
    }
    qtmodeltester.check(view.model)
    # The status is words and a mark, not colour alone; screen readers get the whole row.
    index = view.model.index(row_of(view, "psych_clearance"))
    assert index.data().startswith("? Unknown: A psychological evaluation")
    spoken = index.data(Qt.ItemDataRole.AccessibleTextRole)
    assert "To do: Ask your doctor's office" in spoken
    assert spoken == result_text(index.data(RESULT_ROLE))
    assert view.list.visualRect(index).height() > view.fontMetrics().height() * 3


def test_a_not_met_row_says_what_to_do(view: ChecklistView, profile: ProfileSession) -> None:
    case_id = profile.cases.add(CaseData(procedure=Procedure.LUMBAR_FUSION))
    profile.log.treatments.add(TreatmentData(TreatmentKind.MRI, D(2025, 12, 1)))
    view.show_case(case_id)
    result = view.model.result(row_of(view, "imaging"))
    assert result.status is CheckStatus.NOT_MET
    assert result.todo is not None and "new imaging" in result.todo
    assert view.model.index(row_of(view, "imaging")).data().startswith("✗ Not met")


def evidence_point(view: ChecklistView, row: int) -> QPoint:
    """A point on the first evidence link of ``row`` (found by asking the delegate)."""
    index = view.model.index(row)
    rect = view.list.visualRect(index)
    delegate = view.list.checklist_delegate
    for y in range(rect.top(), rect.bottom(), 3):
        for x in range(rect.left(), rect.right(), 6):
            if delegate.anchor_at(index, QPoint(x, y)) == "evidence:0":
                return QPoint(x, y)
    raise AssertionError("no evidence link drawn")


def test_clicking_an_evidence_link_opens_that_record(
    qtbot: QtBot, view: ChecklistView, stimulator_case: int
) -> None:
    view.show_case(stimulator_case)
    row = row_of(view, "odi")
    point = evidence_point(view, row)
    with qtbot.waitSignal(view.open_evidence) as opened:
        qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=point)
    evidence = opened.args[0]
    assert isinstance(evidence, Evidence)
    assert evidence.kind is EvidenceKind.ODI
    assert evidence.label == "ODI 38% on 23 Oct 2026"


# The offscreen platform cannot raise a popup menu nor give it the keyboard; not our warning.
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_enter_opens_the_evidence_and_offers_a_choice_when_there_are_several(
    qtbot: QtBot, view: ChecklistView, stimulator_case: int
) -> None:
    view.show_case(stimulator_case)
    view.list.setFocus()
    view.list.setCurrentIndex(view.model.index(row_of(view, "odi")))
    with qtbot.waitSignal(view.open_evidence) as opened:
        qtbot.keyClick(view.list, Qt.Key.Key_Return)
    assert opened.args[0].kind is EvidenceKind.ODI
    # Conservative care has the course and more: a menu lists them.
    care_row = row_of(view, "conservative_care")
    result = view.model.result(care_row)
    view.list.setCurrentIndex(view.model.index(care_row))
    assert [e.kind for e in result.evidence] == [EvidenceKind.MEDICATION, EvidenceKind.COURSE]
    qtbot.keyClick(view.list, Qt.Key.Key_Return)
    menu = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible())
    with qtbot.waitSignal(view.open_evidence) as opened:
        menu.actions()[0].trigger()
    assert opened.args[0] == result.evidence[0]
    menu.close()


def set_number(dialog: QDialog, criterion_text: str, name: str, value: int) -> None:
    editor = next(
        e for e in dialog.findChildren(CriterionEditor) if criterion_text in e.check.text()
    )
    editor.spins[name].setValue(value)


def press(dialog: QDialog, role: QDialogButtonBox.StandardButton) -> None:
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    button = buttons.button(role)
    assert button is not None
    button.click()


def test_changing_a_threshold_in_the_dialog_changes_the_result(
    qtbot: QtBot, view: ChecklistView, stimulator_case: int, profile: ProfileSession
) -> None:
    view.show_case(stimulator_case)
    assert statuses(view)["odi"] is CheckStatus.MET  # 38% against 21%

    def raise_the_bar(dialog: QDialog) -> None:
        assert isinstance(dialog, CriteriaDialog)
        set_number(dialog, "Oswestry", "score", 40)
        editor = next(e for e in dialog.editors if "Oswestry" in e.check.text())
        assert editor.check.text() == "Oswestry Disability Index (ODI) of 40% or more"
        press(dialog, QDialogButtonBox.StandardButton.Save)

    when_dialog_opens(qtbot, raise_the_bar)
    view.edit_button.click()
    qtbot.waitUntil(lambda: statuses(view).get("odi") is CheckStatus.NOT_MET)
    assert view.headline.text() == "Ready to submit? 1 of 4 criteria met"
    assert "Your own criteria" in view.source.text()
    assert (profile.paths.root / USER_FILE_NAME).is_file()

    def reset(dialog: QDialog) -> None:
        assert isinstance(dialog, CriteriaDialog)
        dialog.reset_button.click()
        press(dialog, QDialogButtonBox.StandardButton.Save)

    when_dialog_opens(qtbot, reset)
    view.edit_button.click()
    qtbot.waitUntil(lambda: statuses(view).get("odi") is CheckStatus.MET)
    assert not (profile.paths.root / USER_FILE_NAME).exists()  # back to the defaults


def test_switching_a_criterion_off_and_a_bad_number_in_the_dialog(
    qtbot: QtBot, view: ChecklistView, stimulator_case: int, profile: ProfileSession
) -> None:
    view.show_case(stimulator_case)
    loaded = view._loaded
    assert loaded is not None
    dialog = CriteriaDialog(Procedure.SPINAL_CORD_STIMULATOR, loaded.current, loaded.defaults, view)
    qtbot.addWidget(dialog)
    assert unnamed_controls(dialog) == []
    trial = next(e for e in dialog.editors if "stimulator trial" in e.check.text())
    trial.check.setChecked(False)
    care = next(e for e in dialog.editors if "conservative care" in e.check.text())
    care.spins["months"].setValue(9)
    assert care.check.text() == "At least 9 months of conservative care"
    care.spins["count"].setValue(care.spins["count"].minimum())  # "any" kinds of care
    dialog._save()
    chosen = dialog.chosen()
    assert chosen is not None
    assert [c.enabled for c in chosen] == [True, True, True, False]
    assert (chosen[0].months, chosen[0].count) == (9, None)
    view.save_criteria(Procedure.SPINAL_CORD_STIMULATOR, chosen)
    assert "trial" not in statuses(view)
    assert statuses(view)["conservative_care"] is CheckStatus.NOT_MET  # 7 months of PT


def test_the_checklist_checks_again_when_the_record_changes(
    qtbot: QtBot, view: ChecklistView, stimulator_case: int, profile: ProfileSession
) -> None:
    view.show_case(stimulator_case)
    assert statuses(view)["psych_clearance"] is CheckStatus.UNKNOWN
    psychologist = profile.providers.add(ProviderData("Dr. Ada Lee", ProviderRole.PSYCHOLOGIST))
    profile.log.treatments.add(
        TreatmentData(TreatmentKind.OTHER, D(2026, 11, 2), provider_id=psychologist)
    )
    qtbot.waitUntil(lambda: statuses(view)["psych_clearance"] is CheckStatus.MET)
    assert view.headline.text() == "Ready to submit? 3 of 4 criteria met"


def test_a_broken_criteria_file_is_explained_in_the_view(
    view: ChecklistView, stimulator_case: int, profile: ProfileSession
) -> None:
    (profile.paths.root / USER_FILE_NAME).write_text("{oops", encoding="utf-8")
    view.show_case(stimulator_case)
    assert view.headline.text() == "The checklist cannot be shown"
    assert USER_FILE_NAME in view.caveat.text()
    assert "not valid JSON" in view.caveat.text()
    assert not view.edit_button.isEnabled()


def test_the_checklist_runs_on_the_job_runner(
    qtbot: QtBot,
    profile: ProfileSession,
    messages: RecordingMessages,
    stimulator_case: int,
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    bugs: list[BaseException] = []
    jobs = JobRunner(parent, lambda exc: messages.problem("BackLog", exc.message), bugs.append)
    view = ChecklistView(profile, messages, jobs, parent)
    view.show_case(stimulator_case)
    assert view.state.text() == "Checking the record…"
    qtbot.waitUntil(lambda: view.model.rowCount() == 4)
    assert view.state.text() == ""
    # Another case asked for while the first is checked: only the last one is shown.
    other = profile.cases.add(CaseData(procedure=Procedure.CHIROPRACTIC))
    view.show_case(stimulator_case)
    view.show_case(other)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    jobs.wait_for_all()
    qtbot.wait(20)
    assert view.model.rowCount() == 1
    view.detach()
    assert bugs == [] and messages.shown == []


def test_no_case_no_rows_and_every_control_is_named(
    view: ChecklistView, stimulator_case: int
) -> None:
    view.show_case(None)
    assert view.empty.isVisible() and not view.list.isVisible()
    assert not view.edit_button.isEnabled()
    view.show_case(stimulator_case)
    assert unnamed_controls(view) == []


def test_copy_to_do_list(view: ChecklistView, stimulator_case: int) -> None:
    view.show_case(stimulator_case)
    view.copy_button.click()
    text = QGuiApplication.clipboard().text()
    assert text.startswith("Spinal cord stimulator: Ready to submit? 2 of 4 criteria met")
    assert "• Ask your doctor's office whether the psychological evaluation was done" in text
    assert text.endswith("(the denial letter names it).")
