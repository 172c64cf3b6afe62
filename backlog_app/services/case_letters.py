"""A case's request letter: drafted from the record, kept as the case's draft, saved as a PDF.

``letter_facts`` gathers what the letter says (the patient, the plan, the case, its latest denial,
the conservative-care summary of #3 and the documents linked to the case); the wording is the
domain's (``domain/appeal_letter.py``). ``save_letter_to_vault`` draws the letter as a PDF and
adds it through the importer like any file, linked to the case.

The PDF is byte-for-byte repeatable (reportlab's ``invariant`` mode: fixed creation date and
document ID), so saving the same text twice is caught as a duplicate by the vault's SHA-256.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape

from backlog_app.domain.appeal_letter import (
    DenialFacts,
    Enclosure,
    LetterFacts,
    appeal_level_after,
    draft_letter,
    latest_denial,
)
from backlog_app.domain.cases import Priority
from backlog_app.domain.dates import format_long_date
from backlog_app.domain.documents import (
    MAX_TITLE_LENGTH,
    DocumentData,
    DocumentKind,
    FileType,
    LinkTarget,
    TextStatus,
)
from backlog_app.domain.summary_text import SummarySection, summary_sections
from backlog_app.errors import UserError
from backlog_app.services.cases import CaseDetail
from backlog_app.services.context import ProfileSession
from backlog_app.services.document_import import DuplicateDocumentError
from backlog_app.services.documents import DocumentFilter, safe_file_name
from backlog_app.services.progress import Progress
from backlog_app.services.summary import care_summary

log = logging.getLogger("backlog.cases")

# Letters of this round are not enclosures of themselves (see ``_enclosures``).
_LETTER_KINDS = frozenset({DocumentKind.APPEAL_LETTER, DocumentKind.PRIOR_AUTH_REQUEST})


class LetterAlreadySavedError(UserError):
    """The same letter (same PDF bytes) is already in Documents."""

    def __init__(self, document_id: int, title: str, in_trash: bool) -> None:
        self.document_id = document_id
        where = (
            " It is in the trash: restore it from there (Documents → Trash)." if in_trash else ""
        )
        super().__init__(
            f"This letter is already in Documents as “{title}”; nothing has changed since it "
            f"was saved, so no second copy was added.{where}"
        )


# --- The facts and the draft -------------------------------------------------------------------


def letter_facts(
    profile: ProfileSession, case_id: int, *, with_summary: bool = True
) -> LetterFacts:
    """What the letter for case ``case_id`` says, read from the record.

    Args:
        with_summary: read the log for the conservative-care summary (the slow part); the PDF's
            page header does not need it.

    Raises:
        UserError: the case no longer exists.
    """
    return _facts(profile, profile.cases.get(case_id), with_summary=with_summary)


def new_draft(profile: ProfileSession, case_id: int) -> str:
    """A fresh letter drafted from the record as it is now."""
    return draft_letter(letter_facts(profile, case_id), profile.clock())


def draft_for_case(profile: ProfileSession, case_id: int) -> str:
    """The case's saved draft (as the user edited it), else a new one from the record."""
    detail = profile.cases.get(case_id)
    if detail.letter_draft:
        return detail.letter_draft
    return draft_letter(_facts(profile, detail, with_summary=True), profile.clock())


