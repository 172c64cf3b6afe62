"""The demo's coverage cases and call log, dated to match Maria's treatment log and letters.

Four requests to her employer PPO, as a reviewer of the demo would read them:

- a lumbar MRI, approved in three days; the MRI in the log falls inside the approval, and its
  report, the EOB and the referral are linked to the case;
- a repeat epidural injection, denied as not medically necessary (the denial letter in the
  vault is that event); Maria appealed on her own, the plan upheld its denial, and the window
  for an external review is still open;
- a left L4-L5 microdiscectomy won on appeal, and a radiofrequency ablation approved after a
  peer-to-peer (``demo_cases_surgery``).

Fifteen calls go with them (the insurer's lines, the PT clinic, the surgeon's and pain clinic's
offices, the surgery center), some with a promised follow-up still open. Every date is counted
from the log (``story_facts`` and her last spine visit), never from the calendar, and everything
goes through the services (``demo_case_story``), so the same rules apply as to typed-in records.
"""

from __future__ import annotations

from collections.abc import Callable

from backlog_app.domain.cases import CallDirection, DenialReason, EventType, Outcome, Procedure
from backlog_app.domain.documents import DocumentKind, LinkTarget
from backlog_app.domain.log_records import TreatmentKind
from backlog_app.services.context import ProfileSession
from backlog_app.services.demo_case_story import CaseStory, case_story, days_after, ref_number
from backlog_app.services.demo_cases_surgery import add_ablation, add_microdiscectomy
from backlog_app.services.demo_letters import APPEAL_DAYS, StoryFacts, long
from backlog_app.services.progress import Progress

_LABEL = "Adding coverage cases"
# The approval window the plan gave for the MRI, in days.
MRI_APPROVAL_DAYS = 60


def denial_reference(facts: StoryFacts) -> str:
    """The reference number printed on the demo's denial letter (``demo_letters.denial_letter``)."""
    return f"UM-{facts.denial:%y%m%d}-20417"


def add_demo_cases(profile: ProfileSession, progress: Progress | None = None) -> list[int]:
    """Add the demo's cases, calls and links to ``profile``, which already holds its documents.

    Returns:
        The new cases' ids, in the order they were added.
    """
    progress = progress or Progress()
    story = case_story(profile)
    steps: list[Callable[[CaseStory], int | None]] = [
        _visit_limit_call,
        _mri,
        _epidural,
        add_microdiscectomy,
        add_ablation,
    ]
    case_ids: list[int] = []
    for index, step in enumerate(steps):
        progress.report(index, len(steps), _LABEL)
        case_id = step(story)
        if case_id is not None:
            case_ids.append(case_id)
    progress.report(len(steps), len(steps), _LABEL)
    return case_ids


# --- a call outside any case ------------------------------------------------------------------


def _visit_limit_call(story: CaseStory) -> None:
    chiropractic = min(
        t.data.day
        for t in story.profile.log.treatments.list()
        if t.data.kind is TreatmentKind.CHIROPRACTIC
    )
    day = days_after(chiropractic, -4)
    story.call(
        day,
        "12:20",
        story.insurer,
        phone=story.facts.plan.member_services_phone,
        representative="Marcus",
        reference_number=ref_number("MS", day, "0388"),
        summary="Asked whether chiropractic needs a prior authorization: no, but the plan pays "
        "for 20 visits a plan year. Reyes Chiropractic is in network.",
    )


# --- (a) the lumbar MRI: approved, done, paid ---------------------------------------------------


def _mri(story: CaseStory) -> int:
    facts = story.facts
    submitted = days_after(facts.referral, 1)
    approved = days_after(submitted, 2)
    case_id = story.add_case(
        Procedure.LUMBAR_MRI,
        procedure_detail="without contrast",
        cpt_codes="72148",
        icd10_codes="M54.16, M51.26",
        requesting_provider_id=story.provider("Dr. Karen Whitfield"),
        facility_id=story.provider("Columbus Open MRI"),
        scheduled_date=facts.mri,
        authorization_number=ref_number("PA", approved, "5521"),
        claim_number=f"EC{facts.mri:%y%m%d}7731",
        notes="Dr. Whitfield ordered it after 8 weeks of physical therapy did not help the leg.",
    )
    story.link(DocumentKind.REFERRAL, LinkTarget.CASE, case_id)
    story.event(
        case_id,
        EventType.REQUEST_SUBMITTED,
        submitted,
        notes="Faxed by Clintonville Family Practice with the office notes and PT summary.",
    )
    story.call(
        days_after(submitted, 1),
        "09:40",
        story.insurer,
        case_id=case_id,
        phone=story.facts.plan.prior_auth_phone,
        representative="Tanya",
        reference_number=ref_number("PA", submitted, "7702"),
        summary="The MRI request arrived and is in standard review.",
        follow_up="the decision letter comes by mail within 15 days",
        follow_up_date=days_after(submitted, 15),
        follow_up_done=True,
    )
    approval = story.event(
        case_id,
        EventType.APPROVED,
        approved,
        received_date=days_after(approved, 3),
        authorization_number=ref_number("PA", approved, "5521"),
        approved_units=1,
        valid_from=approved,
        valid_until=days_after(approved, MRI_APPROVAL_DAYS),
        notes="One lumbar MRI without contrast at Columbus Open MRI.",
    )
    story.link(DocumentKind.IMAGING_REPORT, LinkTarget.CASE_EVENT, approval)
    story.call(
        days_after(approved, 1),
        "15:05",
        "Columbus Open MRI",
        case_id=case_id,
        event_id=approval,
        phone=story.phone("Columbus Open MRI"),
        representative="Luis (scheduling)",
        summary=f"Booked the MRI for {long(facts.mri)} at 7:30. They have the authorization "
        "number and are in network with the plan.",
    )
    story.event(
        case_id,
        EventType.CLAIM_SUBMITTED,
        days_after(facts.mri, 2),
        amount_cents=245_000,
        notes="Facility and reading billed together.",
    )
    paid = story.event(
        case_id,
        EventType.CLAIM_PAID,
        facts.eob,
        received_date=days_after(facts.eob, 3),
        amount_cents=26_400,
        reference_number=f"EC{facts.mri:%y%m%d}7731",
        notes="Most of it went to the deductible; my share is $916.00.",
    )
    story.link(DocumentKind.EOB, LinkTarget.CASE_EVENT, paid)
    story.call(
        days_after(facts.eob, 4),
        "11:15",
        story.insurer,
        case_id=case_id,
        event_id=paid,
        phone=story.facts.plan.member_services_phone,
        representative="Denise",
        reference_number=ref_number("MS", days_after(facts.eob, 4), "2290"),
        summary="Why do I owe $916 for an approved MRI? $850 went to the deductible and $66 is "
        "my 20% coinsurance; the approval says the plan covers it, not that it pays all of it.",
    )
    return case_id


