"""The demo's surgical-track cases: a microdiscectomy won on appeal, an ablation after a P2P.

- a left L4-L5 microdiscectomy with Dr. Okafor, denied because the PT notes were missing; a
  peer-to-peer did not help, the level 1 appeal with the notes did; surgery is booked in a few
  weeks, inside the approval, and the case carries the plan's own appeal deadline (an override);
- a radiofrequency ablation with Dr. Raman, denied as not medically necessary and approved after
  a peer-to-peer; it waits until she has recovered from the surgery.
"""

from __future__ import annotations

from backlog_app.domain.cases import CallDirection, DenialReason, EventType, Outcome, Procedure
from backlog_app.domain.deadline_rules import RuleKey, RuleOverride, Unit
from backlog_app.domain.documents import DocumentKind, LinkTarget
from backlog_app.domain.log_records import Side, TreatmentData, TreatmentKind
from backlog_app.services.demo_case_story import CaseStory, days_after, ref_number
from backlog_app.services.demo_letters import long

# The approval windows the plan gave, in days.
SURGERY_APPROVAL_DAYS = 90
ABLATION_APPROVAL_DAYS = 90
# The microdiscectomy's denial letter: the plan decides surgery appeals within 15 days (an override).
SURGERY_APPEAL_DAYS = 15


# --- (b) the microdiscectomy: missing PT notes, a peer-to-peer, won on appeal -------------------


