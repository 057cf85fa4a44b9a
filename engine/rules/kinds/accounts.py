"""How a rule of the test, band and judgment kinds scored, in sentences: the account `explain`
prints case by case, and the reasons (扣分原因) a score result carries for a rule below its
maximum. Written as an evaluation report is written (report-style.md), in Chinese or English,
from the words of `wording`: values with units, thresholds and bands in words, assessors'
verdicts by name; no operators, booleans or ids.

They read a rule's outcome (`demozone.scoring.outcome.RuleOutcome`) and its cases by their
public names; this layer imports nothing of scoring.
"""

from __future__ import annotations

from fractions import Fraction

from demozone.common.numbers import fmt_percent
from demozone.kb.metrics import metric_vocabulary
from demozone.rules.kinds import wording as w
from demozone.rules.kinds.reasonwords import holds
from demozone.rules.model import Quantity, Test

_PER_YEAR_FORMS = ("growth", "national_growth", "ratio", "national_ratio")


# -- one test -------------------------------------------------------------------------------
def _dated(q: Quantity, year, lang: str) -> str:
    """A quantity with its year where its value belongs to one: 2023年网上零售额同比增速."""
    metric = metric_vocabulary().get(q.args[0]) if q.form == "metric" else None
    dated = q.form in _PER_YEAR_FORMS or (metric is not None and metric.per_year)
    name = w.quantity_name(q, lang)
    if not dated or year is None:
        return name
    return w.say(f"{year}年{name}", f"{name} in {year}", lang)


def test_words(test: Test, operand, year, lang: str) -> str:
    """One test with its values: 网络消费(网购)投诉按时初查率为99.40%，超过99% /
    2023年…同比增速为5.40%，低于同期社会消费品零售总额同比增速（6.74%）."""
    if test.left.form == "judged":
        clause = test.left.args[0]
        if operand.value > 0:
            return w.say(
                f"条款{clause}经专家组过半数认定满足",
                f"clause {clause} was judged satisfied by a majority of the assessors",
                lang,
            )
        return w.say(
            f"条款{clause}未获专家组过半数认定满足",
            f"clause {clause} was not judged satisfied by a majority of the assessors",
            lang,
        )
    name, left = _dated(test.left, year, lang), w.value(test.left, operand.left, lang)
    if test.right is None:
        target = w.threshold(test.left, test.constant, lang)
        rel = w.relation(operand.left, test.constant, lang)
        return w.say(f"{name}为{left}，{rel}{target}", f"{name} was {left}, {rel} {target}", lang)
    other = w.quantity_name(test.right, lang)
    right = w.value(test.right, operand.right, lang)
    rel = w.relation(operand.left, operand.right, lang, named=other)
    same = "同期" if year is not None and test.right.form in _PER_YEAR_FORMS else ""
    return w.say(
        f"{name}为{left}，{rel}{same}{other}（{right}）",
        f"{name} was {left}, {rel} the {other} ({right})",
        lang,
    )


def _test_holds(test: Test, operand) -> bool:
    target = test.constant if test.right is None else Fraction(0)
    return holds(operand.value, test.compare, target)


def _case_parts(case, lang: str, *, failing_only: bool = False) -> list[str]:
    parts = []
    for i, test in enumerate(case.tests):
        operand = case.operands.get(f"o{i}")
        if operand is None or (failing_only and _test_holds(test, operand)):
            continue
        parts.append(test_words(test, operand, case.year, lang))
    return parts


def _award(outcome, case) -> Fraction:
    return sum((f.award for f in outcome.firings if f.case_key == case.key), Fraction(0))


# -- tests: conditions and yearly comparisons -----------------------------------------------
def test_account(outcome, lang: str) -> list[str]:
    """A sentence per case: the tests with their values, then what the case scored."""
    lines = []
    per_year = outcome.rule.per_year
    for case in outcome.cases:
        if not case.complete:
            continue
        award = _award(outcome, case)
        parts = _case_parts(case, lang)
        if per_year:
            end = w.say(
                f"该年{w.scored(award, lang)}", f"{w.points(award, lang)} for {case.year}", lang
            )
        elif len(parts) > 1:
            end = (
                w.say(
                    f"各项条件均满足，{w.scored(award, lang)}",
                    f"all conditions met: {w.points(award, lang)}",
                    lang,
                )
                if award
                else w.say("未满足全部条件，不得分", "not every condition met: no points", lang)
            )
        else:
            end = w.scored(award, lang)
        lines.append(w.stop(w.then(parts, end, lang), lang))
    lines += _total_line(outcome, lang)
    return lines


