"""Exact numbers: strict parsing of amounts, counts and rates into `Fraction`.

Floats never enter: YAML and JSON floats are re-read from their decimal text, so 0.15 is exactly
15/100. A rate is either a string with a percent sign ("97.5%") or a fraction in [0, 1]; a bare
number above 1 for a rate is an error, never silently read as a percent.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from demozone.common import limits

_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")
_PERCENT = re.compile(r"\s*([+-]?(\d+(\.\d*)?|\.\d+))\s*[%％]\s*\Z")
_OCTAL_LOOKING = re.compile(r"[+-]?0\d")  # 017: YAML 1.1 reads it as octal 15


class NumberError(ValueError):
    """A value is not a number of the expected shape; the message says what was expected."""


def to_fraction(value: object) -> Fraction:
    """An exact Fraction from an int, a Decimal, a float (via its shortest repr) or decimal text."""
    if isinstance(value, bool):
        raise NumberError(f"expected a number, got {value!r}")
    if isinstance(value, int):
        return Fraction(_bounded(Decimal(value) if _short_int(value) else None, value))
    if isinstance(value, Fraction):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NumberError(f"expected a finite number, got {value}")
        return Fraction(_bounded(value, value))
    if isinstance(value, float):
        # repr() is the shortest text that reads back as this float: the number the user wrote.
        return to_fraction(repr(value))
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if len(text) > 2 * (limits.MAX_INTEGER_DIGITS + limits.MAX_FRACTION_DIGITS):
            raise NumberError(f"expected a number of at most {_DIGITS}, got {len(text)} characters")
        if not _DECIMAL.match(text):
            raise NumberError(f"expected a decimal number, got {value!r}")
        if _OCTAL_LOOKING.match(text):
            raise NumberError(
                f"{value!r} starts with 0 (read as octal by some tools): write it without"
            )
        try:
            return Fraction(_bounded(Decimal(text), value))
        except InvalidOperation as exc:  # pragma: no cover - guarded by the regex
            raise NumberError(f"expected a decimal number, got {value!r}") from exc
    raise NumberError(f"expected a number, got {value!r}")


_DIGITS = (
    f"{limits.MAX_INTEGER_DIGITS} digits before the point and {limits.MAX_FRACTION_DIGITS} after it"
)


def _short_int(value: int) -> bool:
    return -(10**limits.MAX_INTEGER_DIGITS) < value < 10**limits.MAX_INTEGER_DIGITS


def _bounded(number: Decimal | None, shown: object) -> Decimal:
    """`number` if its magnitude and precision are within the limits (checked on its digits and
    exponent, before any big arithmetic), else a NumberError."""
    if number is None or (number and number.adjusted() >= limits.MAX_INTEGER_DIGITS):
        raise NumberError(f"{_clip(shown)} is too large: at most {_DIGITS}")
    _sign, digits, exponent = number.as_tuple()
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    if number and -(exponent + trailing) > limits.MAX_FRACTION_DIGITS:
        raise NumberError(f"{_clip(shown)} has too many decimals: at most {_DIGITS}")
    return number


def _clip(value: object) -> str:
    text = repr(value) if not isinstance(value, int) else f"a {len(str(abs(value)))}-digit number"
    return text if len(text) <= 40 else text[:37] + "..."


def parse_rate(value: object) -> Fraction:
    """A rate as an exact fraction: "97.5%" -> 39/40, 0.975 -> 39/40; 97.5 (no %) is an error."""
    if isinstance(value, str) and ("%" in value or "％" in value):
        match = _PERCENT.match(value)
        if not match:
            raise NumberError(f'expected a percentage such as "97.5%", got {value!r}')
        rate = to_fraction(match.group(1)) / 100
    else:
        rate = to_fraction(value)
        if rate > 1:
            raise NumberError(
                f"a rate written without % must be a fraction in [0, 1], got {value!r}; "
                f'write "{value}%" if a percentage is meant'
            )
    if rate < 0:
        raise NumberError(f"a rate cannot be negative, got {value!r}")
    return rate


def parse_share(value: object) -> Fraction:
    """A rate a county reports (a share of something): `parse_rate`, at most 100%."""
    rate = parse_rate(value)
    if rate > 1:
        raise NumberError(f"a rate is at most 100%, got {value!r}")
    return rate


def parse_count(value: object) -> int:
    """A non-negative whole number."""
    number = to_fraction(value)
    if number.denominator != 1 or number < 0:
        raise NumberError(f"expected a whole number >= 0, got {value!r}")
    return int(number)


def parse_amount(value: object) -> Fraction:
    """A non-negative amount (亿元, 亿件, hours)."""
    number = to_fraction(value)
    if number < 0:
        raise NumberError(f"expected an amount >= 0, got {value!r}")
    return number


def fmt_decimal(value: Fraction, places: int = 2) -> str:
    """Fixed-point text rounded half-up at `places`; exact values print without trailing noise."""
    quantum = Decimal(1).scaleb(-places)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(quantum, rounding="ROUND_HALF_UP"))


def decimal_text(value: Fraction | Decimal | int) -> str:
    """The text of an xsd:decimal literal (no exponent): a Decimal as written ("2.50"), a
    fraction to at most six places without trailing zeros (1/3 -> "0.333333")."""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        return fmt_decimal(value, 6).rstrip("0").rstrip(".")
    return format(Decimal(value), "f")


def fmt_points(value: Fraction | Decimal | int) -> str:
    """Points (or any exact number) as people write them: 2, 1.5, 0.5; at most four places."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    text = fmt_decimal(value, 4).rstrip("0").rstrip(".")
    return text


def fmt_percent(value: Fraction, places: int = 2) -> str:
    """A rate as a percentage with exactly `places` decimals: 0.125 -> "12.50%" (places=2)."""
    return fmt_decimal(value * 100, places) + "%"


def fmt_rate(value: Fraction | Decimal) -> str:
    """A rate as a percentage written as people write it: 0.15 -> "15%", 0.125 -> "12.5%"."""
    return f"{fmt_points(Fraction(value) * 100)}%"
