"""The sentences of an explanation, in Chinese or English: how each rule scored (its kind's
account), the figures it rests on named by their labels with units and sources, and the
evidence cited. Written as an evaluation report is written (report-style.md): no operators,
booleans, metric ids or field paths; rule ids only in the reference line of a rule.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from demozone.common.numbers import fmt_percent
from demozone.kb.metrics import metric_label
from demozone.rules import kinds
from demozone.rules.kinds import wording as w
from demozone.scoring.derive import FactUse
from demozone.scoring.outcome import RuleOutcome
from demozone.scoring.reasons import describe_missing

ROLES = {
    "title": ("标题", "title"),
    "criterion": ("评估内容", "criterion"),
    "rule_text": ("计分标准", "scoring rule"),
    "clause": ("条款", "clause"),
}


def rule_account(outcome: RuleOutcome, lang: str) -> list[str]:
    """How one rule scored, in sentences; missing facts first."""
    missing = [describe_missing(m, lang) for m in outcome.missing]
    return missing + kinds.of(outcome.rule).account(outcome, lang)


def rule_reference(outcome: RuleOutcome, lang: str) -> str:
    """Where a rule is written: 〔计分规则 RULE，FILE第LINE行〕."""
    rule = outcome.rule
    name = Path(rule.file).name
    where = (
        w.say(f"{name}第{rule.line}行", f"{name}, line {rule.line}", lang) if rule.line else name
    )
    return w.say(f"〔计分规则 {rule.id}，{where}〕", f"[rule {rule.id}, {where}]", lang)


def fact_line(fact: FactUse, lang: str) -> str | None:
    """A figure a rule read, by its label, with its value and where it comes from; None for
    the facts the accounts already state (judgments, evidence items, operators)."""
    kind, parts = fact.fact_id.kind, fact.fact_id.parts
    value = fact.value if isinstance(fact.value, Fraction) else None
    if value is None:
        return None
    if kind == "metric":
        metric, year = parts[0], parts[1]
        label = metric_label(metric, lang)
        shown = w.metric_value(metric, value, lang)
        return w.say(
            f"{year}年{label}：{shown}（申报材料）",
            f"{label} in {year}: {shown} (submission)",
            lang,
        )
    if kind == "national":
        metric, year, what = parts[0], parts[1], parts[2]
        label = metric_label(metric, lang)
        growth = what == "growth"
        name = w.say(
            f"全国{label}{'同比增速' if growth else ''}",
            f"national {label}{' growth' if growth else ''}",
            lang,
        )
        shown = fmt_percent(value) if growth else w.metric_value(metric, value, lang)
        return w.say(
            f"{year}年{name}：{shown}（{_published(fact.where)}）",
            f"{name} in {year}: {shown} ({fact.where})",
            lang,
        )
    if kind == "reference":
        name = w.reference_name(parts[0], lang)
        shown = fmt_percent(value) if abs(value) <= 1 else w.metric_value(None, value, lang)
        year = w.say(f"{parts[1]}年", f" in {parts[1]}", lang) if len(parts) > 1 else ""
        return w.say(
            f"{year}{name}：{shown}（申报材料所附全国对比数据）",
            f"{name}{year}: {shown} (national comparator given in the submission)",
            lang,
        )
    return None


# who publishes the national figures of kb/reference, as a Chinese report names them
_PUBLISHERS = {"NBS": "国家统计局", "State Post Bureau": "国家邮政局", "MOFCOM": "商务部"}


def _published(source: str) -> str:
    """A national figure's source as a Chinese report cites it: 国家统计局公布，NBS 2023-12."""
    body = next((name for key, name in _PUBLISHERS.items() if source.startswith(key)), "")
    return f"{body}公布，{source}" if body else source


def grounds(outcomes: list[RuleOutcome], lang: str) -> list[str]:
    """The figures an indicator's rules read, each once, in the order read."""
    lines: list[str] = []
    for outcome in outcomes:
        for case in outcome.cases:
            for fact in case.inputs:
                line = fact_line(fact, lang)
                if line is not None and line not in lines:
                    lines.append(line)
    return lines


def evidence_cited(outcomes: list[RuleOutcome], submission, lang: str) -> list[str]:
    """The evidence the score rests on: items counted, and items cited by assessors who judged
    a clause satisfied, each with its title, kind and sha256."""
    ids: list[str] = []
    for outcome in outcomes:
        fired = {f.case_key for f in outcome.firings}
        for case in outcome.cases:
            for fact in case.inputs:
                counted = fact.fact_id.kind == "evidence" and case.key in fired
                cited = fact.fact_id.kind == "judgment" and fact.value is True
                if counted or cited:
                    ids += [e for e in fact.evidence if e not in ids]
    lines = []
    for evidence_id in ids:
        item = submission.evidence.get(evidence_id)
        if item is None:
            continue
        kind = w.evidence_kind(item.kind, lang)
        digest = f"sha256 {item.sha256}" if item.sha256 else w.say("未附文件", "no file", lang)
        lines.append(
            w.say(
                f"{item.id} {item.title}（{kind}，{digest}）",
                f"{item.id} {item.title} ({kind}, {digest})",
                lang,
            )
        )
    return lines


def role(name: str, lang: str) -> str:
    pair = ROLES.get(name)
    return w.say(*pair, lang) if pair else name
