"""What is in a store and whether it is whole (`demozone store info|check`).

`info` counts the triples of every graph by kind (knowledge base, rule set, assessment) and says
whether the stored knowledge base is this installation's. `check` reads every graph's
completeness marker against its triples, every assessment's required properties and the rule
set graphs it uses, and (unless `shapes=False`) validates the knowledge base and the
assessments against the SHACL shapes: a report of findings, never an exception for a store that
is merely incomplete.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from importlib.metadata import version
from pathlib import Path
from urllib.parse import unquote

import pyoxigraph as ox

from demozone.common.hashing import sha256_file, tree_sha256
from demozone.common.paths import ONTOLOGY_DIR
from demozone.kb.cache import cached_under
from demozone.provenance.rulesetgraph import RULE_SET_GRAPH_PREFIX
from demozone.provenance.signing import key_graph_iri
from demozone.store.base import BaseStore
from demozone.store.check_report import StoreReport, store_finding
from demozone.store.embedded import EmbeddedStore
from demozone.store.seal import current_kb_digest
from demozone.store.terms import (
    ASSESSMENT_PREFIX,
    DZ,
    ID,
    KB_GRAPH,
    PREFIXES,
    PROV,
    XSD,
    sparql_term,
)
from demozone.store.verify import verify_store

ZONE_PREFIX = ID + "zone/"  # zones and their events (demozone.procedure.records)


def info(store: BaseStore) -> dict:
    counts = store.graph_counts()
    graphs = []
    for graph, n in counts.items():
        graphs.append({"graph": graph, "kind": graph_kind(graph), "triples": n})
    stored = store.kb_digest()
    current = current_kb_digest()
    return {
        "location": store.location,
        "backend": store.kind,
        "graphs": graphs,
        "default_graph_triples": store.default_count(),
        "named_graphs": len(counts),
        "triples": sum(counts.values()),
        "assessments": sum(1 for g in graphs if g["kind"] == "assessment"),
        "kb": {
            "loaded": KB_GRAPH.value in counts,
            "digest": stored,
            "current_digest": current,
            "up_to_date": stored == current,
        },
    }


KEY_GRAPH_PREFIX = key_graph_iri("")


def graph_kind(graph: str) -> str:
    """kb, assessment, ruleset (a rule set's shared graph), zone (a zone or one of its events,
    demozone.procedure) or other."""
    if graph == KB_GRAPH.value:
        return "kb"
    if graph.startswith(ZONE_PREFIX):
        return "zone"
    if graph.startswith(ASSESSMENT_PREFIX):
        return "assessment"
    if graph.startswith(KEY_GRAPH_PREFIX):
        return "key"
    return "ruleset" if graph.startswith(RULE_SET_GRAPH_PREFIX) else "other"


# what every assessment node must state
_REQUIRED_NAMES = {
    DZ + "submission": "submission",
    DZ + "system": "system",
    DZ + "total": "total",
    DZ + "passed": "passed",
    DZ + "receipt": "receipt",
    PROV + "startedAtTime": "started",
}


def check(store: BaseStore, *, shapes: bool = True, digests: bool = True) -> StoreReport:
    """Is the store whole? Every assessment complete, the knowledge base graph whole and
    conforming to the SHACL shapes, nothing unexpected; with `digests`, every assessment's
    content digest, chain link and signature recomputed (store.verify)."""
    with ThreadPoolExecutor(max_workers=1) as ahead:
        return _check(store, shapes, digests, ahead)


def _check(store: BaseStore, shapes: bool, digests: bool, ahead: ThreadPoolExecutor) -> StoreReport:
    report = StoreReport(store.location)
    add = report.findings.append
    counts = store.graph_counts()
    loaded = KB_GRAPH.value in counts
    # The knowledge base graph's shapes, read while the assessments are checked: an embedded
    # store reads its text in Oxigraph, without holding the GIL (0.3 s), unless the store's
    # content is known unchanged since a check that read it (`_kb_shape_results`).
    kb_text = ahead.submit(_kb_shape_results, store) if loaded and shapes else None
    markers = {
        row["g"].value: row["n"].value
        for row in store.select(
            f"{PREFIXES} SELECT ?g ?n WHERE {{ GRAPH ?g {{ ?g dz:tripleCount ?n }} }}"
        )
    }
    present = _assessment_statements(store)
    uses = _rule_set_graphs_used(store)
    for graph, n in counts.items():
        kind = graph_kind(graph)
        if kind == "kb":
            _check_count(add, "kb", "knowledge base graph", n, markers.get(graph))
        elif kind in ("ruleset", "zone", "key"):
            _check_count(add, "ruleset" if kind == "key" else kind, graph, n, markers.get(graph))
        elif kind == "other":
            add(
                store_finding(
                    "warning", "graph", graph, "a graph demozone did not write", "非本系统写入的图"
                )
            )
        else:
            report.assessments += 1
            subject = unquote(graph.removeprefix(ASSESSMENT_PREFIX))
            ok = _check_count(add, "assessment", subject, n, markers.get(graph))
            problems = _assessment_problems(
                uses.get(graph, set()) - set(counts), present.get(graph, set())
            )
            for en, zh in problems:
                add(store_finding("error", "assessment", subject, en, zh))
            report.complete += ok and not problems
    stray = [g for g in present if g not in counts or not g.startswith(ASSESSMENT_PREFIX)]
    for graph in stray:
        add(store_finding("warning", "graph", graph, "an assessment outside an assessment graph"))
    _check_kb(store, add, loaded, kb_text)
    if digests:
        # content digests, chains, signatures (of the assessment graphs counted above)
        graphs = [g for g in counts if g.startswith(ASSESSMENT_PREFIX)]
        for found in verify_store(store, graphs=graphs):
            subject = unquote(found.assessment.removeprefix(ASSESSMENT_PREFIX))
            if found.check != "count":  # the count is checked above
                add(store_finding("error", found.check, subject, found.message))
    return report


def _assessment_statements(store: BaseStore) -> dict[str, set[str]]:
    """Graph -> which of the required statements its assessment node makes."""
    present: dict[str, set[str]] = {}
    for row in store.select(
        f"""{PREFIXES}
        SELECT ?g ?p WHERE {{ GRAPH ?g {{ ?g a dz:Assessment ; ?p ?o }} }}"""
    ):
        name = _REQUIRED_NAMES.get(row["p"].value)
        if name:
            present.setdefault(row["g"].value, set()).add(name)
    return present


def _rule_set_graphs_used(store: BaseStore) -> dict[str, set[str]]:
    """Graph -> the rule set graphs its assessment names with prov:used."""
    uses: dict[str, set[str]] = {}
    for row in store.select(
        f"""{PREFIXES} SELECT ?g ?r WHERE {{ GRAPH ?g {{ ?g prov:used ?r }}
            FILTER(STRSTARTS(STR(?r), {sparql_term(ox.Literal(RULE_SET_GRAPH_PREFIX))})) }}"""
    ):
        uses.setdefault(row["g"].value, set()).add(row["r"].value)
    return uses


def _assessment_problems(missing_shared: set[str], statements: set[str]) -> list[tuple[str, str]]:
    """(English, Chinese) of what makes an assessment incomplete besides its count."""
    problems = [
        (
            f"incomplete: the rule set graph it uses is missing ({shared})",
            "记录不完整：缺少其计分规则集图",
        )
        for shared in sorted(missing_shared)
    ]
    missing = [r for r in _REQUIRED_NAMES.values() if r not in statements]
    if missing:
        problems.append((f"lacks {', '.join(missing)}", "评估记录缺少必要内容"))
    return problems


def _check_kb(store: BaseStore, add, loaded: bool, kb_text: Future | None) -> None:
    if not loaded:
        add(
            store_finding(
                "info",
                "kb",
                "knowledge base graph",
                "not loaded yet (it is added with the first assessment, or by `store load-kb`)",
                "知识库尚未载入",
            )
        )
        return
    stored, current = store.kb_digest(), current_kb_digest()
    if stored != current:
        add(
            store_finding(
                "warning",
                "kb",
                "knowledge base graph",
                "differs from kb/ of this installation; run `demozone store load-kb` to replace it",
                "存储中的知识库与当前知识库不一致",
            )
        )
    if kb_text is not None:  # the shapes are checked
        for severity, focus, message in kb_text.result():
            add(store_finding(severity, "shapes", focus, message))


def _check_count(add, check_name: str, subject: str, n: int, marker: str | None) -> bool:
    if marker is None:
        add(
            store_finding(
                "error",
                check_name,
                subject,
                f"incomplete: no completeness marker (dz:tripleCount), {n} triples",
                "记录不完整：缺少完整性标记",
            )
        )
        return False
    if str(n) != marker:
        add(
            store_finding(
                "error",
                check_name,
                subject,
                f"incomplete: {n} triples, the marker says {marker}",
                "记录不完整：三元组数与标记不符",
            )
        )
        return False
    return True


def graph_digest(ntriples: bytes) -> str:
    """A hash of a graph's N-Triples that does not depend on their order."""
    return hashlib.sha256(b"\n".join(sorted(ntriples.splitlines()))).hexdigest()


