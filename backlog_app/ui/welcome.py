"""First run: create a profile (patient + first plan), explore the demo, or open a folder.

Creating a profile can also protect it with a passphrase (off unless ticked): the same words
as File → Protect with a Passphrase… say what that protects and what it does not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.records import PatientData, PlanData, PlanType
from backlog_app.domain.validation import patient_problems, plan_problems
from backlog_app.storage.profile import ProfilePaths
from backlog_app.ui.editors.patient_form import PatientForm
from backlog_app.ui.security.explanation import explanation
from backlog_app.ui.security.passphrase_fields import NewPassphraseFields
from backlog_app.ui.widgets import ProblemList, blank_to_none, heading

NARROW_WIDTH = 560
WIDE_WIDTH = 820  # with the passphrase explanation's two columns
# The title bar, and a taskbar the screen may not report, take about this much of its height.
WINDOW_FRAME_ALLOWANCE = 88


def room_on_screen(widget: QWidget) -> int:
    """How tall a dialog on ``widget``'s screen may be (its content, without the title bar)."""
    screen = widget.screen()
    if screen is None:
        return 680  # a 768-pixel laptop screen with its taskbar
    return max(400, screen.availableGeometry().height() - WINDOW_FRAME_ALLOWANCE)


class FormScrollArea(QScrollArea):
    """Holds a form that scrolls on a short screen and asks for its whole height otherwise.

    A plain QScrollArea asks for a small fixed size, so a dialog sized to its contents would
    always scroll; this one asks for what the form needs at the current width.
    """

    def __init__(self, form: QWidget) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(form)
        form.installEventFilter(self)  # its text changes (a longer hint): fit it again

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            # After the form has laid itself out again: its height for width is new only then.
            QTimer.singleShot(0, self.fit_form)
        return super().eventFilter(watched, event)

    def fit_form(self) -> None:
        """Keep the form at least as tall as its wrapped text needs at this width; a scroll
        area alone would squeeze it to its size hint, clipping the paragraphs."""
        form = self.widget()
        if form is not None and form.hasHeightForWidth():
            form.setMinimumHeight(max(0, form.heightForWidth(self.viewport().width())))

    def grown(self, changed: QWidget) -> None:
        """``changed`` (a wrapped label) got a longer or shorter text: Qt tells its ancestors
        only when their size hints change, which a wrapped text's new height does not do, so
        tell them here; then fit the form to its new height."""
        widget: QWidget | None = changed
        while widget is not None and widget is not self.widget():
            widget.updateGeometry()
            widget = widget.parentWidget()
        self.fit_form()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_form()

    def sizeHint(self) -> QSize:
        form = self.widget()
        hint = super().sizeHint()
        if form is None:
            return hint
        form_hint = form.sizeHint()
        width = max(self.viewport().width(), form.minimumSizeHint().width())
        height = form.heightForWidth(width) if form.hasHeightForWidth() else -1
        return QSize(form_hint.width(), max(height, form_hint.height()))


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
    passphrase: str | None = None  # protect the new profile with it (None: not protected)


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
        self.setMinimumWidth(NARROW_WIDTH)
        if start_with_form:
            self.show_form()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit_to_screen()

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
        """Heading, the form (scrolling when the screen is short), problems and buttons."""
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(heading("Your profile"))
        hint = QLabel("Two things to start. You can add everything else later.")
        hint.setObjectName("muted")
        layout.addWidget(hint)
        self.form_fields = self._form_fields()
        self.form_scroll = FormScrollArea(self.form_fields)
        layout.addWidget(self.form_scroll, 1)
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

    def _form_fields(self) -> QWidget:
        """Patient, insurance, the passphrase option and the folder: what scrolls."""
        fields = QWidget()
        layout = QVBoxLayout(fields)
        layout.setContentsMargins(0, 0, 8, 0)  # a gap before the scroll bar, when there is one
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
        layout.addWidget(self._protect_section())

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
        layout.addStretch(1)
        self._show_folder()
        return fields

    def _protect_section(self) -> QWidget:
        """The tick box "Protect my records with a passphrase" and, when ticked, the fields."""
        section = QWidget()
        layout = QVBoxLayout(section)
        layout.setContentsMargins(0, 0, 0, 0)
        self.protect = QCheckBox("Protect my records with a &passphrase (optional)")
        self.protect.setAccessibleName("Protect my records with a passphrase")
        self.protect_details = QGroupBox("Passphrase")
        details = QVBoxLayout(self.protect_details)
        details.addWidget(explanation(side_by_side=True))
        self.passphrase_fields = NewPassphraseFields()
        # The strength note grows to two lines as the passphrase is typed.
        self.passphrase_fields.changed.connect(
            lambda: self.form_scroll.grown(self.passphrase_fields.strength)
        )
        details.addWidget(self.passphrase_fields)
        self.protect_details.hide()
        self.protect.toggled.connect(self._protect_toggled)
        layout.addWidget(self.protect)
        layout.addWidget(self.protect_details)
        return section

    def _protect_toggled(self, on: bool) -> None:
        # Wider with the explanation showing, so its two columns stay short.
        self.setMinimumWidth(WIDE_WIDTH if on else NARROW_WIDTH)
        self.protect_details.setVisible(on)
        if on:
            self.passphrase_fields.first.edit.setFocus()
        else:
            self.passphrase_fields.clear()
            self.passphrase_fields.understand.setChecked(False)
        self.fit_to_screen()
        if on:
            # On a short screen the form scrolls: bring the warning and the boxes into view.
            self.form_scroll.ensureWidgetVisible(self.protect_details, 0, 0)

    def fit_to_screen(self) -> None:
        """As tall as the content needs, but never taller than the screen has room for (the
        form scrolls instead), so the buttons stay on a 768-pixel laptop screen."""
        form_layout = self.form_fields.layout()
        if form_layout is not None:
            form_layout.activate()  # a part just shown or hidden: its new height
        self.form_scroll.fit_form()
        self.form_scroll.updateGeometry()
        self.adjustSize()
        layout = self.layout()
        width = self.width()
        needed = layout.totalHeightForWidth(width) if layout is not None else -1
        height = max(needed, self.sizeHint().height())
        self.resize(width, min(height, room_on_screen(self)))

    def show_form(self) -> None:
        self.pages.setCurrentIndex(1)
        if self.isVisible():
            self.fit_to_screen()
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
        passphrase = None
        if self.protect.isChecked():
            problems += self.passphrase_fields.problems()
            passphrase = self.passphrase_fields.passphrase()
        if problems:
            self.problems.show_problems(problems)
            return
        self._finish(WelcomeResult(WelcomeChoice.CREATE, self._folder, patient, plan, passphrase))

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
