"""Money on screen is always in dollars: a British or German computer writes the amounts with its
own separators, but never with "£" or "€" (the bills are from US providers, in dollars)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale

from backlog_app.domain.costs import CostData, CostKind
from backlog_app.domain.money import format_cents
from backlog_app.services.context import ProfileSession
from backlog_app.ui.models.cost_model import COLUMN_BILLED, CostTableModel
from backlog_app.ui.money import format_money

NBSP = "\N{NO-BREAK SPACE}"
DAY = dt.date(2026, 10, 2)


@pytest.fixture
def locale_of() -> Iterator[object]:
    """``locale_of("de_DE")`` makes that the default locale for the test; restored after."""
    previous = QLocale()

    def use(name: str) -> None:
        QLocale.setDefault(QLocale(name))

    yield use
    QLocale.setDefault(previous)


@pytest.mark.parametrize(
    ("name", "amount", "credit"),
    [
        ("en_US", "$1,240.50", "-$25.00"),
        ("en_GB", "$1,240.50", "-$25.00"),
        ("de_DE", f"1.240,50{NBSP}$", f"-25,00{NBSP}$"),
        ("ja_JP", "$1,240.50", "-$25.00"),  # yen have no cents; dollars do
    ],
)
def test_amounts_are_dollars_in_the_locales_own_writing(
    locale_of: object, name: str, amount: str, credit: str
) -> None:
    locale_of(name)  # type: ignore[operator]
    assert format_money(124_050) == amount
    assert format_money(-2_500) == credit  # a credit: a minus sign, not accounting brackets
    assert format_money(0).count("$") == 1
    for cents in (124_050, -2_500, 99, 123_456_789):
        text = format_money(cents)
        assert "$" in text and "£" not in text and "€" not in text and "¥" not in text
    assert format_money(None, empty="—") == "—"


def test_the_c_locale_falls_back_to_the_plain_dollar_format(locale_of: object) -> None:
    locale_of("C")  # type: ignore[operator]
    assert format_money(124_050) == format_cents(124_050) == "$1,240.50"
    assert format_money(-2_500) == "-$25.00"


@pytest.mark.parametrize("name", ["en_GB", "de_DE"])
def test_the_costs_table_shows_dollars_on_a_british_or_german_computer(
    locale_of: object, profile: ProfileSession, name: str
) -> None:
    locale_of(name)  # type: ignore[operator]
    profile.costs.add(
        CostData(
            CostKind.BILL, "Facility fee", service_date=DAY, bill_date=DAY, billed_cents=65_000
        )
    )
    model = CostTableModel()
    model.set_overview(profile.costs.overview())
    billed = model.index(0, COLUMN_BILLED).data()
    assert "$" in billed and "650" in billed
    assert "£" not in billed and "€" not in billed
