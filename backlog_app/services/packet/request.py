"""What the user asked to put in a packet: scope, dates, sections, documents, paper."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from backlog_app.domain.packet import CHOOSABLE_SECTIONS, PacketSection, PageSize, range_problems
from backlog_app.errors import ValidationError


@dataclass(frozen=True, slots=True)
class PacketRequest:
    """One packet's choices.

    Args:
        case_id: the case the packet is for; None for the whole record.
        since, until: the date range of the log, calls and costs (both included; None = open).
        sections: the chosen sections (cover, reference and contents are always added).
        document_ids: the documents to attach, in order; None means the default selection
            (those linked to the case, else all; see ``documents.default_documents``).
        page_size: Letter or A4.
        created: the creation date written into the PDF's metadata; None means now. Tests fix
            it: the same data and the same ``created`` give the same bytes.
    """

    case_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    sections: frozenset[PacketSection] = field(
        default_factory=lambda: frozenset(CHOOSABLE_SECTIONS)
    )
    document_ids: tuple[int, ...] | None = None
    page_size: PageSize = PageSize.LETTER
    created: dt.datetime | None = None

    @property
    def with_documents(self) -> bool:
        return PacketSection.DOCUMENTS in self.sections and self.document_ids != ()

    def check(self, today: dt.date) -> None:
        """Raises ValidationError when the dates cannot be used."""
        problems = range_problems(self.since, self.until, today)
        if problems:
            raise ValidationError(problems)

    def includes(self, section: PacketSection) -> bool:
        return section.always_included or section in self.sections
