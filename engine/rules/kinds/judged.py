"""judged: the rule's clause is satisfied when more than half of its assessors judge it so
("被国家级媒体宣传报道（2分）", scored on the assessors' judgments)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from demozone.common.numbers import fmt_points
from demozone.rules.kinds.accounts import judged_account, judged_reasons
from demozone.rules.kinds.base import RuleKind
from demozone.rules.kinds.diffwords import Text
from demozone.rules.kinds.shared import judged_test, majority, number, test_conditions
from demozone.rules.kinds.whynot import WhyNot, majority_needs
from demozone.rules.kinds.wording import points
from demozone.rules.model import Branch, Rule


class Judged(RuleKind):
    name = "judged"
    keys = frozenset({"points", "majority"})
    workbook = (
        ("points", ("points",)),
        ("other", ("majority",)),
    )
    words = Text("评审认定", "assessors' judgment")

    def parse(self, spec: Mapping, parameters: Mapping) -> dict:
        majority(spec)
        award = number(spec.get("points"), "points")
        test = judged_test(spec.get("clause") or "")
        branch = Branch("majority", test_conditions((test,)), award, "评审意见过半数认定满足")
        return {"tests": (test,), "branches": (branch,)}

    def reasons(self, outcome, lang: str = "zh") -> list[str]:
        return judged_reasons(outcome, lang)

    def account(self, outcome, lang: str = "zh") -> list[str]:
        return judged_account(outcome, lang)

    def why_not(self, outcome, submission) -> list[WhyNot]:
        """A majority of "satisfied" on the clause gives the points."""
        rule = outcome.rule
        award = rule.branches[0].award
        if outcome.score >= award:
            return []
        needs, words, words_en = majority_needs(submission, rule.clause)
        reason = f"{words}，即可得{fmt_points(award)}分。"
        reason_en = f"Clause {words_en[len('clause ') :]}, it gives {points(award, 'en')}."
        return [WhyNot(rule.id, rule.clause, reason, award - outcome.score, needs, reason_en)]

    def synthetic_judged(self, rule: Rule) -> Iterable[str]:
        return rule.implements()
