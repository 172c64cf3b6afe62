"""The demo patient's treatment log: about 14 months of care, dated back from the profile's clock.

Maria's story, as an insurer's reviewer would read it: a flare-up lifting a box at school; naproxen
(no effect) and cyclobenzaprine (too drowsy), then gabapentin (helps partly, still taking); a lumbar
X-ray; 8 weeks of physical therapy; an MRI showing a left L4-L5 disc extrusion; a spine specialist;
chiropractic, capped by her plan at 20 visits a year; a left L4-L5 epidural steroid injection with
40% relief for three weeks; and, after more than a year, a talk about surgery. Her daily check-ins
follow it with slowly varying pain, and a few days missing, as in any real diary.

Everything goes through the services, so the same rules apply as to typed-in records. The
check-ins are random but repeatable (one fixed seed), so every demo profile tells the same story.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from backlog_app.domain.log_records import (
    BodySite,
    CheckInData,
    DoseTaken,
    LegSymptom,
    MedicationData,
    MedicationOutcome,
    OdiScoreData,
    Route,
    Side,
    SleepQuality,
    TherapyCourseData,
    TreatmentData,
    TreatmentKind,
    VisitLimitData,
    WorkStatus,
)
from backlog_app.services.context import ProfileSession
from backlog_app.services.progress import Progress

# The flare-up happened this many days before the demo is made (about 14 months).
HISTORY_DAYS = 425
CHIROPRACTIC_VISITS_PER_YEAR = 20
_SEED = 4  # a fixed seed (chosen for a diary whose months follow the story): the same every time

# Days after the flare-up on which the story's events happen.
_FIRST_VISIT = 2
_XRAY = 9
_CYCLOBENZAPRINE_STOP = 19
_NAPROXEN_STOP = 44
_GABAPENTIN_START = 45
_PT_START = 49
# Twice a week, tapering to once at the end: 16 visits from evaluation to discharge, 8 weeks.
_PT_SESSIONS = (0, 3, 7, 10, 14, 17, 21, 24, 28, 31, 35, 38, 42, 45, 49, 56)
_MRI = 125
_SPINE_FIRST = 140
_CHIROPRACTIC = tuple(150 + 16 * n for n in range(12))
_PAIN_FIRST = 160
_INJECTION = 175
_RELIEF_DAYS = 21
_PAIN_FOLLOW_UP = 205
_PRIMARY_LATER = 300
_SPINE_LATER = 390

_DayOf = Callable[[int], dt.date]  # the date so many days after the flare-up


@dataclass(frozen=True, slots=True)
class _People:
    """Ids of the demo providers and plan that the log refers to."""

    primary_care: int
    spine_surgeon: int
    pain_management: int
    physical_therapist: int
    chiropractor: int
    radiologist: int
    primary_plan: int


def add_demo_history(profile: ProfileSession, progress: Progress) -> None:
    """Add the demo's treatment log to ``profile``, which already holds the demo's directory."""
    today = profile.clock()
    flare_up = today - dt.timedelta(days=HISTORY_DAYS)

    def day(offset: int) -> dt.date:
        return flare_up + dt.timedelta(days=offset)

    people = _people(profile)
    log = profile.log
    log.visit_limits.add(
        VisitLimitData(
            people.primary_plan, TreatmentKind.CHIROPRACTIC, CHIROPRACTIC_VISITS_PER_YEAR
        )
    )
    medications = {
        medication.name: log.medications.add(medication) for medication in _medications(day, people)
    }
    progress.check_cancelled()
    course_id = log.courses.add(
        TherapyCourseData(
            TreatmentKind.PHYSICAL_THERAPY,
            start_date=day(_PT_START),
            end_date=day(_PT_START + _PT_SESSIONS[-1]),
            provider_id=people.physical_therapist,
            planned_visits=len(_PT_SESSIONS),
            discharge_outcome=(
                "Walking tolerance up from 10 to 25 minutes and core strength improved; left leg "
                "pain and numbness unchanged. Goals partly met; continue the home program."
            ),
        )
    )
    for treatment in _treatments(day, people, course_id):
        log.treatments.add(treatment)
    log.odi_scores.add(
        OdiScoreData(day(_SPINE_FIRST), 44.0, notes="Measured at Midwest Spine Institute.")
    )
    # Entered from the clinic's sheet section by section: 19 of 50 points, 38%.
    log.odi_scores.add(
        OdiScoreData(
            day(_SPINE_LATER), None, (3, 1, 2, 2, 3, 2, 1, 2, 1, 2), "From the clinic's sheet."
        )
    )
    progress.check_cancelled()
    log.check_ins.add_many(_check_ins(flare_up, today, medications), progress)


def _people(profile: ProfileSession) -> _People:
    by_name = {stored.data.name: stored.id for stored in profile.providers.list()}
    primary_plan = min(profile.plans.list(), key=lambda stored: stored.data.priority)
    return _People(
        primary_care=by_name["Dr. Karen Whitfield"],
        spine_surgeon=by_name["Dr. Samuel Okafor"],
        pain_management=by_name["Dr. Priya Raman"],
        physical_therapist=by_name["Jenna Brooks, DPT"],
        chiropractor=by_name["Dr. Alan Reyes, DC"],
        radiologist=by_name["Dr. Helen Marsh"],
        primary_plan=primary_plan.id,
    )


def _medications(day: _DayOf, people: _People) -> list[MedicationData]:
    oral, doctor = Route.ORAL, people.primary_care
    return [
        MedicationData(
            "Acetaminophen",
            day(0),
            strength="500 mg",
            dose="2 tablets",
            frequency="up to three times a day",
            route=oral,
            as_needed=True,
            purpose="Pain on bad days",
            outcome=MedicationOutcome.PARTIAL,
            notes="Over the counter.",
        ),
        MedicationData(
            "Naproxen",
            day(_FIRST_VISIT),
            strength="500 mg",
            dose="1 tablet",
            frequency="twice a day",
            route=oral,
            prescriber_id=doctor,
            purpose="Back and leg pain (anti-inflammatory)",
            stop_date=day(_NAPROXEN_STOP),
            outcome=MedicationOutcome.NO_EFFECT,
            reason_stopped="No improvement after 6 weeks, and an upset stomach.",
        ),
        MedicationData(
            "Cyclobenzaprine",
            day(_FIRST_VISIT),
            strength="10 mg",
            dose="1 tablet",
            frequency="at bedtime",
            route=oral,
            prescriber_id=doctor,
            purpose="Muscle spasm",
            stop_date=day(_CYCLOBENZAPRINE_STOP),
            outcome=MedicationOutcome.SIDE_EFFECTS,
            side_effects="Drowsy and dizzy until noon the next day.",
            reason_stopped="Too drowsy to drive to work safely.",
        ),
        MedicationData(
            "Gabapentin",
            day(_GABAPENTIN_START),
            strength="300 mg",
            dose="1 capsule",
            frequency="three times a day",
            route=oral,
            prescriber_id=doctor,
            purpose="Nerve pain down the left leg",
            outcome=MedicationOutcome.PARTIAL,
            side_effects="Mild fogginess in the first two weeks.",
        ),
    ]


def _treatments(day: _DayOf, people: _People, pt_course: int) -> list[TreatmentData]:
    kind = TreatmentKind
    visits = [
        TreatmentData(
            kind.PRIMARY_CARE_VISIT,
            day(_FIRST_VISIT),
            people.primary_care,
            result="Acute low back pain with left sciatica after lifting. Naproxen and "
            "cyclobenzaprine; home exercises; recheck in 6 weeks.",
        ),
        TreatmentData(
            kind.HOME_EXERCISE,
            day(_FIRST_VISIT),
            people.primary_care,
            notes="McKenzie extension exercises, twice a day (handout).",
        ),
        TreatmentData(
            kind.XRAY,
            day(_XRAY),
            facility="Clintonville Family Practice",
            result="Lumbar spine, 3 views: mild loss of disc height at L4-L5. No fracture, "
            "no spondylolisthesis.",
        ),
        TreatmentData(
            kind.PRIMARY_CARE_VISIT,
            day(_GABAPENTIN_START),
            people.primary_care,
            result="No better after 6 weeks of naproxen; cyclobenzaprine stopped for "
            "drowsiness. Gabapentin started; referred to physical therapy.",
        ),
        *(
            TreatmentData(
                kind.PHYSICAL_THERAPY,
                day(_PT_START + offset),
                people.physical_therapist,
                course_id=pt_course,
                notes="Evaluation." if offset == 0 else None,
            )
            for offset in _PT_SESSIONS
        ),
        TreatmentData(
            kind.PRIMARY_CARE_VISIT,
            day(_PT_START + _PT_SESSIONS[-1] + 10),
            people.primary_care,
            result="Finished 8 weeks of physical therapy without lasting relief. Lumbar MRI "
            "ordered; referred to a spine specialist.",
        ),
        TreatmentData(
            kind.MRI,
            day(_MRI),
            people.radiologist,
            facility="Columbus Open MRI",
            result="Lumbar MRI without contrast: left paracentral disc extrusion at L4-L5 "
            "contacting the traversing left L5 nerve root, with mild narrowing of the left "
            "lateral recess. Mild facet arthropathy at L4-L5 and L5-S1. No fracture; conus normal.",
        ),
        TreatmentData(
            kind.SPINE_SPECIALIST_VISIT,
            day(_SPINE_FIRST),
            people.spine_surgeon,
            result="MRI matches a left L5 radiculopathy. No urgent need for surgery: epidural "
            "steroid injection, continue gabapentin, chiropractic is reasonable.",
        ),
        *(
            TreatmentData(
                kind.CHIROPRACTIC,
                day(offset),
                people.chiropractor,
                result="Adjustment and soft-tissue work; looser for a day or two.",
            )
            for offset in _CHIROPRACTIC
        ),
        TreatmentData(
            kind.PAIN_MANAGEMENT_VISIT,
            day(_PAIN_FIRST),
            people.pain_management,
            result="Left L4-L5 transforaminal epidural steroid injection planned. Baseline "
            "pain 7/10.",
        ),
        TreatmentData(
            kind.EPIDURAL_STEROID_INJECTION,
            day(_INJECTION),
            people.pain_management,
            level="L4-L5",
            side=Side.LEFT,
            relief_percent=40,
            relief_days=_RELIEF_DAYS,
            facility="Northside Surgery Center",
            result="Leg pain eased by about 40% for three weeks, then came back.",
            notes="Transforaminal approach under fluoroscopy.",
        ),
        TreatmentData(
            kind.PAIN_MANAGEMENT_VISIT,
            day(_PAIN_FOLLOW_UP),
            people.pain_management,
            result="40% relief for 3 weeks: less than the 50% a repeat injection needs. "
            "Back to the spine specialist to discuss options.",
        ),
        TreatmentData(
            kind.PRIMARY_CARE_VISIT,
            day(_PRIMARY_LATER),
            people.primary_care,
            result="Back and left leg pain unchanged on gabapentin; walking limited to about "
            "20 minutes.",
        ),
        TreatmentData(
            kind.SPINE_SPECIALIST_VISIT,
            day(_SPINE_LATER),
            people.spine_surgeon,
            result="Left L5 radiculopathy persists after more than a year of conservative care "
            "(medications, physical therapy, chiropractic, an epidural injection). Discussed "
            "a left L4-L5 microdiscectomy; the office will request prior authorization.",
        ),
    ]
    return sorted(visits, key=lambda treatment: treatment.day)


# --- The daily diary ----------------------------------------------------------------------------

_NOTES = {
    0: "Bent to lift a box of books at school: sharp pain from my back down the left leg.",
    1: "Could hardly get out of bed.",
    _FIRST_VISIT: "Saw Dr. Whitfield. Started naproxen and a muscle relaxant.",
    12: "Muscle relaxant makes me too groggy to drive in the morning.",
    _PT_START: "First physical therapy visit.",
    _INJECTION: "Epidural injection this morning. Resting at home.",
    _INJECTION + 6: "Leg pain much better since the injection.",
    _INJECTION + _RELIEF_DAYS + 3: "Leg pain is back to where it was.",
    260: "Could not sit through the staff meeting.",
    330: "Left foot numb after the drive to my sister's.",
}


def _pain_trend(offset: int) -> float:
    """The diary's underlying average pain on a day after the flare-up, before daily noise."""
    if offset < 14:  # the acute flare-up settles a little
        return 8.4 - offset * 0.06
    if offset < _PT_START:  # naproxen does not help
        return 7.5
    if offset < _PT_START + 60:  # PT and gabapentin take the edge off
        return 7.5 - (offset - _PT_START) * 0.01
    if offset <= _INJECTION:  # drifting back up after PT
        return 6.9 + (offset - _PT_START - 60) * 0.002
    if offset <= _INJECTION + _RELIEF_DAYS:  # 40% relief for three weeks
        return 4.3
    if offset <= _INJECTION + _RELIEF_DAYS + 7:  # the relief wears off over a week
        return 4.3 + (offset - _INJECTION - _RELIEF_DAYS) * 0.38
    # Gabapentin and chiropractic help a little, slowly.
    return 7.0 - (offset - _INJECTION - _RELIEF_DAYS - 7) * 0.0035


