"""The case sections of the packet: each case's timeline with its deadlines, and the call log.

The timeline is never cut by the date range (a reviewer needs the whole history of the request);
calls are. For the whole record every case is shown under its own heading.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Paragraph  # type: ignore[import-untyped]

from backlog_app.domain.cases import Call, CallDirection, CaseEvent
from backlog_app.domain.dates import format_long_date
from backlog_app.domain.deadline_rules import Party
from backlog_app.domain.deadlines import DueItem, DueStatus
from backlog_app.domain.event_words import event_details, event_title
from backlog_app.services.cases import CaseDetail
from backlog_app.services.packet.source import SectionSource, SectionStory
from backlog_app.services.packet.styles import (
    STYLES,
    bold_lead,
    markup,
    minor_heading,
    one_line,
    para,
    subheading,
)
from backlog_app.services.packet.tables import Column, by_year_tables, data_table

# --- Case timeline and deadlines ----------------------------------------------------------------

_EVENT_COLUMNS = (
    Column("Date", 0.15, wrap=False),
    Column("What happened", 0.27),
    Column("Details", 0.58),
)
_DUE_COLUMNS = (
    Column("Due", 0.15),
    Column("What", 0.26),
    Column("Who acts", 0.12),
    Column("How the date was found", 0.47),
)
_PARTY_WORDS = {Party.YOU: "Patient", Party.INSURER: "Insurer"}


def draw_timeline(source: SectionSource) -> SectionStory | str:
    cases = source.cases
    if not cases:
        return "No coverage cases were recorded."
    if source.case_scope and not cases[0].events and not cases[0].due:
        return "Nothing has happened on this case yet: no events or deadlines were recorded."
    story: list[Any] = []
    for detail in cases:
        story += _case_timeline(detail, source, titled=not source.case_scope)
    intro = (
        f"Every event on the timeline, oldest first, and what is due as of "
        f"{format_long_date(source.today)}. Deadlines are counted from the events by the rules "
        "of the plan; each names its source."
    )
    return SectionStory(story, intro)


def _case_timeline(detail: CaseDetail, source: SectionSource, *, titled: bool) -> list[Any]:
    story: list[Any] = []
    if titled:
        # Room for the title, where it stands and the timeline's first rows: never a title alone.
        story += subheading(detail.title, room=170)
    story.append(bold_lead("Where it stands:", detail.status.label + "."))
    if detail.events:
        rows = [_event_row(event) for event in detail.events]
        story += minor_heading("Timeline") if titled else subheading("Timeline")
        story.append(data_table(_EVENT_COLUMNS, rows, source.width))
    else:
        story.append(para("No events recorded yet.", STYLES.note))
    if detail.due:
        title = "Deadlines and what is due"
        story += minor_heading(title) if titled else subheading(title)
        due_rows = [_due_row(item, source) for item in detail.due]
        story.append(data_table(_DUE_COLUMNS, due_rows, source.width))
    return story


def _event_row(event: CaseEvent) -> tuple[str, str, str]:
    """The event in the timeline's words (``domain.event_words``), its details one per line."""
    data = event.data
    details = event_details(data, whole_notes=True)
    return (format_long_date(data.day), event_title(data), "\n".join(details) or "—")


def _due_row(item: DueItem, source: SectionSource) -> tuple[str, str, str, str]:
    due = format_long_date(item.due)
    status = item.status(source.today)
    if status is DueStatus.OVERDUE:
        due += "\n(overdue)"
    elif status is DueStatus.DUE_SOON:
        due += "\n(due soon)"
    how = one_line(item.explanation)
    how = how[:1].upper() + how[1:]
    if item.overridden:
        how += " (the case's own figure)"
    if item.source:
        how += f".\nSource: {item.source}"
    return (due, item.title, _PARTY_WORDS.get(item.party, item.party.value), how)


# --- Call log -----------------------------------------------------------------------------------

_CALL_COLUMNS = (
    Column("Date", 0.13),
    Column("With", 0.23),
    Column("Reference number", 0.19),
    Column("What was said", 0.45),
)
_DIRECTION_WORDS = {
    CallDirection.OUTGOING: "Outgoing call",
    CallDirection.INCOMING: "Incoming call",
}


def draw_calls(source: SectionSource) -> SectionStory | str:
    calls = [
        call
        for call in source.profile.calls.list(source.request.case_id)
        if source.in_range(call.data.called_at.date())
    ]
    if not calls:
        scope = " about this case" if source.case_scope else ""
        return f"No calls{scope} were recorded{source.within()}."
    calls.sort(key=lambda call: (call.data.called_at, call.id))
    titles = {detail.id: detail.title for detail in source.cases}
    with_reference = sum(1 for call in calls if (call.data.reference_number or "").strip())
    intro = (
        f"{source.period_intro('calls')} Oldest first; {with_reference} of {len(calls)} "
        "calls have a reference number from the person spoken to."
    )

    def row(call: Call) -> tuple[Any, ...]:
        return _call_row(call, titles if not source.case_scope else {})

    story = by_year_tables(
        _CALL_COLUMNS, calls, lambda call: call.data.called_at.year, row, source.width
    )
    return SectionStory(story, intro)


def _call_row(call: Call, titles: dict[int, str]) -> tuple[Any, ...]:
    data = call.data
    when = f"{format_long_date(data.called_at.date())}\n{data.called_at:%H:%M}"
    who = f"<b>{markup(data.organization)}</b>"
    if data.representative:
        who += f"<br/>Spoke with {markup(data.representative)}"
    if data.phone:
        who += f"<br/>{markup(data.phone)}"
    who += f"<br/>{_DIRECTION_WORDS[data.direction]}"
    said = ""
    if data.case_id is not None and data.case_id in titles:
        said = f"<i>Case: {markup(titles[data.case_id])}</i><br/>"
    said += markup(one_line(data.summary) or "No summary recorded.")
    if data.follow_up:
        promise = f"Promised: {one_line(data.follow_up)}"
        if data.follow_up_date is not None:
            promise += f", by {format_long_date(data.follow_up_date)}"
        promise += " (done)." if data.follow_up_done else " (still open)."
        said += f"<br/>{markup(promise)}"
    reference = (data.reference_number or "").strip()
    return (
        when,
        Paragraph(who, STYLES.cell),
        Paragraph(f"<b>{markup(reference)}</b>" if reference else "None given", STYLES.cell),
        Paragraph(said, STYLES.cell),
    )
