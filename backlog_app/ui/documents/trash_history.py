"""The documents moved to the trash in this session, so that Ctrl+Z can take them out again."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from backlog_app.services.documents import DocumentService

UNDO_LIMIT = 20


@dataclass(frozen=True, slots=True)
class TrashedDocument:
    document_id: int
    title: str

    @property
    def description(self) -> str:
        return f"“{self.title}”"


class TrashHistory(QObject):
    """Newest last. ``changed`` fires whenever what Undo would do changes."""

    changed = Signal()

    def __init__(self, documents: DocumentService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._documents = documents
        self._trashed: list[TrashedDocument] = []

    def trash(self, document_id: int, title: str) -> TrashedDocument:
        """Move to the trash and remember. Raises UserError when the document is gone."""
        self._documents.trash(document_id)
        trashed = TrashedDocument(document_id, title)
        self._trashed.append(trashed)
        del self._trashed[:-UNDO_LIMIT]
        self.changed.emit()
        return trashed

    def last(self) -> TrashedDocument | None:
        return self._trashed[-1] if self._trashed else None

    def undo(self) -> TrashedDocument | None:
        """Restore the last one. Raises UserError (and forgets it) when it no longer exists."""
        if not self._trashed:
            return None
        trashed = self._trashed.pop()
        try:
            self._documents.restore(trashed.document_id)
        finally:
            self.changed.emit()
        return trashed

    def forget(self, document_id: int) -> None:
        """The document left the trash another way (restored, removed for good)."""
        kept = [t for t in self._trashed if t.document_id != document_id]
        if len(kept) != len(self._trashed):
            self._trashed = kept
            self.changed.emit()
