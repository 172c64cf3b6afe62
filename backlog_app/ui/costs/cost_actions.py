"""Opening the cost dialog, and deleting an entry with Undo (its document links come back too).

Deleting a cost entry removes its document links with it (the database cascades); ``CostActions``
remembers which documents were linked, so Undo puts the entry back whole, in one transaction
(under a new id when a newer entry took the old one).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from backlog_app.domain.costs import CostData, CostKind
from backlog_app.domain.documents import LinkTarget
from backlog_app.domain.records import Stored
from backlog_app.errors import UserError
from backlog_app.services.context import ProfileSession
from backlog_app.services.documents import DocumentFilter
from backlog_app.ui.costs.cost_dialog import CostChoices, CostDialog
from backlog_app.ui.costs.cost_fields import KIND_NOUNS
from backlog_app.ui.messages import Messages


def describe(data: CostData) -> str:
    """What a sentence calls an entry: "the bill “Post-op MRI”", "the HSA contribution"."""
    what = f"the {KIND_NOUNS[data.kind]}"
    return f"{what} “{data.description}”" if data.description else what


class CostActions(QObject):
    """Delete and Undo for the Costs page; ``undo_changed`` fires when Undo's target changes.

    Args:
        parent: the page (dialogs open over it).
    """

    undo_changed = Signal()

    def __init__(
        self,
        profile: ProfileSession,
        messages: Messages,
        show_status: Callable[[str], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._messages = messages
        self._show_status = show_status
        self._deleted: list[tuple[Stored[CostData], list[int]]] = []  # newest last

    def delete(self, cost_id: int, data: CostData) -> bool:
        """Ask, then delete the entry (remembering its documents for Undo); True when deleted."""
        what = describe(data)
        if not self._messages.confirm(
            "Delete entry", f"Delete {what}? Edit → Undo puts it back.", "Delete"
        ):
            return False
        try:
            linked = self._profile.documents.list(DocumentFilter(link=(LinkTarget.COST, cost_id)))
            deleted = self._profile.costs.delete(cost_id)
        except UserError as exc:
            self._messages.problem("Delete entry", exc.message)
            return False
        self._deleted.append((deleted, [row.info.id for row in linked]))
        self.undo_changed.emit()
        self._show_status(f"Deleted {what} — Edit → Undo puts it back.")
        return True

    def undo_description(self) -> str | None:
        """What ``undo`` would put back ("the bill “Post-op MRI”"), or None."""
        return describe(self._deleted[-1][0].data) if self._deleted else None

    def undo(self) -> int | None:
        """Put back the entry deleted last, with its document links; its id, or None."""
        if not self._deleted:
            return None
        stored, document_ids = self._deleted.pop()
        self.undo_changed.emit()
        try:
            # one transaction: the entry and its links come back together, or not at all
            cost_id = self._profile.costs.restore_with_links(stored, document_ids)
        except UserError as exc:
            self._messages.problem("Undo delete", exc.message)
            return None
        self._show_status(f"Put back {describe(stored.data)}.")
        return cost_id


# --- opening the dialog ---------------------------------------------------------------------------


def cost_choices(
    profile: ProfileSession,
    case_titles: Mapping[int, str] | None = None,
    main_plan_id: int | None = None,
) -> CostChoices:
    """The providers, cases and plans the dialog offers (a few small reads).

    Args:
        case_titles: the cases' titles when the caller has them (the Costs page's overview).
        main_plan_id: the plan a new entry starts on.
    """
    providers = sorted(
        ((stored.id, stored.data.name) for stored in profile.providers.list()),
        key=lambda item: item[1].casefold(),
    )
    stored_plans = profile.plans.list()
    plans = [(stored.id, stored.data.display_name) for stored in stored_plans]
    supplemental = [s.id for s in stored_plans if s.data.plan_type.is_supplemental]
    if case_titles is None:
        case_titles = {case_id: title for case_id, (title, _) in profile.cases.timelines().items()}
    cases = sorted(case_titles.items(), key=lambda item: -item[0])
    return CostChoices(providers, cases, plans, main_plan_id, supplemental)


def add_cost(
    parent: QWidget | None,
    profile: ProfileSession,
    messages: Messages,
    *,
    kind: CostKind = CostKind.BILL,
    case_id: int | None = None,
    choices: CostChoices | None = None,
) -> int | None:
    """Open the dialog for a new entry; its id, or None when cancelled."""
    try:
        choices = choices or cost_choices(profile)
    except UserError as exc:
        messages.problem("Add a bill or cost", exc.message)
        return None
    saved: list[int] = []
    dialog = CostDialog(
        lambda data: saved.append(profile.costs.add(data)),
        messages,
        choices,
        kind=kind,
        case_id=case_id,
        parent=parent,
    )
    dialog.exec()
    return saved[0] if saved else None


def edit_cost(
    parent: QWidget | None,
    profile: ProfileSession,
    messages: Messages,
    cost_id: int,
    *,
    choices: CostChoices | None = None,
) -> bool:
    """Open the dialog on a stored entry; True when it was saved."""
    try:
        stored = profile.costs.get(cost_id)
        choices = choices or cost_choices(profile)
    except UserError as exc:
        messages.problem("Edit cost entry", exc.message)
        return False
    dialog = CostDialog(
        lambda data: profile.costs.update(cost_id, data),
        messages,
        choices,
        cost=stored.data,
        parent=parent,
    )
    return bool(dialog.exec())
