"""Why a score is what it is: the derivation of an indicator's score as a tree of plain values.

`explain_indicator` walks a score result back to the rule files, the clause text in its source
document, the facts with their origins, the evidence with hashes and the assessors' judgments.
`why_not` says, for an indicator below its maximum, the points reachable with the submission's
years and data and, from each rule's kind, the smallest change that adds points and how many
(docs/why-not.md). Renderers (text, JSON) only format these trees.

`explain_reference` explains what the user named: a submission file (scored now, nothing
written) or an assessment in the store. The store keeps the submission's sha256 and the scores,
not the file, nor the arithmetic and why-not distances a tree holds: so a stored assessment is
explained by re-scoring its submission file with the assessment's rule set, once the file's
sha256 and the re-scored indicator scores are checked against the stored ones
(`assessments.rescore`); the trees then equal those of the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from demozone.assessment.assess import Assessment, assess
from demozone.assessment.resolve import is_submission_file, rescore, resolve_record
from demozone.common.errors import InputError, Problem
from demozone.common.numbers import fmt_points
from demozone.explain import words
from demozone.kb import load as kb
from demozone.kb.citation import cite
from demozone.rules import kinds
from demozone.rules.kinds.reasonwords import show
from demozone.scoring.derive import Case, FactUse
from demozone.scoring.outcome import IndicatorScore, RuleOutcome, ScoreResult
from demozone.scoring.reasons import indicator_reasons
from demozone.scoring.report import points_json


def explain(
    result: ScoreResult, submission, number: str | None = None, lang: str = "zh"
) -> list[dict]:
    """The derivation of one indicator (or all, in order) of a score result; its sentences
    (accounts, grounds, evidence) in `lang`."""
    system = kb.get_system(result.system)
    chosen = [i for i in result.indicators if number is None or i.number == str(number)]
    return [explain_indicator(i, system, submission, lang) for i in chosen]


@dataclass
class Explained:
    """The derivation trees of an assessment, and what they were derived from."""

    trees: list[dict]
    assessment: Assessment  # the score result and submission explained
    iri: str | None  # the stored assessment's IRI; None for a file scored now
    notes: list[str] = field(default_factory=list)  # things worth telling the user


def explain_reference(
    ref: str | Path,
    number: str | None = None,
    *,
    store: str | None = None,
    submission: str | Path | None = None,
    system: str | None = None,
    lang: str = "zh",
) -> Explained:
    """Explain one indicator (or all) of a submission file, or of an assessment in the store
    (IRI or id; `store` as for resolve_assessment) whose submission file is `submission`.

    A file is scored under `system` if given, writing nothing. A stored assessment is re-scored
    with its own rule set (assessments.rescore). Raises InputError for a file that cannot be
    scored, a missing or changed submission file, or re-scored scores that differ from the
    stored ones; StoreError when the store cannot be used or does not hold the assessment.
    """
    if is_submission_file(ref):
        if submission is not None:
            raise InputError([_misplaced(ref, "--submission", "the file of a stored ASSESSMENT")])
        scored = assess(Path(ref), system=system, write=False)
        return Explained(explain(scored.result, scored.submission, number, lang), scored, None)
    if system is not None:
        raise InputError([_misplaced(ref, "--system", "a submission FILE scored now")])
    resolved = resolve_record(ref, store)  # what re-scoring needs, not every quad
    scored = rescore(resolved, submission)
    trees = explain(scored.result, scored.submission, number, lang)
    return Explained(trees, scored, resolved.iri, resolved.notes)


def _misplaced(ref: str | Path, option: str, applies_to: str) -> Problem:
    return Problem(
        str(ref),
        option,
        f"{option} applies to {applies_to}, not here: a stored assessment is explained under "
        "its own rule set, a submission file is scored itself",
        f"{option} 不适用于此处：已存储的评估按其自身的计分规则解释，申报材料文件直接计分",
    )


def explain_indicator(indicator: IndicatorScore, system, submission, lang: str = "zh") -> dict:
    info = system.indicator(indicator.number)
    return {
        "number": indicator.number,
        "label": indicator.label,
        "label_en": info.label_en,
        "level_name": system.level_names(lang)[-1],
        "score": points_json(indicator.score),
        "max": points_json(indicator.points),
        "base_number": indicator.base,
        "criterion": info.criterion,
        "citations": [
            _citation(a) for a in info.anchors if a.role in ("title", "criterion", "rule_text")
        ],
        "clauses": [_clause(system, info, c) for c in indicator.clauses],
        "rules": [_rule(o, submission, lang) for o in indicator.rules],
        "grounds": words.grounds(indicator.rules, lang),
        "evidence_cited": words.evidence_cited(indicator.rules, submission, lang),
        "reasons": indicator_reasons(indicator, lang),
    } | _why_not_part(indicator, submission)


def _nothing(indicator: IndicatorScore, reachable: Fraction, lang: str = "zh") -> str:
    """Why no change to the submission's data adds points, when its kinds name none."""
    best, top = fmt_points(reachable), fmt_points(indicator.points)
    if lang == "en":
        most = (
            f"With this submission's years and data the indicator gives at most {best} "
            f"points (it is worth {top})"
        )
        if indicator.score >= reachable:
            return f"{most}, all of them scored: no change to the data adds points."
        return f"{most}, but no single change to the data adds points."
    most = f"本指标按本申报的年度和数据最多可得{best}分（指标分值{top}分）"
    if indicator.score >= reachable:
        return f"{most}，已全部得到，修改本申报的数据不能再加分。"
    return f"{most}，但没有只改一处数据即可加分的办法。"


