"""The words of an evaluation report, in Chinese and English, for what scoring reads and finds:
quantities by their labels, values with their units and percent style, comparisons and bands in
words (达到、超过、低于、在……之间), points, assessors' verdicts, evidence items.

No operator, boolean, metric id or rule id appears in what these functions return
(report-style.md): reasons and explanations are built from them. `lang` is "zh" or "en"; the
Chinese text governs, the English follows the same structure for reference.
"""

from __future__ import annotations

import re
from fractions import Fraction

from demozone.common.numbers import fmt_decimal, fmt_percent, fmt_points, fmt_rate
from demozone.kb.metrics import metric_label, metric_vocabulary
from demozone.rules.model import Band, Quantity

_REFERENCE = re.compile(r"^national_(?P<metric>[a-z0-9_]+?)(?P<growth>_growth)?$")
# units of the metric vocabulary as English writes them (a count's unit goes unsaid)
_UNITS_EN = {
    "亿元": " hundred million yuan",
    "亿件": " hundred million items",
    "学时": " hours",
    "人": " persons",
    "件": " cases",
}
EVIDENCE_KINDS = {
    "document": ("文件", "document"),
    "media_report": ("媒体报道", "media report"),
    "institutional_output": ("制度成果", "institutional output"),
    "recognition": ("表彰认可", "recognition"),
}
EVIDENCE_VALUES = {
    "national": ("国家级媒体", "national media"),
    "provincial": ("省部级媒体", "provincial media"),
}
REGIONS = {
    "east": ("东部地区", "the eastern region"),
    "central": ("中部地区", "the central region"),
    "west": ("西部地区", "the western region"),
    "northeast": ("东北地区", "the north-eastern region"),
}


def say(zh: str, en: str, lang: str) -> str:
    """The Chinese or the English of one phrase."""
    return en if lang == "en" else zh


def joined(parts: list[str], lang: str) -> str:
    """A list as prose: 甲、乙、丙 / a, b and c."""
    if lang != "en":
        return "、".join(parts)
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def sentences(parts: list[str], lang: str) -> str:
    """Clauses of one sentence: 甲；乙 / a; b."""
    return ("；" if lang != "en" else "; ").join(p for p in parts if p)


def then(parts: list[str], end: str, lang: str) -> str:
    """Findings, then what they give: 甲；乙，不得分 / a; b: no points."""
    found = sentences(parts, lang)
    if not found:
        return end
    return found + ("，" if lang != "en" else ": ") + end


def stop(text: str, lang: str) -> str:
    """A sentence ended once: 。 / ."""
    text = text.rstrip("。；，. ;,")
    if lang == "en":
        return text[:1].upper() + text[1:] + "."
    return text + "。"


def points(value: Fraction, lang: str) -> str:
    """1分 / 1 point, 1.5 points."""
    if lang == "en":
        return f"{fmt_points(value)} point" + ("" if value == 1 else "s")
    return f"{fmt_points(value)}分"


def scored(value: Fraction, lang: str) -> str:
    """计1分 / 不得分; 1 point / 0 points."""
    if value == 0:
        return say("不得分", "no points", lang)
    return say(f"计{points(value, lang)}", points(value, lang), lang)


def year(y: int | str | None, lang: str) -> str:
    if y in (None, ""):
        return ""
    return say(f"{y}年", f"{y}", lang)


def label(metric: str, lang: str) -> str:
    return metric_label(metric, lang)


def reference_name(ref: str, lang: str) -> str:
    """A national comparator by its label: 全国网络消费(网购)投诉调解成功率."""
    match = _REFERENCE.match(ref)
    if not match or match["metric"] not in metric_vocabulary():
        return say("全国对比数据", "the national comparator", lang)
    name = label(match["metric"], lang)
    if match["growth"]:
        return say(f"全国{name}同比增速", f"national year-on-year growth of {name}", lang)
    return say(f"全国{name}", f"national {name}", lang)


def quantity_name(q: Quantity, lang: str) -> str:
    """A quantity as a report names it (without its year)."""
    names = [label(a, lang) for a in q.args] if q.form != "reference" else []
    if q.form == "growth":
        return say(f"{names[0]}同比增速", f"year-on-year growth of {names[0]}", lang)
    if q.form == "national_growth":
        return say(f"全国{names[0]}同比增速", f"national year-on-year growth of {names[0]}", lang)
    if q.form == "ratio":
        return say(f"{names[0]}占{names[1]}的比重", f"share of {names[0]} in {names[1]}", lang)
    if q.form == "national_ratio":
        return say(
            f"全国{names[0]}占{names[1]}的比重", f"national share of {names[0]} in {names[1]}", lang
        )
    if q.form == "reference":
        return reference_name(q.args[0], lang)
    if q.form == "judged":
        return say(f"条款{q.args[0]}", f"clause {q.args[0]}", lang)
    return names[0]


