"""`graph` of a stored assessment looks the knowledge base up in its cached N-Triples lines,
subject by subject (`explain.provgraph_kblines.KbLines`), and says exactly what it says from
the whole knowledge base graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from demozone import api
from demozone.explain import provgraph as pg
from demozone.explain.provgraph_kblines import KbLines, _term
from demozone.kb.graph import kb_lines_by_subject
from demozone.provenance.rdfterms import to_rdflib

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module", params=["national-2022", "hejin-2023"])
def stored(request, tmp_path_factory):
    store = str(tmp_path_factory.mktemp("store"))
    scored = api.resolve_assessment(ROOT / "examples" / request.param / "submission.yaml", store)
    return api.resolve_assessment(scored.iri, store)


def test_the_graph_from_the_lines_is_the_graph_from_the_whole_knowledge_base(stored):
    lines = stored.kb_lines()
    assert lines is not None
    one = pg.provenance_graph(stored.quads, stored.kb_graph)
    two = pg.provenance_graph(stored.quads, KbLines(lines))
    for fmt in pg.FORMATS:
        assert pg.render(one, fmt, title="t") == pg.render(two, fmt, title="t")
    assert api.render_graph(api.provenance_graph(stored), "html") == pg.render(one, "html")


def _same(got, expected) -> bool:
    if type(got) is not type(expected) or got != expected or str(got) != str(expected):
        return False
    slots = ("_language", "_datatype", "_value", "_ill_typed")
    return all(getattr(got, s, None) == getattr(expected, s, None) for s in slots) and type(
        getattr(got, "_value", None)
    ) is type(getattr(expected, "_value", None))


def test_every_object_of_the_knowledge_base_is_the_term_pyoxigraph_and_rdflib_make():
    extra = [
        b'<http://a/b> <http://a/p> "x\\\\u \\"q\\" \\t\\\\" .',
        b'<http://a/b> <http://a/p> "-0"^^<http://www.w3.org/2001/XMLSchema#integer> .',
        b'<http://a/b> <http://a/p> "007"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> .',
        b'<http://a/b> <http://a/p> "A\\u00e9"@en .',
        b'<http://a/b> <http://a/p> "x"@zh-Hans .',
        b'<http://a/b> <http://a/p> "1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> .',
    ]
    lines = [line for text in kb_lines_by_subject().values() for line in text.splitlines()]
    for line in lines + extra:
        [triple] = ox.parse(line, format=ox.RdfFormat.N_TRIPLES)
        end = line.index(b"> ", line.index(b"> <") + 3)
        assert _same(_term(line[end + 2 : -2], line), to_rdflib(triple.object)), line
