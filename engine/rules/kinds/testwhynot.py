"""Why-not for one test of a rule (conditions): the nearest figure, or the fewest assessors'
judgments, that make it hold, in the submission's last assessed year, and the words for it."""

from __future__ import annotations

from fractions import Fraction

from demozone.common.numbers import fmt_percent, fmt_points
from demozone.rules.kinds.reasonwords import holds
from demozone.rules.kinds.shared import is_judged
from demozone.rules.kinds.whynot import (
    COMPARE_MET,
    COMPARE_UNMET,
    figure,
    label,
    majority_needs,
    meeting,
    metric_change,
    value_words,
)
from demozone.rules.model import Test


def test_change(test: Test, operand, year: int, submission) -> tuple[dict | None, str] | None:
    """None when the test holds; else the change that makes it hold (None when no change to
    the county's own data can) and the words saying so."""
    if is_judged(test):
        if operand is not None and operand.value > 0:
            return None
        return majority_needs(submission, test.left.args[0])
    if operand is not None:
        target = test.constant if test.right is None else Fraction(0)
        if holds(operand.value, test.compare, target):
            return None
    right = _right(test, operand, year, submission)
    if right is None:
        return None, f"缺少{_right_words(test, None)}，无法比较"
    if test.left.form == "metric":
        return _metric_change(test, right, year, submission)
    if test.left.form == "ratio":
        return _ratio_change(test, right, year, submission)
    return None, f"{_left_words(test)}{COMPARE_UNMET[test.compare]}{_right_words(test, right)}"


def _right(test: Test, operand, year: int, submission) -> Fraction | None:
    if test.right is None:
        return test.constant
    if operand is not None:
        return operand.right
    ref = test.right.args[0]
    found = submission.references.get((ref, year)) or submission.references.get((ref, None))
    return found.value if found is not None else None


def _metric_change(test: Test, right: Fraction, year: int, submission):
    metric = test.left.args[0]
    value = meeting(test.compare, right, metric)
    current = figure(submission, metric, year)
    now = (
        f"{label(metric)}为{value_words(metric, current)}，"
        f"{COMPARE_UNMET[test.compare]}{_right_words(test, right)}"
        if current is not None
        else f"未填报{label(metric)}，需{COMPARE_MET[test.compare]}{_right_words(test, right)}"
    )
    if value is None:
        return None, f"{now}，且任何取值都无法满足"
    return metric_change(metric, year, value), f"{now}，需为{value_words(metric, value)}"


def _ratio_change(test: Test, right: Fraction, year: int, submission):
    top, bottom = test.left.args
    below = figure(submission, bottom, year)
    if not below:
        return None, f"未填报{label(bottom)}，无法计算{_left_words(test)}"
    value = meeting(test.compare, right * below, top)
    current = figure(submission, top, year)
    now = (
        f"{_left_words(test)}为{fmt_percent(current / below)}，"
        f"{COMPARE_UNMET[test.compare]}{_right_words(test, right)}"
        if current is not None
        else f"未填报{label(top)}"
    )
    if value is None:
        return None, f"{now}，且任何取值都无法满足"
    words = f"{now}；{label(bottom)}不变时{label(top)}需为{value_words(top, value)}"
    return metric_change(top, year, value), words


def _left_words(test: Test) -> str:
    if test.left.form == "ratio":
        return f"{label(test.left.args[0])}与{label(test.left.args[1])}之比"
    return label(test.left.args[0])


def _right_words(test: Test, right: Fraction | None) -> str:
    if test.right is not None:
        name = test.right.args[0].removeprefix("national_").removesuffix("_growth")
        shown = f"（{value_words(name, right)}）" if right is not None else ""
        return f"全国{label(name)}{shown}"
    if test.left.is_rate:
        return fmt_percent(right, 0) if (right * 100).denominator == 1 else fmt_percent(right)
    if test.left.form == "metric":
        return value_words(test.left.args[0], right)
    return fmt_points(right)
