"""The knowledge base through the API: systems, indicators, SPARQL, checks and lint."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from demozone.kb import load as _kb
from demozone.kb import view as _view

if TYPE_CHECKING:
    from rdflib import Graph

    from demozone.kb.check_report import KbReport
    from demozone.kb.model import KB
    from demozone.policy.lint.run import LintReport

# What `systems` and `show` do not need is imported on first use: SPARQL, SHACL, lint.
_QUERY, _CHECK, _GRAPH = "demozone.kb.query", "demozone.kb.check", "demozone.kb.graph"
_LINT, _CATALOG = "demozone.policy.lint.run", "demozone.submission.catalog"


def _module(name: str):
    return importlib.import_module(name)


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
    return _module(_QUERY).run_query(sparql, kb_dir, seconds=seconds, max_rows=max_rows)


def check_kb(kb_dir: KbDir = None, *, force: bool = False) -> KbReport:
    """Every check of the knowledge base; `report.ok` is False only for errors in demozone's data.

    Run once per content of kb/ and ontology/: `report.reused` is True when the result of an
    earlier run on the same files was read back; `force` runs every check again."""
    return _module(_CHECK).check_kb(kb_dir, force=force)


def lint(targets: list[str] | tuple[str, ...] = (), kb_dir: KbDir = None) -> list[LintReport]:
    """Lint rule sets (system ids or rule files; none: every shipped one), one report each.

    A report's findings carry severity, code, location and message; `report.ok` is False when
    one is an error. Raises InputError when a target cannot be read as a rule set.
    """
    return _module(_LINT).lint_many(targets, kb_dir)


def kb_graph(kb_dir: KbDir = None) -> Graph:
    """The knowledge base as one rdflib graph (named graph id/graph/kb)."""
    return _module(_GRAPH).kb_graph(kb_dir)


def clear_caches() -> None:
    """Forget loaded knowledge bases and built graphs."""
    _kb.clear_cache()
    for name in (_GRAPH, _CHECK, _CATALOG):
        _module(name).clear_cache()
