"""Why-not for yearly_comparison: which assessed year could be made to hold by the nearest
figure, what that does to the next year's growth, and the points the assessed years cannot give.

A growth rate in year y rests on the figures of y and y-1: raising the figure of y raises y's
growth and lowers y+1's. The kind tries the one figure first; when that costs the next year its
point, it raises the figures of y and every later assessed year by the same factor instead,
which leaves the later growth rates as they were (up to the grid the figures are written on).
Each option's gain is computed over every assessed year, exactly.
"""

from __future__ import annotations

from fractions import Fraction

from demozone.common.numbers import fmt_percent, fmt_points
from demozone.rules.kinds.reasonwords import holds
from demozone.rules.kinds.whynot import (
    WhyNot,
    label,
    meeting,
    met,
    missing_words,
    reference_label,
    unmet,
    value_text,
    value_words,
)
from demozone.rules.model import Quantity, Rule


def yearly_why_not(outcome, submission, best: Fraction) -> list[WhyNot]:
    rule = outcome.rule
    entries = []
    if outcome.score < best:
        entries = _year_entries(outcome, submission)
    if rule.cap is not None and best < rule.cap:
        entries.append(_years_short(rule, submission, best))
    return entries


def _year_entries(outcome, submission) -> list[WhyNot]:
    rule = outcome.rule
    test = rule.tests[0]
    fired = {f.case_key for f in outcome.firings}
    rights = {int(c.key): c.operands["o0"].right for c in outcome.cases if c.complete}
    values = {key: v.value for key, v in submission.metrics.items()}
    entries = []
    for case in outcome.cases:
        year = int(case.key)
        if case.key in fired:
            continue
        if not case.complete:
            words = "、".join(missing_words(m) for m in case.missing)
            reason = f"缺少{words}，{year}年无法比较；补报后按实际数据计分。"
            words_en = ", ".join(missing_words(m, "en") for m in case.missing)
            reason_en = (
                f"Missing {words_en}: {year} cannot be compared; once reported, "
                "it is scored on the actual figures."
            )
            entries.append(WhyNot(rule.id, rule.clause, reason, reason_en=reason_en))
            continue
        options = [o for o in _options(test.left, year, rights[year], values, test.compare) if o]
        scored = [(_score(rule, rights, {**values, **o}) - outcome.score, o) for o in options]
        scored = [(gain, o) for gain, o in scored if gain > 0]
        if not scored:
            continue
        gain, change = max(scored, key=lambda s: (s[0], -len(s[1])))
        entries.append(_entry(rule, year, case, change, gain))
    return sorted(entries, key=lambda e: -e.gain)


def _options(left: Quantity, year: int, right: Fraction, values: dict, compare: str) -> list:
    """The figures that make `left` hold in `year`: the one figure, then (for a growth rate)
    that figure and the later years' raised alike."""
    metric = left.args[0]
    if left.form == "growth":
        before = values.get((metric, year - 1))
        now = values.get((metric, year))
        if not before or now is None:
            return []
        needed = meeting(compare, before * (1 + right), metric)
        if needed is None:
            return []
        one = {(metric, year): needed}
        later = sorted(y for (m, y) in values if m == metric and y > year)
        factor = needed / now if now else None
        if not later or factor is None:
            return [one]
        chain = {**one}
        for y in later:
            chain[(metric, y)] = meeting(">=", values[(metric, y)] * factor, metric)
        return [one, chain]
    if left.form == "ratio":
        bottom = values.get((left.args[1], year))
        if not bottom:
            return []
        needed = meeting(compare, bottom * right, metric)
        return [{(metric, year): needed}] if needed is not None else []
    if left.form == "metric":
        needed = meeting(compare, right, metric)
        return [{(metric, year): needed}] if needed is not None else []
    return []


def _score(rule: Rule, rights: dict, values: dict) -> Fraction:
    """The rule's score over its complete years with these figures."""
    test = rule.tests[0]
    held = 0
    for year, right in rights.items():
        left = _left(test.left, year, values)
        if left is not None and holds(left - right, test.compare, Fraction(0)):
            held += 1
    total = rule.branches[0].award * held
    return min(total, rule.cap) if rule.cap is not None else total


def _left(left: Quantity, year: int, values: dict) -> Fraction | None:
    metric = left.args[0]
    if left.form == "growth":
        now, before = values.get((metric, year)), values.get((metric, year - 1))
        return now / before - 1 if now is not None and before else None
    if left.form == "ratio":
        top, bottom = values.get((metric, year)), values.get((left.args[1], year))
        return top / bottom if top is not None and bottom else None
    return values.get((metric, year))


