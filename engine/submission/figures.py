"""The figures of a submission: `metrics:` (the county's own, per assessed year), `reference:`
(the national figures they are compared with) and `operators:` (named operators' annual sales),
each read as an exact number of its metric's kind: rate, count, amount or growth rate."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction

from demozone.common import yamlio
from demozone.common.numbers import (
    NumberError,
    parse_amount,
    parse_count,
    parse_rate,
    parse_share,
)
from demozone.kb.metrics import metric_vocabulary
from demozone.submission.model import OPERATOR_KEYS, MetricValue, Operator, ReferenceValue
from demozone.submission.reading import Reading, as_year, line_of

_REFERENCE = re.compile(r"^national_(?P<metric>[a-z0-9_]+?)(?P<growth>_growth)?$")
_EXPECTED_NUMBER = {
    "rate": (
        'a percentage such as "97.5%" or a fraction in [0, 1]',
        "带百分号的字符串（如“97.5%”）或0到1之间的小数",
    ),
    "count": ("a whole number >= 0", "不小于0的整数"),
    "amount": ("a number >= 0", "不小于0的数值"),
    "growth": (
        'a percentage such as "3.9%" or "-0.2%", or a fraction',
        "百分比（如“3.9%”“-0.2%”）或小数",
    ),
}


def reference_ids() -> list[str]:
    """Every id the `reference:` section may use: national_<metric> and its _growth."""
    ids = []
    for metric in metric_vocabulary():
        ids += [f"national_{metric}", f"national_{metric}_growth"]
    return ids


# -- metrics and references -------------------------------------------------------------------
def read_metrics(reading: Reading, section: dict) -> dict[tuple[str, int], MetricValue]:
    """The county's figures by (metric, year); a bare value is the last assessed year's."""
    vocabulary = metric_vocabulary()
    values = {}
    for metric, raw in section.items():
        if metric not in vocabulary:
            _unknown_metric(reading, metric, section)
            continue
        kind = vocabulary[metric].kind
        for year, value, path, mapping, key in _series(
            reading, raw, f"metrics.{metric}", section, metric
        ):
            parsed = _number(reading, value, kind, path, mapping, key)
            if parsed is not None and year is not None:
                values[(metric, year)] = MetricValue(
                    metric, year, parsed, path, line_of(mapping, key)
                )
    return values


def _unknown_metric(reading: Reading, metric, section: dict) -> None:
    close = difflib.get_close_matches(str(metric), list(metric_vocabulary()), n=1)
    reading.problem(
        f"metrics.{metric}",
        f"unknown metric {metric!r}" + (f"; did you mean {close[0]!r}?" if close else ""),
        f"未知的指标数据项 {metric!r}" + (f"，是否应为 {close[0]!r}？" if close else ""),
        "an id of the metric table of the submission format",
        section,
        metric,
    )


def read_references(
    reading: Reading, section: dict
) -> dict[tuple[str, int | None], ReferenceValue]:
    """The national figures by (reference id, year); a bare value has no year."""
    vocabulary = metric_vocabulary()
    values = {}
    for ref, raw in section.items():
        match = _REFERENCE.match(str(ref))
        metric = match["metric"] if match else None
        if metric not in vocabulary:
            _unknown_reference(reading, ref, section)
            continue
        kind = "growth" if match["growth"] else vocabulary[metric].kind
        if isinstance(raw, dict):
            series = _series(reading, raw, f"reference.{ref}", section, ref)
        else:
            series = iter([(None, raw, f"reference.{ref}", section, ref)])
        for year, value, path, mapping, key in series:
            parsed = _number(reading, value, kind, path, mapping, key)
            if parsed is not None:
                values[(str(ref), year)] = ReferenceValue(str(ref), year, parsed, path)
    return values


def _unknown_reference(reading: Reading, ref, section: dict) -> None:
    close = difflib.get_close_matches(str(ref), reference_ids(), n=1)
    reading.problem(
        f"reference.{ref}",
        f"unknown reference {ref!r}" + (f"; did you mean {close[0]!r}?" if close else ""),
        f"未知的全国对比数据 {ref!r}" + (f"，是否应为 {close[0]!r}？" if close else ""),
        "national_<metric> or national_<metric>_growth with a metric id of the table",
        section,
        ref,
    )


def _series(reading: Reading, raw, path: str, mapping, key) -> Iterator[tuple]:
    """(year, value, path, mapping, key) per year of a series; a bare value is the last year's.

    The year is None for a bare value when the assessed years are unknown (already reported).
    """
    if not isinstance(raw, dict):
        yield (reading.years[-1] if reading.years else None), raw, path, mapping, key
        return
    seen: set[int] = set()
    for year_key, value in raw.items():
        year = as_year(year_key)
        if year is None or year in seen:
            _bad_series_year(reading, year_key, year is not None, f"{path}.{year_key}", raw)
            continue
        seen.add(year)
        yield year, value, f"{path}.{year}", raw, year_key


def _bad_series_year(reading: Reading, year_key, repeated: bool, path: str, series) -> None:
    if repeated:
        en, zh = f"year {year_key} is given twice", f"年份 {year_key} 重复出现"
    else:
        en, zh = f"{year_key!r} is not a year", f"{year_key!r} 不是有效年份"
    reading.problem(path, en, zh, "a four-digit year such as 2023", series, year_key)


# -- operators --------------------------------------------------------------------------------
def read_operators(reading: Reading, items: list) -> tuple[Operator, ...]:
    """The operators with their annual sales in an assessed year."""
    operators = []
    for index, item in enumerate(items):
        path = f"operators[{index}]"
        if not reading.keys(item, OPERATOR_KEYS, OPERATOR_KEYS, path):
            continue
        year = _operator_year(reading, item, path)
        name = reading.text(item, "name", f"{path}.name")
        sales = _number(
            reading, item["annual_sales"], "amount", f"{path}.annual_sales", item, "annual_sales"
        )
        if year is not None and sales is not None and name is not None:
            operators.append(Operator(index, str(item["name"]).strip(), year, sales, path))
    return tuple(operators)


def _operator_year(reading: Reading, item: dict, path: str) -> int | None:
    year = as_year(item["year"])
    if year is not None and (not reading.years or year in reading.years):
        return year
    reading.problem(
        f"{path}.year",
        f"year {item['year']!r} is not an assessed year",
        f"年份 {item['year']!r} 不在评估年度内",
        f"one of {list(reading.years)}" if reading.years else "an assessed year",
        item,
        "year",
    )
    return None


# -- numbers ----------------------------------------------------------------------------------
def _number(reading: Reading, value, kind: str, path: str, mapping, key) -> Fraction | None:
    """The exact value of a rate, count, amount or growth rate, or None after a problem."""
    if value is None:
        reading.problem(
            path,
            "no value given; leave a metric out when it is not submitted",
            "未填写数值；未提交的数据项请整项删除",
            _EXPECTED_NUMBER[kind][0],
            mapping,
            key,
        )
        return None
    try:
        if kind == "rate":
            return parse_share(_shown(value))
        if kind == "count":
            return Fraction(parse_count(_shown(value)))
        if kind == "growth":
            return _parse_growth(_shown(value))
        return parse_amount(_shown(value))
    except NumberError as err:
        expected, expected_zh = _EXPECTED_NUMBER[kind]
        zh = f"应为{expected_zh}，实际为 {_shown(value)!r}"
        if str(err).startswith("a rate written without %"):
            zh += f"；如指百分比，请写作“{value}%”"
        if str(err).startswith("a rate cannot be above 100%"):
            zh += "；比率不能超过100%"
        reading.problem(
            path,
            str(err),
            zh,
            expected,
            mapping,
            key,
        )
        return None


def _shown(value: object) -> object:
    """The value for number parsing, so that messages show 97.5 rather than Decimal('97.5')."""
    return yamlio.Text(str(value)) if isinstance(value, Decimal) else value


def _parse_growth(value: object) -> Fraction:
    """A growth rate, which may be negative: "-0.2%" or -0.002; a bare number above 1 is an error."""
    if isinstance(value, str) and value.strip().startswith("-"):
        return -parse_rate(yamlio.Text(value.strip()[1:]))
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return -parse_rate(-value)
    return parse_rate(value)
