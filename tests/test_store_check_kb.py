"""`store check` validates the knowledge base graph's shapes without reading its text again while
the store's content is unchanged since a check read it (`EmbeddedStore.content_state`), and
reads it again, finding what changed, once anything wrote to the store."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from demozone.store import check as storecheck
from demozone.store.embedded import EmbeddedStore
from demozone.store.terms import DZ, KB_GRAPH

from .conftest import copy_store


def _reads(monkeypatch) -> list[str]:
    read: list[str] = []
    dump = EmbeddedStore.graph_ntriples
    monkeypatch.setattr(
        EmbeddedStore, "graph_ntriples", lambda self, graph: read.append(graph) or dump(self, graph)
    )
    return read


def test_the_kb_graph_is_read_again_only_when_the_store_changed(
    kb_store_template: Path, tmp_path: Path, monkeypatch
):
    where = copy_store(kb_store_template, tmp_path / "store")
    with EmbeddedStore(where, create=False) as store:
        first = storecheck.check(store, digests=False)
    with EmbeddedStore(where, create=False) as store:
        storecheck.check(store, digests=False)  # what a check finds unchanged is kept
    read = _reads(monkeypatch)
    with EmbeddedStore(where, create=False) as store:
        assert storecheck.check(store, digests=False).findings == first.findings
        assert read == []
        # another program replaces a clause's points, keeping the graph's triple count
        points = ox.NamedNode(DZ + "points")
        old = next(iter(store.ox.quads_for_pattern(None, points, None, KB_GRAPH)))
        store.ox.remove(old)
        store.ox.add(ox.Quad(old.subject, points, ox.Literal("not a number"), KB_GRAPH))
        changed = storecheck.check(store, digests=False)
    assert read == [KB_GRAPH.value]
    assert not changed.ok
    assert any(
        f.code == "shapes" and f.subject == old.subject.value and f.severity == "error"
        for f in changed.findings
    )
