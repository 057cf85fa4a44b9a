"""An export without an rdflib graph of it: the triples `export.export_graph` would hold, as a
list, beside a graph that holds only its prefixes.

An export is some 25,000 triples, mostly the knowledge base passages the assessment cites.
Putting them into an rdflib graph, typing its nodes and reading them back costs more than
writing them: `ExportDocument` types the nodes and finds the IRI bases from the list
(`provtypes.prov_type_triples`, `provtypes.bind_iri_bases`), writes Turtle straight from it
(`turtle.turtle_text` with the triples given) and answers the few questions the summary asks
(`subjects`, `objects`, `value`, `len`) from a dictionary. The Turtle text is the one
`export.serialize` gives for `export.export_graph` of the same quads, byte for byte; JSON-LD,
PROV-N, PROV-JSON, a document with blank nodes and the SHACL validation go through the rdflib
graph, built on first use (`graph()`).
"""

from __future__ import annotations

import hashlib

from rdflib import Graph

from demozone.common.vocab import bind_prefixes
from demozone.provenance import export
from demozone.provenance.provtypes import bind_iri_bases, prov_type_triples
from demozone.provenance.rdfterms import rdflib_triples
from demozone.provenance.turtle import turtle_text

__all__ = ["ExportDocument", "export_document"]


class ExportDocument:
    """The triples of an export, each once, in the order an rdflib graph of them is filled,
    with the prefixes bound on `prefixes` (an rdflib graph with no triples until `graph()`)."""

    def __init__(self, prefixes: Graph) -> None:
        self.triples: list[tuple] = []
        self._by_subject: dict = {}  # subject -> predicate -> objects (dicts: ordered, once each)
        self.prefixes = prefixes
        self._graph: Graph | None = None
        self._turtle: str | None = None

    def add(self, triples) -> None:
        """Add `triples`, each once (as a graph would)."""
        by_subject, added = self._by_subject, self.triples.append
        for triple in triples:
            s, p, o = triple
            objects = by_subject.get(s)
            if objects is None:
                objects = by_subject[s] = {}
            found = objects.get(p)
            if found is None:
                found = objects[p] = {}
            if o not in found:
                found[o] = None
                added(triple)
        self._graph = self._turtle = None

    @classmethod
    def of_graph(cls, graph: Graph) -> ExportDocument:
        """The document of an rdflib graph built already (written from that graph)."""
        document = cls(graph)
        document.add(graph)
        document._graph = graph
        return document

    def __len__(self) -> int:
        return len(self.triples)

    def graph(self) -> Graph:
        """The export as an rdflib graph (the prefixes' graph, filled on the first call): the
        graph `export.export_graph` gives for the same quads."""
        if self._graph is None:
            for triple in self.triples:  # a graph holds each once: adding again changes nothing
                self.prefixes.add(triple)
            self._graph = self.prefixes
        return self._graph

    def subjects(self, predicate, obj):
        """The subjects of (?, predicate, obj), as a graph gives them (in no promised order)."""
        return (s for s, objects in self._by_subject.items() if obj in objects.get(predicate, ()))

    def objects(self, subject, predicate):
        """The objects of (subject, predicate, ?)."""
        return iter(self._by_subject.get(subject, {}).get(predicate, ()))

    def value(self, subject, predicate):
        """The first object of (subject, predicate, ?), None when there is none."""
        return next(self.objects(subject, predicate), None)

    def turtle(self) -> str:
        """The Turtle text `export.serialize(graph, "ttl")` gives for the export's graph."""
        if self._turtle is None:
            self._turtle = self._written_turtle()
        return self._turtle

    def _written_turtle(self) -> str:
        if self._graph is None:
            try:
                text = turtle_text(self.prefixes, self.triples)
            except ValueError:
                pass  # a blank node: its nesting is worked out from a graph
            else:
                head = export.turtle_head(export.assessment_node(self))
                return head + export.unused_prefixes(self.prefixes, text) + text
        return export.serialize(self.graph(), "ttl")

    def serialize(self, fmt: str) -> str:
        """`export.serialize` of the export's graph, in `fmt`."""
        return self.turtle() if fmt == "ttl" else export.serialize(self.graph(), fmt)

    def digest(self) -> str:
        """The sha256 of the Turtle text: the same for the same triples (the text is the same
        bytes in every run), and different for different ones (it parses back to them)."""
        return hashlib.sha256(self.turtle().encode("utf-8")).hexdigest()


def export_document(quads) -> ExportDocument:
    """`export.export_graph(quads, None)` as an `ExportDocument`: the quads' triples (the
    knowledge base excerpt among them), every node typed with its PROV classes and a prefix
    bound for every IRI base."""
    document = ExportDocument(bind_prefixes(Graph()))
    document.add(rdflib_triples(quads))
    document.add(prov_type_triples(document.triples))
    node = export.assessment_node(document)
    bind_iri_bases(document.prefixes, str(node) if node is not None else None, document.triples)
    return document
