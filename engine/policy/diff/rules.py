"""What changed between two rules that score corresponding clauses, said in Chinese and English.

`compare_rules` lists the differences of two compiled rules (kind, quantities, operators,
comparators, thresholds, bands, caps, per-item and per-year points, tiers, region-class
thresholds); `describe_rule` says what one rule awards, for a rule that was added or removed.
What a kind awards and what changed between two rules of one kind is the kind's to say
(`RuleKind.describe`, `RuleKind.changes`, in the words of `demozone.rules.kinds.diffwords`);
this module adds the kind's name, the cap, and a change of kind.
"""

from __future__ import annotations

from fractions import Fraction

from demozone.rules import kinds
from demozone.rules.kinds.diffwords import RuleChange, Text, both, pct, points
from demozone.rules.model import Rule

__all__ = ["RuleChange", "Text", "compare_rules", "describe_rule", "pct", "points"]


def describe_rule(rule: Rule, lang: str) -> str:
    """What one rule awards, in a line: kind, condition, points, cap."""
    kind = kinds.of(rule)
    cap = ""
    if rule.cap is not None and kind.shows_cap:
        cap = (
            f"，最高{points(rule.cap, lang)}"
            if lang == "zh"
            else f", at most {points(rule.cap, lang)}"
        )
    return f"{kind.words[lang]}: {kind.describe(rule, lang)}{cap}"


def compare_rules(a: Rule, b: Rule) -> list[RuleChange]:
    """Every difference between rule `a` (before) and rule `b` (after)."""
    kind = kinds.of(a)
    if kind is not kinds.of(b):
        return [
            RuleChange(
                "kind",
                Text("计分方式改变", "scoring method changed"),
                both(lambda lang: describe_rule(a, lang)),
                both(lambda lang: describe_rule(b, lang)),
            )
        ]
    return kind.changes(a, b) + (_cap(a, b) if kind.shows_cap else [])


def _cap(a: Rule, b: Rule) -> list[RuleChange]:
    if a.cap == b.cap:
        return []

    def show(value: Fraction | None, lang: str) -> str:
        if value is None:
            return "不设上限" if lang == "zh" else "no cap"
        return points(value, lang)

    return [
        RuleChange(
            "cap",
            Text("最高分", "cap"),
            both(lambda lang: show(a.cap, lang)),
            both(lambda lang: show(b.cap, lang)),
        )
    ]
