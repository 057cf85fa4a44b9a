"""judged: the rule's clause is satisfied when more than half of its assessors judge it so
("被国家级媒体宣传报道（2分）", scored on the assessors' judgments)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from demozone.rules.kinds.accounts import judged_account, judged_reasons
from demozone.rules.kinds.base import RuleKind
from demozone.rules.kinds.diffwords import Text
from demozone.rules.kinds.shared import judged_test, majority, number, test_conditions
from demozone.rules.model import Branch, Rule


class Judged(RuleKind):
    name = "judged"
    keys = frozenset({"points", "majority"})
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

    def synthetic_judged(self, rule: Rule) -> Iterable[str]:
        return rule.implements()
