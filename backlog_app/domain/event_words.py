"""A case event in words: its title and the short lines of its details.

One wording for every place that lists a case's events — the Cases page's timeline and the
packet's case timeline — so that a reviewer reading the packet and the patient reading the
screen see the same words.
"""

from __future__ import annotations

from backlog_app.domain.cases import CaseEventData, DenialReason, EventType
from backlog_app.domain.dates import format_long_date
from backlog_app.domain.money import format_cents

DENIAL_EVENTS = frozenset({EventType.DENIED, EventType.CLAIM_DENIED})

# A note's first line longer than this is cut with "…" unless the whole note is asked for.
_NOTE_LENGTH = 160


def event_title(event: CaseEventData) -> str:
    """ "Appeal filed (level 1)", "Denied — missing documentation"."""
    title = event.event_type.label
    if event.reason is not None and event.event_type in DENIAL_EVENTS:
        reason = event.reason.label if event.reason is not DenialReason.OTHER else "other reason"
        title += f" — {reason.lower()}"
    if event.level is not None:
        title += f" (level {event.level})"
    return title


def event_details(
    event: CaseEventData, calls: int = 0, documents: int = 0, *, whole_notes: bool = False
) -> list[str]:
    """The key facts of one event, one short line each.

    Args:
        calls, documents: how many calls and documents are linked to the event ("Linked: …").
        whole_notes: give the notes whole, on one line; else only their first line, cut at
            160 characters (a row on the screen).
    """
    lines: list[str] = []
    if event.reason is not None and event.event_type not in DENIAL_EVENTS:
        lines.append(f"Reason: {event.reason.label}")  # a denial names it in its title
    if event.quoted_reason:
        quoted = " ".join(event.quoted_reason.split())
        lines.append(f"“{quoted}”")
    if event.outcome is not None:
        lines.append(f"Outcome: {event.outcome.label}")
    if event.authorization_number:
        lines.append(f"Authorization {event.authorization_number.strip()}")
    approval: list[str] = []
    if event.approved_units is not None:
        approval.append(f"{event.approved_units} unit{'s' if event.approved_units != 1 else ''}")
    if event.valid_from or event.valid_until:
        start = format_long_date(event.valid_from, empty="…")
        end = format_long_date(event.valid_until, empty="…")
        approval.append(f"valid {start} – {end}")
    if approval:
        lines.append("Approved: " + ", ".join(approval))
    if event.amount_cents is not None:
        lines.append(f"Amount: {format_cents(event.amount_cents)}")
    notice: list[str] = []
    if event.received_date is not None and event.received_date != event.day:
        notice.append(f"received {format_long_date(event.received_date)}")
    if event.deadline is not None:
        notice.append(f"deadline printed on the notice: {format_long_date(event.deadline)}")
    if notice:
        lines.append(notice[0][0].upper() + "; ".join(notice)[1:])
    if event.reference_number and event.reference_number.strip():
        lines.append(f"Reference {event.reference_number.strip()}")
    if event.notes and event.notes.strip():
        if whole_notes:
            lines.append(" ".join(event.notes.split()))
        else:
            first = event.notes.strip().splitlines()[0]
            cut = _NOTE_LENGTH - 3
            lines.append(first if len(first) <= _NOTE_LENGTH else first[:cut] + "…")
    linked = []
    if calls:
        linked.append(f"{calls} call{'s' if calls != 1 else ''}")
    if documents:
        linked.append(f"{documents} document{'s' if documents != 1 else ''}")
    if linked:
        lines.append("Linked: " + " · ".join(linked))
    return lines
