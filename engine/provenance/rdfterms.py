"""Between the two RDF libraries: rdflib (the knowledge base graph, SPARQL over it, the export
document) and pyoxigraph (the stores, an assessment's quads)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

__all__ = ["TripleIndex", "graph_of", "quads_to_graph", "rdflib_triples", "to_ox", "to_rdflib"]


def to_ox(term) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_rdflib(term):
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)  # rdflib keeps plain and xsd:string literals apart
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def quads_to_graph(quads) -> Graph:
    """The triples of some quads (or triples) as an rdflib graph."""
    return graph_of(rdflib_triples(quads))


def rdflib_triples(quads) -> list[tuple]:
    """The triples of some quads (or triples) as rdflib terms, one term object per distinct
    term: each is converted once, and rdflib's indexes and the Turtle writer then find equal
    terms by identity instead of comparing them in Python."""
    terms: dict = {}
    triples = []
    for q in quads:
        triple = []
        for term in (q.subject, q.predicate, q.object):
            found = terms.get(term)
            if found is None:
                found = terms[term] = to_rdflib(term)
            triple.append(found)
        triples.append(tuple(triple))
    return triples


def graph_of(triples) -> Graph:
    """An rdflib graph of some rdflib triples."""
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


class TripleIndex:
    """Some rdflib triples looked up by subject and predicate: what an rdflib graph of them
    answers to `objects`, `value` and `in`, in the same order (the order the triples came
    in), without the cost of building one."""

    def __init__(self, triples) -> None:
        self._objects: dict = {}
        for s, p, o in triples:
            self._objects.setdefault(s, {}).setdefault(p, {})[o] = None  # ordered, once each

    def objects(self, subject, predicate):
        """The objects of (subject, predicate, ?)."""
        return iter(self._objects.get(subject, {}).get(predicate, ()))

    def value(self, subject, predicate):
        """The first object of (subject, predicate, ?), None when there is none."""
        return next(self.objects(subject, predicate), None)

    def __contains__(self, triple) -> bool:
        s, p, o = triple
        return o in self._objects.get(s, {}).get(p, {})
