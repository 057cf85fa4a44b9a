"""One assessment as a provenance graph (networkx) or as PROV-O RDF (rdflib)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from demozone.api.choices import EXPORT_FORMATS, GRAPH_FORMATS, GRAPH_SUFFIXES
from demozone.provenance import export as _export

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Graph

    from demozone.assessment.resolve import Resolved

EXPORT_SUFFIXES = _export.SUFFIXES  # file suffix -> export format
# what `serialize_export` and `render_graph` write; file suffix -> graph format
__all__ = ["EXPORT_FORMATS", "GRAPH_FORMATS", "GRAPH_SUFFIXES"]


def _provgraph():
    """explain.provgraph (networkx), imported by the graph verbs only, not by export."""
    return importlib.import_module("demozone.explain.provgraph")


def provenance_graph(resolved: Resolved, indicator: str | None = None) -> nx.MultiDiGraph:
    """The provenance graph of a resolved assessment (`resolve_assessment`): scores, rule
    firings, rules, cases, facts, evidence, assessors, indicators, clauses and source passages;
    with `indicator`, only what that indicator's score came from."""
    graph = _provgraph().provenance_graph(resolved.quads, resolved.kb_excerpt())
    if indicator is not None:
        graph = _provgraph().restrict_to_indicator(graph, indicator)
    return graph


def render_graph(graph: nx.MultiDiGraph, fmt: str, *, title: str = "") -> str:
    """A provenance graph as the text of one of `GRAPH_FORMATS` (html: one offline page)."""
    return _provgraph().render(graph, fmt, title=title)


def graph_summary(graph: nx.MultiDiGraph) -> dict:
    """Counts of a provenance graph's nodes and edges (by kind) and its assessment."""
    return _provgraph().summary(graph)


def export_graph(resolved: Resolved) -> Graph:
    """A resolved assessment as PROV-O with demozone's vocabulary, with the knowledge base
    entries and source passages it cites, as one rdflib graph."""
    return _export.export_graph(resolved.quads, resolved.kb_excerpt())


def validate_export(graph: Graph) -> list[tuple[str, str, str]]:
    """(severity, focus node, message) of every violation of the provenance shapes."""
    return _export.validate(graph)


def serialize_export(graph: Graph, fmt: str) -> str:
    """An exported graph as the text of one of `EXPORT_FORMATS` (Turtle or JSON-LD)."""
    return _export.serialize(graph, fmt)


def export_summary(graph: Graph, findings: list[tuple[str, str, str]]) -> dict:
    """What an export holds (triples, assessment, receipt) and whether it conforms."""
    return _export.summary(graph, findings)
