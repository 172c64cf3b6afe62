"""Money: what people type becomes integer cents, and cents read back as dollars."""

from __future__ import annotations

import pytest

from backlog_app.domain.money import format_cents, parse_dollars


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1500", 150_000),
        ("1,500", 150_000),
        ("$1,500", 150_000),
        ("$ 1,500", 150_000),
        ("  $1,500.00  ", 150_000),
        ("1500.5", 150_050),
        ("1500.50", 150_050),
        ("1500.05", 150_005),
        ("0.01", 1),
        ("0", 0),
        ("1,234,567.89", 123_456_789),
        ("007", 700),
    ],
)
def test_parse_dollars(text: str, cents: int) -> None:
    assert parse_dollars(text) == cents


@pytest.mark.parametrize("text", ["", "   ", "\t"])
def test_parse_dollars_empty_is_none(text: str) -> None:
    assert parse_dollars(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "-5",
        "1.234",
        "1,50",
        "1,5000",
        "12,34,567",
        "$",
        ".5",
        "1.",
        "1e3",
        "abc",
        "1 500",
        "USD 1500",
        "1500$",
    ],
)
def test_parse_dollars_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="is not an amount in dollars"):
        parse_dollars(text)


@pytest.mark.parametrize(
    ("cents", "text"),
    [
        (150_000, "$1,500.00"),
        (150_050, "$1,500.50"),
        (1, "$0.01"),
        (0, "$0.00"),
        (-5, "-$0.05"),
        (-150_000, "-$1,500.00"),
        (123_456_789, "$1,234,567.89"),
    ],
)
def test_format_cents(cents: int, text: str) -> None:
    assert format_cents(cents) == text


def test_format_cents_none() -> None:
    assert format_cents(None) == ""
    assert format_cents(None, empty="—") == "—"


@pytest.mark.parametrize("cents", [0, 1, 99, 100, 150_050, 99_999_999])
def test_format_then_parse_round_trips(cents: int) -> None:
    assert parse_dollars(format_cents(cents)) == cents


@pytest.mark.parametrize(
    ("text", "cents"),
    [("-25", -2_500), ("-$25.00", -2_500), ("- $1,500.50", -150_050), ("25", 2_500)],
)
def test_adjustments_may_be_negative(text: str, cents: int) -> None:
    assert parse_dollars(text, allow_negative=True) == cents


@pytest.mark.parametrize("text", ["-", "--5", "-abc", "-$"])
def test_a_lone_minus_is_not_an_amount(text: str) -> None:
    with pytest.raises(ValueError, match="not an amount"):
        parse_dollars(text, allow_negative=True)
