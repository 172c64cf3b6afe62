"""What the packet's sections are drawn from: the request's scope and dates, and the records
several sections share (the care summary, the cases in scope, provider names), read once.

A section drawer gets a ``SectionSource`` and returns a ``SectionStory`` (what to draw) or a
plain reason why it has nothing to show ("No calls between 1 Jan and 27 Nov 2026.").
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from backlog_app.domain.summary import CareSummary
from backlog_app.services.cases import CaseDetail
from backlog_app.services.context import ProfileSession
from backlog_app.services.packet.content import Period
from backlog_app.services.packet.request import PacketRequest
from backlog_app.services.packet.styles import content_width
from backlog_app.services.summary import care_summary


@dataclass(frozen=True, slots=True)
class SectionStory:
    """A section's flowables, under its heading; ``intro`` is a short line under the heading."""

    story: list[Any]
    intro: str | None = None


@dataclass
class SectionSource:
    """The request and the records its sections share, each read on first use."""

    profile: ProfileSession
    request: PacketRequest
    today: dt.date = field(init=False)
    period: Period = field(init=False)

    def __post_init__(self) -> None:
        self.today = self.profile.clock()
        self.period = Period.of(self.request.since, self.request.until, self.today)

    @property
    def width(self) -> float:
        """The width of the content on the request's paper, in points."""
        return content_width(self.request.page_size)

    @property
    def since(self) -> dt.date | None:
        return self.request.since

    @property
    def until(self) -> dt.date:
        """The last day counted: the end of the range, never after today."""
        return self.period.end

    @property
    def case_scope(self) -> bool:
        return self.request.case_id is not None

    def in_range(self, day: dt.date | None) -> bool:
        """Whether ``day`` lies in the request's date range (an undated record does only when
        no range was given)."""
        if day is None:
            return self.period.whole_record
        return (self.since is None or day >= self.since) and day <= self.until

    def within(self) -> str:
        """The range in words for a reason (``Period.within``): " between 1 Jan 2025 and
        27 Nov 2026", " up to 3 Mar 2026", or "" without a range."""
        return self.period.within()

    def period_intro(self, what: str) -> str:
        """ "Calls from 1 Jan 2025 to 27 Nov 2026." or "All calls recorded, up to …"."""
        return self.period.intro(what)

    @functools.cached_property
    def summary(self) -> CareSummary:
        return care_summary(self.profile, self.request.since, self.request.until)

    @functools.cached_property
    def cases(self) -> list[CaseDetail]:
        """The case of the request, or every case (oldest first) for the whole record."""
        if self.request.case_id is not None:
            return [self.profile.cases.get(self.request.case_id)]
        return [self.profile.cases.get(case_id) for case_id in sorted(self.profile.cases.titles())]

    @functools.cached_property
    def provider_names(self) -> dict[int, str]:
        return {stored.id: stored.data.name for stored in self.profile.providers.list()}

    @functools.cached_property
    def plan_names(self) -> dict[int, str]:
        return {stored.id: stored.data.display_name for stored in self.profile.plans.list()}
