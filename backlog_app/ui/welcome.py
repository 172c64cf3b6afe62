"""First run: create a profile (patient + first plan), explore the demo, or open a folder."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.records import PatientData, PlanData, PlanType
from backlog_app.domain.validation import patient_problems, plan_problems
from backlog_app.storage.profile import ProfilePaths
from backlog_app.ui.editors.patient_form import PatientForm
from backlog_app.ui.widgets import ProblemList, blank_to_none, heading


class WelcomeChoice(Enum):
    CREATE = "create"
    DEMO = "demo"
    OPEN = "open"


@dataclass(frozen=True)
class WelcomeResult:
    """What the user chose; the app does the work (the dialog writes nothing)."""

    choice: WelcomeChoice
    folder: Path
    patient: PatientData | None = None
    plan: PlanData | None = None


class WelcomeDialog(QDialog):
    """Asks what to do when there is no profile to open.

    Args:
        default_folder: where a new profile goes unless the user picks another folder.
        demo_folder: where the demo profile is created.
        title: "Welcome to BackLog" on first run, "New profile" from the File menu.
    """

    def __init__(
        self,
        default_folder: Path,
        demo_folder: Path,
        parent: QWidget | None = None,
        *,
        title: str = "Welcome to BackLog",
        start_with_form: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.result_value: WelcomeResult | None = None
        self._folder = default_folder
        self._demo_folder = demo_folder
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._choice_page())
        self.pages.addWidget(self._form_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.setMinimumWidth(560)
        if start_with_form:
            self.show_form()

    # Page 1: three choices -------------------------------------------------------------------

    def _choice_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setSpacing(14)
        layout.addWidget(heading("Welcome to BackLog"))
        intro = QLabel(
            "BackLog keeps the records that get your back treatment approved: your pain log, "
            "the letters from your insurer, your doctors, and every deadline. "
            "Everything stays on this computer."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.start_button = QPushButton("Start my profile")
        self.start_button.setObjectName("primaryButton")
        self.start_button.setDefault(True)
        self.start_button.setAccessibleDescription("Enter your name, date of birth and insurance")
        self.demo_button = QPushButton("Explore a demo profile first")
        self.demo_button.setAccessibleDescription(
            "Opens a made-up patient's records to look around"
        )
        self.open_button = QPushButton("Open a profile folder I already have…")
        for button in (self.start_button, self.demo_button, self.open_button):
            button.setMinimumHeight(44)
            layout.addWidget(button)
        self.start_button.clicked.connect(self.show_form)
        self.demo_button.clicked.connect(self._choose_demo)
        self.open_button.clicked.connect(self._choose_open)
        layout.addStretch(1)
        return page

    # Page 2: the short form ------------------------------------------------------------------

    def _form_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(heading("Your profile"))
        hint = QLabel("Two things to start. You can add everything else later.")
        hint.setObjectName("muted")
        layout.addWidget(hint)
        self.patient_form = PatientForm(compact=True)
        patient_box = QGroupBox("Who is this profile for?")
        QVBoxLayout(patient_box).addWidget(self.patient_form)
        layout.addWidget(patient_box)

        plan_box = QGroupBox("Main health insurance (optional — copy it from the card)")
        plan_form = QFormLayout(plan_box)
        self.insurer = QLineEdit()
        self.insurer.setPlaceholderText("e.g. Aetna, Blue Cross, Medicare")
        self.plan_type = QComboBox()
        for plan_type in PlanType:
            if not plan_type.is_supplemental:
                self.plan_type.addItem(plan_type.label, plan_type.value)
        self.member_id = QLineEdit()
        for label, widget in (
            ("&Insurance company", self.insurer),
            ("Plan &type", self.plan_type),
            ("&Member ID", self.member_id),
        ):
            widget.setAccessibleName(label.replace("&", ""))
            plan_form.addRow(label, widget)
        layout.addWidget(plan_box)

        folder_row = QHBoxLayout()
        self.folder_label = QLabel()
        self.folder_label.setObjectName("muted")
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        change = QPushButton("Change folder…")
        change.setAccessibleName("Change the profile folder")
        change.clicked.connect(self._choose_folder)
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(change)
        layout.addLayout(folder_row)
        self._show_folder()

        self.problems = ProblemList()
        layout.addWidget(self.problems)
        buttons = QHBoxLayout()
        back = QPushButton("Back")
        back.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        self.create_button = QPushButton("Create my profile")
        self.create_button.setObjectName("primaryButton")
        self.create_button.clicked.connect(self.try_create)
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        layout.addLayout(buttons)
        return page

    def show_form(self) -> None:
        self.pages.setCurrentIndex(1)
        self.create_button.setDefault(True)
        self.patient_form.full_name.setFocus()

    def try_create(self) -> None:
        """Check the form with the domain rules; on success close with a CREATE result."""
        patient = self.patient_form.data()
        today = dt.date.today()
        problems = patient_problems(patient, today)
        plan = None
        if self.insurer.text().strip() or self.member_id.text().strip():
            plan = PlanData(
                insurer=self.insurer.text().strip(),
                plan_type=PlanType(self.plan_type.currentData()),
                member_id=blank_to_none(self.member_id.text()),
            )
            problems += plan_problems(plan, today)
        if ProfilePaths(self._folder).has_database():
            problems.append(
                f"{self._folder} already holds a BackLog profile; choose another "
                "folder, or go back and open it."
            )
        if problems:
            self.problems.show_problems(problems)
            return
        self._finish(WelcomeResult(WelcomeChoice.CREATE, self._folder, patient, plan))

    # Choices ---------------------------------------------------------------------------------

    def _choose_demo(self) -> None:
        self._finish(WelcomeResult(WelcomeChoice.DEMO, self._demo_folder))

    def _choose_open(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a BackLog profile folder")
        if folder:
            self._finish(WelcomeResult(WelcomeChoice.OPEN, Path(folder)))

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Where should BackLog keep this profile?", str(self._folder.parent)
        )
        if folder:
            self._folder = Path(folder)
            self._show_folder()

    def _show_folder(self) -> None:
        self.folder_label.setText(f"Saved in: {self._folder}")

    def _finish(self, result: WelcomeResult) -> None:
        self.result_value = result
        self.accept()
