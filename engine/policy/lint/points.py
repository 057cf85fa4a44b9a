"""Lint checks of a rule set against its knowledge-base system: every indicator scored, every
rule citing a clause of its indicator and every clause scored, the points a rule can reach
against its clause and indicator, and the points of levels and the total.

Where the source text itself is at fault (its clause points exceed or fall short of the
indicator, its indicators do not add up to a level), `demozone kb check` already reports it from
the knowledge base; a rule set that scores the source as written then gets a warning naming that
defect, never an error: the shipped systems are scored as written.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction

from demozone.common.diagnostics import Finding, Location
from demozone.common.numbers import fmt_points, fmt_rate
from demozone.kb import model as kbmodel
from demozone.kb.check_sums import check_arithmetic
from demozone.policy.lint.findings import Locator
from demozone.policy.lint.rule_checks import points_key, reachable
from demozone.rules.model import IndicatorRules, Rule, RuleSet


def points_findings(rule_set: RuleSet, system: kbmodel.System, kb: kbmodel.KB, locate: Locator):
    """Every finding of a rule set measured against the system it scores."""
    source = _SourceDefects(kb, system)
    findings = list(_coverage(rule_set, system, locate))
    for entry in rule_set.indicators:
        info = system.indicator(entry.number)
        if info is not None:
            findings += _indicator_findings(entry, info, system, locate, source)
    findings += _level_findings(rule_set, system, source)
    findings += _pass_findings(rule_set, system, locate)
    return findings


class _SourceDefects:
    """The source defects `kb check` finds in the arithmetic of a system's own text."""

    def __init__(self, kb: kbmodel.KB, system: kbmodel.System) -> None:
        self.system = system
        self.found = {(f.scope, f.subject): f for f in check_arithmetic(kb)}

    def of(self, subject: str, base_subject: str | None = None) -> Finding | None:
        """kb check's finding on `subject`, or on the extended system's `base_subject`."""
        found = self.found.get((self.system.id, subject))
        if found is None and base_subject and self.system.extends:
            found = self.found.get((self.system.extends, base_subject))
        return found

    def documented_at(self, finding: Finding, anchors=()) -> str:
        """Where the defect is documented: a recorded source defect on the same text, else the
        place kb check reports."""
        for defect in self.system.source_defects:
            if any(_overlap(a, b) for a in defect.anchors for b in anchors):
                return f"{defect.file}:{defect.line} ({defect.kind})"
        line = f":{finding.line}" if finding.line else ""
        return f"{finding.file}{line} (kb check: {finding.message})"


def _overlap(a: kbmodel.Anchor, b: kbmodel.Anchor) -> bool:
    return a.source == b.source and a.start < b.end and b.start < a.end


def _pts(value: Fraction | Decimal | None) -> str:
    return "no" if value is None else fmt_points(Fraction(value))


# -- indicators and clauses -------------------------------------------------------------------


def _coverage(rule_set: RuleSet, system: kbmodel.System, locate: Locator) -> Iterator[Finding]:
    numbers = {entry.number for entry in rule_set.indicators}
    for info in system.indicators:
        if info.number not in numbers:
            where = locate.removal(info.number, info.base) or locate.top("indicators")
            yield Finding(
                "error",
                "indicator-unscored",
                where,
                f"indicator {info.number} of {system.id} ({info.label}, {_pts(info.points)} "
                "points) has no rules",
                f"{system.id} 的指标 {info.number}（{info.label}，{_pts(info.points)}分）没有计分规则",
            )
    for entry in rule_set.indicators:
        if system.indicator(entry.number) is None:
            yield Finding(
                "error",
                "unknown-indicator",
                locate.indicator(entry.number, entry.base),
                f"{system.id} has no indicator {entry.number}",
                f"{system.id} 没有指标 {entry.number}",
            )


def _indicator_findings(
    entry: IndicatorRules,
    info: kbmodel.Indicator,
    system: kbmodel.System,
    locate: Locator,
    source: _SourceDefects,
) -> list[Finding]:
    findings = []
    if info.points is not None and Fraction(info.points) != entry.points:
        findings.append(
            Finding(
                "error",
                "indicator-points",
                locate.indicator(entry.number, entry.base, "points"),
                f"indicator {entry.number} has {_pts(entry.points)} points here; the source "
                f"gives it {_pts(info.points)} ({system.file}:{info.line})",
                f"指标 {entry.number} 在此为 {_pts(entry.points)} 分，原文为 {_pts(info.points)} 分",
            )
        )
    for rule in entry.rules:
        findings += _clause_citations(rule, info, system, locate)
    findings += _unscored_clauses(entry, info, locate)
    findings += _rule_points(entry, info, locate)
    findings += _indicator_reach(entry, info, locate, source)
    return findings


