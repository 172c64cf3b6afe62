"""National Provider Identifier (NPI) checks: 10 digits, Luhn check digit over "80840" + 9 digits."""

from __future__ import annotations

# CMS prefixes the 9 identifier digits with the ISO issuer code 80840 before the Luhn check.
_ISSUER_PREFIX = "80840"


def normalize_npi(text: str) -> str:
    """Drop spaces and dashes people type or copy from letterheads ("1234-567 893")."""
    return "".join(ch for ch in text if ch not in " -\t")


def luhn_check_digit(digits: str) -> int:
    """The Luhn digit that makes ``digits`` + digit pass the Luhn check.

    Args:
        digits: the payload, decimal digits only.
    """
    total = 0
    # Double every second digit counting from the right of the payload (the check digit's
    # neighbour is doubled).
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


def npi_check_digit(first_nine: str) -> int:
    """The check digit for an NPI whose first nine digits are ``first_nine``."""
    if len(first_nine) != 9 or not (first_nine.isascii() and first_nine.isdigit()):
        raise ValueError("an NPI check digit needs exactly nine digits")
    return luhn_check_digit(_ISSUER_PREFIX + first_nine)


def npi_problem(text: str) -> str | None:
    """Why ``text`` is not a valid NPI, in plain words, or None when it is valid.

    Args:
        text: what the user typed; spaces and dashes are ignored.
    """
    npi = normalize_npi(text)
    # isascii(): str.isdigit() is also true for "²" and other digits int() cannot read.
    if not (npi.isascii() and npi.isdigit()):
        return "An NPI has only digits (0-9)."
    if len(npi) != 10:
        return f"An NPI has exactly 10 digits; this one has {len(npi)}."
    if npi[0] not in "12":
        return "An NPI starts with 1 (a person) or 2 (an organization)."
    if npi_check_digit(npi[:9]) != int(npi[9]):
        return "This NPI's last digit does not match the others: please check it for a typo."
    return None


def is_valid_npi(text: str) -> bool:
    """True when ``text`` is a well-formed NPI with a correct check digit."""
    return npi_problem(text) is None
