"""The details panel of the Documents page: describe one document, see its file, link it to the log.

The fields save with Save (Ctrl+S) or when the user moves to another document; problems are
shown in plain words above the buttons and nothing is saved until they are fixed. Suggestions read
from the document's text are offered in a bar and applied only when the user says so.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.documents import (
    DocumentData,
    DocumentInfo,
    DocumentKind,
    TextStatus,
    normalize_tags,
)
from backlog_app.errors import UserError, ValidationError
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession
from backlog_app.ui.documents.background import BackgroundReads
from backlog_app.ui.documents.detail_parts import (
    FileFacts,
    SuggestionBar,
    TagsEdit,
    suggestion_offer,
)
from backlog_app.ui.documents.link_picker import LinksBox
from backlog_app.ui.editors.log_widgets import EnumCombo, IdCombo
from backlog_app.ui.jobs import JobRunner
from backlog_app.ui.messages import Messages
from backlog_app.ui.signals import DataChanges
from backlog_app.ui.widgets import NotesEdit, OptionalDateEdit, ProblemList

if TYPE_CHECKING:
    from backlog_app.domain.document_suggest import MetadataSuggestion

log = logging.getLogger("backlog.ui.documents")


def _suggest(session: ProfileSession, document_id: int) -> MetadataSuggestion:
    from backlog_app.services.document_text import suggest_for

    return suggest_for(session, document_id)


class DocumentDetails(QWidget):
    """Inline editor and facts for one document (``set_document``), or a hint when none is chosen.

    Args:
        session: the open profile.
        jobs: the window's job runner (slow work that writes).
        messages: dialogs (a problem when leaving a document whose changes cannot be saved).
    """

    saved = Signal(int)  # the document id, after its details were saved

    def __init__(
        self,
        session: ProfileSession,
        jobs: JobRunner,
        messages: Messages,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._jobs = jobs
        self._messages = messages
        self._info: DocumentInfo | None = None
        self._clean_state: tuple[object, ...] | None = None
        self._provider_names: dict[int, str] = {}
        self._dismissed: set[int] = set()
        self._suggested_for: tuple[int, TextStatus] | None = None
        self._suggestion: tuple[int, MetadataSuggestion] | None = None
        self._reads = BackgroundReads(self, threads=1)
        # Refresh the facts when the document changes elsewhere (its text was read, say).
        self._changes = DataChanges(session.changes, self)
        self._changes.changed.connect(self._data_changed)

        self.empty = QLabel("Choose a document to see and change its details.")
        self.empty.setObjectName("muted")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.suggestion = SuggestionBar()
        self.suggestion.use_requested.connect(self.use_suggestion)
        self.suggestion.dismissed.connect(self.dismiss_suggestion)
        self._build_fields()
        self.facts_box = FileFacts()
        self.links_box = LinksBox(session, messages)
        self.links_box.changed.connect(self._refresh)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(10)
        layout.addWidget(self.suggestion)
        layout.addWidget(self.fields_box)
        layout.addWidget(self.problems)
        layout.addLayout(self._button_row)
        layout.addWidget(self.facts_box)
        layout.addWidget(self.links_box)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.empty)
        self.pages.addWidget(scroll)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.set_document(None)

    # Building --------------------------------------------------------------------------------

    def _build_fields(self) -> None:
        self.kind: EnumCombo[DocumentKind] = EnumCombo("Kind", list(DocumentKind), none_label=None)
        # The panel may be narrow: long choices show in full in the open list.
        self.kind.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.kind.setMinimumContentsLength(12)
        self.title = QLineEdit()
        self.title.setAccessibleName("Title")
        self.title.setPlaceholderText("e.g. MRI lumbar spine report")
        self.title.returnPressed.connect(self.save)
        self.document_date = OptionalDateEdit()
        self.document_date.setAccessibleName("Date on the document")
        self.document_date.setToolTip("The date printed on the document (not when you added it).")
        self.provider = IdCombo("Provider", [], none_label="— not set —")
        self.provider.setMinimumContentsLength(12)
        for combo in (self.kind, self.provider):
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.tags = TagsEdit()
        self.tags.setAccessibleName("Tags")
        self.tags.setToolTip("Short words to find the document by, separated by commas.")
        self.notes = NotesEdit(lines=3)
        self.notes.setAccessibleName("Notes")
        self.fields_box = QGroupBox("Details")
        form = QFormLayout(self.fields_box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("&Kind:", self.kind)
        form.addRow("&Title:", self.title)
        form.addRow("Document &date:", self.document_date)
        form.addRow("&Provider:", self.provider)
        form.addRow("Ta&gs:", self.tags)
        form.addRow("&Notes:", self.notes)
        self.problems = ProblemList()
        self.saved_note = QLabel()
        self.saved_note.setObjectName("muted")
        self.revert_button = QPushButton("&Revert")
        self.revert_button.setAccessibleName("Revert changes")
        self.revert_button.setToolTip("Go back to the details as they were last saved.")
        self.revert_button.clicked.connect(self.revert)
        self.save_button = QPushButton("&Save")
        self.save_button.setObjectName("primaryButton")
        self.save_button.setAccessibleName("Save details")
        self.save_button.setToolTip("Save the details (Ctrl+S).")
        self.save_button.clicked.connect(self.save)
        self._button_row = QHBoxLayout()
        self._button_row.addWidget(self.saved_note, 1)
        self._button_row.addWidget(self.revert_button)
        self._button_row.addWidget(self.save_button)
        self.kind.currentIndexChanged.connect(self._changed)
        self.title.textChanged.connect(self._changed)
        self.document_date.dateChanged.connect(self._changed)
        self.provider.currentIndexChanged.connect(self._changed)
        self.tags.textChanged.connect(self._changed)
        self.notes.textChanged.connect(self._changed)

    # Showing a document ----------------------------------------------------------------------

    @property
    def document_id(self) -> int | None:
        return self._info.id if self._info is not None else None

    def set_document(self, document_id: int | None) -> None:
        """Show ``document_id`` (None: nothing chosen).

        Unsaved changes to the document shown before are saved first when they are valid; when
        they are not, the user is told what was not saved. Showing the same document again only
        refreshes what the user cannot edit (and the fields, when they hold no changes).
        """
        if document_id is not None and document_id == self.document_id:
            self._refresh()
            return
        self._leave_current()
        self._info = None
        self._suggested_for = None
        self.suggestion.show_offer(None)
        if document_id is not None:
            try:
                self._info = self._session.documents.get(document_id)
            except UserError:
                self._info = None  # removed meanwhile
        if self._info is None:
            self.pages.setCurrentIndex(0)
            self._clean_state = None
            return
        self.pages.setCurrentIndex(1)
        self._load_choices()
        self._show_fields(self._info)
        self._show_facts(self._info)
        self._request_suggestion()

    def has_unsaved_changes(self) -> bool:
        return self._clean_state is not None and self._field_state() != self._clean_state

    def detach(self) -> None:
        """Stop background work before the profile closes (unsaved valid changes are saved)."""
        self._leave_current()
        self._changes.detach()
        self._reads.stop()

    def _data_changed(self, changes: frozenset[Change]) -> None:
        if self._info is None:
            return
        if Change.PROVIDERS in changes:
            self._load_choices()
        if Change.DOCUMENTS in changes or Change.PROVIDERS in changes:
            self._refresh()

    def _refresh(self) -> None:
        if self._info is None:
            return
        try:
            info = self._session.documents.get(self._info.id)
        except UserError:
            self._info = None
            self._clean_state = None
            self.pages.setCurrentIndex(0)
            return
        before, self._info = self._info, info
        if info.data != before.data and not self.has_unsaved_changes():
            self._show_fields(info)  # changed elsewhere (a link, the CLI); nothing typed here
        self._show_facts(info)
        self._request_suggestion()

    def _load_choices(self) -> None:
        providers = self._session.providers.list()
        self._provider_names = {stored.id: stored.data.name for stored in providers}
        self.provider.set_choices(
            [(stored.id, f"{stored.data.name} — {stored.data.role.label}") for stored in providers]
        )
        self.tags.set_known_tags(self._session.documents.tags())

    def _show_fields(self, info: DocumentInfo) -> None:
        data = info.data
        self.kind.set_value(data.kind)
        self.title.setText(data.title)
        self.title.setCursorPosition(0)  # a long title shows its beginning
        self.document_date.set_date(data.document_date)
        self.provider.set_value(data.provider_id)
        self.tags.setText(", ".join(data.tags))
        self.tags.setCursorPosition(0)
        self.notes.set_value(data.notes)
        self.problems.clear_problems()
        self._clean_state = self._field_state()
        self._update_buttons()

    def _show_facts(self, info: DocumentInfo) -> None:
        remembered = (
            info.file.needs_password and self._session.documents.saved_password(info.id) is not None
        )
        self.facts_box.show_info(info, password_remembered=remembered)
        self.links_box.show_info(info)

    # Editing ---------------------------------------------------------------------------------

    def _field_state(self) -> tuple[object, ...]:
        return (
            self.kind.currentIndex(),
            self.title.text(),
            self.document_date.date_value(),
            self.provider.value(),
            normalize_tags(self.tags.text()),
            self.notes.toPlainText(),
        )

    def _collect(self) -> DocumentData:
        return DocumentData(
            kind=self.kind.value() or DocumentKind.OTHER,
            title=self.title.text(),
            document_date=self.document_date.date_value(),
            provider_id=self.provider.value(),
            notes=self.notes.value(),
            tags=normalize_tags(self.tags.text()),
        )

    def _changed(self) -> None:
        self.saved_note.clear()
        self._update_buttons()

    def _update_buttons(self) -> None:
        modified = self.has_unsaved_changes()
        self.save_button.setEnabled(modified)
        self.revert_button.setEnabled(modified)

    def save(self) -> bool:
        """Save the fields. Returns False (with the problems shown) when they break a rule."""
        if self._info is None or not self.has_unsaved_changes():
            return True
        document_id = self._info.id
        try:
            self._session.documents.update(document_id, self._collect())
        except ValidationError as exc:
            self.problems.show_problems(exc.problems)
            return False
        except UserError as exc:
            self.problems.show_problems([exc.message])
            return False
        self.problems.clear_problems()
        self._info = None  # reload what was saved (tags tidied, title trimmed)
        self.set_document(document_id)
        self.saved_note.setText("Saved.")
        self.saved.emit(document_id)
        return True

    def revert(self) -> None:
        """Put back the details as they were last saved."""
        if self._info is not None:
            self._show_fields(self._info)
            self.saved_note.clear()
            self._update_offer()

    def _leave_current(self) -> None:
        """Save valid changes before another document is shown; say so when they cannot be."""
        if self._info is None or not self.has_unsaved_changes():
            return
        title = self._info.data.title
        try:
            self._session.documents.update(self._info.id, self._collect())
        except ValidationError as exc:
            self._messages.problem(
                "Changes not saved",
                f"Your changes to “{title}” were not saved: " + " ".join(exc.problems),
            )
        except UserError:
            log.info("changes to a removed document dropped")
        self._clean_state = None

    # Suggestions -----------------------------------------------------------------------------

    def _request_suggestion(self) -> None:
        info = self._info
        if info is None or info.id in self._dismissed:
            return
        key = (info.id, info.text_status)
        if self._suggested_for == key:
            self._update_offer()
            return
        self._suggested_for = key
        session, document_id = self._session, info.id
        self._reads.submit(
            lambda: _suggest(session, document_id),
            lambda suggestion: self._suggestion_ready(document_id, suggestion),
            lambda error: log.info("no suggestion (%s)", error.__class__.__name__),
            key="suggestion",
        )

    def _suggestion_ready(self, document_id: int, suggestion: MetadataSuggestion) -> None:
        self._suggestion = (document_id, suggestion)
        self._update_offer()

    def _update_offer(self) -> None:
        info = self._info
        if (
            info is None
            or self._suggestion is None
            or self._suggestion[0] != info.id
            or info.id in self._dismissed
        ):
            self.suggestion.show_offer(None)
            return
        offer = suggestion_offer(self._suggestion[1], info.data, self._provider_names)
        self.suggestion.show_offer(offer)

    def use_suggestion(self) -> None:
        """Fill in the offered values and save them (the user pressed Use these)."""
        offer = self.suggestion.offer
        if offer is None or self._info is None:
            return
        if offer.kind is not None:
            self.kind.set_value(offer.kind)
        if offer.document_date is not None:
            self.document_date.set_date(offer.document_date)
        if offer.provider_id is not None:
            self.provider.set_value(offer.provider_id)
        self.suggestion.show_offer(None)
        if self.save():
            self.saved_note.setText("Saved the suggested details.")

    def dismiss_suggestion(self) -> None:
        """Hide the offer for this document (until BackLog is started again)."""
        if self._info is not None:
            self._dismissed.add(self._info.id)
        self.suggestion.show_offer(None)
