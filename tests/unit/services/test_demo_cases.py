"""The demo's coverage cases and calls: a consistent story that matches the log and the letters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from backlog_app.domain.case_rules import (
    call_problems,
    event_problems,
    event_warnings,
)
from backlog_app.domain.cases import (
    CaseEvent,
    CaseStatus,
    DenialReason,
    EventType,
    Outcome,
    Procedure,
    sorted_events,
)
from backlog_app.domain.deadline_rules import RuleKey, Unit
from backlog_app.domain.deadlines import DueStatus
from backlog_app.domain.documents import DocumentKind, LinkTarget
from backlog_app.domain.log_records import TreatmentKind
from backlog_app.domain.records import PlanType
from backlog_app.services.cases import CaseDetail
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.services.demo import create_demo
from backlog_app.services.demo_cases import denial_reference
from backlog_app.services.demo_documents import story_facts
from backlog_app.services.demo_letters import APPEAL_DAYS, long


def cases(profile: ProfileSession) -> dict[Procedure, CaseDetail]:
    return {row.data.procedure: profile.cases.get(row.id) for row in profile.cases.list()}


def events_of(detail: CaseDetail, kind: EventType) -> list[CaseEvent]:
    return [event for event in detail.events if event.data.event_type is kind]


def one_event(detail: CaseDetail, kind: EventType) -> CaseEvent:
    (event,) = events_of(detail, kind)
    return event


def document_id(profile: ProfileSession, kind: DocumentKind) -> int:
    (row,) = [row for row in profile.documents.list() if row.info.data.kind is kind]
    return row.info.id


def links_of(profile: ProfileSession, kind: DocumentKind) -> set[tuple[LinkTarget, int]]:
    info = profile.documents.get(document_id(profile, kind))
    return {(link.target, link.target_id) for link in info.links}


def flat(text: str) -> str:
    return " ".join(text.split())


def test_four_cases_on_the_employer_plan(demo_profile: ProfileSession) -> None:
    by_procedure = cases(demo_profile)
    assert {p: d.status for p, d in by_procedure.items()} == {
        Procedure.LUMBAR_MRI: CaseStatus.PAID,
        Procedure.EPIDURAL_STEROID_INJECTION: CaseStatus.DENIED,
        Procedure.MICRODISCECTOMY: CaseStatus.APPROVED,
        Procedure.RADIOFREQUENCY_ABLATION: CaseStatus.APPROVED,
    }
    for detail in by_procedure.values():
        assert detail.plan is not None and detail.plan.plan_type is PlanType.EMPLOYER_PPO
        assert detail.data.cpt_codes and detail.data.icd10_codes
        assert detail.requesting_provider is not None and detail.facility is not None
        assert detail.next_step
    surgery = by_procedure[Procedure.MICRODISCECTOMY]
    assert (surgery.data.cpt_codes, surgery.data.icd10_codes) == ("63030", "M51.16")
    assert surgery.requesting_provider is not None
    assert surgery.requesting_provider.name == "Dr. Samuel Okafor"


def test_every_timeline_is_in_order_and_passes_the_rules(
    demo_profile: ProfileSession, today: dt.date
) -> None:
    expected = {
        Procedure.LUMBAR_MRI: [
            EventType.REQUEST_SUBMITTED,
            EventType.APPROVED,
            EventType.CLAIM_SUBMITTED,
            EventType.CLAIM_PAID,
        ],
        Procedure.EPIDURAL_STEROID_INJECTION: [
            EventType.REQUEST_SUBMITTED,
            EventType.DENIED,
            EventType.APPEAL_FILED,
            EventType.DECISION,
        ],
        Procedure.MICRODISCECTOMY: [
            EventType.REQUEST_SUBMITTED,
            EventType.DENIED,
            EventType.P2P_REQUESTED,
            EventType.P2P_HELD,
            EventType.APPEAL_FILED,
            EventType.DECISION,
        ],
        Procedure.RADIOFREQUENCY_ABLATION: [
            EventType.REQUEST_SUBMITTED,
            EventType.DENIED,
            EventType.P2P_REQUESTED,
            EventType.P2P_HELD,
            EventType.APPROVED,
        ],
    }
    for procedure, detail in cases(demo_profile).items():
        assert [e.data.event_type for e in detail.events] == expected[procedure], procedure
        # Entered in the order they happened, each on its own day, none in the future.
        assert sorted_events(detail.events) == sorted(detail.events, key=lambda e: e.id)
        days = [e.data.day for e in detail.events]
        assert days == sorted(set(days)) and days[-1] <= today
        for event in detail.events:
            assert event_problems(event.data, detail.events, today, event.id) == []
            assert event_warnings(event.data, detail.events, event.id) == []
            if event.data.received_date is not None:
                assert event.data.day <= event.data.received_date <= today


def test_the_mri_falls_inside_its_approval(demo_profile: ProfileSession) -> None:
    detail = cases(demo_profile)[Procedure.LUMBAR_MRI]
    mri_day = next(
        t.data.day for t in demo_profile.log.treatments.list() if t.data.kind is TreatmentKind.MRI
    )
    approval = one_event(detail, EventType.APPROVED).data
    assert approval.approved_units == 1
    assert approval.authorization_number == detail.data.authorization_number
    assert approval.valid_from is not None and approval.valid_until is not None
    assert approval.valid_from <= mri_day <= approval.valid_until
    assert detail.data.scheduled_date == mri_day
    assert one_event(detail, EventType.REQUEST_SUBMITTED).data.day < approval.day

    approval_link = (LinkTarget.CASE_EVENT, one_event(detail, EventType.APPROVED).id)
    assert approval_link in links_of(demo_profile, DocumentKind.IMAGING_REPORT)
    paid_link = (LinkTarget.CASE_EVENT, one_event(detail, EventType.CLAIM_PAID).id)
    assert paid_link in links_of(demo_profile, DocumentKind.EOB)
    assert (LinkTarget.CASE, detail.id) in links_of(demo_profile, DocumentKind.REFERRAL)
    eob = demo_profile.documents.get(document_id(demo_profile, DocumentKind.EOB))
    assert one_event(detail, EventType.CLAIM_PAID).data.day == eob.data.document_date
    claim = detail.data.claim_number
    assert claim and claim in demo_profile.documents.text_of(eob.id)


def test_the_epidural_denial_is_the_letter_in_the_vault(demo_profile: ProfileSession) -> None:
    detail = cases(demo_profile)[Procedure.EPIDURAL_STEROID_INJECTION]
    denial = one_event(detail, EventType.DENIED)
    letter_id = document_id(demo_profile, DocumentKind.DENIAL_LETTER)
    letter = demo_profile.documents.get(letter_id)
    text = flat(demo_profile.documents.text_of(letter_id))

    assert denial.data.day == letter.data.document_date == story_facts(demo_profile).denial
    assert (LinkTarget.CASE_EVENT, denial.id) in links_of(demo_profile, DocumentKind.DENIAL_LETTER)
    reference = denial_reference(story_facts(demo_profile))
    assert detail.data.reference_number == denial.data.reference_number == reference
    assert f"Reference: {reference}" in text
    assert denial.data.deadline == denial.data.day + dt.timedelta(days=APPEAL_DAYS)
    assert f"must be received by {long(denial.data.deadline)}" in text
    requested = one_event(detail, EventType.REQUEST_SUBMITTED).data.day
    assert f"Received: {long(requested)}" in text
    assert denial.data.reason is DenialReason.NOT_MEDICALLY_NECESSARY
    assert denial.data.quoted_reason is not None
    assert flat(denial.data.quoted_reason) in text  # quoted word for word
    assert "CPT 64483" in text and detail.data.cpt_codes == "64483"
    # The letter's appeal window has passed: the appeal was filed in time and decided.
    appeal = one_event(detail, EventType.APPEAL_FILED).data
    assert appeal.day <= denial.data.deadline
    assert one_event(detail, EventType.DECISION).data.outcome is Outcome.DENIED


def test_the_microdiscectomy_is_won_on_appeal(demo_profile: ProfileSession, today: dt.date) -> None:
    detail = cases(demo_profile)[Procedure.MICRODISCECTOMY]
    denial = one_event(detail, EventType.DENIED).data
    assert denial.reason is DenialReason.MISSING_DOCUMENTATION
    assert denial.quoted_reason is not None and "physical therapy notes" in denial.quoted_reason
    assert one_event(detail, EventType.P2P_HELD).data.outcome is Outcome.DENIED
    filed = one_event(detail, EventType.APPEAL_FILED)
    assert filed.data.level == 1
    assert (LinkTarget.CASE_EVENT, filed.id) in links_of(demo_profile, DocumentKind.PT_NOTE)
    decision = one_event(detail, EventType.DECISION).data
    assert decision.outcome is Outcome.APPROVED
    assert decision.authorization_number == detail.data.authorization_number
    assert decision.approved_units == 1
    assert decision.valid_from is not None and decision.valid_until is not None
    surgery = detail.data.scheduled_date
    assert surgery is not None
    assert today < surgery <= today + dt.timedelta(days=31)  # in the near future
    assert decision.valid_from <= surgery <= decision.valid_until
    # The override: the plan's own, shorter time to decide, and the plan kept to it.
    (override,) = detail.overrides.values()
    assert (override.rule, override.amount, override.unit) == (
        RuleKey.ERISA_APPEAL_DECISION_PRE_SERVICE,
        15,
        Unit.DAYS,
    )
    assert override.note and "denial letter says" in override.note
    assert (decision.day - filed.data.day).days <= override.amount


def test_the_ablation_is_approved_after_a_peer_to_peer(demo_profile: ProfileSession) -> None:
    detail = cases(demo_profile)[Procedure.RADIOFREQUENCY_ABLATION]
    assert one_event(detail, EventType.DENIED).data.reason is DenialReason.NOT_MEDICALLY_NECESSARY
    held = one_event(detail, EventType.P2P_HELD)
    assert held.data.outcome is Outcome.APPROVED
    approval = one_event(detail, EventType.APPROVED)
    assert held.data.day <= approval.data.day
    assert approval.data.authorization_number == detail.data.authorization_number


def test_a_dozen_calls_linked_to_their_cases(demo_profile: ProfileSession, today: dt.date) -> None:
    calls = demo_profile.calls.list()
    assert 12 <= len(calls) <= 18  # with the network checks of demo_network
    events = {
        event.id: detail.id for detail in cases(demo_profile).values() for event in detail.events
    }
    for call in calls:
        assert call_problems(call.data, today) == []
        assert call.data.summary and call.data.representative
        if call.data.event_id is not None:
            assert events[call.data.event_id] == call.data.case_id
    organizations = {call.data.organization for call in calls}
    assert {
        "Buckeye Mutual Health",  # the insurer's prior-authorization, appeals and member lines
        "Motion Forward Physical Therapy",
        "Midwest Spine Institute",  # the surgeon's and the pain clinic's office
        "Northside Surgery Center",
    } <= organizations
    assert sum(call.data.case_id is None for call in calls) >= 1
    assert sum(call.data.reference_number is not None for call in calls) >= 8
    assert any(call.data.has_open_follow_up for call in calls)
    assert any(call.data.follow_up_done for call in calls)
    assert {call.data.direction.value for call in calls} == {"incoming", "outgoing"}


def test_the_documents_are_linked_to_their_cases(demo_profile: ProfileSession) -> None:
    for kind in (
        DocumentKind.REFERRAL,
        DocumentKind.IMAGING_REPORT,
        DocumentKind.EOB,
        DocumentKind.DENIAL_LETTER,
        DocumentKind.PT_NOTE,
    ):
        targets = {target for target, _ in links_of(demo_profile, kind)}
        assert targets & {LinkTarget.CASE, LinkTarget.CASE_EVENT}, kind


def test_home_has_something_due_and_nothing_overdue(
    demo_profile: ProfileSession, today: dt.date
) -> None:
    items = demo_profile.cases.due_items()
    statuses = [item.status(today) for item in items]
    assert DueStatus.OVERDUE not in statuses
    assert DueStatus.DUE_SOON in statuses  # Home's "due soon" list is not empty
    soon = [item for item in items if item.due <= today + dt.timedelta(days=30)]
    assert any(item.rule is RuleKey.EXTERNAL_REVIEW_FILING for item in soon)
    assert any(item.call_id is not None for item in soon)
    assert len(items) <= 8  # a short list, not a wall


@pytest.mark.parametrize("today", [dt.date(2028, 2, 29), dt.date(2026, 1, 1)])
def test_the_story_holds_whenever_the_demo_is_made(tmp_path: Path, today: dt.date) -> None:
    with open_profile(tmp_path / "demo", create=True, clock=lambda: today) as profile:
        create_demo(profile)
        items = profile.cases.due_items()
        assert items and all(item.due >= today for item in items)
        assert profile.cases.count() == 4
        statuses = {row.data.procedure: row.status for row in profile.cases.list()}
        assert statuses[Procedure.MICRODISCECTOMY] is CaseStatus.APPROVED
