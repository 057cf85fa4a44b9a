"""The generic rule kinds: what each one means, as cases and branches of the rule model.

Each `parse_<kind>` reads one rule as written in a rule file and returns the `Rule` fields for
it, or appends problems. No indicator is special here: the file says which kind, which facts and
which numbers.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from demozone.common.errors import Problem
from demozone.common.numbers import NumberError, parse_rate, to_fraction
from demozone.rules.model import (
    COMPARISONS,
    Band,
    Branch,
    Condition,
    ItemFilter,
    Quantity,
    Test,
    Tier,
)

QUANTITY_FORMS = {
    "growth": 1,
    "ratio": 2,
    "metric": 1,
    "national_growth": 1,
    "national_ratio": 2,
    "reference": 1,
    "judged": 1,
}
ITEM_SOURCES = {"operators", "evidence"}
_NUMERIC_ITEM_FIELDS = {"operators": {"annual_sales"}, "evidence": set()}
_TEXT_ITEM_FIELDS = {"operators": {"name"}, "evidence": {"kind", "level", "type", "form"}}

# The keys each kind accepts besides id, clause, kind (checked by rules.py).
KIND_KEYS = {
    "yearly_comparison": {"quantity", "compare", "comparator", "points_per_year", "cap"},
    "ratio_bands": {"ratio", "bands", "inclusive", "tie"},
    "conditions": {"tests", "points"},
    "judged": {"points", "majority"},
    "any_judged": {"clauses", "points", "majority"},
    "items": {"of", "where", "points_each", "points_by", "tiers", "cap"},
}


class RuleProblem(Exception):
    """A rule as written cannot be read; `rules.py` turns it into a Problem with the location."""

    def __init__(self, path: str, message: str, message_zh: str, expected: str = "") -> None:
        super().__init__(message)
        self.path, self.message, self.message_zh, self.expected = (
            path,
            message,
            message_zh,
            expected,
        )

    def problem(self, file: str, prefix: str, line: int | None) -> Problem:
        path = f"{prefix}.{self.path}" if self.path else prefix
        return Problem(file, path, self.message, self.message_zh, self.expected, line)


def number(value: Any, path: str) -> Fraction:
    """A threshold or points value: "15%" as 3/20, 0.5 as 1/2."""
    try:
        if isinstance(value, str) and value.strip().endswith(("%", "％")):
            return parse_rate(value)
        return to_fraction(value)
    except NumberError as err:
        raise RuleProblem(
            path, str(err), f"不是有效的数值: {value!r}", "a number or a percentage"
        ) from None


def quantity(spec: Any, path: str) -> Quantity:
    if not isinstance(spec, dict) or len(spec) != 1:
        raise RuleProblem(
            path,
            "a quantity is one of {growth: M}, {ratio: [A, B]}, ...",
            "数量的写法应为 {growth: 指标} 或 {ratio: [分子, 分母]} 等",
            ", ".join(QUANTITY_FORMS),
        )
    ((form, args),) = spec.items()
    if form not in QUANTITY_FORMS:
        raise RuleProblem(
            path,
            f"unknown quantity {form!r}",
            f"未知的数量类型 {form!r}",
            ", ".join(QUANTITY_FORMS),
        )
    args = tuple(args) if isinstance(args, list) else (args,)
    if len(args) != QUANTITY_FORMS[form] or not all(isinstance(a, str) for a in args):
        raise RuleProblem(
            path,
            f"{form} takes {QUANTITY_FORMS[form]} name(s)",
            f"{form} 需要 {QUANTITY_FORMS[form]} 个名称",
        )
    return Quantity(form, tuple(str(a) for a in args))


def comparison(value: Any, path: str) -> str:
    if value not in COMPARISONS:
        raise RuleProblem(
            path, f"unknown comparison {value!r}", f"未知的比较符 {value!r}", " ".join(COMPARISONS)
        )
    return value


def _test_branch_conditions(tests: tuple[Test, ...]) -> tuple[Condition, ...]:
    """Operand i of a case is `left - right` (compared with 0) or `left` (compared with a constant)."""
    return tuple(
        Condition(f"o{i}", t.compare, t.constant if t.right is None else Fraction(0))
        for i, t in enumerate(tests)
    )


def parse_yearly_comparison(spec: dict, points: Fraction) -> dict:
    test = Test(
        quantity(spec.get("quantity"), "quantity"),
        comparison(spec.get("compare"), "compare"),
        right=quantity(spec.get("comparator"), "comparator"),
    )
    per_year = number(spec.get("points_per_year", 1), "points_per_year")
    cap = number(spec["cap"], "cap") if "cap" in spec else None
    branch = Branch(
        "year",
        _test_branch_conditions((test,)),
        per_year,
        _test_label(test),
    )
    return {"tests": (test,), "per_year": True, "branches": (branch,), "cap": cap}


def parse_conditions(spec: dict, points: Fraction) -> dict:
    raw = spec.get("tests")
    if not isinstance(raw, list) or not raw:
        raise RuleProblem("tests", "conditions need a non-empty list of tests", "需要至少一个条件")
    tests = tuple(_test(t, f"tests[{i}]") for i, t in enumerate(raw))
    award = number(spec.get("points"), "points")
    label = " and ".join(_test_label(t) for t in tests)
    return {
        "tests": tests,
        "branches": (Branch("all", _test_branch_conditions(tests), award, label),),
    }


def _test(spec: Any, path: str) -> Test:
    if not isinstance(spec, dict):
        raise RuleProblem(path, "a test is a mapping", "条件应为映射")
    if "judged" in spec:
        return Test(Quantity("judged", (str(spec["judged"]),)), ">", constant=Fraction(0))
    # `reference` on a test is its right-hand side, never its left
    forms = [k for k in spec if k in QUANTITY_FORMS and k not in ("reference", "judged")]
    if len(forms) != 1:
        raise RuleProblem(
            path, "a test names one quantity (metric, ratio, growth, ...)", "每个条件只能有一个数量"
        )
    left = quantity({forms[0]: spec[forms[0]]}, path)
    compare = comparison(spec.get("compare"), f"{path}.compare")
    if "value" in spec:
        return Test(left, compare, constant=number(spec["value"], f"{path}.value"))
    if "reference" in spec:
        return Test(left, compare, right=Quantity("reference", (str(spec["reference"]),)))
    raise RuleProblem(
        path, "a test compares with `value` or `reference`", "条件需要 value 或 reference"
    )


def _test_label(test: Test) -> str:
    """A test as a reader states it: 网络消费投诉按时初查率 > 95%."""
    if test.left.form == "judged":
        return f"条款{test.left.args[0]}经评审认定满足"
    right = quantity_label(test.right) if test.right is not None else _constant_label(test)
    return f"{quantity_label(test.left)} {test.compare} {right}"


def _constant_label(test: Test) -> str:
    from demozone.common.numbers import fmt_percent, fmt_points

    return fmt_percent(test.constant, 0) if test.left.is_rate else fmt_points(test.constant)


def quantity_label(q: Quantity) -> str:
    from demozone.kb.metrics import metric_label

    names = "/".join(metric_label(a) for a in q.args)
    return {
        "growth": f"{names}同比增速",
        "national_growth": f"全国{names}同比增速",
        "national_ratio": f"全国{names}",
        "reference": q.args[0],
    }.get(q.form, names)


def parse_judged(spec: dict, points: Fraction, clause: str | None) -> dict:
    _majority(spec)
    award = number(spec.get("points"), "points")
    test = Test(Quantity("judged", (clause or "",)), ">", constant=Fraction(0))
    return {
        "tests": (test,),
        "branches": (
            Branch(
                "majority",
                _test_branch_conditions((test,)),
                award,
                "评审意见过半数认定满足",
            ),
        ),
    }


def parse_any_judged(spec: dict, points: Fraction) -> dict:
    _majority(spec)
    clauses = spec.get("clauses")
    if not isinstance(clauses, list) or not clauses:
        raise RuleProblem("clauses", "any_judged needs the list of clauses", "需要条款列表")
    award = number(spec.get("points"), "points")
    branch = Branch(
        "any",
        (Condition("o0", ">", Fraction(0)),),
        award,
        "任一条款经评审认定满足（符合一项即可得分）",
    )
    return {"clauses": tuple(str(c) for c in clauses), "branches": (branch,), "cap": award}


def _majority(spec: dict) -> None:
    if spec.get("majority", "more_than_half") != "more_than_half":
        raise RuleProblem("majority", "only more_than_half is known", "目前只支持 more_than_half")


def parse_ratio_bands(spec: dict, points: Fraction) -> dict:
    ratio = quantity({"ratio": spec.get("ratio")}, "ratio")
    inclusive = spec.get("inclusive", "both")
    tie = spec.get("tie", "higher")
    if inclusive not in ("both", "lower", "upper", "none"):
        raise RuleProblem(
            "inclusive",
            f"unknown inclusivity {inclusive!r}",
            "未知的区间包含方式",
            "both, lower, upper, none",
        )
    if tie not in ("higher", "lower"):
        raise RuleProblem("tie", f"unknown tie policy {tie!r}", "未知的边界归属", "higher, lower")
    raw = spec.get("bands")
    if not isinstance(raw, list) or not raw:
        raise RuleProblem("bands", "ratio_bands need a list of bands", "需要分档列表")
    bands = resolve_bands(raw, inclusive, tie)
    branches = tuple(
        Branch(f"band{i}", _band_conditions(band), band.points, band_label(band))
        for i, band in enumerate(bands)
    )
    return {"ratio": ratio, "bands": bands, "branches": branches}


def resolve_bands(raw: list, inclusive: str, tie: str) -> tuple[Band, ...]:
    """Bands as written plus the two policies -> the intervals that actually apply.

    With tie "higher", a boundary two adjacent bands share belongs to the upper band only.
    """
    bands = []
    for i, item in enumerate(raw):
        lower = number(item["from"], f"bands[{i}].from") if "from" in item else None
        upper = number(item["to"], f"bands[{i}].to") if "to" in item else None
        bands.append(
            Band(
                lower,
                upper,
                inclusive in ("both", "lower"),
                inclusive in ("both", "upper"),
                number(item.get("points"), f"bands[{i}].points"),
            )
        )
    resolved = []
    for i, band in enumerate(bands):
        upper_inclusive, lower_inclusive = band.upper_inclusive, band.lower_inclusive
        shared_upper = (
            i + 1 < len(bands) and band.upper is not None and band.upper == bands[i + 1].lower
        )
        if shared_upper and tie == "higher":
            upper_inclusive = False
        if i > 0 and band.lower is not None and band.lower == bands[i - 1].upper and tie == "lower":
            lower_inclusive = False
        resolved.append(Band(band.lower, band.upper, lower_inclusive, upper_inclusive, band.points))
    return tuple(resolved)


def _band_conditions(band: Band) -> tuple[Condition, ...]:
    conditions = []
    if band.lower is not None:
        conditions.append(Condition("o0", ">=" if band.lower_inclusive else ">", band.lower))
    if band.upper is not None:
        conditions.append(Condition("o0", "<=" if band.upper_inclusive else "<", band.upper))
    return tuple(conditions)


def band_label(band: Band) -> str:
    from demozone.common.numbers import fmt_percent

    parts = []
    if band.lower is not None:
        parts.append(f"{fmt_percent(band.lower, 0)} {'<=' if band.lower_inclusive else '<'} ")
    parts.append("r")
    if band.upper is not None:
        parts.append(f" {'<=' if band.upper_inclusive else '<'} {fmt_percent(band.upper, 0)}")
    return "".join(parts)


def parse_items(spec: dict, points: Fraction, parameters: dict, system_classes: frozenset) -> dict:
    of = spec.get("of")
    if of not in ITEM_SOURCES:
        raise RuleProblem(
            "of",
            f"items come from {', '.join(sorted(ITEM_SOURCES))}",
            "items 的来源应为 operators 或 evidence",
        )
    equals, filters, assessed = _item_where(spec.get("where") or {}, of, parameters)
    modes = [k for k in ("points_each", "points_by", "tiers") if k in spec]
    if len(modes) != 1:
        raise RuleProblem(
            "",
            "items need exactly one of points_each, points_by, tiers",
            "items 需要且只能有 points_each、points_by、tiers 之一",
        )
    base = tuple(Condition(f"a_{f}", "=", v) for f, v in equals)
    if assessed:
        base += (Condition("a_assessed", "=", "yes"),)
    base += tuple(Condition(f"o{i}", f.compare, Fraction(0)) for i, f in enumerate(filters))
    result: dict = {
        "items_of": of,
        "item_equals": equals,
        "item_filters": filters,
        "item_assessed_years": assessed,
        "cap": number(spec["cap"], "cap") if "cap" in spec else None,
    }
    if "points_by" in spec:
        by = spec["points_by"]
        field = by.get("field") if isinstance(by, dict) else None
        if field not in _TEXT_ITEM_FIELDS[of]:
            raise RuleProblem(
                "points_by.field",
                f"unknown field {field!r}",
                f"未知字段 {field!r}",
                ", ".join(sorted(_TEXT_ITEM_FIELDS[of])),
            )
        result["category_field"] = field
        result["branches"] = tuple(
            Branch(
                f"{field}={value}",
                (*base, Condition(f"a_{field}", "=", str(value))),
                number(pts, f"points_by.points.{value}"),
                f"{field} = {value}",
            )
            for value, pts in by.get("points", {}).items()
        )
    elif "tiers" in spec:
        result["tiers"] = tuple(
            Tier(int(t["at_least"]), number(t["points"], f"tiers[{i}].points"))
            for i, t in enumerate(spec["tiers"])
        )
        result["branches"] = (Branch("qualifies", base, Fraction(1), "符合条件的项目"),)
    else:
        result["branches"] = (
            Branch("qualifies", base, number(spec["points_each"], "points_each"), "符合条件的项目"),
        )
    return result


def _item_where(where: dict, of: str, parameters: dict):
    equals, filters, assessed = [], [], False
    for field, condition in where.items():
        if field == "year" and of == "operators":
            if condition != "assessed":
                raise RuleProblem(
                    "where.year", "year filter must be `assessed`", "年份条件应为 assessed"
                )
            assessed = True
        elif field in _TEXT_ITEM_FIELDS[of]:
            equals.append((field, str(condition)))
        elif (
            field in _NUMERIC_ITEM_FIELDS[of]
            and isinstance(condition, dict)
            and len(condition) == 1
        ):
            filters.append(_item_filter(field, condition, parameters))
        else:
            raise RuleProblem(
                f"where.{field}",
                f"unknown item field {field!r}",
                f"未知字段 {field!r}",
                ", ".join(sorted(_TEXT_ITEM_FIELDS[of] | _NUMERIC_ITEM_FIELDS[of])),
            )
    return tuple(equals), tuple(filters), assessed


def _item_filter(field: str, condition: dict, parameters: dict) -> ItemFilter:
    ((compare, threshold),) = condition.items()
    compare = comparison(compare, f"where.{field}")
    if isinstance(threshold, dict) and "by_region_class" in threshold:
        name = threshold["by_region_class"]
        table = parameters.get(name)
        if not isinstance(table, dict):
            raise RuleProblem(
                f"where.{field}", f"unknown parameter {name!r}", f"未定义的参数 {name!r}"
            )
        by_class = tuple((str(k), number(v, f"parameters.{name}.{k}")) for k, v in table.items())
        return ItemFilter(field, compare, by_region_class=by_class, parameter=name)
    return ItemFilter(field, compare, threshold=number(threshold, f"where.{field}"))
