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
from typing import ClassVar

from demozone.rules.kinds.accounts import test_account, test_reasons
from demozone.rules.kinds.diffwords import RuleChange, Text, award_changes, points
from demozone.rules.kinds.shared import is_judged
from demozone.rules.model import Quantity, Rule, Test


class RuleKind:
    """A kind of rule. Subclasses set the class attributes and override what differs; an
    instance holds no state and cannot be changed, so one object serves every rule set."""

    name: ClassVar[str]  # the `kind:` of the rule files
    keys: ClassVar[frozenset[str]]  # the keys a rule of this kind accepts besides id, clause, kind
    words: ClassVar[Text]  # what `demozone diff` calls the kind
    # whether `cap` is the rule file's own (said and compared by diff) or the kind's bookkeeping
    shows_cap: ClassVar[bool] = True

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

    def why_not(self, outcome) -> list[str]:
        """What `demozone explain` says about how the rule could gain points."""
        return outcome.reasons

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

    # -- synthetic submissions -------------------------------------------------------------
    def synthetic_judged(self, rule: Rule) -> Iterable[str]:
        """The clauses a synthetic submission gives assessors' judgments on for this rule."""
        return ()
