"""Short reasons (扣分原因), in Chinese or English, for why a rule scored what it scored.

These are the one-line reasons a score result carries; the full derivation is `explain`'s job.
They read as an evaluation report is written (report-style.md): the missing facts by their
labels and years, then what the rule's kind says; no ids, operators or booleans. A result keeps
the Chinese (the text that governs); `indicator_reasons` words them again in English.
"""

from __future__ import annotations

import re
from fractions import Fraction

from demozone.common.numbers import fmt_percent, fmt_points
from demozone.kb.metrics import metric_label
from demozone.rules import kinds
from demozone.rules.kinds import wording as w
from demozone.scoring.outcome import IndicatorScore, RuleOutcome

_MISSING = re.compile(r"^(?P<name>[a-z0-9_.]+)\[(?P<key>[0-9.]+)\](?P<rest>.*)$")
_THRESHOLD = re.compile(r"^threshold (?P<parameter>\S+)\[(?P<region>[a-z]*)\]$")


def describe_missing(what: str, lang: str = "zh") -> str:
    """A missing fact as a county official would name it: 未填报2022年网上零售额，无法计分."""
    text = _missing(what, lang)
    # a judgment that is missing or a zero denominator leaves nothing to score: 不得分
    settled = what.startswith("judgment[") or " = 0" in what
    end = w.say(
        "不得分" if settled else "无法计分", "no points" if settled else "cannot be scored", lang
    )
    return w.stop(w.say(f"{text}，{end}", f"{text}: {end}", lang), lang)


def _missing(what: str, lang: str) -> str:
    threshold = _THRESHOLD.match(what)
    if threshold:
        where = w.region(threshold["region"], lang)
        return w.say(
            f"计分规则未给出{where}的门槛", f"the rules give no threshold for {where}", lang
        )
    match = _MISSING.match(what)
    if not match and what.startswith("reference."):
        name = w.reference_name(what.removeprefix("reference."), lang)
        return w.say(f"缺少{name}", f"the {name} is missing", lang)
    if not match:
        return w.say("缺少计分所需数据", "a figure the rule needs is missing", lang)
    name, key, rest = match["name"], match["key"], match["rest"]
    if name == "judgment":
        return w.say(f"条款{key}无专家评审意见", f"no assessor judged clause {key}", lang)
    if name.startswith(("reference.", "national_")):
        ref = w.reference_name(name.removeprefix("reference."), lang)
        if rest.startswith(" = 0"):
            return w.say(f"{key}年{ref}为0，无法计算比重", f"the {ref} in {key} is 0", lang)
        return w.say(f"缺少{key}年{ref}", f"the {ref} for {key} is missing", lang)
    label = metric_label(name, lang)
    if rest.startswith(" = 0"):
        return w.say(f"{key}年{label}为0，无法计算比值", f"{label} in {key} is 0", lang)
    return w.say(f"未填报{key}年{label}", f"{label} for {key} was not submitted", lang)


def rule_reasons(outcome: RuleOutcome, lang: str = "zh") -> list[str]:
    """Why a rule scored below what it could: missing facts first, then what its kind says."""
    missing = [describe_missing(m, lang) for m in outcome.missing]
    return missing + kinds.of(outcome.rule).reasons(outcome, lang)


def cap_reason(raw: Fraction, points: Fraction, lang: str = "zh") -> str:
    """The rules of an indicator gave more than its points."""
    return w.say(
        f"各项合计{fmt_points(raw)}分，超过本指标分值{fmt_points(points)}分，按{fmt_points(points)}分计。",
        f"The rules give {w.points(raw, lang)} together, more than the indicator's "
        f"{w.points(points, lang)}: {w.points(points, lang)}.",
        lang,
    )


def indicator_reasons(indicator: IndicatorScore, lang: str = "zh") -> list[str]:
    """An indicator's reasons in `lang`: the Chinese ones it carries, or worded again."""
    if lang != "en":
        return list(indicator.reasons)
    raw = sum((o.score for o in indicator.rules), Fraction(0))
    reasons = []
    if indicator.score < indicator.points:
        reasons = [r for o in indicator.rules for r in rule_reasons(o, lang)]
    if raw > indicator.points:
        reasons.append(cap_reason(raw, indicator.points, lang))
    return reasons


def pass_reasons(total, total_at_least, levels, rate_at_least, lang: str = "zh") -> list[str]:
    """Every shortfall against the pass rule: the total under the pass line, each first-level
    indicator under the rate."""
    reasons = []
    if total < total_at_least:
        reasons.append(
            w.say(
                f"总分{fmt_points(total)}分，低于合格线{fmt_points(total_at_least)}分",
                f"the total of {w.points(total, lang)} is below the pass line of "
                f"{w.points(total_at_least, lang)}",
                lang,
            )
        )
    for level, name in levels:
        if level.rate < rate_at_least:
            rate, line = fmt_percent(level.rate), fmt_percent(rate_at_least, 0)
            score = f"{fmt_points(level.score)}/{fmt_points(level.points)}"
            reasons.append(
                w.say(
                    f"一级指标“{name}”得分率{rate}（{score}），低于{line}",
                    f"the first-level indicator “{name}” scored {rate} ({score}), below {line}",
                    lang,
                )
            )
    return reasons
