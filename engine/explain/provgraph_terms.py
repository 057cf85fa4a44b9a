"""How RDF terms become the provenance graph's names: edge labels as prefixed names, attribute
names as local names, and attributes that gather several values."""

from __future__ import annotations

import networkx as nx
from rdflib import RDFS, SKOS, URIRef
from rdflib.namespace import PROV

from demozone.common.vocab import DZ

_PREFIXES = {str(PROV): "prov:", str(DZ): "dz:", str(SKOS): "skos:", str(RDFS): "rdfs:"}


def prefixed(term: URIRef) -> str:
    text = str(term)
    for namespace, prefix in _PREFIXES.items():
        if text.startswith(namespace):
            return prefix + text.removeprefix(namespace)
    return text


def local_name(term: URIRef) -> str:
    text = str(term)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def set_attribute(graph: nx.MultiDiGraph, term, key: str, value, multi: bool = False) -> None:
    """Set a node's attribute; a `multi` one gathers its distinct values, sorted, one a line."""
    attrs = graph.nodes[str(term)]
    if multi and key in attrs:
        attrs[key] = "\n".join(sorted({*attrs[key].split("\n"), str(value)}))
    else:
        attrs[key] = value
