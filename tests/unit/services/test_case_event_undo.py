"""Deleting a case event and putting it back: its documents and calls come back with it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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
