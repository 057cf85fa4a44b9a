"""Compile a rule set to one durable-rules ruleset and run it over a submission.

The ruleset has two layers of single-fact rules (durable-rules' joins are unsafe, see
rete.py):
- one *derivation rule* per demozone rule, fired by the submission's marker fact: it derives the
  rule's cases (derive.py) and asserts each complete case as a fact;
- one *branch rule* per branch, matching that rule's case facts whose operands satisfy the
  branch's comparisons: it records a firing.

Exactness: the engine compares IEEE doubles, so no fraction enters it. Each operand x is
asserted as two integers at a fixed precision P: lo = floor(x * P) and hi = ceil(x * P). For a
threshold c with at most six decimals (C = c * P is an integer), x >= c <=> lo >= C,
x < c <=> lo < C, x > c <=> hi > C and x <= c <=> hi <= C, all exact. Integers beyond 2**53
are saturated, which keeps every comparison with such thresholds right.
"""

from __future__ import annotations

import hashlib
import json
import math
from fractions import Fraction

from demozone.common.errors import DemozoneBug
from demozone.rules.model import Condition, Rule, RuleSet
from demozone.scoring.derive import Case, Derivation
from demozone.scoring.outcome import Firing
from demozone.scoring.rete import Ruleset, get_ruleset

PRECISION = 10**6
_LIMIT = 2**53
_DERIVE, _BRANCH = "derive", "branch"
_OPERATORS = {">=": ("lo", "$gte"), "<": ("lo", "$lt"), ">": ("hi", "$gt"), "<=": ("hi", "$lte")}


def scaled_threshold(value: Fraction) -> int:
    scaled = value * PRECISION
    if scaled.denominator != 1:
        raise DemozoneBug(f"threshold {value} has more than six decimals")  # rules lint rejects it
    return int(scaled)


def _saturate(value: int) -> int:
    return max(-_LIMIT, min(_LIMIT, value))


def encode_operand(name: str, value: Fraction) -> dict[str, int]:
    scaled = value * PRECISION
    return {f"{name}_lo": _saturate(math.floor(scaled)), f"{name}_hi": _saturate(math.ceil(scaled))}


def condition_json(condition: Condition) -> dict:
    """One comparison as a durable-rules condition on a case fact."""
    if condition.operand.startswith("a_"):
        return {condition.operand: str(condition.value)}
    target = scaled_threshold(Fraction(condition.value))
    if condition.compare == "=":
        return {
            "$and": [
                {"$gte": {f"{condition.operand}_lo": target}},
                {"$lte": {f"{condition.operand}_hi": target}},
            ]
        }
    side, operator = _OPERATORS[condition.compare]
    return {operator: {f"{condition.operand}_{side}": target}}


def _rule_names(rule_set: RuleSet) -> dict[str, tuple[str, Rule, str | None]]:
    names = {}
    for rule in rule_set.rules():
        names[f"{_DERIVE}|{rule.id}"] = (_DERIVE, rule, None)
        for branch in rule.branches:
            names[f"{_BRANCH}|{rule.id}|{branch.name}"] = (_BRANCH, rule, branch.name)
    return names


def ruleset_definition(rule_set: RuleSet) -> dict[str, dict]:
    """The durable-rules conditions of a rule set, by engine rule name."""
    definition = {}
    for rule in rule_set.rules():
        definition[f"{_DERIVE}|{rule.id}"] = {"kind": "submission"}
        for branch in rule.branches:
            clauses = [{"kind": "case"}, {"rule": rule.id}, *map(condition_json, branch.conditions)]
            definition[f"{_BRANCH}|{rule.id}|{branch.name}"] = {"$and": clauses}
    return definition


class CompiledRuleSet:
    """A rule set compiled once per process to a durable-rules ruleset."""

    def __init__(self, rule_set: RuleSet) -> None:
        self.rule_set = rule_set
        self._names = _rule_names(rule_set)
        definition = ruleset_definition(rule_set)
        # The content hash keeps one engine ruleset per distinct definition (variants, what-ifs).
        digest = hashlib.sha256(json.dumps(definition, sort_keys=True).encode()).hexdigest()[:12]
        self._engine: Ruleset = get_ruleset(f"demozone:{rule_set.system}:{digest}", definition)

    def run(self, derivation: Derivation) -> tuple[dict[str, list[Case]], list[Firing]]:
        """Fire the ruleset over one submission: every rule's cases and every firing."""
        cases: dict[str, list[Case]] = {}
        by_fact: dict[str, Case] = {}
        firings: list[Firing] = []

        def on_fire(name: str, fact: dict) -> list[dict]:
            role, rule, branch = self._names[name]
            if role == _DERIVE:
                cases[rule.id] = derivation.cases(rule)
                return [self._case_fact(case, by_fact) for case in cases[rule.id] if case.complete]
            case = by_fact[fact["id"]]
            award = next(b.award for b in rule.branches if b.name == branch)
            firings.append(Firing(rule.id, branch, case.key, award))
            return []

        self._engine.run([{"id": "submission", "kind": "submission"}], on_fire)
        return cases, firings

    @staticmethod
    def _case_fact(case: Case, by_fact: dict[str, Case]) -> dict:
        fact: dict = {"id": case.fact_id, "kind": "case", "rule": case.rule.id}
        for operand in case.operands.values():
            fact.update(encode_operand(operand.name, operand.value))
        fact.update(case.attributes)
        by_fact[case.fact_id] = case
        return fact


_COMPILED: dict[tuple[str, tuple[str, ...]], CompiledRuleSet] = {}


def compiled(rule_set: RuleSet) -> CompiledRuleSet:
    """The compiled form of a rule set, built once per process."""
    key = (rule_set.system, rule_set.files)
    if key not in _COMPILED:
        _COMPILED[key] = CompiledRuleSet(rule_set)
    return _COMPILED[key]
