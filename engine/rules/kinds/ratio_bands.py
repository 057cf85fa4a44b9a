"""ratio_bands: a ratio of two figures falls in one of several bands, each with its points
("占比8%-15%得1分，15%以上得2分（比值区间均含本数）"). Which band a shared boundary belongs to is
the rule's `inclusive` and `tie` (see `resolve_bands`)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from fractions import Fraction

from demozone.common.numbers import fmt_percent, fmt_points
from demozone.rules.kinds.accounts import band_account, band_reasons
from demozone.rules.kinds.bandswhynot import bands_why_not
from demozone.rules.kinds.base import RuleKind
from demozone.rules.kinds.diffwords import (
    RuleChange,
    Text,
    both,
    pct,
    points,
    quantity_words,
    same,
)
from demozone.rules.kinds.plan import PlanChange, at_least, metric_change
from demozone.rules.kinds.shared import RuleProblem, number, quantity
from demozone.rules.kinds.whynot import WhyNot
from demozone.rules.model import Band, Branch, Condition, Rule, Test


class RatioBands(RuleKind):
    name = "ratio_bands"
    keys = frozenset({"ratio", "bands", "inclusive", "tie"})
    workbook = (
        ("bands", ("bands", "inclusive", "tie")),
        ("thresholds", ("ratio",)),
    )
    words = Text("比值分档", "ratio bands")

    def parse(self, spec: Mapping, parameters: Mapping) -> dict:
        ratio = quantity({"ratio": spec.get("ratio")}, "ratio")
        inclusive = spec.get("inclusive", "both")
        tie = spec.get("tie", "higher")
        if inclusive not in ("both", "lower", "upper", "none"):
            raise RuleProblem(
                "inclusive",
                f"unknown inclusivity {inclusive!r}",
                "未知的区间包含方式",
                "both, lower, upper, none",
            )
        if tie not in ("higher", "lower"):
            raise RuleProblem(
                "tie", f"unknown tie policy {tie!r}", "未知的边界归属", "higher, lower"
            )
        raw = spec.get("bands")
        if not isinstance(raw, list) or not raw:
            raise RuleProblem("bands", "ratio_bands need a list of bands", "需要分档列表")
        bands = resolve_bands(raw, inclusive, tie)
        branches = tuple(
            Branch(f"band{i}", _band_conditions(band), band.points, band_label(band))
            for i, band in enumerate(bands)
        )
        return {"ratio": ratio, "bands": bands, "branches": branches}

    def cases(self, rule: Rule, derivation) -> list:
        """One case: the ratio in the last assessed year (compared with 0 to be read at all)."""
        test = Test(rule.ratio, ">=", constant=Fraction(0))
        return [derivation.test_case(rule, (test,), "", derivation.last_year)]

    def plan_options(self, rule: Rule, submission) -> list[PlanChange]:
        """The ratio's numerator of the last assessed year moved to each band's lower bound
        (its denominator unchanged); ratios of other forms propose nothing."""
        ratio = rule.ratio
        if ratio is None or ratio.form != "ratio" or len(ratio.args) != 2:
            return []
        top, bottom = ratio.args
        below = submission.metrics.get((bottom, submission.years[-1]))
        if below is None:
            return []
        bounds = {(b.lower, not b.lower_inclusive) for b in rule.bands if b.lower is not None}
        return [
            metric_change(top, at_least(top, lower * below.value, strict))
            for lower, strict in sorted(bounds)
        ]

    def reasons(self, outcome, lang: str = "zh") -> list[str]:
        return band_reasons(outcome, lang)

    def account(self, outcome, lang: str = "zh") -> list[str]:
        return band_account(outcome, lang)

    def best(self, rule: Rule, submission) -> Fraction:
        return max(b.points for b in rule.bands)

    def why_not(self, outcome, submission) -> list[WhyNot]:
        """How far the ratio is from the next band up, and the numerator that reaches it with
        the denominator unchanged."""
        return bands_why_not(outcome, submission, self.best(outcome.rule, submission))

    def written_quantities(self, rule: Rule):
        yield rule.ratio, "ratio", None

    def lint(self, rule: Rule, flag) -> Iterator:
        """Bands that hold for no ratio, overlap, leave gaps, or tie by default only."""
        return _band_findings(rule, flag)

    def describe(self, rule: Rule, lang: str) -> str:
        return f"{quantity_words(rule.ratio, lang)}: {bands_words(rule.bands, lang)}"

    def changes(self, a: Rule, b: Rule) -> list[RuleChange]:
        changes = []
        if a.ratio != b.ratio:
            changes.append(
                RuleChange(
                    "quantity",
                    Text("比值", "ratio"),
                    both(lambda lang: quantity_words(a.ratio, lang)),
                    both(lambda lang: quantity_words(b.ratio, lang)),
                )
            )
        if a.bands != b.bands:
            before = both(lambda lang: bands_words(a.bands, lang))
            after = both(lambda lang: bands_words(b.bands, lang))
            if before == after:  # the same numbers, other boundaries: show the intervals themselves
                before, after = same(interval_words(a.bands)), same(interval_words(b.bands))
            changes.append(RuleChange("bands", Text("分档", "bands"), before, after))
        return changes


def _band_findings(rule: Rule, flag) -> Iterator:
    """Each empty band, then each pair of neighbouring bands (by their lower bounds)."""
    bands = rule.bands
    for i, band in enumerate(bands):
        if _empty(band):
            yield flag(
                "error",
                "band-empty",
                "bands",
                i,
                f"band {band_interval(band)} holds for no ratio: it is empty or below 0",
                f"分档 {band_interval(band)} 不可能成立：区间为空或低于0",
            )
    order = sorted(
        (i for i, band in enumerate(bands) if not _empty(band)),
        key=lambda i: (bands[i].lower is not None, bands[i].lower or 0),
    )
    inclusive = rule.params.get("inclusive", "both")
    for a, b in itertools.pairwise(order):
        yield from _band_pair(rule, flag, a, b, inclusive)


def _empty(band: Band) -> bool:
    if band.upper is not None and (
        band.upper < 0 or (band.upper == 0 and not band.upper_inclusive)
    ):
        return True  # a ratio of counts or amounts is never negative
    if band.lower is None or band.upper is None:
        return False
    closed = band.lower_inclusive and band.upper_inclusive
    return band.lower > band.upper or (band.lower == band.upper and not closed)


def _band_pair(rule: Rule, flag, a: int, b: int, inclusive: str) -> Iterator:
    low, high = rule.bands[a], rule.bands[b]
    labels = f"{band_interval(low)} / {band_interval(high)}"
    if low.upper is None or high.lower is None or low.upper > high.lower:
        yield flag(
            "error",
            "band-overlap",
            "bands",
            b,
            f"bands {labels} overlap: a ratio in both would score twice",
            f"分档 {labels} 相互重叠：同一比值落入两档",
        )
    elif low.upper < high.lower:
        gap = f"{pct(low.upper)} - {pct(high.lower)}"
        yield flag(
            "warning",
            "band-gap",
            "bands",
            b,
            f"ratios between {gap} fall in no band and score 0 (bands {labels})",
            f"比值在 {gap} 之间时不属于任何分档，得0分（分档 {labels}）",
        )
    elif not (low.upper_inclusive or high.lower_inclusive):
        value = pct(low.upper)
        yield flag(
            "warning",
            "band-gap",
            "bands",
            b,
            f"a ratio of exactly {value} belongs to neither band {labels} and scores 0",
            f"比值恰为 {value} 时不属于 {labels} 任何一档，得0分",
        )
    elif low.upper_inclusive and high.lower_inclusive:
        yield flag(
            "error",
            "band-overlap",
            "bands",
            b,
            f"a ratio of exactly {pct(low.upper)} lies in both bands {labels}",
            f"比值恰为 {pct(low.upper)} 时同时属于 {labels} 两档",
        )
    elif inclusive == "both" and "tie" not in rule.params:
        value = pct(low.upper)
        yield flag(
            "warning",
            "band-tie-unstated",
            "bands",
            b,
            f"with inclusive: {inclusive}, a ratio of exactly {value} is in both bands as written; "
            "only the default tie policy (higher) decides: state `tie:`",
            f"区间均含本数时，比值恰为 {value} 同时属于两档，归属仅由默认的 tie: higher 决定，"
            "请明确写出 tie",
        )


def resolve_bands(raw: list, inclusive: str, tie: str) -> tuple[Band, ...]:
    """Bands as written plus the two policies -> the intervals that actually apply.

    With tie "higher", a boundary two adjacent bands share belongs to the upper band only.
    """
    bands = []
    for i, item in enumerate(raw):
        lower = number(item["from"], f"bands[{i}].from") if "from" in item else None
        upper = number(item["to"], f"bands[{i}].to") if "to" in item else None
        bands.append(
            Band(
                lower,
                upper,
                inclusive in ("both", "lower"),
                inclusive in ("both", "upper"),
                number(item.get("points"), f"bands[{i}].points"),
            )
        )
    resolved = []
    for i, band in enumerate(bands):
        upper_inclusive, lower_inclusive = band.upper_inclusive, band.lower_inclusive
        shared_upper = (
            i + 1 < len(bands) and band.upper is not None and band.upper == bands[i + 1].lower
        )
        if shared_upper and tie == "higher":
            upper_inclusive = False
        if i > 0 and band.lower is not None and band.lower == bands[i - 1].upper and tie == "lower":
            lower_inclusive = False
        resolved.append(Band(band.lower, band.upper, lower_inclusive, upper_inclusive, band.points))
    return tuple(resolved)


def _band_conditions(band: Band) -> tuple[Condition, ...]:
    conditions = []
    if band.lower is not None:
        conditions.append(Condition("o0", ">=" if band.lower_inclusive else ">", band.lower))
    if band.upper is not None:
        conditions.append(Condition("o0", "<=" if band.upper_inclusive else "<", band.upper))
    return tuple(conditions)


def band_label(band: Band) -> str:
    """A band as a sentence states it: "比值不低于8%、低于15%" (labels are read by people;
    the bounds as data stay in the band itself)."""
    parts = []
    if band.lower is not None:
        parts.append(f"{'不低于' if band.lower_inclusive else '超过'}{fmt_percent(band.lower, 0)}")
    if band.upper is not None:
        parts.append(f"{'不超过' if band.upper_inclusive else '低于'}{fmt_percent(band.upper, 0)}")
    return f"比值{'、'.join(parts)}" if parts else "任意比值"


def band_interval(band: Band) -> str:
    """A band as an interval of the ratio r, for rule authors: "8% <= r < 15%"."""
    parts = []
    if band.lower is not None:
        parts.append(f"{fmt_percent(band.lower, 0)} {'<=' if band.lower_inclusive else '<'} ")
    parts.append("r")
    if band.upper is not None:
        parts.append(f" {'<=' if band.upper_inclusive else '<'} {fmt_percent(band.upper, 0)}")
    return "".join(parts)


def bands_words(bands: tuple[Band, ...], lang: str) -> str:
    """Bands as the source states them: "8%–15% 1分，≥15% 2分"."""
    parts = []
    for band in bands:
        if band.lower is not None and band.upper is not None:
            span = f"{pct(band.lower)}–{pct(band.upper)}"
        elif band.lower is not None:
            span = f"{'≥' if band.lower_inclusive else '>'}{pct(band.lower)}"
        elif band.upper is not None:
            span = f"{'≤' if band.upper_inclusive else '<'}{pct(band.upper)}"
        else:
            span = "*"
        parts.append(f"{span} {points(band.points, lang)}")
    return ("，" if lang == "zh" else ", ").join(parts)


def interval_words(bands: tuple[Band, ...]) -> str:
    """The intervals the bands resolve to, boundaries included or not: "8% <= r < 15%: 1"."""
    parts = []
    for band in bands:
        text = "r"
        if band.lower is not None:
            text = f"{pct(band.lower)} {'<=' if band.lower_inclusive else '<'} r"
        if band.upper is not None:
            text += f" {'<=' if band.upper_inclusive else '<'} {pct(band.upper)}"
        parts.append(f"{text}: {fmt_points(band.points)}")
    return "; ".join(parts)
