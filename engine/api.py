"""The public API of demozone: the CLI and any web front end call only these functions.

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

import os
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import Graph

from demozone.assessment.assess import Assessment, assess, score_as
from demozone.assessment.batch import assess_many
from demozone.assessment.resolve import Resolved, is_submission_file, resolve_assessment
from demozone.common.diagnostics import CheckReport
from demozone.common.errors import InputError, Problem, StoreError
from demozone.explain import provgraph as _provgraph
from demozone.explain.ask import QUESTIONS, Answer, ask, check_parameters, question
from demozone.explain.derivation import Explained, explain, explain_reference
from demozone.kb import check as _checks
from demozone.kb import graph as _kbgraph
from demozone.kb import load as _kb
from demozone.kb import query as _kbquery
from demozone.kb import view as _view
from demozone.kb.check import check_kb as _check_kb
from demozone.kb.check_report import KbReport
from demozone.kb.model import KB, System
from demozone.policy.diff.matching import Matching, match_systems
from demozone.policy.diff.memo import render_memo
from demozone.policy.diff.systems import SystemDiff, diff_systems
from demozone.policy.impact.report import impact_csv, impact_json, impact_table
from demozone.policy.impact.run import ImpactReport, impact
from demozone.policy.lint.run import LintReport, lint_many
from demozone.policy.ruletests import rule_test_files, run_rule_tests
from demozone.provenance import export as _export
from demozone.scoring.aggregate import ENGINES
from demozone.scoring.report import display_width, pad, result_json, result_table
from demozone.store import check as _storecheck
from demozone.store.base import backup_format as _backup_format
from demozone.store.history import history as _history
from demozone.store.location import open_store as _open_store
from demozone.store.terms import KB_GRAPH as _KB_GRAPH
from demozone.submission import catalog as _submission

KbDir = Path | str | None
Location = str | None  # a store directory or SPARQL server URL; None: the default store

GRAPH_FORMATS = _provgraph.FORMATS  # what `render_graph` writes
GRAPH_SUFFIXES = _provgraph.SUFFIXES  # file suffix -> graph format
EXPORT_FORMATS = _export.FORMATS  # what `serialize_export` writes
EXPORT_SUFFIXES = _export.SUFFIXES  # file suffix -> export format

__all__ = [
    "ENGINES",
    "EXPORT_FORMATS",
    "EXPORT_SUFFIXES",
    "GRAPH_FORMATS",
    "GRAPH_SUFFIXES",
    "KB",
    "QUESTIONS",
    "Answer",
    "Assessment",
    "CheckReport",
    "Explained",
    "ImpactReport",
    "InputError",
    "KbReport",
    "LintReport",
    "Matching",
    "Problem",
    "Resolved",
    "StoreError",
    "System",
    "SystemDiff",
    "ask",
    "assess",
    "assess_many",
    "backup_store",
    "check_kb",
    "check_parameters",
    "check_store",
    "clear_caches",
    "diff_systems",
    "display_width",
    "explain",
    "explain_reference",
    "export_graph",
    "export_summary",
    "graph_summary",
    "history",
    "impact",
    "impact_csv",
    "impact_json",
    "impact_table",
    "is_submission_file",
    "kb_graph",
    "lint",
    "load_kb",
    "load_kb_into_store",
    "match_systems",
    "nquads",
    "pad",
    "provenance_graph",
    "query",
    "question",
    "remove_assessment",
    "render_graph",
    "render_memo",
    "resolve_assessment",
    "restore_store",
    "result_json",
    "result_table",
    "rule_test_files",
    "run_rule_tests",
    "score_as",
    "serialize_export",
    "show",
    "store_info",
    "stored_assessment_quads",
    "systems",
    "validate_export",
    "write_quads",
]


def load_kb(kb_dir: KbDir = None) -> KB:
    """The knowledge base as frozen values (cached per directory and process)."""
    return _kb.load_kb(kb_dir)


def systems(kb_dir: KbDir = None) -> list[dict]:
    """Every indicator system: id, title, sources, indicator count, points, pass rule, lineage."""
    kb = _kb.load_kb(kb_dir)
    return [_view.system_summary(kb, s) for s in kb.systems.values()]


def show(system_id: str, indicator: str | None = None, kb_dir: KbDir = None) -> dict:
    """One system (levels and indicators) or one of its indicators (texts, clauses, anchors).

    Raises InputError for an unknown system or indicator.
    """
    kb = _kb.load_kb(kb_dir)
    system = _view.find_system(kb, system_id)
    if indicator is None:
        return _view.system_detail(kb, system)
    return _view.indicator_detail(kb, system, _view.find_indicator(system, str(indicator)))


def query(sparql: str, kb_dir: KbDir = None) -> dict:
    """A SPARQL query over the knowledge-base graph and the ontology (see demozone.kb.query.run_query)."""
    return _kbquery.run_query(sparql, kb_dir)


def check_kb(kb_dir: KbDir = None) -> KbReport:
    """Every check of the knowledge base; `report.ok` is False only for errors in demozone's data."""
    return _check_kb(kb_dir)


