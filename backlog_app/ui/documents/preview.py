"""The preview pane: a PDF (QtPdf) or a picture, with page navigation and zoom.

Locked PDFs open with the saved password, else after asking for it; damaged PDFs are shown
from a copy repaired in memory (the original in the vault is only read); pictures are decoded
upright in the background (HEIC through Pillow), one page at a time. Originals are read through
the vault into memory (decrypted for an encrypted profile) and shown from there: no copy of a
document is ever written to disk for the preview.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument, QPdfSearchModel
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from backlog_app.domain.documents import DocumentInfo, FileType
from backlog_app.errors import UserError
from backlog_app.services.documents import DocumentService, StoredOriginal
from backlog_app.ui.documents.background import BackgroundReads
from backlog_app.ui.documents.image_source import (
    DecodedPage,
    PasswordNeeded,
    decode_page,
    repaired_pdf,
)
from backlog_app.ui.documents.image_view import ImageView
from backlog_app.ui.documents.pdf_zoom import PdfZoom
from backlog_app.ui.documents.preview_parts import PreviewNote, PreviewToolbar
from backlog_app.ui.messages import Messages

log = logging.getLogger("backlog.ui.documents")

NOTHING_SELECTED = "Select a document to see it here."
WRONG_PASSWORD = "That password did not open it. Check capital letters and try again."
PAGE_CACHE = 4  # decoded picture pages kept for the current document
# A PDF up to this size is read (and decrypted) on the GUI thread: a few milliseconds, and the
# page shows at once. A larger one is read in the background first.
READ_AT_ONCE_BYTES = 8 * 1024 * 1024


class DocumentPreview(QWidget):
    """Shows one document. ``shown`` fires once what is on screen is final (page, picture, note).

    Args:
        documents: the profile's documents (stored originals, saved passwords).
        messages: asks for passwords.
        reads: the page's background pool (pictures, repairs).
    """

    shown = Signal()

    def __init__(
        self,
        documents: DocumentService,
        messages: Messages,
        reads: BackgroundReads,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._documents = documents
        self._messages = messages
        self._reads = reads
        self._info: DocumentInfo | None = None
        self._mode = "note"
        self._pdf_buffer: QBuffer | None = None  # what the PDF on screen is read from
        self._passwords: dict[int, str] = {}  # typed this session, not saved
        self._pages: dict[int, DecodedPage] = {}
        self._image_page = 0
        self._image_count = 0
        self._jump_to_match = False
        # The password the user just typed: saved on success when ``remember``; asked again if wrong.
        self._typed: tuple[int, str, bool] | None = None

        self._pdf = QPdfDocument(self)
        self._search = QPdfSearchModel(self)
        self._search.setDocument(self._pdf)
        self.pdf_view = QPdfView(self)
        self.pdf_view.setDocument(self._pdf)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pdf_view.setSearchModel(self._search)
        self.pdf_view.setAccessibleName("Document preview")
        self._pdf_zoom = PdfZoom(self.pdf_view, self._pdf)
        self.image_view = ImageView(self)

        self.note = PreviewNote(self)
        self.note.password_button.clicked.connect(lambda: self.ask_password_now())
        self.stack = QStackedWidget(self)
        for widget in (self.note, self.pdf_view, self.image_view):
            self.stack.addWidget(widget)

        self.toolbar = PreviewToolbar(self)
        self.toolbar.previous_button.clicked.connect(self.previous_page)
        self.toolbar.next_button.clicked.connect(self.next_page)
        self.toolbar.zoom_out_button.clicked.connect(self.zoom_out)
        self.toolbar.zoom_in_button.clicked.connect(self.zoom_in)
        self.toolbar.fit_width_button.clicked.connect(self.fit_width)
        self.toolbar.fit_page_button.clicked.connect(self.fit_page)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.stack, 1)

        for key, slot in (
            (QKeySequence(Qt.Key.Key_PageDown), self.next_page),
            (QKeySequence(Qt.Key.Key_PageUp), self.previous_page),
            (QKeySequence(QKeySequence.StandardKey.ZoomIn), self.zoom_in),
            (QKeySequence("Ctrl+="), self.zoom_in),
            (QKeySequence(QKeySequence.StandardKey.ZoomOut), self.zoom_out),
        ):
            shortcut = QShortcut(key, self, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.pdf_view.pageNavigator().currentPageChanged.connect(self._update_tools)
        self.pdf_view.zoomFactorChanged.connect(self._update_tools)
        self.pdf_view.zoomModeChanged.connect(self._update_tools)
        self.image_view.zoom_changed.connect(self._update_tools)
        self._search.countChanged.connect(self._search_found)
        self._show_note(NOTHING_SELECTED)

    # What is shown -----------------------------------------------------------------------------

    @property
    def document(self) -> DocumentInfo | None:
        return self._info

    @property
    def mode(self) -> str:
        """ "pdf", "image", "loading", "locked" or "note" (nothing selected, or a problem)."""
        return self._mode

    def page_count(self) -> int:
        if self._mode == "pdf":
            return self._pdf.pageCount()
        return self._image_count if self._mode == "image" else 0

    def current_page(self) -> int:
        """The page on screen, counted from 0."""
        if self._mode == "pdf":
            return self.pdf_view.pageNavigator().currentPage()
        return self._image_page if self._mode == "image" else 0

    def focus_content(self) -> None:
        """Put the keyboard focus on what is shown (Page Up/Down, arrows then scroll it)."""
        widget = self.stack.currentWidget()
        (widget if widget is not None else self).setFocus(Qt.FocusReason.OtherFocusReason)

    def note_text(self) -> str:
        return self.note.label.text()

    def show_document(self, info: DocumentInfo | None) -> None:
        """Show ``info`` (None: nothing). The same document again keeps page and zoom."""
        shown = self._info
        if (
            info is not None
            and shown is not None
            and (info.id, info.file) == (shown.id, shown.file)
            and self._mode != "note"
        ):
            self._info = info  # new metadata, same file: keep the page and zoom
            return
        self._info = info
        self._typed = None
        self._release()
        if info is None:
            self._show_note(NOTHING_SELECTED)
            return
        try:
            original = self._documents.original_of(info)
        except UserError as exc:
            self._show_note(exc.message)
            return
        if info.file.file_type is FileType.PDF:
            self._open_pdf(info, original, self._known_password(info))
        else:
            self._load_picture_page(info, original, 0)

    def set_search_text(self, text: str) -> None:
        """Highlight these words in PDFs (and go to the first match when a PDF opens)."""
        if text != self._search.searchString():
            self._search.setSearchString(text)

    def stop(self) -> None:
        """Let go of the document on screen (the page is closing)."""
        self._release()

    # PDFs --------------------------------------------------------------------------------------

    def _known_password(self, info: DocumentInfo) -> str | None:
        if info.id in self._passwords:
            return self._passwords[info.id]
        if info.file.needs_password:
            return self._documents.saved_password(info.id)
        return None

    def _open_pdf(self, info: DocumentInfo, original: StoredOriginal, password: str | None) -> None:
        if info.file.repaired:
            self._show_note("Opening a readable copy of this damaged PDF…", mode="loading")
            self._reads.submit(
                lambda: repaired_pdf(original.read_bytes(), password),
                lambda result: self._repaired(info, password, result),
                lambda exc: self._failed(info, exc),
                key="preview",
            )
            return
        if info.file.size_bytes > READ_AT_ONCE_BYTES:
            self._show_note("Opening the PDF…", mode="loading")
            self._reads.submit(
                original.read_bytes,
                lambda data: self._read_done(info, data, password),
                lambda exc: self._failed(info, exc),
                key="preview",
            )
            return
        try:
            data = original.read_bytes()
        except UserError as exc:
            self._show_note(exc.message)
            return
        self._load_pdf(info, data, password)

    def _read_done(self, info: DocumentInfo, data: bytes, password: str | None) -> None:
        if self._info is None or self._info.id != info.id:
            return
        self._load_pdf(info, data, password)

    def _repaired(
        self, info: DocumentInfo, password: str | None, result: bytes | PasswordNeeded
    ) -> None:
        if self._info is None or self._info.id != info.id:
            return
        if isinstance(result, PasswordNeeded):
            self._show_locked(info, wrong=password is not None)
            return
        self._load_pdf(info, result, password)  # the copy keeps the original's password
        if password is not None:
            self._passwords[info.id] = password

    def _load_pdf(self, info: DocumentInfo, data: bytes, password: str | None) -> None:
        self._close_pdf()
        # QtPdf reads the document from this buffer while it is shown; it is let go in
        # ``_close_pdf``. The bytes live only in memory.
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._pdf_buffer = buffer
        self._pdf.setPassword(password or "")
        self._pdf.load(buffer)  # a buffer is read at once: the status is final on return
        error = self._pdf.error()
        if error == QPdfDocument.Error.IncorrectPassword:
            self._close_pdf()
            self._show_locked(info, wrong=password is not None)
            return
        if error != QPdfDocument.Error.None_ or self._pdf.pageCount() == 0:
            log.info("pdf preview failed: %s", error.name)
            self._close_pdf()
            self._show_note(
                f"“{info.data.title}” could not be shown here. Try “Open in viewer”; if that "
                "fails too, run Tools → Check documents."
            )
            return
        if password is not None:
            self._passwords[info.id] = password
        if self._typed is not None and self._typed[0] == info.id and self._typed[2]:
            self._documents.set_saved_password(info.id, self._typed[1])
        self._typed = None
        self._mode = "pdf"
        self.stack.setCurrentWidget(self.pdf_view)
        self.pdf_view.pageNavigator().jump(0, QPointF(), 0)
        self._jump_to_match = bool(self._search.searchString())
        self._update_tools()
        self.shown.emit()

    def _show_locked(self, info: DocumentInfo, *, wrong: bool) -> None:
        self._passwords.pop(info.id, None)
        first = (
            f"That password did not open “{info.data.title}”."
            if wrong
            else f"“{info.data.title}” is protected with a password."
        )
        self._show_note(
            f"{first}\nThe password is often in the letter or e-mail the PDF came with.",
            mode="locked",
        )
        if self._typed is not None:  # the password just typed was wrong: ask again until Cancel
            self._typed = None
            QTimer.singleShot(0, lambda: self.ask_password_now(WRONG_PASSWORD))

    def ask_password_now(self, problem: str | None = None) -> None:
        """Ask for the password of the locked PDF on screen, and open it with the answer."""
        info = self._info
        if info is None or self._mode != "locked":
            return
        answer = self._messages.ask_password(
            "Password needed",
            f"“{info.data.title}” is protected with a password. Type it to see the document.",
            offer_remember=True,
            problem=problem,
            accept="Open",
        )
        if answer is None:
            return
        try:
            original = self._documents.original_of(info)
        except UserError as exc:
            self._show_note(exc.message)
            return
        self._typed = (info.id, answer.password, answer.remember)
        self._open_pdf(info, original, answer.password)

    # Pictures ----------------------------------------------------------------------------------

    def _load_picture_page(self, info: DocumentInfo, original: StoredOriginal, page: int) -> None:
        if page in self._pages:
            self._picture_ready(info, self._pages[page])
            return
        if self._mode != "image":
            self._show_note("Opening the picture…", mode="loading")
        file_type = info.file.file_type
        self._reads.submit(
            # Read again for each page: only decoded pages are kept, not the file's bytes.
            lambda: decode_page(original.read_bytes(), file_type, page),
            lambda decoded: self._picture_ready(info, decoded),
            lambda exc: self._failed(info, exc),
            key="preview",
        )

    def _picture_ready(self, info: DocumentInfo, decoded: DecodedPage) -> None:
        if self._info is None or self._info.id != info.id:
            return
        self._pages[decoded.page] = decoded
        while len(self._pages) > PAGE_CACHE:
            oldest = next(page for page in self._pages if page != decoded.page)
            del self._pages[oldest]
        self._image_page, self._image_count = decoded.page, decoded.page_count
        self._mode = "image"
        self.stack.setCurrentWidget(self.image_view)
        self.image_view.set_image(decoded.image)
        self._update_tools()
        self.shown.emit()

    def _failed(self, info: DocumentInfo, exc: BaseException) -> None:
        if self._info is None or self._info.id != info.id:
            return
        if isinstance(exc, UserError):
            self._show_note(exc.message)
        else:
            log.error("preview failed", exc_info=exc)
            self._show_note(f"“{info.data.title}” could not be shown here. Try “Open in viewer”.")

    # Pages and zoom ----------------------------------------------------------------------------

    def go_to_page(self, page: int) -> None:
        count = self.page_count()
        if not count:
            return
        page = min(max(page, 0), count - 1)
        if self._mode == "pdf":
            self.pdf_view.pageNavigator().jump(page, QPointF(), 0)
        elif self._mode == "image" and page != self._image_page and self._info is not None:
            try:
                original = self._documents.original_of(self._info)
            except UserError as exc:
                self._show_note(exc.message)
                return
            self._load_picture_page(self._info, original, page)

    def next_page(self) -> None:
        self.go_to_page(self.current_page() + 1)

    def previous_page(self) -> None:
        self.go_to_page(self.current_page() - 1)

    def zoom_in(self) -> None:
        if (zoom := self._zoom()) is not None:
            zoom.zoom_in()

    def zoom_out(self) -> None:
        if (zoom := self._zoom()) is not None:
            zoom.zoom_out()

    def fit_width(self) -> None:
        if (zoom := self._zoom()) is not None:
            zoom.fit_width()

    def fit_page(self) -> None:
        if (zoom := self._zoom()) is not None:
            zoom.fit_page()

    def zoom_text(self) -> str:
        """ "Fit width", "Whole page" or "150%"."""
        zoom = self._zoom()
        return zoom.describe() if zoom is not None else ""

    def _zoom(self) -> PdfZoom | ImageView | None:
        if self._mode == "pdf":
            return self._pdf_zoom
        return self.image_view if self._mode == "image" else None

    # Helpers -----------------------------------------------------------------------------------

    def _show_note(self, text: str, *, mode: str = "note") -> None:
        self._mode = mode
        self.note.show_text(text, ask_password=mode == "locked")
        self.stack.setCurrentIndex(0)
        self._update_tools()
        if mode != "loading":
            self.shown.emit()

    def _release(self) -> None:
        """Close the PDF and forget decoded pages (before showing something else)."""
        self._close_pdf()
        self._pages.clear()
        self._image_page = self._image_count = 0
        self.image_view.set_image(None)

    def _close_pdf(self) -> None:
        """Close the PDF, then let go of the bytes it was read from."""
        self._pdf.close()
        if self._pdf_buffer is not None:
            self._pdf_buffer.close()
            self._pdf_buffer.deleteLater()
            self._pdf_buffer = None

    def _search_found(self) -> None:
        if self._jump_to_match and self._mode == "pdf" and self._search.count() > 0:
            self._jump_to_match = False
            self.pdf_view.setCurrentSearchResultIndex(0)

    def _update_tools(self) -> None:
        self.toolbar.show_state(
            showing=self._mode in ("pdf", "image"),
            page=self.current_page(),
            count=self.page_count(),
            zoom=self.zoom_text(),
        )
