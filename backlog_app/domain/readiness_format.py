"""Reading and writing readiness criteria files (JSON): the shipped defaults and the user's own.

``parse_criteria`` checks everything and lists every problem in plain words (a user may have
edited the file by hand); ``criteria_document`` writes what ``parse_criteria`` reads back. The
format is described in the shipped file itself, under "_about".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from backlog_app.domain.cases import Procedure
from backlog_app.domain.documents import DocumentKind
from backlog_app.domain.log_records import TreatmentKind
from backlog_app.domain.readiness_criteria import (
    COMMON_NAMES,
    CRITERIA_FORMAT,
    CRITERIA_VERSION,
    DEFAULT_ENTRY,
    KIND_SHAPES,
    LIST_NAMES,
    NUMBER_NAMES,
    SWITCH_NAMES,
    TEXT_NAMES,
    CriteriaError,
    CriteriaSet,
    Criterion,
    CriterionKind,
    ProcedureCriteria,
    check_aliases,
    cross_problems,
    number_range,
)

_KEY = re.compile(r"[a-z0-9_]{1,40}", re.ASCII)
_ICD10_PREFIX = re.compile(r"[A-Z]\d(?:[0-9A-Z](?:\.[0-9A-Z]{0,4})?)?", re.ASCII)
_MAX_TEXT = 500


def parse_criteria(data: object) -> CriteriaSet:
    """The criteria in ``data`` (a JSON document already read into Python values).

    Raises:
        CriteriaError: with one plain sentence per problem found (all of them, up to 20).
    """
    problems: list[str] = []
    if not isinstance(data, dict):
        raise CriteriaError(["The file must hold one JSON object ({…})."])
    if data.get("format") != CRITERIA_FORMAT:
        problems.append(f"“format” must be “{CRITERIA_FORMAT}”.")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        problems.append("“version” must be a whole number (1).")
    elif version > CRITERIA_VERSION:
        raise CriteriaError(
            [f"It was written by a newer BackLog (format version {version}); update BackLog."]
        )
    elif version < 1:
        problems.append("“version” must be 1.")
    _unknown_keys(data, {"format", "version", "procedures"}, "The file", problems)
    procedures = data.get("procedures")
    if not isinstance(procedures, dict):
        problems.append("“procedures” must be an object with one entry per procedure.")
        raise CriteriaError(problems)
    entries: dict[str, ProcedureCriteria] = {}
    aliases: dict[str, str] = {}
    known = {p.value for p in Procedure} | {DEFAULT_ENTRY}
    for name, entry in procedures.items():
        if name.startswith("_"):
            continue
        where = f"“{name}”"
        if name not in known:
            problems.append(f"{where} is not a procedure BackLog knows ({_known_words()}).")
            continue
        if isinstance(entry, dict) and "same_as" in entry:
            target = entry.get("same_as")
            _unknown_keys(entry, {"same_as"}, where, problems)
            if not isinstance(target, str) or target not in known:
                problems.append(f"{where}: “same_as” must name another procedure.")
            elif name == DEFAULT_ENTRY:
                problems.append("“default” cannot be “same_as” another procedure.")
            else:
                aliases[name] = target
            continue
        parsed = _parse_entry(entry, where, problems)
        if parsed is not None:
            entries[name] = parsed
    check_aliases(entries, aliases, problems)
    if problems:
        raise CriteriaError(problems[:20])
    return CriteriaSet(entries, aliases)


def _known_words() -> str:
    return "for example lumbar_mri, microdiscectomy, lumbar_fusion, or default"


def _unknown_keys(data: dict[str, Any], allowed: set[str], where: str, problems: list[str]) -> None:
    for key in data:
        if key not in allowed and not key.startswith("_"):
            problems.append(f"{where}: “{key}” is not a known setting.")


def _parse_entry(entry: object, where: str, problems: list[str]) -> ProcedureCriteria | None:
    if not isinstance(entry, dict):
        problems.append(f"{where} must be an object with “source” and “criteria”.")
        return None
    _unknown_keys(entry, {"source", "note", "criteria"}, where, problems)
    source = _text(entry, "source", where, problems, required=True)
    note = _text(entry, "note", where, problems)
    raw = entry.get("criteria")
    if not isinstance(raw, list):
        problems.append(f"{where}: “criteria” must be a list.")
        return None
    criteria = []
    keys: set[str] = set()
    for number, item in enumerate(raw, start=1):
        criterion = _parse_criterion(item, f"{where}, criterion {number}", problems)
        if criterion is None:
            continue
        if criterion.key in keys:
            problems.append(f"{where}: the key “{criterion.key}” is used twice.")
        keys.add(criterion.key)
        criteria.append(criterion)
    return ProcedureCriteria(tuple(criteria), source or "", note)


def _text(
    data: dict[str, Any], name: str, where: str, problems: list[str], *, required: bool = False
) -> str | None:
    value = data.get(name)
    if value is None:
        if required:
            problems.append(f"{where}: “{name}” is missing.")
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > _MAX_TEXT:
        problems.append(f"{where}: “{name}” must be text of 1 to {_MAX_TEXT} characters.")
        return None
    return value.strip()


def _parse_criterion(item: object, where: str, problems: list[str]) -> Criterion | None:
    if not isinstance(item, dict):
        problems.append(f"{where} must be an object.")
        return None
    before = len(problems)
    key = item.get("key")
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        problems.append(f"{where}: “key” must be a short name of a–z, 0–9 and _.")
    else:
        where = f"{where} (“{key}”)"
    try:
        kind = CriterionKind(str(item.get("kind")))
    except ValueError:
        kinds = ", ".join(k.value for k in CriterionKind)
        problems.append(f"{where}: “kind” must be one of {kinds}.")
        return None
    shape = KIND_SHAPES[kind]
    allowed = COMMON_NAMES | shape.required | shape.optional | set(shape.one_of)
    if kind is CriterionKind.DOCUMENT_ON_FILE:
        allowed.add("label")
    _unknown_keys(item, allowed, where, problems)
    for name in shape.required:
        if item.get(name) is None:
            problems.append(f"{where}: “{name}” is missing.")
    values: dict[str, Any] = {"key": key, "kind": kind}
    values["source"] = _text(item, "source", where, problems, required=True)
    for name in TEXT_NAMES:
        if name in allowed:
            values[name] = _text(item, name, where, problems)
    for name in NUMBER_NAMES:
        if name in allowed and item.get(name) is not None:
            values[name] = _number(item[name], kind, name, where, problems)
    for name in SWITCH_NAMES:
        if name in allowed and item.get(name) is not None:
            if not isinstance(item[name], bool):
                problems.append(f"{where}: “{name}” must be true or false.")
            else:
                values[name] = item[name]
    enabled = item.get("enabled", True)
    if not isinstance(enabled, bool):
        problems.append(f"{where}: “enabled” must be true or false.")
    values["enabled"] = enabled is not False
    for name in LIST_NAMES:
        if name in allowed and item.get(name) is not None:
            values[name] = _list(item[name], name, where, problems)
    if len(problems) > before:
        return None
    criterion = Criterion(**values)
    problems += cross_problems(criterion, f"{where}: ")
    return criterion if len(problems) == before else None


def _number(value: object, kind: CriterionKind, name: str, where: str, problems: list[str]) -> int:
    low, high = number_range(kind, name)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        problems.append(f"{where}: “{name}” must be a whole number from {low} to {high}.")
        return low
    return value


def _list(value: object, name: str, where: str, problems: list[str]) -> tuple[Any, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        problems.append(f"{where}: “{name}” must be a list of text.")
        return ()
    try:
        if name == "treatments":
            return tuple(TreatmentKind(v) for v in value)
        if name == "document_kinds":
            return tuple(DocumentKind(v) for v in value)
    except ValueError as exc:
        problems.append(f"{where}: “{name}” has an unknown value ({exc}).")
        return ()
    if name in ("when_icd10", "unless_icd10"):
        bad = [v for v in value if not _ICD10_PREFIX.fullmatch(v.strip().upper())]
        if bad:
            problems.append(f"{where}: “{name}” must list ICD-10 code beginnings like “M43.1”.")
            return ()
        return tuple(v.strip().upper() for v in value)
    words = tuple(v.strip() for v in value if v.strip())
    if not words:
        problems.append(f"{where}: “{name}” must not be empty.")
    return words


# --- writing ------------------------------------------------------------------------------------


def criterion_document(criterion: Criterion) -> dict[str, Any]:
    """One criterion as JSON-ready data: only what differs from the defaults."""
    out: dict[str, Any] = {"key": criterion.key, "kind": criterion.kind.value}
    for name in (*NUMBER_NAMES, *SWITCH_NAMES, *TEXT_NAMES):
        value = getattr(criterion, name)
        if value is not None and value is not False:
            out[name] = value
    for name in LIST_NAMES:
        value = getattr(criterion, name)
        if value:
            out[name] = [str(v) for v in value]
    out["source"] = criterion.source
    if not criterion.enabled:
        out["enabled"] = False
    return out


def entry_document(entry: ProcedureCriteria) -> dict[str, Any]:
    out: dict[str, Any] = {"source": entry.source}
    if entry.note:
        out["note"] = entry.note
    out["criteria"] = [criterion_document(c) for c in entry.criteria]
    return out


def criteria_document(
    entries: Mapping[str, ProcedureCriteria], about: Sequence[str] = ()
) -> dict[str, Any]:
    """A criteria file (the user's own) as JSON-ready data; ``parse_criteria`` reads it back."""
    out: dict[str, Any] = {}
    if about:
        out["_about"] = list(about)
    out["format"] = CRITERIA_FORMAT
    out["version"] = CRITERIA_VERSION
    out["procedures"] = {name: entry_document(entries[name]) for name in sorted(entries)}
    return out
