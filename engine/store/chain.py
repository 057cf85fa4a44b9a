"""Sealing an assessment for tamper evidence as it is written: its content digest, the link to
the previous assessment of the same submission (a hash chain per submission) and, when a
signing key is configured, its signature (provenance.digest and provenance.signing say what
each is).

Two ways in, one result:
- `link_quads` (one assessment, `BaseStore.write_assessment`): the sealed quads get the digest,
  the link and the signature, and their triple count is made to count them;
- `link_trig` (a batch, `batch_parts`): the sealed TriG already holds its digest
  (store.seal_lines computes it where the assessment is built); the link, the signature and the
  new count replace its last line.

The previous assessment is the one of the same submission recorded last (by prov:endedAtTime)
in the store, or earlier in the same batch (`ChainTips`).
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from demozone.provenance.digest import (
    CONTENT_DIGEST,
    PREVIOUS_ASSESSMENT,
    PREVIOUS_DIGEST,
    SIGNATURE,
    SIGNING_KEY,
    TRIPLE_COUNT,
    content_digest,
    seal_statement,
)
from demozone.provenance.signing import Signer, key_graph_iri
from demozone.store.terms import DZ, INTEGER, PREFIXES, TYPE, sparql_term

SUBMISSION = ox.NamedNode(DZ + "submission")
PUBLIC_KEY = ox.NamedNode(DZ + "publicKey")
SIGNING_KEY_CLASS = ox.NamedNode(DZ + "SigningKey")
Link = tuple[str, str]  # (previous assessment IRI, its content digest; "" when it has none)


def previous_in_store(store, submission: str) -> Link | None:
    """The assessment of `submission` (its IRI) the store recorded last, with its digest."""
    rows = store.select(
        f"""{PREFIXES}
        SELECT ?a ?d WHERE {{ GRAPH ?a {{ ?a dz:submission {sparql_term(ox.NamedNode(submission))} ;
                                      prov:endedAtTime ?e .
                                   OPTIONAL {{ ?a dz:contentDigest ?d }} }} }}
        ORDER BY DESC(?e) DESC(?a) LIMIT 1"""
    )
    if not rows:
        return None
    return rows[0]["a"].value, rows[0]["d"].value if "d" in rows[0] else ""


class ChainTips:
    """The last assessment of each submission: from the store, then as a batch adds them."""

    def __init__(self, store) -> None:
        self.store = store
        self._tips: dict[str, Link | None] = {}

    def previous(self, submission: str) -> Link | None:
        if submission not in self._tips:
            self._tips[submission] = previous_in_store(self.store, submission)
        return self._tips[submission]

    def advance(self, submission: str, link: Link) -> None:
        self._tips[submission] = link


def _seal_triples(
    graph: str, digest: str, previous: Link | None, signer: Signer | None, count: int
) -> list[tuple[ox.NamedNode, ox.NamedNode | ox.Literal]]:
    """(predicate, object) of the seal's triples about the assessment, the count last; `count`
    is the number of the graph's other triples."""
    before, before_digest = previous or ("", "")
    found: list[tuple] = [(CONTENT_DIGEST, ox.Literal(digest))]
    if previous is not None:
        found.append((PREVIOUS_ASSESSMENT, ox.NamedNode(before)))
        if before_digest:
            found.append((PREVIOUS_DIGEST, ox.Literal(before_digest)))
    total = count + len(found) + 1 + (2 if signer is not None else 0)
    if signer is not None:
        statement = seal_statement(graph, digest, before, before_digest, str(total))
        found.append((SIGNING_KEY, ox.NamedNode(signer.key_iri)))
        found.append((SIGNATURE, ox.Literal(signer.sign(statement))))
    found.append((TRIPLE_COUNT, ox.Literal(str(total), datatype=INTEGER)))
    return found


def link_quads(
    graph: ox.NamedNode, sealed: list[ox.Quad], previous: Link | None, signer: Signer | None
) -> tuple[list[ox.Quad], str]:
    """Sealed quads (store.seal) with their digest, link and signature, and the digest."""
    content = [q for q in sealed if q.predicate != TRIPLE_COUNT]
    digest = content_digest(content, graph.value)
    extra = _seal_triples(graph.value, digest, previous, signer, len(content))
    return content + [ox.Quad(graph, p, o, graph) for p, o in extra], digest


_DIGEST_LINE = re.compile(
    rb"<" + re.escape(CONTENT_DIGEST.value.encode()) + rb'> "(sha256:[0-9a-f]{64})"'
)
_SUBMISSION_LINE = re.compile(rb"<" + re.escape(SUBMISSION.value.encode()) + rb"> <([^>]*)>")
_COUNT_LINE = re.compile(
    rb"\n([^\n]*)<" + re.escape(TRIPLE_COUNT.value.encode()) + rb'> "(\d+)"[^\n]*\n\}\n$'
)


def trig_facts(trig: bytes) -> tuple[str, str]:
    """(submission IRI, content digest) of a sealed assessment's TriG (store.seal_lines)."""
    submission = _SUBMISSION_LINE.search(trig)
    # seal_lines writes the digest among the last lines: searched there first, not through the
    # whole assessment (0.2 ms of the batch's producing thread per assessment)
    digest = _DIGEST_LINE.search(trig, _last_lines(trig, 4)) or _DIGEST_LINE.search(trig)
    if submission is None or digest is None:
        raise ValueError("the sealed TriG names no submission or no content digest")
    return submission.group(1).decode(), digest.group(1).decode()


def _last_lines(text: bytes, n: int) -> int:
    """Where the text's last `n` newlines start (0 when it has fewer): the count line can only
    match there, and searched from the start its pattern tries every line (1.4 ms a batch's
    assessment)."""
    start = len(text)
    for _ in range(n):
        start = text.rfind(b"\n", 0, start)
        if start < 0:
            return 0
    return start


def link_trig(graph: str, trig: bytes, previous: Link | None, signer: Signer | None) -> bytes:
    """A sealed TriG (with its digest) with the link and signature added and its count made to
    count them."""
    _submission, digest = trig_facts(trig)
    found = _COUNT_LINE.search(trig, _last_lines(trig, 4))
    if found is None:
        raise ValueError("the sealed TriG does not end with its triple count")
    others = int(found.group(2)) - 2  # the count's and the digest's own triples
    extra = _seal_triples(graph, digest, previous, signer, others)
    g = sparql_term(ox.NamedNode(graph))
    lines = "".join(
        f"{g} {sparql_term(p)} {sparql_term(o)} .\n" for p, o in extra if p != CONTENT_DIGEST
    )
    return trig[: found.start() + 1] + lines.encode() + b"}\n"


def key_quads(signer: Signer) -> tuple[ox.NamedNode, list[ox.Quad]]:
    """The graph recording a signer's public key, sealed with its triple count."""
    graph = ox.NamedNode(key_graph_iri(signer.fingerprint))
    key = ox.NamedNode(signer.key_iri)
    quads = [
        ox.Quad(key, TYPE, SIGNING_KEY_CLASS, graph),
        ox.Quad(key, PUBLIC_KEY, ox.Literal(signer.public_b64), graph),
    ]
    quads.append(ox.Quad(graph, TRIPLE_COUNT, ox.Literal("3", datatype=INTEGER), graph))
    return graph, quads
