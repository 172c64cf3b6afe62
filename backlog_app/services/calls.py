"""The call log use-cases: calls with insurers and offices, with or without a case.

A network check can be linked to the call it was made on; deleting the call unlinks the check
(the database sets its ``call_id`` to NULL) and Undo links it again.
"""

from __future__ import annotations

import builtins
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from backlog_app.domain.case_rules import call_problems
from backlog_app.domain.cases import Call, CallData
from backlog_app.errors import UserError, ValidationError
from backlog_app.services.cases import call_from_row, load_case, load_event
from backlog_app.services.changes import Change, ChangeBus
from backlog_app.services.database import Database
from backlog_app.services.records import Clock, to_model_values
from backlog_app.storage.models import CaseEvent as CaseEventRow
from backlog_app.storage.models import CoverageCase, NetworkVerification, PhoneCall


class CallService:
    """The call log: calls with insurers and offices, with or without a case.

    Args:
        database: where records live.
        changes: told ``Change.CALLS`` after every committed change (and ``Change.NETWORK``
            when deleting or restoring a call unlinks or relinks network checks).
        clock: today's date (calls cannot be in the future).
    """

    def __init__(self, database: Database, changes: ChangeBus, clock: Clock) -> None:
        self._db = database
        self._changes = changes
        self._clock = clock
        # The network checks each deleted call was linked to, for Undo (``restore``). Keyed by
        # the Call that ``delete`` returned, so a newer call given the same id cannot mix them.
        self._unlinked_checks: dict[Call, tuple[int, ...]] = {}

    def count(self) -> int:
        with self._db.read() as session:
            return session.scalar(select(func.count()).select_from(PhoneCall)) or 0

    def list(self, case_id: int | None = None) -> builtins.list[Call]:
        """Calls newest first: all of them, or those of one case."""
        with self._db.read() as session:
            query = select(PhoneCall).order_by(PhoneCall.called_at.desc(), PhoneCall.id.desc())
            if case_id is not None:
                query = query.where(PhoneCall.case_id == case_id)
            return [call_from_row(row) for row in session.scalars(query)]

    def get(self, call_id: int) -> Call:
        with self._db.read() as session:
            return call_from_row(_load_call(session, call_id))

    def add(self, data: CallData) -> int:
        with self._db.write() as session:
            self._check(session, data)
            row = PhoneCall(**_call_values(data))
            session.add(row)
            session.flush()
            call_id = row.id
        self._changes.announce(Change.CALLS)
        return call_id

    def update(self, call_id: int, data: CallData) -> None:
        with self._db.write() as session:
            row = _load_call(session, call_id)
            self._check(session, data)
            for name, value in _call_values(data).items():
                setattr(row, name, value)
        self._changes.announce(Change.CALLS)

    def set_follow_up_done(self, call_id: int, done: bool = True) -> None:
        with self._db.write() as session:
            _load_call(session, call_id).follow_up_done = done
        self._changes.announce(Change.CALLS)

    def delete(self, call_id: int) -> Call:
        """Delete a call and return it, so that the UI can offer Undo (``restore``).

        Network checks made on the call stay, unlinked; the service remembers which they were
        so that ``restore`` links them again.
        """
        with self._db.write() as session:
            row = _load_call(session, call_id)
            call = call_from_row(row)
            check_ids = tuple(
                session.scalars(
                    select(NetworkVerification.id)
                    .where(NetworkVerification.call_id == call_id)
                    .order_by(NetworkVerification.id)
                )
            )
            session.delete(row)
        if check_ids:
            self._unlinked_checks[call] = check_ids
        self._changes.announce(_changes_for(check_ids))
        return call

    def restore(self, call: Call) -> int:
        """Put a deleted call back (Undo); returns its id, a new one if a newer call took it.

        A case or event deleted since is left out rather than refusing the call. The network
        checks the call was linked to are linked again in the same transaction, unless they
        were deleted since or now point at another call.
        """
        check_ids = self._unlinked_checks.get(call, ())
        with self._db.write() as session:
            data = call.data
            if data.case_id is not None and session.get(CoverageCase, data.case_id) is None:
                data = replace(data, case_id=None, event_id=None)
            if data.event_id is not None and session.get(CaseEventRow, data.event_id) is None:
                data = replace(data, event_id=None)
            self._check(session, data)
            row = PhoneCall(**_call_values(data))
            if session.get(PhoneCall, call.id) is None:
                row.id = call.id
            session.add(row)
            session.flush()
            call_id = row.id
            relinked = _relink_checks(session, check_ids, call_id)
        self._unlinked_checks.pop(call, None)
        self._changes.announce(_changes_for(relinked))
        return call_id

    def _check(self, session: Session, data: CallData) -> None:
        problems = call_problems(data, self._clock())
        if problems:
            raise ValidationError(problems)
        if data.case_id is not None:
            load_case(session, data.case_id)
        if data.event_id is not None:
            event = load_event(session, data.event_id)
            if data.case_id is not None and event.case_id != data.case_id:
                raise UserError("That event belongs to another case; choose one of this case's.")


def _call_values(data: CallData) -> dict[str, Any]:
    values = to_model_values(data)
    # Seconds mean nothing in a call log and would differ between the form and a data file.
    values["called_at"] = data.called_at.replace(second=0, microsecond=0, tzinfo=None)
    values["follow_up_done"] = bool(data.follow_up_done)
    return values


def _relink_checks(session: Session, check_ids: tuple[int, ...], call_id: int) -> tuple[int, ...]:
    """Link the checks ``check_ids`` that are still unlinked to ``call_id``; returns those."""
    if not check_ids:
        return ()
    unlinked = NetworkVerification.id.in_(check_ids) & NetworkVerification.call_id.is_(None)
    relinked = tuple(session.scalars(select(NetworkVerification.id).where(unlinked)))
    if relinked:
        session.execute(
            update(NetworkVerification)
            .where(NetworkVerification.id.in_(relinked))
            .values(call_id=call_id)
            .execution_options(synchronize_session=False)
        )
    return relinked


def _changes_for(check_ids: tuple[int, ...]) -> frozenset[Change]:
    """What a call's delete or restore changed: the call log, and network checks when linked."""
    return frozenset({Change.CALLS, Change.NETWORK} if check_ids else {Change.CALLS})


def _load_call(session: Session, call_id: int) -> PhoneCall:
    row = session.get(PhoneCall, call_id)
    if row is None:
        raise UserError("That call no longer exists; it may have been deleted.")
    return row
