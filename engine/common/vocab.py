"""The namespaces demozone writes and reads, and how instance IRIs are minted.

The vocabulary itself is `ontology/demozone.ttl`; nothing here restates it. Every `dz:` term the
engine uses must be defined there (tests/test_kb_vocab.py checks the engine's sources against it,
like rdflib's closed namespaces). Instance IRIs are deterministic paths under `ID`, one
percent-encoded segment per part, so the same knowledge base always yields the same IRIs.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import quote, unquote

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV

from demozone.common.diagnostics import Severity
from demozone.common.paths import ONTOLOGY_DIR

# The one place for namespaces: demozone's own, and those it uses (re-exported from rdflib).
DZ = Namespace("https://w3id.org/demozone/def#")
ID = Namespace("https://w3id.org/demozone/id/")
OA = Namespace("http://www.w3.org/ns/oa#")
SH = Namespace("http://www.w3.org/ns/shacl#")

ONTOLOGY_FILE = ONTOLOGY_DIR / "demozone.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"

PREFIXES = {
    "dz": DZ,
    "id": ID,
    "oa": OA,
    "prov": PROV,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "org": ORG,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}


_SAFE_SEGMENT = re.compile(r"[A-Za-z0-9._~-]*")  # fullmatch: "x\n" is not safe


def iri_text(*parts: object) -> str:
    """An instance IRI from path parts, each percent-encoded (ids may hold dots or Chinese)."""
    return str(ID) + "/".join(_segment(str(p)) for p in parts)


def last_segment(iri: str) -> str:
    """The last path segment of an IRI made by `iri_text`, percent-decoded (an id)."""
    return unquote(iri.rstrip("/").rsplit("/", 1)[-1])


def _segment(part: str) -> str:
    return part if _SAFE_SEGMENT.fullmatch(part) else quote(part, safe="-_.~")


def iri(*parts: object) -> URIRef:
    """`iri_text` as an rdflib term."""
    return URIRef(iri_text(*parts))


def shacl_severity(term: object) -> Severity:
    """The severity of a SHACL result's sh:resultSeverity (sh:Violation, or anything unknown, is
    an error)."""
    return {SH.Warning: Severity.WARNING, SH.Info: Severity.INFO}.get(term, Severity.ERROR)


def bind_prefixes(graph: Graph) -> Graph:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


@functools.lru_cache(maxsize=4)
def ontology(path: Path = ONTOLOGY_FILE) -> Graph:
    """The vocabulary as a graph, parsed once per process."""
    return bind_prefixes(Graph()).parse(path, format="turtle")


@functools.lru_cache(maxsize=4)
def shapes(path: Path = SHAPES_FILE) -> Graph:
    """The SHACL shapes the knowledge base must conform to, parsed once per process."""
    return bind_prefixes(Graph()).parse(path, format="turtle")


def defined_terms(graph: Graph | None = None) -> set[str]:
    """The local names of every term the ontology defines in the dz: namespace."""
    graph = graph if graph is not None else ontology()
    return {
        str(s).removeprefix(str(DZ))
        for s in graph.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith(str(DZ))
    }


def concept_index(scheme_class: URIRef, graph: Graph | None = None) -> dict[str, URIRef]:
    """Chinese preferred and alternative labels -> concept, for the concepts of one class."""
    graph = graph if graph is not None else ontology()
    index = {}
    for concept in graph.subjects(RDF.type, scheme_class):
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in graph.objects(concept, prop):
                if getattr(label, "language", None) == "zh":
                    index[str(label)] = concept
    return index


def notation_index(scheme_class: URIRef, graph: Graph | None = None) -> dict[str, URIRef]:
    """skos:notation -> concept, for the concepts of one class."""
    graph = graph if graph is not None else ontology()
    return {
        str(n): c
        for c in graph.subjects(RDF.type, scheme_class)
        for n in graph.objects(c, SKOS.notation)
    }
