"""`export` writes from a list of triples (provenance.document) what it wrote from an rdflib
graph of them (provenance.export.export_graph): the same bytes in every format, the same
summary, the same graph."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from demozone import api
from demozone.provenance import export as ex
from demozone.provenance.document import ExportDocument, export_document
from demozone.provenance.turtle import turtle_text

from .conftest import EXAMPLES

XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")


@pytest.fixture(scope="module")
def both(scored_examples) -> dict:
    """name -> (the document the API gives, the graph export_graph gives) of each example."""
    return {
        name: (api.export_graph(r), ex.export_graph(r.quads, r.kb_graph))
        for name, r in scored_examples.items()
    }


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_the_document_is_written_as_the_graph_is(name, both):
    document, graph = both[name]
    assert api.serialize_export(document, "ttl") == ex.serialize(graph, "ttl")
    assert api.export_summary(document, []) == ex.summary(graph, [])
    assert set(document.graph()) == set(graph) and len(document) == len(graph)
    assert sorted(document.graph().namespaces()) == sorted(graph.namespaces())
    assert api.serialize_export(document, "jsonld") == ex.serialize(graph, "jsonld")


def test_the_turtle_of_a_list_is_rdflibs_turtle_of_its_graph():
    dz = "https://w3id.org/demozone/def#"
    triples = [
        (URIRef("https://example.org/a"), URIRef(dz + "p"), Literal('x\n"y"')),
        (URIRef("https://example.org/a"), URIRef(dz + "p"), Literal("1.50", datatype=XSD_DECIMAL)),
        (
            URIRef("https://example.org/a"),
            URIRef("https://other.example/q"),
            Literal("中", lang="zh"),
        ),
        (URIRef("https://example.org/b"), URIRef(dz + "p"), URIRef("https://example.org/a")),
        (URIRef("https://example.org/b"), URIRef(dz + "p"), URIRef("https://example.org/c")),
    ]
    graph = Graph()
    graph.bind("dz", dz)
    for triple in triples:
        graph.add(triple)
    prefixes = Graph()
    prefixes.bind("dz", dz)
    assert turtle_text(prefixes, triples) == graph.serialize(format="turtle")


def test_a_blank_node_is_written_from_the_graph():
    node = URIRef("https://example.org/a")
    document = ExportDocument(Graph())
    document.add([(node, URIRef("https://example.org/p"), BNode("b1"))])
    with pytest.raises(ValueError):
        turtle_text(Graph(), document.triples)
    assert document.turtle().endswith(document.graph().serialize(format="turtle"))


def test_a_document_of_quads_is_the_graph_of_them(scored_examples):
    resolved = scored_examples["national-2022"]
    document = export_document(resolved.quads)
    graph = ex.export_graph(resolved.quads, None)
    assert document.turtle() == ex.serialize(graph, "ttl")
