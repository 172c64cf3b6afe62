"""A case's timeline as plain entries: events in date order, "Today", and what is due.

``timeline_entries`` turns a CaseDetail into the rows the timeline paints, without Qt; each
event's title and details are worded by ``domain.event_words``, as in the packet's timeline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from backlog_app.domain.cases import CaseEventData, EventType, Outcome
from backlog_app.domain.dates import format_long_date
from backlog_app.domain.deadline_rules import Party
from backlog_app.domain.deadlines import DueItem, DueStatus, due_status
from backlog_app.domain.event_words import DENIAL_EVENTS, event_details, event_title
from backlog_app.services.cases import CaseDetail
from backlog_app.ui.models.case_model import due_mark

_GOOD_EVENTS = frozenset({EventType.APPROVED, EventType.CLAIM_PAID})


class EntryKind(StrEnum):
    EVENT = "event"  # something that happened (a filled dot)
    DUE = "due"  # something due by a date (a hollow marker)
    TODAY = "today"  # where the past ends


class Tone(StrEnum):
    GOOD = "good"
    BAD = "bad"
    NEUTRAL = "neutral"


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One row of the timeline."""

    kind: EntryKind
    day: dt.date
    title: str
    details: tuple[str, ...] = ()
    event_id: int | None = None
    tone: Tone = Tone.NEUTRAL
    due: DueStatus | None = None

    @property
    def text(self) -> str:
        """Everything the row says, for screen readers and tooltips."""
        return "\n".join([f"{format_long_date(self.day)} — {self.title}", *self.details])


def event_tone(event: CaseEventData) -> Tone:
    if event.event_type in DENIAL_EVENTS or event.outcome is Outcome.DENIED:
        return Tone.BAD
    if event.event_type in _GOOD_EVENTS or event.outcome in (
        Outcome.APPROVED,
        Outcome.PARTLY_APPROVED,
    ):
        return Tone.GOOD
    return Tone.NEUTRAL


def due_entry(item: DueItem, today: dt.date) -> TimelineEntry:
    """ "File your appeal by 30 Aug 2026" with how the date was found and its source."""
    status = due_status(item.due, today)
    mark = due_mark(item, today).rstrip(": ")
    who = "You" if item.party is Party.YOU else "The plan"
    details = [f"{mark} · {who}" if mark else who]
    how = " — ".join(part for part in (item.explanation, item.source) if part)
    if how:
        details.append(how)
    return TimelineEntry(
        EntryKind.DUE,
        item.due,
        f"{item.title} by {format_long_date(item.due)}",
        tuple(details),
        event_id=None,
        tone=Tone.BAD if status is DueStatus.OVERDUE else Tone.NEUTRAL,
        due=status,
    )


def timeline_entries(
    detail: CaseDetail, document_counts: Mapping[int, int], today: dt.date
) -> list[TimelineEntry]:
    """Events in date order, a "Today" marker, and the open due items at their dates.

    Args:
        detail: the case.
        document_counts: documents linked to each event, by event id.
        today: the profile's today.
    """
    calls: dict[int, int] = {}
    for call in detail.calls:
        if call.data.event_id is not None:
            calls[call.data.event_id] = calls.get(call.data.event_id, 0) + 1
    keyed: list[tuple[tuple[dt.date, int, int], TimelineEntry]] = []
    for number, event in enumerate(detail.events):
        data = event.data
        entry = TimelineEntry(
            EntryKind.EVENT,
            data.day,
            event_title(data),
            tuple(event_details(data, calls.get(event.id, 0), document_counts.get(event.id, 0))),
            event_id=event.id,
            tone=event_tone(data),
        )
        # An event dated today is in the past part; so is an overdue item, at its own date.
        keyed.append(((data.day, 0, number), entry))
    for number, item in enumerate(detail.due):
        keyed.append(((item.due, 2, number), due_entry(item, today)))
    if keyed:
        keyed.append(((today, 1, 0), TimelineEntry(EntryKind.TODAY, today, "Today")))
    return [entry for _key, entry in sorted(keyed, key=lambda pair: pair[0])]
