"""What changed in each indicator pair of a matching: head, clauses, and the rules scoring them.

An indicator present on one side only is one change (added or removed). A matched pair lists its
changes of label, points, first level and responsible units, then clause by clause: text changed,
clause added or removed, clause moved to another indicator, and every difference of the rules
that score the two clauses (`policy.diff.rules.compare_rules`); rules left without a counterpart are
scoring added or removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from demozone.common.numbers import fmt_points
from demozone.kb.model import Indicator, Level, System
from demozone.policy.diff.changes import Change, ClauseDiff, IndicatorDiff, similarity_percent
from demozone.policy.diff.matching import IndicatorPair, Matching, Side
from demozone.policy.diff.rules import Text, compare_rules, describe_rule, points
from demozone.rules.model import Rule, RuleSet


def indicator_diffs(a: Side, b: Side, matching: Matching) -> list[IndicatorDiff]:
    """One IndicatorDiff per pair of the matching, in the matching's order."""
    return _Indicators(a, b, matching).diffs()


def num(value) -> str:
    """Points as people write them; "?" when the knowledge base leaves them out."""
    return fmt_points(value) if value is not None else "?"


@dataclass
class _Indicators:
    """Builds the indicator diffs; remembers which rules were already compared (a rule scoring
    several clauses is compared once)."""

    a: Side
    b: Side
    matching: Matching
    used_a: set[str] = field(default_factory=set)
    used_b: set[str] = field(default_factory=set)

    def diffs(self) -> list[IndicatorDiff]:
        self.rules_a, self.rules_b = _rules_by_clause(self.a.rules), _rules_by_clause(self.b.rules)
        self.moved_a = {m.a_clause: m for m in self.matching.moves}
        self.moved_b = {m.b_clause: m for m in self.matching.moves}
        return [self._indicator(pair) for pair in self.matching.pairs]

    def _indicator(self, pair: IndicatorPair) -> IndicatorDiff:
        ind_a = self.a.kb.indicator(pair.a) if pair.a else None
        ind_b = self.b.kb.indicator(pair.b) if pair.b else None
        clauses = self._clauses(pair)
        changes = self._head_changes(pair, ind_a, ind_b, clauses)
        for clause in clauses:
            if clause.a_indicator == pair.a or not clause.moved:
                changes += self._clause_changes(pair, clause)
        if pair.a and pair.b:
            changes += self._unpaired_rules(pair)
        return IndicatorDiff(
            pair,
            ind_a.label if ind_a else None,
            ind_b.label if ind_b else None,
            _points(self.a.rules, ind_a),
            _points(self.b.rules, ind_b),
            _level_path(self.a.kb, ind_a),
            _level_path(self.b.kb, ind_b),
            ind_a.unit_names if ind_a else (),
            ind_b.unit_names if ind_b else (),
            clauses,
            changes,
            level_a_en=_level_path(self.a.kb, ind_a, "en"),
            level_b_en=_level_path(self.b.kb, ind_b, "en"),
        )

    def _clauses(self, pair: IndicatorPair) -> list[ClauseDiff]:
        result = []
        for (x, y), similarity in zip(pair.clauses, pair.clause_similarity, strict=True):
            if y is None and x in self.moved_a:
                move = self.moved_a[x]
                result.append(
                    self._clause(pair.a, x, move.b_indicator, move.b_clause, move.similarity, True)
                )
            elif x is None and y in self.moved_b:
                move = self.moved_b[y]
                result.append(
                    self._clause(move.a_indicator, move.a_clause, pair.b, y, move.similarity, True)
                )
            else:
                result.append(self._clause(pair.a, x, pair.b, y, similarity, False))
        return result

    def _clause(self, ind_a, x, ind_b, y, similarity, moved) -> ClauseDiff:
        clause_a = self.a.kb.indicator(ind_a).clause(x) if x else None
        clause_b = self.b.kb.indicator(ind_b).clause(y) if y else None
        return ClauseDiff(
            ind_a if x else None,
            x,
            ind_b if y else None,
            y,
            similarity,
            moved,
            clause_a.text if clause_a else None,
            clause_b.text if clause_b else None,
            num(clause_a.points) if clause_a and clause_a.points is not None else None,
            num(clause_b.points) if clause_b and clause_b.points is not None else None,
        )

    def _head_changes(
        self, pair, ind_a: Indicator | None, ind_b: Indicator | None, clauses
    ) -> list[Change]:
        if ind_a is None:
            return [_one_sided(ind_b, _points(self.b.rules, ind_b), added=True)]
        if ind_b is None:
            return [_one_sided(ind_a, _points(self.a.rules, ind_a), added=False)]
        return self._matched_head(ind_a, ind_b)

    def _matched_head(self, ind_a: Indicator, ind_b: Indicator) -> list[Change]:
        changes = []
        where = {"a": ind_a.number, "b": ind_b.number}
        if ind_a.label != ind_b.label:
            changes.append(
                Change(
                    "label",
                    Text("名称", "label"),
                    False,
                    before=Text(ind_a.label, ind_a.label_en or ind_a.label),
                    after=Text(ind_b.label, ind_b.label_en or ind_b.label),
                    **where,
                )
            )
        pts_a, pts_b = _points(self.a.rules, ind_a), _points(self.b.rules, ind_b)
        if pts_a != pts_b:
            changes.append(
                Change(
                    "points",
                    Text("分值", "points"),
                    True,
                    before=Text(points(pts_a, "zh"), points(pts_a, "en")),
                    after=Text(points(pts_b, "zh"), points(pts_b, "en")),
                    **where,
                )
            )
        level_a, level_b = _first_level(self.a.kb, ind_a), _first_level(self.b.kb, ind_b)
        if level_a and level_b and level_a.label != level_b.label:
            changes.append(
                Change(
                    "level",
                    Text("所属一级指标", "first-level indicator"),
                    True,
                    before=Text(level_a.label, level_a.label_en or level_a.label),
                    after=Text(level_b.label, level_b.label_en or level_b.label),
                    level_a=level_a.id,
                    level_b=level_b.id,
                    **where,
                )
            )
        if ind_a.unit_names != ind_b.unit_names:
            none = Text("未列明", "none listed")
            changes.append(
                Change(
                    "units",
                    Text("责任单位", "responsible units"),
                    False,
                    before=_units(ind_a) or none,
                    after=_units(ind_b) or none,
                    **where,
                )
            )
        return changes

    def _clause_changes(self, pair: IndicatorPair, clause: ClauseDiff) -> list[Change]:
        where = {
            "a": clause.a_indicator,
            "b": clause.b_indicator,
            "clause_a": clause.a,
            "clause_b": clause.b,
            "quote_a": clause.text_a,
            "quote_b": clause.text_b,
        }
        if clause.a is None:
            if pair.a is None:
                return []  # part of an added indicator
            return [
                self._lone_clause(
                    "clause_added", "新增条款", "clause added", clause.b, clause, where
                )
            ]
        if clause.b is None:
            if pair.b is None:
                return []  # part of a removed indicator
            return [
                self._lone_clause(
                    "clause_removed", "删除条款", "clause removed", clause.a, clause, where
                )
            ]
        changes = []
        if clause.moved:
            sim = similarity_percent(clause.similarity)
            changes.append(
                Change(
                    "clause_moved",
                    Text(
                        f"条款{clause.a}移入指标{clause.b_indicator}，为条款{clause.b}（相似度{sim}）",
                        f"clause {clause.a} moved to indicator {clause.b_indicator} as clause {clause.b} (similarity {sim})",
                    ),
                    False,
                    **where,
                )
            )
        if clause.text_a != clause.text_b:
            changes.append(
                Change("clause_text", Text("条款文字修改", "clause text changed"), False, **where)
            )
        for rule_a in self.rules_a.get(clause.a, []):
            rule_b = next(
                (r for r in self.rules_b.get(clause.b, []) if r.id not in self.used_b), None
            )
            if rule_a.id in self.used_a or rule_b is None:
                continue
            self.used_a.add(rule_a.id)
            self.used_b.add(rule_b.id)
            for change in compare_rules(rule_a, rule_b):
                changes.append(
                    Change(
                        change.topic,
                        change.text,
                        True,
                        rule_a=rule_a.id,
                        rule_b=rule_b.id,
                        before=change.before,
                        after=change.after,
                        **where,
                    )
                )
        return changes

    def _lone_clause(self, topic, zh, en, clause_id, clause: ClauseDiff, where) -> Change:
        return Change(topic, Text(f"{zh}{clause_id}", f"{en}: {clause_id}"), False, **where)

    def _unpaired_rules(self, pair: IndicatorPair) -> list[Change]:
        """Rules of a matched pair left without a counterpart: added or removed scoring."""
        changes = []
        for rule in self.a.rules.indicator(pair.a).rules if self.a.rules.indicator(pair.a) else ():
            if rule.id not in self.used_a and not self._moved_away(rule):
                self.used_a.add(rule.id)
                changes.append(self._lone_rule("rule_removed", rule, pair, side="a"))
        for rule in self.b.rules.indicator(pair.b).rules if self.b.rules.indicator(pair.b) else ():
            if rule.id not in self.used_b and not self._moved_in(rule):
                self.used_b.add(rule.id)
                changes.append(self._lone_rule("rule_added", rule, pair, side="b"))
        return changes

    def _moved_away(self, rule: Rule) -> bool:
        return any(c in self.moved_a for c in rule.implements())

    def _moved_in(self, rule: Rule) -> bool:
        return any(c in self.moved_b for c in rule.implements())

    def _lone_rule(self, topic: str, rule: Rule, pair: IndicatorPair, side: str) -> Change:
        described = Text(describe_rule(rule, "zh"), describe_rule(rule, "en"))
        clause = rule.implements()[0] if rule.implements() else None
        system = self.a.kb if side == "a" else self.b.kb
        ind = system.indicator(pair.a if side == "a" else pair.b)
        quote = ind.clause(clause).text if ind and clause and ind.clause(clause) else None
        words = (
            Text("删除计分规则", "scoring rule removed")
            if side == "a"
            else Text("新增计分规则", "scoring rule added")
        )
        return Change(
            topic,
            words,
            True,
            a=pair.a,
            b=pair.b,
            clause_a=clause if side == "a" else None,
            clause_b=clause if side == "b" else None,
            rule_a=rule.id if side == "a" else None,
            rule_b=rule.id if side == "b" else None,
            before=described if side == "a" else None,
            after=described if side == "b" else None,
            quote_a=quote if side == "a" else None,
            quote_b=quote if side == "b" else None,
        )


