"""The knowledge base through the API: systems, indicators, SPARQL, checks and lint."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from demozone.kb import check as _checks
from demozone.kb import graph as _kbgraph
from demozone.kb import load as _kb
from demozone.kb import query as _kbquery
from demozone.kb import view as _view
from demozone.kb.check import check_kb as _check_kb
from demozone.kb.check_report import KbReport
from demozone.kb.model import KB
from demozone.policy.lint.run import LintReport, lint_many
from demozone.submission import catalog as _submission

KbDir = Path | str | None


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


def query(
    sparql: str, kb_dir: KbDir = None, *, seconds: float | None = None, max_rows: int | None = None
) -> dict:
    """A SPARQL query over the knowledge-base graph and the ontology, within a time and a row
    limit (see demozone.kb.query.run_query)."""
    return _kbquery.run_query(sparql, kb_dir, seconds=seconds, max_rows=max_rows)


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
