"""A system diff as a memo for people: the pass rule, the levels, then indicator by indicator.

Chinese by default, English with lang="en"; the clause texts of the sources stay verbatim.
"""

from __future__ import annotations

from fractions import Fraction

from demozone.common.numbers import fmt_points, fmt_rate
from demozone.policy.diff.changes import (
    Change,
    ClauseDiff,
    IndicatorDiff,
    SystemDiff,
    similarity_percent,
)
from demozone.policy.diff.matching import INDICATOR_THRESHOLD
from demozone.policy.diff.rules import Text, describe_rule
from demozone.rules.model import RuleSet

_WORDS = {
    "zh": {
        "title": "指标体系对比",
        "how": {
            "text": "按文字相似度对应（名称与条款文字，一一对应，相似度低于{threshold}的不对应）",
            "number": "按指标编号对应（同一指标体系的变体）",
            "base": "按知识库的编号对应关系（base）对应",
        },
        "summary": (
            "A有{indicators_a}个指标，B有{indicators_b}个指标：对应{matched}个，删除{removed}个，"
            "新增{added}个；{clauses_moved}个条款移入其他指标；涉及得分的变化{scoring_changes}项。"
        ),
        "sections": [
            "合格标准",
            "一级、二级指标",
            "指标编号",
            "删除的指标",
            "新增的指标",
            "对应指标的变化",
            "未变化的对应指标",
        ],
        "unchanged": "未变化。",
        "none": "无。",
        "before": "原文",
        "after": "新文",
        "renumbered": "A的指标{a}对应B的指标{b}",
        "same_numbers": "其余指标编号相同。",
        "indicator": "指标",
        "clause": "条款",
        "points": "分",
        "similarity": "相似度",
        "moved_in": "条款{b}来自A的指标{ai}条款{a}（相似度{s}，变化见该指标）",
        "scored_by": "计分",
        "sep": "、",
        "levels_removed": "删除的二级指标",
        "levels_added": "新增的二级指标",
    },
    "en": {
        "title": "Comparison of indicator systems",
        "how": {
            "text": "matched by text similarity (labels and clause texts, one to one, none below {threshold})",
            "number": "matched by indicator number (variants of one system)",
            "base": "matched through the knowledge base's numbering (base)",
        },
        "summary": (
            "A has {indicators_a} indicators, B {indicators_b}: {matched} matched, {removed} removed, "
            "{added} added; {clauses_moved} clauses moved to another indicator; {scoring_changes} "
            "changes that can move a score."
        ),
        "sections": [
            "Pass rule",
            "First- and second-level indicators",
            "Numbering",
            "Indicators removed",
            "Indicators added",
            "Changes of matched indicators",
            "Matched indicators without changes",
        ],
        "unchanged": "unchanged.",
        "none": "none.",
        "before": "before",
        "after": "after",
        "renumbered": "A's indicators {a} are B's {b}",
        "same_numbers": "all other numbers are the same.",
        "indicator": "indicator ",
        "clause": "clause ",
        "points": " pts",
        "similarity": "similarity ",
        "moved_in": "clause {b} comes from A's indicator {ai}, clause {a} (similarity {s}; changes listed there)",
        "scored_by": "scored",
        "sep": ", ",
        "levels_removed": "second-level indicators removed",
        "levels_added": "second-level indicators added",
    },
}

# changes shown in an indicator's head, before its clauses
_HEAD = {"indicator_added", "indicator_removed", "label", "points", "level", "units"}
_LEVEL_LISTED = {"level_removed", "level_added"}


def render_memo(diff: SystemDiff, lang: str = "zh") -> str:
    """The diff as text: sections in the order a reader asks (pass rule, levels, indicators)."""
    w = _WORDS[lang]
    lines = [
        f"{w['title']}: {diff.a.id} → {diff.b.id}",
        f"  A: {diff.a.id}  {_title(diff.a)}",
        f"  B: {diff.b.id}  {_title(diff.b)}",
        "  " + w["how"][diff.matching.how].format(threshold=fmt_rate(INDICATOR_THRESHOLD)),
        "  " + w["summary"].format(**diff.summary()),
        *_unfixed(diff, lang),
        "",
    ]
    sections = _numbered(w["sections"], lang, skip=() if diff.matching.how == "base" else (2,))
    lines += [sections[0], *_pass_rule(diff, lang), ""]
    lines += [sections[1], *_levels(diff, lang), ""]
    if diff.matching.how == "base":
        lines += [sections[2], *_numbering(diff, lang), ""]
    removed = [i for i in diff.indicators if i.status == "removed"]
    added = [i for i in diff.indicators if i.status == "added"]
    changed = [i for i in diff.indicators if i.status == "matched" and _shown(i)]
    same = [i for i in diff.indicators if i.status == "matched" and not _shown(i)]
    for title, group in ((sections[3], removed), (sections[4], added), (sections[5], changed)):
        lines.append(title)
        lines += [line for ind in group for line in _indicator(diff, ind, lang)] or [
            "  " + w["none"]
        ]
        lines.append("")
    lines.append(sections[6])
    lines.append("  " + (w["sep"].join(_pair_name(i) for i in same) or w["none"]))
    return "\n".join(lines) + "\n"


