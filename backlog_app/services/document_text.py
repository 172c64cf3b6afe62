"""Reading the words of stored documents: text embedded in PDFs, and OCR of scans and photos.

Runs in the background, page by page, with progress, Cancel and Pause. The stored original is only
read, through the vault (in memory, decrypted for an encrypted profile). Text recognition uses the Tesseract program when it is installed (``ocr``); without it,
scans wait with the status OCR_UNAVAILABLE and are read once it is installed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from backlog_app.domain.document_suggest import MetadataSuggestion, ProviderHint, suggest_metadata
from backlog_app.domain.documents import DocumentInfo, FileType, TextStatus
from backlog_app.errors import Cancelled, UserError
from backlog_app.services.documents import DocumentService
from backlog_app.services.ocr import OCR_INSTALL_HINT, OcrEngine, find_ocr, ocr_available
from backlog_app.services.page_images import (
    PdfLockedError,
    as_gray,
    image_frames,
    limit_pixels,
    open_image,
    open_pdf,
    page_image_coverage,
    page_text,
    pdf_page_count,
    reduce_on_load,
    render_pdf_page,
)
from backlog_app.services.progress import Progress
from backlog_app.storage.models import Document

if TYPE_CHECKING:
    from backlog_app.services.context import ProfileSession

__all__ = [
    "OCR_INSTALL_HINT",
    "PauseGate",
    "TextReadReport",
    "TextReader",
    "ocr_available",
    "suggest_for",
]

log = logging.getLogger("backlog.documents.text")

OCR_DPI = 300
# Largest picture handed to text recognition: a tabloid page at 300 dpi fits; a 48-megapixel
# photo is scaled down (more pixels make Tesseract slower, not better).
OCR_MAX_PIXELS = 25_000_000
# A page with fewer letters and digits than this is treated as a scan ("1", "Page 2 of 3").
SCAN_MAX_CHARACTERS = 20
# A page with little text over a page-sized picture is a fax or scan with a typed header.
HEADER_MAX_CHARACTERS = 200
SCAN_IMAGE_COVERAGE = 0.5
PAUSE_POLL_SECONDS = 0.1
PAUSED_LABEL = "Paused: reading documents will go on when you press Resume."

# Called before each page: (page index, page count).
PageStep = Callable[[int, int], None]


class PauseGate:
    """Lets the user pause background text reading and go on later. Safe across threads."""

    def __init__(self) -> None:
        self._running = threading.Event()
        self._running.set()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    @property
    def is_paused(self) -> bool:
        return not self._running.is_set()

    def wait(self, progress: Progress) -> None:
        """Return at once when running; while paused, block, still stopping on Cancel.

        Raises:
            Cancelled: the user pressed Cancel (before or during the pause).
        """
        progress.check_cancelled()
        if self._running.is_set():
            return
        done, total, label = progress.snapshot()
        progress.report(done, total, PAUSED_LABEL)
        while not self._running.wait(PAUSE_POLL_SECONDS):
            progress.check_cancelled()
        progress.report(done, total, label)


@dataclass
class TextReadReport:
    """What one round of text reading did, counted in documents (and OCR'd pages)."""

    read: int = 0  # documents now EMBEDDED, OCR or NO_TEXT
    ocr_pages: int = 0  # pages read by text recognition
    failed: int = 0  # documents that could not be read (details in the log)
    ocr_missing: int = 0  # scans waiting for text recognition to be installed
    locked: int = 0  # password-protected PDFs whose password is not saved

    def summary(self) -> str:
        """One or two plain sentences for a status line; empty when nothing was done."""
        parts: list[str] = []
        if self.read:
            pages = (
                f" ({_count(self.ocr_pages, 'page')} by text recognition)" if self.ocr_pages else ""
            )
            parts.append(f"Read {_count(self.read, 'document')}{pages}.")
        if self.ocr_missing:
            parts.append(
                f"{_count(self.ocr_missing, 'scan')} cannot be read until text recognition "
                "(Tesseract) is installed."
            )
        if self.locked:
            verb = "is" if self.locked == 1 else "are"
            parts.append(f"{_count(self.locked, 'PDF')} {verb} locked with a password.")
        if self.failed:
            parts.append(f"{_count(self.failed, 'document')} could not be read.")
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class _Result:
    body: str
    status: TextStatus
    ocr_pages: int = 0


class TextReader:
    """Reads the text of documents and stores it for search (``DocumentService.set_text``).

    Args:
        documents: the profile's documents.
    """

    def __init__(self, documents: DocumentService) -> None:
        self.documents = documents

    def read_pending(
        self, progress: Progress | None = None, pause: PauseGate | None = None
    ) -> TextReadReport:
        """Read every document waiting for it, oldest first.

        Waiting means PENDING, and also OCR_UNAVAILABLE once Tesseract is installed. A document
        that cannot be read becomes FAILED (the reason goes to the log) and the rest go on.

        Raises:
            Cancelled: the user pressed Cancel. Documents finished before stay read; the one in
                progress keeps its status and is read again next time.
        """
        progress = progress or Progress()
        engine = find_ocr()
        report = TextReadReport()
        infos = self._waiting(include_unrecognised=engine is not None)
        steps = _Steps(progress, pause, sum(_expected_pages(info) for info in infos))
        for info in infos:
            if pause is not None:
                pause.wait(progress)
            progress.check_cancelled()
            steps.start(info)
            _count_into(report, self._read(info, None, steps, engine))
            steps.finish()
        return report

    def read_one(
        self, document_id: int, progress: Progress | None = None, password: str | None = None
    ) -> TextStatus:
        """Read one document now (again, if it was read before) and return its new status.

        Args:
            password: opens a locked PDF; without it the saved password, if any, is used.

        Raises:
            UserError: the document no longer exists.
            Cancelled: the user pressed Cancel; the document keeps its status.
        """
        progress = progress or Progress()
        info = self.documents.get(document_id)

        def step(index: int, count: int) -> None:
            progress.report(index, count, _label(info.data.title, index, count))

        return self._read(info, password, step, find_ocr()).status

    # -- helpers ---------------------------------------------------------------------------

    def _waiting(self, *, include_unrecognised: bool) -> list[DocumentInfo]:
        ids = set(self.documents.pending_text())
        if include_unrecognised:
            with self.documents.database.read() as session:
                ids.update(
                    session.scalars(
                        select(Document.id).where(
                            Document.text_status == TextStatus.OCR_UNAVAILABLE.value
                        )
                    )
                )
        infos = []
        for document_id in sorted(ids):
            try:
                infos.append(self.documents.get(document_id))
            except UserError:
                continue  # removed meanwhile
        return infos

    def _read(
        self,
        info: DocumentInfo,
        password: str | None,
        step: PageStep,
        engine: OcrEngine | None,
    ) -> _Result:
        """Read one document and store what was found; any failure becomes FAILED."""
        try:
            # The whole original in memory (decrypted in an encrypted profile): files are at
            # most the import limit, and PDFium and Pillow read it from there.
            original = self.documents.original_of(info).read_bytes()
            if password is None:
                password = self.documents.saved_password(info.id)
            if info.file.file_type is FileType.PDF:
                result = _read_pdf(original, password, step, engine)
            else:
                result = _read_image(original, info.file.file_type, step, engine)
        except Cancelled:
            raise
        except Exception:
            log.exception("document %d: its text could not be read", info.id)
            result = _Result("", TextStatus.FAILED)
        self.documents.set_text(info.id, result.body, result.status)
        log.info(
            "document %d: text %s (%d pages by OCR)", info.id, result.status.value, result.ocr_pages
        )
        return result


class _Steps:
    """Turns "page i of n" of each document into progress over all of them, pausing between."""

    def __init__(self, progress: Progress, pause: PauseGate | None, total: int) -> None:
        self.progress = progress
        self.pause = pause
        self.total = total
        self.done = 0
        self.pages = 1
        self.title = ""

    def start(self, info: DocumentInfo) -> None:
        self.pages = _expected_pages(info)
        self.title = info.data.title

    def __call__(self, index: int, count: int) -> None:
        if count != self.pages:  # the file has more or fewer pages than recorded at import
            self.total += count - self.pages
            self.pages = count
        if self.pause is not None:
            self.pause.wait(self.progress)
        self.progress.report(self.done + index, self.total, _label(self.title, index, count))

    def finish(self) -> None:
        self.done += self.pages


def _read_pdf(
    original: bytes, password: str | None, step: PageStep, engine: OcrEngine | None
) -> _Result:
    pages: list[str] = []
    ocr_pages = 0
    ocr_found = unrecognised = False
    try:
        with open_pdf(original, password) as pdf:
            count = pdf_page_count(pdf)
            for index in range(count):
                step(index, count)
                text = page_text(pdf, index).strip()
                if _looks_scanned(pdf, index, text):
                    if engine is None:
                        unrecognised = True
                    else:
                        image = render_pdf_page(
                            pdf, index, dpi=OCR_DPI, grayscale=True, max_pixels=OCR_MAX_PIXELS
                        )
                        recognised = engine.read(image).strip()
                        ocr_pages += 1
                        ocr_found = ocr_found or bool(recognised)
                        text = f"{text}\n{recognised}".strip()
                pages.append(text)
    except PdfLockedError:
        return _Result("", TextStatus.LOCKED)
    body = "\n\n".join(page for page in pages if page)
    return _Result(body, _status(body, ocr_found, unrecognised), ocr_pages)


def _looks_scanned(pdf: object, index: int, text: str) -> bool:
    """True when a page's words are (mostly) in a picture: no text, or a header over a scan."""
    characters = sum(ch.isalnum() for ch in text)
    if characters < SCAN_MAX_CHARACTERS:
        return True
    return characters < HEADER_MAX_CHARACTERS and (
        page_image_coverage(pdf, index) >= SCAN_IMAGE_COVERAGE
    )


def _read_image(
    original: bytes, file_type: FileType, step: PageStep, engine: OcrEngine | None
) -> _Result:
    if engine is None:
        return _Result("", TextStatus.OCR_UNAVAILABLE)
    pages: list[str] = []
    with open_image(original, file_type) as image:
        count = int(getattr(image, "n_frames", 1))
        reduce_on_load(image, OCR_MAX_PIXELS)
        for index, frame in enumerate(image_frames(image)):
            step(index, count)
            pages.append(engine.read(limit_pixels(as_gray(frame), OCR_MAX_PIXELS)).strip())
    body = "\n\n".join(page for page in pages if page)
    return _Result(body, _status(body, bool(body), False), len(pages))


def _status(body: str, ocr_found: bool, unrecognised: bool) -> TextStatus:
    if unrecognised:
        return TextStatus.OCR_UNAVAILABLE  # keeps what was found; read again once installed
    if not body:
        return TextStatus.NO_TEXT
    return TextStatus.OCR if ocr_found else TextStatus.EMBEDDED


def _expected_pages(info: DocumentInfo) -> int:
    return max(info.file.page_count or 1, 1)


def _label(title: str, index: int, count: int) -> str:
    if count <= 1:
        return f"Reading “{title}”"
    return f"Reading page {index + 1} of {count} of “{title}”"


def _count_into(report: TextReadReport, result: _Result) -> None:
    report.ocr_pages += result.ocr_pages
    if result.status is TextStatus.FAILED:
        report.failed += 1
    elif result.status is TextStatus.LOCKED:
        report.locked += 1
    elif result.status is TextStatus.OCR_UNAVAILABLE:
        report.ocr_missing += 1
    else:
        report.read += 1


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def suggest_for(session: ProfileSession, document_id: int) -> MetadataSuggestion:
    """Kind, date and provider suggested from a document's text (and title), for the user to
    confirm. Empty when the text has not been read yet or says nothing recognisable."""
    info = session.documents.get(document_id)
    text = session.documents.text_of(document_id)
    providers = [
        ProviderHint(stored.id, stored.data.name, stored.data.npi)
        for stored in session.providers.list()
    ]
    return suggest_metadata(f"{text}\n\n{info.data.title}", providers, session.clock())
