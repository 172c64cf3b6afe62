"""The Log page's record tabs and a plan's visit limits: lists, deletes that can be undone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from backlog_app.domain.log_records import (
    CheckInData,
    DoseTaken,
    MedicationData,
    MedicationOutcome,
    OdiScoreData,
    Side,
    TherapyCourseData,
    TreatmentData,
    TreatmentKind,
    VisitLimitData,
)
from backlog_app.domain.records import PlanData, PlanType, ProviderData, ProviderRole, Stored
from backlog_app.services.context import ProfileSession
from backlog_app.ui.editors.visit_limits_dialog import VisitLimitDialog, VisitLimitsDialog
from backlog_app.ui.pages.log_tabs import CoursesPanel, MedicationsPanel, OdiPanel, TreatmentsPanel
from tests.ui.conftest import RecordingMessages, when_dialog_opens

TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def provider_id(profile: ProfileSession) -> int:
    return profile.providers.add(ProviderData("Dr. Lee", ProviderRole.PHYSICAL_THERAPY))


# --- Visit limits ------------------------------------------------------------------------------------


def test_visit_limits_are_edited_per_plan_and_one_per_kind(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    plan_id = profile.plans.add(PlanData("Acme Health", PlanType.EMPLOYER_PPO))
    dialog = VisitLimitsDialog(profile, messages, plan_id, "Acme Health")
    qtbot.addWidget(dialog)

    def add(kind: TreatmentKind, visits: int) -> Callable[[QDialog], None]:
        def fill(editor: QDialog) -> None:
            assert isinstance(editor, VisitLimitDialog)
            try:
                editor.kind.set_value(kind)
                editor.visits.setValue(visits)
                qtbot.keyClick(editor, Qt.Key.Key_Return)
                seen.append(editor.problems.text() if editor.isVisible() else "")
            finally:
                if editor.isVisible():
                    editor.done(QDialog.DialogCode.Rejected)

        return fill

    seen: list[str] = []
    when_dialog_opens(qtbot, add(TreatmentKind.CHIROPRACTIC, 20))
    dialog.add_limit()
    when_dialog_opens(qtbot, add(TreatmentKind.CHIROPRACTIC, 12))
    dialog.add_limit()
    assert seen[0] == ""
    assert "already has a limit for chiropractic visits" in seen[1]
    limits = [s.data for s in profile.log.visit_limits.list()]
    assert limits == [VisitLimitData(plan_id, TreatmentKind.CHIROPRACTIC, 20)]
    assert dialog.model.rowCount() == 1


def test_the_profile_page_opens_the_selected_plans_visit_limits(
    qtbot: QtBot, window: QWidget, demo_profile: ProfileSession
) -> None:
    page = window.profile_page  # type: ignore[attr-defined]
    assert not page.visit_limits_button.isEnabled()
    plan = demo_profile.plans.list()[0]
    page.plans.select_id(plan.id)
    assert page.visit_limits_button.isEnabled()
    titles: list[str] = []

    def look(dialog: QDialog) -> None:
        titles.append(dialog.windowTitle())
        dialog.reject()

    when_dialog_opens(qtbot, look)
    qtbot.mouseClick(page.visit_limits_button, Qt.MouseButton.LeftButton)
    assert titles == [f"Visit limits — {plan.data.display_name}"]


# --- The Log page's tabs ---------------------------------------------------------------------------


def test_medications_panel_lists_trials_and_deletes_with_undo(
    qtbot: QtBot,
    profile: ProfileSession,
    messages: RecordingMessages,
    qtmodeltester: ModelTester,
) -> None:
    meds = profile.log.medications
    kept = meds.add(
        MedicationData("Naproxen", dt.date(2026, 9, 30), "500 mg", frequency="twice a day")
    )
    gone = meds.add(
        MedicationData(
            "Cyclobenzaprine",
            dt.date(2026, 9, 30),
            "10 mg",
            stop_date=dt.date(2026, 10, 17),
            outcome=MedicationOutcome.SIDE_EFFECTS,
        )
    )
    profile.log.check_ins.save(CheckInData(TODAY, doses=(DoseTaken(kept, 1),)))
    status: list[str] = []
    panel = MedicationsPanel(profile, messages, status.append)
    qtbot.addWidget(panel)
    qtmodeltester.check(panel.model)
    rows = [
        [panel.model.index(r, c).data() for c in range(panel.model.columnCount())]
        for r in range(panel.model.rowCount())
    ]
    assert rows == [  # the service's order: start date, then name
        [
            "Cyclobenzaprine 10 mg",
            "",
            "30 Sep 2026",
            "17 Oct 2026",
            "2 weeks",
            "Stopped for side effects",
        ],
        ["Naproxen 500 mg", "twice a day", "30 Sep 2026", "still taking", "8 weeks", ""],
    ]

    deleted: list[tuple[str, Stored[MedicationData]]] = []
    panel.deleted.connect(lambda kind, stored: deleted.append((kind, stored)))
    panel.delete_record(gone)
    assert messages.shown[-1][:2] == ("confirm", "Delete medication")
    assert [kind for kind, _ in deleted] == ["medication"]
    assert panel.model.rowCount() == 1
    meds.restore(deleted[0][1])  # what the Log page's Undo does
    panel.reload()
    assert panel.model.rowCount() == 2

    panel.delete_record(kept)  # on a check-in: the service refuses
    assert messages.shown[-1][0] == "problem"
    assert "recorded on 1 check-in day" in messages.shown[-1][2]
    assert meds.count() == 2


def test_delete_asks_first_and_a_no_keeps_the_record(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    odi_id = profile.log.odi_scores.add(OdiScoreData(TODAY, 30.0))
    panel = OdiPanel(profile, messages, lambda _: None)
    qtbot.addWidget(panel)
    messages.confirm_answer = False
    panel.delete_record(odi_id)
    assert profile.log.odi_scores.count() == 1
    assert [panel.model.index(0, c).data() for c in range(3)] == [
        "27 Nov 2026",
        "30 %",
        "Moderate disability",
    ]


def test_treatment_and_course_panels_show_providers_relief_and_sessions(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages, provider_id: int
) -> None:
    course_id = profile.log.courses.add(
        TherapyCourseData(
            TreatmentKind.PHYSICAL_THERAPY,
            dt.date(2026, 2, 2),
            provider_id=provider_id,
            planned_visits=16,
        )
    )
    profile.log.treatments.add(
        TreatmentData(TreatmentKind.PHYSICAL_THERAPY, dt.date(2026, 2, 3), course_id=course_id)
    )
    profile.log.treatments.add(
        TreatmentData(
            TreatmentKind.EPIDURAL_STEROID_INJECTION,
            dt.date(2026, 6, 10),
            provider_id=provider_id,
            level="L4-L5",
            side=Side.LEFT,
            relief_percent=40,
            relief_days=21,
        )
    )
    treatments = TreatmentsPanel(profile, messages, lambda _: None)
    courses = CoursesPanel(profile, messages, lambda _: None)
    qtbot.addWidget(treatments)
    qtbot.addWidget(courses)
    injection = [treatments.model.index(1, c).data() for c in range(5)]
    assert injection == [
        "10 Jun 2026",
        "Epidural steroid injection",
        "Dr. Lee",
        "L4-L5, Left",
        "40 % for 21 days",
    ]
    course = [courses.model.index(0, c).data() for c in range(5)]
    assert course == ["Physical therapy", "Dr. Lee", "2 Feb 2026", "ongoing", "1 of 16"]
