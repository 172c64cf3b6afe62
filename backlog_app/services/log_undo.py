"""Deleting a log record so that it can be put back (Undo), even after other edits in between.

The log services' ``delete()`` returns the record as it was; ``restore_deleted`` puts it back
with its old id when that id is still free, links it again to the documents it was linked to,
and drops links to records deleted since (a provider, a course, a medication on a check-in, a
document removed for good) rather than failing.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.log_records import (
    CheckInData,
    MedicationData,
    OdiScoreData,
    TherapyCourseData,
    TreatmentData,
)
from backlog_app.domain.records import Stored
from backlog_app.errors import UserError
from backlog_app.storage.models import (
    CheckIn,
    Document,
    DocumentLink,
    Medication,
    OdiScore,
    Provider,
    TherapyCourse,
    Treatment,
)

if TYPE_CHECKING:
    from backlog_app.services.context import ProfileSession

# The editor kinds of the log: "check_in", "medication", "treatment", "course", "odi".
_MODELS: dict[str, type[Any]] = {
    "check_in": CheckIn,
    "medication": Medication,
    "treatment": Treatment,
    "course": TherapyCourse,
    "odi": OdiScore,
}


@dataclasses.dataclass(frozen=True)
class DeletedRecord:
    """A deleted log record, and what to call it in messages ("the check-in of 3 Mar 2026")."""

    kind: str
    stored: Stored[Any]
    description: str
    document_ids: tuple[int, ...] = ()  # documents that were linked to it


# The log kinds documents can be linked to, and the link column for each.
_LINK_COLUMNS = {"treatment": "treatment_id", "course": "course_id", "medication": "medication_id"}


def describe_record(data: Any) -> str:
    """The record in a few words for messages: "the check-in of 3 Mar 2026"."""
    if isinstance(data, CheckInData):
        return f"the check-in of {format_long_date(data.day)}"
    if isinstance(data, MedicationData):
        return f"the medication “{data.name}”"
    if isinstance(data, TreatmentData):
        return f"“{data.kind.label}” of {format_long_date(data.day)}"
    if isinstance(data, TherapyCourseData):
        return f"the {data.kind.label} course from {format_long_date(data.start_date)}"
    if isinstance(data, OdiScoreData):
        return f"the ODI score of {format_long_date(data.day)}"
    return "the record"


def _service(profile: ProfileSession, kind: str) -> Any:
    log = profile.log
    services: dict[str, Any] = {
        "check_in": log.check_ins,
        "medication": log.medications,
        "treatment": log.treatments,
        "course": log.courses,
        "odi": log.odi_scores,
    }
    if kind not in services:
        raise ValueError(f"not a log record kind: {kind}")
    return services[kind]


def delete_record(
    profile: ProfileSession, kind: str, record_id: int, description: str
) -> DeletedRecord:
    """Delete one log record; the result can be handed to ``restore_deleted``.

    Raises:
        UserError: the record is gone already, or other records still need it.
    """
    document_ids: tuple[int, ...] = ()
    column = _LINK_COLUMNS.get(kind)
    if column is not None:
        with profile.database.read() as session:
            document_ids = tuple(
                session.scalars(
                    select(DocumentLink.document_id).where(
                        getattr(DocumentLink, column) == record_id
                    )
                )
            )
    stored = _service(profile, kind).delete(record_id)
    return DeletedRecord(kind, stored, description, document_ids)


def restore_deleted(profile: ProfileSession, deleted: DeletedRecord) -> int:
    """Put a deleted record back; returns its id (the old one unless something took it).

    Raises:
        UserError: a check-in was added for the same day in the meantime.
    """
    service = _service(profile, deleted.kind)
    data = _without_dangling_links(profile, deleted.stored.data)
    with profile.database.read() as session:
        id_taken = session.get(_MODELS[deleted.kind], deleted.stored.id) is not None
        if isinstance(data, CheckInData):
            clash = session.scalars(select(CheckIn.id).where(CheckIn.day == data.day)).first()
            if clash is not None:
                raise UserError(
                    f"A check-in for {format_long_date(data.day)} was added after the delete, "
                    "so the deleted one cannot come back. Open that day's check-in to edit it."
                )
    if id_taken:
        if deleted.kind == "check_in":
            return int(service.save(data))
        new_id = int(service.add(data))
    else:
        service.restore(dataclasses.replace(deleted.stored, data=data))
        new_id = deleted.stored.id
    _relink_documents(profile, deleted, new_id)
    return new_id


def _relink_documents(profile: ProfileSession, deleted: DeletedRecord, record_id: int) -> None:
    """Link the restored record to the documents it had (those still in the profile)."""
    column = _LINK_COLUMNS.get(deleted.kind)
    if column is None or not deleted.document_ids:
        return
    from backlog_app.services.changes import Change

    with profile.database.write() as session:
        for document_id in deleted.document_ids:
            if session.get(Document, document_id) is not None:
                session.add(DocumentLink(document_id=document_id, **{column: record_id}))
    profile.changes.announce(Change.DOCUMENTS)


def _without_dangling_links(profile: ProfileSession, data: Any) -> Any:
    """``data`` minus references to providers, courses or medications deleted since."""
    with profile.database.read() as session:

        def exists(model: type[Any], record_id: int | None) -> bool:
            return record_id is not None and session.get(model, record_id) is not None

        if isinstance(data, TreatmentData):
            changes: dict[str, Any] = {}
            if data.provider_id is not None and not exists(Provider, data.provider_id):
                changes["provider_id"] = None
            if data.course_id is not None and not exists(TherapyCourse, data.course_id):
                changes["course_id"] = None
            return dataclasses.replace(data, **changes) if changes else data
        if isinstance(data, CheckInData) and data.doses:
            doses = tuple(d for d in data.doses if exists(Medication, d.medication_id))
            return dataclasses.replace(data, doses=doses) if doses != data.doses else data
        for link in ("provider_id", "prescriber_id"):
            value = getattr(data, link, None)
            if value is not None and not exists(Provider, value):
                data = dataclasses.replace(data, **{link: None})
        return data
