"""The terms of the store: its graphs' and vocabulary's IRIs, and the only way a term is written
into SPARQL text (`sparql_term`, N-Triples syntax escaped by pyoxigraph), so SPARQL text never
holds user text."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import pyoxigraph as ox

from demozone.common.errors import StoreError
from demozone.common.vocab import DZ as _DZ
from demozone.common.vocab import ID as _ID
from demozone.provenance.digest import TRIPLE_COUNT as TRIPLE_COUNT  # digested apart
from demozone.provenance.terms import node

DZ, ID = str(_DZ), str(_ID)
PROV = "http://www.w3.org/ns/prov#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"

KB_GRAPH = node("graph", "kb")
ASSESSMENT_PREFIX = ID + "assessment/"
SUBMISSION_PREFIX = ID + "submission/"

TYPE = ox.NamedNode(RDF + "type")
SHA256 = ox.NamedNode(DZ + "sha256")
ASSESSMENT = ox.NamedNode(DZ + "Assessment")
ENDED = ox.NamedNode(PROV + "endedAtTime")
USED = ox.NamedNode(PROV + "used")
INTEGER = ox.NamedNode(XSD + "integer")
DATETIME = ox.NamedNode(XSD + "dateTime")
TRIG_OPEN = "GRAPH "

# (predicate IRI, object IRI or None for any object): quads a reader asks a graph for
Pattern = tuple[str, str | None]

PREFIXES = f"""PREFIX dz: <{DZ}>
PREFIX prov: <{PROV}>
PREFIX rdfs: <{RDFS}>
"""


def iri_term(iri: str) -> ox.NamedNode:
    """A NamedNode for an IRI, or a StoreError when it is not a valid IRI."""
    try:
        return ox.NamedNode(iri)
    except (ValueError, TypeError) as err:
        raise StoreError(f"not a valid IRI: {iri!r} ({err})") from None


def sparql_term(term: ox.NamedNode | ox.Literal) -> str:
    """A term in N-Triples syntax (escaped by pyoxigraph), the only way terms enter SPARQL text."""
    if not isinstance(term, ox.NamedNode | ox.Literal):
        raise TypeError(f"only IRIs and literals go into SPARQL text, not {type(term).__name__}")
    return str(term)


def submission_iri(submission: str) -> ox.NamedNode:
    return node("submission", submission)


def assessment_iri(reference: str) -> ox.NamedNode:
    """An assessment's IRI from its full IRI or from its id (SUBMISSION/TIME-HEX)."""
    if reference.startswith(ASSESSMENT_PREFIX):
        return iri_term(reference)
    return node("assessment", reference)


def triples_text(quads: Iterable[ox.Quad | ox.Triple]) -> bytes:
    """N-Triples for the triples of some quads (one graph's worth)."""
    return ox.serialize(
        [q.triple if isinstance(q, ox.Quad) else q for q in quads], format=ox.RdfFormat.N_TRIPLES
    )


def now_literal() -> ox.Literal:
    stamp = datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "")
    # the canonical lexical form Oxigraph keeps: no trailing zeros in the fraction of a second
    return ox.Literal(stamp.rstrip("0").rstrip(".") + "Z", datatype=DATETIME)