def _unfixed(diff: SystemDiff, lang: str) -> list[str]:
    """The fixed entries either side changes on purpose (`unfix:`), each with its reason."""
    label = {"zh": "有意修改的固定项（unfix）", "en": "fixed entries changed on purpose (unfix)"}
    reason = {"zh": "理由", "en": "reason"}
    return [
        f"  {name}: {label[lang]} {u.entry}, {reason[lang]}: {u.reason}"
        for name, side in (("A", diff.a), ("B", diff.b))
        for u in side.rules.unfixed
    ]


def _title(side) -> str:
    """The knowledge base's title of the system; a what-if rule variant's own rules title."""
    return side.kb.title if side.kb.id == side.id else (side.rules.title or side.kb.title)


_ZH_NUMERALS = "一二三四五六七八九十"


def _numbered(titles: list[str], lang: str, skip: tuple[int, ...]) -> list[str]:
    """Section titles numbered in order, leaving out the skipped ones (their slots stay empty)."""
    result, n = [], 0
    for i, title in enumerate(titles):
        if i in skip:
            result.append("")
            continue
        result.append(f"{_ZH_NUMERALS[n]}、{title}" if lang == "zh" else f"{n + 1}. {title}")
        n += 1
    return result


def _shown(ind: IndicatorDiff) -> bool:
    """A matched indicator has something to say: a change, or a clause that moved in."""
    return bool(ind.changes) or any(c.moved for c in ind.clauses)


def _pair_name(ind: IndicatorDiff) -> str:
    return ind.pair.a if ind.pair.a == ind.pair.b else f"{ind.pair.a}→{ind.pair.b}"


def _pass_rule(diff: SystemDiff, lang: str) -> list[str]:
    w = _WORDS[lang]
    if not diff.pass_rule:
        return ["  " + w["unchanged"]]
    lines = [f"  · {_change_line(c, lang)}" for c in diff.pass_rule]
    first = diff.pass_rule[0]
    if first.quote_a != first.quote_b:
        lines += _quotes(first.quote_a, first.quote_b, lang, "      ")
    return lines


def _levels(diff: SystemDiff, lang: str) -> list[str]:
    w = _WORDS[lang]
    lines = []
    first_level = [c for c in diff.levels if c.scoring]
    lines += [f"  · {_change_line(c, lang)}" for c in first_level]
    second = [c for c in diff.levels if not c.scoring]
    for topic, key in (("level_removed", "levels_removed"), ("level_added", "levels_added")):
        listed = [c for c in second if c.topic == topic]
        if listed:
            names = w["sep"].join(_level_name(c, lang) for c in listed)
            lines.append(f"  · {w[key]}: {names}")
    lines += [f"  · {_change_line(c, lang)}" for c in second if c.topic not in _LEVEL_LISTED]
    return lines or ["  " + w["unchanged"]]


def _level_name(change: Change, lang: str) -> str:
    # "删除二级指标「发展规模」（10分）" -> "发展规模（10分）"
    text = change.text[lang]
    if lang == "zh" and "「" in text:
        return text.split("「", 1)[1].replace("」", "")
    return text.split(": ", 1)[-1]


def _numbering(diff: SystemDiff, lang: str) -> list[str]:
    """Runs of renumbered indicators: "A's 5–40 are B's 6–41"."""
    w = _WORDS[lang]
    pairs = [
        (int(p.a), int(p.b))
        for p in diff.matching.pairs
        if p.a and p.b and p.a != p.b and p.a.isdigit() and p.b.isdigit()
    ]
    runs: list[list[tuple[int, int]]] = []
    for a, b in pairs:
        if runs and a == runs[-1][-1][0] + 1 and b == runs[-1][-1][1] + 1:
            runs[-1].append((a, b))
        else:
            runs.append([(a, b)])
    lines = []
    for run in runs:
        (a0, b0), (a1, b1) = run[0], run[-1]
        span_a = f"{a0}–{a1}" if a1 != a0 else str(a0)
        span_b = f"{b0}–{b1}" if b1 != b0 else str(b0)
        lines.append("  · " + w["renumbered"].format(a=span_a, b=span_b))
    odd = [f"{p.a}→{p.b}" for p in diff.matching.pairs if p.a and p.b and p.a != p.b]
    if len(odd) != len(pairs):
        lines.append("  · " + w["sep"].join(odd))
    return [*lines, "  · " + w["same_numbers"]] if lines else ["  " + w["unchanged"]]