def _clause_citations(
    rule: Rule, info: kbmodel.Indicator, system: kbmodel.System, locate: Locator
) -> Iterator[Finding]:
    if not rule.implements():
        yield Finding(
            "error",
            "rule-without-clause",
            locate.rule(rule),
            f"rule {rule.id} cites no clause: explanations and provenance cannot say which "
            "text it scores",
            f"规则 {rule.id} 未注明所依据的条款，无法说明其计分依据",
        )
    known = {c.id for i in system.indicators for c in i.clauses}
    judged = [t.left.args[0] for t in rule.tests if t.left.form == "judged" and t.left.args[0]]
    for clause in dict.fromkeys((*rule.implements(), *judged)):
        # a clause the rule only tests (judged) may be any clause of the system
        if info.clause(clause) or (clause not in rule.implements() and clause in known):
            continue
        owner = next((i.number for i in system.indicators if i.clause(clause)), None)
        elsewhere = f", it belongs to indicator {owner}" if owner else ""
        yield Finding(
            "error",
            "unknown-clause",
            locate.rule(rule, "clauses" if clause in rule.clauses else "clause"),
            f"rule {rule.id} of indicator {info.number} cites clause {clause}, which is not a "
            f"clause of that indicator in {system.id}{elsewhere}",
            f"规则 {rule.id} 引用的条款 {clause} 不是 {system.id} 指标 {info.number} 的条款",
        )


def _unscored_clauses(
    entry: IndicatorRules, info: kbmodel.Indicator, locate: Locator
) -> Iterator[Finding]:
    scored = {c for rule in entry.rules for c in rule.implements()}
    for clause in info.clauses:
        if clause.id not in scored:
            yield Finding(
                "error",
                "clause-unscored",
                locate.indicator(entry.number, entry.base, "rules"),
                f"clause {clause.id} ({_pts(clause.points)} points) is scored by no rule",
                f"条款 {clause.id}（{_pts(clause.points)}分）没有任何规则计分",
            )


def _rule_points(entry: IndicatorRules, info: kbmodel.Indicator, locate: Locator):
    """A rule reaches what its clause gives and never more than its indicator."""
    for rule in entry.rules:
        most = reachable(rule)
        where = locate.rule(rule, points_key(rule))
        clause = info.clause(rule.clause) if rule.clause and not rule.clauses else None
        stated = Fraction(clause.points) if clause and clause.points is not None else None
        if most is None and stated is None:
            yield Finding(
                "info",
                "uncapped",
                where,
                f"rule {rule.id} has no cap of its own: only the indicator's "
                f"{_pts(entry.points)} points bound it, as the source states no points for it",
                f"规则 {rule.id} 本身不设上限，仅受指标分值 {_pts(entry.points)} 分限制（原文未规定该条款分值）",
            )
        elif stated is not None and most != stated:
            reach = "without bound (no cap)" if most is None else f"at most {_pts(most)} points"
            reach_zh = "无上限" if most is None else f"最多 {_pts(most)} 分"
            yield Finding(
                "error",
                "clause-points",
                where,
                f"rule {rule.id} awards {reach}; the source gives clause {clause.id} "
                f"{_pts(stated)} points",
                f"规则 {rule.id} {reach_zh}，原文条款 {clause.id} 为 {_pts(stated)} 分",
            )
        if most is not None and most > entry.points:
            yield Finding(
                "error",
                "exceeds-indicator",
                where,
                f"rule {rule.id} can award {_pts(most)} points, more than its indicator's "
                f"{_pts(entry.points)}",
                f"规则 {rule.id} 最多可得 {_pts(most)} 分，超过所属指标的 {_pts(entry.points)} 分",
            )


def _indicator_reach(
    entry: IndicatorRules, info: kbmodel.Indicator, locate: Locator, source: _SourceDefects
) -> Iterator[Finding]:
    """The rules of an indicator together reach exactly its points."""
    reaches = [reachable(rule) for rule in entry.rules]
    if None in reaches:
        return  # an uncapped part: the indicator's cap is its bound
    total = sum(reaches, Fraction(0))
    if total == entry.points or any(r > entry.points for r in reaches):
        return  # a rule exceeding the indicator alone is reported on the rule
    stated = [c.points for c in info.clauses]
    clause_total = sum((Fraction(p) for p in stated if p is not None), Fraction(0))
    kb_finding = source.of(f"indicator {entry.number}", info.base and f"indicator {info.base}")
    # The source says the same when its own clause points miss the indicator's the same way.
    same = kb_finding is not None and (clause_total > entry.points) == (total > entry.points)
    documented = source.documented_at(kb_finding) if same else ""
    parts = " + ".join(_pts(r) for r in reaches)
    as_written = ", as the source text states it" if same else ""
    as_written_zh = "（来源文件原文如此）" if same else ""
    where = locate.indicator(entry.number, entry.base, "points")
    if total > entry.points:
        yield Finding(
            "warning" if same else "error",
            "parts-exceed-indicator",
            where,
            f"the rules of indicator {entry.number} reach {parts} = {_pts(total)} points against "
            f"its {_pts(entry.points)}{as_written}; the indicator's cap decides",
            f"指标 {entry.number} 各规则最多合计 {parts} = {_pts(total)} 分，超过指标分值 "
            f"{_pts(entry.points)} 分{as_written_zh}，以指标分值为上限",
            source_defect=documented,
        )
    else:
        yield Finding(
            "warning" if same else "error",
            "unreachable-points",
            where,
            f"the rules of indicator {entry.number} reach at most {_pts(total)} of its "
            f"{_pts(entry.points)} points: {_pts(entry.points - total)} can never be "
            f"reached{as_written}",
            f"指标 {entry.number} 各规则最多合计 {_pts(total)} 分，指标分值 {_pts(entry.points)} 分中"
            f"有 {_pts(entry.points - total)} 分永远不能取得{as_written_zh}",
            source_defect=documented,
        )


