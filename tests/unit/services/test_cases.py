"""CaseService and CallService: cases, timeline events, overrides, calls and what is due."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backlog_app.domain.cases import (
    CallData,
    CallDirection,
    CaseData,
    CaseEventData,
    CaseStatus,
    DenialReason,
    EventType,
    Outcome,
    Priority,
    Procedure,
)
from backlog_app.domain.deadline_rules import Party, RuleKey, RuleOverride, Unit
from backlog_app.domain.records import PlanData, PlanType, ProviderData, ProviderRole
from backlog_app.errors import ConfirmationNeeded, UserError, ValidationError
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession

TODAY = dt.date(2026, 11, 27)  # the clock of the conftest profiles


def day(offset: int) -> dt.date:
    """A day relative to the tests' today."""
    return TODAY + dt.timedelta(days=offset)


def at(offset: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day(offset), dt.time(hour, minute))


@pytest.fixture
def plan_id(profile: ProfileSession) -> int:
    return profile.plans.add(PlanData("Buckeye Mutual Health", PlanType.EMPLOYER_PPO, "Choice PPO"))


@pytest.fixture
def surgeon_id(profile: ProfileSession) -> int:
    return profile.providers.add(ProviderData("Dr. Samuel Okafor", ProviderRole.SPINE_SURGEON))


@pytest.fixture
def case_id(profile: ProfileSession, plan_id: int, surgeon_id: int) -> int:
    return profile.cases.add(
        CaseData(
            Procedure.MICRODISCECTOMY,
            "left L4-L5",
            cpt_codes="63030",
            icd10_codes="M51.16",
            plan_id=plan_id,
            requesting_provider_id=surgeon_id,
        )
    )


def denial(case_id: int, offset: int = -20, received: int | None = -17) -> CaseEventData:
    return CaseEventData(
        case_id,
        EventType.DENIED,
        day(offset),
        received_date=None if received is None else day(received),
        reason=DenialReason.MISSING_DOCUMENTATION,
        quoted_reason="No physical therapy notes were received.",
    )


def appeal(case_id: int, offset: int) -> CaseEventData:
    return CaseEventData(case_id, EventType.APPEAL_FILED, day(offset), level=1)


def call(offset: int = -2, **fields: Any) -> CallData:
    values: dict[str, Any] = {
        "called_at": at(offset),
        "direction": CallDirection.OUTGOING,
        "organization": "Buckeye Mutual Health",
    }
    values.update(fields)
    return CallData(**values)


def event_count(profile: ProfileSession, case_id: int) -> int:
    return len(profile.cases.facts(case_id).events)


# --- cases ------------------------------------------------------------------------------------------


def test_add_normalizes_the_codes(profile: ProfileSession) -> None:
    case_id = profile.cases.add(
        CaseData(Procedure.MICRODISCECTOMY, cpt_codes=" 63030 69990;", icd10_codes="m5116,m54.16")
    )
    data = profile.cases.get(case_id).data
    assert (data.cpt_codes, data.icd10_codes) == ("63030, 69990", "M51.16, M54.16")
    assert profile.cases.count() == 1


def test_malformed_codes_are_refused_and_nothing_is_written(profile: ProfileSession) -> None:
    with pytest.raises(ValidationError) as refused:
        profile.cases.add(CaseData(Procedure.LUMBAR_FUSION, cpt_codes="2261", icd10_codes="51.16"))
    assert len(refused.value.problems) == 2
    assert "“2261” is not a CPT code" in refused.value.problems[0]
    assert "“51.16” is not an ICD-10 code" in refused.value.problems[1]
    assert profile.cases.count() == 0


def test_other_procedure_needs_a_name(profile: ProfileSession) -> None:
    with pytest.raises(ValidationError, match="which procedure"):
        profile.cases.add(CaseData(Procedure.OTHER))
    case_id = profile.cases.add(CaseData(Procedure.OTHER, "Intracept ablation"))
    assert profile.cases.get(case_id).title == "Intracept ablation"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"plan_id": 999}, "insurance plan no longer exists"),
        ({"requesting_provider_id": 999}, "provider no longer exists"),
        ({"facility_id": 999}, "provider no longer exists"),
    ],
)
def test_references_are_checked(
    profile: ProfileSession, fields: dict[str, int], message: str
) -> None:
    with pytest.raises(UserError, match=message):
        profile.cases.add(CaseData(Procedure.LUMBAR_MRI, **fields))  # type: ignore[arg-type]
    assert profile.cases.count() == 0


