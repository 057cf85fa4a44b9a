"""Lint checks on one rule at a time, whatever its indicator: tests that can never hold, metric
and reference ids, item categories and region classes, and each kind's own checks (bands, tiers:
`RuleKind.lint`); and the most points a rule can award.

Everything here reads the rule model (`model.Rule`) generically, and asks a rule's kind where its
tests and quantities are written; no indicator is known by number, no kind by name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction

from demozone.common.numbers import fmt_points, fmt_rate
from demozone.kb.metrics import is_rate, metric_vocabulary
from demozone.policy.lint.findings import Finding, Locator
from demozone.rules import kinds
from demozone.rules.kinds import test_label
from demozone.rules.model import Quantity, Rule, Test
from demozone.submission.figures import reference_ids
from demozone.submission.model import EVIDENCE_FIELDS, EVIDENCE_KINDS

_METRIC_FORMS = ("growth", "ratio", "metric", "national_growth", "national_ratio")


def reachable(rule: Rule) -> Fraction | None:
    """The most points a rule can award; None when nothing of its own bounds it (items or
    assessed years counted without a cap: then only the indicator's points bound it)."""
    if rule.tiers:  # the count reaches a tier; a cap plays no part (scoring.rule_outcome)
        return max((t.points for t in rule.tiers), default=Fraction(0))
    # One branch holds per case: bands do not overlap (checked below), an item has one category.
    per_case = max((b.award for b in rule.branches), default=Fraction(0))
    if per_case <= 0:
        return Fraction(0)
    if not kinds.of(rule).single_case(rule):
        return rule.cap  # many cases: their awards add up to the cap, or without bound
    return per_case if rule.cap is None else min(per_case, rule.cap)


def points_key(rule: Rule) -> str:
    """The field of a rule as written that says how many points it awards."""
    keys = ("tiers", "bands", "cap", "points", "points_per_year", "points_each", "points_by")
    return next((k for k in keys if k in rule.params), "kind")


def rule_findings(rule: Rule, locate: Locator, region_classes: tuple[str, ...]) -> list[Finding]:
    """Every finding on one rule that needs no knowledge of its indicator."""
    return [
        *kinds.of(rule).lint(rule, _flag(rule, locate)),
        *_test_findings(rule, locate),
        *_quantity_findings(rule, locate),
        *_item_findings(rule, locate, region_classes),
    ]


def _flag(rule: Rule, locate: Locator):
    """How a kind's own checks (`RuleKind.lint`) make a finding at a field of the rule."""

    def flag(severity: str, code: str, key: str, index: int | None, message: str, zh: str):
        return Finding(severity, code, locate.rule(rule, key, index), message, zh)

    return flag


# -- tests that can never hold ---------------------------------------------------------------


@dataclass(frozen=True)
class _Interval:
    """The values a quantity can take: lo..hi, None for no bound."""

    lo: Fraction | None
    lo_in: bool
    hi: Fraction | None
    hi_in: bool

    def restrict(self, compare: str, value: Fraction) -> _Interval:
        lo, lo_in, hi, hi_in = self.lo, self.lo_in, self.hi, self.hi_in
        if compare in (">", ">=", "="):
            inside = compare != ">"
            if lo is None or value > lo:
                lo, lo_in = value, inside
            elif value == lo:
                lo_in = lo_in and inside
        if compare in ("<", "<=", "="):
            inside = compare != "<"
            if hi is None or value < hi:
                hi, hi_in = value, inside
            elif value == hi:
                hi_in = hi_in and inside
        return _Interval(lo, lo_in, hi, hi_in)

    @property
    def empty(self) -> bool:
        if self.lo is None or self.hi is None:
            return False
        return self.lo > self.hi or (self.lo == self.hi and not (self.lo_in and self.hi_in))

    def text(self, shown: Callable[[Fraction], str]) -> str:
        low = "-∞" if self.lo is None else shown(self.lo)
        high = "∞" if self.hi is None else shown(self.hi)
        return f"{'[' if self.lo_in else '('}{low}, {high}{']' if self.hi_in else ')'}"


def _shown(quantity: Quantity) -> Callable[[Fraction], str]:
    """How values of a quantity are written: rates, ratios and growth as percentages."""
    percent = quantity.form != "metric" or is_rate(quantity.args[0])
    return fmt_rate if percent else fmt_points


def _domain(quantity: Quantity) -> _Interval | None:
    """What the submission contract lets a quantity be: rates in [0, 1], counts and amounts and
    their ratios >= 0, growth >= -100%."""
    if quantity.form == "metric":
        metric = metric_vocabulary().get(quantity.args[0])
        if metric is None:
            return None
        top = Fraction(1) if is_rate(metric.id) else None
        return _Interval(Fraction(0), True, top, top is not None)
    if quantity.form in ("ratio", "national_ratio"):
        return _Interval(Fraction(0), True, None, False)
    if quantity.form in ("growth", "national_growth"):
        return _Interval(Fraction(-1), True, None, False)
    return None


def _test_findings(rule: Rule, locate: Locator) -> Iterator[Finding]:
    ranges: dict[Quantity, _Interval] = {}
    for test, key, item in kinds.of(rule).written_tests(rule):
        where = locate.rule(rule, key, item)
        if test.right is not None:
            if test.right == test.left and test.compare in (">", "<"):
                yield _never(rule, where, test, None)
            continue
        domain = ranges.get(test.left) or _domain(test.left)
        if domain is None or test.constant is None:
            continue
        ranges[test.left] = domain.restrict(test.compare, test.constant)
        if ranges[test.left].empty:
            yield _never(rule, where, test, domain)


def _never(rule: Rule, where, test: Test, within: _Interval | None) -> Finding:
    """A test that no value satisfies: outside what the quantity can be (`within`, after the
    tests before it), or a quantity compared strictly with itself."""
    label = test_label(test)
    right = _shown(test.left)(test.constant) if test.constant is not None else str(test.right)
    values = within.text(_shown(test.left)) if within else "itself"
    return Finding(
        "error",
        "condition-never-holds",
        where,
        f"rule {rule.id}: the test {test.left} {test.compare} {right} can never hold "
        f"(the values left for it: {values})",
        f"规则 {rule.id}：条件“{label}”永远不能成立（可取值范围：{values}）",
    )


# -- metric and reference ids ----------------------------------------------------------------


def _quantity_findings(rule: Rule, locate: Locator) -> Iterator[Finding]:
    vocabulary, references = metric_vocabulary(), set(reference_ids())
    for quantity, key, item in kinds.of(rule).written_quantities(rule):
        where = locate.rule(rule, key, item)
        if quantity.form == "reference" and quantity.args[0] not in references:
            yield Finding(
                "error",
                "unknown-reference",
                where,
                f"rule {rule.id}: {quantity.args[0]!r} is not a reference of the submission "
                "contract (national_<metric> or national_<metric>_growth)",
                f"规则 {rule.id}：{quantity.args[0]!r} 不是申报数据约定的全国参照数据项",
            )
        if quantity.form not in _METRIC_FORMS:
            continue
        for metric in quantity.args:
            if metric not in vocabulary:
                yield Finding(
                    "error",
                    "unknown-metric",
                    where,
                    f"rule {rule.id}: metric {metric!r} is not in the vocabulary (kb/metrics.yaml)",
                    f"规则 {rule.id}：数据项 {metric!r} 不在数据项词表（kb/metrics.yaml）中",
                )
            elif not vocabulary[metric].per_year and quantity.form == "growth":
                yield Finding(
                    "error",
                    "metric-not-per-year",
                    where,
                    f"rule {rule.id}: the growth of {metric!r} needs two years, but the metric is "
                    "submitted for one year only",
                    f"规则 {rule.id}：{vocabulary[metric].label}只按单一年份申报，无法计算同比增速",
                )


# -- items: categories, filters, region classes, tiers --------------------------------------


def _item_findings(
    rule: Rule, locate: Locator, region_classes: tuple[str, ...]
) -> Iterator[Finding]:
    if rule.items_of == "evidence":
        yield from _evidence_findings(rule, locate)
    for item_filter in rule.item_filters:
        table = dict(item_filter.by_region_class)
        missing = [c for c in region_classes if table and c not in table]
        if missing:
            where = locate.key("parameters", item_filter.parameter or "") or locate.rule(
                rule, "where"
            )
            names = ", ".join(missing)
            yield Finding(
                "error",
                "region-class-missing",
                where,
                f"rule {rule.id}: {item_filter.parameter} has no threshold for {names}: "
                f"operators in such a region can never qualify",
                f"规则 {rule.id}：参数 {item_filter.parameter} 缺少 {names} 地区的门槛，"
                "该类地区的经营者永远不能计分",
            )


def _evidence_findings(rule: Rule, locate: Locator) -> Iterator[Finding]:
    equals = dict(rule.item_equals)
    kind = equals.get("kind")
    if kind is not None and kind not in EVIDENCE_KINDS:
        yield _no_items(rule, locate, f"kind = {kind}", ", ".join(EVIDENCE_KINDS))
    for field, value in equals.items():
        if field != "kind" and value not in _field_values(field, kind):
            yield _no_items(rule, locate, f"{field} = {value}", _allowed(field, kind))
    if rule.category_field:
        allowed = _field_values(rule.category_field, kind)
        for value in (rule.params.get("points_by") or {}).get("points") or {}:
            if str(value) not in allowed:
                yield Finding(
                    "error",
                    "category-unreachable",
                    locate.rule(rule, "points_by"),
                    f"rule {rule.id}: no evidence item can have {rule.category_field} = {value} "
                    f"(expected: {_allowed(rule.category_field, kind)}); its points are never given",
                    f"规则 {rule.id}：证明材料的 {rule.category_field} 不可能为“{value}”，该项分值永远不能取得",
                )


def _field_values(field: str, kind: str | None) -> set[str]:
    """The values an evidence field can have, for items of `kind` (any kind when None)."""
    return {
        value
        for owner, (name, values) in EVIDENCE_FIELDS.items()
        if name == field and kind in (None, owner)
        for value in values
    }


def _allowed(field: str, kind: str | None) -> str:
    return "、".join(sorted(_field_values(field, kind))) or f"no {field} on {kind} items"


def _no_items(rule: Rule, locate: Locator, condition: str, allowed: str) -> Finding:
    return Finding(
        "error",
        "condition-never-holds",
        locate.rule(rule, "where"),
        f"rule {rule.id}: no submitted item can have {condition} (expected: {allowed})",
        f"规则 {rule.id}：不可能有符合“{condition}”的项目（应为：{allowed}）",
    )
