"""The public API of demozone: the CLI and any web front end call only these names.

Every name is imported on first use (PEP 562), so a command loads only the parts it needs: the
table `_EXPORTS` below says where each name lives. The API's own functions are in
`knowledge`, `graphs`, `stores`, `reports` and `procedure`; the rest are the engine's, re-exported.

Knowledge base: `systems`, `show`, `query`, `check_kb` (and `load_kb`, `kb_graph` for callers
that want the values or the graph itself); `citation_text` words a citation (the
`citations`/`anchors` entries of show and explain) as every output writes it. Each function
takes an optional `kb_dir` (default: kb/ beside the engine). User mistakes (an unknown system,
a bad query) raise `InputError`.

Scoring: `assess` (load, validate, score and record a submission file), `assess_many` (many
files: each validated and scored in turn and recorded as one batch, all or nothing; a file with
a problem stops the batch, every file's problems listed), `explain` (the
derivation trees of a score result), `result_json` (the machine shape of a result), `score_as` (a loaded submission under another
rule set, e.g. a what-if variant).

Folders and batches: `submission_files` (folders, optionally recursive, to submission files),
`batch_summary` and `summary_table` (one line per submission: total, verdict, first-level
indicators below their rate, problems).

Rule sets: `use_rules` (search a policy office's own folders first; also $DEMOZONE_RULES),
`rule_sets` (every rule set with its base and where it comes from), `export_rules` (a rule
set as a workbook for policy staff) and `import_rules` (an edited workbook as a commented YAML
variant holding only the differences). Wherever a system id is
taken, a rule file's path is taken too.
What if: `apply_needs` (a submission document with the `needs` of one of `explain`'s why-not
entries applied, docs/why-not.md; `OTHER_SYSTEM` is the code of the finding that says a
submission was written for another system).

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

Between evaluations (`procedure`): `add_zone`, `list_zones`, `zone_event`, `zone_status`,
`article_line` (an article of the procedure, its quote and its citation in words), `plan_submission`, `plan_table`, `locality_targets`, `targets_table`.
Audit: `verify` (stored assessments against their digests, chains, signatures and a
re-derivation from their recorded inputs), `query_store` (read-only SPARQL over the store),
`audit_question` (the saved questions `AUDIT_QUESTIONS` over every assessment).
The web audit room (`workspace_auditor`): `stored_assessments` (every assessment in the store),
`cytoscape_elements` (a provenance graph for Cytoscape.js), `limited_store_query` (read-only
SPARQL stopped after `SPARQL_SECONDS`, at most `SPARQL_MAX_ROWS` rows); the words of `history`
and `compare`: `history_lines`, `change_lines`.
Submissions as workbooks (.xlsx; score, explain, impact and report read them as they read
YAML): `template` (the empty workbook of a system), `convert` (one submission between YAML, JSON
and .xlsx, lossless; `CONVERT_FORMATS`, `Converted`).

Accounts of the web workspace (`accounts`; a SQL database, by default DIR-accounts.sqlite
beside the store's folder DIR): `add_user`, `list_users`, `get_user`, `disable_user`, `set_password` (`ROLES`),
`log_in`, `session_user`, `log_out` (`TooManyAttempts` when rate-limited), `assign_submission`,
`assignments`, `is_assigned`, `audit` and `audit_log`, `database_url`.

The policy staff's room (`workspace_policy`): `policy_rules_dir` and `use_policy_rules` (the
folder of variants beside the store, searched first), `rule_set_table` (a rule set's indicators
with clause text and what its rules award), `stored_submissions` (which stored submissions an
impact run can use), `example_sets`, `add_variant` (linted first, refused with the findings);
how a system reads in words (`kb.wording`): `system_words`, `pass_rule_text`, `lineage_text`,
`status_text`, `label_text`, `points_text`.

The web workspace's submissions and judgments (`workspace`, `workspace_judgments`,
`workspace_views`): `accept_submission` (an uploaded file kept by digest, scored, recorded and
attributed to its user), `record_judgments` (an assessor's judgments as rows, then a new
assessment), `workspace_assessment`, `explain_assessment`, `assessment_opinions`,
`assessment_panel`, `assessment_report`, `submission_assessments`, `submission_judgments`,
`source_passage`, `level_names`, `submissions_folder`, `kept_path` (`NotAssigned`,
`UnknownAssessment`, `UPLOAD_LIMIT`).

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
    "citation_text": "demozone.kb.citation",
    "check_kb": "demozone.api.knowledge",
    "lint": "demozone.api.knowledge",
    "kb_graph": "demozone.api.knowledge",
    "clear_caches": "demozone.api.knowledge",
    "keep_what_is_read": "demozone.kb.cache",
    "LintReport": "demozone.policy.lint.run",
    "lint_errors": "demozone.policy.lint.run",
    # errors and findings
    "InputError": "demozone.common.errors",
    "Problem": "demozone.common.errors",
    "OTHER_SYSTEM": "demozone.submission.load",
    "apply_needs": "demozone.submission.whatif",
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
    # rule sets: where they are found, which there are
    "use_rules": "demozone.api.rulesets",
    "rule_sets": "demozone.api.rulesets",
    "export_rules": "demozone.api.rulebooks",
    "import_rules": "demozone.api.rulebooks",
    # folders of submissions and the summary of a batch
    "Found": "demozone.assessment.folders",
    "SummaryRow": "demozone.assessment.folders",
    "submission_files": "demozone.assessment.folders",
    "batch_summary": "demozone.assessment.folders",
    "summary_table": "demozone.assessment.folders",
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
    # audit: verifying stored assessments, SPARQL over the store
    "verify": "demozone.api.auditing",
    "query_store": "demozone.api.auditing",
    "audit_question": "demozone.api.auditing",
    "AUDIT_QUESTIONS": "demozone.api.auditing",
    # the web audit room: every assessment, a graph for Cytoscape.js, time-limited SPARQL
    "stored_assessments": "demozone.api.workspace_auditor",
    "cytoscape_elements": "demozone.api.workspace_auditor",
    "limited_store_query": "demozone.api.workspace_auditor",
    "SPARQL_MAX_ROWS": "demozone.api.workspace_auditor",
    "SPARQL_SECONDS": "demozone.api.workspace_auditor",
    # the wording of history and compare (the CLI's and the web's)
    "history_lines": "demozone.api.changetext",
    "change_lines": "demozone.api.changetext",
    # reports and comparisons
    "REPORT_FORMATS": "demozone.api.choices",
    "report": "demozone.api.reports",
    "save_report": "demozone.api.reports",
    "compare_assessments": "demozone.api.reports",
    # between evaluations: zones and the procedure, the planner, targets
    "add_zone": "demozone.api.procedure",
    "list_zones": "demozone.api.procedure",
    "zone_event": "demozone.api.procedure",
    "zone_status": "demozone.api.procedure",
    "article_line": "demozone.procedure.chart",
    "plan_submission": "demozone.api.procedure",
    "plan_table": "demozone.api.procedure",
    "locality_targets": "demozone.api.procedure",
    "targets_table": "demozone.api.procedure",
    # submissions as workbooks
    "CONVERT_FORMATS": "demozone.api.workbooks",
    "Converted": "demozone.api.workbooks",
    "convert": "demozone.api.workbooks",
    "template": "demozone.api.workbooks",
    # accounts of the web workspace: users, roles, sessions, assignments, the audit log
    "ROLES": "demozone.api.accounts",
    "TooManyAttempts": "demozone.api.accounts",
    "add_user": "demozone.api.accounts",
    "assign_submission": "demozone.api.accounts",
    "assignments": "demozone.api.accounts",
    "audit": "demozone.api.accounts",
    "audit_log": "demozone.api.accounts",
    "database_url": "demozone.api.accounts",
    "disable_user": "demozone.api.accounts",
    "get_user": "demozone.api.accounts",
    "is_assigned": "demozone.api.accounts",
    "list_users": "demozone.api.accounts",
    "log_in": "demozone.api.accounts",
    "log_out": "demozone.api.accounts",
    "session_user": "demozone.api.accounts",
    "set_password": "demozone.api.accounts",
    # how a system reads in words (systems, show and the web workspace say it alike)
    "system_words": "demozone.kb.wording",
    "label_text": "demozone.kb.wording",
    "lineage_text": "demozone.kb.wording",
    "pass_rule_text": "demozone.kb.wording",
    "status_text": "demozone.kb.wording",
    "points_text": "demozone.kb.wording",
    # the policy staff's room: the policy folder, a rule set as a table, usable stored
    # submissions, a variant added only when lint finds no error
    "policy_rules_dir": "demozone.api.workspace_policy",
    "use_policy_rules": "demozone.api.workspace_policy",
    "rule_set_table": "demozone.api.workspace_policy",
    "stored_submissions": "demozone.api.workspace_policy",
    "add_variant": "demozone.api.workspace_policy",
    "example_sets": "demozone.api.workspace_policy",
    "IMPACT_CAUSE_WORDS": "demozone.api.workspace_policy",
    # the web workspace: uploaded submissions, judgments, what the assessor room shows
    "NotAssigned": "demozone.api.workspace",
    "UPLOAD_LIMIT": "demozone.api.workspace",
    "UnknownAssessment": "demozone.api.workspace",
    "accept_submission": "demozone.api.workspace",
    "record_judgments": "demozone.api.workspace_judgments",
    "submissions_folder": "demozone.api.workspace",
    "kept_path": "demozone.api.workspace",
    "workspace_assessment": "demozone.api.workspace_views",
    "submission_assessments": "demozone.api.workspace_views",
    "submission_judgments": "demozone.api.workspace_views",
    "explain_assessment": "demozone.api.workspace_views",
    "assessment_opinions": "demozone.api.workspace_views",
    "assessment_panel": "demozone.api.workspace_views",
    "assessment_report": "demozone.api.workspace_views",
    "source_passage": "demozone.api.workspace_views",
    "level_names": "demozone.api.workspace_views",
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
