"""What the Documents page shows for one filter, read in one go off the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass

from backlog_app.services.context import ProfileSession
from backlog_app.services.documents import DocumentCounts, DocumentFilter, DocumentRow


@dataclass(frozen=True, slots=True)
class Listing:
    """The rows for ``filter`` with the counts, tags and (when asked) providers and cases."""

    filter: DocumentFilter
    rows: list[DocumentRow]
    counts: DocumentCounts
    tags: list[str]
    providers: list[tuple[int, str]] | None  # None: not read this time (unchanged)
    cases: list[tuple[int, str]] | None = None  # (id, title), read with the providers


def load_listing(
    profile: ProfileSession, wanted: DocumentFilter, *, with_providers: bool
) -> Listing:
    """Runs on a worker thread: a few read-only queries, nothing written."""
    documents = profile.documents
    rows = documents.list(wanted)
    providers = (
        sorted(
            ((stored.id, stored.data.name) for stored in profile.providers.list()),
            key=lambda item: item[1].casefold(),
        )
        if with_providers
        else None
    )
    cases = (
        sorted(
            ((row.id, row.title) for row in profile.cases.list()),
            key=lambda item: item[1].casefold(),
        )
        if with_providers
        else None
    )
    return Listing(wanted, rows, documents.counts(), documents.tags(), providers, cases)
