"""One assessment as a provenance graph (networkx) or as PROV-O RDF (rdflib)."""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph

from demozone.api.choices import EXPORT_FORMATS, GRAPH_FORMATS, GRAPH_SUFFIXES
from demozone.common.hashing import sha256_file
from demozone.kb.cache import cached_under
from demozone.provenance import export as _export

if TYPE_CHECKING:
    import networkx as nx

    from demozone.assessment.resolve import Resolved

EXPORT_SUFFIXES = _export.SUFFIXES  # file suffix -> export format
# what `serialize_export` and `render_graph` write; file suffix -> graph format
__all__ = ["EXPORT_FORMATS", "GRAPH_FORMATS", "GRAPH_SUFFIXES"]


def _provgraph():
    """explain.provgraph (networkx), imported by the graph verbs only, not by export."""
    return importlib.import_module("demozone.explain.provgraph")


def _kblines():
    return importlib.import_module("demozone.explain.provgraph_kblines")


def provenance_graph(resolved: Resolved, indicator: str | None = None) -> nx.MultiDiGraph:
    """The provenance graph of a resolved assessment (`resolve_assessment`): scores, rule
    firings, rules, cases, facts, evidence, assessors, indicators, clauses and source passages;
    with `indicator`, only what that indicator's score came from."""
    lines = resolved.kb_lines()
    # the knowledge base is only looked up in, never searched: the lines of the nodes looked up
    # are parsed as they are asked for, without an excerpt of ~20,000 triples made beforehand
    kb = resolved.kb_excerpt() if lines is None else _kblines().KbLines(lines)
    graph = _provgraph().provenance_graph(resolved.quads, kb)
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
    found = resolved.kb_excerpt_triples()
    if found is None:
        return _export.export_graph(resolved.quads, resolved.kb_excerpt())
    # one rdflib graph of both, built once: the excerpt is the larger part of an export
    return _export.export_graph([*resolved.quads, *found], None)


def validate_export(graph: Graph) -> list[tuple[str, str, str]]:
    """(severity, focus node, message) of every violation of the provenance shapes.

    Kept in the on-disk cache (demozone.kb.cache) by the digest of the triples, the shapes, the
    validating code and pySHACL's version: the same triples get the same results."""
    from importlib.metadata import version  # here: `graph` does without it (email, zipfile)

    inputs = [
        _triples_digest(graph),
        sha256_file(_export.PROV_SHAPES_FILE),
        sha256_file(Path(_export.__file__)),
        version("pyshacl"),
    ]
    key = hashlib.sha256("\0".join(inputs).encode("utf-8")).hexdigest()[:32]
    return cached_under(key, "export-shapes", lambda: _export.validate(graph))[0]


def _triples_digest(graph: Graph) -> str:
    """The sha256 of a graph's triples, one line of N3 terms each, sorted (so the order they
    were added in does not matter)."""
    written: dict = {}  # each distinct term written once (an export names each many times)
    lines = set()
    for triple in graph:
        lines.add(" ".join([written.get(t) or written.setdefault(t, t.n3()) for t in triple]))
    return hashlib.sha256("\n".join(sorted(lines)).encode("utf-8")).hexdigest()


def serialize_export(graph: Graph, fmt: str) -> str:
    """An exported graph as the text of one of `EXPORT_FORMATS` (Turtle or JSON-LD)."""
    return _export.serialize(graph, fmt)


def export_summary(graph: Graph, findings: list[tuple[str, str, str]]) -> dict:
    """What an export holds (triples, assessment, receipt) and whether it conforms."""
    return _export.summary(graph, findings)