def _capped(entry, gain: Fraction, points: Fraction, lang: str = "zh") -> str:
    """The kind's reason, and what the indicator's own points leave of its gain."""
    reason = (entry.reason_en or entry.reason) if lang == "en" else entry.reason
    if entry.needs is None or gain >= entry.gain:
        return reason
    if lang == "en":
        return (
            f"{reason.rstrip('.')} (the indicator is worth {fmt_points(points)} points, "
            f"so {fmt_points(gain)} more at most)."
        )
    return (
        f"{reason.rstrip('。')}（本指标满分{fmt_points(points)}分，实际可加{fmt_points(gain)}分）。"
    )


def _why_not_part(indicator: IndicatorScore, submission) -> dict:
    if indicator.score >= indicator.points:
        return {"reachable": points_json(indicator.points), "why_not": []}
    reachable, entries = why_not(indicator, submission)
    return {"reachable": points_json(reachable), "why_not": entries}


def _citation(anchor) -> dict:
    return cite(kb.load_kb(), anchor).to_json()


def _clause(system, info, clause_score) -> dict:
    clause = info.clause(clause_score.id)
    return {
        "id": clause_score.id,
        "text": clause.text if clause else clause_score.text,
        "points": points_json(clause_score.points) if clause_score.points is not None else None,
        "score": points_json(clause_score.score),
        "rules": clause_score.rules,
        "citations": [
            _citation(a) for a in (clause.anchors if clause else ()) if a.role == "clause"
        ],
    }


def _rule(outcome: RuleOutcome, submission, lang: str = "zh") -> dict:
    rule = outcome.rule
    fired = {(f.case_key, f.branch): f for f in outcome.firings}
    return {
        "id": rule.id,
        "account": words.rule_account(outcome, lang),
        "reference": words.rule_reference(outcome, lang),
        "kind": rule.kind,
        "clause": rule.clause,
        "clauses": list(rule.clauses),
        "file": rule.file,
        "line": rule.line,
        "score": points_json(outcome.score),
        "raw": points_json(outcome.raw),
        "cap": points_json(rule.cap) if rule.cap is not None else None,
        "tiers": [{"at_least": t.at_least, "points": points_json(t.points)} for t in rule.tiers],
        "missing": outcome.missing,
        "cases": [_case(case, fired, submission) for case in outcome.cases],
    }


def _case(case: Case, fired: dict, submission) -> dict:
    branches = []
    for branch in case.rule.branches:
        firing = fired.get((case.key, branch.name))
        branches.append(
            {
                "name": branch.name,
                "label": branch.label,
                "conditions": [_condition(c) for c in branch.conditions],
                "fired": firing is not None,
                "points": points_json(branch.award) if firing else 0,
            }
        )
    return {
        "key": case.key,
        "complete": case.complete,
        "missing": list(case.missing),
        "arithmetic": [_arithmetic(op) for op in case.operands.values()],
        "attributes": {k.removeprefix("a_"): v for k, v in case.attributes.items()},
        "branches": branches,
        "facts": [_fact(f, submission) for f in case.inputs],
        "disagreement": _disagreement(case.inputs),
    }


