"""One assessment: load and validate a submission, score it, and record it in the store.

Validation happens before the store is touched, so a submission with errors writes nothing; the
assessment is then written as one transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from demozone.common.errors import InputError, Problem
from demozone.kb import load as kb
from demozone.provenance.graph import AssessmentGraph
from demozone.provenance.receipt import receipt
from demozone.rules.lookup import rules_of
from demozone.rules.model import RuleSet
from demozone.scoring.aggregate import score
from demozone.scoring.outcome import ScoreResult
from demozone.store.history import same_inputs
from demozone.store.location import open_store
from demozone.store.terms import ASSESSMENT_PREFIX
from demozone.submission.catalog import catalog_from_kb
from demozone.submission.load import load_submission
from demozone.submission.model import Submission


@dataclass(frozen=True)
class Assessment:
    id: str
    iri: str | None  # None when it was not written to a store
    result: ScoreResult  # None from assess_many(..., results=False), as is `submission`
    receipt: dict
    submission: object
    # True when the store already held an assessment of exactly these inputs, which `iri` names:
    # nothing was written (assess(..., again=True) writes a new one anyway)
    reused: bool = False


def score_as(submission: Submission, rules: str | RuleSet, engine: str = "rete") -> ScoreResult:
    """Score a loaded submission under `rules` (a system or variant id, or a rule set), writing
    nothing.

    The rules must score the submission's knowledge-base system: the system itself, a variant
    with the same indicators, or a what-if variant.
    """
    rule_set = rules_of(rules) if isinstance(rules, str) else rules
    if rule_set.kb_system != submission.system:
        raise InputError(
            [
                Problem(
                    submission.file,
                    "system",
                    f"the rules of {rule_set.system!r} score {rule_set.kb_system!r}, "
                    f"the submission is for {submission.system!r}",
                    f"{rule_set.system!r} 的计分规则适用于 {rule_set.kb_system!r}，"
                    f"该申报材料属于 {submission.system!r}",
                )
            ]
        )
    return score(rule_set, _kb_system(submission), submission, engine)


def assess(
    path: Path,
    *,
    system: str | None = None,
    store: str | None = None,
    engine: str = "rete",
    write: bool = True,
    again: bool = False,
    evidence_root: str | Path | None = None,
    attributed_to: str | None = None,
) -> Assessment:
    """Score the submission file at `path` and (unless write=False) record the assessment.
    `attributed_to`: the person who asked for it (a workspace user), recorded as the agent the
    assessment is attributed to (prov:wasAttributedTo).

    When the store already holds an assessment made from exactly these inputs (the same
    submission bytes, rule files, knowledge base and evidence, by the receipt's hashes) with the
    same engine, nothing is written and that assessment is returned (`reused`), unless `again`.

    `system` overrides the system named in the file; it may be a what-if variant, whose rules
    then score the file as a submission for the variant's knowledge-base system.
    Evidence files are found relative to the submission file, or to `evidence_root`.
    Raises InputError (nothing written) when the submission or the system is not usable.
    """
    submission, rule_set, kb_system = load_for_scoring(path, system, evidence_root)
    result = score(rule_set, kb_system, submission, engine)
    entries = receipt(submission, rule_set)
    assessment_id = f"{submission.id}-{entries['time'].replace(':', '').replace('-', '')}-{secrets.token_hex(3)}"
    if not write:
        return Assessment(assessment_id, None, result, entries, submission)
    graph = AssessmentGraph(assessment_id, result, submission, entries, attributed_to)
    quads = graph.build()
    with open_store(store) as target:  # a failing close never hides the error of a write
        earlier = None if again else same_inputs(target, submission.id, entries, engine)
        if earlier is not None:
            return Assessment(
                unquote(earlier.removeprefix(ASSESSMENT_PREFIX)),
                earlier,
                result,
                entries,
                submission,
                reused=True,
            )
        target.write_assessment(quads, graph.shared())
    iri = quads[0].graph_name.value
    return Assessment(assessment_id, iri, result, entries, submission)


def load_for_scoring(
    path: Path, system: str | None = None, evidence_root: str | Path | None = None
) -> tuple[Submission, RuleSet, object]:
    """The validated submission at `path`, the rule set that scores it and its knowledge-base
    system (`system` as in `assess`); evidence files are found in `evidence_root` (default: the
    submission's folder). Raises InputError when the file or the system is not usable."""
    rule_set = rules_of(system) if system else None
    kb_system_id = rule_set.kb_system if rule_set else None
    submission = load_submission(
        Path(path), catalog_from_kb(), system_override=kb_system_id, evidence_root=evidence_root
    )
    return submission, rule_set or rules_of(submission.system), _kb_system(submission)


def _kb_system(submission: Submission):
    kb_system = kb.get_system(submission.system)
    if kb_system is None:
        raise InputError(
            [
                Problem(
                    submission.file,
                    "submission.system",
                    f"unknown system {submission.system!r}",
                    f"未知的指标体系 {submission.system!r}",
                )
            ]
        )
    return kb_system
