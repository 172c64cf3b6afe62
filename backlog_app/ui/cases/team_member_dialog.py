"""Add a role to a case's care team, or choose who fills one: the role, the provider, notes.

The provider list puts the providers who usually fill the role first (a hospital for "Hospital
or surgery center"), then the others; "Not known yet" is a valid answer, since the office often
names the anesthesiologist only days before. Saving goes through ``NetworkService``: the same
provider twice in one role is refused in plain words and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from backlog_app.domain.network_rules import CareRole, CareTeamData, TeamMember
from backlog_app.domain.records import ProviderData, ProviderRole
from backlog_app.errors import UserError
from backlog_app.services.context import ProfileSession
from backlog_app.ui.editors.log_dialog import LogRecordDialog
from backlog_app.ui.editors.provider_dialog import ProviderDialog
from backlog_app.ui.messages import Messages
from backlog_app.ui.widgets import NotesEdit

NOT_KNOWN_LABEL = "Not known yet"
ROLE_HELP = (
    "The part this provider plays in the procedure. Each part sends its own bill, so each must "
    "be in network on its own."
)
_MAX_KINDS_NAMED = 3  # more kinds of provider than this, and the hint speaks generally
PROVIDER_HELP = (
    "Who fills the role. Choose “Not known yet” when the office has not said; ask them, then "
    "come back."
)


@dataclass(frozen=True, slots=True)
class ProviderChoice:
    """One provider as the picker shows it: "Dr. Okafor — Spine surgeon, Northside Spine"."""

    id: int
    name: str
    role: ProviderRole
    organization: str | None = None

    @property
    def label(self) -> str:
        details = ", ".join(part for part in (self.role.label, self.organization) if part)
        return f"{self.name} — {details}"


def provider_choices(profile: ProfileSession) -> list[ProviderChoice]:
    """Every provider of the profile, by name."""
    providers = sorted(profile.providers.list(), key=lambda p: p.data.name.casefold())
    return [ProviderChoice(p.id, p.data.name, p.data.role, p.data.organization) for p in providers]


class TeamMemberDialog(LogRecordDialog):
    """Edits one CareTeamData; ``save`` is called with it when the user saves.

    Args:
        providers: the providers to offer (``provider_choices``).
        member: the row being changed; None adds a role to ``case_id``.
        new_provider: opens the provider editor for a new provider suited to a role and returns
            the fresh provider list and the new id (None: cancelled). None hides the button.
    """

    def __init__(
        self,
        save: Callable[[CareTeamData], object],
        messages: Messages,
        providers: Sequence[ProviderChoice],
        *,
        case_id: int,
        member: CareTeamData | None = None,
        new_provider: Callable[[QWidget, CareRole], tuple[list[ProviderChoice], int] | None]
        | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = f"{member.role.label}: choose the provider" if member else "Add a role"
        super().__init__(title, save, messages, parent)
        self._case_id = case_id
        self._providers = list(providers)
        self._new_provider = new_provider

        self.role = QComboBox(self)
        for role in CareRole:
            self.role.addItem(role.label, role.value)
        self.role.setAccessibleName("Role on the care team")
        self.role.setToolTip(ROLE_HELP)
        self.provider = QComboBox(self)
        self.provider.setAccessibleName("Provider")
        self.provider.setToolTip(PROVIDER_HELP)
        self.provider.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.provider.setMinimumContentsLength(36)
        self.new_button = QPushButton("&New provider…", self)
        self.new_button.setAccessibleName("New provider")
        self.new_button.setToolTip("Not in the list? Add the provider to your list here")
        self.new_button.setVisible(new_provider is not None)
        self.new_button.clicked.connect(self._add_provider)
        self.hint = QLabel(self)
        self.hint.setObjectName("fieldHint")
        self.hint.setWordWrap(True)
        self.notes = NotesEdit(lines=2)
        self.notes.setAccessibleName("Notes")
        self.notes.setPlaceholderText("e.g. Dr. Lee's group — the doctor's name is not given yet")

        provider_row = QHBoxLayout()
        provider_row.addWidget(self.provider, 1)
        provider_row.addWidget(self.new_button)
        provider_box = QVBoxLayout()
        provider_box.setSpacing(2)
        provider_box.addLayout(provider_row)
        provider_box.addWidget(self.hint)
        provider_label = QLabel("&Provider", self)
        provider_label.setBuddy(self.provider)  # a row holding a layout gets no buddy itself
        self.form.addRow("&Role", self.role)
        self.form.addRow(provider_label, provider_box)
        self.form.addRow("No&tes", self.notes)

        start = member or CareTeamData(case_id, CareRole.SURGEON)
        self.role.setCurrentIndex(self.role.findData(start.role.value))
        self._fill_providers(start.provider_id)
        self.notes.set_value(start.notes)
        self.role.currentIndexChanged.connect(self._role_changed)
        self.set_preferred_width(640)
        self.mark_clean()
        (self.provider if member else self.role).setFocus()

    # The record --------------------------------------------------------------------------------

    def chosen_role(self) -> CareRole:
        return CareRole(self.role.currentData())

    def provider_id(self) -> int | None:
        data = self.provider.currentData()
        return int(data) if data is not None else None

    def select_provider(self, provider_id: int | None) -> None:
        index = self.provider.findData(provider_id) if provider_id is not None else 0
        self.provider.setCurrentIndex(max(index, 0))

    def collect(self) -> CareTeamData:
        return CareTeamData(
            case_id=self._case_id,
            role=self.chosen_role(),
            provider_id=self.provider_id(),
            notes=self.notes.value(),
        )

    # Reactions ---------------------------------------------------------------------------------

    def _fill_providers(self, selected: int | None) -> None:
        """Those who usually fill the role first, a line, then everyone else."""
        role = self.chosen_role()
        suited_roles = role.provider_roles
        suited = [p for p in self._providers if p.role in suited_roles]
        others = [p for p in self._providers if p.role not in suited_roles]
        self.provider.blockSignals(True)
        self.provider.clear()
        self.provider.addItem(NOT_KNOWN_LABEL, None)
        for choice in suited:
            self.provider.addItem(choice.label, choice.id)
        if suited and others:
            self.provider.insertSeparator(self.provider.count())
        for choice in others:
            self.provider.addItem(choice.label, choice.id)
        self.provider.blockSignals(False)
        self.select_provider(selected)
        self.hint.setText(_hint(suited_roles, bool(self._providers)))

    def _role_changed(self) -> None:
        self._fill_providers(self.provider_id())

    def _add_provider(self) -> None:
        if self._new_provider is None:
            return
        added = self._new_provider(self, self.chosen_role())
        if added is None:
            return
        self._providers, provider_id = added
        self._fill_providers(provider_id)


def _hint(suited: frozenset[ProviderRole], any_providers: bool) -> str:
    """ "Usually: Anesthesiology." — short, so it stays on one line."""
    if not any_providers:
        return "Your provider list is empty: add the provider with “New provider…”."
    if len(suited) > _MAX_KINDS_NAMED:
        return "Those who usually fill this role are listed first."
    kinds = [kind.label for kind in ProviderRole if kind in suited]
    return f"Usually: {', '.join(kinds)}."


# --- opening the dialog ---------------------------------------------------------------------------


def add_role(
    parent: QWidget | None, profile: ProfileSession, messages: Messages, case_id: int
) -> int | None:
    """Open the dialog for a new role on ``case_id``; the new row's id, or None."""
    try:
        providers = provider_choices(profile)
    except UserError as exc:
        messages.problem("Add a role", exc.message)
        return None
    saved: list[int] = []
    dialog = TeamMemberDialog(
        lambda data: saved.append(profile.network.add_member(data)),
        messages,
        providers,
        case_id=case_id,
        new_provider=_provider_adder(profile),
        parent=parent,
    )
    dialog.exec()
    return saved[0] if saved else None