def _facts(profile: ProfileSession, detail: CaseDetail, *, with_summary: bool) -> LetterFacts:
    patient = profile.patient.get()
    plan = detail.plan
    case = detail.data
    denial = latest_denial(detail.events)
    sections: tuple[SummarySection, ...] = ()
    if with_summary:
        summary = care_summary(profile)
        sections = () if summary.is_empty else tuple(summary_sections(summary))
    return LetterFacts(
        case_title=detail.title,
        patient_name=patient.full_name if patient else None,
        date_of_birth=patient.date_of_birth if patient else None,
        patient_address=patient.address if patient else None,
        patient_phone=patient.phone if patient else None,
        insurer=plan.insurer if plan else None,
        plan_name=plan.plan_name if plan else None,
        plan_type=plan.plan_type if plan else None,
        member_id=plan.member_id if plan else None,
        group_number=plan.group_number if plan else None,
        appeals_address=plan.appeals_address if plan else None,
        appeals_fax=plan.appeals_fax if plan else None,
        service_type=case.service_type,
        cpt_codes=case.cpt_codes,
        icd10_codes=case.icd10_codes,
        claim_number=case.claim_number,
        authorization_number=case.authorization_number,
        reference_number=case.reference_number,
        date_of_service=case.scheduled_date,
        requesting_provider=detail.requesting_provider.name if detail.requesting_provider else None,
        facility=detail.facility.name if detail.facility else None,
        denial=denial,
        appeal_level=appeal_level_after(detail.events),
        urgent=case.priority is Priority.URGENT,
        care_sections=sections,
        enclosures=_enclosures(profile, detail.id, denial),
    )


def _enclosures(
    profile: ProfileSession, case_id: int, denial: DenialFacts | None
) -> tuple[Enclosure, ...]:
    """The documents linked to the case (or its events), oldest first.

    A letter saved for this round — after the latest denial, or any letter of a case without
    one — is this letter itself, not an enclosure; a letter of an earlier level is.
    """
    rows = profile.documents.list(DocumentFilter(link=(LinkTarget.CASE, case_id)))
    items = []
    for row in rows:
        data = row.info.data
        if data.kind in _LETTER_KINDS and (
            denial is None or data.document_date is None or data.document_date >= denial.day
        ):
            continue
        items.append(data)
    items.sort(key=lambda d: (d.document_date is None, d.document_date, d.title.casefold()))
    return tuple(Enclosure(d.title, d.document_date) for d in items)


# --- Saving -------------------------------------------------------------------------------------


def letter_title(facts: LetterFacts, day: dt.date | None = None) -> str:
    """ "Appeal letter — Microdiscectomy — L4-L5 left — 27 Nov 2026" (without ``day``: no date)."""
    what = "Appeal letter" if facts.is_appeal else "Prior-authorization request letter"
    case_title = facts.case_title
    if len(case_title) > MAX_TITLE_LENGTH - 60:
        case_title = case_title[: MAX_TITLE_LENGTH - 60].rstrip() + "…"
    parts = [what, case_title] + ([format_long_date(day)] if day else [])
    return " — ".join(parts)


def save_letter_to_vault(
    profile: ProfileSession, case_id: int, text: str, progress: Progress | None = None
) -> int:
    """Keep ``text`` as the case's draft and add it to Documents as a PDF linked to the case.

    Returns:
        The new document's id.

    Raises:
        LetterAlreadySavedError: the very same letter is in Documents already.
        UserError: the letter is empty, or the case no longer exists.
        Cancelled: the user pressed Cancel before the PDF was added (the draft is kept).
    """
    progress = progress or Progress()
    text = text.strip()
    if not text:
        raise UserError("The letter is empty. Make a new draft from the record, then save it.")
    progress.report(0, 3, "Keeping the draft")
    profile.cases.set_letter_draft(case_id, text)
    facts = letter_facts(profile, case_id, with_summary=False)
    progress.report(1, 3, "Drawing the PDF")
    pdf = render_letter_pdf(text, facts)
    today = profile.clock()
    title = letter_title(facts, today)
    kind = DocumentKind.APPEAL_LETTER if facts.is_appeal else DocumentKind.PRIOR_AUTH_REQUEST
    progress.report(2, 3, "Adding it to Documents")
    with tempfile.TemporaryDirectory(prefix="backlog-letter-") as folder:
        path = Path(folder) / safe_file_name(title, FileType.PDF)
        path.write_bytes(pdf)
        try:
            document_id = profile.importer.add(
                path, DocumentData(kind=kind, title=title, document_date=today), progress=progress
            )
        except DuplicateDocumentError as exc:
            existing = profile.documents.get(exc.existing_id)
            if not existing.in_trash:
                profile.documents.link(exc.existing_id, LinkTarget.CASE, case_id)
            raise LetterAlreadySavedError(
                exc.existing_id, existing.data.title, existing.in_trash
            ) from exc
    try:
        profile.documents.link(document_id, LinkTarget.CASE, case_id)
    except BaseException:
        # The case went away meanwhile: do not leave an unlinked letter behind.
        profile.documents.trash(document_id)
        profile.documents.delete_forever(document_id)
        raise
    profile.documents.set_text(document_id, text, TextStatus.EMBEDDED)
    progress.report(3, 3, "Saved")
    log.info("letter saved to documents (%d bytes)", len(pdf))
    return document_id


