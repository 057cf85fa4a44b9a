"""An impact report for people (a Chinese table), for machines (JSON) and for spreadsheets (CSV).

The CSV has one row per submission and moved indicator; a submission where nothing moved has one
row with the indicator columns empty, so every scored submission appears. Points are exact:
whole numbers, finite decimals (1.5), or a fraction as text (1/3) where a decimal would round.
"""

from __future__ import annotations

import csv
import io
from fractions import Fraction

from demozone.common.cells import safe_cell
from demozone.common.numbers import fmt_percent, fmt_points
from demozone.kb.load import load_kb
from demozone.policy.diff.rules import Text
from demozone.policy.diff.systems import Change
from demozone.policy.impact.carry import NotCarried
from demozone.policy.impact.run import Attribution, Flip, ImpactReport, Shortfall, SubmissionImpact
from demozone.rules.model import PassRule
from demozone.scoring.report import pad, points_json

CAUSE_WORDS = {
    "pass_rule": ("合格标准变化", "the pass rule"),
    "points": ("得分变化", "the points"),
    "both": ("合格标准与得分共同变化", "both the pass rule and the points"),
}
CSV_COLUMNS = (
    "file",
    "submission",
    "region",
    "total_a",
    "total_b",
    "change",
    "passed_a",
    "passed_b",
    "flip_cause",
    "indicator_a",
    "indicator_b",
    "label",
    "score_a",
    "score_b",
    "delta",
    "changes",
)


# -- JSON ---------------------------------------------------------------------------------------
def impact_json(report: ImpactReport) -> dict:
    """The --json shape of `demozone impact`."""
    summary = report.summary()
    return {
        "a": report.a,
        "b": report.b,
        "cross_system": report.cross_system,
        "pass_rules": {
            "a": _rule_json(report.pass_rules[0]),
            "b": _rule_json(report.pass_rules[1]),
        },
        "pass_rule_changes": [_change_json(c) for c in report.pass_rule_changes],
        "summary": {
            "scored": summary.scored,
            "rejected": summary.rejected,
            "passed_a": summary.passed_a,
            "passed_b": summary.passed_b,
            "pass_to_fail": summary.pass_to_fail,
            "fail_to_pass": summary.fail_to_pass,
            "flips_by_cause": summary.causes,
        },
        "submissions": [_impact_json(i) for i in report.impacts],
        "rejected": [
            {"file": r.file, "problems": [p.to_dict() for p in r.problems]} for r in report.rejected
        ],
        "lint_errors": report.lint_errors,
    }


def _rule_json(rule: PassRule) -> dict:
    return {
        "total_at_least": points_json(rule.total_at_least),
        "first_level_rate_at_least": fmt_percent(rule.first_level_rate_at_least),
    }


def _impact_json(item: SubmissionImpact) -> dict:
    return {
        "file": item.file,
        "submission": item.a.submission_id,
        "region": item.a.region,
        "total_a": points_json(item.a.total),
        "total_b": points_json(item.b.total),
        "change": points_json(item.change),
        "passed_a": item.a.passed,
        "passed_b": item.b.passed,
        "flip": _flip_json(item.flip) if item.flip else None,
        "attributions": [_attribution_json(a) for a in item.attributions],
        "not_carried": [n.to_dict() for n in item.not_carried],
    }


def _flip_json(flip: Flip) -> dict:
    return {
        "direction": "pass_to_fail" if flip.passed_a else "fail_to_pass",
        "cause": flip.cause,
        "b_scores_pass_a_rule": flip.b_scores_pass_a_rule,
        "a_scores_pass_b_rule": flip.a_scores_pass_b_rule,
        "shortfalls": [_shortfall_json(s) for s in flip.shortfalls],
        "reasons": list(flip.reasons),
    }


def _shortfall_json(shortfall: Shortfall) -> dict:
    return {
        "id": shortfall.id,
        "label": shortfall.label,
        "score": points_json(shortfall.score),
        "max": points_json(shortfall.points),
        "rate": fmt_percent(shortfall.rate),
        "required": fmt_percent(shortfall.required),
    }


def _attribution_json(item: Attribution) -> dict:
    return {
        "a": item.a,
        "b": item.b,
        "label": item.label,
        "score_a": points_json(item.score_a),
        "score_b": points_json(item.score_b),
        "delta": points_json(item.delta),
        "changes": [_change_json(c) for c in item.changes],
    }


def _change_json(change: Change) -> dict:
    return {
        "topic": change.topic,
        "rule_a": change.rule_a,
        "rule_b": change.rule_b,
        "clause_a": change.clause_a,
        "clause_b": change.clause_b,
        "text": change_text(change).to_dict(),
    }


