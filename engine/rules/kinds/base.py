"""What a rule kind is: one object that knows everything kind-specific about its rules.

A kind (yearly_comparison, ratio_bands, ...) reads its rules from a rule file, makes their cases
for the engines, says why they scored less than they could, names what lint checks in them, says
in a diff what they award and what changed, and says which clauses a synthetic submission
should judge. Everything else (branches, firings, caps, tiers, the sums) is the same for every
kind and lives in the rule model and in scoring.

The engines' derivation, outcomes and lint's locations belong to layers above this one; a kind
receives them as arguments and reads them by their public names.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import FrozenInstanceError
from fractions import Fraction
from typing import ClassVar

from demozone.rules.kinds.accounts import test_account, test_reasons
from demozone.rules.kinds.diffwords import RuleChange, Text, award_changes, points
from demozone.rules.kinds.plan import PlanChange, judgment_changes
from demozone.rules.kinds.shared import is_judged
from demozone.rules.kinds.whynot import WhyNot
from demozone.rules.model import Quantity, Rule, Test

# The rule workbook's per-kind columns, in order: what a rule awards, its bands, the thresholds
# and conditions it tests, its cap, and the rest of its parameters.
WORKBOOK_COLUMNS = ("points", "bands", "thresholds", "cap", "other")


class RuleKind:
    """A kind of rule. Subclasses set the class attributes and override what differs; an
    instance holds no state and cannot be changed, so one object serves every rule set."""

    name: ClassVar[str]  # the `kind:` of the rule files
    keys: ClassVar[frozenset[str]]  # the keys a rule of this kind accepts besides id, clause, kind
    words: ClassVar[Text]  # what `demozone diff` calls the kind
    # whether `cap` is the rule file's own (said and compared by diff) or the kind's bookkeeping
    shows_cap: ClassVar[bool] = True
    # (rule workbook column (WORKBOOK_COLUMNS), the keys of this kind written in it), ...
    workbook: ClassVar[tuple[tuple[str, tuple[str, ...]], ...]] = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"a rule kind is frozen: cannot set {name}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"a rule kind is frozen: cannot delete {name}")

    def __repr__(self) -> str:
        return f"<rule kind {self.name}>"

    # -- the rule file ---------------------------------------------------------------------
    def parse(self, spec: Mapping, parameters: Mapping) -> dict:
        """The `Rule` fields of one rule as written (`spec`, without the loader's `_` keys),
        given the rule set's parameters; raises `RuleProblem` for what cannot be read."""
        raise NotImplementedError

    def judged_clauses(self, rule: Rule) -> set[str]:
        """The clauses whose part in this rule rests on assessors' judgments."""
        return {t.left.args[0] for t in rule.tests if is_judged(t)}

    # -- the engines -----------------------------------------------------------------------
    def cases(self, rule: Rule, derivation) -> list:
        """The cases a rule's branches are tested on (`demozone.scoring.derive.Case`), made by
        `derivation` over one submission. By default one case of the rule's tests, in the last
        assessed year."""
        return [derivation.test_case(rule, rule.tests, "", derivation.last_year)]

    # -- explanations ----------------------------------------------------------------------
    def reasons(self, outcome, lang: str = "zh") -> list[str]:
        """Why a rule scored below what it could, besides the facts it missed, in `lang`: by
        default, for each complete case no branch held for, the tests it failed."""
        return test_reasons(outcome, lang)

    def account(self, outcome, lang: str = "zh") -> list[str]:
        """How the rule scored, in sentences of `lang` for `demozone explain`: by default a
        sentence per complete case, its tests with their values and its points."""
        return test_account(outcome, lang)

    def best(self, rule: Rule, submission) -> Fraction | None:
        """The most points the rule can give with this submission's years; None when the rule
        has no bound of its own (its indicator's points bound it)."""
        if rule.tiers:
            return max(t.points for t in rule.tiers)
        if rule.cap is not None:
            return rule.cap
        return max(b.award for b in rule.branches) if self.single_case(rule) else None

    def why_not(self, outcome, submission) -> list[WhyNot]:
        """How the rule could gain points (`demozone.rules.kinds.whynot.WhyNot`): for a rule
        below its best, the smallest change to `submission` that adds points and how many, or
        why nothing can. A kind that says nothing of its own repeats its reasons, with no change
        to apply."""
        rule = outcome.rule
        best = self.best(rule, submission)
        if best is not None and outcome.score >= best:
            return []
        clause = rule.clause or ", ".join(rule.implements())
        english = self.reasons(outcome, "en")
        if len(english) != len(outcome.reasons):
            english = [""] * len(outcome.reasons)
        return [
            WhyNot(rule.id, clause, reason, reason_en=en)
            for reason, en in zip(outcome.reasons, english, strict=True)
        ]

    # -- lint ------------------------------------------------------------------------------
    def single_case(self, rule: Rule) -> bool:
        """Whether a rule has one case only, so that it awards at most one branch's points;
        otherwise its cases' awards add up, to its cap or without bound."""
        return True

    def lint(self, rule: Rule, flag) -> Iterator:
        """Lint's findings on what only this kind writes. `flag(severity, code, key, index,
        message, message_zh)` makes one, located at the rule's `key` (its `index`-th entry)."""
        return iter(())

    def written_tests(self, rule: Rule) -> Iterator[tuple[Test, str, int | None]]:
        """The tests of a rule lint checks for ones that can never hold, each with the key
        (and list entry) it is written in."""
        return iter(())

    def written_quantities(self, rule: Rule) -> Iterator[tuple[Quantity, str, int | None]]:
        """The quantities of a rule whose metric and reference ids lint checks, each with the
        key (and list entry) it is written in."""
        return iter(())

    # -- diff ------------------------------------------------------------------------------
    def describe(self, rule: Rule, lang: str) -> str:
        """What a rule awards, in a few words of `lang` ("zh" or "en"), without its cap."""
        satisfied = "经评审认定满足" if lang == "zh" else "judged satisfied"
        return f"{satisfied} → {points(rule.branches[0].award, lang)}"

    def changes(self, a: Rule, b: Rule) -> list[RuleChange]:
        """What changed from rule `a` to rule `b` of this kind, besides the cap."""
        return award_changes(a, b)

    # -- the planner -----------------------------------------------------------------------
    def plan_options(self, rule: Rule, submission) -> list[PlanChange]:
        """The changes that could add points to this rule (demozone.procedure's planner scores
        every combination): by default, each clause it judges made satisfied by new work."""
        return judgment_changes(self.judged_clauses(rule))

    # -- the rule workbook (demozone rules export / import) ---------------------------------
    def workbook_cells(self, rule: Rule) -> dict[str, dict]:
        """Per workbook column, the keys of the rule as written that the column shows."""
        return {
            column: {k: rule.params[k] for k in keys if k in rule.params}
            for column, keys in self.workbook
        }

    def workbook_keys(self, column: str) -> tuple[str, ...]:
        """The keys a rule of this kind may have in a workbook column (none: not its column)."""
        return dict(self.workbook).get(column, ())

    # -- synthetic submissions -------------------------------------------------------------
    def synthetic_judged(self, rule: Rule) -> Iterable[str]:
        """The clauses a synthetic submission gives assessors' judgments on for this rule."""
        return ()