def _indicator(diff: SystemDiff, ind: IndicatorDiff, lang: str) -> list[str]:
    w = _WORDS[lang]
    lines = [f"  · {_indicator_title(ind, lang)}"]
    shown: set[int] = set()
    described: set[str] = set()  # rules already described (one rule may score several clauses)
    for change in ind.changes:
        if change.topic in _HEAD and change.topic not in ("indicator_added", "indicator_removed"):
            lines.append(f"      {_change_line(change, lang)}")
            shown.add(id(change))
    for clause in ind.clauses:
        if clause.moved and clause.a_indicator != ind.pair.a:
            sim = similarity_percent(clause.similarity)
            lines.append(
                "      "
                + w["moved_in"].format(b=clause.b, ai=clause.a_indicator, a=clause.a, s=sim)
            )
            continue
        own = [
            c
            for c in ind.changes
            if id(c) not in shown
            and c.topic not in _HEAD
            and ((clause.a and c.clause_a == clause.a) or (clause.b and c.clause_b == clause.b))
        ]
        shown.update(id(c) for c in own)
        if own or ind.status != "matched":
            lines += _clause_block(ind, clause, own, lang)
        if ind.status != "matched":
            lines += _scoring_lines(diff, clause, lang, described)
    return lines


def _indicator_title(ind: IndicatorDiff, lang: str) -> str:
    """ "指标3「…」（2分；促进发展）→ 指标3「…」（5分；促进发展）（相似度19%）"; one side only
    where the two read the same but for the number ("指标5→6「…」")."""
    w = _WORDS[lang]

    def side(label, pts, level) -> str:
        detail = (
            f"{_pts(pts, lang)}{'；' if lang == 'zh' else '; '}{level}"
            if level
            else _pts(pts, lang)
        )
        return f"「{label}」{_paren(detail, lang)}"

    en = lang == "en"
    level_a = (ind.level_a_en or ind.level_a) if en else ind.level_a
    level_b = (ind.level_b_en or ind.level_b) if en else ind.level_b
    a = side(ind.label_a, ind.points_a, level_a) if ind.pair.a else None
    b = side(ind.label_b, ind.points_b, level_b) if ind.pair.b else None
    if a is None or b is None:
        return f"{w['indicator']}{ind.pair.a or ind.pair.b}{a or b}"
    if a == b:
        numbers = ind.pair.a if ind.pair.a == ind.pair.b else f"{ind.pair.a}→{ind.pair.b}"
        return f"{w['indicator']}{numbers}{a}"
    sim = ind.pair.similarity
    tail = _paren(f"{w['similarity']}{similarity_percent(sim)}", lang) if sim is not None else ""
    return f"{w['indicator']}{ind.pair.a}{a} → {w['indicator']}{ind.pair.b}{b}{tail}"


def _scoring_lines(diff: SystemDiff, clause: ClauseDiff, lang: str, described: set) -> list[str]:
    """How a clause of an added or removed indicator is scored, each rule once."""
    if clause.a and clause.b:
        return []
    rules: RuleSet = diff.a.rules if clause.a else diff.b.rules
    clause_id = clause.a or clause.b
    scored = [r for r in rules.rules() if clause_id in r.implements() and r.id not in described]
    described.update(r.id for r in scored)
    return [f"        {_WORDS[lang]['scored_by']}: {describe_rule(r, lang)}" for r in scored]


def _pts(value, lang: str) -> str:
    if value is None:
        return "?"
    return f"{fmt_points(value)}{_WORDS[lang]['points']}"


def _clause_block(
    ind: IndicatorDiff, clause: ClauseDiff, changes: list[Change], lang: str
) -> list[str]:
    """A clause pair's heading, its changes, and its verbatim text before and after."""
    w = _WORDS[lang]
    pad = "      "
    titles = {c.topic: c.text[lang] for c in changes}
    if clause.a and clause.b:
        head = titles.get("clause_moved") or f"{w['clause']}{clause.a} → {clause.b}" + (
            _paren(f"{w['similarity']}{similarity_percent(clause.similarity)}", lang)
            if clause.similarity is not None
            else ""
        )
    else:
        own, pts = (clause.a, clause.points_a) if clause.a else (clause.b, clause.points_b)
        head = titles.get("clause_removed") or titles.get("clause_added") or f"{w['clause']}{own}"
        if pts is not None:
            head += _paren(_pts(Fraction(pts), lang), lang)
    lines = [f"{pad}{head}"]
    for change in changes:
        if change.topic not in ("clause_moved", "clause_added", "clause_removed", "clause_text"):
            lines.append(f"{pad}  {_change_line(change, lang)}")
    lines += _quotes(clause.text_a, clause.text_b, lang, pad + "  ")
    return lines


def _paren(text: str, lang: str) -> str:
    return f"（{text}）" if lang == "zh" else f" ({text})"


def _quotes(before: str | None, after: str | None, lang: str, pad: str) -> list[str]:
    """The verbatim texts: both when they differ, one when they are the same or one-sided."""
    w = _WORDS[lang]
    if before is not None and before == after:
        return [f"{pad}{_one_line(before)}"]
    lines = []
    if before is not None:
        lines.append(
            f"{pad}{w['before']}：{_one_line(before)}"
            if lang == "zh"
            else f"{pad}{w['before']}: {_one_line(before)}"
        )
    if after is not None:
        lines.append(
            f"{pad}{w['after']}：{_one_line(after)}"
            if lang == "zh"
            else f"{pad}{w['after']}: {_one_line(after)}"
        )
    return lines


def _change_line(change: Change, lang: str) -> str:
    return change.line()[lang]


def _one_line(text: str) -> str:
    return " ".join(text.split())


__all__ = ["Text", "render_memo"]
