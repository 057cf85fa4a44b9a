"""Short reasons, in Chinese, for why a rule scored what it scored.

These are the one-line reasons a score result carries; the full derivation is `explain`'s job.
"""

from __future__ import annotations

import re

from demozone.kb.metrics import metric_label
from demozone.rules import kinds
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
    """Why a rule scored below what it could: missing facts first, then what its kind says."""
    missing = [describe_missing(m) for m in outcome.missing]
    return missing + kinds.of(outcome.rule).reasons(outcome)
