"""Small helpers the kinds' words share: a value shown to a few places (`show`) and whether a
test holds, exactly (`holds`)."""

from __future__ import annotations

from fractions import Fraction

from demozone.common.numbers import fmt_decimal, fmt_percent, fmt_points


def show(value: Fraction, places: int = 2) -> str:
    """A derived value as a reason writes it: a share as a percentage, a whole number plainly,
    anything else with `places` decimals."""
    if abs(value) <= 2 and value.denominator != 1:
        return fmt_percent(value)
    return fmt_points(value) if value.denominator == 1 else fmt_decimal(value, places)


def holds(value: Fraction, compare: str, target: Fraction) -> bool:
    """Whether `value compare target` holds, exactly."""
    return {
        ">": value > target,
        ">=": value >= target,
        "<": value < target,
        "<=": value <= target,
        "=": value == target,
    }[compare]
