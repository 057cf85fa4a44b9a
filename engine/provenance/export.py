"""An assessment as one self-describing RDF document: PROV-O plus demozone's vocabulary, Turtle or
JSON-LD, checked against the provenance shapes (ontology/prov-shapes.ttl).

The document holds the assessment's own triples (as the store holds them: scores, firings,
cases, facts, evidence, assessors and the reproducibility receipt) and the part of the knowledge
base they point to: the system, the levels, indicators and clauses scored, their anchors with
their text quote and position selectors, and the source documents cited. Nothing else of the
knowledge base comes along, so the file stands alone and stays small.

The receipt (dz:receipt, one dz:entry per hash) names the demozone version, the time, the sha256
of the submission, of the knowledge base, of every rule file and of every evidence file:
`receipt_entries` reads it back, `hashes_only` (demozone.provenance.receipt) drops the time, and two scorings
of the same inputs give the same hashes.
"""

from __future__ import annotations

import functools
import json

from rdflib import Graph, URIRef

from demozone.common.paths import ONTOLOGY_DIR
from demozone.common.vocab import DZ, ID, OA, PREFIXES, PROV, RDF, SH, bind_prefixes, shacl_severity
from demozone.provenance.provformats import PROV_FORMATS, json_text, prov_text
from demozone.provenance.provtypes import bind_iri_bases, prov_typed
from demozone.provenance.rdfterms import graph_of, rdflib_triples
from demozone.provenance.turtle import turtle_text

PROV_SHAPES_FILE = ONTOLOGY_DIR / "prov-shapes.ttl"
FORMATS = ("ttl", "jsonld", *PROV_FORMATS)
SUFFIXES = {
    ".ttl": "ttl",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".provn": "provn",
    ".provjson": "provjson",
}
# from a knowledge base node the assessment names, these lead on to what it cites
_FOLLOW = (DZ.anchor, DZ.passRule, OA.hasSelector, OA.hasSource)
EXCERPT_FOLLOWS = _FOLLOW


def kb_excerpt(assessment: Graph, kb: Graph) -> Graph:
    """The knowledge base triples about the nodes the assessment names, their anchors,
    selectors and source documents (and the system's pass rule with its anchors)."""
    out = Graph()
    todo = sorted(
        {o for o in assessment.objects() if isinstance(o, URIRef) and (o, None, None) in kb}
    )
    seen: set[URIRef] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in kb.predicate_objects(node):
            out.add((node, p, o))
            if p in _FOLLOW and isinstance(o, URIRef) and o not in seen:
                todo.append(o)
    return out


def export_graph(quads, kb: Graph | None) -> Graph:
    """The assessment's triples and the knowledge base excerpt, as one rdflib graph, every node
    typed with its PROV classes and a prefix bound for every IRI base (provtypes). `kb` None:
    the excerpt is among the quads already."""
    # the triples as a list too, when made here: looking through a list is far cheaper than
    # through an rdflib graph, and it holds the same nodes (prov_typed adds none of its own)
    triples = None if isinstance(quads, Graph) else rdflib_triples(quads)
    graph = bind_prefixes(quads if triples is None else graph_of(triples))
    if kb is not None:
        excerpt = kb_excerpt(graph, kb)
        graph += excerpt
        if triples is not None:
            triples += excerpt
    prov_typed(graph, triples)
    node = assessment_node(graph)
    bind_iri_bases(graph, str(node) if node is not None else None, triples)
    return graph


def assessment_node(graph: Graph) -> URIRef | None:
    found = sorted(graph.subjects(RDF.type, DZ.Assessment))
    return found[0] if found else None


def receipt_entries(graph: Graph) -> dict[str, str]:
    """name -> value of the assessment's receipt entries."""
    node = assessment_node(graph)
    receipt = graph.value(node, DZ.receipt) if node is not None else None
    if receipt is None:
        return {}
    entries = {}
    for entry in graph.objects(receipt, DZ.entry):
        name, value = graph.value(entry, DZ.name), graph.value(entry, DZ.value)
        if name is not None and value is not None:
            entries[str(name)] = str(value)
    return dict(sorted(entries.items()))