def test_update_keeps_the_id_and_normalizes(
    profile: ProfileSession, case_id: int, plan_id: int
) -> None:
    new = CaseData(
        Procedure.MICRODISCECTOMY,
        "left L4-L5",
        cpt_codes="63030 63035",
        icd10_codes="m5116",
        plan_id=plan_id,
        priority=Priority.URGENT,
        authorization_number="PA-261118-8840",
    )
    profile.cases.update(case_id, new)
    detail = profile.cases.get(case_id)
    assert detail.data.cpt_codes == "63030, 63035"
    assert detail.data.icd10_codes == "M51.16"
    assert detail.data.priority is Priority.URGENT
    assert detail.data.requesting_provider_id is None
    assert detail.plan is not None and detail.plan.insurer == "Buckeye Mutual Health"
    with pytest.raises(UserError, match="no longer exists"):
        profile.cases.update(999, new)


def test_a_bad_update_changes_nothing(profile: ProfileSession, case_id: int) -> None:
    before = profile.cases.get(case_id).data
    with pytest.raises(ValidationError):
        profile.cases.update(case_id, CaseData(Procedure.MICRODISCECTOMY, cpt_codes="6303"))
    assert profile.cases.get(case_id).data == before


def test_detail_of_a_case(profile: ProfileSession, case_id: int, surgeon_id: int) -> None:
    profile.cases.add_event(CaseEventData(case_id, EventType.REQUEST_SUBMITTED, day(-25)))
    profile.cases.add_event(denial(case_id))
    detail = profile.cases.get(case_id)
    assert detail.title == "Microdiscectomy — left L4-L5"
    assert detail.status is CaseStatus.DENIED
    assert [e.data.event_type for e in detail.events] == [
        EventType.REQUEST_SUBMITTED,
        EventType.DENIED,
    ]
    assert detail.requesting_provider is not None
    assert detail.requesting_provider.name == "Dr. Samuel Okafor"
    assert detail.facility is None
    assert detail.next_step  # plain sentences from the deadline engine
    assert detail.rules and all(rule.rule.source for rule in detail.rules)


def test_delete_a_case_keeps_its_calls_without_a_case(
    profile: ProfileSession, case_id: int
) -> None:
    event_id = profile.cases.add_event(denial(case_id))
    profile.cases.set_override(case_id, RuleOverride(RuleKey.ERISA_APPEAL_FILING, 60, Unit.DAYS))
    call_id = profile.calls.add(call(case_id=case_id, event_id=event_id))

    profile.cases.delete(case_id)

    assert profile.cases.count() == 0
    with pytest.raises(UserError, match="no longer exists"):
        profile.cases.event(event_id)
    kept = profile.calls.get(call_id).data
    assert (kept.case_id, kept.event_id) == (None, None)
    assert kept.organization == "Buckeye Mutual Health"
    with pytest.raises(UserError, match="no longer exists"):
        profile.cases.delete(case_id)


def test_letter_draft_is_kept_trimmed_and_can_be_forgotten(
    profile: ProfileSession, case_id: int
) -> None:
    profile.cases.set_letter_draft(case_id, "  Dear Appeals Unit,\n\n")
    assert profile.cases.get(case_id).letter_draft == "Dear Appeals Unit,"
    profile.cases.set_letter_draft(case_id, "   ")
    assert profile.cases.get(case_id).letter_draft is None


def test_list_puts_the_soonest_deadline_first(profile: ProfileSession, plan_id: int) -> None:
    quiet = profile.cases.add(CaseData(Procedure.LUMBAR_MRI, plan_id=plan_id))
    early = profile.cases.add(CaseData(Procedure.MICRODISCECTOMY, plan_id=plan_id))
    late = profile.cases.add(CaseData(Procedure.RADIOFREQUENCY_ABLATION, plan_id=plan_id))
    profile.cases.add_event(denial(early, -100, -98))
    profile.cases.add_event(denial(late, -10, -8))
    rows = profile.cases.list()
    assert [row.id for row in rows] == [early, late, quiet]
    assert rows[0].next_due is not None and rows[1].next_due is not None
    assert rows[0].next_due.due < rows[1].next_due.due
    assert rows[2].next_due is None and rows[2].status is CaseStatus.NOT_SUBMITTED
    assert rows[0].plan_name == "Buckeye Mutual Health — Choice PPO"
    assert rows[1].last_event_day == day(-10)


