"""The demo's network checks and care teams: who was checked, how, when, and what it found.

Maria's microdiscectomy is still ahead (``demo_cases_surgery``), so its care team is a checklist
of all three colours:

- Dr. Okafor, his assistant Erin Cho, PA-C, Northside Surgery Center and the physical therapist
  were checked in network a few days ago, on one call to the insurer with a reference number;
- Capital Anesthesia Associates was never checked before her epidural injection at Northside in
  the spring; only their bill showed they are out of network. Their billing office now says they
  are in network, the insurer still says they are not: red, but the No Surprises Act protects her
  (anesthesia at an in-network surgery center);
- the pathology lab was checked in the summer, more than 90 days ago: amber;
- nobody knows yet who reads the X-rays in the operating room: amber;
- Westgate Imaging Center, where an MRI before surgery was denied (a $650 bill), is where the
  surgeon's office books the MRI after surgery too: red, and nothing protects that bill.

The bills, EOB lines, HSA money and supplemental claims that go with the story are in
``demo_costs``. Every date is counted from the log and the cases, never from the calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from backlog_app.domain.cases import EventType, Procedure
from backlog_app.domain.log_records import TreatmentKind
from backlog_app.domain.network_rules import CareRole, CareTeamData
from backlog_app.domain.records import ProviderData, ProviderRole
from backlog_app.services.context import ProfileSession
from backlog_app.services.demo import demo_npi
from backlog_app.services.demo_case_story import CaseStory, case_story, days_after
from backlog_app.services.progress import Progress

_LABEL = "Adding network checks and costs"
ASSISTANT = "Erin Cho, PA-C"
LAB = "Central Ohio Pathology Laboratory"
WESTGATE = "Westgate Imaging Center"
ANESTHESIA = "Capital Anesthesia Associates"


def new_providers() -> list[ProviderData]:
    """The providers the care team needs that the rest of the demo does not."""
    columbus = "Columbus, OH"
    return [
        ProviderData(
            ASSISTANT,
            ProviderRole.OTHER,
            "Surgical physician assistant",
            "Midwest Spine Institute",
            demo_npi("184406275"),
            "(614) 555-0312",
            "(614) 555-0311",
            f"5025 Arlington Centre Blvd\n{columbus} 43220",
            notes="Assists Dr. Okafor in surgery and bills on her own.",
        ),
        ProviderData(
            LAB,
            ProviderRole.PATHOLOGY,
            "Pathology and laboratory",
            LAB,
            demo_npi("276519043"),
            "(614) 555-0870",
            "(614) 555-0871",
            f"1550 Old Henderson Rd\n{columbus} 43220",
        ),
        ProviderData(
            WESTGATE,
            ProviderRole.RADIOLOGY,
            "Diagnostic imaging",
            WESTGATE,
            demo_npi("229384710"),
            "(614) 555-0740",
            address=f"4300 W Broad St\n{columbus} 43228",
        ),
    ]


@dataclass(frozen=True, slots=True)
class StoryDays:
    """The days of Maria's log and cases that the network and cost story are told on."""

    today: dt.date
    primary_visits: list[dt.date]
    spine_visits: list[dt.date]
    pain_visits: list[dt.date]
    chiropractic: list[dt.date]
    therapy: list[dt.date]
    blocks: list[dt.date]  # the two diagnostic medial branch blocks
    surgery: dt.date
    decision_received: dt.date  # the surgery's approval on appeal arrived

    @property
    def therapy_start(self) -> dt.date:
        """Dr. Farouk's first pain-psychology visit: two weeks after the summer visit."""
        return days_after(self.primary_visits[-1], 14)

    @property
    def preop_mri(self) -> dt.date:
        """The MRI at Westgate that Dr. Okafor wanted before deciding on the date of surgery."""
        return days_after(self.spine_visits[-1], 5)


@dataclass
class NetworkStory:
    """What ``demo_costs`` needs from the network story: the writer, its days and record ids."""

    story: CaseStory
    days: StoryDays
    surgery_case: int
    mri_case: int
    supplemental_plan: int