def change_text(change: Change) -> Text:
    """A change in one line, led by the rule it is in: what changed, the values before and after."""
    line = change.line()
    rule = change.rule_b or change.rule_a
    if rule and change.topic not in ("rule_added", "rule_removed"):
        return Text(f"{rule} {line.zh}", f"{rule} {line.en}")
    return line


def impact_csv(report: ImpactReport) -> str:
    """One row per submission and moved indicator (one row with empty indicator columns if none)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in report.impacts:
        head = [
            item.file,
            item.a.submission_id,
            item.a.region,
            _exact(item.a.total),
            _exact(item.b.total),
            _exact(item.change),
            _yes(item.a.passed),
            _yes(item.b.passed),
            item.flip.cause if item.flip else "",
        ]
        for moved in item.attributions or [None]:
            cells = head + (_attribution_cells(moved) if moved else [""] * 7)
            writer.writerow([safe_cell(cell) for cell in cells])
    return out.getvalue()


def _attribution_cells(item: Attribution) -> list[str]:
    return [
        item.a or "",
        item.b or "",
        item.label,
        _exact(item.score_a),
        _exact(item.score_b),
        _exact(item.delta),
        "；".join(change_text(c).zh for c in item.changes),
    ]


def _exact(value: Fraction) -> str:
    return str(points_json(value))


def _yes(passed: bool) -> str:
    return "pass" if passed else "fail"


# -- table --------------------------------------------------------------------------------------
_TABLE = {
    "zh": {
        "title": "影响分析 {a} → {b}",
        "pass_rule": "合格标准变化：",
        "cross": "跨指标体系：评审意见仅按条款对应关系转入，无法转入的内容逐份列出",
        "header": "编号                地区          总分 A → B        合格 A → B",
        "rejected": "无法处理 {file}：{n} 个问题",
        "verdict": {True: "合格", False: "不合格"},
        "judgments": "未转入评审意见的条款（{n}）：{clauses}",
        "not_carried": "未转入：{text}",
        "new": "新增指标 {b}",
        "gone": "删除指标 {a}",
        "same": "指标 {a}",
        "moved": "指标 {a} → {b}",
        "line": "{where} {label}：{sa} → {sb}（{delta}）",
        "changes": "  变化：",
        "sep": "；",
        "flip": "    ⇒ 合格结论改变，原因：{cause}（{why}）",
        "why_rule": "B 的得分在 A 的合格标准下{v}",
        "why_points": "B 的得分在 A 的合格标准下也{v}",
        "why_together": "任一变化单独都不足以改变结论，两者共同作用才改变",
        "why_either": "合格标准变化或得分变化单独都足以改变结论",
        "shortfall": "      一级指标“{label}”得分率 {rate}（{score}），低于 {line}",
        "summary": "汇总：共 {n} 份；{a} 下合格 {pa} 份，{b} 下合格 {pb} 份",
        "flips": "      合格→不合格 {pf} 份，不合格→合格 {fp} 份",
        "cause": "{cause} {n}",
        "causes": "（{causes}）",
        "cause_sep": "，",
        "rejected_count": "      无法处理 {n} 份（问题见错误输出）",
    },
    "en": {
        "title": "impact {a} → {b}",
        "pass_rule": "pass rule changed: ",
        "cross": "across systems: judgments are carried only through the clause matching; "
        "what cannot be carried is listed per submission",
        "header": "submission          region        total A → B       verdict A → B",
        "rejected": "cannot use {file}: {n} problems",
        "verdict": {True: "pass", False: "fail"},
        "judgments": "clauses whose judgments were not carried ({n}): {clauses}",
        "not_carried": "not carried: {text}",
        "new": "new indicator {b}",
        "gone": "removed indicator {a}",
        "same": "indicator {a}",
        "moved": "indicator {a} → {b}",
        "line": "{where} {label}: {sa} → {sb} ({delta})",
        "changes": "  changes: ",
        "sep": "; ",
        "flip": "    ⇒ the verdict changes because of {cause} ({why})",
        "why_rule": "B's scores under A's pass rule: {v}",
        "why_points": "B's scores under A's pass rule: {v} as well",
        "why_together": "neither change alone would change the verdict, only both together",
        "why_either": "either change alone would change the verdict",
        "shortfall": "      first-level indicator “{label}” scored {rate} ({score}), below {line}",
        "summary": "summary: {n} submissions; {pa} pass under {a}, {pb} pass under {b}",
        "flips": "      pass → fail {pf}, fail → pass {fp}",
        "cause": "{cause}: {n}",
        "causes": " ({causes})",
        "cause_sep": ", ",
        "rejected_count": "      {n} could not be used (problems on stderr)",
    },
}


def impact_table(report: ImpactReport, lang: str = "zh") -> str:
    """A readable report: the pass-rule change, one block per submission, then the summary;
    in `lang` ("zh" or "en")."""
    t = _TABLE["en" if lang == "en" else "zh"]
    lines = [t["title"].format(a=report.a, b=report.b)]
    lines += [f"  {t['pass_rule']}{change_text(c)[lang]}" for c in report.pass_rule_changes]
    if report.cross_system:
        lines.append(f"  {t['cross']}")
    lines += ["", t["header"]]
    for item in report.impacts:
        lines += _submission_lines(item, t, lang)
    for rejected in report.rejected:
        lines.append(t["rejected"].format(file=rejected.file, n=len(rejected.problems)))
    lines += ["", *_summary_lines(report, t, lang)]
    return "\n".join(lines)


def _submission_lines(item: SubmissionImpact, t: dict, lang: str) -> list[str]:
    change = f"({_signed(item.change)})" if item.change else ""
    totals = f"{fmt_points(item.a.total)} → {fmt_points(item.b.total)} {change}"
    verdicts = f"{t['verdict'][item.a.passed]} → {t['verdict'][item.b.passed]}"
    lines = [f"{pad(item.a.submission_id, 20)}{pad(item.a.region, 14)}{pad(totals, 18)}{verdicts}"]
    for moved in item.attributions:
        lines.append(f"    · {_attribution_line(moved, t, lang)}")
    if item.flip:
        lines += _flip_lines(item.flip, t, lang)
    return lines + _not_carried_lines(item.not_carried, t, lang)


def _not_carried_lines(items: list[NotCarried], t: dict, lang: str) -> list[str]:
    """What was not carried to B; judgments in one line by clause (the JSON has each reason)."""
    judgments = [n.item for n in items if n.kind == "judgment"]
    sep = "、" if lang != "en" else ", "
    lines = (
        ["    " + t["judgments"].format(n=len(judgments), clauses=sep.join(judgments))]
        if judgments
        else []
    )
    return lines + [
        "    " + t["not_carried"].format(text=n.message if lang == "en" else n.message_zh)
        for n in items
        if n.kind != "judgment"
    ]


def _attribution_line(item: Attribution, t: dict, lang: str) -> str:
    if item.a is None:
        where = t["new"].format(b=item.b)
    elif item.b is None:
        where = t["gone"].format(a=item.a)
    elif item.a == item.b:
        where = t["same"].format(a=item.a)
    else:
        where = t["moved"].format(a=item.a, b=item.b)
    text = t["line"].format(
        where=where,
        label=item.label,
        sa=fmt_points(item.score_a),
        sb=fmt_points(item.score_b),
        delta=_signed(item.delta),
    )
    if item.changes:
        text += t["changes"] + t["sep"].join(change_text(c)[lang] for c in item.changes)
    return text


def _flip_lines(flip: Flip, t: dict, lang: str) -> list[str]:
    cause = CAUSE_WORDS[flip.cause][1 if lang == "en" else 0]
    verdict = t["verdict"][flip.b_scores_pass_a_rule]
    if flip.cause == "pass_rule":
        why = t["why_rule"].format(v=verdict)
    elif flip.cause == "points":
        why = t["why_points"].format(v=verdict)
    elif flip.b_scores_pass_a_rule == flip.passed_a:
        why = t["why_together"]
    else:
        why = t["why_either"]
    lines = [t["flip"].format(cause=cause, why=why)]
    lines += [
        t["shortfall"].format(
            label=_level_name(s, lang),
            rate=fmt_percent(s.rate),
            score=f"{fmt_points(s.score)}/{fmt_points(s.points)}",
            line=fmt_percent(s.required, 0),
        )
        for s in flip.shortfalls
    ]
    return lines


def _summary_lines(report: ImpactReport, t: dict, lang: str) -> list[str]:
    s = report.summary()
    causes = t["cause_sep"].join(
        t["cause"].format(cause=CAUSE_WORDS[c][1 if lang == "en" else 0], n=n)
        for c, n in s.causes.items()
        if n
    )
    lines = [
        t["summary"].format(n=s.scored, a=report.a, pa=s.passed_a, b=report.b, pb=s.passed_b),
        t["flips"].format(pf=s.pass_to_fail, fp=s.fail_to_pass)
        + (t["causes"].format(causes=causes) if causes else ""),
    ]
    if s.rejected:
        lines.append(t["rejected_count"].format(n=s.rejected))
    return lines


def _signed(value: Fraction) -> str:
    return f"+{fmt_points(value)}" if value > 0 else f"-{fmt_points(-value)}"


def _level_name(shortfall: Shortfall, lang: str) -> str:
    """A first-level indicator by its English name under --lang en (any system that names the
    level so; the Chinese label otherwise)."""
    if lang != "en":
        return shortfall.label
    for system in load_kb().systems.values():
        for level in system.levels():
            if level.id == shortfall.id and level.label == shortfall.label and level.label_en:
                return level.label_en
    return shortfall.label
