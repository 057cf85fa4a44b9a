"""The compiled rule model: what a rule file means, independent of any engine.

A rule file (rules/*.yaml) is loaded into these frozen values, each rule read by its kind
(`demozone.rules.kinds`). Both the durable-rules compiler (`scoring.compile`) and the direct
evaluator (`scoring.direct`) read only this model, so the two can be compared on any submission.

Every rule reduces to the same shape: for each *case* (an assessed year, an item, a clause) the
derivation computes exact operands; a *branch* is a conjunction of operand comparisons against
constants; each branch that holds *fires* and awards its points. How the firings of a rule add
up (sum, cap, tiers) is the rule's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from demozone.kb.metrics import is_rate

COMPARISONS = (">", ">=", "<", "<=", "=")


@dataclass(frozen=True)
class Quantity:
    """A number derived from facts: ("growth", "online_retail"), ("ratio", "a", "b"), ..."""

    form: str  # growth | ratio | metric | national_growth | national_ratio | reference | judged
    args: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.form}({', '.join(self.args)})"

    @property
    def is_rate(self) -> bool:
        """Its values are rates, written as percentages: a ratio, or a metric of kind rate."""
        return self.form == "ratio" or (self.form == "metric" and is_rate(self.args[0]))


@dataclass(frozen=True)
class Test:
    """`left compare right`, where right is a constant or another quantity."""

    left: Quantity
    compare: str
    constant: Fraction | None = None
    right: Quantity | None = None


@dataclass(frozen=True)
class Condition:
    """One comparison on a case fact: an operand against a constant, or an attribute equality."""

    operand: str  # o0, o1 ... for numbers; a_<field> for attributes
    compare: str
    value: Fraction | str


@dataclass(frozen=True)
class Branch:
    """A conjunction of conditions that, when it holds for a case, awards `award` points."""

    name: str
    conditions: tuple[Condition, ...]
    award: Fraction
    label: str = ""  # e.g. "8% <= r < 15%", "type = 法规"


@dataclass(frozen=True)
class Band:
    lower: Fraction | None
    upper: Fraction | None
    lower_inclusive: bool
    upper_inclusive: bool
    points: Fraction


@dataclass(frozen=True)
class ItemFilter:
    """A numeric filter on an item field: field compare threshold (by region class or fixed)."""

    field: str
    compare: str
    threshold: Fraction | None = None
    by_region_class: tuple[tuple[str, Fraction], ...] = ()
    parameter: str | None = None  # the named parameter the thresholds come from


@dataclass(frozen=True)
class Tier:
    at_least: int
    points: Fraction


@dataclass(frozen=True)
class Rule:
    id: str
    indicator: str  # the system's own number
    clause: str | None  # the clause it implements; None when it scores several (`clauses`)
    kind: str  # the name of its kind, as the rule file writes it; its behaviour: kinds.of(rule)
    file: str
    line: int | None
    branches: tuple[Branch, ...]
    # what the derivation needs; each kind fills the fields it uses (demozone.rules.kinds)
    tests: tuple[Test, ...] = ()
    per_year: bool = False  # one case per assessed year
    bands: tuple[Band, ...] = ()
    ratio: Quantity | None = None
    clauses: tuple[str, ...] = ()  # the clauses it scores, one case each
    items_of: str | None = None  # operators | evidence
    item_equals: tuple[tuple[str, str], ...] = ()
    item_filters: tuple[ItemFilter, ...] = ()
    item_assessed_years: bool = False
    category_field: str | None = None  # points_by
    tiers: tuple[Tier, ...] = ()
    cap: Fraction | None = None
    params: dict = field(default_factory=dict, compare=False)  # the rule as written, for display

    def implements(self) -> tuple[str, ...]:
        """The clause ids this rule scores."""
        return self.clauses if self.clauses else ((self.clause,) if self.clause else ())


@dataclass(frozen=True)
class IndicatorRules:
    number: str
    points: Fraction
    rules: tuple[Rule, ...]
    base: str | None = None  # for a renumbered variant: the base system's number


@dataclass(frozen=True)
class PassRule:
    total_at_least: Fraction
    first_level_rate_at_least: Fraction


@dataclass(frozen=True)
class Unfix:
    """A fixed entry of a base that a variant changes on purpose (`unfix:`), and why."""

    entry: str  # as `fixed:` writes it: pass_rule.total_at_least, rules.ID.KEY, ...
    reason: str  # verbatim, e.g. 省级提高合格线，见某某文件
    file: str
    line: int | None = None


@dataclass(frozen=True)
class RuleSet:
    """All rules of one system or variant, in the system's own numbering."""

    system: str
    title: str
    files: tuple[str, ...]  # the rule files this set was built from, base first
    extends: str | None
    pass_rule: PassRule
    indicators: tuple[IndicatorRules, ...]
    parameters: dict = field(default_factory=dict, compare=False)
    # The knowledge-base system whose indicators and clauses these rules score: the system itself,
    # or for a what-if variant the system it re-scores.
    kb_system: str = ""
    # responsible units the rules state (indicator number -> unit names); the KB's otherwise
    units: dict = field(default_factory=dict, compare=False)
    # the sha256 of each of `files` as it was read: what a receipt names (empty when built
    # without files)
    file_hashes: tuple[str, ...] = field(default=(), compare=False)
    # fixed entries of its bases this rule set changes on purpose, with the reasons given
    unfixed: tuple[Unfix, ...] = field(default=(), compare=False)

    def rules(self) -> list[Rule]:
        return [rule for indicator in self.indicators for rule in indicator.rules]

    def indicator(self, number: str) -> IndicatorRules | None:
        return next((i for i in self.indicators if i.number == number), None)
