"""What several rule kinds read and write alike: numbers, quantities, comparisons and tests as
a rule file writes them, and the labels a reader sees for them.

A problem in a rule as written is raised as `RuleProblem` (with the field path inside the rule);
`demozone.rules.load` turns it into a `Problem` with the file and the line.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from demozone.common.errors import Problem
from demozone.common.numbers import NumberError, fmt_percent, fmt_points, parse_rate, to_fraction
from demozone.kb.metrics import metric_label
from demozone.rules.model import COMPARISONS, Condition, Quantity, Test

QUANTITY_FORMS = {
    "growth": 1,
    "ratio": 2,
    "metric": 1,
    "national_growth": 1,
    "national_ratio": 2,
    "reference": 1,
    "judged": 1,
}


class RuleProblem(Exception):
    """A rule as written cannot be read; `rules.load` turns it into a Problem with the location."""

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
    """A quantity as written: {growth: M}, {ratio: [A, B]}, ..."""
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


def test(spec: Any, path: str) -> Test:
    """One test as written: `{metric: M, compare: ">", value: "95%"}`, `{judged: "3.1"}`, ..."""
    if not isinstance(spec, dict):
        raise RuleProblem(path, "a test is a mapping", "条件应为映射")
    if "judged" in spec:
        return judged_test(str(spec["judged"]))
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


def judged_test(clause: str) -> Test:
    """The test that a clause's assessors judged it satisfied, by a majority."""
    return Test(Quantity("judged", (clause,)), ">", constant=Fraction(0))


def is_judged(test: Test) -> bool:
    return test.left.form == "judged"


def majority(spec: dict) -> None:
    """Judged kinds accept only the majority the rule files use."""
    if spec.get("majority", "more_than_half") != "more_than_half":
        raise RuleProblem("majority", "only more_than_half is known", "目前只支持 more_than_half")


def test_conditions(tests: tuple[Test, ...]) -> tuple[Condition, ...]:
    """Operand i of a case is `left - right` (compared with 0) or `left` (compared with a constant)."""
    return tuple(
        Condition(f"o{i}", t.compare, t.constant if t.right is None else Fraction(0))
        for i, t in enumerate(tests)
    )


# a comparison as a sentence says it, never as an operator (labels are read by people)
COMPARE_WORDS = {">": "超过", ">=": "达到", "<": "低于", "<=": "不超过", "=": "等于"}


def test_label(test: Test) -> str:
    """A test as a reader states it: 网络消费投诉按时初查率超过95%."""
    if is_judged(test):
        return f"条款{test.left.args[0]}经评审认定满足"
    right = quantity_label(test.right) if test.right is not None else _constant_label(test)
    return f"{quantity_label(test.left)}{COMPARE_WORDS.get(test.compare, test.compare)}{right}"


def _constant_label(test: Test) -> str:
    return fmt_percent(test.constant, 0) if test.left.is_rate else fmt_points(test.constant)


def quantity_label(q: Quantity) -> str:
    names = "/".join(metric_label(a) for a in q.args)
    return {
        "growth": f"{names}同比增速",
        "national_growth": f"全国{names}同比增速",
        "national_ratio": f"全国{names}",
        "reference": f"全国{_reference_name(q.args[0])}",
    }.get(q.form, names)


def _reference_name(ref: str) -> str:
    """A national comparator without its prefix: national_x_growth -> x的名称同比增速."""
    metric = ref.removeprefix("national_")
    name = metric_label(metric)
    if name == metric and metric.endswith("_growth"):
        return f"{metric_label(metric.removesuffix('_growth'))}同比增速"
    return name
