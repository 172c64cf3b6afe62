"""The treatment log's services: check-ins, medications, treatments, courses, ODI, visit limits.

Every change is validated (nothing half-written), announced once, and can be undone by restoring
the record that delete returned.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from backlog_app.domain.log_records import (
    BodySite,
    CheckInData,
    DoseTaken,
    LegSymptom,
    MedicationData,
    MedicationOutcome,
    OdiScoreData,
    Side,
    SleepQuality,
    TherapyCourseData,
    TreatmentData,
    TreatmentKind,
    VisitLimitData,
    WorkStatus,
)
from backlog_app.domain.records import PatientData, PlanData, PlanType
from backlog_app.errors import Cancelled, UserError, ValidationError
from backlog_app.services.changes import Change
from backlog_app.services.context import ProfileSession
from backlog_app.services.log import DuplicateCheckInError, treatment_history
from backlog_app.services.progress import Progress
from backlog_app.storage.models import CheckInDose

D = dt.date
NAPROXEN = MedicationData(
    "Naproxen",
    D(2026, 10, 1),
    strength="500 mg",
    frequency="twice a day",
    stop_date=D(2026, 11, 12),
    outcome=MedicationOutcome.NO_EFFECT,
)
GABAPENTIN = MedicationData("Gabapentin", D(2026, 11, 13), strength="300 mg")


@pytest.fixture
def announced(profile: ProfileSession) -> list[frozenset[Change]]:
    """Every announcement the profile's ChangeBus makes during the test."""
    seen: list[frozenset[Change]] = []
    profile.changes.subscribe(seen.append)
    return seen


@pytest.fixture
def meds(profile: ProfileSession) -> tuple[int, int]:
    """Ids of naproxen and gabapentin, added before the test listens for announcements."""
    return profile.log.medications.add(NAPROXEN), profile.log.medications.add(GABAPENTIN)


def full_check_in(day: dt.date, doses: tuple[DoseTaken, ...] = ()) -> CheckInData:
    return CheckInData(
        day=day,
        pain_now=6,
        pain_average=5,
        pain_worst=8,
        pain_sites=frozenset({BodySite.LOWER_BACK, BodySite.THIGH_LEFT}),
        leg_symptoms=frozenset({LegSymptom.TINGLING}),
        peg_enjoyment=4,
        peg_activity=6,
        sleep_hours=6.5,
        sleep_quality=SleepQuality.FAIR,
        walk_minutes=20,
        sit_minutes=40,
        stand_minutes=15,
        work_status=WorkStatus.MODIFIED_DUTY,
        notes="  Sore after the drive.  ",
        doses=doses,
    )


def dose_rows(profile: ProfileSession) -> int:
    with profile.database.read() as session:
        return session.scalar(select(func.count()).select_from(CheckInDose)) or 0


# --- Check-ins ---------------------------------------------------------------------------------


def test_check_in_save_get_for_day_latest_before(
    profile: ProfileSession, meds: tuple[int, int], announced: list[frozenset[Change]]
) -> None:
    naproxen, _ = meds
    data = full_check_in(D(2026, 11, 10), (DoseTaken(naproxen, 2, 10),))
    check_in_id = profile.log.check_ins.save(data)

    stored = profile.log.check_ins.get(check_in_id)
    assert stored.id == check_in_id
    assert stored.data == dataclasses.replace(data, notes="Sore after the drive.")  # trimmed
    assert profile.log.check_ins.for_day(D(2026, 11, 10)) == stored
    assert profile.log.check_ins.for_day(D(2026, 11, 11)) is None
    assert profile.log.check_ins.latest_before(D(2026, 11, 11)) == stored
    assert profile.log.check_ins.latest_before(D(2026, 11, 10)) is None
    assert profile.log.check_ins.count() == 1
    assert announced == [frozenset({Change.CHECK_INS})]


