"""Why-not for items: the item (or the items, for a tier) that would qualify and what it adds:
an evidence item of the kind, level, type or form the rule counts, or an operator new in the
last assessed year whose annual sales reach the threshold of the submission's region class."""

from __future__ import annotations

from fractions import Fraction

from demozone.common.numbers import decimal_text, fmt_points
from demozone.rules.kinds.whynot import WhyNot, fresh_evidence_id, meeting
from demozone.rules.model import Rule

_KIND_WORDS = {
    "recognition": "表彰表扬、宣传推广材料",
    "media_report": "媒体宣传报道",
    "institutional_output": "制度成果",
    "document": "证明材料",
}
_LEVEL_WORDS = {"national": "中央", "provincial": "省部级"}
_KIND_WORDS_EN = {
    "recognition": "recognition or promotion item",
    "media_report": "media report",
    "institutional_output": "institutional output",
    "document": "evidence item",
}
_LEVEL_WORDS_EN = {"national": "central", "provincial": "provincial"}


def items_why_not(outcome, submission, best: Fraction | None) -> list[WhyNot]:
    rule = outcome.rule
    if best is not None and outcome.score >= best:
        return []
    count = len(outcome.firings)
    if rule.tiers:
        tier = min((t for t in rule.tiers if t.points > outcome.score), key=lambda t: t.at_least)
        more, gain = max(tier.at_least - count, 1), tier.points - outcome.score
        return [_entry(rule, submission, count, more, gain, None)]
    options = [
        (b.award, b.name.split("=", 1)[1] if rule.category_field else None) for b in rule.branches
    ]
    gains = [(_gain(rule, outcome, award), value) for award, value in options]
    top = max(gain for gain, _ in gains)
    values = [value for gain, value in gains if gain == top]
    return [_entry(rule, submission, count, 1, top, values)]


def _gain(rule: Rule, outcome, award: Fraction) -> Fraction:
    raw = outcome.raw + award
    return (min(raw, rule.cap) if rule.cap is not None else raw) - outcome.score


def _entry(rule, submission, count, more, gain, values) -> WhyNot:
    if rule.items_of == "operators":
        return _operators(rule, submission, count, more, gain)
    fields = dict(rule.item_equals)
    if values and values[0] is not None:
        fields[rule.category_field] = values[0]
    taken: list[str] = []
    items = []
    for _ in range(more):
        item_id = fresh_evidence_id(submission, tuple(taken))
        taken.append(item_id)
        items.append({"id": item_id, "title": f"{_what(fields)}（补充）", **fields})
    what = _what(fields)
    if values and rule.category_field == "level":
        what = "或".join(_LEVEL_WORDS.get(v, v) for v in values) + _KIND_WORDS.get(
            fields.get("kind", ""), "证明材料"
        )
    elif values and values[0] is not None:
        what += f"（{'、'.join(values)}{'任一形式' if len(values) > 1 else ''}）"
    reason = (
        f"符合条件的{_what(dict(rule.item_equals))}现有{count}项，得分未达上限；"
        f"再提交{more}项{what}，可加{fmt_points(gain)}分。"
    )
    reason_en = _reason_en(rule, fields, values, count, more, gain)
    return WhyNot(rule.id, rule.clause or "", reason, gain, {"evidence": items}, reason_en)


def _reason_en(rule, fields: dict, values, count: int, more: int, gain: Fraction) -> str:
    counted = _what_en(dict(rule.item_equals))
    what = _what_en(fields)
    if values and rule.category_field == "level":
        kind = _KIND_WORDS_EN.get(fields.get("kind", ""), "evidence item")
        what = " or ".join(_LEVEL_WORDS_EN.get(v, v) for v in values) + f" {kind}"
    elif values and values[0] is not None:
        what += f" ({'any of ' if len(values) > 1 else ''}{', '.join(values)})"
    plural = "s" if more > 1 else ""
    return (
        f"{count} qualifying {counted}(s) so far, below the maximum; {more} more "
        f"{what}{plural} would add {_points_en(gain)}."
    )


def _what_en(fields: dict) -> str:
    kind = _KIND_WORDS_EN.get(fields.get("kind", ""), "evidence item")
    level = _LEVEL_WORDS_EN.get(fields.get("level", ""), "")
    return f"{level} {kind}".strip()


def _points_en(value: Fraction) -> str:
    return f"{fmt_points(value)} point" + ("" if value == 1 else "s")


def _what(fields: dict) -> str:
    kind = _KIND_WORDS.get(fields.get("kind", ""), "证明材料")
    return f"{_LEVEL_WORDS.get(fields.get('level', ''), '')}{kind}"


def _operators(rule, submission, count, more, gain) -> WhyNot:
    year = submission.years[-1]
    sales = Fraction(0)
    for item_filter in rule.item_filters:
        threshold = item_filter.threshold
        if threshold is None:
            threshold = dict(item_filter.by_region_class).get(submission.region_class)
        needed = (
            meeting(item_filter.compare, threshold, "amount") if threshold is not None else None
        )
        if needed is None:
            reason = "本地区类别没有规定的销售额门槛，新增经营者无法计分。"
            reason_en = "The region class has no sales threshold: a new operator cannot score."
            return WhyNot(rule.id, rule.clause or "", reason, reason_en=reason_en)
        sales = max(sales, needed)
    names = {o.name for o in submission.operators}
    operators = []
    n = 1
    while len(operators) < more:
        name = f"新增网络交易经营者{n}"
        if name not in names:
            operators.append({"name": name, "year": year, "annual_sales": decimal_text(sales)})
        n += 1
    reason = (
        f"创建期内新增的规模以上网络交易经营者现有{count}家；"
        f"再有{more}家{year}年网络销售额达到{fmt_points(sales)}亿元的经营者，可加{fmt_points(gain)}分。"
    )
    reason_en = (
        f"{count} large online operator(s) new in the creation period so far; {more} more "
        f"with online sales of at least {fmt_points(sales)} hundred million yuan in {year} "
        f"would add {_points_en(gain)}."
    )
    return WhyNot(rule.id, rule.clause or "", reason, gain, {"operator": operators}, reason_en)
