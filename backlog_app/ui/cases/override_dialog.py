"""Change one deadline rule for one case ("my letter says 60 days"), or go back to the default."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLabel, QLineEdit, QSpinBox, QWidget

from backlog_app.domain.deadline_rules import Anchor, RuleOverride, Unit
from backlog_app.domain.deadlines import EffectiveRule
from backlog_app.errors import UserError
from backlog_app.services.context import ProfileSession
from backlog_app.ui.editors.log_dialog import LogRecordDialog, form_group
from backlog_app.ui.messages import Messages
from backlog_app.ui.widgets import blank_to_none

ANCHOR_TEXT = {
    Anchor.EVENT_DATE: "counted from the date of the filing or of the notice",
    Anchor.RECEIVED: "counted from the day the notice reached you",
    Anchor.PRESUMED_RECEIVED: "counted from 5 days after the notice's date (Medicare presumes "
    "it reached you then)",
}

ANCHOR_SHORT = {
    Anchor.EVENT_DATE: "from the date",
    Anchor.RECEIVED: "from receipt",
    Anchor.PRESUMED_RECEIVED: "from the date + 5 days",
}


def default_text(rule: EffectiveRule) -> str:
    """ "180 days, counted from the day the notice reached you (source)"."""
    base = rule.rule
    if base.amount is None:
        return base.source
    return f"{base.period}, {ANCHOR_TEXT[base.anchor]}. Source: {base.source}."


class OverrideDialog(LogRecordDialog):
    """The case's own figure for one rule; "Reset to default" removes it.

    Args:
        save: called with the RuleOverride when the user presses Save.
        reset: called when the user presses "Reset to default" (shown when an override exists).
        rule: the rule as the case uses it now.
    """

    def __init__(
        self,
        save: Callable[[RuleOverride], object],
        reset: Callable[[], object],
        messages: Messages,
        rule: EffectiveRule,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Change a deadline for this case", save, messages, parent)
        self._rule = rule
        self._reset = reset
        self.intro = intro = QLabel(
            f"<b>{rule.rule.what}</b><br>Default: {default_text(rule)}"
            + (f"<br><i>{rule.rule.note}</i>" if rule.rule.note else "")
        )
        intro.setWordWrap(True)
        intro.setAccessibleName("The rule and its default")
        advice = QLabel(
            "Use the figure your own letter or plan document gives. A date printed on a notice "
            "always wins: enter it on the event instead."
        )
        advice.setObjectName("fieldHint")
        advice.setWordWrap(True)
        self.amount = QSpinBox()
        self.amount.setRange(1, 3650)
        self.amount.setAccessibleName("Number")
        self.unit = QComboBox()
        self.unit.setAccessibleName("Unit")
        for unit in (Unit.DAYS, Unit.MONTHS, Unit.HOURS):
            self.unit.addItem(unit.value, unit.value)
        self.note = QLineEdit()
        self.note.setPlaceholderText("e.g. my letter says 60 days")
        box = form_group(
            "This case's figure",
            [
                ("&Number", self.amount, None),
                ("&Unit", self.unit, None),
                ("N&ote", self.note, "Where the figure comes from, so you can check it later."),
            ],
        )
        self.body.insertWidget(0, intro)
        self.body.insertWidget(1, advice)
        self.body.insertWidget(2, box)
        self.reset_button = self.buttons.addButton(
            "&Reset to default", QDialogButtonBox.ButtonRole.ResetRole
        )
        self.reset_button.setAccessibleName("Reset to default")
        self.reset_button.setAutoDefault(False)
        self.reset_button.setVisible(rule.override is not None)
        self.reset_button.clicked.connect(self._reset_clicked)
        current = rule.override
        self.amount.setValue(current.amount if current else (rule.rule.amount or 1))
        self.unit.setCurrentIndex(
            self.unit.findData((current.unit if current else rule.rule.unit).value)
        )
        self.note.setText((current.note or "") if current else "")
        self.set_preferred_width(520)
        self.mark_clean()
        self.amount.setFocus()
        self.amount.selectAll()

    def collect(self) -> RuleOverride:
        return RuleOverride(
            self._rule.rule.key,
            self.amount.value(),
            Unit(self.unit.currentData()),
            blank_to_none(self.note.text()),
        )

    def _reset_clicked(self) -> None:
        try:
            self._reset()
        except UserError as exc:
            self.problems.show_problems([exc.message])
            return
        self.accept()


def change_rule(
    parent: QWidget,
    profile: ProfileSession,
    messages: Messages,
    case_id: int,
    rule: EffectiveRule,
) -> bool:
    """Open the dialog for one rule of one case; True when something was saved or reset."""
    if rule.rule.amount is None:
        messages.info(
            "Change a deadline",
            "This date comes from a record (the approval's end date, a call's follow-up date): "
            "change it there.",
        )
        return False
    dialog = OverrideDialog(
        lambda override: profile.cases.set_override(case_id, override),
        lambda: profile.cases.clear_override(case_id, rule.rule.key),
        messages,
        rule,
        parent,
    )
    return bool(dialog.exec())
