"""The treatment-log editors: each saves what was entered and refuses bad input, writing nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from backlog_app.domain.log_records import (
    MedicationData,
    MedicationOutcome,
    OdiScoreData,
    Side,
    TherapyCourseData,
    TreatmentData,
    TreatmentKind,
    VisitLimitData,
)
from backlog_app.domain.records import PlanData, PlanType, ProviderData, ProviderRole
from backlog_app.services.context import ProfileSession
from backlog_app.ui.editors.log_editors import open_log_editor
from backlog_app.ui.editors.medication_dialog import MedicationDialog
from backlog_app.ui.editors.odi_dialog import OdiDialog
from backlog_app.ui.editors.treatment_dialog import CourseDialog, TreatmentDialog
from tests.ui.accessibility import unnamed_controls
from tests.ui.conftest import RecordingMessages, when_dialog_opens

TODAY = dt.date(2026, 11, 27)
FAR_FUTURE = dt.date(2099, 1, 1)


def edit_in_dialog(
    qtbot: QtBot,
    profile: ProfileSession,
    messages: RecordingMessages,
    kind: str,
    record_id: int | None,
    act: Callable[[QDialog], None],
) -> bool:
    """Open the editor for ``kind`` modally and run ``act`` on it; closes it if ``act`` fails."""
    parent = QWidget()
    qtbot.addWidget(parent)

    def guarded(dialog: QDialog) -> None:
        try:
            act(dialog)
        finally:
            if dialog.isVisible():
                dialog.done(QDialog.DialogCode.Rejected)  # never leave a test stuck in exec()

    when_dialog_opens(qtbot, guarded)
    return open_log_editor(kind, record_id, profile, messages, parent)


def save(qtbot: QtBot, dialog: QDialog) -> None:
    qtbot.keyClick(dialog, Qt.Key.Key_Return)


@pytest.fixture
def provider_id(profile: ProfileSession) -> int:
    return profile.providers.add(ProviderData("Dr. Lee", ProviderRole.PHYSICAL_THERAPY))


# --- Medications -----------------------------------------------------------------------------------


def test_medication_dialog_saves_a_trial(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages, provider_id: int
) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, MedicationDialog)
        qtbot.keyClicks(dialog.name, "Gabapentin")
        qtbot.keyClicks(dialog.strength, "300 mg")
        qtbot.keyClicks(dialog.frequency, "three times a day")
        dialog.prescriber.set_value(provider_id)
        dialog.start_date.set_date(dt.date(2026, 9, 1))
        dialog.stop_date.set_date(dt.date(2026, 10, 15))
        dialog.outcome.set_value(MedicationOutcome.SIDE_EFFECTS)
        dialog.side_effects.setPlainText("Dizzy")
        save(qtbot, dialog)

    assert edit_in_dialog(qtbot, profile, messages, "medication", None, fill)
    (stored,) = profile.log.medications.list()
    assert stored.data == MedicationData(
        name="Gabapentin",
        start_date=dt.date(2026, 9, 1),
        strength="300 mg",
        frequency="three times a day",
        prescriber_id=provider_id,
        stop_date=dt.date(2026, 10, 15),
        outcome=MedicationOutcome.SIDE_EFFECTS,
        side_effects="Dizzy",
    )


@pytest.mark.parametrize(
    ("start", "stop", "problem"),
    [
        (dt.date(2026, 10, 1), dt.date(2026, 9, 1), "The stop date is before the start date"),
        (FAR_FUTURE, None, "is in the future"),
        (None, None, "Please enter when you started taking it"),
    ],
)
def test_medication_dialog_refuses_bad_dates_and_writes_nothing(
    qtbot: QtBot,
    profile: ProfileSession,
    messages: RecordingMessages,
    start: dt.date | None,
    stop: dt.date | None,
    problem: str,
) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, MedicationDialog)
        qtbot.keyClicks(dialog.name, "Naproxen")
        dialog.start_date.set_date(start)
        dialog.stop_date.set_date(stop)
        save(qtbot, dialog)
        assert dialog.isVisible()
        assert problem in dialog.problems.text()

    assert not edit_in_dialog(qtbot, profile, messages, "medication", None, fill)
    assert profile.log.medications.count() == 0


def test_medication_dialog_edits_an_existing_trial(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    medication_id = profile.log.medications.add(MedicationData("Naproxen", dt.date(2026, 9, 1)))

    def stop_it(dialog: QDialog) -> None:
        assert isinstance(dialog, MedicationDialog)
        assert dialog.windowTitle() == "Edit medication"
        assert dialog.name.text() == "Naproxen"
        dialog.stop_date.set_date(dt.date(2026, 11, 1))
        dialog.outcome.set_value(MedicationOutcome.NO_EFFECT)
        save(qtbot, dialog)

    assert edit_in_dialog(qtbot, profile, messages, "medication", medication_id, stop_it)
    saved = profile.log.medications.get(medication_id).data
    assert (saved.stop_date, saved.outcome) == (dt.date(2026, 11, 1), MedicationOutcome.NO_EFFECT)


# --- Treatments ----------------------------------------------------------------------------------


def shown_fields(dialog: TreatmentDialog) -> set[str]:
    fields = {
        "course": dialog.course,
        "level": dialog.level,
        "side": dialog.side,
        "relief": dialog.relief_percent,
        "relief_days": dialog.relief_days,
        "facility": dialog.facility,
    }
    return {name for name, widget in fields.items() if dialog.field_visible(widget)}


@pytest.mark.parametrize(
    ("kind", "fields", "result_label"),
    [
        (
            TreatmentKind.EPIDURAL_STEROID_INJECTION,
            {"level", "side", "relief", "relief_days"},
            "Res&ult",
        ),
        (TreatmentKind.MRI, {"facility"}, "Fi&ndings"),
        (TreatmentKind.CHIROPRACTIC, {"course"}, "O&utcome"),
        (TreatmentKind.SPINE_SPECIALIST_VISIT, set(), "&What was decided"),
        (TreatmentKind.SURGERY, set(), "O&utcome"),
    ],
)
def test_treatment_fields_follow_the_kind(
    qtbot: QtBot,
    profile: ProfileSession,
    messages: RecordingMessages,
    kind: TreatmentKind,
    fields: set[str],
    result_label: str,
) -> None:
    seen: dict[str, object] = {}

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, TreatmentDialog)
        dialog.kind.set_kind(kind)
        seen["fields"] = shown_fields(dialog)
        seen["label"] = dialog.result_label.text()

    edit_in_dialog(qtbot, profile, messages, "treatment", None, look)
    assert seen == {"fields": fields, "label": result_label}


def test_an_injection_is_saved_with_its_relief(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages, provider_id: int
) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, TreatmentDialog)
        dialog.kind.set_kind(TreatmentKind.EPIDURAL_STEROID_INJECTION)
        dialog.day.set_date(dt.date(2026, 6, 10))
        dialog.provider.set_value(provider_id)
        qtbot.keyClicks(dialog.level, "L4-L5")
        dialog.side.set_value(Side.LEFT)
        qtbot.keyClicks(dialog.relief_percent, "40")
        qtbot.keyClicks(dialog.relief_days, "21")
        save(qtbot, dialog)

    assert edit_in_dialog(qtbot, profile, messages, "treatment", None, fill)
    (stored,) = profile.log.treatments.list()
    assert stored.data == TreatmentData(
        TreatmentKind.EPIDURAL_STEROID_INJECTION,
        dt.date(2026, 6, 10),
        provider_id=provider_id,
        level="L4-L5",
        side=Side.LEFT,
        relief_percent=40,
        relief_days=21,
    )


def test_fields_hidden_by_a_changed_kind_are_not_saved(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, TreatmentDialog)
        dialog.kind.set_kind(TreatmentKind.EPIDURAL_STEROID_INJECTION)
        qtbot.keyClicks(dialog.level, "L5-S1")
        dialog.kind.set_kind(TreatmentKind.MRI)
        qtbot.keyClicks(dialog.facility, "Riverside Imaging")
        dialog.result_text.setPlainText("Disc bulge at L5-S1")
        save(qtbot, dialog)

    assert edit_in_dialog(qtbot, profile, messages, "treatment", None, fill)
    (stored,) = profile.log.treatments.list()
    assert (stored.data.level, stored.data.facility, stored.data.result) == (
        None,
        "Riverside Imaging",
        "Disc bulge at L5-S1",
    )


@pytest.mark.parametrize(
    ("relief", "day", "problem"),
    [
        ("150", TODAY, "Relief (%) must be between 0 and 100"),
        ("40", FAR_FUTURE, "is in the future"),
    ],
)
def test_treatment_dialog_refuses_bad_input(
    qtbot: QtBot,
    profile: ProfileSession,
    messages: RecordingMessages,
    relief: str,
    day: dt.date,
    problem: str,
) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, TreatmentDialog)
        dialog.kind.set_kind(TreatmentKind.SI_JOINT_INJECTION)
        dialog.day.set_date(day)
        qtbot.keyClicks(dialog.relief_percent, relief)
        save(qtbot, dialog)
        assert problem in dialog.problems.text()

    assert not edit_in_dialog(qtbot, profile, messages, "treatment", None, fill)
    assert profile.log.treatments.count() == 0


def test_therapy_sessions_pick_a_course_of_their_kind_and_show_visits_left(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages, provider_id: int
) -> None:
    plan_id = profile.plans.add(PlanData("Acme Health", PlanType.EMPLOYER_PPO))
    profile.log.visit_limits.add(VisitLimitData(plan_id, TreatmentKind.CHIROPRACTIC, 12))
    chiro = profile.log.courses.add(
        TherapyCourseData(TreatmentKind.CHIROPRACTIC, dt.date(2026, 10, 1), provider_id=provider_id)
    )
    profile.log.courses.add(TherapyCourseData(TreatmentKind.PHYSICAL_THERAPY, dt.date(2026, 3, 1)))
    for day in (dt.date(2026, 10, 2), dt.date(2026, 10, 9)):
        profile.log.treatments.add(TreatmentData(TreatmentKind.CHIROPRACTIC, day, course_id=chiro))

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, TreatmentDialog)
        dialog.kind.set_kind(TreatmentKind.CHIROPRACTIC)
        labels = [dialog.course.itemText(i) for i in range(dialog.course.count())]
        assert labels == ["— not part of a course —", "Chiropractic from 1 Oct 2026 (Dr. Lee)"]
        assert dialog.visit_usage.isVisible()
        assert dialog.visit_usage.text().startswith("Chiropractic: 2 of 12 visits used")
        assert dialog.visit_usage.text().endswith("10 left (Acme Health)")
        dialog.course.set_value(chiro)
        save(qtbot, dialog)

    assert edit_in_dialog(qtbot, profile, messages, "treatment", None, fill)
    latest = profile.log.treatments.list()[-1].data
    assert (latest.day, latest.course_id) == (TODAY, chiro)


def test_no_visit_usage_without_a_limit(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, TreatmentDialog)
        dialog.kind.set_kind(TreatmentKind.ACUPUNCTURE)
        assert not dialog.visit_usage.isVisible()

    edit_in_dialog(qtbot, profile, messages, "treatment", None, look)


# --- Courses ----------------------------------------------------------------------------------------


def test_course_dialog_saves_and_counts_its_sessions(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    course_id = profile.log.courses.add(
        TherapyCourseData(TreatmentKind.PHYSICAL_THERAPY, dt.date(2026, 2, 2))
    )
    for day in (dt.date(2026, 2, 3), dt.date(2026, 2, 10), dt.date(2026, 3, 24)):
        profile.log.treatments.add(
            TreatmentData(TreatmentKind.PHYSICAL_THERAPY, day, course_id=course_id)
        )

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, CourseDialog)
        assert dialog.sessions.text() == "3 sessions, 3 Feb – 24 Mar 2026"
        dialog.end_date.set_date(dt.date(2026, 3, 27))
        qtbot.keyClicks(dialog.planned_visits, "16")
        dialog.discharge_outcome.setPlainText("Discharged: plateaued, pain unchanged")
        save(qtbot, dialog)

    assert edit_in_dialog(qtbot, profile, messages, "course", course_id, fill)
    saved = profile.log.courses.get(course_id).data
    assert (saved.end_date, saved.planned_visits) == (dt.date(2026, 3, 27), 16)
    assert saved.discharge_outcome == "Discharged: plateaued, pain unchanged"


@pytest.mark.parametrize(
    ("start", "end", "problem"),
    [
        (dt.date(2026, 3, 1), dt.date(2026, 2, 1), "The course ends before it starts"),
        (FAR_FUTURE, None, "is in the future"),
    ],
)
def test_course_dialog_refuses_bad_dates(
    qtbot: QtBot,
    profile: ProfileSession,
    messages: RecordingMessages,
    start: dt.date,
    end: dt.date | None,
    problem: str,
) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, CourseDialog)
        assert dialog.sessions.text().startswith("None yet")
        dialog.start_date.set_date(start)
        dialog.end_date.set_date(end)
        save(qtbot, dialog)
        assert problem in dialog.problems.text()

    assert not edit_in_dialog(qtbot, profile, messages, "course", None, fill)
    assert profile.log.courses.count() == 0


# --- ODI ----------------------------------------------------------------------------------------------


def test_odi_from_section_scores(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    scores = (2, 3, 1, 2, 4, 2, None, 3, 2, 1)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, OdiDialog)
        dialog.use_sections.setChecked(True)
        for picker, score in zip(dialog.sections, scores, strict=True):
            picker.setFocus()
            qtbot.keyClick(picker, str(score) if score is not None else Qt.Key.Key_Delete)
        assert "44.4 %" in dialog.score.text()
        assert "Severe disability" in dialog.score.text()
        assert "9 of 10 sections answered" in dialog.score.text()
        save(qtbot, dialog)

    assert edit_in_dialog(qtbot, profile, messages, "odi", None, fill)
    (stored,) = profile.log.odi_scores.list()
    assert stored.data == OdiScoreData(TODAY, 44.4, scores)


def test_odi_from_the_clinics_total(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, OdiDialog)
        assert dialog.use_total.isChecked()
        assert not dialog.sections_box.isEnabled()
        qtbot.keyClicks(dialog.total, "36")
        assert "Moderate disability" in dialog.score.text()
        save(qtbot, dialog)

    assert edit_in_dialog(qtbot, profile, messages, "odi", None, fill)
    (stored,) = profile.log.odi_scores.list()
    assert (stored.data.total_percent, stored.data.sections) == (36.0, (None,) * 10)


def test_odi_labels_sections_only_by_number(
    qtbot: QtBot, profile: ProfileSession, messages: RecordingMessages
) -> None:
    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, OdiDialog)
        names = [picker.accessibleName() for picker in dialog.sections]
        assert names == [f"Section {n}" for n in range(1, 11)]

    edit_in_dialog(qtbot, profile, messages, "odi", None, look)


@pytest.mark.parametrize(
    ("total", "day", "problem"),
    [
        ("", TODAY, "Enter the ODI total your clinic measured"),
        ("120", TODAY, "ODI total (%) must be between 0 and 100"),
        ("30", FAR_FUTURE, "is in the future"),
    ],
)
def test_odi_dialog_refuses_bad_input(
    qtbot: QtBot,
    profile: ProfileSession,
    messages: RecordingMessages,
    total: str,
    day: dt.date,
    problem: str,
) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, OdiDialog)
        dialog.day.set_date(day)
        qtbot.keyClicks(dialog.total, total)
        save(qtbot, dialog)
        assert problem in dialog.problems.text()

    assert not edit_in_dialog(qtbot, profile, messages, "odi", None, fill)
    assert profile.log.odi_scores.count() == 0


@pytest.mark.parametrize(
    ("kind", "category_kinds"),
    [
        ("medication", [None]),
        ("course", [None]),
        ("odi", [None]),
        ("treatment", [TreatmentKind.EPIDURAL_STEROID_INJECTION, TreatmentKind.MRI]),
        ("treatment", [TreatmentKind.CHIROPRACTIC]),
    ],
)
def test_every_control_has_an_accessible_name(
    qtbot: QtBot,
    profile: ProfileSession,
    messages: RecordingMessages,
    kind: str,
    category_kinds: list[TreatmentKind | None],
) -> None:
    unnamed: list[list[str]] = []

    def look(dialog: QDialog) -> None:
        for treatment_kind in category_kinds:
            if treatment_kind is not None:
                assert isinstance(dialog, TreatmentDialog)
                dialog.kind.set_kind(treatment_kind)
            unnamed.append([type(w).__name__ for w in unnamed_controls(dialog)])

    edit_in_dialog(qtbot, profile, messages, kind, None, look)
    assert unnamed == [[] for _ in category_kinds]