def test_latest_before_picks_the_most_recent_day(profile: ProfileSession) -> None:
    for day in (D(2026, 11, 1), D(2026, 11, 20), D(2026, 11, 5)):
        profile.log.check_ins.save(CheckInData(day, pain_now=3))
    latest = profile.log.check_ins.latest_before(D(2026, 11, 19))
    assert latest is not None and latest.data.day == D(2026, 11, 5)


def test_not_recorded_is_not_zero(profile: ProfileSession) -> None:
    blank_id = profile.log.check_ins.save(CheckInData(D(2026, 11, 1)))
    zero_id = profile.log.check_ins.save(CheckInData(D(2026, 11, 2), pain_now=0, pain_average=0))
    blank, zero = profile.log.check_ins.get(blank_id), profile.log.check_ins.get(zero_id)
    assert (blank.data.pain_now, blank.data.pain_average) == (None, None)
    assert (zero.data.pain_now, zero.data.pain_average) == (0, 0)


def test_a_second_check_in_for_a_day_is_refused(
    profile: ProfileSession, meds: tuple[int, int], announced: list[frozenset[Change]]
) -> None:
    first = profile.log.check_ins.save(CheckInData(D(2026, 11, 10), pain_now=5))
    announced.clear()
    with pytest.raises(DuplicateCheckInError) as info:
        profile.log.check_ins.save(
            CheckInData(D(2026, 11, 10), pain_now=7, doses=(DoseTaken(meds[0]),))
        )
    assert info.value.existing_id == first
    assert info.value.day == D(2026, 11, 10)
    assert "10 Nov 2026" in info.value.message
    assert profile.log.check_ins.count() == 1
    assert profile.log.check_ins.get(first).data.pain_now == 5
    assert dose_rows(profile) == 0
    assert announced == []


def test_moving_a_check_in_onto_another_day_is_refused(profile: ProfileSession) -> None:
    first = profile.log.check_ins.save(CheckInData(D(2026, 11, 10), pain_now=5))
    second = profile.log.check_ins.save(CheckInData(D(2026, 11, 11), pain_now=6))
    with pytest.raises(DuplicateCheckInError) as info:
        profile.log.check_ins.save(CheckInData(D(2026, 11, 10), pain_now=6), second)
    assert info.value.existing_id == first
    assert profile.log.check_ins.get(second).data.day == D(2026, 11, 11)


def test_editing_keeps_one_row_and_replaces_the_doses(
    profile: ProfileSession, meds: tuple[int, int], announced: list[frozenset[Change]]
) -> None:
    naproxen, gabapentin = meds
    day = D(2026, 11, 12)
    check_in_id = profile.log.check_ins.save(full_check_in(day, (DoseTaken(naproxen, 2),)))
    edited = dataclasses.replace(
        full_check_in(day, (DoseTaken(gabapentin, 3, 30),)), pain_now=None, notes=None
    )
    assert profile.log.check_ins.save(edited, check_in_id) == check_in_id

    assert profile.log.check_ins.count() == 1
    assert profile.log.check_ins.get(check_in_id).data == edited
    assert dose_rows(profile) == 1
    assert announced == [frozenset({Change.CHECK_INS})] * 2


def test_editing_a_deleted_check_in_is_a_plain_error(profile: ProfileSession) -> None:
    check_in_id = profile.log.check_ins.save(CheckInData(D(2026, 11, 10)))
    profile.log.check_ins.delete(check_in_id)
    with pytest.raises(UserError, match="no longer exists"):
        profile.log.check_ins.save(CheckInData(D(2026, 11, 10)), check_in_id)
    with pytest.raises(UserError, match="no longer exists"):
        profile.log.check_ins.get(check_in_id)
    assert profile.log.check_ins.count() == 0


def test_a_deleted_medication_on_a_check_in_is_refused(profile: ProfileSession) -> None:
    unused = profile.log.medications.add(NAPROXEN)
    profile.log.medications.delete(unused)
    with pytest.raises(UserError, match="was deleted"):
        profile.log.check_ins.save(CheckInData(D(2026, 11, 10), doses=(DoseTaken(unused),)))
    assert profile.log.check_ins.count() == 0
    assert dose_rows(profile) == 0


