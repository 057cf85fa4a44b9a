"""conditions: every test holds (rates against thresholds, figures against national references,
clauses judged satisfied), then the points ("按时初查率、按时办结率超过95%")."""

from __future__ import annotations

from collections.abc import Mapping

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
from demozone.rules.kinds.reasonwords import test_gaps
from demozone.rules.kinds.shared import RuleProblem, number, test, test_conditions, test_label
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
        label = " and ".join(test_label(t) for t in tests)
        return {"tests": tests, "branches": (Branch("all", test_conditions(tests), award, label),)}

    def why_not(self, outcome) -> list[str]:
        return test_gaps(outcome)

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
