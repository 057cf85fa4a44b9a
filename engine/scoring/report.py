"""A score result for people (a table with Chinese labels) and for machines (JSON)."""

from __future__ import annotations

from fractions import Fraction

from demozone.common.numbers import fmt_percent, fmt_points
from demozone.scoring.outcome import IndicatorScore, ScoreResult


def points_json(value: Fraction) -> int | float | str:
    """Points as a JSON number where the decimal is exact (halves, quarters), else as text."""
    if value.denominator == 1:
        return value.numerator
    if 10**6 % value.denominator == 0:
        return float(value)  # a finite decimal with at most six places: the float prints it exactly
    return f"{value.numerator}/{value.denominator}"


def result_json(result: ScoreResult, assessment: str | None = None) -> dict:
    """The --json shape of `demozone score`."""
    return {
        "submission": result.submission_id,
        "region": result.region,
        "system": result.system,
        "rule_set": result.rule_set,
        "engine": result.engine,
        "total": points_json(result.total),
        "max_total": points_json(result.max_total),
        "passed": result.passed,
        "pass_reasons": result.pass_reasons,
        "first_level": [
            {
                "id": level.id,
                "number": level.number,
                "label": level.label,
                "score": points_json(level.score),
                "max": points_json(level.points),
                "rate": fmt_percent(level.rate),
            }
            for level in result.first_level
        ],
        "second_level": [
            {
                "id": level.id,
                "label": level.label,
                "score": points_json(level.score),
                "max": points_json(level.points),
            }
            for level in result.second_level
        ],
        "indicators": [_indicator_json(i) for i in result.indicators],
        "assessment": assessment,
    }


def _indicator_json(indicator: IndicatorScore) -> dict:
    return {
        "number": indicator.number,
        "label": indicator.label,
        "score": points_json(indicator.score),
        "max": points_json(indicator.points),
        "first_level": indicator.first_level,
        "base_number": indicator.base,
        "rules": [
            {
                "id": o.rule.id,
                "kind": o.rule.kind,
                "score": points_json(o.score),
                "missing": o.missing,
            }
            for o in indicator.rules
        ],
        "clauses": [
            {
                "id": c.id,
                "score": points_json(c.score),
                "max": points_json(c.points) if c.points is not None else None,
                "rules": c.rules,
            }
            for c in indicator.clauses
        ],
        "reasons": indicator.reasons,
    }


def result_table(result: ScoreResult, assessment: str | None = None) -> str:
    """A readable table: the verdict, first-level scores, then every indicator."""
    verdict = "合格 PASS" if result.passed else "不合格 FAIL"
    rules = "" if result.rule_set == result.system else f"  计分规则 {result.rule_set}"
    lines = [
        f"{result.region}（{result.submission_id}） 指标体系 {result.system}{rules}",
        f"总分 {fmt_points(result.total)} / {fmt_points(result.max_total)}    {verdict}",
    ]
    lines += [f"  · {reason}" for reason in result.pass_reasons]
    lines.append("")
    lines.append("一级指标                得分      满分    得分率")
    for level in result.first_level:
        lines.append(
            f"  {pad(level.label, 20)}{fmt_points(level.score):>6}  {fmt_points(level.points):>6}  "
            f"{fmt_percent(level.rate):>8}"
        )
    lines.append("")
    lines.append("编号  三级指标                                        得分/满分   原因")
    for indicator in result.indicators:
        reason = indicator.reasons[0] if indicator.reasons else ""
        more = f" (+{len(indicator.reasons) - 1})" if len(indicator.reasons) > 1 else ""
        lines.append(
            f"{indicator.number:>4}  {pad(indicator.label, 46)}"
            f"{fmt_points(indicator.score):>4}/{fmt_points(indicator.points):<4}  {reason}{more}"
        )
    if assessment:
        lines += ["", f"评估记录 assessment: {assessment}"]
    return "\n".join(lines)


def display_width(text: str) -> int:
    """Columns a text takes in a terminal: CJK characters take two."""
    return sum(_char_width(ch) for ch in text)


def _char_width(ch: str) -> int:
    return 2 if ord(ch) > 0x2E80 else 1


def pad(text: str, width: int) -> str:
    """Pad to a display width where CJK characters take two columns."""
    shown = display_width(text)
    if shown > width:
        cut, used = [], 0
        for ch in text:
            w = _char_width(ch)
            if used + w > width - 1:
                break
            cut.append(ch)
            used += w
        return "".join(cut) + "…" + " " * (width - used - 1)
    return text + " " * (width - shown)