def is_share(q: Quantity) -> bool:
    """Whether a quantity's values are shares or growth rates, written as percentages."""
    if q.form == "reference":
        match = _REFERENCE.match(q.args[0])
        found = metric_vocabulary().get(match["metric"]) if match else None
        return bool(match and (match["growth"] or (found and found.kind == "rate")))
    return q.form in ("growth", "national_growth", "ratio", "national_ratio") or q.is_rate


def value(q: Quantity, number: Fraction, lang: str) -> str:
    """A value of a quantity: 7.05% for shares and growth, 53.00亿元 / 1380户 for figures."""
    if q.form == "judged":
        return fmt_points(number)
    if is_share(q):
        return fmt_percent(number)
    metric = q.args[0] if q.form != "reference" else None
    return metric_value(metric, number, lang) if metric else fmt_points(number)


def metric_value(metric: str | None, number: Fraction, lang: str) -> str:
    found = metric_vocabulary().get(metric) if metric else None
    if found is None:
        return fmt_points(number)
    if found.kind == "rate":
        return fmt_percent(number)
    text = fmt_points(number) if found.kind == "count" else _amount(number)
    unit = _UNITS_EN.get(found.unit, "") if lang == "en" else found.unit
    return text + unit


def _amount(number: Fraction) -> str:
    return fmt_points(number) if (number * 100).denominator == 1 else fmt_decimal(number, 2)


def threshold(q: Quantity, number: Fraction, lang: str) -> str:
    """A threshold as the source writes it: 99%, 95%, 2亿元, 20人."""
    if is_share(q):
        return fmt_rate(number)
    return value(q, number, lang)


def relation(left: Fraction, right: Fraction, lang: str, *, named: str = "") -> str:
    """How a value stands to another, in words: 超过99% / 低于全国…（70.10%）/ 恰为95%.
    `named` is the other's name when it is a figure of its own (its value then in brackets)."""
    if left > right:
        return say("高于" if named else "超过", "above", lang)
    if left < right:
        return say("低于", "below", lang)
    return say("等于" if named else "恰为", "equal to", lang)


def band_words(band: Band, lang: str) -> str:
    """A band in words: 在6%至10%之间（含6%，不含10%）/ 15%以上（含15%）."""
    lo = fmt_rate(band.lower) if band.lower is not None else None
    hi = fmt_rate(band.upper) if band.upper is not None else None
    if lang == "en":
        if lo and hi:
            return (
                f"between {lo} ({'inclusive' if band.lower_inclusive else 'exclusive'}) "
                f"and {hi} ({'inclusive' if band.upper_inclusive else 'exclusive'})"
            )
        if lo:
            return f"{'at least' if band.lower_inclusive else 'more than'} {lo}"
        return f"{'at most' if band.upper_inclusive else 'less than'} {hi}" if hi else "any value"
    if lo and hi:
        return (
            f"在{lo}至{hi}之间（{'含' if band.lower_inclusive else '不含'}{lo}，"
            f"{'含' if band.upper_inclusive else '不含'}{hi}）"
        )
    if lo:
        return f"{lo}以上（{'含' if band.lower_inclusive else '不含'}{lo}）"
    return f"{hi}以下（{'含' if band.upper_inclusive else '不含'}{hi}）" if hi else "任意比值"


def band_span(band: Band, lang: str) -> str:
    """A band as a report names it in passing: 6%至10%, 15%以上 / 6% to 10%, 15% and above."""
    lo = fmt_rate(band.lower) if band.lower is not None else None
    hi = fmt_rate(band.upper) if band.upper is not None else None
    if lo and hi:
        return say(f"{lo}至{hi}", f"{lo} to {hi}", lang)
    if lo:
        return say(f"{lo}以上", f"{lo} and above", lang)
    return say(f"{hi}以下", f"below {hi}", lang) if hi else ""


def verdict(satisfied: bool, lang: str) -> str:
    return say(
        "认定满足" if satisfied else "认定不满足",
        "satisfied" if satisfied else "not satisfied",
        lang,
    )


def assessor(who: str, satisfied: bool, lang: str) -> str:
    """One assessor's judgment: expert-chen认定不满足 / expert-chen: not satisfied."""
    return say(f"{who}{verdict(satisfied, lang)}", f"{who}: {verdict(satisfied, lang)}", lang)


def evidence_kind(kind: str, lang: str) -> str:
    pair = EVIDENCE_KINDS.get(kind)
    return say(*pair, lang) if pair else kind


def item_value(field: str, raw: str, lang: str) -> str:
    """An evidence item's level, type or form as a reader names it (forms and types are Chinese
    words already)."""
    pair = EVIDENCE_VALUES.get(raw) if field == "level" else None
    return say(*pair, lang) if pair else raw


def region(region_class: str, lang: str) -> str:
    pair = REGIONS.get(region_class)
    return say(*pair, lang) if pair else region_class


def assessor_name(submission, assessor_id: str) -> str:
    """An assessor by the name the submission gives (its `assessors` mapping), else by id."""
    names = getattr(submission, "assessors", None) or {}
    return names.get(assessor_id) or assessor_id
