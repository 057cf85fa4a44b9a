"""Short reasons, in Chinese, for why a rule scored what it scored.

These are the one-line reasons a score result carries; the full derivation is `explain`'s job.
"""

from __future__ import annotations

import re

from demozone.common.numbers import fmt_decimal, fmt_percent, fmt_points
from demozone.kb.metrics import metric_label
from demozone.scoring.derive import Case, Operand
from demozone.scoring.outcome import RuleOutcome

_MISSING = re.compile(r"^(?P<name>[a-z0-9_.]+)\[(?P<year>[0-9.]+)\](?P<rest>.*)$")


def describe_missing(what: str) -> str:
    """A missing fact as a county official would name it: 缺少 网上零售额 2022年 (metrics.online_retail)."""
    match = _MISSING.match(what)
    if not match:
        return f"缺少 {what}"
    name, year, rest = match["name"], match["year"], match["rest"]
    if rest.startswith(" = 0"):
        return f"{metric_label(name)} {year}年 为0，无法计算比值"
    if name == "judgment":
        return f"条款 {year} 没有评审意见 (judgments)"
    if name.startswith("reference."):
        ref = name.removeprefix("reference.")
        return f"缺少全国对比数据 {ref} {year}年 (reference.{ref})"
    if name.startswith("threshold"):
        return f"缺少地区分类阈值 {name}"
    return f"缺少 {metric_label(name)} {year}年 (metrics.{name})"


def rule_reasons(outcome: RuleOutcome) -> list[str]:
    """Why a rule scored below what it could: missing facts first, then the failed comparisons."""
    reasons = [describe_missing(m) for m in outcome.missing]
    fired_cases = {f.case_key for f in outcome.firings}
    rule = outcome.rule
    for case in outcome.cases:
        if not case.complete or case.key in fired_cases:
            continue
        if rule.kind in ("judged", "any_judged") or rule.items_of:
            continue  # judged and item rules explain themselves through their facts
        reasons.append(_failed(case))
    if rule.kind == "ratio_bands" and outcome.firings:
        top = max(b.award for b in rule.branches)
        if outcome.score < top:
            fired = {f.branch for f in outcome.firings}
            label = next(b.label for b in rule.branches if b.name in fired)
            reasons.append(
                f"{_operand_text(outcome.cases[0].operands['o0'])}，落在 {label} 档，未达最高档"
            )
    best = rule.cap if rule.cap is not None else max((t.points for t in rule.tiers), default=None)
    if rule.items_of and outcome.firings and best is not None and outcome.score < best:
        reasons.append(
            f"符合条件的{'经营者' if rule.items_of == 'operators' else '证明材料'}{len(outcome.firings)}项，"
            f"得{fmt_points(outcome.score)}分（最高{fmt_points(best)}分）"
        )
    if rule.items_of and not outcome.firings:
        reasons.append(f"没有符合条件的{'经营者' if rule.items_of == 'operators' else '证明材料'}")
    if rule.kind == "judged" and not outcome.firings and not outcome.missing:
        reasons.append(f"条款 {rule.clause} 未获多数评审认定满足")
    if rule.kind == "any_judged" and not outcome.firings:
        reasons.append(f"条款 {', '.join(rule.clauses)} 均未获多数评审认定满足")
    return reasons


def _failed(case: Case) -> str:
    parts = [_operand_text(op) for op in case.operands.values()]
    return f"{'; '.join(parts)} — 未满足 {_branch_labels(case)}"


def _operand_text(op: Operand) -> str:
    if op.right is None:
        return f"{op.text} = {_show(op.left)}"
    return f"{op.text.split(' - ')[0]} = {_show(op.left)}, 对比值 = {_show(op.right)}"


def _show(value) -> str:
    if abs(value) <= 2 and value.denominator != 1:
        return fmt_percent(value)
    return fmt_decimal(value, 2) if value.denominator != 1 else fmt_points(value)


def _branch_labels(case: Case) -> str:
    return " / ".join(b.label for b in case.rule.branches)
