"""Parts of the document details panel: the tags field, the suggestion bar, labels for file facts.

``suggestion_offer`` decides which suggested values the user has not set yet and says them in one
sentence ("BackLog thinks this is a Denial letter dated March 4, 2026 from Dr. Patel …").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QCompleter,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.documents import DocumentData, DocumentInfo, DocumentKind
from backlog_app.domain.sizes import file_size_text
from backlog_app.storage.file_inspect import display_name

if TYPE_CHECKING:
    from backlog_app.domain.document_suggest import MetadataSuggestion

SUGGESTION_STYLE = """
QFrame#suggestionBar {
    background: #eef5fc;
    border: 1px solid #a9c8ea;
    border-radius: 8px;
}
QFrame#suggestionBar QLabel { color: #1b3a57; }
"""


# Tags ----------------------------------------------------------------------------------------


class TagsEdit(QLineEdit):
    """Comma-separated tags; the tag being typed is completed from the tags already in use."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("e.g. MRI, lumbar, appeal 2026")
        self._model = QStringListModel(self)
        self.completer_popup = QCompleter(self._model, self)
        self.completer_popup.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_popup.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer_popup.setWidget(self)
        self.completer_popup.activated.connect(self.insert_tag)
        self.textEdited.connect(self._complete)

    def set_known_tags(self, tags: Sequence[str]) -> None:
        self._model.setStringList(list(tags))

    def current_fragment(self) -> str:
        """The tag being typed: the text after the last comma before the cursor."""
        before = self.text()[: self.cursorPosition()]
        return before.rsplit(",", 1)[-1].lstrip()

    def insert_tag(self, tag: str) -> None:
        """Replace the tag being typed with ``tag`` and start the next one."""
        text = self.text()
        cursor = self.cursorPosition()
        start = text.rfind(",", 0, cursor) + 1
        head = text[:start].rstrip()
        head = f"{head} " if head else ""
        rest = text[cursor:]
        end = rest.find(",")
        tail = rest[end:] if end >= 0 else ""
        new_text = f"{head}{tag}, " + tail.lstrip(", ")
        self.setText(new_text.rstrip() if tail else new_text)
        self.setCursorPosition(len(head) + len(tag) + 2)
        self.textEdited.emit(self.text())

    def _complete(self, _text: str) -> None:
        fragment = self.current_fragment()
        completer = self.completer_popup
        popup = completer.popup()
        if fragment:
            completer.setCompletionPrefix(fragment)
        count = completer.completionCount() if fragment else 0
        exact = count == 1 and completer.currentCompletion().casefold() == fragment.casefold()
        if count and not exact:
            completer.complete()
        elif popup is not None:
            popup.hide()


# File facts ----------------------------------------------------------------------------------


class ElidedLabel(QLabel):
    """One line of plain text cut in the middle ("2026-03-04 … report.pdf") when too narrow.

    The full text is in the tooltip and the accessible description.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setMinimumWidth(60)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self.setAccessibleDescription(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics = QFontMetrics(self.font())
        self.setText(metrics.elidedText(self._full, Qt.TextElideMode.ElideMiddle, self.width()))


class FileFacts(QGroupBox):
    """ "About the file": what the user cannot change (name, type, pages, size, text status)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("About the file", parent)
        self.file_name = ElidedLabel()
        self.file_type = QLabel()
        self.page_count = QLabel()
        self.file_size = QLabel()
        self.imported = QLabel()
        self.text_status = QLabel()
        self.text_status.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setObjectName("fieldHint")
        form = QFormLayout(self)
        for label, widget in (
            ("File name:", self.file_name),
            ("Type:", self.file_type),
            ("Pages:", self.page_count),
            ("Size:", self.file_size),
            ("Added:", self.imported),
            ("Text:", self.text_status),
        ):
            widget.setAccessibleName(label.rstrip(":"))
            form.addRow(label, widget)
        form.addRow(self.notes)

    def show_info(self, info: DocumentInfo, *, password_remembered: bool) -> None:
        stored = info.file
        # The name as the user's computer had it, with hidden direction marks made visible.
        self.file_name.set_full_text(display_name(Path(stored.original_name)))
        self.file_type.setText(stored.file_type.label)
        self.page_count.setText(str(stored.page_count) if stored.page_count else "—")
        self.file_size.setText(file_size_text(stored.size_bytes))
        self.imported.setText(local_time_text(info.imported_at))
        self.text_status.setText(info.text_status.label)
        notes = []
        if stored.repaired:
            notes.append(
                "This PDF is damaged, so BackLog shows a repaired copy. "
                "The original file is kept exactly as it was."
            )
        if stored.needs_password:
            notes.append(
                "Protected with a password; the password is remembered in this profile."
                if password_remembered
                else "Protected with a password; BackLog asks for it when it is needed."
            )
        if info.in_trash:
            notes.append("This document is in the trash.")
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))