# -- levels, total and the pass rule ----------------------------------------------------------


def _level_findings(
    rule_set: RuleSet, system: kbmodel.System, source: _SourceDefects
) -> Iterator[Finding]:
    points = {entry.number: entry.points for entry in rule_set.indicators}
    for level in system.levels():
        members = [i for i in system.indicators if level.id in (i.first_level, i.second_level)]
        kind = ("second-level ", "二级指标") if level.parent else ("first-level ", "一级指标")
        path = (
            f"first_level.{level.parent}.second_level.{level.id}"
            if level.parent
            else (f"first_level.{level.id}")
        )
        yield from _sum_finding(
            "level-sum",
            Location(system.file, level.line, path),
            (f"{kind[0]}{level.label}", f"{kind[1]}“{level.label}”"),
            level.points,
            [points.get(i.number, Fraction(0)) for i in members],
            [i.points for i in members],
            source,
            source.of(f"level {level.id}"),
            _anchors(system, level),
        )
    if system.total_points is not None:
        yield from _sum_finding(
            "total-sum",
            Location(system.file, None, "total_points"),
            (f"the system {system.id}", f"指标体系 {system.id}"),
            system.total_points,
            list(points.values()),
            [i.points for i in system.indicators],
            source,
            source.of("total"),
            [a for level in system.levels() for a in level.anchors],
        )


def _anchors(system: kbmodel.System, level: kbmodel.Level) -> list[kbmodel.Anchor]:
    """The anchors of a level and of the levels above and below it: a defect recorded on one of
    them (an indicator missing under a first level) documents the sums of all of them."""
    related = [level, *level.second_level, *([system.level(level.parent)] if level.parent else [])]
    return [a for lv in related if lv is not None for a in lv.anchors]


def _sum_finding(code, where, what, declared, rule_points, kb_points, source, kb_finding, anchors):
    if declared is None:
        return
    got = sum(rule_points, Fraction(0))
    if got == Fraction(declared):
        return
    kb_sum = sum((Fraction(p) for p in kb_points if p is not None), Fraction(0))
    same = kb_finding is not None and kb_sum == got
    yield Finding(
        "warning" if same else "error",
        code,
        where,
        f"{what[0]} declares {_pts(declared)} points; the indicators the rules score add up to "
        f"{_pts(got)}" + (", as in the source text" if same else ""),
        f"{what[1]}标明 {_pts(declared)} 分，计分规则所计指标合计 {_pts(got)} 分"
        + ("（来源文件原文如此）" if same else ""),
        source_defect=source.documented_at(kb_finding, anchors) if same else "",
    )


def _pass_findings(rule_set: RuleSet, system: kbmodel.System, locate: Locator):
    rule = rule_set.pass_rule
    most = sum((entry.points for entry in rule_set.indicators), Fraction(0))
    if rule.total_at_least > most or rule.first_level_rate_at_least > 1:
        yield Finding(
            "error",
            "pass-unreachable",
            locate.key("pass_rule") or locate.top("pass_rule"),
            f"no submission can pass: total >= {_pts(rule.total_at_least)} of at most "
            f"{_pts(most)}, every first level >= {fmt_rate(rule.first_level_rate_at_least)}",
            f"任何申报都不可能合格：总分须≧{_pts(rule.total_at_least)}（最高 {_pts(most)}），"
            f"一级指标得分率须≧{fmt_rate(rule.first_level_rate_at_least)}",
        )
    stated = system.pass_rule
    if stated is None:
        return
    for name, shown in (("total_at_least", _pts), ("first_level_rate_at_least", fmt_rate)):
        ours, theirs = getattr(rule, name), Fraction(getattr(stated, name))
        if ours != theirs:
            yield Finding(
                "info",
                "pass-rule-differs",
                locate.key("pass_rule", name) or locate.top(f"pass_rule.{name}"),
                f"pass_rule.{name} is {shown(ours)} here; the source of {system.id} states "
                f"{shown(theirs)}",
                f"合格标准 {name} 在此为 {shown(ours)}，{system.id} 原文为 {shown(theirs)}",
            )
