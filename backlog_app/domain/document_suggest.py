"""Suggesting a document's kind, date and provider from its text, each with a plain reason.

Suggestions only: the user confirms or changes them. Every rule is a phrase an insurer or a clinic
really prints; the reason names what was found ("found “has been denied”").
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from backlog_app.domain.document_kind_rules import LETTER_KINDS, best_kind
from backlog_app.domain.documents import DocumentKind
from backlog_app.domain.npi import is_valid_npi, normalize_npi

# Suggestions come from the first pages; a 500-page scan needs no more to say what it is.
MAX_TEXT_CHARACTERS = 100_000
EARLIEST_YEAR = 1900


@dataclass(frozen=True, slots=True)
class ProviderHint:
    """A provider from the directory, as far as matching text needs it."""

    id: int
    name: str
    npi: str | None = None


@dataclass(frozen=True, slots=True)
class MetadataSuggestion:
    """What the text suggests; a field is None (and its reason empty) when nothing was found."""

    kind: DocumentKind | None = None
    kind_reason: str = ""
    document_date: dt.date | None = None
    date_reason: str = ""
    provider_id: int | None = None
    provider_reason: str = ""

    @property
    def empty(self) -> bool:
        return self.kind is None and self.document_date is None and self.provider_id is None


def suggest_metadata(
    text: str, providers: Sequence[ProviderHint], today: dt.date
) -> MetadataSuggestion:
    """Kind, date printed on the document, and provider, suggested from ``text``.

    Args:
        text: the document's words (embedded or OCR), title appended if wanted.
        providers: the provider directory.
        today: no suggested date is after it.
    """
    text = text[:MAX_TEXT_CHARACTERS]
    kind, kind_reason = best_kind(text)
    document_date, date_reason = suggest_date(text, today, kind)
    provider_id, provider_reason = suggest_provider(text, providers)
    return MetadataSuggestion(
        kind=kind,
        kind_reason=kind_reason,
        document_date=document_date,
        date_reason=date_reason,
        provider_id=provider_id,
        provider_reason=provider_reason,
    )


# --- dates --------------------------------------------------------------------------------------

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE_PATTERNS = (
    # 2026-03-04, 2026/03/04
    re.compile(r"(?<![\d/.-])(?P<y>\d{4})([-/.])(?P<m>\d{1,2})\2(?P<d>\d{1,2})(?![\d/-])"),
    # 03/04/2026, 3/4/26, 03-04-2026 (United States order: month first)
    re.compile(r"(?<![\d/.-])(?P<m>\d{1,2})([/-])(?P<d>\d{1,2})\2(?P<y>\d{4}|\d{2})(?![\d/-])"),
    # March 4, 2026 · Mar. 4 2026 · March 4th, 2026
    re.compile(
        rf"\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b", re.IGNORECASE
    ),
    # 4 March 2026 · 4th Mar, 2026
    re.compile(
        rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<y>\d{{4}})\b", re.IGNORECASE
    ),
)


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date written in the text, where it was written."""

    value: dt.date
    start: int
    end: int


def find_dates(text: str, today: dt.date) -> list[FoundDate]:
    """Every real calendar date in ``text``, in reading order (impossible ones like 2/30 skipped).

    Two-digit years are this century when that is not after ``today``, else the last one.
    """
    found: list[FoundDate] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            value = _to_date(match, today)
            if value is not None:
                found.append(FoundDate(value, match.start(), match.end()))
    found.sort(key=lambda item: item.start)
    return found


def _to_date(match: re.Match[str], today: dt.date) -> dt.date | None:
    groups = match.groupdict()
    year = int(groups["y"])
    if len(groups["y"]) == 2:
        year += 2000 if 2000 + year <= today.year else 1900
    month = _MONTHS[groups["mon"][:3].lower()] if groups.get("mon") else int(groups["m"])
    try:
        return dt.date(year, month, int(groups["d"]))
    except ValueError:
        return None


