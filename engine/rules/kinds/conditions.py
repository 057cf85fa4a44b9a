"""conditions: every test holds (rates against thresholds, figures against national references,
clauses judged satisfied), then the points ("按时初查率、按时办结率超过95%")."""

from __future__ import annotations

from collections.abc import Mapping

from demozone.common.numbers import fmt_points
from demozone.rules.kinds.base import RuleKind
from demozone.rules.kinds.diffwords import (
    RuleChange,
    Text,
    award_changes,
    points,
    test_words,
    tests_changes,
)
from demozone.rules.kinds.plan import PlanChange, metric_target
from demozone.rules.kinds.shared import RuleProblem, number, test, test_conditions, test_label
from demozone.rules.kinds.testwhynot import test_change
from demozone.rules.kinds.whynot import WhyNot, merged
from demozone.rules.kinds.wording import points as point_words
from demozone.rules.model import Branch, Rule


class Conditions(RuleKind):
    name = "conditions"
    keys = frozenset({"tests", "points"})
    workbook = (
        ("points", ("points",)),
        ("thresholds", ("tests",)),
    )
    words = Text("条件达标", "conditions")

    def parse(self, spec: Mapping, parameters: Mapping) -> dict:
        raw = spec.get("tests")
        if not isinstance(raw, list) or not raw:
            raise RuleProblem(
                "tests", "conditions need a non-empty list of tests", "需要至少一个条件"
            )
        tests = tuple(test(t, f"tests[{i}]") for i, t in enumerate(raw))
        award = number(spec.get("points"), "points")
        label = "且".join(test_label(t) for t in tests)
        return {"tests": tests, "branches": (Branch("all", test_conditions(tests), award, label),)}

    def why_not(self, outcome, submission) -> list[WhyNot]:
        """Every test that does not hold, made to hold by the nearest figure or a majority of
        assessors; all of them together give the points."""
        rule = outcome.rule
        award = rule.branches[0].award
        if outcome.firings:
            return []
        year = submission.years[-1]
        (case,) = outcome.cases
        changes = [
            test_change(test, case.operands.get(f"o{i}"), year, submission)
            for i, test in enumerate(rule.tests)
        ]
        changes = [c for c in changes if c is not None]
        needs = merged(*(c[0] for c in changes))
        words = "；".join(c[1] for c in changes)
        words_en = "; ".join(c[2] for c in changes)
        words_en = words_en[:1].upper() + words_en[1:]
        if needs is None:
            return [WhyNot(rule.id, rule.clause, f"{words}。", reason_en=f"{words_en}.")]
        joined = "；以上条件均满足" if len(changes) > 1 else ""
        joined_en = "; with all of these met" if len(changes) > 1 else ""
        reason = f"{words}{joined}，即可得{fmt_points(award)}分。"
        reason_en = f"{words_en}{joined_en}, it gives {point_words(award, 'en')}."
        return [WhyNot(rule.id, rule.clause, reason, award - outcome.score, needs, reason_en)]

    def plan_options(self, rule: Rule, submission) -> list[PlanChange]:
        """Judged clauses satisfied, and each metric test's metric moved just past its bound."""
        changes = super().plan_options(rule, submission)
        for t in rule.tests:
            change = metric_target(t, submission)
            if change is not None:
                changes.append(change)
        return changes

    def written_tests(self, rule: Rule):
        return ((t, "tests", i) for i, t in enumerate(rule.tests))

    def written_quantities(self, rule: Rule):
        for i, t in enumerate(rule.tests):
            yield t.left, "tests", i
            if t.right is not None:
                yield t.right, "tests", i

    def describe(self, rule: Rule, lang: str) -> str:
        joined = (" 且 " if lang == "zh" else " and ").join(test_words(t, lang) for t in rule.tests)
        return f"{joined} → {points(rule.branches[0].award, lang)}"

    def changes(self, a: Rule, b: Rule) -> list[RuleChange]:
        return tests_changes(a.tests, b.tests) + award_changes(a, b)