def test_reasons(outcome, lang: str) -> list[str]:
    """For each complete case that scored nothing: the tests it failed, and 不得分."""
    fired = {f.case_key for f in outcome.firings}
    reasons = []
    for case in outcome.cases:
        if not case.complete or case.key in fired:
            continue
        parts = _case_parts(case, lang, failing_only=True) or _case_parts(case, lang)
        end = (
            w.say("该年不得分", f"no points for {case.year}", lang)
            if outcome.rule.per_year
            else w.scored(Fraction(0), lang)
        )
        reasons.append(w.stop(w.then(parts, end, lang), lang))
    return reasons


def _total_line(outcome, lang: str) -> list[str]:
    """The sum of several cases, and the cap when it applied."""
    rule = outcome.rule
    if len(outcome.cases) < 2 and (rule.cap is None or outcome.raw <= rule.cap):
        return []
    if rule.cap is not None and outcome.raw > rule.cap:
        return [
            w.say(
                f"合计{w.points(outcome.raw, lang)}，本项最高{w.points(rule.cap, lang)}，计{w.points(outcome.score, lang)}。",
                f"Together {w.points(outcome.raw, lang)}; at most {w.points(rule.cap, lang)} here: {w.points(outcome.score, lang)}.",
                lang,
            )
        ]
    most = (
        w.say(f"（最高{w.points(rule.cap, lang)}）", f" (at most {w.points(rule.cap, lang)})", lang)
        if rule.cap is not None
        else ""
    )
    return [
        w.say(
            f"合计{w.points(outcome.score, lang)}{most}。",
            f"Together {w.points(outcome.score, lang)}{most}.",
            lang,
        )
    ]


# -- ratio bands ----------------------------------------------------------------------------
def _ratio_sentence(outcome, lang: str) -> str | None:
    case = outcome.cases[0] if outcome.cases else None
    if case is None or not case.complete or "o0" not in case.operands:
        return None
    ratio = outcome.rule.ratio
    name = _dated(ratio, case.year, lang)
    figures = [
        w.metric_value(f.fact_id.parts[0], f.value, lang)
        for f in case.inputs
        if f.fact_id.kind == "metric"
    ]
    shown = fmt_percent(case.operands["o0"].value)
    detail = (
        w.say(f"（{'/'.join(figures)}）", f" ({' / '.join(figures)})", lang)
        if len(figures) == 2
        else ""
    )
    return w.say(f"{name}为{shown}{detail}", f"The {name} was {shown}{detail}", lang)


def band_account(outcome, lang: str) -> list[str]:
    """The ratio with its figures, the band it falls in and its points; the top band."""
    sentence = _ratio_sentence(outcome, lang)
    if sentence is None:
        return []
    rule = outcome.rule
    fired = {f.branch for f in outcome.firings}
    band = next(
        (b for br, b in zip(rule.branches, rule.bands, strict=True) if br.name in fired), None
    )
    top = max(rule.bands, key=lambda b: b.points)
    if band is None:
        where = w.say("不在任何计分档内，不得分", "in no band that scores: no points", lang)
    else:
        where = w.say(
            f"{w.band_words(band, lang)}，计{w.points(band.points, lang)}",
            f"{w.band_words(band, lang)}: {w.points(band.points, lang)}",
            lang,
        )
    parts = [sentence, where]
    if band is not top:
        parts.append(
            w.say(
                f"最高档为{w.band_words(top, lang)}，计{w.points(top.points, lang)}",
                f"the top band is {w.band_words(top, lang)}: {w.points(top.points, lang)}",
                lang,
            )
        )
    return [w.stop(w.sentences(parts, lang) if lang == "en" else "，".join(parts), lang)]