def test_delete_and_restore_give_back_the_same_check_in(
    profile: ProfileSession, meds: tuple[int, int], announced: list[frozenset[Change]]
) -> None:
    check_in_id = profile.log.check_ins.save(
        full_check_in(D(2026, 11, 10), (DoseTaken(meds[0], 2, 10), DoseTaken(meds[1])))
    )
    before = profile.log.check_ins.get(check_in_id)
    deleted = profile.log.check_ins.delete(check_in_id)
    assert deleted == before
    assert profile.log.check_ins.count() == 0
    assert dose_rows(profile) == 0  # the doses went with it

    profile.log.check_ins.restore(deleted)
    assert profile.log.check_ins.get(check_in_id) == before  # same id, data and timestamps
    assert dose_rows(profile) == 2
    assert announced == [frozenset({Change.CHECK_INS})] * 3


def test_daily_scores_between_two_days(profile: ProfileSession) -> None:
    for day, pain in ((D(2026, 11, 3), 4), (D(2026, 11, 1), 6), (D(2026, 11, 2), None)):
        profile.log.check_ins.save(CheckInData(day, pain_now=pain, peg_activity=2))
    scores = profile.log.check_ins.daily_scores()
    assert [(s.day, s.pain_now, s.peg_activity) for s in scores] == [
        (D(2026, 11, 1), 6, 2),
        (D(2026, 11, 2), None, 2),
        (D(2026, 11, 3), 4, 2),
    ]
    assert [s.day for s in profile.log.check_ins.daily_scores(D(2026, 11, 2))] == [
        D(2026, 11, 2),
        D(2026, 11, 3),
    ]
    assert [s.day for s in profile.log.check_ins.daily_scores(None, D(2026, 11, 1))] == [
        D(2026, 11, 1)
    ]


# --- Validation: nothing is written ------------------------------------------------------------

BIRTH = D(1974, 7, 27)


@pytest.fixture
def patient(profile: ProfileSession) -> None:
    profile.patient.save(PatientData("Maria Alvarez", BIRTH))


def _save_check_in(data: CheckInData) -> Callable[[ProfileSession], object]:
    return lambda profile: profile.log.check_ins.save(data)


def _add_medication(data: MedicationData) -> Callable[[ProfileSession], object]:
    return lambda profile: profile.log.medications.add(data)


def _add_treatment(data: TreatmentData) -> Callable[[ProfileSession], object]:
    return lambda profile: profile.log.treatments.add(data)


def _add_course(data: TherapyCourseData) -> Callable[[ProfileSession], object]:
    return lambda profile: profile.log.courses.add(data)


def _add_odi(data: OdiScoreData) -> Callable[[ProfileSession], object]:
    return lambda profile: profile.log.odi_scores.add(data)


