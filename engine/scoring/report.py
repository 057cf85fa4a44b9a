"""A score result for people (a table with Chinese labels) and for machines (JSON)."""

from __future__ import annotations

from fractions import Fraction

from demozone.common.numbers import fmt_percent, fmt_points
from demozone.kb import load as kb
from demozone.scoring.outcome import IndicatorScore, ScoreResult
from demozone.scoring.reasons import indicator_reasons


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


_TABLE_WORDS = {
    "zh": {
        "system": "评估指标体系",
        "rules": "计分规则",
        "total": "总分{total}分（满分{max}分），{verdict}",
        "passed": "合格",
        "failed": "不合格",
        "levels": "{first}{pad}分值    得分    得分率",
        "sheet": "序号  {name}{pad}得分/分值  扣分原因",
        "assessment": "评估记录",
        "indicator": "指标",
    },
    "en": {
        "system": "Indicator system",
        "rules": "rules",
        "total": "Total {total} of {max} points: {verdict}",
        "passed": "pass",
        "failed": "fail",
        "levels": "{first}{pad}points   score      rate",
        "sheet": " No.  {name}{pad}score/pts  reasons for lost points",
        "assessment": "assessment",
        "indicator": "Indicator",
    },
}


def result_table(result: ScoreResult, assessment: str | None = None, lang: str = "zh") -> str:
    """A readable 评分表: the verdict, first-level scores, then every indicator with its
    reasons, the columns named by the system's own level names, in `lang` ("zh" or "en")."""
    words = _TABLE_WORDS["en" if lang == "en" else "zh"]
    system = kb.get_system(result.system)
    names = system.level_names(lang) if system is not None else (words["indicator"],)
    levels = system.first_level if system is not None else ()
    level_labels = {lv.id: (lv.label_en or lv.label) if lang == "en" else lv.label for lv in levels}
    verdict = words["passed"] if result.passed else words["failed"]
    rules = "" if result.rule_set == result.system else f"  {words['rules']} {result.rule_set}"
    lines = [
        f"{result.region}（{result.submission_id}）",
        f"{words['system']}{_colon(lang)}{_title(system, lang)}{_bracketed(result.system, lang)}{rules}",
        words["total"].format(
            total=fmt_points(result.total), max=fmt_points(result.max_total), verdict=verdict
        ),
    ]
    reasons = result.pass_reasons_en if lang == "en" else result.pass_reasons
    lines += [f"  · {reason}" for reason in reasons]
    lines.append("")
    lines.append(
        words["levels"].format(first=names[0], pad=" " * max(24 - display_width(names[0]), 1))
    )
    for level in result.first_level:
        lines.append(
            f"  {pad(level_labels.get(level.id, level.label), 22)}{fmt_points(level.points):>6}  "
            f"{fmt_points(level.score):>6}  {fmt_percent(level.rate):>8}"
        )
    lines.append("")
    name = names[-1]
    lines.append(words["sheet"].format(name=name, pad=" " * max(48 - display_width(name), 1)))
    for indicator in result.indicators:
        label = _indicator_label(system, indicator, lang)
        text = _joined(indicator_reasons(indicator, lang), lang)
        lines.append(
            f"{indicator.number:>4}  {pad(label, 46)}"
            f"{fmt_points(indicator.score):>4}/{fmt_points(indicator.points):<4}   {text}"
        )
    if assessment:
        lines += ["", f"{words['assessment']}: {assessment}"]
    return "\n".join(lines)


def _colon(lang: str) -> str:
    return ": " if lang == "en" else "："


def _bracketed(text: str, lang: str) -> str:
    return f" ({text})" if lang == "en" else f"（{text}）"


def _title(system, lang: str) -> str:
    if system is None:
        return ""
    return (system.title_en or system.title) if lang == "en" else system.title


def _indicator_label(system, indicator: IndicatorScore, lang: str) -> str:
    if lang != "en" or system is None:
        return indicator.label
    info = system.indicator(indicator.number)
    return (info.label_en if info is not None and info.label_en else "") or indicator.label


def _joined(reasons: list[str], lang: str) -> str:
    """An indicator's reasons in one cell: sentences one after the other."""
    return (" " if lang == "en" else "").join(reasons)


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