def band_reasons(outcome, lang: str) -> list[str]:
    """The ratio, the next band up it falls short of, and the band it scored in."""
    sentence = _ratio_sentence(outcome, lang)
    rule = outcome.rule
    top = max(b.points for b in rule.bands)
    if sentence is None or outcome.score >= top:
        return []
    ratio = outcome.cases[0].operands["o0"].value
    higher = [
        b
        for b in rule.bands
        if b.lower is not None and b.lower > ratio and b.points > outcome.score
    ]
    parts = [sentence]
    if higher:
        nxt = min(higher, key=lambda b: b.lower)
        parts.append(
            w.say(f"未达到{w.fmt_rate(nxt.lower)}", f"short of {w.fmt_rate(nxt.lower)}", lang)
        )
    fired = {f.branch for f in outcome.firings}
    band = next(
        (b for br, b in zip(rule.branches, rule.bands, strict=True) if br.name in fired), None
    )
    if band is None:
        parts.append(w.say("不在任何计分档内，不得分", "in no band that scores: no points", lang))
    else:
        parts.append(
            w.say(
                f"按{w.band_span(band, lang)}档计{w.points(band.points, lang)}（最高{w.points(top, lang)}）",
                f"scored in the band {w.band_span(band, lang)}: {w.points(band.points, lang)} (at most {w.points(top, lang)})",
                lang,
            )
        )
    return [w.stop(("，" if lang != "en" else ", ").join(parts), lang)]


# -- judgments ------------------------------------------------------------------------------
def _judgments(case) -> list:
    return [f for f in case.inputs if f.fact_id.kind == "judgment"]


def panel_words(case, award: Fraction, lang: str, *, names: bool) -> str:
    """The assessors' verdicts on one clause and what they give: expert-chen认定满足，expert-zhou
    认定不满足；专家意见不一致（1:1），未过半数，不得分."""
    judgments = _judgments(case)
    yes = sum(1 for f in judgments if f.value is True)
    no = len(judgments) - yes
    parts = []
    if names:
        parts.append(
            ("，" if lang != "en" else ", ").join(
                w.assessor(f.assessor_name or f.assessor, f.value is True, lang) for f in judgments
            )
        )
    if yes and no:
        panel = w.say(f"专家意见不一致（{yes}:{no}）", f"the assessors disagree ({yes}:{no})", lang)
    elif yes:
        panel = w.say(
            f"专家组{yes}人均认定满足", f"{_all(yes)} assessors judged it satisfied", lang
        )
    else:
        panel = w.say(
            f"专家组{no}人均认定不满足", f"{_all(no)} assessors judged it not satisfied", lang
        )
    if not names and yes and no:
        panel = w.say(
            f"专家组{len(judgments)}人中{yes}人认定满足",
            f"{yes} of {len(judgments)} assessors judged it satisfied",
            lang,
        )
    majority = yes > no
    tail = [panel]
    if yes and no:
        tail.append(
            w.say(
                "过半数认定满足" if majority else "未过半数",
                "a majority" if majority else "no majority",
                lang,
            )
        )
    tail.append(w.scored(award, lang))
    joined = ("，" if lang != "en" else ", ").join(tail)
    return w.sentences([*parts, joined], lang) if names else joined


def clause_of(case) -> str:
    test = case.tests[0] if case.tests else None
    return test.left.args[0] if test is not None and test.left.form == "judged" else case.key


def judged_account(outcome, lang: str) -> list[str]:
    """A sentence per clause: who judged what, the majority, the points."""
    lines = []
    for case in outcome.cases:
        clause = clause_of(case)
        head = w.say(f"条款{clause}：", f"Clause {clause}: ", lang)
        if not case.complete:
            lines.append(
                head
                + w.stop(
                    w.say("无专家评审意见，不得分", "no assessor judged it: no points", lang), lang
                )
            )
            continue
        lines.append(
            head + w.stop(panel_words(case, _award(outcome, case), lang, names=True), lang)
        )
    return lines


def judged_reasons(outcome, lang: str) -> list[str]:
    """For a judged rule that gave nothing: the panel on its clause (missing judgments are
    said by scoring's reasons for missing facts)."""
    if outcome.firings:
        return []
    return [
        w.stop(
            w.say(f"条款{clause_of(case)}", f"Clause {clause_of(case)}: ", lang)
            + panel_words(case, Fraction(0), lang, names=False),
            lang,
        )
        for case in outcome.cases
        if case.complete
    ]


def any_judged_reasons(outcome, lang: str) -> list[str]:
    """None of the clauses carried a majority: say so once, naming the clauses."""
    if outcome.firings:
        return []
    clauses = w.joined(list(outcome.rule.clauses), lang)
    return [
        w.say(
            f"条款{clauses}均未获专家组过半数认定满足，不得分。",
            f"None of clauses {clauses} was judged satisfied by a majority of the assessors: no points.",
            lang,
        )
    ]


def _all(n: int) -> str:
    return "both" if n == 2 else f"all {n}" if n > 2 else "the one"
