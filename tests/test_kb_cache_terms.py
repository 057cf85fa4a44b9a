"""The knowledge-base graph kept in the on-disk cache holds each distinct RDF term once (one
object for equal terms), so its pickle is written and read back per term, not per mention; and
it is the same graph, triple for triple, as the one built from kb/ and the ontology."""

from __future__ import annotations

import gc
import pickle

from rdflib import Graph

from demozone.kb import cache
from demozone.kb.graph import KB_GRAPH, ONTOLOGY_GRAPH, _build, _Builder, kb_dataset, ontology
from demozone.kb.load import load_kb


def test_equal_terms_of_the_cached_graph_are_one_object():
    dataset = kb_dataset()
    seen: dict = {}
    for quad in dataset.quads():
        for term in quad[:3]:
            assert seen.setdefault(term, term) is term


def test_the_cached_graph_is_the_graph_built_from_kb_and_the_ontology():
    kb = load_kb()
    reference = Graph()
    _Builder(kb, reference).build()
    built = _build(str(kb.directory))
    read_back = pickle.loads(pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL))
    assert set(read_back.graph(KB_GRAPH)) == set(reference)
    assert set(read_back.graph(ONTOLOGY_GRAPH)) == set(ontology())
    assert len(reference) > 0


def test_reading_an_entry_leaves_the_collector_as_it_found_it(tmp_path):
    path = tmp_path / "entry.pickle"
    path.write_bytes(pickle.dumps({"a": [1, 2]}))
    assert gc.isenabled()
    assert cache._read(path) == ({"a": [1, 2]},)
    assert gc.isenabled()
    gc.disable()
    try:
        assert cache._read(path) == ({"a": [1, 2]},)
        assert not gc.isenabled()
    finally:
        gc.enable()
