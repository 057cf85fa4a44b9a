"""Score a submission: fire the rules, then add up rules -> clauses -> indicators -> levels -> total
and apply the pass rule.

The knowledge base supplies the hierarchy and the labels (the system's own numbering); the rule
set supplies how each indicator scores. Missing facts give 0 with the missing fact named.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from demozone.rules.model import IndicatorRules, Rule, RuleSet
from demozone.scoring import direct
from demozone.scoring.derive import Case, Derivation
from demozone.scoring.outcome import (
    ClauseScore,
    Firing,
    IndicatorScore,
    LevelScore,
    RuleOutcome,
    ScoreResult,
)
from demozone.scoring.reasons import cap_reason, pass_reasons, rule_reasons

ENGINES = ("rete", "direct")


def fire(
    rule_set: RuleSet, submission, engine: str = "rete"
) -> tuple[dict[str, list[Case]], list[Firing]]:
    """Every rule's cases and every firing, by the durable-rules engine or by direct evaluation."""
    derivation = Derivation(submission)
    if engine == "rete":
        from demozone.scoring.compile import (
            compiled,  # durable-rules loads only when the engine is used
        )

        return compiled(rule_set).run(derivation)
    if engine == "direct":
        cases = {rule.id: derivation.cases(rule) for rule in rule_set.rules()}
        firings = [f for rule in rule_set.rules() for f in direct.fire(rule, cases[rule.id])]
        return cases, firings
    raise ValueError(f"unknown engine {engine!r}; one of {ENGINES}")


def score(rule_set: RuleSet, system, submission, engine: str = "rete") -> ScoreResult:
    """Score one validated submission under a rule set and its knowledge-base system."""
    cases, firings = fire(rule_set, submission, engine)
    by_rule: dict[str, list[Firing]] = {}
    for firing in sorted(firings, key=lambda f: (f.rule_id, f.case_key, f.branch)):
        by_rule.setdefault(firing.rule_id, []).append(firing)
    infos = {info.number: info for info in system.indicators}
    indicators = [
        _indicator(entry, infos[entry.number], cases, by_rule) for entry in rule_set.indicators
    ]
    first, second = _levels(system, indicators)
    total = exact_sum(i.score for i in indicators)
    passed, reasons = pass_verdict(rule_set, total, first)
    return ScoreResult(
        submission_id=submission.id,
        region=submission.region,
        system=submission.system,
        rule_set=rule_set.system,
        rule_files=rule_set.files,
        indicators=indicators,
        first_level=first,
        second_level=second,
        total=total,
        max_total=exact_sum(i.points for i in indicators),
        passed=passed,
        pass_reasons=reasons,
        engine=engine,
        pass_reasons_en=pass_verdict(rule_set, total, first, "en", system)[1],
        rule_file_hashes=rule_set.file_hashes,
        unfixed=tuple((u.entry, u.reason) for u in rule_set.unfixed),
    )


def exact_sum(values: Iterable[Fraction]) -> Fraction:
    """The exact sum of fractions; whole numbers (most points) are added as ints, which is the
    same sum without building a Fraction per step."""
    whole, rest = 0, []
    for value in values:
        if value.denominator == 1:
            whole += value.numerator
        else:
            rest.append(value)
    return sum(rest, Fraction(whole)) if rest else Fraction(whole)


def rule_outcome(rule: Rule, cases: list[Case], firings: list[Firing]) -> RuleOutcome:
    """A rule's score from its firings: summed and capped, or the tier the count reaches."""
    raw = exact_sum(f.award for f in firings)
    if rule.tiers:
        count = len(firings)
        score = max((t.points for t in rule.tiers if count >= t.at_least), default=Fraction(0))
    else:
        score = min(raw, rule.cap) if rule.cap is not None else raw
    outcome = RuleOutcome(rule, cases, firings, raw, score)
    outcome.reasons = rule_reasons(outcome)
    return outcome


def _indicator(entry: IndicatorRules, info, cases, by_rule) -> IndicatorScore:
    outcomes = [rule_outcome(r, cases.get(r.id, []), by_rule.get(r.id, [])) for r in entry.rules]
    raw = exact_sum(o.score for o in outcomes)
    score = min(raw, entry.points)
    # Reasons explain a shortfall; at full marks the unused alternatives are no reason for anything.
    reasons = [reason for o in outcomes for reason in o.reasons] if score < entry.points else []
    if raw > entry.points:
        reasons.append(cap_reason(raw, entry.points))
    return IndicatorScore(
        number=entry.number,
        label=info.label,
        points=entry.points,
        score=score,
        first_level=info.first_level,
        second_level=getattr(info, "second_level", None),
        rules=outcomes,
        clauses=_clauses(info, outcomes),
        reasons=reasons,
        base=entry.base,
    )


def _clauses(info, outcomes: list[RuleOutcome]) -> list[ClauseScore]:
    result = []
    for clause in info.clauses:
        parts, rule_ids = [], []
        for outcome in outcomes:
            if clause.id not in outcome.rule.implements():
                continue
            rule_ids.append(outcome.rule.id)
            if outcome.rule.clauses:  # any_judged: this clause's own firing
                parts += [f.award for f in outcome.firings if f.case_key == clause.id]
            else:
                parts.append(outcome.score)
        points = Fraction(clause.points) if clause.points is not None else None
        result.append(ClauseScore(clause.id, clause.text, points, exact_sum(parts), rule_ids))
    return result


def _levels(system, indicators: list[IndicatorScore]) -> tuple[list[LevelScore], list[LevelScore]]:
    first, second = [], []
    for level in system.first_level:
        members = [i for i in indicators if i.first_level == level.id]
        first.append(
            LevelScore(
                level.id,
                level.number,
                level.label,
                Fraction(level.points),
                exact_sum(i.score for i in members),
            )
        )
        for sub in getattr(level, "second_level", ()) or ():
            sub_members = [i for i in members if i.second_level == sub.id]
            second.append(
                LevelScore(
                    sub.id,
                    level.number,
                    sub.label,
                    Fraction(sub.points),
                    exact_sum(i.score for i in sub_members),
                )
            )
    return first, second


def pass_verdict(
    rule_set: RuleSet, total: Fraction, first: list[LevelScore], lang: str = "zh", system=None
) -> tuple[bool, list[str]]:
    """Whether scores pass the rule set's pass rule, and a reason for every shortfall (in
    `lang`; English names the first levels by the `system`'s English labels)."""
    rule = rule_set.pass_rule
    names = {}
    if lang == "en" and system is not None:
        names = {level.id: level.label_en or level.label for level in system.first_level}
    levels = [(level, names.get(level.id, level.label)) for level in first]
    reasons = pass_reasons(total, rule.total_at_least, levels, rule.first_level_rate_at_least, lang)
    return not reasons, reasons