def local_time_text(stamp: dt.datetime) -> str:
    """A stored (naive UTC) time as the user's local "27 Nov 2026, 14:05"."""
    local = stamp.replace(tzinfo=dt.UTC).astimezone() if stamp.tzinfo is None else stamp
    return f"{local.day} {local:%b %Y, %H:%M}"


# Suggestions ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SuggestionOffer:
    """The suggested values the user has not set yet, and the sentence that offers them."""

    sentence: str
    kind: DocumentKind | None
    document_date: dt.date | None
    provider_id: int | None


def suggestion_offer(
    suggestion: MetadataSuggestion,
    current: DocumentData,
    provider_names: Mapping[int, str],
) -> SuggestionOffer | None:
    """What to offer from ``suggestion`` for a document described as ``current``; None if nothing.

    Only fields the user has not set are offered: the kind while it is "Other", the date and the
    provider while they are empty. A suggested provider must still be in the directory.
    """
    kind = suggestion.kind
    if kind is None or kind is DocumentKind.OTHER or current.kind is not DocumentKind.OTHER:
        kind = None
    day = suggestion.document_date if current.document_date is None else None
    provider = suggestion.provider_id if current.provider_id is None else None
    if provider is not None and provider not in provider_names:
        provider = None
    if kind is None and day is None and provider is None:
        return None
    parts: list[str] = []
    if day is not None:
        parts.append(f"dated {day:%B}\u00a0{day.day},\u00a0{day.year}")  # kept on one line
    if provider is not None:
        parts.append(f"from {provider_names[provider]}")
    if kind is not None:
        article = "an" if kind.label[0].lower() in "aeiou" else "a"
        claim = " ".join([f"this is {article} {kind.label}", *parts])
    else:
        claim = "this document is " + ", ".join(parts)
    reasons = [
        reason.strip()
        for reason, used in (
            (suggestion.kind_reason, kind is not None),
            (suggestion.date_reason, day is not None),
            (suggestion.provider_reason, provider is not None),
        )
        if used and reason and reason.strip()
    ]
    because = f" ({'; '.join(dict.fromkeys(reasons))})" if reasons else ""
    return SuggestionOffer(f"BackLog thinks {claim}{because}.", kind, day, provider)


class SuggestionBar(QFrame):
    """A quiet bar above the fields: the offer in words, [Use these] and [Dismiss]."""

    use_requested = Signal()
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("suggestionBar")
        self.setStyleSheet(SUGGESTION_STYLE)
        self.setAccessibleName("Suggestion")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.use_button = QPushButton("&Use these", self)
        self.use_button.setAccessibleName("Use the suggested details")
        self.use_button.setToolTip("Fill in the suggested details and save them.")
        self.use_button.clicked.connect(self.use_requested)
        self.dismiss_button = QPushButton("Dismiss", self)
        self.dismiss_button.setAccessibleName("Dismiss the suggestion")
        self.dismiss_button.setToolTip("Hide this suggestion; nothing is changed.")
        self.dismiss_button.clicked.connect(self.dismissed)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.dismiss_button)
        buttons.addWidget(self.use_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.offer: SuggestionOffer | None = None
        self.hide()

    def show_offer(self, offer: SuggestionOffer | None) -> None:
        self.offer = offer
        if offer is None:
            self.hide()
            return
        self.message.setText(offer.sentence)
        self.message.setAccessibleName(offer.sentence)
        self.show()