# --- events -----------------------------------------------------------------------------------------


def test_an_event_on_a_missing_case_is_refused(profile: ProfileSession) -> None:
    with pytest.raises(UserError, match="no longer exists"):
        profile.cases.add_event(denial(42))


def test_an_appeal_before_the_denial_needs_confirmation(
    profile: ProfileSession, case_id: int
) -> None:
    profile.cases.add_event(denial(case_id, -20))
    with pytest.raises(ConfirmationNeeded) as asked:
        profile.cases.add_event(appeal(case_id, -25))
    assert "before the denial" in asked.value.warnings[0]
    assert event_count(profile, case_id) == 1  # nothing written

    event_id = profile.cases.add_event(appeal(case_id, -25), confirmed=True)
    assert profile.cases.event(event_id).data.day == day(-25)
    assert event_count(profile, case_id) == 2


def test_an_appeal_without_any_denial_needs_confirmation(
    profile: ProfileSession, case_id: int
) -> None:
    with pytest.raises(ConfirmationNeeded, match="no denial"):
        profile.cases.add_event(appeal(case_id, -5))
    assert event_count(profile, case_id) == 0


def test_a_decision_before_its_filing_is_refused_with_nothing_written(
    profile: ProfileSession, case_id: int
) -> None:
    profile.cases.add_event(denial(case_id, -40, -38))
    filed = profile.cases.add_event(appeal(case_id, -10))
    decision = CaseEventData(
        case_id, EventType.DECISION, day(-12), received_date=day(-11), outcome=Outcome.APPROVED
    )
    with pytest.raises(ValidationError, match="cannot come before its filing"):
        profile.cases.add_event(decision)
    # Confirming does not help: it is a rule, not a doubt.
    with pytest.raises(ValidationError):
        profile.cases.add_event(decision, confirmed=True)
    assert event_count(profile, case_id) == 2

    good = profile.cases.add_event(
        CaseEventData(case_id, EventType.DECISION, day(-3), outcome=Outcome.APPROVED)
    )
    # Moving the filing after its decision is refused too, and leaves the filing as it was.
    with pytest.raises(ValidationError, match="cannot come before its filing"):
        profile.cases.update_event(
            good, CaseEventData(case_id, EventType.DECISION, day(-12), outcome=Outcome.APPROVED)
        )
    assert profile.cases.event(filed).data.day == day(-10)
    assert profile.cases.get(case_id).status is CaseStatus.APPROVED


def test_event_rules_are_applied(profile: ProfileSession, case_id: int) -> None:
    with pytest.raises(ValidationError) as refused:
        profile.cases.add_event(
            CaseEventData(case_id, EventType.DENIED, day(-3), received_date=day(-5))
        )
    problems = " ".join(refused.value.problems)
    assert "arrived before the date printed on it" in problems
    assert "why it was denied" in problems
    assert event_count(profile, case_id) == 0


def test_update_and_delete_an_event(profile: ProfileSession, case_id: int) -> None:
    event_id = profile.cases.add_event(denial(case_id, -20))
    changed = denial(case_id, -19, -15)
    profile.cases.update_event(event_id, changed)
    assert profile.cases.event(event_id).data == changed

    other = profile.cases.add(CaseData(Procedure.LUMBAR_MRI))
    with pytest.raises(UserError, match="another case"):
        profile.cases.update_event(event_id, denial(other))

    removed = profile.cases.delete_event(event_id)
    assert removed.data == changed
    assert event_count(profile, case_id) == 0
    profile.cases.restore_event(removed)
    assert profile.cases.event(event_id).data == changed


# --- overrides --------------------------------------------------------------------------------------


