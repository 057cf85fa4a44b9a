"""yearly_comparison: a quantity compared with another in each assessed year, points per year
it holds, up to a cap ("近2年，网上零售额同比增速超过全国…同比增速。超过1年得1分，共2分")."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from demozone.rules.kinds.base import RuleKind
from demozone.rules.kinds.diffwords import (
    RuleChange,
    Text,
    award_changes,
    both,
    points,
    quantity_words,
    test_pair_changes,
    test_words,
)
from demozone.rules.kinds.plan import PlanChange, growth_target
from demozone.rules.kinds.shared import comparison, number, quantity, test_conditions, test_label
from demozone.rules.kinds.whynot import WhyNot
from demozone.rules.kinds.yearlywhynot import yearly_why_not, years_short_reasons
from demozone.rules.model import Branch, Rule, Test


class YearlyComparison(RuleKind):
    name = "yearly_comparison"
    keys = frozenset({"quantity", "compare", "comparator", "points_per_year", "cap"})
    workbook = (
        ("points", ("points_per_year",)),
        ("thresholds", ("quantity", "compare", "comparator")),
        ("cap", ("cap",)),
    )
    words = Text("逐年比较", "year-by-year comparison")

    def parse(self, spec: Mapping, parameters: Mapping) -> dict:
        test = Test(
            quantity(spec.get("quantity"), "quantity"),
            comparison(spec.get("compare"), "compare"),
            right=quantity(spec.get("comparator"), "comparator"),
        )
        per_year = number(spec.get("points_per_year", 1), "points_per_year")
        cap = number(spec["cap"], "cap") if "cap" in spec else None
        branch = Branch("year", test_conditions((test,)), per_year, test_label(test))
        return {"tests": (test,), "per_year": True, "branches": (branch,), "cap": cap}

    def cases(self, rule: Rule, derivation) -> list:
        years = derivation.submission.years
        return [derivation.test_case(rule, rule.tests, str(year), year) for year in years]

    def reasons(self, outcome, lang: str = "zh") -> list[str]:
        """Each year that did not hold, and the points no assessed year is left to give."""
        short = years_short_reasons(outcome.rule, len(outcome.cases), lang)
        return super().reasons(outcome, lang) + short

    def best(self, rule: Rule, submission) -> Fraction:
        """A point per assessed year, up to the cap: fewer years give fewer points."""
        per_years = rule.branches[0].award * len(submission.years)
        return min(per_years, rule.cap) if rule.cap is not None else per_years

    def why_not(self, outcome, submission) -> list[WhyNot]:
        return yearly_why_not(outcome, submission, self.best(outcome.rule, submission))

    def plan_options(self, rule: Rule, submission) -> list[PlanChange]:
        """The last assessed year's growth moved just past its comparator (earlier years are
        history and cannot change)."""
        changes = [growth_target(test, submission) for test in rule.tests]
        return [change for change in changes if change is not None]

    def written_tests(self, rule: Rule):
        return ((test, "compare", None) for test in rule.tests)

    def written_quantities(self, rule: Rule):
        for test in rule.tests:
            yield test.left, "quantity", None
            if test.right is not None:
                yield test.right, "comparator", None

    def single_case(self, rule: Rule) -> bool:
        return False

    def describe(self, rule: Rule, lang: str) -> str:
        award = points(rule.branches[0].award, lang)
        test = test_words(rule.tests[0], lang)
        return f"{test}，每年{award}" if lang == "zh" else f"{test}, {award} per year"

    def changes(self, a: Rule, b: Rule) -> list[RuleChange]:
        (test_a,), (test_b,) = a.tests, b.tests
        changes = []
        if test_a.left != test_b.left:
            changes.append(
                RuleChange(
                    "quantity",
                    Text("比较对象", "quantity compared"),
                    both(lambda lang: quantity_words(test_a.left, lang)),
                    both(lambda lang: quantity_words(test_b.left, lang)),
                )
            )
            test_b = Test(test_a.left, test_b.compare, test_b.constant, test_b.right)
        changes += test_pair_changes(test_a, test_b)
        return changes + award_changes(a, b, Text("每年得分", "points per year"))