def add_microdiscectomy(story: CaseStory) -> int:
    """Dr. Okafor's request, its denial, the peer-to-peer, the appeal and the approval; the id."""
    facts = story.facts
    submitted = days_after(story.surgeon_visit, 1)
    denied = days_after(submitted, 5)
    received = days_after(denied, 3)
    appeal = days_after(received, 6)
    decided = days_after(appeal, 13)
    decision_received = days_after(decided, 2)
    surgery = days_after(decision_received, 21)
    reference = ref_number("UM", submitted, "31862")
    authorization = ref_number("PA", decided, "8840")
    case_id = story.add_case(
        Procedure.MICRODISCECTOMY,
        procedure_detail="left L4-L5",
        cpt_codes="63030",
        icd10_codes="M51.16",
        requesting_provider_id=story.provider("Dr. Samuel Okafor"),
        facility_id=story.provider("Northside Surgery Center"),
        scheduled_date=surgery,
        authorization_number=authorization,
        reference_number=reference,
        reviewer_name="Dana Whitaker, RN",
        reviewer_phone=facts.plan.prior_auth_phone,
        notes="Outpatient surgery at Northside; Capital Anesthesia Associates bills separately.",
    )
    story.profile.cases.set_override(
        case_id,
        RuleOverride(
            RuleKey.ERISA_APPEAL_DECISION_PRE_SERVICE,
            SURGERY_APPEAL_DAYS,
            Unit.DAYS,
            "The denial letter says the plan decides surgery appeals within 15 days.",
        ),
    )
    story.event(
        case_id,
        EventType.REQUEST_SUBMITTED,
        submitted,
        reference_number=reference,
        notes="Sent by Rosa, Midwest Spine Institute's prior-authorization coordinator.",
    )
    denial = story.event(
        case_id,
        EventType.DENIED,
        denied,
        received_date=received,
        reason=DenialReason.MISSING_DOCUMENTATION,
        quoted_reason="The information submitted does not include physical therapy notes. Our "
        "criteria for lumbar discectomy require documentation of at least 6 weeks of "
        "conservative care including formal physical therapy: please send the therapy "
        "evaluation and discharge notes.",
        reference_number=reference,
    )
    story.call(
        received,
        "08:55",
        story.insurer,
        case_id=case_id,
        event_id=denial,
        phone=facts.plan.prior_auth_phone,
        representative="Kevin",
        reference_number=ref_number("UM", received, "7731"),
        summary="Denied only because the PT notes were not in the file. Dr. Okafor's office "
        "can ask for a peer-to-peer review within 14 days, or we can appeal with the notes.",
        follow_up="ask Dr. Okafor's office for a peer-to-peer",
        follow_up_date=days_after(received, 1),
        follow_up_done=True,
    )
    story.call(
        received,
        "09:20",
        "Motion Forward Physical Therapy",
        case_id=case_id,
        event_id=denial,
        phone=story.phone("Jenna Brooks, DPT"),
        representative="Alicia (front desk)",
        summary="Asked them to fax the evaluation and discharge summary to Dr. Okafor's office "
        "and to the plan's utilization management fax.",
        follow_up="the clinic faxes the notes within two business days",
        follow_up_date=days_after(received, 2),
        follow_up_done=True,
    )
    story.event(case_id, EventType.P2P_REQUESTED, days_after(received, 1))
    story.call(
        days_after(received, 1),
        "10:10",
        "Midwest Spine Institute",
        case_id=case_id,
        event_id=denial,
        phone=story.phone("Dr. Samuel Okafor"),
        representative="Rosa (prior authorizations)",
        summary="Rosa asked for a peer-to-peer review between Dr. Okafor and the plan's reviewer.",
        follow_up="Rosa calls back with the time of the peer-to-peer",
        follow_up_date=days_after(received, 3),
        follow_up_done=True,
    )
    story.event(
        case_id,
        EventType.P2P_HELD,
        days_after(received, 4),
        outcome=Outcome.DENIED,
        notes="The reviewer would not approve without the PT notes in the file and suggested "
        "a level 1 appeal with them.",
    )
    filed = story.event(
        case_id,
        EventType.APPEAL_FILED,
        appeal,
        level=1,
        reference_number=reference,
        notes="Faxed with the PT evaluation and discharge summary, the MRI report and "
        "Dr. Okafor's letter of medical necessity.",
    )
    story.link(DocumentKind.PT_NOTE, LinkTarget.CASE_EVENT, filed)
    story.call(
        days_after(appeal, 3),
        "14:45",
        story.insurer,
        case_id=case_id,
        event_id=filed,
        phone=facts.plan.appeals_phone,
        representative="Gloria (appeals unit)",
        reference_number=ref_number("AP", days_after(appeal, 3), "2056"),
        summary="The appeal and its 14 pages arrived and are complete.",
        follow_up="the decision letter comes within 15 days",
        follow_up_date=days_after(appeal, SURGERY_APPEAL_DAYS),
        follow_up_done=True,
    )
    story.event(
        case_id,
        EventType.DECISION,
        decided,
        received_date=decision_received,
        outcome=Outcome.APPROVED,
        authorization_number=authorization,
        approved_units=1,
        valid_from=decided,
        valid_until=days_after(decided, SURGERY_APPROVAL_DAYS),
        reference_number=reference,
        notes="Denial overturned on appeal: the PT notes show 8 weeks of formal therapy.",
    )
    story.call(
        days_after(decision_received, 1),
        "11:30",
        "Northside Surgery Center",
        case_id=case_id,
        direction=CallDirection.INCOMING,
        phone=story.phone("Northside Surgery Center"),
        representative="Kim (surgery scheduling)",
        summary=f"Surgery booked for {long(surgery)}; they have the authorization number.",
        follow_up="the pre-admission nurse calls with the arrival time",
        follow_up_date=days_after(surgery, -11),
    )
    story.call(
        days_after(decision_received, 3),
        "09:15",
        "Capital Anesthesia Associates",
        case_id=case_id,
        phone=story.phone("Capital Anesthesia Associates"),
        representative="Tom (billing office)",
        reference_number=ref_number("CAA", days_after(decision_received, 3), "318"),
        summary="They are in network with the plan; the anesthesiologist for Northside bills "
        "separately from the surgery center.",
    )
    return case_id


# --- (c) the radiofrequency ablation: approved after a peer-to-peer ---------------------------------


