"""Documents in the vault as plain data: kinds, file types, metadata, and the rules for them.

A document is one file the patient imported (a scan, a PDF, a phone photo) plus what they say about
it. The file itself never changes after import; only the metadata does.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum


class DocumentKind(StrEnum):
    """What a document is, in the words an insurer uses."""

    REFERRAL = "referral"
    PRIOR_AUTH_REQUEST = "prior_auth_request"
    APPROVAL = "approval"
    DENIAL_LETTER = "denial_letter"
    EOB = "eob"
    MEDICARE_SUMMARY_NOTICE = "medicare_summary_notice"
    IMAGING_REPORT = "imaging_report"
    CLINICAL_NOTE = "clinical_note"
    PT_NOTE = "pt_note"
    OPERATIVE_NOTE = "operative_note"
    LAB_RESULT = "lab_result"
    PRESCRIPTION = "prescription"
    MEDICAL_NECESSITY_LETTER = "medical_necessity_letter"
    APPEAL_LETTER = "appeal_letter"
    BILL = "bill"
    GOOD_FAITH_ESTIMATE = "good_faith_estimate"
    PLAN_DOCUMENT = "plan_document"
    CORRESPONDENCE = "correspondence"
    INSURANCE_CARD = "insurance_card"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    DocumentKind.REFERRAL: "Referral",
    DocumentKind.PRIOR_AUTH_REQUEST: "Prior-authorization request",
    DocumentKind.APPROVAL: "Approval",
    DocumentKind.DENIAL_LETTER: "Denial letter",
    DocumentKind.EOB: "Explanation of Benefits (EOB)",
    DocumentKind.MEDICARE_SUMMARY_NOTICE: "Medicare Summary Notice",
    DocumentKind.IMAGING_REPORT: "Imaging report",
    DocumentKind.CLINICAL_NOTE: "Clinical note",
    DocumentKind.PT_NOTE: "Physical therapy note",
    DocumentKind.OPERATIVE_NOTE: "Operative note",
    DocumentKind.LAB_RESULT: "Lab result",
    DocumentKind.PRESCRIPTION: "Prescription",
    DocumentKind.MEDICAL_NECESSITY_LETTER: "Letter of medical necessity",
    DocumentKind.APPEAL_LETTER: "Appeal letter",
    DocumentKind.BILL: "Bill",
    DocumentKind.GOOD_FAITH_ESTIMATE: "Good Faith Estimate",
    DocumentKind.PLAN_DOCUMENT: "Plan document / SBC",
    DocumentKind.CORRESPONDENCE: "Correspondence",
    DocumentKind.INSURANCE_CARD: "Insurance card",
    DocumentKind.OTHER: "Other",
}


class FileType(StrEnum):
    """The file formats the vault accepts, decided from the file's content, never its name."""

    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"
    TIFF = "tiff"
    HEIC = "heic"
    WEBP = "webp"

    @property
    def extension(self) -> str:
        """The extension of the stored copy (and of a saved copy): ".pdf", ".jpg"…"""
        return _EXTENSIONS[self]

    @property
    def label(self) -> str:
        return "PDF" if self is FileType.PDF else f"{self.value.upper()} image"

    @property
    def is_image(self) -> bool:
        return self is not FileType.PDF


_EXTENSIONS = {
    FileType.PDF: ".pdf",
    FileType.JPEG: ".jpg",
    FileType.PNG: ".png",
    FileType.TIFF: ".tif",
    FileType.HEIC: ".heic",
    FileType.WEBP: ".webp",
}

ACCEPTED_TYPES_TEXT = "PDF, JPEG, PNG, TIFF, HEIC/HEIF or WebP"

# Names that mean "still being written": browser downloads, sync apps, scanner drivers, editors.
UNFINISHED_FILE_SUFFIXES = (
    ".part",
    ".partial",
    ".crdownload",
    ".download",
    ".tmp",
    ".temp",
    ".!sync",
    ".sb-",
    ".opdownload",
)


# HEIF brands written by phones and cameras (ISO/IEC 23008-12); "mif1"/"msf1" are the generic ones.
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"heif"}


def sniff_file_type(head: bytes) -> FileType | None:
    """The file type from the first bytes of a file (at least 1,024 when the file has them).

    Magic numbers only; whether the file really opens is checked afterwards by the image or PDF
    library. Returns None for anything the vault does not accept.
    """
    if head.startswith(b"\xff\xd8\xff"):
        return FileType.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileType.PNG
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return FileType.TIFF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileType.WEBP
    if head[4:8] == b"ftyp" and (head[8:12] in _HEIF_BRANDS):
        return FileType.HEIC
    # PDF readers accept the header anywhere in the first 1,024 bytes (some scanners add junk).
    if b"%PDF-" in head[:1024]:
        return FileType.PDF
    return None


