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
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from demozone.assessment.assess import Assessment, assess, score_as
from demozone.assessment.batch import assess_many
from demozone.common.errors import InputError
from demozone.explain.ask import QUESTIONS, Answer, ask, check_parameters, question
from demozone.explain.derivation import Explained, explain, explain_reference
from demozone.kb import check as _checks
from demozone.kb import graph as _kbgraph
from demozone.kb import model as _kb
from demozone.kb import view as _view
from demozone.kb.check import CheckReport
from demozone.kb.check import check_kb as _check_kb
from demozone.kb.model import KB, System
from demozone.policy.diff.matching import Matching, match_systems
from demozone.policy.diff.memo import render_memo
from demozone.policy.diff.systems import SystemDiff, diff_systems
from demozone.policy.impact.report import impact_csv, impact_json
from demozone.policy.impact.run import ImpactReport, impact
from demozone.policy.lint.run import LintReport, lint_many
from demozone.policy.ruletests import rule_test_files, run_rule_tests
from demozone.scoring.report import result_json
from demozone.submission import model as _submission

KbDir = Path | str | None

__all__ = [
    "KB",
    "QUESTIONS",
    "Answer",
    "Assessment",
    "CheckReport",
    "Explained",
    "ImpactReport",
    "InputError",
    "LintReport",
    "Matching",
    "System",
    "SystemDiff",
    "ask",
    "assess",
    "assess_many",
    "check_kb",
    "check_parameters",
    "clear_caches",
    "diff_systems",
    "explain",
    "explain_reference",
    "impact",
    "impact_csv",
    "impact_json",
    "kb_graph",
    "lint",
    "load_kb",
    "match_systems",
    "query",
    "question",
    "render_memo",
    "result_json",
    "rule_test_files",
    "run_rule_tests",
    "score_as",
    "show",
    "systems",
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
    """A SPARQL query over the knowledge-base graph and the ontology (see kbgraph.run_query)."""
    return _kbgraph.run_query(sparql, kb_dir)


def check_kb(kb_dir: KbDir = None) -> CheckReport:
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
# Reports (评估报告): appended as one block, so it merges apart from the rest of the API.

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
    from demozone.assessment.resolve import resolve_assessment
    from demozone.report import render
    from demozone.report.model import report_of

    if fmt not in REPORT_FORMATS:
        raise InputError(
            [_problem(str(ref), "--format", f"unknown format {fmt!r}", "未知的报告格式")]
        )
    from demozone.assessment.resolve import is_submission_file

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
    import os

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


def _problem(where: str, field: str, message: str, message_zh: str):
    from demozone.common.errors import Problem

    return Problem(where, field, message, message_zh)


# ---------------------------------------------------------------------------------------------
# Comparing two stored assessments: appended as one block, so it merges apart from the rest.


def compare_assessments(a: str, b: str, store: str | None = None) -> dict:
    """Two stored assessments (IRIs or ids) side by side: under one system indicator by
    indicator, under two through the systems' matching (`policy.diff.assessments`). Raises
    StoreError when the store or an assessment is not there, InputError for unmatched systems."""
    from demozone.policy.diff.assessments import compare_assessments as _compare
    from demozone.store.base import open_store

    with open_store(store, create=False) as opened:
        return _compare(opened, a, b)


__all__ += ["REPORT_FORMATS", "compare_assessments", "report", "save_report"]