def _entry(rule: Rule, year: int, case, change: dict, gain: Fraction) -> WhyNot:
    test = rule.tests[0]
    operand = case.operands["o0"]
    metric = test.left.args[0]
    now = (
        f"{year}年{_words(test.left)}为{fmt_percent(operand.left)}，"
        f"{unmet(test.compare)}{_words(test.right)}{fmt_percent(operand.right)}"
    )
    now_en = (
        f"In {year} the {_words(test.left, 'en')} was {fmt_percent(operand.left)}, "
        f"{unmet(test.compare, 'en')} the {_words(test.right, 'en')} "
        f"({fmt_percent(operand.right)})"
    )
    target = change[(metric, year)]
    years = sorted(y for (_, y) in change)
    if len(change) == 1:
        how = f"{year}年{label(metric)}需为{value_words(metric, target)}"
        how_en = f"{label(metric, 'en')} of {year} needs to be {value_words(metric, target, 'en')}"
    else:
        how = (
            f"{year}年至{years[-1]}年{label(metric)}需同比例提高"
            f"（{year}年为{value_words(metric, target)}），以免后一年增速下降"
        )
        how_en = (
            f"{label(metric, 'en')} of {year} to {years[-1]} needs to rise in the same proportion "
            f"({value_words(metric, target, 'en')} in {year}), so that the next year's growth "
            "does not fall"
        )
    needs = {
        "metric": [
            {"id": m, "year": y, "value": value_text(m, v)} for (m, y), v in sorted(change.items())
        ]
    }
    reason = f"{now}；{how}，可加{fmt_points(gain)}分。"
    reason_en = f"{now_en}; {how_en}: {_points_en(gain)} more."
    return WhyNot(rule.id, rule.clause, reason, gain, needs, reason_en)


def _points_en(value: Fraction) -> str:
    return f"{fmt_points(value)} point" + ("" if value == 1 else "s")


def _years_short(rule: Rule, submission, best: Fraction) -> WhyNot:
    """The points only further assessed years could give."""
    test = rule.tests[0]
    years = submission.years
    per_year = rule.branches[0].award
    more = rule.cap - best
    count = -(-more // per_year)
    held = f"{_words(test.left)}{met(test.compare)}{_words(test.right)}"
    reason = (
        f"本申报的评估年度只有{len(years)}个（{'、'.join(f'{y}年' for y in years)}），"
        f"每个年度{held}得{fmt_points(per_year)}分，最多可得{fmt_points(best)}分；"
        f"其余{fmt_points(more)}分需要再有{count}个创建期内年度{held}，"
        "不是修改本申报的数据所能得到的。"
    )
    held_en = (
        f"the {_words(test.left, 'en')} is {met(test.compare, 'en')} the {_words(test.right, 'en')}"
    )
    reason_en = (
        f"This submission has only {len(years)} assessed years ({', '.join(map(str, years))}); "
        f"each year in which {held_en} gives {_points_en(per_year)}, so at most "
        f"{_points_en(best)}; the other {_points_en(more)} need {count} more year(s) of the "
        "creation period in which it holds, which no change to this submission's data can give."
    )
    return WhyNot(rule.id, rule.clause, reason, reason_en=reason_en)


def years_short_reasons(rule: Rule, years: int, lang: str = "zh") -> list[str]:
    """The points the rule's cap allows beyond what `years` assessed years can give."""
    per_year = rule.branches[0].award
    if rule.cap is None or per_year * years >= rule.cap:
        return []
    more = rule.cap - per_year * years
    if lang == "en":
        return [
            f"Only {years} assessed years, worth at most {fmt_points(per_year * years)} "
            f"points; the other {fmt_points(more)} need data for more years of the creation period."
        ]
    return [
        f"评估年度只有{years}个，最多可得{fmt_points(per_year * years)}分，"
        f"其余{fmt_points(more)}分需要更多创建期内年度的数据"
    ]


def _words(q: Quantity | None, lang: str = "zh") -> str:
    if q is None:
        return ""
    names = [label(a, lang) for a in q.args]
    if lang == "en":
        return {
            "growth": f"year-on-year growth of {names[0]}",
            "national_growth": f"national year-on-year growth of {names[0]}",
            "ratio": f"share of {names[0]} in {names[-1]}",
            "national_ratio": f"national share of {names[0]} in {names[-1]}",
            "reference": f"national {reference_label(q.args[0], lang)}",
        }.get(q.form, names[0])
    return {
        "growth": f"{names[0]}同比增速",
        "national_growth": f"全国{names[0]}同比增速",
        "ratio": f"{names[0]}占{names[-1]}的比重",
        "national_ratio": f"全国{names[0]}占{names[-1]}的比重",
        "reference": f"全国{reference_label(q.args[0])}",
    }.get(q.form, names[0])
