"""The pain-diary import dialog: the preview's counts and problems, then an import on the job runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from backlog_app.services.context import ProfileSession
from backlog_app.services.csv_import import ExistingDays, RowStatus
from backlog_app.services.csv_table import CsvField, DateFormat
from backlog_app.ui.editors.csv_import_dialog import CsvImportDialog, open_csv_import
from backlog_app.ui.main_window import MainWindow
from backlog_app.ui.models.csv_preview_model import STATUS_ROLE
from tests.ui.accessibility import unnamed_controls
from tests.ui.conftest import RecordingMessages, when_dialog_opens

# 26 Nov 2026 already has a demo check-in; the 2024 days do not.
DIARY = """Date,Pain level,Worst,Hours slept,Comment
03/09/2024,5,7,6.5,Walked to the shop
03/10/2024,11,8,5,typo
03/11/2024,4,,8,
11/26/2026,5,6,7,already checked in
12/24/2099,3,4,7,future
03/14/2024,,6,,no pain rating
"""


@pytest.fixture
def dialog(qtbot: QtBot, window: MainWindow, messages: RecordingMessages) -> CsvImportDialog:
    import_dialog = CsvImportDialog(window.profile, messages, window.jobs, window)
    qtbot.addWidget(import_dialog)
    import_dialog.show()
    return import_dialog


def load(qtbot: QtBot, dialog: CsvImportDialog, path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    dialog.load_file(path)
    qtbot.waitUntil(lambda: dialog.preview is not None or dialog.problems.isVisible())


def test_preview_shows_counts_and_problems_by_line(
    qtbot: QtBot,
    dialog: CsvImportDialog,
    tmp_path: Path,
    qtmodeltester: ModelTester,
) -> None:
    load(qtbot, dialog, tmp_path / "diary.csv", DIARY)
    assert "diary.csv" in dialog.file_label.text()
    assert dialog.columns[CsvField.PAIN].currentText().startswith("Pain level")
    assert dialog.date_format.currentData() == DateFormat.MONTH_FIRST.value
    assert dialog.summary.text() == (
        "6 rows read: 3 days ready to import, 1 day already checked in, 2 rows with problems."
    )
    problems = dialog.problem_lines.text().splitlines()
    assert problems[0] == "Line 3: Pain is 11; it must be from 0 to 10."
    assert problems[1].startswith("Line 6: The check-in date (24 Dec 2099) is in the future")
    model = dialog.model
    qtmodeltester.check(model)
    statuses = [model.index(row, 0).data(STATUS_ROLE) for row in range(model.rowCount())]
    assert statuses == [
        RowStatus.READY,
        RowStatus.PROBLEM,
        RowStatus.READY,
        RowStatus.EXISTING,
        RowStatus.PROBLEM,
        RowStatus.READY,
    ]
    assert model.index(1, 2).data() == "11"  # a problem row shows what the file says
    assert model.index(1, 2).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(0, 1).data() == "9 Mar 2024"
    assert model.index(5, 2).data() == "—"  # not recorded, not 0
    assert dialog.import_button.text() == "&Import 3 days"
    assert dialog.import_button.isEnabled()
    assert unnamed_controls(dialog) == []


def test_ambiguous_dates_are_asked_before_anything_can_be_imported(
    qtbot: QtBot, dialog: CsvImportDialog, tmp_path: Path
) -> None:
    load(qtbot, dialog, tmp_path / "diary.csv", "date,pain\n3/4/2024,5\n5/6/2024,6\n")
    assert dialog.date_format.currentData() is None
    assert dialog.date_hint.isVisible()
    assert "month first or day first" in dialog.date_hint.text()
    assert dialog.summary.text() == "Choose how the diary writes its dates."
    assert not dialog.import_button.isEnabled()
    dialog.date_format.setCurrentIndex(dialog.date_format.findData(DateFormat.DAY_FIRST.value))
    assert dialog.model.index(0, 1).data() == "3 Apr 2024"
    assert dialog.import_button.isEnabled()


def test_changing_the_mapping_redoes_the_preview(
    qtbot: QtBot, dialog: CsvImportDialog, tmp_path: Path
) -> None:
    load(qtbot, dialog, tmp_path / "diary.csv", DIARY)
    pain = dialog.columns[CsvField.PAIN]
    pain.setCurrentIndex(0)  # "not in the file": the 11 no longer matters
    assert dialog.preview is not None
    assert dialog.preview.problem_count == 1
    assert dialog.model.index(1, 2).data() == "—"


def test_import_writes_the_ready_days_in_the_background(
    qtbot: QtBot,
    dialog: CsvImportDialog,
    messages: RecordingMessages,
    demo_profile: ProfileSession,
    tmp_path: Path,
) -> None:
    before = demo_profile.log.check_ins.count()
    load(qtbot, dialog, tmp_path / "diary.csv", DIARY)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert messages.shown[-1][:2] == ("confirm", "Leave out the rows with problems?")
    qtbot.waitUntil(lambda: dialog.import_result is not None)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.import_result is not None
    assert dialog.import_result.summary() == (
        "Imported 3 days from the diary. Skipped 1 day that already had a check-in. "
        "Left out 2 rows with problems."
    )
    assert demo_profile.log.check_ins.count() == before + 3


def test_saying_no_to_leaving_out_problem_rows_imports_nothing(
    qtbot: QtBot,
    dialog: CsvImportDialog,
    messages: RecordingMessages,
    demo_profile: ProfileSession,
    tmp_path: Path,
) -> None:
    before = demo_profile.log.check_ins.count()
    load(qtbot, dialog, tmp_path / "diary.csv", DIARY)
    messages.confirm_answer = False
    dialog.start_import()
    assert dialog.isVisible()
    assert demo_profile.log.check_ins.count() == before


def test_stop_on_days_already_checked_in_imports_nothing(
    qtbot: QtBot, dialog: CsvImportDialog, demo_profile: ProfileSession, tmp_path: Path
) -> None:
    before = demo_profile.log.check_ins.count()
    load(qtbot, dialog, tmp_path / "diary.csv", DIARY)
    dialog.on_existing.set_value(ExistingDays.STOP)
    dialog.start_import()
    assert dialog.problems.isVisible()
    assert "Nothing was imported: 1 day of the diary already" in dialog.problems.text()
    assert demo_profile.log.check_ins.count() == before


def test_an_unreadable_file_is_explained_in_the_dialog(
    qtbot: QtBot, dialog: CsvImportDialog, tmp_path: Path
) -> None:
    load(qtbot, dialog, tmp_path / "empty.csv", "")
    assert "holds no rows" in dialog.problems.text()
    assert not dialog.import_button.isEnabled()


def test_the_menu_entry_asks_for_a_file_and_reports_the_import(
    qtbot: QtBot,
    window: MainWindow,
    messages: RecordingMessages,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "diary.csv"
    path.write_text("date,pain\n2024-03-01,5\n2024-03-02,6\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(path), ""))

    def press_import(dialog: QDialog) -> None:
        assert isinstance(dialog, CsvImportDialog)
        qtbot.waitUntil(lambda: dialog.import_button.isEnabled())
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    when_dialog_opens(qtbot, press_import)
    open_csv_import(window.profile, messages, window, window.jobs)
    assert messages.shown[-1] == (
        "info",
        "Pain diary imported",
        "Imported 2 days from the diary.",
    )
