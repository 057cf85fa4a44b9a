"""The knowledge base's part of a provenance graph: the indicators, clauses and levels an
assessment points to, with their numbers, names and texts, and the quoted passages of the
source documents they are anchored in (one node per passage, shared by all who cite it)."""

from __future__ import annotations

from urllib.parse import unquote

import networkx as nx
from rdflib import RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import DCTERMS

from demozone.common.vocab import DZ, OA
from demozone.explain.provgraph_terms import local_name, prefixed, set_attribute
from demozone.kb.citation import RDF_NAMES

# the terms looked up, made once: an rdflib namespace makes (and checks) a new term at each use
_LABEL, _NOTATION, _TITLE, _TYPE = RDFS.label, SKOS.notation, DCTERMS.title, RDF.type
_ANCHOR, _ROLE, _BROADER, _FIRST_LEVEL = DZ.anchor, DZ.role, SKOS.broader, DZ.firstLevel
_VALUES = ((DZ.points, "points"), (DZ.order, "order"))
_TEXTS = (DZ.criterion, DZ.ruleText, DZ.text)
_CITED = {key: DZ[name] for key, name in RDF_NAMES.items()}
_SOURCE, _SELECTOR, _QUOTE = OA.hasSource, OA.hasSelector, OA.TextQuoteSelector
_EXACT, _PREFIX, _SUFFIX = OA.exact, OA.prefix, OA.suffix


class KnowledgeBaseNodes:
    """Adds knowledge-base nodes to a provenance graph, each once, with the passages they cite."""

    def __init__(self, graph: nx.MultiDiGraph, kb: Graph) -> None:
        self.g, self.kb = graph, kb

    def add(self, term: URIRef, kind: str) -> None:
        """An indicator, clause or level (`kind`) node, linked to the one above it if present."""
        node = str(term)
        if node in self.g:
            return
        kb = self.kb
        self.g.add_node(node, type="clause" if kind == "clause" else "indicator", iri=node)
        attrs = self.g.nodes[node]
        if kind == "level":
            attrs["kind"] = "level"
        labels = {lit.language: str(lit) for lit in kb.objects(term, _LABEL)}
        notation = kb.value(term, _NOTATION)
        attrs["number"] = str(notation) if notation is not None else unquote(local_name(term))
        name = labels.get("zh") or labels.get(None) or ""
        if labels.get("en"):
            attrs["label_en"] = labels["en"]
        for prop, key in _VALUES:
            value = kb.value(term, prop)
            if value is not None:
                attrs[key] = str(value)
        texts = [str(kb.value(term, p) or "") for p in _TEXTS]
        text = "\n".join(t.strip() for t in texts if t.strip())
        if kind == "clause":
            attrs["label"] = f"条款 {attrs['number']}"
            attrs["text"] = text or name
        else:
            attrs["label"] = f"{attrs['number']} {name}".strip() if kind != "level" else name
            attrs["name"] = name
            if text:
                attrs["text"] = text
        for anchor in sorted(kb.objects(term, _ANCHOR)):
            self._passage(node, anchor)
        if kind == "clause":
            self._link(term, _BROADER)
        elif kind != "level":
            self._link(term, _FIRST_LEVEL)

    def _link(self, term: URIRef, prop: URIRef) -> None:
        target = self.kb.value(term, prop)
        if target is not None and str(target) in self.g:
            self.g.add_edge(str(term), str(target), key=prefixed(prop), label=prefixed(prop))

    def _passage(self, owner: str, anchor) -> None:
        kb = self.kb
        source = kb.value(anchor, _SOURCE)
        cited = {key: kb.value(anchor, prop) for key, prop in _CITED.items()}
        if source is None or cited["char_start"] is None or cited["char_end"] is None:
            return
        cited = {
            key: value.toPython() if value is not None else None for key, value in cited.items()
        }
        exact = prefix = suffix = ""
        for selector in kb.objects(anchor, _SELECTOR):
            if (selector, _TYPE, _QUOTE) in kb:
                exact = str(kb.value(selector, _EXACT) or "")
                prefix = str(kb.value(selector, _PREFIX) or "")
                suffix = str(kb.value(selector, _SUFFIX) or "")
        node = f"{source}#char={cited['char_start']},{cited['char_end']}"
        role = str(kb.value(anchor, _ROLE) or "")
        if node not in self.g:
            titles = {lit.language: str(lit) for lit in kb.objects(source, _TITLE)}
            title = titles.get("zh") or titles.get(None) or unquote(local_name(source))
            self.g.add_node(
                node,
                type="source",
                iri=node,
                title=title,
                **{key: value for key, value in cited.items() if value is not None},
                text=exact,
                prefix=prefix,
                suffix=suffix,
                label=f"「{_short(' '.join(exact.split()), 12)}」{_short(title, 8)}",
            )
        if role:
            set_attribute(self.g, node, "role", role, multi=True)
        self.g.add_edge(owner, node, key=f"dz:anchor {role}", label="dz:anchor", role=role)


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
