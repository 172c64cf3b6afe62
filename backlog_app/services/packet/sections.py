"""The packet's body sections drawn as PDFs: care summary, scores, medications, treatments,
daily log, case timeline, calls, network checklist and costs — those the request chose.

Each section is its own PDF on the request's paper, starting with its heading; the assembler
numbers and stamps the pages. A chosen section with nothing to show is left out, with the
reason the contents page gives ("No calls between 1 Jan 2025 and 27 Nov 2026.").
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from backlog_app.domain.packet import PacketSection
from backlog_app.services.context import ProfileSession
from backlog_app.services.packet.care_sections import (
    draw_medications,
    draw_scores,
    draw_summary,
    draw_treatments,
)
from backlog_app.services.packet.case_sections import draw_calls, draw_timeline
from backlog_app.services.packet.daily_log import draw_daily_log
from backlog_app.services.packet.network_costs import draw_costs, draw_network
from backlog_app.services.packet.request import PacketRequest
from backlog_app.services.packet.source import SectionSource, SectionStory
from backlog_app.services.packet.styles import build_pdf, section_heading
from backlog_app.services.progress import Progress

Drawer = Callable[[SectionSource], "SectionStory | str"]

# The body sections in printing order, each with what draws it.
DRAWERS: dict[PacketSection, Drawer] = {
    PacketSection.SUMMARY: draw_summary,
    PacketSection.SCORES: draw_scores,
    PacketSection.MEDICATIONS: draw_medications,
    PacketSection.TREATMENTS: draw_treatments,
    PacketSection.DAILY_LOG: draw_daily_log,
    PacketSection.TIMELINE: draw_timeline,
    PacketSection.CALLS: draw_calls,
    PacketSection.NETWORK: draw_network,
    PacketSection.COSTS: draw_costs,
}
BODY_SECTIONS: tuple[PacketSection, ...] = tuple(s for s in PacketSection if s in DRAWERS)


@dataclass(frozen=True, slots=True)
class DrawnSection:
    """One body section's pages."""

    section: PacketSection
    pdf: bytes
    page_count: int


@dataclass(frozen=True, slots=True)
class BodySections:
    """The body sections drawn, in printing order, and those left out with a plain reason."""

    drawn: list[DrawnSection]
    omitted: list[tuple[PacketSection, str]]


_collection_lock = threading.Lock()
_collection_holds = 0
_collection_was_on = True


@contextlib.contextmanager
def collection_put_off() -> Iterator[None]:
    """Put off Python's cyclic garbage collection while a section is drawn.

    A collection stops every thread while it scans every live object. With the thousands of
    table cells of a long section alive, one scan froze the window for 100–360 ms (measured by
    benchmarks/export_bench.py). The cells are freed by reference counting once the section is
    drawn, so the collections that follow have little to scan. Nested and concurrent uses
    (a preview and an export) are counted: collection resumes when the last one ends.
    """
    global _collection_holds, _collection_was_on
    with _collection_lock:
        if _collection_holds == 0:
            _collection_was_on = gc.isenabled()
            gc.disable()
        _collection_holds += 1
    try:
        yield
    finally:
        with _collection_lock:
            _collection_holds -= 1
            if _collection_holds == 0 and _collection_was_on:
                gc.enable()


def draw_body_sections(
    profile: ProfileSession, request: PacketRequest, progress: Progress
) -> BodySections:
    """Draw the body sections ``request`` chose, in printing order.

    Raises:
        Cancelled: the user pressed Cancel (checked between sections and after each page).
        UserError: the request's case no longer exists.
    """
    chosen = [section for section in BODY_SECTIONS if section in request.sections]
    source = SectionSource(profile, request)
    drawn: list[DrawnSection] = []
    omitted: list[tuple[PacketSection, str]] = []
    for done, section in enumerate(chosen):
        heading = section.heading
        progress.report(done, len(chosen), f"Drawing the {heading[:1].lower()}{heading[1:]}")
        with collection_put_off():
            result = DRAWERS[section](source)
            if isinstance(result, str):
                omitted.append((section, result))
                continue
            built = build_pdf(
                [*section_heading(heading, result.intro), *result.story],
                request.page_size,
                heading,
                on_page=progress.check_cancelled,
            )
            del result
        drawn.append(DrawnSection(section, built.pdf, built.page_count))
    progress.report(len(chosen), len(chosen), "Sections drawn")
    return BodySections(drawn, omitted)
