"""Standard PROV out of an export: explicit PROV types and a prefix for every IRI base.

A PROV tool that does not reason over demozone's ontology (the W3C `prov` library for Python,
PROV-N and PROV-JSON converters) sees an entity, activity or agent only where a node is typed
with the PROV class itself, and names every node by a qualified name (prefix:local). An export
therefore gets, on top of the assessment's own triples (the store keeps them as they are):

- `prov_typed`: every node typed with the PROV classes its demozone classes are subclasses of
  in ontology/demozone.ttl (dz:Score -> prov:Entity, dz:RuleFiring -> prov:Activity,
  dz:Assessor -> prov:Agent, dz:Rule -> prov:Plan and prov:Entity, ...), and every node a PROV
  relation names typed by that relation's domain or range (`_RELATION_TYPES`: the object of
  prov:used is an entity, of prov:wasAttributedTo an agent, ...). The demozone agent, named
  only as the agent of associations, is a prov:SoftwareAgent; every other node described
  (the knowledge base's clauses, indicators, passages and selectors, receipt entries,
  operands) is a prov:Entity, so a PROV tool drops nothing.
- `bind_iri_bases`: a prefix for every IRI base (everything up to the last `/` or `#`) the
  graph uses, so every IRI is `prefix:local` with a local part free of `/`; the prefixes are
  named after the path (`assessor:`, `SYSTEM_clause:`, `a_score_indicator:` inside the
  assessment) and the assessment's own base is `a:`.
"""

from __future__ import annotations

import functools
import re

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import PROV

from demozone.common.vocab import ID, ontology

PROV_BASE_CLASSES = (PROV.Entity, PROV.Activity, PROV.Agent)
# subject type, object type of the PROV relations demozone writes (None: says nothing)
_RELATION_TYPES = {
    PROV.used: (PROV.Activity, PROV.Entity),
    PROV.wasGeneratedBy: (PROV.Entity, PROV.Activity),
    PROV.wasDerivedFrom: (PROV.Entity, PROV.Entity),
    PROV.hadPrimarySource: (PROV.Entity, PROV.Entity),
    PROV.wasAttributedTo: (PROV.Entity, PROV.Agent),
    PROV.wasInformedBy: (PROV.Activity, PROV.Activity),
    PROV.qualifiedAssociation: (PROV.Activity, None),
    PROV.agent: (None, PROV.Agent),
    PROV.hadPlan: (None, PROV.Plan),
    PROV.startedAtTime: (PROV.Activity, None),
    PROV.endedAtTime: (PROV.Activity, None),
}
# PROV classes that are entities or agents by the PROV ontology itself
_PROV_SUPER = {
    PROV.Plan: PROV.Entity,
    PROV.Bundle: PROV.Entity,
    PROV.Person: PROV.Agent,
    PROV.SoftwareAgent: PROV.Agent,
    PROV.Organization: PROV.Agent,
}
DEMOZONE_AGENT = URIRef(str(ID) + "agent/demozone")


@functools.lru_cache(maxsize=1)
def prov_classes_of() -> dict[URIRef, frozenset[URIRef]]:
    """Each class of the ontology -> the PROV classes it is a subclass of (transitively)."""
    onto = ontology()
    found: dict[URIRef, frozenset[URIRef]] = {}
    for cls in set(onto.subjects(RDFS.subClassOf, None)):
        supers = set(onto.transitive_objects(cls, RDFS.subClassOf)) - {cls}
        prov = {c for c in supers if isinstance(c, URIRef) and str(c).startswith(str(PROV))}
        if prov:
            found[cls] = frozenset(_with_prov_supers(prov))
    return found


def _with_prov_supers(classes: set[URIRef]) -> set[URIRef]:
    out = set(classes)
    for cls in classes:
        if cls in _PROV_SUPER:
            out.add(_PROV_SUPER[cls])
    return out