def lint(targets: list[str] | tuple[str, ...] = (), kb_dir: KbDir = None) -> list[LintReport]:
    """Lint rule sets (system ids or rule files; none: every shipped one), one report each.

    A report's findings carry severity, code, location and message; `report.ok` is False when
    one is an error. Raises InputError when a target cannot be read as a rule set.
    """
    return lint_many(targets, kb_dir)


def kb_graph(kb_dir: KbDir = None) -> Graph:
    """The knowledge base as one rdflib graph (named graph id/graph/kb)."""
    return _kbgraph.kb_graph(kb_dir)


def clear_caches() -> None:
    """Forget loaded knowledge bases and built graphs."""
    _kb.clear_cache()
    _kbgraph.clear_cache()
    _checks.clear_cache()
    _submission.clear_cache()


# ---------------------------------------------------------------------------------------------
# One assessment as a graph or as RDF


def provenance_graph(resolved: Resolved, indicator: str | None = None) -> nx.MultiDiGraph:
    """The provenance graph of a resolved assessment (`resolve_assessment`): scores, rule
    firings, rules, cases, facts, evidence, assessors, indicators, clauses and source passages;
    with `indicator`, only what that indicator's score came from."""
    graph = _provgraph.provenance_graph(resolved.quads, resolved.kb_graph)
    if indicator is not None:
        graph = _provgraph.restrict_to_indicator(graph, indicator)
    return graph


def render_graph(graph: nx.MultiDiGraph, fmt: str, *, title: str = "") -> str:
    """A provenance graph as the text of one of `GRAPH_FORMATS` (html: one offline page)."""
    return _provgraph.render(graph, fmt, title=title)


def graph_summary(graph: nx.MultiDiGraph) -> dict:
    """Counts of a provenance graph's nodes and edges (by kind) and its assessment."""
    return _provgraph.summary(graph)


def export_graph(resolved: Resolved) -> Graph:
    """A resolved assessment as PROV-O with demozone's vocabulary, with the knowledge base
    entries and source passages it cites, as one rdflib graph."""
    return _export.export_graph(resolved.quads, resolved.kb_graph)


def validate_export(graph: Graph) -> list[tuple[str, str, str]]:
    """(severity, focus node, message) of every violation of the provenance shapes."""
    return _export.validate(graph)


def serialize_export(graph: Graph, fmt: str) -> str:
    """An exported graph as the text of one of `EXPORT_FORMATS` (Turtle or JSON-LD)."""
    return _export.serialize(graph, fmt)


def export_summary(graph: Graph, findings: list[tuple[str, str, str]]) -> dict:
    """What an export holds (triples, assessment, receipt) and whether it conforms."""
    return _export.summary(graph, findings)


# ---------------------------------------------------------------------------------------------
# The store


def store_info(location: Location = None) -> dict:
    """Named graphs with their triple counts, and whether the knowledge base graph is current.

    Never creates a store; a StoreError when there is none or it cannot be opened.
    """
    with _open_store(location, create=False) as store:
        return _storecheck.info(store)


def check_store(location: Location = None, *, shapes: bool = True) -> _storecheck.CheckReport:
    """Every assessment complete, the knowledge base graph whole and (with `shapes`) conforming
    to the SHACL shapes; `report.ok` is False when something is wrong."""
    with _open_store(location, create=False) as store:
        return _storecheck.check(store, shapes=shapes)


def backup_store(file: Path, fmt: str | None = None, location: Location = None) -> dict:
    """Write every graph of the store to one N-Quads or TriG file (`fmt`: nquads or trig,
    default from the file's suffix); returns {"store", "file", "quads"}."""
    with _open_store(location, create=False) as store:
        n = store.backup(file, fmt)
        where = store.location
    return {"store": where, "file": str(file), "quads": n}


def restore_store(file: Path, fmt: str | None = None, location: Location = None) -> dict:
    """Load a backup into an empty store (created when it is a new directory); returns
    {"store", "file", "quads"}. A StoreError when the store already holds data."""
    with _open_store(location, create=True) as store:
        n = store.restore(file, fmt)
        where = store.location
    return {"store": where, "file": str(file), "quads": n}


