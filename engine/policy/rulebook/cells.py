"""A rule workbook's cells: values written as YAML flow text, read back strictly, compared by
meaning ("15%" and 0.15, 2 and "2" are the same)."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from demozone.common.errors import InputError
from demozone.common.numbers import decimal_text
from demozone.common.yamlio import load_yaml_text
from demozone.rules import kinds

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def flow(value: object) -> str:
    """A value as one line of YAML flow text, strings quoted, numbers exact."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, Fraction):
        return decimal_text(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _key(key: object) -> str:
    text = str(key)
    return text if _PLAIN_KEY.match(text) else flow(text)


def cell_text(value: object) -> str:
    """A scalar as a cell shows it (no quotes), a structure as flow text."""
    if isinstance(value, dict | list | tuple):
        return flow(value)
    if isinstance(value, Fraction):
        return decimal_text(value)
    return "" if value is None else str(value)


def parse(text: str, where: str) -> object:
    """The value of a cell's YAML flow text; InputError naming the cell when it is not YAML."""
    return load_yaml_text(text, where)


def scalar(value: object) -> object:
    """A scalar cell as a rule file would hold it: whole numbers as int, other numbers exact,
    text stripped (a number typed into Excel arrives as int or float)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            number = Decimal(text)
        except ArithmeticError:
            return text
        if not number.is_finite():
            return text
        return int(number) if number == number.to_integral_value() else number
    return value


def meaning(value: object) -> object:
    """A value with every number exact, so that equal meanings compare equal."""
    if isinstance(value, dict):
        return {str(k): meaning(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [meaning(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    try:
        return kinds.number(value, "")
    except kinds.RuleProblem:
        return str(value)


__all__ = ["InputError", "cell_text", "flow", "meaning", "parse", "scalar"]
