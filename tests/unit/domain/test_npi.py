"""NPI rules: 10 digits, starting 1 or 2, Luhn check digit over "80840" + the first nine."""

from __future__ import annotations

import pytest

from backlog_app.domain.npi import (
    is_valid_npi,
    luhn_check_digit,
    normalize_npi,
    npi_check_digit,
    npi_problem,
)
from backlog_app.services.demo import _providers, demo_npi

# The first nine digits of every NPI the demo profile generates.
DEMO_FIRST_NINE = [
    "148291035",
    "130587264",
    "172049381",
    "155820476",
    "191736204",
    "163348120",
    "201548836",
    "117093458",
    "244610397",
    "260031984",
    "235077612",
]


@pytest.mark.parametrize(
    "text",
    [
        "1234567893",  # the example CMS publishes
        "1245319599",
        "1003000126",
        "2000000002",  # an organization (starts with 2); check digit worked by hand
        "1234-567-893",  # as printed on letterheads
        "1234 567 893",
        " 1234567893 ",
        "1234\t567893",
    ],
)
def test_valid_npi(text: str) -> None:
    assert npi_problem(text) is None
    assert is_valid_npi(text)


@pytest.mark.parametrize("first_nine", DEMO_FIRST_NINE)
def test_demo_npis_are_valid(first_nine: str) -> None:
    npi = demo_npi(first_nine)
    assert len(npi) == 10
    assert npi.startswith(first_nine)
    assert is_valid_npi(npi)


def test_every_demo_provider_npi_is_valid() -> None:
    npis = [p.npi for p in _providers() if p.npi is not None]
    assert len(npis) == len(DEMO_FIRST_NINE)
    assert all(is_valid_npi(npi) for npi in npis)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234567890", "last digit does not match"),
        ("1234567894", "last digit does not match"),
        ("1234567839", "last digit does not match"),  # two digits swapped
        ("123456789", "exactly 10 digits; this one has 9"),
        ("12345678930", "exactly 10 digits; this one has 11"),
        ("", "only digits"),
        ("12345678A3", "only digits"),
        ("NPI1234567893", "only digits"),
        ("1234567893.", "only digits"),
        ("123456789²", "only digits"),  # isdigit() is true for "²", int() fails on it
        ("١٢٣٤٥٦٧٨٩٣", "only digits"),  # Arabic-Indic digits
        ("3234567893", "starts with 1"),
        ("0234567893", "starts with 1"),
        ("9234567893", "starts with 1"),
    ],
)
def test_invalid_npi(text: str, expected: str) -> None:
    problem = npi_problem(text)
    assert problem is not None
    assert expected in problem
    assert not is_valid_npi(text)


@pytest.mark.parametrize(
    ("first_nine", "digit"),
    [("123456789", 3), ("124531959", 9), ("100300012", 6)],
)
def test_npi_check_digit(first_nine: str, digit: int) -> None:
    assert npi_check_digit(first_nine) == digit


@pytest.mark.parametrize("first_nine", ["12345678", "1234567890", "12345678X", "12345678²"])
def test_npi_check_digit_needs_nine_digits(first_nine: str) -> None:
    with pytest.raises(ValueError, match="nine digits"):
        npi_check_digit(first_nine)


@pytest.mark.parametrize(
    ("payload", "digit"),
    [("7992739871", 3), ("0", 0), ("1", 8), ("80840123456789", 3)],
)
def test_luhn_check_digit(payload: str, digit: int) -> None:
    assert luhn_check_digit(payload) == digit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234-567 893", "1234567893"),
        (" 1234567893\t", "1234567893"),
        ("1234567893", "1234567893"),
        ("- -", ""),
    ],
)
def test_normalize_npi(text: str, expected: str) -> None:
    assert normalize_npi(text) == expected