def choose_provider(
    parent: QWidget | None, profile: ProfileSession, messages: Messages, member: TeamMember
) -> bool:
    """Open the dialog on a stored care-team row; True when it was saved."""
    try:
        providers = provider_choices(profile)
    except UserError as exc:
        messages.problem("Choose provider", exc.message)
        return False
    dialog = TeamMemberDialog(
        lambda data: profile.network.update_member(member.id, data),
        messages,
        providers,
        case_id=member.data.case_id,
        member=member.data,
        new_provider=_provider_adder(profile),
        parent=parent,
    )
    return bool(dialog.exec())


def _provider_adder(
    profile: ProfileSession,
) -> Callable[[QWidget, CareRole], tuple[list[ProviderChoice], int] | None]:
    def add(parent: QWidget, role: CareRole) -> tuple[list[ProviderChoice], int] | None:
        added: list[int] = []
        dialog = ProviderDialog(
            lambda data: added.append(profile.providers.add(data)), parent=parent
        )
        usual = [kind for kind in ProviderRole if kind in role.provider_roles]
        if len(usual) < len(ProviderRole):  # start on the usual kind ("Anesthesiology")
            dialog.set_provider(ProviderData(name="", role=usual[0]))
        if not dialog.exec() or not added:
            return None
        return provider_choices(profile), added[0]

    return add
