"""Is a stored assessment what was recorded? Its digest, its place in its submission's chain,
its signature and its triple count, recomputed from what the store holds now
(`demozone verify`, and the digest part of `store check`).

Each finding is a `Difference`: the assessment, what kind of check failed (digest, chain,
signature, count, unsealed) and what differs, with the other assessment for a broken chain.
Which triple changed is told one layer up (assessment.reverify), which re-derives the
assessment from its recorded inputs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pyoxigraph as ox

from demozone.provenance.digest import (
    CONTENT_DIGEST,
    PREVIOUS_ASSESSMENT,
    PREVIOUS_DIGEST,
    SEAL_PREDICATES,
    SIGNATURE,
    SIGNING_KEY,
    TRIPLE_COUNT,
    content_digest,
    digest_of_lines,
    seal_statement,
)
from demozone.provenance.signing import signature_holds
from demozone.store.base import BaseStore
from demozone.store.chain import PUBLIC_KEY, SUBMISSION
from demozone.store.terms import ASSESSMENT_PREFIX, ENDED


@dataclass(frozen=True)
class Difference:
    assessment: str
    check: str  # digest | chain | signature | count | unsealed | triple | score | rescore
    message: str
    other: str = ""  # the other assessment of a broken chain
    recorded: str = ""
    now: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def _one(quads: list[ox.Quad], graph: str, predicate: ox.NamedNode) -> list[str]:
    return sorted(
        q.object.value for q in quads if q.subject.value == graph and q.predicate == predicate
    )


@dataclass(frozen=True)
class Seal:
    """What an assessment's seal records, and its digest recomputed."""

    graph: str
    digest: list[str]
    computed: str
    previous: list[str]
    previous_digest: list[str]
    count: list[str]
    triples: int
    key: list[str]
    signature: list[str]
    submission: str = ""
    ended: str = ""


def read_seal(store: BaseStore, graph: str) -> Seal:
    text = store.canonical_ntriples(graph)
    if text is not None:
        return _seal_of_text(graph, text)
    quads = store.graph_quads(graph)
    return _seal_of(graph, quads, content_digest(quads, graph), len({q.triple for q in quads}))


# The statements a seal is read from (the rest of the graph only counts toward its digest)
_SEAL_READ = {
    f"{p}".encode()
    for p in (
        CONTENT_DIGEST,
        PREVIOUS_ASSESSMENT,
        PREVIOUS_DIGEST,
        TRIPLE_COUNT,
        SIGNING_KEY,
        SIGNATURE,
        SUBMISSION,
        ENDED,
    )
}
_SEAL_TOKENS = {f"<{p}>".encode() for p in SEAL_PREDICATES}


def _seal_of_text(graph: str, text: bytes) -> Seal:
    """The seal from a graph's N-Triples as Oxigraph writes them: the canonical lines are its
    lines in the graph, so only the few lines of the seal are parsed (a store of a hundred
    assessments would otherwise make some 240,000 quad objects to hash their text)."""
    tail = f" <{graph}> .\n".encode()
    lines = text.splitlines()
    content: set[bytes] = set()
    read: list[bytes] = []
    for line in lines:
        predicate = line.split(b" ", 2)[1]  # a subject is an IRI or a blank node: no spaces
        if predicate in _SEAL_READ:
            read.append(line)
        if predicate not in _SEAL_TOKENS:
            content.add(line[:-2] + tail)  # "<s> <p> <o> ." -> "<s> <p> <o> <g> .\n"
    triples = list(ox.parse(b"\n".join(read), format=ox.RdfFormat.N_TRIPLES)) if read else []
    return _seal_of(graph, triples, digest_of_lines(sorted(content)), len(lines))


def _seal_of(graph: str, quads: list, computed: str, triples: int) -> Seal:
    return Seal(
        graph,
        _one(quads, graph, CONTENT_DIGEST),
        computed,
        _one(quads, graph, PREVIOUS_ASSESSMENT),
        _one(quads, graph, PREVIOUS_DIGEST),
        _one(quads, graph, TRIPLE_COUNT),
        triples,
        _one(quads, graph, SIGNING_KEY),
        _one(quads, graph, SIGNATURE),
        ", ".join(_one(quads, graph, SUBMISSION)),
        ", ".join(_one(quads, graph, ENDED)),
    )