def _check_ins(flare_up: dt.date, today: dt.date, medications: dict[str, int]) -> list[CheckInData]:
    rng = random.Random(_SEED)
    noise = 0.0
    check_ins = []
    for offset in range((today - flare_up).days + 1):
        # Mean-reverting noise: pain drifts from day to day instead of jumping.
        noise = 0.75 * noise + rng.gauss(0, 0.45)
        flare = 1.5 if rng.random() < 0.04 else 0.0
        forgot = rng.random() < 0.08 or 88 <= offset <= 93  # and a week away over the holidays
        if forgot and offset not in _NOTES:
            continue
        average = _clamp(round(_pain_trend(offset) + noise + flare))
        check_ins.append(_check_in(rng, flare_up, offset, average, medications))
    return check_ins


def _check_in(
    rng: random.Random, flare_up: dt.date, offset: int, average: int, medications: dict[str, int]
) -> CheckInData:
    only_pain = rng.random() < 0.12  # a quick check-in: pain only
    sleep = max(3.0, min(9.5, round((7.6 - 0.35 * (average - 4) + rng.gauss(0, 0.5)) * 2) / 2))
    sites = {BodySite.LOWER_BACK}
    if rng.random() < 0.9:
        sites.add(BodySite.BUTTOCK_LEFT)
    if average >= 5 and rng.random() < 0.85:
        sites.add(BodySite.THIGH_LEFT)
    if average >= 6 and rng.random() < 0.7:
        sites.add(BodySite.CALF_FOOT_LEFT)
    symptoms = set()
    if rng.random() < 0.75:
        symptoms.add(LegSymptom.TINGLING)
    if average >= 6 and rng.random() < 0.6:
        symptoms.add(LegSymptom.NUMBNESS)
    if rng.random() < 0.12:
        symptoms.add(LegSymptom.WEAKNESS)
    return CheckInData(
        day=flare_up + dt.timedelta(days=offset),
        pain_now=_clamp(average + rng.choice((-1, 0, 0, 0, 1))),
        pain_average=None if rng.random() < 0.04 else average,
        pain_worst=_clamp(average + rng.choice((1, 1, 2, 2, 3))),
        pain_sites=frozenset(sites),
        leg_symptoms=frozenset(symptoms),
        peg_enjoyment=None if only_pain else _clamp(round(average - 0.5 + rng.gauss(0, 0.8))),
        peg_activity=None if only_pain else _clamp(round(average + rng.gauss(0, 0.8))),
        sleep_hours=None if only_pain else sleep,
        sleep_quality=None if only_pain else _sleep_quality(sleep),
        walk_minutes=None if only_pain else max(5, 5 * round((45 - 4 * average) / 5)),
        sit_minutes=None if only_pain else max(10, 10 * round((90 - 8 * average) / 10)),
        stand_minutes=None if only_pain else max(5, 5 * round((50 - 4 * average) / 5)),
        work_status=_work_status(offset, average),
        notes=_NOTES.get(offset),
        doses=_doses(rng, offset, average, medications),
    )


