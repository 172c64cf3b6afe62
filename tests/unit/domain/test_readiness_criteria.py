"""Readiness criteria as data: the shipped file, reading with plain errors, writing, labels and
the numbers a user may edit."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from backlog_app.domain.cases import Procedure
from backlog_app.domain.log_records import TreatmentKind
from backlog_app.domain.readiness_criteria import (
    DEFAULT_ENTRY,
    CriteriaError,
    CriteriaSet,
    Criterion,
    CriterionKind,
    editable_numbers,
    with_numbers,
)
from backlog_app.domain.readiness_format import criteria_document, parse_criteria
from backlog_app.domain.readiness_labels import criterion_label

SHIPPED = Path(__file__).resolve().parents[3] / "backlog_app" / "data" / "readiness_criteria.json"
K = CriterionKind


def shipped_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SHIPPED.read_text(encoding="utf-8"))
    return data


def shipped() -> CriteriaSet:
    return parse_criteria(shipped_data())


# --- the shipped file ---------------------------------------------------------------------------


def test_the_shipped_file_is_documented_and_versioned() -> None:
    data = shipped_data()
    assert data["version"] == 1
    about = " ".join(data["_about"])
    for kind in CriterionKind:
        assert f"{kind.value}:" in about, kind


# Each procedure of DOMAIN.md's "Typical payer criteria" table, with the source it names.
DOMAIN_TABLE = {
    Procedure.LUMBAR_MRI: "(general)",
    Procedure.EPIDURAL_STEROID_INJECTION: "Medicare LCD L33906",
    Procedure.RADIOFREQUENCY_ABLATION: "(general)",
    Procedure.SPINAL_CORD_STIMULATOR: "Aetna CPB 0194",
    Procedure.MICRODISCECTOMY: "(general)",
    Procedure.LAMINECTOMY: "(general)",
    Procedure.LUMBAR_FUSION: "eviCore CMM-609",
    Procedure.ARTIFICIAL_DISC_REPLACEMENT: "eviCore CMM-610",
    Procedure.ACUPUNCTURE: "Medicare NCD 30.3.3",
    Procedure.CHIROPRACTIC: "(general)",
}


@pytest.mark.parametrize("procedure", list(DOMAIN_TABLE))
def test_every_procedure_of_the_domain_table_has_its_own_criteria(procedure: Procedure) -> None:
    criteria = shipped()
    assert criteria.entry_key(procedure) != DEFAULT_ENTRY
    entry = criteria.for_procedure(procedure)
    assert DOMAIN_TABLE[procedure] in entry.source
    assert entry.criteria
    assert all(c.source for c in entry.criteria)


def test_every_procedure_gets_criteria_and_the_table_figures_are_there() -> None:
    criteria = shipped()
    for procedure in Procedure:
        assert criteria.for_procedure(procedure).criteria
    scs = {c.key: c for c in criteria.for_procedure(Procedure.SPINAL_CORD_STIMULATOR).criteria}
    assert scs["conservative_care"].months == 6
    assert scs["odi"].score == 21
    assert scs["psych_clearance"].kind is K.PSYCH_EVALUATION
    rfa = {c.key: c for c in criteria.for_procedure(Procedure.RADIOFREQUENCY_ABLATION).criteria}
    assert (rfa["diagnostic_blocks"].count, rfa["diagnostic_blocks"].percent) == (2, 80)
    fusion = {c.key: c for c in criteria.for_procedure(Procedure.LUMBAR_FUSION).criteria}
    assert fusion["imaging"].months == 6
    assert fusion["nicotine_free"].kind is K.NICOTINE_TEST
    assert fusion["pain"].score == 7
    mri = {c.key: c for c in criteria.for_procedure(Procedure.LUMBAR_MRI).criteria}
    assert (mri["conservative_care"].weeks, mri["conservative_care"].within_months) == (6, 3)


# --- reading ------------------------------------------------------------------------------------


def one_criterion(**criterion: Any) -> dict[str, Any]:
    return {
        "format": "backlog-readiness-criteria",
        "version": 1,
        "procedures": {
            "lumbar_mri": {
                "source": "x",
                "criteria": [{"key": "k", "source": "x", **criterion}],
            }
        },
    }


def problems_of(data: object) -> list[str]:
    with pytest.raises(CriteriaError) as caught:
        parse_criteria(data)
    return caught.value.problems


@pytest.mark.parametrize(
    ("criterion", "problem"),
    [
        ({"kind": "nope"}, "“kind” must be one of"),
        ({"kind": "odi_min"}, "“score” is missing"),
        ({"kind": "odi_min", "score": 200}, "“score” must be a whole number from 0 to 100"),
        ({"kind": "pain_score_min", "score": 11}, "from 0 to 10"),
        ({"kind": "odi_min", "score": True}, "must be a whole number"),
        ({"kind": "odi_min", "score": 20, "weeks": 3}, "“weeks” is not a known setting"),
        ({"kind": "symptom_duration"}, "give either “weeks” or “months”"),
        ({"kind": "symptom_duration", "weeks": 4, "months": 1}, "give either “weeks” or “months”"),
        ({"kind": "injection_relief", "treatments": ["mri2"], "percent": 50}, "unknown value"),
        ({"kind": "age_range", "min_age": 60, "max_age": 18}, "youngest age is above the oldest"),
        ({"kind": "visit_cap", "treatments": ["acupuncture"], "days": 90}, "needs “count”"),
        ({"kind": "medication_trials", "count": 1, "with_outcome": "yes"}, "true or false"),
        ({"kind": "odi_min", "score": 20, "when_icd10": ["spondy"]}, "ICD-10 code beginnings"),
        ({"kind": "odi_min", "score": 20, "source": ""}, "“source” must be text"),
        ({"kind": "odi_min", "score": 20, "key": "Bad Key"}, "“key” must be a short name"),
    ],
)
def test_each_problem_in_a_criterion_is_named(criterion: dict[str, Any], problem: str) -> None:
    found = problems_of(one_criterion(**criterion))
    assert any(problem in line for line in found), found
    assert all("lumbar_mri" in line for line in found)


def test_file_level_problems_are_named() -> None:
    assert problems_of([]) == ["The file must hold one JSON object ({…})."]
    newer = {"format": "backlog-readiness-criteria", "version": 2, "procedures": {}}
    assert "newer BackLog" in problems_of(newer)[0]
    data = one_criterion(kind="odi_min", score=1)
    data["procedures"]["spine_magic"] = data["procedures"]["lumbar_mri"]
    assert any("“spine_magic” is not a procedure" in p for p in problems_of(data))
    data = one_criterion(kind="odi_min", score=1)
    data["procedures"]["lumbar_mri"]["criteria"].append(
        {"key": "k", "kind": "odi_min", "score": 2, "source": "x"}
    )
    assert any("the key “k” is used twice" in p for p in problems_of(data))
    data = one_criterion(kind="odi_min", score=1)
    data["procedures"]["ct_scan"] = {"same_as": "laminectomy"}
    data["procedures"]["laminectomy"] = {"same_as": "ct_scan"}
    assert any("goes round in a circle" in p for p in problems_of(data))


def test_comments_are_ignored_and_switched_off_criteria_kept() -> None:
    data = one_criterion(kind="odi_min", score=1, enabled=False, _comment="mine")
    data["_note"] = "hello"
    (criterion,) = parse_criteria(data).entries["lumbar_mri"].criteria
    assert criterion.enabled is False


def test_writing_and_reading_back_gives_the_same_criteria() -> None:
    criteria = shipped()
    again = parse_criteria(criteria_document(criteria.entries))
    assert again.entries == criteria.entries


def test_the_users_entries_replace_the_shipped_ones() -> None:
    criteria = shipped()
    mine = parse_criteria(one_criterion(kind="odi_min", score=30))  # lumbar_mri, replaced
    merged = criteria.overlaid(mine)
    assert [c.kind for c in merged.for_procedure(Procedure.LUMBAR_MRI).criteria] == [K.ODI_MIN]
    assert merged.is_customized(Procedure.LUMBAR_MRI)
    assert merged.is_customized(Procedure.CT_SCAN)  # it shares lumbar_mri's criteria
    assert not merged.is_customized(Procedure.LUMBAR_FUSION)
    assert merged.for_procedure(Procedure.LUMBAR_FUSION) == criteria.for_procedure(
        Procedure.LUMBAR_FUSION
    )


# --- labels -------------------------------------------------------------------------------------


def c(kind: CriterionKind, **params: Any) -> Criterion:
    return Criterion("k", kind, "x", **params)


@pytest.mark.parametrize(
    ("criterion", "label"),
    [
        (
            c(K.CONSERVATIVE_CARE_WEEKS, weeks=6, within_months=3),
            "At least 6 weeks of conservative care in the last 3 months",
        ),
        (
            c(K.CONSERVATIVE_CARE_WEEKS, months=6, count=2, condition="disc pain"),
            "At least 6 months of conservative care, with 2 different kinds of care "
            "(for disc pain)",
        ),
        (c(K.COMPLETED_PT_COURSE), "A completed physical therapy course"),
        (
            c(K.MEDICATION_TRIALS, count=2, with_outcome=True),
            "At least 2 medication trials, each with how it went recorded",
        ),
        (c(K.IMAGING_WITHIN_MONTHS, months=6), "Imaging (MRI, CT or X-ray) from the last 6 months"),
        (c(K.IMAGING_WITHIN_MONTHS), "Imaging (MRI, CT or X-ray) on record"),
        (c(K.SPECIALIST_VISIT), "A visit with a spine specialist, surgeon or pain doctor"),
        (
            c(K.SPECIALIST_VISIT, include_primary_care=True, within_months=3),
            "A follow-up exam by a doctor in the last 3 months",
        ),
        (c(K.SYMPTOM_DURATION, weeks=1), "Pain for at least 1 week"),
        (
            c(
                K.INJECTION_RELIEF,
                treatments=(TreatmentKind.FACET_MEDIAL_BRANCH_BLOCK,),
                count=2,
                percent=80,
            ),
            "2 medial branch blocks with at least 80% relief each",
        ),
        (c(K.PAIN_SCORE_MIN, score=7), "Average pain of 7 or more (0–10)"),
        (c(K.PAIN_SCORE_MIN, score=0), "Pain scores recorded (0–10)"),
        (c(K.ODI_MIN, score=21), "Oswestry Disability Index (ODI) of 21% or more"),
        (c(K.PSYCH_EVALUATION), "A psychological evaluation or clearance"),
        (
            c(K.NICOTINE_TEST, weeks=8),
            "Nicotine-free, confirmed by a lab test (cotinine) from the last 8 weeks",
        ),
        (c(K.AGE_RANGE, min_age=18, max_age=60), "Age 18 to 60"),
        (c(K.AGE_RANGE, max_age=60), "Age 60 or younger"),
    ],
)
def test_labels_are_worded_from_the_numbers(criterion: Criterion, label: str) -> None:
    assert criterion_label(criterion) == label


# --- editable numbers -----------------------------------------------------------------------------


def test_the_numbers_a_user_may_change() -> None:
    criterion = c(K.CONSERVATIVE_CARE_WEEKS, weeks=6, within_months=3)
    fields = {f.name: f for f in editable_numbers(criterion)}
    assert list(fields) == ["weeks", "within_months", "count"]
    assert fields["weeks"].none_text is None  # needed
    assert fields["within_months"].none_text == "any time"
    assert (fields["weeks"].minimum, fields["weeks"].maximum) == (1, 520)
    pain = editable_numbers(c(K.PAIN_SCORE_MIN, score=7))
    assert [(f.name, f.minimum, f.maximum) for f in pain] == [("score", 0, 10)]


def test_changing_numbers_checks_them() -> None:
    criterion = c(K.CONSERVATIVE_CARE_WEEKS, weeks=6, within_months=3)
    changed = with_numbers(criterion, {"weeks": 8, "within_months": None})
    assert (changed.weeks, changed.within_months) == (8, None)
    with pytest.raises(CriteriaError) as caught:
        with_numbers(criterion, {"weeks": None})
    assert caught.value.problems == ["Weeks: please give a number."]
    with pytest.raises(CriteriaError) as caught:
        with_numbers(criterion, {"weeks": 0})
    assert caught.value.problems == ["Weeks: use a number from 1 to 520."]
    age = c(K.AGE_RANGE, min_age=18, max_age=60)
    with pytest.raises(CriteriaError) as caught:
        with_numbers(age, {"min_age": 70})
    assert "youngest age is above the oldest" in caught.value.problems[0]


def test_a_parsed_copy_is_not_changed_by_editing() -> None:
    data = shipped_data()
    before = copy.deepcopy(data)
    parse_criteria(data)
    assert data == before