def _labels(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b", re.IGNORECASE)


_SERVICE_LABELS = _labels(
    r"dates?[ \t]+of[ \t]+service(?:\(s\)|s)?",
    r"service[ \t]+dates?",
    r"DOS",
    r"dates?[ \t]+of[ \t]+(?:exam(?:ination)?|visit|procedure|surgery|evaluation|study|treatment)",
    r"(?:exam|visit|procedure|surgery|evaluation|study|treatment)[ \t]+date",
)
_LETTER_LABELS = _labels(
    r"dates?[ \t]+of[ \t]+(?:letter|notice|statement|issue|report|referral|determination|decision)",
    r"(?:letter|notice|statement|issue|report|referral|determination|decision|mail(?:ing)?)[ \t]+date",
    r"date[ \t]+(?:issued|sent|mailed)",
)
# "Date:" on its own, not the end of "Due Date:" or "Birth Date:".
_GENERIC_LABELS = re.compile(r"(?<![A-Za-z] )(?<![A-Za-z])(?:date|dated)\b(?=\s*:|[ \t]+\d)", re.I)
# Dates that are never the document's own: birth, injury, deadlines.
_EXCLUDED_LABELS = _labels(
    r"dates?[ \t]+of[ \t]+(?:birth|injury|onset)",
    r"(?:birth|injury|onset|due|expiration|expiry)[ \t]+date",
    r"birthdate",
    r"D\.?O\.?B\.?",
    r"DOI",
    r"born",
    r"(?:due|pay|respond|appeal|expires?)[ \t]+(?:by|on)",
    r"deadline",
)
_SERVICE, _LETTER, _GENERIC = "service", "letter", "generic"
_LABEL_GAP = 40  # characters between a label and its date, at most


def suggest_date(
    text: str, today: dt.date, kind: DocumentKind | None = None
) -> tuple[dt.date | None, str]:
    """The date printed on the document, and why.

    A labelled date comes first: for letters, bills and notices the letter's own date; for
    clinical records the date of service. Otherwise the date written most often, else the first.
    Dates of birth and deadlines are never suggested, nor dates after ``today`` or before 1900.
    """
    dates = [
        found
        for found in find_dates(text, today)
        if dt.date(EARLIEST_YEAR, 1, 1) <= found.value <= today
    ]
    excluded = {item.found.value for item in _labelled(text, dates, _EXCLUDED_LABELS)}
    dates = [found for found in dates if found.value not in excluded]
    if not dates:
        return None, ""
    groups = {
        _SERVICE: _labelled(text, dates, _SERVICE_LABELS),
        _LETTER: _labelled(text, dates, _LETTER_LABELS),
        _GENERIC: _labelled(text, dates, _GENERIC_LABELS),
    }
    order = (_LETTER, _GENERIC, _SERVICE) if kind in LETTER_KINDS else (_SERVICE, _GENERIC, _LETTER)
    for group in order:
        if groups[group]:
            first = groups[group][0]
            return first.found.value, f"labelled “{first.label}”"
    counts = Counter(found.value for found in dates)
    (top, top_count), *rest = counts.most_common()
    if top_count > 1 and (not rest or rest[0][1] < top_count):
        return top, f"the date written most often ({top_count} times)"
    return dates[0].value, "the first date in the text"


@dataclass(frozen=True, slots=True)
class _Labelled:
    found: FoundDate
    label: str


def _labelled(text: str, dates: list[FoundDate], labels: re.Pattern[str]) -> list[_Labelled]:
    """Dates that follow one of ``labels`` closely (same or next line), in reading order."""
    result: list[_Labelled] = []
    for match in labels.finditer(text):
        for found in dates:
            if found.start < match.end():
                continue
            gap = text[match.end() : found.start]
            if len(gap) <= _LABEL_GAP and _plain_gap(gap):
                result.append(_Labelled(found, " ".join(match.group(0).split())))
            break
    result.sort(key=lambda item: item.found.start)
    return result


def _plain_gap(gap: str) -> bool:
    """True for what may stand between a label and its date: ": ", "(s):", a weekday, a line
    end, or (in a table) the next column headings."""
    return (
        not any(ch.isdigit() for ch in gap)
        and gap.count("\n") <= 2
        and len(re.findall(r"[A-Za-z]{2,}", gap)) <= 2
    )


# --- provider -----------------------------------------------------------------------------------

_NPI_CANDIDATE = re.compile(
    r"(?<![\d-])(\d{10}|\d{4}[ -]\d{3}[ -]\d{3}|\d{3}[ -]\d{3}[ -]\d{4})(?![\d-])"
)
_TITLE = re.compile(r"^(?:dr\.?|doctor)\s+", re.IGNORECASE)
_CREDENTIALS = re.compile(
    r"(?:,?\s+(?:MD|M\.D\.|DO|D\.O\.|DPT|PT|PA-?C|NP|FNP|RN|DC|D\.C\.|PhD|MBBS|FACS|LAc|OTR))+\.?$",
    re.IGNORECASE,
)


def suggest_provider(text: str, providers: Sequence[ProviderHint]) -> tuple[int | None, str]:
    """The provider a document is from: an NPI in the text matching one in the directory, else a
    directory name written in the text (whole words, any case). The earliest in the text wins."""
    by_npi = {normalize_npi(p.npi): p for p in providers if p.npi and is_valid_npi(p.npi)}
    for candidate in _NPI_CANDIDATE.finditer(text):
        npi = normalize_npi(candidate.group(1))
        if npi in by_npi:
            return by_npi[npi].id, f"found NPI {npi}"
    best: tuple[int, int, ProviderHint, str] | None = None
    for provider in providers:
        for pattern in _name_patterns(provider.name):
            match = pattern.search(text)
            if match is None:
                continue
            found = (match.start(), -len(match.group(0)), provider, match.group(0))
            if best is None or found[:2] < best[:2]:
                best = found
    if best is None:
        return None, ""
    written = " ".join(best[3].split())
    return best[2].id, f"found the name “{written}”"


def _name_patterns(name: str) -> list[re.Pattern[str]]:
    """Ways a directory name may be written: as is, without "Dr." or "MD", and "Last, First"."""
    name = " ".join(name.split())
    bare = _CREDENTIALS.sub("", _TITLE.sub("", name)).strip(" ,")
    variants = [name] if len(name) >= 3 else []
    words = bare.split()
    if len(words) >= 2:
        variants += [bare, f"{words[-1]}, {' '.join(words[:-1])}"]
    return [
        re.compile(
            r"(?<!\w)" + r"\s+".join(re.escape(word) for word in variant.split()) + r"(?!\w)",
            re.IGNORECASE,
        )
        for variant in dict.fromkeys(variants)
    ]