@pytest.mark.parametrize(
    ("write", "message"),
    [
        (_save_check_in(CheckInData(D(2026, 11, 10), pain_now=11)), "Pain now must be between 0 and 10 (it is 11)"),
        (_save_check_in(CheckInData(D(2026, 11, 10), peg_activity=-1)), "general activity must be between 0 and 10"),
        (_save_check_in(CheckInData(D(2099, 1, 1), pain_now=5)), "is in the future"),
        (_save_check_in(CheckInData(D(2026, 11, 28), pain_now=5)), "is in the future"),  # tomorrow
        (_save_check_in(CheckInData(D(1974, 7, 26), pain_now=5)), "before the patient was born"),
        (_save_check_in(CheckInData(D(2026, 11, 10), sleep_hours=25)), "Hours of sleep"),
        (_add_medication(dataclasses.replace(NAPROXEN, stop_date=D(2026, 9, 30))), "stop date is before the start date"),
        (_add_medication(dataclasses.replace(NAPROXEN, start_date=None)), "when you started"),
        (_add_medication(dataclasses.replace(NAPROXEN, name="  ")), "medication's name"),
        (_add_medication(dataclasses.replace(NAPROXEN, start_date=D(2099, 1, 1), stop_date=None)), "in the future"),
        (_add_treatment(TreatmentData(TreatmentKind.EPIDURAL_STEROID_INJECTION, D(2026, 11, 1), relief_percent=140)), "Relief (%)"),
        (_add_treatment(TreatmentData(TreatmentKind.MRI, D(1970, 1, 1))), "before the patient was born"),
        (_add_course(TherapyCourseData(TreatmentKind.PHYSICAL_THERAPY, D(2026, 3, 1), D(2026, 2, 1))), "ends before it starts"),
        (_add_odi(OdiScoreData(D(2026, 11, 1))), "Enter the ODI total"),
        (_add_odi(OdiScoreData(D(2026, 11, 1), 50.0, (5,) * 10)), "the total says 50%"),
        (_add_odi(OdiScoreData(D(2026, 11, 1), None, (6,) + (0,) * 9)), "ODI section 1"),
    ],
)  # fmt: skip
def test_broken_rules_write_nothing(
    profile: ProfileSession,
    patient: None,
    announced: list[frozenset[Change]],
    write: Callable[[ProfileSession], object],
    message: str,
) -> None:
    announced.clear()
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        write(profile)
    assert announced == []
    log = profile.log
    counts = (log.check_ins, log.medications, log.treatments, log.courses, log.odi_scores)
    assert [service.count() for service in counts] == [0] * 5


# --- Medications, treatments, courses, ODI, visit limits ---------------------------------------


def test_medications_active_on_a_day(profile: ProfileSession, meds: tuple[int, int]) -> None:
    def active(day: dt.date) -> list[str]:
        return [m.data.name for m in profile.log.medications.active_on(day)]

    assert active(D(2026, 9, 30)) == []
    assert active(D(2026, 10, 1)) == ["Naproxen"]
    assert active(D(2026, 11, 12)) == ["Naproxen"]  # the stop day is still a day taken
    assert active(D(2026, 11, 13)) == ["Gabapentin"]


def test_a_medication_on_a_check_in_cannot_be_deleted(
    profile: ProfileSession, meds: tuple[int, int], announced: list[frozenset[Change]]
) -> None:
    naproxen, _ = meds
    profile.log.check_ins.save(CheckInData(D(2026, 11, 10), doses=(DoseTaken(naproxen),)))
    profile.log.check_ins.save(CheckInData(D(2026, 11, 11), doses=(DoseTaken(naproxen),)))
    announced.clear()
    with pytest.raises(UserError, match="recorded on 2 check-in day"):
        profile.log.medications.delete(naproxen)
    assert profile.log.medications.get(naproxen).data == NAPROXEN
    assert announced == []


@pytest.mark.parametrize(
    ("service_name", "data", "change"),
    [
        ("medications", NAPROXEN, Change.MEDICATIONS),
        (
            "treatments",
            TreatmentData(
                TreatmentKind.EPIDURAL_STEROID_INJECTION,
                D(2026, 3, 22),
                level="L4-L5",
                side=Side.LEFT,
                relief_percent=40,
                relief_days=21,
                notes="Transforaminal.",
            ),
            Change.TREATMENTS,
        ),
        (
            "courses",
            TherapyCourseData(
                TreatmentKind.PHYSICAL_THERAPY, D(2026, 2, 3), D(2026, 3, 31), planned_visits=16
            ),
            Change.COURSES,
        ),
        ("odi_scores", OdiScoreData(D(2026, 10, 20), 38.0), Change.ODI_SCORES),
    ],
)
def test_add_update_delete_restore(
    profile: ProfileSession,
    announced: list[frozenset[Change]],
    service_name: str,
    data: object,
    change: Change,
) -> None:
    service = getattr(profile.log, service_name)
    record_id = service.add(data)
    stored = service.get(record_id)
    assert stored.data == data
    assert service.list() == [stored]

    changed = dataclasses.replace(data, notes="Changed.")  # type: ignore[type-var]
    service.update(record_id, changed)
    assert service.get(record_id).data == changed

    before = service.get(record_id)
    assert service.delete(record_id) == before
    assert service.count() == 0
    service.restore(before)
    assert service.get(record_id) == before
    assert announced == [frozenset({change})] * 4