def test_overrides_set_replace_and_clear(profile: ProfileSession, case_id: int) -> None:
    rule = RuleKey.ERISA_APPEAL_FILING
    profile.cases.set_override(case_id, RuleOverride(rule, 90, Unit.DAYS, " first "))
    profile.cases.set_override(
        case_id, RuleOverride(rule, 60, Unit.DAYS, "The denial letter says 60 days.")
    )
    detail = profile.cases.get(case_id)
    assert detail.overrides == {
        rule: RuleOverride(rule, 60, Unit.DAYS, "The denial letter says 60 days.")
    }
    (effective,) = [r for r in detail.rules if r.rule.key is rule]
    assert effective.override == detail.overrides[rule]
    assert effective.period == "60 days"

    profile.cases.clear_override(case_id, rule)
    detail = profile.cases.get(case_id)
    assert detail.overrides == {}
    (effective,) = [r for r in detail.rules if r.rule.key is rule]
    assert (effective.override, effective.period) == (None, "180 days")


@pytest.mark.parametrize("amount", [0, 3651])
def test_an_override_out_of_range_is_refused(
    profile: ProfileSession, case_id: int, amount: int
) -> None:
    with pytest.raises(ValidationError, match="between 1 and 3,650"):
        profile.cases.set_override(
            case_id, RuleOverride(RuleKey.ERISA_APPEAL_FILING, amount, Unit.DAYS)
        )
    assert profile.cases.facts(case_id).overrides == {}


def test_an_override_on_a_missing_case_is_refused(profile: ProfileSession) -> None:
    with pytest.raises(UserError, match="no longer exists"):
        profile.cases.set_override(7, RuleOverride(RuleKey.ERISA_APPEAL_FILING, 60, Unit.DAYS))


# --- what is due --------------------------------------------------------------------------------


def test_due_items_across_cases_and_calls(profile: ProfileSession, case_id: int) -> None:
    profile.cases.add_event(denial(case_id, -20, received=-17))
    profile.calls.add(call(case_id=case_id, follow_up="Rosa calls back", follow_up_date=day(3)))
    profile.calls.add(call(follow_up="Send the claim form", follow_up_date=day(1)))
    profile.calls.add(call(follow_up="Done already", follow_up_date=day(2), follow_up_done=True))

    items = profile.cases.due_items()

    assert [item.due for item in items] == sorted(item.due for item in items)
    appeal_item = next(item for item in items if item.rule is RuleKey.ERISA_APPEAL_FILING)
    assert appeal_item.due == day(-17) + dt.timedelta(days=180)  # counted from receipt
    assert appeal_item.party is Party.YOU
    assert appeal_item.case_id == case_id
    assert appeal_item.case_title == "Microdiscectomy — left L4-L5"
    assert appeal_item.source  # every date carries its source
    follow_ups = [item for item in items if item.call_id is not None]
    assert [(item.due, item.case_id) for item in follow_ups] == [(day(1), None), (day(3), case_id)]
    assert follow_ups[1].case_title == "Microdiscectomy — left L4-L5"


def test_an_override_moves_the_due_date(profile: ProfileSession, case_id: int) -> None:
    profile.cases.add_event(denial(case_id, -20, received=-17))
    profile.cases.set_override(
        case_id,
        RuleOverride(RuleKey.ERISA_APPEAL_FILING, 60, Unit.DAYS, "The letter says 60 days."),
    )
    (item,) = [i for i in profile.cases.due_items() if i.rule is RuleKey.ERISA_APPEAL_FILING]
    assert item.due == day(-17) + dt.timedelta(days=60)
    assert item.overridden


def test_filing_the_appeal_closes_its_deadline(profile: ProfileSession, case_id: int) -> None:
    profile.cases.add_event(denial(case_id, -20, received=-17))
    profile.cases.add_event(appeal(case_id, -5))
    rules = {item.rule for item in profile.cases.due_items()}
    assert RuleKey.ERISA_APPEAL_FILING not in rules
    assert RuleKey.ERISA_APPEAL_DECISION_PRE_SERVICE in rules  # now the plan owes an answer


def test_nothing_is_due_in_an_empty_profile(profile: ProfileSession) -> None:
    assert profile.cases.due_items() == []
    assert profile.cases.list() == []


# --- calls --------------------------------------------------------------------------------------


