"""Linking a document: the list of its links, and choosing a treatment, course, medication, case
or cost entry.

Coverage cases are offered as a whole and event by event ("3 Mar 2026 · Denied — Microdiscectomy"):
a denial letter belongs to the denial on the case's timeline. Bills, EOB lines and estimates come
last ("12 Oct 2026 · Bill · Riverside Surgical Center · Facility fee"): a bill's PDF belongs to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.documents import DocumentInfo, LinkTarget
from backlog_app.errors import UserError
from backlog_app.services.context import ProfileSession
from backlog_app.services.document_records import cost_targets
from backlog_app.ui.editors.treatment_dialog import course_label
from backlog_app.ui.messages import Messages

_TARGET_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True, slots=True)
class LinkChoice:
    """One log entry a document can be linked to."""

    target: LinkTarget
    target_id: int
    label: str
    day: dt.date | None


def link_choices(session: ProfileSession) -> dict[LinkTarget, list[LinkChoice]]:
    """Every treatment, therapy course and medication, newest first, in the words of the log;
    then the coverage cases (under ``LinkTarget.CASE``), each followed by its events."""
    providers = {stored.id: stored.data.name for stored in session.providers.list()}
    treatments = [
        LinkChoice(
            LinkTarget.TREATMENT,
            stored.id,
            " · ".join(
                part
                for part in (
                    format_long_date(stored.data.day),
                    stored.data.kind.label,
                    providers.get(stored.data.provider_id or -1),
                )
                if part
            ),
            stored.data.day,
        )
        for stored in session.log.treatments.list()
    ]
    courses = [
        LinkChoice(
            LinkTarget.COURSE,
            stored.id,
            course_label(stored.data, providers.get(stored.data.provider_id or -1)),
            stored.data.start_date,
        )
        for stored in session.log.courses.list()
    ]
    medications = []
    for stored in session.log.medications.list():
        data = stored.data
        name = " ".join(part for part in (data.name, data.strength) if part)
        since = f" (from {format_long_date(data.start_date)})" if data.start_date else ""
        medications.append(
            LinkChoice(LinkTarget.MEDICATION, stored.id, f"{name}{since}", data.start_date)
        )
    oldest = dt.date.min
    choices = {
        target: sorted(choices, key=lambda choice: (choice.day or oldest, choice.target_id))[::-1]
        for target, choices in (
            (LinkTarget.TREATMENT, treatments),
            (LinkTarget.COURSE, courses),
            (LinkTarget.MEDICATION, medications),
        )
    }
    choices[LinkTarget.CASE] = case_link_choices(session)
    choices[LinkTarget.COST] = cost_link_choices(session)
    return choices


def case_link_choices(session: ProfileSession) -> list[LinkChoice]:
    """Each case (the one with the latest event first), followed by its events, newest first."""
    oldest = dt.date.min
    timelines = session.cases.timelines()
    ordered = sorted(
        timelines.items(),
        key=lambda item: (item[1][1][-1].data.day if item[1][1] else oldest, item[0]),
        reverse=True,
    )
    choices: list[LinkChoice] = []
    for case_id, (title, events) in ordered:
        # Undated: a letter's date picks one of the case's events, not the whole case.
        choices.append(LinkChoice(LinkTarget.CASE, case_id, f"{title} (the whole case)", None))
        for event in reversed(events):
            label = f"{format_long_date(event.data.day)} · {event.data.event_type.label} — {title}"
            choices.append(LinkChoice(LinkTarget.CASE_EVENT, event.id, label, event.data.day))
    return choices


def cost_link_choices(session: ProfileSession) -> list[LinkChoice]:
    """Every cost entry, newest first, named as a document's link to it is (``cost_label``)."""
    return [
        LinkChoice(LinkTarget.COST, target.id, target.label, target.day)
        for target in cost_targets(session.database)
    ]


_SECTION_TITLES = {
    LinkTarget.TREATMENT: "Treatments, tests and visits",
    LinkTarget.COURSE: "Therapy courses",
    LinkTarget.MEDICATION: "Medications",
    LinkTarget.CASE: "Coverage cases",
    LinkTarget.COST: "Costs and bills",
}
_INDENT = {LinkTarget.CASE_EVENT: "        "}  # a case's events sit under the case


