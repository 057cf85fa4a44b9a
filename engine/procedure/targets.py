"""A locality's plan targets (kb/localities/<id>.yaml `targets`) against a submission's figures:
met or not, by how much, and which indicator each feeds; a target with no metric is listed as not
measurable, with why. Exact: every figure is a Fraction from the submission.
"""

from __future__ import annotations

import operator
from fractions import Fraction

from demozone.common.errors import InputError, Problem
from demozone.common.numbers import NumberError, decimal_text, fmt_percent, parse_rate, to_fraction
from demozone.common.paths import KB_DIR
from demozone.common.yamlio import load_yaml
from demozone.kb.load import get_system
from demozone.kb.metrics import is_rate

COMPARE = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}


def locality_doc(locality: str) -> dict:
    path = KB_DIR / "localities" / f"{locality}.yaml"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in (KB_DIR / "localities").glob("*.yaml")))
        raise InputError(
            [
                Problem(
                    "",
                    "LOCALITY",
                    f"unknown locality {locality!r}",
                    f"未知地区 {locality!r}",
                    known,
                )
            ]
        )
    doc = load_yaml(path)
    if not doc.get("targets"):
        raise InputError(
            [
                Problem(
                    str(path),
                    "targets",
                    f"{locality} states no plan targets",
                    f"{doc.get('locality', locality)}的方案未列出目标",
                )
            ]
        )
    return doc


def compare_targets(locality: str, submission) -> dict:
    doc = locality_doc(locality)
    system = get_system(submission.system)
    rows = [_row(t, submission, system, _numbering(t, submission.system)) for t in doc["targets"]]
    return {
        "locality": doc["id"],
        "name": doc["locality"],
        "submission": submission.id,
        "system": submission.system,
        "year": submission.years[-1],
        "targets": rows,
        "met": sum(1 for r in rows if r["met"] is True),
        "not_met": sum(1 for r in rows if r["met"] is False),
        "not_measurable": sum(1 for r in rows if r["met"] is None),
    }


def _numbering(target: dict, system_id: str) -> str:
    """The key of a target's indicator numbers under a system: `indicators_<system id without its
    "national-" prefix, "-" read as "_">` where the locality file has one, else `indicators`
    (the 2022 trial's numbering)."""
    key = "indicators_" + system_id.removeprefix("national-").replace("-", "_")
    return key if key in target else "indicators"


def _row(target: dict, submission, system, key: str) -> dict:
    numbers = [str(n) for n in target.get(key) or []]
    indicators = []
    for number in numbers:
        found = system.indicator(number) if system is not None else None
        indicators.append({"number": number, "label": found.label if found else None})
    row = {
        "id": target["id"],
        "text": target["text"],
        "operator": target["operator"],
        "target": target.get("value"),
        "indicators": indicators,
    }
    actual, why = _actual(target, submission)
    bound, why_bound = _bound(target, submission) if actual is not None else (None, None)
    if actual is None or bound is None:
        return row | {"met": None, "actual": None, "difference": None, "why": why or why_bound}
    rate = target.get("unit") == "%" or bool(target.get("ratio"))
    shown = (lambda v: fmt_percent(v)) if rate else decimal_text
    difference = actual - bound
    return row | {
        "met": COMPARE[target["operator"]](actual, bound),
        "actual": shown(actual),
        "bound": shown(bound),
        "difference": (
            f"{decimal_text(difference * 100)} 个百分点" if rate else decimal_text(difference)
        ),
        "difference_exact": str(difference),
        "why": None,
    }


def _actual(target: dict, submission) -> tuple[Fraction | None, str | None]:
    year = submission.years[-1]
    if target.get("metric"):
        found = submission.metrics.get((target["metric"], year))
        if found is None:
            return None, f"the submission has no {target['metric']} for {year}"
        return found.value, None
    if target.get("ratio"):
        top, bottom = target["ratio"]
        a, b = submission.metrics.get((top, year)), submission.metrics.get((bottom, year))
        if a is None or b is None or b.value == 0:
            return None, f"the submission lacks {top} or {bottom} for {year}"
        return a.value / b.value, None
    note = target.get("note")
    return None, "no metric measures it" + (f": {note}" if note else "")


def _bound(target: dict, submission) -> tuple[Fraction | None, str | None]:
    if target.get("comparator") == "national":
        ref = f"national_{target['metric']}" if target.get("metric") else None
        refs = submission.references
        found = refs.get((ref, submission.years[-1])) or refs.get((ref, None)) if ref else None
        if found is None:
            return None, f"the national comparator ({ref}) is not in the submission's references"
        return found.value, None
    value = target.get("value")
    try:
        text = str(value)
        if text.endswith("%"):
            return parse_rate(text), None
        number = to_fraction(text)
        metric = target.get("metric")
        return (number / 100 if metric and is_rate(metric) and number > 1 else number), None
    except NumberError:
        return None, f"the target value {value!r} is not a number"


def targets_text(shaped: dict, lang: str = "zh") -> str:
    """The targets as lines of text; `lang` "en" for English only (the targets' own words stay
    as the plan writes them)."""
    if lang == "en":
        return _targets_text_en(shaped)
    lines = [
        f"{shaped['name']} targets vs {shaped['submission']} ({shaped['system']}, {shaped['year']}): "
        f"{shaped['met']} met, {shaped['not_met']} not met, {shaped['not_measurable']} not measurable"
    ]
    for row in shaped["targets"]:
        feeds = "、".join(f"指标{i['number']}" for i in row["indicators"]) or "无对应指标"
        if row["met"] is None:
            lines.append(
                f"  {row['id']} 无法衡量/not measurable — {row['text']} [{feeds}]: {row['why']}"
            )
        else:
            state = "达成/met" if row["met"] else "未达成/not met"
            lines.append(
                f"  {row['id']} {state} {row['actual']} {row['operator']} {row['bound']} "
                f"(差 {row['difference']}) — {row['text']} [{feeds}]"
            )
    return "\n".join(lines)


_OPERATOR_WORDS = {">": "above", ">=": "at least", "<": "below", "<=": "at most", "=": "equal to"}


def _targets_text_en(shaped: dict) -> str:
    lines = [
        f"{shaped['name']} targets vs {shaped['submission']} ({shaped['system']}, {shaped['year']}): "
        f"{shaped['met']} met, {shaped['not_met']} not met, {shaped['not_measurable']} not measurable"
    ]
    for row in shaped["targets"]:
        feeds = ", ".join(f"indicator {i['number']}" for i in row["indicators"]) or "no indicator"
        if row["met"] is None:
            lines.append(f"  {row['id']} not measurable — {row['text']} [{feeds}]: {row['why']}")
            continue
        state = "met" if row["met"] else "not met"
        wanted = _OPERATOR_WORDS.get(row["operator"], row["operator"])
        difference = str(row["difference"]).replace(" 个百分点", " percentage points")
        lines.append(
            f"  {row['id']} {state}: {row['actual']}, {wanted} {row['bound']} wanted "
            f"(difference {difference}) — {row['text']} [{feeds}]"
        )
    return "\n".join(lines)
