"""`graph` and `export` read one assessment's named graph and only the knowledge-base triples it
cites (`Resolved.kb_excerpt`), and say exactly what they said from the whole knowledge base."""

from __future__ import annotations

from pathlib import Path

import pytest

from demozone import api
from demozone.explain import provgraph as pg
from demozone.provenance import export as ex

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module", params=["national-2022", "hejin-2023"])
def stored(request, tmp_path_factory):
    store = str(tmp_path_factory.mktemp("store"))
    scored = api.resolve_assessment(ROOT / "examples" / request.param / "submission.yaml", store)
    resolved = api.resolve_assessment(scored.iri, store)
    resolved.store = store
    return resolved


def test_the_excerpt_is_what_export_takes_from_the_whole_knowledge_base(stored):
    excerpt = stored.kb_excerpt()
    assert set(excerpt) == set(ex.kb_excerpt(stored.graph(), stored.kb_graph))
    assert len(excerpt) < len(stored.kb_graph)


def test_export_and_graph_say_the_same_from_the_excerpt(stored):
    whole, part = stored.kb_graph, stored.kb_excerpt()
    assert ex.serialize(ex.export_graph(stored.quads, part), "ttl") == ex.serialize(
        ex.export_graph(stored.quads, whole), "ttl"
    )
    one, two = pg.provenance_graph(stored.quads, whole), pg.provenance_graph(stored.quads, part)
    for fmt in pg.FORMATS:
        assert pg.render(one, fmt, title="t") == pg.render(two, fmt, title="t")


def test_a_stored_assessment_is_read_without_building_the_whole_knowledge_base(stored):
    fresh = api.resolve_assessment(stored.iri, stored.store)
    fresh.kb_excerpt()
    assert callable(fresh.kb_source)  # the whole graph was neither built nor read