_SHAPES_CACHE: dict[str, tuple[tuple[str, str, str], ...]] = {}


def shape_results(ntriples: bytes) -> tuple[tuple[str, str, str], ...]:
    """(severity, focus node, message) for every SHACL result on a knowledge base graph.

    Remembered by the hash of the text, the shapes, the ontology and this checking code, per
    process and in the on-disk cache (demozone.kb.cache): the same text gets the same results.
    """
    # The text as given, not sorted (graph_digest): a store writes the same triples in the
    # same order, and sorting 60,000 lines costs more than hashing them; the same triples in
    # another order only cost one validation more.
    key = _shapes_key(hashlib.sha256(ntriples).hexdigest())
    if key not in _SHAPES_CACHE:
        _SHAPES_CACHE[key] = cached_under(
            key,
            "store-shapes",
            lambda: _validate_shapes(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)),
        )[0]
    return _SHAPES_CACHE[key]


def _kb_shape_results(store: BaseStore) -> tuple[tuple[str, str, str], ...]:
    """`shape_results` of the store's knowledge base graph. An embedded store's text is not
    read again while its content state (`EmbeddedStore.content_state`, taken under its lock)
    is the one the last check that read it saw: the on-disk cache keeps, per store, that state
    and the text's sha256 (one small entry a store, replaced, so entries do not pile up)."""
    state = store.content_state() if isinstance(store, EmbeddedStore) else None
    if state is None:
        return shape_results(store.graph_ntriples(KB_GRAPH.value))
    token = hashlib.sha256(repr(sorted(state)).encode("utf-8")).hexdigest()
    where = hashlib.sha256(os.path.realpath(store.location).encode("utf-8")).hexdigest()
    name = f"store-kb-digest-{where[:32]}"
    kept = _looked_up(_STORE_DIGESTS, name)
    if kept is not None and kept[0] == token:
        key = _shapes_key(kept[1])
        found = _SHAPES_CACHE.get(key) or _looked_up(key, "store-shapes")
        if found is not None:
            _SHAPES_CACHE[key] = found
            return found
    text = store.graph_ntriples(KB_GRAPH.value)
    if store.content_state() == state:  # nothing wrote to the store while it was read
        entry = (token, hashlib.sha256(text).hexdigest())
        cached_under(_STORE_DIGESTS, name, lambda: entry, force=True)
    return shape_results(text)