def add_ablation(story: CaseStory) -> int:
    """Dr. Raman's request, its denial and the approval after a peer-to-peer; the case's id."""
    submitted = days_after(story.surgeon_visit, 3)
    denied = days_after(submitted, 5)
    received = days_after(denied, 3)
    held = days_after(received, 8)
    approved = days_after(held, 1)
    reference = ref_number("UM", submitted, "32107")
    authorization = ref_number("PA", approved, "9012")
    # The two diagnostic medial branch blocks the ablation criteria ask for (each >= 80% relief).
    for days_before, relief in ((30, 85), (16, 80)):
        story.profile.log.treatments.add(
            TreatmentData(
                TreatmentKind.FACET_MEDIAL_BRANCH_BLOCK,
                days_after(submitted, -days_before),
                provider_id=story.provider("Dr. Priya Raman"),
                level="L4-L5, L5-S1",
                side=Side.LEFT,
                relief_percent=relief,
                relief_days=1,
                result="Diagnostic block with local anaesthetic; pain diary kept for 8 hours.",
            )
        )
    case_id = story.add_case(
        Procedure.RADIOFREQUENCY_ABLATION,
        procedure_detail="left L4-L5 and L5-S1 medial branches",
        cpt_codes="64635, 64636",
        icd10_codes="M47.816",
        requesting_provider_id=story.provider("Dr. Priya Raman"),
        facility_id=story.provider("Northside Surgery Center"),
        authorization_number=authorization,
        reference_number=reference,
        notes="For the back pain from the facet joints (the MRI shows facet arthropathy). It "
        "waits until six weeks after the microdiscectomy.",
    )
    story.event(case_id, EventType.REQUEST_SUBMITTED, submitted, reference_number=reference)
    denial = story.event(
        case_id,
        EventType.DENIED,
        denied,
        received_date=received,
        reason=DenialReason.NOT_MEDICALLY_NECESSARY,
        quoted_reason="Radiofrequency ablation is considered medically necessary when pain "
        "from the facet joints has been confirmed and has not responded to conservative care. "
        "The records received do not establish that the back pain comes from the facet joints.",
        reference_number=reference,
    )
    story.event(case_id, EventType.P2P_REQUESTED, days_after(received, 1))
    story.call(
        days_after(received, 1),
        "15:50",
        "Midwest Spine Institute",
        case_id=case_id,
        event_id=denial,
        phone=story.phone("Dr. Priya Raman"),
        representative="Beth (Dr. Raman's nurse)",
        summary=f"Dr. Raman asked for a peer-to-peer review; the plan booked it for {long(held)}.",
        follow_up="Beth calls after the peer-to-peer",
        follow_up_date=held,
        follow_up_done=True,
    )
    story.event(
        case_id,
        EventType.P2P_HELD,
        held,
        outcome=Outcome.APPROVED,
        notes="Dr. Raman went through the facet findings on the MRI, the two medial branch "
        "blocks (85% and 80% relief) and the year of failed conservative care; the reviewer "
        "approved it on the call.",
    )
    approval = story.event(
        case_id,
        EventType.APPROVED,
        approved,
        received_date=days_after(approved, 3),
        authorization_number=authorization,
        approved_units=2,
        valid_from=approved,
        valid_until=days_after(approved, ABLATION_APPROVAL_DAYS),
        reference_number=reference,
    )
    until = days_after(approved, ABLATION_APPROVAL_DAYS)
    story.call(
        days_after(approved, 4),
        "10:25",
        "Midwest Spine Institute",
        case_id=case_id,
        event_id=approval,
        phone=story.phone("Dr. Priya Raman"),
        representative="Carla (front desk)",
        summary="The ablation waits until six weeks after the surgery. The approval runs out "
        f"on {long(until)}; if the date slips past it, the office asks for an extension.",
        follow_up="book the ablation at the post-op visit, before the approval runs out",
        follow_up_date=days_after(until, -25),
    )
    return case_id
