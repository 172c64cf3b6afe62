"""A case's readiness checklist from the database, and the user's own criteria file."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from backlog_app.domain.cases import CaseData, Procedure
from backlog_app.domain.documents import DocumentData, DocumentKind, TextStatus
from backlog_app.domain.log_records import (
    TherapyCourseData,
    TreatmentData,
    TreatmentKind,
    VisitLimitData,
)
from backlog_app.domain.readiness import CheckStatus, EvidenceKind
from backlog_app.domain.records import PlanData, PlanType
from backlog_app.errors import UserError
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession
from backlog_app.services.readiness import (
    USER_FILE_NAME,
    case_readiness,
    load_criteria,
    save_procedure_criteria,
    shipped_criteria,
)
from tests.document_files import write_pdf

D = dt.date


def add_case(profile: ProfileSession, procedure: Procedure, **fields: object) -> int:
    return profile.cases.add(CaseData(procedure=procedure, **fields))  # type: ignore[arg-type]


def statuses(profile: ProfileSession, case_id: int) -> dict[str, CheckStatus]:
    return {r.key: r.status for r in case_readiness(profile, case_id).results}


def test_the_demo_record_meets_the_microdiscectomy_criteria(demo_profile: ProfileSession) -> None:
    case_id = add_case(demo_profile, Procedure.MICRODISCECTOMY)
    readiness = case_readiness(demo_profile, case_id)
    assert readiness.procedure is Procedure.MICRODISCECTOMY
    assert (readiness.met, readiness.total) == (4, 4)
    assert "Criteria vary by insurer" in readiness.caveat
    course = next(r for r in readiness.results if r.key == "physical_therapy")
    kinds = {e.kind for e in course.evidence}
    assert kinds == {EvidenceKind.COURSE, EvidenceKind.DOCUMENT}
    # Evidence points at records that exist.
    for evidence in (e for r in readiness.results for e in r.evidence):
        if evidence.kind is EvidenceKind.TREATMENT:
            assert evidence.record_id is not None
            assert demo_profile.log.treatments.get(evidence.record_id)
        elif evidence.kind is EvidenceKind.DOCUMENT:
            assert evidence.record_id is not None
            assert demo_profile.documents.get(evidence.record_id)


def test_the_demo_record_falls_short_for_a_fusion(demo_profile: ProfileSession) -> None:
    case_id = add_case(demo_profile, Procedure.LUMBAR_FUSION, icd10_codes="M51.36")
    found = statuses(demo_profile, case_id)
    assert "conservative_care_spondylolisthesis" not in found  # a disc code, not spondylolisthesis
    assert found["imaging"] is CheckStatus.NOT_MET  # the MRI is 10 months old
    assert found["nicotine_free"] is CheckStatus.UNKNOWN
    assert found["pain"] is CheckStatus.NOT_MET  # 6.1 on average in November


def test_a_missing_case_is_a_plain_error(profile: ProfileSession) -> None:
    with pytest.raises(UserError, match="no longer exists"):
        case_readiness(profile, 999)


def test_the_cases_plan_sets_the_visit_limit(profile: ProfileSession) -> None:
    plan = profile.plans.add(PlanData("Buckeye Mutual", PlanType.EMPLOYER_PPO))
    profile.log.visit_limits.add(VisitLimitData(plan, TreatmentKind.CHIROPRACTIC, 3))
    for day in (D(2026, 2, 1), D(2026, 3, 1), D(2026, 4, 1)):
        profile.log.treatments.add(TreatmentData(TreatmentKind.CHIROPRACTIC, day))
    without_plan = add_case(profile, Procedure.CHIROPRACTIC)
    with_plan = add_case(profile, Procedure.CHIROPRACTIC, plan_id=plan)
    assert statuses(profile, without_plan)["visits_per_year"] is CheckStatus.UNKNOWN
    result = case_readiness(profile, with_plan).results[0]
    assert result.status is CheckStatus.NOT_MET
    assert result.finding.startswith("3 of 3 chiropractic visits used")


def test_documents_are_found_by_title_and_by_their_text(
    profile: ProfileSession, tmp_path: Path
) -> None:
    case_id = add_case(profile, Procedure.LUMBAR_FUSION)
    assert statuses(profile, case_id)["nicotine_free"] is CheckStatus.UNKNOWN
    lab = profile.importer.add(
        write_pdf(tmp_path / "lab.pdf"),
        DocumentData(DocumentKind.LAB_RESULT, "Urine test", D(2026, 11, 2)),
    )
    assert statuses(profile, case_id)["nicotine_free"] is CheckStatus.UNKNOWN
    profile.documents.set_text(lab, "COTININE, URINE: negative", TextStatus.EMBEDDED)
    assert statuses(profile, case_id)["nicotine_free"] is CheckStatus.MET
    profile.documents.trash(lab)
    assert statuses(profile, case_id)["nicotine_free"] is CheckStatus.UNKNOWN


def test_a_course_and_its_sessions_are_read_with_their_ids(profile: ProfileSession) -> None:
    course = profile.log.courses.add(
        TherapyCourseData(TreatmentKind.PHYSICAL_THERAPY, D(2026, 3, 3), D(2026, 4, 28))
    )
    profile.log.treatments.add(
        TreatmentData(TreatmentKind.PHYSICAL_THERAPY, D(2026, 3, 3), course_id=course)
    )
    case_id = add_case(profile, Procedure.MICRODISCECTOMY)
    result = next(
        r for r in case_readiness(profile, case_id).results if r.key == "physical_therapy"
    )
    assert result.status is CheckStatus.MET
    assert (result.evidence[0].kind, result.evidence[0].record_id) == (EvidenceKind.COURSE, course)


# --- the user's criteria --------------------------------------------------------------------------


def test_changed_criteria_are_kept_in_the_profile_and_used(profile: ProfileSession) -> None:
    case_id = add_case(profile, Procedure.SPINAL_CORD_STIMULATOR)
    announced: list[frozenset[Change]] = []
    profile.changes.subscribe(announced.append)
    criteria = list(load_criteria(profile).for_procedure(Procedure.SPINAL_CORD_STIMULATOR).criteria)
    criteria[2] = dataclasses.replace(criteria[2], score=30)  # ODI
    save_procedure_criteria(profile, Procedure.SPINAL_CORD_STIMULATOR, criteria)
    path = profile.paths.root / USER_FILE_NAME
    written = json.loads(path.read_text(encoding="utf-8"))
    assert list(written["procedures"]) == ["spinal_cord_stimulator"]
    assert not list(profile.paths.root.glob(".*.partial"))
    readiness = case_readiness(profile, case_id)
    assert readiness.customized
    assert "30%" in readiness.results[2].label
    assert announced == [frozenset({Change.CASES})]
    # Back to the defaults: the file goes when nothing is left in it.
    save_procedure_criteria(profile, Procedure.SPINAL_CORD_STIMULATOR, None)
    assert not path.exists()
    assert not case_readiness(profile, case_id).customized
    assert load_criteria(profile) is shipped_criteria()


def test_other_procedures_keep_their_own_entries(profile: ProfileSession) -> None:
    mri = load_criteria(profile).for_procedure(Procedure.LUMBAR_MRI).criteria
    fusion = load_criteria(profile).for_procedure(Procedure.LUMBAR_FUSION).criteria
    save_procedure_criteria(profile, Procedure.LUMBAR_MRI, mri[:1])
    save_procedure_criteria(profile, Procedure.LUMBAR_FUSION, fusion[:2])
    save_procedure_criteria(profile, Procedure.LUMBAR_MRI, None)
    criteria = load_criteria(profile)
    assert criteria.for_procedure(Procedure.LUMBAR_MRI).criteria == mri
    assert criteria.for_procedure(Procedure.LUMBAR_FUSION).criteria == fusion[:2]
    assert criteria.customized == frozenset({"lumbar_fusion"})


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{not json", "it is not valid JSON (line 1, column 2"),
        ('{"format": "backlog-readiness-criteria", "version": 1}', "“procedures” must be"),
        (
            '{"format": "backlog-readiness-criteria", "version": 1, "procedures": '
            '{"lumbar_mri": {"source": "me", "criteria": [{"key": "a", "kind": "odi_min", '
            '"source": "me", "score": 500}]}}}',
            "“score” must be a whole number from 0 to 100",
        ),
        ('{"format": "backlog-readiness-criteria", "version": 9, "procedures": {}}', "newer"),
    ],
)
def test_a_broken_user_file_is_a_plain_error_naming_it(
    profile: ProfileSession, text: str, problem: str
) -> None:
    path = profile.paths.root / USER_FILE_NAME
    path.write_text(text, encoding="utf-8")
    case_id = add_case(profile, Procedure.LUMBAR_MRI)
    with pytest.raises(UserError) as caught:
        case_readiness(profile, case_id)
    assert str(path) in caught.value.message
    assert problem in caught.value.message
    assert "delete it to use BackLog's default criteria" in caught.value.message
    # Saving does not overwrite a file the user may want to repair.
    with pytest.raises(UserError):
        save_procedure_criteria(profile, Procedure.LUMBAR_MRI, None)
    assert path.read_text(encoding="utf-8") == text


def test_a_hand_written_user_file_may_share_criteria(profile: ProfileSession) -> None:
    (profile.paths.root / USER_FILE_NAME).write_text(
        json.dumps(
            {
                "format": "backlog-readiness-criteria",
                "version": 1,
                "procedures": {"laminectomy": {"same_as": "lumbar_fusion"}},
            }
        ),
        encoding="utf-8",
    )
    criteria = load_criteria(profile)
    assert criteria.for_procedure(Procedure.LAMINECTOMY) == criteria.for_procedure(
        Procedure.LUMBAR_FUSION
    )
    # Saving another procedure keeps the alias.
    save_procedure_criteria(
        profile, Procedure.LUMBAR_MRI, criteria.for_procedure(Procedure.LUMBAR_MRI).criteria
    )
    assert load_criteria(profile).entry_key(Procedure.LAMINECTOMY) == "lumbar_fusion"
