"""The demo's network checks and the calls they were made on (the story is in ``demo_network``).

A check made on a call to the insurer carries the call's reference number and links to the call
in the call log; checks on the insurer's website or with a provider's office say so in their notes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from backlog_app.domain.cases import Call
from backlog_app.domain.network import NetworkStatus, VerificationData, VerificationMethod
from backlog_app.services.demo_case_story import days_after, ref_number
from backlog_app.services.demo_letters import long
from backlog_app.services.demo_network import ANESTHESIA, ASSISTANT, LAB, WESTGATE, NetworkStory

IN = NetworkStatus.IN_NETWORK
OUT = NetworkStatus.OUT_OF_NETWORK


def record_checks(network: NetworkStory) -> None:
    """Add the calls and checks of the story (see ``demo_network``)."""
    story, days = network.story, network.days
    calls = story.profile.calls.list()
    website, office = VerificationMethod.INSURER_WEBSITE, VerificationMethod.PROVIDER_OFFICE
    first_visit = days_after(days.primary_visits[0], -1)
    note = "Found in the Choice PPO directory before the first visit."
    _check(network, "Dr. Karen Whitfield", IN, website, first_visit, notes=note)
    # The calls of the case story that settled a network question.
    chiropractic = next(
        c for c in calls if c.data.case_id is None and "Chiropractic" in (c.data.summary or "")
    )
    _check(
        network,
        "Dr. Alan Reyes, DC",
        IN,
        VerificationMethod.CALL,
        _day(chiropractic),
        call=chiropractic,
    )
    scheduling = next(c for c in calls if c.data.organization == "Columbus Open MRI")
    note = f"{scheduling.data.representative} said they are in network with the plan."
    _check(network, "Columbus Open MRI", IN, office, _day(scheduling), notes=note)
    _anesthesia_bill(network)
    # The summer: blood work at the lab, then pain psychology outside the network.
    note = "Dr. Whitfield's office sends blood work here."
    _check(network, LAB, IN, website, days_after(days.primary_visits[-1], -1), notes=note)
    note = "Outside the network: Maria pays for pain psychology herself (a Good Faith Estimate)."
    _check(
        network, "Dr. Nadia Farouk", OUT, website, days_after(days.therapy_start, -9), notes=note
    )
    _westgate(network)
    _surgery_team(network, calls)


def _anesthesia_bill(network: NetworkStory) -> None:
    """Never checked before the injection at Northside: out of network, found on its bill."""
    injection = network.story.facts.injection
    day = days_after(injection, 28)
    call = _insurer_call(
        network,
        day,
        "10:45",
        "4471",
        representative="Andre",
        summary=f"Asked about {ANESTHESIA}' bill for the injection on {long(injection)}: they "
        "are out of network with the plan; nobody checked before the injection. Northside is "
        "in network, so the No Surprises Act applies: the plan paid them at the in-network rate "
        "and I owe only my in-network share, not their balance.",
    )
    note = "Checked only after their bill came."
    _check(network, ANESTHESIA, OUT, VerificationMethod.CALL, day, call=call, notes=note)


def _westgate(network: NetworkStory) -> None:
    day = days_after(network.days.preop_mri, 20)
    call = _insurer_call(
        network,
        day,
        "13:20",
        "6284",
        case_id=network.surgery_case,
        representative="Rick",
        summary=f"The MRI at {WESTGATE} was denied: Westgate is out of network with the plan, "
        "which approved MRIs at Columbus Open MRI only. I can appeal within 180 days of the "
        "EOB. Ask Dr. Okafor's office to book imaging at an in-network center.",
    )
    _check(network, WESTGATE, OUT, VerificationMethod.CALL, day, call=call)


def _surgery_team(network: NetworkStory, calls: list[Call]) -> None:
    """The anesthesia group's office says "in network"; one call to the insurer checks them all."""
    days = network.days
    office = next(c for c in calls if c.data.organization == ANESTHESIA)
    note = f"{office.data.representative} in the billing office said the group is in network."
    office_check = VerificationMethod.PROVIDER_OFFICE
    _check(network, ANESTHESIA, IN, office_check, _day(office), call=office, notes=note)
    day = min(days_after(_day(office), 1), days.today)
    call = _insurer_call(
        network,
        day,
        "09:05",
        "7395",
        case_id=network.surgery_case,
        representative="Marcus",
        summary=f"Checked the team for the surgery on {long(days.surgery)}: Dr. Okafor, his "
        f"assistant {ASSISTANT} and Northside Surgery Center are in network with the plan, and "
        f"so is Dr. Raman for the ablation. {ANESTHESIA}, the group Northside says does the "
        "anesthesia for Dr. Okafor, is still out of network, whatever its office says. "
        "Northside is in network, so the No Surprises Act limits their bill to my in-network "
        "share: do not sign a form giving that up.",
    )
    team = ("Dr. Samuel Okafor", ASSISTANT, "Northside Surgery Center", "Dr. Priya Raman")
    for provider in team:
        _check(network, provider, IN, VerificationMethod.CALL, day, call=call)
    _check(network, ANESTHESIA, OUT, VerificationMethod.CALL, day, call=call)
    note = "Motion Forward Physical Therapy is in the Choice PPO directory."
    website = VerificationMethod.INSURER_WEBSITE
    _check(network, "Jenna Brooks, DPT", IN, website, day, notes=note)


def _check(
    network: NetworkStory,
    provider: str,
    status: NetworkStatus,
    method: VerificationMethod,
    day: dt.date,
    *,
    call: Call | None = None,
    notes: str | None = None,
) -> int:
    """One check for the main plan; ``call`` gives its reference number (and, for a call to
    the insurer, the link to the call log)."""
    story = network.story
    reference = call.data.reference_number if call is not None else None
    call_id = call.id if call is not None and method is VerificationMethod.CALL else None
    data = VerificationData(
        story.provider(provider), story.plan_id, status, method, day, reference, call_id, notes
    )
    return story.profile.network.add_verification(data)


def _insurer_call(
    network: NetworkStory, day: dt.date, time: str, serial: str, **fields: Any
) -> Call:
    """A call to the insurer's member services with a reference number."""
    story = network.story
    fields.setdefault("reference_number", ref_number("MS", day, serial))
    call_id = story.call(
        day, time, story.insurer, phone=story.facts.plan.member_services_phone, **fields
    )
    return story.profile.calls.get(call_id)


def _day(call: Call) -> dt.date:
    return call.data.called_at.date()
