"""The public API of demozone: the CLI and any web front end call only these names.

Every name is imported on first use (PEP 562), so a command loads only the parts it needs: the
table `_EXPORTS` below says where each name lives. The API's own functions are in
`knowledge`, `graphs`, `stores` and `reports`; the rest are the engine's, re-exported.

Knowledge base: `systems`, `show`, `query`, `check_kb` (and `load_kb`, `kb_graph` for callers
that want the values or the graph itself). Each function takes an optional `kb_dir` (default:
kb/ beside the engine). User mistakes (an unknown system, a bad query) raise `InputError`.

Scoring: `assess` (load, validate, score and record a submission file), `assess_many` (many
files: each validated and scored in turn and recorded as one batch, all or nothing; a file with
a problem stops the batch, every file's problems listed), `explain` (the
derivation trees of a score result), `result_json` (the machine shape of a result), `score_as` (a loaded submission under another
rule set, e.g. a what-if variant).

Rule tests in data: `rule_test_files`, `run_rule_tests`. Checking rule sets: `lint`.

Whom a rule change affects: `impact` (submissions scored under two systems, the points that
moved and why pass/fail flipped), `impact_json` and `impact_csv` (its machine shapes).

Explaining and asking about one assessment (a submission file or a stored assessment):
`explain_reference` (the derivation trees; a stored one re-scored from its checked submission
file), `ask` (a saved question by name; `QUESTIONS`, `question`, `check_parameters`).

Comparing systems: `match_systems` (which indicator and clause of A is which of B),
`diff_systems` (the semantic diff; `.to_dict()` for machines), `render_memo` (for people).

One assessment as a graph or as RDF: `resolve_assessment` (a submission file scored now, or a
stored assessment), then `provenance_graph` with `render_graph` and `graph_summary`, or
`export_graph` with `validate_export`, `serialize_export` and `export_summary`.

The store (a directory or a SPARQL server URL; None: $DEMOZONE_STORE, else ./demozone-data):
`store_info`, `check_store`, `backup_store`, `restore_store`, `load_kb_into_store`,
`stored_assessment_quads` (with `nquads` and `write_quads`), `remove_assessment`, `history`.

Showing results to people: `result_table`, `impact_table`, and `display_width` and `pad` for
columns of mixed Chinese and Latin text. Errors: `InputError` (a user mistake, with its
`Problem`s) and `StoreError` (a store that cannot be used). `ENGINES`: the scoring engines.
"""

from __future__ import annotations

import importlib
from typing import Any

# name -> module that defines it; a new public name is one line here.
_EXPORTS: dict[str, str] = {
    # knowledge base
    "KB": "demozone.kb.model",
    "System": "demozone.kb.model",
    "KbReport": "demozone.kb.check_report",
    "load_kb": "demozone.api.knowledge",
    "systems": "demozone.api.knowledge",
    "show": "demozone.api.knowledge",
    "query": "demozone.api.knowledge",
    "check_kb": "demozone.api.knowledge",
    "lint": "demozone.api.knowledge",
    "kb_graph": "demozone.api.knowledge",
    "clear_caches": "demozone.api.knowledge",
    "LintReport": "demozone.policy.lint.run",
    # errors and findings
    "InputError": "demozone.common.errors",
    "Problem": "demozone.common.errors",
    "StoreError": "demozone.common.errors",
    "CheckReport": "demozone.common.diagnostics",
    # scoring and recording
    "Assessment": "demozone.assessment.assess",
    "assess": "demozone.assessment.assess",
    "score_as": "demozone.assessment.assess",
    "assess_many": "demozone.assessment.batch",
    "Resolved": "demozone.assessment.resolve",
    "is_submission_file": "demozone.assessment.resolve",
    "resolve_assessment": "demozone.assessment.resolve",
    "ENGINES": "demozone.api.choices",
    "display_width": "demozone.scoring.report",
    "pad": "demozone.scoring.report",
    "result_json": "demozone.scoring.report",
    "result_table": "demozone.scoring.report",
    # explaining and asking
    "Explained": "demozone.explain.derivation",
    "explain": "demozone.explain.derivation",
    "explain_reference": "demozone.explain.derivation",
    "QUESTIONS": "demozone.explain.ask",
    "Answer": "demozone.explain.ask",
    "ask": "demozone.explain.ask",
    "check_parameters": "demozone.explain.ask",
    "question": "demozone.explain.ask",
    # policy: rule tests, diff, impact
    "rule_test_files": "demozone.policy.ruletests",
    "run_rule_tests": "demozone.policy.ruletests",
    "Matching": "demozone.policy.diff.matching",
    "match_systems": "demozone.policy.diff.matching",
    "render_memo": "demozone.policy.diff.memo",
    "SystemDiff": "demozone.policy.diff.systems",
    "diff_systems": "demozone.policy.diff.systems",
    "ImpactReport": "demozone.policy.impact.run",
    "impact": "demozone.policy.impact.run",
    "impact_csv": "demozone.policy.impact.report",
    "impact_json": "demozone.policy.impact.report",
    "impact_table": "demozone.policy.impact.report",
    # one assessment as a graph or as RDF
    "GRAPH_FORMATS": "demozone.api.choices",
    "GRAPH_SUFFIXES": "demozone.api.graphs",
    "EXPORT_FORMATS": "demozone.api.choices",
    "EXPORT_SUFFIXES": "demozone.api.graphs",
    "provenance_graph": "demozone.api.graphs",
    "render_graph": "demozone.api.graphs",
    "graph_summary": "demozone.api.graphs",
    "export_graph": "demozone.api.graphs",
    "validate_export": "demozone.api.graphs",
    "serialize_export": "demozone.api.graphs",
    "export_summary": "demozone.api.graphs",
    # the store
    "store_info": "demozone.api.stores",
    "check_store": "demozone.api.stores",
    "backup_store": "demozone.api.stores",
    "restore_store": "demozone.api.stores",
    "load_kb_into_store": "demozone.api.stores",
    "stored_assessment_quads": "demozone.api.stores",
    "nquads": "demozone.api.stores",
    "write_quads": "demozone.api.stores",
    "remove_assessment": "demozone.api.stores",
    "history": "demozone.api.stores",
    # reports and comparisons
    "REPORT_FORMATS": "demozone.api.choices",
    "report": "demozone.api.reports",
    "save_report": "demozone.api.reports",
    "compare_assessments": "demozone.api.reports",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup is an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
