"""What the packet window reads of the record before it can offer choices: the cases, every
document, and the documents a packet attaches by default. Run in the background (Qt-free)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from backlog_app.domain.packet_documents import DocumentChoice
from backlog_app.errors import UserError
from backlog_app.services.cases import CaseRow
from backlog_app.services.context import ProfileSession
from backlog_app.services.packet.documents import available_documents, default_documents


@dataclass(frozen=True, slots=True)
class PacketChoices:
    """The record's cases and documents, and the default selection for ``case_id``."""

    cases: list[CaseRow]  # soonest deadline first, as the Cases page lists them
    available: list[DocumentChoice]  # every document not in the trash, default order
    defaults: list[DocumentChoice]  # attached unless the user chooses otherwise
    case_id: int | None  # the case asked for, None when it no longer exists

    @property
    def titles(self) -> dict[int, str]:
        return {row.id: row.title for row in self.cases}


def read_choices(profile: ProfileSession, case_id: int | None) -> PacketChoices:
    cases = profile.cases.list()
    if case_id is not None and all(row.id != case_id for row in cases):
        case_id = None  # deleted meanwhile: the whole record instead
    return PacketChoices(
        cases=cases,
        available=available_documents(profile),
        defaults=read_default_documents(profile, case_id, None, None),
        case_id=case_id,
    )


def read_default_documents(
    profile: ProfileSession, case_id: int | None, since: dt.date | None, until: dt.date | None
) -> list[DocumentChoice]:
    """The default documents; a case deleted meanwhile gives the whole record's."""
    try:
        return default_documents(profile, case_id, since, until)
    except UserError:
        return default_documents(profile, None, since, until)
