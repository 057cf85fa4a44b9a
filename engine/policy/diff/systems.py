"""A semantic diff of two indicator systems: what a reader of both would say changed.

`diff_systems(a, b)` matches the two systems (`matching.py`) and lists, as `Change` values with a
Chinese and an English text, the changes of the pass rule, of the first- and second-level
indicators, and of every indicator (`indicators.py`): added, removed, or matched and changed in
label, points, level, responsible units, clauses (with the verbatim text before and after) and
the rules that score them (`rules.py`). `memo.py` renders it for people, `SystemDiff.to_dict`
for machines.
"""

from __future__ import annotations

from demozone.common.numbers import fmt_points, fmt_rate
from demozone.kb.model import Level, System
from demozone.policy.diff.changes import Change, ClauseDiff, IndicatorDiff, SystemDiff
from demozone.policy.diff.indicators import indicator_diffs, num
from demozone.policy.diff.matching import Matching, Side, load_side, match_sides, match_systems
from demozone.policy.diff.rules import Text

__all__ = [
    "Change",
    "ClauseDiff",
    "IndicatorDiff",
    "Matching",
    "SystemDiff",
    "Text",
    "diff_systems",
    "match_systems",
]


def diff_systems(a: str, b: str) -> SystemDiff:
    """The semantic diff of systems `a` (before) and `b` (after), ids with rule files in rules/.

    Raises InputError for an unknown system. Differences are values, never errors.
    """
    side_a, side_b = load_side(a), load_side(b)
    matching = match_sides(side_a, side_b)
    return SystemDiff(
        side_a,
        side_b,
        matching,
        _pass_rule(side_a, side_b),
        _levels(side_a.kb, side_b.kb),
        indicator_diffs(side_a, side_b, matching),
    )


# --- the pass rule and the levels ---------------------------------------------------------------


def _pass_rule(a: Side, b: Side) -> list[Change]:
    rule_a, rule_b = a.rules.pass_rule, b.rules.pass_rule
    quote_a, quote_b = _pass_quote(a.kb), _pass_quote(b.kb)
    changes = []
    if rule_a.total_at_least != rule_b.total_at_least:
        changes.append(
            Change(
                "pass_rule",
                Text("合格总分", "pass mark (total)"),
                True,
                before=Text(
                    f"≥{fmt_points(rule_a.total_at_least)}分",
                    f"≥ {fmt_points(rule_a.total_at_least)}",
                ),
                after=Text(
                    f"≥{fmt_points(rule_b.total_at_least)}分",
                    f"≥ {fmt_points(rule_b.total_at_least)}",
                ),
                quote_a=quote_a,
                quote_b=quote_b,
            )
        )
    if rule_a.first_level_rate_at_least != rule_b.first_level_rate_at_least:
        before = f"≥{fmt_rate(rule_a.first_level_rate_at_least)}"
        after = f"≥{fmt_rate(rule_b.first_level_rate_at_least)}"
        changes.append(
            Change(
                "pass_rule",
                Text("每个一级指标得分率", "every first-level score rate"),
                True,
                before=Text(before, before),
                after=Text(after, after),
                quote_a=quote_a,
                quote_b=quote_b,
            )
        )
    return changes


def _pass_quote(system: System) -> str | None:
    anchors = system.pass_rule.anchors if system.pass_rule else ()
    return anchors[0].quote if anchors else None


def _levels(a: System, b: System) -> list[Change]:
    changes = _level_changes(list(a.first_level), list(b.first_level), first=True)
    second_a = [s for lv in a.first_level for s in lv.second_level]
    second_b = [s for lv in b.first_level for s in lv.second_level]
    return changes + _level_changes(second_a, second_b, first=False)


def _level_changes(a: list[Level], b: list[Level], first: bool) -> list[Change]:
    """Levels matched by label, then by id; added, removed and changed in points."""
    word = (
        Text("一级指标", "first-level indicator")
        if first
        else Text("二级指标", "second-level indicator")
    )
    rest = list(b)
    changes = []
    for level in a:
        other = next((x for x in rest if x.label == level.label), None) or next(
            (x for x in rest if x.id == level.id), None
        )
        if other is None:
            changes.append(
                Change(
                    "level_removed",
                    Text(
                        f"删除{word.zh}「{level.label}」（{num(level.points)}分）",
                        f"{word.en} removed: {level.label_en or level.label} ({num(level.points)} pts)",
                    ),
                    first,
                    level_a=level.id,
                    before=Text(level.label, level.label_en or level.label),
                )
            )
            continue
        rest.remove(other)
        if level.points != other.points:
            changes.append(
                Change(
                    "level_points",
                    Text(
                        f"{word.zh}「{other.label}」分值",
                        f"points of the {word.en} {other.label_en or other.label}",
                    ),
                    first,
                    level_a=level.id,
                    level_b=other.id,
                    before=Text(f"{num(level.points)}分", f"{num(level.points)} pts"),
                    after=Text(f"{num(other.points)}分", f"{num(other.points)} pts"),
                )
            )
    for level in rest:
        changes.append(
            Change(
                "level_added",
                Text(
                    f"新增{word.zh}「{level.label}」（{num(level.points)}分）",
                    f"{word.en} added: {level.label_en or level.label} ({num(level.points)} pts)",
                ),
                first,
                level_b=level.id,
                after=Text(level.label, level.label_en or level.label),
            )
        )
    return changes
