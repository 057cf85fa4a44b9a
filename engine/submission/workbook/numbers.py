"""Exact numbers in and out of a workbook: a Fraction as the decimal a cell holds (or as text when
a spreadsheet's double could not hold it exactly), and a cell's number as the decimal it shows."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from demozone.common.errors import DemozoneBug

SIGNIFICANT_DIGITS = 15  # what a spreadsheet's double keeps exactly


def exact_decimal(value: Fraction) -> Decimal:
    """The decimal of a value read from decimal text (its expansion terminates)."""
    for places in range(60):
        scaled = value * 10**places
        if scaled.denominator == 1:
            return Decimal(scaled.numerator).scaleb(-places)
    raise DemozoneBug(f"{value} has no finite decimal expansion")


def decimal_text(value: Decimal) -> str:
    """Plain text without exponent or trailing zeros: 97.50 -> 97.5, 1E+2 -> 100."""
    text = format(value.normalize(), "f")
    return text


def percent_text(value: Fraction) -> str:
    """A rate or growth as the contract writes it: 39/40 -> "97.5%", -1/500 -> "-0.2%"."""
    return decimal_text(exact_decimal(value * 100)) + "%"


def fits_a_cell(value: Decimal) -> bool:
    """True when a spreadsheet's double keeps this decimal exactly as written."""
    digits = value.normalize().as_tuple().digits
    return len(digits) <= SIGNIFICANT_DIGITS


def percent_format(value: Decimal) -> str:
    """A number format showing a fraction as a percentage with every decimal it has."""
    places = max(0, -(value * 100).normalize().as_tuple().exponent)
    return "0%" if places == 0 else "0." + "0" * places + "%"


def cell_number(value: int | float) -> int | Decimal:
    """A number read from a cell as the decimal it shows (a double by its shortest text)."""
    if isinstance(value, int):
        return value
    if value.is_integer() and abs(value) < 2**53:
        return int(value)
    return Decimal(repr(value))
