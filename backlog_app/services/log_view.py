"""The unified treatment log: check-ins, medication starts and stops, treatments and ODI as one list.

One SQL ``UNION ALL`` over the four tables does the filtering, sorting and paging, so that the
Log page shows ten years of entries as fast as ten days. Each entry is a plain ``LogEntry``
(``log_entries``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import (
    Date,
    Float,
    Integer,
    Select,
    String,
    bindparam,
    case,
    false,
    func,
    literal,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.sql.elements import ColumnElement

from backlog_app.domain.log_records import TreatmentCategory, TreatmentKind
from backlog_app.services.log_entries import (
    ALL_KINDS,
    CHECK_IN_TITLE,
    MEDICATION_KINDS,
    TREATMENT_ENTRY_KINDS,
    TREATMENT_KINDS,
    EntryKind,
    LogEntry,
    describe,
    entry_from_row,
)
from backlog_app.storage.models import CheckIn, Medication, OdiScore, Provider, Treatment

if TYPE_CHECKING:
    from backlog_app.services.context import ProfileSession

# The entry names are part of this module's interface too.
__all__ = [
    "ALL_KINDS",
    "MEDICATION_KINDS",
    "TREATMENT_KINDS",
    "EntryKind",
    "LogEntry",
    "LogFilter",
    "LogSort",
    "SortKey",
    "count_entries",
    "describe",
    "entries",
    "log_extent",
]


class SortKey(StrEnum):
    DAY = "day"
    KIND = "kind"
    TITLE = "title"
    PAIN = "pain"


@dataclasses.dataclass(frozen=True, slots=True)
class LogSort:
    """How entries are ordered; ties always fall back to the newest day first."""

    key: SortKey = SortKey.DAY
    descending: bool = True


@dataclasses.dataclass(frozen=True, slots=True)
class LogFilter:
    """Which entries to show. ``since``/``until`` are inclusive; None means open-ended.

    ``text`` matches notes, results, names and kinds (case-insensitive for plain letters).
    """

    since: dt.date | None = None
    until: dt.date | None = None
    kinds: frozenset[EntryKind] = ALL_KINDS
    text: str = ""


# --- The query -----------------------------------------------------------------------------------

_TEXT_COLUMNS = ("text_a", "text_b", "text_c", "text_d", "text_e")
_NUMBER_COLUMNS = ("num_a", "num_b", "num_c", "num_d")
_COLUMN_TYPES: dict[str, Any] = {
    "kind": String,
    "record_id": Integer,
    "day": Date,
    "title": String,
    "pain": Integer,
    "category": String,
    **dict.fromkeys(_TEXT_COLUMNS, String),
    **dict.fromkeys(_NUMBER_COLUMNS, Float),
}


def _branch(
    columns: dict[str, Any], source: Any, conditions: Iterable[ColumnElement[bool]]
) -> Select[Any]:
    """One SELECT of the union, with every column of the shared layout typed and labelled."""
    selected = [
        type_coerce(columns.get(name, null()), type_).label(name)
        for name, type_ in _COLUMN_TYPES.items()
    ]
    return select(*selected).select_from(source).where(*conditions)


class _Shape(NamedTuple):
    """What decides the SQL of a filter; the values themselves are bound parameters."""

    kinds: frozenset[EntryKind]
    since: bool
    until: bool
    text: bool

    @classmethod
    def of(cls, log_filter: LogFilter) -> _Shape:
        return cls(
            log_filter.kinds,
            log_filter.since is not None,
            log_filter.until is not None,
            bool(log_filter.text.strip()),
        )


def _parameters(log_filter: LogFilter) -> dict[str, Any]:
    text = log_filter.text.strip()
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return {"since": log_filter.since, "until": log_filter.until, "pattern": f"%{escaped}%"}


def _text_match(columns: Sequence[Any]) -> ColumnElement[bool]:
    pattern = bindparam("pattern", type_=String)
    return or_(*(column.like(pattern, escape="\\") for column in columns))


def _day_range(column: Any, shape: _Shape) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if shape.since:
        conditions.append(column >= bindparam("since", type_=Date))
    if shape.until:
        conditions.append(column <= bindparam("until", type_=Date))
    return conditions


def _treatment_label() -> ColumnElement[str]:
    return case({kind.value: kind.label for kind in TreatmentKind}, value=Treatment.kind, else_="")


def _treatment_entry_kind() -> ColumnElement[str]:
    by_kind = {kind.value: TREATMENT_ENTRY_KINDS[kind.category].value for kind in TreatmentKind}
    return case(by_kind, value=Treatment.kind, else_=EntryKind.OTHER_TREATMENT.value)


def _treatment_category() -> ColumnElement[str]:
    by_kind = {kind.value: kind.category.value for kind in TreatmentKind}
    return case(by_kind, value=Treatment.kind, else_=TreatmentCategory.OTHER.value)


def _branches(shape: _Shape) -> list[Select[Any]]:
    """The SELECTs for the kinds the filter wants, each already filtered by day and text."""
    kinds = shape.kinds
    text = shape.text
    branches: list[Select[Any]] = []

    if EntryKind.CHECK_IN in kinds:
        peg = (CheckIn.pain_average + CheckIn.peg_enjoyment + CheckIn.peg_activity) / 3.0
        conditions = _day_range(CheckIn.day, shape)
        if text:
            conditions.append(_text_match([CheckIn.notes, literal("Check-in")]))
        branches.append(
            _branch(
                {
                    "kind": literal(EntryKind.CHECK_IN.value),
                    "record_id": CheckIn.id,
                    "day": CheckIn.day,
                    "title": func.coalesce(CheckIn.notes, literal(CHECK_IN_TITLE)),
                    "pain": func.coalesce(CheckIn.pain_average, CheckIn.pain_now),
                    "text_a": CheckIn.notes,
                    "text_b": CheckIn.work_status,
                    "num_a": CheckIn.pain_now,
                    "num_b": CheckIn.pain_average,
                    "num_c": CheckIn.pain_worst,
                    "num_d": peg,
                },
                CheckIn,
                conditions,
            )
        )

    medication_text = [
        Medication.name,
        Medication.purpose,
        Medication.notes,
        Medication.side_effects,
        Medication.reason_stopped,
    ]
    if EntryKind.MEDICATION_START in kinds:
        conditions = [Medication.start_date.is_not(None), *_day_range(Medication.start_date, shape)]
        if text:
            conditions.append(_text_match([*medication_text, literal("Medication started")]))
        branches.append(
            _branch(
                {
                    "kind": literal(EntryKind.MEDICATION_START.value),
                    "record_id": Medication.id,
                    "day": Medication.start_date,
                    "title": Medication.name,
                    "text_a": Medication.strength,
                    "text_b": Medication.dose,
                    "text_c": Medication.frequency,
                    "text_d": Medication.purpose,
                    "num_a": Medication.as_needed,
                },
                Medication,
                conditions,
            )
        )
    if EntryKind.MEDICATION_STOP in kinds:
        conditions = [Medication.stop_date.is_not(None), *_day_range(Medication.stop_date, shape)]
        if text:
            conditions.append(_text_match([*medication_text, literal("Medication stopped")]))
        branches.append(
            _branch(
                {
                    "kind": literal(EntryKind.MEDICATION_STOP.value),
                    "record_id": Medication.id,
                    "day": Medication.stop_date,
                    "title": Medication.name,
                    "text_a": Medication.strength,
                    "text_b": Medication.outcome,
                    "text_c": Medication.reason_stopped,
                    "text_d": Medication.side_effects,
                    "num_a": func.julianday(Medication.stop_date)
                    - func.julianday(Medication.start_date),
                },
                Medication,
                conditions,
            )
        )

    wanted_categories = [
        category.value for category, kind in TREATMENT_ENTRY_KINDS.items() if kind in kinds
    ]
    if wanted_categories:
        category = _treatment_category()
        label = _treatment_label()
        conditions = _day_range(Treatment.day, shape)
        if len(wanted_categories) < len(TREATMENT_ENTRY_KINDS):
            wanted_kinds = [k.value for k in TreatmentKind if k.category.value in wanted_categories]
            conditions.append(Treatment.kind.in_(wanted_kinds))
        if text:
            conditions.append(
                _text_match(
                    [
                        label,
                        Treatment.result,
                        Treatment.notes,
                        Treatment.facility,
                        Treatment.level,
                        Provider.name,
                    ],
                )
            )
        branches.append(
            _branch(
                {
                    "kind": _treatment_entry_kind(),
                    "record_id": Treatment.id,
                    "day": Treatment.day,
                    "title": label,
                    "category": category,
                    "text_a": Treatment.result,
                    "text_b": Treatment.notes,
                    "text_c": Treatment.level,
                    "text_d": Treatment.side,
                    "text_e": func.coalesce(Provider.name, Treatment.facility),
                    "num_a": Treatment.relief_percent,
                    "num_b": Treatment.relief_days,
                },
                Treatment.__table__.outerjoin(
                    Provider.__table__, Treatment.provider_id == Provider.id
                ),
                conditions,
            )
        )

    if EntryKind.ODI in kinds:
        conditions = _day_range(OdiScore.day, shape)
        if text:
            conditions.append(
                _text_match([OdiScore.notes, literal("ODI Oswestry Disability Index")])
            )
        branches.append(
            _branch(
                {
                    "kind": literal(EntryKind.ODI.value),
                    "record_id": OdiScore.id,
                    "day": OdiScore.day,
                    "title": literal("ODI"),
                    "text_a": OdiScore.notes,
                    "num_a": OdiScore.total_percent,
                },
                OdiScore,
                conditions,
            )
        )
    return branches


@functools.lru_cache(maxsize=64)
def _union(shape: _Shape) -> Any:
    """The whole log as one subquery (built once per shape: building it costs milliseconds)."""
    branches = _branches(shape)
    if not branches:  # nothing wanted: an empty result with the same columns
        return _branch({}, CheckIn, [false()]).subquery("log")
    if len(branches) == 1:
        return branches[0].subquery("log")
    return union_all(*branches).subquery("log")


@functools.lru_cache(maxsize=64)
def _count_query(shape: _Shape) -> Select[Any]:
    return select(func.count()).select_from(_union(shape))


def _order(columns: Any, sort: LogSort) -> list[Any]:
    """ORDER BY terms for ``sort`` over a row layout's columns; ties: newest day, kind, newest id."""
    primary: dict[SortKey, Any] = {
        SortKey.DAY: columns.day,
        SortKey.KIND: case(
            {kind.value: kind.label for kind in EntryKind}, value=columns.kind, else_=""
        ),
        SortKey.TITLE: columns.title.collate("NOCASE"),
        SortKey.PAIN: columns.pain,
    }
    column = primary[sort.key]
    order = [column.desc() if sort.descending else column.asc()]
    if sort.key is SortKey.PAIN:  # "not recorded" goes last either way
        order.insert(0, columns.pain.is_(None))
    if sort.key is not SortKey.DAY:
        order.append(columns.day.desc())
    return [*order, columns.kind, columns.record_id.desc()]


