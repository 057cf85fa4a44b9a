"""How a rule's shortfall is said, in Chinese: the reasons a score result carries and the
why-not lines of `demozone explain` that several kinds share.

They read a rule's outcome (`demozone.scoring.outcome.RuleOutcome`: its rule, cases, firings,
missing facts and reasons) by its fields; the kinds layer sits below scoring and imports none
of it.
"""

from __future__ import annotations

from fractions import Fraction

from demozone.common.numbers import fmt_decimal, fmt_percent, fmt_points, fmt_rate
from demozone.rules.kinds.wording import quantity_name


def show(value: Fraction, places: int = 2) -> str:
    """A derived value as a reason writes it: a share as a percentage, a whole number plainly,
    anything else with `places` decimals."""
    if abs(value) <= 2 and value.denominator != 1:
        return fmt_percent(value)
    return fmt_points(value) if value.denominator == 1 else fmt_decimal(value, places)


def operand_text(operand) -> str:
    """An operand of a case with its value, and its comparator's when it has one."""
    if operand.right is None:
        return f"{operand.text} = {show(operand.left)}"
    return f"{operand.text.split(' - ')[0]} = {show(operand.left)}, 对比值 = {show(operand.right)}"


def unmet_cases(outcome) -> list[str]:
    """A line for each complete case no branch of the rule held for: its operands, and the
    branches it did not meet."""
    fired = {f.case_key for f in outcome.firings}
    branches = " / ".join(b.label for b in outcome.rule.branches)
    return [
        f"{'; '.join(operand_text(op) for op in case.operands.values())} — 未满足 {branches}"
        for case in outcome.cases
        if case.complete and case.key not in fired
    ]


def test_gaps(outcome) -> list[str]:
    """How far each unmet test of a rule's first branch is from holding, case by case."""
    if outcome.missing:
        return outcome.reasons
    fired = {f.case_key for f in outcome.firings}
    lines = []
    for case in outcome.cases:
        if case.key in fired:
            continue
        for i, condition in enumerate(case.rule.branches[0].conditions):
            operand = case.operands.get(condition.operand)
            if operand is None or holds(
                operand.value, condition.compare, Fraction(condition.value)
            ):
                continue
            test = case.tests[i] if i < len(case.tests) else None
            lines.append(_gap_text(operand, condition, test))
    return lines


def holds(value: Fraction, compare: str, target: Fraction) -> bool:
    """Whether `value compare target` holds, exactly."""
    return {
        ">": value > target,
        ">=": value >= target,
        "<": value < target,
        "<=": value <= target,
        "=": value == target,
    }[compare]


# what a test needs, in words (达到、超过、低于、不超过), never as an operator
_NEEDS = {">": "超过", ">=": "达到", "<": "低于", "<=": "不超过", "=": "等于"}
_NEEDS_NAMED = {">": "高于", ">=": "不低于", "<": "低于", "<=": "不高于", "=": "等于"}


def _gap_text(operand, condition, test=None) -> str:
    # operand texts name their year
    if test is not None and test.left.form == "judged":
        return f"条款{test.left.args[0]}需经专家组过半数认定满足"
    if operand.right is not None:  # left - right compared with 0
        name = operand.text.split(" - ")[0]
        left, right = show(operand.left, 4), show(operand.right, 4)
        other = quantity_name(test.right, "zh") if test is not None and test.right else "对比值"
        needs = _NEEDS_NAMED.get(condition.compare, condition.compare)
        if abs(operand.left) <= 2:
            return (
                f"{name}为{left}，需{needs}{other}（{right}），"
                f"差{fmt_decimal((operand.right - operand.left) * 100, 2)}个百分点"
            )
        return f"{name}为{left}，需{needs}{other}（{right}）"
    target = Fraction(condition.value)
    needs = _NEEDS.get(condition.compare, condition.compare)
    if (abs(target) <= 1 and target.denominator != 1) or target == 1:
        return (
            f"{operand.text}为{fmt_percent(operand.value)}，需{needs}"
            f"{fmt_rate(target)}，差{fmt_decimal(abs(target - operand.value) * 100, 2)}个百分点"
        )
    return f"{operand.text}为{show(operand.value, 4)}，需{needs}{fmt_points(target)}"
