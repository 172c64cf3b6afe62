"""Undo of case events and calls (links and reused ids), and moving an event out of order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from backlog_app.domain.cases import (
    CallData,
    CallDirection,
    CaseData,
    CaseEventData,
    DenialReason,
    EventType,
    Procedure,
)
from backlog_app.domain.documents import LinkTarget
from backlog_app.errors import ValidationError
from backlog_app.services.context import ProfileSession
from tests.document_files import write_pdf


def test_undoing_an_event_delete_restores_its_links(
    profile: ProfileSession, tmp_path: Path
) -> None:
    case_id = profile.cases.add(CaseData(Procedure.MICRODISCECTOMY, cpt_codes="63030"))
    denial = profile.cases.add_event(
        CaseEventData(
            case_id,
            EventType.DENIED,
            dt.date(2026, 10, 1),
            reason=DenialReason.MISSING_DOCUMENTATION,
        )
    )
    letter = profile.importer.add(write_pdf(tmp_path / "denial.pdf", marker="denial"))
    profile.documents.link(letter, LinkTarget.CASE_EVENT, denial)
    call = profile.calls.add(
        CallData(
            dt.datetime(2026, 10, 2, 9, 30),
            CallDirection.OUTGOING,
            "Buckeye Mutual Health",
            case_id=case_id,
            event_id=denial,
        )
    )

    event = profile.cases.delete_event(denial)
    assert profile.documents.get(letter).links == ()
    assert profile.calls.get(call).data.event_id is None

    profile.cases.restore_event(event)
    assert profile.cases.event(denial).data == event.data
    assert [link.target_id for link in profile.documents.get(letter).links] == [denial]
    assert profile.calls.get(call).data.event_id == denial


def test_undo_after_the_id_was_reused_brings_the_event_back_under_a_new_id(
    profile: ProfileSession,
) -> None:
    case_id = profile.cases.add(CaseData(Procedure.LUMBAR_MRI))
    request = CaseEventData(case_id, EventType.REQUEST_SUBMITTED, dt.date(2026, 9, 1))
    event_id = profile.cases.add_event(request)
    deleted = profile.cases.delete_event(event_id)
    newer = profile.cases.add_event(
        CaseEventData(case_id, EventType.REQUEST_SUBMITTED, dt.date(2026, 9, 5))
    )
    restored = profile.cases.restore_event(deleted)
    if newer == event_id:  # SQLite hands out the freed id again
        assert restored != event_id
    assert sorted(e.data.day for e in profile.cases.get(case_id).events) == [
        dt.date(2026, 9, 1),
        dt.date(2026, 9, 5),
    ]


def test_undoing_a_call_delete_survives_a_reused_id_and_a_deleted_case(
    profile: ProfileSession,
) -> None:
    case_id = profile.cases.add(CaseData(Procedure.LUMBAR_MRI))
    call_id = profile.calls.add(
        CallData(dt.datetime(2026, 10, 2, 9, 30), CallDirection.OUTGOING, "BMH", case_id=case_id)
    )
    deleted = profile.calls.delete(call_id)
    profile.calls.add(CallData(dt.datetime(2026, 10, 3, 9, 0), CallDirection.INCOMING, "Clinic"))
    profile.cases.delete(case_id)
    restored = profile.calls.restore(deleted)
    assert profile.calls.get(restored).data.organization == "BMH"
    assert profile.calls.get(restored).data.case_id is None
    assert profile.calls.count() == 2


def test_moving_a_request_after_its_decision_is_refused(profile: ProfileSession) -> None:
    case_id = profile.cases.add(CaseData(Procedure.LUMBAR_MRI))
    request = CaseEventData(case_id, EventType.REQUEST_SUBMITTED, dt.date(2026, 3, 1))
    request_id = profile.cases.add_event(request)
    profile.cases.add_event(CaseEventData(case_id, EventType.APPROVED, dt.date(2026, 3, 5)))
    moved = CaseEventData(case_id, EventType.REQUEST_SUBMITTED, dt.date(2026, 3, 10))
    with pytest.raises(ValidationError, match="cannot come before its filing"):
        profile.cases.update_event(request_id, moved)
    assert profile.cases.event(request_id).data.day == dt.date(2026, 3, 1)
    # A new request after an approval is a new request (a renewal), not a misplaced one.
    profile.cases.add_event(moved)
