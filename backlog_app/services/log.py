"""The treatment log's use-cases: daily check-ins, medication trials, treatments, courses, ODI.

Each service validates with the domain rules (dates not in the future nor before birth) and
announces what changed. Deletes return the deleted record so the UI can undo them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, update

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.log_records import (
    ODI_SECTIONS,
    BodySite,
    CheckInData,
    DoseTaken,
    LegSymptom,
    MedicationData,
    OdiScoreData,
    Side,
    SleepQuality,
    TherapyCourseData,
    TreatmentData,
    TreatmentKind,
    VisitLimitData,
    WorkStatus,
)
from backlog_app.domain.log_validation import (
    check_in_problems,
    course_problems,
    medication_problems,
    odi_problems,
    treatment_problems,
    visit_limit_problems,
)
from backlog_app.domain.records import Stored
from backlog_app.domain.scores import odi_percent
from backlog_app.errors import UserError, ValidationError
from backlog_app.services.changes import Change, ChangeBus
from backlog_app.services.database import Database
from backlog_app.services.patient import PatientService
from backlog_app.services.progress import Progress
from backlog_app.services.records import Clock, RecordService
from backlog_app.storage.models import (
    Base,
    CheckIn,
    CheckInDose,
    Medication,
    OdiScore,
    TherapyCourse,
    Treatment,
    VisitLimit,
)

BirthDate = Callable[[], dt.date | None]


class DuplicateCheckInError(UserError):
    """A check-in for that day exists already; ``existing_id`` lets the UI open it."""

    def __init__(self, day: dt.date, existing_id: int) -> None:
        super().__init__(
            f"There is already a check-in for {format_long_date(day)}. "
            "Open it to change it instead of adding a second one."
        )
        self.day = day
        self.existing_id = existing_id


# --- Check-ins ---------------------------------------------------------------------------------


def _join(values: frozenset[Any]) -> str | None:
    return ",".join(sorted(v.value for v in values)) or None


def _split(text: str | None, enum_type: Any) -> frozenset[Any]:
    return frozenset(enum_type(part) for part in text.split(",")) if text else frozenset()


def check_in_values(data: CheckInData) -> dict[str, Any]:
    """Column values of a check-in (its doses are stored in their own table)."""
    return {
        "day": data.day,
        "pain_now": data.pain_now,
        "pain_average": data.pain_average,
        "pain_worst": data.pain_worst,
        "pain_sites": _join(data.pain_sites),
        "leg_symptoms": _join(data.leg_symptoms),
        "peg_enjoyment": data.peg_enjoyment,
        "peg_activity": data.peg_activity,
        "sleep_hours": data.sleep_hours,
        "sleep_quality": data.sleep_quality.value if data.sleep_quality else None,
        "walk_minutes": data.walk_minutes,
        "sit_minutes": data.sit_minutes,
        "stand_minutes": data.stand_minutes,
        "work_status": data.work_status.value if data.work_status else None,
        "notes": (data.notes or "").strip() or None,
    }


def check_in_data(row: Any, doses: list[CheckInDose]) -> CheckInData:
    """The dataclass for a ``check_in`` row (or any object with its columns) and its doses."""
    return CheckInData(
        day=row.day,
        pain_now=row.pain_now,
        pain_average=row.pain_average,
        pain_worst=row.pain_worst,
        pain_sites=_split(row.pain_sites, BodySite),
        leg_symptoms=_split(row.leg_symptoms, LegSymptom),
        peg_enjoyment=row.peg_enjoyment,
        peg_activity=row.peg_activity,
        sleep_hours=row.sleep_hours,
        sleep_quality=SleepQuality(row.sleep_quality) if row.sleep_quality else None,
        walk_minutes=row.walk_minutes,
        sit_minutes=row.sit_minutes,
        stand_minutes=row.stand_minutes,
        work_status=WorkStatus(row.work_status) if row.work_status else None,
        notes=row.notes,
        doses=tuple(
            DoseTaken(d.medication_id, d.doses, d.relief_percent)
            for d in sorted(doses, key=lambda dose: dose.id)
        ),
    )


@dataclasses.dataclass(frozen=True, slots=True)
class DailyScores:
    """The numbers of one check-in, for charts and summaries (cheap to load for ten years)."""

    day: dt.date
    pain_now: int | None
    pain_average: int | None
    pain_worst: int | None
    peg_enjoyment: int | None
    peg_activity: int | None


@dataclasses.dataclass(frozen=True, slots=True)
class DailyLogRow:
    """A check-in as a daily log lists it; ``doses`` are (medication name, doses) as entered."""

    scores: DailyScores
    notes: str | None
    doses: tuple[tuple[str, int], ...]


# A bulk add lists at most this many problems, so that its message stays readable.
_MAX_PROBLEMS_SHOWN = 10


def _table(model: type[Base]) -> Table:
    """The model's Core table: inserting many rows through it skips the ORM's per-row work."""
    return Base.metadata.tables[model.__tablename__]


class CheckInService:
    """One check-in per day, with the medications taken that day."""

    def __init__(
        self, database: Database, changes: ChangeBus, clock: Clock, birth_date: BirthDate
    ) -> None:
        self._db = database
        self._changes = changes
        self._clock = clock
        self._birth_date = birth_date

    def get(self, check_in_id: int) -> Stored[CheckInData]:
        with self._db.read() as session:
            row = session.get(CheckIn, check_in_id)
            if row is None:
                raise UserError("That check-in no longer exists; it may have been deleted.")
            return self._stored(session, row)

    def for_day(self, day: dt.date) -> Stored[CheckInData] | None:
        with self._db.read() as session:
            row = session.scalars(select(CheckIn).where(CheckIn.day == day)).first()
            return self._stored(session, row) if row else None

    def latest_before(self, day: dt.date) -> Stored[CheckInData] | None:
        """The most recent check-in before ``day`` (to carry yesterday's medications over)."""
        with self._db.read() as session:
            row = session.scalars(
                select(CheckIn).where(CheckIn.day < day).order_by(CheckIn.day.desc()).limit(1)
            ).first()
            return self._stored(session, row) if row else None

    def save(self, data: CheckInData, check_in_id: int | None = None) -> int:
        """Add a check-in, or replace check-in ``check_in_id``. Returns its id.

        Raises:
            ValidationError: a rule is broken; nothing is written.
            DuplicateCheckInError: another check-in already has that day.
        """
        problems = check_in_problems(data, self._clock(), self._birth_date())
        if problems:
            raise ValidationError(problems)
        with self._db.write() as session:
            clash = session.scalars(select(CheckIn.id).where(CheckIn.day == data.day)).first()
            if clash is not None and clash != check_in_id:
                raise DuplicateCheckInError(data.day, clash)
            self._check_medications_exist(session, data)
            if check_in_id is None:
                row = CheckIn(**check_in_values(data))
                session.add(row)
                session.flush()
            else:
                existing = session.get(CheckIn, check_in_id)
                if existing is None:
                    raise UserError("That check-in no longer exists; it may have been deleted.")
                row = existing
                for name, value in check_in_values(data).items():
                    setattr(row, name, value)
                session.execute(delete(CheckInDose).where(CheckInDose.check_in_id == row.id))
            for dose in data.doses:
                session.add(
                    CheckInDose(
                        check_in_id=row.id,
                        medication_id=dose.medication_id,
                        doses=dose.doses,
                        relief_percent=dose.relief_percent,
                    )
                )
            saved_id = row.id
        self._changes.announce(Change.CHECK_INS)
        return saved_id

    def delete(self, check_in_id: int) -> Stored[CheckInData]:
        """Delete a check-in (and its doses); returns it for ``restore`` (Undo)."""
        with self._db.write() as session:
            row = session.get(CheckIn, check_in_id)
            if row is None:
                raise UserError("That check-in no longer exists; it may have been deleted.")
            stored = self._stored(session, row)
            session.delete(row)
        self._changes.announce(Change.CHECK_INS)
        return stored

    def restore(self, stored: Stored[CheckInData]) -> None:
        """Put a deleted check-in back with its old id and timestamps."""
        with self._db.write() as session:
            session.add(
                CheckIn(
                    id=stored.id,
                    created_at=stored.created_at,
                    updated_at=stored.updated_at,
                    **check_in_values(stored.data),
                )
            )
            session.flush()
            for dose in stored.data.doses:
                session.add(
                    CheckInDose(
                        check_in_id=stored.id,
                        medication_id=dose.medication_id,
                        doses=dose.doses,
                        relief_percent=dose.relief_percent,
                    )
                )
        self._changes.announce(Change.CHECK_INS)

    def add_many(
        self, check_ins: Sequence[CheckInData], progress: Progress | None = None
    ) -> list[int]:
        """Add many check-ins in one transaction (CSV import, the demo): all or nothing.

        Every check-in is validated as ``save`` would; one announcement follows the commit.

        Returns:
            The new ids, in the order of ``check_ins``.

        Raises:
            ValidationError: check-ins break rules (each problem names its day); nothing is written.
            DuplicateCheckInError: a day already has a check-in; nothing is written.
            UserError: a day appears twice, or a medication on a check-in was deleted.
            Cancelled: ``progress`` was cancelled before the commit; nothing is written.
        """
        progress = progress or Progress()
        if not check_ins:
            return []
        today, birth = self._clock(), self._birth_date()
        problems = [
            f"{format_long_date(data.day)}: {problem}"
            for data in check_ins
            for problem in check_in_problems(data, today, birth)
        ]
        if problems:
            shown = problems[:_MAX_PROBLEMS_SHOWN]
            if len(problems) > len(shown):
                shown.append(f"… and {len(problems) - len(shown)} more.")
            raise ValidationError(shown)
        seen: set[dt.date] = set()
        for data in check_ins:
            if data.day in seen:
                raise UserError(
                    f"{format_long_date(data.day)} appears twice; keep one check-in per day."
                )
            seen.add(data.day)
        total = len(check_ins)
        with self._db.write() as session:
            clash = session.execute(
                select(CheckIn.id, CheckIn.day)
                .where(CheckIn.day.between(min(seen), max(seen)))
                .order_by(CheckIn.day)
            ).all()
            for existing_id, day in clash:
                if day in seen:
                    raise DuplicateCheckInError(day, existing_id)
            wanted = {dose.medication_id for data in check_ins for dose in data.doses}
            if wanted:
                found = set(session.scalars(select(Medication.id).where(Medication.id.in_(wanted))))
                if found != wanted:
                    raise UserError(
                        "A medication on these check-ins was deleted; please pick it again."
                    )
            # Plain executemany INSERTs rather than ORM objects: several times faster for years
            # of diary. Days are unique, so the new ids are found again by day.
            session.execute(insert(_table(CheckIn)), [check_in_values(data) for data in check_ins])
            id_of_day = {
                day: check_in_id
                for day, check_in_id in session.execute(
                    select(CheckIn.day, CheckIn.id).where(CheckIn.day.between(min(seen), max(seen)))
                )
            }
            new_ids = [id_of_day[data.day] for data in check_ins]
            progress.report(total // 2, total, "Saving check-ins")
            doses = [
                {
                    "check_in_id": new_id,
                    "medication_id": dose.medication_id,
                    "doses": dose.doses,
                    "relief_percent": dose.relief_percent,
                }
                for new_id, data in zip(new_ids, check_ins, strict=True)
                for dose in data.doses
            ]
            if doses:
                session.execute(insert(_table(CheckInDose)), doses)
            # Last chance to cancel: leaving the block with an exception rolls everything back.
            progress.report(total, total, "Saving check-ins")
        self._changes.announce(Change.CHECK_INS)
        return new_ids

    def count(self) -> int:
        with self._db.read() as session:
            return session.scalar(select(func.count()).select_from(CheckIn)) or 0

    def daily_scores(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> list[DailyScores]:
        """Pain and PEG numbers per day, oldest first, without loading whole records."""
        query = select(
            CheckIn.day,
            CheckIn.pain_now,
            CheckIn.pain_average,
            CheckIn.pain_worst,
            CheckIn.peg_enjoyment,
            CheckIn.peg_activity,
        ).order_by(CheckIn.day)
        if start is not None:
            query = query.where(CheckIn.day >= start)
        if end is not None:
            query = query.where(CheckIn.day <= end)
        with self._db.read() as session:
            return [DailyScores(*row) for row in session.execute(query)]

    def daily_log_rows(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> list[DailyLogRow]:
        """Check-ins with their notes and medications taken, oldest first (two lean queries)."""
        bounds = [CheckIn.day >= start] if start is not None else []
        bounds += [CheckIn.day <= end] if end is not None else []
        days = select(
            CheckIn.day,
            CheckIn.pain_now,
            CheckIn.pain_average,
            CheckIn.pain_worst,
            CheckIn.peg_enjoyment,
            CheckIn.peg_activity,
            CheckIn.notes,
        ).where(*bounds)
        doses = (
            select(CheckIn.day, Medication.name, CheckInDose.doses)
            .join(CheckInDose, CheckInDose.check_in_id == CheckIn.id)
            .join(Medication, Medication.id == CheckInDose.medication_id)
            .where(*bounds)
        )
        taken: dict[dt.date, list[tuple[str, int]]] = {}
        with self._db.read() as session:
            for day, name, count in session.execute(doses.order_by(CheckIn.day, CheckInDose.id)):
                taken.setdefault(day, []).append((name, count))
            rows = session.execute(days.order_by(CheckIn.day)).all()
        return [DailyLogRow(DailyScores(*r[:6]), r[6], tuple(taken.get(r[0], ()))) for r in rows]

    def _check_medications_exist(self, session: Any, data: CheckInData) -> None:
        wanted = {dose.medication_id for dose in data.doses}
        if not wanted:
            return
        found = set(session.scalars(select(Medication.id).where(Medication.id.in_(wanted))))
        if found != wanted:
            raise UserError("A medication on this check-in was deleted; please pick it again.")

    def _stored(self, session: Any, row: CheckIn) -> Stored[CheckInData]:
        doses = list(session.scalars(select(CheckInDose).where(CheckInDose.check_in_id == row.id)))
        return Stored(row.id, check_in_data(row, doses), row.created_at, row.updated_at)


# --- Records that map one dataclass onto one table ------------------------------------------------


class MedicationService(RecordService[MedicationData, Medication]):
    def active_on(self, day: dt.date) -> list[Stored[MedicationData]]:
        """Medications being taken on ``day`` (for the check-in's list)."""
        return [stored for stored in self.list() if stored.data.is_active_on(day)]

    def delete(self, record_id: int) -> Stored[MedicationData]:
        with self._db.read() as session:
            used = session.scalar(
                select(func.count())
                .select_from(CheckInDose)
                .where(CheckInDose.medication_id == record_id)
            )
        if used:
            raise UserError(
                f"This medication is recorded on {used} check-in day(s), so it stays in the "
                "history. If you stopped taking it, set its stop date instead."
            )
        return super().delete(record_id)


class CourseService(RecordService[TherapyCourseData, TherapyCourse]):
    """Therapy courses. Deleting one unlinks its sessions; Undo (``restore``) links them again."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._unlinked_sessions: dict[int, list[int]] = {}

    def delete(self, record_id: int) -> Stored[TherapyCourseData]:
        with self._db.read() as session:
            sessions = list(
                session.scalars(select(Treatment.id).where(Treatment.course_id == record_id))
            )
        stored = super().delete(record_id)
        self._unlinked_sessions[record_id] = sessions
        return stored

    def restore(self, stored: Stored[TherapyCourseData]) -> None:
        super().restore(stored)
        sessions = self._unlinked_sessions.pop(stored.id, [])
        if not sessions:
            return
        with self._db.write() as session:
            # Only sessions still without a course: one the user moved meanwhile stays moved.
            session.execute(
                update(Treatment)
                .where(Treatment.id.in_(sessions), Treatment.course_id.is_(None))
                .values(course_id=stored.id)
            )
        self._changes.announce(Change.TREATMENTS)


class OdiService(RecordService[OdiScoreData, OdiScore]):
    """ODI results; the total is computed from the sections when they are given."""

    def _values(self, data: OdiScoreData) -> dict[str, Any]:
        total = odi_percent(data.sections)
        values: dict[str, Any] = {
            "day": data.day,
            "total_percent": total if total is not None else data.total_percent,
            "notes": (data.notes or "").strip() or None,
        }
        for number, score in enumerate(data.sections, start=1):
            values[f"section_{number}"] = score
        return values

    def _data(self, row: Any) -> OdiScoreData:
        return odi_data(row)


def odi_data(row: Any) -> OdiScoreData:
    """The dataclass for an ``odi_score`` row (or any object with its columns)."""
    sections = tuple(getattr(row, f"section_{n}") for n in range(1, ODI_SECTIONS + 1))
    return OdiScoreData(row.day, row.total_percent, sections, row.notes)


def make_log_services(
    database: Database, changes: ChangeBus, clock: Clock, patient: PatientService
) -> LogServices:
    def birth() -> dt.date | None:
        stored = patient.get()
        return stored.date_of_birth if stored else None

    def dated(
        rule: Callable[[Any, dt.date, dt.date | None], list[str]],
    ) -> Callable[[Any], list[str]]:
        return lambda data: rule(data, clock(), birth())

    return LogServices(
        check_ins=CheckInService(database, changes, clock, birth),
        medications=MedicationService(
            database,
            changes,
            model=Medication,
            data_type=MedicationData,
            problems=dated(medication_problems),
            change=Change.MEDICATIONS,
            order_by=("start_date", "name", "id"),
            noun="medication",
        ),
        treatments=RecordService(
            database,
            changes,
            model=Treatment,
            data_type=TreatmentData,
            problems=dated(treatment_problems),
            change=Change.TREATMENTS,
            order_by=("day", "id"),
            noun="treatment",
        ),
        courses=CourseService(
            database,
            changes,
            model=TherapyCourse,
            data_type=TherapyCourseData,
            problems=dated(course_problems),
            change=Change.COURSES,
            order_by=("start_date", "id"),
            noun="therapy course",
        ),
        odi_scores=OdiService(
            database,
            changes,
            model=OdiScore,
            data_type=OdiScoreData,
            problems=dated(odi_problems),
            change=Change.ODI_SCORES,
            order_by=("day", "id"),
            noun="ODI score",
        ),
        visit_limits=RecordService(
            database,
            changes,
            model=VisitLimit,
            data_type=VisitLimitData,
            problems=visit_limit_problems,
            change=Change.VISIT_LIMITS,
            order_by=("plan_id", "kind"),
            noun="visit limit",
            clash_message="This plan already has a limit for that kind of visit; "
            "edit that one instead.",
        ),
    )


@dataclasses.dataclass(frozen=True)
class LogServices:
    """The treatment log's services, held by the ProfileSession as ``profile.log``."""

    check_ins: CheckInService
    medications: MedicationService
    treatments: RecordService[TreatmentData, Treatment]
    courses: CourseService
    odi_scores: OdiService
    visit_limits: RecordService[VisitLimitData, VisitLimit]


# --- Lean reads: whole histories as plain data, for summaries ---------------------------------


def treatment_history(database: Database, kind: TreatmentKind | None = None) -> list[TreatmentData]:
    """Every treatment (or every one of ``kind``) as plain data, oldest first.

    Reads plain rows rather than ORM objects: for ten years of visits (2,000 treatments) this is
    several times faster than ``RecordService.list()``, and the care summary waits on it.
    """
    fields = [field.name for field in dataclasses.fields(TreatmentData)]
    query = select(*(getattr(Treatment, name) for name in fields)).order_by(
        Treatment.day, Treatment.id
    )
    if kind is not None:
        query = query.where(Treatment.kind == kind.value)
    with database.read() as session:
        rows = session.execute(query).all()
    # The row's columns come in the dataclass's field order; only kind and side are enums.
    kinds = {member.value: member for member in TreatmentKind}
    sides = {member.value: member for member in Side}
    kind_at, side_at = fields.index("kind"), fields.index("side")
    history = []
    for row in rows:
        values = list(row)
        values[kind_at] = kinds[values[kind_at]]
        values[side_at] = sides[values[side_at]] if values[side_at] else None
        history.append(TreatmentData(*values))
    return history