def test_odi_total_is_computed_from_the_sections(profile: ProfileSession) -> None:
    sections = (3, 1, 2, 2, 3, 2, 1, 2, 1, 2)  # 19 of 50
    odi_id = profile.log.odi_scores.add(OdiScoreData(D(2026, 10, 20), None, sections))
    stored = profile.log.odi_scores.get(odi_id).data
    assert (stored.total_percent, stored.sections) == (38.0, sections)
    # Sections left blank count neither way: 18 of 45 answered points is 40%.
    partial = (3, 1, 2, 2, 3, 2, 1, 2, 2, None)
    odi_id = profile.log.odi_scores.add(OdiScoreData(D(2026, 10, 21), None, partial))
    assert profile.log.odi_scores.get(odi_id).data.total_percent == 40.0


def test_visit_limit_per_plan_and_kind(profile: ProfileSession) -> None:
    plan_id = profile.plans.add(PlanData("Buckeye Mutual Health", PlanType.EMPLOYER_PPO))
    limit = VisitLimitData(plan_id, TreatmentKind.CHIROPRACTIC, 20)
    limit_id = profile.log.visit_limits.add(limit)
    assert profile.log.visit_limits.get(limit_id).data == limit
    with pytest.raises(ValidationError, match="Visits per year"):
        profile.log.visit_limits.add(dataclasses.replace(limit, visits_per_year=400))
    assert profile.log.visit_limits.count() == 1


def test_treatment_history_matches_the_records(profile: ProfileSession) -> None:
    course_id = profile.log.courses.add(
        TherapyCourseData(TreatmentKind.PHYSICAL_THERAPY, D(2026, 2, 3))
    )
    added = [
        TreatmentData(TreatmentKind.PHYSICAL_THERAPY, D(2026, 2, 5), course_id=course_id),
        TreatmentData(TreatmentKind.MRI, D(2026, 1, 31), facility="Columbus Open MRI"),
        TreatmentData(
            TreatmentKind.EPIDURAL_STEROID_INJECTION, D(2026, 3, 22), side=Side.LEFT, level="L4-L5"
        ),
        TreatmentData(TreatmentKind.PHYSICAL_THERAPY, D(2026, 2, 3), course_id=course_id),
    ]
    for treatment in added:
        profile.log.treatments.add(treatment)
    assert treatment_history(profile.database) == [t.data for t in profile.log.treatments.list()]
    assert [t.day for t in treatment_history(profile.database, TreatmentKind.PHYSICAL_THERAPY)] == [
        D(2026, 2, 3),
        D(2026, 2, 5),
    ]
    assert treatment_history(profile.database, TreatmentKind.CHIROPRACTIC) == []


# --- Many check-ins at once (CSV import, the demo) ---------------------------------------------


def test_add_many_in_one_go(
    profile: ProfileSession, meds: tuple[int, int], announced: list[frozenset[Change]]
) -> None:
    days = [D(2026, 11, 3), D(2026, 11, 1), D(2026, 11, 2)]
    batch = [full_check_in(day, (DoseTaken(meds[0], 2),)) for day in days]
    new_ids = profile.log.check_ins.add_many(batch)
    assert [profile.log.check_ins.get(i).data.day for i in new_ids] == days  # ids in order
    assert profile.log.check_ins.get(new_ids[0]).data == dataclasses.replace(
        batch[0], notes="Sore after the drive."
    )
    assert dose_rows(profile) == 3
    assert announced == [frozenset({Change.CHECK_INS})]


def test_add_many_of_nothing(profile: ProfileSession, announced: list[frozenset[Change]]) -> None:
    assert profile.log.check_ins.add_many([]) == []
    assert announced == []


