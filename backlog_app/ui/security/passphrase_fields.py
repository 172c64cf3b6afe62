"""Passphrase input widgets: a masked field with Show and a Caps Lock hint, and the new-passphrase
pair (typed twice, with a strength note and the "lost passphrase means lost records" tick box).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backlog_app.ui.security import wording


def passphrase_problem(passphrase: str) -> str | None:
    """Why ``passphrase`` is too weak, in plain words (None: good enough)."""
    from backlog_app.domain.passphrase import check_passphrase_strength

    return check_passphrase_strength(passphrase)


class PassphraseEdit(QLineEdit):
    """A masked line edit that guesses whether Caps Lock is on from the letters typed.

    Qt cannot read the Caps Lock state on every system; a capital letter typed without Shift
    (or a small one with Shift) is a cheap and reliable enough sign.
    """

    caps_lock_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.caps_lock_on = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if len(text) == 1 and text.isalpha() and text.lower() != text.upper():
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            caps = text.isupper() != shift
            if caps != self.caps_lock_on:
                self.caps_lock_on = caps
                self.caps_lock_changed.emit(caps)
        super().keyPressEvent(event)


class PassphraseField(QWidget):
    """One passphrase box with a Show toggle and, under it, the Caps Lock hint when it applies."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = PassphraseEdit(self)
        self.edit.setAccessibleName(accessible_name)
        self.edit.setMinimumWidth(300)
        self.show_button = QPushButton("Show", self)
        self.show_button.setCheckable(True)
        self.show_button.setAutoDefault(False)
        self.show_button.setAccessibleName(f"Show the {accessible_name.lower()} as I type")
        self.show_button.toggled.connect(self._show_typed)
        self.caps_hint = QLabel(wording.CAPS_LOCK_ON, self)
        self.caps_hint.setObjectName("fieldHint")
        self.caps_hint.hide()
        self.edit.caps_lock_changed.connect(self.caps_hint.setVisible)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.show_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.caps_hint)

    def text(self) -> str:
        return self.edit.text()

    def clear(self) -> None:
        self.edit.clear()

    def select_for_retyping(self) -> None:
        self.edit.selectAll()
        self.edit.setFocus()

    def _show_typed(self, shown: bool) -> None:
        self.edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.show_button.setText("Hide" if shown else "Show")


class NewPassphraseFields(QWidget):
    """The new passphrase typed twice, a live note on its strength, and (optionally) the tick box.

    ``problems()`` lists what stops it being used; the dialog shows them.
    """

    changed = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        ask_understanding: bool = True,
        first_label: str = "&Passphrase:",
    ) -> None:
        super().__init__(parent)
        self.first = PassphraseField("Passphrase", self)
        self.second = PassphraseField("Passphrase again", self)
        self.strength = QLabel(wording.PASSPHRASE_HINT, self)
        self.strength.setObjectName("fieldHint")
        self.strength.setWordWrap(True)
        self.strength.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.understand = QCheckBox(wording.UNDERSTAND, self)
        self.understand.setAccessibleName(wording.UNDERSTAND)
        self.understand.setVisible(ask_understanding)
        self._ask_understanding = ask_understanding
        self.form = form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(first_label, self.first)
        form.addRow("", self.strength)
        form.addRow("Type it &again:", self.second)
        _buddy(form, self.first, self.second)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.understand)
        self.first.edit.textChanged.connect(self._first_changed)
        self.second.edit.textChanged.connect(lambda _text: self.changed.emit())
        self.understand.toggled.connect(lambda _on: self.changed.emit())

    def passphrase(self) -> str:
        return self.first.text()

    def problems(self) -> list[str]:
        """What stops this passphrase being used (empty: ready)."""
        found: list[str] = []
        weak = passphrase_problem(self.first.text())
        if weak:
            found.append(weak)
        elif self.first.text() != self.second.text():
            found.append(wording.MISMATCH)
        if self._ask_understanding and not self.understand.isChecked():
            found.append(wording.NEED_UNDERSTAND)
        return found

    def is_filled(self) -> bool:
        """Both boxes typed in (and the box ticked): worth checking."""
        ticked = self.understand.isChecked() or not self._ask_understanding
        return bool(self.first.text() and self.second.text() and ticked)

    def clear(self) -> None:
        self.first.clear()
        self.second.clear()

    def _first_changed(self, typed: str) -> None:
        weak = passphrase_problem(typed) if typed else None
        self.strength.setText(weak or ("Good." if typed else wording.PASSPHRASE_HINT))
        self.changed.emit()


def _buddy(form: QFormLayout, *fields: PassphraseField) -> None:
    """Point the form's "&Passphrase:" labels at the line edits, so Alt+P lands in the box."""
    for field in fields:
        label = form.labelForField(field)
        if isinstance(label, QLabel):
            label.setBuddy(field.edit)


def fit_wrapped_text(dialog: QWidget) -> None:
    """Make ``dialog`` tall enough for its word-wrapped labels at its current width.

    A top-level window ignores its layout's height-for-width, so wrapped paragraphs would be
    squeezed into one line each and clipped; the dialogs call this when shown and when their
    content changes (a problem appears).
    """
    layout = dialog.layout()
    if layout is None or not layout.hasHeightForWidth():
        return
    needed = layout.totalHeightForWidth(dialog.width())
    if needed > 0:
        dialog.setMinimumHeight(needed)
        if dialog.height() < needed:
            dialog.resize(dialog.width(), needed)
