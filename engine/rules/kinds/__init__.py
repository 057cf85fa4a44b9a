"""The rule kinds: one module per kind, one object per kind, and the registry that names them.

A rule file says `kind: ratio_bands`; the loader asks `kind_of("ratio_bands")` for the object
that reads the rule, and every later step (the engines' cases, the reasons, accounts and why-not lines,
lint, diff, synthetic submissions) asks `of(rule)` for the same object instead of comparing the
kind's name. The built-in kinds are registered below, in the order error messages list them;
another kind is one module with a `RuleKind` subclass, registered with `register`.

This package reads only the rule model (`demozone.rules.model`), the knowledge base's metric
vocabulary and the common helpers; what the layers above hand it (a derivation, an outcome) it
reads by their public names.
"""

from __future__ import annotations

from demozone.rules.kinds.any_judged import AnyJudged
from demozone.rules.kinds.base import RuleKind
from demozone.rules.kinds.conditions import Conditions
from demozone.rules.kinds.items import Items
from demozone.rules.kinds.judged import Judged
from demozone.rules.kinds.ratio_bands import RatioBands, band_label, resolve_bands
from demozone.rules.kinds.shared import RuleProblem, number, quantity_label, test_label
from demozone.rules.kinds.yearly_comparison import YearlyComparison
from demozone.rules.model import Rule

__all__ = [
    "KINDS",
    "RuleKind",
    "RuleProblem",
    "band_label",
    "kind_of",
    "number",
    "of",
    "quantity_label",
    "register",
    "resolve_bands",
    "test_label",
    "unregister",
]

# kind name -> the kind; read through `kind_of` and `of`, changed only by `register`/`unregister`
KINDS: dict[str, RuleKind] = {}


def register(kind: RuleKind) -> RuleKind:
    """Make `kind` known to the rule files by its name; a name is registered once."""
    if kind.name in KINDS:
        raise ValueError(f"a rule kind {kind.name!r} is registered already")
    KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Forget a kind registered by `register` (for tests that register one of their own)."""
    del KINDS[name]


def kind_of(name: object) -> RuleKind | None:
    """The kind a rule file names, or None when no kind has that name."""
    return KINDS.get(name) if isinstance(name, str) else None


def of(rule: Rule) -> RuleKind:
    """The kind of a loaded rule (which the loader has checked is registered)."""
    return KINDS[rule.kind]


for _kind in (YearlyComparison(), RatioBands(), Conditions(), Judged(), AnyJudged(), Items()):
    register(_kind)