def _doses(
    rng: random.Random, offset: int, average: int, medications: dict[str, int]
) -> tuple[DoseTaken, ...]:
    doses = []
    if _FIRST_VISIT <= offset <= _NAPROXEN_STOP:
        doses.append(
            DoseTaken(medications["Naproxen"], rng.choice((2, 2, 2, 1)), rng.choice((0, 0, 10)))
        )
    if _FIRST_VISIT <= offset <= _CYCLOBENZAPRINE_STOP:
        doses.append(DoseTaken(medications["Cyclobenzaprine"], 1, rng.choice((10, 20, None))))
    if offset >= _GABAPENTIN_START:
        doses.append(
            DoseTaken(
                medications["Gabapentin"], rng.choice((3, 3, 3, 2)), rng.choice((20, 30, 30, None))
            )
        )
    if average >= 7 and rng.random() < 0.7:
        doses.append(
            DoseTaken(
                medications["Acetaminophen"], rng.choice((1, 2, 3)), rng.choice((10, 20, None))
            )
        )
    return tuple(doses)


def _work_status(offset: int, average: int) -> WorkStatus:
    if offset < 14 or offset == _INJECTION:
        return WorkStatus.OFF_WORK
    if offset < 60 or average >= 8:
        return WorkStatus.MODIFIED_DUTY
    return WorkStatus.WORKING


def _sleep_quality(hours: float) -> SleepQuality:
    if hours < 5:
        return SleepQuality.VERY_POOR
    if hours < 6:
        return SleepQuality.POOR
    if hours < 7:
        return SleepQuality.FAIR
    return SleepQuality.GOOD


def _clamp(value: int) -> int:
    return max(0, min(10, value))
