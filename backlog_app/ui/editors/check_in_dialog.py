"""The daily check-in: keyboard-first, one tab stop per question, Enter saves.

A practised user types the pain scores (a digit and Tab each) and presses Enter. Regular
medications are carried over from the latest earlier check-in. One check-in per day: a day that
already has one is pointed out at once, and opening it keeps what was typed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.check_in_defaults import carried_doses, medications_to_offer
from backlog_app.domain.dates import format_long_date
from backlog_app.domain.log_records import (
    BodySite,
    CheckInData,
    DoseTaken,
    LegSymptom,
    SleepQuality,
    WorkStatus,
)
from backlog_app.domain.scores import peg_score
from backlog_app.errors import UserError, ValidationError
from backlog_app.services.context import ProfileSession
from backlog_app.services.log import DuplicateCheckInError
from backlog_app.ui.editors.check_in_medications import TakenMedications
from backlog_app.ui.editors.log_dialog import LogRecordDialog
from backlog_app.ui.editors.log_widgets import (
    CheckGrid,
    EnumCombo,
    OptionalNumberEdit,
    ScorePicker,
)
from backlog_app.ui.messages import Messages
from backlog_app.ui.widgets import NotesEdit, OptionalDateEdit

# Where each place sits in the body picker: (row, column, column span); left is on the left.
_SITE_GRID: dict[BodySite, tuple[int, int, int]] = {
    BodySite.LOWER_BACK: (0, 0, 2),
    BodySite.BUTTOCK_LEFT: (1, 0, 1),
    BodySite.BUTTOCK_RIGHT: (1, 1, 1),
    BodySite.THIGH_LEFT: (2, 0, 1),
    BodySite.THIGH_RIGHT: (2, 1, 1),
    BodySite.CALF_FOOT_LEFT: (3, 0, 1),
    BodySite.CALF_FOOT_RIGHT: (3, 1, 1),
}


class CheckInDialog(LogRecordDialog):
    """Adds or edits one day's check-in.

    Args:
        profile: the open profile.
        messages: asks before discarding and offers to open an existing check-in.
        check_in_id: the check-in to edit; None adds one.
        day: the new check-in's day (today by default).
    """

    def __init__(
        self,
        profile: ProfileSession,
        messages: Messages,
        check_in_id: int | None = None,
        day: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        # try_save is overridden (a duplicate day is offered, not just refused): no save callable.
        super().__init__("Daily check-in", lambda _: None, messages, parent)
        self._profile = profile
        self._check_in_id = check_in_id
        self.saved_id: int | None = None
        self._clash_id: int | None = None
        self._all_medications = profile.log.medications.list()
        self._carried_from: dt.date | None = None
        if check_in_id is not None:
            initial = profile.log.check_ins.get(check_in_id).data
        else:
            start = day or profile.clock()
            previous = profile.log.check_ins.latest_before(start)
            initial = CheckInData(
                day=start,
                doses=carried_doses(
                    previous.data if previous else None, self._all_medications, start
                ),
            )
            self._carried_from = previous.data.day if previous and initial.doses else None
        self._build()
        self.set_data(initial)
        self._baseline = self.collect()
        self.mark_clean()
        self.pain_now.setFocus(Qt.FocusReason.OtherFocusReason)

    # Building ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.day = OptionalDateEdit(allow_empty=False)
        self.day.setAccessibleName("Day of the check-in")
        self.day_notice = QLabel()
        self.day_notice.setObjectName("fieldHint")
        self.day_notice.setWordWrap(True)
        self.open_existing_button = QPushButton("&Open that check-in")
        self.open_existing_button.setAccessibleName("Open the existing check-in for this day")
        self.open_existing_button.setAutoDefault(False)
        self.open_existing_button.clicked.connect(self._open_clash)
        self.pain_now = ScorePicker("Pain now")
        self.pain_average = ScorePicker("Average pain today")
        self.pain_worst = ScorePicker("Worst pain today")
        self.peg_enjoyment = ScorePicker("Pain got in the way of enjoying life")
        self.peg_activity = ScorePicker("Pain got in the way of general activity")
        self.peg_result = QLabel()
        self.peg_result.setAccessibleName("PEG score")
        self.sites: CheckGrid[BodySite] = CheckGrid(
            "Where it hurts",
            [(site, site.label, *_SITE_GRID[site]) for site in BodySite],
        )
        self.leg_symptoms: CheckGrid[LegSymptom] = CheckGrid(
            "Leg symptoms",
            [(symptom, symptom.label, 0, column, 1) for column, symptom in enumerate(LegSymptom)],
        )
        self.sleep_hours = OptionalNumberEdit("Hours of sleep", decimals=True, max_digits=2)
        self.sleep_quality: EnumCombo[SleepQuality] = EnumCombo("Sleep quality", list(SleepQuality))
        self.work_status: EnumCombo[WorkStatus] = EnumCombo("Work status", list(WorkStatus))
        self.walk_minutes = OptionalNumberEdit("Minutes of walking")
        self.sit_minutes = OptionalNumberEdit("Minutes of sitting")
        self.stand_minutes = OptionalNumberEdit("Minutes of standing")
        self.medications = TakenMedications()
        self.carried_note = QLabel()
        self.carried_note.setObjectName("fieldHint")
        self.carried_note.setWordWrap(True)
        self.notes = NotesEdit(lines=2)
        self.notes.setAccessibleName("Notes")
        self.notes.setPlaceholderText("Anything else about today (Ctrl+Enter saves)")
        self.notes.installEventFilter(self)

        for picker in (self.pain_average, self.peg_enjoyment, self.peg_activity):
            picker.value_changed.connect(self._show_peg)
        self.day.dateChanged.connect(self._day_changed)

        self.body.insertLayout(0, self._top_row())
        self.body.insertWidget(1, self._sleep_and_activity_box())
        self.body.insertWidget(2, self._medications_box())
        self.form.addRow(_label("N&otes", self.notes), self.notes)
        keys = QLabel(
            "Enter saves · Tab moves on · a digit sets a score, Delete clears it · Esc closes"
        )
        keys.setObjectName("muted")
        self.body.addWidget(keys)

    def _top_row(self) -> QHBoxLayout:
        day_row = QHBoxLayout()
        day_row.addWidget(self.day)
        day_row.addWidget(self.open_existing_button)
        day_row.addStretch(1)
        pain = QGroupBox("Pain today — 0 is none, 10 is the worst you can imagine")
        grid = QGridLayout(pain)
        grid.setVerticalSpacing(6)
        peg_intro = QLabel("How much did pain get in the way of…")
        peg_intro.setObjectName("fieldHint")
        rows: list[tuple[QWidget | None, QWidget | QHBoxLayout]] = [
            (_label("&Day", self.day), day_row),
            (None, self.day_notice),
            (_label("Pain &now", self.pain_now), self.pain_now),
            (_label("&Average pain", self.pain_average), self.pain_average),
            (_label("&Worst pain", self.pain_worst), self.pain_worst),
            (None, peg_intro),
            (_label("&Enjoying life", self.peg_enjoyment), self.peg_enjoyment),
            (_label("General acti&vity", self.peg_activity), self.peg_activity),
            (QLabel("PEG score"), self.peg_result),
        ]
        for row, (label, field) in enumerate(rows):
            if label is not None:
                grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignVCenter)
            if isinstance(field, QHBoxLayout):
                grid.addLayout(field, row, 1)
            elif label is None and field is not self.day_notice:
                grid.addWidget(field, row, 0, 1, 2)  # a sub-heading across both columns
            else:
                grid.addWidget(field, row, 1)
        grid.setRowStretch(len(rows), 1)

        where = QGroupBox("Where it &hurts")
        where_layout = QVBoxLayout(where)
        where_layout.addWidget(self.sites)
        where_layout.addSpacing(8)
        legs = QLabel("Leg symptoms")
        legs.setObjectName("fieldHint")
        where_layout.addWidget(legs)
        where_layout.addWidget(self.leg_symptoms)
        where_layout.addStretch(1)
        arrows = QLabel("Arrow keys move, Space ticks.")
        arrows.setObjectName("muted")
        where_layout.addWidget(arrows)

        top = QHBoxLayout()
        top.addWidget(pain, 3)
        top.addWidget(where, 2)
        return top

    def _sleep_and_activity_box(self) -> QGroupBox:
        box = QGroupBox("Sleep, activity and work")
        layout = QVBoxLayout(box)
        rows: list[list[tuple[str, QWidget, str]]] = [
            [
                ("&Sleep", self.sleep_hours, "hours"),
                ("Sleep &quality", self.sleep_quality, ""),
                ("Wo&rk", self.work_status, ""),
            ],
            [
                ("Wal&king", self.walk_minutes, "min"),
                ("S&itting", self.sit_minutes, "min"),
                ("Standin&g", self.stand_minutes, "min"),
            ],
        ]
        for cells in rows:
            line = QHBoxLayout()
            line.setSpacing(6)
            for label, widget, unit in cells:
                line.addWidget(_label(label, widget))
                line.addWidget(widget)
                if unit:
                    line.addWidget(QLabel(unit))
                line.addSpacing(22)
            line.addStretch(1)
            layout.addLayout(line)
        hint = QLabel("Walking, sitting, standing: how many minutes you can manage at a time.")
        hint.setObjectName("fieldHint")
        layout.addWidget(hint)
        return box

    def _medications_box(self) -> QGroupBox:
        box = QGroupBox("Medications &taken today")
        layout = QVBoxLayout(box)
        layout.addWidget(self.medications)
        layout.addWidget(self.carried_note)
        return box

    def _fix_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.day,
            self.open_existing_button,
            self.pain_now,
            self.pain_average,
            self.pain_worst,
            self.peg_enjoyment,
            self.peg_activity,
            *[self.sites.box(site) for site in BodySite],
            *[self.leg_symptoms.box(symptom) for symptom in LegSymptom],
            self.sleep_hours,
            self.sleep_quality,
            self.work_status,
            self.walk_minutes,
            self.sit_minutes,
            self.stand_minutes,
            *self.medications.focus_chain(),
            self.notes,
            *self.buttons.buttons(),
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # Data ----------------------------------------------------------------------------------

    def set_data(self, data: CheckInData) -> None:
        self.day.blockSignals(True)
        self.day.set_date(data.day)
        self.day.blockSignals(False)
        for picker, value in (
            (self.pain_now, data.pain_now),
            (self.pain_average, data.pain_average),
            (self.pain_worst, data.pain_worst),
            (self.peg_enjoyment, data.peg_enjoyment),
            (self.peg_activity, data.peg_activity),
        ):
            picker.set_value(value)
        self.sites.set_checked(data.pain_sites)
        self.leg_symptoms.set_checked(data.leg_symptoms)
        self.sleep_hours.set_number(data.sleep_hours)
        self.sleep_quality.set_value(data.sleep_quality)
        self.walk_minutes.set_number(data.walk_minutes)
        self.sit_minutes.set_number(data.sit_minutes)
        self.stand_minutes.set_number(data.stand_minutes)
        self.work_status.set_value(data.work_status)
        self.notes.set_value(data.notes)
        self._show_medications(data.day, data.doses)
        self._show_day(data.day)
        self._show_peg()

    def collect(self) -> CheckInData:
        day = self.day.date_value()
        if day is None:
            raise ValueError("Please choose the day of the check-in.")
        return CheckInData(
            day=day,
            pain_now=self.pain_now.value(),
            pain_average=self.pain_average.value(),
            pain_worst=self.pain_worst.value(),
            pain_sites=self.sites.checked(),
            leg_symptoms=self.leg_symptoms.checked(),
            peg_enjoyment=self.peg_enjoyment.value(),
            peg_activity=self.peg_activity.value(),
            sleep_hours=self.sleep_hours.number(),
            sleep_quality=self.sleep_quality.value(),
            walk_minutes=self.walk_minutes.int_value(),
            sit_minutes=self.sit_minutes.int_value(),
            stand_minutes=self.stand_minutes.int_value(),
            work_status=self.work_status.value(),
            notes=self.notes.value(),
            doses=self.medications.doses(),
        )

    def try_save(self) -> None:
        try:
            record = self.collect()
            self.saved_id = self._profile.log.check_ins.save(record, self._check_in_id)
        except DuplicateCheckInError as exc:
            self.problems.show_problems([exc.message])
            self._offer_existing(exc.existing_id)
            return
        except ValidationError as exc:
            self.problems.show_problems(exc.problems)
            return
        except (UserError, ValueError) as exc:
            self.problems.show_problems([exc.message if isinstance(exc, UserError) else str(exc)])
            return
        self.problems.clear_problems()
        self.accept()

    # Reactions -----------------------------------------------------------------------------

    def _show_peg(self) -> None:
        score = peg_score(
            self.pain_average.value(), self.peg_enjoyment.value(), self.peg_activity.value()
        )
        if score is None:
            self.peg_result.setText("— (needs average pain, enjoying life and activity)")
        else:
            self.peg_result.setText(f"<b>{score:.1f}</b> of 10 (the mean of those three)")

    def _show_medications(self, day: dt.date, doses: Sequence[DoseTaken]) -> None:
        offered = medications_to_offer(
            self._profile.log.medications.active_on(day), self._all_medications, doses
        )
        self.medications.set_rows(offered, doses)
        if self._carried_from is not None and self._check_in_id is None and doses:
            self.carried_note.setText(
                "Regular medications are ticked as on "
                f"{format_long_date(self._carried_from)}; "
                "untick any you did not take. As-needed ones start unticked."
            )
            self.carried_note.show()
        else:
            self.carried_note.hide()
        self._fix_tab_order()

    def _day_changed(self) -> None:
        day = self.day.date_value()
        if day is None:
            return
        try:
            doses = self.medications.doses()
        except ValueError:
            doses = ()
        # Keep every tick the user made; only the list of medications follows the day.
        self._show_medications(day, doses)
        self._show_day(day)

    def _show_day(self, day: dt.date) -> None:
        editing = "Edit check-in" if self._check_in_id is not None else "Daily check-in"
        self.setWindowTitle(f"{editing} — {day:%A} {format_long_date(day)}")
        clash = self._profile.log.check_ins.for_day(day)
        self._clash_id = clash.id if clash and clash.id != self._check_in_id else None
        if self._clash_id is not None:
            self.day_notice.setText(f"⚠ {format_long_date(day)} already has a check-in.")
        elif day > self._profile.clock():
            self.day_notice.setText("⚠ This day is in the future.")
        else:
            self.day_notice.setText("")
        self.open_existing_button.setVisible(self._clash_id is not None)
        self.day_notice.setVisible(bool(self.day_notice.text()))

    def _open_clash(self) -> None:
        if self._clash_id is not None:
            self._open_existing(self._clash_id)

    def _offer_existing(self, existing_id: int) -> None:
        day = self.day.date_value()
        if self._messages.confirm(
            "Check-in already exists",
            f"There is already a check-in for {format_long_date(day)}. Open it instead?\n\n"
            "What you typed here stays in the form; Save then updates that check-in.",
            "Open the existing check-in",
        ):
            self._open_existing(existing_id)

    def _open_existing(self, existing_id: int) -> None:
        """Edit check-in ``existing_id``, keeping every field the user typed here on top of it."""
        try:
            typed = self.collect()
        except ValueError as exc:
            self.problems.show_problems([str(exc)])
            return
        saved = self._profile.log.check_ins.get(existing_id).data
        merged = typed_over_saved(self._baseline, typed, saved)
        self._check_in_id = existing_id
        self._baseline = saved
        self.set_data(saved)
        self.mark_clean()  # so Escape asks: the typed answers are not saved yet
        self.set_data(merged)
        self.problems.clear_problems()
        self.day_notice.setText(
            "Now editing the saved check-in; the answers you typed replace its own. "
            "Press Enter to save."
        )
        self.day_notice.show()
        self.pain_now.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Ctrl+Enter in the notes saves (plain Enter starts a new line there).
        if (
            watched is self.notes
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.try_save()
            return True
        return super().eventFilter(watched, event)


def typed_over_saved(baseline: CheckInData, typed: CheckInData, saved: CheckInData) -> CheckInData:
    """``saved`` with every field the user changed from ``baseline`` taken from ``typed``."""
    changes = {
        field.name: getattr(typed, field.name)
        for field in dataclasses.fields(CheckInData)
        if getattr(typed, field.name) != getattr(baseline, field.name)
    }
    return dataclasses.replace(saved, **changes)


def _label(text: str, buddy: QWidget) -> QLabel:
    """A label whose Alt+letter mnemonic moves the focus to ``buddy``."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label
