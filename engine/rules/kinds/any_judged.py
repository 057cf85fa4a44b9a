"""any_judged: one of several clauses judged satisfied by a majority of its assessors gives the
points, once ("符合一项即可得3分")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

from demozone.common.numbers import fmt_points
from demozone.rules.kinds.accounts import any_judged_reasons, judged_account
from demozone.rules.kinds.base import RuleKind
from demozone.rules.kinds.diffwords import Text, points
from demozone.rules.kinds.shared import RuleProblem, judged_test, majority, number
from demozone.rules.kinds.whynot import WhyNot, judgments_on, majority_needs
from demozone.rules.kinds.wording import points as point_words
from demozone.rules.model import Branch, Condition, Rule


class AnyJudged(RuleKind):
    name = "any_judged"
    keys = frozenset({"clauses", "points", "majority"})
    workbook = (
        ("points", ("points",)),
        ("other", ("clauses", "majority")),
    )
    words = Text("任一条款认定", "any one clause judged")
    shows_cap = False  # the cap is the award: one clause judged satisfied is enough

    def parse(self, spec: Mapping, parameters: Mapping) -> dict:
        majority(spec)
        clauses = spec.get("clauses")
        if not isinstance(clauses, list) or not clauses:
            raise RuleProblem("clauses", "any_judged needs the list of clauses", "需要条款列表")
        award = number(spec.get("points"), "points")
        branch = Branch(
            "any",
            (Condition("o0", ">", Fraction(0)),),
            award,
            "任一条款经评审认定满足（符合一项即可得分）",
        )
        return {"clauses": tuple(str(c) for c in clauses), "branches": (branch,), "cap": award}

    def judged_clauses(self, rule: Rule) -> set[str]:
        return set(rule.clauses)

    def cases(self, rule: Rule, derivation) -> list:
        """One case per clause, keyed by the clause."""
        year = derivation.last_year
        return [derivation.test_case(rule, (judged_test(c),), c, year) for c in rule.clauses]

    def reasons(self, outcome, lang: str = "zh") -> list[str]:
        return any_judged_reasons(outcome, lang)

    def account(self, outcome, lang: str = "zh") -> list[str]:
        return judged_account(outcome, lang)

    def why_not(self, outcome, submission) -> list[WhyNot]:
        """The clause that takes the fewest judgments to be judged satisfied by a majority."""
        rule = outcome.rule
        award = rule.branches[0].award
        if outcome.firings:
            return []
        options = [(clause, *majority_needs(submission, clause)) for clause in rule.clauses]
        # fewest changes; a clause assessors have judged before one they have not
        clause, needs, words, words_en = min(
            options, key=lambda o: (_size(o[1]), not judgments_on(submission, o[0]))
        )
        reason = f"{words}，即可得{fmt_points(award)}分（符合一项即可得分）。"
        reason_en = (
            f"Clause {words_en[len('clause ') :]}, it gives {point_words(award, 'en')} "
            "(any one clause satisfied is enough)."
        )
        return [WhyNot(rule.id, clause, reason, award - outcome.score, needs, reason_en)]

    def single_case(self, rule: Rule) -> bool:
        return len(rule.clauses) <= 1

    def describe(self, rule: Rule, lang: str) -> str:
        clauses = "、".join(rule.clauses)
        award = points(rule.branches[0].award, lang)
        if lang == "zh":
            return f"条款{clauses}任一满足 → {award}"
        return f"any of clauses {clauses} → {award}"

    def synthetic_judged(self, rule: Rule) -> Iterable[str]:
        return rule.implements()


def _size(needs: dict) -> int:
    """How many changes `needs` makes."""
    return sum(len(v) for v in needs.values())