def load_kb_into_store(kb_dir: KbDir = None, location: Location = None) -> dict:
    """Put the knowledge base into its graph in the store, replacing the one there; returns
    {"store", "graph", "triples"}."""
    with _open_store(location, create=True) as store:
        n = store.load_kb(kb_dir)
        where = store.location
    return {"store": where, "graph": _KB_GRAPH.value, "triples": n}


def stored_assessment_quads(assessment: str, location: Location = None) -> list[ox.Quad]:
    """One stored assessment's quads (by IRI or id) with the shared rule-set graph it uses, so
    that a restore of them is complete. A StoreError when there is no such assessment."""
    with _open_store(location, create=False) as store:
        quads = store.assessment_quads(assessment)
        quads += store.shared_quads(quads)
    return quads


def nquads(quads: list[ox.Quad]) -> bytes:
    """Quads as N-Quads."""
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


def write_quads(quads: list[ox.Quad], file: Path) -> None:
    """Quads to a .nq or .trig file; a StoreError when it cannot be written."""
    try:
        ox.serialize(quads, str(file), format=_backup_format(file, None))
    except OSError as err:
        raise StoreError(f"cannot write {file}: {err}") from err


def remove_assessment(assessment: str, location: Location = None) -> int:
    """Remove one assessment (its whole graph) from the store; returns how many triples it held."""
    with _open_store(location, create=False) as store:
        return store.remove_assessment(assessment)


def history(submission: str, location: Location = None) -> dict:
    """The assessments of a submission, oldest first, and what changed between them: total,
    pass/fail, indicator and level scores, judgments (with their authors)."""
    with _open_store(location, create=False) as store:
        return _history(store, submission)


# ---------------------------------------------------------------------------------------------
# Reports (评估报告)

REPORT_FORMATS = ("html", "pdf", "docx")


def report(
    ref: str | Path,
    fmt: str = "html",
    *,
    lang: str = "zh",
    store: str | None = None,
    system: str | None = None,
    submission: str | Path | None = None,
):
    """The assessment report of a submission file (scored now; recorded too when `store` is
    given) or of a stored assessment (IRI or id, its submission file `submission`), as
    (bytes of the `fmt` file, the report model). Raises InputError as `explain_reference` does,
    StoreError when the store cannot be used."""
    from demozone.report import render  # WeasyPrint and python-docx load only for a report
    from demozone.report.model import report_of

    if fmt not in REPORT_FORMATS:
        raise InputError(
            [_problem(str(ref), "--format", f"unknown format {fmt!r}", "未知的报告格式")]
        )
    if submission is not None and is_submission_file(ref):
        raise InputError(
            [
                _problem(
                    str(ref),
                    "--submission",
                    "--submission names the file of a stored ASSESSMENT, not of a FILE",
                    "--submission 仅用于已存储的评估，不适用于申报材料文件",
                )
            ]
        )
    if system is not None and not is_submission_file(ref):
        raise InputError(
            [
                _problem(
                    str(ref),
                    "--system",
                    "--system applies to a submission FILE; a stored assessment keeps its system",
                    "--system 仅用于申报材料文件，已存储的评估按其自身的指标体系",
                )
            ]
        )
    resolved = resolve_assessment(ref, store, system=system)
    model = report_of(resolved, submission, lang)
    return render(model, fmt), model, resolved.notes


def save_report(output: str | Path, data: bytes) -> None:
    """Write a report whole or not at all (a temporary file, then a rename); InputError when
    the file cannot be written."""
    output = Path(output)
    temp = output.with_name(output.name + ".part")
    try:
        temp.write_bytes(data)
        os.replace(temp, output)
    except OSError as err:
        temp.unlink(missing_ok=True)
        raise InputError(
            [_problem(str(output), "", f"cannot write: {err}", "无法写入输出文件")]
        ) from None


def _problem(where: str, field: str, message: str, message_zh: str) -> Problem:
    return Problem(where, field, message, message_zh)


# ---------------------------------------------------------------------------------------------
# Comparing two stored assessments


def compare_assessments(a: str, b: str, store: str | None = None) -> dict:
    """Two stored assessments (IRIs or ids) side by side: under one system indicator by
    indicator, under two through the systems' matching (`policy.diff.assessments`). Raises
    StoreError when the store or an assessment is not there, InputError for unmatched systems."""
    from demozone.policy.diff.assessments import compare_assessments as _compare

    with _open_store(store, create=False) as opened:
        return _compare(opened, a, b)


__all__ += ["REPORT_FORMATS", "compare_assessments", "report", "save_report"]