def _rules_by_clause(rules: RuleSet) -> dict[str, list[Rule]]:
    by_clause: dict[str, list[Rule]] = {}
    for rule in rules.rules():
        for clause in rule.implements():
            by_clause.setdefault(clause, []).append(rule)
    return by_clause


def _points(rules: RuleSet, ind: Indicator | None) -> Fraction | None:
    """The indicator's points: the rules' cap, else what the knowledge base declares."""
    if ind is None:
        return None
    scored = rules.indicator(ind.number)
    if scored is not None:
        return scored.points
    return Fraction(ind.points) if ind.points is not None else None


def _first_level(system: System, ind: Indicator) -> Level | None:
    return system.level(ind.first_level)


def _level_path(system: System, ind: Indicator | None, lang: str = "zh") -> str | None:
    if ind is None:
        return None
    labels = [
        (lv.label_en or lv.label) if lang == "en" else lv.label
        for lv in (system.level(ind.first_level), system.level(ind.second_level or ""))
        if lv
    ]
    return " / ".join(labels) or None


def _units(ind: Indicator) -> Text | None:
    if not ind.unit_names:
        return None
    return Text("、".join(ind.unit_names), ", ".join(ind.unit_names))


def _one_sided(ind: Indicator, points, added: bool) -> Change:
    """An indicator only B has (added) or only A has (removed)."""
    name = Text(ind.label, ind.label_en or ind.label)
    verb_zh, verb_en = ("新增", "added") if added else ("删除", "removed")
    side = {"b": ind.number, "after": name} if added else {"a": ind.number, "before": name}
    return Change(
        f"indicator_{verb_en}",
        Text(
            f"{verb_zh}指标{ind.number}「{ind.label}」（{num(points)}分）",
            f"indicator {ind.number} {verb_en}: {name.en} ({num(points)} pts)",
        ),
        True,
        **side,
    )
