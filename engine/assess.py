"""One assessment: load and validate a submission, score it, and record it in the store.

Validation happens before the store is touched, so a submission with errors writes nothing; the
assessment is then written as one transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from . import kb
from .errors import InputError, Problem
from .outcome import ScoreResult
from .provenance import AssessmentGraph
from .receipt import receipt
from .rules import rule_set_for
from .scoring import score
from .store import open_store
from .submission import catalog_from_kb, load_submission


@dataclass(frozen=True)
class Assessment:
    id: str
    iri: str | None  # None when it was not written to a store
    result: ScoreResult
    receipt: dict
    submission: object


def renumbering(system_id: str) -> dict[str, str]:
    """Local indicator number -> base number for a local decomposition (rules' renumber: from_kb)."""
    return kb.base_numbering(system_id)


def assess(
    path: Path,
    *,
    system: str | None = None,
    store: str | None = None,
    engine: str = "rete",
    write: bool = True,
) -> Assessment:
    """Score the submission file at `path` and (unless write=False) record the assessment.

    Raises InputError (nothing written) when the submission or the system is not usable.
    """
    submission = load_submission(Path(path), catalog_from_kb(), system_override=system)
    system_id = submission.system
    kb_system = kb.get_system(system_id)
    if kb_system is None:
        raise InputError(
            [
                Problem(
                    str(path),
                    "submission.system",
                    f"unknown system {system_id!r}",
                    f"未知的指标体系 {system_id!r}",
                )
            ]
        )
    rule_set = rule_set_for(system_id, renumbering=renumbering)
    result = score(rule_set, kb_system, submission, engine)
    entries = receipt(submission, rule_set.files)
    assessment_id = f"{submission.id}-{entries['time'].replace(':', '').replace('-', '')}-{secrets.token_hex(3)}"
    if not write:
        return Assessment(assessment_id, None, result, entries, submission)
    quads = AssessmentGraph(assessment_id, result, submission, entries).build()
    target = open_store(store)
    try:
        target.write_assessment(quads)
    finally:
        target.close()
    iri = quads[0].graph_name.value
    return Assessment(assessment_id, iri, result, entries, submission)
