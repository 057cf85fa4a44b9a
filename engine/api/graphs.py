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
from demozone.provenance.document import ExportDocument, export_document

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


def export_graph(resolved: Resolved) -> ExportDocument:
    """A resolved assessment as PROV-O with demozone's vocabulary, with the knowledge base
    entries and source passages it cites: an `ExportDocument` (its rdflib graph: `.graph()`)."""
    found = resolved.kb_excerpt_triples()
    if found is None:
        return ExportDocument.of_graph(_export.export_graph(resolved.quads, resolved.kb_excerpt()))
    # the excerpt is the larger part of an export: its triples are typed and written as a list,
    # without an rdflib graph of them (provenance.document)
    return export_document([*resolved.quads, *found])


def validate_export(document: ExportDocument | Graph) -> list[tuple[str, str, str]]:
    """(severity, focus node, message) of every violation of the provenance shapes.

    Kept in the on-disk cache (demozone.kb.cache) by the digest of the triples, the shapes, the
    validating code and pySHACL's version: the same triples get the same results."""
    from importlib.metadata import version  # here: `graph` does without it (email, zipfile)

    if isinstance(document, Graph):
        document = ExportDocument.of_graph(document)
    inputs = [
        document.digest(),
        sha256_file(_export.PROV_SHAPES_FILE),
        sha256_file(Path(_export.__file__)),
        version("pyshacl"),
    ]
    key = hashlib.sha256("\0".join(inputs).encode("utf-8")).hexdigest()[:32]
    return cached_under(key, "export-shapes", lambda: _export.validate(document.graph()))[0]


def serialize_export(document: ExportDocument | Graph, fmt: str) -> str:
    """An export as the text of one of `EXPORT_FORMATS` (Turtle, JSON-LD, PROV-N, PROV-JSON)."""
    if isinstance(document, Graph):
        return _export.serialize(document, fmt)
    return document.serialize(fmt)


def export_summary(document: ExportDocument | Graph, findings: list[tuple[str, str, str]]) -> dict:
    """What an export holds (triples, assessment, receipt) and whether it conforms."""
    return _export.summary(document, findings)