class TextStatus(StrEnum):
    """Where the searchable text of a document stands."""

    PENDING = "pending"  # not looked at yet (background work will)
    EMBEDDED = "embedded"  # text taken from the PDF itself
    OCR = "ocr"  # text read from the page images by Tesseract
    NO_TEXT = "no_text"  # looked, found nothing readable
    OCR_UNAVAILABLE = "ocr_unavailable"  # a scan, but Tesseract is not installed
    LOCKED = "locked"  # password-protected and the password is not known
    FAILED = "failed"  # the file could not be read for text (details in the log)

    @property
    def label(self) -> str:
        return _TEXT_LABELS[self]


_TEXT_LABELS = {
    TextStatus.PENDING: "Waiting to be read",
    TextStatus.EMBEDDED: "Text from the PDF",
    TextStatus.OCR: "Text read from the scan",
    TextStatus.NO_TEXT: "No text found",
    TextStatus.OCR_UNAVAILABLE: "Not read: text recognition is not installed",
    TextStatus.LOCKED: "Not read: password-protected",
    TextStatus.FAILED: "Could not be read",
}


@dataclass(frozen=True, slots=True)
class DocumentData:
    """What the user says about a document; everything here can be edited later."""

    kind: DocumentKind
    title: str
    document_date: dt.date | None = None  # the date printed on the document
    provider_id: int | None = None
    notes: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredFile:
    """Facts about the imported file, fixed at import.

    ``needs_password``: the PDF is encrypted with a password we do not keep; it opens only after
    asking for it. ``repaired``: the PDF is damaged and is shown from a repaired copy; the original
    bytes are what the vault keeps.
    """

    sha256: str
    file_type: FileType
    original_name: str
    size_bytes: int
    page_count: int | None
    needs_password: bool = False
    repaired: bool = False


class LinkTarget(StrEnum):
    """The kinds of record a document can be linked to."""

    TREATMENT = "treatment"
    COURSE = "course"
    MEDICATION = "medication"
    CASE = "case"  # a coverage case as a whole
    CASE_EVENT = "case_event"  # one event on a case's timeline (the denial the letter is)
    COST = "cost"  # a cost entry: the bill, EOB or estimate the document is


@dataclass(frozen=True, slots=True)
class DocumentLinkRef:
    """A link from a document to one log record."""

    target: LinkTarget
    target_id: int
    label: str = ""  # "2026-03-04 · MRI lumbar spine", filled in by the service for display


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """One document as lists, previews and exports see it."""

    id: int
    data: DocumentData
    file: StoredFile
    text_status: TextStatus
    imported_at: dt.datetime
    updated_at: dt.datetime
    trashed_at: dt.datetime | None = None
    links: tuple[DocumentLinkRef, ...] = field(default=())

    @property
    def in_trash(self) -> bool:
        return self.trashed_at is not None


MAX_TITLE_LENGTH = 200
MAX_TAG_LENGTH = 40
MAX_TAGS = 20


def normalize_tags(text_or_tags: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Tags from "MRI, lumbar ,mri" → ("MRI", "lumbar"): trimmed, blanks and repeats dropped.

    Repeats are found ignoring case; the first spelling wins. Order is kept.
    """
    parts = text_or_tags.split(",") if isinstance(text_or_tags, str) else list(text_or_tags)
    seen: set[str] = set()
    tags: list[str] = []
    for part in parts:
        tag = re.sub(r"\s+", " ", part).strip()
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tuple(tags)


def document_problems(data: DocumentData, today: dt.date) -> list[str]:
    """Plain sentences for each rule ``data`` breaks; empty when it can be saved."""
    problems: list[str] = []
    if not data.title.strip():
        problems.append("Give the document a title, for example “MRI lumbar spine report”.")
    elif len(data.title.strip()) > MAX_TITLE_LENGTH:
        problems.append(f"The title is too long; keep it under {MAX_TITLE_LENGTH} characters.")
    if data.document_date is not None:
        if data.document_date > today:
            problems.append(
                f"The document date {data.document_date:%B %-d, %Y} is in the future; "
                "use the date printed on the document."
            )
        elif data.document_date.year < 1900:
            problems.append("The document date is before 1900; check the year.")
    if len(data.tags) > MAX_TAGS:
        problems.append(f"Use at most {MAX_TAGS} tags.")
    for tag in data.tags:
        if "," in tag:
            problems.append(f"The tag “{tag}” contains a comma; commas separate tags.")
        elif len(tag) > MAX_TAG_LENGTH:
            problems.append(f"The tag “{tag[:20]}…” is too long; keep tags short.")
    return problems


def title_from_file_name(name: str) -> str:
    """A first title from a file name: "2026-03-04_MRI-report (1).pdf" → "2026-03-04 MRI report (1)".

    Control and bidirectional-override characters are removed, so a crafted name cannot disguise
    itself on screen.
    """
    stem = name.rsplit(".", 1)[0] if "." in name.strip(".") else name
    cleaned = "".join(ch for ch in stem if ch.isprintable() and ch not in BIDI_CONTROLS)
    cleaned = re.sub(r"[_\-]+", " ", cleaned)
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" .")
    return cleaned[:MAX_TITLE_LENGTH] or "Untitled document"


# Unicode bidirectional controls (LRE…RLO, LRI…PDI, LRM/RLM/ALM) used to disguise file names.
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
