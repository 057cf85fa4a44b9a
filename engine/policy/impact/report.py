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
def impact_table(report: ImpactReport) -> str:
    """A readable report: the pass-rule change, one block per submission, then the summary."""
    lines = [f"影响分析 impact: {report.a} → {report.b}"]
    lines += [f"  合格标准变化：{change_text(c).zh}" for c in report.pass_rule_changes]
    if report.cross_system:
        lines.append("  跨指标体系：评审意见仅按条款对应关系转入，无法转入的内容逐份列出")
    lines += ["", "编号                地区          总分 A → B        合格 A → B"]
    for item in report.impacts:
        lines += _submission_lines(item)
    for rejected in report.rejected:
        lines.append(f"无法处理 {rejected.file}：{len(rejected.problems)} 个问题")
    lines += ["", *_summary_lines(report)]
    return "\n".join(lines)


def _submission_lines(item: SubmissionImpact) -> list[str]:
    change = f"({_signed(item.change)})" if item.change else ""
    totals = f"{fmt_points(item.a.total)} → {fmt_points(item.b.total)} {change}"
    verdicts = f"{_verdict(item.a.passed)} → {_verdict(item.b.passed)}"
    lines = [f"{pad(item.a.submission_id, 20)}{pad(item.a.region, 14)}{pad(totals, 18)}{verdicts}"]
    for moved in item.attributions:
        lines.append(f"    · {_attribution_line(moved)}")
    if item.flip:
        lines += _flip_lines(item.flip)
    return lines + _not_carried_lines(item.not_carried)


def _not_carried_lines(items: list[NotCarried]) -> list[str]:
    """What was not carried to B; judgments in one line by clause (the JSON has each reason)."""
    judgments = [n.item for n in items if n.kind == "judgment"]
    lines = (
        [f"    未转入评审意见的条款（{len(judgments)}）：{'、'.join(judgments)}"]
        if judgments
        else []
    )
    return lines + [f"    未转入：{n.message_zh}" for n in items if n.kind != "judgment"]


def _attribution_line(item: Attribution) -> str:
    if item.a is None:
        where = f"新增指标 {item.b}"
    elif item.b is None:
        where = f"删除指标 {item.a}"
    elif item.a == item.b:
        where = f"指标 {item.a}"
    else:
        where = f"指标 {item.a} → {item.b}"
    text = (
        f"{where} {item.label}：{fmt_points(item.score_a)} → {fmt_points(item.score_b)}"
        f"（{_signed(item.delta)}）"
    )
    if item.changes:
        text += "  变化：" + "；".join(change_text(c).zh for c in item.changes)
    return text


def _flip_lines(flip: Flip) -> list[str]:
    cause = CAUSE_WORDS[flip.cause][0]
    if flip.cause == "pass_rule":
        why = "B 的得分在 A 的合格标准下" + ("合格" if flip.b_scores_pass_a_rule else "不合格")
    elif flip.cause == "points":
        why = "B 的得分在 A 的合格标准下也" + ("合格" if flip.b_scores_pass_a_rule else "不合格")
    elif flip.b_scores_pass_a_rule == flip.passed_a:
        why = "任一变化单独都不足以改变结论，两者共同作用才改变"
    else:
        why = "合格标准变化或得分变化单独都足以改变结论"
    lines = [f"    ⇒ 合格结论改变，原因：{cause}（{why}）"]
    lines += [
        f"      一级指标“{s.label}”得分率 {fmt_percent(s.rate)}"
        f"（{fmt_points(s.score)}/{fmt_points(s.points)}），低于 {fmt_percent(s.required, 0)}"
        for s in flip.shortfalls
    ]
    return lines


def _summary_lines(report: ImpactReport) -> list[str]:
    s = report.summary()
    causes = "，".join(f"{CAUSE_WORDS[c][0]} {n}" for c, n in s.causes.items() if n)
    lines = [
        f"汇总：共 {s.scored} 份；{report.a} 下合格 {s.passed_a} 份，{report.b} 下合格 {s.passed_b} 份",
        f"      合格→不合格 {s.pass_to_fail} 份，不合格→合格 {s.fail_to_pass} 份"
        + (f"（{causes}）" if causes else ""),
    ]
    if s.rejected:
        lines.append(f"      无法处理 {s.rejected} 份（问题见错误输出）")
    return lines


def _verdict(passed: bool) -> str:
    return "合格" if passed else "不合格"


def _signed(value: Fraction) -> str:
    return f"+{fmt_points(value)}" if value > 0 else f"-{fmt_points(-value)}"
