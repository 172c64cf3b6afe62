"""The demo's packets: evidence linked to the cases it supports, and a saved letter draft.

So that ``backlog demo`` shows a complete packet out of the box: the repeat epidural injection's
packet (an external review request after the upheld denial) opens with Maria's letter, and
encloses the denial letter, the MRI report, her physical therapy discharge summary and a photo
of her insurance card (an attached scan); the microdiscectomy's packet encloses the MRI report
and the therapy summary.
"""

from __future__ import annotations

from backlog_app.domain.cases import Procedure
from backlog_app.domain.documents import DocumentKind, LinkTarget
from backlog_app.services.case_letters import new_draft
from backlog_app.services.context import ProfileSession

# Maria's own words for the one blank the draft leaves.
_WHY = (
    "the 50% rule counts relief on a scale, not what it let me do. During the three weeks after "
    "the first injection I worked full days and slept through the night, as my pain diary "
    "shows; my physical therapy and medication trials before it had failed (see the enclosed "
    "summary and records)"
)

_EVIDENCE = {
    Procedure.EPIDURAL_STEROID_INJECTION: (
        DocumentKind.IMAGING_REPORT,
        DocumentKind.PT_NOTE,
        DocumentKind.INSURANCE_CARD,
    ),
    Procedure.MICRODISCECTOMY: (DocumentKind.IMAGING_REPORT, DocumentKind.PT_NOTE),
}


def add_demo_packet_story(profile: ProfileSession) -> None:
    """Link the evidence to the demo's cases and keep a letter draft on the epidural's case."""
    documents: dict[DocumentKind, int] = {}
    for row in sorted(profile.documents.list(), key=lambda row: row.info.id):
        documents.setdefault(row.info.data.kind, row.info.id)  # the card's front comes first
    for case in profile.cases.list():
        for kind in _EVIDENCE.get(case.data.procedure, ()):
            profile.documents.link(documents[kind], LinkTarget.CASE, case.id)
        if case.data.procedure is Procedure.EPIDURAL_STEROID_INJECTION:
            draft = new_draft(profile, case.id).replace("[why the decision is wrong]", _WHY)
            profile.cases.set_letter_draft(case.id, draft)
