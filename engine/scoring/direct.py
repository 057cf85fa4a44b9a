"""Direct evaluation of the rule model in exact arithmetic, without the rules engine.

It reads the same cases and branches the durable-rules compiler reads, and compares fractions
instead of scaled integers. Tests use it to cross-check the engine; the benchmark uses it as the
floor the engine is measured against.
"""

from __future__ import annotations

from fractions import Fraction

from demozone.rules.model import Branch, Condition, Rule
from demozone.scoring.derive import Case
from demozone.scoring.outcome import Firing


def holds(condition: Condition, case: Case) -> bool:
    """Whether one condition holds for a complete case, compared exactly."""
    if condition.operand.startswith("a_"):
        return case.attributes.get(condition.operand) == condition.value
    value = case.operands[condition.operand].value
    target = Fraction(condition.value)
    return {
        ">": value > target,
        ">=": value >= target,
        "<": value < target,
        "<=": value <= target,
        "=": value == target,
    }[condition.compare]


def branch_holds(branch: Branch, case: Case) -> bool:
    return case.complete and all(holds(c, case) for c in branch.conditions)


def fire(rule: Rule, cases: list[Case]) -> list[Firing]:
    """Every firing of a rule's branches over its cases."""
    return [
        Firing(rule.id, branch.name, case.key, branch.award)
        for case in cases
        for branch in rule.branches
        if branch_holds(branch, case)
    ]
