"""A packet laid out and ready to write: its parts in printing order, contents and page count."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from backlog_app.domain.packet import ContentsEntry, PacketIdentity, PacketSection
from backlog_app.services.packet.attachments import PreparedAttachment
from backlog_app.services.packet.request import PacketRequest


@dataclass(frozen=True, slots=True)
class ReplacedDocument:
    """A chosen document the packet holds a "could not be included" page for, and why."""

    document_id: int
    title: str
    reason: str


@dataclass(frozen=True, slots=True)
class PacketResult:
    path: Path
    page_count: int
    size_bytes: int
    replaced: tuple[ReplacedDocument, ...]


@dataclass(frozen=True, slots=True)
class PreparedPart:
    """One run of pages in printing order: our own PDF bytes, or a prepared attachment."""

    key: str
    title: str
    level: int
    page_count: int
    drawn: bytes | None = None
    attachment: PreparedAttachment | None = None


@dataclass
class PreparedPacket:
    """A packet ready to be written: its contents, page count and what was left out.

    Holds a temporary folder with the scans drawn onto packet pages; ``close`` removes it.
    ``write_packet`` leaves it open, so one preview can be written (or printed) more than once;
    ``export_packet`` prepares and closes its own.
    """

    request: PacketRequest
    title: str
    entries: tuple[ContentsEntry, ...]
    total_pages: int
    omitted: tuple[tuple[PacketSection, str], ...]
    replaced: tuple[ReplacedDocument, ...]
    identity: PacketIdentity
    subject: str
    created: dt.datetime
    parts: tuple[PreparedPart, ...] = field(repr=False, default=())
    scratch: tempfile.TemporaryDirectory[str] | None = field(repr=False, default=None)

    @property
    def document_count(self) -> int:
        return sum(1 for part in self.parts if part.attachment is not None)

    def close(self) -> None:
        if self.scratch is not None:
            self.scratch.cleanup()
            self.scratch = None
