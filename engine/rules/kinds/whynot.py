"""How a rule could gain points: the why-not entry every kind gives, and what several kinds
share to write one (a figure that meets a test, a majority of assessors, a new item).

A kind's `why_not(outcome, submission)` returns `WhyNot` entries: the clause, the reason in one
plain Chinese sentence, `needs` (the smallest change to the submission that adds points, in the
shape below) and `gain` (the points the rule gains when that change alone is applied). `needs`
is None when nothing in this submission's years and data can raise the rule; the reason then
says why. Each entry is an alternative: applied alone to the submission as it is.

`needs` (docs/why-not.md) maps a part of the submission to a list of changes, written in the
submission format's own notation:

    {"metric":   [{"id": "online_retail", "year": 2024, "value": "11.2"}],   # set a figure
     "judgment": [{"clause": "29.2", "assessor": "expert-li", "satisfied": true,
                   "evidence": ["E1"]}],          # that assessor's judgment on the clause
     "evidence": [{"id": "W1", "title": "…", "kind": "recognition", "form": "领导批示"}],
     "operator": [{"name": "…", "year": 2024, "annual_sales": "1"}]}       # add an item

The submission is read by its public names (years, region_class, metrics, evidence,
judgments); the layers above build and apply nothing here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

from demozone.common.numbers import decimal_text, fmt_percent, fmt_points
from demozone.kb.metrics import metric_label, metric_vocabulary
from demozone.rules.kinds.wording import _UNITS_EN, assessor_name

# the finest step a changed figure moves by: 0.01 percentage point, one unit, 0.0001 (亿元)
_GRID = {"rate": Fraction(1, 10000), "count": Fraction(1), "amount": Fraction(1, 10000)}
COMPARE_MET = {">": "超过", ">=": "达到", "<": "低于", "<=": "不超过", "=": "等于"}
COMPARE_UNMET = {">": "未超过", ">=": "未达到", "<": "未低于", "<=": "超过", "=": "不等于"}
_MET_EN = {">": "above", ">=": "at least", "<": "below", "<=": "at most", "=": "equal to"}
_UNMET_EN = {">": "not above", ">=": "below", "<": "not below", "<=": "above", "=": "not equal to"}
NEW_ASSESSOR = "assessor-new"


@dataclass(frozen=True)
class WhyNot:
    """One way a rule could gain points, or why it cannot."""

    rule: str
    clause: str
    reason: str
    gain: Fraction = Fraction(0)
    needs: dict | None = None
    reason_en: str = ""  # the same sentence in English, for reference (the Chinese governs)


def met(compare: str, lang: str = "zh") -> str:
    """A comparison that holds, in words: 超过 / above."""
    return _MET_EN[compare] if lang == "en" else COMPARE_MET[compare]


def unmet(compare: str, lang: str = "zh") -> str:
    """A comparison that fails, in words: 未超过 / not above."""
    return _UNMET_EN[compare] if lang == "en" else COMPARE_UNMET[compare]


def both(said) -> tuple[str, str]:
    """A sentence built by `said(lang)` in Chinese and in English."""
    return said("zh"), said("en")


# -- figures ------------------------------------------------------------------------------------
def metric_kind(metric: str) -> str:
    found = metric_vocabulary().get(metric)
    return found.kind if found else "amount"


def meeting(compare: str, target: Fraction, metric: str) -> Fraction | None:
    """The value nearest `target` on the metric's grid for which `value compare target` holds;
    None when no value of the metric can (a rate above 100%, a figure below 0)."""
    step = _GRID.get(metric_kind(metric), _GRID["amount"])
    steps = target / step
    value = {
        ">": (math.floor(steps) + 1) * step,
        ">=": math.ceil(steps) * step,
        "<": (math.ceil(steps) - 1) * step,
        "<=": math.floor(steps) * step,
        "=": target,
    }[compare]
    if value < 0 or (metric_kind(metric) == "rate" and value > 1):
        return None
    if compare == "=" and (value / step).denominator != 1:
        return None
    return Fraction(value)


def value_text(metric: str, value: Fraction) -> str:
    """A figure as a submission writes it: "95.01%", "1234", "3.7101"."""
    if metric_kind(metric) == "rate":
        return f"{decimal_text(value * 100)}%"
    return decimal_text(value)


def value_words(metric: str, value: Fraction, lang: str = "zh") -> str:
    """A figure as a sentence says it, with its unit: 95.01%, 1234户, 3.71亿元."""
    found = metric_vocabulary().get(metric)
    if found is not None and found.kind == "rate":
        return fmt_percent(value)
    if lang == "en":
        unit = _UNITS_EN.get(found.unit, "") if found is not None else ""
        return f"{fmt_points(value)}{unit}"
    unit = found.unit if found is not None and found.unit not in ("count", "rate") else ""
    return f"{fmt_points(value)}{unit}"


def metric_change(metric: str, year: int, value: Fraction) -> dict:
    return {"metric": [{"id": metric, "year": year, "value": value_text(metric, value)}]}


def figure(submission, metric: str, year: int) -> Fraction | None:
    found = submission.metrics.get((metric, year))
    return found.value if found is not None else None


def merged(*needs: dict | None) -> dict | None:
    """Several changes as one `needs`; None when any of them cannot be made."""
    result: dict[str, list] = {}
    for one in needs:
        if one is None:
            return None
        for part, changes in one.items():
            result.setdefault(part, []).extend(changes)
    return result


# -- assessors ----------------------------------------------------------------------------------
def judgments_on(submission, clause: str) -> list:
    return [j for j in submission.judgments if j.clause == clause]


def majority_needs(submission, clause: str) -> tuple[dict, str, str]:
    """The fewest judgments that give `clause` a majority of "satisfied", and the words for it
    (Chinese, English).

    Assessors who judged it not satisfied change their judgment (each change moves the margin by
    two); with no judgment yet, one assessor of the panel (or a new one) judges it satisfied."""
    on = judgments_on(submission, clause)
    yes = [j for j in on if j.satisfied]
    no = sorted((j for j in on if not j.satisfied), key=lambda j: j.assessor)
    evidence, added = _supporting(submission, clause)
    if not on:
        assessor = _panel_member(submission, clause)
        change = {"clause": clause, "assessor": assessor, "satisfied": True, "evidence": evidence}
        needs = {"judgment": [change], **added}
        name = assessor_name(submission, assessor)
        return (
            needs,
            f"条款{clause}尚无评审意见，经评审专家（{name}）认定满足",
            f"clause {clause} has no judgment yet; if assessor {name} judges it satisfied",
        )
    flips = (len(no) - len(yes)) // 2 + 1
    changes = [
        {"clause": clause, "assessor": j.assessor, "satisfied": True, "evidence": evidence}
        for j in no[:flips]
    ]
    names = [assessor_name(submission, j.assessor) for j in no[:flips]]
    words = (
        f"条款{clause}评审意见{len(yes)}票满足、{len(no)}票不满足，未过半数；"
        f"再有{flips}位评审专家认定满足（{'、'.join(names)}改为满足）"
    )
    whom = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
    more = "1 more assessor judges" if flips == 1 else f"{flips} more assessors judge"
    words_en = (
        f"clause {clause} has {len(yes)} satisfied and {len(no)} not satisfied judgments, "
        f"no majority; if {more} it satisfied ({whom} changing to satisfied)"
    )
    return {"judgment": changes, **added}, words, words_en


def _supporting(submission, clause: str) -> tuple[list[str], dict]:
    """The evidence a new "satisfied" cites: what others cited for the clause, else the first
    item submitted, else a new document (then added by `needs` too)."""
    cited = sorted({e for j in judgments_on(submission, clause) if j.satisfied for e in j.evidence})
    if cited:
        return cited, {}
    if submission.evidence:
        return [next(iter(submission.evidence))], {}
    item = {
        "id": fresh_evidence_id(submission),
        "title": f"条款{clause}证明材料",
        "kind": "document",
    }
    return [item["id"]], {"evidence": [item]}


def _panel_member(submission, clause: str) -> str:
    judged = {j.assessor for j in judgments_on(submission, clause)}
    panel = sorted({j.assessor for j in submission.judgments} - judged)
    return panel[0] if panel else NEW_ASSESSOR


def fresh_evidence_id(submission, taken: tuple[str, ...] = ()) -> str:
    n = 1
    while f"W{n}" in submission.evidence or f"W{n}" in taken:
        n += 1
    return f"W{n}"


def gain_words(gain: Fraction) -> str:
    return f"可加{fmt_points(gain)}分"


def label(metric: str, lang: str = "zh") -> str:
    return metric_label(metric, lang)


def reference_label(ref: str, lang: str = "zh") -> str:
    """A national comparator's name without 全国: national_x_growth -> x的label同比增速."""
    metric = ref.removeprefix("national_")
    if metric.endswith("_growth") and metric not in metric_vocabulary():
        name = label(metric.removesuffix("_growth"), lang)
        return f"year-on-year growth of {name}" if lang == "en" else f"{name}同比增速"
    return label(metric, lang)