@functools.lru_cache(maxsize=64)
def _page_query(shape: _Shape, sort: LogSort) -> Select[Any]:
    """One page in ``sort`` order.

    Each table's SELECT is cut to its first ``offset + limit`` rows in the same order before
    the union is sorted, so SQLite sorts a few hundred rows (read along the day indexes) rather
    than the whole log: the page is the same, at a quarter of the cost on ten years.
    """
    window = bindparam("window", type_=Integer)
    branches = _branches(shape) or [_branch({}, CheckIn, [false()])]
    cut = [
        select(branch.order_by(*_order(branch.selected_columns, sort)).limit(window).subquery())
        for branch in branches
    ]
    log = (cut[0] if len(cut) == 1 else union_all(*cut)).subquery("log")
    return (
        select(log)
        .order_by(*_order(log.c, sort))
        .offset(bindparam("offset", type_=Integer))
        .limit(bindparam("limit", type_=Integer))
    )


def count_entries(profile: ProfileSession, log_filter: LogFilter) -> int:
    """How many entries the filter lets through."""
    query = _count_query(_Shape.of(log_filter))
    with profile.database.read() as session:
        return session.scalar(query, _parameters(log_filter)) or 0


def entries(
    profile: ProfileSession,
    log_filter: LogFilter,
    offset: int = 0,
    limit: int = 200,
    sort: LogSort = LogSort(),  # frozen: sharing the default is safe
) -> list[LogEntry]:
    """One page of the filtered log, in ``sort`` order.

    Args:
        profile: the open profile.
        log_filter: which entries.
        offset: how many entries to skip (the rows already shown).
        limit: the page size.
        sort: the order; ties fall back to the newest day first, then the newest record.
    """
    query = _page_query(_Shape.of(log_filter), sort)
    parameters = {
        **_parameters(log_filter),
        "offset": offset,
        "limit": limit,
        "window": offset + limit,
    }
    with profile.database.read() as session:
        return [entry_from_row(row) for row in session.execute(query, parameters)]


def log_extent(profile: ProfileSession) -> tuple[dt.date, dt.date] | None:
    """The first and last day that has any entry, or None when the log is empty."""
    log = _union(_Shape.of(LogFilter()))
    with profile.database.read() as session:
        first, last = session.execute(select(func.min(log.c.day), func.max(log.c.day))).one()
    if first is None or last is None:
        return None
    return first, last