# --- (d) the repeat epidural injection: the denial letter in the vault ----------------------------


def _epidural(story: CaseStory) -> int:
    facts = story.facts
    reference = denial_reference(facts)
    received = days_after(facts.denial, 3)
    appeal = days_after(facts.denial, 97)
    decided = days_after(appeal, 26)
    case_id = story.add_case(
        Procedure.EPIDURAL_STEROID_INJECTION,
        procedure_detail="repeat, left L4-L5 transforaminal",
        cpt_codes="64483",
        icd10_codes="M51.16",
        requesting_provider_id=story.provider("Dr. Priya Raman"),
        facility_id=story.provider("Northside Surgery Center"),
        reference_number=reference,
        notes="The first injection gave about 40% relief for three weeks; the plan's policy "
        "wants 50% for six weeks before it pays for a second one.",
    )
    story.event(
        case_id,
        EventType.REQUEST_SUBMITTED,
        days_after(facts.denial, -5),  # the "Received" date printed on the letter
        notes="Requested by Dr. Raman's office after the first injection wore off.",
    )
    weeks = facts.relief_days // 7
    denial = story.event(
        case_id,
        EventType.DENIED,
        facts.denial,
        received_date=received,
        reason=DenialReason.NOT_MEDICALLY_NECESSARY,
        quoted_reason="The request does not meet the medical necessity criteria in our clinical "
        "policy CP-PAIN-014, Epidural Steroid Injections for Back Pain. A repeat injection in "
        "the same region is considered medically necessary only when the previous injection "
        "gave at least 50% relief of pain lasting at least 6 weeks. The records we received "
        f"show that the injection on {long(facts.injection)} gave about "
        f"{facts.relief_percent}% relief lasting {weeks} weeks.",
        # The letter prints the last day as if it had arrived on its own date.
        deadline=days_after(facts.denial, APPEAL_DAYS),
        reference_number=reference,
    )
    story.link(DocumentKind.DENIAL_LETTER, LinkTarget.CASE_EVENT, denial)
    story.call(
        days_after(received, 1),
        "10:05",
        story.insurer,
        case_id=case_id,
        event_id=denial,
        phone=story.facts.plan.prior_auth_phone,
        representative="Janelle",
        reference_number=ref_number("UM", days_after(received, 1), "6613"),
        summary="Asked why the repeat injection was denied: the relief was under 50% for six "
        "weeks. Asked for a free copy of policy CP-PAIN-014 and of the whole claim file, "
        "including call recordings.",
        follow_up="the policy and the claim file come by mail",
        follow_up_date=days_after(received, 11),
        follow_up_done=True,
    )
    story.call(
        days_after(received, 2),
        "16:40",
        "Midwest Spine Institute",
        case_id=case_id,
        event_id=denial,
        direction=CallDirection.INCOMING,
        phone=story.phone("Dr. Priya Raman"),
        representative="Beth (Dr. Raman's nurse)",
        summary="Dr. Raman will not ask for a peer-to-peer: the relief fell short of the "
        "policy. She thinks Maria can appeal herself with her pain diary.",
    )
    story.event(
        case_id,
        EventType.APPEAL_FILED,
        appeal,
        level=1,
        reference_number=reference,
        notes="Maria's own letter with her pain diary: during the three weeks of relief she "
        "worked full days and slept through the night.",
    )
    decision = story.event(
        case_id,
        EventType.DECISION,
        decided,
        received_date=days_after(decided, 3),
        outcome=Outcome.DENIED,
        reference_number=reference,
        quoted_reason="The denial is upheld: the relief documented after the first injection "
        "does not meet policy CP-PAIN-014.",
    )
    story.call(
        days_after(decided, 5),
        "13:30",
        story.insurer,
        case_id=case_id,
        event_id=decision,
        phone=story.facts.plan.appeals_phone,
        representative="Omar (appeals unit)",
        reference_number=ref_number("AP", days_after(decided, 5), "1147"),
        summary="The appeal decision is final inside the plan. An independent external review "
        "can still be asked for within 4 months of receiving the decision; the form came "
        "with the letter.",
    )
    return case_id