def prov_typed(graph: Graph, triples: list[tuple] | None = None) -> Graph:
    """`graph` with every node also typed by its PROV classes (see the module docstring).
    `triples`, when given, are the graph's triples as a list (the same nodes, found faster)."""
    mapping = prov_classes_of()
    extra: set[tuple] = set()
    for node, cls in graph.subject_objects(RDF.type):
        for prov_class in mapping.get(cls, ()):
            extra.add((node, RDF.type, prov_class))
        if cls in _PROV_SUPER:
            extra.add((node, RDF.type, _PROV_SUPER[cls]))
    for prop, (subject_type, object_type) in _RELATION_TYPES.items():
        for s, o in graph.subject_objects(prop):
            if subject_type is not None:
                extra.update((s, RDF.type, t) for t in _with_prov_supers({subject_type}))
            if object_type is not None and isinstance(o, URIRef):
                extra.update((o, RDF.type, t) for t in _with_prov_supers({object_type}))
    if (None, PROV.agent, DEMOZONE_AGENT) in graph:
        extra.add((DEMOZONE_AGENT, RDF.type, PROV.SoftwareAgent))
        extra.add((DEMOZONE_AGENT, RDF.type, PROV.Agent))
    for triple in extra:
        graph.add(triple)
    # every node typed above is a subject of `triples` already, or typed with a base class
    subjects = set(graph.subjects()) if triples is None else {t[0] for t in triples}
    for node in _untyped(graph, subjects):
        graph.add((node, RDF.type, PROV.Entity))
    return graph


def _untyped(graph: Graph, subjects: set) -> list[URIRef]:
    """The IRIs described that are still no entity, activity or agent (nor a qualified
    association): passages, selectors, clauses, indicators, receipt entries, operands. Each is
    a thing the assessment rests on, so an entity."""
    typed = {s for k in (*PROV_BASE_CLASSES, PROV.Association) for s in graph.subjects(RDF.type, k)}
    return [s for s in subjects if isinstance(s, URIRef) and s not in typed]


_NOT_NAME = re.compile(r"[^A-Za-z0-9_-]+")


def iri_base(iri: str) -> str:
    """Everything up to and including the last `/` or `#`."""
    cut = max(iri.rfind("/"), iri.rfind("#"))
    return iri[: cut + 1]


def bind_iri_bases(
    graph: Graph, assessment: str | None = None, triples: list[tuple] | None = None
) -> dict[str, str]:
    """Bind a prefix for every IRI base the graph's demozone IRIs use (see the module
    docstring); returns prefix -> namespace for the new ones. `triples`, when given, hold the
    graph's nodes as a list (found faster than in the graph)."""
    bound = {str(ns) for _prefix, ns in graph.namespaces()}
    taken = {prefix for prefix, _ns in graph.namespaces()}
    terms = {term for triple in (graph if triples is None else triples) for term in triple}
    bases = sorted(
        {
            iri_base(str(term))
            for term in terms
            if isinstance(term, URIRef) and str(term).startswith(str(ID))
        }
        - bound
    )
    own = (assessment.rstrip("/") + "/") if assessment else None
    added: dict[str, str] = {}
    for base in bases:
        prefix = _unique(_prefix_name(base, own), taken)
        taken.add(prefix)
        graph.bind(prefix, URIRef(base), override=True, replace=True)
        added[prefix] = base
    return added


def _prefix_name(base: str, own: str | None) -> str:
    if own is not None and base == own:
        return "a"
    if own is not None and base.startswith(own):
        path, head = base.removeprefix(own), "a_"
    else:
        path, head = base.removeprefix(str(ID)), ""
    name = "_".join(p for p in (_NOT_NAME.sub("-", s).strip("-") for s in path.split("/")) if p)
    name = head + (name or "id")
    return name if name[0].isalpha() else "n" + name


def _unique(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    k = 2
    while f"{name}{k}" in taken:
        k += 1
    return f"{name}{k}"