def seal_differences(store: BaseStore, seal: Seal) -> list[Difference]:
    """Digest, count and signature of one assessment."""
    found: list[Difference] = []
    a = seal.graph
    if not seal.digest:
        found.append(Difference(a, "unsealed", "no content digest (dz:contentDigest) recorded"))
    elif seal.digest != [seal.computed]:
        found.append(
            Difference(
                a,
                "digest",
                "the content differs from what was recorded: its digest is now "
                f"{seal.computed}, the recorded one {', '.join(seal.digest)}",
                recorded=", ".join(seal.digest),
                now=seal.computed,
            )
        )
    if seal.count != [str(seal.triples)]:
        found.append(
            Difference(
                a,
                "count",
                f"{seal.triples} triples, the marker says {', '.join(seal.count) or 'nothing'}",
                recorded=", ".join(seal.count),
                now=str(seal.triples),
            )
        )
    if seal.key or seal.signature:
        found.extend(_signature_differences(store, seal))
    return found


def _signature_differences(store: BaseStore, seal: Seal) -> list[Difference]:
    a = seal.graph
    if len(seal.key) != 1 or len(seal.signature) != 1:
        return [Difference(a, "signature", "a signing key without a signature, or several")]
    public = _public_key(store, seal.key[0])
    if public is None:
        return [Difference(a, "signature", f"the store holds no public key {seal.key[0]}")]
    statement = seal_statement(
        a,
        seal.digest[0] if seal.digest else "",
        seal.previous[0] if seal.previous else "",
        seal.previous_digest[0] if seal.previous_digest else "",
        seal.count[0] if seal.count else "",
    )
    if not signature_holds(public, statement, seal.signature[0]):
        return [Difference(a, "signature", f"the signature does not hold for key {seal.key[0]}")]
    return []


def _public_key(store: BaseStore, key: str) -> str | None:
    from demozone.store.terms import sparql_term

    rows = store.select(
        f"SELECT ?k WHERE {{ GRAPH ?g {{ {sparql_term(ox.NamedNode(key))} "
        f"{sparql_term(PUBLIC_KEY)} ?k }} }}"
    )
    values = {row["k"].value for row in rows}
    return values.pop() if len(values) == 1 else None


def chain_differences(seals: list[Seal]) -> list[Difference]:
    """The links of one submission's assessments, oldest first: each names the one before it
    and that one's digest as recomputed now; the first names none."""
    found: list[Difference] = []
    by_iri = {seal.graph: seal for seal in seals}
    for k, seal in enumerate(seals):
        before = seals[k - 1].graph if k else ""
        named = seal.previous[0] if len(seal.previous) == 1 else ", ".join(seal.previous)
        if named != before:
            what = f"names {named or 'no previous assessment'}"
            found.append(
                Difference(
                    seal.graph,
                    "chain",
                    f"broken chain: {what}, but the assessment recorded before it is "
                    f"{before or 'none'}",
                    other=before or named,
                    recorded=named,
                    now=before,
                )
            )
            continue
        if before and by_iri[before].digest and seal.previous_digest != [by_iri[before].computed]:
            found.append(
                Difference(
                    seal.graph,
                    "chain",
                    f"broken chain: the previous assessment {before} now has the digest "
                    f"{by_iri[before].computed}, this one recorded "
                    f"{', '.join(seal.previous_digest) or 'none'}",
                    other=before,
                    recorded=", ".join(seal.previous_digest),
                    now=by_iri[before].computed,
                )
            )
    return found


def assessment_graphs(store: BaseStore) -> list[str]:
    """Every assessment graph of the store, by its name (whatever its triples say)."""
    return [g for g in store.graph_counts() if g.startswith(ASSESSMENT_PREFIX)]


def verify_store(
    store: BaseStore, assessment: str | None = None, *, graphs: list[str] | None = None
) -> list[Difference]:
    """Every difference of one assessment (by IRI; with the links to and from it) or of all of
    them. The chains are read from every assessment graph of the store (`graphs`, when the
    caller has just listed them: `assessment_graphs`), each ordered by the time it was
    recorded (prov:endedAtTime)."""
    graphs = assessment_graphs(store) if graphs is None else graphs
    seals = [read_seal(store, graph) for graph in graphs]
    chains: dict[str, list[Seal]] = {}
    for seal in sorted(seals, key=lambda s: (s.ended, s.graph)):
        chains.setdefault(seal.submission, []).append(seal)
    found: list[Difference] = []
    for _submission, chain in sorted(chains.items()):
        for seal in chain:
            if assessment is None or seal.graph == assessment:
                found.extend(seal_differences(store, seal))
        found.extend(
            d
            for d in chain_differences(chain)
            if assessment is None or assessment in (d.assessment, d.other)
        )
    return found