def serialize(graph: Graph, fmt: str) -> str:
    """Turtle (with a comment naming the assessment), JSON-LD (compacted with demozone's
    prefixes as an inline @context: it parses without fetching anything), or PROV-N and
    PROV-JSON through the `prov` library (provformats)."""
    if fmt in PROV_FORMATS:
        return prov_text(graph, fmt)
    if fmt == "ttl":
        text = turtle_text(graph)
        return turtle_head(assessment_node(graph)) + unused_prefixes(graph, text) + text
    if fmt == "jsonld":
        context = {p: str(ns) for p, ns in graph.namespaces() if str(ns).startswith(str(ID))}
        context.update({prefix: str(namespace) for prefix, namespace in PREFIXES.items()})
        text = graph.serialize(format="json-ld", context=context, auto_compact=True, indent=1)
        return json_text(json.loads(text)) + "\n"
    raise ValueError(f"unknown export format {fmt!r}")


def turtle_head(node: URIRef | None) -> str:
    """The comment line a Turtle export starts with, naming the assessment."""
    return f"# demozone assessment {node}: PROV-O and demozone's vocabulary\n"


def unused_prefixes(graph: Graph, text: str) -> str:
    """@prefix lines for the bases of demozone's IRI space the Turtle writer left out (it
    declares only the prefixes it uses, and writes an IRI whose local part cannot be a
    prefixed name, such as `-`, in full): every base is declared, for QName-based tools."""
    # The writer's own @prefix lines are its first lines, up to the first blank one: a
    # declaration is looked for among them, and in the whole text only when an "@prefix "
    # comes after them (inside a literal): the same answer as searching the whole text each
    # time, without reading an export's megabyte once for each of its thousand bases.
    cut = text.find("\n\n")
    head = text[:cut].split("\n") if cut >= 0 and "@prefix " not in text[cut:] else [""]
    declared = set(head) if all(line.startswith("@prefix ") for line in head) else None
    lines = []
    for prefix, ns in sorted(graph.namespaces()):
        line = f"@prefix {prefix}: <{ns}> ."
        if str(ns).startswith(str(ID)) and line not in (text if declared is None else declared):
            lines.append(line + "\n")
    return "".join(lines)


def parse(text: str, fmt: str) -> Graph:
    """An exported document read back (the test of a round trip)."""
    return Graph().parse(data=text, format="turtle" if fmt == "ttl" else "json-ld")


@functools.lru_cache(maxsize=2)
def prov_shapes() -> Graph:
    return bind_prefixes(Graph()).parse(PROV_SHAPES_FILE, format="turtle")


def validate(graph: Graph) -> list[tuple[str, str, str]]:
    """(severity, focus node, message) for every result of the provenance shapes; [] conforms."""
    import pyshacl

    _conforms, results, _text = pyshacl.validate(
        graph, shacl_graph=prov_shapes(), inference="none", allow_warnings=True
    )
    found = []
    for result in results.subjects(SH.resultSeverity, None):
        severity = shacl_severity(results.value(result, SH.resultSeverity))
        focus = str(results.value(result, SH.focusNode))
        messages = [str(m) for m in results.objects(result, SH.resultMessage)]
        english = [m for m in messages if m.isascii()] or messages or ["shape not satisfied"]
        found.append((severity, focus, english[0]))
    return sorted(found)


def summary(graph: Graph, findings: list[tuple[str, str, str]]) -> dict:
    """For --json: the assessment, counts, conformance and the receipt."""
    node = assessment_node(graph)
    return {
        "assessment": str(node) if node is not None else None,
        "triples": len(graph),
        "scores": sum(1 for _ in graph.subjects(RDF.type, DZ.Score)),
        "firings": sum(1 for _ in graph.subjects(RDF.type, DZ.RuleFiring)),
        "sources": sum(1 for _ in graph.subjects(RDF.type, DZ.SourceDocument)),
        "activities": sum(1 for _ in graph.subjects(RDF.type, PROV.Activity)),
        "conforms": not any(f[0] == "error" for f in findings),
        "findings": [{"severity": s, "focus": f, "message": m} for s, f, m in findings],
        "receipt": receipt_entries(graph),
    }
