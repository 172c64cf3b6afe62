"""Money as integer cents: parsing what people type and formatting it back."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_MONEY = re.compile(r"^\$?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")


def parse_dollars(text: str, *, allow_negative: bool = False) -> int | None:
    """Cents for "$1,500", "1500.5" or "1500.50"; None for an empty field.

    With ``allow_negative`` (a credit or adjustment), "-25.00" and "-$25" give negative cents.

    Raises:
        ValueError: with a plain message when the text is not an amount of dollars.
    """
    cleaned = text.strip()
    if not cleaned:
        return None
    if allow_negative and cleaned.startswith("-"):
        positive = parse_dollars(cleaned[1:])
        if positive is None:
            raise ValueError("“-” is not an amount in dollars, like -25.00.")
        return -positive
    match = _MONEY.match(cleaned)
    if match is None:
        raise ValueError(f"“{cleaned}” is not an amount in dollars, like 1,500 or 1500.00.")
    try:
        amount = Decimal(cleaned.lstrip("$").strip().replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex already rules this out
        raise ValueError(f"“{cleaned}” is not an amount in dollars.") from exc
    return int(amount * 100)


def format_cents(cents: int | None, *, empty: str = "") -> str:
    """ "$1,500.00" for 150000; ``empty`` for None."""
    if cents is None:
        return empty
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    return f"{sign}${dollars:,}.{rest:02d}"
