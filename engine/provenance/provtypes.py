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
import hashlib
import re
from pathlib import Path

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import PROV

from demozone.common.hashing import sha256_file
from demozone.common.vocab import ID, ONTOLOGY_FILE, ontology
from demozone.kb.cache import cached_under

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
# the classes that make a node an entity, activity or agent (or a qualified association), and
# each PROV class a relation's domain or range names with the PROV classes it implies
_TYPED_CLASSES = frozenset((*PROV_BASE_CLASSES, PROV.Association))
_IS_TYPE = (None, None)  # rdf:type among the relations looked at, told apart by identity


@functools.lru_cache(maxsize=1)
def prov_classes_of() -> dict[URIRef, frozenset[URIRef]]:
    """Each class of the ontology -> the PROV classes it is a subclass of (transitively).

    Kept in the on-disk cache (demozone.kb.cache) by the sha256 of the ontology file, of this
    module and the rdflib version: parsing the ontology costs more than typing an export."""
    import rdflib

    inputs = [sha256_file(ONTOLOGY_FILE), sha256_file(Path(__file__)), rdflib.__version__]
    key = hashlib.sha256("\0".join(inputs).encode("utf-8")).hexdigest()[:32]
    return cached_under(key, "prov-classes", _prov_classes)[0]


def _prov_classes() -> dict[URIRef, frozenset[URIRef]]:
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


_SUPERS = {
    cls: tuple(sorted(_with_prov_supers({cls})))
    for types in _RELATION_TYPES.values()
    for cls in types
    if cls is not None
}


def prov_typed(graph: Graph, triples: list[tuple] | None = None) -> Graph:
    """`graph` with every node also typed by its PROV classes (see the module docstring).
    `triples`, when given, are the graph's triples as a list (the same nodes, found faster)."""
    for triple in prov_type_triples(list(graph) if triples is None else triples):
        graph.add(triple)
    return graph


def prov_type_triples(triples: list[tuple]) -> list[tuple]:
    """The rdf:type triples `prov_typed` adds to a graph of `triples` (each distinct, some
    perhaps among `triples` already), in a fixed order: read from a list, without a graph."""
    relations = {**_RELATION_TYPES, RDF.type: _IS_TYPE}
    mapping = prov_classes_of()
    extra: dict[tuple, None] = {}  # ordered: the same triples in the same order every run
    typed: set = set()  # the nodes already an entity, activity or agent (or an association)
    rdf_type = RDF.type
    for s, p, o in triples:
        types = relations.get(p)  # one look-up for most triples: their predicate is neither
        if types is None:
            continue
        if types is _IS_TYPE:
            for prov_class in mapping.get(o, ()):
                extra[(s, rdf_type, prov_class)] = None
            if o in _PROV_SUPER:
                extra[(s, rdf_type, _PROV_SUPER[o])] = None
            if o in _TYPED_CLASSES:
                typed.add(s)
            continue
        subject_type, object_type = types
        if subject_type is not None:
            extra.update(dict.fromkeys((s, rdf_type, t) for t in _SUPERS[subject_type]))
        if object_type is not None and isinstance(o, URIRef):
            extra.update(dict.fromkeys((o, rdf_type, t) for t in _SUPERS[object_type]))
        if p == PROV.agent and o == DEMOZONE_AGENT:
            extra[(DEMOZONE_AGENT, rdf_type, PROV.SoftwareAgent)] = None
            extra[(DEMOZONE_AGENT, rdf_type, PROV.Agent)] = None
    typed.update(s for s, _p, o in extra if o in _TYPED_CLASSES)
    # every node typed above is a subject of `triples` already, or typed with a base class
    subjects = dict.fromkeys(s for s, _p, _o in triples)
    untyped = [s for s in subjects if isinstance(s, URIRef) and s not in typed]
    return [*extra, *((s, rdf_type, PROV.Entity) for s in untyped)]


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