_MISSING = re.compile(r"^(?P<name>[a-z0-9_.]+)(\[(?P<year>[0-9.]+)\])?(?P<rest>.*)$")


def missing_words(what: str, lang: str = "zh") -> str:
    """A fact a case misses, as a sentence names it: 2023年网上零售额, 全国快递业务量同比增速."""
    en = lang == "en"
    match = _MISSING.match(what)
    if not match:
        return "the data needed" if en else "所需数据"
    name, year, rest = match["name"], match["year"], match["rest"]
    when = (f" of {year}" if en else f"{year}年") if year and name != "judgment" else ""
    if rest.startswith(" = 0"):
        if en:
            return f"{label(name, lang)}{when} (0, cannot be computed)"
        return f"{when}{label(name)}（为0，无法计算）"
    if name == "judgment":
        return f"the judgments on clause {year}" if en else f"条款{year}的评审意见"
    if name.startswith("reference."):
        ref = reference_label(name.removeprefix("reference."), lang)
        return f"the national {ref}{when}" if en else f"{when}全国{ref}"
    if name.startswith("threshold"):
        return "the sales threshold of the region class" if en else "本地区类别的销售额门槛"
    known = metric_vocabulary().get(name)
    if not known:
        return "the data needed" if en else "所需数据"
    return f"{known.label_en}{when}" if en else f"{when}{known.label}"