# --- The PDF ------------------------------------------------------------------------------------

_FONT, _BOLD, _SIZE, _LEADING = "Helvetica", "Helvetica-Bold", 11.5, 15.5
_TAB_LINE = re.compile(r"^([^\t]{1,60}?):?\t(.*)$")
_BULLET = ("• ", "- ", "* ")


def page_header(facts: LetterFacts) -> str:
    """The line on top of every page: who the letter is about and the case's number."""
    parts = [
        facts.patient_name or "[your name]",
        f"DOB {format_long_date(facts.date_of_birth) or '[date of birth]'}",
        f"{facts.member_id_label} {facts.member_id or f'[{facts.member_id_blank}]'}",
    ]
    numbers = facts.reference_numbers
    if numbers:
        parts.append(f"Ref. {numbers[0][1]}")
    return " · ".join(parts)


BlockKind = Literal["text", "bold", "bullet", "fields", "gap"]


@dataclass(frozen=True, slots=True)
class LetterBlock:
    """A run of a letter's lines drawn alike.

    ``kind`` is "text" (a paragraph), "bold" (a "Re:" or ALL-CAPS line), "bullet" (bullet
    lines, marks kept), "fields" ("Label:<TAB>value" lines; ``fields`` holds them as label and
    value) or "gap" (between paragraphs).
    """

    kind: BlockKind
    lines: tuple[str, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()


def letter_blocks(text: str) -> list[LetterBlock]:
    """The letter's text cut into what is drawn: paragraphs, bold lines, bullet lines and
    label–value rows; a paragraph mixing them ("Re:" over "Claim number:<TAB>…") is cut into
    runs of one kind."""
    blocks: list[LetterBlock] = []
    for paragraph in re.split(r"\n[ \t]*\n", text.strip()):
        runs: list[tuple[BlockKind, list[str]]] = []
        for line in paragraph.split("\n"):
            kind = _line_kind(line)
            if not runs or runs[-1][0] != kind:
                runs.append((kind, []))
            runs[-1][1].append(line.rstrip())
        blocks += [_block(kind, lines) for kind, lines in runs]
        blocks.append(LetterBlock("gap"))
    return blocks[:-1]  # no gap after the last paragraph


def _line_kind(line: str) -> BlockKind:
    if _TAB_LINE.match(line):
        return "fields"
    if line.lstrip().startswith(_BULLET):
        return "bullet"
    if line.startswith("Re:") or (line.isupper() and len(line) > 3):
        return "bold"
    return "text"


def _block(kind: BlockKind, lines: list[str]) -> LetterBlock:
    if kind != "fields":
        return LetterBlock(kind, tuple(lines))
    matches = [_TAB_LINE.match(line) for line in lines]
    fields = tuple((m.group(1).strip(), m.group(2).strip()) for m in matches if m is not None)
    return LetterBlock(kind, tuple(lines), fields)


def render_letter_pdf(text: str, facts: LetterFacts) -> bytes:
    """The letter as PDF bytes: US Letter, 11.5 pt Helvetica, one-inch margins, a header line
    with the patient and member ID and "Page X of Y" on every page. Same input, same bytes."""
    import io

    from reportlab.lib.pagesizes import LETTER  # type: ignore[import-untyped]
    from reportlab.lib.units import inch  # type: ignore[import-untyped]
    from reportlab.platypus import SimpleDocTemplate  # type: ignore[import-untyped]

    # Imported here, like reportlab: opening the Letter tab must not load the PDF library.
    from backlog_app.services.packet.styles import printable

    title = letter_title(facts)
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=inch,
        rightMargin=inch,
        topMargin=1.0 * inch,
        bottomMargin=0.9 * inch,
        title=printable(title),
        author=printable(facts.patient_name or ""),
        creator="BackLog",
        producer="BackLog",
        subject=printable(title),
        invariant=1,
    )
    story = letter_story(text, template.width)
    canvas_maker = _numbered_canvas(printable(page_header(facts)))
    template.build(story, canvasmaker=canvas_maker)
    return buffer.getvalue()


