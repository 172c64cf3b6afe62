"""Input widgets: an unset date stays unset, Delete clears a date, money parses and tidies."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from backlog_app.ui.editors.patient_form import PatientForm
from backlog_app.ui.widgets import MoneyEdit, OptionalDateEdit


def test_unset_date_reads_back_as_none(qtbot: QtBot) -> None:
    edit = OptionalDateEdit()
    qtbot.addWidget(edit)
    assert edit.date_value() is None
    assert edit.text() == "Not set"
    edit.set_date(dt.date(1974, 7, 27))
    assert edit.date_value() == dt.date(1974, 7, 27)


def test_empty_patient_form_has_no_date_of_birth(qtbot: QtBot) -> None:
    form = PatientForm()
    qtbot.addWidget(form)
    form.set_data(None)
    assert form.data().date_of_birth is None
    assert form.data().full_name == ""


def test_delete_on_a_selected_date_clears_it(qtbot: QtBot) -> None:
    edit = OptionalDateEdit()
    qtbot.addWidget(edit)
    edit.show()
    edit.set_date(dt.date(2026, 3, 14))
    edit.setFocus()
    edit.lineEdit().selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    assert edit.date_value() is None


@pytest.mark.parametrize(
    ("typed", "cents", "shown"),
    [("1500", 150_000, "$1,500.00"), ("$2,000.5", 200_050, "$2,000.50"), ("", None, "")],
)
def test_money_edit_parses_and_tidies(
    qtbot: QtBot, typed: str, cents: int | None, shown: str
) -> None:
    edit = MoneyEdit()
    qtbot.addWidget(edit)
    edit.setText(typed)
    assert edit.cents() == cents
    edit.editingFinished.emit()
    assert edit.text() == shown


def test_money_edit_keeps_bad_text_for_the_user_to_fix(qtbot: QtBot) -> None:
    edit = MoneyEdit()
    qtbot.addWidget(edit)
    edit.setText("about 50")
    edit.editingFinished.emit()
    assert edit.text() == "about 50"
    with pytest.raises(ValueError, match="not an amount"):
        edit.cents()