def add_demo_network(profile: ProfileSession, progress: Progress | None = None) -> NetworkStory:
    """Add the care-team providers, checks, calls, care teams, then the costs (``demo_costs``).

    ``profile`` already holds the demo's log, documents and cases.
    """
    from backlog_app.services.demo_costs import add_demo_costs
    from backlog_app.services.demo_network_checks import record_checks

    progress = progress or Progress()
    progress.report(0, 3, _LABEL)
    for provider in new_providers():
        profile.providers.add(provider)
    network = _network_story(profile)
    progress.report(1, 3, _LABEL)
    record_checks(network)
    _fill_care_teams(network)
    progress.report(2, 3, _LABEL)
    add_demo_costs(network)
    progress.report(3, 3, _LABEL)
    return network


def _network_story(profile: ProfileSession) -> NetworkStory:
    story = case_story(profile)
    cases = {row.data.procedure: row.id for row in profile.cases.list()}
    surgery = profile.cases.get(cases[Procedure.MICRODISCECTOMY])
    decision = next(e.data for e in surgery.events if e.data.event_type is EventType.DECISION)
    assert surgery.data.scheduled_date is not None, "the demo's surgery is booked"
    treatments = profile.log.treatments.list()

    def days(kind: TreatmentKind) -> list[dt.date]:
        return sorted(t.data.day for t in treatments if t.data.kind is kind)

    supplemental = next(p.id for p in profile.plans.list() if p.data.plan_type.is_supplemental)
    return NetworkStory(
        story=story,
        days=StoryDays(
            today=profile.clock(),
            primary_visits=days(TreatmentKind.PRIMARY_CARE_VISIT),
            spine_visits=days(TreatmentKind.SPINE_SPECIALIST_VISIT),
            pain_visits=days(TreatmentKind.PAIN_MANAGEMENT_VISIT),
            chiropractic=days(TreatmentKind.CHIROPRACTIC),
            therapy=days(TreatmentKind.PHYSICAL_THERAPY),
            blocks=days(TreatmentKind.FACET_MEDIAL_BRANCH_BLOCK),
            surgery=surgery.data.scheduled_date,
            decision_received=decision.received_date or decision.day,
        ),
        surgery_case=surgery.id,
        mri_case=cases[Procedure.LUMBAR_MRI],
        supplemental_plan=supplemental,
    )


def _fill_care_teams(network: NetworkStory) -> None:
    story = network.story
    surgery: dict[CareRole, tuple[str | None, str | None]] = {
        CareRole.ASSISTANT_SURGEON: (ASSISTANT, None),
        CareRole.ANESTHESIOLOGIST: (
            ANESTHESIA,
            "Northside says this group does the anesthesia for Dr. Okafor's surgeries. Their "
            "office says in network; the insurer says out of network.",
        ),
        CareRole.PATHOLOGY: (LAB, "Northside sends what is removed in surgery to this lab."),
        CareRole.IMAGING: (
            None,
            "The X-ray machine in the operating room: ask Northside who reads the images.",
        ),
        CareRole.POST_OP_PT: ("Jenna Brooks, DPT", None),
        CareRole.FOLLOW_UP_IMAGING: (
            WESTGATE,
            "Dr. Okafor's office books the MRI after surgery at Westgate. Ask them to book "
            "Columbus Open MRI (in network) instead.",
        ),
    }
    _assign(story, network.surgery_case, surgery)
    _assign(story, network.mri_case, {CareRole.IMAGING: ("Columbus Open MRI", None)})


def _assign(
    story: CaseStory, case_id: int, roles: dict[CareRole, tuple[str | None, str | None]]
) -> None:
    network = story.profile.network
    for member in network.team(case_id):
        if member.data.role not in roles:
            continue
        name, notes = roles[member.data.role]
        provider_id = story.provider(name) if name is not None else None
        network.update_member(
            member.id, CareTeamData(case_id, member.data.role, provider_id, notes)
        )