def _condition(condition) -> dict:
    """A branch's condition as data for machines (the label says it in words)."""
    value = condition.value
    shown = f"{value.numerator}/{value.denominator}" if isinstance(value, Fraction) else value
    return {"operand": condition.operand, "compare": condition.compare, "value": shown}


def _arithmetic(op) -> dict:
    text = f"{op.text} = {_show(op.left)}"
    if op.right is not None:
        text = f"{op.text.split(' - ')[0]} = {_show(op.left)}, 对比 {op.text.split(' - ')[-1]} = {_show(op.right)}"
    return {
        "text": text,
        "value": _show(op.value),
        "exact": f"{op.value.numerator}/{op.value.denominator}",
    }


def _show(value: Fraction) -> str:
    return show(value, 4)


def _fact(fact: FactUse, submission) -> dict:
    value = fact.value
    shown = _show(value) if isinstance(value, Fraction) else value
    entry = {
        "id": fact.fact_id,
        "label": fact.label,
        "value": shown,
        "origin": fact.origin,
        "where": fact.where,
    }
    if fact.assessor:
        entry["assessor"] = fact.assessor
        entry["assessor_name"] = fact.assessor_name or fact.assessor
    if fact.evidence:
        entry["evidence"] = [_evidence(submission, e) for e in fact.evidence]
    return entry


def _evidence(submission, evidence_id: str) -> dict:
    item = submission.evidence.get(evidence_id)
    if item is None:
        return {"id": evidence_id}
    return {
        "id": item.id,
        "title": item.title,
        "kind": item.kind,
        "file": item.file,
        "sha256": item.sha256,
    }


def _disagreement(inputs: list[FactUse]) -> dict | None:
    """Judgments on one clause that do not agree: who said what."""
    verdicts = {f.assessor: f.value for f in inputs if f.fact_id.kind == "judgment"}
    if len(set(verdicts.values())) > 1:
        return {
            "satisfied": sorted(a for a, v in verdicts.items() if v),
            "not_satisfied": sorted(a for a, v in verdicts.items() if not v),
        }
    return None


# -- why not full marks -------------------------------------------------------------------
def why_not(indicator: IndicatorScore, submission) -> tuple[Fraction, list[dict]]:
    """For an indicator below its maximum: the points reachable with this submission's years
    and data, and each kind's ways to gain points (`RuleKind.why_not`) as
    {clause, rule, reason, needs, gain}, `gain` being what the indicator gains when `needs`
    alone is applied (its own points cap the rules' sum). Those that add most come first."""
    raw = sum((o.score for o in indicator.rules), Fraction(0))
    bests = [kinds.of(o.rule).best(o.rule, submission) for o in indicator.rules]
    reachable = (
        min(sum(bests, Fraction(0)), indicator.points)
        if all(b is not None for b in bests)
        else indicator.points
    )
    entries = []
    for outcome in indicator.rules:
        for entry in kinds.of(outcome.rule).why_not(outcome, submission):
            gain = min(raw + entry.gain, indicator.points) - indicator.score
            entries.append(
                {
                    "clause": entry.clause,
                    "rule": entry.rule,
                    "reason": _capped(entry, gain, indicator.points),
                    "reason_en": _capped(entry, gain, indicator.points, "en"),
                    "needs": entry.needs,
                    "gain": points_json(gain if entry.needs is not None else Fraction(0)),
                }
            )
    entries.sort(key=lambda e: (e["needs"] is None, -Fraction(str(e["gain"]))))
    reachable = min(max(reachable, indicator.score), indicator.points)
    if not entries:
        entries.append(
            {"clause": None, "rule": None, "reason": _nothing(indicator, reachable)}
            | {"reason_en": _nothing(indicator, reachable, "en"), "needs": None, "gain": 0}
        )
    return reachable, entries
