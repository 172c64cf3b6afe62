"""A case's letter: drafted from the record, kept as the draft, saved to Documents as a PDF."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from backlog_app.domain.appeal_letter import placeholders_in
from backlog_app.domain.cases import (
    CaseData,
    CaseEventData,
    DenialReason,
    EventType,
    Priority,
    Procedure,
)
from backlog_app.domain.documents import DocumentKind, LinkTarget, TextStatus
from backlog_app.errors import UserError
from backlog_app.services.case_letters import (
    LetterAlreadySavedError,
    draft_for_case,
    letter_facts,
    new_draft,
    page_header,
    render_letter_pdf,
    save_letter_to_vault,
)
from backlog_app.services.context import ProfileSession
from backlog_app.services.documents import DocumentFilter
from backlog_app.services.page_images import open_pdf, page_text, pdf_page_count
from backlog_app.services.progress import Progress

QUOTE = "The records do not document 6 weeks of conservative care including physical therapy."


def add_denied_case(profile: ProfileSession, *, urgent: bool = False) -> int:
    """A microdiscectomy on the demo's employer plan, denied as not medically necessary."""
    plan_id = next(s.id for s in profile.plans.list() if s.data.insurer == "Buckeye Mutual Health")
    surgeon = next(s.id for s in profile.providers.list() if s.data.name == "Dr. Samuel Okafor")
    case_id = profile.cases.add(
        CaseData(
            Procedure.MICRODISCECTOMY,
            "L4-L5 left",
            cpt_codes="63030",
            icd10_codes="M51.16",
            plan_id=plan_id,
            requesting_provider_id=surgeon,
            priority=Priority.URGENT if urgent else Priority.STANDARD,
            authorization_number="PA-2026-0042",
            claim_number="CLM-55120",
            reference_number="UM-88412",
        )
    )
    profile.cases.add_event(
        CaseEventData(case_id, EventType.REQUEST_SUBMITTED, dt.date(2026, 9, 1))
    )
    profile.cases.add_event(
        CaseEventData(
            case_id,
            EventType.DENIED,
            dt.date(2026, 9, 10),
            received_date=dt.date(2026, 9, 14),
            reason=DenialReason.NOT_MEDICALLY_NECESSARY,
            quoted_reason=QUOTE,
            reference_number="DN-4471",
        )
    )
    return case_id


@pytest.fixture
def case_id(demo_profile: ProfileSession) -> int:
    return add_denied_case(demo_profile)


def pdf_pages(path: Path) -> list[str]:
    with open_pdf(path) as pdf:
        return [page_text(pdf, index) for index in range(pdf_page_count(pdf))]


def one_line(text: str) -> str:
    return " ".join(text.split())


# --- The draft ------------------------------------------------------------------------------------


def test_the_letter_draft_contains_the_cases_reference_numbers(
    demo_profile: ProfileSession, case_id: int
) -> None:
    text = new_draft(demo_profile, case_id)
    for number in ("PA-2026-0042", "CLM-55120", "UM-88412", "DN-4471", "63030", "M51.16"):
        assert number in text
    for fact in (
        "Maria Alvarez",
        "BMH-448210937",
        "GRP-77120",
        "Dr. Samuel Okafor",
        "1-614-555-0190",
    ):
        assert fact in text
    assert f"“{QUOTE}”" in text
    assert "Denial date:\t10 Sep 2026 (received 14 Sep 2026)" in text
    assert "Appeal level:\tFirst-level internal appeal" in text
    assert "Re: First-level internal appeal — Microdiscectomy — L4-L5 left" in text
    assert "27 Nov 2026" in text  # the profile's today


def test_the_draft_summarises_the_conservative_care_of_the_log(
    demo_profile: ProfileSession, case_id: int
) -> None:
    text = new_draft(demo_profile, case_id)
    assert "• Physical therapy: 16 visits over 8 weeks" in text
    assert "• Epidural steroid injection, L4-L5 left" in text and "% relief for" in text
    assert "• Naproxen 500 mg twice a day: 6 weeks" in text
    assert placeholders_in(text) == ["enclosures"]  # nothing is linked to the case yet


