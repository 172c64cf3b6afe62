"""What the Documents page says: counts ("5 of 42 documents") and what to do when a list is empty."""

from __future__ import annotations

from backlog_app.ui.documents.listing import Listing

NO_DOCUMENTS = (
    "No documents yet.\nAdd referral letters, denial letters, imaging reports… with "
    "“Add documents” or drag files here."
)
EMPTY_TRASH = (
    "The trash is empty.\nDocuments you move to the trash wait here until you restore them "
    "or remove them for good."
)
LOADING = "Loading your documents…"


def documents(count: int) -> str:
    return f"{count:,} document{'' if count == 1 else 's'}"


def count_text(listing: Listing, filtered: bool) -> str:
    """ "42 documents", "5 of 42 documents" (filtered) or "3 in the trash"."""
    shown = len(listing.rows)
    total = getattr(listing.rows, "total_matches", shown)
    if total > shown:
        # A search shows its best matches only (DocumentService.SEARCH_LIMIT).
        return f"the best {shown:,} of {total:,} matches"
    if listing.filter.in_trash:
        return f"{shown:,} in the trash"
    if filtered:
        return f"{shown:,} of {documents(listing.counts.active)}"
    return documents(listing.counts.active)


def trash_button_text(listing: Listing) -> str:
    in_trash = listing.counts.in_trash
    return f"Trash ({in_trash:,})" if in_trash else "Trash"


def empty_text(listing: Listing | None, filtered: bool) -> str:
    """The empty state: nothing yet, an empty trash, no match for a search or for the filters."""
    if listing is None:
        return LOADING
    wanted = listing.filter
    if wanted.text:
        where = " in the trash" if wanted.in_trash else ""
        return (
            f"No documents{where} match “{wanted.text}”.\nCheck the spelling, try fewer "
            "words, or clear the filters. Scans become searchable once their text is read."
        )
    if filtered:
        return (
            "No documents match these filters.\nChoose “All kinds”, another provider or tag, "
            "or clear the dates."
        )
    return EMPTY_TRASH if wanted.in_trash else NO_DOCUMENTS


def is_first_time(listing: Listing | None) -> bool:
    """No document at all yet (not even in the trash): the page shows only how to add one."""
    return (
        listing is not None
        and not listing.filter.in_trash
        and listing.counts.active == 0
        and listing.counts.in_trash == 0
    )