@pytest.mark.parametrize(
    ("batch", "error", "message"),
    [
        ([CheckInData(D(2026, 11, 1), pain_now=3), CheckInData(D(2026, 11, 2), pain_now=12)], ValidationError, "2 Nov 2026: Pain now must be between 0 and 10"),
        ([CheckInData(D(2026, 11, 1)), CheckInData(D(2026, 12, 25))], ValidationError, "25 Dec 2026: The check-in date"),
        ([CheckInData(D(2026, 11, 1)), CheckInData(D(2026, 11, 1))], UserError, "1 Nov 2026 appears twice"),
        ([CheckInData(D(2026, 11, 2)), CheckInData(D(2026, 11, 5))], DuplicateCheckInError, "already a check-in for 5 Nov 2026"),
        ([CheckInData(D(2026, 11, 1), doses=(DoseTaken(9999),))], UserError, "was deleted"),
    ],
)  # fmt: skip
def test_add_many_writes_nothing_when_one_is_wrong(
    profile: ProfileSession,
    announced: list[frozenset[Change]],
    batch: list[CheckInData],
    error: type[Exception],
    message: str,
) -> None:
    profile.log.check_ins.save(CheckInData(D(2026, 11, 5), pain_now=4))
    announced.clear()
    with pytest.raises(error, match=message):
        profile.log.check_ins.add_many(batch)
    assert profile.log.check_ins.count() == 1
    assert announced == []


def test_add_many_lists_at_most_ten_problems(profile: ProfileSession) -> None:
    batch = [CheckInData(D(2026, 10, day), pain_now=11) for day in range(1, 16)]
    with pytest.raises(ValidationError) as info:
        profile.log.check_ins.add_many(batch)
    assert len(info.value.problems) == 11
    assert info.value.problems[-1] == "… and 5 more."


def test_add_many_names_the_existing_day(profile: ProfileSession) -> None:
    existing = profile.log.check_ins.save(CheckInData(D(2026, 11, 5), pain_now=4))
    with pytest.raises(DuplicateCheckInError) as info:
        profile.log.check_ins.add_many([CheckInData(D(2026, 11, 4)), CheckInData(D(2026, 11, 5))])
    assert info.value.existing_id == existing


def test_cancelled_add_many_writes_nothing(
    profile: ProfileSession, meds: tuple[int, int], announced: list[frozenset[Change]]
) -> None:
    class CancelWhileSaving(Progress):
        def report(self, done: int, total: int, label: str = "") -> None:
            if done == total:
                self.cancel()  # the user presses Cancel just before the commit
            super().report(done, total, label)

    batch = [CheckInData(D(2026, 11, day), doses=(DoseTaken(meds[0]),)) for day in (1, 2)]
    with pytest.raises(Cancelled):
        profile.log.check_ins.add_many(batch, CancelWhileSaving())
    assert profile.log.check_ins.count() == 0
    assert dose_rows(profile) == 0
    assert announced == []


def test_undoing_a_course_delete_links_its_sessions_again(demo_profile: ProfileSession) -> None:
    log = demo_profile.log
    course = log.courses.list()[0]
    sessions = [t.id for t in log.treatments.list() if t.data.course_id == course.id]
    assert sessions
    stored = log.courses.delete(course.id)
    assert all(log.treatments.get(i).data.course_id is None for i in sessions)
    log.courses.restore(stored)
    assert all(log.treatments.get(i).data.course_id == course.id for i in sessions)


def test_a_second_visit_limit_of_the_same_kind_is_refused_in_plain_words(
    demo_profile: ProfileSession,
) -> None:
    existing = demo_profile.log.visit_limits.list()[0].data
    before = demo_profile.log.visit_limits.count()
    with pytest.raises(UserError, match="already has a limit for that kind"):
        demo_profile.log.visit_limits.add(existing)
    assert demo_profile.log.visit_limits.count() == before
