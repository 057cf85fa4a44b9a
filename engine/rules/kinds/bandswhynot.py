"""Why-not for ratio_bands: the band the ratio could reach next, and the numerator that
reaches it with the denominator unchanged (the ratio in the last assessed year)."""

from __future__ import annotations

from fractions import Fraction

from demozone.common.numbers import fmt_decimal, fmt_percent, fmt_points
from demozone.rules.kinds.whynot import (
    WhyNot,
    figure,
    label,
    meeting,
    metric_change,
    value_words,
)
from demozone.rules.model import Band


def bands_why_not(outcome, submission, best: Fraction) -> list[WhyNot]:
    rule = outcome.rule
    if outcome.score >= best:
        return []
    top, bottom = rule.ratio.args
    year = submission.years[-1]
    below, above = figure(submission, bottom, year), figure(submission, top, year)
    name = f"{label(top)}占{label(bottom)}的比重"
    name_en = f"share of {label(top, 'en')} in {label(bottom, 'en')}"
    if not below:
        reason = f"未填报{year}年{label(bottom)}（或为0），无法计算{name}；补报后按实际数据计分。"
        reason_en = (
            f"{label(bottom, 'en')} of {year} not reported (or 0): the {name_en} cannot be "
            "computed; once reported, it is scored on the actual figures."
        )
        return [WhyNot(rule.id, rule.clause, reason, reason_en=reason_en)]
    ratio = above / below if above is not None else None
    for band in sorted(_higher(rule.bands, outcome.score), key=lambda b: b.lower or 0):
        needed = _numerator(band, below, top)
        if needed is None or (ratio is not None and needed <= above):
            continue
        return [_entry(rule, year, name, ratio, band, needed, above, top, bottom, outcome.score)]
    reason = f"{name}在任何取值下都无法进入更高的分档。"
    reason_en = f"No value brings the {name_en} into a higher band."
    return [WhyNot(rule.id, rule.clause, reason, reason_en=reason_en)]


def _higher(bands: tuple[Band, ...], score: Fraction) -> list[Band]:
    return [b for b in bands if b.points > score]


def _numerator(band: Band, below: Fraction, top: str) -> Fraction | None:
    """The smallest numerator whose ratio to `below` lies in `band`."""
    if band.lower is None:
        value = Fraction(0)
    else:
        value = meeting(">=" if band.lower_inclusive else ">", band.lower * below, top)
    if value is None or not _inside(band, value / below):
        return None
    return value


def _inside(band: Band, ratio: Fraction) -> bool:
    if band.lower is not None and (
        ratio < band.lower or (ratio == band.lower and not band.lower_inclusive)
    ):
        return False
    return (
        band.upper is None or ratio < band.upper or (ratio == band.upper and band.upper_inclusive)
    )


def _entry(rule, year, name, ratio, band, needed, above, top, bottom, score) -> WhyNot:
    gain = band.points - score
    lower = fmt_percent(band.lower, 0) if band.lower is not None else "0%"
    if ratio is None:
        now = f"未填报{year}年{label(top)}"
        more = ""
    else:
        gap = fmt_decimal(((band.lower or 0) - ratio) * 100, 2)
        gap = "不到0.01" if gap == "0.00" else gap
        now = f"{name}为{fmt_percent(ratio)}，距{lower}档（{fmt_points(band.points)}分）还差{gap}个百分点"
        more = f"（新增{value_words(top, needed - above)}）"
    reason = (
        f"{now}；{label(bottom)}不变时{label(top)}需达到{value_words(top, needed)}{more}，"
        f"可加{fmt_points(gain)}分。"
    )
    reason_en = _entry_en(year, ratio, band, needed, above, top, bottom, gain)
    return WhyNot(rule.id, rule.clause, reason, gain, metric_change(top, year, needed), reason_en)


def _entry_en(year, ratio, band, needed, above, top, bottom, gain) -> str:
    lower = fmt_percent(band.lower, 0) if band.lower is not None else "0%"
    name = f"share of {label(top, 'en')} in {label(bottom, 'en')}"
    band_points = f"{fmt_points(band.points)} point" + ("" if band.points == 1 else "s")
    if ratio is None:
        now, more = f"{label(top, 'en')} of {year} not reported", ""
    else:
        gap = fmt_decimal(((band.lower or 0) - ratio) * 100, 2)
        gap = "less than 0.01" if gap == "0.00" else gap
        now = (
            f"The {name} is {fmt_percent(ratio)}, {gap} percentage points short of the "
            f"{lower} band ({band_points})"
        )
        more = f" ({value_words(top, needed - above, 'en')} more)"
    gained = f"{fmt_points(gain)} point" + ("" if gain == 1 else "s")
    text = (
        f"{now}; with {label(bottom, 'en')} unchanged, {label(top, 'en')} needs to reach "
        f"{value_words(top, needed, 'en')}{more}: {gained} more."
    )
    return text[:1].upper() + text[1:]