def letter_story(text: str, width: float) -> list[Any]:
    """The letter's flowables for a frame ``width`` points wide, without header or footer:
    the saved PDF (``render_letter_pdf``) and the packet's letter pages both draw these."""
    from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    from backlog_app.services.packet.styles import printable

    body = ParagraphStyle("letter-body", fontName=_FONT, fontSize=_SIZE, leading=_LEADING)
    bold = ParagraphStyle("letter-bold", parent=body, fontName=_BOLD)
    bullet = ParagraphStyle(
        "letter-bullet", parent=body, leftIndent=16, bulletIndent=4, spaceAfter=2
    )
    label = ParagraphStyle("letter-label", parent=body, fontName=_BOLD, leading=_LEADING - 1)
    value = ParagraphStyle("letter-value", parent=body, leading=_LEADING - 1)
    story: list[Any] = []
    for block in letter_blocks(printable(text)):
        if block.kind == "gap":
            story.append(Spacer(1, _LEADING * 0.7))
        elif block.kind == "fields":
            rows = [
                [Paragraph(escape(name) + ":", label), Paragraph(escape(words), value)]
                for name, words in block.fields
            ]
            widest = max(_label_width(name) for name, _ in block.fields)
            first = min(widest + 10, width * 0.45)
            table = Table(rows, colWidths=[first, width - first], hAlign="LEFT")
            table.setStyle(TableStyle(_FIELD_STYLE))
            story.append(table)
        elif block.kind == "bullet":
            for line in block.lines:
                words = line.lstrip()[2:].strip()
                story.append(Paragraph(escape(words), bullet, bulletText="•"))
        else:
            style = bold if block.kind == "bold" else body
            story.append(Paragraph("<br/>".join(escape(line) for line in block.lines), style))
    return story


def _label_width(label: str) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]

    return float(stringWidth(label + ":", _BOLD, _SIZE))


_FIELD_STYLE = [
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ("TOPPADDING", (0, 0), (-1, -1), 1),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
]


def _numbered_canvas(header: str) -> Callable[..., Any]:
    """A canvas class that draws ``header`` and "Page X of Y" once the page count is known."""
    from reportlab.lib import colors  # type: ignore[import-untyped]
    from reportlab.lib.units import inch
    from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._marks(total)
                super().showPage()
            super().save()

        def _marks(self, total: int) -> None:
            width, height = self._pagesize
            left, right = inch, width - inch
            self.saveState()
            self.setFillColor(colors.HexColor("#444444"))
            self.setFont(_FONT, 8.5)
            self.drawString(left, height - 0.6 * inch, header)
            self.setStrokeColor(colors.HexColor("#999999"))
            self.setLineWidth(0.5)
            self.line(left, height - 0.66 * inch, right, height - 0.66 * inch)
            self.drawRightString(right, 0.55 * inch, f"Page {self._pageNumber} of {total}")
            self.restoreState()

    return NumberedCanvas