class LinkPickerDialog(QDialog):
    """A list of log entries with a search box; the entry on the document's date is chosen first.

    Args:
        session: the open profile.
        linked: entries the document is linked to already (left out of the list).
        near: the document's date, if known.
    """

    def __init__(
        self,
        session: ProfileSession,
        linked: Collection[tuple[LinkTarget, int]],
        near: dt.date | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Link to a log entry")
        self.setModal(True)
        self.chosen: tuple[LinkTarget, int] | None = None
        intro = QLabel(
            "Choose the treatment, therapy course, medication, coverage case (or one event on "
            "a case's timeline) or bill this document belongs to.",
            self,
        )
        intro.setWordWrap(True)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Type to narrow the list, e.g. MRI or Mar 2026")
        self.search.setAccessibleName("Find a log entry")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.entries = QListWidget(self)
        self.entries.setAccessibleName("Log entries")
        self.entries.setMinimumSize(460, 320)
        self.entries.itemDoubleClicked.connect(lambda _item: self._link())
        self.entries.currentItemChanged.connect(lambda *_: self._update_button())
        self.empty = QLabel(
            "There are no treatments, courses, medications, cases or bills to link to yet.", self
        )
        self.empty.setObjectName("muted")
        self.empty.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.link_button = self.buttons.addButton("&Link", QDialogButtonBox.ButtonRole.AcceptRole)
        self.link_button.setAccessibleName("Link")
        self.link_button.setDefault(True)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        self.buttons.accepted.connect(self._link)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.search)
        layout.addWidget(self.entries, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.buttons)
        self._fill(link_choices(session), set(linked), near)
        self.search.setFocus()

    def _fill(
        self,
        choices: dict[LinkTarget, list[LinkChoice]],
        linked: set[tuple[LinkTarget, int]],
        near: dt.date | None,
    ) -> None:
        best: QListWidgetItem | None = None
        for target, entries in choices.items():
            entries = [e for e in entries if (e.target, e.target_id) not in linked]
            if not entries:
                continue
            header = QListWidgetItem(_SECTION_TITLES[target])
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            font = QFont(self.entries.font())
            font.setBold(True)
            header.setFont(font)
            self.entries.addItem(header)
            for entry in entries:
                item = QListWidgetItem(f"    {_INDENT.get(entry.target, '')}{entry.label}")
                item.setData(_TARGET_ROLE, (entry.target.value, entry.target_id))
                item.setToolTip(entry.label)
                self.entries.addItem(item)
                if best is None and near is not None and entry.day == near:
                    best = item
        self.empty.setVisible(self.entries.count() == 0)
        if best is not None:
            self.entries.setCurrentItem(best)
            self.entries.scrollToItem(best)
        self._update_button()

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        header: QListWidgetItem | None = None
        header_has_match = False
        for row in range(self.entries.count()):
            item = self.entries.item(row)
            if item.data(_TARGET_ROLE) is None:
                if header is not None:
                    header.setHidden(not header_has_match)
                header, header_has_match = item, False
                continue
            hidden = not all(word in item.text().casefold() for word in words)
            item.setHidden(hidden)
            header_has_match = header_has_match or not hidden
        if header is not None:
            header.setHidden(not header_has_match)
        current = self.entries.currentItem()
        if current is None or current.isHidden():
            visible = [
                self.entries.item(row)
                for row in range(self.entries.count())
                if not self.entries.item(row).isHidden()
                and self.entries.item(row).data(_TARGET_ROLE) is not None
            ]
            if visible:
                self.entries.setCurrentItem(visible[0])
            else:
                self.entries.setCurrentRow(-1)
        self._update_button()

    def _update_button(self) -> None:
        current = self.entries.currentItem()
        self.link_button.setEnabled(
            current is not None
            and not current.isHidden()
            and current.data(_TARGET_ROLE) is not None
        )

    def _link(self) -> None:
        current = self.entries.currentItem()
        if current is None or current.data(_TARGET_ROLE) is None:
            return
        target, target_id = current.data(_TARGET_ROLE)
        self.chosen = (LinkTarget(target), int(target_id))
        self.accept()


class LinksBox(QGroupBox):
    """ "Linked log entries": the document's links, "Link to a log entry…" and "Remove link".

    ``changed`` fires after a link was added or removed.
    """

    changed = Signal()

    def __init__(
        self, session: ProfileSession, messages: Messages, parent: QWidget | None = None
    ) -> None:
        super().__init__("Linked log entries", parent)
        self._session = session
        self._messages = messages
        self._info: DocumentInfo | None = None
        self.links = QListWidget()
        self.links.setAccessibleName("Linked log entries")
        self.links.setMaximumHeight(110)
        self.links.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.no_links = QLabel("Not linked to any log entry yet.")
        self.no_links.setObjectName("muted")
        self.link_button = QPushButton("&Link to a log entry…")
        self.link_button.setAccessibleName("Link to a log entry")
        self.link_button.clicked.connect(self.add_link)
        self.unlink_button = QPushButton("Remove link")
        self.unlink_button.setAccessibleName("Remove link")
        self.unlink_button.setToolTip(
            "The document and the log entry both stay; only the link goes."
        )
        self.unlink_button.clicked.connect(self.remove_link)
        layout = QVBoxLayout(self)
        layout.addWidget(self.no_links)
        layout.addWidget(self.links)
        # One under the other: the details panel may be narrow.
        layout.addWidget(self.link_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.unlink_button, 0, Qt.AlignmentFlag.AlignLeft)

    def show_info(self, info: DocumentInfo) -> None:
        self._info = info
        self.links.clear()
        for link in info.links:
            item = QListWidgetItem(link.label or link.target.value)
            item.setData(_TARGET_ROLE, (link.target.value, link.target_id))
            self.links.addItem(item)
        self.links.setVisible(bool(info.links))
        self.no_links.setVisible(not info.links)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.unlink_button.setEnabled(self.links.currentItem() is not None)

    def add_link(self) -> None:
        """Ask which log entry the document belongs to, and link it."""
        if self._info is None:
            return
        linked = {(link.target, link.target_id) for link in self._info.links}
        dialog = LinkPickerDialog(self._session, linked, self._info.data.document_date, self)
        if not dialog.exec() or dialog.chosen is None:
            return
        target, target_id = dialog.chosen
        try:
            self._session.documents.link(self._info.id, target, target_id)
        except UserError as exc:
            self._messages.problem("Link to a log entry", exc.message)
        self.changed.emit()

    def remove_link(self) -> None:
        """Remove the selected link (the document and the log entry both stay)."""
        item = self.links.currentItem()
        if self._info is None or item is None:
            return
        target, target_id = item.data(_TARGET_ROLE)
        self._session.documents.unlink(self._info.id, LinkTarget(target), int(target_id))
        self.changed.emit()
