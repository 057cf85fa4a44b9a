"""The knowledge base as RDF: one named graph (id/graph/kb) beside the ontology.

Every node gets a deterministic IRI under id/ (no blank nodes): systems are SKOS concept schemes
of their levels, indicators and clauses; every text carries `dz:anchor`s, Web Annotation specific
resources with a quote selector and a code-point position selector on the source document, and
the citation's fields (kb.citation: dz:sourceId, dz:sourceFile, dz:charStart, dz:charEnd,
dz:byteStart, dz:byteEnd) on the anchor itself.
Controlled names (nature, methods, data sources, status) are linked to the ontology's concepts by
their Chinese labels; a name the ontology lacks is left unlinked (and reported by `kb check`).
"""

from __future__ import annotations

import functools
from pathlib import Path

from rdflib import Dataset, Graph, Literal

from demozone.common.vocab import (
    bind_prefixes,
    iri,
    ontology,
)
from demozone.kb.cache import cached
from demozone.kb.graphbuild import (  # noqa: F401  (re-exported: the IRIs of kb nodes)
    _Builder,
    clause_iri,
    decimal,
    indicator_iri,
    level_iri,
    system_iri,
)
from demozone.kb.load import load_kb

KB_GRAPH = iri("graph", "kb")
ONTOLOGY_GRAPH = iri("graph", "ontology")


def kb_dataset(kb_dir: Path | str | None = None) -> Dataset:
    """The knowledge base graph and the ontology as named graphs of one dataset (queries see both).

    Built once per knowledge base directory and process, and kept in the on-disk cache
    (demozone.kb.cache) for the next process while its files do not change.
    """
    return _dataset(str(load_kb(kb_dir).directory))


def kb_graph(kb_dir: Path | str | None = None) -> Graph:
    """The named graph id/graph/kb of the knowledge base, built once per knowledge base."""
    return kb_dataset(kb_dir).graph(KB_GRAPH)


def kb_ntriples(kb_dir: Path | str | None = None) -> bytes:
    """The knowledge base graph as N-Triples (one triple a line), kept in the on-disk cache."""
    directory = load_kb(kb_dir).directory
    return cached(
        "graph-nt", directory, lambda: kb_graph(directory).serialize(format="nt", encoding="utf-8")
    )[0]


@functools.lru_cache(maxsize=4)
def _lines_by_subject_cached(directory: str) -> dict[str, bytes]:
    # kept in the on-disk cache beside the N-Triples: reading the index back is a tenth of the
    # cost of splitting the N-Triples again (export and graph look up a few hundred subjects)
    return cached("graph-nt-by-subject", Path(directory), lambda: _by_subject(directory))[0]


def _by_subject(directory: str) -> dict[str, bytes]:
    index: dict[str, list[bytes]] = {}
    for line in kb_ntriples(directory).splitlines(keepends=True):
        if line.startswith(b"<"):
            subject = line[1 : line.index(b">")].decode("utf-8")
            index.setdefault(subject, []).append(line)
    return {subject: b"".join(lines) for subject, lines in index.items()}


def kb_lines_by_subject(kb_dir: Path | str | None = None) -> dict[str, bytes]:
    """Subject IRI -> its lines of `kb_ntriples`, in their order, as one text: a
    knowledge-base node's triples, unparsed."""
    return _lines_by_subject_cached(str(load_kb(kb_dir).directory))


def clear_cache() -> None:
    """Forget built graphs (tests that edit a copy of kb/ in place)."""
    _dataset.cache_clear()
    _lines_by_subject_cached.cache_clear()


@functools.lru_cache(maxsize=16)
def _dataset(directory: str) -> Dataset:
    return cached(
        "graph", Path(directory), lambda: _build(directory), reducers={Literal: _reduce_literal}
    )[0]


def _reduce_literal(literal: Literal) -> tuple:
    # rdflib pickles a literal as Literal(lexical, lang, datatype), which parses the lexical form
    # again: a fifth of reading the graph back. The cache key names the rdflib version, so its
    # slots can be kept as they are.
    return literal_of_parts, (
        str(literal),
        literal._language,
        literal._datatype,
        literal._value,
        literal._ill_typed,
    )


def literal_of_parts(lexical: str, language, datatype, value, ill_typed) -> Literal:
    """The rdflib literal with these parts (as `_reduce_literal` takes them apart), its value
    given, not parsed again: what `Literal(lexical, lang=..., datatype=...)` makes when `value`
    and `ill_typed` are what rdflib would find."""
    literal = str.__new__(Literal, lexical)
    literal._language = language
    literal._datatype = datatype
    literal._value = value
    literal._ill_typed = ill_typed
    return literal


_literal = literal_of_parts  # the name the caches pickled before refer to


def _build(directory: str) -> Dataset:
    built = Dataset(default_union=True)
    graph = built.graph(KB_GRAPH)
    _Builder(load_kb(directory), graph).build()
    ont = built.graph(ONTOLOGY_GRAPH)
    for triple in ontology():
        ont.add(triple)
    # Equal terms made as one object: the cached pickle then holds each term once (a third
    # smaller, and read back in half the time).
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    terms: dict = {}
    for name in (KB_GRAPH, ONTOLOGY_GRAPH):
        target = dataset.graph(name)
        for triple in built.graph(name):
            target.add(tuple(terms.setdefault(term, term) for term in triple))
    return dataset
