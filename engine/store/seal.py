"""Sealing an assessment for the store, and the knowledge base graph as the store holds it.

An assessment is sealed by its completeness marker, `dz:tripleCount` (the distinct triples of
its graph, the marker included), so `store check` tells a whole assessment from a partial one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from demozone.common.errors import StoreError
from demozone.common.hashing import tree_sha256
from demozone.kb.cache import cached
from demozone.kb.graph import kb_graph
from demozone.kb.load import digest as kb_digest
from demozone.kb.load import load_kb
from demozone.provenance.digest import CONTENT_DIGEST, content_digest_of_text
from demozone.provenance.rdfterms import to_ox
from demozone.provenance.rulesetgraph import RULE_SET_GRAPH_PREFIX
from demozone.store.terms import (
    ASSESSMENT,
    ENDED,
    INTEGER,
    KB_GRAPH,
    SHA256,
    TRIG_OPEN,
    TRIPLE_COUNT,
    TYPE,
    USED,
    iri_term,
    now_literal,
    sparql_term,
)


def seal(quads: Iterable[ox.Quad]) -> tuple[ox.NamedNode, list[ox.Quad]]:
    """The assessment's graph and its distinct quads plus the completeness marker.

    All quads must be in one named graph, named by a node typed dz:Assessment in it. The marker
    `dz:tripleCount` counts the graph's distinct triples, itself included; `prov:endedAtTime`
    (when the assessment was recorded, to the microsecond) is added when absent.
    """
    distinct = canonical(quads)
    graphs = {q.graph_name for q in distinct}
    if len(graphs) != 1:
        raise StoreError(f"an assessment is written as one named graph, got {len(graphs)} graphs")
    graph = graphs.pop()
    if not isinstance(graph, ox.NamedNode):
        raise StoreError("an assessment's graph must be a named graph")
    if not any(
        q.subject == graph and q.predicate == TYPE and q.object == ASSESSMENT for q in distinct
    ):
        raise StoreError(f"{graph.value} holds no dz:Assessment named like its graph")
    if any(q.subject == graph and q.predicate == TRIPLE_COUNT for q in distinct):
        raise StoreError(f"{graph.value} is already sealed")
    if any(isinstance(t, ox.BlankNode) for q in distinct for t in (q.subject, q.object)):
        raise StoreError("assessments must not hold blank nodes (mint IRIs instead)")
    if not any(q.subject == graph and q.predicate == ENDED for q in distinct):
        distinct.append(ox.Quad(graph, ENDED, now_literal(), graph))  # new, so still distinct
    count = ox.Literal(str(len(distinct) + 1), datatype=INTEGER)
    distinct.append(ox.Quad(graph, TRIPLE_COUNT, count, graph))
    return graph, distinct


def canonical(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The distinct quads as Oxigraph keeps them (it stores derived datatypes and some lexical
    forms canonically), so a count taken here is the count the store will hold."""
    memory = ox.Store()
    memory.extend(quads)
    return list(memory)


def used_graphs(quads: Iterable[ox.Quad], graph: ox.NamedNode) -> list[str]:
    """The IRIs of the shared (rule set) graphs the assessment `graph` names with prov:used."""
    return sorted(
        {
            q.object.value
            for q in quads
            if q.subject == graph
            and q.predicate == USED
            and isinstance(q.object, ox.NamedNode)
            and q.object.value.startswith(RULE_SET_GRAPH_PREFIX)
        }
    )


def seal_lines(graph: str, lines: Sequence[str]) -> bytes:
    """The sealed TriG of an assessment graph built as distinct N-Triples lines in the lexical
    forms Oxigraph keeps (provenance.AssessmentGraph.lines): the lines, the recording time, the
    content digest (provenance.digest) and the completeness marker, as `seal` would add them to the same quads, in one `GRAPH` block
    (the graph's name written once: a third less to move and parse than N-Quads)."""
    g = sparql_term(iri_term(graph))
    lines = [*lines, f"{g} {sparql_term(ENDED)} {sparql_term(now_literal())}"]
    # tamper evidence: the digest of the content (store.chain adds the link when it is written)
    digest = ox.Literal(content_digest_of_text(lines, graph))
    lines.append(f"{g} {sparql_term(CONTENT_DIGEST)} {sparql_term(digest)}")
    count = ox.Literal(str(len(lines) + 1), datatype=INTEGER)
    lines.append(f"{g} {sparql_term(TRIPLE_COUNT)} {sparql_term(count)}")
    body = " .\n".join(lines)
    return f"{TRIG_OPEN}{g} {{\n{body} .\n}}\n".encode()


def parse_trig(data: str | bytes) -> list[ox.Quad]:
    return list(ox.parse(data, format=ox.RdfFormat.TRIG))


def to_trig(quads: Iterable[ox.Quad]) -> bytes:
    """Quads as TriG without prefixes (what a batch streams to the bulk loader)."""
    return ox.serialize(quads, format=ox.RdfFormat.TRIG)


@dataclass(frozen=True)
class Sealed:
    """One assessment of a batch (`write_batch`): its graph IRI, new to the store; its sealed
    TriG (`seal_lines`); the shared graphs it uses as (IRI, N-Quads text), added before it when
    the store lacks them."""

    graph: str
    trig: bytes
    shared: tuple[tuple[str, str], ...] = ()


def kb_quads(kb_dir: str | Path | None = None) -> list[ox.Quad]:
    """The knowledge base as quads of id/graph/kb, with its kb/ hash and triple count.

    Kept as N-Quads in the on-disk cache (demozone.kb.cache) while kb/ does not change."""
    directory = load_kb(kb_dir).directory
    text, _reused = cached("store-quads", directory, lambda: _kb_nquads(directory))
    return list(ox.parse(text, format=ox.RdfFormat.N_QUADS))


def _kb_nquads(kb_dir: Path) -> bytes:
    return ox.serialize(_build_kb_quads(kb_dir), format=ox.RdfFormat.N_QUADS)


def _build_kb_quads(kb_dir: str | Path | None = None) -> list[ox.Quad]:
    graph = kb_graph(kb_dir)
    quads = canonical(ox.Quad(to_ox(s), to_ox(p), to_ox(o), KB_GRAPH) for s, p, o in graph)
    digest = kb_digest(kb_dir)
    quads.append(ox.Quad(KB_GRAPH, SHA256, ox.Literal(digest), KB_GRAPH))
    quads.append(
        ox.Quad(KB_GRAPH, TRIPLE_COUNT, ox.Literal(str(len(quads) + 1), datatype=INTEGER), KB_GRAPH)
    )
    return quads


def current_kb_digest(kb_dir: str | Path | None = None) -> str:
    """The hash of kb/ as it is on disk now (what the store's knowledge base graph is compared with)."""
    return tree_sha256(Path(load_kb(kb_dir).directory))