_STORE_DIGESTS = "store-kb-digests"  # the cache directory of those entries


def _looked_up(key: str, name: str):
    """The cache entry `name` under `key`, None when there is none (nothing is stored)."""
    return cached_under(key, name, lambda: None, still=lambda: False)[0]


def _shapes_key(digest: str) -> str:
    inputs = (digest, tree_sha256(ONTOLOGY_DIR), sha256_file(Path(__file__)), version("pyshacl"))
    return hashlib.sha256("\0".join(inputs).encode("utf-8")).hexdigest()[:32]


# Oxigraph keeps the value of a literal of a derived integer type but not the type: it stores
# "3"^^xsd:nonNegativeInteger as "3"^^xsd:integer. The shapes are checked as such a store can
# satisfy them: the derived type becomes xsd:integer with its bound.
_DERIVED_INTEGERS = {
    "nonNegativeInteger": ("minInclusive", 0),
    "positiveInteger": ("minInclusive", 1),
    "nonPositiveInteger": ("maxInclusive", 0),
    "negativeInteger": ("maxInclusive", -1),
    "long": None,
    "int": None,
    "short": None,
    "byte": None,
    "unsignedLong": ("minInclusive", 0),
    "unsignedInt": ("minInclusive", 0),
    "unsignedShort": ("minInclusive", 0),
    "unsignedByte": ("minInclusive", 0),
}


def _stored_shapes(shapes):
    from rdflib import Graph, Literal, URIRef

    from demozone.common.vocab import SH

    graph = Graph()
    for triple in shapes:
        graph.add(triple)
    for shape, datatype in list(graph.subject_objects(SH.datatype)):
        name = str(datatype).removeprefix(XSD)
        if not str(datatype).startswith(XSD) or name not in _DERIVED_INTEGERS:
            continue
        graph.remove((shape, SH.datatype, datatype))
        graph.add((shape, SH.datatype, URIRef(XSD + "integer")))
        bound = _DERIVED_INTEGERS[name]
        if bound is not None:
            graph.add((shape, SH[bound[0]], Literal(bound[1])))
    return graph


def _validate_shapes(triples: Iterable[ox.Triple]) -> tuple[tuple[str, str, str], ...]:
    # rdflib and pyshacl only when the shapes are validated: a store check whose knowledge base
    # graph was validated before starts without them
    import pyshacl
    from rdflib import Graph

    from demozone.common.vocab import SH, ontology, shacl_severity, shapes
    from demozone.provenance.rdfterms import to_rdflib

    data = Graph()
    for t in triples:
        data.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    data += ontology()
    _conforms, results, _text = pyshacl.validate(
        data,
        shacl_graph=_stored_shapes(shapes()),
        inference="none",
        allow_warnings=True,
        inplace=True,
    )
    found = []
    for result in results.subjects(SH.resultSeverity, None):
        severity = shacl_severity(results.value(result, SH.resultSeverity))
        focus = str(results.value(result, SH.focusNode))
        # a shape's message is given in Chinese and English: always report the English one
        messages = {m.language: str(m) for m in results.objects(result, SH.resultMessage)}
        message = messages.get("en") or next(iter(messages.values()), "shape not satisfied")
        found.append((severity, focus, message))
    return tuple(sorted(found))