def test_the_documents_linked_to_the_case_are_the_enclosures(
    demo_profile: ProfileSession, case_id: int
) -> None:
    documents = demo_profile.documents.list()
    first, second = documents[0].info, documents[1].info
    demo_profile.documents.link(first.id, LinkTarget.CASE, case_id)
    denial_event = demo_profile.cases.get(case_id).events[-1].id
    demo_profile.documents.link(second.id, LinkTarget.CASE_EVENT, denial_event)
    facts = letter_facts(demo_profile, case_id)
    assert {e.title for e in facts.enclosures} == {first.data.title, second.data.title}
    days = [e.day for e in facts.enclosures if e.day is not None]
    assert days == sorted(days)  # oldest first
    assert f"1. {facts.enclosures[0].line}" in new_draft(demo_profile, case_id)


def test_a_case_without_anything_known_gets_blanks_not_none(profile: ProfileSession) -> None:
    case_id = profile.cases.add(CaseData(Procedure.LUMBAR_MRI))
    text = draft_for_case(profile, case_id)
    assert "None" not in text
    assert "Re: Request for prior authorization — Lumbar MRI" in text
    assert placeholders_in(text)[:3] == ["your name", "your address", "your phone number"]
    assert "member ID" in placeholders_in(text)


def test_the_saved_draft_wins_over_a_new_one(demo_profile: ProfileSession, case_id: int) -> None:
    demo_profile.cases.set_letter_draft(case_id, "My own words.")
    assert draft_for_case(demo_profile, case_id) == "My own words."
    assert new_draft(demo_profile, case_id) != "My own words."
    demo_profile.cases.set_letter_draft(case_id, None)
    assert draft_for_case(demo_profile, case_id) == new_draft(demo_profile, case_id)


def test_an_urgent_case_asks_for_the_doctors_statement(demo_profile: ProfileSession) -> None:
    case_id = add_denied_case(demo_profile, urgent=True)
    text = new_draft(demo_profile, case_id)
    assert "EXPEDITED (URGENT) REVIEW REQUESTED" in text
    assert placeholders_in(text) == ["doctor's statement of urgency", "enclosures"]


def test_a_deleted_case_is_a_plain_problem(demo_profile: ProfileSession, case_id: int) -> None:
    demo_profile.cases.delete(case_id)
    with pytest.raises(UserError, match="no longer exists"):
        new_draft(demo_profile, case_id)


# --- The PDF ---------------------------------------------------------------------------------------


def test_the_pdf_is_repeatable_and_numbers_its_pages(
    demo_profile: ProfileSession, case_id: int, tmp_path: Path
) -> None:
    text = new_draft(demo_profile, case_id)
    facts = letter_facts(demo_profile, case_id, with_summary=False)
    pdf = render_letter_pdf(text, facts)
    assert pdf.startswith(b"%PDF-") and pdf == render_letter_pdf(text, facts)
    assert render_letter_pdf(text + "More.", facts) != pdf
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    pages = pdf_pages(path)
    assert len(pages) >= 2
    header = "Maria Alvarez · DOB 27 Jul 1974 · Member ID BMH-448210937 · Ref. CLM-55120"
    assert page_header(facts) == header
    for number, page in enumerate(pages, start=1):
        assert header in page
        assert f"Page {number} of {len(pages)}" in page


def test_letters_the_pdf_fonts_lack_are_spelled_plainly(
    profile: ProfileSession, tmp_path: Path
) -> None:
    case_id = profile.cases.add(CaseData(Procedure.OTHER, "Łukasz Żółć's stimulator → trial"))
    facts = letter_facts(profile, case_id)
    path = tmp_path / "letter.pdf"
    path.write_bytes(render_letter_pdf(new_draft(profile, case_id), facts))
    text = "\n".join(pdf_pages(path))
    assert "Lukasz Zólc's stimulator -> trial" in text  # ó is in the fonts, ć and ł are not
    assert "■" not in text


# --- Saving to Documents ---------------------------------------------------------------------------


