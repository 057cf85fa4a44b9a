"""Why-not for one test of a rule (conditions): the nearest figure, or the fewest assessors'
judgments, that make it hold, in the submission's last assessed year, and the words for it
(Chinese, then English)."""

from __future__ import annotations

from fractions import Fraction

from demozone.common.numbers import fmt_percent, fmt_points
from demozone.rules.kinds.reasonwords import holds
from demozone.rules.kinds.shared import is_judged
from demozone.rules.kinds.whynot import (
    both,
    figure,
    label,
    majority_needs,
    meeting,
    met,
    metric_change,
    unmet,
    value_words,
)
from demozone.rules.model import Test


def test_change(test: Test, operand, year: int, submission) -> tuple | None:
    """None when the test holds; else (the change that makes it hold, None when no change to
    the county's own data can; the words saying so in Chinese; in English)."""
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
        return None, *both(
            lambda lang: (
                f"{_right_words(test, None, lang)} is missing: cannot compare"
                if lang == "en"
                else f"缺少{_right_words(test, None, lang)}，无法比较"
            )
        )
    if test.left.form == "metric":
        return _metric_change(test, right, year, submission)
    if test.left.form == "ratio":
        return _ratio_change(test, right, year, submission)
    return None, *both(
        lambda lang: (
            f"{_left_words(test, lang)}{_sp(lang)}{unmet(test.compare, lang)}"
            f"{_sp(lang)}{_right_words(test, right, lang)}"
        )
    )


def _sp(lang: str) -> str:
    return " " if lang == "en" else ""


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

    def now(lang: str) -> str:
        name, goal = label(metric, lang), _right_words(test, right, lang)
        if lang == "en":
            if current is None:
                return f"{name} not reported; it must be {met(test.compare, lang)} {goal}"
            shown = value_words(metric, current, lang)
            return f"{name} is {shown}, {unmet(test.compare, lang)} {goal}"
        if current is None:
            return f"未填报{name}，需{met(test.compare)}{goal}"
        return f"{name}为{value_words(metric, current)}，{unmet(test.compare)}{goal}"

    if value is None:
        return None, *both(
            lambda lang: (
                f"{now(lang)}, and no value can meet it"
                if lang == "en"
                else f"{now(lang)}，且任何取值都无法满足"
            )
        )
    return metric_change(metric, year, value), *both(
        lambda lang: (
            f"{now(lang)}; it needs to be {value_words(metric, value, lang)}"
            if lang == "en"
            else f"{now(lang)}，需为{value_words(metric, value)}"
        )
    )


def _ratio_change(test: Test, right: Fraction, year: int, submission):
    top, bottom = test.left.args
    below = figure(submission, bottom, year)
    if not below:
        return None, *both(
            lambda lang: (
                f"{label(bottom, lang)} not reported: "
                f"the {_left_words(test, lang)} cannot be computed"
                if lang == "en"
                else f"未填报{label(bottom)}，无法计算{_left_words(test, lang)}"
            )
        )
    value = meeting(test.compare, right * below, top)
    current = figure(submission, top, year)

    def now(lang: str) -> str:
        if current is None:
            return f"{label(top, lang)} not reported" if lang == "en" else f"未填报{label(top)}"
        ratio, goal = fmt_percent(current / below), _right_words(test, right, lang)
        if lang == "en":
            return f"the {_left_words(test, lang)} is {ratio}, {unmet(test.compare, lang)} {goal}"
        return f"{_left_words(test, lang)}为{ratio}，{unmet(test.compare)}{goal}"

    if value is None:
        return None, *both(
            lambda lang: (
                f"{now(lang)}, and no value can meet it"
                if lang == "en"
                else f"{now(lang)}，且任何取值都无法满足"
            )
        )

    def words(lang: str) -> str:
        needed = value_words(top, value, lang)
        if lang == "en":
            return (
                f"{now(lang)}; with {label(bottom, lang)} unchanged, "
                f"{label(top, lang)} needs to be {needed}"
            )
        return f"{now(lang)}；{label(bottom)}不变时{label(top)}需为{needed}"

    return metric_change(top, year, value), *both(words)


def _left_words(test: Test, lang: str = "zh") -> str:
    if test.left.form == "ratio":
        a, b = label(test.left.args[0], lang), label(test.left.args[1], lang)
        return f"ratio of {a} to {b}" if lang == "en" else f"{a}与{b}之比"
    return label(test.left.args[0], lang)


def _right_words(test: Test, right: Fraction | None, lang: str = "zh") -> str:
    if test.right is not None:
        name = test.right.args[0].removeprefix("national_").removesuffix("_growth")
        if lang == "en":
            shown = f" ({value_words(name, right, lang)})" if right is not None else ""
            return f"the national {label(name, lang)}{shown}"
        shown = f"（{value_words(name, right)}）" if right is not None else ""
        return f"全国{label(name)}{shown}"
    if test.left.is_rate:
        return fmt_percent(right, 0) if (right * 100).denominator == 1 else fmt_percent(right)
    if test.left.form == "metric":
        return value_words(test.left.args[0], right, lang)
    return fmt_points(right)
