"""Money on screen: amounts in dollars written the locale's way, and the fields people type them in.

Amounts are integer cents everywhere (``domain.money``), and they are US dollars: bills, EOBs and
Good Faith Estimates come from US insurers and providers. ``format_money`` writes them with the
computer's locale separators and symbol position ("$1,240.00", "1.240,00 $" in a German locale),
but always with the dollar sign, never the locale's own currency. In the C locale (CI and some
minimal systems) it falls back to ``domain.money.format_cents`` ("$1,500.00").
"""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QWidget

from backlog_app.domain.money import format_cents, parse_dollars
from backlog_app.ui.widgets import MoneyEdit

DOLLAR = "$"


def format_money(cents: int | None, *, empty: str = "") -> str:
    """ "$1,240.00" (or "1.240,00 $" in a German locale); ``empty`` for None.

    A negative amount (a credit) is written with a minus sign, never in accounting brackets.
    """
    if cents is None:
        return empty
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        return format_cents(cents)
    # The float overload with two decimals: the int one, or the locale's own currency digits
    # (none for yen), would drop the cents.
    text = locale.toCurrencyString(abs(cents) / 100, DOLLAR, 2)
    return f"{locale.negativeSign()}{text}" if cents < 0 else text


def negative_problem(label: str) -> str:
    """What a negative amount on an entry that is no adjustment is told (the domain's words)."""
    return f"{label} is negative; only an entry marked as an adjustment (a credit) may be."


class AmountEdit(MoneyEdit):
    """A money field with a name: "1,500" or "1500.00"; negative only while ``allow_negative``.

    Args:
        label: how problems name the field ("The billed amount").
    """

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.allow_negative = False
        self.setAccessibleName(label)

    def cents(self) -> int | None:
        """Raises ValueError with a plain message that names the field."""
        text = self.text()
        try:
            return parse_dollars(text, allow_negative=self.allow_negative)
        except ValueError as exc:
            if not self.allow_negative and _is_negative_amount(text):
                raise ValueError(negative_problem(self.label)) from exc
            raise ValueError(f"{self.label}: {exc}") from exc


def _is_negative_amount(text: str) -> bool:
    try:
        cents = parse_dollars(text, allow_negative=True)
    except ValueError:
        return False
    return cents is not None and cents < 0