def test_calls_add_list_update_and_follow_up(profile: ProfileSession, case_id: int) -> None:
    old = profile.calls.add(call(-9, representative="Kevin"))
    new = profile.calls.add(
        call(
            -1,
            case_id=case_id,
            called_at=dt.datetime.combine(day(-1), dt.time(9, 41, 37)),
            follow_up="Rosa books the peer-to-peer",
            follow_up_date=day(2),
        )
    )
    assert profile.calls.count() == 2
    assert [c.id for c in profile.calls.list()] == [new, old]  # newest first
    assert [c.id for c in profile.calls.list(case_id)] == [new]
    stored = profile.calls.get(new).data
    assert stored.called_at == dt.datetime.combine(day(-1), dt.time(9, 41))  # no seconds
    assert stored.has_open_follow_up

    profile.calls.set_follow_up_done(new)
    assert not profile.calls.get(new).data.has_open_follow_up
    profile.calls.set_follow_up_done(new, False)
    assert profile.calls.get(new).data.has_open_follow_up

    profile.calls.update(old, call(-9, representative="Kevin R.", reference_number="C-1"))
    assert profile.calls.get(old).data.reference_number == "C-1"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"organization": "  "}, "who the call was with"),
        ({"called_at": at(1)}, "in the future"),
        ({"follow_up_date": day(-5)}, "before the call"),
        ({"phone": "12"}, "at least 7 digits"),
    ],
)
def test_bad_calls_are_refused(
    profile: ProfileSession, fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        profile.calls.add(call(**fields))
    assert profile.calls.count() == 0


def test_a_call_must_point_at_existing_records(profile: ProfileSession, case_id: int) -> None:
    other = profile.cases.add(CaseData(Procedure.LUMBAR_MRI))
    other_event = profile.cases.add_event(
        CaseEventData(other, EventType.REQUEST_SUBMITTED, day(-3))
    )
    with pytest.raises(UserError, match="case no longer exists"):
        profile.calls.add(call(case_id=999))
    with pytest.raises(UserError, match="event no longer exists"):
        profile.calls.add(call(event_id=999))
    with pytest.raises(UserError, match="belongs to another case"):
        profile.calls.add(call(case_id=case_id, event_id=other_event))
    assert profile.calls.count() == 0
    profile.calls.add(call(case_id=other, event_id=other_event))


def test_delete_and_restore_a_call(profile: ProfileSession) -> None:
    call_id = profile.calls.add(call(representative="Janelle"))
    removed = profile.calls.delete(call_id)
    assert profile.calls.count() == 0
    with pytest.raises(UserError, match="no longer exists"):
        profile.calls.get(call_id)
    profile.calls.restore(removed)
    assert profile.calls.get(call_id) == removed


# --- change announcements -----------------------------------------------------------------------


def test_changes_are_announced_after_each_write(profile: ProfileSession) -> None:
    heard: list[frozenset[Change]] = []
    profile.changes.subscribe(heard.append)
    cases, calls = frozenset({Change.CASES}), frozenset({Change.CALLS})

    case_id = profile.cases.add(CaseData(Procedure.LUMBAR_MRI))
    event_id = profile.cases.add_event(denial(case_id))
    profile.cases.set_override(case_id, RuleOverride(RuleKey.ERISA_APPEAL_FILING, 60, Unit.DAYS))
    profile.cases.clear_override(case_id, RuleKey.ERISA_APPEAL_FILING)
    profile.cases.set_letter_draft(case_id, "Dear Appeals Unit,")
    call_id = profile.calls.add(call(case_id=case_id, event_id=event_id))
    profile.calls.set_follow_up_done(call_id)
    new_case = frozenset({Change.CASES, Change.NETWORK})  # with its default care team
    assert heard == [new_case, cases, cases, cases, cases, calls, calls]

    heard.clear()
    with pytest.raises(ValidationError):
        profile.cases.add(CaseData(Procedure.LUMBAR_MRI, cpt_codes="x"))
    with pytest.raises(ConfirmationNeeded):
        profile.cases.add_event(appeal(case_id, -30))
    assert heard == []  # nothing written, nothing announced

    profile.cases.delete_event(event_id)
    profile.cases.delete(case_id)
    everything = frozenset({Change.CASES, Change.CALLS, Change.DOCUMENTS})
    with_team = everything | {Change.NETWORK, Change.COSTS}
    assert heard == [everything, with_team]
