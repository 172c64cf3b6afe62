"""The demo's documents: five letters as PDFs and phone photos of the insurance card, linked to her log.

The files are drawn in code (``demo_letters`` with ``demo_pdf_layout``, ``demo_card_photo``), then
added through the importer like any file the patient adds, so they are real vault files that pass
the same checks. The PDFs' words are stored as their text right away, so search works in the
demo without text recognition; the photos wait for the background reader like any new photo.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from backlog_app.domain.documents import DocumentData, DocumentKind, LinkTarget, TextStatus
from backlog_app.domain.log_records import TherapyCourseData, TreatmentData, TreatmentKind
from backlog_app.domain.records import Stored
from backlog_app.services import demo_card_photo, demo_letters
from backlog_app.services.context import ProfileSession
from backlog_app.services.demo_card_photo import Side
from backlog_app.services.demo_history import HISTORY_DAYS
from backlog_app.services.demo_letters import StoryFacts, long
from backlog_app.services.demo_pdf_layout import Letter, plain_text, render_pdf
from backlog_app.services.progress import Progress
from backlog_app.services.thumbnails import ensure_thumbnail

DEMO_DOCUMENT_COUNT = 7
_PHOTO_SEEDS = {"front": 4127, "back": 4128}
_PHOTO_NAMES = {"front": "IMG_4127.jpg", "back": "IMG_4128.HEIC"}
_LABEL = "Adding documents"


@dataclass(frozen=True, slots=True)
class _Planned:
    """One demo document: how to write its file, what to say about it, what to link it to."""

    file_name: str
    data: DocumentData
    write: Callable[[Path], None]
    links: tuple[tuple[LinkTarget, int], ...] = ()
    text: str | None = None  # the PDF's own words, stored as its text right away


def add_demo_documents(profile: ProfileSession, progress: Progress | None = None) -> list[int]:
    """Add the demo's documents to ``profile``, which already holds the demo's log.

    Returns:
        The new documents' ids, in the order they were added.
    """
    progress = progress or Progress()
    planned = _plan(profile)
    added: list[int] = []
    with tempfile.TemporaryDirectory(prefix="backlog-demo-") as folder:
        for index, item in enumerate(planned):
            progress.report(index, len(planned), _LABEL)
            path = Path(folder) / item.file_name
            item.write(path)
            document_id = profile.importer.add(path, item.data)
            for target, target_id in item.links:
                profile.documents.link(document_id, target, target_id)
            if item.text is not None:
                profile.documents.set_text(document_id, item.text, TextStatus.EMBEDDED)
            # A fresh demo should pass `backlog check` without --repair: draw its thumbnails.
            ensure_thumbnail(profile.documents, document_id)
            added.append(document_id)
    progress.report(len(planned), len(planned), _LABEL)
    return added


def story_facts(profile: ProfileSession) -> StoryFacts:
    """Names and dates of Maria's story, read from the demo profile's records."""
    patient = profile.patient.get()
    assert patient is not None and patient.date_of_birth is not None, "the demo patient first"
    plan = min(profile.plans.list(), key=lambda stored: stored.data.priority).data
    treatments = profile.log.treatments.list()
    course = _course(profile)
    injection = _first(treatments, TreatmentKind.EPIDURAL_STEROID_INJECTION)
    gabapentin = next(m for m in profile.log.medications.list() if m.data.name == "Gabapentin")
    assert course.data.end_date is not None and gabapentin.data.start_date is not None
    return StoryFacts(
        patient=patient.full_name,
        date_of_birth=patient.date_of_birth,
        address=patient.address or "",
        phone=patient.phone or "",
        plan=plan,
        providers={stored.data.name: stored.data for stored in profile.providers.list()},
        flare_up=profile.clock() - dt.timedelta(days=HISTORY_DAYS),
        first_visit=_first(treatments, TreatmentKind.PRIMARY_CARE_VISIT).data.day,
        xray=_first(treatments, TreatmentKind.XRAY).data.day,
        gabapentin_start=gabapentin.data.start_date,
        pt_start=course.data.start_date,
        pt_end=course.data.end_date,
        pt_visits=course.data.planned_visits or 0,
        referral=_first(
            treatments, TreatmentKind.PRIMARY_CARE_VISIT, course.data.end_date
        ).data.day,
        mri=_first(treatments, TreatmentKind.MRI).data.day,
        injection=injection.data.day,
        relief_percent=injection.data.relief_percent or 0,
        relief_days=injection.data.relief_days or 0,
        pain_follow_up=_first(
            treatments, TreatmentKind.PAIN_MANAGEMENT_VISIT, injection.data.day
        ).data.day,
    )


def _plan(profile: ProfileSession) -> list[_Planned]:
    facts = story_facts(profile)
    provider_ids = {stored.data.name: stored.id for stored in profile.providers.list()}
    treatments = profile.log.treatments.list()
    course_id = _course(profile).id

    def on(kind: TreatmentKind, day: dt.date) -> tuple[LinkTarget, int]:
        match = next(t for t in treatments if t.data.kind is kind and t.data.day == day)
        return LinkTarget.TREATMENT, match.id

    def pdf(
        letter: Letter,
        file_name: str,
        kind: DocumentKind,
        title: str,
        day: dt.date,
        provider: str,
        tags: tuple[str, ...],
        links: tuple[tuple[LinkTarget, int], ...],
        notes: str | None = None,
    ) -> _Planned:
        return _Planned(
            file_name,
            DocumentData(kind, title, day, provider_ids[provider], notes, tags),
            lambda path: _write_bytes(path, render_pdf(letter)),
            links,
            plain_text(letter),
        )

    deadline = facts.denial + dt.timedelta(days=demo_letters.APPEAL_DAYS)
    owed = (
        demo_letters.MRI_DEDUCTIBLE_CENTS
        + (
            demo_letters.MRI_FACILITY_CENTS[1]
            + demo_letters.MRI_READING_CENTS[1]
            - demo_letters.MRI_DEDUCTIBLE_CENTS
        )
        * demo_letters.COINSURANCE_PERCENT
        // 100
    )
    return [
        pdf(
            demo_letters.pt_discharge(facts),
            "MotionForward_PT_Discharge_Summary.pdf",
            DocumentKind.PT_NOTE,
            "Physical therapy discharge summary",
            facts.pt_end,
            "Jenna Brooks, DPT",
            ("physical therapy", "discharge"),
            ((LinkTarget.COURSE, course_id),),
        ),
        pdf(
            demo_letters.referral(facts),
            f"Referral_Okafor_{facts.referral:%Y-%m-%d}.pdf",
            DocumentKind.REFERRAL,
            "Referral to Dr. Okafor (spine specialist)",
            facts.referral,
            "Dr. Karen Whitfield",
            ("referral", "spine specialist"),
            (
                on(TreatmentKind.PRIMARY_CARE_VISIT, facts.referral),
                _first_link(treatments, TreatmentKind.SPINE_SPECIALIST_VISIT),
            ),
        ),
        pdf(
            demo_letters.mri_report(facts),
            "MRI_Lumbar_Spine_Report.pdf",
            DocumentKind.IMAGING_REPORT,
            "MRI lumbar spine report",
            facts.mri,
            "Dr. Helen Marsh",
            ("MRI", "lumbar spine"),
            (on(TreatmentKind.MRI, facts.mri),),
        ),
        pdf(
            demo_letters.eob(facts),
            f"EOB_{facts.eob:%Y%m%d}.pdf",
            DocumentKind.EOB,
            "EOB: MRI lumbar spine",
            facts.eob,
            "Columbus Open MRI",
            ("EOB", "MRI"),
            (on(TreatmentKind.MRI, facts.mri),),
            f"My share is {demo_letters.money(owed)}; compare with the bill from Columbus Open MRI.",
        ),
        pdf(
            demo_letters.denial_letter(facts),
            f"BMH_Notice_{facts.denial:%Y%m%d}.pdf",
            DocumentKind.DENIAL_LETTER,
            "Denial: repeat epidural injection (left L4-L5)",
            facts.denial,
            "Dr. Priya Raman",
            ("denial", "epidural", "appeal"),
            (
                on(TreatmentKind.EPIDURAL_STEROID_INJECTION, facts.injection),
                on(TreatmentKind.PAIN_MANAGEMENT_VISIT, facts.pain_follow_up),
            ),
            f"Appeal had to be received by {long(deadline)}. The plan wants 50% relief for "
            "6 weeks after the first injection.",
        ),
        _card_photo(facts, "front"),
        _card_photo(facts, "back"),
    ]


def _card_photo(facts: StoryFacts, side: Side) -> _Planned:
    """A phone photo of one side of the card: the front as JPEG, the back as HEIC."""
    taken = dt.datetime.combine(facts.first_visit, dt.time(8, 14, 3 + 9 * (side == "back")))

    def write(path: Path) -> None:
        seed = _PHOTO_SEEDS[side]
        path.write_bytes(demo_card_photo.photo_bytes(facts.plan, facts.patient, side, seed, taken))

    return _Planned(
        _PHOTO_NAMES[side],
        DocumentData(
            DocumentKind.INSURANCE_CARD,
            f"Insurance card, {side} (phone photo)",
            facts.first_visit,
            None,
            "Photographed for the first visit." if side == "front" else None,
            ("insurance card", facts.plan.insurer),
        ),
        write,
    )


def _write_bytes(path: Path, content: bytes) -> None:
    path.write_bytes(content)


def _course(profile: ProfileSession) -> Stored[TherapyCourseData]:
    courses = profile.log.courses.list()
    return next(c for c in courses if c.data.kind is TreatmentKind.PHYSICAL_THERAPY)


def _first(
    treatments: list[Stored[TreatmentData]], kind: TreatmentKind, after: dt.date | None = None
) -> Stored[TreatmentData]:
    """The first treatment of ``kind`` (after the day ``after``, when given)."""
    return next(
        t for t in treatments if t.data.kind is kind and (after is None or t.data.day > after)
    )


def _first_link(
    treatments: list[Stored[TreatmentData]], kind: TreatmentKind
) -> tuple[LinkTarget, int]:
    return LinkTarget.TREATMENT, _first(treatments, kind).id