def test_saving_adds_a_pdf_linked_to_the_case(demo_profile: ProfileSession, case_id: int) -> None:
    text = new_draft(demo_profile, case_id)
    document_id = save_letter_to_vault(demo_profile, case_id, text, Progress())
    info = demo_profile.documents.get(document_id)
    assert info.data.kind is DocumentKind.APPEAL_LETTER
    assert info.data.title == "Appeal letter — Microdiscectomy — L4-L5 left — 27 Nov 2026"
    assert info.data.document_date == dt.date(2026, 11, 27)
    assert info.file.file_type.value == "pdf"
    assert (LinkTarget.CASE, case_id) in {(link.target, link.target_id) for link in info.links}
    linked = demo_profile.documents.list(DocumentFilter(link=(LinkTarget.CASE, case_id)))
    assert [row.info.id for row in linked] == [document_id]
    assert info.text_status is TextStatus.EMBEDDED
    assert demo_profile.documents.text_of(document_id) == text.strip()
    assert demo_profile.cases.get(case_id).letter_draft == text.strip()


def test_the_saved_pdf_is_valid_and_holds_the_reference_block(
    demo_profile: ProfileSession, case_id: int
) -> None:
    text = new_draft(demo_profile, case_id)
    document_id = save_letter_to_vault(demo_profile, case_id, text, Progress())
    path = demo_profile.documents.file_path(document_id)
    words = one_line("\n".join(pdf_pages(path)))
    for line in text.splitlines():
        if ":\t" in line:
            label, value = line.split(":\t", 1)
            assert one_line(f"{label}: {value}") in words, line
    assert "Sincerely," in words and "Page 1 of" in words
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is not installed")
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout


def test_saving_the_same_letter_twice_says_it_is_already_there(
    demo_profile: ProfileSession, case_id: int
) -> None:
    text = new_draft(demo_profile, case_id)
    first = save_letter_to_vault(demo_profile, case_id, text, Progress())
    count = demo_profile.documents.count()
    with pytest.raises(LetterAlreadySavedError) as raised:
        save_letter_to_vault(demo_profile, case_id, text, Progress())
    assert raised.value.document_id == first
    assert raised.value.message == (
        "This letter is already in Documents as “Appeal letter — Microdiscectomy — L4-L5 left — "
        "27 Nov 2026”; nothing has changed since it was saved, so no second copy was added."
    )
    assert demo_profile.documents.count() == count
    edited = save_letter_to_vault(demo_profile, case_id, text + "\nP.S. Thank you.", Progress())
    assert edited != first
    demo_profile.documents.trash(first)
    with pytest.raises(LetterAlreadySavedError, match="It is in the trash"):
        save_letter_to_vault(demo_profile, case_id, text, Progress())


def test_a_new_draft_does_not_enclose_the_letter_itself(
    demo_profile: ProfileSession, case_id: int
) -> None:
    save_letter_to_vault(demo_profile, case_id, new_draft(demo_profile, case_id), Progress())
    assert letter_facts(demo_profile, case_id).enclosures == ()


def test_a_case_without_a_denial_saves_a_prior_authorization_request(
    demo_profile: ProfileSession,
) -> None:
    plan_id = demo_profile.plans.list()[0].id
    case_id = demo_profile.cases.add(CaseData(Procedure.LUMBAR_MRI, plan_id=plan_id))
    document_id = save_letter_to_vault(
        demo_profile, case_id, new_draft(demo_profile, case_id), Progress()
    )
    info = demo_profile.documents.get(document_id)
    assert info.data.kind is DocumentKind.PRIOR_AUTH_REQUEST
    assert info.data.title == "Prior-authorization request letter — Lumbar MRI — 27 Nov 2026"


def test_an_empty_letter_is_refused(demo_profile: ProfileSession, case_id: int) -> None:
    count = demo_profile.documents.count()
    with pytest.raises(UserError, match="The letter is empty"):
        save_letter_to_vault(demo_profile, case_id, "  \n ", Progress())
    assert demo_profile.documents.count() == count
