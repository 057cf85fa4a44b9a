"""Standard PROV out: the W3C `prov` library reads every example's export as it is (no prefix
bound by hand, no ontology reasoning) and finds the scores as entities, the rule firings as
activities, the assessors as agents, and the generations, usages, derivations and attributions
between them; PROV-N and PROV-JSON written through it read back to the same document."""

from __future__ import annotations

import re
import warnings
from collections import Counter

import pytest
from prov.model import ProvDocument
from rdflib import RDF, Graph, URIRef

from demozone.common.vocab import DZ, ID
from demozone.provenance import export as ex
from demozone.provenance.provformats import read_prov
from demozone.provenance.provtypes import iri_base

from .conftest import EXAMPLES


@pytest.fixture(scope="module")
def exported(scored_examples) -> dict[str, Graph]:
    return {name: ex.export_graph(r.quads, r.kb_graph) for name, r in scored_examples.items()}


@pytest.fixture(scope="module")
def turtle(exported) -> dict[str, str]:
    return {name: ex.serialize(graph, "ttl") for name, graph in exported.items()}


def _prov_read(text: str) -> ProvDocument:
    """Exactly what an auditor's tool does with the exported file: no help of any kind."""
    with warnings.catch_warnings():
        warnings.simplefilter(
            "error", UserWarning
        )  # a record the library could not convert fails the test
        return ProvDocument.deserialize(content=text, format="rdf", rdf_format="turtle")


def _ids(document: ProvDocument, kind: str) -> set[str]:
    return {str(r.identifier.uri) for r in document.get_records() if type(r).__name__ == kind}


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_prov_library_reads_the_export_without_help(name, exported, turtle):
    graph, document = exported[name], _prov_read(turtle[name])
    kinds = Counter(type(r).__name__ for r in document.get_records())
    for relation in ("ProvGeneration", "ProvUsage", "ProvDerivation", "ProvAttribution"):
        assert kinds[relation] > 0, relation
    scores = {str(s) for s in graph.subjects(RDF.type, DZ.Score)}
    firings = {str(s) for s in graph.subjects(RDF.type, DZ.RuleFiring)}
    assessors = {str(s) for s in graph.subjects(RDF.type, DZ.Assessor)}
    assert scores and firings and assessors
    assert scores <= _ids(document, "ProvEntity")
    assert firings <= _ids(document, "ProvActivity")
    assert assessors <= _ids(document, "ProvAgent")
    # the derivations join indicator scores to the clause scores they came from
    derived = {
        (
            str(r.get_attribute("prov:generatedEntity").pop().uri),
            str(r.get_attribute("prov:usedEntity").pop().uri),
        )
        for r in document.get_records()
        if type(r).__name__ == "ProvDerivation"
    }
    assert any(a in scores and b in scores for a, b in derived)
    attributed = {
        str(r.get_attribute("prov:agent").pop().uri)
        for r in document.get_records()
        if type(r).__name__ == "ProvAttribution"
    }
    assert assessors <= attributed


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_every_node_has_an_explicit_prov_class(name, exported):
    from rdflib.namespace import PROV

    graph = exported[name]
    kinds = (PROV.Entity, PROV.Activity, PROV.Agent, PROV.Association)
    untyped = [
        s for s in set(graph.subjects()) if not any((s, RDF.type, k) in graph for k in kinds)
    ]
    assert untyped == []


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_export_declares_a_prefix_for_every_iri_base(name, exported, turtle):
    declared = set(re.findall(r"^@prefix [^:]*: <([^>]*)> \.$", turtle[name], re.MULTILINE))
    bases = {
        iri_base(str(t))
        for triple in exported[name]
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(str(ID))
    }
    assert bases and bases <= declared


@pytest.mark.parametrize("name", list(EXAMPLES))
@pytest.mark.parametrize("fmt", ["provn", "provjson"])
def test_prov_n_and_prov_json_round_trip_through_prov(name, fmt, exported, turtle):
    original = _prov_read(turtle[name])
    text = ex.serialize(exported[name], fmt)
    back = read_prov(text, fmt)
    assert back == original
    assert Counter(type(r).__name__ for r in back.get_records()) == Counter(
        type(r).__name__ for r in original.get_records()
    )
