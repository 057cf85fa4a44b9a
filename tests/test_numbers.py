"""Exact numbers: percent inputs are parsed strictly and never through floats."""

from fractions import Fraction

import pytest

from demozone.common.numbers import (
    NumberError,
    fmt_percent,
    fmt_points,
    parse_count,
    parse_rate,
    to_fraction,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15%", Fraction(3, 20)),
        ("97.5%", Fraction(39, 40)),
        (0.15, Fraction(3, 20)),
        ("0.975", Fraction(39, 40)),
        (1, Fraction(1)),
        ("100%", Fraction(1)),
        ("0%", Fraction(0)),
        ("15％", Fraction(3, 20)),
    ],
)
def test_rates_are_exact_fractions(text, expected):
    assert parse_rate(text) == expected


@pytest.mark.parametrize("bad", [97.5, "97.5", "abc%", "%", "-1%", True, None, "1,5%"])
def test_rates_reject_bare_numbers_above_one_and_garbage(bad):
    with pytest.raises(NumberError):
        parse_rate(bad)


def test_floats_are_read_from_their_decimal_text():
    assert to_fraction(0.1) + to_fraction(0.05) == Fraction(3, 20)
    assert to_fraction("1e-05") == Fraction(1, 100000)


def test_counts_must_be_whole():
    assert parse_count("21000") == 21000
    with pytest.raises(NumberError):
        parse_count(2.5)


def test_formatting_is_for_people():
    assert fmt_points(Fraction(3, 2)) == "1.5"
    assert fmt_points(Fraction(2)) == "2"
    assert fmt_percent(Fraction(71, 500)) == "14.20%"
